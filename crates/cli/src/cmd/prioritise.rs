//! `kompas prioritise`: not yet wired to its library.

use std::process::ExitCode;

/// Arguments of `kompas prioritise`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {}

pub(crate) fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`kompas prioritise` is not available yet")
}
