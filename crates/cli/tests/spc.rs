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
