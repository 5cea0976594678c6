//! `kompas sensitivity`: remove-one rank shifts or Monte Carlo rank intervals of a composite
//! index, with the pipeline flags of `kompas index`.

use std::process::ExitCode;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressStyle};
use kompas_goals::{MonteCarlo, monte_carlo_with_progress, remove_one};

use super::index::{PipelineArgs, parse_aggregation, parse_normalisation};

/// Arguments of `kompas sensitivity`.
#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("analysis").required(true).args(["remove_one", "monte_carlo"])))]
pub(crate) struct Args {
    #[command(flatten)]
    pipeline: PipelineArgs,
    /// Remove each indicator/aggregate of this iMeta level in turn; prints
    /// `iCode,mean_abs_rank_shift`.
    #[arg(long, value_name = "LEVEL")]
    remove_one: Option<u32>,
    /// Monte Carlo with N replicates; prints `uCode,nominal_rank,median_rank,q05,q95`.
    #[arg(long, value_name = "N")]
    monte_carlo: Option<usize>,
    /// Seed of the Monte Carlo run.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Fraction by which each weight is perturbed (0.25 = +-25 %).
    #[arg(long, default_value_t = 0.25, value_name = "F")]
    perturb_weights: f64,
    /// Normalisations to draw from, comma separated (default: the --normalise one).
    #[arg(long, value_delimiter = ',', value_name = "LIST")]
    mc_normalise: Vec<String>,
    /// Aggregation methods to draw from, comma separated (default: the --aggregate one).
    #[arg(long, value_delimiter = ',', value_name = "LIST")]
    mc_aggregate: Vec<String>,
    /// Winsorising limits to draw from, comma separated (with --treat winsorise).
    #[arg(long, value_delimiter = ',', value_name = "LIST")]
    mc_winsorise: Vec<usize>,
}

fn num(v: f64) -> String {
    if v.is_nan() {
        String::new()
    } else {
        v.to_string()
    }
}

pub(crate) fn run(args: Args) -> anyhow::Result<ExitCode> {
    let (coin, pipeline) = args.pipeline.load()?;
    let mut out = String::new();
    if let Some(level) = args.remove_one {
        out.push_str("iCode,mean_abs_rank_shift\n");
        for s in remove_one(&coin, &pipeline, level)? {
            out.push_str(&format!("{},{}\n", s.code, num(s.mean_abs_rank_shift)));
        }
    } else if let Some(n) = args.monte_carlo {
        let mc = MonteCarlo {
            replicates: n,
            seed: args.seed,
            weight_perturbation: args.perturb_weights,
            normalisations: args
                .mc_normalise
                .iter()
                .map(|s| parse_normalisation(s))
                .collect::<anyhow::Result<_>>()?,
            aggregations: args
                .mc_aggregate
                .iter()
                .map(|s| parse_aggregation(s))
                .collect::<anyhow::Result<_>>()?,
            winsorise_limits: args.mc_winsorise.clone(),
        };
        let bar = ProgressBar::new(n as u64);
        bar.set_style(
            ProgressStyle::with_template("{bar:40} {pos}/{len} replicates ({eta})")
                .context("progress bar template")?,
        );
        let result = monte_carlo_with_progress(&coin, &pipeline, &mc, &|| bar.inc(1));
        bar.finish_and_clear();
        out.push_str("uCode,nominal_rank,median_rank,q05,q95\n");
        for r in result? {
            out.push_str(&format!(
                "{},{},{},{},{}\n",
                r.unit,
                r.nominal_rank.map(|x| x.to_string()).unwrap_or_default(),
                num(r.median_rank),
                num(r.q05),
                num(r.q95)
            ));
        }
    }
    print!("{out}");
    Ok(ExitCode::SUCCESS)
}
