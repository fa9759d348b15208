//! The kaohe ledger on redb: the tables, the one writer thread that folds concurrent appends
//! into shared commits, reads, and proofs built from stored Merkle nodes.
//!
//! Architecture Invariant: nothing outside this crate names a redb type.

#[cfg(feature = "fault-injection")]
pub mod fault;
mod import;
mod tables;
mod writer;

pub use import::{ImportError, ImportOptions};

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{SyncSender, sync_channel};
use std::thread::JoinHandle;

use kaohe_ledger::Hash;
use kaohe_ledger::event::{EventDraft, EventError, ParsedEvent, parse_event};
use kaohe_ledger::hash::leaf_hash;
use kaohe_ledger::merkle::{self, Frontier, NodeSource, ProofError};
use kaohe_ledger::verify::{Genesis, genesis_of};
use redb::{Database, ReadTransaction, ReadableDatabase, ReadableTable, ReadableTableMetadata};
use uuid::Uuid;

use crate::tables::{
    CHECKPOINTS, EVENT_IDS, EVENTS, MERKLE_NODES, META, META_FORMAT_VERSION, TOKENS,
};
pub use crate::writer::{BATCH_EVENTS_MAX, SideWrite};
use crate::writer::{Request, WriterState};

/// The name of the ledger file inside a data directory.
pub const LEDGER_FILE: &str = "ledger.redb";
/// The storage format version written to the `meta` table (see docs/FORMAT.md).
pub const STORE_FORMAT_VERSION: u64 = 1;

/// A source of the current time, read only by the writer to stamp `recorded_time`.
pub type Clock = Arc<dyn Fn() -> jiff::Timestamp + Send + Sync>;

/// Settings of a store; every queue and batch has a limit.
#[derive(Clone)]
pub struct StoreOptions {
    /// Where recording times come from.
    pub clock: Clock,
    /// The most appends folded into one commit.
    pub batch_events_max: usize,
    /// The most appends waiting for the writer; further appenders wait for room.
    pub queue_depth: usize,
    /// The bytes of the file redb keeps cached in memory (its read cache and write buffer).
    pub cache_bytes: usize,
    /// Whether opening verifies the checksum of every page of the file's committed trees
    /// before trusting it (redb's integrity check): a file damaged since redb wrote it is then
    /// refused as damaged instead of read. It reads the whole file.
    pub check_pages_on_open: bool,
}

impl Default for StoreOptions {
    fn default() -> Self {
        StoreOptions {
            clock: Arc::new(jiff::Timestamp::now),
            batch_events_max: 1024,
            queue_depth: 4096,
            cache_bytes: 1 << 30,
            check_pages_on_open: false,
        }
    }
}

impl StoreOptions {
    fn builder(&self) -> redb::Builder {
        let mut builder = redb::Builder::new();
        builder
            .set_cache_size(self.cache_bytes)
            .set_check_integrity_on_open(self.check_pages_on_open);
        builder
    }
}

/// Why a store could not be created or opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// `create` found a ledger file already there.
    #[error("a ledger already exists at {0}")]
    AlreadyExists(String),
    /// `open` found no ledger file.
    #[error("no ledger at {0}: create one with `kaohe init`")]
    NotFound(String),
    /// Another process has the ledger open.
    #[error("the ledger at {0} is open in another process (a running `kaohe serve`?)")]
    InUse(String),
    /// The first event was refused.
    #[error("event 0 is invalid: {0}")]
    InvalidGenesis(String),
    /// The stored ledger fails the checks made on opening.
    #[error("the stored ledger is damaged: {0}")]
    Damaged(String),
    /// The file was written by a newer or unknown storage format.
    #[error("unsupported storage format version {0}")]
    UnsupportedFormat(u64),
    /// The database or the file system failed.
    #[error("storage: {0}")]
    Storage(String),
}

/// Why an append was refused; nothing was appended.
#[derive(Debug, thiserror::Error, PartialEq, Eq, Clone)]
pub enum AppendError {
    /// The draft fails the event checks.
    #[error("{0}")]
    Invalid(#[from] EventError),
    /// The id is taken by an event with other content.
    #[error("event id {id} is already used at position {position} with different content")]
    Conflict {
        /// The id.
        id: Uuid,
        /// Where the existing event stands.
        position: u64,
    },
    /// The append was conditional on a head that has moved.
    #[error("expected the ledger to have {expected} events, it has {actual}")]
    HeadMoved {
        /// The size the caller expected.
        expected: u64,
        /// The size it has.
        actual: u64,
    },
    /// Sealed events that do not extend the ledger where it ends.
    #[error("not an extension of this ledger: {0}")]
    NotAnExtension(String),
    /// A batch with no events, or more than `BATCH_EVENTS_MAX`.
    #[error("a batch holds 1 to {max} events, not {0}", max = BATCH_EVENTS_MAX)]
    BatchSize(usize),
    /// The commit failed; the append is not in the ledger.
    #[error("storage: {0}")]
    Storage(String),
    /// The store is closing.
    #[error("the store is closed")]
    Closed,
}

/// Why a read failed.
#[derive(Debug, thiserror::Error, PartialEq, Eq, Clone)]
pub enum ReadError {
    /// The position or size asked for is beyond the ledger.
    #[error("{0}")]
    OutOfRange(String),
    /// The database failed.
    #[error("storage: {0}")]
    Storage(String),
    /// The file holds pages redb cannot read as it wrote them: damage on disk.
    #[error("the file is damaged: {0}")]
    Damaged(String),
}

/// A read that failed: damage redb noticed, or a storage failure.
fn read_error(error: redb::StorageError) -> ReadError {
    match error {
        redb::StorageError::Corrupted(message) => ReadError::Damaged(message),
        other => ReadError::Storage(other.to_string()),
    }
}

pub(crate) fn storage<E: std::fmt::Display>(error: E) -> String {
    error.to_string()
}

/// What an append returns once the event is durable.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Appended {
    /// The event's position.
    pub position: u64,
    /// Its id.
    pub id: Uuid,
    /// Its leaf hash.
    pub leaf: Hash,
    /// False when the id was already in the ledger with the same content (a retry).
    pub created: bool,
}

/// The ledger's head: its size, root and last leaf.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Head {
    /// The number of events.
    pub size: u64,
    /// The Merkle root over all events.
    pub root: Hash,
    /// The leaf hash of the last event.
    pub last_leaf: Hash,
}

/// Counters of the writer, for reports and tests.
#[derive(Debug, Default)]
pub struct Stats {
    commits: AtomicU64,
    appended: AtomicU64,
}

impl Stats {
    /// Commits made (each one flush).
    pub fn commits(&self) -> u64 {
        self.commits.load(Ordering::Relaxed)
    }
    /// Events appended (retries answered from the ledger are not counted).
    pub fn appended(&self) -> u64 {
        self.appended.load(Ordering::Relaxed)
    }
}

/// An open ledger: cheap to clone, shared by every thread.
#[derive(Clone)]
pub struct Store {
    inner: Arc<Inner>,
}

struct Inner {
    db: Arc<Database>,
    sender: Option<SyncSender<Request>>,
    writer: Option<JoinHandle<()>>,
    stats: Arc<Stats>,
    genesis: Genesis,
}

impl Drop for Inner {
    fn drop(&mut self) {
        // Closing the channel ends the writer once it has answered everything queued.
        self.sender.take();
        if let Some(writer) = self.writer.take() {
            let _ = writer.join();
        }
    }
}

fn map_open_error(path: &Path, error: redb::DatabaseError) -> OpenError {
    match error {
        redb::DatabaseError::DatabaseAlreadyOpen => OpenError::InUse(path.display().to_string()),
        other => map_database_error(other),
    }
}

/// A file redb finds altered or cut short is damaged; anything else is a storage failure.
fn map_database_error(error: redb::DatabaseError) -> OpenError {
    match error {
        redb::DatabaseError::Storage(redb::StorageError::Corrupted(message)) => {
            OpenError::Damaged(format!("the file's pages are damaged: {message}"))
        }
        other => OpenError::Storage(other.to_string()),
    }
}

/// A table that cannot be opened on opening: missing or damaged, unless the storage failed.
fn open_table_error(error: redb::TableError) -> OpenError {
    match error {
        redb::TableError::Storage(error) => open_storage_error(error),
        other => OpenError::Damaged(other.to_string()),
    }
}

/// A read that failed on opening: damage redb noticed, or a storage failure.
fn open_storage_error(error: redb::StorageError) -> OpenError {
    match error {
        redb::StorageError::Corrupted(message) => {
            OpenError::Damaged(format!("the file's pages are damaged: {message}"))
        }
        other => OpenError::Storage(other.to_string()),
    }
}

/// The name storage given as a backend goes by in messages.
const BACKEND_NAME: &str = "the given storage";

/// Check that `genesis` can be event 0 and return the time zone it names.
fn check_genesis(genesis: &EventDraft) -> Result<jiff::tz::TimeZone, OpenError> {
    genesis
        .check()
        .map_err(|error| OpenError::InvalidGenesis(error.to_string()))?;
    if genesis.event_type != "ledger_created" {
        return Err(OpenError::InvalidGenesis(
            "event 0 must be ledger_created".into(),
        ));
    }
    let time_zone = genesis.payload["time_zone"].as_str().unwrap_or_default();
    jiff::tz::TimeZone::get(time_zone)
        .map_err(|error| OpenError::InvalidGenesis(format!("time_zone: {error}")))
}

impl Store {
    /// Create a new ledger file at `path` whose event 0 is `genesis` (a `ledger_created` draft).
    pub fn create(
        path: &Path,
        genesis: &EventDraft,
        options: StoreOptions,
    ) -> Result<Store, OpenError> {
        if path.exists() {
            return Err(OpenError::AlreadyExists(path.display().to_string()));
        }
        let time_zone = check_genesis(genesis)?;
        let db = options
            .builder()
            .create(path)
            .map_err(|error| map_open_error(path, error))?;
        Store::create_in(db, time_zone, genesis, options)
    }

    /// Create a new ledger, as `create` does, on `backend` instead of a file: storage that
    /// must be empty. Tests use it to put a ledger on a simulated disk.
    pub fn create_with_backend(
        backend: impl redb::StorageBackend,
        genesis: &EventDraft,
        options: StoreOptions,
    ) -> Result<Store, OpenError> {
        let length = backend
            .len()
            .map_err(|error| OpenError::Storage(storage(error)))?;
        if length > 0 {
            return Err(OpenError::AlreadyExists(BACKEND_NAME.into()));
        }
        let time_zone = check_genesis(genesis)?;
        let db = options
            .builder()
            .create_with_backend(backend)
            .map_err(map_database_error)?;
        Store::create_in(db, time_zone, genesis, options)
    }

    fn create_in(
        db: Database,
        time_zone: jiff::tz::TimeZone,
        genesis: &EventDraft,
        options: StoreOptions,
    ) -> Result<Store, OpenError> {
        let db = Arc::new(db);
        let mut state = WriterState::empty(time_zone);
        let sealed = state
            .seal_next(genesis, &options.clock)
            .map_err(|error| OpenError::InvalidGenesis(error.to_string()))?;
        let genesis_info = genesis_of(
            &parse_event(&sealed.bytes)
                .map_err(|error| OpenError::InvalidGenesis(error.to_string()))?,
        )
        .map_err(|failure| OpenError::InvalidGenesis(failure.to_string()))?;
        writer::write_first(&db, &mut state, &sealed, genesis).map_err(OpenError::Storage)?;
        Ok(Store::start(db, state, genesis_info, options))
    }

    /// Open an existing ledger file and check its head: the stored last event links to the one
    /// before it, and both match their stored leaf hashes.
    pub fn open(path: &Path, options: StoreOptions) -> Result<Store, OpenError> {
        if !path.exists() {
            return Err(OpenError::NotFound(path.display().to_string()));
        }
        let db = options
            .builder()
            .open(path)
            .map_err(|error| map_open_error(path, error))?;
        Store::open_in(db, options)
    }

    /// Open an existing ledger, as `open` does, on `backend` instead of a file. Tests use it
    /// to reopen a ledger on what a simulated disk kept after a crash.
    pub fn open_with_backend(
        backend: impl redb::StorageBackend,
        options: StoreOptions,
    ) -> Result<Store, OpenError> {
        let length = backend
            .len()
            .map_err(|error| OpenError::Storage(storage(error)))?;
        if length == 0 {
            return Err(OpenError::NotFound(BACKEND_NAME.into()));
        }
        let db = options
            .builder()
            .create_with_backend(backend)
            .map_err(map_database_error)?;
        Store::open_in(db, options)
    }

    fn open_in(db: Database, options: StoreOptions) -> Result<Store, OpenError> {
        let db = Arc::new(db);
        let read = db
            .begin_read()
            .map_err(|e| OpenError::Storage(storage(e)))?;
        let damaged = |message: String| OpenError::Damaged(message);
        let meta = read.open_table(META).map_err(open_table_error)?;
        let version = meta
            .get(META_FORMAT_VERSION)
            .map_err(open_storage_error)?
            .map(|value| value.value())
            .ok_or_else(|| damaged("no format version".into()))?;
        if version != STORE_FORMAT_VERSION {
            return Err(OpenError::UnsupportedFormat(version));
        }
        let events = read.open_table(EVENTS).map_err(open_table_error)?;
        let ids = read.open_table(EVENT_IDS).map_err(open_table_error)?;
        let size = events.len().map_err(open_storage_error)?;
        if size == 0 {
            return Err(damaged("the ledger has no events".into()));
        }
        if ids.len().map_err(open_storage_error)? != size {
            return Err(damaged(
                "the id index and the events differ in count".into(),
            ));
        }
        let nodes = Nodes::new(&read).map_err(OpenError::Storage)?;
        let read_event = |position: u64| -> Result<(ParsedEvent, Hash), OpenError> {
            let bytes = events
                .get(position)
                .map_err(open_storage_error)?
                .ok_or_else(|| damaged(format!("event {position} is missing")))?;
            let bytes = bytes.value();
            let parsed = parse_event(bytes)
                .map_err(|error| damaged(format!("event {position}: {error}")))?;
            if parsed.position != position {
                return Err(damaged(format!(
                    "event {position} says it is at {}",
                    parsed.position
                )));
            }
            let leaf = leaf_hash(bytes);
            let stored = nodes.node(0, position).map_err(OpenError::Storage)?;
            if stored != leaf {
                return Err(damaged(format!(
                    "event {position} does not match its stored leaf hash"
                )));
            }
            Ok((parsed, leaf))
        };
        let (head, head_leaf) = read_event(size - 1)?;
        if size > 1 {
            let (_, previous_leaf) = read_event(size - 2)?;
            if head.previous_hash != previous_leaf {
                return Err(damaged(format!(
                    "event {} does not link to event {}",
                    size - 1,
                    size - 2
                )));
            }
        }
        let (first, _) = read_event(0)?;
        let genesis = genesis_of(&first).map_err(|failure| damaged(failure.to_string()))?;
        let frontier = Frontier::load(&nodes, size).map_err(OpenError::Storage)?;
        let time_zone = jiff::tz::TimeZone::get(&genesis.time_zone)
            .map_err(|error| damaged(format!("time zone: {error}")))?;
        let state = WriterState::resume(frontier, head_leaf, head.recorded_time, time_zone);
        drop((events, ids, meta, nodes));
        drop(read);
        Ok(Store::start(db, state, genesis, options))
    }

    fn start(
        db: Arc<Database>,
        state: WriterState,
        genesis: Genesis,
        options: StoreOptions,
    ) -> Store {
        let (sender, receiver) = sync_channel(options.queue_depth);
        let stats = Arc::new(Stats::default());
        let writer = {
            let db = Arc::clone(&db);
            let stats = Arc::clone(&stats);
            std::thread::Builder::new()
                .name("kaohe-writer".into())
                .spawn(move || writer::run(&db, state, &receiver, &stats, &options))
                .expect("the writer thread starts")
        };
        Store {
            inner: Arc::new(Inner {
                db,
                sender: Some(sender),
                writer: Some(writer),
                stats,
                genesis,
            }),
        }
    }

    /// What event 0 says about this ledger.
    pub fn genesis(&self) -> &Genesis {
        &self.inner.genesis
    }

    /// The writer's counters.
    pub fn stats(&self) -> &Stats {
        &self.inner.stats
    }

    fn send(&self, request: Request) -> Result<(), AppendError> {
        self.inner
            .sender
            .as_ref()
            .ok_or(AppendError::Closed)?
            .send(request)
            .map_err(|_| AppendError::Closed)
    }

    /// Append a draft and return once it is durable. With `expected_size`, append only if the
    /// ledger has exactly that many events. A retry with the same id and content answers the
    /// event already there; the same id with other content is a conflict.
    pub fn append(
        &self,
        draft: EventDraft,
        expected_size: Option<u64>,
    ) -> Result<Appended, AppendError> {
        let (request, reply) = Request::append(vec![draft], expected_size, Vec::new())?;
        self.send(request)?;
        let mut appended = reply.blocking_recv().map_err(|_| AppendError::Closed)??;
        Ok(appended.pop().expect("one event, one answer"))
    }

    /// Append many drafts, queued all at once so that the writer folds them into as few
    /// commits as its batch limit allows; one result per draft, in order, each answered only
    /// once durable. A refused draft does not stop the others.
    pub fn append_many(
        &self,
        drafts: impl IntoIterator<Item = EventDraft>,
    ) -> Vec<Result<Appended, AppendError>> {
        let pending: Vec<_> = drafts
            .into_iter()
            .map(|draft| {
                let (request, reply) = Request::append(vec![draft], None, Vec::new())?;
                self.send(request)?;
                Ok(reply)
            })
            .collect();
        pending
            .into_iter()
            .map(|reply: Result<_, AppendError>| {
                let mut appended = reply?.blocking_recv().map_err(|_| AppendError::Closed)??;
                Ok(appended.pop().expect("one event, one answer"))
            })
            .collect()
    }

    /// `append` for async callers: waits without blocking the runtime's threads.
    pub async fn append_async(
        &self,
        draft: EventDraft,
        expected_size: Option<u64>,
    ) -> Result<Appended, AppendError> {
        let mut appended = self
            .append_batch_async(vec![draft], expected_size, Vec::new())
            .await?;
        Ok(appended.pop().expect("one event, one answer"))
    }

    /// Append `drafts` together, at consecutive positions in one commit, or none of them,
    /// with `side` writes in the same transaction; returns once durable. With
    /// `expected_size`, only if the ledger has exactly that many events. A retry of the whole
    /// batch is answered from the ledger; reusing any id with other content is a conflict.
    pub async fn append_batch_async(
        &self,
        drafts: Vec<EventDraft>,
        expected_size: Option<u64>,
        side: Vec<SideWrite>,
    ) -> Result<Vec<Appended>, AppendError> {
        let (request, reply) = Request::append(drafts, expected_size, side)?;
        // The queue has a bound; a full queue briefly blocks the sender, which is the back
        // pressure wanted, so hand that wait to a blocking thread.
        let sender = self.inner.sender.clone().ok_or(AppendError::Closed)?;
        tokio::task::spawn_blocking(move || sender.send(request))
            .await
            .map_err(|_| AppendError::Closed)?
            .map_err(|_| AppendError::Closed)?;
        reply.await.map_err(|_| AppendError::Closed)?
    }

    /// Queue `drafts` for the writer now, as `append_batch` does, and return what to wait on
    /// for the answer. Requests reach the writer in the order they are submitted, so a
    /// caller that decides under its own lock can submit under it and keep that order. Blocks
    /// while the writer's queue is full.
    pub fn submit_batch(
        &self,
        drafts: Vec<EventDraft>,
        expected_size: Option<u64>,
        side: Vec<SideWrite>,
    ) -> Result<PendingBatch, AppendError> {
        let (request, reply) = Request::append(drafts, expected_size, side)?;
        self.send(request)?;
        Ok(PendingBatch { reply })
    }

    /// Append events sealed elsewhere (a mirrored ledger's), byte for byte, all or none, once
    /// durable: each must be valid, stand at the next position, link to the one before it,
    /// and keep recording times from going back. Returns the new size. At most
    /// `4 × BATCH_EVENTS_MAX` events at a time.
    ///
    /// The links vouch for every event but the last, which nothing after it vouches for yet:
    /// the caller must prove the last one (an inclusion proof against a signed checkpoint)
    /// before appending.
    pub fn append_sealed(&self, events: Vec<Vec<u8>>) -> Result<u64, AppendError> {
        let (request, reply) = Request::sealed(events)?;
        self.send(request)?;
        reply.blocking_recv().map_err(|_| AppendError::Closed)?
    }

    /// `append_batch_async` for threads outside a runtime.
    pub fn append_batch(
        &self,
        drafts: Vec<EventDraft>,
        expected_size: Option<u64>,
        side: Vec<SideWrite>,
    ) -> Result<Vec<Appended>, AppendError> {
        let (request, reply) = Request::append(drafts, expected_size, side)?;
        self.send(request)?;
        reply.blocking_recv().map_err(|_| AppendError::Closed)?
    }

    /// Store a signed checkpoint for `size` (kept for verification and exports).
    pub fn put_checkpoint(&self, size: u64, note_text: String) -> Result<(), AppendError> {
        let (request, reply) = Request::checkpoint(size, note_text);
        self.send(request)?;
        reply.blocking_recv().map_err(|_| AppendError::Closed)?
    }

    /// A consistent view of the ledger as of now.
    pub fn snapshot(&self) -> Result<Snapshot, ReadError> {
        Snapshot::of(&self.inner.db)
    }

    /// The head as of now.
    pub fn head(&self) -> Result<Head, ReadError> {
        self.snapshot()?.head()
    }
}

/// A ledger file opened only to be read and checked, as `kaohe verify` reads it: no head
/// check and no writer, so that a damaged ledger can still be read up to its first bad event.
pub struct LedgerFile {
    db: Database,
}

impl LedgerFile {
    /// Open the ledger file at `path` for reading.
    pub fn open(path: &Path) -> Result<LedgerFile, OpenError> {
        if !path.exists() {
            return Err(OpenError::NotFound(path.display().to_string()));
        }
        let db = Database::open(path).map_err(|error| map_open_error(path, error))?;
        Ok(LedgerFile { db })
    }

    /// Check every page of the file at `path` against its checksum (redb's integrity check),
    /// then close it: damage anywhere in the committed trees, events or not, is found here.
    /// It reads the whole file.
    pub fn check_pages(path: &Path) -> Result<(), OpenError> {
        if !path.exists() {
            return Err(OpenError::NotFound(path.display().to_string()));
        }
        let db = redb::Builder::new()
            .set_check_integrity_on_open(true)
            .open(path)
            .map_err(|error| map_open_error(path, error))?;
        drop(db);
        Ok(())
    }

    /// A view of the ledger as the file holds it.
    pub fn snapshot(&self) -> Result<Snapshot, ReadError> {
        Snapshot::of(&self.db)
    }
}

/// A batch queued for the writer: its answer comes once it is durable or refused.
pub struct PendingBatch {
    reply: tokio::sync::oneshot::Receiver<writer::BatchAnswer>,
}

impl PendingBatch {
    /// Wait for the answer without blocking the runtime's threads.
    pub async fn wait(self) -> Result<Vec<Appended>, AppendError> {
        self.reply.await.map_err(|_| AppendError::Closed)?
    }

    /// Wait for the answer on a thread outside a runtime.
    pub fn wait_blocking(self) -> Result<Vec<Appended>, AppendError> {
        self.reply
            .blocking_recv()
            .map_err(|_| AppendError::Closed)?
    }
}

/// A read transaction: every read through it sees the ledger at one size.
pub struct Snapshot {
    events: redb::ReadOnlyTable<u64, &'static [u8]>,
    ids: redb::ReadOnlyTable<u128, (u64, [u8; 32])>,
    nodes: Nodes,
    read: ReadTransaction,
    size: u64,
}

/// Stored Merkle nodes under one read transaction.
struct Nodes {
    table: redb::ReadOnlyTable<(u8, u64), [u8; 32]>,
}

impl Nodes {
    fn new(read: &ReadTransaction) -> Result<Nodes, String> {
        Ok(Nodes {
            table: read.open_table(MERKLE_NODES).map_err(storage)?,
        })
    }
}

impl NodeSource for Nodes {
    type Error = String;
    fn node(&self, level: u8, index: u64) -> Result<Hash, String> {
        self.table
            .get((level, index))
            .map_err(storage)?
            .map(|value| Hash(value.value()))
            .ok_or_else(|| format!("Merkle node ({level}, {index}) is missing"))
    }
}

fn proof_error(error: ProofError<String>) -> ReadError {
    match error {
        ProofError::OutOfRange(message) => ReadError::OutOfRange(message),
        ProofError::Source(message) => ReadError::Storage(message),
    }
}

impl Snapshot {
    fn of(db: &Database) -> Result<Snapshot, ReadError> {
        let read = db
            .begin_read()
            .map_err(|e| ReadError::Storage(storage(e)))?;
        let failed = |e: redb::TableError| match e {
            redb::TableError::Storage(e) => read_error(e),
            other => ReadError::Damaged(other.to_string()),
        };
        // The tables are opened once here rather than at every read: opening one cost more
        // than the point read itself.
        let events = read.open_table(EVENTS).map_err(failed)?;
        let ids = read.open_table(EVENT_IDS).map_err(failed)?;
        let nodes = Nodes::new(&read).map_err(ReadError::Storage)?;
        let size = events.len().map_err(read_error)?;
        Ok(Snapshot {
            events,
            ids,
            nodes,
            read,
            size,
        })
    }

    /// The number of events.
    pub fn size(&self) -> u64 {
        self.size
    }

    fn nodes(&self) -> Result<&Nodes, ReadError> {
        Ok(&self.nodes)
    }

    /// The head: size, root and last leaf.
    pub fn head(&self) -> Result<Head, ReadError> {
        let nodes = self.nodes()?;
        Ok(Head {
            size: self.size,
            root: merkle::root(nodes, self.size).map_err(ReadError::Storage)?,
            last_leaf: nodes.node(0, self.size - 1).map_err(ReadError::Storage)?,
        })
    }

    /// The root at a past size.
    pub fn root_at(&self, size: u64) -> Result<Hash, ReadError> {
        if size > self.size {
            return Err(ReadError::OutOfRange(format!(
                "the ledger has {} events, not {size}",
                self.size
            )));
        }
        merkle::root(self.nodes()?, size).map_err(ReadError::Storage)
    }

    /// The stored leaf hash of the event at `position`.
    pub fn leaf(&self, position: u64) -> Result<Hash, ReadError> {
        self.check_position(position)?;
        self.nodes()?.node(0, position).map_err(ReadError::Storage)
    }

    /// The stored hash of the perfect subtree `(level, index)` (docs/FORMAT.md, section 9):
    /// what roots and proofs are built from, for tools that build or count them outside.
    pub fn node(&self, level: u8, index: u64) -> Result<Hash, ReadError> {
        self.nodes()?.node(level, index).map_err(ReadError::Storage)
    }

    fn check_position(&self, position: u64) -> Result<(), ReadError> {
        if position >= self.size {
            return Err(ReadError::OutOfRange(format!(
                "no event {position}: the ledger has {} events",
                self.size
            )));
        }
        Ok(())
    }

    /// The canonical bytes of the event at `position`.
    pub fn event(&self, position: u64) -> Result<Vec<u8>, ReadError> {
        self.check_position(position)?;
        let value = self
            .events
            .get(position)
            .map_err(read_error)?
            .ok_or_else(|| ReadError::Storage(format!("event {position} is missing")))?;
        Ok(value.value().to_vec())
    }

    /// The position of the event with `id`, if there is one.
    pub fn position_of(&self, id: Uuid) -> Result<Option<u64>, ReadError> {
        let found = self
            .ids
            .get(id.as_u128())
            .map_err(|e| ReadError::Storage(storage(e)))?
            .map(|value| value.value().0);
        Ok(found.filter(|position| *position < self.size))
    }

    /// Call `visit` with each event from `from` on, in order, until it returns false.
    pub fn for_each_event(
        &self,
        from: u64,
        mut visit: impl FnMut(u64, &[u8]) -> bool,
    ) -> Result<(), ReadError> {
        for entry in self.events.range(from..self.size).map_err(read_error)? {
            let (key, value) = entry.map_err(read_error)?;
            if !visit(key.value(), value.value()) {
                break;
            }
        }
        Ok(())
    }

    /// The RFC 9162 inclusion proof of event `position` in the ledger of `size` events.
    pub fn inclusion_proof(&self, position: u64, size: u64) -> Result<Vec<Hash>, ReadError> {
        if size > self.size {
            return Err(ReadError::OutOfRange(format!(
                "the ledger has {} events, not {size}",
                self.size
            )));
        }
        merkle::inclusion_proof(self.nodes()?, position, size).map_err(proof_error)
    }

    /// The RFC 9162 consistency proof from size `old_size` to `new_size`.
    pub fn consistency_proof(&self, old_size: u64, new_size: u64) -> Result<Vec<Hash>, ReadError> {
        if new_size > self.size {
            return Err(ReadError::OutOfRange(format!(
                "the ledger has {} events, not {new_size}",
                self.size
            )));
        }
        merkle::consistency_proof(self.nodes()?, old_size, new_size).map_err(proof_error)
    }

    /// The stored hash of the bearer token `id`, if it was issued and not revoked.
    pub fn token_hash(&self, id: Uuid) -> Result<Option<[u8; 32]>, ReadError> {
        let table = match self.read.open_table(TOKENS) {
            Ok(table) => table,
            // A ledger file from before tokens existed has no table: no token is issued.
            Err(redb::TableError::TableDoesNotExist(_)) => return Ok(None),
            Err(error) => return Err(ReadError::Storage(storage(error))),
        };
        Ok(table
            .get(id.as_u128())
            .map_err(|e| ReadError::Storage(storage(e)))?
            .map(|value| value.value()))
    }

    /// Every stored checkpoint, by size, oldest first.
    pub fn checkpoints(&self) -> Result<Vec<(u64, String)>, ReadError> {
        let table = self
            .read
            .open_table(CHECKPOINTS)
            .map_err(|e| ReadError::Storage(storage(e)))?;
        let mut all = Vec::new();
        for entry in table.iter().map_err(|e| ReadError::Storage(storage(e)))? {
            let (key, value) = entry.map_err(|e| ReadError::Storage(storage(e)))?;
            all.push((key.value(), value.value().to_owned()));
        }
        Ok(all)
    }

    /// Check every stored Merkle node: each leaf is the hash of its event, each higher node
    /// the hash of its two children, and there are exactly as many as the size implies. One
    /// sequential pass per level.
    pub fn check_stored_nodes(&self) -> Result<(), String> {
        let nodes = self.nodes().map_err(|e| e.to_string())?;
        let events = &self.events;
        let mut leaves = nodes
            .table
            .range((0u8, 0u64)..(0u8, self.size))
            .map_err(storage)?;
        for entry in events.range(0..self.size).map_err(storage)? {
            let (position, bytes) = entry.map_err(storage)?;
            let position = position.value();
            let stored = match leaves.next() {
                Some(entry) => entry.map_err(storage)?.1.value(),
                None => return Err(format!("the leaf hash of event {position} is missing")),
            };
            if Hash(stored) != leaf_hash(bytes.value()) {
                return Err(format!(
                    "the stored leaf hash of event {position} is not its hash"
                ));
            }
        }
        let mut width = self.size;
        for level in 1u8..64 {
            width /= 2;
            if width == 0 {
                break;
            }
            let mut children = nodes
                .table
                .range((level - 1, 0u64)..(level - 1, 2 * width))
                .map_err(storage)?;
            let parents = nodes
                .table
                .range((level, 0u64)..(level, width))
                .map_err(storage)?;
            let mut count = 0u64;
            for entry in parents {
                let (key, parent) = entry.map_err(storage)?;
                let (_, index) = key.value();
                let mut child = || -> Result<Hash, String> {
                    match children.next() {
                        Some(entry) => Ok(Hash(entry.map_err(storage)?.1.value())),
                        None => Err(format!("a child of node ({level}, {index}) is missing")),
                    }
                };
                let (left, right) = (child()?, child()?);
                if index != count
                    || Hash(parent.value()) != kaohe_ledger::hash::node_hash(&left, &right)
                {
                    return Err(format!("stored Merkle node ({level}, {index}) is wrong"));
                }
                count += 1;
            }
            if count != width {
                return Err(format!(
                    "level {level} has {count} stored nodes, {width} expected"
                ));
            }
        }
        // A tree of n leaves has 2n - popcount(n) perfect-subtree nodes; more means stray nodes.
        let expected = 2 * self.size - u64::from(self.size.count_ones());
        let count = nodes.table.len().map_err(storage)?;
        if count != expected {
            return Err(format!("{count} Merkle nodes stored, {expected} expected"));
        }
        Ok(())
    }
}
