//! `kompas example`: prints the embedded Aarhus example document as JSON.

use std::process::ExitCode;

/// Arguments of `kompas example`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {}

pub(crate) fn run(_args: Args) -> anyhow::Result<ExitCode> {
    let compass = kompas::example::aarhus();
    println!("{}", compass.to_json_pretty()?);
    Ok(ExitCode::SUCCESS)
}
