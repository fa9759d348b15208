//! The inspector's commands only read: `verify`, `replay`, `explain`, `export` and `prove`
//! leave the ledger file byte for byte as it was, work on a copy no one may write, and work on
//! a file its writer never closed (a server killed), which redb repairs before reading.

use std::path::Path;

use crate::support::{checkpoint, ledger, run, start_server};
use kaohe_testkit::entry;

/// The BLAKE3 hash of the ledger file in `data`, and its length and modification time.
fn fingerprint(data: &Path) -> (String, u64, std::time::SystemTime) {
    let path = data.join("ledger.redb");
    let bytes = std::fs::read(&path).unwrap();
    let metadata = std::fs::metadata(&path).unwrap();
    (
        blake3::hash(&bytes).to_hex().to_string(),
        metadata.len(),
        metadata.modified().unwrap(),
    )
}

/// Every reading command on `data`, each run with the file's fingerprint taken before and
/// after; `out` is where an export may be written.
fn every_reader_leaves_the_file_as_it_was(data: &Path, out: &Path) {
    let dir = data.to_str().unwrap();
    let first_entry = {
        let (code, stdout, stderr) = run(&["prove", "inclusion", "--data", dir, "--seq", "1"]);
        assert_eq!(code, 0, "{stderr}");
        let bundle: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        let event: serde_json::Value =
            serde_json::from_str(bundle["event"].as_str().unwrap()).unwrap();
        event["id"].as_str().unwrap().to_owned()
    };
    let export = out.join("ledger.jsonl");
    let commands: Vec<Vec<&str>> = vec![
        vec!["verify", dir],
        vec!["replay", "--data", dir, "--quarter", "2026-Q1"],
        vec!["explain", "--data", dir, &first_entry],
        vec!["export", "--data", dir, "--out", export.to_str().unwrap()],
        vec!["prove", "inclusion", "--data", dir, "--seq", "2"],
        vec!["prove", "consistency", "--data", dir, "--from", "2"],
    ];
    for command in commands {
        let before = fingerprint(data);
        let (code, stdout, stderr) = run(&command);
        // `replay` finds no decision to replay in a ledger of entries, and says so.
        let expected = if command[0] == "replay" { 1 } else { 0 };
        assert_eq!(code, expected, "{command:?}: {stdout}{stderr}");
        assert_eq!(fingerprint(data), before, "{command:?} changed the file");
    }
    let (code, stdout, _) = run(&["verify", export.to_str().unwrap()]);
    assert_eq!(code, 0, "{stdout}");
}

/// Make every file and directory under `path` read-only (and back, so it can be removed).
fn set_read_only(path: &Path, read_only: bool) {
    for entry in std::fs::read_dir(path).unwrap() {
        let entry = entry.unwrap().path();
        let mut permissions = std::fs::metadata(&entry).unwrap().permissions();
        permissions.set_readonly(read_only);
        std::fs::set_permissions(&entry, permissions).unwrap();
    }
    let mut permissions = std::fs::metadata(path).unwrap().permissions();
    permissions.set_readonly(read_only);
    std::fs::set_permissions(path, permissions).unwrap();
}

#[test]
fn readers_leave_the_ledger_byte_for_byte_and_work_on_a_read_only_copy() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("ledger");
    ledger(&data, 20);
    checkpoint(&data, "saved.checkpoint");
    every_reader_leaves_the_file_as_it_was(&data, root.path());

    // A copy no one may write (for root the bits do not bind; the fingerprints still do).
    let copy = root.path().join("copy");
    std::fs::create_dir(&copy).unwrap();
    for name in ["ledger.redb", "ledger.key"] {
        std::fs::copy(data.join(name), copy.join(name)).unwrap();
    }
    set_read_only(&copy, true);
    every_reader_leaves_the_file_as_it_was(&copy, root.path());
    set_read_only(&copy, false);
}

#[test]
fn readers_read_a_ledger_whose_writer_was_killed_without_repairing_the_file() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("ledger");
    ledger(&data, 0);
    // A writer that appends and is killed before it closes the file.
    {
        let store = kaohe_store::Store::open(
            &data.join("ledger.redb"),
            kaohe_store::StoreOptions::default(),
        )
        .unwrap();
        for day in 0..6 {
            store
                .append(
                    entry(uuid::Uuid::now_v7(), "p001", day),
                    kaohe_store::Expect::Any,
                )
                .unwrap();
        }
    }
    let mut server = start_server(&[
        "serve",
        "--data",
        data.to_str().unwrap(),
        "--addr",
        "127.0.0.1:0",
        "--now",
        "2026-03-20T09:00:00+08:00",
    ]);
    server.child.kill().unwrap();
    server.child.wait().unwrap();
    // redb's read-only database refuses this file until it is repaired: the readers must
    // repair it in memory, not on disk.
    assert!(matches!(
        redb::ReadOnlyDatabase::open(data.join("ledger.redb")),
        Err(redb::DatabaseError::RepairAborted)
    ));
    every_reader_leaves_the_file_as_it_was(&data, root.path());
    assert!(matches!(
        redb::ReadOnlyDatabase::open(data.join("ledger.redb")),
        Err(redb::DatabaseError::RepairAborted)
    ));
}
