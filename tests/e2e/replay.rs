//! `kaohe replay` on the demo township: all four quarters match; a sanction appended past
//! the rules (straight through the store, with no cause) is reported as exactly that.

use kaohe_ledger::event::{Actor, EventDraft};
use kaohe_store::{Store, StoreOptions};
use serde_json::json;
use uuid::Uuid;

use crate::support::run;

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
                None,
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
