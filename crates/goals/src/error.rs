//! The error type of `kompas-goals`.

use kompas_core::{GoalId, IndicatorId, ValueStatementId};

/// What went wrong in `kompas-goals`; the message names the item and what was expected.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A value rejected by `kompas-core`.
    #[error(transparent)]
    Core(#[from] kompas_core::Error),

    // -- hierarchy --
    /// An edit or a query names a goal that is not in the hierarchy.
    #[error("goal {id} is unknown: expected the id of a goal in the hierarchy")]
    UnknownGoal {
        /// The id given.
        id: GoalId,
    },
    /// Two goals share an id.
    #[error("goal {id} is defined twice: expected unique goal ids")]
    DuplicateGoal {
        /// The repeated id.
        id: GoalId,
    },
    /// A goal links to a parent that is not in the hierarchy.
    #[error(
        "goal {goal} links to unknown parent {parent}: expected the id of a goal in the hierarchy"
    )]
    UnknownParent {
        /// The child goal.
        goal: GoalId,
        /// The missing parent.
        parent: GoalId,
    },
    /// A link that already exists.
    #[error("goal {child} is linked to parent {parent} twice: expected each link once")]
    DuplicateLink {
        /// The child goal.
        child: GoalId,
        /// The parent goal.
        parent: GoalId,
    },
    /// A link that does not exist.
    #[error("goal {child} is not linked to parent {parent}")]
    UnknownLink {
        /// The child goal.
        child: GoalId,
        /// The parent goal.
        parent: GoalId,
    },
    /// Links that would make a goal contribute to itself.
    #[error(
        "goal links form the cycle {}: expected an acyclic hierarchy",
        join(cycle)
    )]
    GoalCycle {
        /// The goals on the cycle, each contributing to the next; the first is repeated last.
        cycle: Vec<GoalId>,
    },
    /// An indicator attached twice to the same goal.
    #[error(
        "indicator {indicator} is attached to goal {goal} twice: expected each indicator once per goal"
    )]
    DuplicateIndicator {
        /// The goal.
        goal: GoalId,
        /// The repeated indicator.
        indicator: IndicatorId,
    },
    /// An indicator that is not attached to the goal.
    #[error("indicator {indicator} is not attached to goal {goal}")]
    UnknownIndicator {
        /// The goal.
        goal: GoalId,
        /// The indicator.
        indicator: IndicatorId,
    },
    /// A value statement listed twice for one goal.
    #[error("goal {goal} lists value statement {value} twice: expected each value statement once")]
    DuplicateValue {
        /// The goal.
        goal: GoalId,
        /// The repeated value statement.
        value: ValueStatementId,
    },
    /// A link weight that is negative, NaN or infinite.
    #[error(
        "link from goal {child} to parent {parent} has weight {value}: expected a finite number >= 0"
    )]
    InvalidLinkWeight {
        /// The child goal.
        child: GoalId,
        /// The parent goal.
        parent: GoalId,
        /// The rejected weight.
        value: f64,
    },
    /// An indicator weight that is negative, NaN or infinite.
    #[error(
        "indicator {indicator} of goal {goal} has weight {value}: expected a finite number >= 0"
    )]
    InvalidIndicatorWeight {
        /// The goal.
        goal: GoalId,
        /// The indicator.
        indicator: IndicatorId,
        /// The rejected weight.
        value: f64,
    },
    /// An indicator whose uuid is also a goal's, so that plan codes would clash.
    #[error(
        "indicator {indicator} has the same id as a goal: expected distinct ids for goals and indicators"
    )]
    IndicatorIsGoal {
        /// The indicator.
        indicator: IndicatorId,
    },
    /// A row of the SDG framework CSV that cannot be used.
    #[error("sdg framework, line {line}, field {field}: found {value:?}, expected {expected}")]
    FrameworkRow {
        /// The 1-based line (the header is line 1).
        line: u64,
        /// The field (column) name.
        field: &'static str,
        /// The offending value as written.
        value: String,
        /// What was expected instead.
        expected: String,
    },

    // -- pipeline --
    /// A cell of an input table (iData or iMeta CSV) that cannot be used.
    #[error("{file}, row {row}, column {column}: found {value:?}, expected {expected}")]
    Csv {
        /// The file (or table) name the caller gave.
        file: String,
        /// The 1-based line of the row (the header is row 1; 0 when the file is empty).
        row: u64,
        /// The column name (or `-` when the problem is the whole row).
        column: String,
        /// The offending value as written.
        value: String,
        /// What was expected instead.
        expected: String,
    },
    /// An input file that cannot be read.
    #[error("cannot read {file}: {message}")]
    Read {
        /// The file's path as given.
        file: String,
        /// What the operating system said.
        message: String,
    },
    /// Two plan nodes share a code.
    #[error("aggregation plan: node code {code:?} is used twice, expected unique codes")]
    DuplicateNode {
        /// The repeated code.
        code: String,
    },
    /// A plan node lists the same child twice.
    #[error(
        "aggregation plan: node {node:?} lists child {child:?} twice, expected each child once"
    )]
    DuplicateChild {
        /// The parent node.
        node: String,
        /// The repeated child.
        child: String,
    },
    /// The plan's parent-child links form a cycle.
    #[error("aggregation plan: node {code:?} is its own descendant, expected an acyclic plan")]
    Cycle {
        /// A node on the cycle.
        code: String,
    },
    /// A link weight that is negative, NaN or infinite.
    #[error(
        "aggregation plan: weight {weight} of child {child:?} under {node:?}, expected a finite weight >= 0"
    )]
    InvalidPlanWeight {
        /// The parent node.
        node: String,
        /// The child.
        child: String,
        /// The weight given.
        weight: f64,
    },
    /// A code that the plan or the data does not know.
    #[error("unknown code {code:?}, expected {expected}")]
    UnknownCode {
        /// The code asked for.
        code: String,
        /// What kind of code was expected.
        expected: String,
    },
    /// Input arrays whose length does not fit the plan.
    #[error("{what}: found {found} values, expected {expected}")]
    Shape {
        /// Which input.
        what: String,
        /// The length given.
        found: usize,
        /// The length expected.
        expected: usize,
    },
    /// A geometric, harmonic or generalised mean over a value it is not defined for.
    #[error(
        "unit {unit:?}, {indicator:?}: the {method} is undefined for the value {value}, expected a value above zero"
    )]
    NonPositive {
        /// The unit (row) code.
        unit: String,
        /// The indicator or aggregate code of the child.
        indicator: String,
        /// The aggregation method.
        method: String,
        /// The offending value.
        value: f64,
    },
    /// A pipeline option that cannot be applied to this data.
    #[error("option {option}: found {value:?}, expected {expected}")]
    InvalidOption {
        /// The option (e.g. `impute`, `normalise`).
        option: String,
        /// The value given.
        value: String,
        /// What was expected.
        expected: String,
    },
}

/// Joins goal ids with " -> " for cycle messages.
fn join(ids: &[GoalId]) -> String {
    ids.iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(" -> ")
}
