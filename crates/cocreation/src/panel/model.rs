//! The type-level model: people with identical values are one type, and a panel is a count per type.
//!
//! Agents of the same type are interchangeable, so the set of reachable selection-probability
//! vectors is symmetric under permutations within a type; LEXIMIN's optimum is unique and hence
//! gives every member of a type the same probability. Working with counts instead of people is
//! therefore exact, and shrinks the LPs (example_small_20: 200 people, 3 types). People who share
//! a household address are kept as types of their own so that the household rule stays linear.

use std::collections::BTreeMap;

use microlp::{ComparisonOp, LinearExpr, OptimizationDirection, Problem, SolveOptions, Variable};

use super::{Error, Instance};

/// A panel as a count per type.
pub(crate) type Counts = Vec<u32>;

#[derive(Debug)]
pub(crate) struct Model {
    pub(crate) k: usize,
    /// People of each type, ascending.
    pub(crate) members: Vec<Vec<usize>>,
    /// For each type, its global value indices (one per category).
    pub(crate) type_values: Vec<Vec<usize>>,
    /// For each global value: (category, value, min, max).
    pub(crate) bounds: Vec<(usize, usize, usize, usize)>,
    /// Types that form a household (at most one of them on a panel).
    pub(crate) households: Vec<Vec<usize>>,
}

pub(crate) fn solver_error(stage: &'static str, err: &microlp::Error) -> Error {
    Error::Solver {
        stage,
        message: err.to_string().to_lowercase(),
    }
}

impl Model {
    pub(crate) fn new(instance: &Instance, k: usize) -> Result<Self, Error> {
        if k == 0 || k > instance.len() {
            return Err(Error::PanelSize {
                size: k,
                pool: instance.len(),
            });
        }
        let mut offsets = Vec::new();
        let mut bounds = Vec::new();
        for (c, cat) in instance.categories().iter().enumerate() {
            offsets.push(bounds.len());
            for (v, q) in cat.values.iter().enumerate() {
                bounds.push((c, v, q.min, q.max));
            }
        }
        let mut by_key: BTreeMap<(Vec<usize>, Option<usize>), usize> = BTreeMap::new();
        let mut members: Vec<Vec<usize>> = Vec::new();
        let mut type_values = Vec::new();
        let mut house_types: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for p in 0..instance.len() {
            let values = instance.values_of(p).unwrap_or_default();
            let global: Vec<usize> = values.iter().zip(&offsets).map(|(v, o)| o + v).collect();
            let house = instance.household_of(p);
            let key = (global.clone(), house.map(|_| p));
            let t = *by_key.entry(key).or_insert_with(|| {
                members.push(Vec::new());
                type_values.push(global);
                members.len() - 1
            });
            members[t].push(p);
            if let Some(h) = house {
                house_types.entry(h).or_default().push(t);
            }
        }
        Ok(Self {
            k,
            members,
            type_values,
            bounds,
            households: house_types.into_values().collect(),
        })
    }

    pub(crate) fn types(&self) -> usize {
        self.members.len()
    }

    pub(crate) fn size(&self, t: usize) -> u32 {
        u32::try_from(self.members[t].len()).unwrap_or(u32::MAX)
    }

    /// Adds the count variables and all panel constraints; returns the variables.
    fn base(
        &self,
        problem: &mut Problem,
        objective: &[f64],
        bounds: Option<&[(usize, usize)]>,
    ) -> Vec<Variable> {
        let vars: Vec<Variable> = (0..self.types())
            .map(|t| {
                let hi = i32::try_from(self.size(t)).unwrap_or(i32::MAX);
                problem.add_integer_var(objective.get(t).copied().unwrap_or(0.0), (0, hi))
            })
            .collect();
        let mut by_value: Vec<Vec<usize>> = vec![Vec::new(); self.bounds.len()];
        for (t, vals) in self.type_values.iter().enumerate() {
            for &v in vals {
                by_value[v].push(t);
            }
        }
        for (v, ts) in by_value.iter().enumerate() {
            let (lo, hi) = match bounds {
                Some(b) => b[v],
                None => (self.bounds[v].2, self.bounds[v].3),
            };
            let expr: LinearExpr = ts.iter().map(|&t| (vars[t], 1.0)).collect();
            if lo == hi {
                problem.add_constraint(expr, ComparisonOp::Eq, lo as f64);
            } else {
                if lo > 0 {
                    problem.add_constraint(expr.clone(), ComparisonOp::Ge, lo as f64);
                }
                problem.add_constraint(expr, ComparisonOp::Le, hi as f64);
            }
        }
        let all: LinearExpr = vars.iter().map(|&v| (v, 1.0)).collect();
        problem.add_constraint(all, ComparisonOp::Eq, self.k as f64);
        for house in &self.households {
            let expr: LinearExpr = house.iter().map(|&t| (vars[t], 1.0)).collect();
            problem.add_constraint(expr, ComparisonOp::Le, 1.0);
        }
        vars
    }

    /// Checks a count vector against the quotas exactly.
    pub(crate) fn is_feasible(&self, counts: &[u32]) -> bool {
        if counts.len() != self.types() {
            return false;
        }
        let mut per_value = vec![0usize; self.bounds.len()];
        let mut total = 0usize;
        for (t, &c) in counts.iter().enumerate() {
            if c > self.size(t) {
                return false;
            }
            total += c as usize;
            for &v in &self.type_values[t] {
                per_value[v] += c as usize;
            }
        }
        let houses_ok = self
            .households
            .iter()
            .all(|h| h.iter().map(|&t| counts[t] as usize).sum::<usize>() <= 1);
        total == self.k
            && houses_ok
            && per_value
                .iter()
                .zip(&self.bounds)
                .all(|(&n, &(_, _, lo, hi))| lo <= n && n <= hi)
    }

    /// Pricing: a feasible panel maximising `Σ weight[t]·count[t]`, or `None` if no panel meets
    /// the quotas. Exact branch and bound (microlp), warm-started from `warm` when given.
    pub(crate) fn best_panel(
        &self,
        weights: &[f64],
        warm: Option<&[u32]>,
    ) -> Result<Option<(Counts, f64)>, Error> {
        self.good_panel(weights, warm, 0.0)
    }

    /// Like [`Model::best_panel`], but branch and bound may stop once the panel is within the
    /// relative gap `gap` of the optimum (`0.0`: exact).
    pub(crate) fn good_panel(
        &self,
        weights: &[f64],
        warm: Option<&[u32]>,
        gap: f64,
    ) -> Result<Option<(Counts, f64)>, Error> {
        let scale = weights.iter().fold(0.0f64, |m, w| m.max(w.abs()));
        let scale = if scale > 0.0 { scale } else { 1.0 };
        let scaled: Vec<f64> = weights.iter().map(|w| w / scale).collect();
        let mut problem = Problem::new(OptimizationDirection::Maximize);
        let vars = self.base(&mut problem, &scaled, None);
        let mut options = SolveOptions::default();
        options.mip_gap = gap;
        if let Some(w) = warm.filter(|w| self.is_feasible(w)) {
            options.warm_start = Some(
                vars.iter()
                    .zip(w)
                    .map(|(&v, &c)| (v, f64::from(c)))
                    .collect(),
            );
        }
        let outcome = match problem.solve_with(options) {
            Ok(o) => o,
            Err(microlp::Error::Infeasible) => return Ok(None),
            Err(e) => return Err(solver_error("pricing", &e)),
        };
        let Some(solution) = outcome.solution() else {
            return Err(Error::Solver {
                stage: "pricing",
                message: "interrupted without a panel".to_owned(),
            });
        };
        let counts: Counts = vars
            .iter()
            .map(|&v| solution.var_value_raw(v).round().max(0.0) as u32)
            .collect();
        if !self.is_feasible(&counts) {
            return Err(Error::Solver {
                stage: "pricing",
                message: "the solver returned a panel that breaks a quota".to_owned(),
            });
        }
        let value = counts
            .iter()
            .zip(weights)
            .map(|(&c, w)| f64::from(c) * w)
            .sum();
        Ok(Some((counts, value)))
    }

    /// The smallest total change of the quota bounds (within the flex limits) that admits a
    /// panel; `None` if even the flex limits admit none. Returns new `(min, max)` per value.
    pub(crate) fn relax(
        &self,
        flex: &[(usize, usize)],
    ) -> Result<Option<Vec<(usize, usize)>>, Error> {
        let mut problem = Problem::new(OptimizationDirection::Minimize);
        let wide: Vec<(usize, usize)> = flex.to_vec();
        let vars = self.base(&mut problem, &[], Some(&wide));
        let mut by_value: Vec<Vec<usize>> = vec![Vec::new(); self.bounds.len()];
        for (t, vals) in self.type_values.iter().enumerate() {
            for &v in vals {
                by_value[v].push(t);
            }
        }
        let mut slacks = Vec::new();
        for (v, ts) in by_value.iter().enumerate() {
            let (_, _, lo, hi) = self.bounds[v];
            let down = problem
                .add_integer_var(1.0, (0, i32::try_from(lo - wide[v].0.min(lo)).unwrap_or(0)));
            let up_room = wide[v].1.saturating_sub(hi);
            let up = problem.add_integer_var(1.0, (0, i32::try_from(up_room).unwrap_or(i32::MAX)));
            let mut ge: LinearExpr = ts.iter().map(|&t| (vars[t], 1.0)).collect();
            ge.add(down, 1.0);
            problem.add_constraint(ge, ComparisonOp::Ge, lo as f64);
            let mut le: LinearExpr = ts.iter().map(|&t| (vars[t], 1.0)).collect();
            le.add(up, -1.0);
            problem.add_constraint(le, ComparisonOp::Le, hi as f64);
            slacks.push((down, up));
        }
        let outcome = match problem.solve() {
            Ok(o) => o,
            Err(microlp::Error::Infeasible) => return Ok(None),
            Err(e) => return Err(solver_error("relaxation", &e)),
        };
        let Some(solution) = outcome.solution() else {
            return Ok(None);
        };
        Ok(Some(
            slacks
                .iter()
                .zip(&self.bounds)
                .map(|(&(d, u), &(_, _, lo, hi))| {
                    let d = solution.var_value_raw(d).round().max(0.0) as usize;
                    let u = solution.var_value_raw(u).round().max(0.0) as usize;
                    (lo - d.min(lo), hi + u)
                })
                .collect(),
        ))
    }
}
