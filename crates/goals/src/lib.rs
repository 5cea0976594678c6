//! The goal hierarchy: a DAG of goals with indicators at the leaves, composite-indicator
//! aggregation (the OECD/JRC method, as COINr does it), coverage, sensitivity and goal-clutter
//! diagnostics.
//!
//! A [`GoalHierarchy`] holds the city council's goals at the top ([`Level::City`]), department,
//! unit and team goals below them, and indicators attached to goals. A goal may contribute to
//! several parents, each link with a weight and a rationale, so the hierarchy is a DAG; every
//! edit that would close a cycle or name an unknown goal is refused. It answers who a goal
//! bridges to, in which order to aggregate, and how much each indicator weighs in each top goal
//! (effective weights, summed over all paths); [`diagnose`] flags goal clutter (*målmylder*) as
//! data with stable codes; [`GoalHierarchy::to_plan`] hands the hierarchy to the aggregation
//! pipeline ([`AggregationPlan`]).
//!
//! ```
//! use kompas_core::{GoalId, IndicatorId, Text, UnitId, Weight};
//! use kompas_goals::{diagnose, Code, DiagnosticOptions, Goal, GoalHierarchy, Level, Link};
//!
//! let aarhus = UnitId::from_name("aarhus");
//! let health = GoalId::from_name("city/health");
//! let falls = GoalId::from_name("dept/fewer-falls");
//! let active = GoalId::from_name("dept/active-elderly");
//! let training = GoalId::from_name("unit/home-training");
//!
//! let mut h = GoalHierarchy::default();
//! h.add_goal(Goal::new(health, Text::da("Sundhed for alle")?, Level::City, aarhus))?;
//! h.add_goal(Goal::new(falls, Text::en("Fewer falls")?, Level::Department, aarhus))?;
//! h.add_goal(Goal::new(active, Text::en("Active elderly")?, Level::Department, aarhus))?;
//! h.add_goal(Goal::new(training, Text::en("Home training")?, Level::Unit, aarhus))?;
//! h.link(falls, health, Link::new(Weight::new(1.0)?))?;
//! h.link(active, health, Link::new(Weight::new(1.0)?))?;
//! // Home training serves both department goals: two parents.
//! let why = Text::en("training prevents falls")?;
//! h.link(training, falls, Link::new(Weight::new(1.0)?).with_rationale(why))?;
//! h.link(training, active, Link::new(Weight::new(1.0)?))?;
//! let (visits, fall_rate) = (IndicatorId::from_name("visits"), IndicatorId::from_name("falls"));
//! h.attach_indicator(training, visits, Weight::new(1.0)?)?;
//! h.attach_indicator(falls, fall_rate, Weight::new(1.0)?)?;
//! h.attach_indicator(active, IndicatorId::from_name("survey"), Weight::new(1.0)?)?;
//!
//! assert!(h.link(health, training, Link::default()).is_err()); // would close a cycle
//! assert_eq!(h.bridges_to(training)?, [health].into());
//! // visits: 1/2 * 1/2 through each department goal.
//! assert_eq!(h.effective_weights(health)?[&visits], 0.5);
//!
//! let found = diagnose(&h, &DiagnosticOptions::default().observed([visits, fall_rate]));
//! assert_eq!(found.len(), 1);
//! assert_eq!(found[0].code, Code::G004); // the survey has no observations
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Composite indicators
//!
//! The numeric half follows the OECD/JRC *Handbook on Constructing Composite Indicators* (2008)
//! as COINr implements it, and reproduces COINr's ASEM index to 1e-6. A [`Coin`] is read from
//! COINr's iData/iMeta CSV text; a [`Pipeline`] runs the optional, logged steps (denominate,
//! impute, screen, treat outliers, normalise) and aggregates over an [`AggregationPlan`], a
//! DAG compiled to flat arrays where each node has its own [`Aggregation`] method and missing
//! children renormalise the weights. Every aggregate reports its coverage: the share of its
//! effective weight backed by data. [`remove_one`] and [`monte_carlo`] measure how much the
//! ranks depend on the choices made.
//!
//! ```
//! use kompas_goals::{Aggregation, Coin, CsvText, Normalisation, Pipeline};
//!
//! let meta = "iCode,Level,Direction,Weight,Parent,Type\n\
//!             jobs,1,1,1,Econ,Indicator\nrent,1,-1,1,Econ,Indicator\n\
//!             trust,1,1,1,Social,Indicator\n\
//!             Econ,2,1,1,City,Aggregate\nSocial,2,1,1,City,Aggregate\nCity,3,1,1,,Aggregate\n";
//! let data = "uCode,jobs,rent,trust\nNorth,70,9000,0.6\nSouth,60,7000,\nWest,65,8000,0.8\n";
//! let coin = Coin::from_csv(
//!     CsvText { name: "iData.csv", text: data },
//!     CsvText { name: "iMeta.csv", text: meta },
//! )?;
//! let mut pipeline = Pipeline::default(); // arithmetic means ...
//! pipeline.node_methods.insert("Econ".into(), Aggregation::GeometricMean); // ... but here
//! pipeline.normalise = Normalisation::MinMax { low: 1.0, high: 100.0 }; // > 0 for the gmean
//! let index = pipeline.run(&coin)?;
//! assert_eq!(index.score("Social", "South"), None); // no data under Social
//! assert_eq!(index.coverage_of("City", "South"), Some(0.5));
//! assert_eq!(index.rank("West"), Some(1));
//! assert!((index.score("Econ", "North").unwrap() - 10.0).abs() < 1e-12); // sqrt(100 x 1)
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
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
    AggregateMeta, Coin, CsvBytes, CsvText, Denomination, Detail, Direction, GroupColumn,
    Imputation, IndexResult, IndicatorMeta, LogEntry, MonteCarlo, Normalisation, Pipeline,
    RankInterval, ReadAt, RemovalShift, ScoreColumn, Treatment, WinsoriseSpec, kurtosis,
    monte_carlo, monte_carlo_with_progress, rank_descending, remove_one, skewness,
};
