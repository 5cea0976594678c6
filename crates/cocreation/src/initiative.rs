//! The initiative charter: what value is sought, who takes part with which role and decision
//! right, within which limits, through which participation formats; and participants.

use std::collections::{BTreeMap, BTreeSet};

use kompas_core::{ActorId, GoalId, InitiativeId, ParticipantId, Text, UnitId, ValueStatementId};
use serde::{Deserialize, Serialize};

/// A reference to the value an initiative seeks: a value statement or a goal.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ValueRef {
    /// A value statement of `kompas-value`.
    Statement(ValueStatementId),
    /// A goal of `kompas-goals`.
    Goal(GoalId),
}

/// Where in the work co-creation takes place (any subset may apply).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// Co-creation as a process: framing the problem together.
    Process,
    /// Developing solutions together.
    DevelopingSolutions,
    /// Delivering the solution together.
    Delivering,
}

/// The capacity in which the municipality takes part (myndighed, leverandør, fællesskab).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum MunicipalCapacity {
    /// The municipality exercises public authority (permits, rulings, allocations).
    Authority,
    /// The municipality provides a service.
    ServiceProvider,
    /// The municipality takes part as a community of citizens.
    Community,
}

/// The position the municipality takes in an initiative (fortrop, bagtrop, gæst).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum MunicipalPosition {
    /// The municipality leads.
    Vanguard,
    /// The municipality follows and supports others who lead.
    Rearguard,
    /// The municipality is an invited guest in others' initiative.
    InvitedGuest,
    /// The municipality takes no part: civil society acts alone.
    NotInvolved,
}

/// A decision right on the IAP2 spectrum of public participation, from the weakest to the
/// strongest (ordered so).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum DecisionRight {
    /// Kept informed.
    Inform,
    /// Asked for feedback.
    Consult,
    /// Worked with throughout, so concerns are reflected.
    Involve,
    /// A partner in each aspect of the decision.
    Collaborate,
    /// Holds the final decision.
    Empower,
}

/// What a decision right bears on.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Default,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum DecisionScope {
    /// The initiative's own choices (what to build, how to run it).
    #[default]
    Initiative,
    /// A decision the municipality takes as authority (myndighedsafgørelse): bound by law and
    /// legal certainty.
    AuthorityDecision,
}

/// One actor's role in an initiative.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Role {
    /// The actor holding the role.
    pub actor: ActorId,
    /// What the actor is responsible for.
    #[serde(default)]
    pub responsibilities: Vec<Text>,
    /// What the actor expects of the other parties.
    #[serde(default)]
    pub expects_of_others: Vec<Text>,
    /// What the other parties expect of the actor.
    #[serde(default)]
    pub expected_by_others: Vec<Text>,
    /// The actor's decision right on the IAP2 spectrum.
    pub decision_right: DecisionRight,
    /// What the decision right bears on.
    #[serde(default)]
    pub decision_scope: DecisionScope,
    /// The formal line (unit) the actor leads, when the actor is a leader.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leads: Option<UnitId>,
    /// Units the actor shares responsibility for in this initiative.
    #[serde(default)]
    pub co_responsible_for: Vec<UnitId>,
}

impl Role {
    /// A role with a decision right and nothing else stated yet.
    pub fn new(actor: ActorId, decision_right: DecisionRight) -> Self {
        Role {
            actor,
            responsibilities: Vec::new(),
            expects_of_others: Vec::new(),
            expected_by_others: Vec::new(),
            decision_right,
            decision_scope: DecisionScope::default(),
            leads: None,
            co_responsible_for: Vec::new(),
        }
    }
}

/// The kind of limit co-creation must respect.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum LimitKind {
    /// The law.
    Law,
    /// A decision of the city council.
    CouncilDecision,
    /// Legal certainty (retssikkerhed): equal treatment, due process.
    LegalCertainty,
    /// Resources: money, staff, time.
    Resources,
}

/// A limit of an initiative, with its wording.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Limit {
    /// The kind of limit.
    pub kind: LimitKind,
    /// What the limit says.
    pub text: Text,
}

/// How people can take part.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// A meeting in person.
    InPerson,
    /// A live meeting online.
    Online,
    /// Asynchronous: a survey, a forum, a letter, at any time.
    Asynchronous,
    /// Outreach where people are (a shopping centre, a sports club, a housing estate).
    Outreach,
}

/// When a participation format is offered.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum TimeSlot {
    /// Working hours on a weekday.
    Daytime,
    /// A weekday evening.
    Evening,
    /// After the children's bedtime (from about 20:00).
    AfterBedtime,
    /// A weekend.
    Weekend,
    /// At any time (asynchronous formats).
    Anytime,
}

/// A participation format offered by an initiative.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ParticipationFormat {
    /// How people take part.
    pub channel: Channel,
    /// When.
    pub time: TimeSlot,
    /// A free description (place, date).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<Text>,
}

/// An initiative and its charter: the agreement that makes roles and expectations explicit.
///
/// Build one with [`Initiative::new`] and fill in the public fields; check it with
/// [`check_initiative`](crate::check_initiative).
///
/// ```
/// use kompas_cocreation::{Initiative, MunicipalCapacity, MunicipalPosition, ValueRef};
/// use kompas_core::{GoalId, InitiativeId, Text};
///
/// let mut i = Initiative::new(
///     InitiativeId::from_name("aarhus/initiative/klimaborgerting"),
///     Text::da("Aarhus' klimaborgerting")?,
///     MunicipalPosition::Vanguard,
/// );
/// i.capacity = Some(MunicipalCapacity::Community);
/// i.value_sought.push(ValueRef::Goal(GoalId::from_name("aarhus/goal/5")));
/// assert_eq!(i.referenced_goals().count(), 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Initiative {
    /// The initiative's id.
    pub id: InitiativeId,
    /// Its title.
    pub title: Text,
    /// The value sought: value statements or goals.
    #[serde(default)]
    pub value_sought: Vec<ValueRef>,
    /// Why co-creation is part of the answer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub why_cocreation: Option<Text>,
    /// Where co-creation takes place; empty when the initiative is not co-created.
    #[serde(default)]
    pub modes: BTreeSet<Mode>,
    /// The municipality's capacity; `None` when it is not involved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity: Option<MunicipalCapacity>,
    /// The municipality's position.
    pub position: MunicipalPosition,
    /// One role per actor.
    #[serde(default)]
    pub roles: Vec<Role>,
    /// The limits co-creation must respect.
    #[serde(default)]
    pub limits: Vec<Limit>,
    /// Who owns the problem (several allowed).
    #[serde(default)]
    pub problem_owners: Vec<ActorId>,
    /// Who owns the solution (several allowed).
    #[serde(default)]
    pub solution_owners: Vec<ActorId>,
    /// Who holds the final decision (several allowed, jointly).
    #[serde(default)]
    pub final_decision: Vec<ActorId>,
    /// The participation formats offered.
    #[serde(default)]
    pub formats: Vec<ParticipationFormat>,
}

impl Initiative {
    /// An initiative with a title and a municipal position; every list empty.
    pub fn new(id: InitiativeId, title: Text, position: MunicipalPosition) -> Self {
        Initiative {
            id,
            title,
            value_sought: Vec::new(),
            why_cocreation: None,
            modes: BTreeSet::new(),
            capacity: None,
            position,
            roles: Vec::new(),
            limits: Vec::new(),
            problem_owners: Vec::new(),
            solution_owners: Vec::new(),
            final_decision: Vec::new(),
            formats: Vec::new(),
        }
    }

    /// The value statements the initiative seeks.
    pub fn referenced_statements(&self) -> impl Iterator<Item = ValueStatementId> + '_ {
        self.value_sought.iter().filter_map(|v| match v {
            ValueRef::Statement(s) => Some(*s),
            ValueRef::Goal(_) => None,
        })
    }

    /// The goals the initiative seeks.
    pub fn referenced_goals(&self) -> impl Iterator<Item = GoalId> + '_ {
        self.value_sought.iter().filter_map(|v| match v {
            ValueRef::Goal(g) => Some(*g),
            ValueRef::Statement(_) => None,
        })
    }

    /// Every actor the charter names (roles, owners, final decision), sorted, without repeats.
    pub fn referenced_actors(&self) -> BTreeSet<ActorId> {
        self.roles
            .iter()
            .map(|r| r.actor)
            .chain(self.problem_owners.iter().copied())
            .chain(self.solution_owners.iter().copied())
            .chain(self.final_decision.iter().copied())
            .collect()
    }

    /// Every unit the charter names (leaders' lines and co-responsibilities), sorted.
    pub fn referenced_units(&self) -> BTreeSet<UnitId> {
        self.roles
            .iter()
            .flat_map(|r| r.leads.iter().chain(r.co_responsible_for.iter()).copied())
            .collect()
    }
}

/// A participant in co-creation, with the attributes used for representativeness (for example
/// `sex` and `age_band`).
///
/// ```
/// use kompas_cocreation::Participant;
/// use kompas_core::ParticipantId;
/// let p = Participant::new(ParticipantId::from_u128(1))
///     .with_attribute("sex", "women")
///     .with_attribute("age_band", "30-44");
/// assert_eq!(p.attributes["sex"], "women");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Participant {
    /// The participant's id (a pseudonym).
    pub id: ParticipantId,
    /// The initiative the participant takes part in, if recorded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub initiative: Option<InitiativeId>,
    /// Attribute name to value.
    #[serde(default)]
    pub attributes: BTreeMap<String, String>,
}

impl Participant {
    /// A participant with no attributes and no initiative.
    pub fn new(id: ParticipantId) -> Self {
        Participant {
            id,
            initiative: None,
            attributes: BTreeMap::new(),
        }
    }

    /// Adds (or replaces) an attribute.
    #[must_use]
    pub fn with_attribute(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.attributes.insert(name.into(), value.into());
        self
    }
}
