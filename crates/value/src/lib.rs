//! Value statements, value levels, dilemmas, transparent decisions and prioritisation across perspectives.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
