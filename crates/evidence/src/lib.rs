//! Evidence and learning: indicators, observations, narratives, evidence strength, run and control charts, learning cycles, triangulation.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
