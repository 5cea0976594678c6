//! Co-creation: actors, initiative charters and their checks, representativeness, plain language
//! (LIX), and fair citizens' panels by stratified sortition.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

// Two areas share this crate: panels (`panel`, behind the `sortition` feature) and the rest.
// Keep each `mod` / `pub use` line with its area.

// -- actors, charters, representativeness, LIX --
mod error;
pub use error::Error;

// -- citizens' panels --
#[cfg(feature = "sortition")]
pub mod panel;
