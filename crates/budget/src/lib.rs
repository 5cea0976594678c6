//! Participatory budgeting: the Pabulib format, the Method of Equal Shares with completions, greedy, Phragmén, analysis.
//!
//! Read a Pabulib `.pb` election, decide it with a voting rule in exact arithmetic, analyse the
//! outcome, and write the file back with the winners filled in.
//!
//! ```
//! use kompas_budget::{Completion, Election, Mes, Rule, TieBreak, analyse, run};
//!
//! let text = "META\nkey;value\nbudget;100\nvote_type;approval\n\
//!             PROJECTS\nproject_id;cost;name\n1;60;Hall\n2;40;Pitch\n3;30;Trail\n\
//!             VOTES\nvoter_id;vote\na;1,2\nb;1\nc;3\nd;2,3\n";
//! let election = Election::parse(text)?;
//! let rule = Rule::Mes(Mes { completion: Completion::Add1, ..Mes::default() });
//! let outcome = run(&election, &rule, &TieBreak::default())?;
//! assert!(outcome.total_cost.cmp_value(&election.budget()?).is_le());
//! let analysis = analyse(&election, &outcome)?;
//! assert!(analysis.ejr_violations.is_empty());
//! let written = election.with_selected(&outcome.funded).to_pb();
//! assert!(written.contains("selected"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Overview
//!
//! - [`Election`] is a `.pb` file: META entries, projects, ballots, unknown columns kept;
//!   [`Election::parse`] validates with line numbers, [`Election::to_pb`] writes it back
//!   (byte for byte for Pabulib's files). Amounts are exact [`Decimal`]s.
//! - [`run`] decides an election by a [`Rule`]: [`Greedy`] (votes or score; skip, no-skip,
//!   threshold), [`Mes`] (the Method of Equal Shares with [`Utility`] cost or cardinality, the
//!   [`Completion`]s Add1, Add1-full and utilitarian, and the greedy [`Comparison`]), sequential
//!   Phragmén, and maximum utilitarian welfare. Ties follow a [`TieBreak`] chain (default: min
//!   cost, max votes, id) or are refused with [`Error::Tie`]. It returns an [`Outcome`].
//! - [`analyse`] gives per-voter satisfaction, the share of voters with nothing funded, the
//!   Gini coefficient, EJR+ up to one violations and, per unfunded project, its MES effective
//!   support ([`Analysis`]).
//!
//! # Exactness
//!
//! Every selection is decided in exact arithmetic. MES runs in `f64` with a tracked error bound
//! and is redone with `BigRational`s whenever a decision falls inside the bound; exact ties are
//! recognised as such and broken by the tie-break chain (see the module notes in `mes.rs`).
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
