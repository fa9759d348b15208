//! Fuzz target `note`: text into the signed-note, checkpoint and key parsers, read two ways.
//!
//! 1. As text: splitting a note, opening it and a checkpoint with the fixture key, parsing a
//!    checkpoint body, a verifier key and a signer key. None may panic; each parser accepts one
//!    spelling only (but for the case of a key id's hex digits), so what it accepts must write
//!    back to the same text; and a note that opens with the key must carry a body the key
//!    signed.
//! 2. As a script of mutations applied to a signed checkpoint (alone, or cosigned by a second
//!    key): if the result still opens with the key, it must open to a checkpoint the key
//!    signed. Signature lines by other keys may come and go, since verifiers must ignore them
//!    (C2SP signed-note); the signed body cannot change.

#![no_main]

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use kaohe_fuzz::{Fixture, fixture, mutate, split_lines};
use kaohe_ledger::note::{Checkpoint, SignerKey, VerifierKey, open_note, split_note};
use kaohe_ledger::verify::checkpoint_size;
use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let fixture = fixture();
    let text = String::from_utf8_lossy(data);
    as_text(fixture, &text);
    let _ = as_mutations(fixture, &mut Unstructured::new(data));
});

fn as_text(fixture: &Fixture, text: &str) {
    if let Ok((body, signatures)) = split_note(text) {
        // One spelling: the parts put back together give the note.
        let mut rebuilt = format!("{body}\n");
        for signature in &signatures {
            let mut blob = signature.key_id.to_vec();
            blob.extend_from_slice(&signature.signature);
            rebuilt.push_str(&format!(
                "\u{2014} {} {}\n",
                signature.name,
                BASE64.encode(&blob)
            ));
        }
        assert_eq!(rebuilt, text, "split_note accepted a second spelling");
    }
    if let Ok(note) = open_note(text, &fixture.key) {
        let body_signed = fixture
            .checkpoints
            .iter()
            .any(|signed| signed.checkpoint.body() == note.body);
        assert!(
            body_signed,
            "accepted forgery: a note body the key never signed: {:?}",
            note.body
        );
    }
    if let Ok(checkpoint) = Checkpoint::open(text, &fixture.key) {
        assert!(
            fixture.is_signed(&checkpoint),
            "accepted forgery: {checkpoint:?}"
        );
    }
    let _ = checkpoint_size(text);
    if let Ok(checkpoint) = Checkpoint::parse_body(text) {
        assert_eq!(
            checkpoint.body(),
            text,
            "parse_body accepted a second spelling"
        );
    }
    if let Ok(key) = VerifierKey::parse(text) {
        assert_eq!(
            key.to_text(),
            lower_case_key_id(text, 1),
            "VerifierKey::parse accepted a second spelling"
        );
        // A key read from text can open the fixture's notes without panicking.
        let _ = Checkpoint::open(&fixture.checkpoints[0].note, &key);
    }
    if let Ok(key) = SignerKey::parse(text) {
        assert_eq!(
            key.to_text(),
            lower_case_key_id(text, 3),
            "SignerKey::parse accepted a second spelling"
        );
        assert_eq!(
            VerifierKey::parse(&key.verifier().to_text()),
            Ok(key.verifier())
        );
    }
}

/// A key text with its key id field (the one after `field` plus signs) in lower case: key
/// parsers accept upper-case hex there, as Go's golang.org/x/mod/sumdb/note does, and write
/// lower case; every other field has one spelling only.
fn lower_case_key_id(text: &str, field: usize) -> String {
    let mut fields: Vec<String> = text.splitn(field + 2, '+').map(str::to_owned).collect();
    if let Some(id) = fields.get_mut(field) {
        id.make_ascii_lowercase();
    }
    fields.join("+")
}

fn as_mutations(fixture: &Fixture, u: &mut Unstructured<'_>) -> Result<()> {
    let mut notes: Vec<&str> = fixture
        .checkpoints
        .iter()
        .map(|signed| signed.note.as_str())
        .collect();
    notes.extend(fixture.cosigned_notes.iter().map(String::as_str));
    let base = *u.choose(&notes)?;
    let pool: Vec<Vec<u8>> = notes
        .iter()
        .flat_map(|note| split_lines(note.as_bytes()))
        .collect();
    let mut bytes = base.as_bytes().to_vec();
    for _ in 0..u.int_in_range(1..=4u8)? {
        mutate(u, &mut bytes, &pool)?;
    }
    // A note is text: bytes that are not UTF-8 never reach the parser as a `str`.
    let Ok(text) = std::str::from_utf8(&bytes) else {
        return Ok(());
    };
    if let Ok(checkpoint) = Checkpoint::open(text, &fixture.key) {
        assert!(
            fixture.is_signed(&checkpoint),
            "accepted forgery: {text:?} opened to {checkpoint:?}"
        );
    }
    as_text(fixture, text);
    Ok(())
}
