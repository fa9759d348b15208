//! BLAKE3 leaf and node hashes in derive-key mode, one context string for each.

use std::fmt;
use std::sync::LazyLock;

/// Context string for the leaf hash of an event's canonical bytes (BLAKE3 derive-key mode).
pub const LEAF_CONTEXT: &str = "kaohe 2026-11-22 ledger event leaf v1";
/// Context string for an interior Merkle node over `left || right` (BLAKE3 derive-key mode).
pub const NODE_CONTEXT: &str = "kaohe 2026-11-22 ledger merkle node v1";
/// Context string for the root of the empty tree (hash of the empty input).
pub const EMPTY_CONTEXT: &str = "kaohe 2026-11-22 ledger empty tree v1";
/// Context string for the digest of an event's content, used to answer retried appends.
pub const CONTENT_CONTEXT: &str = "kaohe 2026-11-22 event content digest v1";

// Deriving the context key is itself a hash; doing it once and cloning the hasher keeps a
// 64-byte interior node at exactly one compression beyond the clone.
static LEAF_HASHER: LazyLock<blake3::Hasher> =
    LazyLock::new(|| blake3::Hasher::new_derive_key(LEAF_CONTEXT));
static NODE_HASHER: LazyLock<blake3::Hasher> =
    LazyLock::new(|| blake3::Hasher::new_derive_key(NODE_CONTEXT));
static CONTENT_HASHER: LazyLock<blake3::Hasher> =
    LazyLock::new(|| blake3::Hasher::new_derive_key(CONTENT_CONTEXT));

/// A 32-byte hash: a leaf, an interior node or a root.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Hash(pub [u8; 32]);

impl Hash {
    /// The all-zero hash that event 0 carries as its previous hash.
    pub const ZERO: Hash = Hash([0; 32]);

    /// Lower-case hexadecimal, 64 characters: the form used inside events.
    pub fn to_hex(&self) -> String {
        let mut text = String::with_capacity(64);
        for byte in self.0 {
            text.push(char::from(HEX_DIGITS[usize::from(byte >> 4)]));
            text.push(char::from(HEX_DIGITS[usize::from(byte & 0x0f)]));
        }
        text
    }

    /// Parse exactly 64 lower-case hexadecimal characters; anything else is `None`.
    pub fn from_hex(text: &str) -> Option<Hash> {
        let bytes = text.as_bytes();
        if bytes.len() != 64 {
            return None;
        }
        let mut out = [0u8; 32];
        for (index, pair) in bytes.chunks_exact(2).enumerate() {
            out[index] = (hex_value(pair[0])? << 4) | hex_value(pair[1])?;
        }
        Some(Hash(out))
    }
}

const HEX_DIGITS: &[u8; 16] = b"0123456789abcdef";

fn hex_value(digit: u8) -> Option<u8> {
    match digit {
        b'0'..=b'9' => Some(digit - b'0'),
        b'a'..=b'f' => Some(digit - b'a' + 10),
        _ => None,
    }
}

impl fmt::Debug for Hash {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(formatter, "Hash({})", self.to_hex())
    }
}

impl fmt::Display for Hash {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(&self.to_hex())
    }
}

/// The leaf hash of an event: BLAKE3 derive-key(`LEAF_CONTEXT`) over its canonical bytes.
pub fn leaf_hash(canonical_bytes: &[u8]) -> Hash {
    let mut hasher = LEAF_HASHER.clone();
    hasher.update(canonical_bytes);
    Hash(*hasher.finalize().as_bytes())
}

/// An interior node: BLAKE3 derive-key(`NODE_CONTEXT`) over `left || right` (one 64-byte block).
pub fn node_hash(left: &Hash, right: &Hash) -> Hash {
    let mut block = [0u8; 64];
    block[..32].copy_from_slice(&left.0);
    block[32..].copy_from_slice(&right.0);
    let mut hasher = NODE_HASHER.clone();
    hasher.update(&block);
    Hash(*hasher.finalize().as_bytes())
}

/// The root of the empty tree: BLAKE3 derive-key(`EMPTY_CONTEXT`) over no bytes.
pub fn empty_root() -> Hash {
    Hash(blake3::derive_key(EMPTY_CONTEXT, b""))
}

/// The content digest of an event: BLAKE3 derive-key(`CONTENT_CONTEXT`) over the canonical
/// bytes of its content object (see `event::content_bytes`).
pub fn content_digest(content_bytes: &[u8]) -> Hash {
    let mut hasher = CONTENT_HASHER.clone();
    hasher.update(content_bytes);
    Hash(*hasher.finalize().as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hex_round_trips_and_refuses_upper_case() {
        let hash = leaf_hash(b"kaohe");
        assert_eq!(Hash::from_hex(&hash.to_hex()), Some(hash));
        assert_eq!(Hash::from_hex(&hash.to_hex().to_uppercase()), None);
        assert_eq!(Hash::from_hex(&hash.to_hex()[1..]), None);
    }

    #[test]
    fn leaf_node_and_content_contexts_are_separate() {
        let left = leaf_hash(b"a");
        let right = leaf_hash(b"b");
        let mut block = Vec::new();
        block.extend_from_slice(&left.0);
        block.extend_from_slice(&right.0);
        assert_ne!(leaf_hash(&block), node_hash(&left, &right));
        assert_ne!(content_digest(b"a"), leaf_hash(b"a"));
        assert_eq!(
            node_hash(&left, &right),
            Hash(blake3::derive_key(NODE_CONTEXT, &block))
        );
        assert_eq!(
            leaf_hash(b"a"),
            Hash(blake3::derive_key(LEAF_CONTEXT, b"a"))
        );
    }
}
