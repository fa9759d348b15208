//! The ledger endpoints as an outside verifier uses them: follow the ledger page by page over a
//! real socket with an inspector's token, verify every event and proof against the served
//! checkpoint, and reach the root the store has.

mod support;

use kaohe_ledger::bundle::{ProofBundle, Proven};
use kaohe_ledger::note::{Checkpoint, VerifierKey};
use kaohe_ledger::verify::{Anchors, LedgerCheck, verify_export_bytes};
use kaohe_server::Limits;
use kaohe_testkit::http::request;
use serde_json::Value;
use support::town_with;

#[test]
fn an_outside_client_follows_and_verifies_the_ledger_over_a_socket() {
    let town = town_with(Limits {
        page_events_max: 10,
        ..Limits::default()
    });
    let size = town.size();
    let addr = town.serve();
    let token = town.tokens["i01"].clone();
    let get = |path: &str| request(addr, "GET", path, Some(&token), None).unwrap();

    let answer = request(addr, "GET", "/v1/ledger/head", None, None).unwrap();
    assert_eq!(answer.status, 200);
    let head: Value = serde_json::from_slice(&answer.body).unwrap();
    assert_eq!(head["size"], size);
    let key = VerifierKey::parse(head["verifier_key"].as_str().unwrap()).unwrap();
    let checkpoint_text = request(addr, "GET", "/v1/ledger/checkpoint", None, None)
        .unwrap()
        .body;
    let checkpoint =
        Checkpoint::open(std::str::from_utf8(&checkpoint_text).unwrap(), &key).unwrap();
    assert_eq!(checkpoint.size, size);

    // Follow page by page, as a mirror would.
    let mut check = LedgerCheck::new(Anchors {
        own: Some(String::from_utf8(checkpoint_text).unwrap()),
        ..Anchors::default()
    });
    let mut after: Option<String> = None;
    let mut pages = 0;
    loop {
        let path = match &after {
            Some(after) => format!("/v1/ledger/events?after={after}&limit=10"),
            None => "/v1/ledger/events?limit=10".into(),
        };
        let answer = get(&path);
        assert_eq!(answer.status, 200);
        assert_eq!(answer.header("kaohe-ledger-size"), Some(size.to_string()));
        for line in answer
            .body
            .split(|byte| *byte == b'\n')
            .filter(|line| !line.is_empty())
        {
            assert!(check.push(line));
        }
        pages += 1;
        match answer.header("kaohe-next-after") {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    assert_eq!(pages, size.div_ceil(10));
    let report = check.finish(None).unwrap();
    let root = town.state.engine.store().head().unwrap().root;
    assert_eq!(report.verified.root, root);
    assert_eq!(report.verified.root, checkpoint.root);

    // Proofs verify against the served key.
    for path in [
        "/v1/ledger/proofs/inclusion?position=13",
        "/v1/ledger/proofs/inclusion?position=3&size=9",
    ] {
        let answer = get(path);
        assert_eq!(answer.status, 200);
        let bundle = ProofBundle::from_file(&answer.body).unwrap();
        assert!(matches!(bundle.verify(&key), Ok(Proven::Inclusion { .. })));
    }
    let body = get("/v1/ledger/proofs/consistency?from=9").body;
    let bundle = ProofBundle::from_file(&body).unwrap();
    assert!(matches!(
        bundle.verify(&key),
        Ok(Proven::Consistency { .. })
    ));

    // The streamed export verifies whole.
    let export = get("/v1/ledger/export");
    assert_eq!(export.status, 200);
    let (exported, result) = verify_export_bytes(
        &export.body,
        Anchors {
            trusted: Some(key),
            ..Anchors::default()
        },
    );
    assert_eq!(exported, size);
    assert_eq!(result.unwrap().verified.root, checkpoint.root);

    // One event by position and by id, with its leaf hash.
    let event = get("/v1/ledger/events/5");
    assert_eq!(event.status, 200);
    assert_eq!(
        event.header("kaohe-leaf-hash"),
        Some(kaohe_ledger::hash::leaf_hash(&event.body).to_hex())
    );
    let id = serde_json::from_slice::<Value>(&event.body).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let by_id = get(&format!("/v1/ledger/events/by-id/{id}"));
    assert_eq!(by_id.body, event.body);
}

#[test]
fn the_front_page_shows_the_ledger_in_chinese_and_loads_nothing_from_outside() {
    let town = support::town();
    let answer = town.get("/", None);
    assert_eq!(answer.status, 200);
    let page = String::from_utf8(answer.body).unwrap();
    assert!(page.contains("<html lang=\"zh-CN\">") && page.contains("示范镇 · 考核台账"));
    assert!(page.contains(&format!("<td class=\"num\">{}</td>", town.size())));
    assert!(!page.contains("http://") && !page.contains("https://") && !page.contains("<script"));
    // It shows no record: the records are for the people signed in.
    assert!(!page.contains("东风村"));
}
