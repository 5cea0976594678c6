//! The data of a follow-up: what [`crate::follow_up`] computes and `kompas-report` renders.
//!
//! These types are a stable view of a [`crate::Compass`] for one period: plain numbers, texts and
//! small enums, so that a renderer (or an embedder's dashboard) needs no knowledge of the domain
//! crates' internals.

use std::collections::BTreeMap;

use kompas_core::{DecisionId, DilemmaId, GoalId, IndicatorId, InitiativeId, Perspective, Text};
use serde::{Deserialize, Serialize};

/// The follow-up of a municipality's model for one period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct FollowUp {
    /// The municipality's name.
    pub municipality: Text,
    /// The period followed up, as a year (for example 2024).
    pub year: i32,
    /// Whether the document holds illustrative (made-up) values; a report says so up front.
    pub has_illustrative_values: bool,
    /// Every goal, city goals first, each followed by its sub-goals (depth first).
    pub goals: Vec<GoalStatus>,
    /// Goal-clutter diagnostics, gaps in evidence and missing bridges.
    pub clutter: Vec<Diagnostic>,
    /// Goals that no evidence (observation or narrative) reaches, directly or through sub-goals.
    pub goals_without_evidence: Vec<GoalRef>,
    /// Goals that do not bridge to any city goal.
    pub goals_without_bridge: Vec<GoalRef>,
    /// Co-creation: each initiative's charter findings and representativeness.
    pub initiatives: Vec<InitiativeStatus>,
    /// Value: dilemmas, decisions and how goals are measured.
    pub value: ValueStatus,
    /// Learning: cycles in the period, contradicted predictions, mandate questions.
    pub learning: LearningStatus,
    /// Value that shows up in goals owned by another department than the initiative's.
    pub spillovers: Vec<Spillover>,
    /// Run and control charts of the indicators with enough data: special causes first, then
    /// the indicators nearest the city goals; at most [`crate::MAX_CHARTS`].
    pub charts: Vec<IndicatorChart>,
    /// Charts left out of `charts` to keep the report readable (their trends still count).
    pub charts_omitted: usize,
}

/// A goal named in a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct GoalRef {
    /// The goal's id.
    pub id: GoalId,
    /// The goal's title.
    pub title: Text,
}

/// How far a goal has come, and what informs that.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct GoalStatus {
    /// The goal's id.
    pub id: GoalId,
    /// The goal's title.
    pub title: Text,
    /// The goal's level (city, department, unit, team, ...), as its code.
    pub level: String,
    /// Depth below the city goals in the drawn tree (0 = a city goal or another root).
    pub depth: usize,
    /// The goal's parents (a goal can contribute to several).
    pub parents: Vec<GoalId>,
    /// The owning unit's name, if known.
    pub owner: Option<Text>,
    /// The aggregated score, 0 to 100, when any data backs it.
    pub score: Option<f64>,
    /// Share of the goal's effective indicator weight that is backed by data in the period.
    pub coverage: f64,
    /// The combined signal of the goal's own indicators' charts.
    pub trend: Trend,
    /// How counted data, narratives and evidence strength agree, when there is anything to compare.
    pub triangulation: Option<TriangulationView>,
    /// The strongest evidence rating attached to the goal's evidence, as text.
    pub evidence_strength: Option<String>,
    /// Which voices inform the goal, aggregated up the hierarchy.
    pub voices: VoiceCoverage,
}

/// The combined chart signal of a goal's indicators.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Trend {
    /// At least one indicator shows special-cause improvement and none shows concern.
    Improvement,
    /// At least one indicator shows special-cause concern (deterioration).
    Concern,
    /// Indicators show special causes both ways.
    Mixed,
    /// Charts exist and show common-cause variation only.
    NoSignal,
    /// Too little data for a chart.
    NoData,
}

/// Triangulation of a goal's sources, as the report shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TriangulationView {
    /// converge, diverge, one_sided or insufficient.
    pub verdict: String,
    /// low, moderate or high.
    pub confidence: String,
    /// One line on the sources behind the finding.
    pub summary: String,
}

/// Which voices inform a goal: narratives and value statements by perspective, and counted
/// sources.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct VoiceCoverage {
    /// Number of voices (narratives and value statements) by perspective.
    pub by_perspective: BTreeMap<Perspective, usize>,
    /// Number of indicators from registers (counted data) with observations.
    pub registers: usize,
    /// Number of indicators from surveys with observations.
    pub surveys: usize,
}

/// How serious a diagnostic is.
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
pub enum Severity {
    /// For information.
    Info,
    /// Worth a look.
    Warning,
    /// Against the framework or the law.
    Error,
}

/// One finding of a check, with its stable code.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Diagnostic {
    /// The stable code (for example `G001`).
    pub code: String,
    /// How serious it is.
    pub severity: Severity,
    /// What it says, in English.
    pub message: String,
}

/// An initiative's charter findings and representativeness.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct InitiativeStatus {
    /// The initiative's id.
    pub id: InitiativeId,
    /// Its title.
    pub title: Text,
    /// Charter check findings.
    pub findings: Vec<Diagnostic>,
    /// Number of participants recorded.
    pub participants: usize,
    /// Representativeness per attribute (empty without participants or margins).
    pub representativeness: Vec<AttributeRepresentation>,
}

/// Participants against the population, for one attribute (sex, age band, ...).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AttributeRepresentation {
    /// The attribute.
    pub attribute: String,
    /// Dissimilarity index, ½ Σ|p − q|.
    pub dissimilarity: f64,
    /// Per value: the participants' share and the population's share. Cells under the
    /// suppression threshold (and a lone such cell's smallest neighbour) have
    /// `participants_share` `None`.
    pub cells: Vec<RepresentationCell>,
}

/// One value of an attribute in a representativeness table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RepresentationCell {
    /// The attribute value (for example "15-29").
    pub value: String,
    /// The participants' share, `None` when suppressed (fewer persons than the threshold, or
    /// hidden so that such a cell cannot be recovered by subtraction).
    pub participants_share: Option<f64>,
    /// The population's share.
    pub population_share: f64,
}

/// The value section of a follow-up.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ValueStatus {
    /// Dilemmas with no decision yet.
    pub open_dilemmas: Vec<DilemmaView>,
    /// Decisions, each with whether its basis is open.
    pub decisions: Vec<DecisionView>,
    /// Goals followed only by output measures.
    pub output_only_goals: Vec<GoalRef>,
    /// Goals with no value statement from citizens, businesses or civil society.
    pub desk_defined_goals: Vec<GoalRef>,
}

/// A dilemma as listed in a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DilemmaView {
    /// The dilemma's id.
    pub id: DilemmaId,
    /// Its question.
    pub question: Text,
}

/// A decision as listed in a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DecisionView {
    /// The decision's id.
    pub id: DecisionId,
    /// The dilemma's question.
    pub question: Text,
    /// Who decided, as a code.
    pub decided_by: String,
    /// The option chosen.
    pub chosen: String,
    /// Whether the decision lists the perspectives heard, the evidence and the rationale.
    pub open_basis: bool,
    /// What the basis lacks, when it is not open; flags such as a political dilemma decided below
    /// the political level.
    pub remarks: Vec<String>,
    /// Whose rankings the chosen option follows (groups).
    pub follows: Vec<String>,
    /// Whose rankings the chosen option overrules (groups).
    pub overrules: Vec<String>,
}

/// The learning section of a follow-up.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct LearningStatus {
    /// Cycles ended in the period, by what was done: adopt, adapt, abandon.
    pub acted: BTreeMap<String, usize>,
    /// Cycles still running or without an act step.
    pub open: usize,
    /// Cycles whose result contradicted their prediction: aims, for reflection.
    pub contradicted: Vec<String>,
    /// Mandate questions raised: the question and the goal it reopens.
    pub mandate_questions: Vec<MandateView>,
}

/// A mandate question as listed in a report.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct MandateView {
    /// The question.
    pub question: String,
    /// The goal it suggests revisiting.
    pub goal: Option<GoalRef>,
}

/// Value that shows up in a goal owned by another department than the one running the
/// initiative.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Spillover {
    /// The initiative.
    pub initiative: Text,
    /// The department running or funding it.
    pub from: Text,
    /// The goal where value shows up.
    pub goal: GoalRef,
    /// The department owning that goal.
    pub to: Text,
}

/// A chart of one indicator, ready to draw.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct IndicatorChart {
    /// The indicator.
    pub indicator: IndicatorId,
    /// Its name.
    pub name: Text,
    /// Its unit.
    pub unit: String,
    /// What the chart says for the latest part.
    pub trend: Trend,
    /// The computed chart (points, centre line, limits, runs analysis).
    pub chart: kompas_evidence::spc::Chart,
    /// Each point's NHS classification in the indicator's improvement direction.
    pub point_types: Vec<kompas_evidence::spc::PointType>,
}
