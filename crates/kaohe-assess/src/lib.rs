//! The assessment rules of 一记三评三奖惩 as commands, events and projections.
//!
//! Architecture Invariant: this crate never reads the clock or touches the disk. The time of
//! an act is an argument, so a replay runs exactly the code path that made each decision.
//!
//! `commands` are what people ask the ledger to record; `decide` turns one into events or a
//! `refusal`, by the rule of `rules/` for that command; `state` folds events into the state every
//! decision reads; `sanctions` derives and replays 三奖惩; `explain` walks what a judgment rested
//! on and what followed from it; `views` are the projections people read.

pub mod access;
pub mod commands;
pub mod decide;
pub mod explain;
pub mod findings;
mod fold;
pub mod payload;
pub mod period;
pub mod policy;
pub mod refusal;
mod refusal_zh;
mod rules;
pub mod sanctions;
pub mod state;
pub mod summary;
pub mod todo;
pub mod units;
pub mod views;
pub mod words;

pub use commands::Command;
pub use decide::{Act, decide};
pub use refusal::{Refusal, RefusalKind};
pub use state::{Fact, State};
pub use words::{DayKind, EventType, Kind, Outcome, Role, SanctionKind, Standing, TieBreak};
