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

/// Distinct labels of a group column within a chunk (owned: the chunk's bytes may be a
/// reused buffer).
#[derive(Default)]
struct Interner {
    labels: Vec<String>,
    index: HashMap<String, u32>,
}

impl Interner {
    fn id(&mut self, label: &str) -> u32 {
        if self.labels.len() <= 16 {
            if let Some(k) = self.labels.iter().position(|l| l == label) {
                return k as u32;
            }
        } else if let Some(&k) = self.index.get(label) {
            return k;
        }
        let k = self.labels.len() as u32;
        self.labels.push(label.to_string());
        if self.labels.len() > 16 {
            if self.index.is_empty() {
                for (i, l) in self.labels.iter().enumerate() {
                    self.index.insert(l.clone(), i as u32);
                }
            } else {
                self.index.insert(label.to_string(), k);
            }
        }
        k
    }
}

/// What one chunk read besides its numbers.
struct ChunkOut {
    codes: Vec<String>,
    names: Vec<String>,
    groups: Vec<(Interner, Vec<u32>)>,
}

/// The layout of the columns: each column's role, and how many of each kind.
struct Layout {
    roles: Vec<Role>,
    n_groups: usize,
    has_names: bool,
}

/// Parses the whole lines of `b` (the last may lack its line end only at the end of the
/// file) into `out` and rows `row..` of `cols`; returns the next row, or `None` when a line
/// is malformed for the fast path or there are more lines than `cols` has rows.
fn parse_lines(
    b: &[u8],
    layout: &Layout,
    mut row: usize,
    cols: &mut [&mut [f64]],
    out: &mut ChunkOut,
) -> Option<usize> {
    let roles = &layout.roles;
    let last = roles.len() - 1;
    let rows = cols.first().map_or(usize::MAX, |c| c.len());
    let mut pos = 0;
    while pos < b.len() {
        if matches!(b[pos], b'\n' | b'\r') || row >= rows {
            return None; // a blank line, or more lines than counted
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
        row += 1;
    }
    Some(row)
}

/// The number of `\n` in `b`.
fn count_newlines(b: &[u8]) -> usize {
    // Counts in bytes per block of 128 (at most 128 fits a u8), which the compiler vectorises.
    b.chunks(128)
        .map(|block| usize::from(block.iter().fold(0u8, |n, &c| n + u8::from(c == b'\n'))))
        .sum()
}

/// Where the fast path reads its bytes: a slice in memory, or a file read in pieces into a
/// reused buffer (so that the file is never whole in memory).
pub(crate) trait Source: Sync {
    /// The length in bytes.
    fn len(&self) -> usize;
    /// The size of the pieces to ask for (a slice hands out any range without copying).
    fn piece_len(&self) -> usize;
    /// The bytes at `start..start + len`, clamped to the end: a part of the slice, or read into
    /// `buf`.
    fn piece<'b>(
        &'b self,
        start: usize,
        len: usize,
        buf: &'b mut Vec<u8>,
    ) -> std::io::Result<&'b [u8]>;
}

impl Source for [u8] {
    fn len(&self) -> usize {
        <[u8]>::len(self)
    }

    fn piece_len(&self) -> usize {
        usize::MAX
    }

    fn piece<'b>(
        &'b self,
        start: usize,
        len: usize,
        _: &'b mut Vec<u8>,
    ) -> std::io::Result<&'b [u8]> {
        let start = start.min(self.len());
        Ok(&self[start..start + len.min(self.len() - start)])
    }
}

/// Random-access bytes, read in pieces: an iData file handed in by the caller (the goals crate
/// does no I/O of its own). [`crate::Coin::from_csv_pieces`] reads them on all cores (with the
/// `parallel` feature) a few hundred kilobytes at a time, so a large file is never whole in
/// memory.
///
/// Bytes in memory implement it too (mostly for tests: [`crate::Coin::from_csv_bytes`] reads
/// them without copying).
///
/// ```
/// use kompas_goals::ReadAt;
///
/// let mut buf = [0u8; 3];
/// b"uCode,a"[..].read_exact_at(&mut buf, 2)?;
/// assert_eq!(&buf, b"ode");
/// assert_eq!(b"uCode,a"[..].size(), 7);
/// assert!(b"uCode,a"[..].read_exact_at(&mut buf, 5).is_err()); // past the end
/// # Ok::<(), std::io::Error>(())
/// ```
pub trait ReadAt: Sync {
    /// The length in bytes.
    fn size(&self) -> u64;
    /// Fills `buf` with the bytes at `offset..offset + buf.len()`; called from several threads
    /// at once.
    ///
    /// # Errors
    /// Those of the underlying read (an end of data before `buf` is full included).
    fn read_exact_at(&self, buf: &mut [u8], offset: u64) -> std::io::Result<()>;
}

impl ReadAt for [u8] {
    fn size(&self) -> u64 {
        self.len() as u64
    }

    fn read_exact_at(&self, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
        let part = usize::try_from(offset)
            .ok()
            .and_then(|start| self.get(start..start.checked_add(buf.len())?));
        buf.copy_from_slice(part.ok_or(std::io::ErrorKind::UnexpectedEof)?);
        Ok(())
    }
}

/// A [`ReadAt`] as a [`Source`] of pieces of `piece` bytes.
pub(crate) struct Pieces<'a, R: ReadAt + ?Sized> {
    pub(crate) src: &'a R,
    pub(crate) len: usize,
    pub(crate) piece: usize,
}

impl<'a, R: ReadAt + ?Sized> Pieces<'a, R> {
    /// Pieces of the default size.
    pub(crate) fn new(src: &'a R) -> std::io::Result<Self> {
        let len = usize::try_from(src.size()).map_err(std::io::Error::other)?;
        Ok(Pieces {
            src,
            len,
            piece: PIECE,
        })
    }
}

impl<R: ReadAt + ?Sized> Source for Pieces<'_, R> {
    fn len(&self) -> usize {
        self.len
    }

    fn piece_len(&self) -> usize {
        self.piece
    }

    fn piece<'b>(
        &'b self,
        start: usize,
        len: usize,
        buf: &'b mut Vec<u8>,
    ) -> std::io::Result<&'b [u8]> {
        let start = start.min(self.len);
        let len = len.min(self.len - start);
        if buf.len() < len {
            buf.resize(len, 0);
        }
        self.src.read_exact_at(&mut buf[..len], start as u64)?;
        Ok(&buf[..len])
    }
}

/// The size of the pieces a file is read in: small enough to stay in a core's cache.
const PIECE: usize = 1 << 18;

/// Calls `f` on consecutive pieces of `src[start..end]`, each ending at a line end (`\n`, or
/// `end` for the last); `f` returns `None` to stop. `Ok(None)` when stopped.
fn for_lines<S: Source + ?Sized>(
    src: &S,
    start: usize,
    end: usize,
    mut f: impl FnMut(&[u8]) -> Option<()>,
) -> std::io::Result<Option<()>> {
    let mut buf = Vec::new();
    let mut want = src.piece_len();
    let mut pos = start;
    while pos < end {
        let piece = src.piece(pos, want.min(end - pos), &mut buf)?;
        if piece.is_empty() {
            return Err(std::io::ErrorKind::UnexpectedEof.into());
        }
        let cut = if pos + piece.len() >= end {
            piece.len()
        } else {
            match piece.iter().rposition(|&c| c == b'\n') {
                Some(p) => p + 1,
                None => {
                    want = want.saturating_mul(2); // a line longer than a piece
                    continue;
                }
            }
        };
        if f(&piece[..cut]).is_none() {
            return Ok(None);
        }
        pos += cut;
    }
    Ok(Some(()))
}

/// The header line of `src` (without its line end) and the offset of the first body byte.
fn header_line<S: Source + ?Sized>(src: &S) -> std::io::Result<(Vec<u8>, usize)> {
    let mut buf = Vec::new();
    let mut want = src.piece_len().min(1 << 16);
    loop {
        let piece = src.piece(0, want, &mut buf)?;
        if let Some(p) = piece.iter().position(|&c| c == b'\n') {
            return Ok((piece[..=p].to_vec(), p + 1));
        }
        if piece.len() < want {
            return Ok((piece.to_vec(), piece.len()));
        }
        want = want.saturating_mul(2);
    }
}

/// One range of the body as counted by the first pass: its `\n`s and the offset of its first.
struct Counted {
    newlines: usize,
    first: Option<usize>,
}

/// Reads iData the fast way from `src`. `numeric` names the numeric columns (indicators, then
/// denominators), `groups` the group columns; the numbers get room for `spare` more columns
/// (capacity only). `Ok(None)` when the file needs the general reader.
///
/// Two passes over the bytes, each in parallel ranges with the `parallel` feature: the first
/// counts the lines of each range (so every row knows its place in the columns), the second
/// parses them. A file is read in pieces of [`PIECE`] bytes each time, so it is never whole in
/// memory.
///
/// # Errors
/// Those of reading the file.
///
/// Complexity: O(B) for B bytes.
pub(crate) fn read<S: Source + ?Sized>(
    src: &S,
    numeric: &[&str],
    groups: &[&str],
    spare: usize,
) -> std::io::Result<Option<FastData>> {
    read_in(src, numeric, groups, spare, CHUNK)
}

/// [`read`] with ranges of `chunk` bytes.
fn read_in<S: Source + ?Sized>(
    src: &S,
    numeric: &[&str],
    groups: &[&str],
    spare: usize,
    chunk: usize,
) -> std::io::Result<Option<FastData>> {
    // The header.
    let (header_line, body_start) = header_line(src)?;
    let Some(layout) = layout(&header_line, numeric, groups) else {
        return Ok(None);
    };
    // Pass 1: the lines of each range of the body.
    let len = src.len();
    let ranges: Vec<(usize, usize)> = (body_start..len)
        .step_by(chunk.max(1))
        .map(|s| (s, (s + chunk.max(1)).min(len)))
        .collect();
    let counted = par::map(ranges, |(s, e)| {
        let mut c = Counted {
            newlines: 0,
            first: None,
        };
        let mut at = s;
        for_lines(src, s, e, |b| {
            if c.first.is_none() {
                c.first = b.iter().position(|&x| x == b'\n').map(|p| at + p);
            }
            c.newlines += count_newlines(b);
            at += b.len();
            Some(())
        })
        .map(|_| c)
    });
    let counted = counted.into_iter().collect::<std::io::Result<Vec<_>>>()?;
    // Chunks of whole lines: from the body's start, then after the first `\n` of each later
    // range (a range without one adds no boundary: the next range's first `\n` is also the
    // first at or after its start); each boundary with the number of `\n`s before it.
    let mut bounds = vec![(body_start, 0usize)];
    let mut before = 0;
    for (k, c) in counted.iter().enumerate() {
        if let Some(p) = c.first.filter(|&p| k > 0 && p + 1 < len) {
            bounds.push((p + 1, before + 1));
        }
        before += c.newlines;
    }
    let ends_open = len > body_start && !src.piece(len - 1, 1, &mut Vec::new())?.ends_with(b"\n");
    bounds.push((len, before));
    let mut chunks: Vec<(usize, usize, usize)> = Vec::with_capacity(bounds.len()); // start, end, rows
    for (k, w) in bounds.windows(2).enumerate() {
        let mut rows = w[1].1 - w[0].1;
        if k == bounds.len() - 2 && ends_open {
            rows += 1;
        }
        chunks.push((w[0].0, w[1].0, rows));
    }
    let n: usize = chunks.iter().map(|c| c.2).sum();
    if n == 0 {
        return Ok(None);
    }
    // Numeric columns, split into each chunk's rows.
    // Zeroed memory is mapped lazily: each parsing task faults in the pages it writes (every
    // cell is written), and the spare columns cost nothing until used.
    let mut numbers = vec![0.0; (numeric.len() + spare) * n];
    numbers.truncate(numeric.len() * n);
    let mut chunk_cols: Vec<Vec<&mut [f64]>> = chunks
        .iter()
        .map(|_| Vec::with_capacity(numeric.len()))
        .collect();
    for column in numbers.chunks_mut(n) {
        let mut rest = column;
        for (cols, &(_, _, rows)) in chunk_cols.iter_mut().zip(&chunks) {
            let (head, tail) = rest.split_at_mut(rows);
            cols.push(head);
            rest = tail;
        }
    }
    // Pass 2: parse each chunk into its rows.
    let layout = &layout;
    let outs = par::map(
        chunks.into_iter().zip(chunk_cols).collect::<Vec<_>>(),
        |((start, end, rows), mut cols)| {
            let mut out = ChunkOut {
                codes: Vec::with_capacity(rows),
                names: Vec::with_capacity(if layout.has_names { rows } else { 0 }),
                groups: (0..layout.n_groups)
                    .map(|_| (Interner::default(), Vec::with_capacity(rows)))
                    .collect(),
            };
            let mut row = 0;
            let done = for_lines(src, start, end, |b| {
                row = parse_lines(b, layout, row, &mut cols, &mut out)?;
                Some(())
            })?;
            std::io::Result::Ok((done.is_some() && row == rows).then_some(out))
        },
    );
    // Assemble codes, names and groups in file order.
    let n_groups = layout.n_groups;
    let mut units = Vec::with_capacity(n);
    let mut unit_names = Vec::with_capacity(n);
    let mut group_cols: Vec<GroupColumn> = (0..n_groups)
        .map(|_| GroupColumn::with_capacity(n))
        .collect();
    let mut global: Vec<HashMap<String, u32>> = vec![HashMap::new(); n_groups];
    for out in outs {
        let Some(out) = out? else {
            return Ok(None);
        };
        units.extend(out.codes);
        unit_names.extend(out.names);
        for ((interner, ids), (col, map)) in out
            .groups
            .into_iter()
            .zip(group_cols.iter_mut().zip(global.iter_mut()))
        {
            let remap: Vec<u32> = interner
                .labels
                .into_iter()
                .map(|l| match map.get(&l) {
                    Some(&id) => id,
                    None => {
                        let id = col.push_label(&l);
                        map.insert(l, id);
                        id
                    }
                })
                .collect();
            col.extend_ids(ids.iter().map(|&i| remap[i as usize]));
        }
    }
    if !layout.has_names {
        unit_names = vec![String::new(); n];
    }
    // foldhash: the duplicate check hashes every code once; SipHash's resistance to chosen
    // keys buys nothing for a set that lives only for this check.
    let mut codes: HashSet<&str, foldhash::fast::RandomState> =
        HashSet::with_capacity_and_hasher(n, foldhash::fast::RandomState::default());
    if !units.iter().all(|u| codes.insert(u.as_str())) {
        return Ok(None); // a duplicate unit code
    }
    Ok(Some(FastData {
        units,
        unit_names,
        groups: group_cols,
        numbers,
    }))
}

/// The columns' roles from the header line, or `None` when the fast path does not take it
/// (a byte-order mark, quotes, a stray `\r`, a duplicate or unknown column).
fn layout(header_line: &[u8], numeric: &[&str], groups: &[&str]) -> Option<Layout> {
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
    Some(Layout {
        roles,
        n_groups: groups.len(),
        has_names,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_plain_files_and_declines_the_rest() {
        let text = b"uCode,uName,G,Time,a,b\nX,Ex,g1,2018,1.5,\nY,Why,g2,2018,NA, 3\r\nZ,Zed,g1,2018,-2e1,4\n";
        let d = read(&text[..], &["a", "b"], &["G"], 0).unwrap().unwrap();
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
                read(bad, &["a"], &[], 0).unwrap().is_none(),
                "{}",
                String::from_utf8_lossy(bad)
            );
        }
    }

    /// The fields of a read, for comparing two.
    type Seen = (
        Vec<String>,
        Vec<String>,
        Vec<(Vec<String>, Vec<u32>)>,
        Vec<u64>,
    );

    fn seen(d: Option<FastData>) -> Option<Seen> {
        d.map(|d| {
            (
                d.units,
                d.unit_names,
                d.groups
                    .iter()
                    .map(|g| (g.labels().to_vec(), g.ids().to_vec()))
                    .collect(),
                d.numbers.iter().map(|v| v.to_bits()).collect(),
            )
        })
    }

    fn piece_read(text: &[u8], piece: usize, chunk: usize) -> Option<Seen> {
        // Through `ReadAt`, so that the bytes are read in pieces, not borrowed whole.
        let mut src = Pieces::new(text).unwrap();
        src.piece = piece;
        seen(read_in(&src, &["a", "b"], &["G"], 0, chunk).unwrap())
    }

    #[test]
    fn bytes_read_in_small_pieces_and_ranges_gives_what_memory_gives() {
        let mut text = String::from("uCode,uName,G,a,b\n");
        for u in 0..400 {
            let name = if u % 97 == 5 {
                "n".repeat(300)
            } else {
                format!("N{u}")
            };
            text.push_str(&format!("U{u},{name},g{},{}.5,{}\n", u % 3, u, u * 7));
        }
        let bytes = text.as_bytes();
        let want = seen(read(bytes, &["a", "b"], &["G"], 0).unwrap());
        assert_eq!(want.as_ref().map(|w| w.0.len()), Some(400));
        for (piece, chunk) in [(1, 1), (7, 13), (64, 5), (300, 1000), (1 << 18, 1 << 20)] {
            assert_eq!(
                piece_read(bytes, piece, chunk),
                want,
                "piece {piece}, chunk {chunk}"
            );
            // Without the last line end, and with a bad cell near the end.
            let open = &bytes[..bytes.len() - 1];
            assert_eq!(
                piece_read(open, piece, chunk),
                seen(read(open, &["a", "b"], &["G"], 0).unwrap())
            );
            let bad = text.replace("U398,N398,g2,398.5", "U398,N398,g2,x");
            assert_eq!(piece_read(bad.as_bytes(), piece, chunk), None);
        }
    }

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]
        /// Any text, read from a file in any piece and range sizes, gives what reading it from
        /// memory gives (the same rows, or the same refusal).
        #[test]
        fn file_pieces_never_change_the_result(
            rows in proptest::collection::vec("[a-c]{0,3},(g[12])?,-?[0-9]{0,4}(\\.[0-9]{1,3})?,([0-9]|NA)?(\r)?", 0..40),
            piece in 1usize..50,
            chunk in 1usize..80,
        ) {
            // Unique codes (a duplicate sends every file to the general reader).
            let rows: Vec<String> = rows.iter().enumerate().map(|(i, r)| format!("U{i}{r}")).collect();
            let text = format!("uCode,G,a,b\n{}", rows.join("\n"));
            let want = seen(read(text.as_bytes(), &["a", "b"], &["G"], 0).unwrap());
            proptest::prop_assert_eq!(piece_read(text.as_bytes(), piece, chunk), want);
        }
    }

    #[test]
    fn newlines_are_counted_across_blocks() {
        // More than 255 in one block of the byte counter would wrap it; blocks are 128 bytes.
        let text = "\n".repeat(300) + "a\nb";
        assert_eq!(count_newlines(text.as_bytes()), 301);
        assert_eq!(count_newlines(&text.as_bytes()[1..]), 300);
        assert_eq!(count_newlines(b"abc"), 0);
        assert_eq!(count_newlines(b""), 0);
    }

    #[test]
    fn chunks_split_on_line_ends() {
        // More than one chunk: every row lands in its place.
        let mut text = String::from("uCode,a\n");
        let n = 150_000;
        for u in 0..n {
            text.push_str(&format!("U{u},{u}.25\n"));
        }
        let d = read(text.as_bytes(), &["a"], &[], 1).unwrap().unwrap();
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
