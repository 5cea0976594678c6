//! The NHS "Making Data Count" special-cause rules, the assurance call and the latest-signal
//! summary other kompas crates use.
//!
//! Reference: NHS England / Improvement, *Making Data Count: Getting Started* (2019) and
//! *Strengthening your decisions* (2019); the rule helpers follow NHSRplotthedots 0.2 (NHS-R
//! community), whose published rule vectors the tests reproduce.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Chart, SpcError};

/// Which direction of change is an improvement.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Improvement {
    /// Higher is better.
    Increase,
    /// Lower is better.
    Decrease,
    /// No direction is better; special causes are high or low.
    #[default]
    Neutral,
}

impl Improvement {
    fn sign(self) -> i8 {
        match self {
            Improvement::Increase => 1,
            Improvement::Decrease => -1,
            Improvement::Neutral => 0,
        }
    }
}

impl std::str::FromStr for Improvement {
    type Err = SpcError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "increase" => Ok(Improvement::Increase),
            "decrease" => Ok(Improvement::Decrease),
            "neutral" => Ok(Improvement::Neutral),
            _ => Err(SpcError::UnknownName {
                what: "improvement direction",
                name: s.to_owned(),
                expected: "increase, decrease, neutral",
            }),
        }
    }
}

/// The NHS classification of one point.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum PointType {
    /// A special cause in the improving direction.
    SpecialCauseImprovement,
    /// A special cause in the worsening direction.
    SpecialCauseConcern,
    /// A special cause above the mean, without an improvement direction.
    SpecialCauseNeutralHigh,
    /// A special cause below the mean, without an improvement direction.
    SpecialCauseNeutralLow,
    /// Common-cause variation.
    CommonCause,
}

impl PointType {
    /// The snake-case name used in CSV output (`special_cause_improvement`, ...).
    pub fn as_str(self) -> &'static str {
        match self {
            PointType::SpecialCauseImprovement => "special_cause_improvement",
            PointType::SpecialCauseConcern => "special_cause_concern",
            PointType::SpecialCauseNeutralHigh => "special_cause_neutral_high",
            PointType::SpecialCauseNeutralLow => "special_cause_neutral_low",
            PointType::CommonCause => "common_cause",
        }
    }
}

impl fmt::Display for PointType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether the process will meet a target, judged from its limits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Assurance {
    /// The target lies beyond the limits on the failing side: every point will pass.
    ConsistentPass,
    /// The target lies beyond the limits on the improving side: every point will fail.
    ConsistentFail,
    /// The target lies between the limits: the process will sometimes pass, sometimes fail.
    Inconsistent,
}

/// What the latest part of a chart says, for triangulation and the follow-up report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum LatestSignal {
    /// The most recent special cause in the latest part is an improvement.
    Improvement,
    /// The most recent special cause in the latest part is a concern.
    Concern,
    /// A special cause without an improvement direction.
    Neutral,
    /// Only common-cause variation in the latest part.
    NoSignal,
}

/// `true` at each point that ends 7 points in a row on the same side of the mean (`rtm` is the
/// sign of y minus the mean; 0 breaks a run).
pub(crate) fn seven_point_one_side(rtm: &[i8]) -> Vec<bool> {
    let mut out = vec![false; rtm.len()];
    let mut run = 0usize;
    for i in 0..rtm.len() {
        run = if rtm[i] != 0 && i > 0 && rtm[i] == rtm[i - 1] {
            run + 1
        } else if rtm[i] != 0 {
            1
        } else {
            0
        };
        out[i] = run >= 7;
    }
    out
}

/// `+1`/`-1` at each point that ends 7 strictly increasing/decreasing points.
pub(crate) fn seven_point_trend(y: &[f64]) -> Vec<i8> {
    let mut out = vec![0i8; y.len()];
    let (mut up, mut down) = (1usize, 1usize);
    for i in 1..y.len() {
        up = if y[i] > y[i - 1] { up + 1 } else { 1 };
        down = if y[i] < y[i - 1] { down + 1 } else { 1 };
        out[i] = if up >= 7 {
            1
        } else if down >= 7 {
            -1
        } else {
            0
        };
    }
    out
}

/// Marks the 7 points that end at each flagged point.
pub(crate) fn part_of_seven<T: Copy + Default + PartialEq>(ends: &[T]) -> Vec<T> {
    let mut out = vec![T::default(); ends.len()];
    for i in 0..ends.len() {
        if ends[i] != T::default() {
            for slot in &mut out[i.saturating_sub(6)..=i] {
                if *slot == T::default() {
                    *slot = ends[i];
                }
            }
        }
    }
    out
}

/// Marks the three points of every window of three with at least two points close to (beyond
/// two sigma from) the mean and all three on the same side.
pub(crate) fn two_in_three(close: &[bool], rtm: &[i8]) -> Vec<bool> {
    let mut out = vec![false; close.len()];
    for i in 2..close.len() {
        let near = close[i - 2..=i].iter().filter(|&&c| c).count();
        let side: i32 = rtm[i - 2..=i].iter().map(|&s| i32::from(s)).sum();
        if near >= 2 && side.abs() == 3 {
            out[i - 2..=i].fill(true);
        }
    }
    out
}

/// Of the windows [`two_in_three`] marks, keeps the points that are themselves close.
pub(crate) fn part_of_two_in_three(marked: &[bool], close: &[bool]) -> Vec<bool> {
    marked.iter().zip(close).map(|(&m, &c)| m && c).collect()
}

fn sign(d: f64) -> i8 {
    if d > 0.0 {
        1
    } else if d < 0.0 {
        -1
    } else {
        0
    }
}

/// Classifies every point of `chart` with the NHS rules, part by part, in priority order: a point
/// outside the limits; a trend of 7 points; two of three points beyond two sigma on one side; a
/// shift of 7 points on one side of the mean. The first rule that holds gives the direction of the
/// special cause (the side of the mean, or for a trend its direction); with an improvement
/// direction it becomes an improvement or a concern. Run charts, without limits, use the trend and
/// shift rules only. Missing points are common cause and are skipped by the sequence rules.
///
/// Complexity: O(n) time and space.
///
/// ```
/// use kompas_evidence::spc::{nhs_point_types, Chart, ChartOptions, ChartType, Improvement, PointType, Series};
///
/// let mut y = vec![10.0, 11.0, 9.0, 10.0, 11.0, 9.0, 10.0, 11.0, 9.0, 10.0];
/// y.push(30.0);
/// let chart = Chart::compute(&Series::from_values(&y), &ChartOptions::new(ChartType::I).freeze(10))?;
/// let types = nhs_point_types(&chart, Improvement::Decrease);
/// assert_eq!(types[10], PointType::SpecialCauseConcern);
/// assert_eq!(types[0], PointType::CommonCause);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn nhs_point_types(chart: &Chart, improvement: Improvement) -> Vec<PointType> {
    let mut out = vec![PointType::CommonCause; chart.points.len()];
    for part in &chart.parts {
        let idx: Vec<usize> = (part.first - 1..part.last)
            .filter(|&i| chart.points.get(i).is_some_and(|p| p.y.is_some()))
            .collect();
        let pts: Vec<_> = idx.iter().map(|&i| &chart.points[i]).collect();
        let y: Vec<f64> = pts.iter().map(|p| p.y.unwrap_or(f64::NAN)).collect();
        let rtm: Vec<i8> = pts
            .iter()
            .zip(&y)
            .map(|(p, &v)| p.cl.map_or(0, |cl| sign(v - cl)))
            .collect();
        let outside: Vec<bool> = pts.iter().map(|p| p.sigma_signal).collect();
        let close: Vec<bool> = pts
            .iter()
            .zip(&y)
            .map(|(p, &v)| p.ucl_95.is_some_and(|u| v > u) || p.lcl_95.is_some_and(|l| v < l))
            .collect();
        let trend = part_of_seven(&seven_point_trend(&y));
        let two = part_of_two_in_three(&two_in_three(&close, &rtm), &close);
        let shift = part_of_seven(&seven_point_one_side(&rtm));
        for k in 0..pts.len() {
            let dir = if outside[k] {
                rtm[k]
            } else if trend[k] != 0 {
                trend[k]
            } else if two[k] || shift[k] {
                rtm[k]
            } else {
                0
            };
            out[idx[k]] = classify(dir, improvement);
        }
    }
    out
}

fn classify(dir: i8, improvement: Improvement) -> PointType {
    match (dir, improvement.sign()) {
        (0, _) => PointType::CommonCause,
        (d, 0) if d > 0 => PointType::SpecialCauseNeutralHigh,
        (_, 0) => PointType::SpecialCauseNeutralLow,
        (d, i) if d == i => PointType::SpecialCauseImprovement,
        _ => PointType::SpecialCauseConcern,
    }
}

/// The NHS assurance call of the latest part against `target`: the limits of its last point
/// decide. `None` without an improvement direction, without limits, or with a non-finite target.
///
/// ```
/// use kompas_evidence::spc::{assurance, Assurance, Chart, ChartOptions, ChartType, Improvement, Series};
///
/// let chart = Chart::compute(&Series::from_values(&[5.0, 6.0, 5.0, 6.0, 5.0]), &ChartOptions::new(ChartType::I))?;
/// assert_eq!(assurance(&chart, Improvement::Increase, 2.0), Some(Assurance::ConsistentPass));
/// assert_eq!(assurance(&chart, Improvement::Increase, 5.5), Some(Assurance::Inconsistent));
/// assert_eq!(assurance(&chart, Improvement::Decrease, 2.0), Some(Assurance::ConsistentFail));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn assurance(chart: &Chart, improvement: Improvement, target: f64) -> Option<Assurance> {
    let last = chart.points.last()?;
    let (lcl, ucl) = (last.lcl?, last.ucl?);
    if !target.is_finite() || improvement == Improvement::Neutral {
        return None;
    }
    let above = target > ucl;
    let below = target < lcl;
    Some(match (improvement, above, below) {
        (_, false, false) => Assurance::Inconsistent,
        (Improvement::Increase, true, _) | (Improvement::Decrease, _, true) => {
            Assurance::ConsistentFail
        }
        _ => Assurance::ConsistentPass,
    })
}

/// The signal of the latest part of `chart` under the NHS rules: the type of its most recent
/// special-cause point, or [`LatestSignal::NoSignal`].
///
/// Complexity: O(n).
///
/// ```
/// use kompas_evidence::spc::{latest_signal, Chart, ChartOptions, ChartType, Improvement, LatestSignal, Series};
///
/// let y = [5.0, 6.0, 5.0, 6.0, 5.0, 6.0, 5.0, 6.0, 9.0];
/// let chart = Chart::compute(&Series::from_values(&y), &ChartOptions::new(ChartType::I).freeze(8))?;
/// assert_eq!(latest_signal(&chart, Improvement::Increase), LatestSignal::Improvement);
/// assert_eq!(latest_signal(&chart, Improvement::Decrease), LatestSignal::Concern);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn latest_signal(chart: &Chart, improvement: Improvement) -> LatestSignal {
    let Some(part) = chart.parts.last() else {
        return LatestSignal::NoSignal;
    };
    let types = nhs_point_types(chart, improvement);
    let latest = types
        .get(part.first - 1..part.last)
        .and_then(|t| t.iter().rev().find(|t| **t != PointType::CommonCause));
    match latest {
        Some(PointType::SpecialCauseImprovement) => LatestSignal::Improvement,
        Some(PointType::SpecialCauseConcern) => LatestSignal::Concern,
        Some(_) => LatestSignal::Neutral,
        None => LatestSignal::NoSignal,
    }
}
