//! The ledger endpoints as an outside verifier uses them: follow the ledger page by page over
//! a real socket, verify every event and proof against the served checkpoint, and get the
//! root the store has. Bad requests get problem+json and change nothing.

use std::io::{Read, Write};
use std::sync::Arc;

use kaohe_ledger::bundle::{ProofBundle, Proven};
use kaohe_ledger::event::{Actor, EventDraft};
use kaohe_ledger::genesis::{LedgerCreated, default_policy};
use kaohe_ledger::note::{Checkpoint, SignerKey, VerifierKey};
use kaohe_ledger::verify::{Anchors, LedgerCheck, verify_export_bytes};
use kaohe_server::{AppState, Limits};
use kaohe_store::{Store, StoreOptions};
use serde_json::{Value, json};
use uuid::Uuid;

fn entry(day: u32) -> EventDraft {
    EventDraft {
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
    }
}

fn state(dir: &tempfile::TempDir, entries: u32) -> AppState {
    let key = SignerKey::from_seed("kaohe.test/api", [4; 32]).unwrap();
    let genesis = LedgerCreated {
        organisation: "示范镇",
        key: &key.verifier(),
        time_zone: "Asia/Shanghai",
        policy: default_policy("2026-01-01"),
        business_time: "2026-01-01T08:00:00+08:00",
        person_id: "office",
    }
    .draft();
    let store = Store::create(
        &dir.path().join("ledger.redb"),
        &genesis,
        StoreOptions::default(),
    )
    .unwrap();
    for result in store.append_many((0..entries).map(entry)) {
        result.unwrap();
    }
    AppState {
        store,
        signer: Some(Arc::new(key)),
        limits: Limits {
            page_events_max: 10,
            ..Limits::default()
        },
    }
}

/// Serve `state` on a loopback port; the runtime must outlive the requests.
fn serve(state: AppState) -> (tokio::runtime::Runtime, std::net::SocketAddr) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    let listener = runtime
        .block_on(kaohe_server::bind("127.0.0.1:0".parse().unwrap()))
        .unwrap();
    let addr = listener.local_addr().unwrap();
    runtime.spawn(async move { axum::serve(listener, kaohe_server::router(state)).await });
    (runtime, addr)
}

/// One HTTP/1.1 GET over a plain socket; returns (status, headers, body).
fn get(addr: std::net::SocketAddr, path: &str) -> (u16, String, Vec<u8>) {
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let split = response
        .windows(4)
        .position(|window| window == b"\r\n\r\n")
        .unwrap();
    let head = String::from_utf8(response[..split].to_vec()).unwrap();
    let mut body = response[split + 4..].to_vec();
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        body = dechunk(&body);
    }
    let status = head[9..12].parse().unwrap();
    (status, head.to_ascii_lowercase(), body)
}

fn dechunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let line_end = body
            .windows(2)
            .position(|window| window == b"\r\n")
            .unwrap();
        let size =
            usize::from_str_radix(std::str::from_utf8(&body[..line_end]).unwrap(), 16).unwrap();
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&body[line_end + 2..line_end + 2 + size]);
        body = &body[line_end + 2 + size + 2..];
    }
}

fn header(head: &str, name: &str) -> Option<String> {
    head.lines()
        .find_map(|line| line.strip_prefix(&format!("{name}: ")).map(str::to_owned))
}

#[test]
fn an_outside_client_follows_and_verifies_the_ledger_over_a_socket() {
    let dir = tempfile::tempdir().unwrap();
    let state = state(&dir, 37);
    let store = state.store.clone();
    let (_runtime, addr) = serve(state);

    let (status, _, body) = get(addr, "/v1/ledger/head");
    assert_eq!(status, 200);
    let head: Value = serde_json::from_slice(&body).unwrap();
    let key = VerifierKey::parse(head["verifier_key"].as_str().unwrap()).unwrap();
    let (_, _, checkpoint_text) = get(addr, "/v1/ledger/checkpoint");
    let checkpoint =
        Checkpoint::open(std::str::from_utf8(&checkpoint_text).unwrap(), &key).unwrap();
    assert_eq!(checkpoint.size, 38);

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
        let (status, head, body) = get(addr, &path);
        assert_eq!(status, 200);
        assert_eq!(header(&head, "kaohe-ledger-size").as_deref(), Some("38"));
        for line in body
            .split(|byte| *byte == b'\n')
            .filter(|line| !line.is_empty())
        {
            assert!(check.push(line));
        }
        pages += 1;
        match header(&head, "kaohe-next-after") {
            Some(next) => after = Some(next),
            None => break,
        }
    }
    assert_eq!(pages, 4);
    let report = check.finish(None).unwrap();
    assert_eq!(report.verified.root, store.head().unwrap().root);
    assert_eq!(report.verified.root, checkpoint.root);

    // Proofs verify against the served key.
    for path in [
        "/v1/ledger/proofs/inclusion?position=13",
        "/v1/ledger/proofs/inclusion?position=3&size=9",
    ] {
        let (status, _, body) = get(addr, path);
        assert_eq!(status, 200);
        let bundle: ProofBundle = serde_json::from_slice(&body).unwrap();
        assert!(matches!(bundle.verify(&key), Ok(Proven::Inclusion { .. })));
    }
    let (_, _, body) = get(addr, "/v1/ledger/proofs/consistency?from=9");
    let bundle: ProofBundle = serde_json::from_slice(&body).unwrap();
    assert!(matches!(
        bundle.verify(&key),
        Ok(Proven::Consistency { .. })
    ));

    // The streamed export verifies whole.
    let (status, _, export) = get(addr, "/v1/ledger/export");
    assert_eq!(status, 200);
    let (size, result) = verify_export_bytes(
        &export,
        Anchors {
            trusted: Some(key),
            ..Anchors::default()
        },
    );
    assert_eq!(size, 38);
    assert_eq!(result.unwrap().verified.root, checkpoint.root);

    // One event by position and by id, with its leaf hash.
    let (status, head, body) = get(addr, "/v1/ledger/events/5");
    assert_eq!(status, 200);
    assert_eq!(
        header(&head, "kaohe-leaf-hash"),
        Some(kaohe_ledger::hash::leaf_hash(&body).to_hex())
    );
    let id = serde_json::from_slice::<Value>(&body).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (_, _, by_id) = get(addr, &format!("/v1/ledger/events/by-id/{id}"));
    assert_eq!(by_id, body);
}

#[test]
fn bad_requests_get_problem_json_and_leave_the_ledger_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let state = state(&dir, 5);
    let store = state.store.clone();
    let before = store.head().unwrap();
    let (_runtime, addr) = serve(state);
    for (path, status, code) in [
        ("/v1/ledger/events?limit=0", 400, Some("bad_request")),
        ("/v1/ledger/events?limit=11", 400, Some("bad_request")),
        ("/v1/ledger/events?after=x", 400, None),
        ("/v1/ledger/events?colour=red", 400, None),
        ("/v1/ledger/events/6", 404, Some("out_of_range")),
        ("/v1/ledger/events/-1", 400, None),
        (
            "/v1/ledger/events/by-id/not-a-uuid",
            400,
            Some("bad_request"),
        ),
        (
            "/v1/ledger/events/by-id/01936d4a-7b2c-7d3e-8f40-123456789abc",
            404,
            Some("not_found"),
        ),
        (
            "/v1/ledger/proofs/inclusion?position=6",
            404,
            Some("out_of_range"),
        ),
        (
            "/v1/ledger/proofs/inclusion?position=2&size=99",
            404,
            Some("out_of_range"),
        ),
        (
            "/v1/ledger/proofs/consistency?from=0",
            404,
            Some("out_of_range"),
        ),
        ("/v1/nothing", 404, Some("not_found")),
    ] {
        let (got, head, body) = get(addr, path);
        assert_eq!(got, status, "{path}: {}", String::from_utf8_lossy(&body));
        if let Some(code) = code {
            assert!(
                head.contains("content-type: application/problem+json"),
                "{path}: {head}"
            );
            let problem: Value = serde_json::from_slice(&body).unwrap();
            assert_eq!(problem["code"], code, "{path}");
            assert_eq!(problem["status"], status, "{path}");
        }
    }
    assert_eq!(store.head().unwrap(), before);
}

#[test]
fn the_front_page_shows_the_ledger_in_chinese_and_loads_nothing_from_outside() {
    let dir = tempfile::tempdir().unwrap();
    let state = state(&dir, 3);
    let (_runtime, addr) = serve(state);
    let (status, _, body) = get(addr, "/");
    assert_eq!(status, 200);
    let page = String::from_utf8(body).unwrap();
    assert!(page.contains("<html lang=\"zh-CN\">") && page.contains("示范镇 · 考核台账"));
    assert!(page.contains("<td class=\"num\"><a href=\"/v1/ledger/events/3\">3</a></td>"));
    assert!(!page.contains("http://") && !page.contains("https://") && !page.contains("<script"));
}
