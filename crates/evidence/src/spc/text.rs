//! Reading a series from CSV text: any single-byte delimiter, decimal point or decimal comma
//! (Danish files: `;` separated, `1.234,5`), padded fields and a byte-order mark.

use chrono::NaiveDate;

use super::{Row, Series, SpcError, XValue};

/// How numbers are written in the text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum DecimalMark {
    /// A decimal comma when the delimiter is `;` (the Danish spreadsheet convention), else a
    /// decimal point.
    #[default]
    Auto,
    /// `1234.5`; no thousands separator.
    Point,
    /// `1.234,5`: a decimal comma and `.` between groups of three digits.
    Comma,
}

/// Which columns hold x, y and the denominator, and how the text is written.
///
/// ```
/// use kompas_evidence::spc::{parse_series, CsvColumns, XValue};
///
/// let text = "uge;tilfælde;testede\n1; 1.204;  52.000,0\n2;  987;  48.500,5\n";
/// let s = parse_series(text, &CsvColumns::new("uge", "tilfælde").n("testede"))?;
/// assert_eq!(s.rows()[0].y, Some(1204.0));
/// assert_eq!(s.rows()[1].n, Some(48500.5));
/// assert_eq!(s.rows()[1].x, XValue::Number(2.0));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CsvColumns {
    /// The x column (numbers, ISO dates `2021-03-01` or months `2021-03`, or labels).
    pub x: String,
    /// The y column.
    pub y: String,
    /// The denominator column, if any.
    pub n: Option<String>,
    /// The delimiter; `None` picks `;`, tab or `,`, whichever the header line has (in that order).
    pub delimiter: Option<u8>,
    /// The decimal mark.
    pub decimal: DecimalMark,
}

impl CsvColumns {
    /// Reads x and y from the named columns.
    pub fn new(x: impl Into<String>, y: impl Into<String>) -> Self {
        CsvColumns {
            x: x.into(),
            y: y.into(),
            n: None,
            delimiter: None,
            decimal: DecimalMark::Auto,
        }
    }

    /// Reads the denominator from the named column.
    pub fn n(mut self, column: impl Into<String>) -> Self {
        self.n = Some(column.into());
        self
    }

    /// Sets the delimiter.
    pub fn delimiter(mut self, delimiter: u8) -> Self {
        self.delimiter = Some(delimiter);
        self
    }

    /// Sets the decimal mark.
    pub fn decimal(mut self, decimal: DecimalMark) -> Self {
        self.decimal = decimal;
        self
    }
}

fn is_missing(s: &str) -> bool {
    matches!(s, "" | "NA" | "na" | "NaN" | "nan" | "N/A")
}

/// Parses one number; `Ok(None)` for a missing cell, `Err(())` for text that is not a number.
fn parse_number(s: &str, comma: bool) -> Result<Option<f64>, ()> {
    let s = s.trim();
    if is_missing(s) {
        return Ok(None);
    }
    if !comma {
        return s.parse::<f64>().map(Some).map_err(|_| ());
    }
    let (int, frac) = match s.split_once(',') {
        Some((i, f)) => (i, Some(f)),
        None => (s, None),
    };
    let digits = int.trim_start_matches(['-', '+']);
    if digits.contains('.') {
        let mut groups = digits.split('.');
        let first = groups.next().unwrap_or("");
        if first.is_empty() || first.len() > 3 || groups.any(|g| g.len() != 3) {
            return Err(());
        }
    }
    let mut plain: String = int.chars().filter(|&c| c != '.').collect();
    if let Some(f) = frac {
        if f.contains(['.', ',']) {
            return Err(());
        }
        plain.push('.');
        plain.push_str(f);
    }
    plain.parse::<f64>().map(Some).map_err(|_| ())
}

fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .ok()
        .or_else(|| NaiveDate::parse_from_str(&format!("{s}-01"), "%Y-%m-%d").ok())
}

/// Reads a series from CSV text with a header line.
///
/// x is read as numbers if every x cell is a number, else as dates if every cell is an ISO date
/// or month, else as labels. Empty cells, `NA` and `NaN` are missing values.
///
/// # Errors
/// [`SpcError::MissingColumn`] for a column not in the header, [`SpcError::NotANumber`] for a y or
/// n cell that is not a number (naming line, column and text), [`SpcError::Csv`] for a malformed
/// line, [`SpcError::EmptySeries`] for text without data lines. Rows with an empty x are
/// skipped, as qicharts2 skips them.
///
/// Complexity: O(length of the text).
pub fn parse_series(text: &str, columns: &CsvColumns) -> Result<Series, SpcError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let header_line = text.lines().next().unwrap_or("");
    let delimiter = columns.delimiter.unwrap_or_else(|| {
        [b';', b'\t', b',']
            .into_iter()
            .find(|d| header_line.as_bytes().contains(d))
            .unwrap_or(b',')
    });
    let comma = match columns.decimal {
        DecimalMark::Auto => delimiter == b';',
        DecimalMark::Point => false,
        DecimalMark::Comma => true,
    };
    let expected = if comma {
        "a number like 1.234,5"
    } else {
        "a number like 1234.5"
    };
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| SpcError::Csv {
            line: 1,
            message: e.to_string(),
        })?
        .iter()
        .map(str::to_owned)
        .collect();
    let find = |name: &str| {
        header
            .iter()
            .position(|h| h == name.trim())
            .ok_or_else(|| SpcError::MissingColumn {
                column: name.to_owned(),
                header: header.join(", "),
            })
    };
    let xi = find(&columns.x)?;
    let yi = find(&columns.y)?;
    let ni = columns.n.as_deref().map(find).transpose()?;
    let mut xs = Vec::new();
    let mut rows = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| SpcError::Csv {
            line: e.position().map_or(0, |p| p.line() as usize),
            message: e.to_string(),
        })?;
        let line = record.position().map_or(0, |p| p.line() as usize);
        let cell = |i: usize| record.get(i).unwrap_or("");
        let x = cell(xi);
        if is_missing(x) {
            // qicharts2 drops rows without x.
            continue;
        }
        let num = |i: usize, name: &str| {
            parse_number(cell(i), comma).map_err(|()| SpcError::NotANumber {
                line,
                column: name.to_owned(),
                value: cell(i).to_owned(),
                expected,
            })
        };
        let y = num(yi, &columns.y)?;
        let n = match (ni, columns.n.as_deref()) {
            (Some(i), Some(name)) => num(i, name)?,
            _ => None,
        };
        xs.push(x.to_owned());
        rows.push((y, n));
    }
    if rows.is_empty() {
        return Err(SpcError::EmptySeries);
    }
    let numbers: Option<Vec<f64>> = xs
        .iter()
        .map(|x| parse_number(x, comma).ok().flatten())
        .collect();
    let xvals: Vec<XValue> = if let Some(v) = numbers {
        v.into_iter().map(XValue::Number).collect()
    } else if let Some(d) = xs.iter().map(|x| parse_date(x)).collect::<Option<Vec<_>>>() {
        d.into_iter().map(XValue::Date).collect()
    } else {
        xs.into_iter().map(XValue::Label).collect()
    };
    Ok(Series::from_rows(
        xvals
            .into_iter()
            .zip(rows)
            .map(|(x, (y, n))| Row { x, y, n })
            .collect(),
    ))
}
