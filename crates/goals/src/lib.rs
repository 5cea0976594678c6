//! The goal hierarchy: a DAG of goals with indicators at the leaves, composite-indicator
//! aggregation (the OECD/JRC method, as COINr does it), coverage, sensitivity and goal-clutter
//! diagnostics.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

// Two areas share this crate: the hierarchy (hierarchy, serde form, DOT, diagnostics) and the
// numeric pipeline (plan, data, steps, aggregation, coverage, sensitivity).
// Keep each `mod` / `pub use` line with its area.

// -- hierarchy --
mod error;
pub use error::Error;

// -- pipeline --
mod plan;
pub use plan::{Aggregation, AggregationPlan, Evaluation, PlanNode};
