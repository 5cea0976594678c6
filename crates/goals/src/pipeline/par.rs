//! Runs independent tasks on all cores with rayon (feature `parallel`), or one after another
//! without it. Results keep the input order, so the output does not depend on scheduling.

/// `items.map(f)`, in parallel with the `parallel` feature; the results in input order.
#[cfg(feature = "parallel")]
pub(crate) fn map<T: Send, R: Send>(items: Vec<T>, f: impl Fn(T) -> R + Sync + Send) -> Vec<R> {
    use rayon::prelude::*;
    items.into_par_iter().map(f).collect()
}

/// `items.map(f)`, in parallel with the `parallel` feature; the results in input order.
#[cfg(not(feature = "parallel"))]
pub(crate) fn map<T: Send, R: Send>(items: Vec<T>, f: impl Fn(T) -> R + Sync + Send) -> Vec<R> {
    items.into_iter().map(f).collect()
}

/// Sorts `v` by `cmp`, in parallel with the `parallel` feature (not stable: for orders where
/// equal elements are interchangeable).
#[cfg(feature = "parallel")]
pub(crate) fn sort_unstable_by<T: Send>(
    v: &mut [T],
    cmp: impl Fn(&T, &T) -> std::cmp::Ordering + Sync,
) {
    use rayon::slice::ParallelSliceMut;
    v.par_sort_unstable_by(cmp);
}

/// Sorts `v` by `cmp`, in parallel with the `parallel` feature (not stable: for orders where
/// equal elements are interchangeable).
#[cfg(not(feature = "parallel"))]
pub(crate) fn sort_unstable_by<T: Send>(
    v: &mut [T],
    cmp: impl Fn(&T, &T) -> std::cmp::Ordering + Sync,
) {
    v.sort_unstable_by(cmp);
}
