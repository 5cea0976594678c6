//! The Method of Equal Shares (Peters, Pierczyński and Skowron, "Proportional participatory
//! budgeting with additive utilities", NeurIPS 2021) and its Add1 completion.
//!
//! Each voter starts with an endowment `E`. In each round, every remaining project `j` gets the
//! smallest price per unit of utility `ρ_j` such that its supporters can pay its cost when each
//! supporter `i` pays `min(b_i, ρ_j u_ij)`; the project with the smallest `ρ` is funded and its
//! supporters pay. A project whose supporters hold less than its cost drops out.
//!
//! Two implementations share that definition:
//! - an exact one with `BigRational` budgets, and
//! - a fast one in `f64` that tracks a rigorous bound on its rounding error and gives up
//!   (returns `None`) whenever a decision (which project is cheapest, whether a project is
//!   affordable) is not separated by more than the bound; the caller then reruns exactly. A real
//!   tie is never separated, so ties are always settled by the exact run and the tie-break chain.
//!
//! Voters with identical ballots always hold identical budgets, so they are kept as one group
//! with a weight. Prices only rise from round to round (budgets only fall), so the last price
//! computed for a project is a lower bound that lets a round stop early (as in pabutools). In
//! the float path a project's price is also kept from round to round while every supporter
//! whose budget changed stays surely rich for it (a rich supporter pays price × utility whatever
//! its budget), so only projects touched that way are re-priced. Groups certainly at zero
//! are dropped from a project's supporter list at its next re-pricing (they add exactly zero).
//! When all of a project's supporters have the same utility, the pass that would only confirm
//! that nobody more is poor is skipped (the least rich budget is known). The float path
//! numbers voter groups in an order of its own (ballots sorted by their projects' vote ranks)
//! so that a project's supporters are neighbours in memory. The Add1 steps are independent
//! runs: with the `parallel` feature one batch of consecutive
//! endowments runs at once and is read in order.
//!
//! Complexity of one run: O(rounds × (re-priced projects × supporter groups × k + Σ ballot
//! lengths of the winner's supporters)), with k the (small, usually 1-3) number of fixed-point
//! passes to find who pays in full. Add1 repeats the run once per currency unit of endowment.

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{ToPrimitive, Zero};

use crate::Error;
use crate::profile::{Profile, Utility};
use crate::tie::Tie;

// Error analysis of the float path (Higham, "Accuracy and Stability of Numerical Algorithms",
// ch. 3): a sum of n terms is off by at most n·EPS·Σ|terms|; every budget carries its own bound
// `eb[g]`, which grows only when the group pays. A decision needs a gap of SAFETY times the
// summed bounds, else the run is redone exactly.
const EPS: f64 = f64::EPSILON;
const SAFETY: f64 = 4.0;

/// Float budgets with their error bounds.
struct FloatState {
    /// For each group: its budget and the bound on that budget's rounding error, side by side
    /// (one cache line per look-up).
    be: Vec<[f64; 2]>,
    /// Groups certainly at exactly zero.
    zero: Vec<bool>,
    /// Scratch for pricing: the supporters not (yet) known to pay their whole budget, as
    /// `(budget, error bound, utility, weight)`, so that the fixed-point passes stream
    /// through memory.
    rich: Vec<(f64, f64, f64, f64)>,
    /// Each project's supporters not certainly at zero, copied from `sup_f` at the project's
    /// first re-pricing and compacted at each re-pricing (a group at zero stays at zero and
    /// adds exactly nothing to any sum).
    live: Vec<Supp>,
    /// Where each project's list is in `live`: `(start, len)`, or `None` before the copy.
    live_at: Vec<Option<(usize, usize)>>,
}

/// Supporters of one project with their current budgets, skipping (and dropping from the
/// project's list in `FloatState::live`, compacted in place) groups certainly at zero:
/// `b == 0` and `eb == 0` hold together only for them (an error bound starts positive and is
/// reset to zero only when a group surely paid all it had).
struct LiveSupporters<'a> {
    /// The project's list in `live`.
    list: &'a mut [Supp],
    be: &'a [[f64; 2]],
    read: usize,
    kept: usize,
}

impl Iterator for LiveSupporters<'_> {
    type Item = (f64, f64, f64, f64);

    #[inline(always)]
    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let s = *self.list.get(self.read)?;
            self.read += 1;
            let [b, eb] = self.be[s.group as usize];
            if b == 0.0 && eb == 0.0 {
                continue;
            }
            self.list[self.kept] = s;
            self.kept += 1;
            return Some((b, eb, s.utility, s.weight));
        }
    }
}

/// A float price with its error bound.
#[derive(Clone, Copy)]
struct Priced {
    rho: f64,
    err: f64,
}

/// A supporter of a project in the float path.
#[derive(Clone, Copy)]
struct Supp {
    group: u32,
    utility: f64,
    weight: f64,
}

enum Eval {
    Unaffordable,
    Uncertain,
    Price(Priced),
}

/// Rows stored contiguously (compressed sparse rows), for locality.
struct Csr<T> {
    offsets: Vec<usize>,
    data: Vec<T>,
}

impl<T> Csr<T> {
    fn new(rows: impl Iterator<Item = Vec<T>>) -> Csr<T> {
        let mut offsets = vec![0];
        let mut data = Vec::new();
        for r in rows {
            data.extend(r);
            offsets.push(data.len());
        }
        Csr { offsets, data }
    }

    fn row(&self, i: usize) -> &[T] {
        &self.data[self.offsets[i]..self.offsets[i + 1]]
    }
}

/// Per-project supporter lists with utilities, shared by all runs on one profile.
pub(crate) struct MesCtx<'a> {
    pub(crate) prof: &'a Profile,
    /// For each project: `(group, utility)`.
    sup: Vec<Vec<(u32, i128)>>,
    /// The float path's supporter lists. Its groups are numbered in an order of their own,
    /// ballots sorted by their projects ranked by votes, so that the supporters of a popular
    /// project sit in a few runs of neighbouring groups and gathering their budgets reads
    /// neighbouring memory.
    sup_f: Csr<Supp>,
    /// The profile's group number of each of the float path's groups.
    order: Vec<u32>,
    /// The utilities in use.
    util: Utility,
    /// 64-bit words per project bit set.
    words: usize,
    /// For each group: the bit set of the projects on its ballot (`words` words per group).
    ballot_bits: Vec<u64>,
    /// For each project: Σ weight × utility over its supporters.
    total_wu: Vec<f64>,
    /// For each project: its supporters' utilities with their summed weights, one entry per
    /// distinct utility (while every budget is the same, supporters with equal utilities act
    /// alike, so the first round prices a project from these few entries).
    by_utility: Vec<Vec<(f64, f64)>>,
    /// For each project: the largest utility of a supporter (0 without supporters).
    max_utility: Vec<f64>,
    /// Projects with support and a positive cost.
    pub(crate) candidates: Vec<usize>,
    /// Projects with support and zero cost: funded before the first round.
    pub(crate) free: Vec<usize>,
}

impl<'a> MesCtx<'a> {
    pub(crate) fn new(prof: &'a Profile, util: Utility) -> MesCtx<'a> {
        let n = prof.n_projects();
        let mut sup: Vec<Vec<(u32, i128)>> = vec![Vec::new(); n];
        for (g, grp) in prof.groups.iter().enumerate() {
            for &(j, pts) in &grp.items {
                sup[j].push((g as u32, prof.utility(util, j, pts)));
            }
        }
        // The float path's group numbers: ballots as lists of vote ranks, sorted.
        let mut rank = vec![0usize; n];
        let mut by_votes: Vec<usize> = (0..n).collect();
        by_votes.sort_by_key(|&j| (std::cmp::Reverse(prof.votes[j]), j));
        for (r, &j) in by_votes.iter().enumerate() {
            rank[j] = r;
        }
        let keys: Vec<Vec<u32>> = prof
            .groups
            .iter()
            .map(|grp| {
                let mut k: Vec<u32> = grp.items.iter().map(|&(j, _)| rank[j] as u32).collect();
                k.sort_unstable();
                k
            })
            .collect();
        let mut order: Vec<u32> = (0..prof.groups.len() as u32).collect();
        order.sort_by(|&a, &b| keys[a as usize].cmp(&keys[b as usize]).then(a.cmp(&b)));
        drop(keys);
        let mut inner = vec![0u32; order.len()];
        for (i, &g) in order.iter().enumerate() {
            inner[g as usize] = i as u32;
        }
        let sup_f = Csr::new(sup.iter().map(|s| {
            let mut r: Vec<Supp> = s
                .iter()
                .map(|&(g, u)| Supp {
                    group: inner[g as usize],
                    utility: u as f64,
                    weight: prof.groups[g as usize].weight as f64,
                })
                .collect();
            r.sort_unstable_by_key(|x| x.group);
            r
        }));

        let total_wu = sup
            .iter()
            .map(|s| {
                s.iter()
                    .map(|&(g, u)| prof.groups[g as usize].weight as f64 * u as f64)
                    .sum()
            })
            .collect();
        let by_utility: Vec<Vec<(f64, f64)>> = sup
            .iter()
            .map(|s| {
                let mut acc: std::collections::BTreeMap<i128, u64> = Default::default();
                for &(g, u) in s {
                    *acc.entry(u).or_default() += prof.groups[g as usize].weight;
                }
                acc.into_iter().map(|(u, w)| (u as f64, w as f64)).collect()
            })
            .collect();
        let mut candidates = Vec::new();
        let mut free = Vec::new();
        for (j, s) in sup.iter().enumerate() {
            if s.iter().any(|&(_, u)| u > 0) {
                if prof.costs[j] > 0 {
                    candidates.push(j);
                } else {
                    free.push(j);
                }
            }
        }
        let max_utility = by_utility
            .iter()
            .map(|v| v.last().map_or(0.0, |&(u, _)| u))
            .collect();
        let words = n.div_ceil(64).max(1);
        let mut ballot_bits = vec![0u64; words * prof.groups.len()];
        for (g, grp) in prof.groups.iter().enumerate() {
            let i = inner[g] as usize;
            for &(j, _) in &grp.items {
                ballot_bits[i * words + j / 64] |= 1 << (j % 64);
            }
        }
        MesCtx {
            prof,
            sup,
            sup_f,
            order,
            util,
            words,
            ballot_bits,
            total_wu,
            by_utility,
            max_utility,
            candidates,
            free,
        }
    }

    /// The starting endowment `budget / voters` (exact).
    pub(crate) fn base_endowment(&self) -> BigRational {
        BigRational::new(
            BigInt::from(self.prof.budget),
            BigInt::from(self.prof.n_voters.max(1)),
        )
    }

    /// One MES run at endowment `e`: the float path, falling back to the exact one.
    /// Returns the funded projects in order and whether the exact path was needed.
    pub(crate) fn run(&self, e: &BigRational, tie: &Tie<'_>) -> Result<(Vec<usize>, bool), Error> {
        let ef = e.to_f64().unwrap_or(f64::INFINITY);
        if ef.is_finite()
            && let Some(sel) = self.run_float(ef, tie)?
        {
            return Ok((sel, false));
        }
        Ok((self.run_exact(e, tie)?, true))
    }

    /// The float path; `None` when a decision is within the error bound and cannot be
    /// certified exactly.
    ///
    /// A near tie is still settled here when every project in it has a certified price: all its
    /// supporters are either certainly rich (budget above price × utility by more than the error
    /// bound) or certainly at exactly zero (they paid their whole budget earlier). Such a price
    /// is exactly `cost / Σ_rich weight × utility`, a ratio of integers, so the tie is compared
    /// exactly and broken by the tie-break chain, as the exact path would.
    pub(crate) fn run_float(&self, e: f64, tie: &Tie<'_>) -> Result<Option<Vec<usize>>, Error> {
        let n_groups = self.prof.groups.len();
        let m = self.sup.len();
        let mut st = FloatState {
            be: vec![[e, 2.0 * EPS * e]; n_groups],
            zero: vec![false; n_groups],
            rich: Vec::new(),
            live: Vec::with_capacity(self.sup_f.data.len()),
            live_at: vec![None; m],
        };
        let mut selected = self.free.clone();
        let mut remaining: Vec<usize> = self.candidates.clone();
        let mut price: Vec<Priced> = vec![Priced { rho: 0.0, err: 0.0 }; m];
        let mut dirty = vec![true; m];
        // Every group holds `e` until the first project is paid for.
        let mut uniform = Some([e, 2.0 * EPS * e]);
        // For clean live projects u_max (ρ + SAFETY·err), else -∞: the re-pricing threshold
        // (u_max, the project's largest utility, makes it hold for every supporter).
        let mut thr = vec![f64::NEG_INFINITY; m];
        // The clean live projects as a bit set.
        let words = self.words;
        let mut clean = vec![0u64; words];
        loop {
            // Clean projects carry their current price; dirty ones their last price, a lower
            // bound (prices only rise). Re-price dirty projects, lowest bound first, while they
            // could still beat the best price so far; drop unaffordable ones.
            let mut best = f64::INFINITY;
            let mut best_err = 0.0;
            for &j in &remaining {
                if !dirty[j] && price[j].rho < best {
                    best = price[j].rho;
                    best_err = price[j].err;
                }
            }
            let mut todo: Vec<usize> = remaining.iter().copied().filter(|&j| dirty[j]).collect();
            todo.sort_by(|&x, &y| price[x].rho.total_cmp(&price[y].rho));
            for j in todo {
                if price[j].rho - SAFETY * price[j].err > best + SAFETY * best_err {
                    break;
                }
                match self.price_float(j, &mut st, uniform) {
                    Eval::Uncertain => return Ok(None),
                    Eval::Unaffordable => {
                        if let Some(pos) = remaining.iter().position(|&x| x == j) {
                            remaining.swap_remove(pos);
                        }
                    }
                    Eval::Price(p) => {
                        price[j] = p;
                        dirty[j] = false;
                        thr[j] = self.max_utility[j] * (p.rho + SAFETY * p.err);
                        clean[j / 64] |= 1 << (j % 64);
                        if p.rho < best {
                            best = p.rho;
                            best_err = p.err;
                        }
                    }
                }
            }
            let Some(&first) = remaining
                .iter()
                .filter(|&&x| !dirty[x])
                .min_by(|&&x, &&y| price[x].rho.total_cmp(&price[y].rho))
            else {
                break;
            };
            let (rho0, err0) = (price[first].rho, price[first].err);
            // Dirty projects left unpriced are surely dearer than the best.
            let near: Vec<usize> = remaining
                .iter()
                .copied()
                .filter(|&x| {
                    !dirty[x] && price[x].rho - SAFETY * price[x].err <= rho0 + SAFETY * err0
                })
                .collect();
            let win = if near.len() == 1 {
                near[0]
            } else {
                // Compare certified prices exactly: c_a / d_a < c_b / d_b <=> c_a d_b < c_b d_a.
                let mut exact: Vec<(i128, i128, usize)> = Vec::with_capacity(near.len());
                for &x in &near {
                    match self.certify(x, price[x], &st) {
                        Some((cn, d)) => exact.push((cn, d, x)),
                        None => return Ok(None),
                    }
                }
                let cross = |a: &(i128, i128, usize), b: &(i128, i128, usize)| {
                    Some(a.0.checked_mul(b.1)?.cmp(&b.0.checked_mul(a.1)?))
                };
                let mut mn = exact[0];
                for x in &exact[1..] {
                    match cross(x, &mn) {
                        Some(std::cmp::Ordering::Less) => mn = *x,
                        Some(_) => {}
                        None => return Ok(None),
                    }
                }
                let mut tied: Vec<usize> = Vec::with_capacity(exact.len());
                for x in &exact {
                    match cross(x, &mn) {
                        Some(std::cmp::Ordering::Equal) => tied.push(x.2),
                        Some(_) => {}
                        None => return Ok(None),
                    }
                }
                tie.pick(&tied)?
            };
            let Priced { rho, err } = price[win];
            thr[win] = f64::NEG_INFINITY;
            clean[win / 64] &= !(1 << (win % 64));
            if let Some(pos) = remaining.iter().position(|&j| j == win) {
                remaining.swap_remove(pos);
            }
            selected.push(win);
            uniform = None;
            for s in self.sup_f.row(win) {
                let gi = s.group as usize;
                let u = s.utility;
                let pay = rho * u;
                let pay_err = err * u + EPS * pay;
                let [b, eb] = &mut st.be[gi];
                if *b <= pay {
                    if *b < pay - SAFETY * (*eb + pay_err) {
                        st.zero[gi] = true;
                        *eb = 0.0;
                    } else {
                        // Maybe not quite zero: the true budget is at most the errors.
                        *eb += pay_err + (pay - *b);
                    }
                    if *b == 0.0 {
                        continue;
                    }
                    *b = 0.0;
                } else {
                    *b -= pay;
                    *eb += pay_err + EPS * *b;
                }
                // A project's price stays the same while each of its supporters whose budget
                // changed stays surely rich for it; otherwise it must be re-priced.
                // (b - ρu <= SAFETY (eb + err u)  <=>  b - SAFETY eb <= u (ρ + SAFETY err))
                // Only the clean projects on the ballot need the check: walk the intersection
                // of the two bit sets. (With u_max ≥ u the test can only re-price more.)
                let bb = *b - SAFETY * *eb;
                let bits = &self.ballot_bits[gi * words..(gi + 1) * words];
                for (w, &bw) in bits.iter().enumerate() {
                    let mut hit = bw & clean[w];
                    while hit != 0 {
                        let bit = hit.trailing_zeros();
                        hit &= hit - 1;
                        let j = w * 64 + bit as usize;
                        if bb <= thr[j] {
                            dirty[j] = true;
                            thr[j] = f64::NEG_INFINITY;
                            clean[w] &= !(1 << bit);
                        }
                    }
                }
            }
        }
        Ok(Some(selected))
    }

    /// Prices project `j` at the current float budgets.
    ///
    /// The price solves Σ w·min(b, ρu) = c. Starting from the price at which every supporter
    /// pays ρu, supporters whose budget is below ρu pay their whole budget and the price is
    /// raised; this repeats until nobody more is poor (each pass streams through the
    /// supporters still rich).
    ///
    /// `uniform` is `Some([b, eb])` while every group holds the same budget (the first round):
    /// the supporters are then taken by distinct utility, not one by one.
    fn price_float(&self, j: usize, st: &mut FloatState, uniform: Option<[f64; 2]>) -> Eval {
        match uniform {
            Some([b, eb]) => self.price_from(
                j,
                self.by_utility[j].iter().map(|&(u, w)| (b, eb, u, w)),
                self.by_utility[j].len(),
                &mut st.rich,
            ),
            None => {
                let (start, len) = match st.live_at[j] {
                    Some(at) => at,
                    None => {
                        let row = self.sup_f.row(j);
                        st.live.extend_from_slice(row);
                        (st.live.len() - row.len(), row.len())
                    }
                };
                let mut it = LiveSupporters {
                    list: &mut st.live[start..start + len],
                    be: &st.be,
                    read: 0,
                    kept: 0,
                };
                let eval = self.price_from(j, &mut it, self.sup_f.row(j).len(), &mut st.rich);
                st.live_at[j] = Some((start, it.kept));
                eval
            }
        }
    }

    /// [`Self::price_float`] over supporters given as `(budget, error bound, utility, weight)`.
    /// The error bounds count one term per supporter group, so they hold for aggregated
    /// supporters too (fewer roundings). `n_items` is how many items a list without omissions
    /// has: fewer means that groups at zero were left out, and they count as poor (their
    /// utility must leave the all-rich denominator).
    #[inline(always)]
    fn price_from(
        &self,
        j: usize,
        items: impl Iterator<Item = (f64, f64, f64, f64)>,
        n_items: usize,
        rich: &mut Vec<(f64, f64, f64, f64)>,
    ) -> Eval {
        let c = self.prof.costs[j] as f64;
        let n_terms = self.sup_f.row(j).len() as f64 + 2.0;
        // First pass: money available; who is poor at the all-rich price.
        let rho_all = c / self.total_wu[j];
        let (mut avail, mut avail_eb) = (0.0, 0.0);
        let (mut paid, mut paid_eb, mut denom) = (0.0, 0.0, 0.0);
        rich.clear();
        let mut seen = 0;
        let mut any_poor = false;
        // The least budget of a rich supporter: when every supporter has the same utility
        // `flat`, a pass at price ρ finds nobody new poor exactly when it is >= ρ·flat, so that
        // pass (the last, which only confirms) is skipped.
        let flat = match self.by_utility[j].as_slice() {
            [(u, _)] => Some(*u),
            _ => None,
        };
        let mut least = f64::INFINITY;
        for (b, eb, utility, weight) in items {
            seen += 1;
            let (wb, web) = (weight * b, weight * eb);
            avail += wb;
            avail_eb += web;
            if b < rho_all * utility {
                paid += wb;
                paid_eb += web;
                any_poor = true;
            } else {
                denom += weight * utility;
                least = if b < least { b } else { least };
                rich.push((b, eb, utility, weight));
            }
        }
        any_poor |= seen < n_items;
        let avail_err = SAFETY * (avail_eb + n_terms * EPS * avail);
        if avail < c - avail_err {
            return Eval::Unaffordable;
        }
        if avail <= c + avail_err {
            return Eval::Uncertain;
        }
        let mut rho = rho_all;
        if any_poor {
            loop {
                if denom <= 0.0 {
                    return Eval::Uncertain;
                }
                rho = (c - paid) / denom;
                if let Some(u) = flat
                    && least >= rho * u
                {
                    break;
                }
                let before = rich.len();
                let mut kept = 0;
                let mut d = 0.0;
                least = f64::INFINITY;
                for t in 0..before {
                    let (b, eb, u, w) = rich[t];
                    if b < rho * u {
                        paid += w * b;
                        paid_eb += w * eb;
                    } else {
                        d += w * u;
                        least = if b < least { b } else { least };
                        rich[kept] = (b, eb, u, w);
                        kept += 1;
                    }
                }
                rich.truncate(kept);
                denom = d;
                if kept == before {
                    break;
                }
            }
        }
        let rest = c - paid;
        let rest_err = paid_eb + n_terms * EPS * (c + paid);
        if rest <= SAFETY * rest_err {
            return Eval::Uncertain;
        }
        let err = rho * (rest_err / rest + (n_terms + 2.0) * EPS);
        Eval::Price(Priced { rho, err })
    }

    /// The exact price of project `j`, as `(cost, Σ w·u)`, when its float price `p` (current:
    /// the project is clean) is certified: every supporter is either certainly rich (budget
    /// above ρu by more than the error bound) or certainly at exactly zero, so the price is
    /// exactly cost / Σ_rich w·u. `None` otherwise.
    fn certify(&self, j: usize, p: Priced, st: &FloatState) -> Option<(i128, i128)> {
        let mut denom_exact: i128 = 0;
        for s in self.sup_f.row(j) {
            let gi = s.group as usize;
            if st.zero[gi] {
                continue;
            }
            let [b, eb] = st.be[gi];
            let uf = s.utility;
            if b - p.rho * uf > SAFETY * (eb + p.err * uf) {
                // The exact utility, from the ballot (a near tie is rare: a binary search is
                // cheap enough, and saves a second copy of the supporter lists).
                let g = self.order[gi] as usize;
                let items = &self.prof.groups[g].items;
                let k = items.binary_search_by_key(&j, |&(p, _)| p).ok()?;
                let u = self.prof.utility(self.util, j, items[k].1);
                denom_exact = denom_exact
                    .checked_add(i128::from(self.prof.groups[g].weight).checked_mul(u)?)?;
            } else {
                return None;
            }
        }
        (denom_exact > 0).then_some((self.prof.costs[j], denom_exact))
    }

    /// The exact path: the same rule with `BigRational` budgets and prices.
    pub(crate) fn run_exact(&self, e: &BigRational, tie: &Tie<'_>) -> Result<Vec<usize>, Error> {
        let zero = BigRational::zero();
        let mut b = vec![e.clone(); self.prof.groups.len()];
        let mut selected = self.free.clone();
        let mut remaining: Vec<usize> = self.candidates.clone();
        let mut lb: Vec<BigRational> = vec![zero.clone(); self.sup.len()];
        let w: Vec<BigRational> = self
            .prof
            .groups
            .iter()
            .map(|g| BigRational::from_integer(BigInt::from(g.weight)))
            .collect();
        loop {
            remaining.sort_by(|&x, &y| lb[x].cmp(&lb[y]));
            let mut best: Option<BigRational> = None;
            let mut tied: Vec<usize> = Vec::new();
            let mut k = 0;
            while k < remaining.len() {
                let j = remaining[k];
                if let Some(bst) = &best
                    && lb[j] > *bst
                {
                    break;
                }
                let c = BigRational::from_integer(BigInt::from(self.prof.costs[j]));
                let sup = &self.sup[j];
                let mut avail = zero.clone();
                for &(g, _) in sup {
                    avail += &w[g as usize] * &b[g as usize];
                }
                if avail < c {
                    remaining.remove(k);
                    continue;
                }
                let mut poor = vec![false; sup.len()];
                let rho = loop {
                    let mut paid = zero.clone();
                    let mut denom = BigInt::zero();
                    for (t, &(g, u)) in sup.iter().enumerate() {
                        if poor[t] {
                            paid += &w[g as usize] * &b[g as usize];
                        } else {
                            denom +=
                                BigInt::from(self.prof.groups[g as usize].weight) * BigInt::from(u);
                        }
                    }
                    if denom.is_zero() {
                        // avail >= c with everybody paying in full: only possible when
                        // avail == c; the price is then the largest budget/utility ratio.
                        let mut r = zero.clone();
                        for &(g, u) in sup {
                            let q = &b[g as usize] / BigRational::from_integer(BigInt::from(u));
                            if q > r {
                                r = q;
                            }
                        }
                        break r;
                    }
                    let rho = (&c - &paid) / BigRational::from_integer(denom);
                    let mut changed = false;
                    for (t, &(g, u)) in sup.iter().enumerate() {
                        if !poor[t]
                            && b[g as usize] < &rho * BigRational::from_integer(BigInt::from(u))
                        {
                            poor[t] = true;
                            changed = true;
                        }
                    }
                    if !changed {
                        break rho;
                    }
                };
                match &best {
                    Some(bst) if rho > *bst => {}
                    Some(bst) if rho == *bst => tied.push(j),
                    _ => {
                        best = Some(rho.clone());
                        tied = vec![j];
                    }
                }
                lb[j] = rho;
                k += 1;
            }
            let Some(rho) = best else { break };
            let win = tie.pick(&tied)?;
            for &(g, u) in &self.sup[win] {
                let pay = &rho * BigRational::from_integer(BigInt::from(u));
                let bg = &mut b[g as usize];
                if *bg <= pay {
                    *bg = zero.clone();
                } else {
                    *bg -= pay;
                }
            }
            selected.push(win);
            if let Some(pos) = remaining.iter().position(|&j| j == win) {
                remaining.remove(pos);
            }
        }
        Ok(selected)
    }

    /// True when no candidate outside `sel` fits into what `sel` leaves of the budget.
    pub(crate) fn exhaustive(&self, sel: &[usize]) -> bool {
        let left = self.prof.budget - self.prof.cost_of(sel);
        !self
            .candidates
            .iter()
            .any(|j| !sel.contains(j) && self.prof.costs[*j] <= left)
    }

    /// Utility of each group for a set of projects.
    pub(crate) fn group_utilities(&self, sel: &[usize]) -> Vec<i128> {
        let mut out = vec![0i128; self.prof.groups.len()];
        for &j in sel {
            for &(g, u) in &self.sup[j] {
                out[g as usize] += u;
            }
        }
        out
    }

    /// Supporters of project `j` as `(group, utility)`.
    pub(crate) fn supporters(&self, j: usize) -> &[(u32, i128)] {
        &self.sup[j]
    }
}

/// Which stop rule the Add1 completion uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Add1Stop {
    /// Stop at the first exhaustive outcome (or the previous one if a step overshoots).
    FirstExhaustive,
    /// Keep raising while the outcome fits; return the last one that fits.
    LastFeasible,
}

/// Result of an Add1 completion.
pub(crate) struct Add1Result {
    pub(crate) selected: Vec<usize>,
    pub(crate) runs: u64,
    pub(crate) exact_runs: u64,
    pub(crate) endowment: BigRational,
}

/// How many Add1 steps are run at once: one per rayon thread.
#[cfg(feature = "parallel")]
fn batch_size() -> usize {
    rayon::current_num_threads().max(1)
}

/// Without the `parallel` feature, one step at a time.
#[cfg(not(feature = "parallel"))]
fn batch_size() -> usize {
    1
}

/// MES runs at several endowments (in parallel with the `parallel` feature), in order.
fn run_batch(
    ctx: &MesCtx<'_>,
    tie: &Tie<'_>,
    endowments: &[BigRational],
) -> Vec<Result<(Vec<usize>, bool), Error>> {
    #[cfg(feature = "parallel")]
    {
        use rayon::prelude::*;
        endowments.par_iter().map(|e| ctx.run(e, tie)).collect()
    }
    #[cfg(not(feature = "parallel"))]
    {
        endowments.iter().map(|e| ctx.run(e, tie)).collect()
    }
}

/// MES with Add1: the endowment rises by one currency unit per step.
///
/// The steps are independent runs, so with the `parallel` feature a batch of consecutive
/// endowments (one per thread) is run at once and the batch is then read in order of
/// endowment, exactly as the sequential definition reads the steps: the outcome, the number of
/// runs reported and the final endowment are the same; at most a batch minus one run past the
/// stop is wasted (and its errors, if any, ignored, as a sequential run would never meet them).
///
/// Complexity: O(steps × one run); the number of steps is at most (final endowment - B/n) /
/// unit + 1.
pub(crate) fn add1(ctx: &MesCtx<'_>, tie: &Tie<'_>, stop: Add1Stop) -> Result<Add1Result, Error> {
    let unit = BigRational::from_integer(BigInt::from(ctx.prof.unit));
    let base = ctx.base_endowment();
    let batch = batch_size();
    let mut next_step = 0u64;
    let mut prev: Option<(Vec<usize>, BigRational)> = None;
    let mut runs = 0u64;
    let mut exact_runs = 0u64;
    let all = ctx.candidates.len() + ctx.free.len();
    loop {
        let endowments: Vec<BigRational> = (next_step..next_step + batch as u64)
            .map(|k| &base + &unit * BigInt::from(k))
            .collect();
        next_step += batch as u64;
        let results = run_batch(ctx, tie, &endowments);
        for (e, result) in endowments.into_iter().zip(results) {
            let (sel, exact) = result?;
            runs += 1;
            exact_runs += u64::from(exact);
            let feasible = ctx.prof.cost_of(&sel) <= ctx.prof.budget;
            if !feasible {
                if let Some((p, pe)) = prev {
                    return Ok(Add1Result {
                        selected: p,
                        runs,
                        exact_runs,
                        endowment: pe,
                    });
                }
                // Cannot happen for e = B/n (MES never overspends), but stay total.
                return Ok(Add1Result {
                    selected: Vec::new(),
                    runs,
                    exact_runs,
                    endowment: e,
                });
            }
            let done =
                sel.len() == all || (stop == Add1Stop::FirstExhaustive && ctx.exhaustive(&sel));
            if done {
                return Ok(Add1Result {
                    selected: sel,
                    runs,
                    exact_runs,
                    endowment: e,
                });
            }
            prev = Some((sel, e));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Election;
    use crate::tie::TieBreak;
    use proptest::prelude::*;

    fn election() -> impl Strategy<Value = String> {
        (2usize..7, 1usize..12).prop_flat_map(|(m, n)| {
            (
                prop::collection::vec(1i64..12, m),
                5i64..60,
                prop::collection::vec(prop::collection::btree_set(0..m, 1..=m), n),
            )
                .prop_map(move |(costs, budget, ballots)| {
                    let mut t =
                        format!("META\nkey;value\nbudget;{budget}\nPROJECTS\nproject_id;cost\n");
                    for (j, c) in costs.iter().enumerate() {
                        t.push_str(&format!("{j};{c}\n"));
                    }
                    t.push_str("VOTES\nvoter_id;vote\n");
                    for (i, b) in ballots.iter().enumerate() {
                        let ids: Vec<String> = b.iter().map(|j| j.to_string()).collect();
                        t.push_str(&format!("v{i};{}\n", ids.join(",")));
                    }
                    t
                })
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// The float path, when it answers, answers exactly as the exact path (small costs
        /// make exact ties common, so the certified tie handling is exercised).
        #[test]
        fn float_path_agrees_with_exact_path(text in election(), extra in 0i64..20) {
            let e = Election::parse(&text).unwrap();
            let prof = Profile::new(&e).unwrap();
            let tb = TieBreak::default();
            let tie = Tie { rule: &tb, profile: &prof, election: &e };
            for util in [Utility::Cost, Utility::Cardinality] {
                let ctx = MesCtx::new(&prof, util);
                let en = ctx.base_endowment() + BigRational::from_integer(BigInt::from(extra));
                let exact = ctx.run_exact(&en, &tie).unwrap();
                if let Some(fast) = ctx.run_float(en.to_f64().unwrap(), &tie).unwrap() {
                    prop_assert_eq!(fast, exact);
                }
            }
        }
    }

    /// Wieliczka and Warsaw Mokotów (8,307 distinct ballots), both utilities: the float path,
    /// with its compaction of groups at zero and its bit-set re-pricing test, funds exactly what
    /// the exact path funds, from the base endowment up to about the Add1 endowment (where
    /// many supporters are at zero). Slow in debug builds.
    /// A real election from `testdata/pabulib`.
    fn real_election(name: &str) -> Election {
        let path = format!(
            "{}/../../testdata/pabulib/{name}",
            env!("CARGO_MANIFEST_DIR")
        );
        Election::parse(&std::fs::read_to_string(path).unwrap()).unwrap()
    }

    #[test]
    #[cfg_attr(debug_assertions, ignore)]
    fn large_files_float_equals_exact() {
        for (name, extras) in [
            ("Poland_Wieliczka_2023_Green_Budget.pb", &[0, 180][..]),
            ("Poland_Warszawa_2023_Mokotow.pb", &[348][..]),
        ] {
            let e = real_election(name);
            let prof = Profile::new(&e).unwrap();
            let tb = TieBreak::default();
            let tie = Tie {
                rule: &tb,
                profile: &prof,
                election: &e,
            };
            for util in [Utility::Cost, Utility::Cardinality] {
                let ctx = MesCtx::new(&prof, util);
                for &extra in extras {
                    let en = ctx.base_endowment() + BigRational::from_integer(BigInt::from(extra));
                    let fast = ctx.run_float(en.to_f64().unwrap(), &tie).unwrap();
                    let exact = ctx.run_exact(&en, &tie).unwrap();
                    assert!(exact.len() > 10, "{name}");
                    assert_eq!(fast, Some(exact), "{name} {util:?} endowment + {extra}");
                }
            }
        }
    }

    #[test]
    fn real_files_float_equals_exact_at_base_endowment() {
        for name in ["Netherlands_Assen_2024.pb", "Poland_Swiecie_2023.pb"] {
            let e = real_election(name);
            let prof = Profile::new(&e).unwrap();
            let tb = TieBreak::default();
            let tie = Tie {
                rule: &tb,
                profile: &prof,
                election: &e,
            };
            let ctx = MesCtx::new(&prof, Utility::Cost);
            let en = ctx.base_endowment();
            let fast = ctx.run_float(en.to_f64().unwrap(), &tie).unwrap();
            assert_eq!(fast, Some(ctx.run_exact(&en, &tie).unwrap()), "{name}");
        }
    }
}
