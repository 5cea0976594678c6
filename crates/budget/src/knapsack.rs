//! Maximum utilitarian welfare: the set of projects of greatest total utility within the budget
//! (a 0/1 knapsack), for comparison with the proportional rules.
//!
//! Exact depth-first branch and bound (Horowitz and Sahni 1974; Martello and Toth, "Knapsack
//! Problems", 1990, ch. 2): projects in order of value per cost, the bound is the fractional
//! (LP) relaxation, all in integer arithmetic. Worst case O(2^m) for m projects, in practice
//! fast for the few hundred projects of a PB election. Among optimal sets, the one found first
//! is returned: the search prefers, in this order, including projects of higher value per cost,
//! then those the tie-break chain prefers.

use crate::profile::{Profile, Utility};
use crate::tie::Tie;

pub(crate) fn max_welfare(prof: &Profile, util: Utility, tie: &Tie<'_>) -> Vec<usize> {
    let n = prof.n_projects();
    let mut value = vec![0i128; n];
    for grp in &prof.groups {
        for &(j, pts) in &grp.items {
            value[j] += i128::from(grp.weight) * prof.utility(util, j, pts);
        }
    }
    // Free projects with value are always taken; projects without value never.
    let mut chosen: Vec<usize> = (0..n)
        .filter(|&j| prof.costs[j] == 0 && value[j] > 0)
        .collect();
    let mut items: Vec<usize> = (0..n)
        .filter(|&j| prof.costs[j] > 0 && value[j] > 0 && prof.costs[j] <= prof.budget)
        .collect();
    items.sort_by(|&a, &b| {
        // value_a / cost_a > value_b / cost_b first
        let l = value[a] * prof.costs[b];
        let r = value[b] * prof.costs[a];
        r.cmp(&l).then_with(|| tie.cmp(a, b))
    });
    let cost: Vec<i128> = items.iter().map(|&j| prof.costs[j]).collect();
    let val: Vec<i128> = items.iter().map(|&j| value[j]).collect();
    let m = items.len();
    // Whether base + the fractional (LP) bound from item k exceeds `best`, in integers.
    let bound_ge = |k: usize, room: i128, base: i128, best: i128| -> bool {
        let mut room = room;
        let mut acc = base;
        for t in k..m {
            if cost[t] <= room {
                room -= cost[t];
                acc += val[t];
            } else {
                // acc + val[t] * room / cost[t] > best  <=>  acc*cost + val*room > best*cost
                return acc * cost[t] + val[t] * room > best * cost[t];
            }
        }
        acc > best
    };
    fn dfs(
        k: usize,
        room: i128,
        base: i128,
        st: &mut (Vec<bool>, Vec<bool>, i128),
        cost: &[i128],
        val: &[i128],
        bound_ge: &dyn Fn(usize, i128, i128, i128) -> bool,
    ) {
        if k == cost.len() {
            if base > st.2 {
                st.2 = base;
                st.1 = st.0.clone();
            }
            return;
        }
        if !bound_ge(k, room, base, st.2) {
            return;
        }
        if cost[k] <= room {
            st.0[k] = true;
            dfs(
                k + 1,
                room - cost[k],
                base + val[k],
                st,
                cost,
                val,
                bound_ge,
            );
            st.0[k] = false;
        }
        dfs(k + 1, room, base, st, cost, val, bound_ge);
    }
    let free_cost: i128 = chosen.iter().map(|&j| prof.costs[j]).sum();
    let mut st = (vec![false; m], vec![false; m], -1i128);
    dfs(
        0,
        prof.budget - free_cost,
        0,
        &mut st,
        &cost,
        &val,
        &bound_ge,
    );
    for (t, &inc) in st.1.iter().enumerate() {
        if inc {
            chosen.push(items[t]);
        }
    }
    chosen
}
