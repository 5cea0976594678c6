//! Value statements, value levels, dilemmas, transparent decisions and prioritisation across perspectives.
//!
//! The first anchor point of Aarhuskompasset puts value at the centre: value is broader than
//! effect, it concerns "the lived life", and it is defined with citizens, businesses and partners,
//! not at the desk. Values compete, politicians hold the final right to define value, and decisions
//! are open about the basis they rest on. This crate makes that concrete and checkable.
//!
//! ```
//! use kompas_value::{aggregate, whose_voice, Method, Profile};
//!
//! // Rankings from stakeholder groups, one line per distinct ballot.
//! let csv = "count,ranking,group\n\
//!            40,halls>outdoor>both,associations\n\
//!            55,outdoor>both>halls,self-organised\n\
//!            12,both>outdoor>halls,professionals\n";
//! let profile = Profile::parse_csv(csv, None)?;
//! let schulze = aggregate(&profile, Method::Schulze)?;
//! assert_eq!(schulze.winners(), ["outdoor"]);
//! let voice = whose_voice(&profile, "outdoor")?;
//! assert_eq!(voice.overrules, ["associations", "professionals"]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Overview
//!
//! - [`ValueStatement`]: what is valuable, in whose words ([`kompas_core::Perspective`]), from which
//!   channel ([`Origin`]), on which domain of the lived life ([`LifeDomain`], the OECD How's Life?
//!   dimensions plus community domains), individual or shared ([`Scope`]), linked to goals.
//! - [`ValueLevel`] and [`check_goals`]: a goal followed only by output measures ("an effect
//!   concept, not a value concept") and a goal without an external voice ("defined at the desk").
//!   Findings carry stable [`CheckCode`]s and [`Severity`]s.
//! - [`Dilemma`] with its [`Position`]s, [`DilemmaKind`] and the framework's [`Stance`]s;
//!   [`Decision`] with its [`Authority`], hearings, evidence and rationale;
//!   [`Decision::transparency`] and [`check_decisions`].
//! - Prioritisation: [`weighted_sum`]; [`ahp`] on a [`ComparisonMatrix`] with Saaty's consistency
//!   ratio; [`aggregate`] rankings in a [`Profile`] by Borda, Copeland, Schulze or Kemeny (exact
//!   integers, ties as tiers); [`whose_voice`] for a chosen option.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod ahp;
mod ballots;
mod check;
mod dilemma;
mod error;
mod mcda;
mod rank;
mod statement;
mod voice;

pub use ahp::{
    Ahp, CR_THRESHOLD, ComparisonMatrix, Consistency, MAX_JUDGMENT, MIN_JUDGMENT,
    POWER_MAX_ITERATIONS, POWER_TOLERANCE, RANDOM_INDEX, RECIPROCAL_TOLERANCE, Triad, ahp,
    synthesise,
};
pub use ballots::{Ballot, Pairwise, Profile};
pub use check::{
    CheckCode, Finding, GoalMeasures, Severity, Subject, ValueLevel, check_decisions, check_goals,
};
pub use dilemma::{
    Authority, Decision, Dilemma, DilemmaKind, EvidenceRef, Hearing, Position, Principle,
    Publication, Stance, Transparency, TransparencyGap,
};
pub use error::Error;
pub use mcda::{Alternative, Criterion, Direction, WeightedSum, weighted_sum};
pub use rank::{
    CollectiveRanking, KEMENY_MAX_OPTIONS, KemenyOptima, Method, aggregate, borda, copeland,
    kemeny, schulze, strongest_paths,
};
pub use statement::{LifeDomain, Origin, Scope, ValueStatement};
pub use voice::{GroupVoice, Voice, VoiceSummary, whose_voice};
