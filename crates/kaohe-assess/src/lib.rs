//! The assessment rules of 一记三评三奖惩 as commands, events and projections.
//!
//! Architecture Invariant: this crate never reads the clock or touches the disk. The time of
//! an act is an argument, so a replay runs exactly the code path that made each decision.
//!
//! `decide` turns a command into events or a refusal; `state` folds events into the state every
//! decision reads; `sanctions` derives and replays 三奖惩; `explain` walks what a judgment rested
//! on and what followed from it; `views` are the projections people read.

pub mod decide;
pub mod explain;
mod fold;
pub mod payload;
pub mod period;
pub mod policy;
mod refusal_zh;
pub mod sanctions;
pub mod state;
pub mod summary;
pub mod views;
pub mod words;

pub use decide::{Act, Command, Refusal, RefusalKind, decide};
pub use state::{Fact, State};
pub use words::{DayKind, EventType, Kind, Outcome, Role, SanctionKind, Standing, TieBreak};
