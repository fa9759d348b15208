//! Shared helpers: run the binary, build small ledgers of the township's daily entries.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use kaohe_store::{Expect, Store, StoreOptions};
use kaohe_testkit::{ORGANISATION, ORIGIN, entry};
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

/// `kaohe init` a ledger of the township in `dir`, with `options` besides; returns what it
/// printed.
pub fn init(dir: &Path, options: &[&str]) -> String {
    let mut args = vec![
        "init",
        "--data",
        dir.to_str().unwrap(),
        "--org",
        ORGANISATION,
    ];
    args.extend(options);
    let (code, stdout, stderr) = run(&args);
    assert_eq!(code, 0, "{stdout}{stderr}");
    stdout
}

/// `kaohe init` a ledger of the township in `dir`, starting at 08:00 on 1 January 2026 (the
/// day its first policy takes effect), as the rules' scenes expect.
pub fn init_in_january(dir: &Path) {
    init(dir, &["--business-time", "2026-01-01T08:00:00+08:00"]);
}

/// `kaohe init` a ledger in `dir` and append `entries` daily entries; returns the verifier key.
pub fn ledger(dir: &Path, entries: u32) -> String {
    let stdout = init(dir, &["--origin", ORIGIN]);
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
        store
            .append(entry(Uuid::now_v7(), "p001", day), Expect::Any)
            .unwrap();
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
