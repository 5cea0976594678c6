//! Parts of a [`crate::Compass`] that join two crates: evidence ratings (evidence strength for a
//! goal or an indicator) and stakeholder rankings (the ballots behind a decision).

use kompas_core::{DecisionId, Text};
use kompas_evidence::{EvidenceStrength, Subject};
use serde::{Deserialize, Serialize};

/// How strong the evidence behind a goal or an indicator is, on one of the four scales of
/// `kompas-evidence` (Nesta, Maryland, GRADE, GRADE-CERQual).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EvidenceRating {
    /// What the rating is about.
    pub subject: Subject,
    /// The rating.
    pub strength: EvidenceStrength,
    /// Who rated it, and on what.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Text>,
}

/// Stakeholder groups' rankings of a decision's options: the basis of the "whose voice" summary.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StakeholderRankings {
    /// The decision whose options are ranked.
    pub decision: DecisionId,
    /// The ballots.
    pub ballots: Vec<RankingBallot>,
}

/// One ranking, cast `count` times by members of a group.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RankingBallot {
    /// The stakeholder group, for example "associations".
    pub group: String,
    /// How many cast this ranking.
    pub count: u64,
    /// The ranking, best first: `A>B>C`, with `A=B` for a tie.
    pub ranking: String,
}
