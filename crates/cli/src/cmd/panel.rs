//! `kompas panel`: not yet wired to its library.

use std::process::ExitCode;

/// Arguments of `kompas panel`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {}

pub(crate) fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`kompas panel` is not available yet")
}
