//! Evidence and learning: indicators, observations, narratives, evidence strength, run and control
//! charts, learning cycles, triangulation.
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
    Finding, Lean, QuantSignal, Subject, Tally, Verdict, Voice, triangulate,
};

// -- run and control charts --
pub mod spc;
