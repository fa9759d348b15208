//! The scripted workload both fault suites run on a simulated disk, step by step, and the
//! checks a ledger recovered from the disk must pass.
//!
//! The workload is deterministic: fixed ids, a clock the script sets before each step, and
//! group commits made deterministic by holding the writer inside a commit while the next
//! appends queue behind it. So a run without faults gives a reference ledger, byte for byte,
//! and a run cut short by a fault can be resumed, retrying the step that failed with the same
//! ids, and must end with exactly the reference ledger.

use jiff::civil::date;
use kaohe_assess::commands::{CosignDecision, IssueToken, Nominate, ProposeDecision, WriteEntry};
use kaohe_assess::state::Kind;
use kaohe_assess::{Command, Fact, State};
use kaohe_engine::{Engine, verified_events};
use kaohe_ledger::Hash;
use kaohe_ledger::event::EventDraft;
use kaohe_ledger::hash::leaf_hash;
use kaohe_ledger::note::Checkpoint;
use kaohe_store::fault::{Operation, SimulatedDisk};
use kaohe_store::{Appended, Expect, OpenError, SideWrite, Store, StoreOptions};
use kaohe_testkit::{
    GENESIS_ID, Given, Roster, ScriptedClock, entry_saying, fixed_id, genesis, signer,
};
use uuid::Uuid;

/// The steps, by name, in order. Each is one commit or a few, and the last closes the store.
pub const STEPS: [&str; 12] = [
    "create the ledger (event 0)",
    "the roster and a token in one batch, with the token's hash beside it",
    "a single append",
    "four appends, three of them sharing one commit",
    "a checkpoint",
    "the engine folds the ledger; an entry through the engine",
    "a best nomination",
    "a worst nomination",
    "a proposed decision",
    "the co-signed decision and its six sanctions in one batch",
    "a second checkpoint",
    "close the store",
];

/// The index of the step that closes the store.
pub const CLOSE: usize = STEPS.len() - 1;

/// The token the roster batch issues, and the hash stored beside its event.
pub const TOKEN_ID: Uuid = Uuid::from_u128(0x0190_0000_0000_7000_8000_0000_0000_00aa);
const TOKEN_HASH: [u8; 32] = [0x5a; 32];

/// The time the clock shows during each step.
const STEP_TIMES: [&str; 12] = [
    "2026-01-02T09:00:00+08:00",
    "2026-01-02T09:30:00+08:00",
    "2026-03-31T18:00:00+08:00",
    "2026-03-31T18:30:00+08:00",
    "2026-03-31T19:00:00+08:00",
    "2026-03-31T20:00:00+08:00",
    "2026-04-01T10:00:00+08:00",
    "2026-04-01T10:30:00+08:00",
    "2026-04-01T11:00:00+08:00",
    "2026-04-01T12:00:00+08:00",
    "2026-04-01T13:00:00+08:00",
    "2026-04-01T14:00:00+08:00",
];

/// A cadre's daily entry, appended straight through the store.
pub fn entry(n: u64, person: &str, day: i8) -> EventDraft {
    entry_saying(
        fixed_id(n),
        person,
        date(2026, 3, day),
        &format!("{day}日到东风村走访低保户三户，核实家庭收入变化"),
        "掌握了低保动态管理的新要求",
    )
}

/// The small township's roster and a token for p001, decided by the rules against the ledger
/// of event 0 alone.
fn roster() -> Vec<EventDraft> {
    let mut given = Given::ledger();
    given.enrol(&Roster::small(), STEP_TIMES[1]);
    given.ok(
        "office",
        STEP_TIMES[1],
        Command::IssueToken(IssueToken {
            token_id: TOKEN_ID,
            person_id: "p001".into(),
        }),
    );
    given.events.split_off(1)
}

/// The store's settings in the suites: a clock the script sets, and a small cache, so that
/// reads reach the disk and the write buffer spills pages before commits.
pub fn options(clock: &ScriptedClock) -> StoreOptions {
    StoreOptions {
        cache_bytes: 64 * 1024,
        ..clock.options()
    }
}

/// An event acknowledged to its appender: where, which, and the hash of its bytes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Acked {
    /// Its position.
    pub position: u64,
    /// Its id.
    pub id: Uuid,
    /// Its leaf hash, the hash of its exact bytes.
    pub leaf: Hash,
}

impl From<&Appended> for Acked {
    fn from(appended: &Appended) -> Self {
        Acked {
            position: appended.position,
            id: appended.id,
            leaf: appended.leaf,
        }
    }
}

/// What a run acknowledged, and where it stopped.
#[derive(Clone, Debug, Default)]
pub struct Outcome {
    /// Every event acknowledged, in the order answered.
    pub acked: Vec<Acked>,
    /// The sizes of the checkpoints whose storing was acknowledged.
    pub checkpoints: Vec<u64>,
    /// The first step that failed, and its error.
    pub failed: Option<(usize, String)>,
}

/// One run of the workload over one disk.
pub struct Run {
    /// The disk under the store.
    pub disk: SimulatedDisk,
    clock: ScriptedClock,
    store: Option<Store>,
    engine: Option<Engine>,
    runtime: tokio::runtime::Runtime,
    /// What it acknowledged.
    pub outcome: Outcome,
}

impl Run {
    /// A run on `disk`, nothing open yet.
    pub fn new(disk: SimulatedDisk) -> Run {
        Run {
            disk,
            clock: ScriptedClock::at(STEP_TIMES[0]),
            store: None,
            engine: None,
            runtime: tokio::runtime::Builder::new_current_thread()
                .build()
                .expect("a runtime"),
            outcome: Outcome::default(),
        }
    }

    /// Open the ledger already on the disk (as a restarted process does).
    pub fn open(&mut self) -> Result<(), OpenError> {
        self.store = Some(Store::open_with_backend(
            self.disk.clone(),
            options(&self.clock),
        )?);
        Ok(())
    }

    /// The store, once created or opened.
    pub fn store(&self) -> Option<&Store> {
        self.store.as_ref()
    }

    /// The engine's live state, once the engine is open and while it shows it.
    pub fn engine_state(&self) -> Option<State> {
        let engine = self.engine.as_ref()?;
        match engine.unavailable() {
            Some(_) => None,
            None => Some(engine.read(State::clone)),
        }
    }

    /// Drop the engine and the store, as a process that stops does.
    pub fn close(&mut self) {
        self.engine = None;
        self.store = None;
    }

    /// Run steps `from..to`, stopping at the first that fails. A step that the ledger already
    /// holds (a retry after its answer was lost) is answered from the ledger.
    pub fn steps(&mut self, from: usize, to: usize) {
        for (step, time) in STEP_TIMES.iter().enumerate().take(to).skip(from) {
            self.clock.set(time);
            if let Err(error) = self.step(step) {
                self.outcome.failed = Some((step, error));
                return;
            }
        }
    }

    fn open_store(&self) -> Result<&Store, String> {
        self.store
            .as_ref()
            .ok_or_else(|| "the store is not open".to_string())
    }

    fn ack(&mut self, appended: &[Appended]) {
        self.outcome.acked.extend(appended.iter().map(Acked::from));
    }

    fn step(&mut self, step: usize) -> Result<(), String> {
        match step {
            0 => {
                let store =
                    Store::create_with_backend(self.disk.clone(), &genesis(), options(&self.clock))
                        .map_err(|error| error.to_string())?;
                let head = store.head().map_err(|error| error.to_string())?;
                self.outcome.acked.push(Acked {
                    position: 0,
                    id: GENESIS_ID,
                    leaf: head.last_leaf,
                });
                self.store = Some(store);
            }
            1 => {
                let appended = self
                    .open_store()?
                    .submit(
                        roster(),
                        Expect::Size(1),
                        vec![SideWrite::PutToken {
                            id: TOKEN_ID,
                            hash: TOKEN_HASH,
                        }],
                    )
                    .and_then(|pending| pending.wait_blocking())
                    .map_err(|error| error.to_string())?;
                self.ack(&appended);
            }
            2 => {
                let appended = self
                    .open_store()?
                    .append(entry(200, "p001", 31), Expect::Any)
                    .map_err(|error| error.to_string())?;
                self.ack(&[appended]);
            }
            3 => self.group()?,
            4 | 10 => self.checkpoint()?,
            5 => {
                let store = self.open_store()?.clone();
                let engine =
                    Engine::open(store, self.clock.clock()).map_err(|error| error.to_string())?;
                self.engine = Some(engine);
                self.execute(
                    "p002",
                    Command::WriteEntry(WriteEntry {
                        date: date(2026, 3, 31),
                        did: "31日到西河村调解土地纠纷".into(),
                        learned: "学会了先听后讲".into(),
                    }),
                    5,
                )?;
            }
            6 | 7 => {
                let (kind, cadre, cited) = if step == 6 {
                    (Kind::Best, "p001", fixed_id(200))
                } else {
                    (Kind::Worst, "p002", request_id(5))
                };
                self.execute(
                    "l01",
                    Command::Nominate(Nominate {
                        month: "2026-03".parse().expect("a month"),
                        kind,
                        cadre_id: cadre.into(),
                        reason: "依据记录".into(),
                        cited_ids: vec![cited],
                        override_reason: None,
                    }),
                    step,
                )?;
            }
            8 => self.execute(
                "s01",
                Command::ProposeDecision(ProposeDecision {
                    quarter: "2026-Q1".parse().expect("a quarter"),
                    best: vec!["p001".into()],
                    worst: vec!["p002".into()],
                }),
                8,
            )?,
            9 => self.execute(
                "m01",
                Command::CosignDecision(CosignDecision {
                    quarter: "2026-Q1".parse().expect("a quarter"),
                    proposal_id: request_id(8),
                }),
                9,
            )?,
            CLOSE => {
                // Dropping the last handle closes the database: redb's clean shutdown.
                self.engine = None;
                self.store = None;
            }
            _ => unreachable!("step {step}"),
        }
        Ok(())
    }

    /// A, alone in its commit; then B, C and D queued while the writer is held inside A's
    /// commit, so that they share the next one.
    fn group(&mut self) -> Result<(), String> {
        let store = self.open_store()?.clone();
        let failures_before = self.disk.failures();
        let hold = self.disk.hold_next_sync();
        let first = store
            .submit(vec![entry(300, "p001", 29)], Expect::Any, Vec::new())
            .map_err(|error| error.to_string())?;
        let held = hold.wait_until_held(std::time::Duration::from_secs(10));
        if !held && !self.disk.crashed() && self.disk.failures() == failures_before {
            // Neither a crash nor a failed call: the first commit finished without a sync.
            return Err("the first append was committed without syncing the disk".into());
        }
        let mut rest = Vec::new();
        for (n, person, day) in [(301, "p001", 30), (302, "p002", 29), (303, "p002", 30)] {
            rest.push(
                store
                    .submit(vec![entry(n, person, day)], Expect::Any, Vec::new())
                    .map_err(|error| error.to_string()),
            );
        }
        hold.release();
        let mut failure = None;
        for pending in std::iter::once(Ok(first)).chain(rest) {
            match pending
                .and_then(|pending| pending.wait_blocking().map_err(|error| error.to_string()))
            {
                Ok(appended) => self.ack(&appended),
                Err(error) => {
                    failure.get_or_insert(error);
                }
            }
        }
        match failure {
            Some(error) => Err(error),
            None => Ok(()),
        }
    }

    fn checkpoint(&mut self) -> Result<(), String> {
        let store = self.open_store()?;
        let snapshot = store.snapshot().map_err(|error| error.to_string())?;
        let size = snapshot.size();
        let note = Checkpoint {
            origin: store.genesis().origin.clone(),
            size,
            root: snapshot.root_at(size).map_err(|error| error.to_string())?,
        }
        .sign(&signer())
        .map_err(|error| error.to_string())?;
        drop(snapshot);
        store
            .put_checkpoint(size, note)
            .map_err(|error| error.to_string())?;
        self.outcome.checkpoints.push(size);
        Ok(())
    }

    fn execute(&mut self, actor: &str, command: Command, step: usize) -> Result<(), String> {
        if self.engine.is_none() {
            let store = self.open_store()?.clone();
            self.engine =
                Some(Engine::open(store, self.clock.clock()).map_err(|error| error.to_string())?);
        }
        let engine = self.engine.as_ref().expect("opened above");
        let executed = self
            .runtime
            .block_on(engine.execute(actor, command, Some(request_id(step))))
            .map_err(|error| error.to_string())?;
        self.outcome
            .acked
            .extend(executed.events.iter().map(|event| Acked {
                position: event.position,
                id: event.id,
                leaf: event.leaf,
            }));
        Ok(())
    }
}

/// The request id of the engine command of `step`.
fn request_id(step: usize) -> Uuid {
    fixed_id(400 + step as u64)
}

/// The ledger a run without faults leaves, and what it cost.
#[derive(Clone, Debug)]
pub struct Reference {
    /// Every event's bytes.
    pub events: Vec<Vec<u8>>,
    /// The ledger's size after each step.
    pub sizes: Vec<u64>,
    /// The ledger's size after each commit that appended events: where a crash may cut it.
    pub cuts: Vec<u64>,
    /// Every stored checkpoint: size and note.
    pub checkpoints: Vec<(u64, String)>,
    /// Calls of each kind (`Operation::ALL`'s order) the whole workload made.
    pub calls: [u64; 4],
    /// The syncs made before the store is closed.
    pub syncs_before_close: u64,
}

impl Reference {
    /// Run the workload without faults.
    pub fn record() -> Reference {
        let mut run = Run::new(SimulatedDisk::new());
        let mut sizes = Vec::new();
        let mut syncs_before_close = 0;
        for step in 0..STEPS.len() {
            if step == CLOSE {
                syncs_before_close = run.disk.calls(Operation::Sync);
            }
            run.steps(step, step + 1);
            if let Some((step, error)) = &run.outcome.failed {
                panic!("the workload fails without faults at step {step}: {error}");
            }
            sizes.push(run.outcome.acked.len() as u64);
        }
        let calls = Operation::ALL.map(|operation| run.disk.calls(operation));
        let mut reopened = Run::new(SimulatedDisk::from_image(run.disk.live_image()));
        reopened.open().expect("the reference ledger opens");
        let snapshot = reopened
            .store()
            .expect("open")
            .snapshot()
            .expect("a snapshot");
        let mut events = Vec::new();
        snapshot
            .for_each_event(0, |_, bytes| {
                events.push(bytes.to_vec());
                true
            })
            .expect("the events read");
        // Every step appends in one commit but the group, whose first append commits alone.
        let mut cuts = sizes.clone();
        cuts.push(sizes[2] + 1);
        cuts.sort_unstable();
        cuts.dedup();
        let reference = Reference {
            cuts,
            checkpoints: snapshot.checkpoints().expect("the checkpoints read"),
            syncs_before_close,
            events,
            sizes,
            calls,
        };
        assert_eq!(reference.checkpoints.len(), 2);
        assert_eq!(reference.events.len() as u64, reference.sizes[CLOSE]);
        assert!(
            reference.sizes.windows(2).all(|pair| pair[0] <= pair[1]),
            "{:?}",
            reference.sizes
        );
        reference
    }

    /// The syncs the whole workload made.
    pub fn syncs(&self) -> u64 {
        self.calls[3]
    }
}

/// The state folded from the first `size` events of the reference.
pub fn reference_state(reference: &Reference, size: u64) -> State {
    let parsed: Vec<_> = reference.events[..size as usize]
        .iter()
        .map(|bytes| kaohe_ledger::event::parse_event(bytes).expect("a reference event parses"))
        .collect();
    State::from_events(parsed.iter().map(Fact::from)).expect("the reference folds")
}

/// Open the ledger on `disk` and check it against what the run that left it acknowledged:
///
/// - it opens (or, if event 0 was never acknowledged, may be refused as no ledger);
/// - every acknowledged event is there, byte for byte (its stored bytes hash to the leaf
///   acknowledged), and every acknowledged checkpoint;
/// - the ledger is exactly the reference ledger cut after one of its commits: nothing of a
///   commit is half there (a batch lands whole), and nothing beyond the first step that
///   failed;
/// - it verifies (every event, the chain, the stored checkpoints, every stored Merkle node);
/// - a token whose event is there has its hash beside it;
/// - the engine opens on it, and its state is the state folded from those events.
///
/// Returns the ledger's size, or `None` for a refused ledger that never held event 0. The
/// store is closed again before it returns.
pub fn check_disk(
    disk: &SimulatedDisk,
    reference: &Reference,
    outcome: &Outcome,
) -> Result<Option<u64>, String> {
    let clock = ScriptedClock::at(STEP_TIMES[CLOSE]);
    let store = match Store::open_with_backend(disk.clone(), options(&clock)) {
        Ok(store) => store,
        // Creation was never acknowledged: what is there need not be a ledger.
        Err(_) if outcome.acked.is_empty() => return Ok(None),
        Err(error) => return Err(format!("the recovered ledger does not open: {error}")),
    };
    let snapshot = store.snapshot().map_err(|error| error.to_string())?;
    let size = snapshot.size();
    for acked in &outcome.acked {
        let bytes = snapshot
            .event(acked.position)
            .map_err(|error| format!("acknowledged event {} is lost: {error}", acked.position))?;
        if leaf_hash(&bytes) != acked.leaf {
            return Err(format!(
                "acknowledged event {} ({}) is not the bytes acknowledged",
                acked.position, acked.id
            ));
        }
    }
    let stored_checkpoints = snapshot.checkpoints().map_err(|error| error.to_string())?;
    for size in &outcome.checkpoints {
        if !stored_checkpoints.iter().any(|(stored, _)| stored == size) {
            return Err(format!(
                "the acknowledged checkpoint of size {size} is lost"
            ));
        }
    }
    // Exactly the reference, cut after a commit no later than the step that failed.
    let last_step = outcome.failed.as_ref().map_or(CLOSE, |(step, _)| *step);
    if !reference.cuts.contains(&size) || size > reference.sizes[last_step] {
        return Err(format!(
            "the recovered ledger has {size} events: not the end of any commit up to step \
             {last_step} (commits end at {:?}); part of a commit is there",
            reference.cuts
        ));
    }
    let mut events = Vec::new();
    snapshot
        .for_each_event(0, |position, bytes| {
            events.push((position, bytes.to_vec()));
            true
        })
        .map_err(|error| error.to_string())?;
    for (position, bytes) in &events {
        if *bytes != reference.events[*position as usize] {
            return Err(format!("event {position} differs from the reference"));
        }
    }
    for (stored_size, note) in &stored_checkpoints {
        if !reference
            .checkpoints
            .iter()
            .any(|(size, text)| size == stored_size && text == note)
        {
            return Err(format!(
                "a checkpoint of size {stored_size} is not the reference's"
            ));
        }
    }
    // What `kaohe verify` checks: every event, the chain, the stored checkpoints, every node.
    let parsed = verified_events(&snapshot)
        .map_err(|error| format!("the recovered ledger does not verify: {error}"))?;
    let token_event = reference
        .events
        .iter()
        .position(|bytes| bytes.windows(12).any(|window| window == b"token_issued"))
        .expect("the reference issues a token") as u64;
    let token = snapshot
        .token_hash(TOKEN_ID)
        .map_err(|error| error.to_string())?;
    if (size > token_event) != (token == Some(TOKEN_HASH)) {
        return Err(format!(
            "the token's event is {}there but its hash is {:?}",
            if size > token_event { "" } else { "not " },
            token
        ));
    }
    let engine = Engine::open(store.clone(), clock.clock())
        .map_err(|error| format!("the engine does not open: {error}"))?;
    let folded = State::from_events(parsed.iter().map(Fact::from))
        .map_err(|error| format!("the events do not fold: {error}"))?;
    if !engine.read(|state| *state == folded) {
        return Err("the engine's state is not the state folded from the ledger".into());
    }
    drop(engine);
    drop(snapshot);
    drop(store);
    Ok(Some(size))
}

/// Restart on `disk` after the run that left `outcome`, retry the step that failed and run
/// the rest: the ledger must end exactly as the reference, with every checkpoint.
pub fn resume(disk: SimulatedDisk, outcome: &Outcome, reference: &Reference) -> Result<(), String> {
    let failed = outcome.failed.as_ref().map_or(CLOSE, |(step, _)| *step);
    let mut run = Run::new(disk);
    let from = match run.open() {
        // Retrying creation is opening what it left.
        Ok(()) => failed.max(1),
        // No ledger was ever acknowledged: start again on a new disk, as `kaohe init` would.
        Err(_) if outcome.acked.is_empty() => {
            run = Run::new(SimulatedDisk::new());
            0
        }
        Err(error) => return Err(format!("resumed, it does not reopen: {error}")),
    };
    run.steps(from, STEPS.len());
    if let Some((step, error)) = &run.outcome.failed {
        return Err(format!("resumed, step {step} fails: {error}"));
    }
    let mut all = outcome.clone();
    all.acked.extend(run.outcome.acked.iter().copied());
    all.checkpoints
        .extend(run.outcome.checkpoints.iter().copied());
    all.failed = None;
    let finished = SimulatedDisk::from_image(run.disk.durable_image());
    drop(run);
    let size = check_disk(&finished, reference, &all)?;
    if size != Some(reference.events.len() as u64) {
        return Err(format!(
            "resumed, the workload ends with {size:?} events, not {}",
            reference.events.len()
        ));
    }
    if !reference
        .checkpoints
        .iter()
        .all(|(size, _)| all.checkpoints.contains(size))
    {
        return Err("resumed, a checkpoint of the reference was never acknowledged".into());
    }
    Ok(())
}
