//! The kaohe ledger on redb: the tables, the one writer thread that folds concurrent appends
//! into shared commits, reads, and proofs built from stored Merkle nodes.
//!
//! Architecture Invariant: nothing outside this crate names a redb type.

mod error;
#[cfg(feature = "fault-injection")]
pub mod fault;
mod import;
mod read_only;
mod tables;
mod writer;

pub use error::{
    AppendError, Damage, DatabaseError, GenesisError, Location, Misfit, OpenError, OutOfRange,
    ReadError, StorageError,
};
pub use import::{ImportError, ImportOptions};

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{SyncSender, sync_channel};
use std::thread::JoinHandle;

use kaohe_ledger::Hash;
use kaohe_ledger::event::{EventDraft, ParsedEvent, parse_event};
use kaohe_ledger::hash::leaf_hash;
use kaohe_ledger::merkle::{self, Frontier, NodeSource, ProofError};
use kaohe_ledger::verify::{Genesis, genesis_of};
use redb::{Database, ReadTransaction, ReadableDatabase, ReadableTable, ReadableTableMetadata};
use uuid::Uuid;

use crate::error::{Fault, fault, table_fault};
use crate::tables::{
    CHECKPOINTS, EVENT_IDS, EVENTS, MERKLE_NODES, META, META_FORMAT_VERSION, REQUESTS, TOKENS,
};
pub use crate::writer::{BATCH_EVENTS_MAX, Expect, SideWrite};
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
    /// The most requests the writer folds into one commit: each is one batch of drafts (up to
    /// `BATCH_EVENTS_MAX` events), sealed events to append, or a checkpoint to store.
    pub commit_requests_max: usize,
    /// The most requests waiting for the writer; further submitters wait for room.
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
            commit_requests_max: 1024,
            queue_depth: 4096,
            // The state the engine folds is what a server keeps in memory; redb's cache only
            // speeds reads of recent pages, and at start-up every event is read once, in
            // order, so a large cache would hold a copy of the file that is never read again.
            cache_bytes: 64 << 20,
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

/// Opening a file another process holds is `InUse`; anything else is sorted as `fault` sorts it.
pub(crate) fn map_open_error(path: &Path, error: redb::DatabaseError) -> OpenError {
    match error {
        redb::DatabaseError::DatabaseAlreadyOpen => {
            OpenError::InUse(Location::File(path.to_path_buf()))
        }
        other => fault(other).into(),
    }
}

/// Storage given as a backend: its length, or why it cannot be read.
fn backend_length(backend: &impl redb::StorageBackend) -> Result<u64, OpenError> {
    backend
        .len()
        .map_err(|error| OpenError::Storage(StorageError::from_io(error)))
}

/// Check that `genesis` can be event 0 and return the time zone it names, before anything is
/// written.
fn check_genesis(genesis: &EventDraft) -> Result<jiff::tz::TimeZone, OpenError> {
    let invalid = OpenError::InvalidGenesis;
    genesis
        .check()
        .map_err(|error| invalid(GenesisError::Event(error)))?;
    if genesis.event_type != "ledger_created" {
        return Err(invalid(GenesisError::NotLedgerCreated {
            event_type: genesis.event_type.clone(),
        }));
    }
    // The zone as `kaohe init` and verification read it: a name of the IANA database spelled
    // exactly as the database spells it. The database's own lookup ignores case, and a ledger
    // created under `asia/shanghai` would fail every verification.
    let time_zone = genesis.payload["time_zone"].as_str().unwrap_or_default();
    kaohe_ledger::genesis::time_zone(time_zone)
        .map_err(|error| invalid(GenesisError::TimeZone(error)))
}

impl Store {
    /// Create a new ledger file at `path` whose event 0 is `genesis` (a `ledger_created` draft).
    pub fn create(
        path: &Path,
        genesis: &EventDraft,
        options: StoreOptions,
    ) -> Result<Store, OpenError> {
        if path.exists() {
            return Err(OpenError::AlreadyExists(Location::File(path.to_path_buf())));
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
        if backend_length(&backend)? > 0 {
            return Err(OpenError::AlreadyExists(Location::Backend));
        }
        let time_zone = check_genesis(genesis)?;
        let db = options
            .builder()
            .create_with_backend(backend)
            .map_err(|error| OpenError::from(fault(error)))?;
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
        let invalid = OpenError::InvalidGenesis;
        let sealed = state
            .seal_next(genesis, &options.clock)
            .map_err(|error| invalid(GenesisError::Event(error)))?;
        let parsed =
            parse_event(&sealed.bytes).map_err(|error| invalid(GenesisError::Event(error)))?;
        let genesis_info =
            genesis_of(&parsed).map_err(|failure| invalid(GenesisError::Refused(failure)))?;
        writer::write_first(&db, &mut state, &sealed, genesis)?;
        Ok(Store::start(db, state, genesis_info, options))
    }

    /// Open an existing ledger file and check its head: the stored last event links to the one
    /// before it, and both match their stored leaf hashes.
    pub fn open(path: &Path, options: StoreOptions) -> Result<Store, OpenError> {
        if !path.exists() {
            return Err(OpenError::NotFound(Location::File(path.to_path_buf())));
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
        if backend_length(&backend)? == 0 {
            return Err(OpenError::NotFound(Location::Backend));
        }
        let db = options
            .builder()
            .create_with_backend(backend)
            .map_err(|error| OpenError::from(fault(error)))?;
        Store::open_in(db, options)
    }

    fn open_in(db: Database, options: StoreOptions) -> Result<Store, OpenError> {
        let db = Arc::new(db);
        let read = db.begin_read().map_err(fault)?;
        let damaged = |damage: Damage| OpenError::Damaged(damage);
        let meta = read.open_table(META).map_err(table_fault)?;
        let version = meta
            .get(META_FORMAT_VERSION)
            .map_err(fault)?
            .map(|value| value.value())
            .ok_or(damaged(Damage::NoFormatVersion))?;
        if version != STORE_FORMAT_VERSION {
            return Err(OpenError::UnsupportedFormat(version));
        }
        let events = read.open_table(EVENTS).map_err(table_fault)?;
        let ids = read.open_table(EVENT_IDS).map_err(table_fault)?;
        let size = events.len().map_err(fault)?;
        if size == 0 {
            return Err(damaged(Damage::NoEvents));
        }
        let id_count = ids.len().map_err(fault)?;
        if id_count != size {
            return Err(damaged(Damage::IdCount {
                events: size,
                ids: id_count,
            }));
        }
        let nodes = Nodes::new(&read)?;
        let read_event = |position: u64| -> Result<(ParsedEvent, Hash), OpenError> {
            let bytes = events
                .get(position)
                .map_err(fault)?
                .ok_or(damaged(Damage::MissingEvent(position)))?;
            let bytes = bytes.value();
            let parsed = parse_event(bytes)
                .map_err(|source| damaged(Damage::Unparsable { position, source }))?;
            if parsed.position != position {
                return Err(damaged(Damage::Misplaced {
                    position,
                    stated: parsed.position,
                }));
            }
            let leaf = leaf_hash(bytes);
            if nodes.node(0, position)? != leaf {
                return Err(damaged(Damage::WrongLeaf(position)));
            }
            Ok((parsed, leaf))
        };
        let (head, head_leaf) = read_event(size - 1)?;
        if size > 1 {
            let (_, previous_leaf) = read_event(size - 2)?;
            if head.previous_hash != previous_leaf {
                return Err(damaged(Damage::BrokenLink(size - 1)));
            }
        }
        let (first, _) = read_event(0)?;
        let genesis = genesis_of(&first).map_err(|failure| damaged(Damage::Genesis(failure)))?;
        let frontier = Frontier::load(&nodes, size)?;
        let time_zone = jiff::tz::TimeZone::get(&genesis.time_zone)
            .map_err(|error| damaged(Damage::TimeZone(error)))?;
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

    /// Queue `drafts` for the writer, to be appended together at consecutive positions in one
    /// commit, or not at all, with `side` writes in the same transaction, and return what to
    /// wait on for the answer, given only once the commit is durable. With `Expect::Size(n)`
    /// the batch lands at position `n` or not at all. A retry of the whole batch (the same ids
    /// and contents) is answered from the ledger; reusing any id with other content is a
    /// conflict.
    ///
    /// This is the one way drafts are appended. The drafts are checked here, on the caller's
    /// thread (schema validation is the costly part, and it runs in parallel there). Batches
    /// reach the writer in the order they are submitted, so a caller that decides under its
    /// own lock can submit under it and keep that order. Blocks while the writer's queue is
    /// full: async callers submit from a blocking thread.
    pub fn submit(
        &self,
        drafts: Vec<EventDraft>,
        expect: Expect,
        side: Vec<SideWrite>,
    ) -> Result<PendingBatch, AppendError> {
        let (request, reply) = Request::append(drafts, expect, side)?;
        self.send(request)?;
        Ok(PendingBatch { reply })
    }

    /// Append one draft, as `submit` does, and wait until it is durable.
    pub fn append(&self, draft: EventDraft, expect: Expect) -> Result<Appended, AppendError> {
        let mut appended = self
            .submit(vec![draft], expect, Vec::new())?
            .wait_blocking()?;
        Ok(appended.pop().expect("one event, one answer"))
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

    /// Store a signed checkpoint for `size` (kept for verification and exports).
    pub fn put_checkpoint(&self, size: u64, note_text: String) -> Result<(), AppendError> {
        let (request, reply) = Request::checkpoint(size, note_text);
        self.send(request)?;
        reply.blocking_recv().map_err(|_| AppendError::Closed)?
    }

    /// A consistent view of the ledger as of now.
    pub fn snapshot(&self) -> Result<Snapshot, ReadError> {
        Snapshot::of(self.inner.db.as_ref())
    }

    /// The head as of now.
    pub fn head(&self) -> Result<Head, ReadError> {
        self.snapshot()?.head()
    }
}

/// A ledger file opened only to be read: no head check and no writer, so that a damaged
/// ledger can still be read up to its first bad event, and not a byte of the file changes.
///
/// `kaohe verify`, `replay`, `explain`, `export`, `prove` and a mirror's reads open the ledger
/// this way: through redb's read-only database, which works on a file no one may write and
/// leaves it byte for byte as it was. A file that a writer did not close (after a crash or a
/// kill) needs its allocator state rebuilt before redb reads it; that repair is made on a
/// copy-on-write view whose writes stay in memory, so the file is never changed either.
pub struct LedgerFile {
    db: ReadDatabase,
}

/// The two ways a file is read without writing it.
enum ReadDatabase {
    /// redb's read-only database: a file closed cleanly.
    ReadOnly(redb::ReadOnlyDatabase),
    /// A file repaired in memory through a copy-on-write view.
    Repaired(Database),
}

/// The bytes of the file a reader's redb cache holds: every event is read once, in order, so
/// a large cache only holds pages that will not be read again.
const READER_CACHE_BYTES: usize = 64 << 20;

impl LedgerFile {
    /// Open the ledger file at `path` for reading.
    pub fn open(path: &Path) -> Result<LedgerFile, OpenError> {
        if !path.exists() {
            return Err(OpenError::NotFound(Location::File(path.to_path_buf())));
        }
        let mut builder = redb::Builder::new();
        builder.set_cache_size(READER_CACHE_BYTES);
        let db = match builder.open_read_only(path) {
            Ok(db) => ReadDatabase::ReadOnly(db),
            Err(redb::DatabaseError::RepairAborted) => {
                ReadDatabase::Repaired(open_copy_on_write(path, false)?)
            }
            Err(error) => return Err(map_open_error(path, error)),
        };
        Ok(LedgerFile { db })
    }

    /// Check every page of the file at `path` against its checksum (redb's integrity check),
    /// then close it: damage anywhere in the committed trees, events or not, is found here.
    /// It reads the whole file, and writes none of it: the check runs on a copy-on-write view.
    pub fn check_pages(path: &Path) -> Result<(), OpenError> {
        if !path.exists() {
            return Err(OpenError::NotFound(Location::File(path.to_path_buf())));
        }
        drop(open_copy_on_write(path, true)?);
        Ok(())
    }

    /// A view of the ledger as the file holds it.
    pub fn snapshot(&self) -> Result<Snapshot, ReadError> {
        match &self.db {
            ReadDatabase::ReadOnly(db) => Snapshot::of(db),
            ReadDatabase::Repaired(db) => Snapshot::of(db),
        }
    }

    /// What event 0 says about the ledger, read and checked as `Store::open` checks it.
    pub fn genesis(&self) -> Result<Genesis, ReadError> {
        let snapshot = self.snapshot()?;
        if snapshot.size() == 0 {
            return Err(ReadError::Damaged(Damage::NoEvents));
        }
        let bytes = snapshot.event(0)?;
        let parsed = parse_event(&bytes).map_err(|source| {
            ReadError::Damaged(Damage::Unparsable {
                position: 0,
                source,
            })
        })?;
        genesis_of(&parsed).map_err(|failure| ReadError::Damaged(Damage::Genesis(failure)))
    }
}

/// The file at `path` opened as a redb database on a copy-on-write view, so that whatever redb
/// writes while opening it (a repair, the integrity check's bookkeeping) stays in memory.
fn open_copy_on_write(path: &Path, check_pages: bool) -> Result<Database, OpenError> {
    let view = read_only::CopyOnWrite::open(path).map_err(|error| match error {
        read_only::CopyOnWriteError::InUse => OpenError::InUse(Location::File(path.to_path_buf())),
        read_only::CopyOnWriteError::Io(error) => OpenError::Storage(StorageError::from_io(error)),
    })?;
    redb::Builder::new()
        .set_cache_size(READER_CACHE_BYTES)
        .set_check_integrity_on_open(check_pages)
        .create_with_backend(view)
        .map_err(|error| map_open_error(path, error))
}

/// The stored nodes of one level of the tree, read in order.
type LevelCursor<'s> = std::iter::Peekable<redb::Range<'s, (u8, u64), [u8; 32]>>;

/// The stored Merkle nodes compared, in one pass, with the nodes computed from the events:
/// see `Snapshot::node_check`.
pub struct NodeCheck<'s> {
    table: &'s redb::ReadOnlyTable<(u8, u64), [u8; 32]>,
    /// One cursor per level, each reading that level's stored nodes in order.
    levels: Vec<LevelCursor<'s>>,
    /// The first event whose stored leaf hash is not its hash.
    first_leaf: Option<u64>,
    /// The lowest (level, index) of a stored node above the leaves that is wrong or missing.
    first_node: Option<(u8, u64, bool)>,
    /// A read that failed.
    failed: Option<ReadError>,
}

impl NodeCheck<'_> {
    /// The node at (`level`, `index`) is `hash` by the events: compare it with the stored one.
    pub fn node(&mut self, level: u8, index: u64, hash: Hash) {
        if self.failed.is_some() {
            return;
        }
        while self.levels.len() <= usize::from(level) {
            let next = self.levels.len() as u8;
            match self.table.range((next, 0u64)..=(next, u64::MAX)) {
                Ok(range) => self.levels.push(range.peekable()),
                Err(error) => {
                    self.failed = Some(fault(error).into());
                    return;
                }
            }
        }
        let cursor = &mut self.levels[usize::from(level)];
        // Stored nodes before this index are strays; the count at the end tells them.
        let stored = loop {
            match cursor.peek() {
                None => break None,
                Some(Err(_)) => {
                    let error = cursor.next().expect("peeked").err().expect("an error");
                    self.failed = Some(fault(error).into());
                    return;
                }
                Some(Ok((key, value))) => {
                    let (_, at) = key.value();
                    if at < index {
                        cursor.next();
                        continue;
                    }
                    break (at == index).then(|| Hash(value.value()));
                }
            }
        };
        if stored.is_some() {
            cursor.next();
        }
        match (level, stored) {
            (0, Some(stored)) if stored == hash => {}
            (0, Some(_)) => {
                self.first_leaf.get_or_insert(index);
            }
            (_, Some(stored)) if stored == hash => {}
            (level, stored) => {
                let found = (level, index, stored.is_some());
                if self.first_node.is_none_or(|(first_level, first_index, _)| {
                    (level, index) < (first_level, first_index)
                }) {
                    self.first_node = Some(found);
                }
            }
        }
    }

    /// The verdict once every event of a ledger of `size` events went through: the first
    /// wrong leaf, else the lowest wrong or missing node, else stray nodes.
    pub fn finish(self, size: u64) -> Result<(), ReadError> {
        if let Some(error) = self.failed {
            return Err(error);
        }
        let damaged = |damage: Damage| Err(ReadError::Damaged(damage));
        if let Some(position) = self.first_leaf {
            return damaged(Damage::WrongLeaf(position));
        }
        match self.first_node {
            Some((0, index, _)) => {
                return damaged(Damage::MissingNode { level: 0, index });
            }
            Some((level, index, true)) => return damaged(Damage::WrongNode { level, index }),
            Some((level, index, false)) => return damaged(Damage::MissingNode { level, index }),
            None => {}
        }
        // A tree of n leaves has 2n - popcount(n) perfect-subtree nodes; more means strays.
        let expected = 2 * size - u64::from(size.count_ones());
        let count = self.table.len().map_err(fault)?;
        if count != expected {
            return damaged(Damage::StrayNodes { count, expected });
        }
        Ok(())
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
    fn new(read: &ReadTransaction) -> Result<Nodes, Fault> {
        Ok(Nodes {
            table: read.open_table(MERKLE_NODES).map_err(table_fault)?,
        })
    }
}

impl NodeSource for Nodes {
    type Error = Fault;
    fn node(&self, level: u8, index: u64) -> Result<Hash, Fault> {
        self.table
            .get((level, index))
            .map_err(fault)?
            .map(|value| Hash(value.value()))
            .ok_or(Fault::Damaged(Damage::MissingNode { level, index }))
    }
}

/// A proof that could not be built: the range asked for, or a failed read.
fn proof_error(error: ProofError<Fault>, out_of_range: OutOfRange) -> ReadError {
    match error {
        ProofError::OutOfRange(_) => ReadError::OutOfRange(out_of_range),
        ProofError::Source(fault) => fault.into(),
    }
}

impl Snapshot {
    fn of(db: &impl ReadableDatabase) -> Result<Snapshot, ReadError> {
        let read = db.begin_read().map_err(fault)?;
        // The tables are opened once here rather than at every read: opening one cost more
        // than the point read itself.
        let events = read.open_table(EVENTS).map_err(table_fault)?;
        let ids = read.open_table(EVENT_IDS).map_err(table_fault)?;
        let nodes = Nodes::new(&read)?;
        let size = events.len().map_err(fault)?;
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

    /// The head: size, root and last leaf.
    pub fn head(&self) -> Result<Head, ReadError> {
        Ok(Head {
            size: self.size,
            root: merkle::root(&self.nodes, self.size)?,
            last_leaf: self.nodes.node(0, self.size - 1)?,
        })
    }

    fn check_size(&self, asked: u64) -> Result<(), ReadError> {
        if asked > self.size {
            return Err(OutOfRange::Size {
                asked,
                size: self.size,
            }
            .into());
        }
        Ok(())
    }

    /// The root at a past size.
    pub fn root_at(&self, size: u64) -> Result<Hash, ReadError> {
        self.check_size(size)?;
        Ok(merkle::root(&self.nodes, size)?)
    }

    /// The stored leaf hash of the event at `position`.
    pub fn leaf(&self, position: u64) -> Result<Hash, ReadError> {
        self.check_position(position)?;
        Ok(self.nodes.node(0, position)?)
    }

    /// The stored hash of the perfect subtree `(level, index)` (docs/FORMAT.md, section 9):
    /// what roots and proofs are built from, for tools that build or count them outside.
    pub fn node(&self, level: u8, index: u64) -> Result<Hash, ReadError> {
        Ok(self.nodes.node(level, index)?)
    }

    fn check_position(&self, position: u64) -> Result<(), ReadError> {
        if position >= self.size {
            return Err(OutOfRange::Position {
                position,
                size: self.size,
            }
            .into());
        }
        Ok(())
    }

    /// The canonical bytes of the event at `position`.
    pub fn event(&self, position: u64) -> Result<Vec<u8>, ReadError> {
        self.check_position(position)?;
        let value = self
            .events
            .get(position)
            .map_err(fault)?
            .ok_or(ReadError::Damaged(Damage::MissingEvent(position)))?;
        Ok(value.value().to_vec())
    }

    /// The position of the event with `id`, if there is one.
    pub fn position_of(&self, id: Uuid) -> Result<Option<u64>, ReadError> {
        let found = self
            .ids
            .get(id.as_u128())
            .map_err(fault)?
            .map(|value| value.value().0);
        Ok(found.filter(|position| *position < self.size))
    }

    /// Call `visit` with each event from `from` on, in order, until it returns false.
    pub fn for_each_event(
        &self,
        from: u64,
        mut visit: impl FnMut(u64, &[u8]) -> bool,
    ) -> Result<(), ReadError> {
        for entry in self.events.range(from..self.size).map_err(fault)? {
            let (key, value) = entry.map_err(fault)?;
            if !visit(key.value(), value.value()) {
                break;
            }
        }
        Ok(())
    }

    /// The RFC 9162 inclusion proof of event `position` in the ledger of `size` events.
    pub fn inclusion_proof(&self, position: u64, size: u64) -> Result<Vec<Hash>, ReadError> {
        self.check_size(size)?;
        merkle::inclusion_proof(&self.nodes, position, size)
            .map_err(|error| proof_error(error, OutOfRange::NotInTree { position, size }))
    }

    /// The RFC 9162 consistency proof from size `old_size` to `new_size`.
    pub fn consistency_proof(&self, old_size: u64, new_size: u64) -> Result<Vec<Hash>, ReadError> {
        self.check_size(new_size)?;
        merkle::consistency_proof(&self.nodes, old_size, new_size).map_err(|error| {
            proof_error(error, OutOfRange::NoConsistencyProof { old_size, new_size })
        })
    }

    /// The stored hash of the bearer token `id`, if it was issued and not revoked.
    pub fn token_hash(&self, id: Uuid) -> Result<Option<[u8; 32]>, ReadError> {
        let table = match self.read.open_table(TOKENS) {
            Ok(table) => table,
            // A ledger file from before tokens existed has no table: no token is issued.
            Err(redb::TableError::TableDoesNotExist(_)) => return Ok(None),
            Err(error) => return Err(table_fault(error).into()),
        };
        Ok(table
            .get(id.as_u128())
            .map_err(fault)?
            .map(|value| value.value()))
    }

    /// The request recorded under `id` (`SideWrite::RecordRequest`): the position of its first
    /// event, how many events it appended, and the digest of who asked what.
    pub fn request(&self, id: Uuid) -> Result<Option<(u64, u32, [u8; 32])>, ReadError> {
        let table = match self.read.open_table(REQUESTS) {
            Ok(table) => table,
            // A ledger written before requests were recorded has no table.
            Err(redb::TableError::TableDoesNotExist(_)) => return Ok(None),
            Err(error) => return Err(table_fault(error).into()),
        };
        Ok(table
            .get(id.as_u128())
            .map_err(fault)?
            .map(|value| value.value())
            .filter(|(position, _, _)| *position < self.size))
    }

    /// Every stored checkpoint, by size, oldest first.
    pub fn checkpoints(&self) -> Result<Vec<(u64, String)>, ReadError> {
        let table = self.read.open_table(CHECKPOINTS).map_err(table_fault)?;
        let mut all = Vec::new();
        for entry in table.iter().map_err(fault)? {
            let (key, value) = entry.map_err(fault)?;
            all.push((key.value(), value.value().to_owned()));
        }
        Ok(all)
    }

    /// A check of the stored Merkle nodes against the nodes a verifier computes from the
    /// events as it reads them (`LedgerVerifier::push_prepared_with_nodes`): the nodes are
    /// read once, in order, level by level side by side, in the same pass as the events.
    pub fn node_check(&self) -> Result<NodeCheck<'_>, ReadError> {
        Ok(NodeCheck {
            table: &self.nodes.table,
            levels: Vec::new(),
            first_leaf: None,
            first_node: None,
            failed: None,
        })
    }

    /// Check every stored Merkle node: each leaf is the hash of its event, each higher node
    /// the hash of its two children, and there are exactly as many as the size implies. One
    /// sequential pass per level. What is wrong is `ReadError::Damaged`; a verification takes
    /// it as `ReadError::node_damage` says it.
    pub fn check_stored_nodes(&self) -> Result<(), ReadError> {
        let damaged = |damage: Damage| Err(ReadError::Damaged(damage));
        let table = &self.nodes.table;
        let mut leaves = table.range((0u8, 0u64)..(0u8, self.size)).map_err(fault)?;
        for entry in self.events.range(0..self.size).map_err(fault)? {
            let (position, bytes) = entry.map_err(fault)?;
            let position = position.value();
            let stored = match leaves.next() {
                Some(entry) => entry.map_err(fault)?.1.value(),
                None => {
                    return damaged(Damage::MissingNode {
                        level: 0,
                        index: position,
                    });
                }
            };
            if Hash(stored) != leaf_hash(bytes.value()) {
                return damaged(Damage::WrongLeaf(position));
            }
        }
        let mut width = self.size;
        for level in 1u8..64 {
            width /= 2;
            if width == 0 {
                break;
            }
            let mut children = table
                .range((level - 1, 0u64)..(level - 1, 2 * width))
                .map_err(fault)?;
            let parents = table.range((level, 0u64)..(level, width)).map_err(fault)?;
            let mut count = 0u64;
            let mut taken = 0u64;
            for entry in parents {
                let (key, parent) = entry.map_err(fault)?;
                let (_, index) = key.value();
                let mut child = || -> Result<Hash, ReadError> {
                    let next = taken;
                    taken += 1;
                    match children.next() {
                        Some(entry) => Ok(Hash(entry.map_err(fault)?.1.value())),
                        None => Err(ReadError::Damaged(Damage::MissingNode {
                            level: level - 1,
                            index: next,
                        })),
                    }
                };
                let (left, right) = (child()?, child()?);
                if index != count
                    || Hash(parent.value()) != kaohe_ledger::hash::node_hash(&left, &right)
                {
                    return damaged(Damage::WrongNode { level, index });
                }
                count += 1;
            }
            if count != width {
                return damaged(Damage::NodeCount {
                    level,
                    count,
                    expected: width,
                });
            }
        }
        // A tree of n leaves has 2n - popcount(n) perfect-subtree nodes; more means stray nodes.
        let expected = 2 * self.size - u64::from(self.size.count_ones());
        let count = table.len().map_err(fault)?;
        if count != expected {
            return damaged(Damage::StrayNodes { count, expected });
        }
        Ok(())
    }
}
