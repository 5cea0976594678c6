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
        read_file(path).with_context(|| format!("cannot read {}", path.display()))
    }
}

/// Files at least this large are read by two threads at once.
const SPLIT_READ_MIN_BYTES: u64 = 16 << 20;

/// Reads a whole file as UTF-8; a large one in two halves on two threads (copying a large
/// document out of the page cache is a tenth of a `report` run).
fn read_file(path: &Path) -> std::io::Result<String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileExt;
        let file = std::fs::File::open(path)?;
        let len = file.metadata()?.len();
        if len >= SPLIT_READ_MIN_BYTES {
            let size = usize::try_from(len).map_err(std::io::Error::other)?;
            let mut bytes = vec![0u8; size];
            let (head, tail) = bytes.split_at_mut(size / 2);
            let (a, b) = std::thread::scope(|s| {
                let first = s.spawn(|| file.read_exact_at(head, 0));
                let second = file.read_exact_at(tail, (size / 2) as u64);
                (first.join(), second)
            });
            a.map_err(|_| std::io::Error::other("a reading thread failed"))??;
            b?;
            // A file that grew while being read: read it again, whole.
            if file.metadata()?.len() == len {
                return String::from_utf8(bytes)
                    .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e));
            }
        }
    }
    std::fs::read_to_string(path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_files_read_in_two_halves_are_whole() {
        let dir = std::env::temp_dir().join(format!("kompas-read-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        // Two-byte characters, so that the halves meet inside one.
        let text = "aé".repeat((SPLIT_READ_MIN_BYTES as usize) / 3 + 1);
        let path = dir.join("big.txt");
        std::fs::write(&path, &text).unwrap();
        assert!(std::fs::metadata(&path).unwrap().len() >= SPLIT_READ_MIN_BYTES);
        assert!(read_file(&path).unwrap() == text);
        // Invalid UTF-8 is an error, not a panic.
        let mut bytes = text.into_bytes();
        bytes[12_345] = 0xff;
        std::fs::write(&path, &bytes).unwrap();
        let err = read_file(&path).unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::InvalidData);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
