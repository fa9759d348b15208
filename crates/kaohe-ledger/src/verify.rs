//! Verification of a whole ledger, one event at a time: canonical form, schema, positions,
//! ids, the hash chain, causes, recording times, event 0, and the Merkle root against signed
//! checkpoints. The same code checks a data directory, an export and a mirror's copy.

use std::collections::{BTreeMap, HashSet};
use std::fmt;

use uuid::Uuid;

use crate::event::{CheckedEvent, EventError, FORMAT_VERSION, check_event, parse_event};
use crate::hash::{Hash, leaf_hash};
use crate::merkle::Frontier;
use crate::note::{Checkpoint, NoteError, VerifierKey};

/// The checks a verification runs, in the order they are reported.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Check {
    /// An export file is lines of events ending in LF, then one checkpoint line, and nothing
    /// else (no byte order mark, no CR, no empty line, nothing after the checkpoint line).
    ExportFile,
    /// Every event is the RFC 8785 canonical JSON of what it parses to, with integers only.
    Canonical,
    /// Every event validates against `schemas/event.schema.json`.
    Schema,
    /// Positions run 0, 1, 2, ... without gaps, repeats or reordering.
    Positions,
    /// No two events share an id.
    UniqueIds,
    /// Each event carries the leaf hash of the event before it.
    HashChain,
    /// Every `caused_by` id names an earlier event.
    Causes,
    /// Recording times are written in the organisation's offset and never go back.
    RecordedTimes,
    /// Event 0 creates the ledger and only event 0 does.
    Genesis,
    /// The Merkle root of all events matches the signed checkpoint.
    MerkleRoot,
    /// The checkpoint is signed by the ledger's key, for its origin.
    CheckpointSignature,
    /// A checkpoint saved earlier is a prefix of this ledger.
    SavedCheckpoint,
}

impl Check {
    /// Every check, in report order.
    pub const ALL: [Check; 12] = [
        Check::ExportFile,
        Check::Canonical,
        Check::Schema,
        Check::Positions,
        Check::UniqueIds,
        Check::HashChain,
        Check::Causes,
        Check::RecordedTimes,
        Check::Genesis,
        Check::MerkleRoot,
        Check::CheckpointSignature,
        Check::SavedCheckpoint,
    ];

    /// The short name printed in reports.
    pub fn name(self) -> &'static str {
        match self {
            Check::ExportFile => "export file",
            Check::Canonical => "canonical JSON",
            Check::Schema => "event schema",
            Check::Positions => "positions",
            Check::UniqueIds => "unique ids",
            Check::HashChain => "hash chain",
            Check::Causes => "causes",
            Check::RecordedTimes => "recording times",
            Check::Genesis => "event 0",
            Check::MerkleRoot => "merkle root",
            Check::CheckpointSignature => "checkpoint signature",
            Check::SavedCheckpoint => "saved checkpoint",
        }
    }

    /// Whether the check runs on every event (as opposed to once at the end).
    pub fn per_event(self) -> bool {
        !matches!(
            self,
            Check::MerkleRoot | Check::CheckpointSignature | Check::SavedCheckpoint
        )
    }
}

/// The first thing found wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Failure {
    /// The check that failed.
    pub check: Check,
    /// The position of the first bad event, where one can be named.
    pub event: Option<u64>,
    /// What is wrong, in words.
    pub message: String,
}

impl fmt::Display for Failure {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.event {
            Some(position) => write!(formatter, "event {position}: {}", self.message),
            None => formatter.write_str(&self.message),
        }
    }
}

fn fail(check: Check, event: Option<u64>, message: impl Into<String>) -> Failure {
    Failure {
        check,
        event,
        message: message.into(),
    }
}

/// What event 0 says about the ledger.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Genesis {
    /// The organisation's name.
    pub organisation: String,
    /// The origin string of its checkpoints.
    pub origin: String,
    /// The checkpoint verifier key.
    pub verifier_key: VerifierKey,
    /// The IANA time zone that decides dates.
    pub time_zone: String,
    /// Event 0's id.
    pub id: Uuid,
}

/// A ledger that passed every per-event check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verified {
    /// The number of events.
    pub size: u64,
    /// The Merkle root of all events.
    pub root: Hash,
    /// The leaf hash of the last event.
    pub head: Hash,
    /// What event 0 says.
    pub genesis: Genesis,
    /// The roots at the sizes asked for in `LedgerVerifier::new`.
    pub roots_at: BTreeMap<u64, Hash>,
    /// How many `caused_by` references were checked.
    pub cause_count: u64,
}

/// A hash-chain break not yet pinned to an event: which side of the link was altered is
/// decided by the next link, or by the checkpoint root when the break is at the tail.
#[derive(Clone, Debug)]
struct BrokenLink {
    /// The event whose previous_hash does not match.
    at: u64,
    /// What that event claims the previous leaf hash was.
    claimed_previous: Hash,
    /// The frontier before the previous event's leaf, to try the claimed hash in its place.
    frontier_before_previous: Frontier,
    /// The leaf hash of the event at `at`.
    leaf_at: Hash,
}

/// What verification reads of one event, taken from its checked bytes: the envelope fields
/// that are compared with the events before, and, for event 0, what it says of the ledger.
#[derive(Clone, Debug)]
pub struct EventFacts {
    /// Its position field.
    pub position: u64,
    /// Its id field.
    pub id: Uuid,
    /// Its previous_hash field.
    pub previous_hash: Hash,
    /// Its recorded_time field, as an instant.
    pub recorded_time: jiff::Timestamp,
    /// Its recorded_time field as written (`YYYY-MM-DDTHH:MM:SS.mmm±hh:mm`, by the schema).
    recorded_time_text: RecordedText,
    /// Whether it is a `ledger_created` event.
    pub creates_ledger: bool,
    /// Its caused_by ids.
    pub caused_by: Vec<Uuid>,
    /// For event 0, what it says about the ledger, or why it says nothing valid.
    genesis: Option<Result<Genesis, Failure>>,
    /// Where the other fields of the checked event stand in its bytes, to hand it on without
    /// checking it again (`EventFacts::checked`): type, business time, actor's person and
    /// role, payload, recording time.
    spans: [(u32, u32); 6],
    payload_version: u64,
    sealing_members: [(u32, u32); 2],
}

/// A recording time as written, kept without an allocation: the schema fixes its length.
#[derive(Clone, Copy, Debug)]
struct RecordedText {
    bytes: [u8; 29],
}

impl RecordedText {
    fn new(text: &str) -> RecordedText {
        let mut bytes = [b' '; 29];
        bytes.copy_from_slice(text.as_bytes());
        RecordedText { bytes }
    }

    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.bytes).expect("copied from a str")
    }
}

impl EventFacts {
    /// The facts of a checked event.
    pub fn of(event: &CheckedEvent<'_>) -> EventFacts {
        let genesis = (event.position == 0).then(|| {
            let parsed = parse_event(event.bytes).expect("a checked event parses");
            genesis_of(&parsed)
        });
        let span = |field: &str| {
            let start = field.as_ptr() as usize - event.bytes.as_ptr() as usize;
            (start as u32, (start + field.len()) as u32)
        };
        EventFacts {
            position: event.position,
            id: event.id,
            previous_hash: event.previous_hash,
            recorded_time: event.recorded_time,
            recorded_time_text: RecordedText::new(event.recorded_time_text),
            creates_ledger: event.event_type == "ledger_created",
            caused_by: event.caused_by.clone(),
            genesis,
            spans: [
                span(event.event_type),
                span(event.business_time),
                span(event.actor_person),
                span(event.actor_role),
                span(event.payload),
                span(event.recorded_time_text),
            ],
            payload_version: event.payload_version,
            sealing_members: event.sealing_members,
        }
    }

    /// The checked event these facts were read from, whose bytes are `bytes`, without
    /// checking it again: what a fold reads after verification on another thread.
    pub fn checked<'a>(&self, bytes: &'a [u8]) -> CheckedEvent<'a> {
        let text = |(start, end): (u32, u32)| {
            std::str::from_utf8(&bytes[start as usize..end as usize])
                .expect("a span of a checked event's text")
        };
        CheckedEvent {
            bytes,
            position: self.position,
            id: self.id,
            event_type: text(self.spans[0]),
            payload_version: self.payload_version,
            previous_hash: self.previous_hash,
            recorded_time: self.recorded_time,
            recorded_time_text: text(self.spans[5]),
            business_time: text(self.spans[1]),
            actor_person: text(self.spans[2]),
            actor_role: text(self.spans[3]),
            payload: text(self.spans[4]),
            caused_by: self.caused_by.clone(),
            sealing_members: self.sealing_members,
        }
    }
}

/// What verification learns from one event alone: the event checked (canonical form,
/// integers only, schema) and its envelope read, or why it fails those checks, and its leaf
/// hash. Preparing needs no other event, so many threads can prepare events at once;
/// `push_prepared` then makes the checks that compare an event with the ones before it, in
/// order.
#[derive(Clone, Debug)]
pub struct PreparedEvent {
    /// What verification reads of the event, or why its bytes fail the checks of one event.
    pub event: Result<EventFacts, EventError>,
    /// The leaf hash of its bytes.
    pub leaf: Hash,
}

impl PreparedEvent {
    /// Check and hash one event's bytes.
    pub fn new(bytes: &[u8]) -> PreparedEvent {
        PreparedEvent {
            event: check_event(bytes).map(|event| EventFacts::of(&event)),
            leaf: leaf_hash(bytes),
        }
    }

    /// An event already checked, with its leaf hash.
    pub fn of(event: &CheckedEvent<'_>, leaf: Hash) -> PreparedEvent {
        PreparedEvent {
            event: Ok(EventFacts::of(event)),
            leaf,
        }
    }

    /// Why an event's bytes fail the checks of one event, with their leaf hash.
    pub fn refused(error: EventError, leaf: Hash) -> PreparedEvent {
        PreparedEvent {
            event: Err(error),
            leaf,
        }
    }
}

/// Prepare `events` on up to `threads` threads at once (at least one), keeping their order:
/// each thread takes one contiguous share.
pub fn prepare_in_parallel<B: AsRef<[u8]> + Sync>(
    events: &[B],
    threads: usize,
) -> Vec<PreparedEvent> {
    let share = events.len().div_ceil(threads.max(1)).max(1);
    if share >= events.len() {
        return events
            .iter()
            .map(|bytes| PreparedEvent::new(bytes.as_ref()))
            .collect();
    }
    std::thread::scope(|scope| {
        let workers: Vec<_> = events
            .chunks(share)
            .map(|chunk| {
                scope.spawn(move || {
                    chunk
                        .iter()
                        .map(|bytes| PreparedEvent::new(bytes.as_ref()))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| worker.join().expect("preparing an event does not panic"))
            .collect()
    })
}

/// Events read in order, a chunk at a time: their bytes one after another, and where each
/// ends. A verification on several threads hands chunks between its threads.
#[derive(Debug, Default)]
pub struct EventChunk {
    bytes: Vec<u8>,
    /// Each item's end in `bytes`, and whether it ended with a line feed (an export's lines).
    ends: Vec<(usize, bool)>,
}

impl EventChunk {
    /// Add one item (an event's bytes, or an export's line without its line feed).
    pub fn push(&mut self, bytes: &[u8], ended: bool) {
        self.bytes.extend_from_slice(bytes);
        self.ends.push((self.bytes.len(), ended));
    }

    /// How many items it holds.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether it holds none.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// How many bytes it holds.
    pub fn bytes(&self) -> usize {
        self.bytes.len()
    }

    /// Its items in order, each with whether it ended with a line feed.
    pub fn items(&self) -> impl Iterator<Item = (&[u8], bool)> + '_ {
        let mut start = 0;
        self.ends.iter().map(move |(end, ended)| {
            let item = &self.bytes[start..*end];
            start = *end;
            (item, *ended)
        })
    }
}

/// Verify on `threads` threads at once: `read` hands chunks of events, in order, to the sink
/// it is given (which answers false once nothing more is wanted); `threads` threads make the
/// checks of each event alone (`PreparedEvent::new`) on whole chunks; and `check` receives
/// each chunk with its prepared events, in the order read, on the calling thread, and answers
/// false to stop. Memory is bounded: a few chunks per thread are in flight.
pub fn verify_pipelined(
    threads: usize,
    read: impl FnOnce(&mut dyn FnMut(EventChunk) -> bool) + Send,
    mut check: impl FnMut(&EventChunk, Vec<PreparedEvent>) -> bool,
) {
    use std::sync::mpsc::sync_channel;
    let threads = threads.max(1);
    let (work, todo) = sync_channel::<(u64, EventChunk)>(threads * 2);
    let (done, results) = sync_channel::<(u64, EventChunk, Vec<PreparedEvent>)>(threads * 2);
    let todo = std::sync::Mutex::new(todo);
    std::thread::scope(|scope| {
        scope.spawn(move || {
            let mut sequence = 0u64;
            read(&mut |chunk| {
                let sent = work.send((sequence, chunk)).is_ok();
                sequence += 1;
                sent
            });
        });
        for _ in 0..threads {
            let done = done.clone();
            let todo = &todo;
            scope.spawn(move || {
                loop {
                    let next = todo
                        .lock()
                        .unwrap_or_else(|poisoned| poisoned.into_inner())
                        .recv();
                    let Ok((sequence, chunk)) = next else { break };
                    let prepared = chunk
                        .items()
                        .map(|(bytes, _)| PreparedEvent::new(bytes))
                        .collect();
                    if done.send((sequence, chunk, prepared)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(done);
        // Chunks come back in any order; they are checked in the order read.
        let mut waiting = BTreeMap::new();
        let mut next = 0u64;
        for (sequence, chunk, prepared) in results.iter() {
            waiting.insert(sequence, (chunk, prepared));
            let mut going = true;
            while let Some((chunk, prepared)) = waiting.remove(&next) {
                next += 1;
                if !check(&chunk, prepared) {
                    going = false;
                    break;
                }
            }
            if !going {
                break;
            }
        }
        // Dropping the results ends the workers, and then the reader.
        drop(results);
    });
}

/// Checks events one at a time; memory grows only with the set of ids.
#[derive(Debug)]
pub struct LedgerVerifier {
    frontier: Frontier,
    frontier_before_last: Frontier,
    previous_leaf: Hash,
    ids: HashSet<Uuid>,
    last_recorded: Option<jiff::Timestamp>,
    genesis: Option<Genesis>,
    time_zone: Option<jiff::tz::TimeZone>,
    roots_wanted: Vec<u64>,
    roots_at: BTreeMap<u64, Hash>,
    cause_count: u64,
    broken: Option<BrokenLink>,
}

impl LedgerVerifier {
    /// A verifier that also records the root at each of `sizes` (for saved checkpoints).
    pub fn new(sizes: impl IntoIterator<Item = u64>) -> Self {
        let mut roots_wanted: Vec<u64> = sizes.into_iter().collect();
        roots_wanted.sort_unstable_by(|a, b| b.cmp(a));
        roots_wanted.dedup();
        LedgerVerifier {
            frontier: Frontier::new(),
            frontier_before_last: Frontier::new(),
            previous_leaf: Hash::ZERO,
            ids: HashSet::new(),
            last_recorded: None,
            genesis: None,
            time_zone: None,
            roots_wanted,
            roots_at: BTreeMap::new(),
            cause_count: 0,
            broken: None,
        }
    }

    /// How many events were pushed.
    pub fn size(&self) -> u64 {
        self.frontier.size()
    }

    /// Check the next event's bytes.
    pub fn push(&mut self, bytes: &[u8]) -> Result<(), Failure> {
        self.push_prepared(&PreparedEvent::new(bytes))
    }

    /// Check the next event, already prepared (possibly on another thread): the same checks
    /// as `push`.
    pub fn push_prepared(&mut self, prepared: &PreparedEvent) -> Result<(), Failure> {
        self.push_prepared_with_nodes(prepared, &mut |_, _, _| {})
    }

    /// Check the next event as `push_prepared` does, and tell `nodes` each Merkle node its
    /// leaf completes (the leaf itself at level 0): a data directory's stored nodes are
    /// checked against them in the same pass.
    pub fn push_prepared_with_nodes(
        &mut self,
        prepared: &PreparedEvent,
        nodes: &mut dyn FnMut(u8, u64, Hash),
    ) -> Result<(), Failure> {
        self.push_inner(prepared, nodes)
            .map_err(|failure| match self.broken.take() {
                // A break found earlier is the first bad event, even if this one is bad too.
                Some(broken) => ambiguous(&broken),
                None => failure,
            })
    }

    fn push_inner(
        &mut self,
        prepared: &PreparedEvent,
        nodes: &mut dyn FnMut(u8, u64, Hash),
    ) -> Result<(), Failure> {
        let expected = self.frontier.size();
        let event = prepared.event.as_ref().map_err(|error| {
            let check = match error {
                EventError::Schema(_) | EventError::NotUuidV7(_) => Check::Schema,
                _ => Check::Canonical,
            };
            fail(check, Some(expected), error.to_string())
        })?;
        if event.position != expected {
            let message = if event.position > expected {
                format!(
                    "found event {} where event {expected} belongs: event {expected} is missing or out of order",
                    event.position
                )
            } else {
                format!(
                    "found event {} again where event {expected} belongs: an event is repeated or out of order",
                    event.position
                )
            };
            return Err(fail(Check::Positions, Some(expected), message));
        }
        let leaf = prepared.leaf;
        if let Some(broken) = self.broken.take() {
            // The link after the break decides which side was altered: an event whose
            // previous_hash was altered also has a new leaf hash, so its next link breaks too.
            return Err(if event.previous_hash != broken.leaf_at {
                altered(
                    broken.at,
                    format!(
                        "event {at}'s previous_hash is not the hash of event {before}, and event {after}'s is not the hash of event {at}",
                        at = broken.at,
                        before = broken.at - 1,
                        after = expected
                    ),
                )
            } else {
                altered(
                    broken.at - 1,
                    format!(
                        "event {at}'s previous_hash is not the hash of event {before}, but event {after} still links to event {at}",
                        at = broken.at,
                        before = broken.at - 1,
                        after = expected
                    ),
                )
            });
        }
        if event.previous_hash != self.previous_leaf {
            if expected == 0 {
                return Err(fail(
                    Check::Genesis,
                    Some(0),
                    "event 0 must carry 64 zeros as its previous_hash",
                ));
            }
            self.broken = Some(BrokenLink {
                at: expected,
                claimed_previous: event.previous_hash,
                frontier_before_previous: self.frontier_before_last.clone(),
                leaf_at: leaf,
            });
        }
        // After a break the previous event may be the altered one, so the checks that compare
        // this event with earlier ones wait for the break to be pinned first.
        let compare = self.broken.is_none();
        if !self.ids.insert(event.id) && compare {
            return Err(fail(
                Check::UniqueIds,
                Some(expected),
                format!("id {} was already used by an earlier event", event.id),
            ));
        }
        for cause in &event.caused_by {
            if compare && (*cause == event.id || !self.ids.contains(cause)) {
                return Err(fail(
                    Check::Causes,
                    Some(expected),
                    format!("caused_by names {cause}, which is not an earlier event"),
                ));
            }
        }
        self.cause_count += event.caused_by.len() as u64;
        if expected == 0 {
            let genesis = event
                .genesis
                .clone()
                .expect("event 0's facts say what it says of the ledger")?;
            self.time_zone = Some(
                crate::genesis::time_zone(&genesis.time_zone).expect("genesis_of checked the zone"),
            );
            self.genesis = Some(genesis);
        }
        if compare && let (Some(zone), Some(genesis)) = (&self.time_zone, &self.genesis) {
            recorded_in_zone(event, zone, &genesis.time_zone)
                .map_err(|message| fail(Check::RecordedTimes, Some(expected), message))?;
        }
        if let Some(last) = self.last_recorded
            && event.recorded_time < last
            && compare
        {
            return Err(fail(
                Check::RecordedTimes,
                Some(expected),
                format!(
                    "recorded at {}, earlier than the event before it ({last})",
                    event.recorded_time
                ),
            ));
        }
        self.last_recorded = Some(event.recorded_time);
        if expected > 0 && event.creates_ledger {
            return Err(fail(
                Check::Genesis,
                Some(expected),
                "only event 0 may create the ledger",
            ));
        }
        self.frontier_before_last.clone_from(&self.frontier);
        self.frontier.push(leaf, nodes);
        self.previous_leaf = leaf;
        while self.roots_wanted.last() == Some(&self.frontier.size()) {
            self.roots_at
                .insert(self.frontier.size(), self.frontier.root());
            self.roots_wanted.pop();
        }
        Ok(())
    }

    /// What event 0 says, once event 0 has been checked.
    pub fn genesis(&self) -> Option<&Genesis> {
        self.genesis.as_ref()
    }

    /// The root `checkpoint` signs for every event pushed so far, if it opens with the key
    /// event 0 names and is of that size: the root to pass to `finish`. Anything else gives
    /// none, since a checkpoint's size and root are nobody's word until its signature holds.
    pub fn signed_root(&self, checkpoint: &str) -> Option<Hash> {
        let key = &self.genesis()?.verifier_key;
        let checkpoint = Checkpoint::open(checkpoint, key).ok()?;
        (checkpoint.size == self.size()).then_some(checkpoint.root)
    }

    /// End of input. `signed_root` is the root that a checkpoint whose signature has been
    /// checked gives for this size, if there is one: it pins a chain break at the last link to
    /// the right event. A root read from a checkpoint that was not opened with the key must
    /// not be passed, since anyone can write one.
    pub fn finish(self, signed_root: Option<&Hash>) -> Result<Verified, Failure> {
        if let Some(broken) = self.broken {
            let mut alternative = broken.frontier_before_previous.clone();
            alternative.push(broken.claimed_previous, |_, _, _| {});
            alternative.push(broken.leaf_at, |_, _, _| {});
            let (at, before) = (broken.at, broken.at - 1);
            return Err(match signed_root {
                Some(root) if alternative.root() == *root => altered(
                    before,
                    format!(
                        "event {at}'s previous_hash is not the hash of event {before}, and the signed root is that of the ledger with the event it names in place of event {before}"
                    ),
                ),
                Some(_) => altered(
                    at,
                    format!(
                        "event {at}'s previous_hash is not the hash of event {before}, and the signed root is not that of the ledger with the event it names in place of event {before}"
                    ),
                ),
                None => ambiguous(&broken),
            });
        }
        let Some(genesis) = self.genesis else {
            return Err(fail(Check::Genesis, None, "the ledger has no events"));
        };
        Ok(Verified {
            size: self.frontier.size(),
            root: self.frontier.root(),
            head: self.previous_leaf,
            genesis,
            roots_at: self.roots_at,
            cause_count: self.cause_count,
        })
    }
}

/// Check that an event's `recorded_time` is written as the ledger's writer writes it: in the
/// offset the organisation's time zone has at that instant, `+00:00` when it is zero. The
/// schema has fixed the rest of its form (`YYYY-MM-DDTHH:MM:SS.mmm±hh:mm`).
fn recorded_in_zone(
    event: &EventFacts,
    zone: &jiff::tz::TimeZone,
    zone_name: &str,
) -> Result<(), String> {
    let text = event.recorded_time_text.as_str();
    let (sign, digits) = text[text.len() - 6..].split_at(1);
    let field = |range: std::ops::Range<usize>| -> i32 {
        digits[range].parse().expect("schema: offset digits")
    };
    let magnitude = field(0..2) * 3600 + field(3..5) * 60;
    let stated = if sign == "-" { -magnitude } else { magnitude };
    let expected = zone.to_offset(event.recorded_time).seconds();
    if stated == expected && !(sign == "-" && magnitude == 0) {
        return Ok(());
    }
    Err(format!(
        "recorded_time {text} is not written in the organisation's time zone {zone_name}, whose offset at that instant is {}",
        offset_text(expected)
    ))
}

/// An offset from UTC in seconds as `±hh:mm`, or `±hh:mm:ss` when it has seconds.
fn offset_text(seconds: i32) -> String {
    let sign = if seconds < 0 { '-' } else { '+' };
    let magnitude = seconds.unsigned_abs();
    let (hours, minutes, rest) = (magnitude / 3600, magnitude / 60 % 60, magnitude % 60);
    if rest == 0 {
        format!("{sign}{hours:02}:{minutes:02}")
    } else {
        format!("{sign}{hours:02}:{minutes:02}:{rest:02}")
    }
}

fn ambiguous(broken: &BrokenLink) -> Failure {
    fail(
        Check::HashChain,
        Some(broken.at),
        format!(
            "previous_hash is not the hash of event {}: event {} or event {} was altered",
            broken.at - 1,
            broken.at - 1,
            broken.at
        ),
    )
}

/// A chain break pinned to the event at `position`, with the evidence that pins it.
fn altered(position: u64, evidence: String) -> Failure {
    fail(
        Check::HashChain,
        Some(position),
        format!("{evidence}: event {position} was altered"),
    )
}

/// Read and check what event 0 says about the ledger.
pub fn genesis_of(event: &crate::event::ParsedEvent) -> Result<Genesis, Failure> {
    let bad = |message: String| fail(Check::Genesis, Some(0), message);
    if event.event_type != "ledger_created" {
        return Err(bad(format!(
            "event 0 must be ledger_created, not {}",
            event.event_type
        )));
    }
    let payload = event.payload();
    // The schema guarantees these fields and their forms.
    let text = |name: &str| payload[name].as_str().expect("schema").to_owned();
    if payload["format_version"].as_u64() != Some(FORMAT_VERSION) {
        return Err(bad("unknown ledger format version".into()));
    }
    let origin = text("origin");
    let verifier_key = VerifierKey::parse(&text("public_key"))
        .map_err(|error| bad(format!("public_key: {error}")))?;
    if verifier_key.name() != origin {
        return Err(bad(format!(
            "the key is named {}, not after the origin {origin}",
            verifier_key.name()
        )));
    }
    let time_zone = text("time_zone");
    crate::genesis::time_zone(&time_zone).map_err(|error| bad(error.to_string()))?;
    Ok(Genesis {
        organisation: text("organisation"),
        origin,
        verifier_key,
        time_zone,
        id: event.id,
    })
}

/// Open a checkpoint with the ledger's key and check that it is for the ledger's origin: only
/// after this are its size and root statements of the key's holder.
fn open_checkpoint(verified: &Verified, text: &str, check: Check) -> Result<Checkpoint, Failure> {
    let key = &verified.genesis.verifier_key;
    let checkpoint = Checkpoint::open(text, key).map_err(|error| {
        let message = match error {
            NoteError::NoSignatureByKey { .. } => format!(
                "not signed by this ledger's key {}: the ledger was recreated with another key, or the checkpoint belongs to another ledger",
                key.to_text()
            ),
            other => other.to_string(),
        };
        fail(check, None, message)
    })?;
    if checkpoint.origin != verified.genesis.origin {
        return Err(fail(
            check,
            None,
            format!(
                "the checkpoint is for origin {}, the ledger is {}",
                checkpoint.origin, verified.genesis.origin
            ),
        ));
    }
    Ok(checkpoint)
}

/// Compare an opened checkpoint with the ledger: the ledger has at least its size, and the
/// same root at that size (which must have been recorded while verifying).
fn check_root(
    verified: &Verified,
    checkpoint: Checkpoint,
    check: Check,
) -> Result<Checkpoint, Failure> {
    if checkpoint.size > verified.size {
        return Err(fail(
            check,
            None,
            format!(
                "the checkpoint is signed for {} events but the ledger has {}: it was truncated or rolled back",
                checkpoint.size, verified.size
            ),
        ));
    }
    let root = if checkpoint.size == verified.size {
        Some(verified.root)
    } else {
        verified.roots_at.get(&checkpoint.size).copied()
    };
    match root {
        Some(root) if root == checkpoint.root => Ok(checkpoint),
        Some(root) if checkpoint.size == verified.size => Err(fail(
            check,
            Some(verified.size - 1),
            format!(
                "every link holds but the root {root} is not the signed root {}: the last event was altered",
                checkpoint.root
            ),
        )),
        Some(root) => Err(fail(
            check,
            None,
            format!(
                "the ledger's root at size {} is {root}, the checkpoint signed {}: history before it was changed",
                checkpoint.size, checkpoint.root
            ),
        )),
        None => Err(fail(
            check,
            None,
            format!("no root was kept for size {}", checkpoint.size),
        )),
    }
}

/// Check a signed checkpoint for a verified ledger: signed by its key, for its origin, and
/// with the root the ledger has at the checkpoint's size (which must have been recorded).
pub fn check_checkpoint(
    verified: &Verified,
    text: &str,
    check: Check,
) -> Result<Checkpoint, Failure> {
    let checkpoint = open_checkpoint(verified, text, check)?;
    check_root(verified, checkpoint, check)
}

/// Check the checkpoint an export carries, which must be of the whole ledger: signed by its
/// key, for its origin, of its size, with its root. The size is compared only once the
/// signature holds, since only then is it the key's word.
pub fn check_whole_checkpoint(verified: &Verified, text: &str) -> Result<Checkpoint, Failure> {
    let checkpoint = open_checkpoint(verified, text, Check::MerkleRoot)?;
    if checkpoint.size != verified.size {
        return Err(fail(
            Check::MerkleRoot,
            None,
            format!(
                "the export's checkpoint is signed for {} events, but the export holds {}: events were removed or added",
                checkpoint.size, verified.size
            ),
        ));
    }
    check_root(verified, checkpoint, Check::MerkleRoot)
}

/// The note a saved checkpoint file holds: the file must be the signed note exactly as
/// `kaohe checkpoint` prints it (FORMAT.md 5.3): UTF-8 without a byte order mark, lines ending
/// in a line feed alone, and nothing after the last signature line's line feed. The note
/// itself is checked when it is opened.
pub fn checkpoint_file_text(bytes: &[u8]) -> Result<&str, Failure> {
    let refuse = |message: String| fail(Check::SavedCheckpoint, None, message);
    if bytes.is_empty() {
        return Err(refuse("the checkpoint file is empty".into()));
    }
    if bytes.len() > crate::note::MAX_NOTE_SIZE {
        return Err(refuse(format!(
            "the checkpoint file is larger than any checkpoint ({} bytes)",
            crate::note::MAX_NOTE_SIZE
        )));
    }
    if bytes.starts_with(BYTE_ORDER_MARK) {
        return Err(refuse(
            "the checkpoint file starts with a byte order mark (EF BB BF): a checkpoint file has none".into(),
        ));
    }
    let text = std::str::from_utf8(bytes).map_err(|error| {
        refuse(format!(
            "the checkpoint file is not UTF-8 text (at byte {})",
            error.valid_up_to()
        ))
    })?;
    if let Some(at) = text.find('\r') {
        let line = text[..at].matches('\n').count() + 1;
        return Err(refuse(format!(
            "line {line} of the checkpoint file ends with a carriage return: a checkpoint file's lines end with a line feed alone, not CR LF"
        )));
    }
    if !text.ends_with('\n') {
        return Err(refuse(
            "the checkpoint file does not end with a line feed: it was cut short".into(),
        ));
    }
    if text.ends_with("\n\n") {
        return Err(refuse(
            "the checkpoint file has an empty line at its end: it ends with its last signature line".into(),
        ));
    }
    Ok(text)
}

/// The size a checkpoint text states, read without checking its signature (to know which
/// roots to keep while verifying).
pub fn checkpoint_size(text: &str) -> Option<u64> {
    let (body, _) = crate::note::split_note(text).ok()?;
    Checkpoint::parse_body(&body)
        .ok()
        .map(|checkpoint| checkpoint.size)
}

/// The JSON member name of an export's closing checkpoint line.
pub const EXPORT_CHECKPOINT_MEMBER: &str = "checkpoint";

/// Render the closing line of an export (canonical JSON, without the newline).
pub fn export_checkpoint_line(note_text: &str) -> Vec<u8> {
    crate::canonical::to_canonical(&serde_json::json!({ EXPORT_CHECKPOINT_MEMBER: note_text }))
        .expect("a string re-serialises")
}

/// Read an export's closing line: the canonical object whose single member is `checkpoint`.
pub fn parse_export_checkpoint_line(line: &[u8]) -> Option<String> {
    match crate::canonical::parse_canonical(line) {
        Ok(serde_json::Value::Object(object)) if object.len() == 1 => {
            match object.get(EXPORT_CHECKPOINT_MEMBER) {
                Some(serde_json::Value::String(text)) => Some(text.clone()),
                _ => None,
            }
        }
        _ => None,
    }
}

/// The checkpoints a verification checks besides the per-event checks.
#[derive(Clone, Debug, Default)]
pub struct Anchors {
    /// The checkpoint the ledger carries: an export's last line, a data directory's latest.
    pub own: Option<String>,
    /// Older checkpoints stored in a data directory.
    pub stored: Vec<String>,
    /// A checkpoint the user saved earlier; the ledger must extend it.
    pub saved: Option<String>,
    /// A verifier key the user trusts; event 0 must name it.
    pub trusted: Option<VerifierKey>,
}

impl Anchors {
    fn sizes(&self) -> Vec<u64> {
        self.own
            .iter()
            .chain(&self.stored)
            .chain(&self.saved)
            .filter_map(|text| checkpoint_size(text))
            .collect()
    }
}

/// A ledger that passed every check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Report {
    /// The per-event results.
    pub verified: Verified,
    /// The ledger's own checkpoint, checked.
    pub own: Option<Checkpoint>,
    /// How many older stored checkpoints were checked.
    pub stored_checked: usize,
    /// The saved checkpoint, checked.
    pub saved: Option<Checkpoint>,
    /// Whether the key was the trusted one given.
    pub key_trusted: bool,
}

/// What the check of a data directory's stored Merkle nodes found wrong. The store finds it;
/// the verdict (`merkle root`) says it in kaohe's words, whatever the storage library said.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NodeDamage {
    /// A node the ledger's size implies is missing.
    Missing {
        /// Its level.
        level: u8,
        /// Its index within the level.
        index: u64,
    },
    /// The stored leaf hash of an event is not the hash of its bytes.
    WrongLeaf(u64),
    /// A stored node is not the hash of its two children.
    WrongNode {
        /// Its level.
        level: u8,
        /// Its index within the level.
        index: u64,
    },
    /// A level of the tree holds another number of nodes than the size implies.
    Count {
        /// The level.
        level: u8,
        /// The nodes stored.
        count: u64,
        /// The nodes the size implies.
        expected: u64,
    },
    /// More nodes are stored than the size implies.
    Stray {
        /// The nodes stored.
        count: u64,
        /// The nodes the size implies.
        expected: u64,
    },
    /// The pages that hold the nodes do not read as they were written.
    Pages,
    /// Reading the nodes failed (the disk, not the file).
    Unreadable,
}

impl fmt::Display for NodeDamage {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NodeDamage::Missing { level, index } => {
                write!(formatter, "Merkle node ({level}, {index}) is missing")
            }
            NodeDamage::WrongLeaf(position) => write!(
                formatter,
                "the stored leaf hash of event {position} is not its hash"
            ),
            NodeDamage::WrongNode { level, index } => {
                write!(formatter, "stored Merkle node ({level}, {index}) is wrong")
            }
            NodeDamage::Count {
                level,
                count,
                expected,
            } => write!(
                formatter,
                "level {level} has {count} stored nodes, {expected} expected"
            ),
            NodeDamage::Stray { count, expected } => {
                write!(
                    formatter,
                    "{count} Merkle nodes stored, {expected} expected"
                )
            }
            NodeDamage::Pages => {
                formatter.write_str("the pages that hold the Merkle nodes are damaged")
            }
            NodeDamage::Unreadable => formatter.write_str("reading the file failed"),
        }
    }
}

/// The whole verification of one ledger: per-event checks as events arrive, then the key,
/// the stored nodes (for a data directory) and every checkpoint.
#[derive(Debug)]
pub struct LedgerCheck {
    verifier: LedgerVerifier,
    anchors: Anchors,
    failure: Option<Failure>,
    /// Whether the own checkpoint must be of the whole ledger (an export's is; a data
    /// directory's latest may be older than its last events).
    own_is_whole: bool,
}

impl LedgerCheck {
    /// Start a verification against these checkpoints.
    pub fn new(anchors: Anchors) -> Self {
        LedgerCheck {
            verifier: LedgerVerifier::new(anchors.sizes()),
            anchors,
            failure: None,
            own_is_whole: false,
        }
    }

    /// Check the next event; false once something failed (stop feeding then).
    pub fn push(&mut self, bytes: &[u8]) -> bool {
        self.push_prepared(&PreparedEvent::new(bytes))
    }

    /// Check the next event, prepared on any thread; false once something failed.
    pub fn push_prepared(&mut self, prepared: &PreparedEvent) -> bool {
        self.push_prepared_with_nodes(prepared, &mut |_, _, _| {})
    }

    /// Check the next event as `push_prepared` does, telling `nodes` each Merkle node its leaf
    /// completes; false once something failed.
    pub fn push_prepared_with_nodes(
        &mut self,
        prepared: &PreparedEvent,
        nodes: &mut dyn FnMut(u8, u64, Hash),
    ) -> bool {
        if self.failure.is_some() {
            return false;
        }
        if let Err(failure) = self.verifier.push_prepared_with_nodes(prepared, nodes) {
            self.failure = Some(failure);
        }
        self.failure.is_none()
    }

    /// Record a failure found outside the events (the file's structure).
    pub fn fail(&mut self, failure: Failure) {
        if self.failure.is_none() {
            self.failure = Some(failure);
        }
    }

    /// How many events were checked.
    pub fn size(&self) -> u64 {
        self.verifier.size()
    }

    /// The ledger's own checkpoint, if it has one.
    pub fn own_checkpoint(&self) -> Option<&str> {
        self.anchors.own.as_deref()
    }

    /// Set the ledger's own checkpoint (an export's last line, read at the end).
    pub fn set_own_checkpoint(&mut self, text: String) {
        self.anchors.own = Some(text);
    }

    /// The root the own checkpoint signs for the whole ledger, if it is of the whole ledger
    /// and opens with the key event 0 names: what pins a chain break at the last link.
    fn signed_root_of_all(&self) -> Option<Hash> {
        self.verifier.signed_root(self.anchors.own.as_deref()?)
    }

    /// Finish: `stored_nodes` is what the check of a data directory's Merkle nodes found.
    pub fn finish(self, stored_nodes: Option<Result<(), NodeDamage>>) -> Result<Report, Failure> {
        if let Some(failure) = self.failure {
            return Err(failure);
        }
        let signed_root = self.signed_root_of_all();
        let verified = self.verifier.finish(signed_root.as_ref())?;
        let anchors = self.anchors;
        let key = &verified.genesis.verifier_key;
        if let Some(trusted) = &anchors.trusted
            && trusted != key
        {
            return Err(fail(
                Check::Genesis,
                Some(0),
                format!(
                    "event 0 names the key {}, not the trusted key {}: the ledger was recreated with another key",
                    key.to_text(),
                    trusted.to_text()
                ),
            ));
        }
        if let Some(Err(damage)) = stored_nodes {
            return Err(fail(Check::MerkleRoot, None, damage.to_string()));
        }
        let own = match anchors.own.as_deref() {
            None => None,
            Some(text) if self.own_is_whole => Some(check_whole_checkpoint(&verified, text)?),
            Some(text) => Some(check_checkpoint(&verified, text, Check::MerkleRoot)?),
        };
        for older in &anchors.stored {
            check_checkpoint(&verified, older, Check::CheckpointSignature)?;
        }
        let saved = anchors
            .saved
            .as_deref()
            .map(|text| check_checkpoint(&verified, text, Check::SavedCheckpoint))
            .transpose()?;
        Ok(Report {
            verified,
            own,
            stored_checked: anchors.stored.len(),
            saved,
            key_trusted: anchors.trusted.is_some(),
        })
    }
}

/// How an export's checkpoint line begins, and no event line does: an event's canonical form
/// begins with its first member in sorting order, `actor`.
const CHECKPOINT_LINE_START: &[u8] = b"{\"checkpoint\":";

/// The byte order mark, which an export never starts with.
const BYTE_ORDER_MARK: &[u8] = b"\xef\xbb\xbf";

/// Verifies an export line by line: every line but the last is an event, the last is the
/// checkpoint line. One line is held back until the next arrives, to know which is last.
///
/// Faults of the file rather than of an event (FORMAT.md 6) are reported as such, by line
/// number and, where the line stands where an event belongs, by that event's position.
#[derive(Debug)]
pub struct ExportCheck {
    check: LedgerCheck,
    line: u64,
    held: Option<Vec<u8>>,
    /// The checks of the held line as an event, when they were made on another thread.
    held_prepared: Option<PreparedEvent>,
    spare: Vec<u8>,
}

impl ExportCheck {
    /// Start; `anchors.own` is taken from the export itself.
    pub fn new(anchors: Anchors) -> Self {
        let mut check = LedgerCheck::new(anchors);
        check.own_is_whole = true;
        ExportCheck {
            check,
            line: 0,
            held: None,
            held_prepared: None,
            spare: Vec::new(),
        }
    }

    /// Check the next line, without its newline; `ended_with_newline` is false only for a
    /// final line that had none. False once something failed.
    pub fn push_line(&mut self, line: &[u8], ended_with_newline: bool) -> bool {
        self.push_line_with(line, ended_with_newline, None)
    }

    /// Check the next line as `push_line` does, with the checks of the line as an event
    /// already made (on another thread, `PreparedEvent::new` of the line): they count only if
    /// the line turns out to be an event line.
    pub fn push_line_prepared(
        &mut self,
        line: &[u8],
        ended_with_newline: bool,
        prepared: PreparedEvent,
    ) -> bool {
        self.push_line_with(line, ended_with_newline, Some(prepared))
    }

    fn push_line_with(
        &mut self,
        line: &[u8],
        ended_with_newline: bool,
        prepared: Option<PreparedEvent>,
    ) -> bool {
        self.line += 1;
        // A line is followed, so the line before it is where an event belongs.
        if let Some(previous) = self.held.take() {
            let held_prepared = self.held_prepared.take();
            let going = self.push_event_line(&previous, held_prepared);
            self.spare = previous;
            if !going {
                return false;
            }
        }
        if let Some(fault) = self.line_fault(line, ended_with_newline) {
            self.check.fail(fault);
            return false;
        }
        let mut next = std::mem::take(&mut self.spare);
        next.clear();
        next.extend_from_slice(line);
        self.held = Some(next);
        self.held_prepared = prepared;
        true
    }

    /// Check the line before the current one as the event it must be.
    fn push_event_line(&mut self, line: &[u8], prepared: Option<PreparedEvent>) -> bool {
        if line.starts_with(CHECKPOINT_LINE_START) {
            let number = self.line - 1;
            self.check.fail(fail(
                Check::ExportFile,
                Some(self.check.size()),
                format!(
                    "line {number} is a checkpoint line, but line {} follows it: the checkpoint line must be the last line",
                    self.line
                ),
            ));
            return false;
        }
        match prepared {
            Some(prepared) => self.check.push_prepared(&prepared),
            None => self.check.push(line),
        }
    }

    /// What is wrong with the current line as a line of an export, whatever it holds.
    fn line_fault(&self, line: &[u8], ended_with_newline: bool) -> Option<Failure> {
        let number = self.line;
        // Where the line stands, the event of this position belongs, unless it is the last.
        let event = Some(self.check.size());
        if !ended_with_newline {
            return Some(fail(
                Check::ExportFile,
                None,
                format!(
                    "line {number}, the last, does not end with a line feed: the export was cut short"
                ),
            ));
        }
        if number == 1 && line.starts_with(BYTE_ORDER_MARK) {
            return Some(fail(
                Check::ExportFile,
                event,
                "the export starts with a byte order mark (EF BB BF): an export has none",
            ));
        }
        if line.ends_with(b"\r") {
            return Some(fail(
                Check::ExportFile,
                event,
                format!(
                    "line {number} ends with a carriage return: an export's lines end with a line feed alone, not CR LF"
                ),
            ));
        }
        if line.is_empty() {
            return Some(fail(
                Check::ExportFile,
                event,
                format!("line {number} is empty: an export has no empty lines"),
            ));
        }
        None
    }

    /// Verify everything whole; returns how many events were checked, and the outcome.
    pub fn finish(mut self) -> (u64, Result<Report, Failure>) {
        let number = self.line;
        match self.held.take() {
            // Nothing held: the file had no lines, or a fault stopped the pass already.
            None if number == 0 => self.check.fail(fail(
                Check::ExportFile,
                None,
                "the export is empty: it has no lines",
            )),
            None => {}
            Some(last) => match parse_export_checkpoint_line(&last) {
                Some(_) if self.check.size() == 0 => self.check.fail(fail(
                    Check::ExportFile,
                    None,
                    "the export has no events: its only line is a checkpoint line",
                )),
                Some(text) => self.check.set_own_checkpoint(text),
                None if last.starts_with(CHECKPOINT_LINE_START) => self.check.fail(fail(
                    Check::ExportFile,
                    None,
                    format!(
                        "line {number}, the last, is a damaged checkpoint line: it is not the canonical JSON of an object whose one member is checkpoint, a string"
                    ),
                )),
                None => self.check.fail(fail(
                    Check::ExportFile,
                    None,
                    format!(
                        "line {number}, the last, is not a checkpoint line: the export was truncated, or its checkpoint line removed"
                    ),
                )),
            },
        }
        let size = self.check.size();
        (size, self.check.finish(None))
    }
}

/// Verify a whole export held in memory on `threads` threads (`verify_pipelined`), chunks
/// of `chunk_lines` lines at a time: the same verdict as `verify_export_bytes`.
pub fn verify_export_bytes_on(
    bytes: &[u8],
    anchors: Anchors,
    threads: usize,
    chunk_lines: usize,
) -> (u64, Result<Report, Failure>) {
    let mut check = ExportCheck::new(anchors);
    verify_pipelined(
        threads,
        |send| {
            let mut chunk = EventChunk::default();
            let mut rest = bytes;
            while !rest.is_empty() {
                let (line, ended, next) = match rest.iter().position(|byte| *byte == b'\n') {
                    Some(end) => (&rest[..end], true, &rest[end + 1..]),
                    None => (rest, false, &rest[rest.len()..]),
                };
                chunk.push(line, ended);
                if chunk.len() >= chunk_lines.max(1) && !send(std::mem::take(&mut chunk)) {
                    return;
                }
                rest = next;
            }
            if !chunk.is_empty() {
                send(chunk);
            }
        },
        |chunk, prepared| {
            chunk
                .items()
                .zip(prepared)
                .all(|((line, ended), prepared)| check.push_line_prepared(line, ended, prepared))
        },
    );
    check.finish()
}

/// Verify a whole export held in memory.
pub fn verify_export_bytes(bytes: &[u8], anchors: Anchors) -> (u64, Result<Report, Failure>) {
    let mut check = ExportCheck::new(anchors);
    let mut rest = bytes;
    while !rest.is_empty() {
        let (line, ended, next) = match rest.iter().position(|byte| *byte == b'\n') {
            Some(end) => (&rest[..end], true, &rest[end + 1..]),
            None => (rest, false, &rest[rest.len()..]),
        };
        if !check.push_line(line, ended) {
            break;
        }
        rest = next;
    }
    check.finish()
}
