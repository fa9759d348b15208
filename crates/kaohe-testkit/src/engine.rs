//! The township recorded through the engine, as the service records it: commands decided
//! against the live state and appended at the time the scripted clock shows; the roster, each
//! person's token, and March's records.

use std::collections::BTreeMap;

use jiff::civil::date;
use kaohe_assess::commands::{GiveOpinion, Nominate, SubmitSheet, WriteEntry};
use kaohe_assess::state::Kind;
use kaohe_assess::{Command, Fact, State};
use kaohe_engine::{Engine, Executed, verified_events};
use kaohe_store::Store;
use tempfile::TempDir;
use uuid::Uuid;

use crate::clock::ScriptedClock;
use crate::roster::{ENROLLED_AT, Roster};
use crate::store::{create, temp_dir};

/// The cadres whose March [`EngineTown::march`] records.
const MARCH_CADRES: [&str; 3] = ["p001", "p002", "p003"];

/// A ledger with a clock the test moves, and an engine over it.
pub struct EngineTown {
    /// The engine.
    pub engine: Engine,
    /// The clock the engine and its store read.
    pub clock: ScriptedClock,
    /// Each person's bearer token, once issued.
    pub tokens: BTreeMap<String, String>,
    /// Events of the set-up the tests name: `e1`..`e3` and `f1`..`f3` the entries of 2 and 31
    /// March of p001..p003, `o1`..`o3` the opinions on them.
    pub ids: BTreeMap<&'static str, Uuid>,
    /// The type and id of every event the set-up recorded through the engine, in order.
    pub recorded: Vec<(String, Uuid)>,
    /// The data directory, for a ledger on disk.
    pub dir: Option<TempDir>,
}

impl EngineTown {
    /// The township's ledger (event 0 alone) in a new temporary directory, the clock at
    /// [`ENROLLED_AT`], the engine over it.
    pub fn in_temp_dir() -> EngineTown {
        let dir = temp_dir();
        let clock = ScriptedClock::at(ENROLLED_AT);
        let store = create(dir.path(), clock.options());
        EngineTown {
            dir: Some(dir),
            ..EngineTown::over(store, clock)
        }
    }

    /// The engine over `store`, reading `clock` (which the store should read too).
    pub fn over(store: Store, clock: ScriptedClock) -> EngineTown {
        let engine = Engine::open(store, clock.clock()).expect("the engine opens the ledger");
        EngineTown {
            engine,
            clock,
            tokens: BTreeMap::new(),
            ids: BTreeMap::new(),
            recorded: Vec::new(),
            dir: None,
        }
    }

    /// Set the clock to `time` (RFC 3339).
    pub fn at(&self, time: &str) {
        self.clock.set(time);
    }

    /// `command` by `person` now: it must be accepted.
    pub async fn must(&self, person: &str, command: Command) -> Executed {
        self.engine
            .execute(person, command.clone(), None)
            .await
            .unwrap_or_else(|error| panic!("{command:?} by {person}: {error}"))
    }

    /// As [`EngineTown::must`], its events kept in `recorded`.
    async fn record(&mut self, person: &str, command: Command) -> Executed {
        let executed = self.must(person, command).await;
        self.keep(&executed);
        executed
    }

    fn keep(&mut self, executed: &Executed) {
        self.recorded.extend(
            executed
                .events
                .iter()
                .map(|event| (event.event_type.clone(), event.id)),
        );
    }

    /// The office enrols `roster` now.
    pub async fn enrol(&mut self, roster: &Roster) {
        for command in roster.commands() {
            self.record("office", command).await;
        }
    }

    /// The office issues each of `people` a token now.
    pub async fn issue_tokens(&mut self, people: &[&str]) {
        for person in people {
            let (issued, executed) = self
                .engine
                .issue_token("office", person)
                .await
                .unwrap_or_else(|error| panic!("no token for {person}: {error}"));
            self.keep(&executed);
            self.tokens.insert((*person).into(), issued.text);
        }
    }

    /// March, as the cadres p001..p003 of `roster` and their chiefs and leader record it: an
    /// entry each on 2 and 31 March, the last sheet of March handed in and each chief's
    /// opinion on the evening of the 31st, and l01's nominations of March (p001 best, p002
    /// worst) at 08:00 on 1 April, where the clock is left.
    pub async fn march(&mut self, roster: &Roster) {
        for (day, names) in [(2, ["e1", "e2", "e3"]), (31, ["f1", "f2", "f3"])] {
            self.at(&format!("2026-03-{day:02}T18:00:00+08:00"));
            for (cadre, name) in MARCH_CADRES.into_iter().zip(names) {
                let executed = self
                    .record(
                        cadre,
                        Command::WriteEntry(WriteEntry {
                            date: date(2026, 3, day),
                            did: format!("3月{day}日到东风村走访低保户三户"),
                            learned: "核实了家庭收入变化".into(),
                        }),
                    )
                    .await;
                self.ids.insert(name, executed.events[0].id);
            }
        }
        self.at("2026-03-31T20:00:00+08:00");
        for (cadre, name) in MARCH_CADRES.into_iter().zip(["o1", "o2", "o3"]) {
            self.record(
                cadre,
                Command::SubmitSheet(SubmitSheet {
                    period: "2026-03-3".parse().unwrap(),
                }),
            )
            .await;
            let chief = roster
                .chief_of(cadre)
                .unwrap_or_else(|| panic!("{cadre} is in no area"));
            let executed = self
                .record(
                    chief,
                    Command::GiveOpinion(GiveOpinion {
                        cadre_id: cadre.into(),
                        month: "2026-03".parse().unwrap(),
                        opinion: "群众反映较好".into(),
                    }),
                )
                .await;
            self.ids.insert(name, executed.events[0].id);
        }
        self.at("2026-04-01T08:00:00+08:00");
        for (kind, cadre, cited) in [(Kind::Best, "p001", "f1"), (Kind::Worst, "p002", "f2")] {
            let cited = self.ids[cited];
            self.record(
                "l01",
                Command::Nominate(Nominate {
                    month: "2026-03".parse().unwrap(),
                    kind,
                    cadre_id: cadre.into(),
                    reason: "依据本月记录和片长意见".into(),
                    cited_ids: vec![cited],
                    override_reason: None,
                }),
            )
            .await;
        }
    }

    /// The live state equals the state folded from the ledger alone, once it verifies.
    pub fn check_state(&self) {
        check_state(&self.engine);
    }
}

/// The live state of `engine` equals the state folded from its ledger alone, after a full
/// verification of the ledger (every event, link, checkpoint and stored Merkle node).
pub fn check_state(engine: &Engine) {
    let snapshot = engine.store().snapshot().expect("a snapshot");
    let events = verified_events(&snapshot).expect("the ledger verifies");
    let rebuilt = State::from_events(events.iter().map(Fact::from)).expect("the ledger folds");
    engine.read(|live| {
        assert!(
            *live == rebuilt,
            "the live state is not the state folded from the ledger"
        );
    });
    // Verified and folded as a server starts, on one thread or several: the same state.
    for threads in [1, 2, 3] {
        let started = kaohe_engine::verified_state_on(engine.store(), threads)
            .expect("the ledger verifies and folds");
        assert!(
            started == rebuilt,
            "started on {threads} threads: another state"
        );
    }
}
