//! The municipality and its organisational units.

use kompas_core::{Text, UnitId};
use serde::{Deserialize, Serialize};

/// The municipality a Compass document describes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Municipality {
    /// The municipality's name, for example "Aarhus Kommune".
    pub name: Text,
    /// The official municipality code, if any (Statistics Denmark: 751 for Aarhus).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// The city council's size, if known (31 in Aarhus).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub council_size: Option<u32>,
}

/// What kind of organisational unit a [`Unit`] is.
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
pub enum UnitKind {
    /// The municipality as a whole (the city council's level).
    Municipality,
    /// A department (magistratsafdeling).
    Department,
    /// An institution or office inside a department (a school, a library, a care home).
    Institution,
    /// A team inside an institution.
    Team,
    /// A local community council (fællesråd) or another body outside the organisation.
    CommunityCouncil,
}

/// An organisational unit: the municipality, a department, an institution, a team.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Unit {
    /// The unit's id.
    pub id: UnitId,
    /// Its name.
    pub name: Text,
    /// What kind of unit it is.
    pub kind: UnitKind,
    /// The unit it belongs to, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<UnitId>,
}
