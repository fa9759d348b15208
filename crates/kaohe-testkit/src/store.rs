//! Township ledgers in temporary directories, as `kaohe init` lays them out.

use std::path::{Path, PathBuf};

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
