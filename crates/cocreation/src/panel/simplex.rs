//! A dense revised simplex for the primal LEXIMIN stage LP, with panels added as columns.
//!
//! The stage LP over a portfolio of panels `c` (type counts; `a_ct = c_t / n_t`) is
//!
//! ```text
//! max z − B·Σ_{fixed t} e_t
//!   Σ_c a_ct p_c − z − s_t = 0      for every unfixed type t
//!   Σ_c a_ct p_c + e_t − s_t = v_t  for every type fixed at v_t > 0
//!   Σ_c p_c = 1,  p, z, s, e ≥ 0
//! ```
//!
//! with `B = DUAL_BOX`: the elastic `e_t` lets a fixed value be missed at a cost, which is the
//! primal side of boxing the dual weights at `B`. Its dual is exactly the dual LP of Flanigan et
//! al. (Nature 596, 2021, Methods): the row duals are the types' weights `w_t ∈ [0, B]`, the sum
//! row's dual is the bound `ŷ`, and a new panel improves the LP iff `Σ_t w_t a_ct > ŷ`.
//!
//! Method: the revised simplex (Dantzig, *Linear Programming and Extensions*, 1963) with an
//! explicit dense basis inverse (`m × m`, `m` = constrained types + 1), updated by one
//! elementary row operation per pivot (`O(m²)`) and recomputed by Gauss–Jordan elimination
//! (`O(m³)`) every [`REFACTOR`] pivots. Entering variable by Dantzig's rule, leaving variable by
//! Harris's two-pass ratio test; after a long run of degenerate pivots Bland's rule takes over,
//! which cannot cycle. A starting basis that is feasible comes from one panel, so no phase 1 is
//! needed; new panels enter as nonbasic columns and the solve resumes from the optimal basis.
//! One pivot costs `O(m² + N·k)` for `N` panels of `k` members.

use super::Error;
use super::cg::DUAL_BOX;
use super::model::Model;

/// Reduced costs above this let a column enter.
const OPT_TOL: f64 = 1e-10;
/// Basic values this far below zero still count as feasible (and are clamped to zero).
const FEAS_TOL: f64 = 1e-9;
/// Pivot elements must exceed this.
const PIV_TOL: f64 = 1e-9;
/// Pivots between two recomputations of the basis inverse.
const REFACTOR: usize = 500;
/// Degenerate pivots in a row after which Bland's rule is used.
const BLAND_AFTER: usize = 200;
/// Safety cap on pivots per solve.
const MAX_PIVOTS: usize = 200_000;

fn error(message: &str) -> Error {
    Error::Solver {
        stage: "leximin stage lp",
        message: message.to_owned(),
    }
}

/// The stage LP and its current basis.
pub(crate) struct StageSimplex {
    /// Constrained type rows; the sum row is row `rows`.
    rows: usize,
    /// The row of each type, if it has one.
    row_of_type: Vec<Option<usize>>,
    /// Per row: fixed (with an elastic variable) or not (with `−z`).
    fixed_row: Vec<bool>,
    /// Right-hand side per row (including the sum row).
    rhs: Vec<f64>,
    /// Panel columns without the sum row's 1: (row, a_ct).
    panels: Vec<Vec<(usize, f64)>>,
    /// The basic variable of each row position.
    basis: Vec<usize>,
    /// The basis position of each variable, or `usize::MAX`.
    position: Vec<usize>,
    /// The basis inverse, column-major `m × m`: `binv[r * m + i]` is `(B⁻¹)_{i r}`, so a column
    /// of `B⁻¹` (one per row) is contiguous.
    binv: Vec<f64>,
    /// Basic values per position.
    x: Vec<f64>,
    since_refactor: usize,
}

// Variables: 0 = z; 1 + r = surplus of row r; 1 + rows + r = elastic of row r; then panels.
impl StageSimplex {
    /// The stage LP over `portfolio` (non-empty) with the given fixed values.
    pub(crate) fn new(
        model: &Model,
        portfolio: &[Vec<u32>],
        fixed: &[Option<f64>],
    ) -> Result<Self, Error> {
        let mut row_of_type = vec![None; model.types()];
        let mut fixed_row = Vec::new();
        let mut rhs = Vec::new();
        for (t, f) in fixed.iter().enumerate() {
            match *f {
                None => {
                    row_of_type[t] = Some(rhs.len());
                    fixed_row.push(false);
                    rhs.push(0.0);
                }
                Some(v) if v > 0.0 => {
                    row_of_type[t] = Some(rhs.len());
                    fixed_row.push(true);
                    rhs.push(v);
                }
                Some(_) => {}
            }
        }
        let rows = rhs.len();
        rhs.push(1.0);
        let mut lp = Self {
            rows,
            row_of_type,
            fixed_row,
            rhs,
            panels: Vec::new(),
            basis: Vec::new(),
            position: vec![usize::MAX; 1 + 2 * rows],
            binv: Vec::new(),
            x: Vec::new(),
            since_refactor: 0,
        };
        for c in portfolio {
            lp.add_panel(model, c);
        }
        if lp.panels.is_empty() {
            return Err(error("no panel to start from"));
        }
        lp.cold_start()?;
        Ok(lp)
    }

    /// A feasible start: all mass on panel 0; each row's surplus or elastic absorbs the rest.
    fn cold_start(&mut self) -> Result<(), Error> {
        let rows = self.rows;
        let mut first = vec![0.0; rows];
        for &(r, v) in &self.panels[0] {
            first[r] = v;
        }
        let mut basis = Vec::with_capacity(rows + 1);
        for (r, &a) in first.iter().enumerate() {
            if self.fixed_row[r] && a < self.rhs[r] {
                basis.push(1 + rows + r);
            } else {
                basis.push(1 + r);
            }
        }
        basis.push(self.panel_var(0));
        self.set_basis(basis);
        self.refactor()?;
        if !self.feasible() {
            return Err(error("the starting basis is infeasible"));
        }
        Ok(())
    }

    fn feasible(&self) -> bool {
        self.x.iter().all(|&v| v >= -FEAS_TOL)
    }

    /// Moves to the next stage's LP (new fixed values) over the same portfolio. When the rows
    /// stay the same (no type is fixed at 0) the last optimal basis is kept if it is still
    /// feasible, which saves most pivots; otherwise the LP starts afresh.
    pub(crate) fn restage(
        self,
        model: &Model,
        portfolio: &[Vec<u32>],
        fixed: &[Option<f64>],
    ) -> Result<Self, Error> {
        let same_rows = fixed.iter().zip(&self.row_of_type).all(|(f, r)| match f {
            None => r.is_some(),
            Some(v) => r.is_some() == (*v > 0.0),
        });
        if !same_rows || self.panels.len() != portfolio.len() {
            return Self::new(model, portfolio, fixed);
        }
        let mut lp = self;
        let mut newly = vec![false; lp.rows];
        for (t, f) in fixed.iter().enumerate() {
            if let (Some(r), Some(v)) = (lp.row_of_type[t], f) {
                newly[r] = !lp.fixed_row[r];
                lp.fixed_row[r] = true;
                lp.rhs[r] = *v;
            }
        }
        let basis = lp.basis.clone();
        let elastic_ok = basis
            .iter()
            .all(|&j| !(j > lp.rows && j <= 2 * lp.rows) || lp.fixed_row[j - 1 - lp.rows]);
        if elastic_ok {
            let old_inverse = lp.binv.clone();
            let mut ok = lp.refactor().is_ok();
            if !ok {
                // `z` lost its entries on the newly fixed rows, which can make the basis
                // singular: swap `z` for the surplus of the newly fixed row with the largest
                // pivot in the old inverse (nonsingular iff that entry is nonzero).
                let m = lp.m();
                if let Some(pz) = lp.basis.iter().position(|&j| j == 0) {
                    let best = (0..lp.rows)
                        .filter(|&r| newly[r] && lp.position[1 + r] == usize::MAX)
                        .max_by(|&a, &b| {
                            old_inverse[a * m + pz]
                                .abs()
                                .total_cmp(&old_inverse[b * m + pz].abs())
                        });
                    if let Some(r) = best.filter(|&r| old_inverse[r * m + pz].abs() > 1e-9) {
                        let mut basis = lp.basis.clone();
                        basis[pz] = 1 + r;
                        lp.set_basis(basis);
                        ok = lp.refactor().is_ok();
                    }
                }
            }
            if ok && lp.solve().is_ok() {
                return Ok(lp);
            }
        }
        lp.cold_start()?;
        Ok(lp)
    }

    fn m(&self) -> usize {
        self.rows + 1
    }

    fn panel_var(&self, i: usize) -> usize {
        1 + 2 * self.rows + i
    }

    fn set_basis(&mut self, basis: Vec<usize>) {
        self.position.iter_mut().for_each(|p| *p = usize::MAX);
        for (i, &j) in basis.iter().enumerate() {
            self.position[j] = i;
        }
        self.basis = basis;
    }

    /// Adds a panel as a nonbasic column.
    pub(crate) fn add_panel(&mut self, model: &Model, counts: &[u32]) {
        let column: Vec<(usize, f64)> = counts
            .iter()
            .enumerate()
            .filter(|(_, n)| **n > 0)
            .filter_map(|(t, &n)| {
                self.row_of_type[t].map(|r| (r, f64::from(n) / f64::from(model.size(t))))
            })
            .collect();
        self.panels.push(column);
        self.position.push(usize::MAX);
    }

    fn cost(&self, j: usize) -> f64 {
        if j == 0 {
            1.0
        } else if j > self.rows && j <= 2 * self.rows {
            -DUAL_BOX
        } else {
            0.0
        }
    }

    /// Whether variable `j` exists (elastics only on fixed rows).
    fn exists(&self, j: usize) -> bool {
        !(j > self.rows && j <= 2 * self.rows && !self.fixed_row[j - 1 - self.rows])
    }

    /// Calls `f(row, coefficient)` for each nonzero of column `j`.
    fn for_column(&self, j: usize, mut f: impl FnMut(usize, f64)) {
        let rows = self.rows;
        if j == 0 {
            for r in 0..rows {
                if !self.fixed_row[r] {
                    f(r, -1.0);
                }
            }
        } else if j <= rows {
            f(j - 1, -1.0);
        } else if j <= 2 * rows {
            f(j - 1 - rows, 1.0);
        } else {
            for &(r, v) in &self.panels[j - 1 - 2 * rows] {
                f(r, v);
            }
            f(rows, 1.0);
        }
    }

    /// Recomputes the basis inverse and the basic values.
    ///
    /// With the rows covered by basic slack or elastic columns (`±e_r`) first, the basis is
    /// block triangular, `B = [[D, A_SP], [0, A_NP]]`, so `B⁻¹ = [[D⁻¹, −D⁻¹A_SP A_NP⁻¹],
    /// [0, A_NP⁻¹]]`: only the `K × K` block of panel (and `z`) columns on the remaining rows is
    /// inverted, by Gauss–Jordan elimination with partial pivoting (`O(K³)`).
    fn refactor(&mut self) -> Result<(), Error> {
        let m = self.m();
        let rows = self.rows;
        // Slack positions with their row and sign; structural positions.
        let mut slack_row = vec![usize::MAX; m];
        let mut sign = vec![0.0; m];
        let mut covered = vec![false; m];
        let mut structural = Vec::new();
        for (i, &j) in self.basis.iter().enumerate() {
            if j != 0 && j <= 2 * rows {
                let (r, s) = if j <= rows {
                    (j - 1, -1.0)
                } else {
                    (j - 1 - rows, 1.0)
                };
                if covered[r] {
                    return Err(error("singular basis"));
                }
                covered[r] = true;
                slack_row[i] = r;
                sign[i] = s;
            } else {
                structural.push(i);
            }
        }
        let free_rows: Vec<usize> = (0..m).filter(|&r| !covered[r]).collect();
        let k = structural.len();
        if free_rows.len() != k {
            return Err(error("singular basis"));
        }
        let mut local = vec![usize::MAX; m];
        for (a, &r) in free_rows.iter().enumerate() {
            local[r] = a;
        }
        // a = A_NP (rows: free rows, columns: structural positions), inverted in place into inv.
        let mut a = vec![0.0; k * k];
        for (c, &i) in structural.iter().enumerate() {
            self.for_column(self.basis[i], |r, v| {
                if local[r] != usize::MAX {
                    a[local[r] * k + c] = v;
                }
            });
        }
        let mut inv = vec![0.0; k * k];
        for i in 0..k {
            inv[i * k + i] = 1.0;
        }
        for col in 0..k {
            let p = (col..k)
                .max_by(|&x, &y| a[x * k + col].abs().total_cmp(&a[y * k + col].abs()))
                .unwrap_or(col);
            let pv = a[p * k + col];
            if pv.abs() < 1e-12 {
                return Err(error("singular basis"));
            }
            if p != col {
                for c in 0..k {
                    a.swap(p * k + c, col * k + c);
                    inv.swap(p * k + c, col * k + c);
                }
            }
            let scale = 1.0 / pv;
            a[col * k..(col + 1) * k]
                .iter_mut()
                .for_each(|v| *v *= scale);
            inv[col * k..(col + 1) * k]
                .iter_mut()
                .for_each(|v| *v *= scale);
            let pivot_a: Vec<f64> = a[col * k..(col + 1) * k].to_vec();
            let pivot_inv: Vec<f64> = inv[col * k..(col + 1) * k].to_vec();
            for r in 0..k {
                let f = a[r * k + col];
                if r == col || f == 0.0 {
                    continue;
                }
                a[r * k..(r + 1) * k]
                    .iter_mut()
                    .zip(&pivot_a)
                    .for_each(|(x, y)| *x -= f * y);
                inv[r * k..(r + 1) * k]
                    .iter_mut()
                    .zip(&pivot_inv)
                    .for_each(|(x, y)| *x -= f * y);
            }
        }
        // inv row c = structural position c; inv column a = free row a.
        let mut binv = vec![0.0; m * m];
        for (c, &i) in structural.iter().enumerate() {
            for (a_idx, &r) in free_rows.iter().enumerate() {
                binv[r * m + i] = inv[c * k + a_idx];
            }
        }
        // Slack positions: σ e_r − σ (row r of A_SP) A_NP⁻¹.
        let mut sp_rows: Vec<Vec<(usize, f64)>> = vec![Vec::new(); m];
        for (c, &pos) in structural.iter().enumerate() {
            self.for_column(self.basis[pos], |r, v| {
                if covered[r] {
                    sp_rows[r].push((c, v));
                }
            });
        }
        for i in 0..m {
            let r = slack_row[i];
            if r == usize::MAX {
                continue;
            }
            let s = sign[i];
            binv[r * m + i] = s;
            for &(c, v) in &sp_rows[r] {
                for (a_idx, &fr) in free_rows.iter().enumerate() {
                    binv[fr * m + i] -= s * v * inv[c * k + a_idx];
                }
            }
        }
        self.binv = binv;
        let mut x = vec![0.0; m];
        for (r, &b) in self.rhs.iter().enumerate() {
            if b != 0.0 {
                for (xi, &v) in x.iter_mut().zip(&self.binv[r * m..(r + 1) * m]) {
                    *xi += v * b;
                }
            }
        }
        for v in &mut x {
            if *v < 0.0 && *v > -FEAS_TOL {
                *v = 0.0;
            }
        }
        self.x = x;
        self.since_refactor = 0;
        Ok(())
    }

    /// The simplex multipliers `y = c_B B⁻¹`.
    fn multipliers(&self) -> Vec<f64> {
        self.multipliers_for(false)
    }

    /// `c_B B⁻¹` for the stage objective, or in phase 1 for the sum of the negative basics.
    fn multipliers_for(&self, phase1: bool) -> Vec<f64> {
        let m = self.m();
        let mut y = vec![0.0; m];
        for (i, &j) in self.basis.iter().enumerate() {
            let c = if phase1 {
                if self.x[i] < -FEAS_TOL { 1.0 } else { 0.0 }
            } else {
                self.cost(j)
            };
            if c != 0.0 {
                for (r, yr) in y.iter_mut().enumerate() {
                    *yr += c * self.binv[r * m + i];
                }
            }
        }
        y
    }

    fn reduced_cost(&self, j: usize, y: &[f64], phase1: bool) -> f64 {
        let mut d = if phase1 { 0.0 } else { self.cost(j) };
        self.for_column(j, |r, v| d -= y[r] * v);
        d
    }

    /// Runs the simplex to optimality from the current basis. A basis with negative values
    /// first runs phase 1 (maximise the sum of the negative basic values; the ratio test keeps
    /// the feasible ones feasible), which errs if it stalls.
    pub(crate) fn solve(&mut self) -> Result<(), Error> {
        let m = self.m();
        let total = 1 + 2 * self.rows + self.panels.len();
        let mut degenerate = 0usize;
        for _ in 0..MAX_PIVOTS {
            let phase1 = !self.feasible();
            let y = self.multipliers_for(phase1);
            let bland = degenerate >= BLAND_AFTER;
            let mut entering = None;
            let mut best = OPT_TOL;
            for j in 0..total {
                if self.position[j] != usize::MAX || !self.exists(j) {
                    continue;
                }
                let d = self.reduced_cost(j, &y, phase1);
                if d > best {
                    entering = Some(j);
                    if bland {
                        break;
                    }
                    best = d;
                }
            }
            let Some(q) = entering else {
                if phase1 {
                    return Err(error("phase 1 stalled"));
                }
                return Ok(());
            };
            let mut col = vec![0.0; m];
            self.for_column(q, |r, v| {
                for (c, &b) in col.iter_mut().zip(&self.binv[r * m..(r + 1) * m]) {
                    *c += b * v;
                }
            });
            // Rows that bound the step, with their ratio: feasible basics that decrease, and in
            // phase 1 negative basics that rise to zero.
            let ratio = |i: usize| -> Option<f64> {
                let (x, c) = (self.x[i], col[i]);
                if x >= -FEAS_TOL && c > PIV_TOL {
                    Some(x.max(0.0) / c)
                } else if phase1 && x < -FEAS_TOL && c < -PIV_TOL {
                    Some(x / c)
                } else {
                    None
                }
            };
            let leaving = if bland {
                let mut pick: Option<(usize, f64)> = None;
                for i in 0..m {
                    if let Some(q) = ratio(i) {
                        pick = match pick {
                            Some((k, r))
                                if r < q - 1e-15
                                    || (q - r).abs() <= 1e-15 && self.basis[k] < self.basis[i] =>
                            {
                                Some((k, r))
                            }
                            _ => Some((i, q)),
                        };
                    }
                }
                pick
            } else {
                let bound = (0..m)
                    .filter_map(|i| ratio(i).map(|q| q + FEAS_TOL / col[i].abs()))
                    .fold(f64::INFINITY, f64::min);
                (0..m)
                    .filter_map(|i| ratio(i).filter(|&q| q <= bound).map(|q| (i, q)))
                    .max_by(|a, b| col[a.0].abs().total_cmp(&col[b.0].abs()))
            };
            let Some((r, theta)) = leaving else {
                return Err(error(if phase1 {
                    "phase 1 stalled"
                } else {
                    "unbounded"
                }));
            };
            degenerate = if theta <= 1e-12 { degenerate + 1 } else { 0 };
            for (i, (x, &c)) in self.x.iter_mut().zip(&col).enumerate() {
                if i != r {
                    let v = *x - theta * c;
                    *x = if v < 0.0 && v > -FEAS_TOL { 0.0 } else { v };
                }
            }
            self.x[r] = theta;
            let pivot = col[r];
            // New row r = old row r / pivot; other rows i: old_i − col_i · (new row r).
            for chunk in self.binv.chunks_exact_mut(m) {
                let f = chunk[r] / pivot;
                if f != 0.0 {
                    chunk.iter_mut().zip(&col).for_each(|(a, &c)| *a -= f * c);
                    chunk[r] = f;
                }
            }
            let old = self.basis[r];
            self.position[old] = usize::MAX;
            self.basis[r] = q;
            self.position[q] = r;
            self.since_refactor += 1;
            if self.since_refactor >= REFACTOR {
                self.refactor()?;
            }
        }
        Err(error("pivot limit reached"))
    }

    /// The objective `z − B·Σ e` at the current basis.
    pub(crate) fn objective(&self) -> f64 {
        self.basis
            .iter()
            .zip(&self.x)
            .map(|(&j, &v)| self.cost(j) * v)
            .sum()
    }

    /// The dual weights per type (`w_t ≥ 0`; zero for types without a row) and the bound `ŷ`.
    pub(crate) fn duals(&self) -> (Vec<f64>, f64) {
        let y = self.multipliers();
        let w = self
            .row_of_type
            .iter()
            .map(|r| r.map_or(0.0, |r| (-y[r]).clamp(0.0, DUAL_BOX)))
            .collect();
        (w, y[self.rows])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::panel::cg::cover;
    use crate::panel::search::tests::random_model;
    use microlp::{ComparisonOp, LinearExpr, OptimizationDirection, Problem};
    use proptest::prelude::*;

    /// The same stage LP solved by microlp from scratch.
    fn reference(model: &Model, portfolio: &[Vec<u32>], fixed: &[Option<f64>]) -> f64 {
        let mut problem = Problem::new(OptimizationDirection::Maximize);
        let p: Vec<_> = portfolio
            .iter()
            .map(|_| problem.add_var(0.0, (0.0, f64::INFINITY)))
            .collect();
        let z = problem.add_var(1.0, (0.0, f64::INFINITY));
        let all: LinearExpr = p.iter().map(|&v| (v, 1.0)).collect();
        problem.add_constraint(all, ComparisonOp::Eq, 1.0);
        for (t, f) in fixed.iter().enumerate() {
            let mut expr: LinearExpr = portfolio
                .iter()
                .zip(&p)
                .filter(|(c, _)| c[t] > 0)
                .map(|(c, &v)| (v, f64::from(c[t]) / f64::from(model.size(t))))
                .collect();
            match f {
                None => {
                    expr.add(z, -1.0);
                    problem.add_constraint(expr, ComparisonOp::Ge, 0.0);
                }
                Some(v) if *v > 0.0 => {
                    let e = problem.add_var(-DUAL_BOX, (0.0, f64::INFINITY));
                    expr.add(e, 1.0);
                    problem.add_constraint(expr, ComparisonOp::Ge, *v);
                }
                Some(_) => {}
            }
        }
        problem
            .solve()
            .unwrap()
            .into_solution()
            .unwrap()
            .objective()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(24))]

        #[test]
        fn stage_lp_matches_microlp_and_restages(model in random_model(), pick in 0usize..1000) {
            let (portfolio, reachable) = cover(&model).unwrap().unwrap();
            let mut fixed: Vec<Option<f64>> =
                reachable.iter().map(|&r| if r { None } else { Some(0.0) }).collect();
            let mut lp = StageSimplex::new(&model, &portfolio, &fixed).unwrap();
            lp.solve().unwrap();
            let z = lp.objective();
            prop_assert!((z - reference(&model, &portfolio, &fixed)).abs() < 1e-7);
            // Dual weights: boxed, and no panel of the portfolio prices above the bound.
            let (w, bound) = lp.duals();
            for c in &portfolio {
                let v: f64 = c.iter().enumerate().map(|(t, &n)| w[t] * f64::from(n) / f64::from(model.size(t))).sum();
                prop_assert!(v <= bound + 1e-7, "{} > {}", v, bound);
            }
            // Fix one unfixed type a little below z and re-solve from the kept basis.
            let open: Vec<usize> = (0..fixed.len()).filter(|&t| fixed[t].is_none()).collect();
            if !open.is_empty() {
                fixed[open[pick % open.len()]] = Some((z - 1e-6).max(0.0));
                let mut next = lp.restage(&model, &portfolio, &fixed).unwrap();
                next.solve().unwrap();
                prop_assert!((next.objective() - reference(&model, &portfolio, &fixed)).abs() < 1e-7);
            }
        }
    }
}
