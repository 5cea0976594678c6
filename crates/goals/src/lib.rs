//! The goal hierarchy: a DAG of goals with indicators at the leaves, composite-indicator
//! aggregation (the OECD/JRC method, as COINr does it), coverage, sensitivity and goal-clutter
//! diagnostics.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

// Two areas share this crate: the hierarchy (hierarchy, serde form, DOT, diagnostics) and the
// numeric pipeline (plan, data, steps, aggregation, coverage, sensitivity).
// Keep each `mod` / `pub use` line with its area.

// -- hierarchy --
mod diagnostics;
mod dot;
mod error;
mod hierarchy;
mod sdg;
pub use diagnostics::{
    Code, Diagnostic, DiagnosticOptions, Severity, Subject, diagnose, title_similarity,
};
pub use error::Error;
pub use hierarchy::{
    Goal, GoalHierarchy, GoalHierarchyData, GoalRecord, IndicatorRecord, Level, Link, ParentRecord,
};
pub use sdg::{SdgFramework, SdgIndicator, parse_sdg_framework};

// -- pipeline --
mod plan;
pub use plan::{Aggregation, AggregationPlan, Evaluation, PlanNode};
mod pipeline;
pub use pipeline::{
    AggregateMeta, Coin, CsvText, Denomination, Direction, Imputation, IndexResult, IndicatorMeta,
    LogEntry, MonteCarlo, Normalisation, Pipeline, RankInterval, RemovalShift, ScoreColumn,
    Treatment, WinsoriseSpec, kurtosis, monte_carlo, monte_carlo_with_progress, rank_descending,
    remove_one, skewness,
};
