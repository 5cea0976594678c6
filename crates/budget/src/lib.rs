//! Participatory budgeting: the Pabulib format, the Method of Equal Shares with completions, greedy, Phragmén, analysis.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
