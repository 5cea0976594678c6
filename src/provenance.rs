//! [`ProvenanceNote`]: where the parts of a document come from, and which are illustrative.

use kompas_core::Text;
use serde::{Deserialize, Serialize};

/// Whether the items of a note are real or made up to illustrate.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum ProvenanceKind {
    /// Real: from the named source.
    Real,
    /// Illustrative: invented to show how the parts fit together; never real data.
    Illustrative,
}

/// A note on the provenance of some items of a document (goals, narratives, initiatives, ...,
/// named by id): real with a source, or illustrative.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ProvenanceNote {
    /// Real or illustrative.
    pub kind: ProvenanceKind,
    /// The source, or why the items are illustrative.
    pub source: Text,
    /// The ids of the items the note covers (any kompas id in the document).
    pub items: Vec<uuid::Uuid>,
}
