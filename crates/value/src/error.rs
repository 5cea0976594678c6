//! The error type of `kompas-value`.

/// Bad input to one of the value-model functions. Every message is lowercase, names the item
/// (line, column, row, cell, option or id) and says what was expected.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A CSV text that could not be read as CSV at all.
    #[error("{what} line {line}: {message}")]
    Csv {
        /// What the text holds ("ballots", "ahp matrix").
        what: &'static str,
        /// The 1-based line.
        line: u64,
        /// What went wrong, in words.
        message: String,
    },
    /// A required column missing from a CSV header.
    #[error("{what} header: column {column:?} is missing: expected columns {expected}")]
    MissingColumn {
        /// What the text holds.
        what: &'static str,
        /// The missing column.
        column: &'static str,
        /// The columns expected, in words.
        expected: &'static str,
    },
    /// A ballot count that is not a positive integer.
    #[error("ballots line {line}, column count: {value:?} is invalid: expected a positive integer")]
    InvalidCount {
        /// The 1-based line.
        line: u64,
        /// The rejected text.
        value: String,
    },
    /// A ranking that names no option, or has an empty place (`A>>B`, `A=`).
    #[error(
        "ballots line {line}, column ranking: {value:?} is invalid: expected options separated by '>' (preference) or '=' (tie)"
    )]
    InvalidRanking {
        /// The 1-based line.
        line: u64,
        /// The rejected text.
        value: String,
    },
    /// A ranking that names an option not among the options given.
    #[error(
        "ballots line {line}, column ranking: option {option:?} is unknown: expected one of {expected}"
    )]
    UnknownOption {
        /// The 1-based line (0 when the ballot was not read from text).
        line: u64,
        /// The unknown option.
        option: String,
        /// The known options, comma separated.
        expected: String,
    },
    /// A ranking that names the same option twice.
    #[error(
        "ballots line {line}, column ranking: option {option:?} is repeated: expected each option at most once"
    )]
    RepeatedOption {
        /// The 1-based line (0 when the ballot was not read from text).
        line: u64,
        /// The repeated option.
        option: String,
    },
    /// An option list with a blank or repeated name.
    #[error(
        "option {option:?} is invalid: expected distinct, non-empty names without surrounding spaces, '>' or '='"
    )]
    InvalidOption {
        /// The rejected option name.
        option: String,
    },
    /// Too few options for the method (for example a ballot set over no option at all).
    #[error("{what}: {got} option(s) given: expected at least {min}")]
    TooFewOptions {
        /// What was being computed.
        what: &'static str,
        /// The number of options given.
        got: usize,
        /// The minimum.
        min: usize,
    },
    /// Too many options for an exact method (Kemeny).
    #[error("{method}: {got} options given: expected at most {max} for an exact answer")]
    TooManyOptions {
        /// The method.
        method: &'static str,
        /// The number of options given.
        got: usize,
        /// The maximum.
        max: usize,
    },
    /// A vote total that does not fit in 64 bits.
    #[error("ballots line {line}: vote totals overflow: expected totals below 2^64")]
    Overflow {
        /// The 1-based line of the ballot that overflowed.
        line: u64,
    },
    /// A pairwise-comparison matrix that is not square or whose header and rows disagree.
    #[error("ahp matrix row {row}: {got} judgment(s) given: expected {expected}")]
    NotSquare {
        /// The 1-based row.
        row: usize,
        /// The number of judgments found.
        got: usize,
        /// The number expected.
        expected: usize,
    },
    /// A judgment that is not a number or fraction.
    #[error(
        "ahp matrix row {row} ({row_name}), column {column} ({column_name}): {value:?} is not a number: expected a positive number or a fraction like 1/3"
    )]
    NotANumber {
        /// The 1-based row.
        row: usize,
        /// The name of the row's element.
        row_name: String,
        /// The 1-based column.
        column: usize,
        /// The name of the column's element.
        column_name: String,
        /// The rejected text.
        value: String,
    },
    /// A zero, negative or non-finite judgment.
    #[error(
        "ahp matrix row {row} ({row_name}), column {column} ({column_name}): judgment {value} is invalid: expected a finite number > 0"
    )]
    NonPositiveJudgment {
        /// The 1-based row.
        row: usize,
        /// The name of the row's element.
        row_name: String,
        /// The 1-based column.
        column: usize,
        /// The name of the column's element.
        column_name: String,
        /// The rejected value.
        value: f64,
    },
    /// A judgment so large or small that the arithmetic would lose it (outside 1e-9..=1e9).
    #[error(
        "ahp matrix row {row} ({row_name}), column {column} ({column_name}): judgment {value} is out of range: expected a number from 1e-9 to 1e9"
    )]
    JudgmentOutOfRange {
        /// The 1-based row.
        row: usize,
        /// The name of the row's element.
        row_name: String,
        /// The 1-based column.
        column: usize,
        /// The name of the column's element.
        column_name: String,
        /// The rejected value.
        value: f64,
    },
    /// A diagonal judgment other than 1.
    #[error(
        "ahp matrix row {row} ({name}), column {row}: judgment {value} is invalid: expected 1 on the diagonal"
    )]
    DiagonalNotOne {
        /// The 1-based row (and column).
        row: usize,
        /// The element's name.
        name: String,
        /// The rejected value.
        value: f64,
    },
    /// A pair of judgments that are not reciprocal.
    #[error(
        "ahp matrix row {row} ({row_name}), column {column} ({column_name}): judgment {value} is not reciprocal to {mirror} in row {column}, column {row}: expected {expected}"
    )]
    NotReciprocal {
        /// The 1-based row.
        row: usize,
        /// The name of the row's element.
        row_name: String,
        /// The 1-based column.
        column: usize,
        /// The name of the column's element.
        column_name: String,
        /// The judgment at (row, column).
        value: f64,
        /// The judgment at (column, row).
        mirror: f64,
        /// The value expected at (row, column): 1 / mirror.
        expected: f64,
    },
    /// A row whose name does not match the header's column of the same position.
    #[error(
        "ahp matrix row {row}: name {got:?} does not match column {row} of the header: expected {expected:?}"
    )]
    RowNameMismatch {
        /// The 1-based row.
        row: usize,
        /// The name found.
        got: String,
        /// The header's name.
        expected: String,
    },
    /// Local AHP results that do not fit the criteria (their number or their alternatives).
    #[error("ahp synthesis: {problem}")]
    Synthesis {
        /// What was wrong and what was expected.
        problem: String,
    },
    /// A weighted-sum input with a missing, non-finite or misplaced value.
    #[error("weighted sum: alternative {alternative:?}, criterion {criterion:?}: {problem}")]
    InvalidScore {
        /// The alternative.
        alternative: String,
        /// The criterion.
        criterion: String,
        /// What was wrong and what was expected.
        problem: String,
    },
    /// Criteria whose weights sum to zero.
    #[error("weighted sum: the criteria weights sum to 0: expected at least one positive weight")]
    ZeroWeights,
    /// A chosen option that is not among a profile's options.
    #[error("chosen option {option:?} is unknown: expected one of {expected}")]
    UnknownChosen {
        /// The option given.
        option: String,
        /// The known options, comma separated.
        expected: String,
    },
    /// A dilemma with blank or repeated position codes.
    #[error("dilemma {dilemma}: {problem}")]
    InvalidDilemma {
        /// The dilemma's id.
        dilemma: kompas_core::DilemmaId,
        /// What was wrong and what was expected.
        problem: String,
    },
    /// A decision whose chosen option is not among the options considered, or with repeated options.
    #[error("decision {decision}: {problem}")]
    InvalidDecision {
        /// The decision's id.
        decision: kompas_core::DecisionId,
        /// What was wrong and what was expected.
        problem: String,
    },
}
