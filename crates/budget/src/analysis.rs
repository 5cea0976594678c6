//! Analysis of an outcome: voter satisfaction, inequality, proportionality (EJR+ up to one) and,
//! for each unfunded project, why it lost.

use std::collections::BTreeSet;

use num_bigint::BigInt;
use num_rational::BigRational;
use num_traits::{ToPrimitive, Zero};

use crate::mes::MesCtx;
use crate::model::{Election, ProjectId};
use crate::profile::{Profile, Utility};
use crate::rules::Outcome;
use crate::tie::{Tie, TieBreak};
use crate::{Decimal, Error};

/// How satisfied one voter is with an outcome.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct VoterSatisfaction {
    /// `voter_id`.
    pub voter_id: String,
    /// Funded projects the ballot names (with positive points).
    pub funded_approved: u32,
    /// Total cost of those projects (cost satisfaction).
    pub cost_satisfaction: Decimal,
}

/// A group of supporters of an unfunded project that EJR+ up to one says is under-served.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct EjrViolation {
    /// The unfunded project the group supports.
    pub project: ProjectId,
    /// The size of the group.
    pub group_size: u64,
    /// What the group deserves: its share of the budget, `group_size × budget / voters`.
    pub deserved: f64,
    /// The highest cost satisfaction in the group if the project were added.
    pub best_with_project: Decimal,
}

/// Why an unfunded project lost.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum LossKind {
    /// Its supporters never could pay for it at the price other projects were bought at:
    /// effective support below 100 %.
    InsufficientSupport,
    /// Its supporters could pay for it at the winning price but it lost a tie.
    LostTie,
    /// Nobody voted for it.
    NoVotes,
}

/// An unfunded project and why it lost under the Method of Equal Shares.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct LossReason {
    /// The project.
    pub project: ProjectId,
    /// Its cost.
    pub cost: Decimal,
    /// Ballots naming it.
    pub votes: u64,
    /// MES effective support in percent: the largest share of its cost that its supporters could
    /// have paid in some round at the price of the project funded in that round (after the last
    /// round: all the money they had left). 100 % or more means it could have been funded.
    pub effective_support: f64,
    /// The round (1-based) where that share was largest; 0 means after the last round.
    pub best_round: usize,
    /// The verdict.
    pub kind: LossKind,
}

/// Satisfaction, inequality and proportionality figures of an outcome.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct Analysis {
    /// Each voter, in ballot order.
    pub voters: Vec<VoterSatisfaction>,
    /// Share of voters with no funded project on their ballot (0 to 1).
    pub share_without_funded: f64,
    /// Average number of funded projects on a ballot.
    pub avg_funded_approved: f64,
    /// Gini coefficient of the voters' cost satisfaction (0 = equal, towards 1 = unequal).
    pub gini_cost_satisfaction: f64,
    /// EJR+ up to one violations (cost utilities); empty means the outcome satisfies it.
    pub ejr_violations: Vec<EjrViolation>,
    /// For each unfunded project, why it lost (sorted by effective support, highest first).
    pub unfunded: Vec<LossReason>,
}

/// Analyses an outcome of `election`.
///
/// The MES effective support is computed on a Method of Equal Shares run (cost utilities) at the
/// outcome's endowment (budget / voters when it has none), replayed in `f64`: it is a figure
/// to explain, not a decision.
///
/// The EJR+ up to one check (Brill and Peters, "Robust and Verifiable Proportionality Axioms for
/// Multiwinner Voting", EC 2023, for PB with cost utilities) looks for an unfunded project `p`
/// and a group `N'` of its supporters all of whom would have cost satisfaction below
/// `|N'| × budget / voters` even with `p` added. For each `p` only the `k` supporters with the
/// lowest satisfaction need to be tried, for each `k`: O(m × n log n) instead of a search over
/// subsets. MES satisfies it.
///
/// ```
/// use kompas_budget::{Election, Rule, TieBreak, analyse, run};
/// let e = Election::parse("META\nkey;value\nbudget;10\n\
///     PROJECTS\nproject_id;cost\na;6\nb;6\n\
///     VOTES\nvoter_id;vote\nv1;a\nv2;a\nv3;b\n")?;
/// let out = run(&e, &Rule::Phragmen, &TieBreak::default())?;
/// let an = analyse(&e, &out)?;
/// assert_eq!(an.share_without_funded, 1.0 / 3.0);
/// assert!(an.ejr_violations.is_empty());
/// assert_eq!(an.unfunded[0].project.as_str(), "b");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// Complexity: one MES run plus O(rounds × m × n) for the effective support and O(m × n log n)
/// for EJR.
///
/// # Errors
/// Errors of an invalid election, and [`Error::UnknownProject`] for an outcome naming a project
/// the election does not have.
pub fn analyse(election: &Election, outcome: &Outcome) -> Result<Analysis, Error> {
    let prof = Profile::new(election)?;
    let funded: BTreeSet<usize> = outcome
        .funded
        .iter()
        .map(|id| {
            election
                .project_index(id)
                .ok_or_else(|| Error::UnknownProject(id.to_string()))
        })
        .collect::<Result<_, _>>()?;
    let ctx = MesCtx::new(&prof, Utility::Cost);
    let gcount: Vec<u32> = prof
        .groups
        .iter()
        .map(|g| g.items.iter().filter(|(j, _)| funded.contains(j)).count() as u32)
        .collect();
    // Cost satisfaction uses plain costs (not points × cost).
    let gcost: Vec<i128> = prof
        .groups
        .iter()
        .map(|g| {
            g.items
                .iter()
                .filter(|(j, _)| funded.contains(j))
                .map(|&(j, _)| prof.costs[j])
                .sum()
        })
        .collect();
    let voters: Vec<VoterSatisfaction> = election
        .ballots
        .iter()
        .zip(&prof.ballot_group)
        .map(|(b, &g)| VoterSatisfaction {
            voter_id: b.voter_id.clone(),
            funded_approved: gcount[g],
            cost_satisfaction: prof.amount(gcost[g]),
        })
        .collect();
    let n = prof.n_voters.max(1) as f64;
    let without = prof
        .groups
        .iter()
        .zip(&gcount)
        .filter(|(_, c)| **c == 0)
        .map(|(g, _)| g.weight)
        .sum::<u64>() as f64
        / n;
    let avg = prof
        .groups
        .iter()
        .zip(&gcount)
        .map(|(g, &c)| g.weight as f64 * f64::from(c))
        .sum::<f64>()
        / n;
    let gini = gini(
        prof.groups
            .iter()
            .zip(&gcost)
            .map(|(g, &c)| (c as f64, g.weight)),
    );
    let ejr_violations = ejr(&prof, &ctx, &funded, &gcost, election);
    let endowment = match &outcome.endowment {
        Some(_) => outcome_endowment(&prof, outcome),
        None => ctx.base_endowment(),
    };
    let unfunded = losses(&prof, &ctx, &funded, &endowment, election)?;
    Ok(Analysis {
        voters,
        share_without_funded: without,
        avg_funded_approved: avg,
        gini_cost_satisfaction: gini,
        ejr_violations,
        unfunded,
    })
}

fn outcome_endowment(prof: &Profile, outcome: &Outcome) -> BigRational {
    let unit = BigRational::from_integer(BigInt::from(prof.unit));
    let parsed = outcome.endowment.as_ref().and_then(|e| {
        let (n, d) = e.exact.split_once('/').unwrap_or((&e.exact, "1"));
        let n: BigInt = n.parse().ok()?;
        let d: BigInt = d.parse().ok()?;
        (!d.is_zero()).then(|| BigRational::new(n, d))
    });
    match parsed {
        Some(r) => r * unit,
        None => BigRational::new(
            BigInt::from(prof.budget),
            BigInt::from(prof.n_voters.max(1)),
        ),
    }
}

/// Weighted Gini coefficient: Σ_i Σ_j w_i w_j |x_i - x_j| / (2 W² mean). O(k log k).
fn gini(values: impl Iterator<Item = (f64, u64)>) -> f64 {
    let mut v: Vec<(f64, f64)> = values.map(|(x, w)| (x, w as f64)).collect();
    v.sort_by(|a, b| a.0.total_cmp(&b.0));
    let w: f64 = v.iter().map(|x| x.1).sum();
    let total: f64 = v.iter().map(|x| x.0 * x.1).sum();
    if w == 0.0 || total == 0.0 {
        return 0.0;
    }
    // Σ_{i<j} w_i w_j (x_j - x_i) via a running prefix.
    let (mut acc, mut pw, mut px) = (0.0, 0.0, 0.0);
    for &(x, wi) in &v {
        acc += wi * (x * pw - px);
        pw += wi;
        px += wi * x;
    }
    acc / (w * total)
}

fn ejr(
    prof: &Profile,
    ctx: &MesCtx<'_>,
    funded: &BTreeSet<usize>,
    gcost: &[i128],
    election: &Election,
) -> Vec<EjrViolation> {
    let mut out = Vec::new();
    let n = i128::from(prof.n_voters.max(1));
    for j in 0..prof.n_projects() {
        if funded.contains(&j) {
            continue;
        }
        let mut sup: Vec<(i128, u64)> = ctx
            .supporters(j)
            .iter()
            .map(|&(g, _)| {
                (
                    gcost[g as usize] + prof.costs[j],
                    prof.groups[g as usize].weight,
                )
            })
            .collect();
        sup.sort_unstable();
        let mut k: u64 = 0;
        let mut t = 0;
        while t < sup.len() {
            let u = sup[t].0;
            while t < sup.len() && sup[t].0 == u {
                k += sup[t].1;
                t += 1;
            }
            // violation: u < k × B / n  <=>  u × n < k × B
            if u * n < i128::from(k) * prof.budget {
                out.push(EjrViolation {
                    project: election.projects[j].id.clone(),
                    group_size: k,
                    deserved: k as f64 * prof.budget as f64 / n as f64 / prof.unit as f64,
                    best_with_project: prof.amount(u),
                });
                break;
            }
        }
    }
    out
}

fn losses(
    prof: &Profile,
    ctx: &MesCtx<'_>,
    funded: &BTreeSet<usize>,
    endowment: &BigRational,
    election: &Election,
) -> Result<Vec<LossReason>, Error> {
    let tb = TieBreak::default();
    let tie = Tie {
        rule: &tb,
        profile: prof,
        election,
    };
    let (sequence, _) = ctx.run(endowment, &tie)?;
    let e = endowment.to_f64().unwrap_or(0.0);
    let mut b = vec![e; prof.groups.len()];
    let unfunded: Vec<usize> = (0..prof.n_projects())
        .filter(|j| !funded.contains(j))
        .collect();
    let mut best = vec![(0.0f64, 0usize); prof.n_projects()];
    let share = |j: usize, rho: f64, b: &[f64]| -> f64 {
        let c = prof.costs[j] as f64;
        if c == 0.0 {
            return f64::INFINITY;
        }
        let mut paid = 0.0;
        for &(g, u) in ctx.supporters(j) {
            let w = prof.groups[g as usize].weight as f64;
            paid += w * b[g as usize].min(rho * u as f64);
        }
        paid / c
    };
    for (round, &win) in sequence.iter().enumerate() {
        if prof.costs[win] == 0 {
            continue;
        }
        let rho = price(prof, ctx, win, &b);
        for &j in &unfunded {
            let s = share(j, rho, &b);
            if s > best[j].0 {
                best[j] = (s, round + 1);
            }
        }
        for &(g, u) in ctx.supporters(win) {
            let bg = &mut b[g as usize];
            *bg = (*bg - rho * u as f64).max(0.0);
        }
    }
    for &j in &unfunded {
        let s = share(j, f64::INFINITY, &b);
        if s > best[j].0 {
            best[j] = (s, 0);
        }
    }
    let mut out: Vec<LossReason> = unfunded
        .iter()
        .map(|&j| {
            let (s, r) = best[j];
            let kind = if prof.votes[j] == 0 {
                LossKind::NoVotes
            } else if s >= 1.0 {
                LossKind::LostTie
            } else {
                LossKind::InsufficientSupport
            };
            LossReason {
                project: election.projects[j].id.clone(),
                cost: prof.amount(prof.costs[j]),
                votes: prof.votes[j],
                effective_support: if s.is_finite() { s * 100.0 } else { 100.0 },
                best_round: r,
                kind,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.effective_support
            .total_cmp(&a.effective_support)
            .then_with(|| crate::tie::cmp_ids(a.project.as_str(), b.project.as_str()))
    });
    Ok(out)
}

/// The MES price of project `j` at budgets `b` (f64, for analysis only).
fn price(prof: &Profile, ctx: &MesCtx<'_>, j: usize, b: &[f64]) -> f64 {
    let c = prof.costs[j] as f64;
    let sup = ctx.supporters(j);
    let mut poor = vec![false; sup.len()];
    loop {
        let (mut paid, mut denom) = (0.0, 0.0);
        for (t, &(g, u)) in sup.iter().enumerate() {
            let w = prof.groups[g as usize].weight as f64;
            if poor[t] {
                paid += w * b[g as usize];
            } else {
                denom += w * u as f64;
            }
        }
        if denom <= 0.0 {
            return f64::INFINITY;
        }
        let rho = (c - paid) / denom;
        let mut changed = false;
        for (t, &(g, u)) in sup.iter().enumerate() {
            if !poor[t] && b[g as usize] < rho * u as f64 {
                poor[t] = true;
                changed = true;
            }
        }
        if !changed {
            return rho;
        }
    }
}
