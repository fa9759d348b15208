//! Test support shared by kaohe's test suites and its fuzz targets: the township fixture (event
//! 0 under one fixed key and id, the people with their roles, supervision and areas), daily
//! entries, a scripted clock, acts decided and folded one at a time, ledgers in temporary
//! directories, the township recorded through the engine and served through the router, and
//! one HTTP request over a socket.
//!
//! A dev-dependency only: no product target depends on it (`tests/dev_only.rs` checks every
//! manifest). Its layers are features, so that each suite builds only the crates it tests
//! against:
//!
//! - always: [`ledger`] (event 0, entries, fixed ids, sealing) and [`http`];
//! - `rules`: [`roster`] (the people and the roster as commands), [`given`] (the rules
//!   alone, an act at a time) and [`units`] (the township's units, indicators and their
//!   leaders);
//! - `store`: [`clock`] (a clock the test moves) and [`store`] (ledgers in temporary
//!   directories);
//! - `engine`: [`engine`] (the township recorded through the engine);
//! - `server`: [`server`] (the township served through the router).
//!
//! Every suite plays in the same township, 示范镇, with the same people; a suite picks who of
//! them are on its roster and how they are organised, rather than keeping a copy of its own.

pub mod http;
pub mod ledger;

#[cfg(feature = "rules")]
pub mod given;
#[cfg(feature = "rules")]
pub mod roster;
#[cfg(feature = "rules")]
pub mod units;

#[cfg(feature = "store")]
pub mod clock;
#[cfg(feature = "store")]
pub mod store;

#[cfg(feature = "engine")]
pub mod engine;

#[cfg(feature = "server")]
pub mod server;

pub use ledger::{
    GENESIS_ID, Genesis, ORGANISATION, ORIGIN, entry, entry_saying, fixed_id, genesis, march_day,
    seal_all, signer,
};

#[cfg(feature = "rules")]
pub use given::{Given, appealed, publish, rate_quarter};
#[cfg(feature = "rules")]
pub use roster::{ENROLLED_AT, PEOPLE, Person, Roster, person};

#[cfg(feature = "store")]
pub use clock::ScriptedClock;

#[cfg(feature = "engine")]
pub use engine::EngineTown;
