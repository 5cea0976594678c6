//! Anhøj's runs analysis: the longest run and the number of crossings of the centre line.
//!
//! Reference: Anhøj & Olesen (2014), "Run charts revisited: a simulation study of run chart rules
//! for detection of non-random variation in health care processes", *PLoS ONE* 9(11): e113825;
//! Schilling (2012) for the longest run, Chen (2010) for the crossings.

use super::RunsAnalysis;

/// The signal limits of Anhøj's rules for `n_useful` useful points (points neither missing nor on
/// the centre line): `(longest_run_max, n_crossings_min)`, where a longest run above
/// `round(log2 n) + 3` or fewer crossings than the 5 % quantile of Binomial(n - 1, 0.5) signals.
/// `None` for `n_useful = 0`.
///
/// Complexity: O(log n) evaluations of the binomial distribution function.
///
/// ```
/// use kompas_evidence::spc::anhoej_limits;
///
/// assert_eq!(anhoej_limits(24), Some((8, 8)));
/// assert_eq!(anhoej_limits(0), None);
/// ```
pub fn anhoej_limits(n_useful: usize) -> Option<(usize, usize)> {
    if n_useful == 0 {
        return None;
    }
    let longest = (n_useful as f64).log2().round() as usize + 3;
    Some((longest, binomial_quantile_05(n_useful - 1)))
}

/// The 5 % quantile of Binomial(trials, 0.5): the smallest k with P(X <= k) >= 0.05, with R's
/// `qbinom` tolerance of 64 machine epsilons. P(X <= k) is the regularised incomplete beta
/// function I_{1/2}(trials - k, k + 1) (Abramowitz & Stegun 26.5.24), so each step of the binary
/// search costs O(1) continued-fraction terms instead of a sum over k terms.
fn binomial_quantile_05(trials: usize) -> usize {
    // Charts are short and many (a follow-up draws one per indicator): the quantiles of short
    // series are remembered, each computed on first use. 0 means "not yet"; entries hold k + 1.
    static SHORT: [std::sync::atomic::AtomicU32; 1024] =
        [const { std::sync::atomic::AtomicU32::new(0) }; 1024];
    let Some(slot) = SHORT.get(trials) else {
        return binomial_quantile_05_uncached(trials);
    };
    match slot.load(std::sync::atomic::Ordering::Relaxed) {
        0 => {
            let k = binomial_quantile_05_uncached(trials);
            slot.store(k as u32 + 1, std::sync::atomic::Ordering::Relaxed);
            k
        }
        k => k as usize - 1,
    }
}

fn binomial_quantile_05_uncached(trials: usize) -> usize {
    if trials == 0 {
        return 0;
    }
    let m = trials as f64;
    let cdf = |k: usize| {
        if k >= trials {
            1.0
        } else {
            statrs::function::beta::beta_reg(m - k as f64, k as f64 + 1.0, 0.5)
        }
    };
    let target = 0.05 * (1.0 - 64.0 * f64::EPSILON);
    let (mut lo, mut hi) = (0usize, trials);
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if cdf(mid) >= target {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    lo
}

/// Runs analysis of `y` against the centre line `cl`, over the points whose `include` is true.
///
/// Complexity: O(n) time, O(1) extra space.
pub(crate) fn runs_analysis(y: &[f64], cl: f64, include: &[bool]) -> RunsAnalysis {
    let mut n_obs = 0;
    let mut n_useful = 0;
    let (mut longest, mut current, mut runs) = (0usize, 0usize, 0usize);
    let mut last_side = 0i8;
    for (&v, &inc) in y.iter().zip(include) {
        if !inc {
            continue;
        }
        n_obs += 1;
        let d = v - cl;
        let side = if d > 0.0 {
            1
        } else if d < 0.0 {
            -1
        } else {
            0 // on the line, or missing
        };
        if side == 0 {
            continue;
        }
        n_useful += 1;
        if side == last_side {
            current += 1;
        } else {
            runs += 1;
            current = 1;
            last_side = side;
        }
        longest = longest.max(current);
    }
    match anhoej_limits(n_useful) {
        Some((longest_run_max, n_crossings_min)) => {
            let n_crossings = runs.saturating_sub(1);
            RunsAnalysis {
                n_obs,
                n_useful,
                longest_run: Some(longest),
                longest_run_max: Some(longest_run_max),
                n_crossings: Some(n_crossings),
                n_crossings_min: Some(n_crossings_min),
                signal: longest > longest_run_max || n_crossings < n_crossings_min,
            }
        }
        None => RunsAnalysis {
            n_obs,
            n_useful,
            longest_run: None,
            longest_run_max: None,
            n_crossings: None,
            n_crossings_min: None,
            signal: false,
        },
    }
}
