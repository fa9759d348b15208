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
    for quarter in ["2026年第一季度", "2026年第二季度", "2026年第三季度"] {
        assert!(
            cosigned.iter().any(|summary| summary.contains(quarter)),
            "{quarter} missing: {cosigned:?}"
        );
    }
    assert_eq!(explanation["subject"], "p027");
    let nominations: Vec<&str> = steps
        .iter()
        .filter(|step| step["type"] == "nomination_made")
        .map(|step| step["summary"].as_str().unwrap())
        .collect();
    assert!(nominations.len() >= 3, "{nominations:?}");
    assert!(
        nominations.iter().all(|summary| summary.contains("p027")),
        "only the nominations of the person explained: {nominations:?}"
    );
    assert!(steps.iter().all(|step| step["inclusion_proof"].is_array()));
}

#[test]
fn explain_of_an_overturned_designation_shows_the_appeal_and_what_it_revoked() {
    let root = tempfile::tempdir().unwrap();
    let (data, export) = demo(root.path());
    let dir = data.to_str().unwrap();
    let events: Vec<Value> = export
        .lines()
        .map(|line| serde_json::from_str::<Value>(line).unwrap())
        .filter(|event| event.get("type").is_some())
        .collect();
    let answer = events
        .iter()
        .find(|event| {
            event["type"] == "appeal_answered" && event["payload"]["outcome"] == "overturned"
        })
        .expect("the demo overturns one designation");
    let appeal = events
        .iter()
        .find(|event| event["id"] == answer["payload"]["appeal_id"])
        .unwrap();
    let person = appeal["payload"]["person_id"].as_str().unwrap();
    let cosigned = events
        .iter()
        .find(|event| event["type"] == "decision_cosigned")
        .unwrap();

    // The designation: the quarter's decision, about the person who appealed.
    let (code, stdout, stderr) = run(&[
        "explain",
        "--data",
        dir,
        "--person",
        person,
        cosigned["id"].as_str().unwrap(),
        "--json",
    ]);
    assert_eq!(code, 0, "{stderr}");
    let explanation: Value = serde_json::from_str(&stdout).unwrap();
    let steps = explanation["steps"].as_array().unwrap();
    let relation_of = |event_type: &str| -> Vec<&str> {
        steps
            .iter()
            .filter(|step| step["type"] == event_type)
            .map(|step| step["relation"].as_str().unwrap())
            .collect()
    };
    assert_eq!(relation_of("decision_cosigned"), ["judgment"]);
    assert_eq!(relation_of("decision_proposed"), ["rested on"]);
    assert_eq!(relation_of("nomination_made").first(), Some(&"rested on"));
    assert_eq!(relation_of("ledger_created"), ["policy in force"]);
    assert_eq!(relation_of("decision_published"), ["consequence"]);
    assert_eq!(relation_of("appeal_filed"), ["consequence"]);
    assert_eq!(relation_of("appeal_answered"), ["consequence"]);
    assert_eq!(
        relation_of("sanction_revoked"),
        ["consequence"; 3],
        "talk, admonishment and rectification revoked"
    );
    assert_eq!(relation_of("sanction_imposed"), ["consequence"; 3]);
    for step in steps {
        let summary = step["summary"].as_str().unwrap();
        if [
            "nomination_made",
            "entry_written",
            "sanction_imposed",
            "appeal_filed",
        ]
        .contains(&step["type"].as_str().unwrap())
        {
            assert!(summary.contains(person), "not about {person}: {summary}");
        }
    }
    let positions: Vec<u64> = steps
        .iter()
        .map(|step| step["position"].as_u64().unwrap())
        .collect();
    assert!(positions.is_sorted(), "in the order they happened");

    // The answer alone reaches the same appeal, decision and revocations.
    let (code, stdout, _) = run(&["explain", "--data", dir, answer["id"].as_str().unwrap()]);
    assert_eq!(code, 0);
    assert!(stdout.contains(&format!("about {person}")), "{stdout}");
    for expected in [
        "judgment          appeal_answered",
        "rested on         appeal_filed",
        "rested on         decision_published",
        "rested on         decision_cosigned",
        "consequence       sanction_revoked",
    ] {
        assert!(stdout.contains(expected), "no {expected:?} in\n{stdout}");
    }
}
