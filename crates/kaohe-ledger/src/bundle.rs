//! Proof bundles: an inclusion or consistency proof together with the signed checkpoints it
//! rests on, as `kaohe prove` prints them and `kaohe verify-proof` checks them offline.
//!
//! A bundle has one spelling: the canonical JSON (RFC 8785) of an object with exactly the
//! members of its kind, and a bundle file is that and one line feed. Nothing in a bundle is
//! hashed as it stands, but a reader that took duplicate or unknown members, or numbers
//! spelled two ways, would let two verifiers read one file as two different claims.

use serde_json::{Map, Value, json};

use crate::canonical::{CanonicalError, parse_canonical, to_canonical};
use crate::event::parse_event;
use crate::hash::{Hash, leaf_hash};
use crate::merkle::{verify_consistency, verify_inclusion};
use crate::note::{Checkpoint, VerifierKey};

/// The most hashes a proof may carry: two per level of a tree of 2^63 leaves.
pub const PROOF_HASHES_MAX: usize = 128;

/// The most bytes a bundle file may have.
pub const PROOF_FILE_BYTES_MAX: usize = 1 << 20;

/// A proof bundle, tagged by its kind (the member `kaohe_proof`).
#[derive(Clone, Debug, PartialEq, Eq)]
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
    /// The file or its JSON is not a bundle's one spelling: not canonical JSON, a member
    /// missing, unknown or of the wrong type, an unknown kind.
    #[error("not a proof bundle: {0}")]
    Malformed(String),
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

/// The members of a bundle object of each kind, in canonical (sorted) order.
const INCLUSION_MEMBERS: [&str; 6] = [
    "checkpoint",
    "event",
    "kaohe_proof",
    "path",
    "position",
    "size",
];
const CONSISTENCY_MEMBERS: [&str; 6] = [
    "from_checkpoint",
    "from_size",
    "kaohe_proof",
    "path",
    "to_checkpoint",
    "to_size",
];

fn malformed(message: impl Into<String>) -> BundleError {
    BundleError::Malformed(message.into())
}

/// The members of one bundle object, read by name and type.
struct Members<'a>(&'a Map<String, Value>);

impl Members<'_> {
    fn size(&self, name: &str) -> Result<u64, BundleError> {
        self.0[name]
            .as_u64()
            .ok_or_else(|| malformed(format!("{name} must be an integer of at least 0")))
    }

    fn text(&self, name: &str) -> Result<String, BundleError> {
        self.0[name]
            .as_str()
            .map(str::to_owned)
            .ok_or_else(|| malformed(format!("{name} must be a string")))
    }

    fn path(&self) -> Result<Vec<String>, BundleError> {
        let items = self.0["path"]
            .as_array()
            .ok_or_else(|| malformed("path must be an array of strings"))?;
        if items.len() > PROOF_HASHES_MAX {
            return Err(BundleError::BadPath(format!(
                "{} hashes, more than {PROOF_HASHES_MAX}",
                items.len()
            )));
        }
        items
            .iter()
            .map(|item| {
                item.as_str()
                    .map(str::to_owned)
                    .ok_or_else(|| malformed("path must be an array of strings"))
            })
            .collect()
    }
}

impl ProofBundle {
    /// The bundle object's canonical JSON (RFC 8785), its one spelling; refused for a size or
    /// position beyond 2^53 − 1, which no ledger reaches and canonical JSON cannot hold.
    pub fn to_canonical(&self) -> Result<Vec<u8>, CanonicalError> {
        let value = match self {
            ProofBundle::Inclusion {
                position,
                size,
                event,
                path,
                checkpoint,
            } => json!({
                "kaohe_proof": "inclusion",
                "position": position,
                "size": size,
                "event": event,
                "path": path,
                "checkpoint": checkpoint,
            }),
            ProofBundle::Consistency {
                from_size,
                to_size,
                path,
                from_checkpoint,
                to_checkpoint,
            } => json!({
                "kaohe_proof": "consistency",
                "from_size": from_size,
                "to_size": to_size,
                "path": path,
                "from_checkpoint": from_checkpoint,
                "to_checkpoint": to_checkpoint,
            }),
        };
        to_canonical(&value)
    }

    /// The bundle file `kaohe prove` prints: the canonical JSON and one line feed.
    pub fn to_file(&self) -> Result<Vec<u8>, CanonicalError> {
        let mut bytes = self.to_canonical()?;
        bytes.push(b'\n');
        Ok(bytes)
    }

    /// Read a bundle file: the canonical JSON of a bundle and one line feed, nothing else.
    pub fn from_file(bytes: &[u8]) -> Result<ProofBundle, BundleError> {
        if bytes.len() > PROOF_FILE_BYTES_MAX {
            return Err(malformed(format!(
                "the file is larger than any proof ({PROOF_FILE_BYTES_MAX} bytes)"
            )));
        }
        let json = bytes.strip_suffix(b"\n").ok_or_else(|| {
            malformed("the file does not end with a line feed after the bundle's JSON")
        })?;
        ProofBundle::parse(json)
    }

    /// Read a bundle from its canonical JSON: an object with exactly the members of its kind,
    /// each of its type.
    pub fn parse(json: &[u8]) -> Result<ProofBundle, BundleError> {
        let value = parse_canonical(json)
            .map_err(|error| malformed(format!("the bundle is not canonical JSON: {error}")))?;
        let object = value
            .as_object()
            .ok_or_else(|| malformed("the bundle is not a JSON object"))?;
        let kind = object
            .get("kaohe_proof")
            .ok_or_else(|| malformed("the bundle has no member kaohe_proof"))?;
        let names: &[&str] = match kind.as_str() {
            Some("inclusion") => &INCLUSION_MEMBERS,
            Some("consistency") => &CONSISTENCY_MEMBERS,
            _ => {
                return Err(malformed(
                    "kaohe_proof must be \"inclusion\" or \"consistency\"",
                ));
            }
        };
        if let Some(unknown) = object.keys().find(|name| !names.contains(&name.as_str())) {
            return Err(malformed(format!(
                "the bundle has a member it may not have: {unknown}"
            )));
        }
        if let Some(missing) = names.iter().find(|name| !object.contains_key(**name)) {
            return Err(malformed(format!("the bundle has no member {missing}")));
        }
        let members = Members(object);
        Ok(if kind == "inclusion" {
            ProofBundle::Inclusion {
                position: members.size("position")?,
                size: members.size("size")?,
                event: members.text("event")?,
                path: members.path()?,
                checkpoint: members.text("checkpoint")?,
            }
        } else {
            ProofBundle::Consistency {
                from_size: members.size("from_size")?,
                to_size: members.size("to_size")?,
                path: members.path()?,
                from_checkpoint: members.text("from_checkpoint")?,
                to_checkpoint: members.text("to_checkpoint")?,
            }
        })
    }

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

#[cfg(test)]
mod tests {
    use super::*;

    fn inclusion() -> ProofBundle {
        ProofBundle::Inclusion {
            position: 3,
            size: 7,
            event: "{\"a\":1}".into(),
            path: vec![Hash::ZERO.to_hex(); 3],
            checkpoint: "o\n7\nAAAA\n\n— o AAAA\n".into(),
        }
    }

    fn consistency() -> ProofBundle {
        ProofBundle::Consistency {
            from_size: 3,
            to_size: 7,
            path: vec![Hash::ZERO.to_hex(); 2],
            from_checkpoint: "a".into(),
            to_checkpoint: "b".into(),
        }
    }

    #[test]
    fn a_bundle_reads_back_from_its_one_spelling() {
        for bundle in [inclusion(), consistency()] {
            let file = bundle.to_file().unwrap();
            assert_eq!(file.last(), Some(&b'\n'));
            assert_eq!(ProofBundle::from_file(&file), Ok(bundle.clone()));
            assert_eq!(
                ProofBundle::parse(&bundle.to_canonical().unwrap()),
                Ok(bundle)
            );
        }
        let mut beyond = consistency();
        if let ProofBundle::Consistency { to_size, .. } = &mut beyond {
            *to_size = 1 << 53;
        }
        assert!(matches!(
            beyond.to_file(),
            Err(CanonicalError::IntegerOutOfRange { .. })
        ));
        assert!(
            inclusion()
                .to_canonical()
                .unwrap()
                .starts_with(b"{\"checkpoint\":\"o\\n7\\nAAAA\\n\\n")
        );
    }

    #[test]
    fn anything_but_a_bundle_of_exactly_its_members_is_refused() {
        let with = |change: &dyn Fn(&mut Value)| {
            let mut value: Value =
                serde_json::from_slice(&inclusion().to_canonical().unwrap()).unwrap();
            change(&mut value);
            ProofBundle::parse(&to_canonical(&value).unwrap()).unwrap_err()
        };
        let refused = |message: &str| BundleError::Malformed(message.into());
        assert_eq!(
            with(&|v| v["kaohe_proof"] = "exclusion".into()),
            refused("kaohe_proof must be \"inclusion\" or \"consistency\"")
        );
        assert_eq!(
            with(&|v| {
                v.as_object_mut().unwrap().remove("kaohe_proof");
            }),
            refused("the bundle has no member kaohe_proof")
        );
        assert_eq!(
            with(&|v| {
                v.as_object_mut().unwrap().remove("path");
            }),
            refused("the bundle has no member path")
        );
        assert_eq!(
            with(&|v| v["from_size"] = 1.into()),
            refused("the bundle has a member it may not have: from_size")
        );
        assert_eq!(
            with(&|v| v["size"] = "7".into()),
            refused("size must be an integer of at least 0")
        );
        assert_eq!(
            with(&|v| v["position"] = (-1).into()),
            refused("position must be an integer of at least 0")
        );
        assert_eq!(
            with(&|v| v["path"] = serde_json::json!([1])),
            refused("path must be an array of strings")
        );
        assert_eq!(
            with(&|v| v["path"] = serde_json::json!(vec![""; PROOF_HASHES_MAX + 1])),
            BundleError::BadPath("129 hashes, more than 128".into())
        );
        assert_eq!(
            ProofBundle::parse(b"[]"),
            Err(refused("the bundle is not a JSON object"))
        );
        assert_eq!(
            ProofBundle::parse(b"{ }"),
            Err(refused(
                "the bundle is not canonical JSON: not in RFC 8785 canonical form (first difference at byte 1)"
            ))
        );
        assert_eq!(
            ProofBundle::from_file(&inclusion().to_canonical().unwrap()),
            Err(refused(
                "the file does not end with a line feed after the bundle's JSON"
            ))
        );
        assert_eq!(
            ProofBundle::from_file(&vec![b' '; PROOF_FILE_BYTES_MAX + 1]),
            Err(refused("the file is larger than any proof (1048576 bytes)"))
        );
    }
}
