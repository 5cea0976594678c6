//! Renders a kompas follow-up as Markdown, HTML (with inline SVG) and JSON.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

// -- run and control charts (spc) --
mod chart;
pub use chart::{ChartSvg, chart_svg};
