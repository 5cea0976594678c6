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

/// Powers of ten that are exact in an `f64`.
const POW10: [f64; 23] = [
    1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
    1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
];

/// Parses a plain decimal `[+-]digits[.digits]` of at most 19 digits whose digits, read as an
/// integer, stay at or below 2^53 and whose fraction has at most 22 digits; `None` for anything else (left to the
/// standard parser). Both the integer and the power of ten are exact, so the one division is
/// correctly rounded and the result equals `str::parse::<f64>` (Clinger 1990, "How to read
/// floating point numbers accurately", the fast path).
fn parse_plain(s: &[u8]) -> Option<f64> {
    let (neg, digits) = match s.split_first() {
        Some((b'-', rest)) => (true, rest),
        Some((b'+', rest)) => (false, rest),
        _ => (false, s),
    };
    let (mut m, mut count, mut frac, mut point) = (0u64, 0usize, 0usize, false);
    for &b in digits {
        let d = b.wrapping_sub(b'0');
        if d < 10 {
            // At most 19 digits are kept (checked below), so m < 10^19 < 2^64.
            m = m.wrapping_mul(10).wrapping_add(u64::from(d));
            count += 1;
            frac += usize::from(point);
        } else if b == b'.' && !point {
            point = true;
        } else {
            return None;
        }
    }
    if count == 0 || count > 19 || m > 1 << 53 || frac >= POW10.len() {
        return None;
    }
    // m <= 2^53: exact as i64 and as f64 (a signed conversion is one instruction).
    let v = m as i64 as f64 / POW10[frac];
    Some(if neg { -v } else { v })
}

/// Parses a decimal point number: the fast path, else the standard parser.
fn parse_point(s: &str) -> Result<f64, ()> {
    match parse_plain(s.as_bytes()) {
        Some(v) => Ok(v),
        None => s.parse::<f64>().map_err(|_| ()),
    }
}

/// [`parse_number`], with the fast path tried first on the untrimmed cell when the decimal mark
/// is a point (it accepts only `[+-]digits[.digits]`, which `parse_number` reads the same way).
fn parse_cell(s: &str, comma: bool) -> Result<Option<f64>, ()> {
    if !comma {
        if let Some(v) = parse_plain(s.as_bytes()) {
            return Ok(Some(v));
        }
    }
    parse_number(s, comma)
}

/// Parses one number; `Ok(None)` for a missing cell, `Err(())` for text that is not a number.
pub(super) fn parse_number(s: &str, comma: bool) -> Result<Option<f64>, ()> {
    let s = trim(s);
    if is_missing(s) {
        return Ok(None);
    }
    if !comma {
        return parse_point(s).map(Some);
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
    if frac.is_some_and(|f| f.contains(['.', ','])) {
        return Err(());
    }
    // The same number with a decimal point and no group marks, built on the stack when short.
    let mut buf = [0u8; 64];
    let mut len = 0;
    let parts = int.bytes().filter(|&b| b != b'.');
    let tail = frac.map(|f| std::iter::once(b'.').chain(f.bytes()));
    for b in parts.chain(tail.into_iter().flatten()) {
        match buf.get_mut(len) {
            Some(slot) => *slot = b,
            None => return parse_comma_long(int, frac),
        }
        len += 1;
    }
    let plain = std::str::from_utf8(&buf[..len]).map_err(|_| ())?;
    parse_point(plain).map(Some)
}

/// [`parse_number`] with a decimal comma for cells longer than its stack buffer.
#[cold]
fn parse_comma_long(int: &str, frac: Option<&str>) -> Result<Option<f64>, ()> {
    let mut plain: String = int.chars().filter(|&c| c != '.').collect();
    if let Some(f) = frac {
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

/// A series read from CSV text, with the cells of its numbers that are written exactly as the
/// numbers print: for writers that print the rows' x and y again and may copy such a cell
/// instead of formatting its number (see [`parse_series_text`]).
///
/// ```
/// use kompas_evidence::spc::{parse_series_text, CsvColumns};
///
/// let text = "x,y\n1,2.50\n2,-0.125\n3,1e3\n";
/// let parsed = parse_series_text(text, &CsvColumns::new("x", "y"))?;
/// assert_eq!(parsed.x_text(1), Some("2"));
/// // `2.50` reads as 2.5, which prints as `2.5`: not the cell's text.
/// assert_eq!(parsed.y_text(0), None);
/// assert_eq!(parsed.y_text(1), Some("-0.125"));
/// assert_eq!(parsed.y_text(2), None);
/// assert_eq!(parsed.series().rows()[2].y, Some(1000.0));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct SeriesText<'t> {
    series: Series,
    text: &'t str,
    /// One entry per row, or none at all (a text read by the general reader, or with dates or
    /// labels in x).
    cells: Vec<CellSpans>,
}

/// Where a row's x and y cells start in the text and how long they are; a length of 0: the
/// cell is not written as its number prints.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct CellSpans {
    x: u32,
    y: u32,
    x_len: u8,
    y_len: u8,
}

impl<'t> SeriesText<'t> {
    /// The series.
    pub fn series(&self) -> &Series {
        &self.series
    }

    /// The series, without the text.
    pub fn into_series(self) -> Series {
        self.series
    }

    /// The x cell of row `row` (0-based, in the order of [`Series::rows`]) when that row's x
    /// is [`XValue::Number`] `v` and the cell is exactly `format!("{v}")`, else `None`.
    pub fn x_text(&self, row: usize) -> Option<&'t str> {
        let c = self.cells.get(row)?;
        self.span(c.x, c.x_len)
    }

    /// The y cell of row `row` when that row's y is `Some(v)` and the cell is exactly
    /// `format!("{v}")`, else `None`.
    pub fn y_text(&self, row: usize) -> Option<&'t str> {
        let c = self.cells.get(row)?;
        self.span(c.y, c.y_len)
    }

    #[inline]
    fn span(&self, start: u32, len: u8) -> Option<&'t str> {
        if len == 0 {
            return None;
        }
        let start = start as usize;
        self.text.get(start..start + usize::from(len))
    }
}

impl From<Series> for SeriesText<'static> {
    /// The series without any noted cell.
    fn from(series: Series) -> Self {
        SeriesText {
            series,
            text: "",
            cells: Vec::new(),
        }
    }
}

/// Reads a series as [`parse_series`] does, and notes which x and y cells are written exactly
/// as their numbers print with `{}` (see [`SeriesText`]).
///
/// A cell counts when it is a plain decimal of at most 15 digits in the form Rust's `{}` writes
/// an `f64`: an optional `-`, an integer part without a leading zero (`0` itself aside), and
/// optionally a `.` and a fraction that does not end in `0`; not `-0`; surrounding blanks
/// aside. Such a cell reads as the double nearest to it, and as decimals of at most 15
/// significant digits read as distinct doubles (DBL_DIG), no shorter text reads back to that
/// double and no other text of its length does: the cell is the shortest text that reads back,
/// which is what `{}` prints. With a decimal comma only whole numbers count (`.` groups digits
/// there).
///
/// # Errors
/// As [`parse_series`].
///
/// # Complexity
/// As [`parse_series`], plus 12 bytes per row when x holds numbers and the text is read by the
/// fast reader (no quotes); otherwise no cell is noted.
pub fn parse_series_text<'t>(
    text: &'t str,
    columns: &CsvColumns,
) -> Result<SeriesText<'t>, SpcError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (delimiter, comma) = dialect(text, columns);
    // Spans are kept as 32-bit offsets.
    let keep = u32::try_from(text.len()).is_ok();
    if let Some((series, cells)) = parse_plain_csv_cells(text, columns, delimiter, comma, keep) {
        return Ok(SeriesText {
            series,
            text,
            cells,
        });
    }
    let series = parse_quoted_csv(text, columns, delimiter, comma)?;
    Ok(SeriesText {
        series,
        text,
        cells: Vec::new(),
    })
}

/// Whether `s` (a trimmed cell) is written exactly as `format!("{}", v)` writes the `f64` `v`
/// it reads as; see [`parse_series_text`].
fn prints_as_written(s: &[u8], comma: bool) -> bool {
    let digits = s.strip_prefix(b"-").unwrap_or(s);
    let negative = digits.len() != s.len();
    let (int, frac) = match digits.iter().position(|&b| b == b'.') {
        Some(p) => (&digits[..p], Some(&digits[p + 1..])),
        None => (digits, None),
    };
    let frac_ok = match frac {
        None => true,
        Some(f) => {
            !comma && f.last().is_some_and(|&b| b != b'0') && f.iter().all(u8::is_ascii_digit)
        }
    };
    let frac_len = frac.map_or(0, <[u8]>::len);
    frac_ok
        && !int.is_empty()
        && int.len() + frac_len <= 15
        && int.iter().all(u8::is_ascii_digit)
        && (int.len() == 1 || int[0] != b'0')
        && !(negative && int == b"0" && frac.is_none())
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
/// Complexity: O(length of the text); no allocation per cell (cells are read in place and
/// numbers parsed from the text) unless x holds labels. A text without quotes whose data lines
/// take 512 KiB or more is read in two halves, the second on a scoped thread of its own.
pub fn parse_series(text: &str, columns: &CsvColumns) -> Result<Series, SpcError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let (delimiter, comma) = dialect(text, columns);
    if let Some(series) = parse_plain_csv(text, columns, delimiter, comma) {
        return Ok(series);
    }
    parse_quoted_csv(text, columns, delimiter, comma)
}

/// The delimiter and whether numbers have a decimal comma.
fn dialect(text: &str, columns: &CsvColumns) -> (u8, bool) {
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
    (delimiter, comma)
}

/// The rows' x cells read as numbers if every one is a number, else as dates if every one is an
/// ISO date or month, else as labels.
fn x_values<'a, I>(xs: I, comma: bool) -> Vec<XValue>
where
    I: ExactSizeIterator<Item = &'a str> + Clone,
{
    let mut numbers = Vec::with_capacity(xs.len());
    for x in xs.clone() {
        match parse_number(x, comma).ok().flatten() {
            Some(v) => numbers.push(XValue::Number(v)),
            None => {
                return match xs.clone().map(parse_date).collect::<Option<Vec<_>>>() {
                    Some(d) => d.into_iter().map(XValue::Date).collect(),
                    None => xs.map(|x| XValue::Label(x.to_owned())).collect(),
                };
            }
        }
    }
    numbers
}

/// The fast reader for text without quotes: cells are split in place and numbers parsed straight
/// from the text, one pass over the bytes. `None` for anything it does not handle exactly as
/// [`parse_quoted_csv`] does (a quote, a lone carriage return, a non-ASCII delimiter) and for
/// every error, so that errors and unusual files take the general reader.
pub(super) fn parse_plain_csv(
    text: &str,
    columns: &CsvColumns,
    delimiter: u8,
    comma: bool,
) -> Option<Series> {
    parse_plain_csv_cells(text, columns, delimiter, comma, false).map(|(series, _)| series)
}

/// [`parse_plain_csv`], with the spans of the rows' x and y cells when `keep` and x holds
/// numbers (else none).
fn parse_plain_csv_cells(
    text: &str,
    columns: &CsvColumns,
    delimiter: u8,
    comma: bool,
    keep: bool,
) -> Option<(Series, Vec<CellSpans>)> {
    if !delimiter.is_ascii() || matches!(delimiter, b'"' | b'\n' | b'\r') {
        return None;
    }
    // No quotes, and every carriage return ends a line: then a line ends at `\n` (a `\r`
    // before it dropped) and cells end at the delimiter.
    let bytes = text.as_bytes();
    if bytes.contains(&b'"')
        || !text
            .match_indices('\r')
            .all(|(i, _)| matches!(bytes.get(i + 1), None | Some(b'\n')))
    {
        return None;
    }
    let mut records = PlainRecords {
        bytes: text.as_bytes(),
        pos: 0,
        delimiter,
    };
    let mut names = Vec::new();
    let header = records.next_line()?;
    records.split(header, |start, end| {
        names.push(trim(text.get(start..end).unwrap_or("")));
    });
    let find = |name: &str| names.iter().position(|h| *h == name.trim());
    let xi = find(&columns.x)?;
    let yi = find(&columns.y)?;
    let ni = match columns.n.as_deref() {
        Some(n) => Some(find(n)?),
        None => None,
    };
    let cells = Cells {
        width: names.len(),
        xi,
        yi,
        ni,
        comma,
        keep,
    };
    // Numbers in x (the usual case): rows straight from the text, a large text in two halves.
    let body = bytes.len().saturating_sub(records.pos);
    let numeric = if body >= SPLIT_TEXT {
        numeric_rows_split(text, &cells, &records)?
    } else {
        numeric_rows(text, &cells, &mut records.clone())?
    };
    let mut spans = Vec::new();
    let rows = match numeric {
        Some((rows, s)) => {
            spans = s;
            rows
        }
        None => {
            // Dates or labels in x: read again, keeping the x cells.
            let (mut xs, mut yn) = (Vec::new(), Vec::new());
            cells.each(text, &mut records, |x, y, n, _| {
                xs.push(x);
                yn.push((y, n));
                true
            })?;
            x_values(xs.iter().copied(), comma)
                .into_iter()
                .zip(yn)
                .map(|(x, (y, n))| Row { x, y, n })
                .collect()
        }
    };
    if rows.is_empty() {
        return None;
    }
    Some((Series::from_rows(rows), spans))
}

/// Texts whose data lines take at least this many bytes (512 KiB, some 40,000 lines) are read in
/// two halves on two threads.
const SPLIT_TEXT: usize = 1 << 19;

/// The rows of the records from `records.pos` on when every x is a number (at most one row per
/// line): `Some(None)` when an x is not a number, `None` at a record the fast reader leaves to
/// the general one.
fn numeric_rows(
    text: &str,
    cells: &Cells,
    records: &mut PlainRecords<'_>,
) -> Option<Option<NumericRows>> {
    let bytes = text.as_bytes();
    numeric_rows_into(text, cells, records, line_count(bytes, records.pos) + 1)
}

/// The rows read, and their cells' spans when kept (else none).
type NumericRows = (Vec<Row>, Vec<CellSpans>);

/// The number of `\n` in `bytes` from `from` on: eight bytes at a time (a byte of a word is
/// `\n` when it is zero after an exclusive or with `\n`s, found without carries between bytes:
/// Mycroft's test made exact), counted in byte-wide lanes summed every 255 words.
fn line_count(bytes: &[u8], from: usize) -> usize {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    const NEWLINES: u64 = 0x0a0a_0a0a_0a0a_0a0a;
    let bytes = &bytes[from.min(bytes.len())..];
    let mut words = bytes.chunks_exact(8);
    let mut count = 0;
    let mut lanes = 0u64;
    for (k, word) in words.by_ref().enumerate() {
        let mut w = [0u8; 8];
        w.copy_from_slice(word);
        let x = u64::from_le_bytes(w) ^ NEWLINES;
        // High bit of a byte set exactly when the byte of x is zero.
        let zero = !(((x & LOW7) + LOW7) | x | LOW7);
        lanes += zero >> 7;
        if k % 255 == 254 {
            count += lane_sum(lanes);
            lanes = 0;
        }
    }
    count += lane_sum(lanes);
    count + words.remainder().iter().filter(|&&b| b == b'\n').count()
}

/// The sum of the eight bytes of `lanes`.
fn lane_sum(lanes: u64) -> usize {
    const PAIRS: u64 = 0x00ff_00ff_00ff_00ff;
    let pairs = (lanes & PAIRS) + ((lanes >> 8) & PAIRS);
    (pairs.wrapping_mul(0x0001_0001_0001_0001) >> 48) as usize
}

/// [`numeric_rows`] into a vector of the given capacity.
fn numeric_rows_into(
    text: &str,
    cells: &Cells,
    records: &mut PlainRecords<'_>,
    capacity: usize,
) -> Option<Option<NumericRows>> {
    let mut rows = Vec::with_capacity(capacity);
    let mut spans = Vec::with_capacity(if cells.keep { capacity } else { 0 });
    let base = text.as_ptr() as usize;
    // The offset of a cell (a slice of `text`) in the text.
    let offset = |cell: &str| (cell.as_ptr() as usize - base) as u32;
    let comma = cells.comma;
    let numeric = cells.each(text, records, |x, y, n, y_cell| {
        match parse_cell(x, comma) {
            Ok(Some(v)) => {
                rows.push(Row {
                    x: XValue::Number(v),
                    y,
                    n,
                });
                if cells.keep {
                    let y_cell = trim(y_cell);
                    let mut s = CellSpans::default();
                    if prints_as_written(x.as_bytes(), comma) {
                        s.x = offset(x);
                        s.x_len = x.len() as u8;
                    }
                    if y.is_some() && prints_as_written(y_cell.as_bytes(), comma) {
                        s.y = offset(y_cell);
                        s.y_len = y_cell.len() as u8;
                    }
                    spans.push(s);
                }
                true
            }
            _ => false,
        }
    })?;
    Some(numeric.then_some((rows, spans)))
}

/// [`numeric_rows`] with the text cut at the first line end after its middle, the second half
/// read on a scoped thread while the calling thread reads the first. Records never span a line
/// end in a text without quotes, so the halves' rows joined are the whole text's, and either
/// half's `None` (or non-number x) is the whole text's answer too: the general reader, or the
/// second reading, then sees the text from its start.
fn numeric_rows_split(
    text: &str,
    cells: &Cells,
    records: &PlainRecords<'_>,
) -> Option<Option<NumericRows>> {
    let bytes = text.as_bytes();
    let mid = records.pos + (bytes.len() - records.pos) / 2;
    let Some(cut) = bytes[mid..]
        .iter()
        .position(|&b| b == b'\n')
        .map(|i| mid + i + 1)
    else {
        return numeric_rows(text, cells, &mut records.clone());
    };
    // `cut` follows a `\n`, so it is a character boundary.
    let head = text.get(..cut)?;
    let mut first = PlainRecords {
        bytes: head.as_bytes(),
        pos: records.pos,
        delimiter: records.delimiter,
    };
    let mut second = PlainRecords {
        bytes,
        pos: cut,
        delimiter: records.delimiter,
    };
    let (a, b) = std::thread::scope(|scope| {
        let later = scope.spawn(|| numeric_rows(text, cells, &mut second));
        // Room for every row, so that the second half's rows join without a reallocation.
        let capacity = line_count(bytes, records.pos) + 1;
        let a = numeric_rows_into(head, cells, &mut first, capacity);
        (a, later.join())
    });
    let b = b.unwrap_or_else(|panic| std::panic::resume_unwind(panic));
    match (a?, b?) {
        (Some(mut a), Some(mut b)) => {
            a.0.append(&mut b.0);
            a.1.append(&mut b.1);
            Some(Some(a))
        }
        _ => Some(None),
    }
}

/// Trims whitespace as `str::trim` does, ASCII first.
fn trim(s: &str) -> &str {
    let t = s.trim_ascii();
    match (t.as_bytes().first(), t.as_bytes().last()) {
        (Some(a), Some(b)) if !a.is_ascii() || !b.is_ascii() => t.trim(),
        _ => t,
    }
}

/// Which cells of a record to read.
struct Cells {
    width: usize,
    xi: usize,
    yi: usize,
    ni: Option<usize>,
    comma: bool,
    /// Whether the spans of the x and y cells are wanted.
    keep: bool,
}

impl Cells {
    /// Calls `row(x, y, n, y cell)` for every record with an x (x trimmed, the y cell as
    /// written), until it returns false; `Some(true)` when
    /// every record was seen, `Some(false)` when `row` stopped, `None` at a record the fast
    /// reader leaves to the general one. One pass over the bytes after the header; the text has
    /// no quotes and no carriage return but before `\n` (checked by the caller).
    fn each<'a>(
        &self,
        text: &'a str,
        records: &mut PlainRecords<'_>,
        mut row: impl FnMut(&'a str, Option<f64>, Option<f64>, &'a str) -> bool,
    ) -> Option<bool> {
        let bytes = text.as_bytes();
        let delimiter = records.delimiter;
        let cell = |span: (usize, usize)| text.get(span.0..span.1);
        let mut pos = records.pos;
        while pos < bytes.len() {
            let mut spans = [(0, 0); 3];
            let (mut k, mut start, mut i) = (0, pos, pos);
            let mut mark = |k: usize, start: usize, end: usize| {
                if k == self.xi {
                    spans[0] = (start, end);
                }
                if k == self.yi {
                    spans[1] = (start, end);
                }
                if Some(k) == self.ni {
                    spans[2] = (start, end);
                }
            };
            while let Some(&b) = bytes.get(i) {
                if b == delimiter {
                    mark(k, start, i);
                    k += 1;
                    start = i + 1;
                } else if b == b'\n' {
                    break;
                }
                i += 1;
            }
            let line_start = pos;
            pos = i + 1;
            let end = if i > start && bytes[i - 1] == b'\r' {
                i - 1
            } else {
                i
            };
            if end == line_start {
                continue; // an empty line
            }
            mark(k, start, end);
            if k + 1 != self.width {
                return None;
            }
            let x = trim(cell(spans[0])?);
            if !x.as_bytes().first().is_some_and(u8::is_ascii_digit) && is_missing(x) {
                continue;
            }
            let y_cell = cell(spans[1])?;
            let y = parse_cell(y_cell, self.comma).ok()?;
            let n = match self.ni {
                Some(_) => parse_cell(cell(spans[2])?, self.comma).ok()?,
                None => None,
            };
            if !row(x, y, n, y_cell) {
                return Some(false);
            }
        }
        Some(true)
    }
}

/// The non-empty lines of a text without quotes, as byte ranges.
#[derive(Clone)]
struct PlainRecords<'a> {
    bytes: &'a [u8],
    /// Where the next line starts; `usize::MAX` after a quote or a lone carriage return.
    pos: usize,
    delimiter: u8,
}

impl PlainRecords<'_> {
    /// The next non-empty line (without its `\n` or `\r\n`), or `None` at the end of the text
    /// and at a quote or a carriage return that does not end a line.
    fn next_line(&mut self) -> Option<(usize, usize)> {
        let bytes = self.bytes;
        while self.pos < bytes.len() {
            let start = self.pos;
            let mut end = start;
            while let Some(&b) = bytes.get(end) {
                match b {
                    b'\n' => break,
                    b'"' => {
                        self.pos = usize::MAX;
                        return None;
                    }
                    b'\r' if !matches!(bytes.get(end + 1), None | Some(b'\n')) => {
                        self.pos = usize::MAX;
                        return None;
                    }
                    _ => end += 1,
                }
            }
            self.pos = end + 1;
            let stop = if end > start && bytes[end - 1] == b'\r' {
                end - 1
            } else {
                end
            };
            if stop > start {
                return Some((start, stop));
            }
        }
        None
    }

    /// Calls `cell(start, end)` for each cell of a line, split at the delimiter.
    fn split(&self, line: (usize, usize), mut cell: impl FnMut(usize, usize)) {
        let mut start = line.0;
        for (i, &b) in self.bytes[line.0..line.1].iter().enumerate() {
            if b == self.delimiter {
                cell(start, line.0 + i);
                start = line.0 + i + 1;
            }
        }
        cell(start, line.1);
    }
}

/// The general reader (the `csv` crate): quoted cells, any line ending, and the errors.
pub(super) fn parse_quoted_csv(
    text: &str,
    columns: &CsvColumns,
    delimiter: u8,
    comma: bool,
) -> Result<Series, SpcError> {
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
    let xvals = x_values(xs.iter().map(String::as_str), comma);
    Ok(Series::from_rows(
        xvals
            .into_iter()
            .zip(rows)
            .map(|(x, (y, n))| Row { x, y, n })
            .collect(),
    ))
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::{CsvColumns, parse_number, parse_plain_csv, parse_quoted_csv};

    /// A CSV text without quotes, its delimiter and whether it has decimal commas: a header
    /// `a,b,c` and rows of numbers written for the delimiter and decimal mark, with now and then
    /// a date, a missing cell, a cell of junk, a row of the wrong width, an empty line, `\r\n`
    /// or a lone `\r`.
    fn plain_text() -> impl Strategy<Value = (String, u8, bool)> {
        prop::sample::select(vec![
            (b',', false),
            (b';', true),
            (b'\t', true),
            (b'\t', false),
        ])
        .prop_flat_map(|(d, comma)| {
            let number = if comma {
                " ?-?[0-9]{1,3}(\\.[0-9]{3}){0,2}(,[0-9]{1,3})? ?"
            } else {
                " ?-?[0-9]{1,4}(\\.[0-9]{1,3})? ?"
            };
            let cell = prop_oneof![
                40 => number,
                3 => "2021-0[1-9](-1[0-9])?|NA| |",
                1 => "[0-9 .,;a\\-]{0,6}",
            ];
            let row = prop_oneof![
                60 => prop::collection::vec(cell.clone(), 3..=3),
                1 => prop::collection::vec(cell, 0..5),
            ];
            let end = prop_oneof![
                60 => Just("\n"),
                20 => Just("\r\n"),
                5 => Just("\n\n"),
                1 => Just("\r"),
            ];
            (
                prop::collection::vec((row, end), 0..12),
                any::<bool>(),
                Just(d),
                Just(comma),
            )
        })
        .prop_map(|(rows, last_end, d, comma)| {
            let d = char::from(d);
            let mut text = format!("a{d}b{d}c\n");
            for (k, (cells, end)) in rows.iter().enumerate() {
                text.push_str(&cells.join(&d.to_string()));
                if last_end || k + 1 < rows.len() {
                    text.push_str(end);
                }
            }
            (text, d as u8, comma)
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(512))]

        /// The fast reader, whenever it answers, answers as the general reader does.
        #[test]
        fn fast_reader_agrees_with_the_csv_reader((text, d, comma) in plain_text(), with_n in any::<bool>()) {
            let mut cols = CsvColumns::new("a", "b");
            if with_n {
                cols = cols.n("c");
            }
            if let Some(fast) = parse_plain_csv(&text, &cols, d, comma) {
                prop_assert_eq!(Ok(fast), parse_quoted_csv(&text, &cols, d, comma));
            }
        }

        /// The fast number path gives the standard parser's result.
        #[test]
        fn numbers_parse_as_the_standard_parser(s in "[+-]?[0-9]{0,20}(\\.[0-9]{0,26})?") {
            prop_assert_eq!(parse_number(&s, false).ok().flatten(), s.parse::<f64>().ok().filter(|_| !s.is_empty()));
        }

        /// Printed floats read back exactly.
        #[test]
        fn printed_floats_read_back(v in any::<f64>().prop_filter("finite", |v| v.is_finite())) {
            for s in [format!("{v}"), format!("{v:.4}"), format!("{v:e}"), format!("{v:.12}")] {
                prop_assert_eq!(parse_number(&s, false), Ok(Some(s.parse::<f64>().unwrap_or(f64::NAN))));
            }
        }
    }

    /// Texts long enough to be read in two halves, with something unusual in the second half
    /// (or at the cut): the halves' answer is the general reader's.
    #[test]
    fn large_texts_read_in_halves_as_the_csv_reader_reads_them() {
        let cols = CsvColumns::new("x", "y").n("n");
        let line = |i: usize| format!("{i},{}.{},{}\r\n", i % 97, i % 13, 100 + i % 7);
        let body: String = (1..=40_000).map(line).collect();
        assert!(body.len() >= super::SPLIT_TEXT);
        let late = body.len() * 3 / 4;
        let late = late + body[late..].find('\n').unwrap() + 1;
        let middle = body.len() / 2;
        let middle = middle + body[middle..].find('\n').unwrap() + 1;
        let variants = [
            body.clone(),
            // A label x, an empty line, a missing x, a malformed record, a bad number: late,
            // and right at the cut.
            format!("{}2021-01,1,2\n{}", &body[..late], &body[late..]),
            format!("{}\n\n{}", &body[..middle], &body[middle..]),
            format!("{}NA,1,2\n{}", &body[..middle], &body[middle..]),
            format!("{}1,2\n{}", &body[..late], &body[late..]),
            format!("{}5,a,2\n{}", &body[..late], &body[late..]),
            format!("{}7,1,2\n", &body[..body.len() - 2]),
        ];
        for (k, v) in variants.iter().enumerate() {
            let text = format!("x,y,n\n{v}");
            let general = parse_quoted_csv(&text, &cols, b',', false);
            match parse_plain_csv(&text, &cols, b',', false) {
                Some(fast) => assert_eq!(Ok(fast), general, "variant {k}"),
                // Only errors are left to the general reader here.
                None => assert!(general.is_err(), "variant {k}"),
            }
        }
    }

    #[test]
    fn lines_are_counted_as_a_byte_by_byte_count_counts_them() {
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        for len in (0..80).chain([2039, 2040, 2041, 4096, 20_000]) {
            let bytes: Vec<u8> = (0..len)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    // Mostly newlines, and bytes next to them in value.
                    [b'\n', b'\n', b'\x0b', b'\x8a', b'a', 0, b'\t'][(state % 7) as usize]
                })
                .collect();
            for from in [0, 1, 7, len / 2, len + 3] {
                let slow = bytes
                    .get(from..)
                    .map_or(0, |b| b.iter().filter(|&&b| b == b'\n').count());
                assert_eq!(super::line_count(&bytes, from), slow, "{len} {from}");
            }
        }
        assert_eq!(super::line_count(&[b'\n'; 10_000], 0), 10_000);
    }

    #[test]
    fn fast_reader_answers_for_ordinary_files() {
        let cols = CsvColumns::new("x", "y").n("n");
        let text = "x,y,n\r\n1,2,10\r\n\r\n2, 3 ,20\n";
        let fast = parse_plain_csv(text, &cols, b',', false);
        assert!(fast.is_some());
        assert_eq!(
            fast.map(Ok),
            Some(parse_quoted_csv(text, &cols, b',', false))
        );
        // Quotes, lone carriage returns and errors take the general reader.
        for text in [
            "x,y,n\n\"1\",2,3\n",
            "x,y,n\n1,2,3\r2,3,4\n",
            "x,y,n\n1,a,3\n",
            "x,y,n\n1,2\n",
        ] {
            assert_eq!(parse_plain_csv(text, &cols, b',', false), None, "{text:?}");
        }
    }
}
