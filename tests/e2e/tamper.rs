//! The tamper catalogue: every alteration an inspector must catch, each pinned to the right
//! event. Exports are checked in-process for every byte position, and through the binary for
//! the whole-file cases.

use std::path::Path;

use kaohe_ledger::note::{Checkpoint, SignerKey, VerifierKey};
use kaohe_ledger::verify::{Anchors, Check, Failure, verify_export_bytes};

use crate::support::{append, checkpoint, export, ledger, run};

struct Fixture {
    _root: tempfile::TempDir,
    data: std::path::PathBuf,
    export: Vec<u8>,
    key: String,
}

fn fixture(entries: u32) -> Fixture {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("ledger");
    let key = ledger(&data, entries);
    let path = export(&data, "ledger.jsonl");
    Fixture {
        export: std::fs::read(path).unwrap(),
        _root: root,
        data,
        key,
    }
}

fn check(bytes: &[u8], anchors: Anchors) -> Result<(), Failure> {
    verify_export_bytes(bytes, anchors).1.map(|_| ())
}

fn lines(bytes: &[u8]) -> Vec<Vec<u8>> {
    let mut lines: Vec<Vec<u8>> = bytes
        .split(|byte| *byte == b'\n')
        .map(<[u8]>::to_vec)
        .collect();
    assert_eq!(lines.pop(), Some(Vec::new()));
    lines
}

fn join(lines: &[Vec<u8>]) -> Vec<u8> {
    let mut bytes = lines.join(&b'\n');
    bytes.push(b'\n');
    bytes
}

#[test]
fn the_untouched_export_verifies() {
    let fixture = fixture(5);
    check(&fixture.export, Anchors::default()).unwrap();
}

#[test]
fn every_flipped_byte_is_caught_and_pinned_to_its_event() {
    let fixture = fixture(5);
    let bytes = &fixture.export;
    // The line (event position) each byte belongs to, its newline included.
    let mut line_of = Vec::with_capacity(bytes.len());
    let mut line = 0u64;
    for byte in bytes {
        line_of.push(line);
        if *byte == b'\n' {
            line += 1;
        }
    }
    let events = line - 1;
    let last_event_newline = bytes
        .iter()
        .enumerate()
        .filter(|(_, byte)| **byte == b'\n')
        .nth(events as usize - 1)
        .unwrap()
        .0;
    let mut checked = 0;
    for position in 0..bytes.len() {
        let masks: &[u8] = if position % 5 == 0 {
            &[0x01, 0x20, 0x80]
        } else {
            &[0x01]
        };
        for mask in masks {
            let mut altered = bytes.clone();
            altered[position] ^= mask;
            let failure = check(&altered, Anchors::default()).expect_err(&format!(
                "flip {mask:#04x} at byte {position} was not caught"
            ));
            let line = line_of[position];
            if line < events && position != last_event_newline {
                assert_eq!(
                    failure.event,
                    Some(line),
                    "flip {mask:#04x} at byte {position} (event {line}) pinned elsewhere: {failure}"
                );
            } else {
                // The checkpoint line, or the newline that joins the last event to it.
                assert!(
                    failure.event.is_none() || failure.event == Some(events - 1),
                    "{failure}"
                );
            }
            checked += 1;
        }
    }
    assert!(checked > bytes.len());
}

#[test]
fn deleted_inserted_duplicated_and_reordered_lines_are_caught() {
    let fixture = fixture(6);
    let original = lines(&fixture.export);
    // (what was done, the altered lines, the event the failure must name)
    type Case = (&'static str, Vec<Vec<u8>>, Option<u64>);
    let cases: Vec<Case> = vec![
        (
            "line 3 deleted",
            [&original[..3], &original[4..]].concat(),
            Some(3),
        ),
        ("event 0 deleted", original[1..].to_vec(), Some(0)),
        (
            "line 2 duplicated",
            [&original[..3], &original[2..]].concat(),
            Some(3),
        ),
        (
            "a foreign line inserted",
            [
                &original[..2],
                &[b"{\"position\":2}".to_vec()],
                &original[2..],
            ]
            .concat(),
            Some(2),
        ),
        (
            "lines 2 and 3 swapped",
            [
                &original[..2],
                &[original[3].clone(), original[2].clone()],
                &original[4..],
            ]
            .concat(),
            Some(2),
        ),
        (
            "the last event moved after the checkpoint",
            [&original[..6], &[original[7].clone(), original[6].clone()]].concat(),
            Some(6),
        ),
    ];
    for (name, altered, event) in cases {
        let failure = check(&join(&altered), Anchors::default()).expect_err(name);
        assert_eq!(failure.event, event, "{name}: {failure}");
    }
}

#[test]
fn a_truncated_export_is_caught_with_or_without_its_checkpoint_line() {
    let fixture = fixture(6);
    let original = lines(&fixture.export);
    // Cut mid-line, and cut at a line boundary (checkpoint line gone).
    let cut = &fixture.export[..fixture.export.len() - 40];
    assert!(check(cut, Anchors::default()).is_err());
    let failure = check(&join(&original[..5]), Anchors::default()).unwrap_err();
    assert!(failure.message.contains("truncated"), "{failure}");
    // The tail removed and the checkpoint line kept.
    let failure = check(
        &join(&[&original[..4], &original[7..]].concat()),
        Anchors::default(),
    )
    .unwrap_err();
    assert!(failure.message.contains("removed"), "{failure}");
}

/// A complete export of the first `size` events, re-signed with the ledger's own key: what
/// an insider holding the key could produce.
fn resigned_prefix(fixture: &Fixture, size: usize, key: &SignerKey) -> Vec<u8> {
    let original = lines(&fixture.export);
    let mut tree = kaohe_ledger::merkle::MemoryTree::new();
    for line in &original[..size] {
        tree.push(kaohe_ledger::hash::leaf_hash(line));
    }
    let note = Checkpoint {
        origin: key.name().into(),
        size: size as u64,
        root: tree.root(),
    }
    .sign(key)
    .unwrap();
    let mut prefix = original[..size].to_vec();
    prefix.push(kaohe_ledger::verify::export_checkpoint_line(&note));
    join(&prefix)
}

fn own_key(data: &Path) -> SignerKey {
    SignerKey::parse(
        std::fs::read_to_string(data.join("ledger.key"))
            .unwrap()
            .trim(),
    )
    .unwrap()
}

#[test]
fn a_tail_truncated_and_resigned_export_is_caught_against_a_saved_checkpoint() {
    let fixture = fixture(8);
    let saved = std::fs::read_to_string(checkpoint(&fixture.data, "saved")).unwrap();
    let truncated = resigned_prefix(&fixture, 5, &own_key(&fixture.data));
    // Alone, the re-signed prefix is self-consistent ...
    check(&truncated, Anchors::default()).unwrap();
    // ... but not against what an inspector saved earlier.
    let failure = check(
        &truncated,
        Anchors {
            saved: Some(saved),
            ..Anchors::default()
        },
    )
    .unwrap_err();
    assert_eq!(failure.check, Check::SavedCheckpoint);
    assert!(
        failure.message.contains("truncated or rolled back"),
        "{failure}"
    );
}

#[test]
fn a_ledger_rewritten_with_a_fresh_key_is_caught() {
    let original = fixture(4);
    let saved = std::fs::read_to_string(checkpoint(&original.data, "saved")).unwrap();
    // The same organisation and origin, built again with a new key.
    let forged = fixture(4);
    check(&forged.export, Anchors::default()).unwrap();
    let failure = check(
        &forged.export,
        Anchors {
            saved: Some(saved),
            ..Anchors::default()
        },
    )
    .unwrap_err();
    assert_eq!(failure.check, Check::SavedCheckpoint);
    assert!(failure.message.contains("another key"), "{failure}");
    let trusted = VerifierKey::parse(&original.key).unwrap();
    let failure = check(
        &forged.export,
        Anchors {
            trusted: Some(trusted),
            ..Anchors::default()
        },
    )
    .unwrap_err();
    assert_eq!((failure.check, failure.event), (Check::Genesis, Some(0)));
}

#[test]
fn forged_and_resigned_checkpoints_are_refused() {
    let fixture = fixture(4);
    let mut original = lines(&fixture.export);
    let last = original.len() - 1;
    let note = kaohe_ledger::verify::parse_export_checkpoint_line(&original[last]).unwrap();
    // Another root under the same signature.
    let body_end = note.find("\n\n").unwrap();
    let mut forged_root = note.clone();
    let root_line = note[..body_end].rfind('\n').unwrap() + 1;
    forged_root.replace_range(root_line..root_line + 4, "AAAA");
    // The right body signed by a key of the same name that is not the ledger's.
    let (body, _) = kaohe_ledger::note::split_note(&note).unwrap();
    let stranger = SignerKey::from_seed("kaohe.test/shifanzhen", [9; 32]).unwrap();
    let resigned = stranger.sign_note(&body).unwrap();
    for (name, text) in [
        ("forged root", forged_root),
        ("re-signed by a stranger", resigned),
    ] {
        original[last] = kaohe_ledger::verify::export_checkpoint_line(&text);
        let failure = check(&join(&original), Anchors::default()).expect_err(name);
        assert_eq!(failure.event, None, "{name}: {failure}");
        assert!(
            matches!(
                failure.check,
                Check::MerkleRoot | Check::CheckpointSignature
            ),
            "{name}: {failure}"
        );
    }
}

#[test]
fn a_rolled_back_data_directory_is_caught_against_a_saved_checkpoint() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("ledger");
    ledger(&data, 3);
    // A copy of the directory as it was at 4 events stands for a restored old backup.
    let backup = root.path().join("backup");
    std::fs::create_dir(&backup).unwrap();
    for file in ["ledger.redb", "ledger.key"] {
        std::fs::copy(data.join(file), backup.join(file)).unwrap();
    }
    append(&data, 4);
    let saved = checkpoint(&data, "saved");
    let (code, stdout, _) = run(&[
        "verify",
        data.to_str().unwrap(),
        "--checkpoint",
        saved.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stdout}");
    let (code, stdout, _) = run(&[
        "verify",
        backup.to_str().unwrap(),
        "--checkpoint",
        saved.to_str().unwrap(),
    ]);
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("FAIL  saved checkpoint"), "{stdout}");
    assert!(stdout.contains("truncated or rolled back"), "{stdout}");
}

#[test]
fn an_event_changed_inside_the_data_directory_is_caught() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("ledger");
    ledger(&data, 5);
    checkpoint(&data, "saved");
    // Rewrite event 2's bytes in place through redb, past the store's API, as an attacker
    // with file access would.
    {
        use redb::ReadableTable;
        let db = redb::Database::open(data.join("ledger.redb")).unwrap();
        let table: redb::TableDefinition<u64, &[u8]> = redb::TableDefinition::new("events");
        let txn = db.begin_write().unwrap();
        {
            let mut events = txn.open_table(table).unwrap();
            let bytes = events.get(2).unwrap().unwrap().value().to_vec();
            let text = String::from_utf8(bytes).unwrap().replace("三户", "五户");
            events.insert(2, text.as_bytes()).unwrap();
        }
        txn.commit().unwrap();
    }
    let (code, stdout, _) = run(&["verify", data.to_str().unwrap()]);
    assert_eq!(code, 1, "{stdout}");
    assert!(stdout.contains("NOT VERIFIED: event 2:"), "{stdout}");
}
