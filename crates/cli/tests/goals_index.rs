//! `kompas index` and `kompas sensitivity` on COINr's ASEM data: the standard flags reproduce
//! COINr's published scores and ranks; bad input exits 2 naming file, row, column and value.

use std::process::{Command, Output};

const DIR: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata/composite/");

fn kompas(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kompas"))
        .args(args)
        .output()
        .expect("runs kompas")
}

fn asem(extra: &[&str]) -> Vec<String> {
    let data = format!("{DIR}ASEM_iData.csv");
    let meta = format!("{DIR}ASEM_iMeta.csv");
    let mut v = vec!["--data".to_string(), data, "--meta".into(), meta];
    v.extend(extra.iter().map(|s| s.to_string()));
    v
}

const STANDARD: &[&str] = &[
    "--denominate",
    "--impute",
    "group-mean:EurAsia_group",
    "--screen",
    "0.9",
    "--treat",
    "winsorise",
    "--normalise",
    "minmax:0:100",
    "--aggregate",
    "amean",
];

fn run_ok(cmd: &str, args: &[String]) -> String {
    let mut all = vec![cmd];
    all.extend(args.iter().map(String::as_str));
    let out = kompas(&all);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn table(text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut lines = text.lines();
    let header = lines
        .next()
        .unwrap()
        .split(',')
        .map(str::to_string)
        .collect();
    let rows = lines
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect();
    (header, rows)
}

#[test]
fn index_with_the_standard_flags_reproduces_coinr() {
    let (header, rows) = table(&run_ok("index", &asem(STANDARD)));
    assert_eq!(header[0], "uCode");
    assert_eq!(header.last().unwrap(), "Rank");
    assert_eq!(rows.len(), 51);
    let expected =
        std::fs::read_to_string(format!("{DIR}ASEM_expected_build_example_coin.csv")).unwrap();
    let (eh, erows) = table(&expected);
    for er in &erows {
        let row = rows.iter().find(|r| r[0] == er[0]).expect("unit printed");
        for (k, col) in eh.iter().enumerate().skip(1) {
            let j = header
                .iter()
                .position(|h| h == col)
                .expect("column printed");
            let (got, want): (f64, f64) = (row[j].parse().unwrap(), er[k].parse().unwrap());
            assert!(
                (got - want).abs() <= 1e-6,
                "{} {col}: {got} vs {want}",
                er[0]
            );
        }
    }
    let che = rows.iter().find(|r| r[0] == "CHE").unwrap();
    assert_eq!(format!("{:.2}", che[1].parse::<f64>().unwrap()), "68.38");
    assert_eq!(che.last().unwrap(), "1");
}

#[test]
fn index_prints_json_on_request() {
    let mut args = asem(STANDARD);
    args.extend(["--format".to_string(), "json".to_string()]);
    let v: serde_json::Value = serde_json::from_str(&run_ok("index", &args)).unwrap();
    let che = v
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["uCode"] == "CHE")
        .unwrap();
    assert_eq!(che["Rank"], 1);
    assert!((che["Index"].as_f64().unwrap() - 68.383724).abs() < 1e-6);
}

#[test]
fn index_defaults_leave_missing_values_and_still_rank_everyone() {
    let (header, rows) = table(&run_ok("index", &asem(&[])));
    assert_eq!(rows.len(), 51);
    let rank = header.iter().position(|h| h == "Rank").unwrap();
    let mut ranks: Vec<u32> = rows.iter().map(|r| r[rank].parse().unwrap()).collect();
    ranks.sort_unstable();
    assert_eq!(ranks[0], 1);
    assert!(ranks.iter().all(|r| (1..=51).contains(r)));
}

#[test]
fn bad_cells_exit_2_naming_file_row_column_and_value() {
    let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("goals_index_bad");
    std::fs::create_dir_all(&dir).unwrap();
    let data = std::fs::read_to_string(format!("{DIR}ASEM_iData.csv")).unwrap();
    let bad = data.replacen("4.097985", "four", 1);
    let path = dir.join("iData_bad.csv");
    std::fs::write(&path, bad).unwrap();
    let meta = format!("{DIR}ASEM_iMeta.csv");
    let out = kompas(&["index", "--data", path.to_str().unwrap(), "--meta", &meta]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("iData_bad.csv, row 2, column LPI: found \"four\""),
        "{err}"
    );

    let meta_text = std::fs::read_to_string(&meta).unwrap();
    let bad_meta = meta_text.replacen(
        "1,CostImpEx,Cost to export/import,-1",
        "1,CostImpEx,Cost to export/import,2",
        1,
    );
    let mpath = dir.join("iMeta_bad.csv");
    std::fs::write(&mpath, bad_meta).unwrap();
    let out = kompas(&[
        "index",
        "--data",
        &format!("{DIR}ASEM_iData.csv"),
        "--meta",
        mpath.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("iMeta_bad.csv, row 18, column Direction: found \"2\""),
        "{err}"
    );

    let out = kompas(&["index", "--data", "/nonexistent.csv", "--meta", &meta]);
    assert_eq!(out.status.code(), Some(2));
    let mut args = vec!["index".to_string()];
    args.extend(asem(&["--normalise", "cubic"]));
    let out = kompas(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--normalise \"cubic\""));
}

#[test]
fn sensitivity_remove_one_prints_one_row_per_pillar() {
    let (header, rows) = table(&run_ok(
        "sensitivity",
        &asem(&[STANDARD, &["--remove-one", "2"]].concat()),
    ));
    assert_eq!(header, ["iCode", "mean_abs_rank_shift"]);
    assert_eq!(rows.len(), 8);
    assert!(rows.iter().all(|r| r[1].parse::<f64>().unwrap() > 0.0));
}

#[test]
fn sensitivity_monte_carlo_is_seeded() {
    let args = asem(
        &[
            STANDARD,
            &[
                "--monte-carlo",
                "20",
                "--seed",
                "5",
                "--mc-aggregate",
                "amean,gmean",
                "--mc-normalise",
                "minmax:1:100,rank",
            ],
        ]
        .concat(),
    );
    let a = run_ok("sensitivity", &args);
    let b = run_ok("sensitivity", &args);
    assert_eq!(a, b);
    let (header, rows) = table(&a);
    assert_eq!(
        header,
        ["uCode", "nominal_rank", "median_rank", "q05", "q95"]
    );
    assert_eq!(rows.len(), 51);
    let che = rows.iter().find(|r| r[0] == "CHE").unwrap();
    assert_eq!(che[1], "1");
    let out = kompas(&["sensitivity", "--data", "x", "--meta", "y"]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "remove-one or monte-carlo is required"
    );
}
