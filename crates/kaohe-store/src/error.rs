//! The store's errors: one enum per operation, each variant with its cause kept, and the one
//! place where a failure redb reports is sorted into a full disk, another I/O error, damage
//! found on disk, or another failure of the database. Other crates match on these types
//! without naming a redb type: a redb error reaches them only inside `DatabaseError`.

use std::fmt;
use std::io;
use std::path::PathBuf;
use std::sync::Arc;

use kaohe_ledger::event::EventError;
use kaohe_ledger::verify::{Failure, NodeDamage};
use uuid::Uuid;

use crate::writer::BATCH_EVENTS_MAX;

/// A failure redb reported that is neither an I/O error nor damage, kept whole. Its text is
/// redb's; nothing outside this crate needs its type.
#[derive(Clone, Debug)]
pub struct DatabaseError(Arc<redb::Error>);

impl DatabaseError {
    fn new(error: impl Into<redb::Error>) -> DatabaseError {
        DatabaseError(Arc::new(error.into()))
    }
}

impl fmt::Display for DatabaseError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(formatter)
    }
}

impl std::error::Error for DatabaseError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0.source()
    }
}

/// The database or the file system under it failed: nothing asked of it was done. Clones share
/// the cause, so that every append of a failed commit is answered with the same failure; the
/// source of an I/O error is the `std::io::Error` itself.
#[derive(Clone, Debug)]
pub enum StorageError {
    /// The file system has no room left for the file to grow (ENOSPC, or the user's quota):
    /// writes fail until room is made.
    DiskFull(Arc<io::Error>),
    /// The operating system failed a read, a write, a sync or a change of the file's length.
    Io(Arc<io::Error>),
    /// redb refuses every transaction after an earlier I/O error, until the file is opened
    /// again.
    Stopped,
    /// The database failed otherwise (closed, a poisoned lock, a value beyond its limit).
    Database(DatabaseError),
}

impl fmt::Display for StorageError {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(match self {
            StorageError::DiskFull(_) => "the disk is full",
            StorageError::Io(_) => "an I/O error",
            StorageError::Stopped => {
                "the database stopped after an earlier I/O error; it must be opened again"
            }
            StorageError::Database(_) => "the database failed",
        })
    }
}

impl std::error::Error for StorageError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            // The `io::Error` itself, not its `Arc`, so that callers can downcast to it.
            StorageError::DiskFull(error) | StorageError::Io(error) => Some(error.as_ref()),
            StorageError::Stopped => None,
            StorageError::Database(error) => Some(error),
        }
    }
}

impl StorageError {
    /// An I/O error, sorted by its kind: a full disk is told apart from every other fault.
    pub(crate) fn from_io(error: io::Error) -> StorageError {
        match error.kind() {
            io::ErrorKind::StorageFull | io::ErrorKind::QuotaExceeded => {
                StorageError::DiskFull(Arc::new(error))
            }
            _ => StorageError::Io(Arc::new(error)),
        }
    }
}

/// What was found wrong with a ledger file: damage on disk, or a file no writer of this
/// ledger could have left.
#[derive(Clone, Debug, thiserror::Error)]
pub enum Damage {
    /// Pages redb cannot read as it wrote them (a checksum that fails, a page cut short).
    #[error("the file's pages are damaged")]
    Pages(#[source] DatabaseError),
    /// A table is missing, or is not of the type the ledger's tables have.
    #[error("a table of the ledger is missing or of another type")]
    Table(#[source] DatabaseError),
    /// No storage format version is recorded.
    #[error("no format version")]
    NoFormatVersion,
    /// The ledger holds no event, not even event 0.
    #[error("the ledger has no events")]
    NoEvents,
    /// The id index and the events differ in count.
    #[error("the id index holds {ids} ids for {events} events")]
    IdCount {
        /// The events stored.
        events: u64,
        /// The ids indexed.
        ids: u64,
    },
    /// An event below the ledger's size is missing.
    #[error("event {0} is missing")]
    MissingEvent(u64),
    /// A stored event does not parse.
    #[error("event {position} does not parse")]
    Unparsable {
        /// Its position.
        position: u64,
        /// Why it does not parse.
        #[source]
        source: EventError,
    },
    /// A stored event says it stands at another position.
    #[error("event {position} says it is at {stated}")]
    Misplaced {
        /// Where it is stored.
        position: u64,
        /// Where it says it is.
        stated: u64,
    },
    /// A stored event does not link to the event before it.
    #[error("event {0} does not link to the event before it")]
    BrokenLink(u64),
    /// Event 0 fails the checks made of it.
    #[error("event 0: {0}")]
    Genesis(Failure),
    /// Event 0 names a time zone this system does not know.
    #[error("event 0 names a time zone this system does not know")]
    TimeZone(#[source] jiff::Error),
    /// A Merkle node the ledger's size implies is missing.
    #[error("Merkle node ({level}, {index}) is missing")]
    MissingNode {
        /// Its level.
        level: u8,
        /// Its index within the level.
        index: u64,
    },
    /// The stored leaf hash of an event is not the hash of its bytes.
    #[error("the stored leaf hash of event {0} is not its hash")]
    WrongLeaf(u64),
    /// A stored Merkle node is not the hash of its two children.
    #[error("stored Merkle node ({level}, {index}) is wrong")]
    WrongNode {
        /// Its level.
        level: u8,
        /// Its index within the level.
        index: u64,
    },
    /// A level of the tree holds another number of nodes than the size implies.
    #[error("level {level} has {count} stored nodes, {expected} expected")]
    NodeCount {
        /// The level.
        level: u8,
        /// The nodes stored.
        count: u64,
        /// The nodes the size implies.
        expected: u64,
    },
    /// More Merkle nodes are stored than the size implies.
    #[error("{count} Merkle nodes stored, {expected} expected")]
    StrayNodes {
        /// The nodes stored.
        count: u64,
        /// The nodes the size implies.
        expected: u64,
    },
}

/// A failure inside the store, before it is told as the error of one operation.
#[derive(Clone, Debug)]
pub(crate) enum Fault {
    /// The database or the file system failed.
    Storage(StorageError),
    /// Damage was found.
    Damaged(Damage),
}

/// Sort a failure redb reported: damage it noticed, an I/O error (a full disk apart), an
/// earlier I/O error that stopped it, or anything else.
pub(crate) fn fault(error: impl Into<redb::Error>) -> Fault {
    match error.into() {
        redb::Error::Io(error) => Fault::Storage(StorageError::from_io(error)),
        redb::Error::PreviousIo => Fault::Storage(StorageError::Stopped),
        error @ redb::Error::Corrupted(_) => {
            Fault::Damaged(Damage::Pages(DatabaseError::new(error)))
        }
        other => Fault::Storage(StorageError::Database(DatabaseError::new(other))),
    }
}

/// A table that cannot be opened: missing or of another type is damage, unless the storage
/// under it failed.
pub(crate) fn table_fault(error: redb::TableError) -> Fault {
    match error {
        redb::TableError::Storage(error) => fault(error),
        other => Fault::Damaged(Damage::Table(DatabaseError::new(other))),
    }
}

/// Where a ledger is kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Location {
    /// A ledger file.
    File(PathBuf),
    /// Storage given as a backend (the simulated disk of the fault suites).
    Backend,
}

impl fmt::Display for Location {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::File(path) => path.display().fmt(formatter),
            Location::Backend => formatter.write_str("the given storage"),
        }
    }
}

/// Why a draft cannot be event 0 of a new ledger.
#[derive(Clone, Debug, thiserror::Error)]
pub enum GenesisError {
    /// The draft fails the event checks.
    #[error(transparent)]
    Event(#[from] EventError),
    /// Event 0 must create the ledger.
    #[error("event 0 must be ledger_created, not {event_type}")]
    NotLedgerCreated {
        /// The draft's type.
        event_type: String,
    },
    /// The time zone it names is not a name of the IANA time zone database, spelled as the
    /// database spells it.
    #[error("its time_zone is refused")]
    TimeZone(#[source] kaohe_ledger::genesis::TimeZoneError),
    /// The sealed event fails the checks verification makes of event 0.
    #[error("{0}")]
    Refused(Failure),
}

/// Why a store could not be created or opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// `create` found a ledger already there.
    #[error("a ledger already exists at {0}")]
    AlreadyExists(Location),
    /// `open` found no ledger.
    #[error("no ledger at {0}: create one with `kaohe init`")]
    NotFound(Location),
    /// Another process has the ledger open.
    #[error("the ledger at {0} is open in another process (a running `kaohe serve`?)")]
    InUse(Location),
    /// The first event was refused.
    #[error("event 0 is invalid")]
    InvalidGenesis(#[source] GenesisError),
    /// The stored ledger fails the checks made on opening.
    #[error("the stored ledger is damaged")]
    Damaged(#[source] Damage),
    /// The file was written by a newer or unknown storage format.
    #[error("unsupported storage format version {0}")]
    UnsupportedFormat(u64),
    /// The database or the file system failed.
    #[error("the ledger could not be opened")]
    Storage(#[source] StorageError),
}

impl From<Fault> for OpenError {
    fn from(fault: Fault) -> Self {
        match fault {
            Fault::Storage(error) => OpenError::Storage(error),
            Fault::Damaged(damage) => OpenError::Damaged(damage),
        }
    }
}

/// How sealed events fail to extend the ledger where it ends.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Misfit {
    /// An event that names another position than the next.
    #[error("event {stated} arrives where event {position} belongs")]
    Position {
        /// The next position.
        position: u64,
        /// The position the event names.
        stated: u64,
    },
    /// An event that would create the ledger again.
    #[error("event {0} would create the ledger again")]
    Genesis(u64),
    /// An event that does not link to the one before it.
    #[error("event {0} does not link to the event before it")]
    Link(u64),
    /// An event recorded before the one before it.
    #[error("event {0} was recorded before the one before it")]
    RecordedTime(u64),
    /// An event whose id is already in the ledger.
    #[error("event {position} reuses the id {id}")]
    ReusedId {
        /// Its position.
        position: u64,
        /// The id.
        id: Uuid,
    },
}

/// Why an append was refused or failed; nothing of it was appended.
#[derive(Clone, Debug, thiserror::Error)]
pub enum AppendError {
    /// The draft fails the event checks.
    #[error(transparent)]
    Invalid(#[from] EventError),
    /// The id is taken by an event with other content.
    #[error("event id {id} is already used at position {position} with different content")]
    Conflict {
        /// The id.
        id: Uuid,
        /// Where the existing event stands.
        position: u64,
    },
    /// The batch expected the ledger at a size it no longer has.
    #[error("expected the ledger to have {expected} events, it has {actual}")]
    HeadMoved {
        /// The size the caller expected.
        expected: u64,
        /// The size it has.
        actual: u64,
    },
    /// Sealed events that do not extend the ledger where it ends.
    #[error("not an extension of this ledger: {0}")]
    NotAnExtension(Misfit),
    /// A batch with no events, or more than `BATCH_EVENTS_MAX`.
    #[error("a batch holds 1 to {max} events, not {0}", max = BATCH_EVENTS_MAX)]
    BatchSize(usize),
    /// The commit failed; nothing of it is in the ledger.
    #[error("the commit failed; nothing of it is in the ledger")]
    Storage(#[source] StorageError),
    /// The commit found the file damaged; nothing of it is in the ledger.
    #[error("the commit found the file damaged; nothing of it is in the ledger")]
    Damaged(#[source] Damage),
    /// The store is closing.
    #[error("the store is closed")]
    Closed,
}

impl From<Fault> for AppendError {
    fn from(fault: Fault) -> Self {
        match fault {
            Fault::Storage(error) => AppendError::Storage(error),
            Fault::Damaged(damage) => AppendError::Damaged(damage),
        }
    }
}

/// A position or size beyond what the ledger holds, or sizes no proof joins.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum OutOfRange {
    /// No event stands at the position.
    #[error("no event {position}: the ledger has {size} events")]
    Position {
        /// The position asked for.
        position: u64,
        /// The ledger's size.
        size: u64,
    },
    /// A size beyond the ledger's.
    #[error("the ledger has {size} events, not {asked}")]
    Size {
        /// The size asked for.
        asked: u64,
        /// The ledger's size.
        size: u64,
    },
    /// An inclusion proof of an event beyond the tree it is asked against.
    #[error("event {position} is not in a tree of size {size}")]
    NotInTree {
        /// The event's position.
        position: u64,
        /// The tree's size.
        size: u64,
    },
    /// A consistency proof between sizes no proof joins (from zero, or backwards).
    #[error("no consistency proof from size {old_size} to size {new_size}")]
    NoConsistencyProof {
        /// The older size.
        old_size: u64,
        /// The newer size.
        new_size: u64,
    },
}

/// Why a read failed.
#[derive(Clone, Debug, thiserror::Error)]
pub enum ReadError {
    /// The position or size asked for is beyond the ledger.
    #[error(transparent)]
    OutOfRange(#[from] OutOfRange),
    /// The database or the file system failed.
    #[error("the ledger could not be read")]
    Storage(#[source] StorageError),
    /// The read found the file damaged.
    #[error("the stored ledger is damaged")]
    Damaged(#[source] Damage),
}

impl ReadError {
    /// What a failed `Snapshot::check_stored_nodes` comes to in a verification's verdict: the
    /// node found wrong, pages that do not read as written, or a read that failed. The storage
    /// library's own words stay out of it.
    pub fn node_damage(&self) -> NodeDamage {
        match self {
            ReadError::Damaged(Damage::MissingNode { level, index }) => NodeDamage::Missing {
                level: *level,
                index: *index,
            },
            ReadError::Damaged(Damage::WrongLeaf(position)) => NodeDamage::WrongLeaf(*position),
            ReadError::Damaged(Damage::WrongNode { level, index }) => NodeDamage::WrongNode {
                level: *level,
                index: *index,
            },
            ReadError::Damaged(Damage::NodeCount {
                level,
                count,
                expected,
            }) => NodeDamage::Count {
                level: *level,
                count: *count,
                expected: *expected,
            },
            ReadError::Damaged(Damage::StrayNodes { count, expected }) => NodeDamage::Stray {
                count: *count,
                expected: *expected,
            },
            ReadError::Damaged(_) => NodeDamage::Pages,
            ReadError::Storage(_) | ReadError::OutOfRange(_) => NodeDamage::Unreadable,
        }
    }
}

impl From<Fault> for ReadError {
    fn from(fault: Fault) -> Self {
        match fault {
            Fault::Storage(error) => ReadError::Storage(error),
            Fault::Damaged(damage) => ReadError::Damaged(damage),
        }
    }
}
