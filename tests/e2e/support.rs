//! Shared helpers: run the binary, build small ledgers with realistic entries.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use kaohe_ledger::event::{Actor, EventDraft};
use kaohe_store::{Store, StoreOptions};
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
        store.append(entry("p001", day), None).unwrap();
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
