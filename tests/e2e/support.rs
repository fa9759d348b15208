//! Shared helpers: run the binary, build small ledgers with realistic entries.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use kaohe_ledger::event::{Actor, EventDraft};
use kaohe_store::{Expect, Store, StoreOptions};
use serde_json::json;
use uuid::Uuid;

/// The `kaohe` binary under test.
pub fn kaohe() -> Command {
    Command::new(env!("CARGO_BIN_EXE_kaohe"))
}

/// Run `kaohe` with `args`; returns (exit code, stdout, stderr).
pub fn run(args: &[&str]) -> (i32, String, String) {
    let Output {
        status,
        stdout,
        stderr,
    } = kaohe().args(args).output().unwrap();
    (
        status.code().unwrap_or(-1),
        String::from_utf8(stdout).unwrap(),
        String::from_utf8(stderr).unwrap(),
    )
}

/// A daily entry of a cadre, with Chinese text of realistic length.
pub fn entry(person: &str, day: u32) -> EventDraft {
    let date = format!("2026-03-{:02}", 1 + day % 28);
    EventDraft {
        id: Uuid::now_v7(),
        event_type: "entry_written".into(),
        payload_version: 1,
        business_time: format!("{date}T18:00:00+08:00"),
        actor: Actor {
            person_id: person.into(),
            role: "cadre".into(),
        },
        payload: json!({
            "person_id": person,
            "date": date,
            "did": format!("上午到{day}组走访低保户三户，核实家庭收入变化；下午参加镇安全生产检查"),
            "learned": "掌握了低保动态管理的新要求，检查中发现两处消防隐患已督促整改"
        }),
        caused_by: Vec::new(),
    }
}

/// `kaohe init` a ledger in `dir` and append `entries` daily entries; returns the verifier key.
pub fn ledger(dir: &Path, entries: u32) -> String {
    let (code, stdout, stderr) = run(&[
        "init",
        "--data",
        dir.to_str().unwrap(),
        "--org",
        "示范镇",
        "--origin",
        "kaohe.test/shifanzhen",
    ]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    append(dir, entries);
    stdout
        .lines()
        .find_map(|line| line.strip_prefix("verifier key: "))
        .expect("init prints the verifier key")
        .trim()
        .to_owned()
}

/// Append `entries` more entries to the ledger in `dir`.
pub fn append(dir: &Path, entries: u32) {
    let store = Store::open(&dir.join("ledger.redb"), StoreOptions::default()).unwrap();
    for day in 0..entries {
        store.append(entry("p001", day), Expect::Any).unwrap();
    }
}

/// `kaohe export` the ledger in `dir` to a file beside it.
pub fn export(dir: &Path, name: &str) -> PathBuf {
    let out = dir.parent().unwrap().join(name);
    let (code, stdout, stderr) = run(&[
        "export",
        "--data",
        dir.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    out
}

/// `kaohe checkpoint` the ledger in `dir` into a file beside it.
pub fn checkpoint(dir: &Path, name: &str) -> PathBuf {
    let (code, stdout, stderr) = run(&["checkpoint", "--data", dir.to_str().unwrap()]);
    assert_eq!(code, 0, "{stdout}{stderr}");
    let path = dir.parent().unwrap().join(name);
    std::fs::write(&path, stdout).unwrap();
    path
}

/// A `kaohe serve` or `kaohe demo` child process and what it printed.
pub struct Server {
    pub child: std::process::Child,
    pub stdout: std::io::BufReader<std::process::ChildStdout>,
    /// What it printed up to the line announcing the address.
    pub seen: String,
    /// HOST:PORT.
    pub addr: String,
}

/// Start `kaohe` with `args` and wait for it to announce its address.
#[allow(
    clippy::zombie_processes,
    reason = "the child is returned inside Server, whose stop() waits for it"
)]
pub fn start_server(args: &[&str]) -> Server {
    use std::io::BufRead;
    let mut child = kaohe()
        .args(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut seen = String::new();
    loop {
        let mut line = String::new();
        if stdout.read_line(&mut line).unwrap() == 0 {
            let status = child.wait().unwrap();
            panic!("the server ended early ({status}): {seen}");
        }
        seen.push_str(&line);
        if let Some(at) = line.find("at http://") {
            let addr = line[at + 10..].trim().trim_end_matches('/').to_owned();
            return Server {
                child,
                stdout,
                seen,
                addr,
            };
        }
    }
}

impl Server {
    /// SIGTERM, then wait for a clean exit; returns what it printed since it started.
    pub fn stop(mut self) -> String {
        use std::io::Read;
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
        let mut rest = String::new();
        self.stdout.read_to_string(&mut rest).unwrap();
        assert!(self.child.wait().unwrap().success(), "{rest}");
        rest
    }
}

/// One HTTP/1.1 request; returns (status, body). `token` signs in.
pub fn http(
    addr: &str,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&str>,
) -> std::io::Result<(u16, Vec<u8>, String)> {
    use std::io::{Read, Write};
    let mut stream = std::net::TcpStream::connect(addr)?;
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    if let Some(token) = token {
        head.push_str(&format!("Authorization: Bearer {token}\r\n"));
    }
    if let Some(body) = body {
        head.push_str(&format!(
            "Content-Type: application/json\r\nContent-Length: {}\r\n",
            body.len()
        ));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    if let Some(body) = body {
        stream.write_all(body.as_bytes())?;
    }
    let mut response = Vec::new();
    stream.read_to_end(&mut response)?;
    let split = response
        .windows(4)
        .position(|window| window == b"\r\n\r\n")
        .ok_or_else(|| std::io::Error::other("no complete answer"))?;
    let head = String::from_utf8_lossy(&response[..split]).to_ascii_lowercase();
    let status = head
        .get(9..12)
        .and_then(|status| status.parse().ok())
        .ok_or_else(|| std::io::Error::other("no status"))?;
    Ok((status, response[split + 4..].to_vec(), head))
}

/// `kaohe token issue` for `person`; returns the token.
pub fn issue_token(data: &Path, person: &str) -> String {
    let (code, stdout, stderr) = run(&[
        "token",
        "issue",
        "--data",
        data.to_str().unwrap(),
        "--person",
        person,
    ]);
    assert_eq!(code, 0, "{stderr}");
    stdout.trim().to_owned()
}
