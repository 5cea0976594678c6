//! The numeric view of an election the rules work on: scaled integer costs, and voters grouped
//! by identical ballots.

use std::collections::HashMap;

use crate::model::{Election, VoteType};
use crate::{Decimal, Error};

/// How a voter's satisfaction with a funded project is measured.
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
pub enum Utility {
    /// Cost utilities: a project is worth its cost to each supporter (times the points given,
    /// for cumulative, scoring and ordinal ballots). The standard for approval ballots.
    #[default]
    Cost,
    /// Cardinality utilities: a project is worth 1 to each supporter (or the points given).
    Cardinality,
}

/// A set of voters with identical ballots.
#[derive(Debug, Clone)]
pub(crate) struct Group {
    /// The number of voters in the group.
    pub(crate) weight: u64,
    /// `(project index, points)` with points > 0, sorted by project.
    pub(crate) items: Vec<(usize, i128)>,
}

/// The election in integers: amounts scaled by `10^scale`, points by `10^points_scale`.
#[derive(Debug, Clone)]
pub(crate) struct Profile {
    pub(crate) budget: i128,
    pub(crate) costs: Vec<i128>,
    /// `10^scale`: one currency unit in scaled amounts.
    pub(crate) unit: i128,
    pub(crate) scale: u32,
    pub(crate) groups: Vec<Group>,
    /// The group of each ballot, in file order.
    pub(crate) ballot_group: Vec<usize>,
    /// Number of voters naming each project (with positive points).
    pub(crate) votes: Vec<u64>,
    /// Sum of points for each project (scaled by `10^points_scale`).
    pub(crate) score: Vec<i128>,
    pub(crate) n_voters: u64,
}

impl Profile {
    /// Builds the profile. Ordinal ballots are scored by META `scoring_fn` (`Borda`, or a comma
    /// list of points for rank 1, 2, ...); without it a ballot gets L, L-1, ... points, where L
    /// is META `max_length` (or the longest ballot).
    pub(crate) fn new(e: &Election) -> Result<Profile, Error> {
        let budget_d = e.budget()?;
        let vote_type = e.vote_type()?;
        let scale = e
            .projects
            .iter()
            .map(|p| p.cost.scale())
            .chain([budget_d.scale()])
            .max()
            .unwrap_or(0);
        let overflow = |what: &str| Error::Unsupported(format!("{what} too large to compute with"));
        let budget = budget_d
            .to_scaled(scale)
            .ok_or_else(|| overflow("budget"))?;
        let costs = e
            .projects
            .iter()
            .map(|p| p.cost.to_scaled(scale).ok_or_else(|| overflow("cost")))
            .collect::<Result<Vec<_>, _>>()?;
        let index: HashMap<&str, usize> = e
            .projects
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.as_str(), i))
            .collect();
        let points_scale = e
            .ballots
            .iter()
            .flat_map(|b| b.points.iter().flatten())
            .map(Decimal::scale)
            .max()
            .unwrap_or(0);
        let ordinal_points: Vec<i128> = if vote_type == VoteType::Ordinal {
            let longest = e.ballots.iter().map(|b| b.vote.len()).max().unwrap_or(0);
            let l = e
                .meta_value("max_length")
                .and_then(|v| v.trim().parse::<usize>().ok())
                .unwrap_or(longest)
                .max(longest);
            match e.meta_value("scoring_fn").map(str::trim) {
                None | Some("") => (0..l).map(|r| (l - r) as i128).collect(),
                Some(f) if f.eq_ignore_ascii_case("borda") => {
                    (0..l).map(|r| (l - r) as i128).collect()
                }
                Some(f) => {
                    let pts = f
                        .split(',')
                        .map(|s| s.trim().parse::<i128>())
                        .collect::<Result<Vec<_>, _>>()
                        .map_err(|_| {
                            Error::Unsupported(format!(
                                "scoring_fn `{f}`: expected `Borda` or comma-separated integer points per rank"
                            ))
                        })?;
                    if pts.len() < longest {
                        return Err(Error::Unsupported(format!(
                            "scoring_fn `{f}` gives points for {} ranks but a ballot has {longest}",
                            pts.len()
                        )));
                    }
                    pts
                }
            }
        } else {
            Vec::new()
        };
        let n = e.projects.len();
        let mut votes = vec![0u64; n];
        let mut score = vec![0i128; n];
        let mut group_of: HashMap<Vec<(usize, i128)>, usize> = HashMap::new();
        let mut groups: Vec<Group> = Vec::new();
        let mut ballot_group = Vec::with_capacity(e.ballots.len());
        for (bi, b) in e.ballots.iter().enumerate() {
            let mut items = Vec::with_capacity(b.vote.len());
            for (r, pid) in b.vote.iter().enumerate() {
                let &j = index.get(pid.as_str()).ok_or_else(|| {
                    Error::UnknownProject(format!("{pid} (ballot {} `{}`)", bi + 1, b.voter_id))
                })?;
                let pts = match vote_type {
                    VoteType::Approval | VoteType::ChooseOne => 1,
                    VoteType::Ordinal => ordinal_points.get(r).copied().unwrap_or(0),
                    VoteType::Cumulative | VoteType::Scoring => b
                        .points
                        .as_ref()
                        .and_then(|p| p.get(r))
                        .and_then(|d| d.to_scaled(points_scale))
                        .ok_or_else(|| {
                            Error::Unsupported(format!(
                                "ballot {} `{}`: missing or too large points",
                                bi + 1,
                                b.voter_id
                            ))
                        })?,
                };
                if pts > 0 {
                    items.push((j, pts));
                }
            }
            items.sort_unstable();
            for w in items.windows(2) {
                if w[0].0 == w[1].0 {
                    return Err(Error::Unsupported(format!(
                        "ballot {} `{}` names project `{}` twice",
                        bi + 1,
                        b.voter_id,
                        e.projects[w[0].0].id
                    )));
                }
            }
            for &(j, p) in &items {
                votes[j] += 1;
                score[j] += p;
            }
            let g = match group_of.get(&items) {
                Some(&g) => g,
                None => {
                    groups.push(Group {
                        weight: 0,
                        items: items.clone(),
                    });
                    group_of.insert(items, groups.len() - 1);
                    groups.len() - 1
                }
            };
            groups[g].weight += 1;
            ballot_group.push(g);
        }
        Ok(Profile {
            budget,
            costs,
            unit: 10i128.pow(scale),
            scale,
            groups,
            ballot_group,
            votes,
            score,
            n_voters: e.ballots.len() as u64,
        })
    }

    pub(crate) fn n_projects(&self) -> usize {
        self.costs.len()
    }

    /// The utility of `points` on project `j` under `u`.
    pub(crate) fn utility(&self, u: Utility, j: usize, points: i128) -> i128 {
        match u {
            Utility::Cost => points * self.costs[j],
            Utility::Cardinality => points,
        }
    }

    /// Total cost of a set of projects.
    pub(crate) fn cost_of(&self, set: &[usize]) -> i128 {
        set.iter().map(|&j| self.costs[j]).sum()
    }

    /// An amount in scaled units as a decimal.
    pub(crate) fn amount(&self, units: i128) -> Decimal {
        Decimal::new(units, self.scale).unwrap_or(Decimal::from_int(0))
    }
}
