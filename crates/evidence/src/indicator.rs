//! [`Indicator`]: what is measured, in which unit, which way is better, and what kind of knowledge
//! it is (value level, purpose, source, perspective, equity pairing).

use kompas_core::{IndicatorId, Period, Perspective, Text};
use serde::{Deserialize, Serialize};

use crate::Error;

/// What an indicator tells about the work, from "how much did we do" to the lived life.
///
/// The first three levels follow Friedman's Results-Based Accountability performance measures
/// ("how much did we do? how well did we do it? is anyone better off?", M. Friedman, *Trying Hard
/// Is Not Good Enough*, 2005); the fourth is Aarhuskompasset's value: an outcome in the lived life,
/// defined with citizens rather than at the desk. The levels are ordered from output to value.
///
/// ```
/// use kompas_evidence::ValueLevel;
/// assert!(ValueLevel::Output < ValueLevel::Value);
/// assert_eq!(ValueLevel::Effect.question_en(), "is anyone better off?");
/// ```
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ValueLevel {
    /// Output: how much did we do (ydelse).
    Output,
    /// Quality: how well did we do it (kvalitet).
    Quality,
    /// Effect: is anyone better off (effekt).
    Effect,
    /// Value: an outcome in the lived life, defined with citizens (værdi).
    Value,
}

impl ValueLevel {
    /// All levels, from output to value.
    pub const ALL: [ValueLevel; 4] = [
        ValueLevel::Output,
        ValueLevel::Quality,
        ValueLevel::Effect,
        ValueLevel::Value,
    ];

    /// The question the level answers, in English.
    pub const fn question_en(self) -> &'static str {
        match self {
            ValueLevel::Output => "how much did we do?",
            ValueLevel::Quality => "how well did we do it?",
            ValueLevel::Effect => "is anyone better off?",
            ValueLevel::Value => "what difference does it make in the lived life?",
        }
    }

    /// The question the level answers, in Danish.
    pub const fn question_da(self) -> &'static str {
        match self {
            ValueLevel::Output => "hvor meget gjorde vi?",
            ValueLevel::Quality => "hvor godt gjorde vi det?",
            ValueLevel::Effect => "er nogen bedre stillet?",
            ValueLevel::Value => "hvilken forskel gør det i det levede liv?",
        }
    }
}

/// What an indicator's data is for: long-term strategy, or local quality improvement. The
/// framework keeps the two apart (data for steering is not data for learning at the front line).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    /// Follow-up of long-term, strategic goals (for example the Aarhus goals).
    Strategic,
    /// Local quality improvement: run charts, PDSA cycles.
    LocalImprovement,
}

/// Where an indicator's data comes from.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum SourceKind {
    /// Administrative registers (for example Statistics Denmark, Aarhus i Tal).
    Register,
    /// A survey of citizens, users or employees.
    Survey,
    /// Structured observation or counting in practice.
    Observation,
    /// Dialogue: meetings, interviews, citizens' panels, turned into a measure.
    Dialogue,
}

/// A range `low..=high` with finite ends and `low < high`: an indicator's goalposts or its
/// target band.
///
/// ```
/// use kompas_evidence::Range;
/// let r = Range::new(10.0, 20.0)?;
/// assert!(r.contains(15.0));
/// assert!(Range::new(5.0, 5.0).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(try_from = "RawRange")]
pub struct Range {
    low: f64,
    high: f64,
}

#[derive(Deserialize, schemars::JsonSchema)]
struct RawRange {
    low: f64,
    high: f64,
}

impl TryFrom<RawRange> for Range {
    type Error = Error;
    fn try_from(r: RawRange) -> Result<Self, Error> {
        Range::new(r.low, r.high)
    }
}

impl Range {
    /// Checks and makes a range.
    ///
    /// # Errors
    /// [`Error::InvalidRange`] unless both ends are finite and `low < high`.
    pub fn new(low: f64, high: f64) -> Result<Self, Error> {
        if low.is_finite() && high.is_finite() && low < high {
            Ok(Range {
                low: low + 0.0,
                high: high + 0.0,
            })
        } else {
            Err(Error::InvalidRange {
                field: "range",
                low,
                high,
            })
        }
    }

    /// The low end.
    pub const fn low(&self) -> f64 {
        self.low
    }

    /// The high end.
    pub const fn high(&self) -> f64 {
        self.high
    }

    /// Whether `value` lies in `low..=high`.
    pub fn contains(&self, value: f64) -> bool {
        self.low <= value && value <= self.high
    }
}

/// Which values of an indicator are better.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Higher values are better (employment, well-being).
    HigherIsBetter,
    /// Lower values are better (loneliness, emissions).
    LowerIsBetter,
    /// Values inside the band are best (waiting time neither too short to be safe nor too long).
    TargetBand(Range),
}

/// A target value, optionally to be reached within a period.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(try_from = "RawTarget")]
pub struct Target {
    value: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    period: Option<Period>,
}

#[derive(Deserialize, schemars::JsonSchema)]
struct RawTarget {
    value: f64,
    #[serde(default)]
    period: Option<Period>,
}

impl TryFrom<RawTarget> for Target {
    type Error = Error;
    fn try_from(r: RawTarget) -> Result<Self, Error> {
        Target::new(r.value, r.period)
    }
}

impl Target {
    /// Checks and makes a target.
    ///
    /// # Errors
    /// [`Error::NonFinite`] when `value` is NaN or infinite.
    pub fn new(value: f64, period: Option<Period>) -> Result<Self, Error> {
        if value.is_finite() {
            Ok(Target {
                value: value + 0.0,
                period,
            })
        } else {
            Err(Error::NonFinite {
                field: "target value",
                value,
            })
        }
    }

    /// The target value.
    pub const fn value(&self) -> f64 {
        self.value
    }

    /// The period within which the target should be met, if any.
    pub const fn period(&self) -> Option<Period> {
        self.period
    }
}

/// An equity pairing: the indicator is followed for a vulnerable group against a reference group
/// (usually all citizens), and the gap between them is what matters. The groups are the group
/// codes ([`Observation::group`](crate::Observation)) their observations carry.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct EquityPairing {
    /// The group code of the vulnerable group (for example "vulnerable").
    pub vulnerable_group: String,
    /// The group code of the reference group (for example "all").
    pub reference_group: String,
    /// Who the vulnerable group is, in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<Text>,
}

/// An indicator: what is measured, in which unit, which way is better, and what kind of knowledge
/// it is.
///
/// ```
/// use kompas_core::{IndicatorId, Perspective, Text};
/// use kompas_evidence::{Direction, Indicator, Purpose, Range, SourceKind, ValueLevel};
///
/// let lonely = Indicator::new(
///     IndicatorId::from_name("aarhus/loneliness"),
///     Text::both("Ensomhed", "Loneliness")?,
///     "% of respondents",
///     Direction::LowerIsBetter,
///     ValueLevel::Value,
///     Purpose::Strategic,
///     SourceKind::Survey,
///     Perspective::Citizen,
/// )
/// .with_goalposts(Range::new(0.0, 40.0)?);
/// assert_eq!(lonely.score(10.0), Some(75.0));
/// assert_eq!(lonely.score(55.0), Some(0.0)); // clamped at the goalpost
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Indicator {
    /// The id.
    pub id: IndicatorId,
    /// The name.
    pub name: Text,
    /// The unit, in words ("%", "persons", "t CO2e per capita").
    pub unit: String,
    /// Which values are better.
    pub direction: Direction,
    /// Output, quality, effect or value.
    pub value_level: ValueLevel,
    /// Strategic or local improvement.
    pub purpose: Purpose,
    /// Where the data comes from.
    pub source: SourceKind,
    /// Whose perspective the data carries.
    pub perspective: Perspective,
    /// The worst and best plausible values, for scoring on 0-100.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goalposts: Option<Range>,
    /// A target value.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target: Option<Target>,
    /// The equity pairing the indicator follows, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub equity: Option<EquityPairing>,
}

impl Indicator {
    /// Makes an indicator without goalposts, target or equity pairing.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        id: IndicatorId,
        name: Text,
        unit: impl Into<String>,
        direction: Direction,
        value_level: ValueLevel,
        purpose: Purpose,
        source: SourceKind,
        perspective: Perspective,
    ) -> Self {
        Indicator {
            id,
            name,
            unit: unit.into(),
            direction,
            value_level,
            purpose,
            source,
            perspective,
            goalposts: None,
            target: None,
            equity: None,
        }
    }

    /// The same indicator with goalposts.
    #[must_use]
    pub fn with_goalposts(mut self, goalposts: Range) -> Self {
        self.goalposts = Some(goalposts);
        self
    }

    /// The same indicator with a target.
    #[must_use]
    pub fn with_target(mut self, target: Target) -> Self {
        self.target = Some(target);
        self
    }

    /// The same indicator with an equity pairing.
    #[must_use]
    pub fn with_equity(mut self, equity: EquityPairing) -> Self {
        self.equity = Some(equity);
        self
    }

    /// Scores `value` on 0 (worst goalpost) to 100 (best), clamped; `None` without goalposts, for
    /// a value that is not finite, or for goalposts too close to tell apart (subnormal width).
    ///
    /// Higher is better: `100 (v - low) / (high - low)`; lower is better: `100 (high - v) /
    /// (high - low)` (the goalpost method of the UNDP Human Development Index). A target band
    /// scores 100 inside the band and falls linearly to 0 at the goalpost on either side; a
    /// band end on or beyond its goalpost scores values beyond the band 0.
    pub fn score(&self, value: f64) -> Option<f64> {
        let gp = self.goalposts?;
        if !value.is_finite() {
            return None;
        }
        let (low, high) = (gp.low, gp.high);
        // (a - b) / (c - d) on halves, so that differences of finite numbers never overflow.
        let ratio = |a: f64, b: f64, c: f64, d: f64| (a / 2.0 - b / 2.0) / (c / 2.0 - d / 2.0);
        let s = match self.direction {
            Direction::HigherIsBetter => ratio(value, low, high, low),
            Direction::LowerIsBetter => ratio(high, value, high, low),
            Direction::TargetBand(band) => {
                if band.contains(value) {
                    1.0
                } else if value < band.low {
                    if band.low > low {
                        ratio(value, low, band.low, low)
                    } else {
                        0.0
                    }
                } else if band.high < high {
                    ratio(high, value, high, band.high)
                } else {
                    0.0
                }
            }
        };
        // Goalposts a few subnormals apart can still give 0 / 0: no score rather than NaN.
        (!s.is_nan()).then(|| 100.0 * s.clamp(0.0, 1.0))
    }

    /// Whether `b` is better than `a` for this indicator (`Some(Ordering::Greater)`), worse, or
    /// equally good. For a target band, closeness to the band counts. `None` if either value is
    /// not finite.
    pub fn compare(&self, a: f64, b: f64) -> Option<std::cmp::Ordering> {
        if !a.is_finite() || !b.is_finite() {
            return None;
        }
        match self.direction {
            Direction::HigherIsBetter => b.partial_cmp(&a),
            Direction::LowerIsBetter => a.partial_cmp(&b),
            Direction::TargetBand(band) => {
                let dist = |v: f64| {
                    if v < band.low {
                        band.low - v
                    } else if v > band.high {
                        v - band.high
                    } else {
                        0.0
                    }
                };
                dist(a).partial_cmp(&dist(b))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cmp::Ordering;

    fn ind(direction: Direction) -> Indicator {
        Indicator::new(
            IndicatorId::from_u128(1),
            Text::en("x").unwrap(),
            "%",
            direction,
            ValueLevel::Effect,
            Purpose::LocalImprovement,
            SourceKind::Observation,
            Perspective::Employee,
        )
        .with_goalposts(Range::new(0.0, 100.0).unwrap())
    }

    #[test]
    fn range_rejects_bad_ends_with_message() {
        let err = Range::new(3.0, 1.0).unwrap_err();
        assert_eq!(
            err.to_string(),
            "range 3..1 is invalid: expected finite ends with 3 below 1"
        );
        assert!(Range::new(f64::NAN, 1.0).is_err());
        assert!(serde_json::from_str::<Range>(r#"{"low":2,"high":1}"#).is_err());
    }

    #[test]
    fn target_band_scores_peak_inside() {
        let i = ind(Direction::TargetBand(Range::new(40.0, 60.0).unwrap()));
        assert_eq!(i.score(50.0), Some(100.0));
        assert_eq!(i.score(20.0), Some(50.0));
        assert_eq!(i.score(80.0), Some(50.0));
        assert_eq!(i.score(f64::NAN), None);
        assert_eq!(i.compare(10.0, 30.0), Some(Ordering::Greater));
        assert_eq!(i.compare(45.0, 55.0), Some(Ordering::Equal));
    }

    #[test]
    fn lower_is_better_compares_and_scores() {
        let i = ind(Direction::LowerIsBetter);
        assert_eq!(i.compare(10.0, 5.0), Some(Ordering::Greater));
        assert_eq!(i.score(25.0), Some(75.0));
        let no_gp = Indicator {
            goalposts: None,
            ..i
        };
        assert_eq!(no_gp.score(25.0), None);
    }

    #[test]
    fn extreme_goalposts_do_not_overflow() {
        let mut i = ind(Direction::HigherIsBetter);
        i.goalposts = Some(Range::new(-f64::MAX, f64::MAX).unwrap());
        assert_eq!(i.score(f64::MAX), Some(100.0));
        assert_eq!(i.score(0.0), Some(50.0));
        i.goalposts = Some(Range::new(0.0, f64::from_bits(1)).unwrap());
        assert_eq!(i.score(0.0), None);
    }

    #[test]
    fn target_rejects_nan() {
        let err = Target::new(f64::INFINITY, None).unwrap_err();
        assert_eq!(
            err.to_string(),
            "target value inf is invalid: expected a finite number"
        );
    }
}
