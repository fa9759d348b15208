//! The assessment rules over the ledger: a command is decided against the live state under a
//! short lock, and its events (the act and what the rules derive from it) are appended as one
//! batch that lands whole at the position it was decided for, or not at all. The live state is
//! folded from the ledger at start and kept up to date as events are decided; if a commit
//! fails, it is rebuilt from the ledger. Bearer tokens are checked here too.
//!
//! Architecture Invariant: the clock is read here (the time of an act), never in the rules.
//!
//! Architecture Invariant: the live state is folded only from a ledger that verifies: opening
//! checks every event, the chain, the stored checkpoints and Merkle nodes as it folds.

pub mod report;
mod token;

use std::sync::{Arc, RwLock};

use jiff::civil::Date;
use jiff::tz::TimeZone;
use kaohe_assess::state::ApplyError;
use kaohe_assess::views::EventPayloads;
use kaohe_assess::{Act, Command, Fact, Refusal, State, decide};
use kaohe_ledger::Hash;
use kaohe_ledger::event::{CheckedEvent, EventError, ParsedEvent, check_event, parse_event};
use kaohe_ledger::verify::{Anchors, Failure, LedgerCheck, PreparedEvent};
use kaohe_store::{
    AppendError, Clock, Expect, PendingBatch, ReadError, SideWrite, Snapshot, StorageError, Store,
};
use uuid::Uuid;

pub use token::{AuthError, IssuedToken, TOKEN_PREFIX};

/// One event a command appended (or, for a retry, found).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recorded {
    /// Its position.
    pub position: u64,
    /// Its id.
    pub id: Uuid,
    /// Its type.
    pub event_type: String,
    /// Its leaf hash.
    pub leaf: Hash,
}

/// What a command did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Executed {
    /// The events, the act first, then those the rules derived from it.
    pub events: Vec<Recorded>,
    /// False when the request was a retry of one already in the ledger, answered from it.
    pub created: bool,
}

/// Why a command was not recorded. In every case nothing was appended.
#[derive(Debug, thiserror::Error)]
pub enum ExecuteError {
    /// The rules refuse it.
    #[error("{0}")]
    Refused(#[from] Refusal),
    /// A request id must be a UUID version 7.
    #[error("the request id {0} is not a UUID version 7")]
    BadRequestId(Uuid),
    /// The request id was used by another request.
    #[error("request id {0} was already used for a different request")]
    Conflict(Uuid),
    /// An event of the command would break the ledger's format (a text over its schema's
    /// length, say): the command's input is at fault.
    #[error("the event would not be valid")]
    Invalid(#[source] EventError),
    /// The ledger could not take the events now: the commit failed (a full disk, an I/O
    /// error), the store is closing, or an earlier failure moved the head. Trying again is
    /// safe.
    #[error("the ledger could not record it now; nothing was recorded, try again")]
    Unavailable(#[source] AppendError),
    /// The ledger could not be read now (to answer a retry, or to fold the state again after
    /// a failure). Trying again is safe.
    #[error("the ledger could not be read now; nothing was recorded, try again")]
    Unreadable(#[source] ReadError),
    /// The rules cannot fold the ledger as it is stored, though they wrote it: a bug,
    /// reported, never served.
    #[error("internal: the rules cannot fold the stored ledger")]
    Internal(#[source] OpenError),
    /// The work of the command stopped unfinished (it panicked): a bug, reported.
    #[error("internal: the command's work stopped unfinished")]
    Panicked(#[source] tokio::task::JoinError),
}

impl ExecuteError {
    /// The storage failure behind the error, if it is one: a full disk, an I/O error, a
    /// database that stopped. Damage found on disk is not a storage failure.
    pub fn storage(&self) -> Option<&StorageError> {
        match self {
            ExecuteError::Unavailable(AppendError::Storage(error))
            | ExecuteError::Unreadable(ReadError::Storage(error)) => Some(error),
            _ => None,
        }
    }

    /// The error of a batch the ledger refused or could not record.
    fn from_append(error: AppendError) -> ExecuteError {
        match error {
            AppendError::Invalid(invalid) => ExecuteError::Invalid(invalid),
            AppendError::Conflict { id, .. } => ExecuteError::Conflict(id),
            other => ExecuteError::Unavailable(other),
        }
    }

    /// The error of a ledger that could not be read back or folded.
    fn from_open(error: OpenError) -> ExecuteError {
        match error {
            OpenError::Read(error) => ExecuteError::Unreadable(error),
            other => ExecuteError::Internal(other),
        }
    }
}

/// Why the engine could not start, or the events of a ledger could not be read.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// The ledger could not be read.
    #[error("the ledger could not be read")]
    Read(#[from] ReadError),
    /// The ledger fails verification: a damaged or altered file, never to be served.
    #[error("the ledger does not verify ({0}); run `kaohe verify` on the data directory")]
    Damaged(Failure),
    /// A stored event does not parse.
    #[error("event {position} does not parse; run `kaohe verify` on the data directory")]
    Unparsable {
        /// Its position.
        position: u64,
        /// Why it does not parse.
        #[source]
        source: EventError,
    },
    /// The rules cannot fold an event.
    #[error("the rules cannot fold the ledger")]
    Fold(#[source] ApplyError),
    /// Event 0 names a time zone this system does not know.
    #[error("event 0 names a time zone this system does not know")]
    TimeZone(#[source] jiff::Error),
}

struct Live {
    /// The state folded from the ledger and every event decided since, durable or queued.
    state: State,
    /// The size the ledger will have once every queued event is durable.
    size: u64,
    /// One more after each rebuild.
    generation: u64,
    /// Whether the state may hold events the ledger refused: a batch failed and the ledger
    /// could not be read to fold it again. Until a rebuild succeeds, nothing is decided
    /// against the state and it is not to be shown (`Engine::unavailable`).
    stale: bool,
}

struct Inner {
    store: Store,
    clock: Clock,
    zone: TimeZone,
    live: RwLock<Live>,
    /// Whether `Live::stale` is set, readable without the lock (it is set and cleared under it).
    stale: std::sync::atomic::AtomicBool,
    /// The request ids of commands being executed now: a second request with one of them is
    /// a conflict until the first is answered, then a retry answered from the ledger.
    requests: std::sync::Mutex<std::collections::HashSet<Uuid>>,
}

/// A request id held in `Inner::requests` until dropped.
struct InFlight {
    engine: Engine,
    id: Uuid,
}

impl Drop for InFlight {
    fn drop(&mut self) {
        self.engine
            .inner
            .requests
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .remove(&self.id);
    }
}

/// The rules over one open ledger: cheap to clone, shared by every request.
#[derive(Clone)]
pub struct Engine {
    inner: Arc<Inner>,
}

/// Every event of a snapshot, parsed: the one way the events are read for the rules, by the
/// engine, the service and the command line. An event that does not parse is reported by its
/// position (`OpenError::Unparsable`), with advice to run `kaohe verify`.
pub fn read_events(snapshot: &Snapshot) -> Result<Vec<ParsedEvent>, OpenError> {
    let mut events = Vec::with_capacity(snapshot.size() as usize);
    let mut failure = None;
    snapshot.for_each_event(0, |position, bytes| match parse_event(bytes) {
        Ok(event) => {
            events.push(event);
            true
        }
        Err(source) => {
            failure = Some(OpenError::Unparsable { position, source });
            false
        }
    })?;
    match failure {
        Some(failure) => Err(failure),
        None => Ok(events),
    }
}

/// Every event of a snapshot checked in the same pass as `kaohe verify` checks them
/// (canonical form, schema, positions, ids, the hash chain, causes, times, event 0), each
/// handed to `visit` as soon as it passes, then the stored checkpoints and every stored Merkle
/// node: the first thing wrong is reported, naming the first bad event where there is one.
/// Nothing is kept of an event once `visit` returns, so memory follows what `visit` keeps.
pub fn verify_each(
    snapshot: &Snapshot,
    mut visit: impl FnMut(&CheckedEvent<'_>),
) -> Result<(), OpenError> {
    let mut notes: Vec<String> = snapshot
        .checkpoints()?
        .into_iter()
        .map(|(_, text)| text)
        .collect();
    let mut check = LedgerCheck::new(Anchors {
        own: notes.pop(),
        stored: notes,
        ..Anchors::default()
    });
    // The stored Merkle nodes are compared with the nodes the events give, in the same pass.
    let mut nodes = snapshot.node_check()?;
    let read = snapshot.for_each_event(0, |_, bytes| {
        let leaf = kaohe_ledger::hash::leaf_hash(bytes);
        match check_event(bytes) {
            Ok(event) => {
                let prepared = PreparedEvent::of(&event, leaf);
                if !check.push_prepared_with_nodes(&prepared, &mut |level, index, hash| {
                    nodes.node(level, index, hash)
                }) {
                    return false;
                }
                visit(&event);
                true
            }
            Err(error) => {
                check.push_prepared(&PreparedEvent::refused(error, leaf));
                false
            }
        }
    });
    if let Err(error) = read {
        // A read that fails part way is damage at the next event, unless the disk failed.
        match error {
            ReadError::Damaged(damage) => check.fail(Failure {
                check: kaohe_ledger::verify::Check::Positions,
                event: Some(check.size()),
                message: format!("the event cannot be read: {}", chain(&damage)),
            }),
            other => return Err(OpenError::Read(other)),
        }
    }
    let nodes = match nodes.finish(check.size()) {
        Ok(()) => Ok(()),
        Err(error @ ReadError::Damaged(_)) => Err(error.node_damage()),
        Err(other) => return Err(OpenError::Read(other)),
    };
    check.finish(Some(nodes)).map_err(OpenError::Damaged)?;
    Ok(())
}

/// The state folded from the store's events as they are verified, as `verified_state` folds
/// it, with the checks of each event alone made on `threads` threads (`verify_pipelined`):
/// the reader, the checking threads, and the checks against the events before with the fold
/// on this thread, in order. Only the state is kept.
pub fn verified_state_on(store: &Store, threads: usize) -> Result<State, OpenError> {
    if threads <= 1 {
        return verified_state(&store.snapshot()?);
    }
    let snapshot = store.snapshot()?;
    let size = snapshot.size();
    let mut notes: Vec<String> = snapshot
        .checkpoints()?
        .into_iter()
        .map(|(_, text)| text)
        .collect();
    let mut check = LedgerCheck::new(Anchors {
        own: notes.pop(),
        stored: notes,
        ..Anchors::default()
    });
    let mut nodes = snapshot.node_check()?;
    let mut state = State::default();
    let mut folding = Ok(());
    let mut read = Ok(());
    kaohe_ledger::verify::verify_pipelined(
        threads,
        |send| {
            // The reader's own read transaction, cut at the size of the checker's.
            let snapshot = match store.snapshot() {
                Ok(snapshot) => snapshot,
                Err(error) => {
                    read = Err(error);
                    return;
                }
            };
            let mut chunk = kaohe_ledger::verify::EventChunk::default();
            let mut going = true;
            read = snapshot.for_each_event(0, |position, bytes| {
                if position >= size {
                    return false;
                }
                chunk.push(bytes, true);
                if chunk.len() >= START_CHUNK_EVENTS {
                    going = send(std::mem::take(&mut chunk));
                }
                going
            });
            if going && !chunk.is_empty() {
                send(chunk);
            }
        },
        |chunk, prepared| {
            for ((bytes, _), prepared) in chunk.items().zip(&prepared) {
                if !check.push_prepared_with_nodes(prepared, &mut |level, index, hash| {
                    nodes.node(level, index, hash)
                }) {
                    return false;
                }
                if let (Ok(facts), Ok(())) = (&prepared.event, &folding) {
                    folding = state.apply(&Fact::from(&facts.checked(bytes)));
                }
            }
            true
        },
    );
    if let Err(error) = read {
        match error {
            ReadError::Damaged(damage) => check.fail(Failure {
                check: kaohe_ledger::verify::Check::Positions,
                event: Some(check.size()),
                message: format!("the event cannot be read: {}", chain(&damage)),
            }),
            other => return Err(OpenError::Read(other)),
        }
    }
    let nodes = match nodes.finish(check.size()) {
        Ok(()) => Ok(()),
        Err(error @ ReadError::Damaged(_)) => Err(error.node_damage()),
        Err(other) => return Err(OpenError::Read(other)),
    };
    check.finish(Some(nodes)).map_err(OpenError::Damaged)?;
    folding.map_err(OpenError::Fold)?;
    Ok(state)
}

/// Events handed between the threads of the start-up's verification at a time.
const START_CHUNK_EVENTS: usize = 2048;

/// Every event of a snapshot, verified as `verify_each` verifies them, and kept.
pub fn verified_events(snapshot: &Snapshot) -> Result<Vec<ParsedEvent>, OpenError> {
    let mut events = Vec::with_capacity(snapshot.size() as usize);
    verify_each(snapshot, |event| {
        events.push(parse_event(event.bytes).expect("a checked event parses"));
    })?;
    Ok(events)
}

/// The state folded from a snapshot's events as they are verified: only the state is kept,
/// never the events. A ledger that fails verification is `Damaged` even where the rules
/// could not fold an event before the first bad one.
pub fn verified_state(snapshot: &Snapshot) -> Result<State, OpenError> {
    let mut state = State::default();
    let mut folding = Ok(());
    verify_each(snapshot, |event| {
        if folding.is_ok() {
            folding = state.apply(&Fact::from(event));
        }
    })?;
    folding.map_err(OpenError::Fold)?;
    Ok(state)
}

/// The state folded from the leading events of a snapshot for which `take` holds (the first
/// for which it does not ends the fold), each event read and parsed as it is folded and
/// dropped after; and how many were folded.
pub fn fold_while(
    snapshot: &Snapshot,
    mut take: impl FnMut(&CheckedEvent<'_>) -> bool,
) -> Result<(State, u64), OpenError> {
    let mut state = State::default();
    let mut folded = 0u64;
    let mut failure = None;
    snapshot.for_each_event(0, |position, bytes| {
        let event = match check_event(bytes) {
            Ok(event) => event,
            Err(source) => {
                failure = Some(OpenError::Unparsable { position, source });
                return false;
            }
        };
        if !take(&event) {
            return false;
        }
        if let Err(error) = state.apply(&Fact::from(&event)) {
            failure = Some(OpenError::Fold(error));
            return false;
        }
        folded += 1;
        true
    })?;
    match failure {
        Some(failure) => Err(failure),
        None => Ok((state, folded)),
    }
}

/// The payloads of a ledger's events read by id from one snapshot: what a view shows that the
/// state does not keep (the lines of an entry and of its corrections).
pub struct LedgerPayloads {
    snapshot: Option<Snapshot>,
}

impl LedgerPayloads {
    /// The payloads of the events in `snapshot`.
    pub fn of(snapshot: Snapshot) -> LedgerPayloads {
        LedgerPayloads {
            snapshot: Some(snapshot),
        }
    }
}

impl EventPayloads for LedgerPayloads {
    fn payload(&self, id: Uuid) -> Option<serde_json::Value> {
        let snapshot = self.snapshot.as_ref()?;
        let position = snapshot.position_of(id).ok()??;
        let bytes = snapshot.event(position).ok()?;
        let mut event: serde_json::Value = serde_json::from_slice(&bytes).ok()?;
        Some(event["payload"].take())
    }
}

/// An error and its causes on one line, each after a colon, for messages kept as text.
fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

impl Engine {
    /// Fold the ledger into the live state. `clock` gives the time of every act.
    pub fn open(store: Store, clock: Clock) -> Result<Engine, OpenError> {
        let zone = TimeZone::get(&store.genesis().time_zone).map_err(OpenError::TimeZone)?;
        let snapshot = store.snapshot()?;
        let threads = std::thread::available_parallelism().map_or(1, usize::from);
        let state = verified_state_on(&store, threads)?;
        Ok(Engine {
            inner: Arc::new(Inner {
                store,
                clock,
                zone,
                live: RwLock::new(Live {
                    state,
                    size: snapshot.size(),
                    generation: 0,
                    stale: false,
                }),
                stale: std::sync::atomic::AtomicBool::new(false),
                requests: Default::default(),
            }),
        })
    }

    /// The ledger.
    pub fn store(&self) -> &Store {
        &self.inner.store
    }

    /// The organisation's time zone.
    pub fn zone(&self) -> &TimeZone {
        &self.inner.zone
    }

    /// Now, by the engine's clock.
    pub fn now(&self) -> jiff::Timestamp {
        (self.inner.clock)()
    }

    /// A new UUID version 7 whose time is now by the engine's clock, and whose other bits are
    /// random: the id of an act when the client chose none, and the id of a token. Under
    /// `kaohe serve --now` the ids follow the rehearsal's clock, as the acts' times do.
    pub fn new_id(&self) -> Uuid {
        id_at(self.now())
    }

    /// Today in the organisation's zone.
    pub fn today(&self) -> Date {
        self.now().to_zoned(self.inner.zone.clone()).date()
    }

    /// Whether the live state was marked stale by a failed rebuild: a flag read, without
    /// waiting for the lock. When true, `unavailable` says why, or finds the ledger readable
    /// again.
    pub fn may_be_unavailable(&self) -> bool {
        self.inner.stale.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Why the live state is not to be shown or decided against now, if it is not: a batch
    /// failed and the ledger could not be read back to fold the state again, so the state may
    /// hold events the ledger refused. Each call tries that fold again first, so the engine is
    /// available again as soon as the ledger can be read.
    pub fn unavailable(&self) -> Option<ExecuteError> {
        if !self.may_be_unavailable() {
            return None;
        }
        let mut live = self
            .inner
            .live
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        // Another request may have rebuilt it while this one waited for the lock.
        if !live.stale {
            return None;
        }
        self.rebuild_locked(&mut live).err()
    }

    /// Read the live state: everything decided so far, durable or about to be. Check
    /// `unavailable` first: after a storage failure the state may hold refused events.
    pub fn read<R>(&self, read: impl FnOnce(&State) -> R) -> R {
        let live = self
            .inner
            .live
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        read(&live.state)
    }

    /// The state as the ledger stood at the end of `day`: the events recorded by then, folded.
    /// Reads the ledger up to that day; call it off the async threads.
    pub fn state_as_of(&self, day: Date) -> Result<State, OpenError> {
        let snapshot = self.inner.store.snapshot()?;
        let zone = self.inner.zone.clone();
        // Recording times never go back, so the events recorded by the end of `day` are a
        // prefix of the ledger.
        let (state, _) = fold_while(&snapshot, |event| {
            event.recorded_time.to_zoned(zone.clone()).date() <= day
        })?;
        Ok(state)
    }

    /// The payloads of the ledger's events as it stands now, by id: what views read that the
    /// state does not keep.
    pub fn payloads(&self) -> LedgerPayloads {
        LedgerPayloads {
            snapshot: self.inner.store.snapshot().ok(),
        }
    }

    /// Decide `command` by `actor` now and append its events, or refuse it. With a
    /// `request_id` (a UUIDv7 the client chose), a retry of a request already recorded is
    /// answered from the ledger.
    pub async fn execute(
        &self,
        actor: &str,
        command: Command,
        request_id: Option<Uuid>,
    ) -> Result<Executed, ExecuteError> {
        self.execute_with(actor, command, request_id, Vec::new())
            .await
    }

    async fn execute_with(
        &self,
        actor: &str,
        command: Command,
        request_id: Option<Uuid>,
        side: Vec<SideWrite>,
    ) -> Result<Executed, ExecuteError> {
        // Held until the answer is given.
        let mut in_flight = None;
        if let Some(id) = request_id {
            if id.get_version_num() != 7 {
                return Err(ExecuteError::BadRequestId(id));
            }
            if !self
                .inner
                .requests
                .lock()
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .insert(id)
            {
                return Err(ExecuteError::Conflict(id));
            }
            in_flight = Some(InFlight {
                engine: self.clone(),
                id,
            });
            let store = self.inner.store.clone();
            let found = blocking(move || store.snapshot()?.position_of(id))
                .await?
                .map_err(ExecuteError::Unreadable)?;
            if let Some(position) = found {
                let engine = self.clone();
                let actor = actor.to_owned();
                return blocking(move || engine.answer_retry(&actor, &command, id, position))
                    .await?;
            }
        }
        let now = self.now();
        let id = request_id.unwrap_or_else(|| id_at(now));
        let act = Act {
            person_id: actor.into(),
            time: now
                .to_zoned(self.inner.zone.clone())
                .strftime("%Y-%m-%dT%H:%M:%S%:z")
                .to_string(),
        };
        let mut side = side;
        if request_id.is_some() {
            // Remembered with the events, so that a retry is answered without deciding again.
            side.push(SideWrite::RecordRequest {
                id,
                digest: request_digest(actor, &command),
            });
        }
        let engine = self.clone();
        let answer = blocking(move || engine.submit_with(&act, &command, id, side))
            .await??
            .wait()
            .await;
        drop(in_flight);
        answer
    }

    /// Decide `command` by `act` (who, and when by the organisation's clock) against the live
    /// state, with `id` as the act's event id, fold its events into the state and queue them
    /// for the writer as one batch that lands at the size the state stands at, or not at all.
    /// Returns at once, the commit pending: wait on what it returns. This is what `execute`
    /// does once it has the time of the act and an id; a caller that plays many acts (the
    /// demo township) queues them one after another and waits for them together. It takes
    /// the engine's lock and may wait for room in the writer's queue: call it off the async
    /// threads.
    pub fn submit(
        &self,
        act: &Act,
        command: &Command,
        id: Uuid,
    ) -> Result<Submitted, ExecuteError> {
        self.submit_with(act, command, id, Vec::new())
    }

    fn submit_with(
        &self,
        act: &Act,
        command: &Command,
        id: Uuid,
        side: Vec<SideWrite>,
    ) -> Result<Submitted, ExecuteError> {
        // Decide, fold and queue under the lock, so that batches reach the writer in the order
        // they were decided, each expecting the head the one before it leaves.
        let mut live = self
            .inner
            .live
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if live.stale {
            // Never decide against a state that may hold refused events.
            self.rebuild_locked(&mut live)?;
        }
        let drafts = decide(&live.state, command, act, id)?;
        // The drafts are checked as the store checks them (the event schemas, the size)
        // before anything is folded or queued, so that a command the rules accept and the
        // format refuses is answered at once: nothing folded, nothing to fold again, and the
        // batches queued before it keep their place in the live state.
        check_drafts(&drafts)?;
        let events: Vec<(Uuid, String)> = drafts
            .iter()
            .map(|draft| (draft.id, draft.event_type.clone()))
            .collect();
        let expected = live.size;
        for draft in &drafts {
            live.state
                .apply(&Fact::from(draft))
                .expect("an event the rules decided folds into the state");
        }
        match self
            .inner
            .store
            .submit(drafts, Expect::Size(expected), side)
        {
            Ok(pending) => {
                live.size += events.len() as u64;
                Ok(Submitted {
                    engine: self.clone(),
                    pending,
                    events,
                    generation: live.generation,
                })
            }
            Err(error) => {
                // Not queued (the writer stopped): fold the ledger again, still under the lock.
                // A rebuild that cannot read the ledger marks the state stale (`unavailable`
                // says why); the answer is why the batch was refused.
                self.rebuild_locked(&mut live).ok();
                Err(ExecuteError::from_append(error))
            }
        }
    }

    /// Fold the ledger again, unless another failure already did since `generation`.
    fn rebuild(&self, generation: u64) -> Result<(), ExecuteError> {
        let mut live = self
            .inner
            .live
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if live.generation != generation {
            return Ok(());
        }
        self.rebuild_locked(&mut live)
    }

    /// Fold the ledger again. If it cannot be read, the state is marked stale: it may hold
    /// events that were refused, so it is neither shown nor decided against until a later
    /// rebuild succeeds.
    fn rebuild_locked(&self, live: &mut Live) -> Result<(), ExecuteError> {
        let folded = (|| -> Result<(State, u64), ExecuteError> {
            let snapshot = self
                .inner
                .store
                .snapshot()
                .map_err(ExecuteError::Unreadable)?;
            let (state, size) = fold_while(&snapshot, |_| true).map_err(ExecuteError::from_open)?;
            debug_assert_eq!(size, snapshot.size());
            Ok((state, size))
        })();
        live.generation += 1;
        let stale = folded.is_err();
        live.stale = stale;
        self.inner
            .stale
            .store(stale, std::sync::atomic::Ordering::SeqCst);
        let (state, size) = folded?;
        live.state = state;
        live.size = size;
        Ok(())
    }

    /// A request whose id is already in the ledger at `position`: decide it again against the
    /// state just before that event, at that event's time; the same events mean a retry,
    /// answered from the ledger, and anything else a conflict.
    fn answer_retry(
        &self,
        actor: &str,
        command: &Command,
        id: Uuid,
        position: u64,
    ) -> Result<Executed, ExecuteError> {
        let snapshot = self
            .inner
            .store
            .snapshot()
            .map_err(ExecuteError::Unreadable)?;
        // A request recorded with its events is recognised by who asked what, in time that
        // does not depend on the ledger's length; only one that differs (a conflict, or a
        // digest of another build) or that was written before requests were recorded is
        // decided again below.
        if let Some((first, count, digest)) =
            snapshot.request(id).map_err(ExecuteError::Unreadable)?
            && first == position
            && digest == request_digest(actor, command)
        {
            let mut found = Vec::with_capacity(count as usize);
            for at in position..position + u64::from(count) {
                let bytes = snapshot.event(at).map_err(ExecuteError::Unreadable)?;
                let event = check_event(&bytes).map_err(|source| {
                    ExecuteError::from_open(OpenError::Unparsable {
                        position: at,
                        source,
                    })
                })?;
                found.push(Recorded {
                    position: at,
                    id: event.id,
                    event_type: event.event_type.to_owned(),
                    leaf: kaohe_ledger::hash::leaf_hash(&bytes),
                });
            }
            return Ok(Executed {
                events: found,
                created: false,
            });
        }
        let (before, _) = fold_while(&snapshot, |event| event.position < position)
            .map_err(ExecuteError::from_open)?;
        let stored_at = |position: u64| -> Result<Option<(ParsedEvent, Hash)>, ExecuteError> {
            if position >= snapshot.size() {
                return Ok(None);
            }
            let bytes = snapshot.event(position).map_err(ExecuteError::Unreadable)?;
            let event = parse_event(&bytes).map_err(|source| {
                ExecuteError::from_open(OpenError::Unparsable { position, source })
            })?;
            Ok(Some((event, kaohe_ledger::hash::leaf_hash(&bytes))))
        };
        let (stored, _) = stored_at(position)?.ok_or(ExecuteError::Conflict(id))?;
        let act = Act {
            person_id: actor.into(),
            time: stored.value["business_time"]
                .as_str()
                .unwrap_or_default()
                .into(),
        };
        let drafts = decide(&before, command, &act, id).map_err(|_| ExecuteError::Conflict(id))?;
        let mut found = Vec::with_capacity(drafts.len());
        for (offset, draft) in drafts.iter().enumerate() {
            let same = stored_at(position + offset as u64)?
                .filter(|(event, _)| event.id == draft.id)
                .filter(|(event, _)| {
                    draft
                        .content_digest()
                        .is_ok_and(|digest| digest == event.content_digest())
                });
            let Some((event, leaf)) = same else {
                return Err(ExecuteError::Conflict(id));
            };
            found.push(Recorded {
                position: event.position,
                id: event.id,
                event_type: event.event_type.clone(),
                leaf,
            });
        }
        Ok(Executed {
            events: found,
            created: false,
        })
    }
}

/// A command decided, folded into the live state and queued for the writer: wait on it for
/// the answer, given once its commit is durable. If the batch fails, waiting folds the live
/// state again from the ledger before it answers.
#[must_use = "a submitted command is answered only once waited on"]
pub struct Submitted {
    engine: Engine,
    pending: PendingBatch,
    /// Each event's id and type, the act first.
    events: Vec<(Uuid, String)>,
    /// The live state's generation when the batch was queued.
    generation: u64,
}

impl Submitted {
    /// The ids of the events, the act's first, then those the rules derived from it.
    pub fn ids(&self) -> impl Iterator<Item = Uuid> + '_ {
        self.events.iter().map(|(id, _)| *id)
    }

    /// The number of events.
    pub fn len(&self) -> usize {
        self.events.len()
    }

    /// Whether the command has no events (never: a command records at least its act).
    pub fn is_empty(&self) -> bool {
        self.events.is_empty()
    }

    /// Wait for the answer without blocking the runtime's threads.
    pub async fn wait(self) -> Result<Executed, ExecuteError> {
        let Submitted {
            engine,
            pending,
            events,
            generation,
        } = self;
        match pending.wait().await {
            Ok(appended) => Ok(executed(appended, events)),
            Err(error) => {
                // The live state holds events the ledger does not: fold it again from the
                // ledger. A rebuild that cannot read the ledger marks the state stale
                // (`Engine::unavailable` says why); the answer is why the batch failed.
                blocking(move || engine.rebuild(generation)).await?.ok();
                Err(ExecuteError::from_append(error))
            }
        }
    }

    /// Wait for the answer on a thread outside a runtime.
    pub fn wait_blocking(self) -> Result<Executed, ExecuteError> {
        match self.pending.wait_blocking() {
            Ok(appended) => Ok(executed(appended, self.events)),
            Err(error) => {
                // As `wait` does: fold the state again, and answer why the batch failed.
                self.engine.rebuild(self.generation).ok();
                Err(ExecuteError::from_append(error))
            }
        }
    }
}

/// The checks the store makes of a batch before it is queued (`Store::submit`): its size,
/// each draft against its event's schema, and no second event 0.
fn check_drafts(drafts: &[kaohe_ledger::event::EventDraft]) -> Result<(), ExecuteError> {
    if drafts.is_empty() || drafts.len() > kaohe_store::BATCH_EVENTS_MAX {
        return Err(ExecuteError::Unavailable(AppendError::BatchSize(
            drafts.len(),
        )));
    }
    for draft in drafts {
        draft.check().map_err(ExecuteError::Invalid)?;
        if draft.event_type == "ledger_created" {
            return Err(ExecuteError::Invalid(EventError::Schema(
                "/type: only event 0 may create the ledger".into(),
            )));
        }
    }
    Ok(())
}

/// What a durable batch recorded, each event with the type it was decided as.
fn executed(appended: Vec<kaohe_store::Appended>, events: Vec<(Uuid, String)>) -> Executed {
    Executed {
        events: appended
            .into_iter()
            .zip(events)
            .map(|(appended, (_, event_type))| Recorded {
                position: appended.position,
                id: appended.id,
                event_type,
                leaf: appended.leaf,
            })
            .collect(),
        created: true,
    }
}

/// The digest of who asked what: the actor and the command, as this build spells them. A
/// retry repeats both exactly; a digest from another build that spells a command otherwise
/// only sends the retry down the slower path that decides it again.
fn request_digest(actor: &str, command: &Command) -> [u8; 32] {
    let mut hasher = blake3::Hasher::new_derive_key("kaohe 2026-12-05 request digest v1");
    hasher.update(actor.as_bytes());
    hasher.update(b"\n");
    hasher.update(format!("{command:?}").as_bytes());
    *hasher.finalize().as_bytes()
}

/// Run `work` on a blocking thread; a panic there is `ExecuteError::Panicked`.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, ExecuteError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(ExecuteError::Panicked)
}

/// A UUID version 7 of the instant `now`, its other bits random.
fn id_at(now: jiff::Timestamp) -> Uuid {
    uuid::Builder::from_unix_timestamp_millis(now.as_millisecond().max(0) as u64, &random_bytes())
        .into_uuid()
}

/// Random bytes for ids and secrets, from the operating system.
fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).expect("the operating system gives random bytes");
    bytes
}
