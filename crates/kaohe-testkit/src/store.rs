//! Township ledgers in temporary directories, as `kaohe init` lays them out.

use std::path::{Path, PathBuf};

use kaohe_ledger::verify::{LedgerVerifier, Verified};
use kaohe_store::{Store, StoreOptions};

use crate::ledger::genesis;

/// The ledger file's name in a data directory.
pub const LEDGER_FILE: &str = "ledger.redb";

/// The ledger file in the data directory `dir`.
pub fn ledger_path(dir: &Path) -> PathBuf {
    dir.join(LEDGER_FILE)
}

/// A new, empty temporary directory, removed when dropped.
pub fn temp_dir() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temporary directory")
}

/// The township's ledger (event 0 alone) created in `dir` with `options`.
pub fn create(dir: &Path, options: StoreOptions) -> Store {
    Store::create(&ledger_path(dir), &genesis(), options)
        .unwrap_or_else(|error| panic!("no ledger created in {}: {error}", dir.display()))
}

/// The store's ledger verified whole: every event through the verifier, in order, every
/// stored Merkle node checked, and the verified root the head's.
pub fn verify_all(store: &Store) -> Verified {
    let snapshot = store.snapshot().expect("a snapshot");
    let mut verifier = LedgerVerifier::new([]);
    snapshot
        .for_each_event(0, |position, bytes| {
            verifier
                .push(bytes)
                .unwrap_or_else(|failure| panic!("event {position} fails verification: {failure}"));
            true
        })
        .expect("the events read");
    snapshot
        .check_stored_nodes()
        .expect("the stored nodes check");
    let verified = verifier.finish(None).expect("the ledger verifies");
    assert_eq!(verified.root, snapshot.head().expect("a head").root);
    verified
}
