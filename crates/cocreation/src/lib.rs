//! Co-creation: actors, initiative charters and their checks, representativeness, plain language
//! (LIX), and fair citizens' panels by stratified sortition.
//!
//! # Citizens' panels
//!
//! [`panel`] (default feature `sortition`, which pulls in the pure-Rust LP/MILP solver microlp)
//! draws citizens' assemblies that meet quotas while giving every volunteer as equal a chance as
//! the quotas allow: LEXIMIN by column generation (Flanigan, Gölz, Gupta, Hennig & Procaccia,
//! Nature 596, 2021), MAXIMIN, NASH and, for comparison, the older greedy LEGACY draw. It reads
//! the replication and the Sortition Foundation formats ([`panel::Instance::parse`]), returns a
//! [`panel::Lottery`] with every person's probability, the minimum, the Gini coefficient and the
//! geometric mean, draws a panel from a seed, rounds to M public tickets, refills seats after
//! dropouts ([`panel::replace`]) and explains infeasible quotas with a minimal relaxation.
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
