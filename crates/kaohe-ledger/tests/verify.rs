//! The verification rules of docs/FORMAT.md that a ledger can break while every hash and
//! signature still holds: ledgers built in memory, signed with their own key, each breaking one
//! rule, and the verdict each one gets.

use kaohe_ledger::Hash;
use kaohe_ledger::canonical::to_canonical;
use kaohe_ledger::event::{Actor, EventDraft};
use kaohe_ledger::genesis::{LedgerCreated, default_policy};
use kaohe_ledger::hash::leaf_hash;
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

/// Seal `drafts` in order, event `n` recorded at `recorded_at(n)`, into their canonical bytes,
/// linked and hashed as a writer would, but without the writer's checks: the ledgers here
/// break rules on purpose.
fn seal(drafts: &[EventDraft], recorded_at: impl Fn(usize) -> String) -> Vec<Vec<u8>> {
    let mut previous = Hash::ZERO;
    drafts
        .iter()
        .enumerate()
        .map(|(position, draft)| {
            let value = draft.to_value(position as u64, &previous, &recorded_at(position));
            let bytes = to_canonical(&value).unwrap();
            previous = leaf_hash(&bytes);
            bytes
        })
        .collect()
}

/// The checkpoint note the ledger's key signs for `events`.
fn signed_note(events: &[Vec<u8>]) -> String {
    let mut tree = MemoryTree::new();
    for event in events {
        tree.push(leaf_hash(event));
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

#[test]
fn recording_times_are_written_as_the_writer_writes_them() {
    let events = |third: &str| {
        let drafts = [genesis("Asia/Shanghai"), entry(1), entry(2), entry(3)];
        let third = third.to_owned();
        seal(
            &drafts,
            move |n| {
                if n == 2 { third.clone() } else { recorded(n) }
            },
        )
    };
    // The same instant as the writer writes it verifies; every other spelling is refused.
    verify(&export(&events("2026-03-02T18:00:02.000+08:00"))).unwrap();
    for (spelling, rule) in [
        ("2026-03-02T10:00:02.000Z", "event schema"),
        ("2026-03-02T10:00:02.000+00:00", "offset"),
        ("2026-03-02T19:00:02.000+09:00", "offset"),
        ("2026-03-02T18:00:02.000000000+08:00", "event schema"),
        ("2026-03-02T18:00:02+08:00", "event schema"),
        ("2026-03-02T18:00:02.0+08:00", "event schema"),
        ("2026-03-02t18:00:02.000+08:00", "event schema"),
    ] {
        let failure = verify(&export(&events(spelling))).unwrap_err();
        assert_eq!(failure.event, Some(2), "{spelling}: {failure}");
        if rule == "offset" {
            assert_eq!(failure.check, Check::RecordedTimes, "{spelling}: {failure}");
            assert_eq!(
                failure.message,
                format!(
                    "recorded_time {spelling} is not written in the organisation's time zone Asia/Shanghai, whose offset at that instant is +08:00"
                )
            );
        } else {
            assert_eq!(failure.check, Check::Schema, "{spelling}: {failure}");
            assert!(
                failure.message.starts_with("schema: /recorded_time: "),
                "{spelling}: {failure}"
            );
        }
    }
}

#[test]
fn a_zero_offset_is_written_plus_zero() {
    let drafts = [genesis("UTC"), entry(1)];
    let at = |sign: &'static str| move |n: usize| format!("2026-03-02T10:00:{n:02}.000{sign}00:00");
    verify(&export(&seal(&drafts, at("+")))).unwrap();
    let failure = verify(&export(&seal(&drafts, at("-")))).unwrap_err();
    assert_eq!(
        (failure.check, failure.event),
        (Check::RecordedTimes, Some(0))
    );
}

#[test]
fn business_times_are_rfc_3339_with_an_offset_and_no_leap_second() {
    let with = |business_time: &str| {
        let mut third = entry(2);
        third.business_time = business_time.into();
        export(&seal(
            &[genesis("Asia/Shanghai"), entry(1), third],
            recorded,
        ))
    };
    for accepted in [
        "2026-03-02T18:00:00+08:00",
        "2026-03-02T10:00:00Z",
        "2026-03-02T05:00:00.123456789-05:00",
        "2026-03-02T18:00:00.5+08:00",
        "2026-03-02T10:00:00-00:00",
    ] {
        verify(&with(accepted)).unwrap_or_else(|failure| panic!("{accepted}: {failure}"));
    }
    for refused in [
        "2026-03-02T23:59:60Z",
        "2026-03-02t10:00:00z",
        "2026-03-02T10:00:00.1234567891Z",
        "2026-03-02T10:00:00",
        "2026-03-02T10:00Z",
        "2026-02-30T10:00:00Z",
        "2026-03-02T24:00:00Z",
        "2026-03-02T10:00:00+24:00",
        "9999-12-31T23:59:59Z",
    ] {
        let failure = verify(&with(refused)).unwrap_err();
        assert_eq!(
            (failure.check, failure.event),
            (Check::Schema, Some(2)),
            "{refused}: {failure}"
        );
        assert!(
            failure.message.starts_with("schema: /business_time: "),
            "{refused}: {failure}"
        );
    }
}
