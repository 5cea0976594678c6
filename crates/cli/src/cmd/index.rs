//! `kompas index`: builds a composite index from COINr-style iData/iMeta CSV files and prints one
//! row per unit (`uCode`, one column per aggregate, `Rank`). Also holds the pipeline flags that
//! `kompas sensitivity` shares.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use kompas_core::Share;
use kompas_goals::{
    Aggregation, Coin, CsvText, Denomination, Detail, Imputation, Normalisation, Pipeline,
    Treatment, WinsoriseSpec,
};

/// The pipeline flags, shared by `kompas index` and `kompas sensitivity`.
#[derive(Debug, clap::Args)]
pub(crate) struct PipelineArgs {
    /// iData CSV: `uCode`, optional `uName`/`Time`, groups, denominators, indicators.
    #[arg(long, value_name = "IDATA.csv")]
    pub(crate) data: PathBuf,
    /// iMeta CSV: `iCode, Level, Direction, Weight, Parent, Type`, ...
    #[arg(long, value_name = "IMETA.csv")]
    pub(crate) meta: PathBuf,
    /// Divide indicators by their iMeta `Denominator` column.
    #[arg(long)]
    pub(crate) denominate: bool,
    /// Imputation: none, mean, median or group-mean:COLUMN.
    #[arg(long, default_value = "none", value_name = "METHOD")]
    pub(crate) impute: String,
    /// Drop units with less than this share (0-1) of indicators with data.
    #[arg(long, value_name = "SHARE")]
    pub(crate) screen: Option<f64>,
    /// Outlier treatment: none or winsorise (|skew| >= 2 and kurtosis >= 3.5; 5 points, else log).
    #[arg(long, default_value = "none", value_name = "METHOD")]
    pub(crate) treat: String,
    /// Normalisation: minmax:L:U, zscore:M:S, rank, prank, dist2max, dist2targ or goalposts.
    #[arg(long, default_value = "minmax:0:100", value_name = "METHOD")]
    pub(crate) normalise: String,
    /// Aggregation: amean, gmean, hmean, pmean:P (generalised mean) or copeland.
    #[arg(long, default_value = "amean", value_name = "METHOD")]
    pub(crate) aggregate: String,
}

/// Parses a normalisation flag value.
pub(crate) fn parse_normalisation(s: &str) -> anyhow::Result<Normalisation> {
    let parts: Vec<&str> = s.split(':').collect();
    let num = |k: usize| -> anyhow::Result<f64> {
        parts
            .get(k)
            .and_then(|v| v.parse::<f64>().ok())
            .filter(|v| v.is_finite())
            .with_context(|| format!("--normalise {s:?}: expected a number as part {}", k + 1))
    };
    Ok(match parts[0] {
        "minmax" if parts.len() == 1 => Normalisation::MinMax {
            low: 0.0,
            high: 100.0,
        },
        "minmax" if parts.len() == 3 => Normalisation::MinMax {
            low: num(1)?,
            high: num(2)?,
        },
        "zscore" if parts.len() == 1 => Normalisation::ZScore { mean: 0.0, sd: 1.0 },
        "zscore" if parts.len() == 3 => Normalisation::ZScore {
            mean: num(1)?,
            sd: num(2)?,
        },
        "rank" if parts.len() == 1 => Normalisation::Rank,
        "prank" if parts.len() == 1 => Normalisation::PercentRank,
        "dist2max" if parts.len() == 1 => Normalisation::DistanceToMax,
        "dist2targ" if parts.len() == 1 => Normalisation::DistanceToTarget,
        "goalposts" if parts.len() == 1 => Normalisation::Goalposts,
        _ => bail!(
            "--normalise {s:?}: expected minmax:L:U, zscore:M:S, rank, prank, dist2max, dist2targ or goalposts"
        ),
    })
}

/// Parses an aggregation flag value.
pub(crate) fn parse_aggregation(s: &str) -> anyhow::Result<Aggregation> {
    Ok(match s.split_once(':') {
        None if s == "amean" => Aggregation::ArithmeticMean,
        None if s == "gmean" => Aggregation::GeometricMean,
        None if s == "hmean" => Aggregation::HarmonicMean,
        None if s == "copeland" => Aggregation::Copeland,
        Some(("pmean", p)) => match p.parse::<f64>() {
            Ok(p) if p.is_finite() => Aggregation::GeneralisedMean { p },
            _ => bail!("--aggregate {s:?}: expected pmean:P with a finite number P"),
        },
        _ => bail!("--aggregate {s:?}: expected amean, gmean, hmean, pmean:P or copeland"),
    })
}

/// An iData file read with positioned reads, so that `kompas-goals` reads it in pieces on all
/// cores without the whole file in memory.
#[cfg(unix)]
struct DataFile {
    file: std::fs::File,
    size: u64,
}

#[cfg(unix)]
impl kompas_goals::ReadAt for DataFile {
    fn size(&self) -> u64 {
        self.size
    }

    fn read_exact_at(&self, buf: &mut [u8], offset: u64) -> std::io::Result<()> {
        std::os::unix::fs::FileExt::read_exact_at(&self.file, buf, offset)
    }
}

/// Reads iData (in pieces where positioned reads exist) with its iMeta.
fn read_coin(data: &Path, meta: CsvText<'_>) -> anyhow::Result<Coin> {
    let name = data.display().to_string();
    #[cfg(unix)]
    {
        let file = std::fs::File::open(data).with_context(|| format!("cannot read {name}"))?;
        let size = file
            .metadata()
            .with_context(|| format!("cannot read {name}"))?
            .len();
        Ok(Coin::from_csv_pieces(
            &DataFile { file, size },
            &name,
            meta,
        )?)
    }
    #[cfg(not(unix))]
    {
        let bytes = std::fs::read(data).with_context(|| format!("cannot read {name}"))?;
        Ok(Coin::from_csv_bytes(
            kompas_goals::CsvBytes {
                name: &name,
                bytes: &bytes,
            },
            meta,
        )?)
    }
}

impl PipelineArgs {
    /// Reads the files and builds the pipeline.
    pub(crate) fn load(&self) -> anyhow::Result<(Coin, Pipeline)> {
        let meta = std::fs::read_to_string(&self.meta)
            .with_context(|| format!("cannot read {}", self.meta.display()))?;
        let meta_name = self.meta.display().to_string();
        let coin = read_coin(
            &self.data,
            CsvText {
                name: &meta_name,
                text: &meta,
            },
        )?;
        let impute = match self.impute.split_once(':') {
            None if self.impute == "none" => Imputation::None,
            None if self.impute == "mean" => Imputation::Mean,
            None if self.impute == "median" => Imputation::Median,
            Some(("group-mean", col)) if !col.is_empty() => Imputation::GroupMean {
                column: col.to_string(),
            },
            _ => bail!(
                "--impute {:?}: expected none, mean, median or group-mean:COLUMN",
                self.impute
            ),
        };
        let treat = match self.treat.as_str() {
            "none" => Treatment::None,
            "winsorise" | "winsorize" => Treatment::Winsorise(WinsoriseSpec::default()),
            other => bail!("--treat {other:?}: expected none or winsorise"),
        };
        let screen = match self.screen {
            Some(s) => {
                Some(Share::new(s).with_context(|| format!("--screen {s}: expected a share 0-1"))?)
            }
            None => None,
        };
        let pipeline = Pipeline {
            denominate: if self.denominate {
                Denomination::ByMeta
            } else {
                Denomination::Off
            },
            impute,
            screen,
            treat,
            normalise: parse_normalisation(&self.normalise)?,
            aggregate: parse_aggregation(&self.aggregate)?,
            ..Pipeline::default()
        };
        Ok((coin, pipeline))
    }
}

/// Output format.
#[derive(Debug, Clone, Copy, clap::ValueEnum)]
pub(crate) enum Format {
    /// `uCode,<aggregates...>,Rank`
    Csv,
    /// An array of objects with the same fields.
    Json,
}

/// Arguments of `kompas index`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    #[command(flatten)]
    pipeline: PipelineArgs,
    /// Output format.
    #[arg(long, value_enum, default_value = "csv")]
    format: Format,
}

pub(crate) fn run(args: Args) -> anyhow::Result<ExitCode> {
    let (coin, pipeline) = args.pipeline.load()?;
    // Only the scores and ranks are printed.
    let result = pipeline.run_owned_with(coin, Detail::Scores)?;
    let mut stdout = std::io::stdout().lock();
    let out = match args.format {
        Format::Csv => {
            // Written a round of rows at a time, without the whole text in memory.
            result
                .write_csv(&mut stdout)
                .context("cannot write the result")?;
            std::mem::forget(result);
            return Ok(ExitCode::SUCCESS);
        }
        Format::Json => {
            let rows: Vec<serde_json::Value> = result
                .units
                .iter()
                .enumerate()
                .map(|(u, unit)| {
                    let mut m = serde_json::Map::new();
                    m.insert("uCode".into(), unit.clone().into());
                    for c in &result.aggregates {
                        m.insert(c.code.clone(), c.get(u).into());
                    }
                    m.insert("Rank".into(), result.ranks[u].into());
                    serde_json::Value::Object(m)
                })
                .collect();
            let mut out = serde_json::to_string_pretty(&rows)?;
            out.push('\n');
            out
        }
    };
    stdout
        .write_all(out.as_bytes())
        .and_then(|()| stdout.flush())
        .context("cannot write the result")?;
    // Left to the operating system at exit (freeing them would only take time).
    std::mem::forget((result, out));
    Ok(ExitCode::SUCCESS)
}
