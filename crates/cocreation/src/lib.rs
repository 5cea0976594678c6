//! Co-creation: actors, initiative charters and their checks, representativeness, fair citizens' panels.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
