//! Multi-criteria prioritisation by a weighted sum over min-max normalised criteria.

use std::collections::BTreeMap;

use kompas_core::Weight;
use serde::{Deserialize, Serialize};

use crate::Error;

/// Whether more of a criterion is better or worse.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// More is better (users reached, satisfaction).
    Benefit,
    /// Less is better (cost, waiting time).
    Cost,
}

/// A criterion of a weighted sum.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Criterion {
    /// Its name.
    pub name: String,
    /// Its weight (relative; the weights are renormalised to sum to 1).
    pub weight: Weight,
    /// Whether more is better.
    pub direction: Direction,
}

/// An alternative and its raw value on each criterion, in criterion order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Alternative {
    /// Its name.
    pub name: String,
    /// One raw value per criterion.
    pub values: Vec<f64>,
}

/// The result of a weighted sum.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WeightedSum {
    /// Each alternative's score, from 0 to 1.
    pub scores: BTreeMap<String, f64>,
    /// The alternatives best first, as tiers of exactly equal scores.
    pub order: Vec<Vec<String>>,
}

/// Scores alternatives by a weighted sum over criteria normalised by min-max to 0..=1 (a cost
/// criterion reversed). A criterion on which every alternative has the same value gives each of
/// them 1, so it moves no alternative against another.
///
/// Complexity: O(a·c) for a alternatives and c criteria (plus sorting). Reference: OECD/JRC,
/// *Handbook on Constructing Composite Indicators* (2008), steps 5 (normalisation) and 6
/// (weighting and aggregation).
///
/// # Errors
/// [`Error::InvalidScore`] naming the alternative and criterion for a missing or non-finite value,
/// [`Error::ZeroWeights`] when the weights sum to 0, [`Error::InvalidOption`] for a repeated name.
///
/// ```
/// use kompas_core::Weight;
/// use kompas_value::{weighted_sum, Alternative, Criterion, Direction};
///
/// let criteria = [
///     Criterion { name: "users".into(), weight: Weight::new(2.0)?, direction: Direction::Benefit },
///     Criterion { name: "cost".into(), weight: Weight::new(1.0)?, direction: Direction::Cost },
/// ];
/// let alts = [
///     Alternative { name: "hall".into(), values: vec![400.0, 9.0] },
///     Alternative { name: "outdoor".into(), values: vec![300.0, 3.0] },
/// ];
/// let r = weighted_sum(&criteria, &alts)?;
/// assert_eq!(r.order, [["hall"], ["outdoor"]]); // 2/3 against 1/3
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn weighted_sum(
    criteria: &[Criterion],
    alternatives: &[Alternative],
) -> Result<WeightedSum, Error> {
    let total: f64 = criteria.iter().map(|c| c.weight.get()).sum();
    if !(total > 0.0 && total.is_finite()) {
        return Err(Error::ZeroWeights);
    }
    let mut seen = std::collections::BTreeSet::new();
    for a in alternatives {
        if !seen.insert(a.name.as_str()) {
            return Err(Error::InvalidOption {
                option: a.name.clone(),
            });
        }
        if a.values.len() != criteria.len() {
            return Err(Error::InvalidScore {
                alternative: a.name.clone(),
                criterion: criteria
                    .get(a.values.len())
                    .map_or_else(|| "(extra)".to_owned(), |c| c.name.clone()),
                problem: format!(
                    "{} value(s) given: expected one per criterion ({})",
                    a.values.len(),
                    criteria.len()
                ),
            });
        }
        for (v, c) in a.values.iter().zip(criteria) {
            if !v.is_finite() {
                return Err(Error::InvalidScore {
                    alternative: a.name.clone(),
                    criterion: c.name.clone(),
                    problem: format!("value {v} is invalid: expected a finite number"),
                });
            }
        }
    }
    let mut scores = vec![0.0; alternatives.len()];
    for (ci, c) in criteria.iter().enumerate() {
        let col = alternatives.iter().map(|a| a.values[ci]);
        let lo = col.clone().fold(f64::INFINITY, f64::min);
        let hi = col.fold(f64::NEG_INFINITY, f64::max);
        for (s, a) in scores.iter_mut().zip(alternatives) {
            let v = a.values[ci];
            let norm = if hi > lo {
                match c.direction {
                    Direction::Benefit => (v - lo) / (hi - lo),
                    Direction::Cost => (hi - v) / (hi - lo),
                }
            } else {
                1.0
            };
            *s += c.weight.get() / total * norm;
        }
    }
    let mut idx: Vec<usize> = (0..alternatives.len()).collect();
    idx.sort_by(|&a, &b| scores[b].total_cmp(&scores[a]).then(a.cmp(&b)));
    let mut order: Vec<Vec<String>> = Vec::new();
    let mut last = None;
    for i in idx {
        let name = alternatives[i].name.clone();
        match order.last_mut() {
            Some(t) if last == Some(scores[i]) => t.push(name),
            _ => order.push(vec![name]),
        }
        last = Some(scores[i]);
    }
    Ok(WeightedSum {
        scores: alternatives
            .iter()
            .map(|a| a.name.clone())
            .zip(scores)
            .collect(),
        order,
    })
}
