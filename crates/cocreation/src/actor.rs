//! Actors of co-creation: who takes part in an initiative, from a single citizen to a research
//! institution.

use kompas_core::{ActorId, Text, UnitId};
use serde::{Deserialize, Serialize};

/// Whether a municipal unit is a department (magistratsafdeling) or an institution (a school, a
/// library, a nursing home).
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
pub enum UnitForm {
    /// A department of the administration.
    Department,
    /// An institution that delivers a service.
    Institution,
}

/// What kind of actor takes part; the municipality itself appears as a
/// [`MunicipalUnit`](ActorKind::MunicipalUnit).
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
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum ActorKind {
    /// A single citizen.
    Citizen,
    /// An informal group of citizens (neighbours, parents of a class).
    CitizenGroup,
    /// An association (forening), including community councils (fællesråd).
    Association,
    /// A volunteer or a volunteer organisation.
    Volunteer,
    /// A business.
    Business,
    /// A unit of the municipality: a department or an institution.
    MunicipalUnit {
        /// Department or institution.
        form: UnitForm,
        /// The unit in the municipality's organisation, when it is known.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        unit: Option<UnitId>,
    },
    /// A region or the state.
    RegionOrState,
    /// A partner abroad (a twin city, an EU network).
    InternationalPartner,
    /// A university or another research institution.
    ResearchInstitution,
}

impl ActorKind {
    /// Whether the actor belongs to the municipality.
    pub const fn is_municipal(&self) -> bool {
        matches!(self, ActorKind::MunicipalUnit { .. })
    }

    /// Whether the actor is civil society facing the municipality as citizens do: a citizen, a
    /// citizen group, an association or a volunteer.
    pub const fn is_civil(&self) -> bool {
        matches!(
            self,
            ActorKind::Citizen
                | ActorKind::CitizenGroup
                | ActorKind::Association
                | ActorKind::Volunteer
        )
    }
}

/// An actor: anyone who can hold a role in an initiative.
///
/// ```
/// use kompas_cocreation::{Actor, ActorKind, UnitForm};
/// use kompas_core::{ActorId, Text, UnitId};
///
/// let school = Actor {
///     id: ActorId::from_name("aarhus/actor/skole"),
///     name: Text::da("Skjoldhøjskolen")?,
///     kind: ActorKind::MunicipalUnit {
///         form: UnitForm::Institution,
///         unit: Some(UnitId::from_name("aarhus/unit/bou")),
///     },
/// };
/// assert!(school.kind.is_municipal());
/// let json = serde_json::to_string(&school)?;
/// assert_eq!(serde_json::from_str::<Actor>(&json)?, school);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Actor {
    /// The actor's id.
    pub id: ActorId,
    /// The actor's name (or a role name, for a citizen: personal data stays minimal).
    pub name: Text,
    /// What kind of actor this is.
    pub kind: ActorKind,
}

impl Actor {
    /// The municipal unit this actor is, when it is a municipal unit with a known [`UnitId`].
    pub const fn unit(&self) -> Option<UnitId> {
        match self.kind {
            ActorKind::MunicipalUnit { unit, .. } => unit,
            _ => None,
        }
    }
}
