//! `kompas report`: the follow-up report of a Compass document (the embedded Aarhus example when no
//! file is given), as Markdown, HTML or JSON.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use kompas_core::Lang;
use kompas_report::Format;

use super::compass_input::read_compass;

/// Arguments of `kompas report`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// A Compass document (JSON); `-` reads standard input. Without it, the embedded Aarhus example.
    file: Option<PathBuf>,
    /// The year to follow up; by default the latest year with observations.
    #[arg(long, value_name = "YYYY")]
    period: Option<i32>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = FormatArg::Markdown)]
    format: FormatArg,
    /// Write to this file instead of standard output.
    #[arg(long, value_name = "PATH")]
    out: Option<PathBuf>,
    /// Language of the report's labels (texts fall back to the other language where missing).
    #[arg(long, value_enum, default_value_t = LangArg::En)]
    lang: LangArg,
}

/// `--format` values.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum FormatArg {
    Markdown,
    Html,
    Json,
}

/// `--lang` values.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub(crate) enum LangArg {
    Da,
    En,
}

impl From<LangArg> for Lang {
    fn from(l: LangArg) -> Lang {
        match l {
            LangArg::Da => Lang::Da,
            LangArg::En => Lang::En,
        }
    }
}

pub(crate) fn run(args: Args) -> anyhow::Result<ExitCode> {
    let compass = match &args.file {
        None => kompas::example::aarhus(),
        Some(path) => match read_compass(path)? {
            Ok(c) => c,
            Err(problems) => {
                for p in &problems {
                    eprintln!("{p}");
                }
                anyhow::bail!(
                    "{}: {} problem(s); run `kompas check` for the list",
                    path.display(),
                    problems.len()
                );
            }
        },
    };
    let year = match args.period {
        Some(y) => y,
        None => compass
            .latest_year()
            .context("the document has no observations: give --period YYYY")?,
    };
    let follow_up = kompas::follow_up(&compass, year)?;
    let format = match args.format {
        FormatArg::Markdown => Format::Markdown,
        FormatArg::Html => Format::Html,
        FormatArg::Json => Format::Json,
    };
    // Straight into the file or standard output: a large municipality's JSON report is tens of
    // megabytes, never held in memory whole.
    let written = match &args.out {
        Some(path) => {
            let file = std::fs::File::create(path)
                .with_context(|| format!("cannot write {}", path.display()))?;
            kompas_report::render_to(&follow_up, format, args.lang.into(), file)
                .with_context(|| format!("cannot write {}", path.display()))
        }
        None => {
            let out = std::io::stdout().lock();
            match kompas_report::render_to(&follow_up, format, args.lang.into(), out) {
                // A closed pipe (`kompas report | head`) is not an error worth a message.
                Err(kompas_report::Error::Io(e)) if e.kind() == std::io::ErrorKind::BrokenPipe => {
                    Ok(())
                }
                other => other.map_err(Into::into),
            }
        }
    };
    written?;
    // The process ends here: leave the document and the follow-up (millions of small
    // allocations for a large municipality) to the operating system instead of freeing them one
    // by one, which took a tenth of the run on a 100,000-goal document.
    std::mem::forget(follow_up);
    std::mem::forget(compass);
    Ok(ExitCode::SUCCESS)
}
