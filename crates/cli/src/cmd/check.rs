//! `kompas check`: validates a Compass document, or a goal-hierarchy JSON file, and prints every
//! problem.
//!
//! A Compass document (a JSON object with `schema_version` or `municipality`) is loaded with every
//! cross-reference checked; each problem prints as `PATH: message`. Its goal-clutter diagnostics
//! follow as advice. Exit 0 when the document is valid, 1 with problems, 2 when the input cannot
//! be read or is not JSON at all (truncated JSON names the line and column).
//!
//! A goal-hierarchy file (`{"goals": [...]}`) prints its goal-clutter diagnostics; exit 0 without
//! error-level findings, 1 with them, 2 when the input cannot be read or parsed.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use kompas_goals::{Diagnostic, DiagnosticOptions, GoalHierarchy, Severity, diagnose};

/// Arguments of `kompas check`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// A Compass document, or a goal-hierarchy JSON file (`{"goals": [...]}`); `-` reads standard
    /// input.
    #[arg(value_name = "FILE")]
    file: PathBuf,
    /// Flag a unit that owns more goals than this (G003).
    #[arg(long, default_value_t = 7, value_name = "N")]
    max_goals_per_unit: usize,
    /// Flag a goal on a chain longer than this many goals (G006).
    #[arg(long, default_value_t = 5, value_name = "N")]
    max_depth: usize,
    /// Titles under one parent at least this similar (Dice on bigrams, 0-1) are near duplicates (G005).
    #[arg(long, default_value_t = 0.9, value_name = "T")]
    similarity: f64,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

/// How `kompas check` prints its findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum Format {
    /// One line per finding (`severity code: message`), then a summary line.
    Text,
    /// One JSON object: `diagnostics`, `errors`, `warnings`, `infos`.
    Json,
}

pub(crate) fn run(args: Args) -> anyhow::Result<ExitCode> {
    let name = args.file.display().to_string();
    let text = super::compass_input::read_text(&args.file)?;
    if !(0.0..=1.0).contains(&args.similarity) {
        anyhow::bail!(
            "--similarity {}: expected a number from 0 to 1",
            args.similarity
        );
    }
    if is_compass(&text) {
        return check_compass(&name, &text, args.format);
    }
    let opts = DiagnosticOptions::default()
        .max_goals_per_unit(args.max_goals_per_unit)
        .max_depth(args.max_depth)
        .similarity_threshold(args.similarity);
    let found = check_hierarchy(&text, &opts).with_context(|| name.clone())?;
    print_findings(&found, args.format)
}

/// Whether a text is a Compass document rather than a bare goal hierarchy (or no JSON at all).
fn is_compass(text: &str) -> bool {
    // Text that is not JSON at all goes the Compass way too, which names the line and column.
    serde_json::from_str::<serde_json::Value>(text).map_or(true, |v| {
        v.get("schema_version").is_some() || v.get("municipality").is_some()
    })
}

/// Loads a Compass document and prints every problem with its JSON path.
fn check_compass(name: &str, text: &str, format: Format) -> anyhow::Result<ExitCode> {
    let (problems, advice) = match kompas::Compass::from_json(text) {
        Ok(compass) => {
            let advice = diagnose(
                &compass.goals,
                &DiagnosticOptions::default()
                    .observed(compass.observations.iter().map(|o| o.indicator)),
            );
            (Vec::new(), advice)
        }
        Err(e) => (e.into_problems(), Vec::new()),
    };
    match format {
        Format::Text => {
            for p in &problems {
                println!("{name}: {p}");
            }
            for d in &advice {
                println!("advice: {d}");
            }
            println!(
                "{} problem(s), {} goal-clutter finding(s)",
                problems.len(),
                advice.len()
            );
        }
        Format::Json => {
            let out = serde_json::json!({ "problems": problems, "diagnostics": advice });
            println!("{}", serde_json::to_string_pretty(&out)?);
        }
    }
    // JSON that cannot be parsed at all is unreadable input (exit 2), not a document with problems.
    let unreadable = problems.len() == 1
        && problems[0].path.is_empty()
        && problems[0].message.starts_with("invalid JSON");
    Ok(match (unreadable, problems.is_empty()) {
        (true, _) => ExitCode::from(2),
        (false, true) => ExitCode::SUCCESS,
        (false, false) => ExitCode::from(1),
    })
}

/// Parses a goal-hierarchy JSON text (the id-based form of `GoalHierarchy`) and runs every
/// goal-clutter check on it. Fails when the text is not a valid hierarchy (bad JSON, cycles,
/// unknown parents, duplicate ids, negative weights).
pub(crate) fn check_hierarchy(
    text: &str,
    opts: &DiagnosticOptions,
) -> anyhow::Result<Vec<Diagnostic>> {
    let h: GoalHierarchy = serde_json::from_str(text).context("not a valid goal hierarchy")?;
    Ok(diagnose(&h, opts))
}

/// Prints findings and returns exit code 1 when any is an error, 0 otherwise.
pub(crate) fn print_findings(found: &[Diagnostic], format: Format) -> anyhow::Result<ExitCode> {
    let count = |s: Severity| found.iter().filter(|d| d.severity == s).count();
    let (errors, warnings, infos) = (
        count(Severity::Error),
        count(Severity::Warning),
        count(Severity::Info),
    );
    match format {
        Format::Text => {
            for d in found {
                println!("{d}");
            }
            println!("{errors} error(s), {warnings} warning(s), {infos} info(s)");
        }
        Format::Json => {
            let out = serde_json::json!({
                "diagnostics": found,
                "errors": errors,
                "warnings": warnings,
                "infos": infos,
            });
            println!("{}", serde_json::to_string_pretty(&out)?);
        }
    }
    Ok(if errors > 0 {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}
