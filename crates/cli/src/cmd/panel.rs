//! `kompas panel`: select a citizens' panel by stratified sortition (LEXIMIN, MAXIMIN, NASH or
//! LEGACY) and print the lottery, each person's probability, and a panel drawn from a seed.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use kompas_cocreation::panel::{
    Algorithm, Instance, PanelReport, ParseOptions, Selection, TicketOptions, select,
};

/// Arguments of `kompas panel`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Quota file: `category,feature,min,max` (replication format) or
    /// `feature,value,min,max[,min_flex,max_flex]` (Sortition Foundation format).
    #[arg(long, value_name = "FILE")]
    quotas: PathBuf,
    /// Pool file: one row per volunteer, one column per category.
    #[arg(long, value_name = "FILE")]
    pool: PathBuf,
    /// The pool's id column (default: the 1-based row number in the replication format, the
    /// first column in the Sortition Foundation format).
    #[arg(long, value_name = "NAME")]
    id_column: Option<String>,
    /// Panel size.
    #[arg(long, value_name = "K")]
    size: usize,
    /// Selection algorithm.
    #[arg(long, value_enum, default_value = "leximin")]
    algorithm: AlgorithmArg,
    /// Seed of the draw (and of LEGACY's Monte Carlo estimate).
    #[arg(long, value_name = "S", default_value_t = 0)]
    seed: u64,
    /// Round the lottery to M equally likely tickets and draw one of them. Every person's share
    /// of tickets stays within k/M of their probability (Flanigan, Kehne & Procaccia 2021).
    #[arg(long, value_name = "M")]
    tickets: Option<usize>,
    /// With `--tickets`: seconds an integer program may spend looking for a rounding closer to
    /// the probabilities than the guaranteed Beck–Fiala one (0: keep the Beck–Fiala rounding).
    #[arg(
        long,
        value_name = "SECONDS",
        default_value_t = 10.0,
        allow_negative_numbers = true
    )]
    ticket_search: f64,
    /// At most one person per household: the address columns, comma-separated.
    #[arg(long, value_name = "COL,...", value_delimiter = ',')]
    household: Vec<String>,
    /// Output format: `json` (statistics, probabilities, panels, drawn) or `csv`
    /// (`id,probability,drawn`, one row per person).
    #[arg(long, value_enum, default_value = "json")]
    format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum AlgorithmArg {
    Leximin,
    Maximin,
    Nash,
    Legacy,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Json,
    Csv,
}

pub(crate) fn run(args: Args) -> anyhow::Result<ExitCode> {
    let quotas = std::fs::read_to_string(&args.quotas)
        .with_context(|| format!("cannot read {}", args.quotas.display()))?;
    let pool = std::fs::read_to_string(&args.pool)
        .with_context(|| format!("cannot read {}", args.pool.display()))?;
    let mut options = ParseOptions::default().household(args.household.clone());
    if let Some(id) = &args.id_column {
        options = options.id_column(id.clone());
    }
    let instance = Instance::parse(&quotas, &pool, &options)
        .with_context(|| format!("{} / {}", args.quotas.display(), args.pool.display()))?;
    let algorithm = match args.algorithm {
        AlgorithmArg::Leximin => Algorithm::Leximin,
        AlgorithmArg::Maximin => Algorithm::Maximin,
        AlgorithmArg::Nash => Algorithm::Nash,
        AlgorithmArg::Legacy => Algorithm::Legacy,
    };
    // Checked before the (possibly long) selection.
    if !(args.ticket_search.is_finite() && (0.0..=86_400.0).contains(&args.ticket_search)) {
        anyhow::bail!(
            "--ticket-search {}: expected seconds between 0 and 86400",
            args.ticket_search
        );
    }
    let selection = Selection::new(args.size, algorithm).legacy_seed(args.seed);
    let spinner = indicatif::ProgressBar::new_spinner();
    spinner.enable_steady_tick(std::time::Duration::from_millis(120));
    spinner.set_message(format!("{algorithm}: starting"));
    let lottery = select(&instance, &selection, &mut |p| {
        spinner.set_message(match algorithm {
            Algorithm::Legacy => format!("legacy: {} runs", p.fixed),
            Algorithm::Nash => format!(
                "nash: round {}, {} panels, gap {:.2e}",
                p.stage, p.panels, p.value
            ),
            _ => format!(
                "{algorithm}: stage {}, {} people fixed, {} panels, minimum {:.4}",
                p.stage, p.fixed, p.panels, p.value
            ),
        });
    });
    spinner.finish_and_clear();
    let lottery = lottery?;
    let report = match args.tickets {
        Some(m) => {
            let options = TicketOptions {
                search: (args.ticket_search > 0.0)
                    .then(|| std::time::Duration::from_secs_f64(args.ticket_search)),
            };
            let tickets = spinner_tickets(m, &lottery, &options)?;
            lottery.report_with_tickets(&instance, &tickets, args.seed)
        }
        None => lottery.report(&instance, args.seed),
    };
    let out = match args.format {
        Format::Json => format!("{}\n", serde_json::to_string_pretty(&report)?),
        Format::Csv => csv(&report)?,
    };
    write_stdout(&out)?;
    Ok(ExitCode::SUCCESS)
}

/// Rounds to tickets behind a spinner (the search may take its whole time limit).
fn spinner_tickets(
    m: usize,
    lottery: &kompas_cocreation::panel::Lottery,
    options: &TicketOptions,
) -> anyhow::Result<kompas_cocreation::panel::Tickets> {
    let spinner = indicatif::ProgressBar::new_spinner();
    spinner.enable_steady_tick(std::time::Duration::from_millis(120));
    spinner.set_message(format!("rounding to {m} tickets"));
    let tickets = lottery.tickets_with(m, options);
    spinner.finish_and_clear();
    Ok(tickets?)
}

fn csv(report: &PanelReport) -> anyhow::Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(["id", "probability", "drawn"])?;
    for (id, p) in &report.probabilities {
        let drawn = if report.drawn.binary_search(id).is_ok() {
            "1"
        } else {
            "0"
        };
        w.write_record([id.as_str(), &p.to_string(), drawn])?;
    }
    Ok(String::from_utf8(w.into_inner()?)?)
}

/// Writes to standard output; a closed pipe is not an error.
fn write_stdout(s: &str) -> anyhow::Result<()> {
    use std::io::Write as _;
    match std::io::stdout().lock().write_all(s.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}
