//! Signed notes and checkpoints (C2SP signed-note, tlog-checkpoint) with the ledger's Ed25519 key.
//!
//! A signed note (<https://c2sp.org/signed-note>) is a UTF-8 text ending in a
//! newline, a blank line, and one or more signature lines of the form
//! `— <key name> <base64(4-byte key id || signature)>`. Only Ed25519 keys
//! (signature type `0x01`) are supported, whose key id is the first four bytes
//! of `SHA-256(name || 0x0A || 0x01 || public key)`.
//!
//! A checkpoint (<https://c2sp.org/tlog-checkpoint>) is a note whose text is
//! the log origin, the tree size in decimal and the base64 root hash. The
//! tlog-checkpoint format allows extension lines after the root hash; kaohe's
//! checkpoints have none, and a body with a line after the root hash is
//! refused, so that one size and root have one signed body.
//!
//! Parsing is deliberately strict: base64 must be canonical and padded, sizes
//! must have no leading zeros, and every signature line that claims to be by
//! the verifying key must verify. A ledger that accepted two spellings of the
//! same checkpoint would make "is this the checkpoint I saw before?" harder to
//! answer, so only one spelling is accepted.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};
use sha2::{Digest as _, Sha256};

use crate::hash::Hash;

/// The signature type byte that the signed-note spec assigns to Ed25519.
const ALG_ED25519: u8 = 0x01;

/// The largest signed note accepted, so that a hostile peer cannot make us
/// buffer and scan arbitrarily large inputs.
pub const MAX_NOTE_SIZE: usize = 1 << 20;

/// The most signature lines accepted, matching the Go reference
/// implementation; the spec requires accepting at least 16.
const MAX_SIGNATURES: usize = 100;

/// The prefix of every signature line: an em dash (U+2014) and a space.
const SIG_PREFIX: &str = "\u{2014} ";

/// Everything that can go wrong when handling keys, signed notes and checkpoints.
#[derive(Debug, thiserror::Error, PartialEq, Eq, Clone)]
pub enum NoteError {
    /// The signed note text does not follow the signed-note format.
    #[error("malformed signed note: {reason}")]
    MalformedNote {
        /// What is wrong with the note.
        reason: String,
    },
    /// The signed note is larger than this module accepts.
    #[error("signed note is {size} bytes, more than the limit of {limit} bytes")]
    TooLarge {
        /// The size of the note in bytes.
        size: usize,
        /// The largest size accepted, in bytes.
        limit: usize,
    },
    /// The signed note has more signature lines than this module accepts.
    #[error("signed note has more than {limit} signature lines")]
    TooManySignatures {
        /// The largest number of signature lines accepted.
        limit: usize,
    },
    /// A note body given for signing could not appear in a valid signed note.
    #[error("note body cannot be signed: {reason}")]
    InvalidBody {
        /// What is wrong with the body.
        reason: String,
    },
    /// A key name is empty or contains whitespace, a plus sign or a control character.
    #[error(
        "invalid key name {name:?}: a key name must be non-empty and contain no whitespace, \
         '+' or control characters"
    )]
    BadKeyName {
        /// The rejected name.
        name: String,
    },
    /// A key in text form could not be parsed.
    #[error("malformed key text: {reason}")]
    BadKeyText {
        /// What is wrong with the key text; never includes secret material.
        reason: String,
    },
    /// A key text uses a signature type other than Ed25519.
    #[error("unsupported key type 0x{algorithm:02x}: only Ed25519 (0x01) is supported")]
    UnsupportedKeyType {
        /// The signature type byte found in the key text.
        algorithm: u8,
    },
    /// Thirty-two bytes that are not a usable Ed25519 public key.
    #[error("invalid Ed25519 public key: {reason}")]
    BadPublicKey {
        /// Why the key is unusable.
        reason: String,
    },
    /// The key id written in a key text does not match the id computed from the key.
    #[error("key text for {name:?} states key id {stated}, but the key's id is {computed}")]
    KeyIdMismatch {
        /// The key name in the key text.
        name: String,
        /// The key id written in the key text, as 8 hex digits.
        stated: String,
        /// The key id computed from the name and public key, as 8 hex digits.
        computed: String,
    },
    /// The note has no signature line with the verifying key's name and key id.
    #[error("note has no signature by key {name}+{key_id}")]
    NoSignatureByKey {
        /// The verifying key's name.
        name: String,
        /// The verifying key's id, as 8 hex digits.
        key_id: String,
    },
    /// A signature line claims to be by the verifying key but does not verify.
    #[error("signature by key {name}+{key_id} does not verify")]
    BadSignature {
        /// The verifying key's name.
        name: String,
        /// The verifying key's id, as 8 hex digits.
        key_id: String,
    },
    /// A checkpoint body or checkpoint fields do not follow the tlog-checkpoint format.
    #[error("malformed checkpoint: {reason}")]
    MalformedCheckpoint {
        /// What is wrong with the checkpoint.
        reason: String,
    },
}

fn malformed_note(reason: impl Into<String>) -> NoteError {
    NoteError::MalformedNote {
        reason: reason.into(),
    }
}

fn bad_key_text(reason: impl Into<String>) -> NoteError {
    NoteError::BadKeyText {
        reason: reason.into(),
    }
}

fn malformed_checkpoint(reason: impl Into<String>) -> NoteError {
    NoteError::MalformedCheckpoint {
        reason: reason.into(),
    }
}

/// Formats a key id the way key texts and error messages show it.
fn key_id_hex(key_id: [u8; 4]) -> String {
    format!("{:08x}", u32::from_be_bytes(key_id))
}

/// Parses the 8-hex-digit key id field of a key text.
fn parse_key_id(text: &str) -> Result<[u8; 4], NoteError> {
    // `u32::from_str_radix` alone would also accept a leading '+', so the
    // field is checked to be exactly eight hex digits first.
    if text.len() != 8 || !text.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(bad_key_text("the key id must be exactly 8 hex digits"));
    }
    let value = u32::from_str_radix(text, 16)
        .map_err(|_| bad_key_text("the key id must be exactly 8 hex digits"))?;
    Ok(value.to_be_bytes())
}

/// The key id the signed-note spec recommends, and the Go implementation uses,
/// for an Ed25519 key.
fn compute_key_id(name: &str, public_key: &[u8; 32]) -> [u8; 4] {
    let mut hasher = Sha256::new();
    hasher.update(name.as_bytes());
    hasher.update([b'\n', ALG_ED25519]);
    hasher.update(public_key);
    let digest = hasher.finalize();
    [digest[0], digest[1], digest[2], digest[3]]
}

/// Reports whether `c` is an ASCII control character, which signed notes forbid
/// everywhere except for the newline that ends each line.
fn is_forbidden_control(c: char) -> bool {
    c < '\u{20}' && c != '\n'
}

/// Reports whether `name` is usable as a key name.
fn is_valid_name(name: &str) -> bool {
    // The spec forbids whitespace and '+'. Control characters are refused as
    // well, because a name containing one could never appear in a valid note.
    !name.is_empty()
        && !name
            .chars()
            .any(|c| c.is_whitespace() || c == '+' || c.is_control())
}

fn check_name(name: &str) -> Result<(), NoteError> {
    if is_valid_name(name) {
        Ok(())
    } else {
        Err(NoteError::BadKeyName {
            name: name.to_owned(),
        })
    }
}

/// Decodes the base64 key data of a key text into the 32 key bytes that follow
/// the Ed25519 signature type byte.
fn decode_key_data(text: &str) -> Result<[u8; 32], NoteError> {
    let data = BASE64
        .decode(text)
        .map_err(|_| bad_key_text("the key data is not canonical padded base64"))?;
    let (&algorithm, key) = data
        .split_first()
        .ok_or_else(|| bad_key_text("the key data is empty"))?;
    if algorithm != ALG_ED25519 {
        return Err(NoteError::UnsupportedKeyType { algorithm });
    }
    <[u8; 32]>::try_from(key).map_err(|_| {
        bad_key_text(format!(
            "an Ed25519 key is 32 bytes after the type byte, not {}",
            key.len()
        ))
    })
}

/// The ledger's private signing key, with its name and key id.
pub struct SignerKey {
    name: String,
    key_id: [u8; 4],
    signing_key: SigningKey,
}

impl SignerKey {
    /// A key for `name` from a 32-byte seed (callers get the seed from the OS random source).
    pub fn from_seed(name: &str, seed: [u8; 32]) -> Result<Self, NoteError> {
        check_name(name)?;
        let signing_key = SigningKey::from_bytes(&seed);
        let key_id = compute_key_id(name, signing_key.verifying_key().as_bytes());
        Ok(Self {
            name: name.to_owned(),
            key_id,
            signing_key,
        })
    }

    /// Parse the `PRIVATE+KEY+name+keyid+base64` form (checks the key id matches).
    ///
    /// Error messages never quote the text, because it holds the secret seed.
    pub fn parse(text: &str) -> Result<Self, NoteError> {
        // The base64 field may itself contain '+', so only the first four
        // separators split fields.
        let mut fields = text.splitn(5, '+');
        let (Some("PRIVATE"), Some("KEY"), Some(name), Some(id_hex), Some(data)) = (
            fields.next(),
            fields.next(),
            fields.next(),
            fields.next(),
            fields.next(),
        ) else {
            return Err(bad_key_text(
                "a signer key has the form PRIVATE+KEY+<name>+<key id>+<base64 key data>",
            ));
        };
        if !is_valid_name(name) {
            return Err(bad_key_text("the key name in the signer key is invalid"));
        }
        let stated = parse_key_id(id_hex)?;
        let seed = decode_key_data(data)?;
        let key = Self::from_seed(name, seed)?;
        // The key id covers the public key, which is only known once it has
        // been derived from the seed.
        if key.key_id != stated {
            return Err(NoteError::KeyIdMismatch {
                name: name.to_owned(),
                stated: key_id_hex(stated),
                computed: key_id_hex(key.key_id),
            });
        }
        Ok(key)
    }

    /// The `PRIVATE+KEY+...` form.
    ///
    /// The result contains the secret seed, so it is deliberately not offered
    /// through `Display`, which would make it too easy to log by accident.
    pub fn to_text(&self) -> String {
        let mut data = Vec::with_capacity(33);
        data.push(ALG_ED25519);
        data.extend_from_slice(&self.signing_key.to_bytes());
        format!(
            "PRIVATE+KEY+{}+{}+{}",
            self.name,
            key_id_hex(self.key_id),
            BASE64.encode(&data)
        )
    }

    /// The public verifier key matching this signer key.
    pub fn verifier(&self) -> VerifierKey {
        VerifierKey {
            name: self.name.clone(),
            key_id: self.key_id,
            verifying_key: self.signing_key.verifying_key(),
        }
    }

    /// The key name, which appears in every signature line this key writes.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Sign a note body; returns the whole signed note text.
    ///
    /// The body must end in a newline and contain no control characters other
    /// than newlines, since nothing else could be read back as a signed note.
    pub fn sign_note(&self, body: &str) -> Result<String, NoteError> {
        if !body.ends_with('\n') {
            return Err(NoteError::InvalidBody {
                reason: "the body must end with a newline".to_owned(),
            });
        }
        if body.chars().any(is_forbidden_control) {
            return Err(NoteError::InvalidBody {
                reason: "the body contains a control character other than newline".to_owned(),
            });
        }
        let signature = self.signing_key.sign(body.as_bytes());
        let mut blob = Vec::with_capacity(4 + 64);
        blob.extend_from_slice(&self.key_id);
        blob.extend_from_slice(&signature.to_bytes());
        let note = format!(
            "{body}\n{SIG_PREFIX}{} {}\n",
            self.name,
            BASE64.encode(&blob)
        );
        // A note that verifiers would refuse as too large is not worth handing out.
        if note.len() > MAX_NOTE_SIZE {
            return Err(NoteError::TooLarge {
                size: note.len(),
                limit: MAX_NOTE_SIZE,
            });
        }
        Ok(note)
    }
}

impl fmt::Debug for SignerKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Only public information is shown, so that logging a key by mistake
        // does not leak the seed.
        f.debug_struct("SignerKey")
            .field("name", &self.name)
            .field("key_id", &key_id_hex(self.key_id))
            .field(
                "public_key",
                &BASE64.encode(self.signing_key.verifying_key().as_bytes()),
            )
            .finish_non_exhaustive()
    }
}

/// A public Ed25519 key with its name and key id, used to check signed notes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifierKey {
    name: String,
    key_id: [u8; 4],
    verifying_key: VerifyingKey,
}

impl VerifierKey {
    /// A verifier key for `name` from a 32-byte Ed25519 public key; the key id is computed.
    pub fn new(name: &str, public_key: [u8; 32]) -> Result<Self, NoteError> {
        check_name(name)?;
        let verifying_key =
            VerifyingKey::from_bytes(&public_key).map_err(|_| NoteError::BadPublicKey {
                reason: "the bytes do not encode a curve point".to_owned(),
            })?;
        // A small-order key admits signatures that verify for many messages,
        // and strict verification refuses all of them anyway, so such a key is
        // refused up front with a clearer message.
        if verifying_key.is_weak() {
            return Err(NoteError::BadPublicKey {
                reason: "the key is a point of small order".to_owned(),
            });
        }
        Ok(Self {
            name: name.to_owned(),
            key_id: compute_key_id(name, &public_key),
            verifying_key,
        })
    }

    /// Parse `name+keyid+base64(0x01||pubkey)`; refuses a key id that does not match the key.
    pub fn parse(text: &str) -> Result<Self, NoteError> {
        // The base64 field may itself contain '+', so only the first two
        // separators split fields.
        let mut fields = text.splitn(3, '+');
        let (Some(name), Some(id_hex), Some(data)) = (fields.next(), fields.next(), fields.next())
        else {
            return Err(bad_key_text(
                "a verifier key has the form <name>+<key id>+<base64 key data>",
            ));
        };
        check_name(name)?;
        let stated = parse_key_id(id_hex)?;
        let public_key = decode_key_data(data)?;
        let key = Self::new(name, public_key)?;
        if key.key_id != stated {
            return Err(NoteError::KeyIdMismatch {
                name: name.to_owned(),
                stated: key_id_hex(stated),
                computed: key_id_hex(key.key_id),
            });
        }
        Ok(key)
    }

    /// The `name+keyid+base64(0x01||pubkey)` form.
    pub fn to_text(&self) -> String {
        let mut data = Vec::with_capacity(33);
        data.push(ALG_ED25519);
        data.extend_from_slice(self.verifying_key.as_bytes());
        format!(
            "{}+{}+{}",
            self.name,
            key_id_hex(self.key_id),
            BASE64.encode(&data)
        )
    }

    /// The key name, which signature lines by this key carry.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The 4-byte key id, which signature lines by this key start with.
    pub fn key_id(&self) -> [u8; 4] {
        self.key_id
    }

    /// The 32-byte Ed25519 public key.
    pub fn public_key(&self) -> [u8; 32] {
        self.verifying_key.to_bytes()
    }
}

impl fmt::Display for VerifierKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_text())
    }
}

/// A note whose signature by one given key was checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VerifiedNote {
    /// The note text that was signed, including its final newline.
    pub body: String,
    /// How many signature lines were by keys other than the one checked.
    pub other_signatures: usize,
}

/// One signature line of a signed note, parsed but not verified.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NoteSignature {
    /// The key name written in the signature line.
    pub name: String,
    /// The key id that starts the decoded signature.
    pub key_id: [u8; 4],
    /// The signature bytes that follow the key id.
    pub signature: Vec<u8>,
}

/// Split a signed note without verifying: (body, signature lines as (name, key_id, signature bytes)).
///
/// Useful to report which key signed a checkpoint that fails to verify. The
/// same format checks as in [`open_note`] apply, so a note that splits is
/// well-formed even though none of its signatures have been checked.
pub fn split_note(text: &str) -> Result<(String, Vec<NoteSignature>), NoteError> {
    if text.len() > MAX_NOTE_SIZE {
        return Err(NoteError::TooLarge {
            size: text.len(),
            limit: MAX_NOTE_SIZE,
        });
    }
    if text.chars().any(is_forbidden_control) {
        return Err(malformed_note(
            "the note contains a control character other than newline",
        ));
    }
    // Signature lines are never empty, so the last blank line is the
    // separator even when the body itself contains blank lines.
    let split = text
        .rfind("\n\n")
        .ok_or_else(|| malformed_note("no blank line separates the text from the signatures"))?;
    let (body, signatures) = (&text[..split + 1], &text[split + 2..]);
    if signatures.is_empty() {
        return Err(malformed_note("the note has no signature lines"));
    }
    if !signatures.ends_with('\n') {
        return Err(malformed_note("the note does not end with a newline"));
    }

    let mut parsed = Vec::new();
    for (index, line) in signatures.split_terminator('\n').enumerate() {
        // Counting before decoding keeps the work bounded on hostile input.
        if index >= MAX_SIGNATURES {
            return Err(NoteError::TooManySignatures {
                limit: MAX_SIGNATURES,
            });
        }
        let number = index + 1;
        let rest = line.strip_prefix(SIG_PREFIX).ok_or_else(|| {
            malformed_note(format!(
                "signature line {number} does not start with an em dash and a space"
            ))
        })?;
        let (name, encoded) = rest.split_once(' ').ok_or_else(|| {
            malformed_note(format!(
                "signature line {number} has no space between key name and signature"
            ))
        })?;
        if !is_valid_name(name) {
            return Err(malformed_note(format!(
                "signature line {number} has an invalid key name"
            )));
        }
        let blob = BASE64.decode(encoded).map_err(|_| {
            malformed_note(format!(
                "signature line {number} is not canonical padded base64"
            ))
        })?;
        // A key id with no signature bytes after it cannot be a signature.
        if blob.len() < 5 {
            return Err(malformed_note(format!(
                "signature line {number} is too short to hold a key id and a signature"
            )));
        }
        parsed.push(NoteSignature {
            name: name.to_owned(),
            key_id: [blob[0], blob[1], blob[2], blob[3]],
            signature: blob[4..].to_vec(),
        });
    }
    Ok((body.to_owned(), parsed))
}

/// Verify `text` is a well-formed signed note carrying a valid signature by `key`.
///
/// Signatures by other keys are allowed and ignored (counted); a signature
/// line with `key`'s name and key id but a bad signature is an error; no
/// signature by `key` is an error. Malformed notes (no blank line separator,
/// bad base64, signature lines not starting with "— ", text not ending in
/// "\n", control characters other than newline, more than 100 signature
/// lines, note larger than 1 MiB) are errors.
pub fn open_note(text: &str, key: &VerifierKey) -> Result<VerifiedNote, NoteError> {
    let (body, signatures) = split_note(text)?;
    let mut found = false;
    let mut other_signatures = 0;
    for line in &signatures {
        // The spec identifies a key by its name and key id together; a line
        // matching only one of them is by some other key and is ignored.
        if line.name != key.name || line.key_id != key.key_id {
            other_signatures += 1;
            continue;
        }
        // Every line claiming to be by this key is verified, not just the
        // first, so a forged duplicate cannot ride along with a genuine one.
        let bad = || NoteError::BadSignature {
            name: key.name.clone(),
            key_id: key_id_hex(key.key_id),
        };
        let signature = Signature::from_slice(&line.signature).map_err(|_| bad())?;
        key.verifying_key
            .verify_strict(body.as_bytes(), &signature)
            .map_err(|_| bad())?;
        found = true;
    }
    if !found {
        return Err(NoteError::NoSignatureByKey {
            name: key.name.clone(),
            key_id: key_id_hex(key.key_id),
        });
    }
    Ok(VerifiedNote {
        body,
        other_signatures,
    })
}

/// A transparency log checkpoint: the log's origin, tree size and root hash, and no
/// extension lines.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Checkpoint {
    /// The log's identity, the first line of the body.
    pub origin: String,
    /// The number of leaves in the tree.
    pub size: u64,
    /// The Merkle tree root hash at `size`.
    pub root: Hash,
}

/// Checks that a checkpoint line is non-empty and free of control
/// characters, including newlines, so that it stays one line.
fn check_checkpoint_line(line: &str, what: &str) -> Result<(), NoteError> {
    if line.is_empty() {
        return Err(malformed_checkpoint(format!("the {what} is empty")));
    }
    if line.chars().any(|c| c < '\u{20}') {
        return Err(malformed_checkpoint(format!(
            "the {what} contains a control character"
        )));
    }
    Ok(())
}

/// Parses a tree size, accepting exactly one spelling per number.
fn parse_size(line: &str) -> Result<u64, NoteError> {
    // Rust's integer parser accepts a leading '+', and a plain digit check
    // does not catch leading zeros, so both are refused here explicitly.
    if line.is_empty() || !line.bytes().all(|b| b.is_ascii_digit()) {
        return Err(malformed_checkpoint(
            "the tree size is not a decimal number",
        ));
    }
    if line.len() > 1 && line.starts_with('0') {
        return Err(malformed_checkpoint("the tree size has a leading zero"));
    }
    line.parse::<u64>()
        .map_err(|_| malformed_checkpoint("the tree size does not fit in 64 bits"))
}

impl Checkpoint {
    /// The tlog-checkpoint body text.
    pub fn body(&self) -> String {
        format!(
            "{}\n{}\n{}\n",
            self.origin,
            self.size,
            BASE64.encode(self.root.0)
        )
    }

    /// Parse a body: exactly three lines, each ending in "\n": a non-empty origin, the size in
    /// decimal without leading zeros or '+', and the root as padded base64 of exactly 32 bytes.
    ///
    /// No line may contain a control character, since such a body could not be part of a
    /// signed note, and no line may follow the root hash: the extension lines that the
    /// tlog-checkpoint format allows there are refused, because kaohe never writes them and a
    /// second body for the same size and root would be a second spelling of one checkpoint.
    pub fn parse_body(body: &str) -> Result<Self, NoteError> {
        let content = body
            .strip_suffix('\n')
            .ok_or_else(|| malformed_checkpoint("the body does not end with a newline"))?;
        let lines: Vec<&str> = content.split('\n').collect();
        let [origin, size, root, after @ ..] = lines.as_slice() else {
            return Err(malformed_checkpoint(
                "the body has fewer than three lines (origin, tree size, root hash)",
            ));
        };
        check_checkpoint_line(origin, "origin")?;
        let size = parse_size(size)?;
        let root_bytes = BASE64
            .decode(root)
            .map_err(|_| malformed_checkpoint("the root hash is not canonical padded base64"))?;
        let root = <[u8; 32]>::try_from(root_bytes.as_slice()).map_err(|_| {
            malformed_checkpoint(format!(
                "the root hash is {} bytes, not 32",
                root_bytes.len()
            ))
        })?;
        if !after.is_empty() {
            return Err(malformed_checkpoint(format!(
                "{} line(s) follow the root hash: a kaohe checkpoint has no extension lines",
                after.len()
            )));
        }
        Ok(Self {
            origin: (*origin).to_owned(),
            size,
            root: Hash(root),
        })
    }

    /// Sign: body then signature by `key`.
    ///
    /// An origin that would not survive a round trip through the body text (empty, or
    /// holding a newline or another control character) is refused.
    pub fn sign(&self, key: &SignerKey) -> Result<String, NoteError> {
        check_checkpoint_line(&self.origin, "origin")?;
        key.sign_note(&self.body())
    }

    /// Open a signed checkpoint text with `key` and parse its body.
    ///
    /// Whether the origin is the one the caller expects is left to the caller,
    /// since the spec only recommends that it match the key name.
    pub fn open(text: &str, key: &VerifierKey) -> Result<Self, NoteError> {
        let note = open_note(text, key)?;
        Self::parse_body(&note.body)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    // Vectors from the documentation and tests of the Go reference
    // implementation, golang.org/x/mod/sumdb/note.
    const PETER_VKEY: &str = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
    const PETER_SKEY: &str =
        "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
    const ENOCH_VKEY: &str = "EnochRoot+af0cfe78+ATtqJ7zOtqQtYqOo0CpvDXNlMhV3HeJDpjrASKGLWdop";
    const PETER_TEXT: &str = "If you think cryptography is the answer to your problem,\n\
                              then you don't know what your problem is.\n";
    const PETER_SIG: &str = "\u{2014} PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n";
    const ENOCH_SIG: &str = "\u{2014} EnochRoot rwz+eBzmZa0SO3NbfRGzPCpDckykFXSdeX+MNtCOXm2/5n2tiOHp+vAF1aGrQ5ovTG01oOTGwnWLox33WWd1RvMc+QQ=\n";

    // A real checkpoint of the Go checksum database, signed with its
    // published key, as used in the transparency-dev tests.
    const SUMDB_VKEY: &str = "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8";
    const SUMDB_CHECKPOINT: &str = "go.sum database tree\n6476701\nmb8QLQIs0Z0yP5Cstq6guj87oXWeC9gEM8oVikmm9Wk=\n\n\u{2014} sum.golang.org Az3grsLX85Gz+s1SiTbgkuqxgItqFq7gsMUEyVnrsa9LM7Us9S+1xbFIGu95949rj4nPRYfvimWEPWL+o3GeoWwOoAw=\n";

    fn peter_note() -> String {
        format!("{PETER_TEXT}\n{PETER_SIG}")
    }

    fn test_key(name: &str, fill: u8) -> SignerKey {
        SignerKey::from_seed(name, [fill; 32]).unwrap()
    }

    fn sample_checkpoint() -> Checkpoint {
        Checkpoint {
            origin: "ledger.example/audit".to_owned(),
            size: 1234,
            root: Hash([0x5a; 32]),
        }
    }

    #[test]
    fn go_verifier_key_parses_and_round_trips() {
        let key = VerifierKey::parse(PETER_VKEY).unwrap();
        assert_eq!(key.name(), "PeterNeumann");
        assert_eq!(key.key_id(), [0xc7, 0x4f, 0x20, 0xa3]);
        assert_eq!(key.to_text(), PETER_VKEY);
        assert_eq!(key.to_string(), PETER_VKEY);
        assert_eq!(
            VerifierKey::new("PeterNeumann", key.public_key()).unwrap(),
            key
        );
    }

    #[test]
    fn go_signer_key_parses_and_round_trips() {
        let key = SignerKey::parse(PETER_SKEY).unwrap();
        assert_eq!(key.name(), "PeterNeumann");
        assert_eq!(key.to_text(), PETER_SKEY);
        assert_eq!(key.verifier(), VerifierKey::parse(PETER_VKEY).unwrap());
    }

    #[test]
    fn key_id_is_sha256_of_name_newline_type_and_key() {
        let key = VerifierKey::parse(PETER_VKEY).unwrap();
        let mut input = b"PeterNeumann\n\x01".to_vec();
        input.extend_from_slice(&key.public_key());
        let digest = Sha256::digest(&input);
        assert_eq!(key.key_id(), [digest[0], digest[1], digest[2], digest[3]]);
        assert_eq!(key_id_hex(key.key_id()), "c74f20a3");
        // The same public key under another name has another id, which is
        // what lets one key serve several names without ambiguity.
        let renamed = VerifierKey::new("PeterNeumann2", key.public_key()).unwrap();
        assert_ne!(renamed.key_id(), key.key_id());
    }

    #[test]
    fn signing_the_go_example_reproduces_its_signature_line() {
        let key = SignerKey::parse(PETER_SKEY).unwrap();
        assert_eq!(key.sign_note(PETER_TEXT).unwrap(), peter_note());
    }

    #[test]
    fn opening_the_go_example_verifies() {
        let key = VerifierKey::parse(PETER_VKEY).unwrap();
        let note = open_note(&peter_note(), &key).unwrap();
        assert_eq!(
            note,
            VerifiedNote {
                body: PETER_TEXT.to_owned(),
                other_signatures: 0
            }
        );
    }

    #[test]
    fn go_doubly_signed_example_verifies_with_either_key() {
        let text = format!("{PETER_TEXT}\n{PETER_SIG}{ENOCH_SIG}");
        for vkey in [PETER_VKEY, ENOCH_VKEY] {
            let key = VerifierKey::parse(vkey).unwrap();
            let note = open_note(&text, &key).unwrap();
            assert_eq!(note.body, PETER_TEXT);
            assert_eq!(note.other_signatures, 1);
        }
        let (body, signatures) = split_note(&text).unwrap();
        assert_eq!(body, PETER_TEXT);
        assert_eq!(signatures.len(), 2);
        assert_eq!(signatures[0].name, "PeterNeumann");
        assert_eq!(signatures[0].key_id, [0xc7, 0x4f, 0x20, 0xa3]);
        assert_eq!(signatures[0].signature.len(), 64);
        assert_eq!(signatures[1].name, "EnochRoot");
        assert_eq!(signatures[1].key_id, [0xaf, 0x0c, 0xfe, 0x78]);
    }

    #[test]
    fn real_sumdb_checkpoint_opens() {
        let key = VerifierKey::parse(SUMDB_VKEY).unwrap();
        let checkpoint = Checkpoint::open(SUMDB_CHECKPOINT, &key).unwrap();
        assert_eq!(checkpoint.origin, "go.sum database tree");
        assert_eq!(checkpoint.size, 6_476_701);
        assert_eq!(
            BASE64.encode(checkpoint.root.0),
            "mb8QLQIs0Z0yP5Cstq6guj87oXWeC9gEM8oVikmm9Wk="
        );
        assert_eq!(
            format!("{}\n", checkpoint.body()),
            SUMDB_CHECKPOINT.split_once("\n\n").unwrap().0.to_owned() + "\n\n"
        );
    }

    #[test]
    fn sign_open_round_trip() {
        let key = test_key("ledger.example/audit", 7);
        let body = "first line\n\nafter a blank line\n\u{2014} looks like a signature\n";
        let text = key.sign_note(body).unwrap();
        let note = open_note(&text, &key.verifier()).unwrap();
        assert_eq!(note.body, body);
        assert_eq!(note.other_signatures, 0);
    }

    #[test]
    fn checkpoint_sign_open_round_trip() {
        let key = test_key("ledger.example/audit", 7);
        let checkpoint = sample_checkpoint();
        let text = checkpoint.sign(&key).unwrap();
        assert!(text.starts_with(
            "ledger.example/audit\n1234\nWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlo=\n\n\u{2014} ledger.example/audit "
        ));
        assert_eq!(
            Checkpoint::open(&text, &key.verifier()).unwrap(),
            checkpoint
        );
    }

    #[test]
    fn signer_key_text_round_trips() {
        let key = test_key("ledger.example/audit", 42);
        let parsed = SignerKey::parse(&key.to_text()).unwrap();
        assert_eq!(parsed.to_text(), key.to_text());
        assert_eq!(parsed.verifier(), key.verifier());
        assert_eq!(parsed.name(), "ledger.example/audit");
    }

    #[test]
    fn verifier_key_text_round_trips() {
        let key = test_key("ledger.example/audit", 42).verifier();
        let parsed = VerifierKey::parse(&key.to_text()).unwrap();
        assert_eq!(parsed, key);
        assert_eq!(parsed.to_text(), key.to_text());
    }

    #[test]
    fn debug_of_signer_key_hides_the_seed() {
        let seed = [0x3c; 32];
        let key = SignerKey::from_seed("ledger.example/audit", seed).unwrap();
        let shown = format!("{key:?} {key:#?}");
        let text = key.to_text();
        let secret_b64 = text.rsplit('+').next().unwrap();
        assert!(!shown.contains(secret_b64), "{shown}");
        assert!(!shown.contains(&BASE64.encode(seed)), "{shown}");
        assert!(!shown.contains("3c3c3c"), "{shown}");
        assert!(!shown.contains("60, 60, 60"), "{shown}");
        assert!(shown.contains("ledger.example/audit"));
    }

    #[test]
    fn every_single_byte_change_is_rejected() {
        let key = test_key("ledger.example/audit", 9);
        let checkpoint = sample_checkpoint();
        let text = checkpoint.sign(&key).unwrap();
        let verifier = key.verifier();
        assert_eq!(Checkpoint::open(&text, &verifier).unwrap(), checkpoint);

        let original = text.as_bytes();
        let mut tried = 0;
        for position in 0..original.len() {
            let old = original[position];
            for new in [
                b'0',
                b'1',
                b'A',
                b'+',
                b'/',
                b'=',
                b' ',
                b'\n',
                0x00,
                old ^ 0x01,
                old ^ 0x80,
            ] {
                if new == old {
                    continue;
                }
                let mut bytes = original.to_vec();
                bytes[position] = new;
                // Invalid UTF-8 can never reach the parser as `&str`, so it
                // counts as rejected.
                let Ok(mutated) = String::from_utf8(bytes) else {
                    continue;
                };
                tried += 1;
                // Accepting a changed text at all would need a forged
                // signature, so every change must be refused outright, which
                // is stronger than merely yielding a different checkpoint.
                if let Ok(opened) = Checkpoint::open(&mutated, &verifier) {
                    panic!("change at byte {position} to {new:#04x} was accepted as {opened:?}");
                }
            }
        }
        assert!(tried > original.len() * 5, "only {tried} mutations tried");
    }

    #[test]
    fn checkpoint_by_another_key_is_refused() {
        let ours = test_key("ledger.example/audit", 1);
        let theirs = test_key("ledger.example/audit", 2);
        let text = sample_checkpoint().sign(&theirs).unwrap();
        let err = Checkpoint::open(&text, &ours.verifier()).unwrap_err();
        assert_eq!(
            err,
            NoteError::NoSignatureByKey {
                name: "ledger.example/audit".to_owned(),
                key_id: key_id_hex(ours.verifier().key_id()),
            }
        );
        // The signer can still be identified without verifying.
        let (_, signatures) = split_note(&text).unwrap();
        assert_eq!(signatures[0].key_id, theirs.verifier().key_id());
    }

    #[test]
    fn extra_signature_by_unknown_key_is_accepted() {
        let ours = test_key("ledger.example/audit", 1);
        let witness = test_key("witness.example", 2);
        let checkpoint = sample_checkpoint();
        let body = checkpoint.body();
        let ours_text = ours.sign_note(&body).unwrap();
        let witness_text = witness.sign_note(&body).unwrap();
        let witness_line = witness_text.rsplit_once("\n\n").unwrap().1;
        let ours_line = ours_text.rsplit_once("\n\n").unwrap().1;
        for text in [
            format!("{body}\n{ours_line}{witness_line}"),
            format!("{body}\n{witness_line}{ours_line}"),
        ] {
            let note = open_note(&text, &ours.verifier()).unwrap();
            assert_eq!(note.other_signatures, 1);
            assert_eq!(
                Checkpoint::open(&text, &ours.verifier()).unwrap(),
                checkpoint
            );
        }
        // A signature line with the same name but another key id is some
        // other key's, and is ignored rather than treated as a forgery.
        let impostor = test_key("ledger.example/audit", 3)
            .sign_note(&body)
            .unwrap();
        let impostor_line = impostor.rsplit_once("\n\n").unwrap().1;
        let text = format!("{body}\n{impostor_line}{ours_line}");
        assert_eq!(
            open_note(&text, &ours.verifier()).unwrap().other_signatures,
            1
        );
    }

    #[test]
    fn bad_signature_by_the_key_is_an_error() {
        let key = VerifierKey::parse(PETER_VKEY).unwrap();
        let bad = NoteError::BadSignature {
            name: "PeterNeumann".to_owned(),
            key_id: "c74f20a3".to_owned(),
        };
        // Wrong length, as in the Go tests.
        let longer = format!("{PETER_TEXT}\n{}ABCD{}", &PETER_SIG[..60], &PETER_SIG[60..]);
        assert_eq!(open_note(&longer, &key).unwrap_err(), bad);
        // Right length, one bit flipped.
        let mut blob = BASE64
            .decode("x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=")
            .unwrap();
        blob[10] ^= 1;
        let flipped = format!(
            "{PETER_TEXT}\n\u{2014} PeterNeumann {}\n",
            BASE64.encode(&blob)
        );
        assert_eq!(open_note(&flipped, &key).unwrap_err(), bad);
        // A bad duplicate next to a good signature is still refused.
        let duplicated = format!("{}{}", peter_note(), flipped.rsplit_once("\n\n").unwrap().1);
        assert_eq!(open_note(&duplicated, &key).unwrap_err(), bad);
        // A changed body no longer matches the signature.
        let altered = peter_note().replacen("cryptography", "Cryptography", 1);
        assert_eq!(open_note(&altered, &key).unwrap_err(), bad);
    }

    #[test]
    fn malformed_notes_are_refused() {
        let key = VerifierKey::parse(PETER_VKEY).unwrap();
        let cases = [
            PETER_TEXT.to_owned(),
            format!("{PETER_TEXT}\n"),
            format!("{PETER_TEXT}\n{}", &PETER_SIG[..PETER_SIG.len() - 1]),
            format!("\u{1}{}", peter_note()),
            format!("{}\r", peter_note()),
            format!(
                "{PETER_TEXT}\n\u{2014} Bad Name x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=\n"
            ),
            format!("{}Unexpected line.\n", peter_note()),
            format!("{PETER_TEXT}\n{}", PETER_SIG.replacen('\u{2014}', "-", 1)),
            format!(
                "{PETER_TEXT}\n{}",
                PETER_SIG.replacen('\u{2014}', "\u{2015}", 1)
            ),
            format!(
                "{PETER_TEXT}\n{}",
                PETER_SIG.replacen("PeterNeumann ", "PeterNeumann", 1)
            ),
            format!("{PETER_TEXT}\n{}", PETER_SIG.replacen("AM=", "AM", 1)),
            format!("{PETER_TEXT}\n{}", PETER_SIG.replacen("AM=", "AN=", 1)),
            format!("{PETER_TEXT}\n{}", PETER_SIG.replacen("x08go", "x08g*", 1)),
            format!("{PETER_TEXT}\n\u{2014} PeterNeumann x08gow==\n"),
            format!("{PETER_TEXT}\n\u{2014} PeterNeumann \n"),
            format!("{PETER_TEXT}\n{} ", &PETER_SIG[..PETER_SIG.len() - 1]),
        ];
        for text in cases {
            // A replacement that silently did nothing would test nothing.
            assert_ne!(text, peter_note());
            let err = open_note(&text, &key).unwrap_err();
            assert!(
                matches!(err, NoteError::MalformedNote { .. }),
                "{text:?} gave {err:?}"
            );
            assert!(split_note(&text).is_err(), "{text:?}");
        }
    }

    #[test]
    fn too_many_signatures_are_refused() {
        let key = VerifierKey::parse(PETER_VKEY).unwrap();
        let hundred = format!("{PETER_TEXT}\n{}", PETER_SIG.repeat(100));
        assert_eq!(open_note(&hundred, &key).unwrap().other_signatures, 0);
        let too_many = format!("{PETER_TEXT}\n{}", PETER_SIG.repeat(101));
        assert_eq!(
            open_note(&too_many, &key).unwrap_err(),
            NoteError::TooManySignatures { limit: 100 }
        );
    }

    #[test]
    fn oversized_notes_are_refused() {
        let key = test_key("ledger.example/audit", 5);
        let line = "x".repeat(1023) + "\n";
        let body = line.repeat(1024);
        assert!(matches!(
            key.sign_note(&body).unwrap_err(),
            NoteError::TooLarge {
                limit: MAX_NOTE_SIZE,
                ..
            }
        ));
        let text = format!("{body}\n{PETER_SIG}");
        assert_eq!(
            open_note(&text, &key.verifier()).unwrap_err(),
            NoteError::TooLarge {
                size: text.len(),
                limit: MAX_NOTE_SIZE
            }
        );
        // Just under the limit still works.
        let small_body = line.repeat(1000);
        let signed = key.sign_note(&small_body).unwrap();
        assert_eq!(
            open_note(&signed, &key.verifier()).unwrap().body,
            small_body
        );
    }

    #[test]
    fn unsignable_bodies_are_refused() {
        let key = test_key("ledger.example/audit", 5);
        for body in ["", "no newline", "tab\there\n", "nul\0\n", "cr\r\n"] {
            assert!(
                matches!(key.sign_note(body), Err(NoteError::InvalidBody { .. })),
                "{body:?}"
            );
        }
        // A body of a single newline is unusual but valid, and round trips.
        let text = key.sign_note("\n").unwrap();
        assert_eq!(open_note(&text, &key.verifier()).unwrap().body, "\n");
    }

    #[test]
    fn key_names_are_checked() {
        for name in [
            "",
            "a b",
            "a+b",
            "a\tb",
            "a\u{a0}b",
            "a\u{2003}b",
            "a\nb",
            "a\u{7}b",
            "a\u{85}b",
        ] {
            assert_eq!(
                SignerKey::from_seed(name, [1; 32]).unwrap_err(),
                NoteError::BadKeyName {
                    name: name.to_owned()
                },
                "{name:?}"
            );
            assert!(matches!(
                VerifierKey::new(name, test_key("ok", 1).verifier().public_key()),
                Err(NoteError::BadKeyName { .. })
            ));
        }
        for name in ["a", "example.com/log", "ünïcödé/ключ", "a-b_c~d"] {
            assert_eq!(SignerKey::from_seed(name, [1; 32]).unwrap().name(), name);
        }
    }

    #[test]
    fn mangled_verifier_keys_are_refused() {
        // Every proper substring and every single-byte increment, as in the
        // Go tests.
        let bytes = PETER_VKEY.as_bytes();
        for i in 0..=bytes.len() {
            for j in i + 1..=bytes.len() {
                if i == 0 && j == bytes.len() {
                    continue;
                }
                let text = &PETER_VKEY[i..j];
                assert!(VerifierKey::parse(text).is_err(), "{text:?}");
            }
        }
        for i in 0..bytes.len() {
            let mut mangled = bytes.to_vec();
            mangled[i] += 1;
            let text = String::from_utf8(mangled).unwrap();
            assert!(VerifierKey::parse(&text).is_err(), "{text:?}");
        }
    }

    #[test]
    fn mangled_signer_keys_are_refused() {
        let bytes = PETER_SKEY.as_bytes();
        for i in 0..=bytes.len() {
            for j in i + 1..=bytes.len() {
                if i == 0 && j == bytes.len() {
                    continue;
                }
                assert!(SignerKey::parse(&PETER_SKEY[i..j]).is_err());
            }
        }
        for i in 0..bytes.len() {
            let mut mangled = bytes.to_vec();
            mangled[i] += 1;
            let text = String::from_utf8(mangled).unwrap();
            assert!(SignerKey::parse(&text).is_err(), "position {i}");
        }
    }

    #[test]
    fn key_text_errors_are_specific() {
        assert_eq!(
            VerifierKey::parse(
                "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
            )
            .unwrap_err(),
            NoteError::KeyIdMismatch {
                name: "PeterNeumann".to_owned(),
                stated: "c74f20a4".to_owned(),
                computed: "c74f20a3".to_owned(),
            }
        );
        assert_eq!(
            VerifierKey::parse(
                "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
            )
            .unwrap_err(),
            NoteError::UnsupportedKeyType { algorithm: 0x65 }
        );
        assert!(matches!(
            VerifierKey::parse(
                "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY=="
            ),
            Err(NoteError::BadKeyText { .. })
        ));
        assert!(matches!(
            VerifierKey::parse(
                "PeterNeumann++c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW"
            ),
            Err(NoteError::BadKeyText { .. })
        ));
        assert_eq!(
            SignerKey::parse(
                "PRIVATE+KEY+PeterNeumann+c74f20a4+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz"
            )
            .unwrap_err(),
            NoteError::KeyIdMismatch {
                name: "PeterNeumann".to_owned(),
                stated: "c74f20a4".to_owned(),
                computed: "c74f20a3".to_owned(),
            }
        );
        // A verifier key is not a signer key, and the reverse.
        assert!(SignerKey::parse(PETER_VKEY).is_err());
        assert!(VerifierKey::parse(PETER_SKEY).is_err());
        // Upper-case hex, which the Go parser also accepts, denotes the same id.
        let upper = PETER_VKEY.replacen("c74f20a3", "C74F20A3", 1);
        assert_eq!(VerifierKey::parse(&upper).unwrap().to_text(), PETER_VKEY);
    }

    #[test]
    fn signer_key_errors_do_not_quote_the_secret() {
        let secret = "AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
        for text in [
            format!("PRIVATE+KEY+{secret}"),
            format!("PRIVATE+KEY+Peter Neumann+c74f20a3+{secret}"),
            format!("PRIVATE+KEY+PeterNeumann+c74f20a4+{secret}"),
            format!("PRIVATE+KEY+PeterNeumann+c74f20a3+{secret}x"),
        ] {
            let message = SignerKey::parse(&text).unwrap_err().to_string();
            assert!(!message.contains("AYEKFALV"), "{message}");
            assert!(!message.contains("Y7hfZx09"), "{message}");
        }
    }

    #[test]
    fn unusable_public_keys_are_refused() {
        // The identity point has small order.
        let mut identity = [0u8; 32];
        identity[0] = 1;
        assert!(matches!(
            VerifierKey::new("weak", identity),
            Err(NoteError::BadPublicKey { .. })
        ));
        // y = 2 is not the y coordinate of any curve point.
        let mut not_a_point = [0u8; 32];
        not_a_point[0] = 2;
        assert!(matches!(
            VerifierKey::new("bad", not_a_point),
            Err(NoteError::BadPublicKey { .. })
        ));
    }

    #[test]
    fn checkpoint_body_is_the_spec_format() {
        let mut checkpoint = sample_checkpoint();
        assert_eq!(
            checkpoint.body(),
            "ledger.example/audit\n1234\nWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlo=\n"
        );
        checkpoint.size = 0;
        assert_eq!(
            checkpoint.body(),
            "ledger.example/audit\n0\nWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlo=\n"
        );
        assert_eq!(
            Checkpoint::parse_body(&checkpoint.body()).unwrap(),
            checkpoint
        );
    }

    #[test]
    fn a_signed_checkpoint_with_extension_lines_is_refused() {
        // The signature is good, but kaohe's checkpoints have exactly three body lines.
        let key = test_key("ledger.example/audit", 3);
        let body = format!("{}extension\n", sample_checkpoint().body());
        let text = key.sign_note(&body).unwrap();
        assert_eq!(open_note(&text, &key.verifier()).unwrap().body, body);
        assert_eq!(
            Checkpoint::open(&text, &key.verifier()).unwrap_err(),
            malformed_checkpoint(
                "1 line(s) follow the root hash: a kaohe checkpoint has no extension lines"
            )
        );
    }

    #[test]
    fn parse_body_accepts_edge_values() {
        let root = "WlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlo=";
        let zero = Checkpoint::parse_body(&format!("o\n0\n{root}\n")).unwrap();
        assert_eq!(zero.size, 0);
        let max = Checkpoint::parse_body(&format!("o\n18446744073709551615\n{root}\n")).unwrap();
        assert_eq!(max.size, u64::MAX);
        let spaced =
            Checkpoint::parse_body(&format!("a log with spaces+plus\n1\n{root}\n")).unwrap();
        assert_eq!(spaced.origin, "a log with spaces+plus");
    }

    #[test]
    fn parse_body_rejects_malformed_bodies() {
        let root = "WlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlpaWlo=";
        let root31 = BASE64.encode([0x5a; 31]);
        let root33 = BASE64.encode([0x5a; 33]);
        let cases = [
            format!("o\n01\n{root}\n"),
            format!("o\n00\n{root}\n"),
            format!("o\n+1\n{root}\n"),
            format!("o\n-1\n{root}\n"),
            format!("o\n 1\n{root}\n"),
            format!("o\n1 \n{root}\n"),
            format!("o\n0x10\n{root}\n"),
            format!("o\n\n{root}\n"),
            format!("o\n18446744073709551616\n{root}\n"),
            format!("o\n1\n{root31}\n"),
            format!("o\n1\n{root33}\n"),
            "o\n1\nnot base64!\n".to_owned(),
            format!("o\n1\n{}\n", root.trim_end_matches('=')),
            format!("o\n1\n{}\n", root.replacen("lo=", "lp=", 1)),
            format!("o\n1\n{root} \n"),
            "o\n1\n\n".to_owned(),
            format!("\n1\n{root}\n"),
            format!("o\n1\n{root}"),
            format!("o\n1\n{root}\next"),
            format!("o\n1\n{root}\n\n"),
            format!("o\n1\n{root}\next\n\nmore\n"),
            format!("o\n1\n{root}\next\n"),
            format!("o\n1\n{root}\n{root}\n"),
            format!("o\t\n1\n{root}\n"),
            format!("o\r\n1\n{root}\n"),
            "o\n1\n".to_owned(),
            "o\n".to_owned(),
            "\n".to_owned(),
            String::new(),
        ];
        for body in cases {
            let err = Checkpoint::parse_body(&body).unwrap_err();
            assert!(
                matches!(err, NoteError::MalformedCheckpoint { .. }),
                "{body:?} gave {err:?}"
            );
        }
    }

    #[test]
    fn checkpoint_sign_refuses_fields_that_would_not_round_trip() {
        let key = test_key("ledger.example/audit", 1);
        let with = |change: fn(&mut Checkpoint)| {
            let mut checkpoint = sample_checkpoint();
            change(&mut checkpoint);
            checkpoint.sign(&key)
        };
        for result in [
            with(|c| c.origin.clear()),
            with(|c| c.origin = "a\n1".to_owned()),
            with(|c| c.origin = "tab\t".to_owned()),
        ] {
            assert!(
                matches!(result, Err(NoteError::MalformedCheckpoint { .. })),
                "{result:?}"
            );
        }
    }

    #[test]
    fn error_messages_are_readable() {
        let err = NoteError::NoSignatureByKey {
            name: "ledger.example/audit".to_owned(),
            key_id: "0123abcd".to_owned(),
        };
        assert_eq!(
            err.to_string(),
            "note has no signature by key ledger.example/audit+0123abcd"
        );
        assert_eq!(
            NoteError::UnsupportedKeyType { algorithm: 2 }.to_string(),
            "unsupported key type 0x02: only Ed25519 (0x01) is supported"
        );
    }

    fn line_strategy() -> impl Strategy<Value = String> {
        "[^\\x00-\\x1f]{1,24}"
    }

    proptest! {
        #[test]
        fn checkpoint_body_round_trips(
            origin in line_strategy(),
            size in any::<u64>(),
            root in any::<[u8; 32]>(),
        ) {
            let checkpoint = Checkpoint { origin, size, root: Hash(root) };
            prop_assert_eq!(Checkpoint::parse_body(&checkpoint.body()).unwrap(), checkpoint);
        }

        #[test]
        fn signed_checkpoints_round_trip(
            seed in any::<[u8; 32]>(),
            origin in line_strategy(),
            size in any::<u64>(),
            root in any::<[u8; 32]>(),
        ) {
            let key = SignerKey::from_seed("ledger.example/audit", seed).unwrap();
            let checkpoint = Checkpoint { origin, size, root: Hash(root) };
            let text = checkpoint.sign(&key).unwrap();
            prop_assert_eq!(Checkpoint::open(&text, &key.verifier()).unwrap(), checkpoint);
            prop_assert_eq!(
                SignerKey::parse(&key.to_text()).unwrap().verifier(),
                VerifierKey::parse(&key.verifier().to_text()).unwrap()
            );
        }

        #[test]
        fn arbitrary_text_never_panics(text in "\\PC{0,200}", body in "[a-z\\n]{0,40}\n") {
            let key = test_key("ledger.example/audit", 1);
            let _ = open_note(&text, &key.verifier());
            let _ = split_note(&text);
            let _ = Checkpoint::parse_body(&text);
            let _ = VerifierKey::parse(&text);
            let _ = SignerKey::parse(&text);
            let signed = key.sign_note(&body).unwrap();
            prop_assert_eq!(open_note(&signed, &key.verifier()).unwrap().body, body);
        }
    }
}
