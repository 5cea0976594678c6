//! Evidence and learning: indicators, observations, narratives, evidence strength, run and control
//! charts, learning cycles, triangulation.
//!
//! The crate holds both kinds of knowledge the framework asks a municipality to take seriously:
//! counted data ([`Indicator`], [`Observation`], [`Series`]) and shareable experience
//! ([`Story`], [`SelectionRecord`], [`OutcomeHarvest`], joined in [`Narrative`]). It grades how
//! strong evidence is ([`EvidenceStrength`]: Nesta, Maryland, GRADE, GRADE-CERQual, all mapped
//! onto one [`Confidence`] scale), records learning ([`LearningCycle`], [`LearningLog`],
//! [`MandateQuestion`]) and brings numbers and stories together without averaging a
//! disagreement away ([`triangulate`] gives a [`Finding`]).
//!
//! ```
//! use kompas_core::{IndicatorId, NarrativeId, ObservationId, Perspective, Period, Text};
//! use kompas_evidence::*;
//!
//! // Counted data: a validated series (a repeated period would be an error naming the id).
//! let lonely = IndicatorId::from_name("aarhus/loneliness");
//! let obs = vec![
//!     Observation::new(ObservationId::from_u128(1), lonely, Period::year(2021)?, 9.1),
//!     Observation::new(ObservationId::from_u128(2), lonely, Period::year(2022)?, 8.0),
//! ];
//! let series = Series::new(lonely, obs)?;
//! assert_eq!(series.values(None), vec![9.1, 8.0]);
//!
//! // Experience: a citizen's story that says the opposite of the numbers.
//! let story = Story {
//!     id: NarrativeId::from_u128(10),
//!     title: Text::en("The club closed")?,
//!     text: Text::en("Since the club closed, I see nobody on weekdays.")?,
//!     teller: Teller { role: Text::en("pensioner")?, perspective: Perspective::Citizen, pseudonym: None },
//!     consent: Consent::AnalysisOnly,
//!     events: None,
//!     domain: Text::en("community")?,
//!     why_significant: Text::en("it was my only weekly contact")?,
//!     direction: ToldDirection::Worse,
//!     links: Links::default().indicator(lonely),
//! };
//!
//! // The chart says special cause improvement; the divergence is surfaced, not averaged.
//! let strength = EvidenceStrength::Maryland { level: MarylandLevel::new(2)? };
//! let finding = triangulate(
//!     Subject::Indicator(lonely),
//!     Some(QuantSignal::SpecialCauseImprovement),
//!     Some(strength.confidence()),
//!     &[Narrative::Story(story)],
//! );
//! assert_eq!(finding.verdict, Verdict::Diverge);
//! assert_eq!(finding.dissent, vec![NarrativeId::from_u128(10)]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Evidence model
//!
//! - [`Indicator`]: id, name, unit, [`Direction`] (higher or lower is better, or a target band),
//!   goalposts and [`Target`], [`ValueLevel`] (output, quality, effect, value), [`Purpose`]
//!   (strategic or local improvement), [`SourceKind`], perspective and an optional
//!   [`EquityPairing`].
//! - [`Observation`]s of one indicator form a [`Series`]: values finite, denominators at least 0,
//!   one observation per period and group; each error names the observation.
//! - Narratives keep personal data minimal: a teller is a role, a perspective and at most a
//!   pseudonym, and only stories whose [`Consent`] permits analysis are counted.
//! - [`LearningLog`] validates chained PDSA cycles (no dangling or looping predecessors), flags
//!   cycles whose result contradicts the prediction, answers which cycles touched which goals
//!   and indicators, and raises [`MandateQuestion`]s.
//! - Every output is ordered: maps are `BTreeMap`s and lists are sorted.
//!
//! # Run and control charts
//!
//! The [`spc`] module computes run and control charts as qicharts2 0.8.1 does (twelve chart types,
//! subgrouping by x, per-point limits, parts, freeze, exclude, multiply, moving-range screening),
//! reads them with Anhøj's runs rules or the NHS "Making Data Count" rules, and reads series from
//! CSV text (Danish number format included). [`spc::latest_signal`] sums a chart up for
//! triangulation.
//!
//! ```
//! use kompas_evidence::spc::{latest_signal, Chart, ChartOptions, ChartType, Improvement, LatestSignal, Series};
//!
//! let waits = [31.0, 29.0, 33.0, 30.0, 32.0, 28.0, 31.0, 30.0, 29.0, 32.0, 18.0];
//! let chart = Chart::compute(&Series::from_values(&waits), &ChartOptions::new(ChartType::I).freeze(10))?;
//! assert!(chart.points[10].sigma_signal);
//! assert_eq!(latest_signal(&chart, Improvement::Decrease), LatestSignal::Improvement);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

// Two areas share this crate: the charts (`spc`) and the evidence model (the other modules).
// Keep each `mod` / `pub use` line with its area.

// -- evidence model --
mod error;
mod indicator;
mod learning;
mod narrative;
mod observation;
mod strength;
mod triangulation;
pub use error::Error;
pub use indicator::{
    Direction, EquityPairing, Indicator, Purpose, Range, SourceKind, Target, ValueLevel,
};
pub use learning::{
    Act, ActDecision, ChangeDirection, DoPhase, GoalRevisit, LearningCycle, LearningLog,
    MandateQuestion, MandateReason, Measure, MeasureKind, Prediction, PredictionCheck, Study,
};
pub use narrative::{
    Consent, Dissent, Links, Narrative, OutcomeHarvest, PanelLevel, SelectionRecord, Story,
    Substantiation, SubstantiationStatus, Teller, ToldDirection,
};
pub use observation::{Observation, Provenance, Series};
pub use strength::{
    CerqualAssessment, CerqualConcern, Concern, Confidence, EffectSize, EvidenceStrength, Factor,
    GradeAssessment, MarylandLevel, NestaLevel, StudyDesign,
};
pub use triangulation::{
    Finding, Lean, Leaning, QuantSignal, Subject, Tally, Verdict, Voice, triangulate,
};

// -- run and control charts --
pub mod spc;
