//! How well does a citizens' assembly of 36 mirror the adults of Aarhus? Compares a synthetic
//! assembly (the size of Aarhus' 2021-22 climate assembly) with Statistics Denmark's 2020
//! population margins by sex and age band, and prints the published tables: shares,
//! representation ratios, gaps, dissimilarity, Gallagher, χ², KL and Hellinger, with cells under
//! 5 persons suppressed.
//!
//! ```text
//! cargo run --example representativeness
//! ```

use std::error::Error;

use kompas::cocreation::{
    Population, PublishedAttribute, RepresentOptions, parse_participants_csv, represent,
};

fn main() -> Result<(), Box<dyn Error>> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/testdata/aarhus");
    // 2 sexes x 6 age bands per quarter, derived from FOLK1A; children are not eligible.
    let margins = std::fs::read_to_string(format!(
        "{dir}/aarhus_population_margins_sex_ageband_2008_2020.csv"
    ))?;
    let mut population = Population::default();
    for (n, line) in margins.lines().enumerate().skip(1) {
        let fields: Vec<&str> = line.split(',').collect();
        let [quarter, sex, band, count, ..] = fields[..] else {
            return Err(format!(
                "margins line {}: expected quarter,sex,age_band,count",
                n + 1
            )
            .into());
        };
        if quarter == "2020K1" && band != "0-17" {
            population.add_joint(("sex", sex), ("age_band", band), count.parse()?)?;
        }
    }
    let people = std::fs::read_to_string(format!("{dir}/cocreation_assembly36_synthetic.csv"))?;
    let participants = parse_participants_csv(&people, &population)?;

    let report = represent(&participants, &population, &RepresentOptions::default())?;
    let published = report.publish();
    println!(
        "{} participants against the adults of Aarhus, 1 January 2020 (cells under {} suppressed)\n",
        published.participants, published.min_cell
    );
    for table in published.attributes.iter().chain(&published.intersections) {
        print_table(table);
    }
    for w in &report.warnings {
        println!("note: {w}");
    }
    Ok(())
}

fn print_table(t: &PublishedAttribute) {
    println!("{}", t.attribute);
    println!(
        "  {:<14} {:>5} {:>8} {:>10} {:>6} {:>8}",
        "value", "n", "share", "population", "ratio", "gap (pp)"
    );
    let pct = |x: Option<f64>| x.map_or("".to_owned(), |v| format!("{:.1} %", 100.0 * v));
    for c in &t.cells {
        println!(
            "  {:<14} {:>5} {:>8} {:>10} {:>6} {:>8}",
            c.value,
            c.count.to_string(),
            pct(c.share),
            pct(Some(c.population_share)),
            c.ratio.map_or("".to_owned(), |r| format!("{r:.2}")),
            c.gap_pp.map_or("".to_owned(), |g| format!("{g:+.1}")),
        );
    }
    let chi = t.chi_square.map_or("undefined".to_owned(), |c| {
        format!("{:.3} (df {}, p = {:.3})", c.statistic, c.df, c.p_value)
    });
    println!(
        "  dissimilarity {:.3}, Gallagher {:.2} pp, χ² {chi}, KL {}, Hellinger {:.3}\n",
        t.dissimilarity,
        t.gallagher,
        t.kl_divergence
            .map_or("undefined".to_owned(), |k| format!("{k:.4}")),
        t.hellinger
    );
}
