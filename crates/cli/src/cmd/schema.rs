//! `kompas schema`: prints the JSON Schema of the Compass document.

use std::process::ExitCode;

/// Arguments of `kompas schema`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {}

pub(crate) fn run(_args: Args) -> anyhow::Result<ExitCode> {
    println!(
        "{}",
        serde_json::to_string_pretty(&kompas::Compass::json_schema())?
    );
    Ok(ExitCode::SUCCESS)
}
