//! `kompas represent`: representativeness of participants against population margins, printed
//! as published tables (cells under `--min-cell` persons suppressed).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use kompas_cocreation::{
    Population, PublishedAttribute, PublishedCount, PublishedRIndicator, RepresentOptions,
    parse_invitations_csv, parse_participants_csv, represent,
};

/// Arguments of `kompas represent`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// Participants as CSV: one column per attribute (e.g. `sex,age_band`), an optional `id`
    /// column; an empty cell is a missing value.
    #[arg(long, value_name = "FILE.csv")]
    participants: PathBuf,
    /// Population counts as CSV `attribute,value,count`; a joint count of two attributes is
    /// written `sex*age_band,men*18-29,46709`.
    #[arg(long, value_name = "FILE.csv")]
    population: PathBuf,
    /// Cells of fewer persons than this (but at least one) are shown as `<k`; a lone suppressed
    /// cell makes the next smallest one shown as `x`.
    #[arg(long, default_value_t = 5, value_name = "K")]
    min_cell: u64,
    /// Invitation counts as CSV `attribute,value,invited,responded`: adds the R-indicator and
    /// partial R-indicators of response by each attribute given.
    #[arg(long, value_name = "FILE.csv")]
    invitations: Option<PathBuf>,
    /// Output format: one CSV row per cell (attribute statistics repeated), or JSON.
    #[arg(long, value_enum, default_value = "csv")]
    format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Csv,
    Json,
}

fn read(path: &PathBuf) -> anyhow::Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
}

pub(crate) fn run(args: Args) -> anyhow::Result<ExitCode> {
    let population = Population::from_csv(&read(&args.population)?)
        .with_context(|| args.population.display().to_string())?;
    let participants = parse_participants_csv(&read(&args.participants)?, &population)
        .with_context(|| args.participants.display().to_string())?;
    let invitations = match &args.invitations {
        Some(path) => parse_invitations_csv(&read(path)?, &population)
            .with_context(|| path.display().to_string())?,
        None => Default::default(),
    };
    let options = RepresentOptions {
        min_cell: args.min_cell,
        invitations,
    };
    let report = represent(&participants, &population, &options)?;
    for w in &report.warnings {
        eprintln!("warning: {w}");
    }
    let published = report.publish();
    let bytes = match args.format {
        Format::Json => format!("{}\n", serde_json::to_string_pretty(&published)?).into_bytes(),
        Format::Csv => {
            let mut out = csv::Writer::from_writer(Vec::new());
            out.write_record([
                "attribute",
                "value",
                "count",
                "share",
                "population_share",
                "ratio",
                "gap_pp",
                "dissimilarity",
                "gallagher",
                "chi_square",
                "df",
                "p_value",
                "kl_divergence",
                "hellinger",
                "invited",
                "responded",
                "propensity",
                "partial_r",
                "r_indicator",
            ])?;
            for table in published
                .attributes
                .iter()
                .chain(published.intersections.iter())
            {
                let r = published
                    .r_indicators
                    .iter()
                    .find(|r| r.attribute == table.attribute);
                write_table(&mut out, table, r)?;
            }
            // R-indicators of attributes without a population table get rows of their own.
            for r in &published.r_indicators {
                if !published
                    .attributes
                    .iter()
                    .any(|t| t.attribute == r.attribute)
                {
                    for g in &r.groups {
                        let mut row = vec![r.attribute.clone(), g.value.clone()];
                        row.extend(std::iter::repeat_n(String::new(), 12));
                        row.extend(r_columns(r, &g.value));
                        out.write_record(&row)?;
                    }
                }
            }
            out.into_inner()
                .map_err(|e| anyhow::anyhow!("{}", e.error()))?
        }
    };
    use std::io::Write as _;
    match std::io::stdout().lock().write_all(&bytes) {
        // a closed pipe (`kompas represent ... | head`) is not an error
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(ExitCode::SUCCESS),
    }
}

fn num(x: Option<f64>) -> String {
    x.map(|v| v.to_string()).unwrap_or_default()
}

/// The five R-indicator columns of a value (empty when the value has no invitation counts).
fn r_columns(r: &PublishedRIndicator, value: &str) -> Vec<String> {
    match r.groups.iter().find(|g| g.value == value) {
        Some(g) => vec![
            g.invited.to_string(),
            g.responded.to_string(),
            num(g.propensity),
            num(g.partial),
            r.r_indicator.to_string(),
        ],
        None => vec![String::new(); 5],
    }
}

fn write_table<W: std::io::Write>(
    out: &mut csv::Writer<W>,
    t: &PublishedAttribute,
    r: Option<&PublishedRIndicator>,
) -> anyhow::Result<()> {
    let extra = |value: &str| r.map_or_else(|| vec![String::new(); 5], |r| r_columns(r, value));
    let stats = [
        t.dissimilarity.to_string(),
        t.gallagher.to_string(),
        num(t.chi_square.map(|c| c.statistic)),
        t.chi_square.map(|c| c.df.to_string()).unwrap_or_default(),
        num(t.chi_square.map(|c| c.p_value)),
        num(t.kl_divergence),
        t.hellinger.to_string(),
    ];
    for c in &t.cells {
        let mut row = vec![
            t.attribute.clone(),
            c.value.clone(),
            c.count.to_string(),
            num(c.share),
            c.population_share.to_string(),
            num(c.ratio),
            num(c.gap_pp),
        ];
        row.extend(stats.iter().cloned());
        row.extend(extra(&c.value));
        out.write_record(&row)?;
    }
    if t.missing != PublishedCount::Exact(0) {
        let mut row = vec![
            t.attribute.clone(),
            "(missing)".to_owned(),
            t.missing.to_string(),
        ];
        row.extend(std::iter::repeat_n(String::new(), 4));
        row.extend(stats.iter().cloned());
        row.extend(vec![String::new(); 5]);
        out.write_record(&row)?;
    }
    Ok(())
}
