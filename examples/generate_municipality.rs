//! How does kompas cope with a large municipality? This writes a synthetic Compass document
//! (100,000 goals over six levels with 5 % multi-parent goals, 1,000,000 monthly observations,
//! 10,000 narratives by default) for `kompas report` to chew on.
//!
//! ```sh
//! cargo run --release --example generate_municipality -- target/big.json
//! time target/release/kompas report target/big.json --format json > /dev/null
//! ```
//!
//! Optional arguments after the path: goals, observations, narratives, seed.

use std::error::Error;

use kompas::generate::{Generate, generate};

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let path = args
        .next()
        .ok_or("usage: generate_municipality OUT.json [GOALS OBSERVATIONS NARRATIVES SEED]")?;
    let mut opts = Generate::default();
    if let Some(n) = args.next() {
        opts = opts.goals(n.parse()?);
    }
    if let Some(n) = args.next() {
        opts = opts.observations(n.parse()?);
    }
    if let Some(n) = args.next() {
        opts = opts.narratives(n.parse()?);
    }
    if let Some(n) = args.next() {
        opts = opts.seed(n.parse()?);
    }
    let compass = generate(&opts);
    let file = std::io::BufWriter::new(std::fs::File::create(&path)?);
    serde_json::to_writer(file, &compass)?;
    eprintln!(
        "wrote {path}: {} goals, {} indicators, {} observations, {} narratives",
        compass.goals.len(),
        compass.indicators.len(),
        compass.observations.len(),
        compass.narratives.len()
    );
    Ok(())
}
