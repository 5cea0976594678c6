//! Sensitivity of a composite index: remove-one rank shifts and seeded Monte Carlo uncertainty
//! over methodological choices (Saisana, Saltelli & Tarantola 2005, "Uncertainty and
//! sensitivity analysis techniques as tools for the quality assessment of composite indicators").

use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

use super::{
    Coin, LeafMatrix, LogEntry, Normalisation, Pipeline, Prepared, Source, Treatment,
    rank_descending, steps,
};
use crate::{Aggregation, AggregationPlan, Error};

/// The mean absolute rank shift of the top aggregate when one element is removed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RemovalShift {
    /// The removed indicator or aggregate.
    pub code: String,
    /// Mean over units of |rank without it - nominal rank|.
    pub mean_abs_rank_shift: f64,
}

/// Settings of a Monte Carlo uncertainty analysis. Each replicate draws, uniformly, one
/// normalisation, one aggregation method (for every aggregate) and one winsorising limit (when
/// the pipeline winsorises), and multiplies every weight by `1 + f u` with `u` uniform in
/// [-1, 1) and `f` = `weight_perturbation`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct MonteCarlo {
    /// Number of replicates.
    pub replicates: usize,
    /// The seed; replicate `r` uses ChaCha8 seeded with it, on stream `r`.
    pub seed: u64,
    /// The fraction by which weights are perturbed (0.25 = +-25 %).
    pub weight_perturbation: f64,
    /// The normalisations to choose from (empty: the pipeline's).
    pub normalisations: Vec<Normalisation>,
    /// The aggregation methods to choose from (empty: the pipeline's).
    pub aggregations: Vec<Aggregation>,
    /// The winsorising limits to choose from (empty: the pipeline's).
    pub winsorise_limits: Vec<usize>,
}

/// One unit's rank under Monte Carlo uncertainty.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RankInterval {
    /// The unit.
    pub unit: String,
    /// Its rank under the pipeline as given.
    pub nominal_rank: Option<u32>,
    /// The median of its replicate ranks (NaN when it was never ranked).
    pub median_rank: f64,
    /// The 5 % quantile of its replicate ranks (type 7).
    pub q05: f64,
    /// The 95 % quantile of its replicate ranks (type 7).
    pub q95: f64,
}

fn normalised_leaves(
    coin: &Coin,
    prepared: &Prepared,
    plan: &AggregationPlan,
    treat: Treatment,
    normalise: Normalisation,
) -> Result<Vec<f64>, Error> {
    let mut log: Vec<LogEntry> = Vec::new();
    let leaves = LeafMatrix::build(
        coin,
        plan,
        &prepared.units,
        Source::Borrowed(&prepared.values),
        treat,
        normalise,
        &mut log,
    )?;
    Ok(leaves.into_leaves(plan.leaf_count()))
}

fn top_ranks(
    coin: &Coin,
    plan: &AggregationPlan,
    units: &[String],
    leaves: &[f64],
) -> Result<Vec<Option<u32>>, Error> {
    let eval = plan.evaluate(units, leaves)?;
    Ok(match plan.node_index(&coin.top().code) {
        Some(k) => rank_descending(eval.node_column(k)),
        None => vec![None; units.len()],
    })
}

/// Remove-one sensitivity: for each indicator or aggregate at iMeta `level`, in iMeta order, the
/// mean absolute shift of the units' ranks on the top aggregate when that element is removed
/// (its weight set to 0, the siblings' weights renormalised).
///
/// ```
/// use kompas_goals::{Coin, CsvText, Pipeline, remove_one};
///
/// let meta = "iCode,Level,Direction,Weight,Parent,Type\n\
///             a,1,1,1,Index,Indicator\nb,1,1,1,Index,Indicator\nIndex,2,1,1,,Aggregate\n";
/// let data = "uCode,a,b\nX,1,3\nY,2,2\nZ,3,1\n";
/// let coin = Coin::from_csv(
///     CsvText { name: "iData.csv", text: data },
///     CsvText { name: "iMeta.csv", text: meta },
/// )?;
/// let shifts = remove_one(&coin, &Pipeline::default(), 1)?;
/// // Nominal: all tie at 50 (rank 1). Without a: ranks by b = X 1, Y 2, Z 3.
/// assert_eq!(shifts[0].code, "a");
/// assert_eq!(shifts[0].mean_abs_rank_shift, 1.0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`Error::InvalidOption`] when no element has that level; the errors of [`Pipeline::run`].
///
/// # Complexity
/// One pipeline run plus one plan evaluation per element.
pub fn remove_one(
    coin: &Coin,
    pipeline: &Pipeline,
    level: u32,
) -> Result<Vec<RemovalShift>, Error> {
    let codes: Vec<String> = coin
        .indicators
        .iter()
        .filter(|i| i.level == level)
        .map(|i| i.code.clone())
        .chain(
            coin.aggregates
                .iter()
                .filter(|a| a.level == level)
                .map(|a| a.code.clone()),
        )
        .collect();
    if codes.is_empty() {
        return Err(Error::InvalidOption {
            option: "remove-one".into(),
            value: level.to_string(),
            expected: "a level of iMeta that has indicators or aggregates".into(),
        });
    }
    let prepared = pipeline.prepare(coin)?;
    let mut plan = coin.plan()?;
    pipeline.configure(&mut plan)?;
    let leaves = normalised_leaves(coin, &prepared, &plan, pipeline.treat, pipeline.normalise)?;
    let nominal = top_ranks(coin, &plan, &prepared.units, &leaves)?;
    let mut out = Vec::with_capacity(codes.len());
    for code in codes {
        let mut p = plan.clone();
        p.set_incoming_weight(&code, 0.0)?;
        let ranks = top_ranks(coin, &p, &prepared.units, &leaves)?;
        let (mut sum, mut k) = (0.0, 0usize);
        for (a, b) in nominal.iter().zip(&ranks) {
            if let (Some(a), Some(b)) = (a, b) {
                sum += (f64::from(*a) - f64::from(*b)).abs();
                k += 1;
            }
        }
        out.push(RemovalShift {
            code,
            mean_abs_rank_shift: if k == 0 { f64::NAN } else { sum / k as f64 },
        });
    }
    Ok(out)
}

/// Monte Carlo uncertainty analysis of the ranks on the top aggregate; see [`MonteCarlo`].
///
/// Runs the replicates in parallel with rayon when the `parallel` feature is on; the result is
/// the same with and without it, because each replicate has its own generator seeded from the
/// seed and its index.
///
/// # Errors
/// Those of [`Pipeline::run`] in any replicate (e.g. a geometric mean over a zero value: choose a
/// normalisation with a positive lower end such as min-max 1-100).
///
/// # Complexity
/// O(R (I U log U + E U)) for R replicates.
pub fn monte_carlo(
    coin: &Coin,
    pipeline: &Pipeline,
    mc: &MonteCarlo,
) -> Result<Vec<RankInterval>, Error> {
    monte_carlo_with_progress(coin, pipeline, mc, &|| {})
}

/// [`monte_carlo`], calling `progress` once after each replicate (from any thread).
///
/// # Errors
/// As [`monte_carlo`].
pub fn monte_carlo_with_progress(
    coin: &Coin,
    pipeline: &Pipeline,
    mc: &MonteCarlo,
    progress: &(dyn Fn() + Sync),
) -> Result<Vec<RankInterval>, Error> {
    if !(mc.weight_perturbation.is_finite() && (0.0..=1.0).contains(&mc.weight_perturbation)) {
        return Err(Error::InvalidOption {
            option: "weight perturbation".into(),
            value: mc.weight_perturbation.to_string(),
            expected: "a fraction from 0 to 1".into(),
        });
    }
    let prepared = pipeline.prepare(coin)?;
    let mut plan = coin.plan()?;
    pipeline.configure(&mut plan)?;
    let leaves = normalised_leaves(coin, &prepared, &plan, pipeline.treat, pipeline.normalise)?;
    let nominal = top_ranks(coin, &plan, &prepared.units, &leaves)?;

    let replicate = |r: usize| -> Result<Vec<Option<u32>>, Error> {
        let mut rng = ChaCha8Rng::seed_from_u64(mc.seed);
        rng.set_stream(r as u64);
        let normalise = pick(&mut rng, &mc.normalisations).unwrap_or(pipeline.normalise);
        let aggregation = pick(&mut rng, &mc.aggregations);
        let limit = pick(&mut rng, &mc.winsorise_limits);
        let treat = match (pipeline.treat, limit) {
            (Treatment::Winsorise(mut spec), Some(l)) => {
                spec.max_points = l;
                Treatment::Winsorise(spec)
            }
            (t, _) => t,
        };
        let mut p = plan.clone();
        if let Some(a) = aggregation {
            p.set_all_methods(a);
        }
        for w in p.child_weight.iter_mut() {
            let u: f64 = rng.random::<f64>() * 2.0 - 1.0;
            *w *= 1.0 + mc.weight_perturbation * u;
        }
        let leaves = normalised_leaves(coin, &prepared, &p, treat, normalise)?;
        let ranks = top_ranks(coin, &p, &prepared.units, &leaves);
        progress();
        ranks
    };
    #[cfg(feature = "parallel")]
    let runs: Vec<Vec<Option<u32>>> = {
        use rayon::prelude::*;
        (0..mc.replicates)
            .into_par_iter()
            .map(replicate)
            .collect::<Result<_, _>>()?
    };
    #[cfg(not(feature = "parallel"))]
    let runs: Vec<Vec<Option<u32>>> = (0..mc.replicates)
        .map(replicate)
        .collect::<Result<_, _>>()?;

    let mut out = Vec::with_capacity(prepared.units.len());
    for (u, unit) in prepared.units.iter().enumerate() {
        let mut ranks: Vec<f64> = runs.iter().filter_map(|r| r[u]).map(f64::from).collect();
        ranks.sort_by(f64::total_cmp);
        out.push(RankInterval {
            unit: unit.clone(),
            nominal_rank: nominal[u],
            median_rank: steps::quantile_sorted(&ranks, 0.5),
            q05: steps::quantile_sorted(&ranks, 0.05),
            q95: steps::quantile_sorted(&ranks, 0.95),
        });
    }
    Ok(out)
}

fn pick<T: Copy>(rng: &mut ChaCha8Rng, options: &[T]) -> Option<T> {
    if options.is_empty() {
        None
    } else {
        Some(options[rng.random_range(0..options.len())])
    }
}
