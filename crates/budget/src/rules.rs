//! The voting rules and their options, and the outcome they return.

use num_rational::BigRational;
use num_traits::ToPrimitive;

use crate::mes::{Add1Stop, MesCtx, add1};
use crate::model::{Election, ProjectId};
use crate::profile::{Profile, Utility};
use crate::tie::{Tie, TieBreak};
use crate::{Decimal, Error};

/// What greedy ranks projects by.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum GreedyMeasure {
    /// Votes for approval and choose-1 ballots, score for the others.
    #[default]
    Auto,
    /// The number of ballots naming the project.
    Votes,
    /// The total points (ordinal ballots: the points of the scoring function).
    Score,
}

/// What greedy does when the next project does not fit.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum GreedyVariant {
    /// Skip it and go on with the next one (Pabulib `greedy`).
    #[default]
    Skip,
    /// Stop (Pabulib `greedy-no-skip`).
    NoSkip,
    /// Skip, and consider only projects named on at least `min_votes` ballots
    /// (Pabulib `greedy-threshold`).
    Threshold {
        /// The least number of ballots a project needs.
        min_votes: u64,
    },
}

/// Options of greedy.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
pub struct Greedy {
    /// What projects are ranked by.
    pub measure: GreedyMeasure,
    /// What happens when a project does not fit.
    pub variant: GreedyVariant,
}

/// How MES spends what it leaves unspent.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Completion {
    /// Plain MES at endowment budget / voters.
    #[default]
    None,
    /// Add1: raise every voter's endowment by one currency unit at a time and rerun MES; stop at
    /// the first outcome to which no unselected project can be added within the budget; if a
    /// step's outcome exceeds the budget, return the previous outcome.
    Add1,
    /// Add1, full: keep raising while the outcome fits the budget; return the last one that fits.
    Add1Full,
    /// Plain MES, then add projects greedily by total utility per cost while they fit
    /// (by votes, for approval ballots with cost utilities).
    Utilitarian,
}

/// Whether MES is checked against greedy.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Comparison {
    /// No comparison.
    #[default]
    None,
    /// Keep the MES outcome only if more voters prefer it (higher utility) to the greedy
    /// outcome than the other way round; else return the greedy outcome.
    Greedy,
}

/// Options of the Method of Equal Shares.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
pub struct Mes {
    /// The utilities voters have.
    pub utility: Utility,
    /// The completion.
    pub completion: Completion,
    /// The comparison step.
    pub comparison: Comparison,
}

/// A voting rule with its options.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case", tag = "rule")]
pub enum Rule {
    /// Greedy by votes or score.
    Greedy(Greedy),
    /// The Method of Equal Shares.
    Mes(Mes),
    /// Sequential Phragmén.
    Phragmen,
    /// Maximum utilitarian welfare (knapsack).
    Utilitarian {
        /// The utilities summed.
        utility: Utility,
    },
}

/// Which outcome the comparison step kept.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Kept {
    /// The MES outcome.
    Mes,
    /// The greedy outcome.
    Greedy,
}

/// The result of the comparison step.
#[derive(
    Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
pub struct ComparisonResult {
    /// Voters with higher utility under MES.
    pub prefer_mes: u64,
    /// Voters with higher utility under greedy.
    pub prefer_greedy: u64,
    /// Which outcome was returned.
    pub kept: Kept,
    /// The greedy outcome compared with.
    pub greedy: Vec<ProjectId>,
}

/// An exact per-voter endowment (a fraction), with its approximate value.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct Endowment {
    /// The exact value as `numerator/denominator` in currency units (or an integer).
    pub exact: String,
    /// The value as a float, for display.
    pub approx: f64,
}

/// What a rule decided.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize, schemars::JsonSchema)]
pub struct Outcome {
    /// The funded projects, in the order the rule selected them.
    pub funded: Vec<ProjectId>,
    /// Their total cost.
    pub total_cost: Decimal,
    /// The budget.
    pub budget: Decimal,
    /// How many times MES was run (0 for other rules).
    pub mes_runs: u64,
    /// How many of those runs needed exact arithmetic (near ties).
    pub exact_mes_runs: u64,
    /// The per-voter endowment of the MES run that was returned.
    pub endowment: Option<Endowment>,
    /// The comparison step, when asked for.
    pub comparison: Option<ComparisonResult>,
}

impl Outcome {
    /// The funded ids sorted (numerically when they are integers).
    pub fn funded_sorted(&self) -> Vec<ProjectId> {
        let mut v = self.funded.clone();
        v.sort_by(|a, b| crate::tie::cmp_ids(a.as_str(), b.as_str()));
        v
    }
}

/// Runs a rule on an election.
///
/// ```
/// use kompas_budget::{Completion, Election, Mes, Rule, TieBreak, run};
/// let text = "META\nkey;value\nbudget;10\nvote_type;approval\n\
///             PROJECTS\nproject_id;cost\na;6\nb;4\nc;5\n\
///             VOTES\nvoter_id;vote\nv1;a\nv2;a\nv3;b,c\n";
/// let e = Election::parse(text)?;
/// let mes = Rule::Mes(Mes { completion: Completion::Add1, ..Mes::default() });
/// let out = run(&e, &mes, &TieBreak::default())?;
/// let ids: Vec<&str> = out.funded.iter().map(|p| p.as_str()).collect();
/// assert_eq!(ids, ["a", "b"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`Error::Tie`] when the tie-break rule is `refuse` and a tie must be broken; format errors of
/// an invalid election; [`Error::Unsupported`] for an unusable `scoring_fn`.
pub fn run(election: &Election, rule: &Rule, tie_break: &TieBreak) -> Result<Outcome, Error> {
    let prof = Profile::new(election)?;
    let tie = Tie {
        rule: tie_break,
        profile: &prof,
        election,
    };
    let vote_type = election.vote_type()?;
    let mut mes_runs = 0;
    let mut exact_mes_runs = 0;
    let mut endowment = None;
    let mut comparison = None;
    let selected = match rule {
        Rule::Greedy(g) => greedy(&prof, &tie, g, vote_type)?,
        Rule::Phragmen => crate::phragmen::phragmen(&prof, &tie)?,
        Rule::Utilitarian { utility } => crate::knapsack::max_welfare(&prof, *utility, &tie),
        Rule::Mes(m) => {
            let ctx = MesCtx::new(&prof, m.utility);
            let (sel, e) = match m.completion {
                Completion::None | Completion::Utilitarian => {
                    let e = ctx.base_endowment();
                    let (mut sel, exact) = ctx.run(&e, &tie)?;
                    mes_runs = 1;
                    exact_mes_runs = u64::from(exact);
                    if m.completion == Completion::Utilitarian {
                        utilitarian_completion(&ctx, &tie, &mut sel);
                    }
                    (sel, e)
                }
                Completion::Add1 | Completion::Add1Full => {
                    let stop = if m.completion == Completion::Add1 {
                        Add1Stop::FirstExhaustive
                    } else {
                        Add1Stop::LastFeasible
                    };
                    let r = add1(&ctx, &tie, stop)?;
                    mes_runs = r.runs;
                    exact_mes_runs = r.exact_runs;
                    (r.selected, r.endowment)
                }
            };
            endowment = Some(to_endowment(&e, prof.unit));
            match m.comparison {
                Comparison::None => sel,
                Comparison::Greedy => {
                    let g = greedy(&prof, &tie, &Greedy::default(), vote_type)?;
                    let um = ctx.group_utilities(&sel);
                    let ug = ctx.group_utilities(&g);
                    let (mut pm, mut pg) = (0u64, 0u64);
                    for (i, grp) in prof.groups.iter().enumerate() {
                        if um[i] > ug[i] {
                            pm += grp.weight;
                        } else if ug[i] > um[i] {
                            pg += grp.weight;
                        }
                    }
                    let kept = if pm > pg { Kept::Mes } else { Kept::Greedy };
                    comparison = Some(ComparisonResult {
                        prefer_mes: pm,
                        prefer_greedy: pg,
                        kept,
                        greedy: g.iter().map(|&j| election.projects[j].id.clone()).collect(),
                    });
                    if kept == Kept::Mes { sel } else { g }
                }
            }
        }
    };
    Ok(Outcome {
        funded: selected
            .iter()
            .map(|&j| election.projects[j].id.clone())
            .collect(),
        total_cost: prof.amount(prof.cost_of(&selected)),
        budget: prof.amount(prof.budget),
        mes_runs,
        exact_mes_runs,
        endowment,
        comparison,
    })
}

fn to_endowment(e: &BigRational, unit: i128) -> Endowment {
    let v = e / BigRational::from_integer(unit.into());
    let exact = if v.is_integer() {
        v.numer().to_string()
    } else {
        format!("{}/{}", v.numer(), v.denom())
    };
    Endowment {
        exact,
        approx: v.to_f64().unwrap_or(f64::NAN),
    }
}

/// Greedy. Complexity O(m log m).
pub(crate) fn greedy(
    prof: &Profile,
    tie: &Tie<'_>,
    g: &Greedy,
    vote_type: crate::VoteType,
) -> Result<Vec<usize>, Error> {
    use crate::VoteType::{Approval, ChooseOne};
    let by_votes = match g.measure {
        GreedyMeasure::Votes => true,
        GreedyMeasure::Score => false,
        GreedyMeasure::Auto => matches!(vote_type, Approval | ChooseOne),
    };
    let key = |j: usize| -> i128 {
        if by_votes {
            i128::from(prof.votes[j])
        } else {
            prof.score[j]
        }
    };
    let mut order: Vec<usize> = (0..prof.n_projects()).filter(|&j| key(j) > 0).collect();
    if let GreedyVariant::Threshold { min_votes } = g.variant {
        order.retain(|&j| prof.votes[j] >= min_votes);
    }
    order.sort_by(|&a, &b| key(b).cmp(&key(a)).then_with(|| tie.cmp(a, b)));
    let mut sel = Vec::new();
    let mut spent = 0i128;
    let mut k = 0;
    while k < order.len() {
        // The block of projects with the same key.
        let mut end = k + 1;
        while end < order.len() && key(order[end]) == key(order[k]) {
            end += 1;
        }
        let block = &order[k..end];
        if block.len() > 1 && *tie.rule == TieBreak::Refuse {
            let total: i128 = block.iter().map(|&j| prof.costs[j]).sum();
            if spent + total > prof.budget
                && block.iter().any(|&j| spent + prof.costs[j] <= prof.budget)
            {
                return Err(tie.refusal(block));
            }
        }
        for &j in block {
            if spent + prof.costs[j] <= prof.budget {
                spent += prof.costs[j];
                sel.push(j);
            } else if g.variant == GreedyVariant::NoSkip {
                return Ok(sel);
            }
        }
        k = end;
    }
    Ok(sel)
}

/// Adds projects by total utility per cost (exact), skipping those that do not fit.
fn utilitarian_completion(ctx: &MesCtx<'_>, tie: &Tie<'_>, sel: &mut Vec<usize>) {
    let prof = ctx.prof;
    let total: Vec<i128> = (0..prof.n_projects())
        .map(|j| {
            ctx.supporters(j)
                .iter()
                .map(|&(g, u)| i128::from(prof.groups[g as usize].weight) * u)
                .sum()
        })
        .collect();
    let mut order: Vec<usize> = ctx
        .candidates
        .iter()
        .copied()
        .filter(|j| !sel.contains(j))
        .collect();
    order.sort_by(|&a, &b| {
        (total[b] * prof.costs[a])
            .cmp(&(total[a] * prof.costs[b]))
            .then_with(|| tie.cmp(a, b))
    });
    let mut spent = prof.cost_of(sel);
    for j in order {
        if spent + prof.costs[j] <= prof.budget {
            spent += prof.costs[j];
            sel.push(j);
        }
    }
}
