//! Learning cycles after the Model for Improvement's Plan-Do-Study-Act ([`LearningCycle`]), a
//! validated [`LearningLog`] of chained cycles, and the [`MandateQuestion`]s learning raises.
//!
//! The fields follow G. Langley et al., *The Improvement Guide* (2nd ed., 2009): an aim, outcome,
//! process and balancing measures, a change idea with a prediction, then plan, do, study (the
//! result against the prediction) and act (adopt, adapt, abandon). Cycles chain: each may name the
//! cycle it builds on.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use kompas_core::{GoalId, IndicatorId, InitiativeId, LearningCycleId, Text};
use serde::{Deserialize, Serialize};

use crate::{Error, QuantSignal};

/// The role of a measure in a PDSA cycle.
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
pub enum MeasureKind {
    /// Outcome: is the aim being met?
    Outcome,
    /// Process: are the parts of the system doing what was planned?
    Process,
    /// Balancing: is the change making something else worse?
    Balancing,
}

/// A measure of a cycle, optionally an indicator.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct Measure {
    /// Outcome, process or balancing.
    pub kind: MeasureKind,
    /// What is measured.
    pub name: Text,
    /// The indicator behind the measure, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub indicator: Option<IndicatorId>,
}

/// A direction of change of an outcome, predicted or observed.
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
pub enum ChangeDirection {
    /// Things get better.
    Improvement,
    /// Things get worse.
    Deterioration,
    /// No real change.
    NoChange,
}

/// What the team predicts the change will do.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct Prediction {
    /// The prediction in words.
    pub text: Text,
    /// The predicted direction of the outcome.
    pub expected: ChangeDirection,
}

/// What happened while carrying out the plan.
#[derive(
    Debug,
    Clone,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
pub struct DoPhase {
    /// Observations made while doing.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub observations: Vec<Text>,
    /// What nobody expected.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub surprises: Vec<Text>,
}

/// The study of the result against the prediction.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct Study {
    /// The result in words.
    pub result: Text,
    /// The observed direction of the outcome.
    pub observed: ChangeDirection,
    /// The signal on the outcome measure's run or control chart, if there is one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signal: Option<QuantSignal>,
}

/// The decision after studying.
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
pub enum ActDecision {
    /// Adopt the change.
    Adopt,
    /// Adapt it and test again.
    Adapt,
    /// Abandon it.
    Abandon,
}

/// A request, made while acting, to revisit a goal: what was learned questions the mandate.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct GoalRevisit {
    /// The goal to revisit.
    pub goal: GoalId,
    /// The question for those who hold the mandate.
    pub question: Text,
}

/// The act phase.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct Act {
    /// Adopt, adapt or abandon.
    pub decision: ActDecision,
    /// Why, in words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Text>,
    /// Goals whose mandate the team asks to revisit.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub revisit: Vec<GoalRevisit>,
}

/// How a cycle's result compares with its prediction.
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
pub enum PredictionCheck {
    /// Not studied yet.
    Pending,
    /// The result went the predicted way.
    Confirmed,
    /// The result contradicts the prediction: flag the cycle for reflection.
    Contradicted,
}

/// One Plan-Do-Study-Act cycle.
///
/// ```
/// use kompas_core::{LearningCycleId, Text};
/// use kompas_evidence::{ChangeDirection, LearningCycle, Prediction, PredictionCheck, QuantSignal, Study};
///
/// let mut c = LearningCycle::new(
///     LearningCycleId::from_u128(1),
///     Text::en("Fewer falls in home care")?,
///     Text::en("Daily balance exercises with the home carer")?,
///     Prediction { text: Text::en("Falls drop within two months")?, expected: ChangeDirection::Improvement },
/// );
/// assert_eq!(c.prediction_check(), PredictionCheck::Pending);
/// c.study = Some(Study {
///     result: Text::en("Falls rose")?,
///     observed: ChangeDirection::Deterioration,
///     signal: Some(QuantSignal::SpecialCauseDeterioration),
/// });
/// assert_eq!(c.prediction_check(), PredictionCheck::Contradicted);
/// assert!(c.needs_reflection());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct LearningCycle {
    /// The id.
    pub id: LearningCycleId,
    /// The aim: what are we trying to accomplish?
    pub aim: Text,
    /// The goals the cycle works towards.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub goals: BTreeSet<GoalId>,
    /// The initiatives the cycle belongs to.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub initiatives: BTreeSet<InitiativeId>,
    /// How we will know a change is an improvement.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub measures: Vec<Measure>,
    /// The change tested.
    pub change_idea: Text,
    /// What the team predicts.
    pub prediction: Prediction,
    /// The plan: who, what, when, where.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub plan: Option<Text>,
    /// What happened while doing.
    #[serde(rename = "do", default)]
    pub carried_out: DoPhase,
    /// The study, once made.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub study: Option<Study>,
    /// The act, once decided.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub act: Option<Act>,
    /// The cycle this one builds on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub predecessor: Option<LearningCycleId>,
    /// When the cycle started.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub started: Option<NaiveDate>,
}

impl LearningCycle {
    /// A cycle with an aim, a change idea and a prediction; everything else empty.
    pub fn new(id: LearningCycleId, aim: Text, change_idea: Text, prediction: Prediction) -> Self {
        LearningCycle {
            id,
            aim,
            goals: BTreeSet::new(),
            initiatives: BTreeSet::new(),
            measures: Vec::new(),
            change_idea,
            prediction,
            plan: None,
            carried_out: DoPhase::default(),
            study: None,
            act: None,
            predecessor: None,
            started: None,
        }
    }

    /// The indicators behind the cycle's measures, sorted.
    pub fn indicators(&self) -> BTreeSet<IndicatorId> {
        self.measures.iter().filter_map(|m| m.indicator).collect()
    }

    /// Compares the study with the prediction. The result contradicts the prediction when the
    /// observed direction differs from the predicted one, or when the chart signals a special
    /// cause opposite to the predicted direction.
    pub fn prediction_check(&self) -> PredictionCheck {
        let Some(study) = &self.study else {
            return PredictionCheck::Pending;
        };
        let expected = self.prediction.expected;
        let signal_disagrees = match (study.signal, expected) {
            (Some(QuantSignal::SpecialCauseImprovement), ChangeDirection::Improvement) => false,
            (Some(QuantSignal::SpecialCauseDeterioration), ChangeDirection::Deterioration) => false,
            (Some(QuantSignal::SpecialCauseImprovement), _)
            | (Some(QuantSignal::SpecialCauseDeterioration), _) => true,
            (Some(QuantSignal::NoSignal), _) | (None, _) => false,
        };
        if study.observed != expected || signal_disagrees {
            PredictionCheck::Contradicted
        } else {
            PredictionCheck::Confirmed
        }
    }

    /// Whether the cycle is flagged for reflection: its result contradicts its prediction.
    pub fn needs_reflection(&self) -> bool {
        self.prediction_check() == PredictionCheck::Contradicted
    }
}

/// Why a mandate question was raised.
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
pub enum MandateReason {
    /// The team asked for it in a cycle's act phase.
    Requested,
    /// A chain of cycles ended in abandoning the change after at least two contradicted
    /// predictions: the assumptions behind the goal may be wrong.
    RepeatedContradiction,
}

/// A question for those who hold the mandate (the politicians, management): learning suggests
/// revisiting a goal.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, schemars::JsonSchema,
)]
pub struct MandateQuestion {
    /// The goal to revisit.
    pub goal: GoalId,
    /// Why the question was raised.
    pub reason: MandateReason,
    /// The cycles behind it, sorted.
    pub raised_by: Vec<LearningCycleId>,
    /// The question in words, when the team wrote one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub question: Option<Text>,
}

/// A validated set of learning cycles: unique ids, every predecessor present, no loops in the
/// predecessor chains. Cycles are kept sorted by id.
///
/// ```
/// use kompas_core::{GoalId, LearningCycleId, Text};
/// use kompas_evidence::{ChangeDirection, LearningCycle, LearningLog, Prediction};
///
/// let p = Prediction { text: Text::en("better")?, expected: ChangeDirection::Improvement };
/// let mut first = LearningCycle::new(LearningCycleId::from_u128(1), Text::en("aim")?, Text::en("idea")?, p.clone());
/// first.goals.insert(GoalId::from_u128(7));
/// let mut second = LearningCycle::new(LearningCycleId::from_u128(2), Text::en("aim")?, Text::en("idea 2")?, p);
/// second.predecessor = Some(first.id);
/// let log = LearningLog::new(vec![second, first])?;
/// assert_eq!(log.chain(LearningCycleId::from_u128(2)), vec![LearningCycleId::from_u128(1), LearningCycleId::from_u128(2)]);
/// assert_eq!(log.by_goal()[&GoalId::from_u128(7)], vec![LearningCycleId::from_u128(1)]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(try_from = "Vec<LearningCycle>", into = "Vec<LearningCycle>")]
pub struct LearningLog {
    cycles: BTreeMap<LearningCycleId, LearningCycle>,
}

impl TryFrom<Vec<LearningCycle>> for LearningLog {
    type Error = Error;
    fn try_from(v: Vec<LearningCycle>) -> Result<Self, Error> {
        LearningLog::new(v)
    }
}

impl From<LearningLog> for Vec<LearningCycle> {
    fn from(l: LearningLog) -> Self {
        l.cycles.into_values().collect()
    }
}

impl LearningLog {
    /// Validates a set of cycles. `O(n log n)` time (each chain is walked once), `O(n)` space.
    ///
    /// # Errors
    /// [`Error::DuplicateCycle`], [`Error::UnknownPredecessor`] or [`Error::PredecessorLoop`].
    pub fn new(cycles: Vec<LearningCycle>) -> Result<Self, Error> {
        let mut map = BTreeMap::new();
        for c in cycles {
            let id = c.id;
            if map.insert(id, c).is_some() {
                return Err(Error::DuplicateCycle { cycle: id });
            }
        }
        for c in map.values() {
            if let Some(p) = c.predecessor
                && !map.contains_key(&p)
            {
                return Err(Error::UnknownPredecessor {
                    cycle: c.id,
                    predecessor: p,
                });
            }
        }
        // Colour walk: 0 unseen, 1 on the current path, 2 known to reach a root.
        let mut state: BTreeMap<LearningCycleId, u8> = BTreeMap::new();
        for &start in map.keys() {
            let mut path = Vec::new();
            let mut cur = Some(start);
            while let Some(id) = cur {
                match state.get(&id).copied().unwrap_or(0) {
                    2 => break,
                    1 => return Err(Error::PredecessorLoop { cycle: id }),
                    _ => {
                        state.insert(id, 1);
                        path.push(id);
                        cur = map.get(&id).and_then(|c| c.predecessor);
                    }
                }
            }
            for id in path {
                state.insert(id, 2);
            }
        }
        Ok(LearningLog { cycles: map })
    }

    /// All cycles, sorted by id.
    pub fn cycles(&self) -> impl Iterator<Item = &LearningCycle> {
        self.cycles.values()
    }

    /// The cycle with `id`.
    pub fn get(&self, id: LearningCycleId) -> Option<&LearningCycle> {
        self.cycles.get(&id)
    }

    /// The chain ending in `id`, from its first cycle to `id`; empty for an unknown id.
    pub fn chain(&self, id: LearningCycleId) -> Vec<LearningCycleId> {
        let mut out = Vec::new();
        let mut cur = self.cycles.get(&id);
        while let Some(c) = cur {
            out.push(c.id);
            cur = c.predecessor.and_then(|p| self.cycles.get(&p));
        }
        out.reverse();
        out
    }

    /// The cycles that build directly on `id`, sorted.
    pub fn successors(&self, id: LearningCycleId) -> Vec<LearningCycleId> {
        self.cycles
            .values()
            .filter(|c| c.predecessor == Some(id))
            .map(|c| c.id)
            .collect()
    }

    /// Which cycles touched which goals: goal to sorted cycle ids.
    pub fn by_goal(&self) -> BTreeMap<GoalId, Vec<LearningCycleId>> {
        let mut out: BTreeMap<GoalId, Vec<LearningCycleId>> = BTreeMap::new();
        for c in self.cycles.values() {
            for &g in &c.goals {
                out.entry(g).or_default().push(c.id);
            }
        }
        out
    }

    /// Which cycles touched which indicators (through their measures): indicator to sorted
    /// cycle ids.
    pub fn by_indicator(&self) -> BTreeMap<IndicatorId, Vec<LearningCycleId>> {
        let mut out: BTreeMap<IndicatorId, Vec<LearningCycleId>> = BTreeMap::new();
        for c in self.cycles.values() {
            for i in c.indicators() {
                out.entry(i).or_default().push(c.id);
            }
        }
        out
    }

    /// The cycles flagged for reflection (result contradicts prediction), sorted.
    pub fn flagged_for_reflection(&self) -> Vec<LearningCycleId> {
        self.cycles
            .values()
            .filter(|c| c.needs_reflection())
            .map(|c| c.id)
            .collect()
    }

    /// The mandate questions learning raises, sorted by goal, reason and cycles:
    ///
    /// - [`MandateReason::Requested`]: one per [`GoalRevisit`] in a cycle's act;
    /// - [`MandateReason::RepeatedContradiction`]: for each goal of a chain's last cycle, when
    ///   that cycle abandons the change and at least two cycles of the chain contradicted their
    ///   predictions; `raised_by` lists the contradicted cycles.
    ///
    /// `O(n d log n)` time for `n` cycles in chains of depth at most `d`.
    pub fn mandate_questions(&self) -> Vec<MandateQuestion> {
        let built_on: BTreeSet<LearningCycleId> =
            self.cycles.values().filter_map(|c| c.predecessor).collect();
        let mut out = Vec::new();
        for c in self.cycles.values() {
            let Some(act) = &c.act else { continue };
            for r in &act.revisit {
                out.push(MandateQuestion {
                    goal: r.goal,
                    reason: MandateReason::Requested,
                    raised_by: vec![c.id],
                    question: Some(r.question.clone()),
                });
            }
            let is_last = !built_on.contains(&c.id);
            if is_last && act.decision == ActDecision::Abandon {
                let mut contradicted: Vec<LearningCycleId> = self
                    .chain(c.id)
                    .into_iter()
                    .filter(|id| self.cycles.get(id).is_some_and(|x| x.needs_reflection()))
                    .collect();
                contradicted.sort();
                if contradicted.len() >= 2 {
                    for &g in &c.goals {
                        out.push(MandateQuestion {
                            goal: g,
                            reason: MandateReason::RepeatedContradiction,
                            raised_by: contradicted.clone(),
                            question: None,
                        });
                    }
                }
            }
        }
        out.sort();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cycle(n: u128, pred: Option<u128>) -> LearningCycle {
        let mut c = LearningCycle::new(
            LearningCycleId::from_u128(n),
            Text::en("aim").unwrap(),
            Text::en("idea").unwrap(),
            Prediction {
                text: Text::en("p").unwrap(),
                expected: ChangeDirection::Improvement,
            },
        );
        c.predecessor = pred.map(LearningCycleId::from_u128);
        c
    }

    #[test]
    fn loops_and_dangling_predecessors_are_errors() {
        let err = LearningLog::new(vec![cycle(1, Some(2)), cycle(2, Some(1))]).unwrap_err();
        assert!(matches!(err, Error::PredecessorLoop { .. }));
        assert!(
            err.to_string()
                .ends_with("is its own ancestor: expected predecessor chains without loops")
        );
        let err = LearningLog::new(vec![cycle(1, Some(9))]).unwrap_err();
        assert_eq!(
            err.to_string(),
            "learning cycle 00000000-0000-0000-0000-000000000001 follows unknown cycle 00000000-0000-0000-0000-000000000009: expected a cycle of the same log"
        );
        let err = LearningLog::new(vec![cycle(1, None), cycle(1, None)]).unwrap_err();
        assert!(matches!(err, Error::DuplicateCycle { .. }));
        assert!(LearningLog::new(vec![cycle(3, Some(3))]).is_err());
    }

    #[test]
    fn no_change_observed_against_improvement_is_contradicted() {
        let mut c = cycle(1, None);
        c.study = Some(Study {
            result: Text::en("flat").unwrap(),
            observed: ChangeDirection::Improvement,
            signal: Some(QuantSignal::SpecialCauseDeterioration),
        });
        assert_eq!(c.prediction_check(), PredictionCheck::Contradicted);
        c.study = Some(Study {
            result: Text::en("up").unwrap(),
            observed: ChangeDirection::Improvement,
            signal: Some(QuantSignal::NoSignal),
        });
        assert_eq!(c.prediction_check(), PredictionCheck::Confirmed);
    }
}
