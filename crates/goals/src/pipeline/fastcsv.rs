//! The fast path for reading iData: one pass over the bytes in parallel chunks of whole lines,
//! numbers parsed in place (no per-cell string), values written straight into their columns.
//!
//! It accepts only plain files (no quotes, no blank lines, `\n` or `\r\n` line ends, every row
//! with the header's field count, every cell valid) and returns `None` for anything else, so
//! that the general reader (the `csv` crate) handles the file and reports the error. On the
//! files it accepts it gives exactly what the general reader gives.

use std::collections::HashMap;
use std::collections::HashSet;

use super::coin::GroupColumn;
use super::number::parse_prefix;
use super::par;

/// The target size of a chunk of lines parsed by one task.
const CHUNK: usize = 1 << 20;

/// What a column of iData holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Code,
    Name,
    Group(usize),
    Number(usize),
    Skip,
}

/// What the fast path read: numeric columns (indicators, then denominators) column-major.
pub(crate) struct FastData {
    pub(crate) units: Vec<String>,
    pub(crate) unit_names: Vec<String>,
    pub(crate) groups: Vec<GroupColumn>,
    /// `numbers[c * units + u]`, NaN = missing; the columns in the order asked for.
    pub(crate) numbers: Vec<f64>,
}

/// Byte offset one past the end of the line starting at or before `from` (past its `\n`), or
/// the end of `b`.
fn line_end(b: &[u8], from: usize) -> usize {
    b[from..]
        .iter()
        .position(|&c| c == b'\n')
        .map_or(b.len(), |p| from + p + 1)
}

/// The end of the field starting at `pos`: the first `,`, `\n`, `\r` or `"`, or the end.
fn field_end(b: &[u8], pos: usize) -> usize {
    b[pos..]
        .iter()
        .position(|&c| matches!(c, b',' | b'\n' | b'\r' | b'"'))
        .map_or(b.len(), |p| pos + p)
}

/// Consumes the delimiter at `pos` after field number `c` of `fields`: a comma when more
/// fields follow, a line end (`\n`, `\r\n` or the end of the text) after the last. Returns the
/// next position, or `None` when the row is malformed for the fast path.
fn delimiter(b: &[u8], pos: usize, last: bool) -> Option<usize> {
    match b.get(pos) {
        Some(b',') if !last => Some(pos + 1),
        Some(b'\n') if last => Some(pos + 1),
        Some(b'\r') if last && b.get(pos + 1) == Some(&b'\n') => Some(pos + 2),
        None if last => Some(pos),
        _ => None,
    }
}

/// The trimmed text of the field `b[pos..end]`, or `None` when it is not valid UTF-8.
fn text(b: &[u8], pos: usize, end: usize) -> Option<&str> {
    std::str::from_utf8(&b[pos..end]).ok().map(str::trim)
}

/// A cell of a numeric column read the general way: empty or `NA` is missing, else a finite
/// number (`None` for anything else).
fn number_slow(b: &[u8], pos: usize, end: usize) -> Option<f64> {
    let v = text(b, pos, end)?;
    if v.is_empty() || v == "NA" {
        return Some(f64::NAN);
    }
    v.parse::<f64>().ok().filter(|x| x.is_finite())
}

/// Distinct labels of a group column within a chunk.
#[derive(Default)]
struct Interner<'a> {
    labels: Vec<&'a str>,
    index: HashMap<&'a str, u32>,
}

impl<'a> Interner<'a> {
    fn id(&mut self, label: &'a str) -> u32 {
        if self.labels.len() <= 16 {
            if let Some(k) = self.labels.iter().position(|l| *l == label) {
                return k as u32;
            }
        } else if let Some(&k) = self.index.get(label) {
            return k;
        }
        let k = self.labels.len() as u32;
        self.labels.push(label);
        if self.labels.len() > 16 {
            if self.index.is_empty() {
                for (i, l) in self.labels.iter().enumerate() {
                    self.index.insert(l, i as u32);
                }
            } else {
                self.index.insert(label, k);
            }
        }
        k
    }
}

/// What one chunk read besides its numbers.
struct ChunkOut<'a> {
    codes: Vec<String>,
    names: Vec<String>,
    groups: Vec<(Interner<'a>, Vec<u32>)>,
}

/// Parses the rows of one chunk (whole lines) into its slices of the numeric columns.
fn parse_chunk<'a>(
    b: &'a [u8],
    roles: &[Role],
    n_groups: usize,
    has_names: bool,
    rows: usize,
    mut cols: Vec<&mut [f64]>,
) -> Option<ChunkOut<'a>> {
    let mut out = ChunkOut {
        codes: Vec::with_capacity(rows),
        names: Vec::with_capacity(if has_names { rows } else { 0 }),
        groups: (0..n_groups)
            .map(|_| (Interner::default(), Vec::with_capacity(rows)))
            .collect(),
    };
    let last = roles.len() - 1;
    let mut pos = 0;
    #[allow(clippy::needless_range_loop)] // `row` indexes every numeric column
    for row in 0..rows {
        if matches!(b.get(pos), Some(b'\n' | b'\r') | None) {
            return None; // a blank line (or fewer lines than counted)
        }
        for (c, role) in roles.iter().enumerate() {
            let is_last = c == last;
            match *role {
                Role::Number(k) => {
                    let (v, end) = match parse_prefix(&b[pos..]) {
                        Some((v, len))
                            if matches!(b.get(pos + len), Some(b',' | b'\n' | b'\r') | None) =>
                        {
                            (v, pos + len)
                        }
                        _ => {
                            let end = field_end(b, pos);
                            (number_slow(b, pos, end)?, end)
                        }
                    };
                    cols[k][row] = v;
                    pos = delimiter(b, end, is_last)?;
                }
                _ => {
                    let end = field_end(b, pos);
                    let t = text(b, pos, end)?;
                    match *role {
                        Role::Code if t.is_empty() => return None,
                        Role::Code => out.codes.push(t.to_string()),
                        Role::Name => out.names.push(t.to_string()),
                        Role::Group(g) => {
                            let (interner, ids) = &mut out.groups[g];
                            ids.push(interner.id(t));
                        }
                        _ => {}
                    }
                    pos = delimiter(b, end, is_last)?;
                }
            }
        }
    }
    (pos == b.len()).then_some(out)
}

/// The number of lines in a chunk of whole lines (the last may lack its `\n`).
fn count_rows(b: &[u8]) -> usize {
    // Counts in bytes per block of 128 (at most 128 fits a u8), which the compiler vectorises.
    let newlines: usize = b
        .chunks(128)
        .map(|block| usize::from(block.iter().fold(0u8, |n, &c| n + u8::from(c == b'\n'))))
        .sum();
    newlines + usize::from(b.last().is_some_and(|&c| c != b'\n'))
}

/// Reads iData the fast way. `numeric` names the numeric columns (indicators, then
/// denominators), `groups` the group columns; the numbers get room for `spare` more columns
/// (capacity only). `None` when the file needs the general reader.
///
/// Complexity: O(B) for B bytes, on all cores with the `parallel` feature.
pub(crate) fn read(b: &[u8], numeric: &[&str], groups: &[&str], spare: usize) -> Option<FastData> {
    // The header.
    let body_start = line_end(b, 0);
    let header_line = &b[..body_start];
    if header_line.starts_with(&[0xEF, 0xBB, 0xBF]) || header_line.contains(&b'"') {
        return None;
    }
    let header_text = std::str::from_utf8(header_line).ok()?;
    let header_text = header_text
        .strip_suffix('\n')
        .map_or(header_text, |h| h.strip_suffix('\r').unwrap_or(h));
    if header_text.contains('\r') {
        return None;
    }
    let header: Vec<&str> = header_text.split(',').map(str::trim).collect();
    let mut roles = vec![Role::Skip; header.len()];
    let mut seen = HashSet::new();
    let mut assign = |name: &str, role: Role| -> Option<()> {
        let k = header.iter().position(|h| *h == name)?;
        if roles[k] != Role::Skip {
            return None; // one column, two roles: leave it to the general reader
        }
        roles[k] = role;
        Some(())
    };
    assign("uCode", Role::Code)?;
    if header.contains(&"uName") {
        assign("uName", Role::Name)?;
    }
    for (i, code) in numeric.iter().enumerate() {
        assign(code, Role::Number(i))?;
    }
    for (g, code) in groups.iter().enumerate() {
        assign(code, Role::Group(g))?;
    }
    for (h, role) in header.iter().zip(&roles) {
        if !seen.insert(*h) || (*role == Role::Skip && *h != "Time") {
            return None; // a duplicate or unknown column
        }
    }
    let has_names = roles.contains(&Role::Name);
    // Chunks of whole lines.
    let body = &b[body_start..];
    let mut bounds = vec![0];
    while let Some(&start) = bounds.last() {
        if start >= body.len() {
            break;
        }
        let target = (start + CHUNK).min(body.len());
        let end = if target == body.len() {
            target
        } else {
            line_end(body, target)
        };
        bounds.push(end);
    }
    let chunks: Vec<&[u8]> = bounds.windows(2).map(|w| &body[w[0]..w[1]]).collect();
    let counts = par::map(chunks.clone(), count_rows);
    let n: usize = counts.iter().sum();
    if n == 0 {
        return None;
    }
    // Numeric columns, split into each chunk's rows.
    // Zeroed memory is mapped lazily: each parsing task faults in the pages it writes (every
    // cell is written), and the spare columns cost nothing until used.
    let mut numbers = vec![0.0; (numeric.len() + spare) * n];
    numbers.truncate(numeric.len() * n);
    let mut pieces: Vec<Vec<&mut [f64]>> = counts
        .iter()
        .map(|_| Vec::with_capacity(numeric.len()))
        .collect();
    for column in numbers.chunks_mut(n) {
        let mut rest = column;
        for (piece, &rows) in pieces.iter_mut().zip(&counts) {
            let (head, tail) = rest.split_at_mut(rows);
            piece.push(head);
            rest = tail;
        }
    }
    let n_groups = groups.len();
    let roles = &roles;
    let outs = par::map(
        chunks
            .into_iter()
            .zip(counts)
            .zip(pieces)
            .collect::<Vec<_>>(),
        |((chunk, rows), cols)| parse_chunk(chunk, roles, n_groups, has_names, rows, cols),
    );
    // Assemble codes, names and groups in file order.
    let mut units = Vec::with_capacity(n);
    let mut unit_names = Vec::with_capacity(n);
    let mut group_cols: Vec<GroupColumn> = (0..n_groups).map(|_| GroupColumn::default()).collect();
    let mut global: Vec<HashMap<&str, u32>> = vec![HashMap::new(); n_groups];
    for out in outs {
        let out = out?;
        units.extend(out.codes);
        unit_names.extend(out.names);
        for ((interner, ids), (col, map)) in out
            .groups
            .into_iter()
            .zip(group_cols.iter_mut().zip(global.iter_mut()))
        {
            let remap: Vec<u32> = interner
                .labels
                .iter()
                .map(|l| *map.entry(l).or_insert_with(|| col.push_label(l)))
                .collect();
            col.extend_ids(ids.iter().map(|&i| remap[i as usize]));
        }
    }
    if !has_names {
        unit_names = vec![String::new(); n];
    }
    let mut codes = HashSet::with_capacity(n);
    if !units.iter().all(|u| codes.insert(u.as_str())) {
        return None; // a duplicate unit code
    }
    Some(FastData {
        units,
        unit_names,
        groups: group_cols,
        numbers,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_plain_files_and_declines_the_rest() {
        let text = b"uCode,uName,G,Time,a,b\nX,Ex,g1,2018,1.5,\nY,Why,g2,2018,NA, 3\r\nZ,Zed,g1,2018,-2e1,4\n";
        let d = read(text, &["a", "b"], &["G"], 0).unwrap();
        assert_eq!(d.units, ["X", "Y", "Z"]);
        assert_eq!(d.unit_names, ["Ex", "Why", "Zed"]);
        assert_eq!(d.groups[0].labels(), ["g1", "g2"]);
        assert_eq!(d.groups[0].ids(), [0, 1, 0]);
        let got: Vec<String> = d.numbers.iter().map(|v| v.to_string()).collect();
        assert_eq!(got, ["1.5", "NaN", "-20", "NaN", "3", "4"]);
        // Quotes, blank lines, unknown or duplicate columns, duplicate codes, bad numbers and
        // ragged rows go to the general reader.
        for bad in [
            &b"uCode,a\n\"X\",1\n"[..],
            b"uCode,a\nX,1\n\nY,2\n",
            b"uCode,a,c\nX,1,2\n",
            b"uCode,a,a\nX,1,2\n",
            b"uCode,a\nX,1\nX,2\n",
            b"uCode,a\nX,1x\n",
            b"uCode,a\nX,1,2\n",
            b"uCode,a\nX\n",
            b"uCode,a\n,1\n",
            b"uCode,a\nX,1\rY,2\n",
            b"uCode,a\n",
        ] {
            assert!(
                read(bad, &["a"], &[], 0).is_none(),
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
    }

    #[test]
    fn rows_are_counted_with_or_without_a_last_newline() {
        let text = "a\n".repeat(300);
        assert_eq!(count_rows(text.as_bytes()), 300);
        assert_eq!(count_rows(&text.as_bytes()[..599]), 300);
        assert_eq!(count_rows(b""), 0);
    }

    #[test]
    fn chunks_split_on_line_ends() {
        // More than one chunk: every row lands in its place.
        let mut text = String::from("uCode,a\n");
        let n = 150_000;
        for u in 0..n {
            text.push_str(&format!("U{u},{u}.25\n"));
        }
        let d = read(text.as_bytes(), &["a"], &[], 1).unwrap();
        assert_eq!(d.units.len(), n);
        assert!(
            d.numbers
                .iter()
                .enumerate()
                .all(|(u, v)| *v == u as f64 + 0.25)
        );
        assert_eq!(d.units[n - 1], format!("U{}", n - 1));
    }
}
