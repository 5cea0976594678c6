//! Evidence and learning: indicators, observations, narratives, evidence strength, run and control
//! charts, learning cycles, triangulation.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

// Two areas share this crate: the charts (`spc`) and the evidence model (the other modules).
// Keep each `mod` / `pub use` line with its area.

// -- evidence model --
mod error;
pub use error::Error;

// -- run and control charts --
pub mod spc;
