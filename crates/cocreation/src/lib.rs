//! Co-creation: actors, initiative charters and their checks, representativeness, plain language
//! (LIX), and fair citizens' panels by stratified sortition.
//!
//! The second anchor point of Aarhuskompasset is co-creation: value made together by citizens,
//! associations, volunteers, businesses and the municipality, with explicit roles, within the
//! limits of law and legal certainty, and on everyone's terms. This crate makes each of those
//! checkable.
//!
//! ```
//! use kompas_cocreation::{
//!     check_initiative, lix, represent, CheckCode, Initiative, LixOptions, MunicipalPosition,
//!     Participant, Population, RepresentOptions,
//! };
//! use kompas_core::{InitiativeId, ParticipantId, Text};
//!
//! // A charter that says neither what value it seeks nor why it is co-created.
//! let idea = Initiative::new(InitiativeId::from_u128(1), Text::da("Ny park")?, MunicipalPosition::Vanguard);
//! let findings = check_initiative(&idea, &[]);
//! assert_eq!(findings[0].code, CheckCode::ValueSoughtMissing);
//!
//! // Who came, against who lives here.
//! let population = Population::from_csv("attribute,value,count\nage,18-39,600\nage,40+,400\n")?;
//! let came: Vec<Participant> = (0..20u128)
//!     .map(|i| Participant::new(ParticipantId::from_u128(i))
//!         .with_attribute("age", if i < 6 { "18-39" } else { "40+" }))
//!     .collect();
//! let rep = represent(&came, &population, &RepresentOptions::default())?;
//! assert!((rep.attributes[0].dissimilarity - 0.3).abs() < 1e-12); // 30 % against 60 %
//!
//! // Is the invitation plain?
//! let letter = lix("Kom til møde om parken. Vi giver kaffe.", &LixOptions::default())?;
//! assert!(letter.lix < 40.0);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Actors, charters and their checks
//!
//! An [`Actor`] is a citizen, a group, an association, a volunteer, a business, a municipal unit
//! (department or institution, with its `UnitId`), a region or the state, an international
//! partner or a research institution ([`ActorKind`]). An [`Initiative`] is the charter: the value
//! sought ([`ValueRef`] to value statements or goals) and why it is co-created, the [`Mode`]s, the
//! [`MunicipalCapacity`] and [`MunicipalPosition`], one [`Role`] per actor with expectations both
//! ways and a [`DecisionRight`] on the IAP2 spectrum, [`Limit`]s, owners of problem and solution,
//! who holds the final decision, and the [`ParticipationFormat`]s offered. [`check_initiative`]
//! returns [`Finding`]s with stable [`CheckCode`]s (the table is on that function). A civil-society
//! initiative with no municipal actor is valid.
//!
//! # Representativeness
//!
//! [`represent`] compares [`Participant`]s with [`Population`] margins (and joint tables of two
//! attributes): shares, representation ratios, gaps, dissimilarity, Gallagher, Pearson χ² with its
//! p-value, KL divergence and Hellinger distance, and [`r_indicator`]s from invitation counts.
//! [`Representation::publish`] suppresses cells under k persons (default 5) as `<5`.
//!
//! # Plain language
//!
//! [`lix()`] scores Danish, Swedish and Norwegian text (LIX, Björnsson 1968), names its
//! [`LixBand`], ranks the hardest sentences and flags a letter above a limit (default 40).
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
pub use lix::{LimitStatus, LixBand, LixOptions, LixReport, SentenceScore, lix};
pub use represent::{
    AttributeReport, CellReport, ChiSquare, Invitation, PartialR, Population, PublishedAttribute,
    PublishedCell, PublishedCount, PublishedPartialR, PublishedRIndicator, PublishedRepresentation,
    RIndicator, RepresentOptions, Representation, parse_invitations_csv, parse_participants_csv,
    r_indicator, represent,
};

// -- citizens' panels --
#[cfg(feature = "sortition")]
pub mod panel;
