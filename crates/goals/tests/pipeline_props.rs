//! Property tests of the aggregation plan and the pipeline: mean-type aggregates lie within their
//! children's range, incremental updates equal a full evaluation, no CSV input makes the
//! readers (or the pipeline after them) panic, and the fast iData reader agrees with the general
//! one (values bit for bit, or the same error).

use kompas_goals::{Aggregation, AggregationPlan, Coin, CsvText, Pipeline, PlanNode};
use proptest::prelude::*;

fn units(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("u{i}")).collect()
}

fn mean_method() -> impl Strategy<Value = Aggregation> {
    prop_oneof![
        Just(Aggregation::ArithmeticMean),
        Just(Aggregation::GeometricMean),
        Just(Aggregation::HarmonicMean),
        (-3.0f64..3.0).prop_map(|p| Aggregation::GeneralisedMean { p }),
    ]
}

/// A random two-level DAG: `mid` middle nodes over `leaves` leaves (each middle node picks a
/// subset, so leaves may have several parents), and a top node over the middle nodes.
fn dag() -> impl Strategy<Value = (Vec<PlanNode>, usize)> {
    (2usize..8, 1usize..5).prop_flat_map(|(leaves, mid)| {
        (
            proptest::collection::vec(
                proptest::collection::vec((any::<bool>(), 0.0f64..5.0), leaves),
                mid,
            ),
            proptest::collection::vec(0.1f64..5.0, mid),
        )
            .prop_map(move |(picks, top_w)| {
                let mut nodes = vec![PlanNode {
                    code: "T".into(),
                    children: (0..picks.len())
                        .map(|m| (format!("M{m}"), top_w[m]))
                        .collect(),
                }];
                for (m, row) in picks.iter().enumerate() {
                    let mut children: Vec<(String, f64)> = row
                        .iter()
                        .enumerate()
                        .filter(|(_, (take, _))| *take)
                        .map(|(l, (_, w))| (format!("L{l}"), *w))
                        .collect();
                    if children.is_empty() {
                        children.push((format!("L{m}"), 1.0));
                    }
                    nodes.push(PlanNode {
                        code: format!("M{m}"),
                        children,
                    });
                }
                (nodes, leaves)
            })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn mean_type_aggregates_lie_within_their_childrens_range(
        (nodes, _) in dag(),
        method in mean_method(),
        n_units in 1usize..4,
        seed_values in proptest::collection::vec(prop_oneof![4 => 0.01f64..100.0, 1 => Just(f64::NAN)], 64),
    ) {
        let mut plan = AggregationPlan::new(nodes).unwrap();
        plan.set_all_methods(method);
        let k = plan.leaf_count() * n_units;
        let values: Vec<f64> = (0..k).map(|i| seed_values[i % seed_values.len()]).collect();
        let u = units(n_units);
        let eval = plan.evaluate(&u, &values).unwrap();
        for node in 0..plan.node_count() {
            let kids = plan.children(node);
            for unit in 0..n_units {
                let present: Vec<f64> = kids
                    .iter()
                    .filter(|(_, w)| *w > 0.0)
                    .filter_map(|(code, _)| {
                        plan.leaf_index(code)
                            .and_then(|l| eval.leaf_value(l, unit))
                            .or_else(|| plan.node_index(code).and_then(|m| eval.node_value(m, unit)))
                    })
                    .collect();
                match eval.node_value(node, unit) {
                    Some(v) => {
                        let lo = present.iter().copied().fold(f64::INFINITY, f64::min);
                        let hi = present.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                        let tol = 1e-9 * hi.abs().max(1.0);
                        prop_assert!(v >= lo - tol && v <= hi + tol, "{v} not in [{lo}, {hi}]");
                    }
                    None => prop_assert!(present.is_empty()),
                }
                let cov = eval.coverage_column(node)[unit];
                prop_assert!((0.0..=1.0 + 1e-12).contains(&cov));
            }
        }
    }

    #[test]
    fn incremental_update_equals_full_evaluation(
        (nodes, _) in dag(),
        changes in proptest::collection::vec((0usize..64, 0usize..3, prop_oneof![0.0f64..100.0, Just(f64::NAN)]), 1..6),
        middle_copeland in proptest::collection::vec(any::<bool>(), 5),
    ) {
        let mut plan = AggregationPlan::new(nodes).unwrap();
        for (m, copeland) in middle_copeland.iter().enumerate() {
            if *copeland && plan.node_index(&format!("M{m}")).is_some() {
                plan.set_method(&format!("M{m}"), Aggregation::Copeland).unwrap();
            }
        }
        let u = units(3);
        let mut values: Vec<f64> = (0..plan.leaf_count() * 3).map(|i| (i * 7 % 11) as f64).collect();
        let mut eval = plan.evaluate(&u, &values).unwrap();
        for (leaf, unit, v) in changes {
            let leaf = leaf % plan.leaf_count();
            plan.update(&mut eval, leaf, unit, v).unwrap();
            values[leaf * 3 + unit] = v;
        }
        let full = plan.evaluate(&u, &values).unwrap();
        for node in 0..plan.node_count() {
            for (a, b) in eval.node_column(node).iter().zip(full.node_column(node)) {
                prop_assert!(a.to_bits() == b.to_bits() || (a - b).abs() < 1e-12);
            }
        }
    }

    #[test]
    fn the_fast_reader_agrees_with_the_general_one(
        rows in proptest::collection::vec((cell(), cell(), 0usize..3), 1..12),
        crlf in any::<bool>(),
    ) {
        let end = if crlf { "\r\n" } else { "\n" };
        let mut data = format!("uCode,G,a,b{end}");
        for (u, (a, b, g)) in rows.iter().enumerate() {
            data.push_str(&format!("U{u},g{g},{a},{b}{end}"));
        }
        // A quoted header cell sends the same table through the csv crate.
        let general = read_coin(&data.replacen("uCode", "\"uCode\"", 1));
        let fast = read_coin(&data);
        match (fast, general) {
            (Ok(f), Ok(g)) => {
                prop_assert_eq!(f.units(), g.units());
                prop_assert_eq!(f.groups(), g.groups());
                for code in ["a", "b"] {
                    for u in 0..f.units().len() {
                        prop_assert_eq!(
                            f.value(code, u).map(f64::to_bits),
                            g.value(code, u).map(f64::to_bits)
                        );
                    }
                }
            }
            (Err(f), Err(g)) => prop_assert_eq!(f.to_string(), g.to_string()),
            (f, g) => prop_assert!(false, "fast {:?} but general {:?}", f.is_ok(), g.is_ok()),
        }
    }

    #[test]
    fn no_text_makes_the_csv_readers_panic(data in ".{0,200}", meta in ".{0,200}") {
        let _ = Coin::from_csv(CsvText { name: "d", text: &data }, CsvText { name: "m", text: &meta });
    }

    #[test]
    fn no_token_soup_makes_the_readers_or_the_pipeline_panic(
        data in proptest::collection::vec(token(), 0..60),
        meta in proptest::collection::vec(token(), 0..80),
    ) {
        let data: String = data.concat();
        let meta = format!("iCode,Level,Direction,Weight,Parent,Type,Denominator\n{}", meta.concat());
        if let Ok(coin) = Coin::from_csv(CsvText { name: "d", text: &data }, CsvText { name: "m", text: &meta }) {
            let _ = Pipeline::default().run(&coin);
        }
    }
}

/// A cell of a numeric column: numbers in many spellings, missing values, and junk.
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<f64>().prop_map(|v| v.to_string()),
        any::<f64>().prop_map(|v| format!("{v:e}")),
        any::<f64>().prop_map(|v| format!("{v:.17e}")),
        (any::<i64>(), 0u32..25).prop_map(|(m, k)| format!("{m}e-{k}")),
        (any::<u64>(), 0usize..21).prop_map(|(m, p)| {
            let d = m.to_string();
            let p = p.min(d.len());
            format!("{}.{}", &d[..p], &d[p..])
        }),
        (-1e6f64..1e6).prop_map(|v| format!("{v:.17}")),
        proptest::sample::select(vec![
            "", "NA", " 2.5", "3 ", "-0", "+1", ".5", "5.", "1e", "x", "1,5", "0.000001", "1E+3"
        ])
        .prop_map(str::to_string),
    ]
}

/// Reads `data` with the meta of two indicators and a group.
fn read_coin(data: &str) -> Result<Coin, kompas_goals::Error> {
    let meta = "iCode,Level,Direction,Weight,Parent,Type\n\
                a,1,1,1,I,Indicator\nb,1,-1,1,I,Indicator\nI,2,1,1,,Aggregate\nG,,,,,Group\n";
    Coin::from_csv(
        CsvText {
            name: "d",
            text: data,
        },
        CsvText {
            name: "m",
            text: meta,
        },
    )
}

fn token() -> impl Strategy<Value = &'static str> {
    proptest::sample::select(vec![
        ",",
        ",",
        ",",
        "\n",
        "\n",
        "uCode",
        "a",
        "b",
        "P",
        "Q",
        "1",
        "-1",
        "2",
        "0",
        "x",
        "NA",
        "",
        "Indicator",
        "Aggregate",
        "Group",
        "Denominator",
        "\"",
        "1e308",
        "-0",
        "nan",
        "inf",
    ])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Ties take the lower (better) rank: a present value's rank is one more than the number of
    /// present values above it, however many values there are (large inputs are sorted in
    /// parallel) and whatever their ties, signed zeros and gaps.
    #[test]
    fn ranks_are_one_more_than_the_values_above(
        x in proptest::collection::vec(
            prop_oneof![
                4 => (-20i32..20).prop_map(|v| f64::from(v) / 4.0),
                1 => Just(-0.0),
                1 => Just(f64::NAN),
            ],
            0..6000,
        ),
    ) {
        let ranks = kompas_goals::rank_descending(&x);
        let mut present: Vec<f64> = x.iter().copied().filter(|v| !v.is_nan()).collect();
        present.sort_by(|a, b| b.total_cmp(a));
        for (u, &v) in x.iter().enumerate() {
            let want = (!v.is_nan()).then(|| 1 + present.partition_point(|&p| p > v) as u32);
            prop_assert_eq!(ranks[u], want, "unit {}, value {}", u, v);
        }
    }
}
