//! The `kompas` command-line tool. It parses arguments, calls the kompas libraries and prints;
//! each subcommand lives in its own module under `cmd/`.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod cmd;

/// mimalloc instead of the system allocator: loading and following up a large municipality makes
/// millions of small allocations, and glibc's malloc spent a tenth of the run on them.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// kompas: value-based municipal governance after Aarhuskompasset.
#[derive(Debug, Parser)]
#[command(name = "kompas", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Report on a Compass document (the embedded Aarhus example when no file is given).
    Report(cmd::report::Args),
    /// Print the embedded Aarhus example document as JSON.
    Example(cmd::example::Args),
    /// Validate a Compass document or a goal-hierarchy JSON file and print every problem.
    Check(cmd::check::Args),
    /// Print the JSON Schema of the Compass document.
    Schema(cmd::schema::Args),
    /// Build a composite index from COINr-style iData/iMeta CSV files.
    Index(cmd::index::Args),
    /// Sensitivity of a composite index: remove-one or Monte Carlo.
    Sensitivity(cmd::sensitivity::Args),
    /// Run and control charts (qicharts2 / NHS rules).
    Spc(cmd::spc::Args),
    /// Select a citizens' panel by stratified sortition.
    Panel(cmd::panel::Args),
    /// Representativeness of participants against population margins.
    Represent(cmd::represent::Args),
    /// LIX readability of a Danish, Swedish or Norwegian text.
    Lix(cmd::lix::Args),
    /// Aggregate stakeholder rankings, or weigh criteria by AHP.
    Prioritise(cmd::prioritise::Args),
    /// Participatory budgeting on a Pabulib `.pb` file.
    Pb(cmd::pb::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Report(a) => cmd::report::run(a),
        Command::Example(a) => cmd::example::run(a),
        Command::Check(a) => cmd::check::run(a),
        Command::Schema(a) => cmd::schema::run(a),
        Command::Index(a) => cmd::index::run(a),
        Command::Sensitivity(a) => cmd::sensitivity::run(a),
        Command::Spc(a) => cmd::spc::run(a),
        Command::Panel(a) => cmd::panel::run(a),
        Command::Represent(a) => cmd::represent::run(a),
        Command::Lix(a) => cmd::lix::run(a),
        Command::Prioritise(a) => cmd::prioritise::run(a),
        Command::Pb(a) => cmd::pb::run(a),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}
