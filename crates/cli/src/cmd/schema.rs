//! `kompas schema`: not yet wired to its library.

use std::process::ExitCode;

/// Arguments of `kompas schema`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {}

pub(crate) fn run(_args: Args) -> anyhow::Result<ExitCode> {
    anyhow::bail!("`kompas schema` is not available yet")
}
