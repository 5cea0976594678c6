//! kompas: reusable libraries for value-based municipal governance, after Aarhus Municipality's
//! framework *Aarhuskompasset* ("Mindre system. Mere borger." — less system, more citizen).
//!
//! This facade re-exports the kompas crates and holds what joins them: the [`Compass`] document
//! (one municipality's model) and the [`FollowUp`] that ties value, co-creation and knowledge
//! together for a period.
//!
//! ```
//! // The embedded example: Aarhus's vision and five city goals, departments, indicators,
//! // narratives, initiatives, a dilemma and its decision, learning cycles.
//! let compass = kompas::example::aarhus();
//! let follow_up = kompas::follow_up(&compass, 2022)?;
//! assert_eq!(follow_up.year, 2022);
//! // Every goal reports how much of it data actually informs.
//! assert!(follow_up.goals.iter().all(|g| (0.0..=1.0).contains(&g.coverage)));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Crates
//!
//! | module | crate | anchor point |
//! |---|---|---|
//! | [`core`] | kompas-core | ids, perspectives, periods, validated numbers |
//! | [`value`] | kompas-value | value: statements, dilemmas, decisions, prioritisation |
//! | [`cocreation`] | kompas-cocreation | co-creation: charters, representativeness, panels |
//! | [`budget`] | kompas-budget | co-creation: participatory budgets |
//! | [`evidence`] | kompas-evidence | knowledge: indicators, narratives, charts, learning |
//! | [`goals`] | kompas-goals | knowledge: the goal hierarchy and aggregation |
//!
//! # The Compass document
//!
//! [`Compass::from_json`] loads a document, migrating older schema versions, and reports every
//! problem at once with its JSON path; [`Compass::json_schema`] gives its JSON Schema.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub use kompas_budget as budget;
pub use kompas_cocreation as cocreation;
pub use kompas_core as core;
pub use kompas_evidence as evidence;
pub use kompas_goals as goals;
pub use kompas_value as value;

mod compass;
pub mod example;
mod follow_up;
pub mod generate;
mod load;
mod municipality;
#[cfg(feature = "parallel")]
mod observation_text;
mod parts;
mod provenance;

pub use compass::{Compass, LoadError, Migration, SCHEMA_VERSION, migrate};
pub use follow_up::{
    AttributeRepresentation, DecisionView, Diagnostic, DilemmaView, FollowUp, FollowUpError,
    GoalRef, GoalStatus, IndicatorChart, InitiativeStatus, LearningStatus, MAX_CHARTS,
    MIN_CHART_POINTS, MandateView, RepresentationCell, Severity, Spillover, Trend,
    TriangulationView, ValueStatus, VoiceCoverage, follow_up,
};
pub use load::Problem;
pub use municipality::{Municipality, Unit, UnitKind};
pub use parts::{EvidenceRating, RankingBallot, StakeholderRankings};
pub use provenance::{ProvenanceKind, ProvenanceNote};
