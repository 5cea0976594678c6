//! `kompas report`, `example`, `check` and `schema`: the contract of the main job.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn kompas(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kompas"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("kompas runs");
    if let Some(text) = stdin {
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(text.as_bytes())
            .expect("write stdin");
    }
    drop(child.stdin.take());
    child.wait_with_output().expect("kompas finishes")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn report_without_a_file_follows_up_the_embedded_aarhus_example() {
    let o = kompas(&["report"], None);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let md = stdout(&o);
    assert!(
        md.starts_with("# Follow-up 2024 – Aarhus Municipality"),
        "{}",
        &md[..80.min(md.len())]
    );
    // All three anchor points: knowledge (goals), co-creation, value; and learning.
    for heading in [
        "## Goals",
        "## Co-creation",
        "## Value",
        "## Learning",
        "## Run and control charts",
    ] {
        assert!(md.contains(heading), "missing {heading}");
    }
    assert!(md.contains("A city of community and fellowship"));
    assert!(
        md.contains("diverge"),
        "the loneliness divergence is surfaced"
    );
}

#[test]
fn report_speaks_danish_and_writes_json() {
    let da = stdout(&kompas(&["report", "--lang", "da"], None));
    assert!(da.starts_with("# Opfølgning 2024 – Aarhus Kommune"));
    assert!(da.contains("En by med fællesskab og medborgerskab"));
    let json: serde_json::Value = serde_json::from_str(&stdout(&kompas(
        &["report", "--format", "json", "--period", "2022"],
        None,
    )))
    .expect("json");
    assert_eq!(json["year"], 2022);
    assert!(json["goals"].as_array().is_some_and(|g| g.len() == 18));
}

#[test]
fn example_round_trips_through_check_and_report() {
    let doc = stdout(&kompas(&["example"], None));
    let checked = kompas(&["check", "-"], Some(&doc));
    assert_eq!(checked.status.code(), Some(0), "{}", stdout(&checked));
    assert!(stdout(&checked).contains("0 problem(s)"));
    let from_file = kompas(&["report", "-"], Some(&doc));
    assert!(from_file.status.success());
    assert_eq!(
        stdout(&from_file),
        stdout(&kompas(&["report"], None)),
        "the printed example is the embedded one"
    );
}

#[test]
fn check_reports_problems_by_path_and_exits_1_or_2() {
    let mut doc: serde_json::Value =
        serde_json::from_str(&stdout(&kompas(&["example"], None))).unwrap();
    doc["narratives"][3]["links"]["goals"] =
        serde_json::json!(["91ab0000-0000-0000-0000-000000000001"]);
    doc["observations"][2]["value"] = serde_json::json!("many");
    let o = kompas(&["check", "-"], Some(&doc.to_string()));
    assert_eq!(o.status.code(), Some(1));
    let out = stdout(&o);
    assert!(
        out.contains(
            "-: /narratives/3/links/goals/0: unknown goal 91ab0000-0000-0000-0000-000000000001"
        ),
        "{out}"
    );
    assert!(out.contains("-: /observations/2/value: "), "{out}");
    assert!(out.contains("2 problem(s)"), "{out}");

    let truncated = &doc.to_string()[..500];
    let o = kompas(&["check", "-"], Some(truncated));
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stdout(&o).contains("invalid JSON at line 1 column 500"),
        "{}",
        stdout(&o)
    );

    let o = kompas(&["check", "/no/such/file.json"], None);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("cannot read /no/such/file.json"));
}

#[test]
fn schema_is_json_schema_for_the_document() {
    let schema: serde_json::Value =
        serde_json::from_str(&stdout(&kompas(&["schema"], None))).expect("json");
    assert_eq!(schema["title"], "Compass");
    assert!(schema["properties"]["narratives"].is_object());
    assert!(
        schema["$schema"]
            .as_str()
            .is_some_and(|s| s.contains("json-schema.org"))
    );
}

#[test]
fn report_writes_html_to_a_file() {
    let out = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-cli.html");
    let o = kompas(
        &["report", "--format", "html", "--out", out.to_str().unwrap()],
        None,
    );
    assert!(o.status.success());
    let html = std::fs::read_to_string(&out).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(!html.contains("<script"), "no scripts");
    assert!(
        !html.contains("src=") && !html.contains("href=") && !html.contains("@import"),
        "no external assets"
    );
}
