//! Shared vocabulary of the kompas crates: typed ids, perspectives, periods, bilingual text and
//! small validated numbers.
//!
//! Every other kompas crate builds on these types, so that a goal id from `kompas-goals` and the
//! same id in a narrative of `kompas-evidence` are one type, and a weight is checked once, where it
//! is made.
//!
//! ```
//! use kompas_core::{GoalId, Perspective, Period, Share, Weight};
//!
//! let goal = GoalId::from_name("aarhus/goal/1");
//! assert_eq!(goal, GoalId::from_name("aarhus/goal/1")); // stable across runs
//! let w = Weight::new(0.4)?;
//! let s = Share::new(0.25)?;
//! assert_eq!(w.get() * s.get(), 0.1);
//! let year = Period::year(2020)?;
//! assert!(year.contains(chrono::NaiveDate::from_ymd_opt(2020, 6, 1).unwrap()));
//! assert_eq!(Perspective::Citizen.label_da(), "borger");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Overview
//!
//! - Ids ([`GoalId`], [`IndicatorId`], ...) are uuid newtypes made with [`define_id!`]; other crates
//!   use the same macro for ids of their own.
//! - [`Perspective`] says whose voice a statement, a narrative or a data source carries.
//! - [`Period`] is an inclusive date range.
//! - [`Text`] holds a Danish and/or an English wording.
//! - [`Weight`] (finite, at least 0) and [`Share`] (0 to 1) reject bad values at construction.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod error;
mod ids;
mod numbers;
mod period;
mod perspective;
mod text;

pub use error::Error;
pub use ids::{
    ActorId, DecisionId, DilemmaId, GoalId, IndicatorId, InitiativeId, LearningCycleId,
    NarrativeId, ObservationId, ParticipantId, UnitId, ValueStatementId,
};
pub use numbers::{Share, Weight};
pub use period::Period;
pub use perspective::Perspective;
pub use text::{Lang, Text};

#[doc(hidden)]
pub mod __private {
    pub use schemars;
    pub use serde;
    pub use uuid;
}
