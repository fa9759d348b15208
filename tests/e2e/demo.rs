//! `kaohe demo`, the README's first command: builds the demo ledger, serves it on loopback,
//! stops cleanly on SIGTERM, and leaves a ledger that verifies; a second run reuses it.

use std::io::{BufRead, BufReader, Read, Write};
use std::process::Stdio;

use crate::support::{kaohe, run};

/// Start `kaohe demo`; returns the child, what it printed, its output, and the address.
#[allow(
    clippy::zombie_processes,
    reason = "the child is returned to the caller, which stops and waits for it"
)]
fn start(
    data: &std::path::Path,
) -> (
    std::process::Child,
    String,
    BufReader<std::process::ChildStdout>,
    String,
) {
    let mut child = kaohe()
        .args([
            "demo",
            "--data",
            data.to_str().unwrap(),
            "--addr",
            "127.0.0.1:0",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut seen = String::new();
    loop {
        let mut line = String::new();
        if stdout.read_line(&mut line).unwrap() == 0 {
            let status = child.wait().unwrap();
            panic!("demo ended early ({status}): {seen}");
        }
        seen.push_str(&line);
        if let Some(at) = line.find("at http://") {
            let addr = line[at + 10..].trim().trim_end_matches('/').to_owned();
            return (child, seen, stdout, addr);
        }
    }
}

fn get(addr: &str, path: &str) -> String {
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    write!(
        stream,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut response = String::new();
    stream.read_to_string(&mut response).unwrap();
    response
}

fn stop(
    mut child: std::process::Child,
    mut stdout: BufReader<std::process::ChildStdout>,
) -> String {
    let status = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let mut rest = String::new();
    stdout.read_to_string(&mut rest).unwrap();
    assert!(child.wait().unwrap().success(), "{rest}");
    rest
}

#[test]
fn demo_builds_serves_stops_and_is_reused() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("demo");
    let (child, seen, stdout, addr) = start(&data);
    assert!(
        seen.contains("built the demo township 示范镇 (seed 2026): "),
        "{seen}"
    );
    let head = get(&addr, "/v1/ledger/head");
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert!(head.contains("\"organisation\":\"示范镇\""), "{head}");
    let page = get(&addr, "/");
    assert!(page.contains("示范镇 · 考核台账"), "{page}");
    assert!(
        page.contains("旬工作记录表") || page.contains("阅看"),
        "{page}"
    );
    assert!(stop(child, stdout).contains("stopped"));

    let (code, stdout, _) = run(&["verify", data.to_str().unwrap()]);
    assert_eq!(code, 0, "{stdout}");
    assert!(stdout.contains("11 older checkpoints hold too"), "{stdout}");

    let (child, seen, stdout, _) = start(&data);
    assert!(seen.contains("using the demo ledger"), "{seen}");
    stop(child, stdout);
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
        let out = root.path().join(format!("{name}.jsonl"));
        let (code, _, stderr) = run(&[
            "export",
            "--data",
            data.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]);
        assert_eq!(code, 0, "{stderr}");
        std::fs::read(out).unwrap()
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
