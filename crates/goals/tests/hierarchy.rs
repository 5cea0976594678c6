//! Tests of the goal hierarchy: edits, queries, effective weights, serde and bad input.

use std::collections::{BTreeMap, BTreeSet};

use kompas_core::{GoalId, IndicatorId, Lang, Text, UnitId, ValueStatementId, Weight};
use kompas_goals::{
    Code, DiagnosticOptions, Error, Goal, GoalHierarchy, Level, Link, Severity, Subject, diagnose,
};

fn g(n: u128) -> GoalId {
    GoalId::from_u128(n)
}
fn ind(n: u128) -> IndicatorId {
    IndicatorId::from_u128(1000 + n)
}
fn w(x: f64) -> Weight {
    Weight::new(x).unwrap()
}
fn goal(n: u128, level: Level, title: &str) -> Goal {
    Goal::new(
        g(n),
        Text::en(title).unwrap(),
        level,
        UnitId::from_u128(n % 3),
    )
}

/// city 1 <- dept 2 (w 1), city 1 <- dept 3 (w 3); unit 4 contributes to both 2 and 3.
/// Indicators: 2 has i1 (w 1) and unit 4 (w 1); 3 has unit 4 (w 1) and i2 (w 1);
/// 4 has i3 (w 1) and i4 (w 3).
fn sample() -> GoalHierarchy {
    let mut h = GoalHierarchy::default();
    h.add_goal(goal(1, Level::City, "A healthy city")).unwrap();
    h.add_goal(goal(2, Level::Department, "Fewer falls"))
        .unwrap();
    h.add_goal(goal(3, Level::Department, "Active elderly"))
        .unwrap();
    h.add_goal(goal(4, Level::Unit, "Home training")).unwrap();
    h.link(g(2), g(1), Link::new(w(1.0))).unwrap();
    h.link(g(3), g(1), Link::new(w(3.0))).unwrap();
    h.link(g(4), g(2), Link::new(w(1.0))).unwrap();
    h.link(
        g(4),
        g(3),
        Link::new(w(1.0)).with_rationale(Text::da("træning holder folk aktive").unwrap()),
    )
    .unwrap();
    h.attach_indicator(g(2), ind(1), w(1.0)).unwrap();
    h.attach_indicator(g(3), ind(2), w(1.0)).unwrap();
    h.attach_indicator(g(4), ind(3), w(1.0)).unwrap();
    h.attach_indicator(g(4), ind(4), w(3.0)).unwrap();
    h
}

#[test]
fn queries_follow_the_links() {
    let h = sample();
    assert_eq!(h.len(), 4);
    assert_eq!(h.link_count(), 4);
    assert_eq!(h.parents(g(4)).unwrap(), vec![g(2), g(3)]);
    assert_eq!(h.children(g(1)).unwrap(), vec![g(2), g(3)]);
    assert_eq!(
        h.ancestors(g(4)).unwrap(),
        BTreeSet::from([g(1), g(2), g(3)])
    );
    assert_eq!(
        h.descendants(g(1)).unwrap(),
        BTreeSet::from([g(2), g(3), g(4)])
    );
    assert_eq!(h.roots(), vec![g(1)]);
    assert_eq!(h.bridges_to(g(4)).unwrap(), BTreeSet::from([g(1)]));
    assert_eq!(h.bridges_to(g(1)).unwrap(), BTreeSet::from([g(1)]));
    assert_eq!(h.topological_order(), vec![g(1), g(2), g(3), g(4)]);
    assert_eq!(
        h.depths(),
        BTreeMap::from([(g(1), 1), (g(2), 2), (g(3), 2), (g(4), 3)])
    );
    assert_eq!(
        h.indicator_goals()[&ind(1)],
        BTreeSet::from([g(2)]),
        "indicator 1 sits under goal 2 only"
    );
    assert_eq!(h.parents(g(99)), Err(Error::UnknownGoal { id: g(99) }));
}

#[test]
fn effective_weights_sum_products_over_all_paths() {
    let h = sample();
    let ew = h.effective_weights(g(1)).unwrap();
    // Goal 2 gets 1/4 of the city, goal 3 gets 3/4.
    // Goal 2 splits half to i1, half to goal 4; goal 3 half to goal 4, half to i2.
    // Goal 4 = 1/4 * 1/2 + 3/4 * 1/2 = 1/2, split 1/4 to i3 and 3/4 to i4.
    let expect = [
        (ind(1), 0.125),
        (ind(2), 0.375),
        (ind(3), 0.125),
        (ind(4), 0.375),
    ];
    for (i, e) in expect {
        assert!((ew[&i] - e).abs() < 1e-12, "{i}: {} != {e}", ew[&i]);
    }
    let total: f64 = ew.values().sum();
    assert!((total - 1.0).abs() < 1e-12);
    let from_dept = h.effective_weights(g(3)).unwrap();
    assert!((from_dept[&ind(4)] - 0.375).abs() < 1e-12);
    assert!(!from_dept.contains_key(&ind(1)));
    assert_eq!(
        h.all_effective_weights()
            .keys()
            .copied()
            .collect::<Vec<_>>(),
        vec![g(1)]
    );
}

#[test]
fn edits_refuse_cycles_and_dangling_ids_and_leave_the_hierarchy_unchanged() {
    let mut h = sample();
    let before = h.clone();
    // 1 -> 2 -> 4: linking 1 below 4 closes 1 -> 4 -> 2 -> 1 in "contributes to" order.
    let err = h.link(g(1), g(4), Link::default()).unwrap_err();
    match &err {
        Error::GoalCycle { cycle } => {
            assert_eq!(cycle.first(), Some(&g(1)));
            assert_eq!(cycle.last(), Some(&g(1)));
            assert_eq!(cycle[1], g(4));
            assert_eq!(cycle.len(), 4);
        }
        other => panic!("expected a cycle, got {other:?}"),
    }
    assert!(err.to_string().contains(&g(4).to_string()), "{err}");
    assert!(err.to_string().ends_with("expected an acyclic hierarchy"));
    assert!(matches!(
        h.link(g(2), g(2), Link::default()),
        Err(Error::GoalCycle { .. })
    ));
    assert_eq!(
        h.link(g(4), g(2), Link::default()),
        Err(Error::DuplicateLink {
            child: g(4),
            parent: g(2)
        })
    );
    assert_eq!(
        h.link(g(9), g(2), Link::default()),
        Err(Error::UnknownGoal { id: g(9) })
    );
    assert_eq!(
        h.add_goal(goal(2, Level::Team, "again")),
        Err(Error::DuplicateGoal { id: g(2) })
    );
    assert_eq!(
        h.attach_indicator(g(4), ind(3), w(1.0)),
        Err(Error::DuplicateIndicator {
            goal: g(4),
            indicator: ind(3)
        })
    );
    assert_eq!(
        h.detach_indicator(g(1), ind(3)),
        Err(Error::UnknownIndicator {
            goal: g(1),
            indicator: ind(3)
        })
    );
    assert_eq!(
        h.unlink(g(4), g(1)),
        Err(Error::UnknownLink {
            child: g(4),
            parent: g(1)
        })
    );
    assert_eq!(h, before);
}

#[test]
fn remove_goal_drops_its_links() {
    let mut h = sample();
    let removed = h.remove_goal(g(4)).unwrap();
    assert_eq!(removed.id, g(4));
    assert_eq!(h.children(g(2)).unwrap(), Vec::<GoalId>::new());
    assert_eq!(h.link_count(), 2);
    assert!(!h.indicator_goals().contains_key(&ind(3)));
    assert_eq!(h.remove_goal(g(4)), Err(Error::UnknownGoal { id: g(4) }));
    // The id can be reused and linked again.
    h.add_goal(goal(4, Level::Team, "Back")).unwrap();
    h.link(g(4), g(3), Link::default()).unwrap();
    assert_eq!(h.parents(g(4)).unwrap(), vec![g(3)]);
    let old = h.replace_goal(goal(4, Level::Unit, "Renamed")).unwrap();
    assert_eq!(old.level, Level::Team);
    assert_eq!(
        h.parents(g(4)).unwrap(),
        vec![g(3)],
        "links survive a replace"
    );
    assert_eq!(h.unlink(g(4), g(3)).unwrap(), Link::default());
}

#[test]
fn serde_round_trips_and_writes_the_id_based_form() {
    let mut h = sample();
    h.replace_goal(
        goal(1, Level::City, "A healthy city")
            .with_value(ValueStatementId::from_u128(5))
            .with_period(kompas_core::Period::year(2025).unwrap()),
    )
    .unwrap();
    let json = serde_json::to_string_pretty(&h).unwrap();
    let back: GoalHierarchy = serde_json::from_str(&json).unwrap();
    assert_eq!(back, h);
    assert_eq!(serde_json::to_string_pretty(&back).unwrap(), json);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let goals = v["goals"].as_array().unwrap();
    assert_eq!(goals.len(), 4);
    let four = goals.iter().find(|x| x["id"] == g(4).to_string()).unwrap();
    assert_eq!(four["parents"].as_array().unwrap().len(), 2);
    assert_eq!(
        four["parents"][1]["rationale"]["da"],
        "træning holder folk aktive"
    );
    assert_eq!(four["level"], "unit");
    let schema = schemars::schema_for!(GoalHierarchy);
    let s = serde_json::to_string(&schema).unwrap();
    assert!(
        s.contains("\"parents\"") && s.contains("\"indicators\""),
        "{s}"
    );
}

#[test]
fn level_serde_and_depth() {
    assert_eq!(serde_json::to_string(&Level::City).unwrap(), "\"city\"");
    assert_eq!(
        serde_json::to_string(&Level::Deeper(2)).unwrap(),
        "{\"deeper\":2}"
    );
    assert_eq!(Level::Deeper(2).depth(), 5);
    assert!(Level::City < Level::Team);
}

fn load(json: &str) -> Result<GoalHierarchy, String> {
    serde_json::from_str::<GoalHierarchy>(json).map_err(|e| e.to_string())
}

fn rec(id: u128, parents: &str, indicators: &str) -> String {
    format!(
        r#"{{"id":"{}","title":{{"en":"goal {id}"}},"level":"department","owner":"{}","parents":[{parents}],"indicators":[{indicators}]}}"#,
        g(id),
        UnitId::from_u128(1)
    )
}

fn parent(id: u128, weight: f64) -> String {
    format!(r#"{{"goal":"{}","weight":{weight}}}"#, g(id))
}

#[test]
fn bad_input_names_the_ids_and_values() {
    // A cycle 1 -> 2 -> 3 -> 1.
    let json = format!(
        r#"{{"goals":[{},{},{}]}}"#,
        rec(1, &parent(2, 1.0), ""),
        rec(2, &parent(3, 1.0), ""),
        rec(3, &parent(1, 1.0), "")
    );
    let err = load(&json).unwrap_err();
    assert!(err.starts_with("goal links form the cycle"), "{err}");
    for n in 1..=3 {
        assert!(err.contains(&g(n).to_string()), "{err}");
    }

    // An unknown parent.
    let json = format!(r#"{{"goals":[{}]}}"#, rec(1, &parent(7, 1.0), ""));
    let err = load(&json).unwrap_err();
    assert!(
        err.contains(&format!("goal {} links to unknown parent {}", g(1), g(7))),
        "{err}"
    );

    // A duplicate goal id.
    let json = format!(r#"{{"goals":[{},{}]}}"#, rec(1, "", ""), rec(1, "", ""));
    let err = load(&json).unwrap_err();
    assert!(
        err.contains(&format!("goal {} is defined twice", g(1))),
        "{err}"
    );

    // A duplicate link.
    let two = format!("{},{}", parent(1, 1.0), parent(1, 2.0));
    let json = format!(r#"{{"goals":[{},{}]}}"#, rec(1, "", ""), rec(2, &two, ""));
    let err = load(&json).unwrap_err();
    assert!(
        err.contains(&format!("goal {} is linked to parent {} twice", g(2), g(1))),
        "{err}"
    );

    // A negative link weight.
    let json = format!(
        r#"{{"goals":[{},{}]}}"#,
        rec(1, "", ""),
        rec(2, &parent(1, -0.5), "")
    );
    let err = load(&json).unwrap_err();
    assert!(
        err.contains(&format!(
            "link from goal {} to parent {} has weight -0.5",
            g(2),
            g(1)
        )),
        "{err}"
    );

    // A negative indicator weight, and a duplicate indicator.
    let i = format!(r#"{{"id":"{}","weight":-2}}"#, ind(1));
    let err = load(&format!(r#"{{"goals":[{}]}}"#, rec(1, "", &i))).unwrap_err();
    assert!(
        err.contains(&format!(
            "indicator {} of goal {} has weight -2",
            ind(1),
            g(1)
        )),
        "{err}"
    );
    let i = format!(r#"{{"id":"{0}"}},{{"id":"{0}"}}"#, ind(1));
    let err = load(&format!(r#"{{"goals":[{}]}}"#, rec(1, "", &i))).unwrap_err();
    assert!(err.contains("is attached to goal"), "{err}");

    // A misspelt field, a bad id, an empty title.
    let err = load(r#"{"goals":[],"golas":[]}"#).unwrap_err();
    assert!(err.contains("golas"), "{err}");
    let err = load(r#"{"goals":[{"id":"x","title":{"en":"a"},"level":"city","owner":"y"}]}"#)
        .unwrap_err();
    assert!(err.contains("goals[0]") || err.contains("line"), "{err}");
    let err = load(&rec(1, "", "").replace(r#""en":"goal 1""#, r#""en":" ""#)).unwrap_err();
    assert!(!err.is_empty());

    // Omitted weights default to 1 and load.
    let i = format!(r#"{{"id":"{}"}}"#, ind(1));
    let h = load(&format!(
        r#"{{"goals":[{},{}]}}"#,
        rec(1, "", ""),
        rec(2, &format!(r#"{{"goal":"{}"}}"#, g(1)), &i)
    ))
    .unwrap();
    assert_eq!(h.link_between(g(2), g(1)).unwrap().weight, Weight::ONE);
    assert_eq!(h.effective_weights(g(1)).unwrap()[&ind(1)], 1.0);
}

#[test]
fn dot_export_lists_goals_indicators_and_weighted_edges() {
    let h = sample();
    let dot = h.to_dot(Lang::En);
    assert!(dot.starts_with("digraph goals {\n"));
    assert!(dot.ends_with("}\n"));
    assert_eq!(dot.matches("shape=box").count(), 4);
    assert_eq!(dot.matches("shape=ellipse").count(), 4);
    assert_eq!(dot.matches(" -> ").count(), 4 + 4);
    assert!(dot.contains(&format!("\"g:{}\" -> \"g:{}\" [label=\"3\"];", g(1), g(3))));
    assert!(dot.contains("label=\"Home training\\n(unit)\""));
    assert_eq!(dot, h.clone().to_dot(Lang::En), "deterministic");
}

fn codes(h: &GoalHierarchy, opts: &DiagnosticOptions) -> Vec<(Code, Vec<Subject>)> {
    diagnose(h, opts)
        .into_iter()
        .map(|d| (d.code, d.subjects))
        .collect()
}

#[test]
fn a_clean_hierarchy_has_no_diagnostics() {
    let h = sample();
    let opts = DiagnosticOptions::default().observed([ind(1), ind(2), ind(3), ind(4)]);
    assert_eq!(codes(&h, &opts), vec![]);
}

#[test]
fn each_diagnostic_fires_on_its_own_defect() {
    let mut h = sample();
    // G001: an orphan unit goal; it is also a leaf without indicator (G002).
    h.add_goal(goal(10, Level::Unit, "Orphan")).unwrap();
    // G008 + G005: goal 11 under city 1 with a single child 12 ...
    h.add_goal(goal(11, Level::Department, "Clean air"))
        .unwrap();
    h.link(g(11), g(1), Link::default()).unwrap();
    h.add_goal(goal(12, Level::Unit, "Fewer cars in the centre"))
        .unwrap();
    h.link(g(12), g(11), Link::default()).unwrap();
    h.attach_indicator(g(12), ind(5), w(0.0)).unwrap(); // G007: all weights zero
    // ... and goal 13 "Fewer falls." next to goal 2 "Fewer falls" under the city (G005).
    h.add_goal(goal(13, Level::Department, "Fewer  falls."))
        .unwrap();
    h.link(g(13), g(1), Link::default()).unwrap();
    h.attach_indicator(g(13), ind(1), w(1.0)).unwrap();
    let opts = DiagnosticOptions::default()
        .observed([ind(1), ind(2), ind(3)]) // ind 4 and 5 unobserved: G004
        .max_goals_per_unit(2) // unit 1 owns goals 1, 4, 10, 13: G003
        .max_depth(2); // goal 4 and 12 sit 3 deep: G006
    let found = diagnose(&h, &opts);
    let by_code = |c: Code| -> Vec<Vec<Subject>> {
        found
            .iter()
            .filter(|d| d.code == c)
            .map(|d| d.subjects.clone())
            .collect()
    };
    assert_eq!(by_code(Code::G001), vec![vec![Subject::Goal(g(10))]]);
    assert_eq!(by_code(Code::G002), vec![vec![Subject::Goal(g(10))]]);
    let g003 = by_code(Code::G003);
    assert_eq!(g003.len(), 1, "unit 1 owns 4 goals, the others 2 each");
    assert_eq!(g003[0][0], Subject::Unit(UnitId::from_u128(1)));
    assert_eq!(g003[0].len(), 5);
    assert_eq!(
        by_code(Code::G004),
        vec![
            vec![Subject::Indicator(ind(4)), Subject::Goal(g(4))],
            vec![Subject::Indicator(ind(5)), Subject::Goal(g(12))],
        ]
    );
    assert_eq!(
        by_code(Code::G005),
        vec![vec![
            Subject::Goal(g(1)),
            Subject::Goal(g(2)),
            Subject::Goal(g(13))
        ]]
    );
    assert_eq!(
        by_code(Code::G006),
        vec![vec![Subject::Goal(g(4))], vec![Subject::Goal(g(12))]]
    );
    assert_eq!(by_code(Code::G007), vec![vec![Subject::Goal(g(12))]]);
    assert_eq!(
        by_code(Code::G008),
        vec![vec![Subject::Goal(g(11)), Subject::Goal(g(12))]]
    );
    // Severities come from the code, the list is sorted, messages name the ids.
    for d in &found {
        assert_eq!(d.severity, d.code.severity());
    }
    assert_eq!(Code::G001.severity(), Severity::Error);
    assert_eq!(Code::G008.severity(), Severity::Info);
    let mut sorted = found.clone();
    sorted.sort_by(|a, b| (a.code, &a.subjects).cmp(&(b.code, &b.subjects)));
    assert_eq!(sorted, found);
    let g001 = found.iter().find(|d| d.code == Code::G001).unwrap();
    assert!(g001.message.contains(&g(10).to_string()));
    assert_eq!(
        g001.to_string(),
        format!(
            "error G001: goal {} (\"Orphan\") reaches no city goal",
            g(10)
        )
    );
    // Without an observed set there is no G004; with defaults no G003/G006 here.
    let plain = diagnose(&h, &DiagnosticOptions::default());
    assert!(plain.iter().all(|d| d.code != Code::G004));
    assert!(plain.iter().all(|d| d.code != Code::G006));
}

#[test]
fn title_similarity_is_symmetric_and_bounded() {
    use kompas_goals::title_similarity;
    let pairs = [
        ("Færre faldulykker", "færre fald-ulykker"),
        ("Fewer falls", "Fewer falls among the elderly"),
        ("a", "b"),
        ("", ""),
    ];
    for (a, b) in pairs {
        let s = title_similarity(a, b);
        assert_eq!(s, title_similarity(b, a));
        assert!((0.0..=1.0).contains(&s));
    }
    assert!(title_similarity("Færre faldulykker", "færre fald-ulykker") < 1.0);
    assert!(title_similarity("Færre faldulykker", "færre fald-ulykker") > 0.85);
    assert!(title_similarity("Fewer falls", "Fewer falls among the elderly") < 0.9);
}

#[test]
fn to_plan_aggregates_the_hierarchy_through_the_pipeline() {
    let h = sample();
    let plan = h.to_plan().unwrap();
    assert_eq!(plan.node_count(), 4);
    assert_eq!(plan.leaf_count(), 4);
    let units = vec!["u1".to_string(), "u2".to_string()];
    // Indicator values per unit: u1 = (i1..i4) = (100, 0, 0, 100); u2 all 40.
    let value = |code: &str, u: usize| -> f64 {
        let i = (1..=4).find(|&k| ind(k).to_string() == code).unwrap();
        if u == 1 {
            40.0
        } else {
            [100.0, 0.0, 0.0, 100.0][i as usize - 1]
        }
    };
    let mut values = Vec::new();
    for code in plan.leaf_codes() {
        for u in 0..units.len() {
            values.push(value(code, u));
        }
    }
    let eval = plan.evaluate(&units, &values).unwrap();
    let city = plan.node_index(&g(1).to_string()).unwrap();
    // Arithmetic means nest linearly, so the city score equals the effective-weight sum.
    let ew = h.effective_weights(g(1)).unwrap();
    let expect_u1: f64 = (1..=4)
        .map(|k| ew[&ind(k)] * value(&ind(k).to_string(), 0))
        .sum();
    let got = eval.node_value(city, 0).unwrap();
    assert!((got - expect_u1).abs() < 1e-9, "{got} vs {expect_u1}");
    assert!((got - 50.0).abs() < 1e-9);
    assert!((eval.node_value(city, 1).unwrap() - 40.0).abs() < 1e-9);
    let unit4 = plan.node_index(&g(4).to_string()).unwrap();
    assert!((eval.node_value(unit4, 0).unwrap() - 75.0).abs() < 1e-9);

    // Clashing ids are refused.
    let mut bad = sample();
    let clash = IndicatorId::new(*g(3).as_uuid());
    bad.attach_indicator(g(2), clash, w(1.0)).unwrap();
    assert_eq!(
        bad.to_plan().unwrap_err(),
        Error::IndicatorIsGoal { indicator: clash }
    );
}
