//! The one writer thread: takes every queued append, folds them into one write transaction,
//! commits it durably (two-phase, immediate), and only then answers each appender.

use std::sync::atomic::Ordering;
use std::sync::mpsc::Receiver;

use kaohe_ledger::Hash;
use kaohe_ledger::event::{EventDraft, ParsedEvent, SealedEvent};
use kaohe_ledger::merkle::Frontier;
use redb::{Database, ReadableTable, WriteTransaction};
use tokio::sync::oneshot;

use crate::tables::{
    CHECKPOINTS, EVENT_IDS, EVENTS, MERKLE_NODES, META, META_FORMAT_VERSION, TOKENS,
};
use crate::{AppendError, Appended, Clock, STORE_FORMAT_VERSION, Stats, StoreOptions, storage};

type Reply<T> = oneshot::Sender<Result<T, AppendError>>;

/// What the appender of a batch is answered.
pub(crate) type BatchAnswer = Result<Vec<Appended>, AppendError>;

/// The most events one request may append together.
pub const BATCH_EVENTS_MAX: usize = 256;

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
}

/// One unit of work for the writer.
pub(crate) enum Request {
    /// Events appended together, at consecutive positions, or not at all.
    Append {
        drafts: Vec<(EventDraft, Hash)>,
        expected_size: Option<u64>,
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
        expected_size: Option<u64>,
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
                expected_size,
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
    ) -> Result<SealedEvent, AppendError> {
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
    ) -> Result<(), String> {
        debug_assert_eq!(sealed.position, self.frontier.size());
        let mut events = txn.open_table(EVENTS).map_err(storage)?;
        let mut ids = txn.open_table(EVENT_IDS).map_err(storage)?;
        let mut nodes = txn.open_table(MERKLE_NODES).map_err(storage)?;
        events
            .insert(sealed.position, sealed.bytes.as_slice())
            .map_err(storage)?;
        ids.insert(sealed.id.as_u128(), (sealed.position, digest.0))
            .map_err(storage)?;
        let mut result = Ok(());
        self.frontier.push(sealed.leaf, |level, index, hash| {
            if result.is_ok()
                && let Err(error) = nodes.insert((level, index), hash.0)
            {
                result = Err(storage(error));
            }
        });
        result?;
        self.last_leaf = sealed.leaf;
        Ok(())
    }
}

pub(crate) fn begin(db: &Database) -> Result<WriteTransaction, String> {
    let mut txn = db.begin_write().map_err(storage)?;
    // Immediate durability is redb's default; two-phase commit closes the window in which a
    // torn commit slot could be taken for valid.
    txn.set_durability(redb::Durability::Immediate)
        .map_err(storage)?;
    txn.set_two_phase_commit(true);
    Ok(txn)
}

/// Write event 0 and the format version in the ledger's first commit.
pub(crate) fn write_first(
    db: &Database,
    state: &mut WriterState,
    sealed: &SealedEvent,
    draft: &EventDraft,
) -> Result<(), String> {
    let txn = begin(db)?;
    {
        let mut meta = txn.open_table(META).map_err(storage)?;
        meta.insert(META_FORMAT_VERSION, STORE_FORMAT_VERSION)
            .map_err(storage)?;
        // Create every table so that readers of a new ledger find them all.
        txn.open_table(CHECKPOINTS).map_err(storage)?;
        txn.open_table(TOKENS).map_err(storage)?;
    }
    let digest = draft.content_digest().map_err(|e| e.to_string())?;
    state.insert(&txn, sealed, &digest)?;
    txn.commit().map_err(storage)
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
        while batch.len() < options.batch_events_max {
            match receiver.try_recv() {
                Ok(request) => batch.push(request),
                Err(_) => break,
            }
        }
        commit_batch(db, &mut state, batch, stats, &options.clock);
    }
}

enum Answer {
    Append(Reply<Vec<Appended>>, Result<Vec<Appended>, AppendError>),
    Sealed(Reply<u64>, Result<u64, AppendError>),
    Checkpoint(Reply<()>, Result<(), AppendError>),
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
    let outcome = (|| -> Result<(), String> {
        let txn = begin(db)?;
        for request in pending.by_ref() {
            match request {
                Request::Append {
                    drafts,
                    expected_size,
                    side,
                    reply,
                } => {
                    let result = append_batch(&txn, state, &drafts, expected_size, &side, clock);
                    let result = match result {
                        Ok(result) => result,
                        Err(error) => {
                            answers.push(Answer::Append(
                                reply,
                                Err(AppendError::Storage(error.clone())),
                            ));
                            return Err(error);
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
                    let mut table = txn.open_table(CHECKPOINTS).map_err(storage)?;
                    table.insert(size, note_text.as_str()).map_err(storage)?;
                    answers.push(Answer::Checkpoint(reply, Ok(())));
                }
                Request::Sealed { events, reply } => {
                    let result = append_sealed(&txn, state, &events)?;
                    if let Ok(size) = &result {
                        created += events.len() as u64;
                        debug_assert_eq!(*size, state.frontier.size());
                    }
                    answers.push(Answer::Sealed(reply, result));
                }
            }
        }
        txn.commit().map_err(storage)
    })();
    match outcome {
        Ok(()) => {
            stats.commits.fetch_add(1, Ordering::Relaxed);
            stats.appended.fetch_add(created, Ordering::Relaxed);
            for answer in answers {
                // An appender that stopped waiting does not undo a durable append.
                match answer {
                    Answer::Append(reply, result) => drop(reply.send(result)),
                    Answer::Checkpoint(reply, result) => drop(reply.send(result)),
                    Answer::Sealed(reply, result) => drop(reply.send(result)),
                }
            }
        }
        Err(error) => {
            // Nothing of this batch is in the ledger: forget it and tell every appender,
            // including those whose requests were never reached.
            *state = before;
            for request in pending {
                answers.push(match request {
                    Request::Append { reply, .. } => {
                        Answer::Append(reply, Err(AppendError::Closed))
                    }
                    Request::Checkpoint { reply, .. } => Answer::Checkpoint(reply, Ok(())),
                    Request::Sealed { reply, .. } => Answer::Sealed(reply, Ok(0)),
                });
            }
            for answer in answers {
                match answer {
                    Answer::Append(reply, _) => {
                        drop(reply.send(Err(AppendError::Storage(error.clone()))))
                    }
                    Answer::Checkpoint(reply, _) => {
                        drop(reply.send(Err(AppendError::Storage(error.clone()))))
                    }
                    Answer::Sealed(reply, _) => {
                        drop(reply.send(Err(AppendError::Storage(error.clone()))))
                    }
                }
            }
        }
    }
}

/// One request's events inside the commit's transaction, all or none. The outer error is a
/// storage failure that aborts the whole commit; the inner one refuses only this request,
/// before anything of it was inserted.
fn append_batch(
    txn: &WriteTransaction,
    state: &mut WriterState,
    drafts: &[(EventDraft, Hash)],
    expected_size: Option<u64>,
    side: &[SideWrite],
    clock: &Clock,
) -> Result<Result<Vec<Appended>, AppendError>, String> {
    // A retry of the whole request is answered from the ledger; a request that reuses any id
    // with other content, or only some of its ids, is a conflict.
    let mut existing = Vec::with_capacity(drafts.len());
    {
        let ids = txn.open_table(EVENT_IDS).map_err(storage)?;
        for (draft, digest) in drafts {
            let found = ids
                .get(draft.id.as_u128())
                .map_err(storage)?
                .map(|value| value.value());
            if let Some((position, stored_digest)) = found
                && stored_digest != digest.0
            {
                return Ok(Err(AppendError::Conflict {
                    id: draft.id,
                    position,
                }));
            }
            existing.push(found.map(|(position, _)| position));
        }
    }
    if existing.iter().all(Option::is_some) {
        let nodes = txn.open_table(MERKLE_NODES).map_err(storage)?;
        let mut answers = Vec::with_capacity(drafts.len());
        for ((draft, _), position) in drafts.iter().zip(existing) {
            let position = position.expect("all found");
            let leaf = nodes
                .get((0u8, position))
                .map_err(storage)?
                .map(|value| Hash(value.value()))
                .ok_or_else(|| format!("the leaf of event {position} is missing"))?;
            answers.push(Appended {
                position,
                id: draft.id,
                leaf,
                created: false,
            });
        }
        return Ok(Ok(answers));
    }
    if let Some(((draft, _), Some(position))) = drafts
        .iter()
        .zip(&existing)
        .find(|(_, position)| position.is_some())
    {
        return Ok(Err(AppendError::Conflict {
            id: draft.id,
            position: *position,
        }));
    }
    let size = state.frontier.size();
    if let Some(expected) = expected_size
        && expected != size
    {
        return Ok(Err(AppendError::HeadMoved {
            expected,
            actual: size,
        }));
    }
    // Seal every event before inserting any, so that a refusal leaves nothing behind.
    let mut sealing = state.clone();
    let mut sealed = Vec::with_capacity(drafts.len());
    for (draft, digest) in drafts {
        match sealing.seal_next(draft, clock) {
            Ok(one) => {
                sealing.advance(&one);
                sealed.push((one, digest));
            }
            Err(error) => return Ok(Err(error)),
        }
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
    if !side.is_empty() {
        let mut tokens = txn.open_table(TOKENS).map_err(storage)?;
        for write in side {
            match write {
                SideWrite::PutToken { id, hash } => {
                    tokens.insert(id.as_u128(), *hash).map_err(storage)?;
                }
                SideWrite::RemoveToken { id } => {
                    tokens.remove(id.as_u128()).map_err(storage)?;
                }
            }
        }
    }
    *state = next;
    Ok(Ok(answers))
}

/// Events sealed elsewhere, inside the commit's transaction, all or none: each must stand at
/// the next position, link to the event before it, keep recording times from going back, and
/// use an id not yet in the ledger. The outer error aborts the commit; the inner one refuses
/// only this request, before anything of it was inserted.
fn append_sealed(
    txn: &WriteTransaction,
    state: &mut WriterState,
    events: &[(ParsedEvent, Vec<u8>, Hash)],
) -> Result<Result<u64, AppendError>, String> {
    let refused = |message: String| Ok(Err(AppendError::NotAnExtension(message)));
    let mut next = state.clone();
    let mut sealed = Vec::with_capacity(events.len());
    {
        let ids = txn.open_table(EVENT_IDS).map_err(storage)?;
        for (offset, (parsed, bytes, _)) in events.iter().enumerate() {
            let position = state.frontier.size() + offset as u64;
            if parsed.position != position {
                return refused(format!(
                    "event {} arrives where event {position} belongs",
                    parsed.position
                ));
            }
            if parsed.event_type == "ledger_created" {
                return refused(format!("event {position} would create the ledger again"));
            }
            let previous = sealed
                .last()
                .map_or(state.last_leaf, |last: &SealedEvent| last.leaf);
            if parsed.previous_hash != previous {
                return refused(format!(
                    "event {position} does not link to the event before it"
                ));
            }
            let before = sealed
                .len()
                .checked_sub(1)
                .map_or(state.last_recorded, |index| {
                    Some(events[index].0.recorded_time)
                });
            if before.is_some_and(|before| parsed.recorded_time < before) {
                return refused(format!(
                    "event {position} was recorded before the one before it"
                ));
            }
            if ids.get(parsed.id.as_u128()).map_err(storage)?.is_some() {
                return refused(format!("event {position} reuses the id {}", parsed.id));
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
    Ok(Ok(state.frontier.size()))
}
