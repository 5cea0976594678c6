//! Sequential Phragmén for participatory budgeting (Phragmén 1894; for PB: Los, Christoff and
//! Grossi, "Proportional budget allocations: towards a systematization", IJCAI 2022).
//!
//! Voters earn money continuously at rate 1. A project is bought at the first moment its
//! supporters together hold its cost; buying empties their accounts. Projects that no longer
//! fit the budget are skipped, and the rule stops when nothing fits. Every voter naming a project
//! (with positive points) counts as a supporter.
//!
//! Exact: the time of project `j` is `(c_j + Σ_{i ∈ N_j} load_i) / |N_j|`, compared as
//! rationals. Complexity: O(rounds × Σ_j |groups supporting j|).

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::Zero;

use crate::Error;
use crate::profile::Profile;
use crate::tie::Tie;

pub(crate) fn phragmen(prof: &Profile, tie: &Tie<'_>) -> Result<Vec<usize>, Error> {
    let n = prof.n_projects();
    let mut sup: Vec<Vec<usize>> = vec![Vec::new(); n];
    let mut count = vec![0u64; n];
    for (g, grp) in prof.groups.iter().enumerate() {
        for &(j, _) in &grp.items {
            sup[j].push(g);
            count[j] += grp.weight;
        }
    }
    let mut load = vec![BigRational::zero(); prof.groups.len()];
    let mut selected = Vec::new();
    let mut spent: i128 = 0;
    let mut open: Vec<usize> = (0..n).filter(|&j| count[j] > 0).collect();
    loop {
        open.retain(|&j| prof.costs[j] <= prof.budget - spent);
        let mut best: Option<BigRational> = None;
        let mut tied = Vec::new();
        for &j in &open {
            let mut t = BigRational::from_integer(BigInt::from(prof.costs[j]));
            for &g in &sup[j] {
                t += &load[g] * BigRational::from_integer(BigInt::from(prof.groups[g].weight));
            }
            t /= BigRational::from_integer(BigInt::from(count[j]));
            match &best {
                Some(b) if t > *b => {}
                Some(b) if t == *b => tied.push(j),
                _ => {
                    best = Some(t);
                    tied = vec![j];
                }
            }
        }
        let Some(t) = best else { break };
        let win = tie.pick(&tied)?;
        for &g in &sup[win] {
            load[g] = t.clone();
        }
        spent += prof.costs[win];
        selected.push(win);
        open.retain(|&j| j != win);
    }
    Ok(selected)
}
