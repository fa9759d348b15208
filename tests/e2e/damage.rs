//! Damage on disk, below redb: bytes flipped in the pages of the ledger file (an event, a
//! Merkle node, the tables' own pages, the file's header) and a file cut short. `kaohe verify`
//! must report the damage, naming the first bad event where the damage hit one, and `kaohe
//! serve` must refuse to start on the file rather than serve it.

use std::path::Path;

use kaohe_store::{Store, StoreOptions};

use crate::support::{checkpoint, ledger, run};

/// A ledger of event 0 and `entries` entries with a stored checkpoint; returns its directory.
fn damaged_fixture(root: &Path, entries: u32) -> std::path::PathBuf {
    let data = root.join("ledger");
    ledger(&data, entries);
    checkpoint(&data, "saved");
    data
}

/// Every offset at which `needle` occurs in `haystack`.
fn occurrences(haystack: &[u8], needle: &[u8]) -> Vec<usize> {
    haystack
        .windows(needle.len())
        .enumerate()
        .filter(|(_, window)| *window == needle)
        .map(|(offset, _)| offset)
        .collect()
}

/// Flip one bit of the byte `shift` bytes into every copy of `needle` in the ledger file:
/// redb keeps stale copies of rewritten pages, and the live one must be among those hit.
fn flip_everywhere(data: &Path, needle: &[u8], shift: usize) -> usize {
    let path = data.join("ledger.redb");
    let mut bytes = std::fs::read(&path).unwrap();
    let found = occurrences(&bytes, needle);
    assert!(!found.is_empty(), "the bytes to damage are not in the file");
    for offset in &found {
        bytes[offset + shift] ^= 0x04;
    }
    std::fs::write(&path, bytes).unwrap();
    found.len()
}

/// The bytes and leaf hash of event `position`, read before the damage.
fn event_of(data: &Path, position: u64) -> (Vec<u8>, [u8; 32]) {
    let store = Store::open(&data.join("ledger.redb"), StoreOptions::default()).unwrap();
    let snapshot = store.snapshot().unwrap();
    (
        snapshot.event(position).unwrap(),
        snapshot.leaf(position).unwrap().0,
    )
}

/// `kaohe verify DIR`: must fail (exit 1) and print what it found.
fn verify_fails(data: &Path) -> String {
    let (code, stdout, stderr) = run(&["verify", data.to_str().unwrap()]);
    assert_eq!(
        code, 1,
        "verify passed or broke on damage:\n{stdout}{stderr}"
    );
    stdout
}

/// The damage is below the events: `kaohe verify` fails the file's page check, in kaohe's
/// words rather than the storage engine's, and `kaohe serve` refuses the file.
fn file_damaged(data: &Path) {
    let stdout = verify_fails(data);
    assert!(
        stdout.contains("FAIL  file pages            a page of the file does not match its checksum, or the file is cut short: the file is damaged\n"),
        "{stdout}"
    );
    assert!(stdout.contains("NOT VERIFIED:"), "{stdout}");
    serve_refuses(data);
}

/// Flip a bit in the text of event `position` (its `did` field and what follows) wherever the
/// file holds it.
fn flip_text_of(data: &Path, position: u64) {
    let (bytes, _) = event_of(data, position);
    let text = String::from_utf8(bytes).unwrap();
    let start = text.find("\"did\"").unwrap();
    flip_everywhere(data, &text.as_bytes()[start..start + 40], 12);
}

/// `kaohe serve` on DIR: must refuse to start, never announcing an address; returns why.
fn serve_refuses(data: &Path) -> String {
    let (code, stdout, stderr) = run(&[
        "serve",
        "--data",
        data.to_str().unwrap(),
        "--addr",
        "127.0.0.1:0",
    ]);
    assert_ne!(code, 0, "the server started on a damaged ledger:\n{stdout}");
    assert!(!stdout.contains("serving"), "{stdout}");
    assert!(stderr.contains("damaged"), "{stderr}");
    stderr
}

#[test]
fn a_flipped_byte_in_an_event_is_reported_with_that_event_and_not_served() {
    let root = tempfile::tempdir().unwrap();
    let data = damaged_fixture(root.path(), 6);
    // The event's text, from its `did` line on, is unique to event 3.
    flip_text_of(&data, 3);
    let stdout = verify_fails(&data);
    assert!(stdout.contains("FAIL  file pages"), "{stdout}");
    assert!(stdout.contains("NOT VERIFIED: event 3:"), "{stdout}");
    let stderr = serve_refuses(&data);
    assert!(stderr.contains("first bad event 3:"), "{stderr}");
}

#[test]
fn a_flipped_byte_in_the_last_event_is_reported_with_it_and_not_served() {
    let root = tempfile::tempdir().unwrap();
    let data = damaged_fixture(root.path(), 4);
    flip_text_of(&data, 4);
    let stdout = verify_fails(&data);
    // No later event links to the last one, so its altered text still parses and checks; the
    // leaf hash stored beside it when it was written is what no longer matches.
    assert!(
        stdout.contains("NOT VERIFIED: the stored leaf hash of event 4 is not its hash"),
        "{stdout}"
    );
    let stderr = serve_refuses(&data);
    assert!(stderr.contains("event 4"), "{stderr}");
}

#[test]
fn a_flipped_byte_in_a_merkle_node_is_reported_with_its_event_and_not_served() {
    let root = tempfile::tempdir().unwrap();
    let data = damaged_fixture(root.path(), 6);
    let (_, leaf) = event_of(&data, 2);
    flip_everywhere(&data, &leaf, 5);
    let stdout = verify_fails(&data);
    assert!(stdout.contains("FAIL  file pages"), "{stdout}");
    assert!(
        stdout.contains("NOT VERIFIED: the stored leaf hash of event 2 is not its hash"),
        "{stdout}"
    );
    let stderr = serve_refuses(&data);
    assert!(stderr.contains("leaf hash of event 2"), "{stderr}");
}

#[test]
fn a_flipped_byte_in_the_tables_own_pages_is_reported_and_not_served() {
    let root = tempfile::tempdir().unwrap();
    let data = damaged_fixture(root.path(), 6);
    // The table tree names each table: damage the name of the Merkle nodes' table.
    flip_everywhere(&data, b"merkle_nodes", 3);
    file_damaged(&data);
}

#[test]
fn a_truncated_file_is_reported_and_not_served() {
    let root = tempfile::tempdir().unwrap();
    let data = damaged_fixture(root.path(), 6);
    let path = data.join("ledger.redb");
    let length = std::fs::metadata(&path).unwrap().len();
    let file = std::fs::OpenOptions::new().write(true).open(&path).unwrap();
    file.set_len(length / 2).unwrap();
    drop(file);
    file_damaged(&data);
}

#[test]
fn the_undamaged_ledger_passes_the_page_check_and_serves() {
    let root = tempfile::tempdir().unwrap();
    let data = damaged_fixture(root.path(), 3);
    let (code, stdout, _) = run(&["verify", data.to_str().unwrap()]);
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("ok    file pages"), "{stdout}");
}

#[test]
fn a_ledger_held_by_a_server_is_not_reported_as_damaged() {
    let root = tempfile::tempdir().unwrap();
    let data = damaged_fixture(root.path(), 2);
    // This process holds the file, as a running server does.
    let _held = Store::open(&data.join("ledger.redb"), StoreOptions::default()).unwrap();
    let (code, stdout, stderr) = run(&["verify", data.to_str().unwrap()]);
    assert_eq!(code, 2, "{stdout}{stderr}");
    assert!(!stdout.contains("FAIL"), "{stdout}");
    assert!(stderr.contains("cannot open the ledger"), "{stderr}");
}
