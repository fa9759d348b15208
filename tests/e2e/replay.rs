//! `kaohe replay` on the demo township: all four quarters match; a sanction appended past
//! the rules (straight through the store, with no cause) is reported as exactly that, and so
//! is a consequence the rules derived but the ledger never recorded.

use kaohe_assess::{Fact, State};
use kaohe_ledger::event::{Actor, EventDraft, parse_event};
use kaohe_store::{Expect, Store, StoreOptions};
use kaohe_testkit::{ENROLLED_AT, Given, Roster, rate_quarter};
use serde_json::json;
use uuid::Uuid;

use crate::support::{init_in_january, run};

#[test]
fn replay_matches_the_demo_and_reports_a_sanction_without_cause() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("demo");
    let dir = data.to_str().unwrap();
    let (code, _, stderr) = run(&["seed-demo", "--data", dir]);
    assert_eq!(code, 0, "{stderr}");
    let mut overrides = 0;
    for quarter in ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"] {
        let (code, stdout, _) = run(&["replay", "--data", dir, "--quarter", quarter]);
        assert_eq!(code, 0, "{quarter}: {stdout}");
        assert!(stdout.contains("MATCH"), "{stdout}");
        if quarter == "2026-Q1" {
            assert!(stdout.contains("overturned on appeal"), "{stdout}");
        }
        if quarter == "2026-Q3" || quarter == "2026-Q4" {
            overrides += stdout.matches("finding for review").count();
        }
    }
    assert!(
        overrides > 0,
        "numeric scoring from July brings overrides for review"
    );
    let (code, stdout, _) = run(&["replay", "--data", dir, "--quarter", "2027-Q1"]);
    assert_eq!(code, 1);
    assert!(stdout.contains("no decision in force"), "{stdout}");
    let (code, _, stderr) = run(&["replay", "--data", dir, "--quarter", "2026-Q5"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("not a quarter"), "{stderr}");

    // Past the rules: a valid event, but a consequence of nothing.
    {
        let store = Store::open(&data.join("ledger.redb"), StoreOptions::default()).unwrap();
        store
            .append(
                EventDraft {
                    id: Uuid::now_v7(),
                    event_type: "sanction_imposed".into(),
                    payload_version: 1,
                    business_time: "2026-04-20T10:00:00+08:00".into(),
                    actor: Actor {
                        person_id: "kaohe".into(),
                        role: "system".into(),
                    },
                    payload: json!({
                        "person_id": "p050", "quarter": "2026-Q1", "sanction": "talk",
                        "bonus_bp": null, "rectify_by": null, "policy_version": 1
                    }),
                    caused_by: Vec::new(),
                },
                Expect::Any,
            )
            .unwrap();
    }
    let (code, stdout, _) = run(&["replay", "--data", dir, "--quarter", "2026-Q1", "--json"]);
    assert_eq!(code, 1, "{stdout}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["match"], false);
    assert_eq!(
        report["differences"].as_array().unwrap().len(),
        1,
        "{stdout}"
    );
    let difference = report["differences"][0].as_str().unwrap();
    assert!(
        difference.starts_with("unexpected: p050 talk") && difference.ends_with("names no cause"),
        "{difference}"
    );
}

/// Play the small township through the rules into the ledger in `dir`, up to the co-signed
/// decision of 2026-Q1 (p001 best, p002 worst), appending every event but those `drop` picks.
fn play_first_quarter(dir: &std::path::Path, drop: impl Fn(&EventDraft) -> bool) {
    let store = Store::open(&dir.join("ledger.redb"), StoreOptions::default()).unwrap();
    let genesis = parse_event(&store.snapshot().unwrap().event(0).unwrap()).unwrap();
    let mut given = Given::after(State::from_events([Fact::from(&genesis)]).unwrap());
    given.enrol(&Roster::small(), ENROLLED_AT);
    rate_quarter(&mut given, "2026-Q1");
    for event in given.events {
        if !drop(&event) {
            store.append(event, Expect::Any).unwrap();
        }
    }
}

#[test]
fn replay_reports_exactly_one_missing_consequence() {
    let root = tempfile::tempdir().unwrap();
    let whole = root.path().join("whole");
    init_in_january(&whole);
    play_first_quarter(&whole, |_| false);
    let (code, stdout, _) = run(&[
        "replay",
        "--data",
        whole.to_str().unwrap(),
        "--quarter",
        "2026-Q1",
    ]);
    assert_eq!(code, 0, "{stdout}");
    assert!(
        stdout.contains("6 sanctions derived, 6 recorded and matching"),
        "{stdout}"
    );

    // The same township, with the worst worker's admonishment never recorded.
    let missing = root.path().join("missing");
    init_in_january(&missing);
    play_first_quarter(&missing, |event| {
        event.event_type == "sanction_imposed" && event.payload["sanction"] == "admonishment"
    });
    let (code, stdout, _) = run(&[
        "replay",
        "--data",
        missing.to_str().unwrap(),
        "--quarter",
        "2026-Q1",
        "--json",
    ]);
    assert_eq!(code, 1, "{stdout}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["matched"], 5);
    let differences = report["differences"].as_array().unwrap();
    assert_eq!(differences.len(), 1, "{stdout}");
    let difference = differences[0].as_str().unwrap();
    assert!(
        difference.starts_with("missing: p002 admonishment (follows from "),
        "{difference}"
    );
}
