//! `kompas spc`: the CLI contract of issue 3 (columns, rules, formats, errors).

use std::process::{Command, Output};

const TESTDATA: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata");

fn kompas(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kompas"))
        .arg("spc")
        .args(args)
        .output()
        .unwrap()
}

fn data(path: &str) -> String {
    format!("{TESTDATA}/{path}")
}

fn stdout(o: &Output) -> String {
    assert!(
        o.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout.clone()).unwrap()
}

fn rows(csv: &str) -> Vec<Vec<String>> {
    csv.lines()
        .map(|l| l.split(',').map(str::to_owned).collect())
        .collect()
}

const COLUMNS: &str = "x,y,n,cl,lcl,ucl,part,sigma_signal,runs_signal,longest_run,longest_run_max,n_crossings,n_crossings_min";

#[test]
fn csv_output_reproduces_qicharts2_p_chart() {
    let out = stdout(&kompas(&[
        &data("spc/qicharts2/tbl_07.04.csv"),
        "--chart",
        "p",
        "--x",
        "sample",
        "--y",
        "count",
        "--n",
        "size",
    ]));
    let r = rows(&out);
    assert_eq!(r[0].join(","), COLUMNS);
    assert_eq!(r.len(), 26);
    // qicharts2: cl 0.09551020408163265; sample 1 (n = 100) lcl 0.007334694727773067, ucl 0.18368571343549223.
    let v = |i: usize, j: usize| r[i][j].parse::<f64>().unwrap();
    assert!((v(1, 3) - 0.09551020408163265).abs() < 1e-12);
    assert!((v(1, 4) - 0.007334694727773067).abs() < 1e-12);
    assert!((v(1, 5) - 0.18368571343549223).abs() < 1e-12);
    assert_eq!(r[2][4], "0"); // n = 80: the lower limit is floored at 0
    assert_eq!(&r[1][9..], ["5", "8", "10", "8"]);
}

#[test]
fn freeze_exclude_and_parts_are_one_based() {
    let file = data("spc/qicharts2/tbl_06.07.csv");
    let base = ["--chart", "i", "--x", "weeks", "--y", "cost"];
    let frozen = rows(&stdout(&kompas(
        &[&[file.as_str()][..], &base[..], &["--freeze", "20"]].concat(),
    )));
    assert_eq!(frozen[1][3], "300.5"); // qicharts2's centre line of the first 20 weeks
    let parts = rows(&stdout(&kompas(
        &[&[file.as_str()][..], &base[..], &["--part", "20"]].concat(),
    )));
    assert_eq!(parts[20][6], "1");
    assert_eq!(parts[21][6], "2");
    assert_ne!(parts[20][3], parts[21][3]);
    let excluded = rows(&stdout(&kompas(
        &[
            &[file.as_str()][..],
            &base[..],
            &["--freeze", "20", "--exclude", "1"],
        ]
        .concat(),
    )));
    assert_ne!(excluded[1][3], "300.5");
}

#[test]
fn nhs_rules_add_point_types() {
    let out = stdout(&kompas(&[
        &data("aarhus/aarhus_covid_monthly.csv"),
        "--chart",
        "pp",
        "--x",
        "month",
        "--y",
        "cases",
        "--n",
        "tested_persons",
        "--rules",
        "nhs",
        "--improvement",
        "decrease",
        "--multiply",
        "100",
    ]));
    let r = rows(&out);
    assert_eq!(r[0].join(","), format!("{COLUMNS},point_type"));
    let allowed = [
        "special_cause_improvement",
        "special_cause_concern",
        "special_cause_neutral_high",
        "special_cause_neutral_low",
        "common_cause",
    ];
    assert!(r[1..].iter().all(|row| allowed.contains(&row[13].as_str())));
    // Omicron, January-March 2022, is a special cause of concern.
    let jan22 = r.iter().find(|row| row[0] == "2022-01-01").unwrap();
    assert_eq!(jan22[13], "special_cause_concern");
}

#[test]
fn json_output_holds_the_chart() {
    let out = stdout(&kompas(&[
        &data("spc/qicharts2/tbl_07.11.csv"),
        "--chart",
        "u",
        "--x",
        "roll",
        "--y",
        "count",
        "--n",
        "meters",
        "--multiply",
        "50",
        "--format",
        "json",
    ]));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let points = v["chart"]["points"].as_array().unwrap();
    assert_eq!(points.len(), 10);
    assert!((points[0]["cl"].as_f64().unwrap() - 1.4232558139534883).abs() < 1e-12);
}

#[test]
fn svg_output_is_a_drawing() {
    let out = stdout(&kompas(&[
        &data("spc/qicharts2/tbl_06.07.csv"),
        "--chart",
        "i",
        "--x",
        "weeks",
        "--y",
        "cost",
        "--freeze",
        "20",
        "--format",
        "svg",
    ]));
    assert!(out.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(out.trim_end().ends_with("</svg>"));
    assert_eq!(out.matches("<circle cx").count(), 40 + 1); // the points and the legend marker
    assert!(out.contains("(I chart)"));
}

#[test]
fn danish_semicolon_file_with_thousands_separators() {
    let out = stdout(&kompas(&[
        &data("aarhus/ssi_covid_municipality_test_pos_snapshot.csv"),
        "--chart",
        "u",
        "--x",
        "Kommune_(navn)",
        "--y",
        "Antal_bekræftede_COVID-19",
        "--n",
        "Befolkningstal",
        "--multiply",
        "100000",
    ]));
    let r = rows(&out);
    assert_eq!(r.len(), 1 + 99);
    let aarhus = r.iter().find(|row| row[0] == "Aarhus").unwrap();
    assert!(aarhus[2].parse::<f64>().unwrap() > 300_000.0);
    // Category labels: no runs signal.
    assert!(r[1..].iter().all(|row| row[8] == "false"));
}

#[test]
fn bad_input_exits_with_code_2_and_names_the_cell() {
    let dir = std::env::temp_dir().join(format!("kompas-spc-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("bad.csv");
    std::fs::write(&file, "week,cost\n1,3\n2,x7\n").unwrap();
    let o = kompas(&[
        file.to_str().unwrap(),
        "--chart",
        "i",
        "--x",
        "week",
        "--y",
        "cost",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("line 3") && err.contains("x7"), "{err}");
    let o = kompas(&[
        file.to_str().unwrap(),
        "--chart",
        "q",
        "--x",
        "week",
        "--y",
        "cost",
    ]);
    assert_eq!(o.status.code(), Some(2));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A chart of at least 20,000 points is written by two threads taking blocks of 1,024 points
/// in turns, and its cells are copied from the input or formatted by the CLI's own printer: the
/// output must be, line for line, the chart the library computes, printed with the standard
/// formatter. The series is not a whole number of blocks, has parts, exclusions, missing values
/// and values that print otherwise than they are written.
#[test]
fn large_charts_written_by_two_threads_are_the_library_chart() {
    use kompas_evidence::spc::{Chart, ChartOptions, ChartType, CsvColumns, parse_series};
    let rows = 23_457;
    let mut text = String::from("x,y,n\n");
    // A small linear congruential generator: the data need only be irregular, not random.
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = |m: u64| {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) % m
    };
    for i in 1..=rows {
        let n = 50 + next(450);
        let count = next(n / 5);
        let y = match next(100) {
            0 => String::new(),
            1 => format!("{count}.50"),
            2 => format!("{}e-1", count),
            _ => format!("{}.{:03}", count, next(1000)),
        };
        text.push_str(&format!("{i},{y},{n}\n"));
    }
    let dir = std::env::temp_dir().join(format!("kompas-spc-large-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("large.csv");
    std::fs::write(&file, &text).unwrap();
    let file = file.to_str().unwrap();
    let p_text = text
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i == 0 {
                return l.to_owned();
            }
            // Counts for the P chart: the integer part of y (missing stays missing).
            let mut c = l.split(',');
            let (x, y, n) = (c.next().unwrap(), c.next().unwrap(), c.next().unwrap());
            let y = y.split(['.', 'e']).next().unwrap();
            format!("{x},{y},{n}")
        })
        .collect::<Vec<_>>()
        .join("\n");
    let p_file = dir.join("large_p.csv");
    std::fs::write(&p_file, &p_text).unwrap();
    let p_file = p_file.to_str().unwrap();
    let opt = |v: Option<f64>| v.map_or_else(String::new, |v| format!("{v}"));
    let count = |v: Option<usize>| v.map_or_else(String::new, |v| v.to_string());
    for (chart, path, source) in [
        (ChartType::I, file, &text),
        (ChartType::Run, file, &text),
        (ChartType::P, p_file, &p_text),
        (ChartType::U, p_file, &p_text),
    ] {
        let name = chart.to_string();
        let mut args = vec![path, "--chart", &name, "--x", "x", "--y", "y"];
        if chart.needs_denominator() {
            args.extend(["--n", "n"]);
        }
        args.extend(["--part", "5000,17000", "--exclude", "3,9000,23457"]);
        let out = stdout(&kompas(&args));
        let mut columns = CsvColumns::new("x", "y");
        if chart.needs_denominator() {
            columns = columns.n("n");
        }
        let series = parse_series(source, &columns).unwrap();
        let options = ChartOptions::new(chart)
            .parts(vec![5000, 17000])
            .exclude(vec![3, 9000, 23457]);
        let whole = Chart::compute(&series, &options).unwrap();
        let mut expected = format!("{COLUMNS}\n");
        for p in &whole.points {
            let r = whole.runs_of(p).unwrap();
            expected.push_str(&format!(
                "{},{},{},{},{},{},{},{},{},{},{},{},{}\n",
                p.x,
                opt(p.y),
                opt(p.n),
                opt(p.cl),
                opt(p.lcl),
                opt(p.ucl),
                p.part,
                p.sigma_signal,
                r.signal,
                count(r.longest_run),
                count(r.longest_run_max),
                count(r.n_crossings),
                count(r.n_crossings_min),
            ));
        }
        assert_eq!(whole.points.len(), rows as usize, "{name}");
        assert_eq!(whole.parts.len(), 3, "{name}");
        if out != expected {
            let (i, (a, b)) = out
                .lines()
                .zip(expected.lines())
                .enumerate()
                .find(|(_, (a, b))| a != b)
                .unwrap_or((0, ("(lengths differ)", "")));
            panic!("{name} chart, line {}: got {a:?}, expected {b:?}", i + 1);
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
