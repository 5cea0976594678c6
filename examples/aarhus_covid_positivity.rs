//! When did COVID-19 test positivity in Aarhus show special causes, and which municipalities stood
//! out in cumulative incidence?
//!
//! A P chart (and Laney's P' chart, made for denominators in the hundreds of thousands) of the
//! monthly share of tested persons who tested positive in Aarhus, March 2020 to January 2023, read
//! with the NHS rules (lower is better); then a U chart, a funnel, of confirmed cases per 100,000
//! inhabitants across Denmark's 98 municipalities. Data: Statens Serum Institut, copied to
//! `testdata/aarhus/`.
//!
//! ```text
//! cargo run --example aarhus_covid_positivity
//! ```

use std::error::Error;

use kompas::evidence::spc::{
    Chart, ChartOptions, ChartType, CsvColumns, Improvement, LatestSignal, PointType, Rules,
    latest_signal, nhs_point_types, parse_series,
};

const MONTHLY: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/testdata/aarhus/aarhus_covid_monthly.csv"
);
const SNAPSHOT: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/testdata/aarhus/ssi_covid_municipality_test_pos_snapshot.csv"
);

fn main() -> Result<(), Box<dyn Error>> {
    // The 35 full months: the file also holds the partial months 2020-02 and 2023-02.
    let text = std::fs::read_to_string(MONTHLY)?;
    let full: String = text
        .lines()
        .enumerate()
        .filter(|(i, l)| *i == 0 || ("2020-03".."2023-02").contains(&&l[..7.min(l.len())]))
        .map(|(_, l)| format!("{l}\n"))
        .collect();
    let series = parse_series(
        &full,
        &CsvColumns::new("month", "cases").n("tested_persons"),
    )?;
    println!(
        "Aarhus, monthly test positivity (% of tested persons), {} months",
        series.rows().len()
    );
    for chart_type in [ChartType::P, ChartType::PPrime] {
        let options = ChartOptions::new(chart_type)
            .multiply(100.0)
            .rules(Rules::Nhs);
        let chart = Chart::compute(&series, &options)?;
        let types = nhs_point_types(&chart, Improvement::Decrease);
        let runs = &chart.parts[0].runs;
        println!(
            "\n{} chart: centre line {:.2} %, limits of the last month {:.2}-{:.2} %",
            chart_type.name().to_uppercase(),
            chart.points[0].cl.unwrap_or(f64::NAN),
            chart.points.last().and_then(|p| p.lcl).unwrap_or(f64::NAN),
            chart.points.last().and_then(|p| p.ucl).unwrap_or(f64::NAN),
        );
        println!(
            "  Anhøj: longest run {} (max {}), crossings {} (min {}): {}",
            or_none(runs.longest_run),
            or_none(runs.longest_run_max),
            or_none(runs.n_crossings),
            or_none(runs.n_crossings_min),
            if runs.signal {
                "non-random variation"
            } else {
                "random variation"
            }
        );
        let outside: Vec<String> = chart
            .points
            .iter()
            .filter(|p| p.sigma_signal)
            .map(|p| {
                format!(
                    "{} ({:.1} %)",
                    p.x.to_string().get(..7).unwrap_or(""),
                    p.y.unwrap_or(f64::NAN)
                )
            })
            .collect();
        println!(
            "  outside the limits ({}): {}",
            outside.len(),
            outside.join(", ")
        );
        for (label, wanted) in [
            ("special cause, concern", PointType::SpecialCauseConcern),
            (
                "special cause, improvement",
                PointType::SpecialCauseImprovement,
            ),
        ] {
            let months: Vec<String> = chart
                .points
                .iter()
                .zip(&types)
                .filter(|(_, t)| **t == wanted)
                .map(|(p, _)| p.x.to_string().get(..7).unwrap_or("").to_owned())
                .collect();
            println!("  {label} ({}): {}", months.len(), months.join(" "));
        }
        let latest = latest_signal(&chart, Improvement::Decrease);
        println!(
            "  latest: {}",
            match latest {
                LatestSignal::Improvement => "special-cause improvement",
                LatestSignal::Concern => "special-cause concern",
                LatestSignal::Neutral => "special cause without direction",
                _ => "common-cause variation only",
            }
        );
    }

    // The funnel: 98 municipalities (Christiansø is not one), Danish number format.
    let text = std::fs::read_to_string(SNAPSHOT)?;
    let municipalities: String = text
        .lines()
        .filter(|l| !l.contains(";Christiansø;"))
        .map(|l| format!("{l}\n"))
        .collect();
    let columns =
        CsvColumns::new("Kommune_(navn)", "Antal_bekræftede_COVID-19").n("Befolkningstal");
    let series = parse_series(&municipalities, &columns)?;
    let chart = Chart::compute(
        &series,
        &ChartOptions::new(ChartType::U).multiply(100_000.0),
    )?;
    println!(
        "\nU chart (funnel), confirmed cases per 100,000 inhabitants, {} municipalities: Denmark {:.0}",
        chart.points.len(),
        chart.points[0].cl.unwrap_or(f64::NAN)
    );
    // Our rates against the file's own incidence column (rounded to whole cases per 100,000).
    let published = parse_series(
        &municipalities,
        &CsvColumns::new("Kommune_(navn)", "Kumulativ_incidens_(per_100000)"),
    )?;
    let by_name: std::collections::BTreeMap<String, f64> = published
        .rows()
        .iter()
        .filter_map(|r| Some((r.x.to_string(), r.y?)))
        .collect();
    let mut worst: f64 = 0.0;
    for p in &chart.points {
        if let (Some(ours), Some(theirs)) = (p.y, by_name.get(&p.x.to_string())) {
            worst = worst.max((ours - theirs).abs());
        }
    }
    println!("  largest difference from SSI's published incidence: {worst:.3} per 100,000");
    let mut high: Vec<(f64, String)> = Vec::new();
    let mut low: Vec<(f64, String)> = Vec::new();
    for p in chart.points.iter().filter(|p| p.sigma_signal) {
        let (y, name) = (p.y.unwrap_or(f64::NAN), p.x.to_string());
        if p.ucl.is_some_and(|u| y > u) {
            high.push((y, name));
        } else {
            low.push((y, name));
        }
    }
    high.sort_by(|a, b| b.0.total_cmp(&a.0));
    low.sort_by(|a, b| a.0.total_cmp(&b.0));
    let show = |v: &[(f64, String)]| {
        v.iter()
            .map(|(y, n)| format!("{n} {y:.0}"))
            .collect::<Vec<_>>()
            .join(", ")
    };
    println!("  above the upper limit ({}): {}", high.len(), show(&high));
    println!("  below the lower limit ({}): {}", low.len(), show(&low));
    let aarhus = chart.points.iter().find(|p| p.x.to_string() == "Aarhus");
    if let Some(a) = aarhus {
        println!(
            "  Aarhus: {:.0} per 100,000 (limits {:.0}-{:.0}): {}",
            a.y.unwrap_or(f64::NAN),
            a.lcl.unwrap_or(f64::NAN),
            a.ucl.unwrap_or(f64::NAN),
            if a.sigma_signal {
                "a special cause"
            } else {
                "within the funnel"
            }
        );
    }
    Ok(())
}

/// A count, or `none` when the runs analysis has too few useful points for it.
fn or_none(v: Option<usize>) -> String {
    v.map_or_else(|| "none".to_owned(), |v| v.to_string())
}
