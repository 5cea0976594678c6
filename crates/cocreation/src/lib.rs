//! Co-creation: actors, initiative charters and their checks, representativeness, plain language
//! (LIX), and fair citizens' panels by stratified sortition.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

// Two areas share this crate: panels (`panel`, behind the `sortition` feature) and the rest.
// Keep each `mod` / `pub use` line with its area.

// -- actors, charters, representativeness, LIX --
mod actor;
mod check;
mod error;
mod initiative;
mod lix;
mod represent;
pub use actor::{Actor, ActorKind, UnitForm};
pub use check::{CheckCode, Finding, Severity, Subject, check_initiative};
pub use error::Error;
pub use initiative::{
    Channel, DecisionRight, DecisionScope, Initiative, Limit, LimitKind, Mode, MunicipalCapacity,
    MunicipalPosition, Participant, ParticipationFormat, Role, TimeSlot, ValueRef,
};
pub use lix::{LixBand, LixOptions, LixReport, LimitStatus, SentenceScore, lix};
pub use represent::{
    AttributeReport, CellReport, ChiSquare, Invitation, PartialR, Population, PublishedAttribute,
    PublishedCell, PublishedCount, PublishedRepresentation, RIndicator, RepresentOptions,
    Representation, parse_participants_csv, r_indicator, represent,
};

// -- citizens' panels --
#[cfg(feature = "sortition")]
pub mod panel;
