//! `kompas prioritise`: aggregate stakeholder rankings (Borda, Copeland, Schulze, Kemeny) or weigh
//! criteria by AHP.

use std::fmt::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use kompas_value::{Ahp, CollectiveRanking, ComparisonMatrix, Consistency, Method, Profile};

/// Arguments of `kompas prioritise`.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("input").required(true).args(["ballots", "ahp"])))]
pub(crate) struct Args {
    /// Ballots as CSV with columns `count,ranking` (`A>B>C`, `A=B` for a tie) and an optional
    /// `group` column.
    #[arg(long, value_name = "FILE.csv")]
    ballots: Option<PathBuf>,
    /// How to aggregate the ballots.
    #[arg(long, value_enum, requires = "ballots")]
    method: Option<MethodArg>,
    /// The options, comma separated; every ranking must use only these (default: all options the
    /// rankings name, sorted).
    #[arg(long, value_delimiter = ',', requires = "ballots")]
    options: Option<Vec<String>>,
    /// Also say whose voice a chosen option follows and overrules (by the `group` column).
    #[arg(long, value_name = "OPTION", requires = "ballots")]
    chosen: Option<String>,
    /// A pairwise-comparison matrix as CSV (a header row of names, then one row per element
    /// starting with its name; judgments like `3` or `1/3`): prints AHP weights and consistency.
    #[arg(long, value_name = "FILE.csv", conflicts_with = "ballots")]
    ahp: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum MethodArg {
    Borda,
    Copeland,
    Schulze,
    Kemeny,
}

impl From<MethodArg> for Method {
    fn from(m: MethodArg) -> Method {
        match m {
            MethodArg::Borda => Method::Borda,
            MethodArg::Copeland => Method::Copeland,
            MethodArg::Schulze => Method::Schulze,
            MethodArg::Kemeny => Method::Kemeny,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Text,
    Json,
}

fn read(path: &PathBuf) -> anyhow::Result<String> {
    std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
}

pub(crate) fn run(args: Args) -> anyhow::Result<ExitCode> {
    if let Some(path) = &args.ahp {
        let text = read(path)?;
        let m = ComparisonMatrix::parse_csv(&text).with_context(|| path.display().to_string())?;
        let r = kompas_value::ahp(&m);
        match args.format {
            Format::Json => println!("{}", serde_json::to_string_pretty(&r)?),
            Format::Text => print!("{}", ahp_text(&r)),
        }
        return Ok(ExitCode::SUCCESS);
    }
    let Some(path) = &args.ballots else {
        anyhow::bail!("give --ballots FILE.csv or --ahp FILE.csv");
    };
    let Some(method) = args.method else {
        anyhow::bail!("--method is required with --ballots: borda, copeland, schulze or kemeny");
    };
    let text = read(path)?;
    let profile = Profile::parse_csv(&text, args.options.as_deref())
        .with_context(|| path.display().to_string())?;
    let ranking = kompas_value::aggregate(&profile, method.into())?;
    let voice = args
        .chosen
        .as_deref()
        .map(|c| kompas_value::whose_voice(&profile, c))
        .transpose()?;
    match args.format {
        Format::Json => {
            let out = serde_json::json!({ "ranking": ranking, "voice": voice });
            println!("{}", serde_json::to_string_pretty(&out)?);
        }
        Format::Text => {
            print!("{}", ranking_text(&ranking));
            if let Some(v) = voice {
                println!();
                println!("whose voice, choosing {}:", v.chosen);
                for g in &v.groups {
                    let verdict = match g.voice {
                        kompas_value::Voice::Follows => "follows".to_owned(),
                        kompas_value::Voice::Overrules => {
                            format!("overrules (prefers {})", g.preferred_over_chosen.join(", "))
                        }
                    };
                    println!(
                        "  {}: {verdict}; {} of {} voters rank it first",
                        g.group, g.first_choice, g.voters
                    );
                }
                if v.ungrouped_voters > 0 {
                    println!("  ({} voters without a group)", v.ungrouped_voters);
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn matrix(out: &mut String, title: &str, options: &[String], m: &[Vec<u64>]) {
    let w = options
        .iter()
        .map(String::len)
        .chain(m.iter().flatten().map(|v| v.to_string().len()))
        .max()
        .unwrap_or(1);
    let _ = writeln!(out, "{title}");
    let _ = write!(out, "{:w$}", "");
    for o in options {
        let _ = write!(out, " {o:>w$}");
    }
    out.push('\n');
    for (i, (o, row)) in options.iter().zip(m).enumerate() {
        let _ = write!(out, "{o:<w$}");
        for (j, v) in row.iter().enumerate() {
            if i == j {
                let _ = write!(out, " {:>w$}", "-");
            } else {
                let _ = write!(out, " {v:>w$}");
            }
        }
        out.push('\n');
    }
}

fn ranking_text(r: &CollectiveRanking) -> String {
    let mut out = String::new();
    let mut rank = 1;
    for tier in &r.order {
        let mark = if tier.len() > 1 { "=" } else { "" };
        for o in tier {
            let _ = writeln!(out, "{rank}{mark} {o}");
        }
        rank += tier.len();
    }
    out.push('\n');
    matrix(
        &mut out,
        "pairwise preferences d[row, column] (voters ranking row above column):",
        &r.options,
        &r.pairwise,
    );
    if let Some(p) = &r.strongest_paths {
        out.push('\n');
        matrix(&mut out, "strongest paths p[row, column]:", &r.options, p);
    }
    if !r.scores.is_empty() {
        out.push('\n');
        let _ = writeln!(out, "{} scores:", r.method.as_str());
        for o in &r.options {
            if let Some(s) = r.scores.get(o) {
                let _ = writeln!(out, "  {o} {s}");
            }
        }
    }
    if let Some(k) = &r.kemeny {
        out.push('\n');
        let _ = writeln!(
            out,
            "kemeny: {} optimal order(s), agreement {}:",
            k.orders.len(),
            k.score
        );
        for o in &k.orders {
            let _ = writeln!(out, "  {}", o.join(">"));
        }
    }
    out
}

fn ahp_text(r: &Ahp) -> String {
    let mut out = String::new();
    let w = r.names.iter().map(String::len).max().unwrap_or(1);
    let _ = writeln!(out, "weights (principal eigenvector):");
    for (n, v) in r.names.iter().zip(&r.weights) {
        let _ = writeln!(out, "  {n:<w$} {v:.4}");
    }
    let _ = writeln!(out, "lambda_max {:.4}", r.lambda_max);
    let _ = writeln!(out, "consistency index {:.4}", r.consistency_index);
    match (r.random_index, r.consistency_ratio) {
        (Some(ri), Some(cr)) => {
            let verdict = match r.consistency {
                Consistency::Inconsistent => "inconsistent: above 0.1",
                _ => "acceptable",
            };
            let _ = writeln!(out, "random index {ri:.2}");
            let _ = writeln!(out, "consistency ratio {cr:.4} ({verdict})");
        }
        _ => {
            let _ = writeln!(
                out,
                "consistency ratio: not assessed (no random index for {} elements)",
                r.names.len()
            );
        }
    }
    if let Some(t) = &r.most_inconsistent_triad {
        let _ = writeln!(
            out,
            "most inconsistent triad: {}, {}, {} (a_ij*a_jk/a_ik = {:.3})",
            t.elements[0], t.elements[1], t.elements[2], t.ratio
        );
    }
    let _ = writeln!(out, "iterations {}", r.iterations);
    out
}
