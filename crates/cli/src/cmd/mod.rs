//! One module per subcommand; each has an `Args` (clap) and a `run`.

pub(crate) mod check;
mod compass_input;
pub(crate) mod example;
pub(crate) mod index;
pub(crate) mod lix;
pub(crate) mod panel;
pub(crate) mod pb;
pub(crate) mod prioritise;
pub(crate) mod report;
pub(crate) mod represent;
pub(crate) mod schema;
pub(crate) mod sensitivity;
pub(crate) mod spc;
