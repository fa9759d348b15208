//! The service on a disk that fails: a write that cannot be made durable is answered 503 (a
//! full disk as any other storage failure), and while the engine cannot read the ledger back
//! every request is answered 503, nothing shown and nothing recorded, until the ledger can be
//! read again.

use axum::body::Body;
use axum::http::Request;
use kaohe_engine::ExecuteError;
use kaohe_server::{ApiError, Limits, PROBLEM_JSON};
use kaohe_store::fault::{IoFault, Operation, Persistence, SimulatedDisk};
use kaohe_store::{AppendError, StorageError, Store, StoreOptions};
use kaohe_testkit::server::{Town, runtime};
use kaohe_testkit::{EngineTown, Roster, ScriptedClock, genesis};
use serde_json::Value;

struct Served {
    disk: SimulatedDisk,
    town: Town,
}

impl Served {
    /// A ledger on a simulated disk with one cadre, p001, and their token.
    fn new() -> Served {
        let clock = ScriptedClock::at(EVENING);
        let options = StoreOptions {
            // A small cache, so that reads reach the disk.
            cache_bytes: 64 * 1024,
            ..clock.options()
        };
        let disk = SimulatedDisk::new();
        let store = Store::create_with_backend(disk.clone(), &genesis(), options).unwrap();
        let mut town = EngineTown::over(store, clock);
        let runtime = runtime();
        runtime.block_on(async {
            town.enrol(&Roster::of(&["p001"])).await;
            town.issue_tokens(&["p001"]).await;
        });
        Served {
            disk,
            town: Town::serve_on(town, Limits::default(), runtime),
        }
    }

    /// Send a request as p001; returns the status, the content type and the body as JSON.
    fn send(&self, method: &str, path: &str, body: Option<&str>) -> (u16, String, Value) {
        let request = Request::builder()
            .method(method)
            .uri(path)
            .header(
                "authorization",
                format!("Bearer {}", self.town.tokens["p001"]),
            )
            .header("content-type", "application/json")
            .body(body.map_or_else(Body::empty, |body| Body::from(body.to_owned())))
            .unwrap();
        let answer = self.town.raw(request);
        let json = answer.json();
        (answer.status, answer.content_type, json)
    }

    /// From the next call of `operation` on, every one fails.
    fn fail_from_now_on(&self, operation: Operation) {
        self.disk.fail(IoFault {
            operation,
            at: self.disk.calls(operation) + 1,
            persistence: Persistence::Forever,
        });
    }
}

/// The served clock: the evening of 2 March 2026.
const EVENING: &str = "2026-03-02T20:00:00+08:00";

const ENTRY: &str = r#"{"date":"2026-03-02","did":"到东风村走访低保户三户","learned":"核实收入"}"#;

#[test]
fn a_failing_disk_is_answered_503_and_nothing_stale_is_shown() {
    let served = Served::new();
    let (status, _, _) = served.send("GET", "/v1/me", None);
    assert_eq!(status, 200);
    let size_before = served.town.state.engine.store().head().unwrap().size;

    // The disk stops syncing and reading: the entry cannot be made durable, and the engine
    // cannot read the ledger back to drop it from its state.
    served.fail_from_now_on(Operation::Sync);
    served.fail_from_now_on(Operation::Read);
    let (status, content_type, problem) = served.send("POST", "/v1/entries", Some(ENTRY));
    assert_eq!(status, 503, "{problem}");
    assert_eq!(content_type, PROBLEM_JSON);
    assert_eq!(problem["code"], "unavailable", "{problem}");
    assert!(
        served.town.state.engine.may_be_unavailable(),
        "the engine should know its state may hold the refused entry"
    );

    // Every request is refused while the ledger cannot be read: views too, since the state
    // may still hold the entry that was never recorded.
    for (method, path, body) in [
        ("GET", "/v1/me", None),
        ("GET", "/v1/people/p001/years/2026", None),
        ("POST", "/v1/entries", Some(ENTRY)),
    ] {
        let (status, content_type, problem) = served.send(method, path, body);
        assert_eq!(status, 503, "{method} {path}: {problem}");
        assert_eq!(content_type, PROBLEM_JSON, "{method} {path}");
        assert_eq!(problem["code"], "unavailable", "{method} {path}: {problem}");
    }

    // redb refuses every transaction after an I/O error until the file is opened again, so
    // the service stays unavailable when the disk recovers, until it is restarted.
    served.disk.lift_faults();
    let (status, _, problem) = served.send("GET", "/v1/me", None);
    assert_eq!(status, 503, "{problem}");

    // After a power loss, the disk holds the ledger before the entry, and it verifies.
    let durable = SimulatedDisk::from_image(served.disk.durable_image());
    let reopened = Store::open_with_backend(durable, StoreOptions::default()).unwrap();
    let snapshot = reopened.snapshot().unwrap();
    assert_eq!(
        snapshot.size(),
        size_before,
        "the refused entry is not in the ledger"
    );
    kaohe_engine::verified_events(&snapshot).unwrap();
    drop(reopened);

    // A restart without a power loss serves again. The entry may have landed (its commit was
    // written, only its sync failed): then a retry with the same request id is answered from
    // the ledger; either way the ledger verifies.
    let live = SimulatedDisk::from_image(served.disk.live_image());
    let clock = ScriptedClock::at(EVENING);
    let store = Store::open_with_backend(live, clock.options()).unwrap();
    let size = store.head().unwrap().size;
    assert!(
        size == size_before || size == size_before + 1,
        "{size} events after a restart, {size_before} before the entry"
    );
    let mut town = EngineTown::over(store, clock);
    town.tokens = served.town.tokens.clone();
    let restarted = Served {
        disk: served.disk.clone(),
        town: Town::serve_on(town, Limits::default(), runtime()),
    };
    let (status, _, me) = restarted.send("GET", "/v1/me", None);
    assert_eq!(status, 200, "{me}");
}

#[test]
fn a_full_disk_is_answered_503_as_any_storage_failure() {
    let served = Served::new();
    // No room beyond what the file holds now: tokens are issued until the file must grow.
    served.disk.fill_at(served.disk.live_image().len() as u64);
    let engine = &served.town.state.engine;
    let mut refused = None;
    for _ in 0..10_000 {
        if let Err(error) = served
            .town
            .runtime
            .block_on(engine.issue_token("office", "p001"))
        {
            refused = Some(error);
            break;
        }
    }
    let refused = refused.expect("the disk never filled");
    assert!(
        matches!(
            &refused,
            ExecuteError::Unavailable(AppendError::Storage(StorageError::DiskFull(_)))
        ),
        "{refused:?}"
    );
    assert!(matches!(refused.storage(), Some(StorageError::DiskFull(_))));
    // The error, as the service answers it: 503 `unavailable`, nothing internal in it.
    let answer = ApiError::from(refused);
    assert_eq!(answer.status, 503);
    assert_eq!(answer.code, "unavailable");

    // redb stops after the failed write: the next command is answered the same way.
    let (status, content_type, problem) = served.send("POST", "/v1/entries", Some(ENTRY));
    assert_eq!(status, 503, "{problem}");
    assert_eq!(content_type, PROBLEM_JSON);
    assert_eq!(problem["code"], "unavailable", "{problem}");
}
