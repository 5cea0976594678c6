//! The error type of `kompas-evidence`.

/// What went wrong in `kompas-evidence`; the message names the item and what was expected.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A value rejected by `kompas-core`.
    #[error(transparent)]
    Core(#[from] kompas_core::Error),

    // -- run and control charts --
    /// A series or chart option rejected by the run and control charts.
    #[error(transparent)]
    Spc(#[from] crate::spc::SpcError),

    // -- evidence model --
    /// A number that must be finite is NaN or infinite.
    #[error("{field} {value} is invalid: expected a finite number")]
    NonFinite {
        /// The field that holds the number (for example "target value").
        field: &'static str,
        /// The rejected value.
        value: f64,
    },
    /// A range (goalposts or a target band) whose low end is not below its high end.
    #[error("{field} {low}..{high} is invalid: expected finite ends with {low} below {high}")]
    InvalidRange {
        /// The field ("goalposts" or "target band").
        field: &'static str,
        /// The low end given.
        low: f64,
        /// The high end given.
        high: f64,
    },
    /// A level number outside a scale's range.
    #[error("{scale} level {value} is invalid: expected 1 to 5")]
    InvalidLevel {
        /// The scale ("nesta" or "maryland").
        scale: &'static str,
        /// The rejected number.
        value: u8,
    },
    /// An observation added to the series of another indicator.
    #[error(
        "observation {observation} belongs to indicator {found}: expected indicator {expected}"
    )]
    ForeignObservation {
        /// The observation.
        observation: kompas_core::ObservationId,
        /// The series' indicator.
        expected: kompas_core::IndicatorId,
        /// The observation's indicator.
        found: kompas_core::IndicatorId,
    },
    /// An observation whose value is NaN or infinite.
    #[error("observation {observation} has value {value}: expected a finite number")]
    NonFiniteValue {
        /// The observation.
        observation: kompas_core::ObservationId,
        /// The rejected value.
        value: f64,
    },
    /// An observation whose denominator is negative, NaN or infinite.
    #[error("observation {observation} has denominator {value}: expected a finite number >= 0")]
    InvalidDenominator {
        /// The observation.
        observation: kompas_core::ObservationId,
        /// The rejected denominator.
        value: f64,
    },
    /// Two observations of one indicator and group whose periods overlap.
    #[error(
        "observation {observation} ({period}) overlaps observation {other} ({other_period}) in group {group:?}: expected one observation per period"
    )]
    DuplicatePeriod {
        /// The later observation in input order.
        observation: kompas_core::ObservationId,
        /// Its period.
        period: kompas_core::Period,
        /// The earlier observation it collides with.
        other: kompas_core::ObservationId,
        /// The earlier observation's period.
        other_period: kompas_core::Period,
        /// The group (stratum), `None` for the whole population.
        group: Option<String>,
    },
    /// The same observation id twice in one series.
    #[error("observation {observation} occurs twice: expected unique observation ids")]
    DuplicateObservation {
        /// The repeated id.
        observation: kompas_core::ObservationId,
    },
    /// A selection record whose chosen story is not among its candidates.
    #[error("selection record {record} chose narrative {chosen}: expected one of its candidates")]
    ChosenNotCandidate {
        /// The selection record.
        record: kompas_core::NarrativeId,
        /// The chosen narrative.
        chosen: kompas_core::NarrativeId,
    },
    /// The same learning cycle id twice in one log.
    #[error("learning cycle {cycle} occurs twice: expected unique cycle ids")]
    DuplicateCycle {
        /// The repeated id.
        cycle: kompas_core::LearningCycleId,
    },
    /// A learning cycle whose predecessor is not in the log.
    #[error(
        "learning cycle {cycle} follows unknown cycle {predecessor}: expected a cycle of the same log"
    )]
    UnknownPredecessor {
        /// The cycle.
        cycle: kompas_core::LearningCycleId,
        /// The missing predecessor.
        predecessor: kompas_core::LearningCycleId,
    },
    /// Learning cycles whose predecessors form a loop.
    #[error(
        "learning cycle {cycle} is its own ancestor: expected predecessor chains without loops"
    )]
    PredecessorLoop {
        /// A cycle on the loop.
        cycle: kompas_core::LearningCycleId,
    },
}
