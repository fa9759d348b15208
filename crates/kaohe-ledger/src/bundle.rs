//! Proof bundles: an inclusion or consistency proof together with the signed checkpoints it
//! rests on, as `kaohe prove` prints them and `kaohe verify-proof` checks them offline.

use serde::{Deserialize, Serialize};

use crate::event::parse_event;
use crate::hash::{Hash, leaf_hash};
use crate::merkle::{verify_consistency, verify_inclusion};
use crate::note::{Checkpoint, VerifierKey};

/// The most hashes a proof may carry: two per level of a tree of 2^63 leaves.
pub const PROOF_HASHES_MAX: usize = 128;

/// A proof bundle, tagged by its kind.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kaohe_proof", rename_all = "snake_case", deny_unknown_fields)]
pub enum ProofBundle {
    /// One event is in the ledger of a given size.
    Inclusion {
        /// The event's position.
        position: u64,
        /// The tree size the proof is for.
        size: u64,
        /// The event's canonical JSON text.
        event: String,
        /// The audit path, nearest sibling first, hex.
        path: Vec<String>,
        /// The signed checkpoint of `size`.
        checkpoint: String,
    },
    /// The ledger of `from_size` events is a prefix of the ledger of `to_size` events.
    Consistency {
        /// The older size.
        from_size: u64,
        /// The newer size.
        to_size: u64,
        /// The consistency path, hex.
        path: Vec<String>,
        /// The signed checkpoint of `from_size`.
        from_checkpoint: String,
        /// The signed checkpoint of `to_size`.
        to_checkpoint: String,
    },
}

/// What a checked bundle proved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Proven {
    /// The event at `position`, with this leaf hash, is in the tree of `size` and `root`.
    Inclusion {
        /// Position.
        position: u64,
        /// Leaf hash.
        leaf: Hash,
        /// Tree size.
        size: u64,
        /// Signed root.
        root: Hash,
    },
    /// The older tree is a prefix of the newer one.
    Consistency {
        /// The older checkpoint.
        from: Checkpoint,
        /// The newer checkpoint.
        to: Checkpoint,
    },
}

/// Why a bundle is refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq, Clone)]
pub enum BundleError {
    /// A checkpoint does not open with the key, or is malformed.
    #[error("checkpoint: {0}")]
    Checkpoint(String),
    /// The bundle's own fields disagree (sizes, positions, origins).
    #[error("{0}")]
    Mismatch(String),
    /// A path element is not a 64-digit lower-case hex hash, or there are too many.
    #[error("the path is malformed: {0}")]
    BadPath(String),
    /// The event text is not a valid event.
    #[error("the event: {0}")]
    BadEvent(String),
    /// The proof does not lead to the signed root.
    #[error("the proof fails: {0}")]
    ProofFails(String),
}

fn parse_path(path: &[String]) -> Result<Vec<Hash>, BundleError> {
    if path.len() > PROOF_HASHES_MAX {
        return Err(BundleError::BadPath(format!("{} hashes", path.len())));
    }
    path.iter()
        .map(|text| Hash::from_hex(text).ok_or_else(|| BundleError::BadPath(text.clone())))
        .collect()
}

fn open(text: &str, key: &VerifierKey) -> Result<Checkpoint, BundleError> {
    let checkpoint =
        Checkpoint::open(text, key).map_err(|error| BundleError::Checkpoint(error.to_string()))?;
    if checkpoint.origin != key.name() {
        return Err(BundleError::Mismatch(format!(
            "the checkpoint's origin {} is not the key's name {}",
            checkpoint.origin,
            key.name()
        )));
    }
    Ok(checkpoint)
}

impl ProofBundle {
    /// Check the bundle against the ledger's verifier key.
    pub fn verify(&self, key: &VerifierKey) -> Result<Proven, BundleError> {
        match self {
            ProofBundle::Inclusion {
                position,
                size,
                event,
                path,
                checkpoint,
            } => {
                let checkpoint = open(checkpoint, key)?;
                if checkpoint.size != *size {
                    return Err(BundleError::Mismatch(format!(
                        "the proof is for size {size}, the checkpoint for size {}",
                        checkpoint.size
                    )));
                }
                let parsed = parse_event(event.as_bytes())
                    .map_err(|error| BundleError::BadEvent(error.to_string()))?;
                if parsed.position != *position {
                    return Err(BundleError::Mismatch(format!(
                        "the event is at position {}, the proof says {position}",
                        parsed.position
                    )));
                }
                let leaf = leaf_hash(event.as_bytes());
                verify_inclusion(
                    &leaf,
                    *position,
                    *size,
                    &parse_path(path)?,
                    &checkpoint.root,
                )
                .map_err(|error| BundleError::ProofFails(error.to_string()))?;
                Ok(Proven::Inclusion {
                    position: *position,
                    leaf,
                    size: *size,
                    root: checkpoint.root,
                })
            }
            ProofBundle::Consistency {
                from_size,
                to_size,
                path,
                from_checkpoint,
                to_checkpoint,
            } => {
                let from = open(from_checkpoint, key)?;
                let to = open(to_checkpoint, key)?;
                if from.size != *from_size || to.size != *to_size {
                    return Err(BundleError::Mismatch(format!(
                        "the proof is from {from_size} to {to_size}, the checkpoints are for {} and {}",
                        from.size, to.size
                    )));
                }
                verify_consistency(
                    *from_size,
                    *to_size,
                    &from.root,
                    &to.root,
                    &parse_path(path)?,
                )
                .map_err(|error| BundleError::ProofFails(error.to_string()))?;
                Ok(Proven::Consistency { from, to })
            }
        }
    }
}
