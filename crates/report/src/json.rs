//! The JSON report: serde_json's pretty form of a [`FollowUp`], byte for byte, streamed into a
//! writer. A large municipality's report is mostly three lists (goal statuses, diagnostics and
//! goals without evidence); with the `parallel` feature their elements are printed on all cores
//! and written in order, a batch at a time.

use std::io::Write;

use kompas::FollowUp;
use serde::Serialize;

use crate::Error;

/// Lists at least this long (summed over the three) are printed in parallel; below it, the
/// plain serial path is as fast.
#[cfg(feature = "parallel")]
const PARALLEL_MIN_ITEMS: usize = 4096;

/// Elements printed by one task.
#[cfg(feature = "parallel")]
const CHUNK: usize = 512;

/// Pretty JSON of a follow-up and a final newline.
pub(crate) fn write<W: Write>(follow_up: &FollowUp, out: &mut W) -> Result<(), Error> {
    #[cfg(feature = "parallel")]
    {
        let long = follow_up.goals.len()
            + follow_up.clutter.len()
            + follow_up.goals_without_evidence.len();
        if long >= PARALLEL_MIN_ITEMS {
            return parallel::write(follow_up, out);
        }
    }
    serde_json::to_writer_pretty(&mut *out, follow_up).map_err(json_error)?;
    out.write_all(b"\n")?;
    Ok(())
}

/// serde_json's error as ours: I/O errors stay I/O errors (a closed pipe keeps its kind).
fn json_error(e: serde_json::Error) -> Error {
    if e.is_io() {
        Error::Io(e.into())
    } else {
        Error::Json(e.to_string())
    }
}

#[cfg(feature = "parallel")]
mod parallel {
    use super::*;
    use rayon::prelude::*;

    /// The follow-up without its three long lists is printed serially; each list is then
    /// printed in parallel where the shell has its empty `[]`.
    ///
    /// This gives serde_json's own bytes because, in its pretty form, a top-level field is a
    /// line of its own starting with two spaces and `"name": `, which no deeper key (indented
    /// further) and no string (whose quotes and line breaks are escaped) can imitate; an array
    /// at that depth is `[`, each element on lines indented by four spaces and separated by
    /// `,`, then a line `  ]`; and every line break inside an element's own pretty form is a
    /// break between its lines, so indenting the element is inserting four spaces after each.
    pub(super) fn write<W: Write>(f: &FollowUp, out: &mut W) -> Result<(), Error> {
        let shell = FollowUp {
            municipality: f.municipality.clone(),
            year: f.year,
            has_illustrative_values: f.has_illustrative_values,
            goals: Vec::new(),
            clutter: Vec::new(),
            goals_without_evidence: Vec::new(),
            goals_without_bridge: f.goals_without_bridge.clone(),
            initiatives: f.initiatives.clone(),
            value: f.value.clone(),
            learning: f.learning.clone(),
            spillovers: f.spillovers.clone(),
            charts: f.charts.clone(),
            charts_omitted: f.charts_omitted,
        };
        let text = serde_json::to_vec_pretty(&shell).map_err(json_error)?;
        // In the order of the fields.
        let mut rest: &[u8] = &text;
        splice(&mut rest, "goals", &f.goals, out)?;
        splice(&mut rest, "clutter", &f.clutter, out)?;
        splice(
            &mut rest,
            "goals_without_evidence",
            &f.goals_without_evidence,
            out,
        )?;
        out.write_all(rest)?;
        out.write_all(b"\n")?;
        Ok(())
    }

    /// Writes `rest` up to and with the `[` of the top-level field `key`'s empty array, then
    /// `items`; `rest` then resumes at that array's `]`.
    fn splice<T: Serialize + Sync, W: Write>(
        rest: &mut &[u8],
        key: &str,
        items: &[T],
        out: &mut W,
    ) -> Result<(), Error> {
        let marker = format!("\n  \"{key}\": []");
        let at = find(rest, marker.as_bytes())
            .ok_or_else(|| Error::Json(format!("no top-level `{key}` in the report's json")))?;
        let close = at + marker.len() - 1;
        out.write_all(&rest[..close])?;
        elements(items, out)?;
        *rest = &rest[close..];
        Ok(())
    }

    /// The first place of `needle` in `hay`.
    fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
        hay.windows(needle.len()).position(|w| w == needle)
    }

    /// Writes the elements of an array at depth one, each on lines of its own, and the line
    /// break and indent before the closing `]`; nothing for an empty array. The elements are
    /// printed in parallel, a batch at a time, and written in order.
    fn elements<T: Serialize + Sync, W: Write>(items: &[T], out: &mut W) -> Result<(), Error> {
        if items.is_empty() {
            return Ok(());
        }
        let batch = CHUNK * 4 * rayon::current_num_threads();
        for (b, group) in items.chunks(batch).enumerate() {
            let parts: Vec<Vec<u8>> = group
                .par_chunks(CHUNK)
                .enumerate()
                .map(|(c, chunk)| {
                    let mut buf = Vec::new();
                    let mut one = Vec::new();
                    for (i, item) in chunk.iter().enumerate() {
                        let first = b == 0 && c == 0 && i == 0;
                        buf.extend_from_slice(if first { b"\n    " } else { b",\n    " });
                        one.clear();
                        serde_json::to_writer_pretty(&mut one, item).map_err(json_error)?;
                        indent(&one, &mut buf);
                    }
                    Ok(buf)
                })
                .collect::<Result<_, Error>>()?;
            for p in parts {
                out.write_all(&p)?;
            }
        }
        out.write_all(b"\n  ")?;
        Ok(())
    }

    /// Copies `text` with four spaces after each line break.
    fn indent(text: &[u8], out: &mut Vec<u8>) {
        let mut lines = text.split(|&b| b == b'\n');
        if let Some(first) = lines.next() {
            out.extend_from_slice(first);
        }
        for line in lines {
            out.extend_from_slice(b"\n    ");
            out.extend_from_slice(line);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn serde_pretty(f: &FollowUp) -> Vec<u8> {
        let mut v = serde_json::to_vec_pretty(f).unwrap();
        v.push(b'\n');
        v
    }

    fn ours(f: &FollowUp) -> Vec<u8> {
        let mut v = Vec::new();
        write(f, &mut v).unwrap();
        v
    }

    #[test]
    fn a_large_report_is_serde_jsons_pretty_form() {
        let compass = kompas::generate::generate(
            &kompas::generate::Generate::default()
                .goals(6_000)
                .observations(30_000)
                .narratives(200),
        );
        let year = compass.latest_year().unwrap();
        let f = kompas::follow_up(&compass, year).unwrap();
        // Large enough for the parallel path, with more than one batch of goals.
        #[cfg(feature = "parallel")]
        assert!(f.goals.len() > CHUNK * 4 * rayon::current_num_threads());
        assert!(f.goals.len() + f.clutter.len() >= 4096);
        assert!(ours(&f) == serde_pretty(&f));
    }

    #[cfg(feature = "parallel")]
    #[test]
    fn the_parallel_path_gives_serde_jsons_bytes_for_small_and_empty_lists() {
        let f = kompas::follow_up(&kompas::example::aarhus(), 2024).unwrap();
        let mut out = Vec::new();
        parallel::write(&f, &mut out).unwrap();
        assert!(out == serde_pretty(&f));
        // Every list empty, and one element each.
        let mut g = f.clone();
        g.goals.truncate(1);
        g.clutter.clear();
        g.goals_without_evidence.clear();
        let mut out = Vec::new();
        parallel::write(&g, &mut out).unwrap();
        assert!(out == serde_pretty(&g));
        g.goals.clear();
        let mut out = Vec::new();
        parallel::write(&g, &mut out).unwrap();
        assert!(out == serde_pretty(&g));
    }
}
