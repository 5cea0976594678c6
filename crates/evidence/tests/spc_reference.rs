//! Reproduces every stored qicharts2 0.8.1 output and the NHSRplotthedots references from
//! `testdata/spc` (see `testdata/spc/README.md` for the sources and the case table's format).

use std::collections::BTreeMap;

use kompas_evidence::spc::{
    Chart, ChartOptions, ChartType, CsvColumns, Improvement, MrScreening, PointType, Rules, Series,
    anhoej_limits, nhs_point_types, parse_series,
};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata/spc");

fn read(path: &str) -> String {
    std::fs::read_to_string(format!("{DIR}/{path}")).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Reads a CSV file into a vector of column-name -> cell maps.
fn table(text: &str) -> Vec<BTreeMap<String, String>> {
    let mut r = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = r.headers().unwrap().iter().map(str::to_owned).collect();
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            header
                .iter()
                .cloned()
                .zip(rec.iter().map(str::to_owned))
                .collect()
        })
        .collect()
}

fn num(cell: &str) -> Option<f64> {
    if cell.is_empty() || cell == "NA" {
        None
    } else {
        Some(
            cell.parse()
                .unwrap_or_else(|_| panic!("bad number {cell:?}")),
        )
    }
}

fn flag(cell: &str) -> bool {
    match cell {
        "True" | "TRUE" | "1" => true,
        "False" | "FALSE" | "0" => false,
        other => panic!("bad flag {other:?}"),
    }
}

#[track_caller]
fn close(what: &str, got: Option<f64>, want: Option<f64>) {
    match (got, want) {
        (None, None) => {}
        (Some(g), Some(w)) => {
            let tol = 1e-9 * w.abs().max(1.0);
            assert!((g - w).abs() <= tol, "{what}: got {g}, expected {w}");
        }
        _ => panic!("{what}: got {got:?}, expected {want:?}"),
    }
}

fn usize_cell(cell: &str) -> Option<usize> {
    num(cell).map(|v| v as usize)
}

/// Filters the data lines whose `column` equals `value` (qicharts2's facets).
fn filtered(text: &str, column: &str, value: &str) -> String {
    if column.is_empty() {
        return text.to_owned();
    }
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let k = header.split(',').position(|h| h == column).unwrap();
    let mut out = format!("{header}\n");
    for l in lines.filter(|l| l.split(',').nth(k) == Some(value)) {
        out.push_str(l);
        out.push('\n');
    }
    out
}

fn chart_of(case: &BTreeMap<String, String>) -> Chart {
    let data = filtered(
        &read(&format!("qicharts2/{}", case["data"])),
        &case["filter_column"],
        &case["filter_value"],
    );
    let mut cols = CsvColumns::new(&case["x"], &case["y"]);
    if !case["n"].is_empty() {
        cols = cols.n(&case["n"]);
    }
    let series = parse_series(&data, &cols).unwrap();
    let mut opts = ChartOptions::new(case["chart"].parse::<ChartType>().unwrap())
        .multiply(case["multiply"].parse().unwrap());
    if let Some(f) = usize_cell(&case["freeze"]) {
        opts = opts.freeze(f);
    }
    Chart::compute(&series, &opts).unwrap()
}

fn check_points(name: &str, chart: &Chart, expected: &[BTreeMap<String, String>]) {
    assert_eq!(
        chart.points.len(),
        expected.len(),
        "{name}: number of points"
    );
    for (p, e) in chart.points.iter().zip(expected) {
        let at = |c: &str| format!("{name} x={} {c}", e["x"]);
        let runs = chart.runs_of(p).unwrap();
        close(
            &at("x"),
            Some(p.x.to_string().parse().unwrap()),
            num(&e["x"]),
        );
        // qicharts2 sums an all-missing subgroup of several rows to 0; we report no sum.
        let want_sum = if e["y.length"] == "0" {
            None
        } else {
            num(&e["y.sum"])
        };
        close(&at("y.sum"), p.y_sum, want_sum);
        assert_eq!(
            Some(p.y_length),
            usize_cell(&e["y.length"]),
            "{}",
            at("y.length")
        );
        close(&at("y.mean"), p.y_mean, num(&e["y.mean"]));
        close(&at("y.sd"), p.y_sd, num(&e["y.sd"]));
        close(&at("n"), p.n, num(&e["n"]));
        close(&at("y"), p.y, num(&e["y"]));
        close(&at("cl"), p.cl, num(&e["cl"]));
        close(&at("lcl"), p.lcl, num(&e["lcl"]));
        close(&at("ucl"), p.ucl, num(&e["ucl"]));
        assert_eq!(Some(p.part), usize_cell(&e["part"]), "{}", at("part"));
        assert_eq!(Some(p.position), usize_cell(&e["xx"]), "{}", at("xx"));
        assert_eq!(p.baseline, flag(&e["baseline"]), "{}", at("baseline"));
        assert_eq!(p.include, flag(&e["include"]), "{}", at("include"));
        assert_eq!(
            p.sigma_signal,
            flag(&e["sigma.signal"]),
            "{}",
            at("sigma.signal")
        );
        assert_eq!(Some(runs.n_obs), usize_cell(&e["n.obs"]), "{}", at("n.obs"));
        assert_eq!(
            Some(runs.n_useful),
            usize_cell(&e["n.useful"]),
            "{}",
            at("n.useful")
        );
        assert_eq!(
            runs.longest_run,
            usize_cell(&e["longest.run"]),
            "{}",
            at("longest.run")
        );
        assert_eq!(
            runs.longest_run_max,
            usize_cell(&e["longest.run.max"]),
            "{}",
            at("longest.run.max")
        );
        assert_eq!(
            runs.n_crossings,
            usize_cell(&e["n.crossings"]),
            "{}",
            at("n.crossings")
        );
        assert_eq!(
            runs.n_crossings_min,
            usize_cell(&e["n.crossings.min"]),
            "{}",
            at("n.crossings.min")
        );
        assert_eq!(
            runs.signal,
            flag(&e["runs.signal"]),
            "{}",
            at("runs.signal")
        );
    }
}

fn check_summary(name: &str, chart: &Chart, e: &BTreeMap<String, String>) {
    assert_eq!(chart.parts.len(), 1, "{name}: parts");
    let s = &chart.parts[0];
    assert_eq!(Some(s.runs.n_obs), usize_cell(&e["n.obs"]), "{name} n.obs");
    assert_eq!(
        Some(s.runs.n_useful),
        usize_cell(&e["n.useful"]),
        "{name} n.useful"
    );
    assert_eq!(
        s.runs.longest_run,
        usize_cell(&e["longest.run"]),
        "{name} longest.run"
    );
    assert_eq!(
        s.runs.longest_run_max,
        usize_cell(&e["longest.run.max"]),
        "{name} longest.run.max"
    );
    assert_eq!(
        s.runs.n_crossings,
        usize_cell(&e["n.crossings"]),
        "{name} n.crossings"
    );
    assert_eq!(
        s.runs.n_crossings_min,
        usize_cell(&e["n.crossings.min"]),
        "{name} n.crossings.min"
    );
    assert_eq!(s.runs.signal, flag(&e["runs.signal"]), "{name} runs.signal");
    close(&format!("{name} aLCL"), s.mean_lcl, num(&e["aLCL"]));
    close(&format!("{name} CL"), s.cl, num(&e["CL"]));
    close(&format!("{name} aUCL"), s.mean_ucl, num(&e["aUCL"]));
    assert_eq!(
        Some(s.sigma_signals),
        usize_cell(&e["sigma.signal"]),
        "{name} sigma.signal"
    );
}

#[test]
fn every_stored_qicharts2_output_is_reproduced() {
    let cases = table(&read("cases.csv"));
    let mut files = std::collections::BTreeSet::new();
    for case in &cases {
        let name = format!("{} {}", case["expected"], case["filter_value"]);
        let expected = table(&read(&format!("qicharts2/{}", case["expected"])));
        let chart = chart_of(case);
        match case["kind"].as_str() {
            "points" => check_points(&name, &chart, &expected),
            "summary" => {
                let row = if case["filter_value"].is_empty() {
                    &expected[0]
                } else {
                    expected
                        .iter()
                        .find(|r| r["facet1"] == case["filter_value"])
                        .unwrap()
                };
                check_summary(&name, &chart, row);
            }
            other => panic!("unknown kind {other}"),
        }
        files.insert(case["expected"].clone());
    }
    // Every expected file in the folder is covered by a case.
    let stored: std::collections::BTreeSet<String> = std::fs::read_dir(format!("{DIR}/qicharts2"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|f| f.starts_with("expected_"))
        .collect();
    assert_eq!(files, stored);
}

#[test]
fn anhoej_limits_match_the_published_table() {
    let rows = table(&read("anhoej_limits_n2_100.csv"));
    assert_eq!(rows.len(), 99);
    for r in rows {
        let n = usize_cell(&r["n_useful"]).unwrap();
        let want = (
            usize_cell(&r["longest_run_max"]).unwrap(),
            usize_cell(&r["n_crossings_min"]).unwrap(),
        );
        assert_eq!(anhoej_limits(n), Some(want), "n = {n}");
    }
}

fn rnorm(column: &str) -> Series {
    let text = read("nhsrplotthedots/rnorm20_seed123.csv");
    parse_series(&text, &CsvColumns::new("x", column)).unwrap()
}

#[track_caller]
fn limits(series: &Series, screening: MrScreening, want: [f64; 3]) {
    let opts = ChartOptions::new(ChartType::I)
        .screen_mr(screening)
        .rules(Rules::Nhs);
    let chart = Chart::compute(series, &opts).unwrap();
    let p = &chart.points[0];
    for (got, w) in [p.cl, p.lcl, p.ucl].into_iter().zip(want) {
        // The snapshot prints 7 significant digits.
        let g = got.unwrap();
        assert!(
            (g - w).abs() <= 5e-7 * w.abs().max(1.0),
            "got {g}, expected {w}"
        );
    }
}

#[test]
fn nhsrplotthedots_rnorm20_limits() {
    limits(
        &rnorm("y"),
        MrScreening::On,
        [0.1416238, -3.01138, 3.294627],
    );
    limits(
        &rnorm("y"),
        MrScreening::Off,
        [0.1416238, -3.01138, 3.294627],
    );
    let outlier = rnorm("y_with_outlier_at_15");
    limits(&outlier, MrScreening::On, [0.6694159, -2.383666, 3.722497]);
    limits(&outlier, MrScreening::Off, [0.6694159, -4.596625, 5.935457]);
}

#[test]
fn nhsrplotthedots_rnorm20_outlier_is_the_only_special_cause() {
    let opts = ChartOptions::new(ChartType::I).rules(Rules::Nhs);
    let chart = Chart::compute(&rnorm("y_with_outlier_at_15"), &opts).unwrap();
    let types = nhs_point_types(&chart, Improvement::Increase);
    for (i, t) in types.iter().enumerate() {
        let want = if i == 14 {
            PointType::SpecialCauseImprovement
        } else {
            PointType::CommonCause
        };
        assert_eq!(*t, want, "point {}", i + 1);
    }
    let types = nhs_point_types(&chart, Improvement::Neutral);
    assert_eq!(types[14], PointType::SpecialCauseNeutralHigh);
}

#[test]
fn nhsrplotthedots_two_in_three_on_opposite_sides_is_no_signal() {
    let text = read("nhsrplotthedots/symmetric_2in3_opposite.csv");
    let series = parse_series(&text, &CsvColumns::new("date", "data")).unwrap();
    for screening in [MrScreening::On, MrScreening::Off] {
        let opts = ChartOptions::new(ChartType::I)
            .screen_mr(screening)
            .rules(Rules::Nhs);
        let chart = Chart::compute(&series, &opts).unwrap();
        // The last two points are beyond two sigma, one on each side, and inside the limits.
        let last = &chart.points[15];
        assert!(last.y.unwrap() < last.lcl_95.unwrap() && last.y.unwrap() > last.lcl.unwrap());
        let types = nhs_point_types(&chart, Improvement::Increase);
        assert!(
            types.iter().all(|t| *t == PointType::CommonCause),
            "{types:?}"
        );
    }
}
