//! `kompas prioritise`: the CLI contract on the reference data in `testdata/value/`.

use std::path::PathBuf;
use std::process::{Command, Output};

fn testdata(name: &str) -> String {
    concat!(env!("CARGO_MANIFEST_DIR"), "/../../testdata/value/").to_owned() + name
}

fn kompas(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kompas"))
        .arg("prioritise")
        .args(args)
        .output()
        .expect("kompas runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn temp(name: &str, contents: &str) -> PathBuf {
    let p = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("prioritise-{name}"));
    std::fs::write(&p, contents).expect("temp file written");
    p
}

#[test]
fn schulze_text_prints_order_then_matrices() {
    let o = kompas(&[
        "--ballots",
        &testdata("schulze_2011_example1_ballots.csv"),
        "--method",
        "schulze",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().collect();
    // Schulze (2011), example 1: E > A > C > B > D.
    assert_eq!(lines[..5], ["1 E", "2 A", "3 C", "4 B", "5 D"]);
    assert!(out.contains("pairwise preferences"));
    assert!(out.contains("A   - 20 26 30 22"), "{out}");
    let p_at = out
        .find("strongest paths")
        .expect("strongest-path matrix printed");
    assert!(out[p_at..].contains("E  25 28 28 31  -"), "{out}");
}

#[test]
fn ties_are_printed_with_a_shared_rank() {
    let o = kompas(&[
        "--ballots",
        &testdata("schulze_2011_example4_ballots.csv"),
        "--method",
        "schulze",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    let lines: Vec<&str> = out.lines().take(4).collect();
    assert_eq!(lines, ["1= B", "1= D", "3= A", "3= C"]);
}

#[test]
fn json_output_holds_order_and_matrices() {
    let o = kompas(&[
        "--ballots",
        &testdata("schulze_2011_example1_ballots.csv"),
        "--method",
        "kemeny",
        "--format",
        "json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    let order = &v["ranking"]["order"];
    assert_eq!(order[0][0], "E");
    assert_eq!(v["ranking"]["pairwise"][1][3], 33);
    assert!(
        v["ranking"]["kemeny"]["orders"]
            .as_array()
            .is_some_and(|a| !a.is_empty())
    );
}

#[test]
fn borda_and_copeland_print_scores() {
    let f = temp(
        "tennessee.csv",
        "count,ranking\n42,M>N>C>K\n26,N>C>K>M\n15,C>K>N>M\n17,K>C>N>M\n",
    );
    let o = kompas(&["--ballots", f.to_str().expect("utf-8"), "--method", "borda"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.starts_with("1 N\n2 C\n3 M\n4 K\n"), "{out}");
    assert!(out.contains("  N 194\n"), "{out}");
    let o = kompas(&[
        "--ballots",
        f.to_str().expect("utf-8"),
        "--method",
        "copeland",
    ]);
    assert!(stdout(&o).contains("  M -3\n"));
}

#[test]
fn whose_voice_is_reported_by_group() {
    let f = temp(
        "halls.csv",
        "count,ranking,group\n30,halls>outdoor,associations\n45,outdoor>halls,self-organised\n",
    );
    let o = kompas(&[
        "--ballots",
        f.to_str().expect("utf-8"),
        "--method",
        "schulze",
        "--chosen",
        "outdoor",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        out.contains("associations: overrules (prefers halls); 0 of 30 voters rank it first"),
        "{out}"
    );
    assert!(
        out.contains("self-organised: follows; 45 of 45 voters rank it first"),
        "{out}"
    );
}

#[test]
fn ahp_prints_weights_and_consistency() {
    let o = kompas(&["--ahp", &testdata("saaty_1990_house_criteria.csv")]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    // Saaty (1990): financing 0.333, lambda_max 9.669, CR 0.169.
    assert!(out.contains("financing     0.3332"), "{out}");
    assert!(out.contains("lambda_max 9.6689"), "{out}");
    assert!(
        out.contains("consistency ratio 0.1691 (inconsistent: above 0.1)"),
        "{out}"
    );
    assert!(
        out.contains("most inconsistent triad: size, neighbourhood, condition"),
        "{out}"
    );
    let o = kompas(&[
        "--ahp",
        &testdata("saaty_1990_house_criteria.csv"),
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert_eq!(v["consistency"], "inconsistent");
}

#[test]
fn bad_input_exits_2_naming_row_and_cell() {
    let f = temp("bad.csv", ",a,b\na,1,3\nb,2,1\n");
    let o = kompas(&["--ahp", f.to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("ahp matrix row 1 (a), column 2 (b): judgment 3 is not reciprocal"),
        "{}",
        stderr(&o)
    );

    let f = temp("repeat.csv", "count,ranking\n1,A>B\n2,B>A>B\n");
    let o = kompas(&["--ballots", f.to_str().expect("utf-8"), "--method", "borda"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("ballots line 3, column ranking: option \"B\" is repeated"),
        "{}",
        stderr(&o)
    );

    let f = temp("unknown.csv", "count,ranking\n1,A>Z\n");
    let o = kompas(&[
        "--ballots",
        f.to_str().expect("utf-8"),
        "--method",
        "borda",
        "--options",
        "A,B",
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("option \"Z\" is unknown: expected one of A, B"),
        "{}",
        stderr(&o)
    );

    let o = kompas(&["--ballots", f.to_str().expect("utf-8")]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("--method is required"),
        "{}",
        stderr(&o)
    );
}
