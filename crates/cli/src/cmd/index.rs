//! `kompas index`: not yet wired to its library.

use std::process::ExitCode;

/// Arguments of `kompas index`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {}

pub(crate) fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`kompas index` is not available yet")
}
