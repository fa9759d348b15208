//! `kaohe demo`, the README's first command: builds the demo ledger, serves it on loopback,
//! stops cleanly on SIGTERM, and leaves a ledger that verifies; a second run reuses it.

use kaohe_testkit::http::request;

use crate::support::{Server, export as export_beside, run, start_server};

fn start(data: &std::path::Path) -> Server {
    start_server(&[
        "demo",
        "--data",
        data.to_str().unwrap(),
        "--addr",
        "127.0.0.1:0",
    ])
}

fn get(addr: &str, path: &str) -> String {
    let answer = request(addr, "GET", path, None, None).unwrap();
    format!(
        "{} {}",
        answer.status,
        String::from_utf8_lossy(&answer.body)
    )
}

/// The tokens of the sign-in links `kaohe demo` printed.
fn demo_tokens(seen: &str) -> Vec<String> {
    seen.lines()
        .filter_map(|line| line.split("token=").nth(1))
        .filter_map(|rest| rest.split_whitespace().next())
        .map(str::to_owned)
        .collect()
}

#[test]
fn demo_builds_serves_stops_and_is_reused() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("demo");
    let server = start(&data);
    assert!(
        server
            .seen
            .contains("built the demo township 示范镇 (seed 2026): "),
        "{}",
        server.seen
    );
    let head = get(&server.addr, "/v1/ledger/head");
    assert!(head.starts_with("200 "), "{head}");
    assert!(head.contains("\"organisation\":\"示范镇\""), "{head}");
    // One person of each role can sign in with the token printed.
    for role in [
        "cadre",
        "area_chief",
        "supervising_leader",
        "party_secretary",
        "mayor",
        "party_committee",
        "office",
        "discipline_inspector",
    ] {
        let line = server
            .seen
            .lines()
            .find(|line| line.trim_start().starts_with(&format!("{role} ")))
            .unwrap_or_else(|| panic!("no token for {role}: {}", server.seen));
        let link = line.split_whitespace().nth(2).unwrap();
        let token = link.split("token=").nth(1).unwrap();
        let answer = request(&server.addr, "GET", "/v1/me", Some(token), None).unwrap();
        let text = String::from_utf8_lossy(&answer.body);
        assert_eq!(answer.status, 200, "{role}: {text}");
        let me: serde_json::Value = serde_json::from_slice(&answer.body).unwrap();
        assert!(
            me["roles"]
                .as_array()
                .unwrap()
                .iter()
                .any(|held| held == role),
            "{role}: {me}"
        );
        assert_eq!(me["today"], "2027-01-21", "the demo's own day");
    }
    let first_tokens = demo_tokens(&server.seen);
    assert_eq!(first_tokens.len(), 8);
    let page = get(&server.addr, "/");
    assert!(page.contains("示范镇 · 考核台账"), "{page}");
    assert!(page.contains("/openapi.json"), "{page}");
    assert!(server.stop().contains("stopped"));

    let (code, stdout, _) = run(&["verify", data.to_str().unwrap()]);
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("11 older checkpoints hold too"), "{stdout}");

    let server = start(&data);
    assert!(
        server.seen.contains("using the demo ledger"),
        "{}",
        server.seen
    );
    // The same tokens again: issued once, not on every start.
    assert_eq!(demo_tokens(&server.seen), first_tokens);
    server.stop();
}

#[test]
fn seed_demo_is_the_same_ledger_for_the_same_seed() {
    let root = tempfile::tempdir().unwrap();
    let export = |name: &str, seed: &str| {
        let data = root.path().join(name);
        let (code, stdout, stderr) = run(&[
            "seed-demo",
            "--data",
            data.to_str().unwrap(),
            "--seed",
            seed,
        ]);
        assert_eq!(code, 0, "{stdout}{stderr}");
        assert!(stdout.contains("sheets ("), "{stdout}");
        // Eight leaders name a best and a worst every month of 2026: pools of 24 and 24 a
        // quarter, as in the reference township.
        assert!(
            stdout.contains(", 192 nominations, 4 quarterly decisions"),
            "{stdout}"
        );
        std::fs::read(export_beside(&data, &format!("{name}.jsonl"))).unwrap()
    };
    let first = export("a", "7");
    assert_eq!(first, export("b", "7"));
    assert_ne!(first, export("c", "8"));
    let text = String::from_utf8(first).unwrap();
    for event_type in [
        "person_registered",
        "role_assigned",
        "supervision_assigned",
        "area_assigned",
        "entry_written",
        "entry_amended",
        "sheet_submitted",
        "sheet_read",
    ] {
        assert!(
            text.contains(&format!("\"type\":\"{event_type}\"")),
            "no {event_type}"
        );
    }
    let (code, _, stderr) = run(&[
        "seed-demo",
        "--data",
        root.path().join("a").to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("already holds a ledger"), "{stderr}");
}

/// The demo township of the README (`--seed 2026`) is pinned: its size, its root and the
/// BLAKE3 hash of its export. A change to the code that plays it (the rules, the seeder, how
/// events are batched into commits) must leave every byte as it was; only a change to the
/// scheme itself may move these figures, and then on purpose, in the same commit.
#[test]
fn demo_township_for_seed_2026_is_pinned() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("demo");
    let (code, stdout, stderr) = run(&["seed-demo", "--data", data.to_str().unwrap()]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let export = std::fs::read(export_beside(&data, "demo.jsonl")).unwrap();
    let text = String::from_utf8_lossy(&export);
    let checkpoint = text.lines().last().unwrap();
    assert!(
        checkpoint.contains(
            r#"kaohe.demo/shifanzhen\n31428\nuBoUwCOXRFt/ExJdo/vzZLlttYfsBI6SjCYAOBdMem4=\n"#
        ),
        "{checkpoint}"
    );
    assert_eq!(
        blake3::hash(&export).to_hex().as_str(),
        "80a73b1017d84754fe9d2d20f7abe9aceccc39fca8da32ff3fe47ca3373686c9"
    );
}
