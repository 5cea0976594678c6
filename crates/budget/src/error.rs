//! The one error type of kompas-budget.

use std::fmt;

/// Where in a `.pb` text a problem sits: a 1-based line and, when known, the field (column) name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Location {
    /// 1-based line number in the `.pb` text (0 when the problem is not tied to one line).
    pub line: usize,
    /// The field (column or META key) concerned, if any.
    pub field: Option<String>,
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.field {
            Some(field) => write!(f, "line {}, field `{}`", self.line, field),
            None => write!(f, "line {}", self.line),
        }
    }
}

/// Everything that can go wrong in kompas-budget.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The `.pb` text breaks the format or its own META rules.
    #[error("{location}: {message}")]
    Format {
        /// Where the problem is.
        location: Location,
        /// What is wrong and what was expected (lowercase).
        message: String,
    },
    /// A decimal number could not be read.
    #[error("invalid decimal `{text}`: expected digits with an optional sign and decimal point")]
    Decimal {
        /// The text that is not a decimal.
        text: String,
    },
    /// The election cannot be run by the rule asked for (for example an unknown `scoring_fn`).
    #[error("{0}")]
    Unsupported(String),
    /// Projects tie and the tie-break rule is `refuse`.
    #[error("tie between projects {}: the tie-break rule refuses to decide", .projects.join(", "))]
    Tie {
        /// The ids of the tied projects, sorted.
        projects: Vec<String>,
    },
    /// A project id named in an argument is not in the election.
    #[error("unknown project `{0}`")]
    UnknownProject(String),
    /// An option or argument has a value outside its domain.
    #[error("invalid option: {0}")]
    InvalidOption(String),
}

impl Error {
    pub(crate) fn at(line: usize, field: Option<&str>, message: impl Into<String>) -> Self {
        Error::Format {
            location: Location {
                line,
                field: field.map(str::to_owned),
            },
            message: message.into(),
        }
    }
}
