//! The error type of `kompas-core`.

use chrono::NaiveDate;

/// An invalid value given to one of the validated types of this crate.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A weight that is negative, NaN or infinite.
    #[error("weight {value} is invalid: expected a finite number >= 0")]
    InvalidWeight {
        /// The rejected value.
        value: f64,
    },
    /// A share outside 0..=1 or not finite.
    #[error("share {value} is invalid: expected a finite number from 0 to 1")]
    InvalidShare {
        /// The rejected value.
        value: f64,
    },
    /// A period that ends before it starts.
    #[error("period {start}..={end} is invalid: expected the start on or before the end")]
    InvalidPeriod {
        /// The start given.
        start: NaiveDate,
        /// The end given.
        end: NaiveDate,
    },
    /// A year outside the range chrono supports.
    #[error("year {year} is out of range")]
    InvalidYear {
        /// The rejected year.
        year: i32,
    },
    /// A text with neither a Danish nor an English wording.
    #[error("text is empty: expected a Danish or an English wording")]
    EmptyText,
    /// A string that is not a valid id.
    #[error("{kind} id {value:?} is invalid: expected a UUID")]
    InvalidId {
        /// The kind of id (for example "goal").
        kind: &'static str,
        /// The rejected text.
        value: String,
    },
    /// A string that names no known perspective.
    #[error(
        "perspective {value:?} is unknown: expected one of citizen, business, civil_society, employee, management, political, research"
    )]
    UnknownPerspective {
        /// The rejected text.
        value: String,
    },
}
