//! `kompas pb`: runs a participatory-budgeting rule on a Pabulib `.pb` file and prints the
//! funded projects (text), the outcome with its analysis (JSON), or the file with `selected`
//! filled in (pb).

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context as _;
use kompas_budget::{
    Comparison, Completion, Election, Greedy, Mes, Rule, TieBreak, Utility, analyse,
    run as run_rule,
};

/// Arguments of `kompas pb`.
#[derive(Debug, clap::Args)]
pub(crate) struct Args {
    /// The election, a Pabulib `.pb` file.
    #[arg(value_name = "FILE.pb")]
    file: PathBuf,
    /// The voting rule.
    #[arg(long, value_enum)]
    rule: RuleArg,
    /// Voters' utilities (MES and utilitarian).
    #[arg(long, value_enum, default_value = "cost")]
    utility: UtilityArg,
    /// How MES spends what it leaves unspent.
    #[arg(long, value_enum, default_value = "none")]
    completion: CompletionArg,
    /// Keep MES only if more voters prefer it to greedy.
    #[arg(long, value_enum, default_value = "none")]
    comparison: ComparisonArg,
    /// Tie-break chain (comma-separated min-cost, max-cost, max-votes, id), or `refuse`.
    #[arg(
        long,
        default_value = "min-cost,max-votes,id",
        value_name = "CHAIN|refuse"
    )]
    tie_break: String,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum RuleArg {
    Mes,
    Greedy,
    Phragmen,
    Utilitarian,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum UtilityArg {
    Cost,
    Cardinality,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum CompletionArg {
    None,
    Add1,
    #[value(name = "add1-full")]
    Add1Full,
    Utilitarian,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum ComparisonArg {
    None,
    Greedy,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Format {
    Text,
    Json,
    Pb,
}

pub(crate) fn run(args: Args) -> anyhow::Result<ExitCode> {
    let text = std::fs::read_to_string(&args.file)
        .with_context(|| format!("cannot read {} as utf-8 text", args.file.display()))?;
    let election = Election::parse(&text).with_context(|| args.file.display().to_string())?;
    let tie: TieBreak = args.tie_break.parse()?;
    let utility = match args.utility {
        UtilityArg::Cost => Utility::Cost,
        UtilityArg::Cardinality => Utility::Cardinality,
    };
    let completion = match args.completion {
        CompletionArg::None => Completion::None,
        CompletionArg::Add1 => Completion::Add1,
        CompletionArg::Add1Full => Completion::Add1Full,
        CompletionArg::Utilitarian => Completion::Utilitarian,
    };
    let comparison = match args.comparison {
        ComparisonArg::None => Comparison::None,
        ComparisonArg::Greedy => Comparison::Greedy,
    };
    if args.rule != RuleArg::Mes
        && (completion != Completion::None || comparison != Comparison::None)
    {
        anyhow::bail!("--completion and --comparison apply to --rule mes only");
    }
    let rule = match args.rule {
        RuleArg::Mes => Rule::Mes(Mes {
            utility,
            completion,
            comparison,
        }),
        RuleArg::Greedy => Rule::Greedy(Greedy::default()),
        RuleArg::Phragmen => Rule::Phragmen,
        RuleArg::Utilitarian => Rule::Utilitarian { utility },
    };
    let outcome =
        run_rule(&election, &rule, &tie).with_context(|| args.file.display().to_string())?;
    let out = match args.format {
        Format::Text => {
            let mut s = String::new();
            for id in &outcome.funded {
                s.push_str(id.as_str());
                s.push('\n');
            }
            s
        }
        Format::Pb => election.with_selected(&outcome.funded).to_pb(),
        Format::Json => {
            let analysis = analyse(&election, &outcome)?;
            let funded: Vec<serde_json::Value> = outcome
                .funded
                .iter()
                .filter_map(|id| {
                    let i = election.project_index(id)?;
                    let p = &election.projects[i];
                    let votes = election
                        .ballots
                        .iter()
                        .filter(|b| b.vote.contains(id))
                        .count();
                    Some(serde_json::json!({
                        "id": id,
                        "cost": p.cost,
                        "votes": votes,
                    }))
                })
                .collect();
            let doc = serde_json::json!({
                "rule": rule,
                "tie_break": tie.to_string(),
                "funded": funded,
                "total_cost": outcome.total_cost,
                "budget": outcome.budget,
                "mes_runs": outcome.mes_runs,
                "exact_mes_runs": outcome.exact_mes_runs,
                "endowment": outcome.endowment,
                "comparison": outcome.comparison,
                "satisfaction": {
                    "share_without_funded": analysis.share_without_funded,
                    "avg_funded_approved": analysis.avg_funded_approved,
                    "gini_cost_satisfaction": analysis.gini_cost_satisfaction,
                },
                "ejr_violations": analysis.ejr_violations,
                "unfunded": analysis.unfunded,
            });
            format!("{}\n", serde_json::to_string_pretty(&doc)?)
        }
    };
    write_stdout(&out)?;
    Ok(ExitCode::SUCCESS)
}

fn write_stdout(s: &str) -> anyhow::Result<()> {
    use std::io::Write as _;
    match std::io::stdout().lock().write_all(s.as_bytes()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e.into()),
        _ => Ok(()),
    }
}
