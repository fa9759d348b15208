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
use kaohe_assess::{Act, Command, Fact, Refusal, State, decide};
use kaohe_ledger::Hash;
use kaohe_ledger::event::{ParsedEvent, parse_event};
use kaohe_ledger::verify::{Anchors, Failure, LedgerCheck, PreparedEvent};
use kaohe_store::{AppendError, Clock, ReadError, SideWrite, Snapshot, Store};
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
    #[error("the event would not be valid: {0}")]
    Invalid(String),
    /// The ledger could not take it now (storage failed, or an earlier failure moved the
    /// head); trying again is safe.
    #[error("the ledger could not record it now ({0}); nothing was recorded, try again")]
    Unavailable(String),
    /// The rules produced an event the ledger refuses: a bug, reported, never recorded.
    #[error("internal: {0}")]
    Internal(String),
}

/// Why the engine could not start.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// The ledger could not be read.
    #[error("{0}")]
    Read(#[from] ReadError),
    /// The ledger fails verification: a damaged or altered file, never to be served.
    #[error("the ledger does not verify ({0}); run `kaohe verify` on the data directory")]
    Damaged(Failure),
    /// An event does not parse or the rules cannot fold it.
    #[error("the rules cannot read the ledger: {0}")]
    Fold(String),
}

struct Live {
    /// The state folded from the ledger and every event decided since, durable or queued.
    state: State,
    /// The size the ledger will have once every queued event is durable.
    size: u64,
    /// One more after each rebuild.
    generation: u64,
    /// Why the state may hold events the ledger refused: a batch failed and the ledger could
    /// not be read to fold it again. Until a rebuild succeeds, nothing is decided against the
    /// state and it is not to be shown (`Engine::unavailable`).
    stale: Option<String>,
}

struct Inner {
    store: Store,
    clock: Clock,
    zone: TimeZone,
    live: RwLock<Live>,
    /// Whether `Live::stale` is set, readable without the lock (it is set and cleared under it).
    stale: std::sync::atomic::AtomicBool,
}

/// The rules over one open ledger: cheap to clone, shared by every request.
#[derive(Clone)]
pub struct Engine {
    inner: Arc<Inner>,
}

/// Every event of a snapshot from position `from` up to `until` (exclusive), parsed.
pub fn read_events(snapshot: &Snapshot, until: u64) -> Result<Vec<ParsedEvent>, OpenError> {
    let mut events = Vec::with_capacity(until.min(snapshot.size()) as usize);
    let mut failure = None;
    snapshot.for_each_event(0, |position, bytes| {
        if position >= until {
            return false;
        }
        match parse_event(bytes) {
            Ok(event) => {
                events.push(event);
                true
            }
            Err(error) => {
                failure = Some(format!("event {position}: {error}"));
                false
            }
        }
    })?;
    match failure {
        Some(failure) => Err(OpenError::Fold(failure)),
        None => Ok(events),
    }
}

/// Every event of a snapshot, parsed and checked in the same pass as `kaohe verify` checks
/// them (canonical form, schema, positions, ids, the hash chain, causes, times, event 0),
/// then the stored checkpoints and every stored Merkle node: the first thing wrong is
/// reported, naming the first bad event where there is one. Parsing is most of the cost, and
/// the fold needs it anyway; the checks add a hash of each event and a pass over the nodes.
pub fn verified_events(snapshot: &Snapshot) -> Result<Vec<ParsedEvent>, OpenError> {
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
    let mut events = Vec::with_capacity(snapshot.size() as usize);
    let read = snapshot.for_each_event(0, |_, bytes| {
        let prepared = PreparedEvent::new(bytes);
        if !check.push_prepared(&prepared) {
            return false;
        }
        match prepared.event {
            Ok(event) => {
                events.push(event);
                true
            }
            Err(_) => false,
        }
    });
    if let Err(error) = read {
        // A read that fails part way is damage at the next event, unless the disk failed.
        match error {
            ReadError::Damaged(message) => check.fail(Failure {
                check: kaohe_ledger::verify::Check::Positions,
                event: Some(check.size()),
                message: format!("the event cannot be read: the file is damaged: {message}"),
            }),
            other => return Err(OpenError::Read(other)),
        }
    }
    check
        .finish(Some(snapshot.check_stored_nodes()))
        .map_err(OpenError::Damaged)?;
    Ok(events)
}

fn fold(events: &[ParsedEvent]) -> Result<State, OpenError> {
    State::from_events(events.iter().map(Fact::from))
        .map_err(|error| OpenError::Fold(error.to_string()))
}

impl Engine {
    /// Fold the ledger into the live state. `clock` gives the time of every act.
    pub fn open(store: Store, clock: Clock) -> Result<Engine, OpenError> {
        let zone = TimeZone::get(&store.genesis().time_zone)
            .map_err(|error| OpenError::Fold(format!("time zone: {error}")))?;
        let snapshot = store.snapshot()?;
        let state = fold(&verified_events(&snapshot)?)?;
        Ok(Engine {
            inner: Arc::new(Inner {
                store,
                clock,
                zone,
                live: RwLock::new(Live {
                    state,
                    size: snapshot.size(),
                    generation: 0,
                    stale: None,
                }),
                stale: std::sync::atomic::AtomicBool::new(false),
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
    pub fn unavailable(&self) -> Option<String> {
        if !self.may_be_unavailable() {
            return None;
        }
        let mut live = self
            .inner
            .live
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        // Another request may have rebuilt it while this one waited for the lock.
        live.stale.as_ref()?;
        self.rebuild_locked(&mut live)
            .err()
            .map(|error| error.to_string())
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
    /// Reads the whole ledger; call it off the async threads.
    pub fn state_as_of(&self, day: Date) -> Result<State, OpenError> {
        let snapshot = self.inner.store.snapshot()?;
        let events = read_events(&snapshot, snapshot.size())?;
        let size = kaohe_assess::views::recorded_through(&events, day, &self.inner.zone);
        fold(&events[..size])
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
        if let Some(id) = request_id {
            if id.get_version_num() != 7 {
                return Err(ExecuteError::BadRequestId(id));
            }
            let store = self.inner.store.clone();
            let found = blocking(move || store.snapshot()?.position_of(id)).await?;
            if let Some(position) = found {
                let engine = self.clone();
                let actor = actor.to_owned();
                return tokio::task::spawn_blocking(move || {
                    engine.answer_retry(&actor, &command, id, position)
                })
                .await
                .map_err(|error| ExecuteError::Internal(error.to_string()))?;
            }
        }
        let now = self.now();
        let id = request_id.unwrap_or_else(|| {
            uuid::Builder::from_unix_timestamp_millis(
                now.as_millisecond().max(0) as u64,
                &random_bytes(),
            )
            .into_uuid()
        });
        let act = Act {
            person_id: actor.into(),
            time: now
                .to_zoned(self.inner.zone.clone())
                .strftime("%Y-%m-%dT%H:%M:%S%:z")
                .to_string(),
        };
        // Decide, fold and queue under the lock, so that batches reach the writer in the order
        // they were decided, each expecting the head the one before it leaves.
        let engine = self.clone();
        let (pending, types, generation) = tokio::task::spawn_blocking(move || {
            let mut live = engine
                .inner
                .live
                .write()
                .unwrap_or_else(|poisoned| poisoned.into_inner());
            if live.stale.is_some() {
                // Never decide against a state that may hold refused events.
                engine.rebuild_locked(&mut live)?;
            }
            let drafts = decide(&live.state, &command, &act, id)?;
            let types: Vec<String> = drafts
                .iter()
                .map(|draft| draft.event_type.clone())
                .collect();
            let expected = live.size;
            let count = drafts.len() as u64;
            for draft in &drafts {
                live.state
                    .apply(&Fact::from(draft))
                    .expect("an event the rules decided folds into the state");
            }
            match engine
                .inner
                .store
                .submit_batch(drafts, Some(expected), side)
            {
                Ok(pending) => {
                    live.size += count;
                    Ok((pending, types, live.generation))
                }
                Err(error) => {
                    // Refused before it was queued: fold the ledger again, still under the lock.
                    engine.rebuild_locked(&mut live)?;
                    Err(match error {
                        AppendError::Invalid(invalid) => ExecuteError::Invalid(invalid.to_string()),
                        other => ExecuteError::Unavailable(other.to_string()),
                    })
                }
            }
        })
        .await
        .map_err(|error| ExecuteError::Internal(error.to_string()))??;
        match pending.wait().await {
            Ok(appended) => Ok(Executed {
                events: appended
                    .into_iter()
                    .zip(types)
                    .map(|(appended, event_type)| Recorded {
                        position: appended.position,
                        id: appended.id,
                        event_type,
                        leaf: appended.leaf,
                    })
                    .collect(),
                created: true,
            }),
            Err(error) => {
                // The live state holds events the ledger does not: rebuild it from the ledger.
                let engine = self.clone();
                tokio::task::spawn_blocking(move || engine.rebuild(generation))
                    .await
                    .map_err(|error| ExecuteError::Internal(error.to_string()))??;
                Err(match error {
                    AppendError::Invalid(invalid) => ExecuteError::Invalid(invalid.to_string()),
                    AppendError::Conflict { id, .. } => ExecuteError::Conflict(id),
                    other => ExecuteError::Unavailable(other.to_string()),
                })
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
                .map_err(|error| ExecuteError::Unavailable(error.to_string()))?;
            let events = read_events(&snapshot, snapshot.size()).map_err(|error| match error {
                OpenError::Read(error) => ExecuteError::Unavailable(error.to_string()),
                other => ExecuteError::Internal(other.to_string()),
            })?;
            let state = fold(&events).map_err(|error| ExecuteError::Internal(error.to_string()))?;
            Ok((state, snapshot.size()))
        })();
        live.generation += 1;
        match folded {
            Ok((state, size)) => {
                live.state = state;
                live.size = size;
                live.stale = None;
                self.inner
                    .stale
                    .store(false, std::sync::atomic::Ordering::SeqCst);
                Ok(())
            }
            Err(error) => {
                live.stale = Some(error.to_string());
                self.inner
                    .stale
                    .store(true, std::sync::atomic::Ordering::SeqCst);
                Err(error)
            }
        }
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
        let unavailable = |error: OpenError| ExecuteError::Unavailable(error.to_string());
        let snapshot = self
            .inner
            .store
            .snapshot()
            .map_err(|error| ExecuteError::Unavailable(error.to_string()))?;
        let events = read_events(&snapshot, snapshot.size()).map_err(unavailable)?;
        let before = fold(&events[..position as usize]).map_err(unavailable)?;
        let stored = &events[position as usize];
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
            let same = events
                .get(position as usize + offset)
                .filter(|event| event.id == draft.id)
                .filter(|event| {
                    draft
                        .content_digest()
                        .is_ok_and(|digest| digest == event.content_digest())
                });
            let Some(event) = same else {
                return Err(ExecuteError::Conflict(id));
            };
            found.push(Recorded {
                position: event.position,
                id: event.id,
                event_type: event.event_type.clone(),
                leaf: kaohe_ledger::hash::leaf_hash(
                    &snapshot
                        .event(event.position)
                        .map_err(|error| ExecuteError::Unavailable(error.to_string()))?,
                ),
            });
        }
        Ok(Executed {
            events: found,
            created: false,
        })
    }
}

async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, ReadError> + Send + 'static,
) -> Result<T, ExecuteError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(|error| ExecuteError::Internal(error.to_string()))?
        .map_err(|error| ExecuteError::Unavailable(error.to_string()))
}

/// Random bytes for ids and secrets, from the operating system.
fn random_bytes<const N: usize>() -> [u8; N] {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).expect("the operating system gives random bytes");
    bytes
}
