//! Property tests of the goal hierarchy: random edit sequences keep it acyclic (checked by an
//! independent cycle search), refused edits change nothing, serde round-trips it losslessly, and
//! effective weights of each top goal sum to 1 when every path ends in an indicator.

use std::collections::{BTreeMap, BTreeSet};

use kompas_core::{GoalId, IndicatorId, Text, UnitId, Weight};
use kompas_goals::{Error, Goal, GoalHierarchy, GoalHierarchyData, Level, Link};
use proptest::prelude::*;

const GOALS: u8 = 7;
const INDICATORS: u8 = 4;

fn gid(n: u8) -> GoalId {
    GoalId::from_u128(u128::from(n) + 1)
}
fn iid(n: u8) -> IndicatorId {
    IndicatorId::from_u128(u128::from(n) + 100)
}

#[derive(Debug, Clone)]
enum Op {
    Add(u8, u8, u8),
    Remove(u8),
    Link(u8, u8, f64),
    Unlink(u8, u8),
    Attach(u8, u8, f64),
    Detach(u8, u8),
}

fn op() -> impl Strategy<Value = Op> {
    let g = 0..GOALS;
    let i = 0..INDICATORS;
    let w = prop_oneof![Just(0.0), 0.0f64..5.0];
    prop_oneof![
        2 => (g.clone(), 0u8..6, 0u8..3).prop_map(|(a, l, o)| Op::Add(a, l, o)),
        1 => g.clone().prop_map(Op::Remove),
        4 => (g.clone(), g.clone(), w.clone()).prop_map(|(a, b, w)| Op::Link(a, b, w)),
        1 => (g.clone(), g.clone()).prop_map(|(a, b)| Op::Unlink(a, b)),
        2 => (g.clone(), i.clone(), w).prop_map(|(a, b, w)| Op::Attach(a, b, w)),
        1 => (g, i).prop_map(|(a, b)| Op::Detach(a, b)),
    ]
}

fn level(n: u8) -> Level {
    match n {
        0 => Level::City,
        1 => Level::Department,
        2 => Level::Unit,
        3 => Level::Team,
        k => Level::Deeper(k - 3),
    }
}

/// Independent check on the id-based form: child -> parents adjacency, three-colour DFS.
fn has_cycle(data: &GoalHierarchyData) -> bool {
    let adj: BTreeMap<GoalId, Vec<GoalId>> = data
        .goals
        .iter()
        .map(|g| (g.id, g.parents.iter().map(|p| p.goal).collect()))
        .collect();
    fn visit(
        n: GoalId,
        adj: &BTreeMap<GoalId, Vec<GoalId>>,
        state: &mut BTreeMap<GoalId, u8>,
    ) -> bool {
        match state.get(&n) {
            Some(1) => return true,
            Some(_) => return false,
            None => {}
        }
        state.insert(n, 1);
        for &m in adj.get(&n).map(Vec::as_slice).unwrap_or(&[]) {
            if visit(m, adj, state) {
                return true;
            }
        }
        state.insert(n, 2);
        false
    }
    let mut state = BTreeMap::new();
    adj.keys().any(|&n| visit(n, &adj, &mut state))
}

/// Whether `from` reaches `to` along parent links in the id-based form.
fn reaches(data: &GoalHierarchyData, from: GoalId, to: GoalId) -> bool {
    let adj: BTreeMap<GoalId, Vec<GoalId>> = data
        .goals
        .iter()
        .map(|g| (g.id, g.parents.iter().map(|p| p.goal).collect()))
        .collect();
    let mut seen = BTreeSet::new();
    let mut stack = vec![from];
    while let Some(n) = stack.pop() {
        if n == to {
            return true;
        }
        if seen.insert(n) {
            stack.extend(adj.get(&n).into_iter().flatten().copied());
        }
    }
    false
}

fn apply(h: &mut GoalHierarchy, op: &Op) -> Result<(), Error> {
    match *op {
        Op::Add(a, l, o) => h.add_goal(Goal::new(
            gid(a),
            Text::en(format!("goal {a}")).unwrap(),
            level(l),
            UnitId::from_u128(u128::from(o)),
        )),
        Op::Remove(a) => h.remove_goal(gid(a)).map(drop),
        Op::Link(a, b, w) => h.link(gid(a), gid(b), Link::new(Weight::new(w).unwrap())),
        Op::Unlink(a, b) => h.unlink(gid(a), gid(b)).map(drop),
        Op::Attach(a, b, w) => h.attach_indicator(gid(a), iid(b), Weight::new(w).unwrap()),
        Op::Detach(a, b) => h.detach_indicator(gid(a), iid(b)).map(drop),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(192))]

    #[test]
    fn random_edits_keep_the_hierarchy_acyclic_and_serde_lossless(
        ops in proptest::collection::vec(op(), 0..60)
    ) {
        let mut h = GoalHierarchy::default();
        for op in &ops {
            let before = h.to_data();
            let result = apply(&mut h, op);
            let after = h.to_data();
            prop_assert!(!has_cycle(&after), "cycle after {:?}", op);
            match (&result, op) {
                (Err(_), _) => prop_assert_eq!(&before, &after, "a refused edit changed the hierarchy"),
                (Ok(()), _) => {}
            }
            // A link is refused as a cycle exactly when the parent already reaches the child.
            if let Op::Link(a, b, _) = *op {
                let both = h.contains(gid(a)) && h.contains(gid(b));
                let would_cycle = both && reaches(&before, gid(b), gid(a));
                prop_assert_eq!(
                    matches!(result, Err(Error::GoalCycle { .. })),
                    would_cycle,
                    "{:?} gave {:?}", op, result
                );
            }
        }
        // Topological order lists every goal once, parents first.
        let order = h.topological_order();
        prop_assert_eq!(order.len(), h.len());
        let pos: BTreeMap<GoalId, usize> = order.iter().enumerate().map(|(i, g)| (*g, i)).collect();
        for g in h.goals() {
            for p in h.parents(g.id).unwrap() {
                prop_assert!(pos[&p] < pos[&g.id]);
            }
        }
        // Serde round trip: equal hierarchy, equal text, equal queries.
        let json = serde_json::to_string(&h).unwrap();
        let back: GoalHierarchy = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(&back, &h);
        prop_assert_eq!(serde_json::to_string(&back).unwrap(), json);
        prop_assert_eq!(back.topological_order(), order);
        prop_assert_eq!(back.roots(), h.roots());
        prop_assert_eq!(back.indicator_goals(), h.indicator_goals());
        for top in h.roots() {
            prop_assert_eq!(back.effective_weights(top).unwrap(), h.effective_weights(top).unwrap());
        }
    }

    #[test]
    fn effective_weights_of_each_top_goal_sum_to_one(
        n in 1usize..12,
        parents in proptest::collection::vec(proptest::collection::vec((any::<prop::sample::Index>(), 0.1f64..10.0), 0..3), 12),
        extra in proptest::collection::vec((0usize..12, 0u8..6, 0.1f64..10.0), 0..10),
        leaf_ind in proptest::collection::vec((0u8..6, 0.1f64..10.0), 12),
    ) {
        let mut h = GoalHierarchy::default();
        for (i, links) in parents.iter().enumerate().take(n) {
            h.add_goal(Goal::new(gid(i as u8), Text::en("g").unwrap(), Level::Unit, UnitId::from_u128(1))).unwrap();
            // Parents only among earlier goals: acyclic by construction.
            if i > 0 {
                for (p, w) in links {
                    let p = p.index(i);
                    let _ = h.link(gid(i as u8), gid(p as u8), Link::new(Weight::new(*w).unwrap()));
                }
            }
        }
        for (g, ind, w) in extra {
            if g < n {
                let _ = h.attach_indicator(gid(g as u8), iid(ind), Weight::new(w).unwrap());
            }
        }
        for (i, &(ind, w)) in leaf_ind.iter().enumerate().take(n) {
            let id = gid(i as u8);
            if h.children(id).unwrap().is_empty() && h.indicators(id).unwrap().is_empty() {
                h.attach_indicator(id, iid(ind), Weight::new(w).unwrap()).unwrap();
            }
        }
        let all = h.all_effective_weights();
        prop_assert_eq!(all.len(), h.roots().len());
        for (top, ew) in all {
            let total: f64 = ew.values().sum();
            prop_assert!((total - 1.0).abs() < 1e-9, "top {}: {}", top, total);
            prop_assert!(ew.values().all(|w| (0.0..=1.0 + 1e-12).contains(w)));
        }
        // Arithmetic means nest linearly: aggregating through the pipeline plan gives each top
        // goal the effective-weight sum of its indicators' values.
        let plan = h.to_plan().unwrap();
        let value = |code: &str| (0..6u8).position(|k| iid(k).to_string() == code).map_or(0.0, |k| (k * k) as f64 + 1.0);
        let leaves: Vec<f64> = plan.leaf_codes().iter().map(|c| value(c)).collect();
        let eval = plan.evaluate(&["u".to_string()], &leaves).unwrap();
        for top in h.roots() {
            let expect: f64 = h.effective_weights(top).unwrap().iter().map(|(i, w)| w * value(&i.to_string())).sum();
            let got = eval.node_value(plan.node_index(&top.to_string()).unwrap(), 0).unwrap();
            prop_assert!((got - expect).abs() < 1e-9 * expect.max(1.0), "{} vs {}", got, expect);
        }
    }
}

/// A small valid hierarchy file to mutate.
fn sample_json() -> String {
    let mut h = GoalHierarchy::default();
    for n in 0..3u8 {
        h.add_goal(Goal::new(
            gid(n),
            Text::en(format!("goal {n}")).unwrap(),
            level(n),
            UnitId::from_u128(1),
        ))
        .unwrap();
    }
    h.link(gid(1), gid(0), Link::new(Weight::new(2.0).unwrap()))
        .unwrap();
    h.link(gid(2), gid(1), Link::default()).unwrap();
    h.attach_indicator(gid(2), iid(0), Weight::ONE).unwrap();
    serde_json::to_string(&h).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// No framework CSV text makes the SDG reader panic; an error names a line and a field.
    #[test]
    fn no_framework_csv_makes_the_reader_panic(
        rows in proptest::collection::vec(
            ("[0-4]", "[0-9.ab]{0,5}", "[0-9.]{0,4}", "[a-z ]{0,4}", "[a-z ,\"]{0,8}"),
            0..12,
        ),
        junk in ".{0,40}",
    ) {
        let mut text = String::from("level,id,parent,short,title\n");
        for (l, id, p, s, t) in &rows {
            text.push_str(&format!("{l},{id},{p},{s},{t}\n"));
        }
        text.push_str(&junk);
        match kompas_goals::parse_sdg_framework(&text) {
            Ok(sdg) => prop_assert!(sdg.hierarchy.topological_order().len() == sdg.hierarchy.len()),
            Err(e) => {
                let msg = e.to_string();
                prop_assert!(msg.starts_with("sdg framework, line ") || msg.contains("text is empty"), "{}", msg);
            }
        }
        // Arbitrary bytes too.
        let _ = kompas_goals::parse_sdg_framework(&junk);
    }

    /// No edit of a valid hierarchy file makes loading panic; what loads is acyclic.
    #[test]
    fn no_hierarchy_json_makes_loading_panic(cut in 0usize..2000, byte in any::<u8>(), keep in any::<bool>()) {
        let json = sample_json();
        let mut bytes = json.into_bytes();
        let at = cut % bytes.len();
        if keep {
            bytes[at] = byte;
        } else {
            bytes.truncate(at);
        }
        let text = String::from_utf8_lossy(&bytes);
        if let Ok(h) = serde_json::from_str::<GoalHierarchy>(&text) {
            prop_assert!(!has_cycle(&h.to_data()));
            prop_assert_eq!(h.topological_order().len(), h.len());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Title similarity is symmetric, within 0..=1, and 1 for a title and itself re-cased and
    /// re-punctuated.
    #[test]
    fn title_similarity_is_a_bounded_symmetric_score(a in "[a-zæøå ,.!-]{0,30}", b in "[a-zæøå ,.!-]{0,30}") {
        use kompas_goals::title_similarity;
        let s = title_similarity(&a, &b);
        prop_assert!((0.0..=1.0).contains(&s));
        prop_assert_eq!(s, title_similarity(&b, &a));
        prop_assert_eq!(title_similarity(&a, &format!(" {}!", a.to_uppercase())), 1.0);
    }
}
