//! Column generation over panels: MAXIMIN, LEXIMIN and NASH lotteries on the type-level model.
//!
//! LEXIMIN follows Flanigan, Gölz, Gupta, Hennig & Procaccia, "Fair algorithms for selecting
//! citizens' assemblies", Nature 596 (2021), Methods: in each stage the dual LP
//! `min ŷ − Σ_{fixed} v_t y_t` s.t. `Σ_t y_t c_t/n_t ≤ ŷ` for every panel `c` in the portfolio,
//! `Σ_{unfixed} y_t = 1`, `y ≥ 0` is solved (as its primal, by the dedicated simplex of
//! `simplex.rs`, whose basis is kept when a panel is added and from stage to stage); a pricing
//! MILP, warm-started by local search (`search.rs`), looks for a panel that violates a
//! constraint, which is added until the exact MILP proves none does. The optimum is the
//! largest minimum probability `z` of the unfixed types; types with a positive dual weight are
//! tight in every optimum (complementary slackness) and are fixed at `z`. A final primal LP finds
//! panel probabilities that meet all fixed values.

use microlp::{ComparisonOp, LinearExpr, OptimizationDirection, Problem, Variable};

use super::search::{LocalSearch, Pairs};
use super::simplex::StageSimplex;

use super::model::{Counts, Model, solver_error};
use super::{Error, Progress};

/// A panel's value must exceed `ŷ` by more than this to enter the portfolio.
pub(crate) const PRICING_TOLERANCE: f64 = 1e-9;
/// Relative MIP gap of the pricing calls that look for a column (not of those that prove).
pub(crate) const SEARCH_GAP: f64 = 1e-4;
/// A dual weight above this marks a type as tight.
pub(crate) const DUAL_TOLERANCE: f64 = 1e-7;
/// Types are fixed this far below the stage optimum so later stages stay feasible.
pub(crate) const FIX_SLACK: f64 = 1e-6;
/// Upper bound on dual weights. It makes the dual LP bounded even when floating-point error
/// leaves a fixed value a hair above what the portfolio achieves: in primal terms, a fixed
/// value may then be missed by `ε` at a cost of `DUAL_BOX · ε` to the stage objective.
pub(crate) const DUAL_BOX: f64 = 1e3;

pub(crate) struct TypeLottery {
    pub(crate) panels: Vec<Counts>,
    pub(crate) probabilities: Vec<f64>,
}

impl TypeLottery {
    /// Each type's selection probability: `Σ_c p_c c_t / n_t`.
    pub(crate) fn type_probabilities(&self, model: &Model) -> Vec<f64> {
        let mut pi = vec![0.0; model.types()];
        for (c, &p) in self.panels.iter().zip(&self.probabilities) {
            for (t, &n) in c.iter().enumerate() {
                pi[t] += p * f64::from(n) / f64::from(model.size(t));
            }
        }
        pi
    }
}

fn push_unique(portfolio: &mut Vec<Counts>, c: Counts) -> bool {
    if portfolio.contains(&c) {
        false
    } else {
        portfolio.push(c);
        true
    }
}

/// A portfolio of panels and, per type, whether any panel can include it.
pub(crate) type Cover = (Vec<Counts>, Vec<bool>);

/// Panels that together include every type that can be on a panel at all, plus which types can
/// (`None` if no panel meets the quotas).
pub(crate) fn cover(model: &Model) -> Result<Option<Cover>, Error> {
    let t_count = model.types();
    let mut covered = vec![false; t_count];
    let mut portfolio: Vec<Counts> = Vec::new();
    let search = LocalSearch::new(model);
    loop {
        let weights: Vec<f64> = covered.iter().map(|&c| if c { 0.0 } else { 1.0 }).collect();
        if weights.iter().all(|&w| w == 0.0) {
            break;
        }
        // Local search from the last panel covers new types without a MILP; the MILP runs
        // when it fails, and proves the remaining types unreachable.
        if let (Some(search), Some(last)) = (&search, portfolio.last()) {
            let (c, value) = search.improve(&weights, last, Pairs::Yes);
            if value > 0.5 {
                for (t, &n) in c.iter().enumerate() {
                    if n > 0 {
                        covered[t] = true;
                    }
                }
                push_unique(&mut portfolio, c);
                continue;
            }
        }
        let Some((c, value)) = model.best_panel(&weights, None)? else {
            return Ok(None);
        };
        let fresh = value > 0.5;
        for (t, &n) in c.iter().enumerate() {
            if n > 0 {
                covered[t] = true;
            }
        }
        push_unique(&mut portfolio, c);
        if !fresh {
            break;
        }
    }
    Ok(Some((portfolio, covered)))
}

/// One LEXIMIN stage: returns the optimal minimum `z` over unfixed types and their dual weights.
///
/// Pricing first tries local search from the best panel of the portfolio; only when that finds
/// no improving panel does the exact MILP run, either finding one or proving that none exists.
/// So every stage ends with a MILP certificate, as without the search.
fn run_stage(
    model: &Model,
    search: Option<&LocalSearch<'_>>,
    lp: &mut StageSimplex,
    portfolio: &mut Vec<Counts>,
) -> Result<(f64, Vec<f64>), Error> {
    lp.solve()?;
    loop {
        let (duals, bound) = lp.duals();
        let weights: Vec<f64> = duals
            .iter()
            .enumerate()
            .map(|(t, d)| d / f64::from(model.size(t)))
            .collect();
        let mut warm = portfolio
            .iter()
            .max_by(|a, b| value(a, &weights).total_cmp(&value(b, &weights)))
            .cloned();
        if let (Some(search), Some(start)) = (search, warm.as_deref()) {
            // A better incumbent lets branch and bound prune more.
            warm = Some(search.improve(&weights, start, Pairs::No).0);
        }
        // A panel within 0.01 % of the best one is as good a column; when it does not improve
        // the LP, the exact MILP decides.
        let mut found = model.good_panel(&weights, warm.as_deref(), SEARCH_GAP)?;
        if found
            .as_ref()
            .is_none_or(|(c, v)| *v <= bound + PRICING_TOLERANCE || portfolio.contains(c))
        {
            found = model.best_panel(&weights, warm.as_deref())?;
        }
        let Some((c, best)) = found else {
            return Err(Error::Solver {
                stage: "leximin pricing",
                message: "no panel found although one existed".to_owned(),
            });
        };
        if best <= bound + PRICING_TOLERANCE || portfolio.contains(&c) {
            return Ok((lp.objective(), duals));
        }
        lp.add_panel(model, &c);
        portfolio.push(c);
        lp.solve()?;
    }
}

fn value(c: &[u32], weights: &[f64]) -> f64 {
    c.iter().zip(weights).map(|(&n, w)| f64::from(n) * w).sum()
}

/// Which lottery to optimise with column generation.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Goal {
    Maximin,
    Leximin,
}

pub(crate) fn leximin(
    model: &Model,
    goal: Goal,
    progress: &mut dyn FnMut(&Progress),
) -> Result<Option<TypeLottery>, Error> {
    let Some((mut portfolio, reachable)) = cover(model)? else {
        return Ok(None);
    };
    let mut fixed: Vec<Option<f64>> = reachable
        .iter()
        .map(|&r| if r { None } else { Some(0.0) })
        .collect();
    let mut stage = 0;
    let mut lp: Option<StageSimplex> = None;
    let search = LocalSearch::new(model);
    while fixed.iter().any(Option::is_none) {
        stage += 1;
        let mut current = match lp.take() {
            None => StageSimplex::new(model, &portfolio, &fixed)?,
            Some(previous) => previous.restage(model, &portfolio, &fixed)?,
        };
        let (z, duals) = run_stage(model, search.as_ref(), &mut current, &mut portfolio)?;
        lp = Some(current);
        let mut newly = 0;
        for t in 0..model.types() {
            if fixed[t].is_none() && duals[t] > DUAL_TOLERANCE {
                fixed[t] = Some((z - FIX_SLACK).max(0.0));
                newly += 1;
            }
        }
        if newly == 0 {
            // Numerical safety: fix the type with the largest dual weight.
            if let Some(t) = (0..model.types())
                .filter(|&t| fixed[t].is_none())
                .max_by(|&a, &b| duals[a].total_cmp(&duals[b]))
            {
                fixed[t] = Some((z - FIX_SLACK).max(0.0));
            }
        }
        if goal == Goal::Maximin {
            for f in &mut fixed {
                if f.is_none() {
                    *f = Some((z - FIX_SLACK).max(0.0));
                }
            }
        }
        let people_fixed = fixed
            .iter()
            .enumerate()
            .filter(|(_, f)| f.is_some())
            .map(|(t, _)| model.members[t].len())
            .sum();
        progress(&Progress {
            stage,
            fixed: people_fixed,
            panels: portfolio.len(),
            value: z,
        });
    }
    let targets: Vec<f64> = fixed.iter().map(|f| f.unwrap_or(0.0)).collect();
    primal(model, portfolio, &targets, goal == Goal::Leximin).map(Some)
}

/// Panel probabilities over the portfolio that come as close as possible to the targets:
/// minimises the largest shortfall plus the largest excess over any type.
fn primal(
    model: &Model,
    portfolio: Vec<Counts>,
    targets: &[f64],
    two_sided: bool,
) -> Result<TypeLottery, Error> {
    let mut problem = Problem::new(OptimizationDirection::Minimize);
    let p: Vec<Variable> = portfolio
        .iter()
        .map(|_| problem.add_var(0.0, (0.0, 1.0)))
        .collect();
    // Shortfall first (weight 1000), excess second.
    let d = problem.add_var(1000.0, (0.0, f64::INFINITY));
    let e = problem.add_var(1.0, (0.0, f64::INFINITY));
    let all: LinearExpr = p.iter().map(|&v| (v, 1.0)).collect();
    problem.add_constraint(all, ComparisonOp::Eq, 1.0);
    for (t, &target) in targets.iter().enumerate() {
        if target <= 0.0 {
            continue;
        }
        let mut expr: LinearExpr = portfolio
            .iter()
            .zip(&p)
            .filter(|(c, _)| c[t] > 0)
            .map(|(c, &v)| (v, f64::from(c[t]) / f64::from(model.size(t))))
            .collect();
        let mut upper = expr.clone();
        expr.add(d, 1.0);
        problem.add_constraint(expr, ComparisonOp::Ge, target);
        // Two-sided, so the mass freed by `FIX_SLACK` is spread evenly, not dumped on one type.
        // (LEXIMIN only: there every target is the person's exact optimum.)
        if two_sided {
            upper.add(e, -1.0);
            problem.add_constraint(upper, ComparisonOp::Le, target);
        }
    }
    let solution = problem
        .solve()
        .map_err(|e| solver_error("final primal lp", &e))?
        .into_solution()
        .map_err(|_| Error::Solver {
            stage: "final primal lp",
            message: "interrupted".to_owned(),
        })?;
    let raw: Vec<f64> = p
        .iter()
        .map(|&v| solution.var_value_raw(v).max(0.0))
        .collect();
    Ok(clean(portfolio, raw))
}

/// Drops panels with negligible probability (below 1e-12) and renormalises to sum 1.
pub(crate) fn clean(portfolio: Vec<Counts>, raw: Vec<f64>) -> TypeLottery {
    let mut panels = Vec::new();
    let mut probabilities = Vec::new();
    for (c, p) in portfolio.into_iter().zip(raw) {
        if p > 1e-12 {
            panels.push(c);
            probabilities.push(p);
        }
    }
    let total: f64 = probabilities.iter().sum();
    if total > 0.0 {
        for p in &mut probabilities {
            *p /= total;
        }
    }
    TypeLottery {
        panels,
        probabilities,
    }
}

/// Relative Frank–Wolfe duality gap at which NASH stops.
pub(crate) const NASH_GAP: f64 = 1e-5;

/// NASH: maximise `Σ_i log π_i` over reachable people. Frank–Wolfe over panels (pricing with
/// weights `1/π_t`, exact line search) with multiplicative (EM) corrective steps on the
/// portfolio; stops when the Frank–Wolfe gap, an upper bound on the remaining suboptimality of
/// `Σ log π`, is below `NASH_GAP · n`.
pub(crate) fn nash(
    model: &Model,
    progress: &mut dyn FnMut(&Progress),
) -> Result<Option<TypeLottery>, Error> {
    let Some((mut portfolio, reachable)) = cover(model)? else {
        return Ok(None);
    };
    let n_reach: f64 = (0..model.types())
        .filter(|&t| reachable[t])
        .map(|t| f64::from(model.size(t)))
        .sum();
    let mut p = vec![1.0 / portfolio.len() as f64; portfolio.len()];
    let probs = |portfolio: &[Counts], p: &[f64]| -> Vec<f64> {
        let mut pi = vec![0.0; model.types()];
        for (c, &w) in portfolio.iter().zip(p) {
            for (t, &n) in c.iter().enumerate() {
                pi[t] += w * f64::from(n) / f64::from(model.size(t));
            }
        }
        pi
    };
    for round in 1..=500 {
        // Corrective EM steps: p_c <- p_c · (Σ_t c_t / π_t) / n.
        for _ in 0..50 {
            let pi = probs(&portfolio, &p);
            for (c, w) in portfolio.iter().zip(p.iter_mut()) {
                let g: f64 = c
                    .iter()
                    .enumerate()
                    .filter(|(t, n)| **n > 0 && reachable[*t])
                    .map(|(t, &n)| f64::from(n) / pi[t])
                    .sum();
                *w *= g / n_reach;
            }
        }
        let pi = probs(&portfolio, &p);
        let weights: Vec<f64> = (0..model.types())
            .map(|t| {
                if reachable[t] && pi[t] > 0.0 {
                    1.0 / pi[t]
                } else {
                    0.0
                }
            })
            .collect();
        let Some((c, best)) = model.best_panel(&weights, None)? else {
            return Ok(None);
        };
        let gap = best - n_reach;
        progress(&Progress {
            stage: round,
            fixed: 0,
            panels: portfolio.len(),
            value: gap / n_reach,
        });
        if gap <= NASH_GAP * n_reach {
            break;
        }
        // Exact line search on γ for p <- (1-γ) p + γ e_c by bisection on the derivative.
        let d: Vec<f64> = c
            .iter()
            .enumerate()
            .map(|(t, &n)| f64::from(n) / f64::from(model.size(t)) - pi[t])
            .collect();
        let slope = |g: f64| -> f64 {
            (0..model.types())
                .filter(|&t| reachable[t])
                .map(|t| f64::from(model.size(t)) * d[t] / (pi[t] + g * d[t]))
                .sum()
        };
        let (mut lo, mut hi) = (0.0, 1.0);
        if slope(1.0) > 0.0 {
            lo = 1.0;
        } else {
            for _ in 0..60 {
                let mid = 0.5 * (lo + hi);
                if slope(mid) > 0.0 { lo = mid } else { hi = mid }
            }
        }
        let gamma = lo;
        for w in &mut p {
            *w *= 1.0 - gamma;
        }
        match portfolio.iter().position(|x| *x == c) {
            Some(i) => p[i] += gamma,
            None => {
                portfolio.push(c);
                p.push(gamma);
            }
        }
    }
    Ok(Some(clean(portfolio, p)))
}
