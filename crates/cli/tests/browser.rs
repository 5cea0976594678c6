//! The HTML report in a real browser: headless Chromium renders `kompas report --format html` and
//! the test checks that the page loads without console messages, holds the goal-tree SVG and is
//! not blank. The screenshots are kept at `target/tmp/browser/report-{en,da}.png`.
//!
//! Chromium comes from Debian's `chromium` package; `.ci/run` installs it. Without it the test
//! fails when `CI` is set and is skipped (with a message) otherwise.

use std::path::{Path, PathBuf};
use std::process::Command;

fn chromium() -> Option<PathBuf> {
    ["/usr/bin/chromium", "/usr/bin/chromium-browser"]
        .into_iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
}

/// Runs headless Chromium on a file with `extra` arguments; returns (stdout, stderr).
fn run_chromium(bin: &Path, page: &Path, extra: &[&str]) -> (String, String) {
    let profile = tempdir(&format!(
        "profile-{}",
        page.file_stem().and_then(|s| s.to_str()).unwrap_or("page")
    ));
    let out = Command::new(bin)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
            "--window-size=1280,2400",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium starts");
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn tempdir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("browser")
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// The page's console messages, as Chromium logs them (`...:CONSOLE:...] "message", source: ...`).
fn console_messages(stderr: &str) -> Vec<&str> {
    stderr.lines().filter(|l| l.contains(":CONSOLE")).collect()
}

/// Share of pixels that are not (near) white, and the number of distinct colours.
fn ink(png_path: &Path) -> (f64, usize) {
    let file = std::fs::File::open(png_path).expect("screenshot exists");
    let decoder = png::Decoder::new(std::io::BufReader::new(file));
    let mut reader = decoder.read_info().expect("png header");
    let mut buf = vec![0; reader.output_buffer_size().expect("png size")];
    let info = reader.next_frame(&mut buf).expect("png frame");
    let channels = info.color_type.samples();
    let bytes = &buf[..info.buffer_size()];
    let mut inked = 0usize;
    let mut colours = std::collections::BTreeSet::new();
    let mut total = 0usize;
    for px in bytes.chunks(channels) {
        let rgb = (px[0], px[1.min(channels - 1)], px[2.min(channels - 1)]);
        if rgb.0 < 235 || rgb.1 < 235 || rgb.2 < 235 {
            inked += 1;
        }
        colours.insert(rgb);
        total += 1;
    }
    (inked as f64 / total.max(1) as f64, colours.len())
}

#[test]
fn html_report_renders_in_headless_chromium() {
    let Some(bin) = chromium() else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must install chromium (see .ci/run)"
        );
        eprintln!("skipped: no chromium on this machine (apt-get install chromium)");
        return;
    };
    let dir = tempdir("report");

    // Control: the console check must see a page's console errors, or it proves nothing.
    let control = dir.join("control.html");
    std::fs::write(
        &control,
        "<!DOCTYPE html><html><body><p>x</p><script>console.error('control error')</script></body></html>",
    )
    .expect("write control page");
    let (_, stderr) = run_chromium(&bin, &control, &["--dump-dom"]);
    assert!(
        console_messages(&stderr)
            .iter()
            .any(|l| l.contains("control error")),
        "the console check does not see console errors; chromium said:\n{stderr}"
    );

    for lang in ["en", "da"] {
        let page = dir.join(format!("report-{lang}.html"));
        let status = Command::new(env!("CARGO_BIN_EXE_kompas"))
            .args(["report", "--format", "html", "--lang", lang, "--out"])
            .arg(&page)
            .status()
            .expect("kompas runs");
        assert!(status.success(), "kompas report failed for --lang {lang}");

        let (dom, stderr) = run_chromium(&bin, &page, &["--dump-dom"]);
        let console = console_messages(&stderr);
        assert!(
            console.is_empty(),
            "console messages on the {lang} report:\n{}",
            console.join("\n")
        );
        assert!(
            dom.contains("<svg") && dom.contains("id=\"goal-tree\""),
            "no goal-tree SVG in the rendered DOM ({lang})"
        );
        assert!(
            dom.contains("class=\"goal\""),
            "the goal tree has no goals ({lang})"
        );

        let shot = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .join("browser")
            .join(format!("report-{lang}.png"));
        let _ = run_chromium(&bin, &page, &[&format!("--screenshot={}", shot.display())]);
        let (inked, colours) = ink(&shot);
        assert!(
            inked > 0.02,
            "the page looks blank: only {:.2} % of its pixels are inked ({lang})",
            inked * 100.0
        );
        assert!(
            colours > 16,
            "the page has only {colours} colours: no chart or tree drawn? ({lang})"
        );
    }
}
