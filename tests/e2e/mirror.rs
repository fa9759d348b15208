//! `kaohe mirror` as an inspector's office runs it: it follows the served ledger and keeps a
//! verified copy; when the served history is rewritten behind its back (a forked copy with one
//! old event changed, re-linked and re-signed with the ledger's own key), it detects the fork on
//! its next poll, saves the evidence, and keeps its verified copy intact.

use base64::Engine as _;
use kaohe_ledger::event::{Actor, EventDraft};
use kaohe_store::{Expect, ImportOptions, SideWrite, Store, StoreOptions};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::serve::{post, staff, township};
use crate::support::{run, start_server};

fn mirror(
    from: &str,
    data: &std::path::Path,
    token_file: &std::path::Path,
) -> (i32, String, String) {
    run(&[
        "mirror",
        "--from",
        &format!("http://{from}"),
        "--data",
        data.to_str().unwrap(),
        "--token-file",
        token_file.to_str().unwrap(),
        "--once",
    ])
}

/// The root `kaohe verify` reports for a data directory.
fn verified_root(data: &std::path::Path) -> String {
    let (code, stdout, _) = run(&["verify", data.to_str().unwrap()]);
    assert_eq!(code, 0, "{stdout}");
    stdout
        .lines()
        .last()
        .and_then(|line| line.rsplit(' ').next())
        .unwrap()
        .to_owned()
}

/// A fork of the ledger in `data`: event `altered` gets another first line, and every event
/// after it is re-linked, so that the fork verifies on its own; the inspector's token works
/// on it, as the original's did.
fn fork(data: &std::path::Path, into: &std::path::Path, altered: u64, inspector: &str) {
    let store = Store::open(&data.join("ledger.redb"), StoreOptions::default()).unwrap();
    let snapshot = store.snapshot().unwrap();
    let mut events = Vec::new();
    let mut previous = kaohe_ledger::Hash::ZERO;
    for position in 0..snapshot.size() {
        let mut event: Value = serde_json::from_slice(&snapshot.event(position).unwrap()).unwrap();
        if position == altered {
            assert_eq!(event["type"], "entry_written");
            event["payload"]["did"] = json!("改写过的记录");
        }
        if position > 0 {
            event["previous_hash"] = json!(previous.to_hex());
        }
        let bytes = kaohe_ledger::canonical::to_canonical(&event).unwrap();
        previous = kaohe_ledger::hash::leaf_hash(&bytes);
        events.push(bytes);
    }
    drop(snapshot);
    drop(store);
    std::fs::create_dir_all(into).unwrap();
    let forked = Store::import(
        &into.join("ledger.redb"),
        events.iter(),
        &ImportOptions::default(),
        StoreOptions::default(),
    )
    .unwrap();
    // The token table is not part of the ledger: carry the inspector's token over.
    let (id, secret) = inspector
        .strip_prefix("kh1.")
        .unwrap()
        .split_once('.')
        .unwrap();
    let secret = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(secret)
        .unwrap();
    let carrier = EventDraft {
        id: Uuid::now_v7(),
        event_type: "entry_written".into(),
        payload_version: 1,
        business_time: "2026-01-30T18:00:00+08:00".into(),
        actor: Actor {
            person_id: "p001".into(),
            role: "cadre".into(),
        },
        payload: json!({"person_id": "p001", "date": "2026-01-30", "did": "值班", "learned": ""}),
        caused_by: Vec::new(),
    };
    forked
        .submit(
            vec![carrier],
            Expect::Any,
            vec![SideWrite::PutToken {
                id: Uuid::parse_str(id).unwrap(),
                hash: *blake3::hash(&secret).as_bytes(),
            }],
        )
        .unwrap()
        .wait_blocking()
        .unwrap();
    drop(forked);
    std::fs::copy(data.join("ledger.key"), into.join("ledger.key")).unwrap();
}

#[test]
fn a_mirror_follows_the_served_ledger_and_refuses_a_rewritten_history() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("ledger");
    let (server, office) = township(&data);
    let inspector = staff(&server, &data, &office, "i01", "discipline_inspector");
    let cadre = staff(&server, &data, &office, "p001", "cadre");
    let mut entries = Vec::new();
    for day in 5..=9 {
        let answer = post(
            &server.addr,
            "/v1/entries",
            &cadre,
            json!({"date": format!("2026-01-{day:02}"), "did": format!("1月{day}日走访"), "learned": ""}),
        );
        entries.push(answer["events"][0]["position"].as_u64().unwrap());
    }
    let token_file = root.path().join("inspector.token");
    std::fs::write(&token_file, &inspector).unwrap();
    let copy = root.path().join("mirror");

    let (code, stdout, stderr) = mirror(&server.addr, &copy, &token_file);
    assert_eq!(code, 0, "{stdout}{stderr}");
    assert!(stdout.contains("mirrored events 0.."), "{stdout}");
    // More is served; the mirror follows it.
    for day in 12..=14 {
        post(
            &server.addr,
            "/v1/entries",
            &cadre,
            json!({"date": format!("2026-01-{day:02}"), "did": "走访", "learned": ""}),
        );
    }
    let (code, stdout, _) = mirror(&server.addr, &copy, &token_file);
    assert_eq!(code, 0);
    assert!(stdout.contains("mirrored events"), "{stdout}");
    // A poll that finds nothing new only reads the copy: its file is byte for byte as it was.
    let before = std::fs::read(copy.join("ledger.redb")).unwrap();
    let (code, stdout, _) = mirror(&server.addr, &copy, &token_file);
    assert_eq!(code, 0);
    assert!(stdout.contains("in step at"), "{stdout}");
    assert!(std::fs::read(copy.join("ledger.redb")).unwrap() == before);
    server.stop();
    let held = verified_root(&copy);
    assert_eq!(held, verified_root(&data), "the copy is the served ledger");

    // Behind the mirror's back: an old entry rewritten, the chain re-linked, re-signed.
    let forked = root.path().join("forked");
    fork(&data, &forked, entries[1], &inspector);
    let (code, _, stderr) = run(&["checkpoint", "--data", forked.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    let server = start_server(&[
        "serve",
        "--data",
        forked.to_str().unwrap(),
        "--addr",
        "127.0.0.1:0",
        "--now",
        "2026-01-31T09:00:00+08:00",
    ]);
    let before = std::fs::read(copy.join("ledger.redb")).unwrap();
    let (code, stdout, stderr) = mirror(&server.addr, &copy, &token_file);
    server.stop();
    assert_eq!(code, 1, "{stdout}{stderr}");
    assert!(std::fs::read(copy.join("ledger.redb")).unwrap() == before);
    assert!(stderr.contains("REFUSED"), "{stderr}");
    assert!(stderr.contains("rewritten"), "{stderr}");
    // The evidence is kept, and the copy is as it was.
    let evidence: Vec<_> = std::fs::read_dir(copy.join("evidence"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .collect();
    assert_eq!(evidence.len(), 1);
    for file in [
        "REFUSED.txt",
        "served-checkpoint.txt",
        "served-consistency-proof.json",
        "mirror-head.txt",
    ] {
        assert!(evidence[0].join(file).exists(), "no {file}");
    }
    assert_eq!(verified_root(&copy), held);
}
