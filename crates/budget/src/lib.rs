//! Participatory budgeting: the Pabulib format, the Method of Equal Shares with completions, greedy, Phragmén, analysis.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod decimal;
mod error;
mod model;
mod pabulib;

pub use decimal::Decimal;
pub use error::{Error, Location};
pub use model::{Ballot, Election, LineEnding, MetaEntry, Project, ProjectId, VoteType};
