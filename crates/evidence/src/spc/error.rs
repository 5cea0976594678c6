//! The error type of the run and control charts.

/// What went wrong while reading a series or computing a chart; the message names the row, line,
/// column or option and what was expected.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum SpcError {
    /// The series has no rows at all.
    #[error("the series is empty: expected at least one row")]
    EmptySeries,
    /// Every value of the series is missing.
    #[error("all {rows} values of the series are missing: expected at least one number")]
    AllMissing {
        /// Number of rows read.
        rows: usize,
    },
    /// A chart needs more usable points (or subgroups) than the series has.
    #[error("{chart} chart needs at least {needed} {what}, found {found}")]
    TooFewPoints {
        /// The chart's short name (`i`, `xbar`, ...).
        chart: &'static str,
        /// What is counted.
        what: &'static str,
        /// How many are needed.
        needed: usize,
        /// How many there are.
        found: usize,
    },
    /// A value that must be finite is not.
    #[error("row {row} (x = {x}): {field} is {value}, expected a finite number")]
    NonFinite {
        /// 1-based row of the series.
        row: usize,
        /// The row's x.
        x: String,
        /// `y` or `n`.
        field: &'static str,
        /// The value found.
        value: f64,
    },
    /// A count chart got a negative count.
    #[error(
        "row {row} (x = {x}): count y = {value} is negative, expected a count of at least 0 for a {chart} chart"
    )]
    NegativeCount {
        /// 1-based row of the series.
        row: usize,
        /// The row's x.
        x: String,
        /// The value found.
        value: f64,
        /// The chart's short name.
        chart: &'static str,
    },
    /// A denominator is negative.
    #[error("row {row} (x = {x}): denominator n = {value} is negative, expected at least 0")]
    NegativeDenominator {
        /// 1-based row of the series.
        row: usize,
        /// The row's x.
        x: String,
        /// The value found.
        value: f64,
    },
    /// A subgroup with values has a denominator that sums to zero.
    #[error("subgroup x = {x}: the denominators sum to zero, expected a positive denominator")]
    ZeroDenominator {
        /// The subgroup's x.
        x: String,
    },
    /// A row with a value lacks the denominator its chart needs.
    #[error(
        "row {row} (x = {x}): y is given but the denominator n is missing, expected n for a {chart} chart"
    )]
    MissingDenominator {
        /// 1-based row of the series.
        row: usize,
        /// The row's x.
        x: String,
        /// The chart's short name.
        chart: &'static str,
    },
    /// A proportion chart got more events than trials.
    #[error(
        "subgroup x = {x}: count {count} exceeds denominator {n}, expected a proportion between 0 and 1"
    )]
    CountExceedsDenominator {
        /// The subgroup's x.
        x: String,
        /// The count.
        count: f64,
        /// The denominator.
        n: f64,
    },
    /// A T chart got a time between events that is not positive.
    #[error(
        "row {row} (x = {x}): time between events y = {value}, expected a value greater than 0 for a t chart"
    )]
    NonPositiveTime {
        /// 1-based row of the series.
        row: usize,
        /// The row's x.
        x: String,
        /// The value found.
        value: f64,
    },
    /// An option is out of range.
    #[error("option {option}: {message}")]
    InvalidOption {
        /// The option's name (`freeze`, `part`, `exclude`, `multiply`).
        option: &'static str,
        /// What was wrong and what was expected.
        message: String,
    },
    /// An unknown chart, rule set or direction name.
    #[error("unknown {what} {name:?}, expected one of {expected}")]
    UnknownName {
        /// What kind of name.
        what: &'static str,
        /// The name given.
        name: String,
        /// The accepted names.
        expected: &'static str,
    },
    /// The CSV text has no header or lacks a column.
    #[error("csv: column {column:?} not found in the header, expected one of {header}")]
    MissingColumn {
        /// The column asked for.
        column: String,
        /// The header's columns, comma separated.
        header: String,
    },
    /// A CSV cell is not a number.
    #[error("csv line {line}, column {column:?}: {value:?} is not a number, expected {expected}")]
    NotANumber {
        /// 1-based line of the text.
        line: usize,
        /// The column's name.
        column: String,
        /// The cell's text.
        value: String,
        /// What a number looks like in this file.
        expected: &'static str,
    },
    /// The CSV text is malformed (for example a row with too few fields).
    #[error("csv line {line}: {message}")]
    Csv {
        /// 1-based line of the text.
        line: usize,
        /// What was wrong.
        message: String,
    },
}
