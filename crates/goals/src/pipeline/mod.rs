//! The composite-indicator pipeline (OECD/JRC Handbook, 2008; as COINr does it): denominate,
//! impute, screen, treat outliers, normalise and aggregate, each step optional and logged.

mod coin;
mod fastcsv;
mod number;
mod output;
pub(crate) mod par;
mod sensitivity;
mod steps;

use std::collections::BTreeMap;

use kompas_core::Share;
use serde::{Deserialize, Serialize};

pub use coin::{AggregateMeta, Coin, CsvBytes, CsvText, Direction, GroupColumn, IndicatorMeta};
pub use fastcsv::ReadAt;
pub use sensitivity::{
    MonteCarlo, RankInterval, RemovalShift, monte_carlo, monte_carlo_with_progress, remove_one,
};
pub use steps::{WinsoriseSpec, kurtosis, rank_descending, skewness};

use crate::{Aggregation, AggregationPlan, Error};
use steps::Treated;

/// Whether to divide indicators by their iMeta `Denominator` column.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Denomination {
    /// Leave values as they are.
    #[default]
    Off,
    /// Divide each indicator that names a denominator by it.
    ByMeta,
}

/// How missing values are filled in before treatment.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum Imputation {
    /// Leave missing values missing (the aggregation renormalises over what is present).
    #[default]
    None,
    /// The indicator's mean over all units.
    Mean,
    /// The indicator's median over all units.
    Median,
    /// The indicator's mean over the units in the same group of a group column.
    GroupMean {
        /// The group column (e.g. `EurAsia_group`).
        column: String,
    },
}

/// Outlier treatment.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "method", rename_all = "snake_case")]
pub enum Treatment {
    /// No treatment.
    #[default]
    None,
    /// Winsorise failing indicators, falling back to a log transform (see [`WinsoriseSpec`]).
    Winsorise(WinsoriseSpec),
}

/// Normalisation, applied after multiplying each indicator by its direction.
///
/// Formulas on the directed values `x` of one indicator (its present values only):
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "method", rename_all = "snake_case")]
#[non_exhaustive]
pub enum Normalisation {
    /// `low + (x - min) / (max - min) (high - low)`; a constant indicator maps to the middle.
    MinMax {
        /// The lower end.
        low: f64,
        /// The upper end.
        high: f64,
    },
    /// `mean + sd (x - mean(x)) / sd(x)` with the sample standard deviation.
    ZScore {
        /// The target mean.
        mean: f64,
        /// The target standard deviation.
        sd: f64,
    },
    /// Ascending rank, ties taking the lowest rank (1 = worst).
    Rank,
    /// Percentile rank on 0-100: `100 (rank - 1) / (n - 1)`.
    PercentRank,
    /// Distance to the maximum: `1 - (max - x) / (max - min)` (0-1).
    DistanceToMax,
    /// Distance to the iMeta `Target`: `(x - min) / (target - min)`, capped at 1.
    DistanceToTarget,
    /// Goalposts from iMeta (`goalpost_lower`, `goalpost_upper`): `(x - lower) / (upper -
    /// lower)` truncated to 0-1, times 100.
    Goalposts,
}

impl Default for Normalisation {
    fn default() -> Self {
        Normalisation::MinMax {
            low: 0.0,
            high: 100.0,
        }
    }
}

/// The pipeline's settings. The default runs no optional step: min-max 0-100, then the
/// weighted arithmetic mean.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Pipeline {
    /// Step 1: denomination.
    pub denominate: Denomination,
    /// Step 2: imputation.
    pub impute: Imputation,
    /// Step 3: drop units whose share of indicators with data is below this.
    pub screen: Option<Share>,
    /// Step 4: outlier treatment.
    pub treat: Treatment,
    /// Step 5: normalisation.
    pub normalise: Normalisation,
    /// Step 6: the aggregation method of every aggregate ...
    pub aggregate: Aggregation,
    /// ... except these, per aggregate code.
    pub node_methods: BTreeMap<String, Aggregation>,
    /// An aggregate is missing when its children with data carry less than this share of its
    /// weight (none: one child with data suffices).
    pub availability: Option<Share>,
}

/// How much of an [`IndexResult`] [`Pipeline::run_owned_with`] fills in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum Detail {
    /// Everything: the scores and ranks, the normalised indicators, the coverage and the log.
    #[default]
    Full,
    /// The scores and ranks only (`units`, `aggregates`, `top`, `ranks`), as `kompas index`
    /// prints them; `indicators`, `coverage` and `log` are left empty. The same scores and
    /// ranks as [`Detail::Full`], without the copies of the normalised indicators and coverage
    /// or the log's one entry per imputed value.
    Scores,
}

/// One thing a pipeline step did, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(tag = "step", rename_all = "snake_case")]
#[non_exhaustive]
pub enum LogEntry {
    /// An indicator was divided by a denominator.
    Denominated {
        /// The indicator.
        indicator: String,
        /// The denominator column.
        denominator: String,
    },
    /// A value was missing after denomination because the denominator was missing or zero.
    DenominatorMissing {
        /// The indicator.
        indicator: String,
        /// The unit.
        unit: String,
    },
    /// A missing value was filled in.
    Imputed {
        /// The indicator.
        indicator: String,
        /// The unit.
        unit: String,
        /// The value put in.
        value: f64,
        /// The method used.
        method: Imputation,
    },
    /// A missing value could not be imputed (no data to take a statistic from).
    NotImputed {
        /// The indicator.
        indicator: String,
        /// The unit.
        unit: String,
    },
    /// A unit was dropped for lack of data.
    Screened {
        /// The unit.
        unit: String,
        /// Its share of indicators with data.
        availability: f64,
    },
    /// An indicator failed the outlier test and was winsorised.
    Winsorised {
        /// The indicator.
        indicator: String,
        /// Skewness and kurtosis before treatment.
        before: (f64, f64),
        /// The changed points as (unit, from, to).
        points: Vec<(String, f64, f64)>,
    },
    /// An indicator failed the outlier test even after winsorising and was log-transformed.
    LogTransformed {
        /// The indicator.
        indicator: String,
        /// Skewness and kurtosis before treatment.
        before: (f64, f64),
    },
}

/// A named column of per-unit values; NaN = missing (written as `null` by serde).
///
/// ```
/// let c = kompas_goals::ScoreColumn { code: "Index".into(), level: 2, values: vec![1.5, f64::NAN] };
/// assert_eq!((c.get(0), c.get(1), c.get(2)), (Some(1.5), None, None));
/// ```
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ScoreColumn {
    /// The iCode.
    pub code: String,
    /// The iMeta level.
    pub level: u32,
    /// One value per unit, in [`IndexResult::units`] order; NaN = missing.
    #[serde(with = "nan_as_null")]
    #[schemars(with = "Vec<Option<f64>>")]
    pub values: Vec<f64>,
}

impl ScoreColumn {
    /// The value of unit number `unit`; `None` when missing or out of range.
    pub fn get(&self, unit: usize) -> Option<f64> {
        self.values.get(unit).copied().filter(|v| !v.is_nan())
    }
}

/// Equal codes, levels and values, a missing value equal to a missing one.
impl PartialEq for ScoreColumn {
    fn eq(&self, other: &Self) -> bool {
        self.code == other.code
            && self.level == other.level
            && self.values.len() == other.values.len()
            && self
                .values
                .iter()
                .zip(&other.values)
                .all(|(a, b)| a == b || (a.is_nan() && b.is_nan()))
    }
}

/// Serde for a column with NaN as missing: a list of numbers and `null`s.
mod nan_as_null {
    use serde::{Deserialize, Deserializer, Serializer};

    pub(super) fn serialize<S: Serializer>(values: &[f64], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(values.iter().map(|v| (!v.is_nan()).then_some(*v)))
    }

    pub(super) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<f64>, D::Error> {
        let values = Vec::<Option<f64>>::deserialize(d)?;
        Ok(values.into_iter().map(|v| v.unwrap_or(f64::NAN)).collect())
    }
}

/// What [`Pipeline::run`] returns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct IndexResult {
    /// The units kept after screening, in input order.
    pub units: Vec<String>,
    /// The aggregates, highest level first (iMeta order within a level).
    pub aggregates: Vec<ScoreColumn>,
    /// Each aggregate's coverage per unit: the share of its effective weight backed by data
    /// (same order as `aggregates`).
    pub coverage: Vec<ScoreColumn>,
    /// The normalised indicators, in iMeta order.
    pub indicators: Vec<ScoreColumn>,
    /// The code of the top aggregate (ranks are on it).
    pub top: String,
    /// Each unit's rank on the top aggregate (1 = best; ties take the lower rank).
    pub ranks: Vec<Option<u32>>,
    /// What each step did.
    pub log: Vec<LogEntry>,
}

impl IndexResult {
    /// The score of `aggregate` for `unit` (by code).
    pub fn score(&self, aggregate: &str, unit: &str) -> Option<f64> {
        let u = self.units.iter().position(|x| x == unit)?;
        self.aggregates.iter().find(|c| c.code == aggregate)?.get(u)
    }

    /// The coverage of `aggregate` for `unit` (by code).
    pub fn coverage_of(&self, aggregate: &str, unit: &str) -> Option<f64> {
        let u = self.units.iter().position(|x| x == unit)?;
        self.coverage.iter().find(|c| c.code == aggregate)?.get(u)
    }

    /// The rank of `unit` on the top aggregate.
    pub fn rank(&self, unit: &str) -> Option<u32> {
        let u = self.units.iter().position(|x| x == unit)?;
        self.ranks[u]
    }
}

/// Data after denomination, imputation and screening: the part of the pipeline that Monte Carlo
/// replicates share.
#[derive(Debug, Clone)]
pub(crate) struct Prepared {
    pub(crate) units: Vec<String>,
    /// Indicator-major, NaN = missing.
    pub(crate) values: Vec<f64>,
    pub(crate) log: Vec<LogEntry>,
}

fn opt_err(option: &str, value: &str, expected: &str) -> Error {
    Error::InvalidOption {
        option: option.into(),
        value: value.into(),
        expected: expected.into(),
    }
}

impl Pipeline {
    /// Runs the pipeline on a coin.
    ///
    /// ```
    /// use kompas_goals::{Coin, CsvText, Pipeline};
    ///
    /// let meta = "iCode,Level,Direction,Weight,Parent,Type\n\
    ///             a,1,1,1,Index,Indicator\nb,1,-1,1,Index,Indicator\nIndex,2,1,1,,Aggregate\n";
    /// let data = "uCode,a,b\nX,1,20\nY,3,10\nZ,2,\n";
    /// let coin = Coin::from_csv(
    ///     CsvText { name: "iData.csv", text: data },
    ///     CsvText { name: "iMeta.csv", text: meta },
    /// )?;
    /// let result = Pipeline::default().run(&coin)?;
    /// assert_eq!(result.score("Index", "Y"), Some(100.0));
    /// assert_eq!(result.rank("Y"), Some(1));
    /// assert_eq!(result.coverage_of("Index", "Z"), Some(0.5)); // b is missing for Z
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::InvalidOption`] for an unknown group column, a missing target or goalposts, an
    /// unknown per-node method code, or when screening leaves no unit; [`Error::NonPositive`]
    /// when a geometric or harmonic mean meets a value at or below zero.
    ///
    /// # Complexity
    /// O(I U log U) for I indicators and U units, plus [`AggregationPlan::evaluate`].
    pub fn run(&self, coin: &Coin) -> Result<IndexResult, Error> {
        let prepared = self.prepare(coin)?;
        let mut plan = coin.plan()?;
        self.configure(&mut plan)?;
        self.finish(coin, prepared, &plan, self.treat, self.normalise)
    }

    /// [`Pipeline::run`] on a coin it consumes: the same result, without a copy of the data.
    ///
    /// ```
    /// use kompas_goals::{Coin, CsvText, Pipeline};
    ///
    /// let meta = "iCode,Level,Direction,Weight,Parent,Type\n\
    ///             a,1,1,1,Index,Indicator\nIndex,2,1,1,,Aggregate\n";
    /// let data = "uCode,a\nX,1\nY,3\n";
    /// let coin = Coin::from_csv(
    ///     CsvText { name: "iData.csv", text: data },
    ///     CsvText { name: "iMeta.csv", text: meta },
    /// )?;
    /// let borrowed = Pipeline::default().run(&coin)?;
    /// assert_eq!(Pipeline::default().run_owned(coin)?, borrowed);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// Those of [`Pipeline::run`].
    pub fn run_owned(&self, coin: Coin) -> Result<IndexResult, Error> {
        self.run_owned_with(coin, Detail::Full)
    }

    /// [`Pipeline::run_owned`], filling in only what `detail` asks for.
    ///
    /// ```
    /// use kompas_goals::{Coin, CsvText, Detail, Pipeline};
    ///
    /// let meta = "iCode,Level,Direction,Weight,Parent,Type\n\
    ///             a,1,1,1,Index,Indicator\nIndex,2,1,1,,Aggregate\n";
    /// let data = "uCode,a\nX,1\nY,\nZ,3\n";
    /// let coin = Coin::from_csv(
    ///     CsvText { name: "iData.csv", text: data },
    ///     CsvText { name: "iMeta.csv", text: meta },
    /// )?;
    /// let full = Pipeline::default().run(&coin)?;
    /// let scores = Pipeline::default().run_owned_with(coin, Detail::Scores)?;
    /// assert_eq!((scores.aggregates, scores.ranks), (full.aggregates, full.ranks));
    /// assert!(scores.indicators.is_empty() && scores.log.is_empty());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// Those of [`Pipeline::run`].
    pub fn run_owned_with(&self, mut coin: Coin, detail: Detail) -> Result<IndexResult, Error> {
        let values = std::mem::take(&mut coin.values);
        let units = std::mem::take(&mut coin.units);
        let prepared = self.prepare_with(&coin, Units::Owned(units), Some(values), detail)?;
        let mut plan = coin.plan()?;
        self.configure(&mut plan)?;
        self.finish_with(&coin, prepared, &plan, self.treat, self.normalise, detail)
    }

    pub(crate) fn configure(&self, plan: &mut AggregationPlan) -> Result<(), Error> {
        plan.set_all_methods(self.aggregate);
        for (code, m) in &self.node_methods {
            plan.set_method(code, *m)?;
        }
        if let Some(a) = self.availability {
            plan.set_availability_threshold(a);
        }
        Ok(())
    }

    /// Steps 1-3. Steps 1 and 2 run one task per indicator (in parallel with the `parallel`
    /// feature); the log keeps the sequential order (all denominations, then all imputations,
    /// each in indicator and unit order).
    pub(crate) fn prepare(&self, coin: &Coin) -> Result<Prepared, Error> {
        self.prepare_with(coin, Units::Borrowed(&coin.units), None, Detail::Full)
    }

    /// [`Pipeline::prepare`], reusing `owned` (the coin's values, taken out of it) when given;
    /// `names` are the coin's units (possibly taken out of it too).
    fn prepare_with(
        &self,
        coin: &Coin,
        names: Units<'_>,
        owned: Option<Vec<f64>>,
        detail: Detail,
    ) -> Result<Prepared, Error> {
        let units: &[String] = match &names {
            Units::Owned(v) => v,
            Units::Borrowed(v) => v,
        };
        let n = units.len();
        let logged = detail == Detail::Full;
        let ni = coin.indicators.len();
        let groups = match &self.impute {
            Imputation::GroupMean { column } => Some(coin.groups.get(column).ok_or_else(|| {
                opt_err(
                    "impute",
                    &format!("group-mean:{column}"),
                    &format!(
                        "a group column of the data ({})",
                        coin.groups.keys().cloned().collect::<Vec<_>>().join(", ")
                    ),
                )
            })?),
            _ => None,
        };
        // Zeroed memory is mapped lazily, so each task faults in its own column.
        let copy = owned.is_none();
        let mut values = owned.unwrap_or_else(|| vec![0.0; ni * n]);
        let tasks: Vec<(usize, &mut [f64])> = values.chunks_mut(n.max(1)).enumerate().collect();
        let logs = par::map(tasks, |(i, col)| {
            if copy {
                col.copy_from_slice(&coin.values[i * n..(i + 1) * n]);
            }
            let ind = &coin.indicators[i];
            let denominated = self.denominate_column(coin, units, ind, col, logged);
            let imputed = self.impute_column(units, ind, groups, col, logged);
            (denominated, imputed)
        });
        let (denominated, imputed): (Vec<_>, Vec<_>) = logs.into_iter().unzip();
        let mut log: Vec<LogEntry> = denominated.into_iter().flatten().collect();
        log.extend(imputed.into_iter().flatten());
        // 3. Screen.
        let Some(share) = self.screen else {
            return Ok(Prepared {
                units: names.into_vec(),
                values,
                log,
            });
        };
        // Each unit's count of present values, in blocks of units (in parallel).
        const BLOCK: usize = 8192;
        let counts = par::map((0..n).step_by(BLOCK).collect(), |start| {
            let end = (start + BLOCK).min(n);
            let mut have = vec![0u32; end - start];
            for col in values.chunks(n.max(1)) {
                for (h, v) in have.iter_mut().zip(&col[start..end]) {
                    *h += u32::from(!v.is_nan());
                }
            }
            have
        });
        let mut have: Vec<u32> = Vec::with_capacity(n);
        for block in counts {
            have.extend(block);
        }
        let denominator = ni.max(1) as f64;
        let mut keep = Vec::with_capacity(n);
        for (u, &h) in have.iter().enumerate() {
            let availability = f64::from(h) / denominator;
            if availability >= share.get() {
                keep.push(u);
            } else {
                if logged {
                    log.push(LogEntry::Screened {
                        unit: units[u].clone(),
                        availability,
                    });
                }
            }
        }
        if keep.is_empty() {
            return Err(opt_err(
                "screen",
                &share.to_string(),
                "a threshold that leaves at least one unit",
            ));
        }
        if keep.len() == n {
            return Ok(Prepared {
                units: names.into_vec(),
                values,
                log,
            });
        }
        let kept = keep.len();
        // The kept rows of each column move down in place (column c's values land at or
        // before where they were read, and after everything still to be read), so no second
        // matrix is mapped; the capacity left over holds the aggregates' columns later.
        let mut at = 0;
        for c in 0..ni {
            for &u in &keep {
                values[at] = values[c * n + u];
                at += 1;
            }
        }
        values.truncate(ni * kept);
        let out = values;
        let units = match names {
            Units::Owned(mut v) => keep.iter().map(|&u| std::mem::take(&mut v[u])).collect(),
            Units::Borrowed(v) => keep.iter().map(|&u| v[u].clone()).collect(),
        };
        Ok(Prepared {
            units,
            values: out,
            log,
        })
    }

    /// Step 1 on one indicator column; its log entries.
    fn denominate_column(
        &self,
        coin: &Coin,
        units: &[String],
        ind: &IndicatorMeta,
        col: &mut [f64],
        logged: bool,
    ) -> Vec<LogEntry> {
        let mut log = Vec::new();
        if self.denominate != Denomination::ByMeta {
            return log;
        }
        let Some(d) = &ind.denominator else {
            return log;
        };
        let Some(den) = coin.denominators.get(d) else {
            return log;
        };
        if logged {
            log.push(LogEntry::Denominated {
                indicator: ind.code.clone(),
                denominator: d.clone(),
            });
        }
        for (u, (x, &dv)) in col.iter_mut().zip(den).enumerate() {
            if x.is_nan() {
                continue;
            }
            if dv.is_nan() || dv == 0.0 {
                *x = f64::NAN;
                if logged {
                    log.push(LogEntry::DenominatorMissing {
                        indicator: ind.code.clone(),
                        unit: units[u].clone(),
                    });
                }
            } else {
                *x /= dv;
            }
        }
        log
    }

    /// Step 2 on one indicator column; its log entries.
    fn impute_column(
        &self,
        units: &[String],
        ind: &IndicatorMeta,
        groups: Option<&GroupColumn>,
        col: &mut [f64],
        logged: bool,
    ) -> Vec<LogEntry> {
        let mut log = Vec::new();
        if self.impute == Imputation::None || !col.iter().any(|x| x.is_nan()) {
            return log;
        }
        let overall = match self.impute {
            Imputation::Median => steps::median(col.iter().copied()),
            _ => steps::mean(col.iter().copied()),
        };
        // Group means in one pass: per label, (sum, count) of present values in unit order.
        let mut group_means: Vec<(f64, usize)> = Vec::new();
        if let Some(g) = groups {
            group_means = vec![(0.0, 0); g.labels().len()];
            for (x, &id) in col.iter().zip(g.ids()) {
                if !x.is_nan() {
                    let e = &mut group_means[id as usize];
                    e.0 += x;
                    e.1 += 1;
                }
            }
        }
        for (u, x) in col.iter_mut().enumerate() {
            if !x.is_nan() {
                continue;
            }
            let fill = match groups {
                Some(g) => {
                    let id = g.ids()[u] as usize;
                    match group_means[id] {
                        _ if g.labels()[id].is_empty() => f64::NAN,
                        (sum, count) if count > 0 => sum / count as f64,
                        _ => f64::NAN,
                    }
                }
                None => overall,
            };
            if fill.is_nan() {
                if logged {
                    log.push(LogEntry::NotImputed {
                        indicator: ind.code.clone(),
                        unit: units[u].clone(),
                    });
                }
            } else {
                *x = fill;
                if logged {
                    log.push(LogEntry::Imputed {
                        indicator: ind.code.clone(),
                        unit: units[u].clone(),
                        value: fill,
                        method: self.impute.clone(),
                    });
                }
            }
        }
        log
    }

    /// Steps 4-6 on prepared data with the given treatment, normalisation and plan.
    pub(crate) fn finish(
        &self,
        coin: &Coin,
        prepared: Prepared,
        plan: &AggregationPlan,
        treat: Treatment,
        normalise: Normalisation,
    ) -> Result<IndexResult, Error> {
        self.finish_with(coin, prepared, plan, treat, normalise, Detail::Full)
    }

    /// [`Pipeline::finish`], filling in what `detail` asks for.
    fn finish_with(
        &self,
        coin: &Coin,
        mut prepared: Prepared,
        plan: &AggregationPlan,
        treat: Treatment,
        normalise: Normalisation,
        detail: Detail,
    ) -> Result<IndexResult, Error> {
        let full = detail == Detail::Full;
        let mut log = std::mem::take(&mut prepared.log);
        let n = prepared.units.len();
        let values = std::mem::take(&mut prepared.values);
        let leaves = LeafMatrix::build(
            coin,
            plan,
            &prepared.units,
            Source::Owned(values),
            treat,
            normalise,
            &mut log,
        )?;
        let indicators = if full {
            par::map(coin.indicators.iter().enumerate().collect(), |(i, ind)| {
                ScoreColumn {
                    code: ind.code.clone(),
                    level: ind.level,
                    values: leaves.indicator_column(i).to_vec(),
                }
            })
        } else {
            Vec::new()
        };
        let eval = plan.evaluate_owned(prepared.units, leaves.into_leaves(plan.leaf_count()))?;
        let mut order: Vec<&AggregateMeta> = coin.aggregates.iter().collect();
        order.sort_by_key(|a| std::cmp::Reverse(a.level)); // stable: iMeta order within a level
        let mut aggregates = Vec::with_capacity(order.len());
        let mut coverage = Vec::with_capacity(order.len());
        for a in order {
            let Some(k) = plan.node_index(&a.code) else {
                continue;
            };
            aggregates.push(ScoreColumn {
                code: a.code.clone(),
                level: a.level,
                values: eval.node_column(k).to_vec(),
            });
            if full {
                coverage.push(ScoreColumn {
                    code: a.code.clone(),
                    level: a.level,
                    values: eval.coverage_column(k).to_vec(),
                });
            }
        }
        let top = coin.top().code.clone();
        let ranks = match plan.node_index(&top) {
            Some(k) => rank_descending(eval.node_column(k)),
            None => vec![None; n],
        };
        if !full {
            log.clear();
        }
        Ok(IndexResult {
            units: eval.into_units(),
            aggregates,
            coverage,
            indicators,
            top,
            ranks,
            log,
        })
    }
}

/// The unit codes [`Pipeline::prepare_with`] works with: taken out of the coin, or borrowed.
enum Units<'a> {
    Owned(Vec<String>),
    Borrowed(&'a [String]),
}

impl Units<'_> {
    fn into_vec(self) -> Vec<String> {
        match self {
            Units::Owned(v) => v,
            Units::Borrowed(v) => v.to_vec(),
        }
    }
}

/// Where [`LeafMatrix::build`] takes the prepared indicator-major values from.
pub(crate) enum Source<'a> {
    /// A matrix it may reuse.
    Owned(Vec<f64>),
    /// A matrix it copies from.
    Borrowed(&'a [f64]),
}

/// The treated and normalised indicator columns (steps 4 and 5), laid out as the plan's
/// leaves first (leaf-major, NaN = missing), then any indicators the plan does not use.
pub(crate) struct LeafMatrix {
    values: Vec<f64>,
    units: usize,
    /// The column of each indicator, in iMeta order.
    column_of: Vec<usize>,
}

impl LeafMatrix {
    /// Runs steps 4 and 5, one task per indicator (in parallel with the `parallel` feature),
    /// writing each column straight to its leaf position; appends the treatment log in
    /// indicator order.
    pub(crate) fn build(
        coin: &Coin,
        plan: &AggregationPlan,
        units: &[String],
        source: Source<'_>,
        treat: Treatment,
        normalise: Normalisation,
        log: &mut Vec<LogEntry>,
    ) -> Result<LeafMatrix, Error> {
        let n = units.len();
        let mut extra = plan.leaf_count();
        let column_of: Vec<usize> = coin
            .indicators
            .iter()
            .map(|ind| {
                plan.leaf_index(&ind.code).unwrap_or_else(|| {
                    extra += 1;
                    extra - 1
                })
            })
            .collect();
        let in_place =
            extra == coin.indicators.len() && column_of.iter().enumerate().all(|(i, &c)| i == c);
        let (mut values, source) = match source {
            // The indicators are already in leaf order: work on the owned matrix itself.
            Source::Owned(v) if in_place => (v, None),
            Source::Owned(v) => (vec![0.0; extra * n], Some(std::borrow::Cow::Owned(v))),
            Source::Borrowed(v) => (vec![0.0; extra * n], Some(std::borrow::Cow::Borrowed(v))),
        };
        let mut columns: Vec<Option<&mut [f64]>> = values.chunks_mut(n.max(1)).map(Some).collect();
        let mut tasks = Vec::with_capacity(coin.indicators.len());
        for (i, &c) in column_of.iter().enumerate() {
            if let Some(col) = columns.get_mut(c).and_then(Option::take) {
                tasks.push((i, col));
            }
        }
        // Leaves without an indicator are missing throughout.
        for col in columns.into_iter().flatten() {
            col.fill(f64::NAN);
        }
        let source = source.as_deref();
        let results = par::map(tasks, |(i, col)| {
            if let Some(src) = source {
                col.copy_from_slice(&src[i * n..(i + 1) * n]);
            }
            treat_and_normalise_column(&coin.indicators[i], units, col, treat, normalise)
        });
        for r in results {
            log.extend(r?);
        }
        Ok(LeafMatrix {
            values,
            units: n,
            column_of,
        })
    }

    /// The normalised values of indicator number `i` (iMeta order).
    pub(crate) fn indicator_column(&self, i: usize) -> &[f64] {
        let c = self.column_of[i];
        &self.values[c * self.units..(c + 1) * self.units]
    }

    /// The leaf-major matrix of the plan's leaves.
    pub(crate) fn into_leaves(mut self, leaf_count: usize) -> Vec<f64> {
        self.values.truncate(leaf_count * self.units);
        self.values
    }
}

/// Steps 4 and 5 on one indicator column in place; the treatment's log entries.
fn treat_and_normalise_column(
    ind: &IndicatorMeta,
    units: &[String],
    col: &mut [f64],
    treat: Treatment,
    normalise: Normalisation,
) -> Result<Vec<LogEntry>, Error> {
    let mut log = Vec::new();
    // 4. Treat.
    if let Treatment::Winsorise(spec) = treat {
        let (skew, kurt) = steps::skew_kurtosis_present(col);
        let passes = spec.passes_stats(skew, kurt);
        if !passes {
            let mut present: Vec<f64> = Vec::with_capacity(col.len());
            present.extend(col.iter().copied().filter(|v| !v.is_nan()));
            match steps::treat_failing(col, present, &spec, (skew, kurt)) {
                Treated::Winsorised(points) => log.push(LogEntry::Winsorised {
                    indicator: ind.code.clone(),
                    before: (skew, kurt),
                    points: points
                        .into_iter()
                        .map(|(u, a, b)| (units[u].clone(), a, b))
                        .collect(),
                }),
                Treated::LogTransformed => log.push(LogEntry::LogTransformed {
                    indicator: ind.code.clone(),
                    before: (skew, kurt),
                }),
            }
        }
    }
    // 5. Normalise (after the direction).
    normalise_column(col, ind, normalise)?;
    Ok(log)
}

fn normalise_column(col: &mut [f64], ind: &IndicatorMeta, how: Normalisation) -> Result<(), Error> {
    let dir = ind.direction.sign();
    // One pass: the direction, and the count, minimum and maximum of the present values.
    let (mut count, mut min, mut max) = (0usize, f64::INFINITY, f64::NEG_INFINITY);
    for v in col.iter_mut() {
        *v *= dir; // NaN stays NaN
        if !v.is_nan() {
            count += 1;
            min = min.min(*v);
            max = max.max(*v);
        }
    }
    if count == 0 {
        return Ok(());
    }
    let present = || col.iter().copied().filter(|v| !v.is_nan());
    // Generic, so that each formula is inlined into its loop.
    fn apply(col: &mut [f64], f: impl Fn(f64) -> f64) {
        for v in col.iter_mut().filter(|v| !v.is_nan()) {
            *v = f(*v);
        }
    }
    match how {
        Normalisation::MinMax { low, high } => {
            if max > min {
                apply(col, |x| low + (x - min) / (max - min) * (high - low));
            } else {
                apply(col, |_| (low + high) / 2.0);
            }
        }
        Normalisation::ZScore { mean, sd } => {
            let m = steps::mean(present());
            let k = count as f64;
            let s = (present().map(|x| (x - m) * (x - m)).sum::<f64>() / (k - 1.0)).sqrt();
            if s > 0.0 && s.is_finite() {
                apply(col, |x| mean + sd * (x - m) / s);
            } else {
                apply(col, |_| mean);
            }
        }
        Normalisation::Rank => {
            let r = steps::rank_ascending(col);
            col.copy_from_slice(&r);
        }
        Normalisation::PercentRank => {
            let r = steps::rank_ascending(col);
            let k = count as f64;
            for (v, r) in col.iter_mut().zip(r) {
                if !v.is_nan() {
                    *v = if k > 1.0 {
                        100.0 * (r - 1.0) / (k - 1.0)
                    } else {
                        100.0
                    };
                }
            }
        }
        Normalisation::DistanceToMax => {
            if max > min {
                apply(col, |x| 1.0 - (max - x) / (max - min));
            } else {
                apply(col, |_| 1.0);
            }
        }
        Normalisation::DistanceToTarget => {
            let target = ind.target.ok_or_else(|| {
                opt_err(
                    "normalise",
                    "dist2targ",
                    &format!("a Target for indicator {}", ind.code),
                )
            })? * dir;
            if target <= min {
                return Err(opt_err(
                    "normalise",
                    "dist2targ",
                    &format!("a Target of indicator {} beyond its worst value", ind.code),
                ));
            }
            apply(col, |x| ((x - min) / (target - min)).min(1.0));
        }
        Normalisation::Goalposts => {
            let (l, u) = ind.goalposts.ok_or_else(|| {
                opt_err(
                    "normalise",
                    "goalposts",
                    &format!(
                        "goalpost_lower and goalpost_upper for indicator {}",
                        ind.code
                    ),
                )
            })?;
            let (lo, hi) = ((l * dir).min(u * dir), (l * dir).max(u * dir));
            apply(col, |x| 100.0 * ((x - lo) / (hi - lo)).clamp(0.0, 1.0));
        }
    }
    Ok(())
}
