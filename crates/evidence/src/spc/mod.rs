//! Run and control charts with qicharts2's behaviour, Anhøj's rules and the NHS rules.
//!
//! A [`Series`] of rows (x, y, optional denominator n) becomes a [`Chart`] with
//! [`Chart::compute`] and [`ChartOptions`]: twelve chart types ([`ChartType`]: run, I, MR, Xbar,
//! S, T, P, P', C, U, U', G), subgrouping by x, per-point limits for P and U charts with varying
//! denominators, parts (phases), freeze (baseline), exclude, multiply and moving-range screening,
//! as qicharts2 0.8.1 (Anhøj) computes them. Each part carries Anhøj's runs analysis
//! ([`RunsAnalysis`]); [`nhs_point_types`] applies the NHS "Making Data Count" rules,
//! [`assurance`] makes the assurance call against a target, and [`latest_signal`] gives the
//! compact summary triangulation uses. [`parse_series`] reads CSV text, Danish number format
//! included.
//!
//! ```
//! use kompas_evidence::spc::{parse_series, Chart, ChartOptions, ChartType, CsvColumns};
//!
//! let text = "month,cases,tested\n2021-01,40,1000\n2021-02,35,1100\n2021-03,50,900\n2021-04,42,1000\n";
//! let series = parse_series(text, &CsvColumns::new("month", "cases").n("tested"))?;
//! let chart = Chart::compute(&series, &ChartOptions::new(ChartType::P).multiply(100.0))?;
//! assert_eq!(chart.points.len(), 4);
//! // Per-point limits: the month with fewer tests has the wider limits.
//! let width = |i: usize| chart.points[i].ucl.unwrap() - chart.points[i].lcl.unwrap();
//! assert!(width(2) > width(1));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod compute;
mod error;
mod nhs;
mod runs;
mod text;
mod types;

#[cfg(test)]
mod tests;

pub use error::SpcError;
pub use nhs::{
    Assurance, Improvement, LatestSignal, PointType, assurance, latest_signal, nhs_point_types,
};
pub use runs::anhoej_limits;
pub use text::{CsvColumns, DecimalMark, SeriesText, parse_series, parse_series_text};
pub use types::{
    Chart, ChartOptions, ChartPoint, ChartType, MrScreening, PartSummary, Row, Rules, RunsAnalysis,
    Series, XValue,
};
