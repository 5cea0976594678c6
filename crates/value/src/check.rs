//! Value levels and the checks of the value model: findings with stable codes and severities.

use std::collections::{BTreeMap, BTreeSet};

use kompas_core::{DecisionId, DilemmaId, GoalId, Perspective};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::{Decision, Dilemma, ValueStatement};

/// The level a measure (an indicator) follows a goal at: from what the municipality delivers to
/// what matters in the lived life. These are the same four indicator levels as in
/// `kompas-evidence`; this crate keeps its own copy so that it depends only on `kompas-core`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ValueLevel {
    /// What is delivered: activity and volume (ydelse).
    Output,
    /// How well it is delivered (kvalitet).
    Quality,
    /// The change it makes (effekt).
    Effect,
    /// What matters in the lived life, as citizens and partners define it (værdi).
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
}

/// How serious a finding is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Worth knowing.
    Info,
    /// Should be looked at.
    Warning,
    /// Breaks a principle of the framework.
    Error,
}

/// The stable code of a finding. Codes never change meaning; new checks get new codes.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum CheckCode {
    /// `value-output-only`: a goal followed only by output measures ("an effect concept, not a
    /// value concept").
    ValueOutputOnly,
    /// `value-no-measures`: a goal followed by no measure at all.
    ValueNoMeasures,
    /// `value-defined-at-desk`: a goal with no value statement from a citizen, business or
    /// civil-society perspective.
    ValueDefinedAtDesk,
    /// `decision-not-open`: a decision that does not list the perspectives heard, the evidence and
    /// the rationale.
    DecisionNotOpen,
    /// `decision-below-political-level`: a political dilemma decided below the political level.
    DecisionBelowPoliticalLevel,
    /// `decision-unknown-dilemma`: a decision about a dilemma that is not in the model.
    DecisionUnknownDilemma,
}

impl CheckCode {
    /// The code as written in files and reports.
    pub const fn as_str(self) -> &'static str {
        match self {
            CheckCode::ValueOutputOnly => "value-output-only",
            CheckCode::ValueNoMeasures => "value-no-measures",
            CheckCode::ValueDefinedAtDesk => "value-defined-at-desk",
            CheckCode::DecisionNotOpen => "decision-not-open",
            CheckCode::DecisionBelowPoliticalLevel => "decision-below-political-level",
            CheckCode::DecisionUnknownDilemma => "decision-unknown-dilemma",
        }
    }

    /// The severity this check reports with.
    pub const fn severity(self) -> Severity {
        match self {
            CheckCode::ValueOutputOnly => Severity::Warning,
            CheckCode::ValueNoMeasures => Severity::Info,
            CheckCode::ValueDefinedAtDesk => Severity::Warning,
            CheckCode::DecisionNotOpen => Severity::Warning,
            CheckCode::DecisionBelowPoliticalLevel => Severity::Error,
            CheckCode::DecisionUnknownDilemma => Severity::Error,
        }
    }
}

impl std::fmt::Display for CheckCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a finding is about.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(tag = "kind", content = "id", rename_all = "snake_case")]
pub enum Subject {
    /// A goal.
    Goal(GoalId),
    /// A decision.
    Decision(DecisionId),
    /// A dilemma.
    Dilemma(DilemmaId),
}

/// One result of a check: a code, its severity, the subject and a message in English.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
pub struct Finding {
    /// The stable code.
    pub code: CheckCode,
    /// How serious it is.
    pub severity: Severity,
    /// What it is about.
    pub subject: Subject,
    /// What was found, in words.
    pub message: String,
}

impl Finding {
    fn new(code: CheckCode, subject: Subject, message: String) -> Self {
        Finding {
            code,
            severity: code.severity(),
            subject,
            message,
        }
    }
}

/// The input of the value-level checks for one goal: the levels of the measures that follow it.
///
/// The caller (the facade) derives these from the indicators of `kompas-evidence`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct GoalMeasures {
    /// The goal.
    pub goal: GoalId,
    /// The value level of each measure that follows the goal (repeats allowed).
    pub levels: Vec<ValueLevel>,
}

/// Checks each goal's value basis: the levels of its measures and the value statements linked to it.
///
/// Reports, per goal, [`CheckCode::ValueNoMeasures`] when no measure follows it,
/// [`CheckCode::ValueOutputOnly`] when only output measures do, and
/// [`CheckCode::ValueDefinedAtDesk`] when no linked value statement comes from a citizen, business
/// or civil-society perspective. The result is sorted.
///
/// Complexity: O(g + s·l) for g goals and s statements with l goal links each (plus sorting).
///
/// ```
/// use kompas_core::GoalId;
/// use kompas_value::{check_goals, CheckCode, GoalMeasures, ValueLevel};
///
/// let goal = GoalId::from_name("g");
/// let findings = check_goals(&[GoalMeasures { goal, levels: vec![ValueLevel::Output] }], &[]);
/// let codes: Vec<_> = findings.iter().map(|f| f.code).collect();
/// assert_eq!(codes, [CheckCode::ValueOutputOnly, CheckCode::ValueDefinedAtDesk]);
/// ```
pub fn check_goals(goals: &[GoalMeasures], statements: &[ValueStatement]) -> Vec<Finding> {
    let mut voices: BTreeMap<GoalId, BTreeSet<Perspective>> = BTreeMap::new();
    for s in statements {
        for g in &s.goals {
            voices.entry(*g).or_default().insert(s.perspective);
        }
    }
    let mut out = Vec::new();
    for gm in goals {
        let subject = Subject::Goal(gm.goal);
        if gm.levels.is_empty() {
            out.push(Finding::new(
                CheckCode::ValueNoMeasures,
                subject,
                format!("goal {} is followed by no measure", gm.goal),
            ));
        } else if gm.levels.iter().all(|l| *l == ValueLevel::Output) {
            out.push(Finding::new(
                CheckCode::ValueOutputOnly,
                subject,
                format!(
                    "goal {} is followed only by output measures ({}): an effect concept, not a value concept",
                    gm.goal,
                    gm.levels.len()
                ),
            ));
        }
        let heard = voices.get(&gm.goal);
        if !heard.is_some_and(|h| h.iter().any(|p| p.is_external())) {
            let who = heard
                .map(|h| h.iter().map(|p| p.code()).collect::<Vec<_>>().join(", "))
                .filter(|s| !s.is_empty())
                .unwrap_or_else(|| "none".to_owned());
            out.push(Finding::new(
                CheckCode::ValueDefinedAtDesk,
                subject,
                format!(
                    "goal {} has no value statement from a citizen, business or civil-society perspective (perspectives heard: {who}): defined at the desk",
                    gm.goal
                ),
            ));
        }
    }
    out.sort();
    out
}

/// Checks decisions against the framework: each must be open (perspectives heard, evidence and
/// rationale listed), a political dilemma must be decided at the political level, and the dilemma
/// must exist. The result is sorted.
///
/// Complexity: O(d log m) for d decisions and m dilemmas.
///
/// ```
/// use chrono::NaiveDate;
/// use kompas_core::{DecisionId, DilemmaId, Text};
/// use kompas_value::{check_decisions, Authority, CheckCode, Decision, Dilemma, DilemmaKind, Publication};
///
/// let dilemma = Dilemma {
///     id: DilemmaId::from_name("d"),
///     question: Text::en("Halls or outdoor facilities?")?,
///     kind: DilemmaKind::BetweenPoliticalPriorities,
///     positions: vec![],
///     stances: vec![],
/// };
/// let decision = Decision {
///     id: DecisionId::from_name("x"),
///     dilemma: dilemma.id,
///     authority: Authority::UnitManagement,
///     options: vec!["halls".into(), "outdoor".into()],
///     chosen: "outdoor".into(),
///     heard: vec![],
///     evidence: vec![],
///     rationale: None,
///     date: NaiveDate::from_ymd_opt(2022, 1, 1).ok_or("date")?,
///     publication: Publication::Internal,
/// };
/// let codes: Vec<_> = check_decisions(&[decision], &[dilemma]).iter().map(|f| f.code).collect();
/// assert_eq!(codes, [CheckCode::DecisionNotOpen, CheckCode::DecisionBelowPoliticalLevel]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn check_decisions(decisions: &[Decision], dilemmas: &[Dilemma]) -> Vec<Finding> {
    let by_id: BTreeMap<DilemmaId, &Dilemma> = dilemmas.iter().map(|d| (d.id, d)).collect();
    let mut out = Vec::new();
    for d in decisions {
        let subject = Subject::Decision(d.id);
        let t = d.transparency();
        if !t.is_open() {
            let missing: Vec<&str> = t.missing.iter().map(|m| m.as_str()).collect();
            out.push(Finding::new(
                CheckCode::DecisionNotOpen,
                subject,
                format!(
                    "decision {} is not open: it does not list {}",
                    d.id,
                    missing.join(", ")
                ),
            ));
        }
        match by_id.get(&d.dilemma) {
            None => out.push(Finding::new(
                CheckCode::DecisionUnknownDilemma,
                subject,
                format!("decision {} decides unknown dilemma {}", d.id, d.dilemma),
            )),
            Some(dilemma) => {
                if dilemma.is_political() && !d.authority.is_political() {
                    out.push(Finding::new(
                        CheckCode::DecisionBelowPoliticalLevel,
                        subject,
                        format!(
                            "decision {} settles political dilemma {} at {} level: politicians hold the final right to define value",
                            d.id,
                            dilemma.id,
                            d.authority.as_str()
                        ),
                    ));
                }
            }
        }
    }
    out.sort();
    out
}
