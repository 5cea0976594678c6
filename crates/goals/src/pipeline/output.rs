//! The CSV text of an [`IndexResult`]: rows formatted in parallel chunks (with the `parallel`
//! feature) into one buffer, numbers in their shortest round-trip form.

use super::{IndexResult, par};

/// Units per formatting task.
const ROWS_PER_TASK: usize = 4096;

/// Formatting tasks per round of [`IndexResult::write_csv`].
const TASKS_PER_ROUND: usize = 8;

/// Appends `v` exactly as `f64`'s `Display` writes it: the shortest decimal that reads back
/// to `v`, without an exponent.
///
/// The shortest digits come from `zmij` (Schubfach; Giulietti 2020, "The Schubfach way to
/// render doubles"). Where two shortest strings are equally close to `v`, `zmij` and `Display`
/// may pick different ones; such a tie needs a significand with many trailing zero bits
/// (at least 7 below 2^40 in magnitude: the exact decimal value must have at most 18
/// significant digits), so those values, very large or small values (exponent form) and
/// non-finite values go through `Display`.
pub(crate) fn push_f64(out: &mut String, v: f64, buf: &mut zmij::Buffer) {
    let bits = v.to_bits();
    let significand = (bits & ((1 << 52) - 1)) | (1 << 52);
    let magnitude = v.abs();
    if v.is_finite() && significand.trailing_zeros() < 7 && magnitude < (1u64 << 40) as f64 {
        let s = buf.format_finite(v);
        if !s.contains('e') {
            out.push_str(s.strip_suffix(".0").unwrap_or(s));
            return;
        }
    }
    use std::fmt::Write;
    let _ = write!(out, "{v}");
}

/// Appends an unsigned integer in decimal.
fn push_u32(out: &mut String, mut v: u32) {
    let mut digits = [0u8; 10];
    let mut k = digits.len();
    loop {
        k -= 1;
        digits[k] = b'0' + (v % 10) as u8;
        v /= 10;
        if v == 0 {
            break;
        }
    }
    for &d in &digits[k..] {
        out.push(char::from(d));
    }
}

impl IndexResult {
    /// The result as CSV text, as `kompas index` prints it: a header `uCode`, one column per
    /// aggregate (the order of [`IndexResult::aggregates`]), `Rank`; then one row per unit.
    /// Missing values are empty cells; numbers are written as `f64`'s `Display` writes them
    /// (the shortest decimal that reads back to the same value).
    ///
    /// ```
    /// use kompas_goals::{Coin, CsvText, Pipeline};
    ///
    /// let meta = "iCode,Level,Direction,Weight,Parent,Type\n\
    ///             a,1,1,1,Index,Indicator\nb,1,1,1,Index,Indicator\n\
    ///             c,1,1,1,Index,Indicator\nIndex,2,1,1,,Aggregate\n";
    /// let data = "uCode,a,b,c\nX,1,2,1\nY,3,5,2\nZ,2,,3\n";
    /// let coin = Coin::from_csv(
    ///     CsvText { name: "iData.csv", text: data },
    ///     CsvText { name: "iMeta.csv", text: meta },
    /// )?;
    /// let csv = Pipeline::default().run(&coin)?.to_csv();
    /// assert_eq!(csv, "uCode,Index,Rank\nX,0,3\nY,83.33333333333333,1\nZ,75,2\n");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Complexity
    /// O(U A) for U units and A aggregates, on all cores with the `parallel` feature.
    pub fn to_csv(&self) -> String {
        let mut out = self.csv_header();
        let n = self.units.len();
        let starts: Vec<usize> = (0..n).step_by(ROWS_PER_TASK).collect();
        let parts = par::map(starts, |start| {
            self.csv_rows(start, (start + ROWS_PER_TASK).min(n))
        });
        out.reserve(parts.iter().map(String::len).sum());
        for p in parts {
            out.push_str(&p);
        }
        out
    }

    /// [`IndexResult::to_csv`] written to `out` a round of rows at a time (each round
    /// formatted in parallel chunks with the `parallel` feature), without the whole text in
    /// memory at once. The same bytes as [`IndexResult::to_csv`].
    ///
    /// ```
    /// use kompas_goals::{Coin, CsvText, Pipeline};
    ///
    /// let meta = "iCode,Level,Direction,Weight,Parent,Type\n\
    ///             a,1,1,1,Index,Indicator\nIndex,2,1,1,,Aggregate\n";
    /// let coin = Coin::from_csv(
    ///     CsvText { name: "iData.csv", text: "uCode,a\nX,1\nY,3\n" },
    ///     CsvText { name: "iMeta.csv", text: meta },
    /// )?;
    /// let result = Pipeline::default().run(&coin)?;
    /// let mut out = Vec::new();
    /// result.write_csv(&mut out)?;
    /// assert_eq!(out, result.to_csv().as_bytes());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// The first error of `out`.
    ///
    /// # Complexity
    /// O(U A) for U units and A aggregates.
    pub fn write_csv<W: std::io::Write>(&self, mut out: W) -> std::io::Result<()> {
        out.write_all(self.csv_header().as_bytes())?;
        let n = self.units.len();
        let per_round = ROWS_PER_TASK * TASKS_PER_ROUND;
        for round in (0..n).step_by(per_round) {
            let end = (round + per_round).min(n);
            let parts = par::map((round..end).step_by(ROWS_PER_TASK).collect(), |start| {
                self.csv_rows(start, (start + ROWS_PER_TASK).min(end))
            });
            for p in parts {
                out.write_all(p.as_bytes())?;
            }
        }
        out.flush()
    }

    /// The CSV header line.
    fn csv_header(&self) -> String {
        let mut out = String::from("uCode");
        for c in &self.aggregates {
            out.push(',');
            out.push_str(&c.code);
        }
        out.push_str(",Rank\n");
        out
    }

    /// The CSV lines of units `start..end`.
    fn csv_rows(&self, start: usize, end: usize) -> String {
        let mut s = String::with_capacity((end - start) * (16 + 19 * self.aggregates.len()));
        let mut buf = zmij::Buffer::new();
        for u in start..end {
            s.push_str(&self.units[u]);
            for c in &self.aggregates {
                s.push(',');
                if let Some(v) = c.get(u) {
                    push_f64(&mut s, v, &mut buf);
                }
            }
            s.push(',');
            if let Some(r) = self.ranks[u] {
                push_u32(&mut s, r);
            }
            s.push('\n');
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn same(v: f64) {
        let mut s = String::new();
        push_f64(&mut s, v, &mut zmij::Buffer::new());
        assert_eq!(s, v.to_string(), "{v:?}");
    }

    #[test]
    fn numbers_are_written_as_display_writes_them() {
        for v in [
            0.0,
            -0.0,
            1.0,
            100.0,
            0.5,
            1e-7,
            1.5e-5,
            1e15,
            1e16,
            1e22,
            5e-324,
            f64::MAX,
            f64::NAN,
            f64::INFINITY,
            50.48353335354454,
            1_690_060_720_831_323.2,
            163_559_682_789_802.62,
        ] {
            same(v);
        }
        // Random bit patterns, random scores, and values with trailing zero bits (near ties).
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        for i in 0..30_000u64 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            same(f64::from_bits(x));
            same((x >> 11) as f64 / (1u64 << 53) as f64 * 100.0);
            let zeros = (i % 40) as u32;
            same(f64::from_bits(
                (x >> 12 << zeros) & ((1 << 52) - 1) | (1040 + i % 30) << 52,
            ));
        }
        let mut s = String::new();
        push_u32(&mut s, 0);
        push_u32(&mut s, 4_294_967_295);
        assert_eq!(s, "04294967295");
    }
}
