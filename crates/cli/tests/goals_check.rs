//! `kompas check FILE` on goal-hierarchy JSON: findings, exit codes 0/1/2, text and JSON output.

use std::io::Write as _;
use std::process::{Command, Stdio};

use kompas_core::{GoalId, IndicatorId, Text, UnitId, Weight};
use kompas_goals::{Goal, GoalHierarchy, Level, Link, parse_sdg_framework};

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

#[track_caller]
fn check(args: &[&str], stdin: &str) -> Out {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kompas"))
        .arg("check")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the kompas binary starts");
    if let Some(mut s) = child.stdin.take() {
        // The command may exit before reading stdin (a missing file); ignore a broken pipe.
        let _ = s.write_all(stdin.as_bytes());
    }
    let out = child.wait_with_output().expect("kompas finishes");
    Out {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn g(n: u128) -> GoalId {
    GoalId::from_u128(n)
}

/// City goal 1 <- department goal 2, each with an indicator.
fn clean() -> GoalHierarchy {
    let unit = UnitId::from_u128(9);
    let mut h = GoalHierarchy::default();
    h.add_goal(Goal::new(
        g(1),
        Text::en("Health").unwrap(),
        Level::City,
        unit,
    ))
    .unwrap();
    h.add_goal(Goal::new(
        g(2),
        Text::en("Fewer falls").unwrap(),
        Level::Department,
        unit,
    ))
    .unwrap();
    h.link(g(2), g(1), Link::default()).unwrap();
    h.attach_indicator(g(1), IndicatorId::from_u128(1), Weight::ONE)
        .unwrap();
    h.attach_indicator(g(2), IndicatorId::from_u128(2), Weight::ONE)
        .unwrap();
    h
}

fn json(h: &GoalHierarchy) -> String {
    serde_json::to_string_pretty(h).unwrap()
}

#[test]
fn a_clean_hierarchy_exits_0() {
    let out = check(&["-"], &json(&clean()));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert_eq!(out.stdout, "0 error(s), 0 warning(s), 0 info(s)\n");
}

#[test]
fn warnings_alone_exit_0_and_errors_exit_1() {
    let mut h = clean();
    // A leaf goal without indicator under the city: a warning (G002).
    h.add_goal(Goal::new(
        g(3),
        Text::en("Clean air").unwrap(),
        Level::Department,
        UnitId::from_u128(9),
    ))
    .unwrap();
    h.link(g(3), g(1), Link::default()).unwrap();
    let out = check(&["-"], &json(&h));
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .contains(&format!("warning G002: goal {} (\"Clean air\")", g(3))),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .ends_with("0 error(s), 1 warning(s), 0 info(s)\n")
    );

    // An orphan goal: an error (G001), exit 1.
    h.add_goal(Goal::new(
        g(4),
        Text::en("Lost").unwrap(),
        Level::Unit,
        UnitId::from_u128(9),
    ))
    .unwrap();
    h.attach_indicator(g(4), IndicatorId::from_u128(4), Weight::ONE)
        .unwrap();
    let out = check(&["-"], &json(&h));
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stdout.starts_with(&format!(
        "error G001: goal {} (\"Lost\") reaches no city goal\n",
        g(4)
    )));

    // JSON output carries codes, severities, subjects and counts.
    let out = check(&["-", "--format", "json"], &json(&h));
    assert_eq!(out.code, 1);
    let v: serde_json::Value = serde_json::from_str(&out.stdout).unwrap();
    assert_eq!(v["errors"], 1);
    assert_eq!(v["warnings"], 1);
    assert_eq!(v["diagnostics"][0]["code"], "G001");
    assert_eq!(v["diagnostics"][0]["severity"], "error");
    assert_eq!(v["diagnostics"][0]["subjects"][0]["goal"], g(4).to_string());
}

#[test]
fn options_change_the_limits() {
    // The SDG framework: one owner for 186 goals trips G003 at the default limit of 7.
    let csv = include_str!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../testdata/frameworks/sdg_goals_targets_indicators.csv"
    ));
    let sdg = parse_sdg_framework(csv).unwrap();
    let text = json(&sdg.hierarchy);
    let out = check(&["-"], &text);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("owns 186 goals: expected at most 7"));
    let out = check(&["-", "--max-goals-per-unit", "186"], &text);
    assert_eq!(out.stdout, "0 error(s), 0 warning(s), 0 info(s)\n");
    let out = check(
        &["-", "--max-goals-per-unit", "186", "--max-depth", "1"],
        &text,
    );
    assert_eq!(out.code, 0);
    assert!(
        out.stdout
            .ends_with("0 error(s), 169 warning(s), 0 info(s)\n")
    );
}

#[test]
fn a_file_path_is_read() {
    let dir = std::env::temp_dir().join(format!("kompas-goals-check-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("h.json");
    std::fs::write(&path, json(&clean())).unwrap();
    let out = check(&[path.to_str().unwrap()], "");
    assert_eq!(out.code, 0, "{}", out.stderr);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn unreadable_or_invalid_input_exits_2_naming_the_problem() {
    let out = check(&["/nonexistent/goals.json"], "");
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .starts_with("error: cannot read /nonexistent/goals.json"),
        "{}",
        out.stderr
    );

    // Text that is not JSON at all: exit 2, naming the line and column.
    let out = check(&["-"], "{not json");
    assert_eq!(out.code, 2);
    let all = format!("{}{}", out.stdout, out.stderr);
    assert!(all.contains("line 1 column 2"), "{all}");

    // JSON that is not a hierarchy: a goal without its fields.
    let out = check(&["-"], r#"{"goals":[{"id":"x"}]}"#);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr
            .starts_with("error: -: not a valid goal hierarchy"),
        "{}",
        out.stderr
    );

    // A cycle 1 -> 2 -> 1 names both goals.
    let text = format!(
        r#"{{"goals":[
            {{"id":"{a}","title":{{"en":"a"}},"level":"city","owner":"{u}","parents":[{{"goal":"{b}"}}]}},
            {{"id":"{b}","title":{{"en":"b"}},"level":"city","owner":"{u}","parents":[{{"goal":"{a}"}}]}}
        ]}}"#,
        a = g(1),
        b = g(2),
        u = UnitId::from_u128(1)
    );
    let out = check(&["-"], &text);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("goal links form the cycle"),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains(&g(1).to_string()) && out.stderr.contains(&g(2).to_string()));

    // A negative weight names the link and the value.
    let text = format!(
        r#"{{"goals":[
            {{"id":"{a}","title":{{"en":"a"}},"level":"city","owner":"{u}"}},
            {{"id":"{b}","title":{{"en":"b"}},"level":"unit","owner":"{u}","parents":[{{"goal":"{a}","weight":-1}}]}}
        ]}}"#,
        a = g(1),
        b = g(2),
        u = UnitId::from_u128(1)
    );
    let out = check(&["-"], &text);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains(&format!(
            "link from goal {} to parent {} has weight -1",
            g(2),
            g(1)
        )),
        "{}",
        out.stderr
    );

    let out = check(&["-", "--similarity", "2"], &json(&clean()));
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("--similarity 2"), "{}", out.stderr);
}
