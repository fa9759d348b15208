//! `kaohe serve` as the township runs it: the office issues tokens with `kaohe token` while the
//! server holds the ledger; people act through the API; an outside client follows the ledger
//! through its range endpoint, verifies every event and proof against the served checkpoint,
//! and reaches the root `kaohe verify` reports; SIGTERM loses no acknowledged append.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use kaohe_ledger::bundle::{ProofBundle, Proven};
use kaohe_ledger::note::{Checkpoint, VerifierKey};
use kaohe_ledger::verify::{Anchors, LedgerCheck};
use serde_json::{Value, json};

use kaohe_testkit::http::request;

use crate::support::{Server, init_in_january, issue_token, run, start_server};

/// A new ledger served from 2 January 2026, its office signed in.
pub fn township(data: &std::path::Path) -> (Server, String) {
    let dir = data.to_str().unwrap();
    init_in_january(data);
    let server = start_server(&[
        "serve",
        "--data",
        dir,
        "--addr",
        "127.0.0.1:0",
        "--now",
        "2026-01-31T09:00:00+08:00",
    ]);
    // The server holds the ledger: the token goes through its socket.
    let office = issue_token(data, "office");
    assert!(office.starts_with("kh1."), "{office}");
    (server, office)
}

pub fn post(addr: &str, path: &str, token: &str, body: Value) -> Value {
    let answer = request(addr, "POST", path, Some(token), Some(&body.to_string())).unwrap();
    assert!(
        (200..300).contains(&answer.status),
        "{path}: {} {}",
        answer.status,
        String::from_utf8_lossy(&answer.body)
    );
    serde_json::from_slice(&answer.body).unwrap()
}

/// The office registers `person` in `role` from 1 January; returns their token.
pub fn staff(
    server: &Server,
    data: &std::path::Path,
    office: &str,
    person: &str,
    role: &str,
) -> String {
    post(
        &server.addr,
        "/v1/people",
        office,
        json!({"person_id": person, "name": format!("{person}名")}),
    );
    post(
        &server.addr,
        &format!("/v1/people/{person}/roles"),
        office,
        json!({"role": role, "from": "2026-01-01"}),
    );
    issue_token(data, person)
}

#[test]
fn an_outside_client_follows_the_served_ledger_to_the_root_verify_reports() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("ledger");
    let (server, office) = township(&data);
    let inspector = staff(&server, &data, &office, "i01", "discipline_inspector");
    let cadre = staff(&server, &data, &office, "p001", "cadre");
    for day in 5..=9 {
        post(
            &server.addr,
            "/v1/entries",
            &cadre,
            json!({"date": format!("2026-01-{day:02}"), "did": format!("1月{day}日走访低保户"), "learned": ""}),
        );
    }
    // A cadre may not read the ledger's events; the inspector may.
    let events = request(&server.addr, "GET", "/v1/ledger/events", Some(&cadre), None).unwrap();
    assert_eq!(events.status, 403);

    let head = request(&server.addr, "GET", "/v1/ledger/head", None, None).unwrap();
    let head: Value = serde_json::from_slice(&head.body).unwrap();
    let key = VerifierKey::parse(head["verifier_key"].as_str().unwrap()).unwrap();
    let checkpoint = request(&server.addr, "GET", "/v1/ledger/checkpoint", None, None).unwrap();
    assert_eq!(checkpoint.status, 200);
    let text = String::from_utf8(checkpoint.body).unwrap();
    let checkpoint = Checkpoint::open(&text, &key).unwrap();
    let mut check = LedgerCheck::new(Anchors {
        own: Some(text),
        ..Anchors::default()
    });
    let mut after: Option<String> = None;
    loop {
        let path = match &after {
            Some(after) => format!("/v1/ledger/events?after={after}&limit=4"),
            None => "/v1/ledger/events?limit=4".into(),
        };
        let page = request(&server.addr, "GET", &path, Some(&inspector), None).unwrap();
        assert_eq!(page.status, 200);
        for line in page
            .body
            .split(|byte| *byte == b'\n')
            .filter(|line| !line.is_empty())
        {
            assert!(check.push(line), "an event fails verification");
        }
        match page.header("kaohe-next-after") {
            Some(next) => after = Some(next.trim().to_owned()),
            None => break,
        }
    }
    let followed = check.finish(None).unwrap();
    assert_eq!(followed.verified.size, checkpoint.size);
    assert_eq!(followed.verified.root, checkpoint.root);
    for position in [0, 3, checkpoint.size - 1] {
        let proof = request(
            &server.addr,
            "GET",
            &format!("/v1/ledger/proofs/inclusion?position={position}"),
            Some(&inspector),
            None,
        )
        .unwrap();
        assert_eq!(proof.status, 200);
        let bundle = ProofBundle::from_file(&proof.body).unwrap();
        assert!(matches!(bundle.verify(&key), Ok(Proven::Inclusion { .. })));
    }
    assert!(server.stop().contains("stopped"));
    assert!(
        !data.join("admin.sock").exists(),
        "the socket is removed on stop"
    );

    let (code, stdout, _) = run(&["verify", data.to_str().unwrap()]);
    assert_eq!(code, 0, "{stdout}");
    let verified_root = stdout
        .lines()
        .last()
        .and_then(|line| line.rsplit(' ').next())
        .unwrap();
    assert_eq!(verified_root, followed.verified.root.to_hex(), "{stdout}");
    // Tokens are listed, issued by ledger events, with their secrets nowhere in the ledger.
    let (code, listing, _) = run(&["token", "list", "--data", data.to_str().unwrap()]);
    assert_eq!(code, 0);
    assert_eq!(listing.lines().count(), 3, "{listing}");
    let ledger = std::fs::read(data.join("ledger.redb")).unwrap();
    let secret = cadre.rsplit('.').next().unwrap();
    assert!(
        !ledger
            .windows(secret.len())
            .any(|window| window == secret.as_bytes()),
        "a token's secret is in the ledger file"
    );
}

#[test]
fn sigterm_loses_no_acknowledged_append() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("ledger");
    let (server, office) = township(&data);
    let tokens: Vec<String> = (1..=16)
        .map(|number| staff(&server, &data, &office, &format!("k{number:02}"), "cadre"))
        .collect();
    let acknowledged = Arc::new(AtomicUsize::new(0));
    let threads: Vec<_> = tokens
        .into_iter()
        .map(|token| {
            let addr = server.addr.clone();
            let acknowledged = Arc::clone(&acknowledged);
            std::thread::spawn(move || {
                let mut ids = Vec::new();
                for day in 1..=31 {
                    let body = json!({"date": format!("2026-01-{day:02}"), "did": format!("1月{day}日值班"), "learned": ""});
                    // Once the server stops listening, requests fail: that is the end.
                    let Ok(answer) =
                        request(&addr, "POST", "/v1/entries", Some(&token), Some(&body.to_string()))
                    else {
                        break;
                    };
                    if answer.status == 201 {
                        let answer: Value = serde_json::from_slice(&answer.body).unwrap();
                        ids.push((
                            answer["events"][0]["position"].as_u64().unwrap(),
                            answer["events"][0]["id"].as_str().unwrap().to_owned(),
                        ));
                        acknowledged.fetch_add(1, Ordering::SeqCst);
                    }
                }
                ids
            })
        })
        .collect();
    // Stop while the clients are still appending.
    while acknowledged.load(Ordering::SeqCst) < 100 {
        std::thread::yield_now();
    }
    server.stop();
    let mut ids = Vec::new();
    for thread in threads {
        ids.extend(thread.join().unwrap());
    }
    assert!(ids.len() >= 100);
    let store = kaohe_store::Store::open(
        &data.join("ledger.redb"),
        kaohe_store::StoreOptions::default(),
    )
    .unwrap();
    let snapshot = store.snapshot().unwrap();
    for (position, id) in &ids {
        let event: Value = serde_json::from_slice(&snapshot.event(*position).unwrap()).unwrap();
        assert_eq!(event["id"], *id, "acknowledged event {position} lost");
    }
    drop(snapshot);
    drop(store);
    let (code, stdout, _) = run(&["verify", data.to_str().unwrap()]);
    assert_eq!(code, 0, "{stdout}");
    eprintln!(
        "{} appends acknowledged before and during SIGTERM, all in the ledger",
        ids.len()
    );
}
