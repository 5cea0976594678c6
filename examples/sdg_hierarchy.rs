//! How does a real goal framework look as a kompas goal DAG? Loads the UN Sustainable
//! Development Goals (17 goals, 169 targets, 252 indicator rows; Open SDG project) and prints its
//! counts, the indicators that serve several targets, their effective weights in each goal, and
//! the goal-clutter diagnostics.
//!
//! ```text
//! cargo run --example sdg_hierarchy [-- path/to/sdg_goals_targets_indicators.csv]
//! ```
//!
//! Goals and targets become goals (goals at the top level, targets below); indicators become
//! indicators attached to their targets, one indicator per distinct title, so that an indicator
//! listed under several targets (1.5.1 = 11.5.1 = 13.1.1) has several parents. Every weight is 1.

use std::collections::BTreeMap;
use std::error::Error;

use kompas::core::{GoalId, Lang};
use kompas::goals::{Code, DiagnosticOptions, Level, diagnose, parse_sdg_framework};

fn main() -> Result<(), Box<dyn Error>> {
    let path = std::env::args().nth(1).unwrap_or_else(|| {
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/testdata/frameworks/sdg_goals_targets_indicators.csv"
        )
        .to_string()
    });
    let text = std::fs::read_to_string(&path).map_err(|e| format!("cannot read {path}: {e}"))?;
    let sdg = parse_sdg_framework(&text)?;
    let h = &sdg.hierarchy;
    let code_of: BTreeMap<GoalId, &str> =
        sdg.goals.iter().map(|(c, id)| (*id, c.as_str())).collect();

    let count = |l: Level| h.goals().filter(|g| g.level == l).count();
    let rows: usize = sdg.indicators.values().map(|i| i.codes.len()).sum();
    let attachments: usize = h.indicator_goals().values().map(|g| g.len()).sum();
    println!("SDG framework from {path}");
    println!("  goals (top level):      {}", count(Level::City));
    println!("  targets:                {}", count(Level::Department));
    println!("  indicator rows:         {rows}");
    println!("  distinct indicators:    {}", sdg.indicators.len());
    println!("  goal -> target links:   {}", h.link_count());
    println!("  indicator attachments:  {attachments}");

    println!("\nIndicators listed under more than one code:");
    let indicator_goals = h.indicator_goals();
    let mut multi_parent = Vec::new();
    let mut repeated: Vec<_> = sdg
        .indicators
        .iter()
        .filter(|(_, ind)| ind.codes.len() > 1)
        .collect();
    repeated.sort_by_key(|(_, ind)| code_key(&ind.codes[0]));
    for (id, ind) in repeated {
        let mut targets: Vec<&str> = indicator_goals[id].iter().map(|g| code_of[g]).collect();
        targets.sort_by_key(|c| code_key(c));
        if targets.len() > 1 {
            multi_parent.push(*id);
        }
        let title: String = ind.title.chars().take(60).collect();
        println!(
            "  {:<24} under {} target(s) {:<20} {title}...",
            ind.codes.join(" = "),
            targets.len(),
            targets.join(", "),
        );
    }
    println!(
        "  {} indicators have 2-3 parent targets (a DAG, not a tree)",
        multi_parent.len()
    );

    println!("\nEffective weights of multi-parent indicators in each goal they serve:");
    let all = h.all_effective_weights();
    for id in multi_parent.iter().take(5) {
        let ind = &sdg.indicators[id];
        let mut tops: Vec<(&str, f64)> = all
            .iter()
            .filter_map(|(top, ew)| ew.get(id).map(|w| (code_of[top], *w)))
            .collect();
        tops.sort_by_key(|(c, _)| code_key(c));
        let parts: Vec<String> = tops
            .iter()
            .map(|(c, w)| format!("SDG {c} {w:.4}"))
            .collect();
        println!("  {:<8} {}", ind.codes[0], parts.join("; "));
    }
    let sums: Vec<f64> = all.values().map(|ew| ew.values().sum()).collect();
    let (lo, hi) = sums
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &s| {
            (a.min(s), b.max(s))
        });
    println!("  the effective weights of each goal sum to {lo:.12} .. {hi:.12}");

    let found = diagnose(h, &DiagnosticOptions::default());
    println!(
        "\nGoal-clutter diagnostics (default options): {} findings",
        found.len()
    );
    let mut by_code: BTreeMap<Code, Vec<&kompas::goals::Diagnostic>> = BTreeMap::new();
    for d in &found {
        by_code.entry(d.code).or_default().push(d);
    }
    for (code, ds) in &by_code {
        println!("  {code} ({}) x{}", ds[0].severity, ds.len());
        for d in ds.iter().take(3) {
            let mut msg = d.message.clone();
            for (id, c) in &code_of {
                msg = msg.replace(&id.to_string(), &format!("[{c}]"));
            }
            let short: String = msg.chars().take(150).collect();
            println!("    {short}");
        }
    }
    let dot = h.to_dot_with(Lang::En, |i| {
        sdg.indicators.get(&i).map(|ind| ind.codes.join(" = "))
    });
    println!(
        "\nGraphviz DOT export: {} lines ({} bytes)",
        dot.lines().count(),
        dot.len()
    );
    Ok(())
}

/// A sort key for SDG codes that orders numbers numerically: 2 < 10, 1.5 < 1.a < 11.5.
fn code_key(code: &str) -> Vec<(u32, String)> {
    code.split('.')
        .map(|p| match p.parse::<u32>() {
            Ok(n) => (n, String::new()),
            Err(_) => (u32::MAX, p.to_string()),
        })
        .collect()
}
