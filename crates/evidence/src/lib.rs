//! Evidence and learning: indicators, observations, narratives, evidence strength, run and control
//! charts, learning cycles, triangulation.
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
