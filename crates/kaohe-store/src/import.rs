//! Import: a new ledger file from already-sealed events (an export's event lines), keeping
//! their exact bytes. Every event passes the checks `kaohe verify` makes before it is written;
//! checking the next batch overlaps with writing the last one.

use std::path::Path;
use std::sync::Arc;
use std::sync::mpsc::sync_channel;

use kaohe_ledger::Hash;
use kaohe_ledger::merkle::Frontier;
use kaohe_ledger::verify::{
    Failure, Genesis, LedgerVerifier, PreparedEvent, check_whole_checkpoint, checkpoint_size,
};
use redb::Database;

use crate::error::{Damage, Fault, Location, StorageError, fault};
use crate::tables::{CHECKPOINTS, EVENT_IDS, EVENTS, MERKLE_NODES, META, META_FORMAT_VERSION};
use crate::writer::{WriterState, begin};
use crate::{OpenError, STORE_FORMAT_VERSION, Store, StoreOptions, map_open_error};

/// How an import runs.
#[derive(Clone, Debug)]
pub struct ImportOptions {
    /// The export's checkpoint (its last line, decoded): the events must have its size and
    /// root, and it is stored with them. Without one, only the events' own checks are made.
    pub checkpoint: Option<String>,
    /// Threads that check events; with more than one, checking the next batch also overlaps
    /// with writing and committing the last.
    pub threads: usize,
    /// The events checked and written in each commit (the last may hold fewer).
    pub batch_events: usize,
}

impl Default for ImportOptions {
    fn default() -> Self {
        ImportOptions {
            checkpoint: None,
            threads: std::thread::available_parallelism().map_or(1, usize::from),
            batch_events: 1024,
        }
    }
}

/// Why an import failed; the new ledger file is removed.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The ledger file could not be created.
    #[error(transparent)]
    Open(#[from] OpenError),
    /// An event, or the checkpoint, fails verification.
    #[error("the export does not verify: {0}")]
    Invalid(Failure),
    /// The database or the file system failed while the events were written.
    #[error("the imported events could not be written")]
    Storage(#[source] StorageError),
    /// The new file was found damaged while the events were written.
    #[error("the new ledger file is damaged")]
    Damaged(#[source] Damage),
}

impl From<Fault> for ImportError {
    fn from(fault: Fault) -> Self {
        match fault {
            Fault::Storage(error) => ImportError::Storage(error),
            Fault::Damaged(damage) => ImportError::Damaged(damage),
        }
    }
}

/// A redb failure during the import.
fn failed(error: impl Into<redb::Error>) -> ImportError {
    fault(error).into()
}

/// One event ready to write: its bytes, what checking it alone found, its content digest.
struct Ready<B> {
    bytes: B,
    prepared: PreparedEvent,
    digest: Hash,
}

/// Check one event alone and compute its content digest.
fn check_alone(bytes: &[u8]) -> (PreparedEvent, Hash) {
    let leaf = kaohe_ledger::hash::leaf_hash(bytes);
    match kaohe_ledger::event::check_event(bytes) {
        Ok(event) => (PreparedEvent::of(&event, leaf), event.content_digest()),
        Err(error) => (PreparedEvent::refused(error, leaf), Hash::ZERO),
    }
}

/// Check each event of `batch` alone and digest it, on up to `threads` threads, each taking
/// one contiguous share.
fn ready<B: AsRef<[u8]> + Sync>(batch: Vec<B>, threads: usize) -> Vec<Ready<B>> {
    let share = batch.len().div_ceil(threads.max(1)).max(1);
    let checked: Vec<(PreparedEvent, Hash)> = if share >= batch.len() {
        batch
            .iter()
            .map(|bytes| check_alone(bytes.as_ref()))
            .collect()
    } else {
        std::thread::scope(|scope| {
            let workers: Vec<_> = batch
                .chunks(share)
                .map(|chunk| {
                    scope.spawn(move || {
                        chunk
                            .iter()
                            .map(|bytes| check_alone(bytes.as_ref()))
                            .collect::<Vec<_>>()
                    })
                })
                .collect();
            workers
                .into_iter()
                .flat_map(|worker| worker.join().expect("checking an event does not panic"))
                .collect()
        })
    };
    batch
        .into_iter()
        .zip(checked)
        .map(|(bytes, (prepared, digest))| Ready {
            bytes,
            prepared,
            digest,
        })
        .collect()
}

/// What the writing side holds between batches.
struct Writing {
    verifier: LedgerVerifier,
    frontier: Frontier,
    last_leaf: Hash,
    last_recorded: Option<jiff::Timestamp>,
}

impl Writing {
    /// Check each event of `batch` against the ones before it and write it with the Merkle
    /// nodes it completes, in one durable commit.
    fn write<B: AsRef<[u8]>>(
        &mut self,
        db: &Database,
        batch: &[Ready<B>],
    ) -> Result<(), ImportError> {
        let txn = begin(db)?;
        {
            if self.frontier.size() == 0 {
                let mut meta = txn.open_table(META).map_err(failed)?;
                meta.insert(META_FORMAT_VERSION, STORE_FORMAT_VERSION)
                    .map_err(failed)?;
                txn.open_table(CHECKPOINTS).map_err(failed)?;
            }
            let mut events = txn.open_table(EVENTS).map_err(failed)?;
            let mut ids = txn.open_table(EVENT_IDS).map_err(failed)?;
            let mut nodes = txn.open_table(MERKLE_NODES).map_err(failed)?;
            for item in batch {
                self.verifier
                    .push_prepared(&item.prepared)
                    .map_err(ImportError::Invalid)?;
                let event = item
                    .prepared
                    .event
                    .as_ref()
                    .expect("an event that passed verification parsed");
                let position = self.frontier.size();
                events
                    .insert(position, item.bytes.as_ref())
                    .map_err(failed)?;
                ids.insert(event.id.as_u128(), (position, item.digest.0))
                    .map_err(failed)?;
                let mut result = Ok(());
                self.frontier
                    .push(item.prepared.leaf, |level, index, hash| {
                        if result.is_ok()
                            && let Err(error) = nodes.insert((level, index), hash.0)
                        {
                            result = Err(failed(error));
                        }
                    });
                result?;
                self.last_leaf = item.prepared.leaf;
                self.last_recorded = Some(event.recorded_time);
            }
        }
        txn.commit().map_err(failed)?;
        Ok(())
    }
}

/// What the import leaves for the writer thread to go on from.
struct Imported {
    frontier: Frontier,
    last_leaf: Hash,
    last_recorded: jiff::Timestamp,
    genesis: Genesis,
}

impl Store {
    /// Create a new ledger at `path` from already-sealed events, event 0 first, keeping their
    /// exact bytes (an export's event lines). Each event passes the checks verification makes
    /// (canonical form, schema, position, chain link, unique id, causes, recording time, event
    /// 0) before it is written; events are written with their ids and Merkle nodes in commits
    /// of `ImportOptions::batch_events`, with the durability of appends. If anything fails,
    /// the file is removed.
    pub fn import<B: AsRef<[u8]> + Send + Sync>(
        path: &Path,
        events: impl IntoIterator<Item = B>,
        import: &ImportOptions,
        options: StoreOptions,
    ) -> Result<Store, ImportError> {
        if path.exists() {
            return Err(OpenError::AlreadyExists(Location::File(path.to_path_buf())).into());
        }
        let db = Database::create(path).map_err(|error| map_open_error(path, error))?;
        let imported = import_into(&db, events, import).and_then(|imported| {
            // Verification checked the time zone event 0 names.
            let time_zone = jiff::tz::TimeZone::get(&imported.genesis.time_zone)
                .map_err(|error| ImportError::Damaged(Damage::TimeZone(error)))?;
            Ok((imported, time_zone))
        });
        match imported {
            Ok((imported, time_zone)) => {
                let state = WriterState::resume(
                    imported.frontier,
                    imported.last_leaf,
                    imported.last_recorded,
                    time_zone,
                );
                Ok(Store::start(Arc::new(db), state, imported.genesis, options))
            }
            Err(error) => {
                drop(db);
                let _ = std::fs::remove_file(path);
                Err(error)
            }
        }
    }
}

fn import_into<B: AsRef<[u8]> + Send + Sync>(
    db: &Database,
    events: impl IntoIterator<Item = B>,
    import: &ImportOptions,
) -> Result<Imported, ImportError> {
    let sizes = import.checkpoint.as_deref().and_then(checkpoint_size);
    let mut writing = Writing {
        verifier: LedgerVerifier::new(sizes),
        frontier: Frontier::new(),
        last_leaf: Hash::ZERO,
        last_recorded: None,
    };
    let batch_events = import.batch_events.max(1);
    let mut events = events.into_iter();
    let mut next_batch = || -> Vec<B> { events.by_ref().take(batch_events).collect() };
    if import.threads <= 1 {
        loop {
            let batch = next_batch();
            if batch.is_empty() {
                break;
            }
            writing.write(db, &ready(batch, 1))?;
        }
    } else {
        // Check the next batch on the preparing threads while this one writes and commits.
        writing = std::thread::scope(|scope| {
            let (sender, receiver) = sync_channel::<Vec<Ready<B>>>(1);
            let writer = scope.spawn(move || -> Result<Writing, ImportError> {
                for batch in receiver {
                    writing.write(db, &batch)?;
                }
                Ok(writing)
            });
            loop {
                let batch = next_batch();
                if batch.is_empty() || sender.send(ready(batch, import.threads)).is_err() {
                    break;
                }
            }
            drop(sender);
            writer.join().expect("the import's writer does not panic")
        })?;
    }
    finish(db, writing, import.checkpoint.as_deref())
}

/// Check the end of the ledger and the export's checkpoint (which must be of the whole
/// ledger) as `kaohe verify` checks an export, and store the checkpoint. The checkpoint's root
/// pins a chain break at the last link, and its size is compared with the events, only once
/// its signature by the key event 0 names holds.
fn finish(
    db: &Database,
    writing: Writing,
    checkpoint: Option<&str>,
) -> Result<Imported, ImportError> {
    let signed_root = checkpoint.and_then(|text| writing.verifier.signed_root(text));
    let verified = writing
        .verifier
        .finish(signed_root.as_ref())
        .map_err(ImportError::Invalid)?;
    if let Some(text) = checkpoint {
        let checked = check_whole_checkpoint(&verified, text).map_err(ImportError::Invalid)?;
        let txn = begin(db)?;
        {
            let mut table = txn.open_table(CHECKPOINTS).map_err(failed)?;
            table.insert(checked.size, text).map_err(failed)?;
        }
        txn.commit().map_err(failed)?;
    }
    Ok(Imported {
        frontier: writing.frontier,
        last_leaf: writing.last_leaf,
        last_recorded: writing
            .last_recorded
            .expect("a verified ledger has an event"),
        genesis: verified.genesis,
    })
}
