//! Renders a kompas [`kompas::FollowUp`] as Markdown for the terminal, as one
//! self-contained HTML page with inline SVG, or as JSON; and draws run and control charts as SVG.
//!
//! ```
//! use kompas_core::Lang;
//! use kompas_report::{Format, render};
//!
//! let compass = kompas::example::aarhus();
//! let follow_up = kompas::follow_up(&compass, 2024)?;
//! let markdown = render(&follow_up, Format::Markdown, Lang::En)?;
//! assert!(markdown.starts_with("# "));
//! let html = render(&follow_up, Format::Html, Lang::Da)?;
//! assert!(html.contains("<svg"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The HTML page has no external assets and no scripts: it works offline and in any browser.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

// -- follow-up report (lead) --
mod html;
mod labels;
mod markdown;
mod svg;

pub use labels::Labels;

// -- run and control charts (spc) --
mod chart;
pub use chart::{ChartSvg, chart_svg};

use kompas::FollowUp;
use kompas_core::Lang;

/// The output formats of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    /// Markdown that reads well in a terminal.
    #[default]
    Markdown,
    /// One self-contained HTML page with inline SVG.
    Html,
    /// The follow-up as JSON.
    Json,
}

/// What can go wrong while rendering.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The follow-up could not be serialised to JSON.
    #[error("cannot serialise the follow-up to json: {0}")]
    Json(String),
}

/// Renders a follow-up in a format and a language.
///
/// # Errors
/// [`Error::Json`] when JSON serialisation fails (it does not for follow-ups made by
/// [`kompas::follow_up`]).
pub fn render(follow_up: &FollowUp, format: Format, lang: Lang) -> Result<String, Error> {
    Ok(match format {
        Format::Markdown => markdown::render(follow_up, &Labels::new(lang)),
        Format::Html => html::render(follow_up, &Labels::new(lang)),
        Format::Json => {
            let mut s =
                serde_json::to_string_pretty(follow_up).map_err(|e| Error::Json(e.to_string()))?;
            s.push('\n');
            s
        }
    })
}
