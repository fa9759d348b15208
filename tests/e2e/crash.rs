//! Crashes: a child process appends in a loop and is killed with SIGKILL at random moments,
//! hundreds of times; every acknowledged event must survive and the chain must verify.
//!
//! The child is this test binary itself, re-run on the `crash::child_appender` entry with the
//! data directory in `KAOHE_CRASH_CHILD_DIR`. `KAOHE_CRASH_CYCLES` sets the number of kills
//! (default 200).

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

use kaohe_ledger::verify::{Anchors, LedgerCheck};
use kaohe_store::{Expect, Store, StoreOptions};
use kaohe_testkit::entry;
use uuid::Uuid;

use crate::support::ledger;

const CHILD_ENV: &str = "KAOHE_CRASH_CHILD_DIR";
/// The most appends one child makes, so that a child nobody kills still ends.
const CHILD_APPENDS_MAX: u32 = 100_000;

/// Not a test on its own: the child's body when run by `acknowledged_events_survive_sigkill`.
#[test]
fn child_appender() {
    let Some(dir) = std::env::var_os(CHILD_ENV) else {
        return;
    };
    let store = Store::open(
        &std::path::Path::new(&dir).join("ledger.redb"),
        StoreOptions::default(),
    )
    .unwrap();
    // Two appending threads, so that kills also land inside shared commits.
    std::thread::scope(|scope| {
        for thread in 0..2 {
            let store = store.clone();
            scope.spawn(move || {
                let stdout = std::io::stdout();
                for day in 0..CHILD_APPENDS_MAX / 2 {
                    let appended = store
                        .append(
                            entry(Uuid::now_v7(), &format!("p{thread}"), day),
                            Expect::Any,
                        )
                        .unwrap();
                    let mut out = stdout.lock();
                    use std::io::Write;
                    writeln!(out, "ACK {} {}", appended.position, appended.id).unwrap();
                    out.flush().unwrap();
                }
            });
        }
    });
}

/// A small deterministic generator, so that a failing cycle can be replayed.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self, bound: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % bound
    }
}

#[test]
fn acknowledged_events_survive_sigkill() {
    let cycles: u64 = std::env::var("KAOHE_CRASH_CYCLES")
        .ok()
        .and_then(|text| text.parse().ok())
        .unwrap_or(200);
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("ledger");
    ledger(&data, 0);
    let mut acknowledged: Vec<(u64, Uuid)> = Vec::new();
    let mut random = Lcg(0x6b616f6865);
    for cycle in 0..cycles {
        let wait_for = random.next(12);
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args([
                "crash::child_appender",
                "--exact",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(CHILD_ENV, &data)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut seen = 0;
        while seen < wait_for {
            let Some(Ok(line)) = lines.next() else { break };
            if let Some(rest) = line.strip_prefix("ACK ") {
                let (position, id) = rest.split_once(' ').unwrap();
                acknowledged.push((position.parse().unwrap(), id.parse().unwrap()));
                seen += 1;
            }
        }
        child.kill().unwrap();
        // Anything the child acknowledged before it died counts too.
        for line in lines.map_while(Result::ok) {
            if let Some(rest) = line.strip_prefix("ACK ") {
                let (position, id) = rest.split_once(' ').unwrap();
                acknowledged.push((position.parse().unwrap(), id.parse().unwrap()));
            }
        }
        child.wait().unwrap();
        let store = Store::open(&data.join("ledger.redb"), StoreOptions::default())
            .unwrap_or_else(|error| panic!("cycle {cycle}: the ledger does not open: {error}"));
        let snapshot = store.snapshot().unwrap();
        for (position, id) in &acknowledged {
            assert_eq!(
                snapshot.position_of(*id).unwrap(),
                Some(*position),
                "cycle {cycle}: acknowledged event {id} at {position} is lost"
            );
        }
        if cycle % 50 == 49 || cycle + 1 == cycles {
            let mut check = LedgerCheck::new(Anchors::default());
            snapshot
                .for_each_event(0, |_, bytes| check.push(bytes))
                .unwrap();
            // The store's error whole, for the message; the verdict in kaohe's words.
            let nodes = snapshot.check_stored_nodes();
            let damage = nodes
                .as_ref()
                .map(|_| ())
                .map_err(|error| error.node_damage());
            let report = check
                .finish(Some(damage))
                .unwrap_or_else(|failure| panic!("cycle {cycle}: {failure} ({nodes:?})"));
            assert!(report.verified.size > acknowledged.len() as u64 / 2);
        }
    }
    let size = Store::open(&data.join("ledger.redb"), StoreOptions::default())
        .unwrap()
        .snapshot()
        .unwrap()
        .size();
    eprintln!(
        "crash: {cycles} kills, {} acknowledged appends, all present; ledger of {size} events verifies",
        acknowledged.len()
    );
    assert!(
        acknowledged.len() as u64 >= cycles,
        "too few appends were acknowledged"
    );
}
