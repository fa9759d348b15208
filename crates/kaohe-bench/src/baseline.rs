//! The alternatives a user would pick, writing the same bytes with the same durability: raw
//! redb (one table, position -> canonical bytes, immediate durability with two-phase commit as
//! the store commits) and SQLite (WAL, synchronous=FULL, one insert per commit).
//!
//! These are the only places outside kaohe-store that open a redb file, and never the
//! ledger's own: they are the baselines the store is measured against.

use std::hint::black_box;
use std::path::Path;

use anyhow::{Context, Result};
use redb::{Database, ReadableDatabase, TableDefinition, WriteTransaction};

const EVENTS: TableDefinition<u64, &[u8]> = TableDefinition::new("events");
const BY_ID: TableDefinition<u128, &[u8]> = TableDefinition::new("events_by_id");

/// redb with the memory budget the store gives it (`StoreOptions::cache_bytes`): the same
/// cache on both sides, so that a point read compares the work of the read, not the size of a
/// cache that holds the whole file on one side only.
fn builder() -> redb::Builder {
    let mut builder = redb::Builder::new();
    builder.set_cache_size(kaohe_store::StoreOptions::default().cache_bytes);
    builder
}

/// A redb file with the events keyed by position (and, for point reads, by id).
pub struct RawRedb {
    db: Database,
}

impl RawRedb {
    /// A new file at `path`.
    pub fn create(path: &Path) -> Result<RawRedb> {
        Ok(RawRedb {
            db: builder().create(path).context("raw redb: create")?,
        })
    }

    /// An existing file at `path`.
    pub fn open(path: &Path) -> Result<RawRedb> {
        Ok(RawRedb {
            db: builder().open(path).context("raw redb: open")?,
        })
    }

    /// A write transaction committed exactly as the store's writer commits: immediate
    /// durability, two-phase commit.
    fn begin(&self) -> Result<WriteTransaction> {
        let mut txn = self.db.begin_write()?;
        txn.set_durability(redb::Durability::Immediate)?;
        txn.set_two_phase_commit(true);
        Ok(txn)
    }

    /// One insert, one durable commit.
    pub fn insert_one(&self, position: u64, bytes: &[u8]) -> Result<()> {
        let txn = self.begin()?;
        txn.open_table(EVENTS)?.insert(position, bytes)?;
        txn.commit()?;
        Ok(())
    }

    /// Many inserts in one durable commit.
    pub fn insert_batch<B: AsRef<[u8]>>(&self, first: u64, events: &[B]) -> Result<()> {
        let txn = self.begin()?;
        {
            let mut table = txn.open_table(EVENTS)?;
            for (offset, bytes) in events.iter().enumerate() {
                table.insert(first + offset as u64, bytes.as_ref())?;
            }
        }
        txn.commit()?;
        Ok(())
    }

    /// Many inserts keyed by id, in one durable commit.
    pub fn insert_batch_by_id<B: AsRef<[u8]>>(&self, events: &[(u128, B)]) -> Result<()> {
        let txn = self.begin()?;
        {
            let mut table = txn.open_table(BY_ID)?;
            for (id, bytes) in events {
                table.insert(*id, bytes.as_ref())?;
            }
        }
        txn.commit()?;
        Ok(())
    }

    /// Point reads by position in one read transaction; returns the bytes read.
    pub fn get_positions(&self, positions: &[u64]) -> Result<u64> {
        let read = self.db.begin_read()?;
        let table = read.open_table(EVENTS)?;
        let mut total = 0u64;
        for position in positions {
            let value = table.get(*position)?.context("raw redb: a missing event")?;
            total += black_box(value.value()).len() as u64;
        }
        Ok(total)
    }

    /// Point reads by id in one read transaction; returns the bytes read.
    pub fn get_ids(&self, ids: &[u128]) -> Result<u64> {
        let read = self.db.begin_read()?;
        let table = read.open_table(BY_ID)?;
        let mut total = 0u64;
        for id in ids {
            let value = table.get(*id)?.context("raw redb: a missing event")?;
            total += black_box(value.value()).len() as u64;
        }
        Ok(total)
    }
}

/// A SQLite database in WAL mode with synchronous=FULL: every commit syncs the log.
pub struct Sqlite {
    connection: rusqlite::Connection,
}

impl Sqlite {
    /// A new database at `path` with one table of events.
    pub fn create(path: &Path) -> Result<Sqlite> {
        let connection = rusqlite::Connection::open(path).context("sqlite: open")?;
        let mode: String =
            connection.pragma_update_and_check(None, "journal_mode", "WAL", |row| row.get(0))?;
        anyhow::ensure!(
            mode.eq_ignore_ascii_case("wal"),
            "sqlite: journal_mode is {mode}"
        );
        connection.pragma_update(None, "synchronous", "FULL")?;
        let synchronous: i64 =
            connection.pragma_query_value(None, "synchronous", |row| row.get(0))?;
        anyhow::ensure!(
            synchronous == 2,
            "sqlite: synchronous is {synchronous}, not FULL"
        );
        connection.execute_batch(
            "CREATE TABLE events (position INTEGER PRIMARY KEY, bytes BLOB NOT NULL);",
        )?;
        Ok(Sqlite { connection })
    }

    /// One insert in its own transaction (autocommit): one synced commit.
    pub fn insert_one(&self, position: u64, bytes: &[u8]) -> Result<()> {
        let mut statement = self
            .connection
            .prepare_cached("INSERT INTO events (position, bytes) VALUES (?1, ?2)")?;
        statement.execute(rusqlite::params![position as i64, bytes])?;
        Ok(())
    }
}
