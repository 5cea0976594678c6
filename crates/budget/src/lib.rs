//! Participatory budgeting: the Pabulib format, the Method of Equal Shares with completions, greedy, Phragmén, analysis.
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod analysis;
mod decimal;
mod error;
mod knapsack;
mod mes;
mod model;
mod pabulib;
mod phragmen;
mod profile;
mod rules;
mod tie;

pub use analysis::{Analysis, EjrViolation, LossKind, LossReason, VoterSatisfaction, analyse};
pub use decimal::Decimal;
pub use error::{Error, Location};
pub use model::{Ballot, Election, LineEnding, MetaEntry, Project, ProjectId, VoteType};
pub use profile::Utility;
pub use rules::{
    Comparison, ComparisonResult, Completion, Endowment, Greedy, GreedyMeasure, GreedyVariant,
    Kept, Mes, Outcome, Rule, run,
};
pub use tie::{TieBreak, TieKey};
