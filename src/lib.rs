//! kompas: reusable libraries for value-based municipal governance, after Aarhus Municipality's
//! framework *Aarhuskompasset* ("Mindre system. Mere borger.").
//!
//! This facade re-exports the kompas crates and holds what joins them: the Compass document and
//! the follow-up.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub use kompas_budget as budget;
pub use kompas_cocreation as cocreation;
pub use kompas_core as core;
pub use kompas_evidence as evidence;
pub use kompas_goals as goals;
pub use kompas_value as value;
