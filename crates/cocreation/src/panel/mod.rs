//! Citizens' panels by stratified sortition: LEGACY, MAXIMIN, LEXIMIN and NASH lotteries.
//!
//! A citizens' assembly is drawn from a pool of volunteers so that the panel meets quotas on
//! categories such as gender, age and education. Among all lotteries over quota-meeting panels,
//! LEXIMIN (Flanigan, Gölz, Gupta, Hennig & Procaccia, "Fair algorithms for selecting citizens'
//! assemblies", Nature 596, 2021) gives every volunteer as equal a chance as the quotas allow: it
//! maximises the smallest selection probability, then the second smallest, and so on.
//!
//! ```
//! use kompas_cocreation::panel::{Algorithm, Instance, ParseOptions, Selection, select};
//! let quotas = "category,feature,min,max\ngender,female,1,1\ngender,male,1,1\n";
//! let pool = "gender\nfemale\nfemale\nmale\nmale\nmale\nmale\n";
//! let instance = Instance::parse(quotas, pool, &ParseOptions::default())?;
//! let lottery = select(&instance, &Selection::new(2, Algorithm::Leximin), &mut |_| {})?;
//! // Each woman is drawn with probability 1/2, each man with 1/4.
//! assert!((lottery.min_probability() - 0.25).abs() < 1e-6);
//! let report = lottery.report(&instance, 42);
//! assert_eq!(report.drawn.len(), 2);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! # Inputs
//! [`Instance::parse`] reads both formats in use: the replication format
//! (`category,feature,min,max` plus a respondents file with one column per category and an
//! optional id column) and the Sortition Foundation format
//! (`feature,value,min,max[,min_flex,max_flex]` plus a people file with an id column).
//! [`ParseOptions::household`] allows at most one person per household.
//!
//! # Method
//! People with identical values are one *type*; a panel is a count per type (exact, because
//! LEXIMIN's optimum is unique and therefore symmetric within a type). LEXIMIN runs the paper's
//! column generation: per stage, an LP over the portfolio of panels (a dedicated dense revised
//! simplex whose basis is kept when a panel is added and from one stage to the next) and a
//! pricing MILP (microlp's branch and bound, warm-started by local search over member
//! exchanges) for the panel that improves it most, until the exact MILP proves that none does;
//! types with positive dual weight are fixed at the stage
//! optimum. MAXIMIN is the first stage. NASH maximises `Σ log π` by Frank–Wolfe with the same
//! pricing and multiplicative corrective steps. LEGACY is the earlier greedy draw, estimated by
//! Monte Carlo with a Jeffreys upper bound on the minimum.
//!
//! Tolerances (floating point LPs): a panel enters the portfolio only if it beats the dual bound
//! by more than 1e-9; a dual weight above 1e-7 marks a type as tight; fixed probabilities are
//! lowered by 1e-6 (above the simplex's 1e-7 feasibility tolerance) and dual weights are boxed at 1e3 so that later stages stay feasible; NASH stops at a relative Frank–Wolfe gap
//! of 1e-5. Quota checks are exact integer arithmetic, and every panel returned is checked.
//!
//! Cost: each pricing step is a MILP (exponential in the worst case); on geneva_30 (360 people,
//! 279 types, 7 categories) LEXIMIN needs about 500 of them and about 40 000 simplex pivots of
//! `O(m²)` each (`m` = 280 rows), about 10-15 s of CPU in all (see `BENCHMARKS.md`).
//!
//! # Outputs
//! A [`Lottery`]: panels with probabilities (a type-level panel is expanded into person panels
//! by coupling each type's cyclic windows, so every member of a type gets exactly its share),
//! each person's probability, the minimum, the Gini coefficient, the geometric mean, and a panel
//! drawn from a seed ([`Lottery::draw`], ChaCha20). [`Lottery::tickets`] rounds to M equally
//! likely tickets that keep every person's probability within k/M (Flanigan, Kehne & Procaccia
//! 2021: Beck–Fiala rounding, improved by an integer program where it can be); [`replace`] refills seats after dropouts; [`check_quotas`] reports
//! infeasible quotas with a minimal relaxation.

mod cg;
mod error;
mod input;
mod legacy;
mod lottery;
mod model;
mod search;
mod simplex;
mod tickets;

pub use error::Error;
pub use input::{Category, Instance, ParseOptions, QuotaFormat, ValueQuota};
pub use lottery::{
    Algorithm, InfeasibilityReport, Lottery, MonteCarlo, PanelReport, Progress, Relaxation,
    ReportPanel, Selection, WeightedPanel, check_quotas, geometric_mean, gini, replace, select,
};
pub use tickets::{TicketMethod, TicketOptions, Tickets};
