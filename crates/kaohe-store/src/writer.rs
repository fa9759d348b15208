//! The one writer thread: takes every queued append, folds them into one write transaction,
//! commits it durably (two-phase, immediate), and only then answers each appender.

use std::sync::atomic::Ordering;
use std::sync::mpsc::Receiver;

use kaohe_ledger::Hash;
use kaohe_ledger::event::{EventDraft, EventError, ParsedEvent, SealedEvent};
use kaohe_ledger::merkle::Frontier;
use redb::{Database, ReadableTable, WriteTransaction};
use tokio::sync::oneshot;

use crate::error::{Fault, GenesisError, Misfit, fault};
use crate::tables::{
    CHECKPOINTS, EVENT_IDS, EVENTS, MERKLE_NODES, META, META_FORMAT_VERSION, REQUESTS, TOKENS,
};
use crate::{AppendError, Appended, Clock, OpenError, STORE_FORMAT_VERSION, Stats, StoreOptions};

type Reply<T> = oneshot::Sender<Result<T, AppendError>>;

/// What the appender of a batch is answered.
pub(crate) type BatchAnswer = Result<Vec<Appended>, AppendError>;

/// The most events one request may append together.
pub const BATCH_EVENTS_MAX: usize = 256;

/// Where a batch of drafts may land.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expect {
    /// At position `n`: the ledger must hold exactly `n` events when the writer reaches the
    /// batch, or the batch is refused (`AppendError::HeadMoved`) and nothing of it appended.
    Size(u64),
    /// Wherever the ledger ends when the writer reaches it.
    Any,
}

/// A write outside the ledger that goes into the same transaction as a batch of events.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SideWrite {
    /// Keep the hash of a bearer token's secret under the token's id.
    PutToken {
        /// The token id (named by its `token_issued` event).
        id: uuid::Uuid,
        /// The BLAKE3 hash of the secret.
        hash: [u8; 32],
    },
    /// Forget a token's hash (its `token_revoked` event is in the same batch).
    RemoveToken {
        /// The token id.
        id: uuid::Uuid,
    },
    /// Remember a request by its id: where its events start, how many there are, and a digest
    /// of who asked what, so that a retry is answered without deciding it again.
    RecordRequest {
        /// The request id (the id of its first event).
        id: uuid::Uuid,
        /// The digest of who asked what.
        digest: [u8; 32],
    },
}

/// One unit of work for the writer.
pub(crate) enum Request {
    /// Events appended together, at consecutive positions, or not at all.
    Append {
        drafts: Vec<(EventDraft, Hash)>,
        expect: Expect,
        side: Vec<SideWrite>,
        reply: Reply<Vec<Appended>>,
    },
    Checkpoint {
        size: u64,
        note_text: String,
        reply: Reply<()>,
    },
    /// Events sealed elsewhere (a mirrored ledger's), appended byte for byte, all or none.
    Sealed {
        events: Vec<(ParsedEvent, Vec<u8>, Hash)>,
        reply: Reply<u64>,
    },
}

impl Request {
    /// Check the drafts on the caller's thread (schema validation is the costly part, and it
    /// runs in parallel there), then build the request.
    pub(crate) fn append(
        drafts: Vec<EventDraft>,
        expect: Expect,
        side: Vec<SideWrite>,
    ) -> Result<(Request, oneshot::Receiver<BatchAnswer>), AppendError> {
        if drafts.is_empty() || drafts.len() > BATCH_EVENTS_MAX {
            return Err(AppendError::BatchSize(drafts.len()));
        }
        let mut checked = Vec::with_capacity(drafts.len());
        for draft in drafts {
            draft.check()?;
            if draft.event_type == "ledger_created" {
                return Err(AppendError::Invalid(
                    kaohe_ledger::event::EventError::Schema(
                        "/type: only event 0 may create the ledger".into(),
                    ),
                ));
            }
            let digest = draft.content_digest()?;
            checked.push((draft, digest));
        }
        let (reply, receiver) = oneshot::channel();
        Ok((
            Request::Append {
                drafts: checked,
                expect,
                side,
                reply,
            },
            receiver,
        ))
    }

    /// Check sealed events on the caller's thread (each as a stored event is checked), then
    /// build the request.
    pub(crate) fn sealed(
        events: Vec<Vec<u8>>,
    ) -> Result<(Request, oneshot::Receiver<Result<u64, AppendError>>), AppendError> {
        if events.is_empty() || events.len() > BATCH_EVENTS_MAX * 4 {
            return Err(AppendError::BatchSize(events.len()));
        }
        let mut checked = Vec::with_capacity(events.len());
        for bytes in events {
            let parsed = kaohe_ledger::event::parse_event(&bytes)?;
            let digest = parsed.content_digest();
            checked.push((parsed, bytes, digest));
        }
        let (reply, receiver) = oneshot::channel();
        Ok((
            Request::Sealed {
                events: checked,
                reply,
            },
            receiver,
        ))
    }

    pub(crate) fn checkpoint(
        size: u64,
        note_text: String,
    ) -> (Request, oneshot::Receiver<Result<(), AppendError>>) {
        let (reply, receiver) = oneshot::channel();
        (
            Request::Checkpoint {
                size,
                note_text,
                reply,
            },
            receiver,
        )
    }
}

/// What the writer knows of the ledger's end.
#[derive(Clone)]
pub(crate) struct WriterState {
    frontier: Frontier,
    last_leaf: Hash,
    last_recorded: Option<jiff::Timestamp>,
    time_zone: jiff::tz::TimeZone,
}

impl WriterState {
    pub(crate) fn empty(time_zone: jiff::tz::TimeZone) -> Self {
        WriterState {
            frontier: Frontier::new(),
            last_leaf: Hash::ZERO,
            last_recorded: None,
            time_zone,
        }
    }

    pub(crate) fn resume(
        frontier: Frontier,
        last_leaf: Hash,
        last_recorded: jiff::Timestamp,
        time_zone: jiff::tz::TimeZone,
    ) -> Self {
        WriterState {
            frontier,
            last_leaf,
            last_recorded: Some(last_recorded),
            time_zone,
        }
    }

    /// Seal `draft` as the next event: its position, the chain link, and a recording time that
    /// never goes back even if the clock does.
    pub(crate) fn seal_next(
        &mut self,
        draft: &EventDraft,
        clock: &Clock,
    ) -> Result<SealedEvent, EventError> {
        let now = clock()
            .round(jiff::Unit::Millisecond)
            .unwrap_or_else(|_| clock());
        let recorded = match self.last_recorded {
            Some(last) if last > now => last,
            _ => now,
        };
        let text = recorded
            .to_zoned(self.time_zone.clone())
            .strftime("%Y-%m-%dT%H:%M:%S%.3f%:z")
            .to_string();
        let sealed = draft.seal(self.frontier.size(), &self.last_leaf, &text)?;
        self.last_recorded = Some(recorded);
        Ok(sealed)
    }

    /// Move past a sealed event without writing it: what sealing the next one needs.
    fn advance(&mut self, sealed: &SealedEvent) {
        self.frontier.push(sealed.leaf, |_, _, _| {});
        self.last_leaf = sealed.leaf;
    }

    /// Put a sealed event and the Merkle nodes it completes into the transaction.
    fn insert(
        &mut self,
        txn: &WriteTransaction,
        sealed: &SealedEvent,
        digest: &Hash,
    ) -> Result<(), Fault> {
        debug_assert_eq!(sealed.position, self.frontier.size());
        let mut events = txn.open_table(EVENTS).map_err(fault)?;
        let mut ids = txn.open_table(EVENT_IDS).map_err(fault)?;
        let mut nodes = txn.open_table(MERKLE_NODES).map_err(fault)?;
        events
            .insert(sealed.position, sealed.bytes.as_slice())
            .map_err(fault)?;
        ids.insert(sealed.id.as_u128(), (sealed.position, digest.0))
            .map_err(fault)?;
        let mut result = Ok(());
        self.frontier.push(sealed.leaf, |level, index, hash| {
            if result.is_ok()
                && let Err(error) = nodes.insert((level, index), hash.0)
            {
                result = Err(fault(error));
            }
        });
        result?;
        self.last_leaf = sealed.leaf;
        Ok(())
    }
}

pub(crate) fn begin(db: &Database) -> Result<WriteTransaction, Fault> {
    let mut txn = db.begin_write().map_err(fault)?;
    // Immediate durability is redb's default; two-phase commit closes the window in which a
    // torn commit slot could be taken for valid.
    txn.set_durability(redb::Durability::Immediate)
        .map_err(fault)?;
    txn.set_two_phase_commit(true);
    Ok(txn)
}

/// Write event 0 and the format version in the ledger's first commit.
pub(crate) fn write_first(
    db: &Database,
    state: &mut WriterState,
    sealed: &SealedEvent,
    draft: &EventDraft,
) -> Result<(), OpenError> {
    let digest = draft
        .content_digest()
        .map_err(|error| OpenError::InvalidGenesis(GenesisError::Event(error)))?;
    let txn = begin(db)?;
    {
        let mut meta = txn.open_table(META).map_err(fault)?;
        meta.insert(META_FORMAT_VERSION, STORE_FORMAT_VERSION)
            .map_err(fault)?;
        // Create every table so that readers of a new ledger find them all.
        txn.open_table(CHECKPOINTS).map_err(fault)?;
        txn.open_table(TOKENS).map_err(fault)?;
    }
    state.insert(&txn, sealed, &digest)?;
    txn.commit().map_err(fault)?;
    Ok(())
}

/// The writer loop: runs until every sender is gone.
pub(crate) fn run(
    db: &Database,
    mut state: WriterState,
    receiver: &Receiver<Request>,
    stats: &Stats,
    options: &StoreOptions,
) {
    while let Ok(first) = receiver.recv() {
        let mut batch = vec![first];
        while batch.len() < options.commit_requests_max {
            match receiver.try_recv() {
                Ok(request) => batch.push(request),
                Err(_) => break,
            }
        }
        commit_batch(db, &mut state, batch, stats, &options.clock);
    }
}

/// An answer owed to one request of a commit, sent only once the commit is durable.
enum Answer {
    Append(Reply<Vec<Appended>>, Result<Vec<Appended>, AppendError>),
    Sealed(Reply<u64>, Result<u64, AppendError>),
    Checkpoint(Reply<()>, Result<(), AppendError>),
}

impl Answer {
    /// Send the answer kept for a durable commit.
    fn send(self) {
        // An appender that stopped waiting does not undo a durable append.
        match self {
            Answer::Append(reply, result) => drop(reply.send(result)),
            Answer::Checkpoint(reply, result) => drop(reply.send(result)),
            Answer::Sealed(reply, result) => drop(reply.send(result)),
        }
    }

    /// Send `error` instead: the commit failed, so nothing of it is in the ledger.
    fn fail(self, error: &AppendError) {
        match self {
            Answer::Append(reply, _) => drop(reply.send(Err(error.clone()))),
            Answer::Checkpoint(reply, _) => drop(reply.send(Err(error.clone()))),
            Answer::Sealed(reply, _) => drop(reply.send(Err(error.clone()))),
        }
    }
}

/// Why one request of a commit was not written.
enum NotWritten {
    /// The request is refused, before anything of it was put in the transaction; the commit
    /// goes on without it.
    Refused(AppendError),
    /// The transaction failed: nothing of the commit will be written.
    Failed(Fault),
}

impl From<Fault> for NotWritten {
    fn from(fault: Fault) -> Self {
        NotWritten::Failed(fault)
    }
}

/// What a request's writes came to inside a commit's transaction.
type Written<T> = Result<T, NotWritten>;

/// Split what a request came to into the answer it is owed if the commit goes through, or the
/// failure that ends the commit.
fn settle<T>(written: Written<T>) -> Result<Result<T, AppendError>, Fault> {
    match written {
        Ok(value) => Ok(Ok(value)),
        Err(NotWritten::Refused(error)) => Ok(Err(error)),
        Err(NotWritten::Failed(fault)) => Err(fault),
    }
}

fn commit_batch(
    db: &Database,
    state: &mut WriterState,
    batch: Vec<Request>,
    stats: &Stats,
    clock: &Clock,
) {
    let before = state.clone();
    let mut answers = Vec::with_capacity(batch.len());
    let mut created = 0u64;
    let mut pending = batch.into_iter();
    let outcome = (|| -> Result<(), Fault> {
        let txn = begin(db)?;
        for request in pending.by_ref() {
            match request {
                Request::Append {
                    drafts,
                    expect,
                    side,
                    reply,
                } => {
                    let written = append_batch(&txn, state, &drafts, expect, &side, clock);
                    let result = match settle(written) {
                        Ok(result) => result,
                        Err(fault) => {
                            // Answered below, with every other request, with the failure.
                            answers.push(Answer::Append(reply, Err(AppendError::Closed)));
                            return Err(fault);
                        }
                    };
                    if let Ok(appended) = &result {
                        created += appended.iter().filter(|one| one.created).count() as u64;
                    }
                    answers.push(Answer::Append(reply, result));
                }
                Request::Checkpoint {
                    size,
                    note_text,
                    reply,
                } => {
                    answers.push(Answer::Checkpoint(reply, Ok(())));
                    let mut table = txn.open_table(CHECKPOINTS).map_err(fault)?;
                    table.insert(size, note_text.as_str()).map_err(fault)?;
                }
                Request::Sealed { events, reply } => {
                    let written = append_sealed(&txn, state, &events);
                    let result = match settle(written) {
                        Ok(result) => result,
                        Err(fault) => {
                            // Answered below, with every other request, with the failure.
                            answers.push(Answer::Sealed(reply, Err(AppendError::Closed)));
                            return Err(fault);
                        }
                    };
                    if let Ok(size) = &result {
                        created += events.len() as u64;
                        debug_assert_eq!(*size, state.frontier.size());
                    }
                    answers.push(Answer::Sealed(reply, result));
                }
            }
        }
        txn.commit().map_err(fault)?;
        Ok(())
    })();
    match outcome {
        Ok(()) => {
            stats.commits.fetch_add(1, Ordering::Relaxed);
            stats.appended.fetch_add(created, Ordering::Relaxed);
            answers.into_iter().for_each(Answer::send);
        }
        Err(fault) => {
            // Nothing of this batch is in the ledger: forget it and tell every appender,
            // including those whose requests were never reached, why.
            *state = before;
            let error = AppendError::from(fault);
            for request in pending {
                match request {
                    Request::Append { reply, .. } => drop(reply.send(Err(error.clone()))),
                    Request::Checkpoint { reply, .. } => drop(reply.send(Err(error.clone()))),
                    Request::Sealed { reply, .. } => drop(reply.send(Err(error.clone()))),
                }
            }
            for answer in answers {
                answer.fail(&error);
            }
        }
    }
}

/// One request's events inside the commit's transaction, all or none: refused alone, before
/// anything of it was inserted, or failing the whole commit.
fn append_batch(
    txn: &WriteTransaction,
    state: &mut WriterState,
    drafts: &[(EventDraft, Hash)],
    expect: Expect,
    side: &[SideWrite],
    clock: &Clock,
) -> Written<Vec<Appended>> {
    // A retry of the whole request is answered from the ledger; a request that reuses any id
    // with other content, or only some of its ids, is a conflict.
    let mut existing = Vec::with_capacity(drafts.len());
    {
        let ids = txn.open_table(EVENT_IDS).map_err(fault)?;
        for (draft, digest) in drafts {
            let found = ids
                .get(draft.id.as_u128())
                .map_err(fault)?
                .map(|value| value.value());
            if let Some((position, stored_digest)) = found
                && stored_digest != digest.0
            {
                return Err(NotWritten::Refused(AppendError::Conflict {
                    id: draft.id,
                    position,
                }));
            }
            existing.push(found.map(|(position, _)| position));
        }
    }
    if existing.iter().all(Option::is_some) {
        let nodes = txn.open_table(MERKLE_NODES).map_err(fault)?;
        let mut answers = Vec::with_capacity(drafts.len());
        for ((draft, _), position) in drafts.iter().zip(existing) {
            let position = position.expect("all found");
            let leaf = nodes
                .get((0u8, position))
                .map_err(fault)?
                .map(|value| Hash(value.value()))
                .ok_or(Fault::Damaged(crate::Damage::MissingNode {
                    level: 0,
                    index: position,
                }))?;
            answers.push(Appended {
                position,
                id: draft.id,
                leaf,
                created: false,
            });
        }
        return Ok(answers);
    }
    if let Some(((draft, _), Some(position))) = drafts
        .iter()
        .zip(&existing)
        .find(|(_, position)| position.is_some())
    {
        return Err(NotWritten::Refused(AppendError::Conflict {
            id: draft.id,
            position: *position,
        }));
    }
    let size = state.frontier.size();
    if let Expect::Size(expected) = expect
        && expected != size
    {
        return Err(NotWritten::Refused(AppendError::HeadMoved {
            expected,
            actual: size,
        }));
    }
    // Seal every event before inserting any, so that a refusal leaves nothing behind.
    let mut sealing = state.clone();
    let mut sealed = Vec::with_capacity(drafts.len());
    for (draft, digest) in drafts {
        let one = sealing
            .seal_next(draft, clock)
            .map_err(|error| NotWritten::Refused(error.into()))?;
        sealing.advance(&one);
        sealed.push((one, digest));
    }
    let mut next = state.clone();
    next.last_recorded = sealing.last_recorded;
    let mut answers = Vec::with_capacity(sealed.len());
    for (one, digest) in &sealed {
        next.insert(txn, one, digest)?;
        answers.push(Appended {
            position: one.position,
            id: one.id,
            leaf: one.leaf,
            created: true,
        });
    }
    for write in side {
        match write {
            SideWrite::PutToken { id, hash } => {
                let mut tokens = txn.open_table(TOKENS).map_err(fault)?;
                tokens.insert(id.as_u128(), *hash).map_err(fault)?;
            }
            SideWrite::RemoveToken { id } => {
                let mut tokens = txn.open_table(TOKENS).map_err(fault)?;
                tokens.remove(id.as_u128()).map_err(fault)?;
            }
            SideWrite::RecordRequest { id, digest } => {
                let mut requests = txn.open_table(REQUESTS).map_err(fault)?;
                let first = answers.first().map_or(0, |appended| appended.position);
                requests
                    .insert(id.as_u128(), (first, answers.len() as u32, *digest))
                    .map_err(fault)?;
            }
        }
    }
    *state = next;
    Ok(answers)
}

/// Events sealed elsewhere, inside the commit's transaction, all or none: each must stand at
/// the next position, link to the event before it, keep recording times from going back, and
/// use an id not yet in the ledger. Refused alone, before anything of it was inserted, or
/// failing the whole commit.
fn append_sealed(
    txn: &WriteTransaction,
    state: &mut WriterState,
    events: &[(ParsedEvent, Vec<u8>, Hash)],
) -> Written<u64> {
    let refused = |misfit: Misfit| Err(NotWritten::Refused(AppendError::NotAnExtension(misfit)));
    let mut next = state.clone();
    let mut sealed = Vec::with_capacity(events.len());
    {
        let ids = txn.open_table(EVENT_IDS).map_err(fault)?;
        for (offset, (parsed, bytes, _)) in events.iter().enumerate() {
            let position = state.frontier.size() + offset as u64;
            if parsed.position != position {
                return refused(Misfit::Position {
                    position,
                    stated: parsed.position,
                });
            }
            if parsed.event_type == "ledger_created" {
                return refused(Misfit::Genesis(position));
            }
            let previous = sealed
                .last()
                .map_or(state.last_leaf, |last: &SealedEvent| last.leaf);
            if parsed.previous_hash != previous {
                return refused(Misfit::Link(position));
            }
            let before = sealed
                .len()
                .checked_sub(1)
                .map_or(state.last_recorded, |index| {
                    Some(events[index].0.recorded_time)
                });
            if before.is_some_and(|before| parsed.recorded_time < before) {
                return refused(Misfit::RecordedTime(position));
            }
            if ids.get(parsed.id.as_u128()).map_err(fault)?.is_some() {
                return refused(Misfit::ReusedId {
                    position,
                    id: parsed.id,
                });
            }
            sealed.push(SealedEvent {
                position,
                id: parsed.id,
                bytes: bytes.clone(),
                leaf: kaohe_ledger::hash::leaf_hash(bytes),
            });
        }
    }
    for (one, (parsed, _, digest)) in sealed.iter().zip(events) {
        next.insert(txn, one, digest)?;
        next.last_recorded = Some(parsed.recorded_time);
    }
    *state = next;
    Ok(state.frontier.size())
}
