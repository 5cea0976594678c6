//! Reading a Compass document from a file or standard input, for the commands that take one.

use std::io::Read;
use std::path::Path;

use anyhow::Context;
use kompas::{Compass, Problem};

/// Reads and loads a Compass document; `-` is standard input. The outer error is I/O (the file
/// cannot be read); the inner one lists every problem in the document.
pub(crate) fn read_compass(path: &Path) -> anyhow::Result<Result<Compass, Vec<Problem>>> {
    let text = read_text(path)?;
    Ok(Compass::from_json(&text).map_err(|e| e.into_problems()))
}

/// Reads a whole file, or standard input for `-`.
pub(crate) fn read_text(path: &Path) -> anyhow::Result<String> {
    if path.as_os_str() == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .context("cannot read standard input")?;
        Ok(s)
    } else {
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
    }
}
