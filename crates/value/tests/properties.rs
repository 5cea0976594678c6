//! Property tests for the invariants issue 5 names, and a few more that the methods rest on.
#![allow(clippy::needless_range_loop)] // matrix code reads best with indices

use kompas_value::{
    ComparisonMatrix, Consistency, Method, Profile, aggregate, ahp, kemeny, schulze,
    strongest_paths,
};
use proptest::prelude::*;

const NAMES: [&str; 7] = ["A", "B", "C", "D", "E", "F", "G"];

/// A ranking of `n` options as text: a permutation cut into tiers.
fn ranking(n: usize) -> impl Strategy<Value = String> {
    (
        Just((0..n).collect::<Vec<usize>>()).prop_shuffle(),
        proptest::collection::vec(any::<bool>(), n),
        1..=n,
    )
        .prop_map(|(perm, ties, len)| {
            let mut s = String::new();
            for (i, &o) in perm.iter().take(len).enumerate() {
                if i > 0 {
                    s.push(if ties[i] { '=' } else { '>' });
                }
                s.push_str(NAMES[o]);
            }
            s
        })
}

/// A profile over 2..=max options with up to 8 distinct ballots (ties and partial rankings).
fn profile(max: usize) -> impl Strategy<Value = Profile> {
    (2..=max).prop_flat_map(|n| {
        proptest::collection::vec((1u64..20, ranking(n)), 1..8).prop_map(move |bs| {
            let mut p = Profile::new(NAMES[..n].iter().copied()).expect("valid options");
            for (i, (c, r)) in bs.iter().enumerate() {
                p.push(*c, r, None, i as u64 + 1).expect("valid ballot");
            }
            p
        })
    })
}

/// A profile with a planted Condorcet winner: option `w` is ranked first by more voters than all
/// other ballots together.
fn planted(max: usize) -> impl Strategy<Value = (Profile, usize)> {
    profile(max)
        .prop_flat_map(|p| {
            let n = p.options().len();
            (Just(p), 0..n)
        })
        .prop_map(|(mut p, w)| {
            let others: Vec<&str> = (0..p.options().len())
                .filter(|&o| o != w)
                .map(|o| NAMES[o])
                .collect();
            let r = format!("{}>{}", NAMES[w], others.join(">"));
            let extra = p.voters() + 1;
            p.push(extra, &r, None, 0).expect("valid ballot");
            (p, w)
        })
}

fn permutations(n: usize) -> Vec<Vec<usize>> {
    if n == 0 {
        return vec![vec![]];
    }
    let mut out = Vec::new();
    for p in permutations(n - 1) {
        for i in 0..=p.len() {
            let mut q = p.clone();
            q.insert(i, n - 1);
            out.push(q);
        }
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn condorcet_winner_wins_schulze_copeland_kemeny((p, w) in planted(6)) {
        let d = p.pairwise();
        prop_assert_eq!(d.condorcet_winner(), Some(w));
        for m in [Method::Schulze, Method::Copeland, Method::Kemeny] {
            let r = aggregate(&p, m).expect("aggregates");
            prop_assert_eq!(r.winners(), [NAMES[w].to_owned()], "{:?}", m);
        }
    }

    #[test]
    fn any_condorcet_winner_wins(p in profile(6)) {
        let d = p.pairwise();
        if let Some(w) = d.condorcet_winner() {
            for m in [Method::Schulze, Method::Copeland, Method::Kemeny] {
                let r = aggregate(&p, m).expect("aggregates");
                prop_assert_eq!(r.winners(), [NAMES[w].to_owned()], "{:?}", m);
            }
        }
    }

    #[test]
    fn schulze_relation_is_transitive(p in profile(7)) {
        let s = strongest_paths(&p.pairwise());
        let n = s.len();
        let better = |x: usize, y: usize| s[x][y] > s[y][x];
        for x in 0..n {
            for y in 0..n {
                for z in 0..n {
                    if better(x, y) && better(y, z) {
                        prop_assert!(better(x, z), "{}>{}>{} but not {}>{}", x, y, z, x, z);
                    }
                }
            }
        }
        // The tiers agree with the relation: an earlier tier is never beaten by a later one.
        let r = schulze(&p.pairwise());
        let pos = |o: &str| r.order.iter().position(|t| t.iter().any(|x| x == o)).unwrap_or(usize::MAX);
        for x in 0..n {
            for y in 0..n {
                if better(x, y) {
                    prop_assert!(pos(NAMES[x]) < pos(NAMES[y]));
                }
            }
        }
    }

    #[test]
    fn every_method_orders_every_option_once(p in profile(6)) {
        for m in [Method::Borda, Method::Copeland, Method::Schulze, Method::Kemeny] {
            let r = aggregate(&p, m).expect("aggregates");
            let mut all: Vec<String> = r.order.concat();
            all.sort();
            let mut want = p.options().to_vec();
            want.sort();
            prop_assert_eq!(all, want, "{:?}", m);
        }
    }

    #[test]
    fn kemeny_matches_brute_force(p in profile(5)) {
        let d = p.pairwise();
        let n = d.len();
        let agree = |o: &[usize]| -> u128 {
            let mut s = 0u128;
            for i in 0..n {
                for j in i + 1..n {
                    s += u128::from(d.get(o[i], o[j]));
                }
            }
            s
        };
        let perms = permutations(n);
        let best = perms.iter().map(|o| agree(o)).max().unwrap_or(0);
        let mut optima: Vec<Vec<String>> = perms
            .iter()
            .filter(|o| agree(o) == best)
            .map(|o| o.iter().map(|&i| NAMES[i].to_owned()).collect())
            .collect();
        optima.sort();
        let k = kemeny(&d).expect("kemeny").kemeny.expect("detail");
        prop_assert_eq!(k.score, best);
        prop_assert_eq!(k.orders, optima);
    }

    #[test]
    fn borda_total_is_the_number_of_strict_pairs(p in profile(6)) {
        let d = p.pairwise();
        let r = aggregate(&p, Method::Borda).expect("aggregates");
        let total: i128 = r.scores.values().sum();
        let pairs: u64 = d.d.iter().flatten().sum();
        prop_assert_eq!(total, i128::from(pairs));
    }

    #[test]
    fn ahp_weights_sum_to_one(upper in proptest::collection::vec(
        prop_oneof![1u32..=9, 1u32..=9].prop_flat_map(|v| prop_oneof![Just(f64::from(v)), Just(1.0 / f64::from(v))]),
        0..45,
    ), n in 1usize..=10) {
        let mut rows = vec![vec![1.0; n]; n];
        let mut it = upper.iter().cycle();
        for i in 0..n {
            for j in i + 1..n {
                let v = it.next().copied().unwrap_or(1.0);
                rows[i][j] = v;
                rows[j][i] = 1.0 / v;
            }
        }
        let names = NAMES.iter().chain(["H", "I", "J"].iter()).take(n).map(|s| s.to_string()).collect();
        let r = ahp(&ComparisonMatrix::new(names, rows).expect("valid matrix"));
        prop_assert!((r.weights.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        prop_assert!(r.weights.iter().all(|w| *w > 0.0));
        prop_assert!(r.lambda_max >= n as f64 - 1e-9, "lambda_max {} < n {}", r.lambda_max, n);
        prop_assert!(r.consistency_ratio.expect("n <= 10") >= 0.0);
    }

    #[test]
    fn consistent_matrix_has_ratio_zero(w in proptest::collection::vec(0.05f64..20.0, 1..=10)) {
        let n = w.len();
        let names = (0..n).map(|i| format!("e{i}")).collect();
        let r = ahp(&ComparisonMatrix::from_weights(names, &w).expect("valid"));
        prop_assert!(r.consistency_ratio.expect("n <= 10").abs() < 1e-9);
        prop_assert_eq!(r.consistency, Consistency::Acceptable);
        let total: f64 = w.iter().sum();
        for (got, want) in r.weights.iter().zip(&w) {
            prop_assert!((got - want / total).abs() < 1e-9);
        }
        if let Some(t) = r.most_inconsistent_triad {
            prop_assert!((t.ratio - 1.0).abs() < 1e-9);
        }
    }

    #[test]
    fn ranking_serde_round_trip(p in profile(5), m in prop_oneof![
        Just(Method::Borda), Just(Method::Copeland), Just(Method::Schulze), Just(Method::Kemeny)
    ]) {
        let r = aggregate(&p, m).expect("aggregates");
        let json = serde_json::to_string(&r).expect("serialises");
        let back: kompas_value::CollectiveRanking = serde_json::from_str(&json).expect("deserialises");
        prop_assert_eq!(back, r);
    }
}
