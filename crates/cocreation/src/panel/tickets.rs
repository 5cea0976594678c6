//! Rounding a lottery to M equally likely tickets (Flanigan, Kehne & Procaccia, NeurIPS 2021).
//!
//! A lottery over panels is hard to carry out in public; a *uniform* lottery over M tickets (each
//! a panel, repeats allowed) is easy: number the tickets 1..M and draw one with dice or a public
//! random beacon. Flanigan, Kehne & Procaccia, "Fair sortition made transparent" (NeurIPS 2021),
//! round the optimal lottery's expected ticket counts `M·p(P)` to integers over the panels `P` of
//! its support, so that every person's share of tickets stays close to their probability, and they
//! bound the change with the Beck–Fiala iterated-rounding argument.
//!
//! [`beck_fiala`] is that rounding, written for this crate. Each panel's count starts at
//! `M·p(P)`; its fractional part floats in `(0, 1)` until it is rounded. A step moves the floating
//! parts along a direction in the kernel of the constraints still held exactly, until one of them
//! reaches 0 or 1. The constraints held are the total (always: the tickets number exactly M) and
//! one per person; a person's constraint is released only when the kernel would otherwise be
//! trivial, and only while at most `k` floating panels contain them. Counting gives a non-trivial
//! kernel after the release: with `f` floating panels and `f ≥ k + 2`, persons with at least
//! `k + 1` floating panels number at most `k·f/(k + 1) < f − 1`; with `f ≤ k + 1`, such persons
//! are on every floating panel, so their constraint is the total's. A released person's count
//! then moves by less than 1 on each of at most `k` panels, hence
//!
//! > every person's share of tickets differs from their probability by **less than k/M**,
//!
//! and every ticket is a panel of the lottery, so it meets every quota. The kernel is kept in
//! reduced row echelon form, updated as panels freeze (one pivot per frozen pivot column), and
//! rebuilt only when constraints are released (a few more than needed at a time, to space the
//! rebuilds out): `O(r²·f)` per rebuild and `O(r·f)` per frozen pivot, for `f` floating panels
//! and `r` constraints held. On geneva_30 (894 panels, 360 people) it takes a fraction of a
//! second.
//!
//! The bound is a guarantee, not the typical result; [`milp`] (the paper's other, practical
//! method, an integer program over the type-level lottery) usually does much better, and
//! [`Lottery::tickets`](super::Lottery::tickets) keeps whichever rounding has the smaller largest
//! deviation, so the guarantee holds for the kept one too.

use std::time::Duration;

use microlp::{ComparisonOp, LinearExpr, OptimizationDirection, Problem, SolveOptions};
use rand::{RngExt, SeedableRng};
use rand_chacha::ChaCha20Rng;

use super::model::{Counts, solver_error};
use super::{Error, WeightedPanel};

/// Fractional parts closer than this to 0 or 1 count as rounded.
const SNAP: f64 = 1e-9;
/// Entries of the echelon form smaller than this count as zero.
const ZERO: f64 = 1e-9;

/// Which rounding produced a set of [`Tickets`].
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum TicketMethod {
    /// Beck–Fiala iterated rounding over the lottery's panels (largest deviation < k/M).
    BeckFiala,
    /// The integer program over the type-level lottery, which had the smaller deviation.
    Milp,
}

/// Options for [`Lottery::tickets_with`](super::Lottery::tickets_with).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TicketOptions {
    /// Time allowed to the integer program that tries to improve on the Beck–Fiala rounding;
    /// `None` keeps the Beck–Fiala rounding alone. Default: 10 s.
    pub search: Option<Duration>,
}

impl Default for TicketOptions {
    fn default() -> Self {
        Self {
            search: Some(Duration::from_secs(10)),
        }
    }
}

/// A lottery rounded to equally likely tickets.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct Tickets {
    /// One panel (person indices, ascending) per ticket.
    pub panels: Vec<Vec<usize>>,
    /// The largest difference between a person's share of tickets and their probability,
    /// computed from the tickets.
    pub max_deviation: f64,
    /// The guaranteed bound on `max_deviation`: k/M (the deviation is strictly smaller).
    pub bound: f64,
    /// The rounding kept.
    pub method: TicketMethod,
}

impl Tickets {
    /// Draws a ticket uniformly with a ChaCha20 generator seeded by `seed`.
    pub fn draw(&self, seed: u64) -> Vec<usize> {
        if self.panels.is_empty() {
            return Vec::new();
        }
        let mut rng = ChaCha20Rng::seed_from_u64(seed);
        self.panels[rng.random_range(0..self.panels.len())].clone()
    }
}

/// The largest gap between a person's share of `tickets` and their probability.
pub(crate) fn max_deviation(tickets: &[Vec<usize>], probabilities: &[f64]) -> f64 {
    let mut hits = vec![0usize; probabilities.len()];
    for panel in tickets {
        for &p in panel {
            if let Some(h) = hits.get_mut(p) {
                *h += 1;
            }
        }
    }
    let count = tickets.len().max(1) as f64;
    hits.iter()
        .zip(probabilities)
        .map(|(&h, &p)| (h as f64 / count - p).abs())
        .fold(0.0, f64::max)
}

/// Beck–Fiala rounding of `m·p` over `panels` (module docs): the number of tickets of each
/// panel, summing to `m`. `people` is the pool size; every member index must be below it.
pub(crate) fn beck_fiala(
    panels: &[WeightedPanel],
    people: usize,
    k: usize,
    m: usize,
) -> Vec<usize> {
    let s = panels.len();
    let mf = m as f64;
    let mut base = vec![0usize; s];
    let mut z = vec![0.0f64; s];
    for (j, p) in panels.iter().enumerate() {
        let y = (mf * p.probability).max(0.0);
        let mut b = y.floor();
        let mut f = y - b;
        if f > 1.0 - SNAP {
            b += 1.0;
            f = 0.0;
        } else if f < SNAP {
            f = 0.0;
        }
        base[j] = b as usize;
        z[j] = f;
    }
    // Panels containing each person, and the number of them still floating.
    let mut on: Vec<Vec<usize>> = vec![Vec::new(); people];
    for (j, p) in panels.iter().enumerate() {
        for &i in &p.members {
            on[i].push(j);
        }
    }
    let mut floating: Vec<bool> = z.iter().map(|&f| f > 0.0).collect();
    let mut degree: Vec<usize> = on
        .iter()
        .map(|list| list.iter().filter(|&&j| floating[j]).count())
        .collect();
    let mut held: Vec<bool> = degree.iter().map(|&d| d > 0).collect();
    let mut echelon = Echelon::build(&on, &held, &floating);
    loop {
        let Some((free_local, free)) = echelon.free_column(&floating) else {
            let open = floating.iter().filter(|&&f| f).count();
            if open == 0 {
                break;
            }
            // The kernel is trivial: release persons on at most k floating panels, fewest
            // first, until fewer constraints than floating panels remain (or none is left to
            // release; then the held ones repeat the total, see the module docs).
            // Releasing is always allowed for such persons, so the bound holds however many
            // are released.
            let mut release: Vec<usize> =
                (0..people).filter(|&i| held[i] && degree[i] <= k).collect();
            if release.is_empty() {
                // Only numerical trouble gets here: round the rest to the nearest integer.
                for j in 0..s {
                    if floating[j] {
                        z[j] = z[j].round();
                        floating[j] = false;
                    }
                }
                break;
            }
            release.sort_by_key(|&i| (degree[i], i));
            let mut rows = held.iter().filter(|&&h| h).count() + 1;
            // Releasing a few more than needed (a sixteenth of the floating panels) spaces out
            // the rebuilds: on geneva_30, 1.2 s -> 0.3 s, with the same largest deviation.
            let slack = open / 16;
            for i in release {
                if rows + slack < open {
                    break;
                }
                held[i] = false;
                rows -= 1;
            }
            echelon = Echelon::build(&on, &held, &floating);
            continue;
        };
        // Direction: +1 on the free column, minus its entries on the pivot columns.
        let mut dir: Vec<(usize, f64)> = vec![(free, 1.0)];
        for (r, &pc) in echelon.pivots.iter().enumerate() {
            let a = echelon.rows[r][free_local];
            if a.abs() > ZERO {
                dir.push((echelon.global[pc], -a));
            }
        }
        let (mut up, mut down) = (f64::INFINITY, f64::INFINITY);
        for &(j, d) in &dir {
            if d > 0.0 {
                up = up.min((1.0 - z[j]) / d);
                down = down.min(z[j] / d);
            } else {
                up = up.min(z[j] / -d);
                down = down.min((1.0 - z[j]) / -d);
            }
        }
        let t = if up <= down { up } else { -down };
        let mut frozen = Vec::new();
        for &(j, d) in &dir {
            z[j] = (z[j] + t * d).clamp(0.0, 1.0);
            if z[j] < SNAP || z[j] > 1.0 - SNAP {
                z[j] = z[j].round();
                frozen.push(j);
            }
        }
        if frozen.is_empty() {
            // Cannot happen in exact arithmetic; freeze the free column to guarantee progress.
            z[free] = z[free].round();
            frozen.push(free);
        }
        for j in frozen {
            floating[j] = false;
            for &i in &panels[j].members {
                degree[i] -= 1;
            }
            echelon.remove_column(j, &floating);
        }
    }
    let mut counts: Vec<usize> = base
        .iter()
        .zip(&z)
        .map(|(&b, &f)| b + usize::from(f > 0.5))
        .collect();
    // Floating-point drift in Σp can leave the total off by a ticket: settle it on the panels
    // whose count is furthest from m·p.
    let total: usize = counts.iter().sum();
    let residual = |counts: &[usize], j: usize| mf * panels[j].probability - counts[j] as f64;
    for _ in total..m {
        if let Some(j) =
            (0..s).max_by(|&a, &b| residual(&counts, a).total_cmp(&residual(&counts, b)))
        {
            counts[j] += 1;
        }
    }
    for _ in m..total {
        if let Some(j) = (0..s)
            .filter(|&j| counts[j] > 0)
            .min_by(|&a, &b| residual(&counts, a).total_cmp(&residual(&counts, b)))
        {
            counts[j] -= 1;
        }
    }
    counts
}

/// A reduced row echelon form of the held constraints over the floating columns.
///
/// Columns are renumbered at each build to the panels floating then (`local`); panels that
/// freeze later keep their (stale, never read) entries.
struct Echelon {
    /// Local column of each panel floating at the build.
    local: Vec<Option<usize>>,
    /// Panel of each local column.
    global: Vec<usize>,
    /// Dense rows over the local columns.
    rows: Vec<Vec<f64>>,
    /// The pivot (local) column of each row.
    pivots: Vec<usize>,
    /// Whether a local column is a pivot column.
    is_pivot: Vec<bool>,
}

/// Subtracts `target[c]` times `source` (whose entry in column `c` is 1) from `target`.
fn eliminate(source: &[f64], c: usize, target: &mut [f64]) {
    let factor = target[c];
    if factor == 0.0 {
        return;
    }
    for (v, &p) in target.iter_mut().zip(source) {
        *v -= factor * p;
    }
    target[c] = 0.0;
}

/// Scales `row` so that its entry in column `c` is 1.
fn normalise(row: &mut [f64], c: usize) {
    let a = 1.0 / row[c];
    for v in row.iter_mut() {
        *v *= a;
    }
    row[c] = 1.0;
}

impl Echelon {
    /// Gauss–Jordan elimination of the held persons' rows and the total row, over the floating
    /// columns, with partial pivoting.
    fn build(on: &[Vec<usize>], held: &[bool], floating: &[bool]) -> Self {
        let global: Vec<usize> = (0..floating.len()).filter(|&j| floating[j]).collect();
        let mut local = vec![None; floating.len()];
        for (c, &j) in global.iter().enumerate() {
            local[j] = Some(c);
        }
        let width = global.len();
        let mut pending: Vec<Vec<f64>> = vec![vec![1.0; width]];
        for (list, _) in on.iter().zip(held).filter(|(_, h)| **h) {
            let mut row = vec![0.0; width];
            for &j in list {
                if let Some(c) = local[j] {
                    row[c] = 1.0;
                }
            }
            pending.push(row);
        }
        let mut echelon = Echelon {
            local,
            global,
            rows: Vec::new(),
            pivots: Vec::new(),
            is_pivot: vec![false; width],
        };
        for c in 0..width {
            let best = pending
                .iter()
                .enumerate()
                .max_by(|a, b| a.1[c].abs().total_cmp(&b.1[c].abs()))
                .map(|(r, row)| (r, row[c].abs()));
            let Some((r, size)) = best else { break };
            if size <= ZERO {
                continue;
            }
            let mut row = pending.swap_remove(r);
            normalise(&mut row, c);
            for target in echelon.rows.iter_mut().chain(pending.iter_mut()) {
                eliminate(&row, c, target);
            }
            echelon.rows.push(row);
            echelon.pivots.push(c);
            echelon.is_pivot[c] = true;
        }
        echelon
    }

    /// The first floating panel whose column is not a pivot column, with its local column.
    fn free_column(&self, floating: &[bool]) -> Option<(usize, usize)> {
        self.global
            .iter()
            .enumerate()
            .find(|&(c, &j)| floating[j] && !self.is_pivot[c])
            .map(|(c, &j)| (c, j))
    }

    /// Drops a panel that has just frozen (`floating[j]` is already false): a pivot column's
    /// row is re-pivoted on its largest entry among the free floating columns, or dropped when
    /// it has none (it no longer constrains the floating panels).
    fn remove_column(&mut self, j: usize, floating: &[bool]) {
        let Some(c) = self.local[j] else { return };
        if !self.is_pivot[c] {
            return;
        }
        self.is_pivot[c] = false;
        let Some(r) = self.pivots.iter().position(|&p| p == c) else {
            return;
        };
        let row = &self.rows[r];
        let next = (0..self.global.len())
            .filter(|&q| floating[self.global[q]] && !self.is_pivot[q])
            .max_by(|&a, &b| row[a].abs().total_cmp(&row[b].abs()))
            .filter(|&q| row[q].abs() > ZERO);
        let Some(q) = next else {
            self.rows.swap_remove(r);
            self.pivots.swap_remove(r);
            return;
        };
        let mut row = std::mem::take(&mut self.rows[r]);
        normalise(&mut row, q);
        for (p, target) in self.rows.iter_mut().enumerate() {
            if p != r {
                eliminate(&row, q, target);
            }
        }
        self.rows[r] = row;
        self.pivots[r] = q;
        self.is_pivot[q] = true;
    }
}

/// The integer program: each type-level panel's ticket count is `m·p` rounded down or up,
/// minimising the largest deviation of any type's expected seats per member (time-limited;
/// the best rounding found is kept), then each type's seats are dealt round-robin to its
/// members. `None` when no rounding was found in time.
pub(crate) fn milp(
    members: &[Vec<usize>],
    panels: &[Counts],
    probs: &[f64],
    m: usize,
    limit: Duration,
) -> Result<Option<Vec<Vec<usize>>>, Error> {
    let mf = m as f64;
    let t_count = members.len();
    let mut problem = Problem::new(OptimizationDirection::Minimize);
    let delta = problem.add_var(1.0, (0.0, f64::INFINITY));
    let vars: Vec<_> = probs
        .iter()
        .map(|&p| {
            let x = mf * p;
            let lo = x.floor() as i32;
            let hi = x.ceil() as i32;
            problem.add_integer_var(0.0, (lo, hi))
        })
        .collect();
    let sum: LinearExpr = vars.iter().map(|&v| (v, 1.0)).collect();
    problem.add_constraint(sum, ComparisonOp::Eq, mf);
    for t in 0..t_count {
        let n = members[t].len() as f64;
        let target: f64 = panels
            .iter()
            .zip(probs)
            .map(|(c, p)| mf * p * f64::from(c[t]))
            .sum();
        let terms: Vec<(microlp::Variable, f64)> = panels
            .iter()
            .zip(&vars)
            .filter(|(c, _)| c[t] > 0)
            .map(|(c, &v)| (v, f64::from(c[t]) / n))
            .collect();
        if terms.is_empty() {
            continue;
        }
        let mut up: LinearExpr = terms.iter().copied().collect();
        up.add(delta, -1.0);
        problem.add_constraint(up, ComparisonOp::Le, target / n);
        let mut down: LinearExpr = terms.iter().copied().collect();
        down.add(delta, 1.0);
        problem.add_constraint(down, ComparisonOp::Ge, target / n);
    }
    // Warm start: systematic rounding of the cumulative sums (always sums to m).
    let mut warm = Vec::new();
    let mut acc = 0.0;
    let mut prev = 0i64;
    for (&v, &p) in vars.iter().zip(probs) {
        acc += mf * p;
        let cur = (acc + 0.5).floor() as i64;
        warm.push((v, (cur - prev) as f64));
        prev = cur;
    }
    let mut worst: f64 = 0.0;
    for t in 0..t_count {
        let n = members[t].len() as f64;
        let dev: f64 = panels
            .iter()
            .zip(probs.iter().zip(&warm))
            .map(|(c, (p, w))| (w.1 - mf * p) * f64::from(c[t]) / n)
            .sum();
        worst = worst.max(dev.abs());
    }
    warm.push((delta, worst + 1e-9));
    let mut options = SolveOptions::default();
    options.time_limit = Some(limit);
    options.warm_start = Some(warm);
    let outcome = problem
        .solve_with(options)
        .map_err(|e| solver_error("ticket rounding", &e))?;
    let Some(solution) = outcome.solution() else {
        return Ok(None);
    };
    let mut cursor = vec![0usize; t_count];
    let mut list = Vec::with_capacity(m);
    for (c, &v) in panels.iter().zip(&vars) {
        let copies = solution.var_value_raw(v).round().max(0.0) as usize;
        for _ in 0..copies {
            let mut panel = Vec::new();
            for (t, &ct) in c.iter().enumerate() {
                let n = members[t].len();
                for _ in 0..ct {
                    panel.push(members[t][cursor[t] % n]);
                    cursor[t] += 1;
                }
            }
            panel.sort_unstable();
            list.push(panel);
        }
    }
    Ok((list.len() == m).then_some(list))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A random lottery: `s` panels of `k` distinct people out of `n`, random weights.
    fn lottery() -> impl Strategy<Value = (Vec<WeightedPanel>, usize, usize)> {
        (4usize..30, 1usize..5, 1usize..40)
            .prop_flat_map(|(n, k, s)| {
                let k = k.min(n);
                (
                    proptest::collection::vec(
                        (
                            proptest::sample::subsequence((0..n).collect::<Vec<_>>(), k),
                            1u32..1000,
                        ),
                        s,
                    ),
                    Just(n),
                    Just(k),
                )
            })
            .prop_map(|(raw, n, k)| {
                let total: f64 = raw.iter().map(|(_, w)| f64::from(*w)).sum();
                let panels = raw
                    .into_iter()
                    .map(|(members, w)| WeightedPanel {
                        members,
                        probability: f64::from(w) / total,
                    })
                    .collect();
                (panels, n, k)
            })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(200))]

        /// The Beck–Fiala guarantee: exactly m tickets, and every person's number of tickets
        /// within k of m times their probability.
        #[test]
        fn beck_fiala_keeps_every_person_within_k_tickets(
            (panels, n, k) in lottery(),
            m in 1usize..300,
        ) {
            let counts = beck_fiala(&panels, n, k, m);
            prop_assert_eq!(counts.len(), panels.len());
            prop_assert_eq!(counts.iter().sum::<usize>(), m);
            let mut got = vec![0.0f64; n];
            let mut want = vec![0.0f64; n];
            for (p, &c) in panels.iter().zip(&counts) {
                for &i in &p.members {
                    got[i] += c as f64;
                    want[i] += m as f64 * p.probability;
                }
            }
            for i in 0..n {
                prop_assert!(
                    (got[i] - want[i]).abs() < k as f64 + 1e-6,
                    "person {}: {} tickets for {:.4} expected (k = {})", i, got[i], want[i], k
                );
            }
        }
    }

    #[test]
    fn integral_lotteries_are_kept_exactly() {
        let panels = vec![
            WeightedPanel {
                members: vec![0, 1],
                probability: 0.25,
            },
            WeightedPanel {
                members: vec![1, 2],
                probability: 0.5,
            },
            WeightedPanel {
                members: vec![0, 2],
                probability: 0.25,
            },
        ];
        assert_eq!(beck_fiala(&panels, 3, 2, 8), vec![2, 4, 2]);
        let tickets: Vec<Vec<usize>> = vec![vec![0, 1], vec![1, 2], vec![1, 2], vec![0, 2]];
        let d = max_deviation(&tickets, &[0.5, 0.75, 0.75]);
        assert!(d < 1e-12, "{d}");
    }
}
