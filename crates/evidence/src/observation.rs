//! [`Observation`] and the validated [`Series`] of one indicator's observations.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use kompas_core::{IndicatorId, ObservationId, Period};
use serde::{Deserialize, Serialize};

use crate::{EquityPairing, Error};

/// Where an observed value comes from: measured, estimated, or made up to illustrate.
///
/// The embedded example must mark its invented values; a report can then print them as such.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Provenance {
    /// Measured or counted.
    #[default]
    Measured,
    /// Estimated or modelled (imputed, projected).
    Estimated,
    /// Invented to illustrate; never real data.
    Illustrative,
}

/// One observed value of an indicator for a period, optionally for a group (stratum) and with a
/// denominator (for rates and proportions).
///
/// ```
/// use kompas_core::{IndicatorId, ObservationId, Period};
/// use kompas_evidence::Observation;
///
/// let o = Observation::new(ObservationId::from_u128(1), IndicatorId::from_u128(9), Period::year(2020)?, 12.0)
///     .with_denominator(48.0)
///     .with_group("vulnerable");
/// assert_eq!(o.rate(), Some(0.25));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Observation {
    /// The id.
    pub id: ObservationId,
    /// The indicator observed.
    pub indicator: IndicatorId,
    /// The period the value covers (a single day for a dated observation).
    pub period: Period,
    /// The value (a count, when there is a denominator).
    pub value: f64,
    /// The denominator (persons tested, patient days), if the indicator is a rate.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub denominator: Option<f64>,
    /// The group or stratum (for example "vulnerable", "all"); `None` for the whole population.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// Measured, estimated or illustrative.
    #[serde(default)]
    pub provenance: Provenance,
    /// The source, in words (a table name, a survey round).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

impl Observation {
    /// Makes a measured observation with no denominator, group or source. Nothing is checked
    /// here; [`Series::new`] checks.
    pub fn new(id: ObservationId, indicator: IndicatorId, period: Period, value: f64) -> Self {
        Observation {
            id,
            indicator,
            period,
            value,
            denominator: None,
            group: None,
            provenance: Provenance::Measured,
            source: None,
        }
    }

    /// Makes an observation dated to a single day.
    pub fn on(id: ObservationId, indicator: IndicatorId, date: NaiveDate, value: f64) -> Self {
        match Period::new(date, date) {
            Ok(period) => Observation::new(id, indicator, period, value),
            Err(_) => unreachable!("a one-day period is always valid"),
        }
    }

    /// The same observation with a denominator.
    #[must_use]
    pub fn with_denominator(mut self, denominator: f64) -> Self {
        self.denominator = Some(denominator);
        self
    }

    /// The same observation for a group.
    #[must_use]
    pub fn with_group(mut self, group: impl Into<String>) -> Self {
        self.group = Some(group.into());
        self
    }

    /// The same observation with a provenance.
    #[must_use]
    pub fn with_provenance(mut self, provenance: Provenance) -> Self {
        self.provenance = provenance;
        self
    }

    /// The same observation with a source.
    #[must_use]
    pub fn with_source(mut self, source: impl Into<String>) -> Self {
        self.source = Some(source.into());
        self
    }

    /// `value / denominator`; `None` without a denominator or when it is 0.
    pub fn rate(&self) -> Option<f64> {
        match self.denominator {
            Some(d) if d > 0.0 => Some(self.value / d),
            _ => None,
        }
    }

    fn check(&self) -> Result<(), Error> {
        if !self.value.is_finite() {
            return Err(Error::NonFiniteValue {
                observation: self.id,
                value: self.value,
            });
        }
        if let Some(d) = self.denominator
            && !(d.is_finite() && d >= 0.0)
        {
            return Err(Error::InvalidDenominator {
                observation: self.id,
                value: d,
            });
        }
        Ok(())
    }
}

/// The validated observations of one indicator, sorted by group (whole population first) and
/// period.
///
/// Checks: every observation belongs to the indicator; values are finite; denominators are
/// finite and at least 0; ids are unique; within a group no two periods overlap (a month and
/// the year containing it are a duplicate). Every error names the observation. An empty series is
/// valid: missing data is data, and the analyses that use a series report what they lack. A
/// denominator of 0 is valid too; its rate is missing ([`Observation::rate`]).
///
/// ```
/// use kompas_core::{IndicatorId, ObservationId, Period};
/// use kompas_evidence::{Error, Observation, Series};
///
/// let ind = IndicatorId::from_u128(1);
/// let obs = |n: u128, year: i32, v: f64| Ok::<_, kompas_core::Error>(Observation::new(ObservationId::from_u128(n), ind, Period::year(year)?, v));
/// let s = Series::new(ind, vec![obs(2, 2021, 5.0)?, obs(1, 2020, 4.0)?])?;
/// assert_eq!(s.values(None), vec![4.0, 5.0]); // sorted by period
///
/// let err = Series::new(ind, vec![obs(1, 2020, 4.0)?, obs(3, 2020, 6.0)?]).unwrap_err();
/// assert!(matches!(err, Error::DuplicatePeriod { .. }));
/// assert!(err.to_string().starts_with("observation 00000000-0000-0000-0000-000000000003 (2020) overlaps"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// Building a series sorts it: `O(n log n)` time, `O(n)` space.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(try_from = "RawSeries")]
pub struct Series {
    indicator: IndicatorId,
    observations: Vec<Observation>,
}

#[derive(Deserialize, schemars::JsonSchema)]
struct RawSeries {
    indicator: IndicatorId,
    observations: Vec<Observation>,
}

impl TryFrom<RawSeries> for Series {
    type Error = Error;
    fn try_from(r: RawSeries) -> Result<Self, Error> {
        Series::new(r.indicator, r.observations)
    }
}

impl Series {
    /// Validates and sorts the observations of `indicator`.
    ///
    /// # Errors
    /// [`Error::ForeignObservation`], [`Error::NonFiniteValue`], [`Error::InvalidDenominator`],
    /// [`Error::DuplicateObservation`] or [`Error::DuplicatePeriod`], naming the first offending
    /// observation in input order.
    pub fn new(indicator: IndicatorId, observations: Vec<Observation>) -> Result<Self, Error> {
        let mut ids = BTreeSet::new();
        for o in &observations {
            if o.indicator != indicator {
                return Err(Error::ForeignObservation {
                    observation: o.id,
                    expected: indicator,
                    found: o.indicator,
                });
            }
            o.check()?;
            if !ids.insert(o.id) {
                return Err(Error::DuplicateObservation { observation: o.id });
            }
        }
        // Overlap check: sort positions by (group, start); within a group the period that
        // reaches furthest so far must end before the next one starts. Report the later
        // observation in input order.
        let mut order: Vec<usize> = (0..observations.len()).collect();
        order.sort_by(|&a, &b| {
            let (x, y) = (&observations[a], &observations[b]);
            (&x.group, x.period.start(), a).cmp(&(&y.group, y.period.start(), b))
        });
        let mut reach: Option<usize> = None;
        for &i in &order {
            if let Some(r) = reach {
                let (prev, cur) = (&observations[r], &observations[i]);
                if prev.group == cur.group {
                    if cur.period.start() <= prev.period.end() {
                        let (later, earlier) = if i > r { (cur, prev) } else { (prev, cur) };
                        return Err(Error::DuplicatePeriod {
                            observation: later.id,
                            period: later.period,
                            other: earlier.id,
                            other_period: earlier.period,
                            group: cur.group.clone(),
                        });
                    }
                    if cur.period.end() > prev.period.end() {
                        reach = Some(i);
                    }
                    continue;
                }
            }
            reach = Some(i);
        }
        let mut observations = observations;
        observations.sort_by(|a, b| (&a.group, a.period).cmp(&(&b.group, b.period)));
        Ok(Series {
            indicator,
            observations,
        })
    }

    /// The indicator.
    pub const fn indicator(&self) -> IndicatorId {
        self.indicator
    }

    /// All observations, sorted by group and period.
    pub fn observations(&self) -> &[Observation] {
        &self.observations
    }

    /// The number of observations.
    pub fn len(&self) -> usize {
        self.observations.len()
    }

    /// Whether there are no observations.
    pub fn is_empty(&self) -> bool {
        self.observations.is_empty()
    }

    /// The groups present, `None` (the whole population) first.
    pub fn groups(&self) -> Vec<Option<&str>> {
        let set: BTreeSet<Option<&str>> = self
            .observations
            .iter()
            .map(|o| o.group.as_deref())
            .collect();
        set.into_iter().collect()
    }

    /// The observations of one group (`None`: the whole population), in period order.
    pub fn group(&self, group: Option<&str>) -> impl Iterator<Item = &Observation> {
        self.observations
            .iter()
            .filter(move |o| o.group.as_deref() == group)
    }

    /// The values of one group, in period order.
    pub fn values(&self, group: Option<&str>) -> Vec<f64> {
        self.group(group).map(|o| o.value).collect()
    }

    /// The rates (`value / denominator`) of one group, in period order; `None` where the
    /// denominator is missing or 0.
    pub fn rates(&self, group: Option<&str>) -> Vec<Option<f64>> {
        self.group(group).map(Observation::rate).collect()
    }

    /// The gap `vulnerable - reference` per period where both groups have an observation of the
    /// same period, using rates where both have denominators and values otherwise.
    pub fn equity_gap(&self, pairing: &EquityPairing) -> BTreeMap<Period, f64> {
        let level = |o: &Observation| o.rate().unwrap_or(o.value);
        let reference: BTreeMap<Period, &Observation> = self
            .group(Some(pairing.reference_group.as_str()))
            .map(|o| (o.period, o))
            .collect();
        self.group(Some(pairing.vulnerable_group.as_str()))
            .filter_map(|v| {
                let r = reference.get(&v.period)?;
                let both_rates = v.rate().is_some() && r.rate().is_some();
                let gap = if both_rates {
                    level(v) - level(r)
                } else {
                    v.value - r.value
                };
                Some((v.period, gap))
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ind() -> IndicatorId {
        IndicatorId::from_u128(1)
    }

    fn month(n: u128, m: u32, v: f64) -> Observation {
        let start = NaiveDate::from_ymd_opt(2021, m, 1).unwrap();
        let end = NaiveDate::from_ymd_opt(2021, m + 1, 1)
            .unwrap()
            .pred_opt()
            .unwrap();
        Observation::new(
            ObservationId::from_u128(n),
            ind(),
            Period::new(start, end).unwrap(),
            v,
        )
    }

    #[test]
    fn overlapping_periods_name_both_observations() {
        let year = Observation::new(
            ObservationId::from_u128(9),
            ind(),
            Period::year(2021).unwrap(),
            1.0,
        );
        let err = Series::new(ind(), vec![month(1, 3, 1.0), year]).unwrap_err();
        assert_eq!(
            err,
            Error::DuplicatePeriod {
                observation: ObservationId::from_u128(9),
                period: Period::year(2021).unwrap(),
                other: ObservationId::from_u128(1),
                other_period: month(1, 3, 1.0).period,
                group: None,
            }
        );
    }

    #[test]
    fn same_period_in_other_groups_is_fine() {
        let s = Series::new(
            ind(),
            vec![
                month(1, 3, 1.0).with_group("all"),
                month(2, 3, 2.0).with_group("vulnerable"),
                month(3, 3, 3.0),
            ],
        )
        .unwrap();
        assert_eq!(s.groups(), vec![None, Some("all"), Some("vulnerable")]);
        let gap = s.equity_gap(&EquityPairing {
            vulnerable_group: "vulnerable".into(),
            reference_group: "all".into(),
            description: None,
        });
        assert_eq!(gap.values().copied().collect::<Vec<_>>(), vec![1.0]);
    }

    #[test]
    fn bad_values_and_denominators_name_the_observation() {
        let err = Series::new(ind(), vec![month(4, 1, f64::NAN)]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "observation 00000000-0000-0000-0000-000000000004 has value NaN: expected a finite number"
        );
        let err = Series::new(ind(), vec![month(5, 1, 1.0).with_denominator(-2.0)]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "observation 00000000-0000-0000-0000-000000000005 has denominator -2: expected a finite number >= 0"
        );
        let other = Observation {
            indicator: IndicatorId::from_u128(2),
            ..month(6, 1, 1.0)
        };
        assert!(matches!(
            Series::new(ind(), vec![other]),
            Err(Error::ForeignObservation { .. })
        ));
        let err = Series::new(ind(), vec![month(7, 1, 1.0), month(7, 2, 1.0)]).unwrap_err();
        assert!(matches!(err, Error::DuplicateObservation { .. }));
    }

    #[test]
    fn loading_checks_again() {
        let s = Series::new(ind(), vec![month(1, 3, 1.0), month(2, 4, 2.0)]).unwrap();
        let json = serde_json::to_string(&s).unwrap();
        assert_eq!(serde_json::from_str::<Series>(&json).unwrap(), s);
        let dup = json
            .replace("2021-04-01", "2021-03-01")
            .replace("2021-04-30", "2021-03-31");
        let err = serde_json::from_str::<Series>(&dup).unwrap_err();
        assert!(
            err.to_string()
                .starts_with("observation 00000000-0000-0000-0000-000000000002 (2021-03-01..=2021-03-31) overlaps"),
            "{err}"
        );
    }

    #[test]
    fn zero_denominator_has_no_rate() {
        assert_eq!(month(1, 1, 3.0).with_denominator(0.0).rate(), None);
    }
}
