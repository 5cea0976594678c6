//! The error type of citizens' panel selection.

/// What went wrong while reading a panel instance or selecting a panel.
///
/// Every message is lowercase, names the file, line, column, value or id involved, and says what
/// was expected.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The CSV text could not be read at all (bad quoting, ragged rows).
    #[error("{file}: line {line}: {message}")]
    Csv {
        /// Which input: `quotas` or `pool`.
        file: &'static str,
        /// 1-based line number (the header is line 1).
        line: u64,
        /// What the reader reported.
        message: String,
    },
    /// A required column is missing from a header.
    #[error("{file}: line 1: missing column `{column}`; expected {expected}")]
    MissingColumn {
        /// Which input: `quotas` or `pool`.
        file: &'static str,
        /// The missing column.
        column: String,
        /// What the header should contain.
        expected: String,
    },
    /// A cell holds a value of the wrong shape.
    #[error("{file}: line {line}: column `{column}`: {message}")]
    BadValue {
        /// Which input: `quotas` or `pool`.
        file: &'static str,
        /// 1-based line number.
        line: u64,
        /// The column of the cell.
        column: String,
        /// What was found and what was expected.
        message: String,
    },
    /// A person has a value for a category that the quota file does not list.
    #[error(
        "pool: line {line}: column `{category}`: value `{value}` is not in the quota file; expected one of {expected}"
    )]
    UnknownValue {
        /// 1-based line number in the pool file.
        line: u64,
        /// The category (column).
        category: String,
        /// The value found.
        value: String,
        /// The values the quota file lists for this category.
        expected: String,
    },
    /// Two rows carry the same id.
    #[error(
        "pool: line {line}: duplicate id `{id}` (first on line {first_line}); expected unique ids"
    )]
    DuplicateId {
        /// The repeated id.
        id: String,
        /// Line of the first occurrence.
        first_line: u64,
        /// Line of the repetition.
        line: u64,
    },
    /// The same category value appears twice in the quota file.
    #[error(
        "quotas: line {line}: duplicate quota for `{category}` = `{value}` (first on line {first_line})"
    )]
    DuplicateQuota {
        /// The category.
        category: String,
        /// The value.
        value: String,
        /// Line of the first occurrence.
        first_line: u64,
        /// Line of the repetition.
        line: u64,
    },
    /// The panel size is 0 or larger than the pool.
    #[error("panel size {size} is impossible for a pool of {pool} people; expected 1..={pool}")]
    PanelSize {
        /// The requested panel size.
        size: usize,
        /// The number of people in the pool.
        pool: usize,
    },
    /// The quotas admit no panel of the requested size.
    #[error("infeasible quotas: {report}")]
    Infeasible {
        /// What is wrong, quota by quota, and the suggested minimal relaxation if one exists.
        report: Box<super::InfeasibilityReport>,
    },
    /// An option is out of range (for example zero tickets).
    #[error("invalid option `{option}`: {message}")]
    Option {
        /// The option.
        option: &'static str,
        /// What was expected.
        message: String,
    },
    /// A replacement request names a person who is not on the panel, or asks for too many.
    #[error("replacement: {message}")]
    Replacement {
        /// What was wrong.
        message: String,
    },
    /// The LP/MILP solver failed numerically.
    #[error("solver failure in {stage}: {message}")]
    Solver {
        /// The step that failed.
        stage: &'static str,
        /// The solver's message.
        message: String,
    },
}
