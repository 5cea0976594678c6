//! Value statements: what is valuable in "the lived life", in whose words, and where it came from.

use chrono::NaiveDate;
use kompas_core::{GoalId, Perspective, Text, ValueStatementId};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Where a value statement came from: the channel through which the municipality heard it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Origin {
    /// A dialogue meeting, a conversation, a citizens' meeting (dialog).
    Dialogue,
    /// A survey (spørgeskema).
    Survey,
    /// A formal public consultation (høring).
    Consultation,
    /// A petition or citizens' proposal (borgerforslag).
    Petition,
    /// A co-creation forum (samskabelsesforum).
    CoCreationForum,
}

/// A domain of "the lived life": the eleven dimensions of the OECD How's Life? framework of current
/// well-being, plus community-level domains that belong to a place rather than a person.
///
/// Reference: OECD (2020), *How's Life? 2020: Measuring Well-being*, OECD Publishing, Paris (the
/// OECD Well-being Framework, current well-being).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum LifeDomain {
    /// OECD: income and wealth.
    IncomeAndWealth,
    /// OECD: work and job quality.
    Work,
    /// OECD: housing.
    Housing,
    /// OECD: health.
    Health,
    /// OECD: knowledge and skills.
    KnowledgeAndSkills,
    /// OECD: environment quality.
    Environment,
    /// OECD: subjective well-being.
    SubjectiveWellBeing,
    /// OECD: safety.
    Safety,
    /// OECD: work-life balance.
    WorkLifeBalance,
    /// OECD: social connections.
    SocialConnections,
    /// OECD: civic engagement.
    CivicEngagement,
    /// Community: the life of a local community, belonging, associations (fællesskab).
    CommunityLife,
    /// Community: public space and the local environment (by- og lokalmiljø).
    PublicSpace,
    /// Community: culture, leisure and sport (kultur, fritid og idræt).
    CultureLeisureAndSport,
    /// Community: getting around (mobilitet).
    Mobility,
    /// Community: trust and social capital in a neighbourhood (tillid).
    SocialCapital,
}

impl LifeDomain {
    /// All domains, in declaration order.
    pub const ALL: [LifeDomain; 16] = [
        LifeDomain::IncomeAndWealth,
        LifeDomain::Work,
        LifeDomain::Housing,
        LifeDomain::Health,
        LifeDomain::KnowledgeAndSkills,
        LifeDomain::Environment,
        LifeDomain::SubjectiveWellBeing,
        LifeDomain::Safety,
        LifeDomain::WorkLifeBalance,
        LifeDomain::SocialConnections,
        LifeDomain::CivicEngagement,
        LifeDomain::CommunityLife,
        LifeDomain::PublicSpace,
        LifeDomain::CultureLeisureAndSport,
        LifeDomain::Mobility,
        LifeDomain::SocialCapital,
    ];

    /// Whether the domain is one of the eleven OECD How's Life? dimensions (rather than a
    /// community-level domain).
    pub const fn is_oecd(self) -> bool {
        !matches!(
            self,
            LifeDomain::CommunityLife
                | LifeDomain::PublicSpace
                | LifeDomain::CultureLeisureAndSport
                | LifeDomain::Mobility
                | LifeDomain::SocialCapital
        )
    }
}

/// Whether a value belongs to one person or is shared by a community.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// A value for the individual (det individuelle).
    Individual,
    /// A value shared by a community (fællesskabet).
    Shared,
}

/// A statement of what is valuable, in whose words, from which channel, about which domain of the
/// lived life, and which goals it bears on.
///
/// ```
/// use chrono::NaiveDate;
/// use kompas_core::{GoalId, Perspective, Text, ValueStatementId};
/// use kompas_value::{LifeDomain, Origin, Scope, ValueStatement};
///
/// let s = ValueStatement {
///     id: ValueStatementId::from_name("outdoor/1"),
///     text: Text::en("We want to train when it suits us, not when a club has the hall")?,
///     perspective: Perspective::Citizen,
///     origin: Origin::Dialogue,
///     domain: LifeDomain::CultureLeisureAndSport,
///     scope: Scope::Individual,
///     date: NaiveDate::from_ymd_opt(2021, 5, 3).ok_or("date")?,
///     goals: vec![GoalId::from_name("aarhus/3")],
/// };
/// assert!(s.is_external());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ValueStatement {
    /// The statement's id.
    pub id: ValueStatementId,
    /// What is valuable, in the words heard.
    pub text: Text,
    /// Whose words these are.
    pub perspective: Perspective,
    /// The channel it came through.
    pub origin: Origin,
    /// The domain of the lived life it concerns.
    pub domain: LifeDomain,
    /// Individual or shared by a community.
    pub scope: Scope,
    /// When it was heard.
    pub date: NaiveDate,
    /// The goals it bears on (ids in the goal hierarchy).
    #[serde(default)]
    pub goals: Vec<GoalId>,
}

impl ValueStatement {
    /// Whether the statement comes from outside the municipal organisation (a citizen, a business or
    /// civil society), that is, whether it keeps a goal from being "defined at the desk".
    pub const fn is_external(&self) -> bool {
        self.perspective.is_external()
    }

    /// The goals this statement bears on.
    pub fn goal_ids(&self) -> &[GoalId] {
        &self.goals
    }
}
