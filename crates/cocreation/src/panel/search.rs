//! Local search for pricing: improving panels without a MILP most of the time.
//!
//! Pricing asks for a panel (size k, every quota) maximising `Σ_t w_t c_t`. Starting from a
//! feasible panel, the search applies the best exchange of one member for another type that
//! keeps every quota (O(d·T·c) per pass for `d` distinct types on the panel, `T` types and `c`
//! categories; types are scanned by decreasing weight, so the scan for one member stops at the
//! first feasible type), and when none improves, the best exchange of two members for two
//! types, within a budget of candidate checks. This is plain 1-opt/2-opt local search
//! (Papadimitriou & Steiglitz, *Combinatorial Optimization*, 1982, ch. 19) on the count-per-type
//! model: members of one type are interchangeable, so only counts matter.
//!
//! The result is a heuristic: it may miss the optimum. Column generation therefore only uses it
//! to find improving panels; each stage still ends with the exact MILP proving that no panel
//! improves the LP.

use super::model::{Counts, Model};

/// Feasibility checks allowed for the two-member exchanges of one search.
const PAIR_BUDGET: usize = 200_000;
/// Gains at or below this do not count as improvements.
const GAIN_TOL: f64 = 1e-12;

/// Whether local search also tries exchanges of two members.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pairs {
    /// One-member exchanges only.
    No,
    /// One- and two-member exchanges.
    Yes,
}

/// Precomputed data for local search on one model.
pub(crate) struct LocalSearch<'a> {
    model: &'a Model,
    lo: Vec<i64>,
    hi: Vec<i64>,
    cap: Vec<u32>,
}

impl<'a> LocalSearch<'a> {
    /// The search, or `None` if the model has household constraints (not handled here).
    pub(crate) fn new(model: &'a Model) -> Option<Self> {
        if !model.households.is_empty() {
            return None;
        }
        Some(Self {
            model,
            lo: model.bounds.iter().map(|b| b.2 as i64).collect(),
            hi: model.bounds.iter().map(|b| b.3 as i64).collect(),
            cap: (0..model.types()).map(|t| model.size(t)).collect(),
        })
    }

    /// Improves the feasible panel `start` by exchanges; returns the local optimum and its value.
    /// `pairs` allows the two-member exchanges (within [`PAIR_BUDGET`] checks per round).
    pub(crate) fn improve(&self, weights: &[f64], start: &[u32], pairs: Pairs) -> (Counts, f64) {
        let tv = &self.model.type_values;
        let mut c: Counts = start.to_vec();
        let mut pv = vec![0i64; self.lo.len()];
        for (t, &n) in c.iter().enumerate() {
            for &v in &tv[t] {
                pv[v] += i64::from(n);
            }
        }
        let mut order: Vec<usize> = (0..c.len()).collect();
        order.sort_by(|&a, &b| weights[b].total_cmp(&weights[a]).then(a.cmp(&b)));
        loop {
            if let Some((a, b)) = self.best_single(weights, &c, &pv, &order) {
                self.shift(&mut c, &mut pv, a, b);
                continue;
            }
            if pairs == Pairs::No {
                break;
            }
            if let Some((a1, a2, b1, b2)) = self.best_pair(weights, &c, &pv, &order) {
                self.shift(&mut c, &mut pv, a1, b1);
                self.shift(&mut c, &mut pv, a2, b2);
                continue;
            }
            break;
        }
        let value = c.iter().zip(weights).map(|(&n, w)| f64::from(n) * w).sum();
        (c, value)
    }

    fn shift(&self, c: &mut [u32], pv: &mut [i64], from: usize, to: usize) {
        c[from] -= 1;
        c[to] += 1;
        for &v in &self.model.type_values[from] {
            pv[v] -= 1;
        }
        for &v in &self.model.type_values[to] {
            pv[v] += 1;
        }
    }

    /// The best exchange of one member of type `a` for one of type `b`.
    fn best_single(
        &self,
        w: &[f64],
        c: &[u32],
        pv: &[i64],
        order: &[usize],
    ) -> Option<(usize, usize)> {
        let tv = &self.model.type_values;
        let mut best: Option<(f64, usize, usize)> = None;
        for a in (0..c.len()).filter(|&a| c[a] > 0) {
            for &b in order {
                let gain = w[b] - w[a];
                if gain <= best.map_or(GAIN_TOL, |x| x.0) {
                    break;
                }
                if b == a || c[b] >= self.cap[b] {
                    continue;
                }
                let ok = tv[a]
                    .iter()
                    .zip(&tv[b])
                    .all(|(&va, &vb)| va == vb || (pv[va] > self.lo[va] && pv[vb] < self.hi[vb]));
                if ok {
                    best = Some((gain, a, b));
                    break;
                }
            }
        }
        best.map(|(_, a, b)| (a, b))
    }

    /// The best exchange of two members (types `a1`, `a2`) for two (types `b1`, `b2`), within
    /// [`PAIR_BUDGET`] checks.
    fn best_pair(
        &self,
        w: &[f64],
        c: &[u32],
        pv: &[i64],
        order: &[usize],
    ) -> Option<(usize, usize, usize, usize)> {
        let tv = &self.model.type_values;
        let members: Vec<usize> = (0..c.len()).filter(|&a| c[a] > 0).collect();
        let mut best: Option<(f64, [usize; 4])> = None;
        let mut budget = PAIR_BUDGET;
        let mut work = pv.to_vec();
        for (i, &a1) in members.iter().enumerate() {
            for &a2 in &members[i..] {
                if a1 == a2 && c[a1] < 2 {
                    continue;
                }
                let removed = w[a1] + w[a2];
                for &v in tv[a1].iter().chain(&tv[a2]) {
                    work[v] -= 1;
                }
                'outer: for (j, &b1) in order.iter().enumerate() {
                    let floor = removed + best.map_or(GAIN_TOL, |x| x.0);
                    if 2.0 * w[b1] <= floor {
                        break;
                    }
                    if b1 == a1 || b1 == a2 || c[b1] >= self.cap[b1] {
                        continue;
                    }
                    if tv[b1].iter().any(|&v| work[v] >= self.hi[v]) {
                        continue;
                    }
                    for &v in &tv[b1] {
                        work[v] += 1;
                    }
                    for &b2 in &order[j..] {
                        if w[b1] + w[b2] <= removed + best.map_or(GAIN_TOL, |x| x.0) {
                            break;
                        }
                        if budget == 0 {
                            for &v in &tv[b1] {
                                work[v] -= 1;
                            }
                            break 'outer;
                        }
                        budget -= 1;
                        let room = if b2 == b1 { 2 } else { 1 };
                        if b2 == a1 || b2 == a2 || c[b2] + room > self.cap[b2] {
                            continue;
                        }
                        let ok = tv[b2].iter().all(|&v| work[v] < self.hi[v])
                            && tv[a1].iter().chain(&tv[a2]).chain(&tv[b1]).all(|&v| {
                                let n = work[v] + i64::from(tv[b2].contains(&v));
                                n >= self.lo[v] && n <= self.hi[v]
                            });
                        if ok {
                            best = Some((w[b1] + w[b2] - removed, [a1, a2, b1, b2]));
                            break;
                        }
                    }
                    for &v in &tv[b1] {
                        work[v] -= 1;
                    }
                }
                for &v in tv[a1].iter().chain(&tv[a2]) {
                    work[v] += 1;
                }
            }
        }
        best.map(|(_, [a1, a2, b1, b2])| (a1, a2, b1, b2))
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::panel::{Instance, ParseOptions};
    use proptest::prelude::*;

    /// A random pool over three categories and quotas around its first `k` people.
    pub(crate) fn random_model() -> impl Strategy<Value = Model> {
        (8usize..24)
            .prop_flat_map(|n| {
                (
                    proptest::collection::vec((0usize..3, 0usize..2, 0usize..3), n),
                    3usize..7,
                )
            })
            .prop_map(|(people, k)| {
                let k = k.min(people.len());
                let mut counts = [[0usize; 3]; 3];
                for &(a, b, c) in &people[..k] {
                    counts[0][a] += 1;
                    counts[1][b] += 1;
                    counts[2][c] += 1;
                }
                let mut quotas = String::from("category,feature,min,max\n");
                for (name, row) in ["r", "a", "e"].iter().zip(&counts) {
                    for (v, &c) in row.iter().enumerate() {
                        quotas.push_str(&format!(
                            "{name},{name}{v},{},{}\n",
                            c.saturating_sub(1),
                            c + 1
                        ));
                    }
                }
                let mut pool = String::from("r,a,e\n");
                for &(a, b, c) in &people {
                    pool.push_str(&format!("r{a},a{b},e{c}\n"));
                }
                let inst = Instance::parse(&quotas, &pool, &ParseOptions::default())
                    .unwrap_or_else(|e| panic!("generated instance: {e}"));
                Model::new(&inst, k).unwrap_or_else(|e| panic!("generated model: {e}"))
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]

        #[test]
        fn local_search_keeps_quotas_and_never_beats_the_milp(
            model in random_model(),
            raw in proptest::collection::vec(0.0f64..1.0, 64),
        ) {
            let weights: Vec<f64> = (0..model.types()).map(|t| raw[t % raw.len()]).collect();
            let (start, _) = model.best_panel(&vec![0.0; model.types()], None).unwrap().unwrap();
            let start_value: f64 = start.iter().zip(&weights).map(|(&n, w)| f64::from(n) * w).sum();
            let search = LocalSearch::new(&model).unwrap();
            for pairs in [Pairs::No, Pairs::Yes] {
                let (panel, value) = search.improve(&weights, &start, pairs);
                prop_assert!(model.is_feasible(&panel), "{:?}", panel);
                prop_assert!(value >= start_value - 1e-12);
                let (_, best) = model.best_panel(&weights, None).unwrap().unwrap();
                prop_assert!(value <= best + 1e-9, "{} above the optimum {}", value, best);
            }
        }
    }
}
