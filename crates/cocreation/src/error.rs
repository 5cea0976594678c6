//! The error type of `kompas-cocreation`.

/// What went wrong in `kompas-cocreation`; the message names the item and what was expected.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A value rejected by `kompas-core`.
    #[error(transparent)]
    Core(#[from] kompas_core::Error),
}
