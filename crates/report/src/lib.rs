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
mod json;
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
    /// Writing the report failed ([`render_to`] only).
    #[error("cannot write the report: {0}")]
    Io(#[from] std::io::Error),
}

/// Renders a follow-up in a format and a language.
///
/// # Errors
/// [`Error::Json`] when JSON serialisation fails (it does not for follow-ups made by
/// [`kompas::follow_up`]).
pub fn render(follow_up: &FollowUp, format: Format, lang: Lang) -> Result<String, Error> {
    match format {
        Format::Markdown => Ok(markdown::render(follow_up, &Labels::new(lang))),
        Format::Html => Ok(html::render(follow_up, &Labels::new(lang))),
        Format::Json => {
            let mut bytes = Vec::new();
            json::write(follow_up, &mut bytes)?;
            // serde_json writes UTF-8; a failure here would be a bug, reported rather than hidden.
            String::from_utf8(bytes).map_err(|e| Error::Json(e.to_string()))
        }
    }
}

/// Renders a follow-up straight into a writer: JSON is streamed (a large municipality's
/// report is tens of megabytes, never held in memory whole); Markdown and HTML are rendered,
/// then written. The writer is buffered here.
///
/// ```
/// use kompas_core::Lang;
/// use kompas_report::{Format, render, render_to};
///
/// let follow_up = kompas::follow_up(&kompas::example::aarhus(), 2024)?;
/// let mut out = Vec::new();
/// render_to(&follow_up, Format::Json, Lang::En, &mut out)?;
/// assert_eq!(out, render(&follow_up, Format::Json, Lang::En)?.into_bytes());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`Error::Io`] when writing fails (a closed pipe has kind
/// [`std::io::ErrorKind::BrokenPipe`]); [`Error::Json`] as for [`render`].
pub fn render_to<W: std::io::Write>(
    follow_up: &FollowUp,
    format: Format,
    lang: Lang,
    out: W,
) -> Result<(), Error> {
    use std::io::Write as _;
    let mut out = std::io::BufWriter::with_capacity(1 << 16, out);
    match format {
        Format::Json => json::write(follow_up, &mut out)?,
        Format::Markdown | Format::Html => {
            out.write_all(render(follow_up, format, lang)?.as_bytes())?;
        }
    }
    out.flush()?;
    Ok(())
}
