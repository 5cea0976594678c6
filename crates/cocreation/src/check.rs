//! Charter checks: findings with stable codes and severities, each traced to the framework.

use std::collections::{BTreeMap, BTreeSet};

use kompas_core::{ActorId, InitiativeId};
use serde::{Deserialize, Serialize};

use crate::{Actor, Channel, DecisionRight, DecisionScope, Initiative, MunicipalCapacity};
use crate::{MunicipalPosition, TimeSlot};

/// How serious a finding is, from the mildest (ordered so).
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
pub enum Severity {
    /// Recorded for information; nothing to fix.
    Info,
    /// Should be fixed or explained; includes inconsistencies.
    Warning,
    /// Must be fixed: the charter breaks a limit of co-creation or is incomplete.
    Error,
}

/// The stable code of a charter check. The serialized name (kebab-case, shown in the table of
/// [`check_initiative`]) never changes meaning; new checks get new codes.
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
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum CheckCode {
    /// The value sought is missing.
    ValueSoughtMissing,
    /// Why co-creation is part of the answer is missing.
    WhyCocreationMissing,
    /// A party has no stated expectations (one way or both).
    ExpectationsMissing,
    /// A non-municipal actor is empowered over a decision the municipality takes as authority.
    AuthorityDecisionDelegated,
    /// The municipality is an invited guest yet holds the final decision.
    GuestHoldsFinalDecision,
    /// The municipality is not involved yet one of its units holds a role or a capacity is set.
    UninvolvedMunicipalityActs,
    /// An initiative called co-creation gives no civil actor a role of at least `involve`.
    NoCitizenFacingRole,
    /// A co-created initiative offers no participation format.
    NoParticipationFormat,
    /// Only daytime, in-person formats are offered.
    DaytimeInPersonOnly,
    /// The solution has no owner.
    NoSolutionOwner,
    /// A leader holds co-responsibility outside their formal line.
    CrossLineCoResponsibility,
    /// The charter names an actor that is not in the list of actors.
    UnknownActor,
    /// An actor holds more than one role.
    DuplicateRole,
}

impl CheckCode {
    /// Every code, in table order.
    pub const ALL: [CheckCode; 13] = [
        CheckCode::ValueSoughtMissing,
        CheckCode::WhyCocreationMissing,
        CheckCode::ExpectationsMissing,
        CheckCode::AuthorityDecisionDelegated,
        CheckCode::GuestHoldsFinalDecision,
        CheckCode::UninvolvedMunicipalityActs,
        CheckCode::NoCitizenFacingRole,
        CheckCode::NoParticipationFormat,
        CheckCode::DaytimeInPersonOnly,
        CheckCode::NoSolutionOwner,
        CheckCode::CrossLineCoResponsibility,
        CheckCode::UnknownActor,
        CheckCode::DuplicateRole,
    ];

    /// The stable name, as serialized.
    pub const fn as_str(self) -> &'static str {
        match self {
            CheckCode::ValueSoughtMissing => "value-sought-missing",
            CheckCode::WhyCocreationMissing => "why-cocreation-missing",
            CheckCode::ExpectationsMissing => "expectations-missing",
            CheckCode::AuthorityDecisionDelegated => "authority-decision-delegated",
            CheckCode::GuestHoldsFinalDecision => "guest-holds-final-decision",
            CheckCode::UninvolvedMunicipalityActs => "uninvolved-municipality-acts",
            CheckCode::NoCitizenFacingRole => "no-citizen-facing-role",
            CheckCode::NoParticipationFormat => "no-participation-format",
            CheckCode::DaytimeInPersonOnly => "daytime-in-person-only",
            CheckCode::NoSolutionOwner => "no-solution-owner",
            CheckCode::CrossLineCoResponsibility => "cross-line-co-responsibility",
            CheckCode::UnknownActor => "unknown-actor",
            CheckCode::DuplicateRole => "duplicate-role",
        }
    }

    /// The fixed severity of the code.
    pub const fn severity(self) -> Severity {
        match self {
            CheckCode::ValueSoughtMissing
            | CheckCode::WhyCocreationMissing
            | CheckCode::AuthorityDecisionDelegated
            | CheckCode::UnknownActor
            | CheckCode::DuplicateRole => Severity::Error,
            CheckCode::ExpectationsMissing
            | CheckCode::GuestHoldsFinalDecision
            | CheckCode::UninvolvedMunicipalityActs
            | CheckCode::NoCitizenFacingRole
            | CheckCode::NoParticipationFormat
            | CheckCode::DaytimeInPersonOnly
            | CheckCode::NoSolutionOwner => Severity::Warning,
            CheckCode::CrossLineCoResponsibility => Severity::Info,
        }
    }

    /// Where in the framework (Aarhuskompasset, 2021) the check comes from.
    pub const fn reference(self) -> &'static str {
        match self {
            CheckCode::ValueSoughtMissing => {
                "anchor point 1, stronger focus on value: decisions are taken with value in view"
            }
            CheckCode::WhyCocreationMissing => {
                "anchor point 2, stronger co-creation: the task decides who contributes best"
            }
            CheckCode::ExpectationsMissing => {
                "anchor point 2: all parties must be clear about roles and expectations"
            }
            CheckCode::AuthorityDecisionDelegated => {
                "anchor point 2: co-creation has limits (law, legal certainty); classic duty of legal certainty"
            }
            CheckCode::GuestHoldsFinalDecision | CheckCode::UninvolvedMunicipalityActs => {
                "anchor point 2: the municipality leads, follows or is an invited guest, and roles must be explicit"
            }
            CheckCode::NoCitizenFacingRole => {
                "anchor point 2: value is created together with citizens, not at the desk"
            }
            CheckCode::NoParticipationFormat | CheckCode::DaytimeInPersonOnly => {
                "anchor point 2: co-creation must be representative and designed on everyone's terms (offline, online, after the children's bedtime)"
            }
            CheckCode::NoSolutionOwner => {
                "anchor point 2: roles and responsibilities must be explicit"
            }
            CheckCode::CrossLineCoResponsibility => {
                "anchor point 2: leaders take co-responsibility across the organisation"
            }
            CheckCode::UnknownActor | CheckCode::DuplicateRole => {
                "anchor point 2: roles must be explicit (one role per actor, every actor known)"
            }
        }
    }
}

impl std::fmt::Display for CheckCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a finding is about.
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
pub enum Subject {
    /// The initiative as a whole.
    Initiative(InitiativeId),
    /// One actor of the initiative.
    Actor(ActorId),
}

/// One result of [`check_initiative`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Finding {
    /// The stable code.
    pub code: CheckCode,
    /// How serious it is (always `code.severity()`).
    pub severity: Severity,
    /// What it is about.
    pub subject: Subject,
    /// A lowercase sentence saying what is wrong and what is expected.
    pub message: String,
    /// Where in the framework the check comes from.
    pub reference: String,
}

impl Finding {
    fn new(code: CheckCode, subject: Subject, message: String) -> Self {
        Finding {
            code,
            severity: code.severity(),
            subject,
            message,
            reference: code.reference().to_owned(),
        }
    }
}

/// Checks an initiative's charter against the framework and returns every finding, sorted by
/// severity (errors first), then code, then subject.
///
/// `actors` is the list of known actors; the charter's actor ids are looked up there.
///
/// | code | severity | fires when | framework |
/// |---|---|---|---|
/// | `value-sought-missing` | error | no value statement or goal is named | anchor 1: decisions taken with value in view |
/// | `why-cocreation-missing` | error | no reason why co-creation is part of the answer | anchor 2: the task decides who contributes best |
/// | `expectations-missing` | warning | a role states no expectations of others, or none by others | anchor 2: roles and expectations explicit |
/// | `authority-decision-delegated` | error | capacity is authority and a non-municipal actor is `empower`ed over an authority decision | anchor 2 limits: law, legal certainty |
/// | `guest-holds-final-decision` | warning | position is invited guest, yet a municipal actor holds the final decision (or is `empower`ed): an inconsistency | anchor 2: lead, follow or be a guest |
/// | `uninvolved-municipality-acts` | warning | position is not involved, yet a municipal actor holds a role or a capacity is set: an inconsistency | anchor 2: roles explicit |
/// | `no-citizen-facing-role` | warning | modes are given (the initiative calls itself co-creation) but no citizen, citizen group, association or volunteer holds a role of at least `involve` | anchor 2: value created with citizens |
/// | `no-participation-format` | warning | modes are given but no format is offered | anchor 2: designed on everyone's terms |
/// | `daytime-in-person-only` | warning | every format offered is in person in the daytime | anchor 2: after the children's bedtime, online |
/// | `no-solution-owner` | warning | nobody owns the solution | anchor 2: responsibilities explicit |
/// | `cross-line-co-responsibility` | info | a role `leads` a unit and is co-responsible for another unit | anchor 2: co-responsibility across the organisation |
/// | `unknown-actor` | error | a role, owner or decision holder is not in `actors` | roles explicit |
/// | `duplicate-role` | error | an actor holds two roles | roles explicit |
///
/// An initiative run by civil society alone (position not involved, no municipal actor) is valid.
///
/// Complexity: O(r log a + f) for r roles, a actors and f formats.
///
/// ```
/// use kompas_cocreation::{check_initiative, CheckCode, Initiative, MunicipalPosition};
/// use kompas_core::{InitiativeId, Text};
///
/// let i = Initiative::new(InitiativeId::from_u128(1), Text::da("Tom")?, MunicipalPosition::Vanguard);
/// let codes: Vec<CheckCode> = check_initiative(&i, &[]).iter().map(|f| f.code).collect();
/// assert!(codes.contains(&CheckCode::ValueSoughtMissing));
/// assert!(codes.contains(&CheckCode::NoSolutionOwner));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn check_initiative(initiative: &Initiative, actors: &[Actor]) -> Vec<Finding> {
    let by_id: BTreeMap<ActorId, &Actor> = actors.iter().map(|a| (a.id, a)).collect();
    let me = Subject::Initiative(initiative.id);
    let mut out = Vec::new();
    let is_municipal = |id: &ActorId| by_id.get(id).is_some_and(|a| a.kind.is_municipal());
    let is_civil = |id: &ActorId| by_id.get(id).is_some_and(|a| a.kind.is_civil());

    if initiative.value_sought.is_empty() {
        out.push(Finding::new(
            CheckCode::ValueSoughtMissing,
            me,
            "the charter names no value sought: expected at least one value statement or goal"
                .into(),
        ));
    }
    if initiative.why_cocreation.is_none() {
        out.push(Finding::new(
            CheckCode::WhyCocreationMissing,
            me,
            "the charter does not say why co-creation is part of the answer".into(),
        ));
    }

    let mut seen = BTreeSet::new();
    for id in initiative.referenced_actors() {
        if !by_id.contains_key(&id) {
            out.push(Finding::new(
                CheckCode::UnknownActor,
                Subject::Actor(id),
                format!("actor {id} is named in the charter but is not a known actor"),
            ));
        }
    }
    for role in &initiative.roles {
        let who = Subject::Actor(role.actor);
        if !seen.insert(role.actor) {
            out.push(Finding::new(
                CheckCode::DuplicateRole,
                who,
                format!(
                    "actor {} holds more than one role: expected one role per actor",
                    role.actor
                ),
            ));
            continue;
        }
        let missing = match (
            role.expects_of_others.is_empty(),
            role.expected_by_others.is_empty(),
        ) {
            (true, true) => Some("no expectations of the others and none by the others"),
            (true, false) => Some("no expectations of the others"),
            (false, true) => Some("no expectations by the others"),
            (false, false) => None,
        };
        if let Some(what) = missing {
            out.push(Finding::new(
                CheckCode::ExpectationsMissing,
                who,
                format!("actor {} has {what}: expected both ways", role.actor),
            ));
        }
        if initiative.capacity == Some(MunicipalCapacity::Authority)
            && role.decision_right == DecisionRight::Empower
            && role.decision_scope == DecisionScope::AuthorityDecision
            && by_id
                .get(&role.actor)
                .is_some_and(|a| !a.kind.is_municipal())
        {
            out.push(Finding::new(
                CheckCode::AuthorityDecisionDelegated,
                who,
                format!(
                    "actor {} is not municipal but is empowered over an authority decision: \
                     legal certainty expects the municipality to take it (at most collaborate)",
                    role.actor
                ),
            ));
        }
        if let Some(line) = role.leads {
            let outside: Vec<String> = role
                .co_responsible_for
                .iter()
                .filter(|u| **u != line)
                .map(ToString::to_string)
                .collect();
            if !outside.is_empty() {
                out.push(Finding::new(
                    CheckCode::CrossLineCoResponsibility,
                    who,
                    format!(
                        "actor {} leads unit {line} and is co-responsible for unit(s) {} outside that line",
                        role.actor,
                        outside.join(", ")
                    ),
                ));
            }
        }
    }

    if initiative.position == MunicipalPosition::InvitedGuest {
        let decides = initiative
            .final_decision
            .iter()
            .find(|a| is_municipal(a))
            .or_else(|| {
                initiative
                    .roles
                    .iter()
                    .find(|r| r.decision_right == DecisionRight::Empower && is_municipal(&r.actor))
                    .map(|r| &r.actor)
            });
        if let Some(a) = decides {
            out.push(Finding::new(
                CheckCode::GuestHoldsFinalDecision,
                Subject::Actor(*a),
                format!(
                    "the municipality is an invited guest, yet its actor {a} holds the final decision: \
                     expected the host to decide, or the municipality's position changed"
                ),
            ));
        }
    }
    if initiative.position == MunicipalPosition::NotInvolved {
        if let Some(r) = initiative.roles.iter().find(|r| is_municipal(&r.actor)) {
            out.push(Finding::new(
                CheckCode::UninvolvedMunicipalityActs,
                Subject::Actor(r.actor),
                format!(
                    "the municipality is not involved, yet its actor {} holds a role",
                    r.actor
                ),
            ));
        } else if initiative.capacity.is_some() {
            out.push(Finding::new(
                CheckCode::UninvolvedMunicipalityActs,
                me,
                "the municipality is not involved, yet a municipal capacity is set".into(),
            ));
        }
    }

    if !initiative.modes.is_empty() {
        let citizen_role = initiative
            .roles
            .iter()
            .any(|r| is_civil(&r.actor) && r.decision_right >= DecisionRight::Involve);
        if !citizen_role {
            out.push(Finding::new(
                CheckCode::NoCitizenFacingRole,
                me,
                "the initiative is called co-creation but no citizen, citizen group, association \
                 or volunteer holds a role of at least involve"
                    .into(),
            ));
        }
        if initiative.formats.is_empty() {
            out.push(Finding::new(
                CheckCode::NoParticipationFormat,
                me,
                "the initiative is called co-creation but offers no participation format".into(),
            ));
        }
    }
    if !initiative.formats.is_empty()
        && initiative
            .formats
            .iter()
            .all(|f| f.channel == Channel::InPerson && f.time == TimeSlot::Daytime)
    {
        out.push(Finding::new(
            CheckCode::DaytimeInPersonOnly,
            me,
            "only daytime, in-person formats are offered: expected also an evening, weekend, \
             online, asynchronous or outreach format"
                .into(),
        ));
    }
    if initiative.solution_owners.is_empty() {
        out.push(Finding::new(
            CheckCode::NoSolutionOwner,
            me,
            "the solution has no owner: expected at least one actor".into(),
        ));
    }

    out.sort_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then(a.code.cmp(&b.code))
            .then(a.subject.cmp(&b.subject))
    });
    out
}
