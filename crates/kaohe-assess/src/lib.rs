//! The assessment rules of 一记三评三奖惩 as commands, events and projections.
//!
//! Architecture Invariant: this crate never reads the clock or touches the disk. The time of
//! an act is an argument, so a replay runs exactly the code path that made each decision.
//!
//! This first part covers the roster and authority over time, policy versions, and the daily
//! work record (一记): entries, ten-day sheets with due dates, amendments and readings.

pub mod decide;
pub mod explain;
pub mod payload;
pub mod period;
pub mod policy;
pub mod sanctions;
pub mod state;
pub mod summary;

pub use decide::{Act, Command, Refusal, decide};
pub use state::{Fact, State};
