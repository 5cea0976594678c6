//! Which projects would the Method of Equal Shares fund in Świecie's 2023 participatory budget,
//! and why did the others lose?
//!
//! Runs MES with the Add1 completion on the real Pabulib file, compares the winners with the
//! published ones, and explains each unfunded project by its MES effective support.
//!
//! `cargo run --release --example equal_shares [FILE.pb]`

use std::error::Error;

use kompas::budget::{Completion, Election, LossKind, Mes, Rule, TieBreak, analyse, run};

fn main() -> Result<(), Box<dyn Error>> {
    let path = std::env::args().nth(1).unwrap_or_else(|| {
        format!(
            "{}/testdata/pabulib/Poland_Swiecie_2023.pb",
            env!("CARGO_MANIFEST_DIR")
        )
    });
    let election = Election::parse(&std::fs::read_to_string(&path)?)?;
    let rule = Rule::Mes(Mes {
        completion: Completion::Add1,
        ..Mes::default()
    });
    let outcome = run(&election, &rule, &TieBreak::default())?;
    let published: Vec<_> = election
        .projects
        .iter()
        .filter(|p| p.selected == Some(true))
        .map(|p| p.id.clone())
        .collect();
    let mut ours = outcome.funded.clone();
    ours.sort();
    let mut theirs = published.clone();
    theirs.sort();
    println!(
        "{}: budget {}, {} voters, {} projects",
        election.meta_value("description").unwrap_or(&path),
        outcome.budget,
        election.ballots.len(),
        election.projects.len()
    );
    println!(
        "MES + Add1 funds {} projects for {} after {} MES runs (final endowment {:.2} per voter)",
        outcome.funded.len(),
        outcome.total_cost,
        outcome.mes_runs,
        outcome.endowment.as_ref().map_or(0.0, |e| e.approx)
    );
    if !published.is_empty() {
        println!(
            "published outcome reproduced: {}",
            if ours == theirs { "yes" } else { "no" }
        );
    }
    let analysis = analyse(&election, &outcome)?;
    println!(
        "voters with nothing funded: {:.1} %, funded projects per ballot: {:.2}, Gini: {:.3}, EJR+ up to one violations: {}",
        100.0 * analysis.share_without_funded,
        analysis.avg_funded_approved,
        analysis.gini_cost_satisfaction,
        analysis.ejr_violations.len()
    );
    println!("\nwhy the unfunded projects lost:");
    for r in &analysis.unfunded {
        let name = election
            .project_index(&r.project)
            .and_then(|i| election.projects[i].fields.get("name"))
            .map_or("", String::as_str);
        let why = match r.kind {
            LossKind::InsufficientSupport => format!(
                "its supporters could cover at most {:.1} % of its cost at the going price",
                r.effective_support
            ),
            LossKind::LostTie => "it lost a tie".to_owned(),
            LossKind::NoVotes => "nobody voted for it".to_owned(),
        };
        println!(
            "  {} ({}; {} votes, cost {}): {why}",
            r.project, name, r.votes, r.cost
        );
    }
    Ok(())
}
