//! `kaohe replay` on the demo township: all four quarters match; a sanction appended past
//! the rules (straight through the store, with no cause) is reported as exactly that, and so
//! is a consequence the rules derived but the ledger never recorded.

use kaohe_ledger::event::{Actor, EventDraft};
use kaohe_store::{Expect, Store, StoreOptions};
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

/// Play a small township through the rules into the ledger in `dir`, up to the co-signed
/// decision of 2026-Q1, appending every event but those `drop` picks.
fn play_first_quarter(dir: &std::path::Path, drop: impl Fn(&EventDraft) -> bool) {
    use jiff::civil::date;
    use kaohe_assess::commands::{
        AssignRole, AssignSupervision, CosignDecision, Nominate, ProposeDecision, RegisterPerson,
        WriteEntry,
    };
    use kaohe_assess::state::Kind;
    use kaohe_assess::{Act, Command, Fact, State, decide};

    let store = Store::open(&dir.join("ledger.redb"), StoreOptions::default()).unwrap();
    let snapshot = store.snapshot().unwrap();
    let genesis = kaohe_ledger::event::parse_event(&snapshot.event(0).unwrap()).unwrap();
    let mut state = State::from_events([Fact::from(&genesis)]).unwrap();
    let mut act = |person: &str, time: &str, command: Command| -> Vec<Uuid> {
        let events = decide(
            &state,
            &command,
            &Act {
                person_id: person.into(),
                time: time.into(),
            },
            Uuid::now_v7(),
        )
        .unwrap_or_else(|refusal| panic!("{command:?}: {refusal}"));
        let ids = events.iter().map(|event| event.id).collect();
        for event in events {
            state.apply(&Fact::from(&event)).unwrap();
            if !drop(&event) {
                store.append(event, Expect::Any).unwrap();
            }
        }
        ids
    };
    let setup = "2026-01-02T09:00:00+08:00";
    for (person, name, role) in [
        ("p001", "张伟", "cadre"),
        ("p002", "李娜", "cadre"),
        ("l01", "王强", "supervising_leader"),
        ("s01", "刘书记", "party_secretary"),
        ("m01", "陈镇长", "mayor"),
    ] {
        act(
            "office",
            setup,
            Command::RegisterPerson(RegisterPerson {
                person_id: person.into(),
                name: name.into(),
            }),
        );
        act(
            "office",
            setup,
            Command::AssignRole(AssignRole {
                person_id: person.into(),
                role: role.parse().unwrap(),
                from: date(2026, 1, 1),
                until: None,
            }),
        );
    }
    for cadre in ["p001", "p002"] {
        act(
            "office",
            setup,
            Command::AssignSupervision(AssignSupervision {
                person_id: cadre.into(),
                leader_id: "l01".into(),
                from: date(2026, 1, 1),
            }),
        );
    }
    for (kind, cadre) in [(Kind::Best, "p001"), (Kind::Worst, "p002")] {
        let entry = act(
            cadre,
            "2026-03-31T18:00:00+08:00",
            Command::WriteEntry(WriteEntry {
                date: date(2026, 3, 31),
                did: "到东风村走访低保户三户".into(),
                learned: "核实了收入变化".into(),
            }),
        );
        act(
            "l01",
            "2026-04-01T10:00:00+08:00",
            Command::Nominate(Nominate {
                month: "2026-03".parse().unwrap(),
                kind,
                cadre_id: cadre.into(),
                reason: "依据本月记录".into(),
                cited_ids: entry,
                override_reason: None,
            }),
        );
    }
    let quarter = "2026-Q1".parse().unwrap();
    let proposal = act(
        "s01",
        "2026-04-02T09:00:00+08:00",
        Command::ProposeDecision(ProposeDecision {
            quarter,
            best: vec!["p001".into()],
            worst: vec!["p002".into()],
        }),
    );
    act(
        "m01",
        "2026-04-03T09:00:00+08:00",
        Command::CosignDecision(CosignDecision {
            quarter,
            proposal_id: proposal[0],
        }),
    );
}

fn init_in_january(dir: &std::path::Path) {
    let (code, stdout, stderr) = run(&[
        "init",
        "--data",
        dir.to_str().unwrap(),
        "--org",
        "示范镇",
        "--business-time",
        "2026-01-01T08:00:00+08:00",
    ]);
    assert_eq!(code, 0, "{stdout}{stderr}");
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
