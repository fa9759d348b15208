//! The kaohe ledger format: canonical event bytes, BLAKE3 leaf and node hashes, the RFC 9162
//! Merkle tree and its proofs, signed checkpoints, and verification of a whole ledger.
//!
//! Architecture Invariant: this crate does no IO and never reads the clock. It takes bytes and
//! values and returns values, so the same code checks a data directory, an export and a proof.

pub mod bundle;
pub mod canonical;
pub mod event;
pub mod genesis;
pub mod hash;
pub mod merkle;
pub mod note;
mod scan;
pub mod schema;
pub mod verify;

pub use hash::Hash;
