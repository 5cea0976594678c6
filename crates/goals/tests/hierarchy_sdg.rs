//! The SDG framework (Open SDG, `testdata/frameworks/`) as a goal DAG: counts, multi-parent
//! indicators, effective weights, diagnostics, and bad framework rows.

use std::collections::BTreeSet;

use kompas_goals::{
    Code, DiagnosticOptions, Error, GoalHierarchy, Level, SdgFramework, diagnose,
    parse_sdg_framework,
};

const CSV: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../../testdata/frameworks/sdg_goals_targets_indicators.csv"
));

fn sdg() -> SdgFramework {
    parse_sdg_framework(CSV).expect("the published framework parses")
}

#[test]
fn counts_match_the_published_framework() {
    let s = sdg();
    let h = &s.hierarchy;
    let levels = |l: Level| h.goals().filter(|g| g.level == l).count();
    assert_eq!(levels(Level::City), 17, "goals");
    assert_eq!(levels(Level::Department), 169, "targets");
    assert_eq!(h.len(), 186);
    assert_eq!(h.link_count(), 169, "each target under one goal");
    assert_eq!(h.roots().len(), 17);
    // 252 indicator rows; rows with the same title are one indicator.
    let rows: usize = s.indicators.values().map(|i| i.codes.len()).sum();
    assert_eq!(rows, 252);
    assert_eq!(s.indicators.len(), 235);
    let repeated: Vec<&Vec<String>> = s
        .indicators
        .values()
        .filter(|i| i.codes.len() > 1)
        .map(|i| &i.codes)
        .collect();
    assert_eq!(
        repeated.len(),
        13,
        "thirteen indicators are listed more than once"
    );
    assert!(repeated.contains(&&vec![
        "1.5.1".to_string(),
        "11.5.1".to_string(),
        "13.1.1".to_string()
    ]));
    // Every target has at least one indicator attached.
    for (code, id) in &s.goals {
        if code.contains('.') {
            assert!(!h.indicators(*id).unwrap().is_empty(), "target {code}");
        }
    }
}

#[test]
fn multi_parent_indicators_form_a_dag() {
    let s = sdg();
    let h = &s.hierarchy;
    let multi: Vec<_> = h
        .indicator_goals()
        .into_iter()
        .filter(|(_, goals)| goals.len() > 1)
        .collect();
    // 12 of the 13 repeated indicators sit under 2-3 distinct targets; 17.6.1 and 17.6.2 repeat
    // under the same target 17.6.
    assert_eq!(multi.len(), 12);
    assert_eq!(multi.iter().filter(|(_, g)| g.len() == 3).count(), 4);
    let disasters = SdgFramework::indicator_id("1.5.1");
    let targets: BTreeSet<_> = ["1.5", "11.5", "13.1"]
        .iter()
        .map(|c| s.goals[*c])
        .collect();
    assert_eq!(h.indicator_goals()[&disasters], targets);
    let broadband = SdgFramework::indicator_id("17.6.1");
    assert_eq!(s.indicators[&broadband].codes, ["17.6.1", "17.6.2"]);
    assert_eq!(h.indicator_goals()[&broadband].len(), 1);
    let attachments: usize = h.indicator_goals().values().map(BTreeSet::len).sum();
    assert_eq!(attachments, 251);
    // Target 1.5 reaches SDG 1 only; goal 1 is a city-level top goal.
    assert_eq!(
        h.bridges_to(s.goals["1.5"]).unwrap(),
        BTreeSet::from([s.goals["1"]])
    );
}

#[test]
fn effective_weights_follow_equal_weights_down_two_levels() {
    let s = sdg();
    let h = &s.hierarchy;
    let goal13 = s.goals["13"];
    let ew = h.effective_weights(goal13).unwrap();
    // Goal 13 has 5 targets; 13.1 has 3 indicators: each 1/5 * 1/3.
    assert_eq!(h.children(goal13).unwrap().len(), 5);
    let d = ew[&SdgFramework::indicator_id("1.5.1")];
    assert!((d - 1.0 / 15.0).abs() < 1e-12, "{d}");
    for top in h.roots() {
        let total: f64 = h.effective_weights(top).unwrap().values().sum();
        assert!((total - 1.0).abs() < 1e-12, "goal {top}: {total}");
    }
    // Goal 1 holds the disaster indicator through target 1.5 (1/7 of goal 1, 1/4 of 1.5).
    let g1 = h.effective_weights(s.goals["1"]).unwrap();
    assert_eq!(h.children(s.goals["1"]).unwrap().len(), 7);
    assert!((g1[&SdgFramework::indicator_id("1.5.1")] - 1.0 / 28.0).abs() < 1e-12);
}

#[test]
fn diagnostics_of_the_framework() {
    let s = sdg();
    let found = diagnose(&s.hierarchy, &DiagnosticOptions::default());
    let count = |c: Code| found.iter().filter(|d| d.code == c).count();
    assert_eq!(count(Code::G001), 0, "every target bridges to an SDG");
    assert_eq!(count(Code::G002), 0, "every target has an indicator");
    assert_eq!(count(Code::G003), 1, "one owner for all 186 goals");
    assert_eq!(count(Code::G006), 0);
    assert_eq!(count(Code::G007), 0);
    assert_eq!(count(Code::G008), 0);
    // G004 with no observations at all flags every indicator.
    let none = DiagnosticOptions::default().observed([]);
    let g004 = diagnose(&s.hierarchy, &none)
        .into_iter()
        .filter(|d| d.code == Code::G004)
        .count();
    assert_eq!(g004, 235);
    // The same list twice: deterministic.
    assert_eq!(found, diagnose(&s.hierarchy, &DiagnosticOptions::default()));
}

#[test]
fn serde_round_trips_the_framework() {
    let s = sdg();
    let json = serde_json::to_string(&s.hierarchy).unwrap();
    let back: GoalHierarchy = serde_json::from_str(&json).unwrap();
    assert_eq!(back, s.hierarchy);
    assert_eq!(back.topological_order(), s.hierarchy.topological_order());
}

#[track_caller]
fn check_err(csv: &str, expect: &str) {
    match parse_sdg_framework(csv) {
        Err(e @ Error::FrameworkRow { .. }) => {
            let msg = e.to_string();
            assert!(msg.contains(expect), "{msg:?} lacks {expect:?}");
        }
        other => panic!("expected a framework row error, got {other:?}"),
    }
}

#[test]
fn bad_framework_rows_name_line_field_and_value() {
    const H: &str = "level,id,parent,short,title\n";
    check_err("", "line 1, field header");
    check_err("a,b\n", "line 1, field header: found \"a,b\"");
    check_err(
        &format!("{H}4,1,,x,y\n"),
        "line 2, field level: found \"4\"",
    );
    check_err(&format!("{H}1,,,x,y\n"), "line 2, field id");
    check_err(
        &format!("{H}1,1,,x,y\n1,1,,x,y\n"),
        "line 3, field id: found \"1\"",
    );
    check_err(&format!("{H}1,1,,x,y\n2,1.1,,,t\n"), "line 3, field parent");
    check_err(
        &format!("{H}1,1,,x,y\n2,1.1,9,,t\n"),
        "line 3, field parent: found \"9\"",
    );
    check_err(
        &format!("{H}1,1,,x,y\n3,1.1.1,1,,t\n"),
        "line 3, field parent: found \"1\", expected the code of a target",
    );
    check_err(&format!("{H}1,1,,,\n"), "line 2, field title");
    check_err(&format!("{H}1,1,,x,y,z\n"), "line 2, field row");
    check_err(&format!("{H}1,1,3,x,y\n"), "line 2, field parent");
}
