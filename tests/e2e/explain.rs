//! `kaohe explain` on the demo township: the quarterly decision with everything it rested on,
//! each step proven against the signed checkpoint.

use kaohe_ledger::Hash;
use kaohe_ledger::merkle::verify_inclusion;
use kaohe_ledger::note::{Checkpoint, VerifierKey};
use serde_json::Value;

use crate::support::run;

/// Build the demo township in `root` and export it; returns its data directory and export.
fn demo(root: &std::path::Path) -> (std::path::PathBuf, String) {
    let data = root.join("demo");
    let (code, _, stderr) = run(&["seed-demo", "--data", data.to_str().unwrap()]);
    assert_eq!(code, 0, "{stderr}");
    let out = root.join("demo.jsonl");
    run(&[
        "export",
        "--data",
        data.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    let export = std::fs::read_to_string(&out).unwrap();
    (data, export)
}

#[test]
fn explain_shows_a_decision_and_everything_it_rested_on_with_proofs() {
    let root = tempfile::tempdir().unwrap();
    let (data, export) = demo(root.path());
    let dir = data.to_str().unwrap();
    let cosigned: Value = export
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).unwrap())
        .find(|event| event["type"] == "decision_cosigned")
        .expect("the demo has a quarterly decision");
    let id = cosigned["id"].as_str().unwrap();

    let (code, stdout, stderr) = run(&["explain", "--data", dir, id]);
    assert_eq!(code, 0, "{stderr}");
    for expected in [
        "judgment          decision_cosigned",
        "rested on         decision_proposed",
        "rested on         nomination_made",
        "rested on         entry_written",
        "rested on         opinion_given",
        "policy in force   ledger_created",
    ] {
        assert!(stdout.contains(expected), "no {expected:?} in\n{stdout}");
    }
    let last = stdout.lines().last().unwrap();
    let (proven, total) = last.split_once(" of ").unwrap();
    assert!(last.contains("steps proven included"), "{last}");
    assert_eq!(proven, total.split(' ').next().unwrap(), "{last}");

    // The JSON form carries each proof; check them here, independently of the command.
    let (code, stdout, _) = run(&["explain", "--data", dir, id, "--json"]);
    assert_eq!(code, 0);
    let explanation: Value = serde_json::from_str(&stdout).unwrap();
    let head: Value = {
        let first: Value = serde_json::from_str(export.lines().next().unwrap()).unwrap();
        first["payload"].clone()
    };
    let key = VerifierKey::parse(head["public_key"].as_str().unwrap()).unwrap();
    let checkpoint = Checkpoint::open(explanation["checkpoint"].as_str().unwrap(), &key).unwrap();
    let steps = explanation["steps"].as_array().unwrap();
    assert!(steps.len() > 10);
    let lines: Vec<&str> = export.lines().collect();
    for step in steps {
        let position = step["position"].as_u64().unwrap();
        let leaf = kaohe_ledger::hash::leaf_hash(lines[position as usize].as_bytes());
        assert_eq!(step["leaf_hash"].as_str().unwrap(), leaf.to_hex());
        let path: Vec<Hash> = step["inclusion_proof"]
            .as_array()
            .unwrap()
            .iter()
            .map(|hash| Hash::from_hex(hash.as_str().unwrap()).unwrap())
            .collect();
        verify_inclusion(&leaf, position, checkpoint.size, &path, &checkpoint.root).unwrap();
    }

    let (code, _, stderr) = run(&[
        "explain",
        "--data",
        dir,
        "01936d4a-7b2c-7d3e-8f40-123456789abc",
    ]);
    assert_eq!(code, 2);
    assert!(stderr.contains("no event"), "{stderr}");
}

#[test]
fn explain_of_three_consecutive_worst_shows_the_three_designations() {
    let root = tempfile::tempdir().unwrap();
    let (data, export) = demo(root.path());
    let dir = data.to_str().unwrap();
    let withheld: Value = export
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).unwrap())
        .find(|event| event["payload"]["sanction"] == "bonuses_withheld")
        .expect("the demo has three consecutive worst quarters");
    let (code, stdout, stderr) = run(&[
        "explain",
        "--data",
        dir,
        withheld["id"].as_str().unwrap(),
        "--json",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let explanation: Value = serde_json::from_str(&stdout).unwrap();
    let steps = explanation["steps"].as_array().unwrap();
    let cosigned: Vec<&str> = steps
        .iter()
        .filter(|step| step["type"] == "decision_cosigned")
        .map(|step| step["summary"].as_str().unwrap())
        .collect();
    assert_eq!(cosigned.len(), 3, "{cosigned:?}");
    for quarter in ["2026-Q1", "2026-Q2", "2026-Q3"] {
        assert!(
            cosigned.iter().any(|summary| summary.contains(quarter)),
            "{quarter} missing: {cosigned:?}"
        );
    }
    assert!(steps.iter().any(|step| step["type"] == "nomination_made"
        && step["summary"].as_str().unwrap().contains("p027")));
    assert!(steps.iter().all(|step| step["inclusion_proof"].is_array()));
}
