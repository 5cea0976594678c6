//! The column-wise pipeline steps: skewness and kurtosis, outlier treatment (winsorising, log),
//! imputation statistics, normalisation and ranking. All work on one indicator column with
//! NaN for missing values.

use serde::{Deserialize, Serialize};

/// Sample skewness, "type 2" (as Excel's SKEW and e1071's `type = 2`):
/// `g1 sqrt(n (n-1)) / (n-2)` with `g1 = m3 / m2^(3/2)`. NaN with fewer than 3 values or no
/// spread. Joanes & Gill (1998), "Comparing measures of sample skewness and kurtosis".
pub fn skewness(x: &[f64]) -> f64 {
    skew_kurtosis(x).0
}

/// Sample excess kurtosis, "type 2" (as Excel's KURT):
/// `((n+1)(g2) + 6)(n-1) / ((n-2)(n-3))` with `g2 = n m4 / m2^2 - 3`. NaN with fewer than 4
/// values or no spread. Joanes & Gill (1998).
pub fn kurtosis(x: &[f64]) -> f64 {
    skew_kurtosis(x).1
}

/// [`skewness`] and [`kurtosis`] in one pass over the deviations from the mean.
pub(crate) fn skew_kurtosis(x: &[f64]) -> (f64, f64) {
    moments(x.len(), || x.iter().copied())
}

/// [`skew_kurtosis`] of the present (not NaN) values of `col`, without collecting them: the
/// same sums in the same order, so the same results.
pub(crate) fn skew_kurtosis_present(col: &[f64]) -> (f64, f64) {
    let present = || col.iter().copied().filter(|v| !v.is_nan());
    let count = present().count();
    if count == col.len() {
        return skew_kurtosis(col);
    }
    moments(count, present)
}

/// Type-2 skewness and kurtosis of the `count` values that `values` yields (called twice: for
/// the mean, then for the deviations).
fn moments<I: Iterator<Item = f64>>(count: usize, values: impl Fn() -> I) -> (f64, f64) {
    let n = count as f64;
    if count < 3 {
        return (f64::NAN, f64::NAN);
    }
    let mean = values().sum::<f64>() / n;
    let (mut s2, mut s3, mut s4) = (0.0, 0.0, 0.0);
    for v in values() {
        let d = v - mean;
        let d2 = d * d;
        s2 += d2;
        s3 += d2 * d;
        s4 += d2 * d2;
    }
    let g1 = n.sqrt() * s3 / s2.powf(1.5);
    let skew = g1 * (n * (n - 1.0)).sqrt() / (n - 2.0);
    if count < 4 {
        return (skew, f64::NAN);
    }
    let r = n * s4 / (s2 * s2);
    let kurt = ((n + 1.0) * (r - 3.0) + 6.0) * (n - 1.0) / ((n - 2.0) * (n - 3.0));
    (skew, kurt)
}

/// The outlier test and winsorising limit of [`crate::Treatment::Winsorise`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct WinsoriseSpec {
    /// The most points to winsorise per indicator (COINr: 5).
    pub max_points: usize,
    /// An indicator fails when |skewness| >= this (COINr: 2) ...
    pub skew: f64,
    /// ... and kurtosis >= this (COINr: 3.5).
    pub kurtosis: f64,
}

impl Default for WinsoriseSpec {
    fn default() -> Self {
        WinsoriseSpec {
            max_points: 5,
            skew: 2.0,
            kurtosis: 3.5,
        }
    }
}

impl WinsoriseSpec {
    /// Whether the present values pass (|skew| < limit or kurtosis < limit). Statistics that
    /// cannot be computed (too few values, no spread) pass.
    pub fn passes(&self, present: &[f64]) -> bool {
        let (s, k) = skew_kurtosis(present);
        self.passes_stats(s, k)
    }

    /// The test on given skewness and kurtosis.
    pub(crate) fn passes_stats(&self, s: f64, k: f64) -> bool {
        if s.is_nan() || k.is_nan() {
            return true;
        }
        s.abs() < self.skew || k < self.kurtosis
    }
}

/// What treatment did to one column.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Treated {
    /// (index, from, to) of every changed point.
    Winsorised(Vec<(usize, f64, f64)>),
    LogTransformed,
}

/// Treats one column in place (NaN = missing), the OECD/JRC way as in COINr: when the column
/// fails the skew/kurtosis test, the most extreme value (the highest when skew >= 0, else the
/// lowest; all values tied with it) is set to the next value, one step at a time, until the
/// column passes or the winsorised points reach the limit; if it still fails, the winsorising is
/// undone and `ln(x - min + 0.01 (max - min))` is applied to the original values.
///
/// Complexity: O(p n) for p winsorising steps over n values.
#[cfg(test)]
pub(crate) fn treat_column(col: &mut [f64], spec: &WinsoriseSpec) -> Option<Treated> {
    let orig: Vec<f64> = col.iter().copied().filter(|v| !v.is_nan()).collect();
    let stats = skew_kurtosis(&orig);
    if spec.passes_stats(stats.0, stats.1) {
        return None;
    }
    Some(treat_failing(col, orig, spec, stats))
}

/// The most extreme value of `x` (the highest when `high`, else the lowest): the positions of
/// every value equal to it, and the next value (the most extreme of the others; `None` when
/// all are equal). One pass.
fn extreme_and_next(x: &[f64], high: bool) -> (Vec<usize>, Option<f64>) {
    let beyond = |a: f64, b: f64| if high { a > b } else { a < b };
    let pick = |a: f64, b: f64| if high { a.max(b) } else { a.min(b) };
    let mut extreme = if high {
        f64::NEG_INFINITY
    } else {
        f64::INFINITY
    };
    let mut at: Vec<usize> = Vec::new();
    let mut next: Option<f64> = None;
    for (k, &v) in x.iter().enumerate() {
        if v == extreme {
            at.push(k);
        } else if beyond(v, extreme) {
            if !at.is_empty() {
                next = Some(next.map_or(extreme, |a| pick(a, extreme)));
            }
            extreme = v;
            at.clear();
            at.push(k);
        } else {
            next = Some(next.map_or(v, |a| pick(a, v)));
        }
    }
    (at, next)
}

/// [`treat_column`] for a column whose present values `orig` (in order) failed the test,
/// with `stats`, their skewness and kurtosis.
pub(crate) fn treat_failing(
    col: &mut [f64],
    orig: Vec<f64>,
    spec: &WinsoriseSpec,
    stats: (f64, f64),
) -> Treated {
    let mut x = orig.clone();
    let (mut hi, mut lo): (Vec<usize>, Vec<usize>) = (Vec::new(), Vec::new());
    let mut count = 0usize;
    let mut passes = false;
    let mut known = Some(stats); // the statistics of `x` as it is, when known
    while count < spec.max_points {
        let (s, k) = known.take().unwrap_or_else(|| skew_kurtosis(&x));
        if spec.passes_stats(s, k) {
            passes = true;
            break;
        }
        let high = s >= 0.0;
        let (at, next) = extreme_and_next(&x, high);
        let Some(next) = next else {
            known = Some((s, k));
            break;
        };
        for &k in &at {
            x[k] = next;
        }
        // The points tied at the new extreme include every point moved so far at that end.
        if high {
            hi = at;
        } else {
            lo = at;
        }
        count = hi.len() + lo.len();
    }
    let passes = passes || {
        let (s, k) = known.unwrap_or_else(|| skew_kurtosis(&x));
        spec.passes_stats(s, k)
    };
    if passes {
        let mut points = Vec::new();
        let present = col.iter_mut().enumerate().filter(|(_, v)| !v.is_nan());
        for ((i, v), (&o, &t)) in present.zip(orig.iter().zip(&x)) {
            if t != o {
                points.push((i, o, t));
                *v = t;
            }
        }
        Treated::Winsorised(points)
    } else {
        let min = orig.iter().copied().fold(f64::INFINITY, f64::min);
        let max = orig.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let present = col.iter_mut().filter(|v| !v.is_nan());
        for (v, &o) in present.zip(&orig) {
            *v = (o - min + 0.01 * (max - min)).ln();
        }
        Treated::LogTransformed
    }
}

/// Mean of the present values; NaN when none.
pub(crate) fn mean(x: impl Iterator<Item = f64>) -> f64 {
    let (mut s, mut n) = (0.0, 0usize);
    for v in x.filter(|v| !v.is_nan()) {
        s += v;
        n += 1;
    }
    if n == 0 { f64::NAN } else { s / n as f64 }
}

/// Median of the present values (mean of the middle two for an even count); NaN when none.
pub(crate) fn median(x: impl Iterator<Item = f64>) -> f64 {
    let mut v: Vec<f64> = x.filter(|v| !v.is_nan()).collect();
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(f64::total_cmp);
    let m = v.len() / 2;
    if v.len() % 2 == 1 {
        v[m]
    } else {
        (v[m - 1] + v[m]) / 2.0
    }
}

/// Ranks (1 = highest) with ties taking the lower (better) rank; `None` for missing values.
///
/// ```
/// assert_eq!(kompas_goals::rank_descending(&[3.0, 5.0, 3.0, f64::NAN]), [Some(2), Some(1), Some(2), None]);
/// ```
///
/// Complexity: O(n log n).
pub fn rank_descending(x: &[f64]) -> Vec<Option<u32>> {
    let mut order: Vec<(f64, u32)> = Vec::with_capacity(x.len());
    order.extend(
        x.iter()
            .enumerate()
            .filter(|(_, v)| !v.is_nan())
            .map(|(u, &v)| (v, u as u32)),
    );
    // Elements that compare equal have the same value, and a run of equal values takes the
    // rank of its first position, so the ranks do not depend on how the sort orders them.
    super::par::sort_unstable_by(&mut order, |a, b| b.0.total_cmp(&a.0));
    let mut ranks = vec![None; x.len()];
    let mut rank = 0u32;
    for (k, &(v, u)) in order.iter().enumerate() {
        // A tie (== also joins -0 and 0) keeps the rank of the first of its run.
        if k == 0 || v != order[k - 1].0 {
            rank = k as u32 + 1;
        }
        ranks[u as usize] = Some(rank);
    }
    ranks
}

/// Ascending "min" ranks (1 = lowest, ties share the lowest rank) of present values.
pub(crate) fn rank_ascending(x: &[f64]) -> Vec<f64> {
    let mut present: Vec<f64> = Vec::with_capacity(x.len());
    present.extend(x.iter().copied().filter(|v| !v.is_nan()));
    present.sort_by(f64::total_cmp);
    x.iter()
        .map(|v| {
            if v.is_nan() {
                f64::NAN
            } else {
                (present.partition_point(|p| p < v) + 1) as f64
            }
        })
        .collect()
}

/// The quantile of sorted values by linear interpolation (Hyndman & Fan 1996, type 7, R's
/// default).
pub(crate) fn quantile_sorted(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let h = (sorted.len() - 1) as f64 * q;
    let lo = h.floor() as usize;
    let hi = h.ceil() as usize;
    sorted[lo] + (h - lo as f64) * (sorted[hi.min(sorted.len() - 1)] - sorted[lo])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn skew_and_kurtosis_match_excel_type_2() {
        // Microsoft's documented examples: SKEW(3,4,5,2,3,4,5,6,4,7) = 0.359543,
        // KURT(3,4,5,2,3,4,5,6,4,7) = -0.151799637.
        let x = [3.0, 4.0, 5.0, 2.0, 3.0, 4.0, 5.0, 6.0, 4.0, 7.0];
        assert!((skewness(&x) - 0.359_543).abs() < 1e-6, "{}", skewness(&x));
        assert!(
            (kurtosis(&x) + 0.151_799_637).abs() < 1e-9,
            "{}",
            kurtosis(&x)
        );
        assert!(skewness(&[1.0, 2.0]).is_nan());
    }

    #[test]
    fn winsorising_moves_the_outlier_to_the_next_value() {
        let mut x: Vec<f64> = (1..=20).map(f64::from).collect();
        x.push(500.0);
        let t = treat_column(&mut x, &WinsoriseSpec::default());
        assert_eq!(t, Some(Treated::Winsorised(vec![(20, 500.0, 20.0)])));
        assert_eq!(x[20], 20.0);
    }

    #[test]
    fn falls_back_to_log_when_the_limit_is_reached() {
        let mut x: Vec<f64> = vec![1.0; 30];
        for (i, v) in x.iter_mut().enumerate() {
            *v = 1.0 + (i as f64) * 0.01;
        }
        x.extend([1e3, 1e4, 1e5]);
        let orig = x.clone();
        let spec = WinsoriseSpec {
            max_points: 1,
            ..WinsoriseSpec::default()
        };
        let t = treat_column(&mut x, &spec);
        assert_eq!(t, Some(Treated::LogTransformed));
        let (min, max) = (1.0, 1e5);
        assert!((x[32] - (orig[32] - min + 0.01 * (max - min)).ln()).abs() < 1e-12);
    }

    #[test]
    fn ranks_give_ties_the_lower_rank() {
        assert_eq!(
            rank_descending(&[1.0, 1.0, 0.5]),
            [Some(1), Some(1), Some(3)]
        );
        assert_eq!(
            rank_ascending(&[1.0, 1.0, 0.5, f64::NAN])[..3],
            [2.0, 2.0, 1.0]
        );
        assert_eq!(quantile_sorted(&[1.0, 2.0, 3.0, 4.0], 0.5), 2.5);
    }
}
