//! Events prepared on several threads verify exactly as events pushed one by one.

use kaohe_ledger::Hash;
use kaohe_ledger::event::{Actor, EventDraft};
use kaohe_ledger::genesis::{LedgerCreated, default_policy};
use kaohe_ledger::note::SignerKey;
use kaohe_ledger::verify::{LedgerVerifier, prepare_in_parallel};
use serde_json::json;
use uuid::Uuid;

fn ledger(size: u64) -> Vec<Vec<u8>> {
    let key = SignerKey::from_seed("kaohe.test/prepared", [3; 32]).unwrap();
    let mut drafts = vec![
        LedgerCreated {
            id: Uuid::now_v7(),
            organisation: "示范镇",
            key: &key.verifier(),
            time_zone: "Asia/Shanghai",
            policy: default_policy("2026-01-01"),
            business_time: "2026-01-01T08:00:00+08:00",
            person_id: "office",
        }
        .draft(),
    ];
    for day in 1..size {
        drafts.push(EventDraft {
            id: Uuid::now_v7(),
            event_type: "entry_written".into(),
            payload_version: 1,
            business_time: "2026-03-02T18:00:00+08:00".into(),
            actor: Actor {
                person_id: "p001".into(),
                role: "cadre".into(),
            },
            payload: json!({"person_id": "p001", "date": "2026-03-02", "did": format!("走访第{day}户"), "learned": ""}),
            caused_by: Vec::new(),
        });
    }
    let mut previous = Hash::ZERO;
    drafts
        .iter()
        .enumerate()
        .map(|(position, draft)| {
            let sealed = draft
                .seal(position as u64, &previous, "2026-03-02T18:00:01.000+08:00")
                .unwrap();
            previous = sealed.leaf;
            sealed.bytes
        })
        .collect()
}

fn verify_prepared(events: &[Vec<u8>], threads: usize) -> Result<Hash, String> {
    let mut verifier = LedgerVerifier::new([]);
    for prepared in prepare_in_parallel(events, threads) {
        verifier
            .push_prepared(&prepared)
            .map_err(|failure| failure.to_string())?;
    }
    verifier
        .finish(None)
        .map(|verified| verified.root)
        .map_err(|failure| failure.to_string())
}

fn verify_pushed(events: &[Vec<u8>]) -> Result<Hash, String> {
    let mut verifier = LedgerVerifier::new([]);
    for bytes in events {
        verifier
            .push(bytes)
            .map_err(|failure| failure.to_string())?;
    }
    verifier
        .finish(None)
        .map(|verified| verified.root)
        .map_err(|failure| failure.to_string())
}

#[test]
fn prepared_in_parallel_verifies_as_pushed_one_by_one() {
    let events = ledger(23);
    let mut damaged = events.clone();
    damaged[9][20] ^= 0x20;
    let mut reordered = events.clone();
    reordered.swap(3, 4);
    for threads in [0, 1, 2, 3, 8, 64] {
        for case in [&events, &damaged, &reordered] {
            assert_eq!(verify_prepared(case, threads), verify_pushed(case));
        }
        assert!(verify_prepared(&events, threads).is_ok());
        assert!(verify_prepared(&damaged, threads).is_err());
        assert_eq!(prepare_in_parallel(&events[..0], threads).len(), 0);
    }
}
