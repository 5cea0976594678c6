//! Which countries top COINr's ASEM Sustainable Connectivity index, and how much of each score
//! rests on real data rather than imputed values?
//!
//! Builds the index with COINr's standard pipeline (denominate, impute by group mean, screen,
//! winsorise, min-max 0-100, arithmetic means) and prints the top 10 with each country's Index
//! coverage when missing values are left missing instead of imputed.
//!
//! `cargo run --example asem_index`

use std::error::Error;

use kompas::core::Share;
use kompas::goals::{Coin, CsvText, Denomination, Imputation, Pipeline, Treatment, WinsoriseSpec};

fn main() -> Result<(), Box<dyn Error>> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/composite/");
    let data = std::fs::read_to_string(format!("{dir}ASEM_iData.csv"))?;
    let meta = std::fs::read_to_string(format!("{dir}ASEM_iMeta.csv"))?;
    let coin = Coin::from_csv(
        CsvText {
            name: "ASEM_iData.csv",
            text: &data,
        },
        CsvText {
            name: "ASEM_iMeta.csv",
            text: &meta,
        },
    )?;
    let standard = Pipeline {
        denominate: Denomination::ByMeta,
        impute: Imputation::GroupMean {
            column: "EurAsia_group".into(),
        },
        screen: Some(Share::new(0.9)?),
        treat: Treatment::Winsorise(WinsoriseSpec::default()),
        ..Pipeline::default()
    };
    let result = standard.run(&coin)?;
    let unimputed = Pipeline {
        impute: Imputation::None,
        screen: None,
        ..standard
    }
    .run(&coin)?;

    let treated = result
        .log
        .iter()
        .filter(|e| matches!(e, kompas::goals::LogEntry::Winsorised { .. }))
        .count();
    println!(
        "{} units, {} indicators, {} aggregates; {treated} indicators winsorised",
        result.units.len(),
        coin.indicators().len(),
        coin.aggregates().len()
    );
    let mut order: Vec<usize> = (0..result.units.len()).collect();
    order.sort_by_key(|&u| (result.ranks[u], u));
    println!(
        "rank  unit  {:>6}  {:>6}  {:>6}  coverage",
        result.top, "Conn", "Sust"
    );
    for &u in order.iter().take(10) {
        let unit = &result.units[u];
        let score = |code: &str| result.score(code, unit).unwrap_or(f64::NAN);
        let coverage = unimputed.coverage_of(&result.top, unit).unwrap_or(0.0);
        println!(
            "{:>4}  {unit:<4}  {:>6.2}  {:>6.2}  {:>6.2}  {:>7.1} %",
            result.ranks[u].map_or(String::from("-"), |r| r.to_string()),
            score(&result.top),
            score("Conn"),
            score("Sust"),
            100.0 * coverage
        );
    }
    Ok(())
}
