//! What does Aarhus's follow-up say, and what stands behind it? This builds the follow-up of the
//! embedded Aarhus example for a year and prints, per city goal, its score, coverage, trend and the
//! triangulation of counted data with citizens' and employees' stories; then the divergences, the
//! open decisions and the mandate questions that learning has raised.
//!
//! ```sh
//! cargo run --example aarhus_follow_up -- 2024
//! ```

use std::error::Error;

use kompas::Trend;
use kompas_core::Lang;

fn main() -> Result<(), Box<dyn Error>> {
    let year: i32 = std::env::args().nth(1).map_or(Ok(2024), |y| y.parse())?;
    let compass = kompas::example::aarhus();
    let f = kompas::follow_up(&compass, year)?;

    println!("Follow-up {year}: {}\n", f.municipality.get(Lang::En));
    for g in f.goals.iter().filter(|g| g.depth <= 1) {
        let score = g
            .score
            .map_or_else(|| "  –  ".to_owned(), |s| format!("{s:5.1}"));
        println!(
            "{}{score}  coverage {:3.0} %  {:<11}  {}",
            "  ".repeat(g.depth),
            g.coverage * 100.0,
            format!("{:?}", g.trend),
            g.title.get(Lang::En)
        );
    }

    println!("\nWhere numbers and stories disagree:");
    for g in &f.goals {
        if let Some(t) = g.triangulation.as_ref().filter(|t| t.verdict == "diverge") {
            println!("- {}: {}", g.title.get(Lang::En), t.summary);
        }
    }
    let concerns = f.goals.iter().filter(|g| g.trend == Trend::Concern).count();
    println!("\nGoals whose charts signal concern: {concerns}");

    println!("\nDecisions:");
    for d in &f.value.decisions {
        println!(
            "- {} -> {} (open basis: {}; follows {:?}, overrules {:?})",
            d.question.get(Lang::En),
            d.chosen,
            d.open_basis,
            d.follows,
            d.overrules
        );
    }
    println!("\nMandate questions raised by learning:");
    for m in &f.learning.mandate_questions {
        println!("- {}", m.question);
    }
    Ok(())
}
