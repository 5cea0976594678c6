//! How fair can a citizens' panel be? LEXIMIN on the Geneva pool (360 volunteers, panel of 30).
//!
//! Prints the smallest selection probability (published: 6.5 %), the Gini coefficient
//! (published: 19.9 %) and a panel drawn with seed 2026.
//!
//! `cargo run --release --example citizens_panel`

use std::error::Error;

use kompas::cocreation::panel::{Algorithm, Instance, ParseOptions, Selection, select};

fn main() -> Result<(), Box<dyn Error>> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/sortition/geneva_30");
    let quotas = std::fs::read_to_string(format!("{dir}/categories.csv"))?;
    let pool = std::fs::read_to_string(format!("{dir}/respondents.csv"))?;
    let options = ParseOptions::default().id_column("pool_member_identifier");
    let instance = Instance::parse(&quotas, &pool, &options)?;
    let started = std::time::Instant::now();
    let lottery = select(
        &instance,
        &Selection::new(30, Algorithm::Leximin),
        &mut |p| {
            eprintln!(
                "stage {}: {} people fixed, {} panels, minimum {:.4}",
                p.stage, p.fixed, p.panels, p.value
            );
        },
    )?;
    println!(
        "LEXIMIN on geneva_30 in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    println!(
        "minimum selection probability: {:.2} %",
        100.0 * lottery.min_probability()
    );
    println!("Gini coefficient: {:.1} %", 100.0 * lottery.gini());
    println!("geometric mean: {:.2} %", 100.0 * lottery.geometric_mean());
    println!("panels in the lottery: {}", lottery.panels().len());
    let report = lottery.report(&instance, 2026);
    println!("drawn with seed 2026: {}", report.drawn.join(" "));
    Ok(())
}
