//! The goal hierarchy: a DAG of goals with indicators at the leaves, composite-indicator aggregation, coverage, sensitivity and goal-clutter diagnostics.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
