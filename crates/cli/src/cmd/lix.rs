//! `kompas lix`: LIX readability of a Danish, Swedish or Norwegian text. Exits with 0 when the
//! LIX is at most the limit, 1 when it is above (like a failed check), 2 on an error.

use std::io::Read as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use kompas_cocreation::{LimitStatus, LixOptions, LixReport, lix};

/// Arguments of `kompas lix`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Exit status: 0 when the LIX is at most the limit, 1 when it is above, \
                        2 on an error.\nBands: under 25 very easy, 25-34 easy, 35-44 medium, \
                        45-54 hard, 55 and over very hard."
)]
pub(crate) struct Args {
    /// The text (UTF-8); `-` reads standard input.
    #[arg(value_name = "FILE.txt")]
    file: PathBuf,
    /// The highest acceptable LIX; above it the command exits with 1.
    #[arg(long, default_value_t = 40.0)]
    limit: f64,
    /// How many of the hardest sentences to show.
    #[arg(long, default_value_t = 3, value_name = "N")]
    hardest: usize,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Text,
    Json,
}

pub(crate) fn run(args: Args) -> anyhow::Result<ExitCode> {
    let text = if args.file.as_os_str() == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .context("cannot read standard input as utf-8 text")?;
        s
    } else {
        std::fs::read_to_string(&args.file)
            .with_context(|| format!("cannot read {} as utf-8 text", args.file.display()))?
    };
    let options = LixOptions {
        limit: args.limit,
        hardest: args.hardest,
    };
    let report = lix(&text, &options).with_context(|| args.file.display().to_string())?;
    let out = match args.format {
        Format::Json => format!("{}\n", serde_json::to_string_pretty(&report)?),
        Format::Text => render(&report),
    };
    write_stdout(&out)?;
    Ok(match report.status {
        LimitStatus::Within => ExitCode::SUCCESS,
        LimitStatus::Above => ExitCode::from(1),
    })
}

/// Writes to standard output; a closed pipe (`kompas lix ... | head`) is not an error.
fn write_stdout(s: &str) -> anyhow::Result<()> {
    use std::io::Write as _;
    match std::io::stdout().lock().write_all(s.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}

fn render(r: &LixReport) -> String {
    let verdict = match r.status {
        LimitStatus::Within => "within",
        LimitStatus::Above => "above",
    };
    let mut s = format!(
        "lix {:.1} ({}, {}): {verdict} the limit {}\nwords {}, sentences {}, long words {}\n",
        r.lix,
        r.band.label_en(),
        r.band.label_da(),
        r.limit,
        r.words,
        r.sentences,
        r.long_words
    );
    if !r.hardest.is_empty() {
        s.push_str("hardest sentences:\n");
        for h in &r.hardest {
            s.push_str(&format!(
                "  {:>3}. lix {:.1} ({} words, {} long): {}\n",
                h.number, h.lix, h.words, h.long_words, h.text
            ));
        }
    }
    s
}
