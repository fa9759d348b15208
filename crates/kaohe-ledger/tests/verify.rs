//! The verification rules of docs/FORMAT.md that a ledger can break while every hash and
//! signature still holds: ledgers built in memory, signed with their own key, each breaking one
//! rule, and the verdict each one gets.

use kaohe_ledger::Hash;
use kaohe_ledger::event::{Actor, EventDraft};
use kaohe_ledger::genesis::{LedgerCreated, default_policy};
use kaohe_ledger::merkle::MemoryTree;
use kaohe_ledger::note::{Checkpoint, SignerKey};
use kaohe_ledger::verify::{
    Anchors, Check, Failure, Report, export_checkpoint_line, verify_export_bytes,
};
use serde_json::json;
use uuid::Uuid;

const ORIGIN: &str = "kaohe.test/verify";

fn key() -> SignerKey {
    SignerKey::from_seed(ORIGIN, [7; 32]).unwrap()
}

fn id(n: u64) -> Uuid {
    uuid::Builder::from_unix_timestamp_millis(1_767_225_600_000 + n, &[n as u8; 10]).into_uuid()
}

fn genesis(time_zone: &str) -> EventDraft {
    LedgerCreated {
        id: id(0),
        organisation: "示范镇",
        key: &key().verifier(),
        time_zone,
        policy: default_policy("2026-01-01"),
        business_time: "2026-01-01T08:00:00+08:00",
        person_id: "office",
    }
    .draft()
}

fn entry(n: u64) -> EventDraft {
    EventDraft {
        id: id(n),
        event_type: "entry_written".into(),
        payload_version: 1,
        business_time: "2026-03-02T18:00:00+08:00".into(),
        actor: Actor {
            person_id: "p001".into(),
            role: "cadre".into(),
        },
        payload: json!({"person_id": "p001", "date": "2026-03-02", "did": format!("走访第{n}户"), "learned": ""}),
        caused_by: Vec::new(),
    }
}

/// The recording time the store writes for event `n` of a ledger in Asia/Shanghai.
fn recorded(n: usize) -> String {
    format!("2026-03-02T18:00:{n:02}.000+08:00")
}

/// Seal `drafts` in order, event `n` recorded at `recorded_at(n)`, into their canonical bytes.
fn seal(drafts: &[EventDraft], recorded_at: impl Fn(usize) -> String) -> Vec<Vec<u8>> {
    let mut previous = Hash::ZERO;
    drafts
        .iter()
        .enumerate()
        .map(|(position, draft)| {
            let sealed = draft
                .seal(position as u64, &previous, &recorded_at(position))
                .unwrap();
            previous = sealed.leaf;
            sealed.bytes
        })
        .collect()
}

/// The checkpoint note the ledger's key signs for `events`.
fn signed_note(events: &[Vec<u8>]) -> String {
    let mut tree = MemoryTree::new();
    for event in events {
        tree.push(kaohe_ledger::hash::leaf_hash(event));
    }
    Checkpoint {
        origin: ORIGIN.into(),
        size: events.len() as u64,
        root: tree.root(),
    }
    .sign(&key())
    .unwrap()
}

/// The export of `events`: one per line, then the checkpoint line the key signs for them.
fn export(events: &[Vec<u8>]) -> Vec<u8> {
    let mut bytes = Vec::new();
    for event in events {
        bytes.extend_from_slice(event);
        bytes.push(b'\n');
    }
    bytes.extend_from_slice(&export_checkpoint_line(&signed_note(events)));
    bytes.push(b'\n');
    bytes
}

fn verify(bytes: &[u8]) -> Result<Report, Failure> {
    verify_export_bytes(bytes, Anchors::default()).1
}

/// A ledger of event 0 and `entries` entries, in Asia/Shanghai, as the store writes it.
fn ledger(entries: u64) -> Vec<Vec<u8>> {
    let mut drafts = vec![genesis("Asia/Shanghai")];
    drafts.extend((1..=entries).map(entry));
    seal(&drafts, recorded)
}

#[test]
fn a_ledger_as_kaohe_writes_it_verifies() {
    let report = verify(&export(&ledger(4))).unwrap();
    assert_eq!(report.verified.size, 5);
    assert_eq!(report.verified.genesis.time_zone, "Asia/Shanghai");
}

#[test]
fn the_time_zone_must_be_spelled_as_the_iana_database_spells_it() {
    let events = seal(&[genesis("asia/shanghai"), entry(1)], recorded);
    let failure = verify(&export(&events)).unwrap_err();
    assert_eq!((failure.check, failure.event), (Check::Genesis, Some(0)));
    assert_eq!(
        failure.message,
        "time zone asia/shanghai is not spelled as the IANA time zone database spells it: Asia/Shanghai"
    );
    let events = seal(&[genesis("Asia/Beijing"), entry(1)], recorded);
    let failure = verify(&export(&events)).unwrap_err();
    assert_eq!((failure.check, failure.event), (Check::Genesis, Some(0)));
    assert!(
        failure
            .message
            .starts_with("unknown time zone Asia/Beijing"),
        "{failure}"
    );
}
