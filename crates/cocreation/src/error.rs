//! The error type of `kompas-cocreation`.

/// What went wrong in `kompas-cocreation`; the message names the item and what was expected.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A value rejected by `kompas-core`.
    #[error(transparent)]
    Core(#[from] kompas_core::Error),

    // -- representativeness and LIX --
    /// A CSV text that could not be read as CSV (for example a row with a wrong number of fields).
    #[error("{table} csv, line {line}: {message}")]
    Csv {
        /// Which table: `population` or `participants`.
        table: &'static str,
        /// The 1-based line.
        line: u64,
        /// What went wrong.
        message: String,
    },
    /// A required column is missing from a CSV header.
    #[error("{table} csv: column {column:?} is missing: expected a header with {expected}")]
    MissingColumn {
        /// Which table.
        table: &'static str,
        /// The missing column.
        column: String,
        /// The header expected.
        expected: &'static str,
    },
    /// A CSV cell that holds an invalid value.
    #[error(
        "{table} csv, line {line}, column {column:?}: {value:?} is invalid: expected {expected}"
    )]
    InvalidCell {
        /// Which table.
        table: &'static str,
        /// The 1-based line.
        line: u64,
        /// The column.
        column: String,
        /// The rejected text.
        value: String,
        /// What was expected.
        expected: &'static str,
    },
    /// A population count given twice for the same attribute value.
    #[error(
        "population: {attribute}={value:?} is given twice (line {line}): expected one count per value"
    )]
    DuplicatePopulationValue {
        /// The attribute.
        attribute: String,
        /// The value.
        value: String,
        /// The 1-based line of the repeat (0 when not read from CSV).
        line: u64,
    },
    /// A participant value that the population margins do not know.
    #[error(
        "{location}: {attribute}={value:?} is not a value of the population margins: expected one of {expected}"
    )]
    UnknownValue {
        /// Where: `participants csv, line 4` or `participant 3 (<id>)`.
        location: String,
        /// The attribute.
        attribute: String,
        /// The rejected value.
        value: String,
        /// The values the population knows, comma separated.
        expected: String,
    },
    /// A population attribute whose counts sum to zero.
    #[error("population attribute {attribute:?} has a total of 0: expected a positive count")]
    EmptyPopulation {
        /// The attribute.
        attribute: String,
    },
    /// No participants were given.
    #[error("no participants: expected at least one")]
    NoParticipants,
    /// Participants and population have no attribute in common.
    #[error(
        "participants and population share no attribute: population has [{population}], participants have [{participants}]"
    )]
    NoSharedAttribute {
        /// The population's attributes, comma separated.
        population: String,
        /// The participants' attributes, comma separated.
        participants: String,
    },
    /// Invitation counts where more responded than were invited.
    #[error(
        "invitations for {attribute}={value:?}: {responded} responded of {invited} invited: expected responded <= invited"
    )]
    InvalidInvitation {
        /// The attribute.
        attribute: String,
        /// The value (group).
        value: String,
        /// Invited persons.
        invited: u64,
        /// Responding persons.
        responded: u64,
    },
    /// Too few invitations to compute an R-indicator.
    #[error("invitations for {attribute:?}: {invited} invited in all: expected at least 2")]
    TooFewInvited {
        /// The attribute.
        attribute: String,
        /// Invited persons in all.
        invited: u64,
    },
    /// A minimum cell size of 0.
    #[error("minimum cell size 0 is invalid: expected at least 1")]
    InvalidMinCell,
    /// A text without words, so without a LIX.
    #[error("text has no words: expected at least one word to compute lix")]
    NoWords,
    /// A LIX limit that is negative or not finite.
    #[error("lix limit {value} is invalid: expected a finite number >= 0")]
    InvalidLixLimit {
        /// The rejected limit.
        value: f64,
    },
}
