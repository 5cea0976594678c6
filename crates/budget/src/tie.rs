//! Tie-breaking between projects that a rule rates equally.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use crate::Error;
use crate::model::Election;
use crate::profile::Profile;

/// One criterion of a tie-break chain.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum TieKey {
    /// The cheaper project first.
    MinCost,
    /// The dearer project first.
    MaxCost,
    /// The project named on more ballots first.
    MaxVotes,
    /// The project with the smaller `project_id` first: numeric order when both ids are
    /// integers, else byte order.
    Id,
}

/// How ties between projects are settled.
///
/// ```
/// use kompas_budget::{TieBreak, TieKey};
/// let t: TieBreak = "min-cost,max-votes,id".parse()?;
/// assert_eq!(t, TieBreak::default());
/// assert_eq!("refuse".parse::<TieBreak>()?, TieBreak::Refuse);
/// assert_eq!(TieBreak::Chain(vec![TieKey::Id]).to_string(), "id");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(
    Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum TieBreak {
    /// Apply the keys in order; projects still tied after the last key go in file order.
    Chain(Vec<TieKey>),
    /// Refuse to decide: the rule returns [`Error::Tie`] listing the tied projects.
    Refuse,
}

impl Default for TieBreak {
    /// Min cost, then max votes, then project id.
    fn default() -> Self {
        TieBreak::Chain(vec![TieKey::MinCost, TieKey::MaxVotes, TieKey::Id])
    }
}

impl FromStr for TieBreak {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self, Error> {
        if s.trim() == "refuse" {
            return Ok(TieBreak::Refuse);
        }
        let keys = s
            .split(',')
            .map(|k| match k.trim() {
                "min-cost" => Ok(TieKey::MinCost),
                "max-cost" => Ok(TieKey::MaxCost),
                "max-votes" => Ok(TieKey::MaxVotes),
                "id" => Ok(TieKey::Id),
                other => Err(Error::InvalidOption(format!(
                    "tie-break key `{other}`: expected min-cost, max-cost, max-votes, id, or `refuse`"
                ))),
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(TieBreak::Chain(keys))
    }
}

impl fmt::Display for TieBreak {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TieBreak::Refuse => f.write_str("refuse"),
            TieBreak::Chain(keys) => {
                for (i, k) in keys.iter().enumerate() {
                    if i > 0 {
                        f.write_str(",")?;
                    }
                    f.write_str(match k {
                        TieKey::MinCost => "min-cost",
                        TieKey::MaxCost => "max-cost",
                        TieKey::MaxVotes => "max-votes",
                        TieKey::Id => "id",
                    })?;
                }
                Ok(())
            }
        }
    }
}

/// Compares two project ids: numerically when both are integers, else bytewise.
pub(crate) fn cmp_ids(a: &str, b: &str) -> Ordering {
    match (a.parse::<u128>(), b.parse::<u128>()) {
        (Ok(x), Ok(y)) => x.cmp(&y).then_with(|| a.cmp(b)),
        _ => a.cmp(b),
    }
}

/// Resolves ties using a profile (costs, votes) and the election (ids).
pub(crate) struct Tie<'a> {
    pub(crate) rule: &'a TieBreak,
    pub(crate) profile: &'a Profile,
    pub(crate) election: &'a Election,
}

impl Tie<'_> {
    /// Orders two projects by the chain (`Less` = preferred). Equal only for the same project
    /// when the chain ends in `id`; otherwise falls back to file order.
    pub(crate) fn cmp(&self, a: usize, b: usize) -> Ordering {
        let keys: &[TieKey] = match self.rule {
            TieBreak::Chain(k) => k,
            TieBreak::Refuse => &[],
        };
        for k in keys {
            let o = match k {
                TieKey::MinCost => self.profile.costs[a].cmp(&self.profile.costs[b]),
                TieKey::MaxCost => self.profile.costs[b].cmp(&self.profile.costs[a]),
                TieKey::MaxVotes => self.profile.votes[b].cmp(&self.profile.votes[a]),
                TieKey::Id => cmp_ids(
                    self.election.projects[a].id.as_str(),
                    self.election.projects[b].id.as_str(),
                ),
            };
            if o != Ordering::Equal {
                return o;
            }
        }
        a.cmp(&b)
    }

    /// Picks one of `tied` (non-empty), or refuses.
    pub(crate) fn pick(&self, tied: &[usize]) -> Result<usize, Error> {
        if tied.len() > 1 && *self.rule == TieBreak::Refuse {
            return Err(self.refusal(tied));
        }
        tied.iter()
            .copied()
            .min_by(|&a, &b| self.cmp(a, b))
            .ok_or_else(|| Error::Unsupported("no project to pick from".to_owned()))
    }

    pub(crate) fn refusal(&self, tied: &[usize]) -> Error {
        let mut projects: Vec<String> = tied
            .iter()
            .map(|&j| self.election.projects[j].id.to_string())
            .collect();
        projects.sort_by(|a, b| cmp_ids(a, b));
        Error::Tie { projects }
    }
}
