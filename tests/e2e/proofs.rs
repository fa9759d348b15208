//! Proofs as an inspector uses them: printed by `kaohe prove`, checked offline by
//! `kaohe verify-proof`, and every hostile variant refused.

use serde_json::{Value, json};

use crate::support::{ledger, run};

fn prove(args: &[&str]) -> Value {
    let (code, stdout, stderr) = run(args);
    assert_eq!(code, 0, "{stdout}{stderr}");
    serde_json::from_str(&stdout).unwrap()
}

/// Check `proof` written as `kaohe prove` writes a bundle: canonical JSON and a line feed.
fn verify_proof(root: &std::path::Path, proof: &Value, key: &str) -> (i32, String) {
    let mut bytes = kaohe_ledger::canonical::to_canonical(proof).unwrap();
    bytes.push(b'\n');
    verify_proof_file(root, &bytes, key)
}

fn verify_proof_file(root: &std::path::Path, bytes: &[u8], key: &str) -> (i32, String) {
    let path = root.join(format!("proof-{}.json", uuid::Uuid::now_v7()));
    std::fs::write(&path, bytes).unwrap();
    let (code, stdout, stderr) = run(&["verify-proof", path.to_str().unwrap(), "--key", key]);
    (code, stdout + &stderr)
}

fn flip_hex(text: &str) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    chars[10] = if chars[10] == '0' { '1' } else { '0' };
    chars.into_iter().collect()
}

#[test]
fn inclusion_proofs_verify_and_hostile_ones_are_refused() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("ledger");
    let key = ledger(&data, 20);
    let dir = data.to_str().unwrap();
    let proof = prove(&[
        "prove",
        "inclusion",
        "--data",
        dir,
        "--seq",
        "7",
        "--size",
        "15",
    ]);
    assert_eq!(proof["kaohe_proof"], "inclusion");
    let (code, output) = verify_proof(root.path(), &proof, &key);
    assert_eq!(code, 0, "{output}");
    assert!(output.contains("event 7"), "{output}");
    let current = prove(&["prove", "inclusion", "--data", dir, "--seq", "20"]);
    assert_eq!(current["size"], 21);
    assert_eq!(verify_proof(root.path(), &current, &key).0, 0);

    let other_event = prove(&[
        "prove",
        "inclusion",
        "--data",
        dir,
        "--seq",
        "8",
        "--size",
        "15",
    ]);
    let mut hostile: Vec<(&str, Value)> = Vec::new();
    let mut altered = proof.clone();
    altered["path"][1] = json!(flip_hex(altered["path"][1].as_str().unwrap()));
    hostile.push(("an altered hash", altered));
    let mut missing = proof.clone();
    missing["path"].as_array_mut().unwrap().pop();
    hostile.push(("a missing hash", missing));
    let mut extra = proof.clone();
    extra["path"]
        .as_array_mut()
        .unwrap()
        .push(proof["path"][0].clone());
    hostile.push(("an extra hash", extra));
    let mut wrong_size = proof.clone();
    wrong_size["size"] = json!(16);
    hostile.push(("a wrong size", wrong_size));
    let mut different_leaf = proof.clone();
    different_leaf["event"] = other_event["event"].clone();
    hostile.push(("another event's text", different_leaf));
    let mut moved = proof.clone();
    moved["position"] = json!(8);
    hostile.push(("another position", moved));
    let mut foreign = proof.clone();
    foreign["checkpoint"] = prove(&[
        "prove",
        "inclusion",
        "--data",
        dir,
        "--seq",
        "7",
        "--size",
        "16",
    ])["checkpoint"]
        .clone();
    hostile.push(("the checkpoint of another size", foreign));
    let mut unknown = proof.clone();
    unknown["note"] = json!("x");
    hostile.push(("an unknown field", unknown));
    for (name, proof) in hostile {
        let (code, output) = verify_proof(root.path(), &proof, &key);
        assert_ne!(code, 0, "{name} was accepted: {output}");
    }
    // The right proof under another ledger's key.
    let other = root.path().join("other");
    let other_key = ledger(&other, 1);
    let (code, output) = verify_proof(root.path(), &proof, &other_key);
    assert_eq!(code, 1, "{output}");
}

#[test]
fn consistency_proofs_verify_and_hostile_ones_are_refused() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("ledger");
    let key = ledger(&data, 30);
    let dir = data.to_str().unwrap();
    for (from, to) in [("1", "31"), ("13", "31"), ("16", "29"), ("31", "31")] {
        let proof = prove(&[
            "prove",
            "consistency",
            "--data",
            dir,
            "--from",
            from,
            "--to",
            to,
        ]);
        let (code, output) = verify_proof(root.path(), &proof, &key);
        assert_eq!(code, 0, "{from}..{to}: {output}");
    }
    let proof = prove(&["prove", "consistency", "--data", dir, "--from", "13"]);
    assert_eq!(proof["to_size"], 31);
    let mut hostile: Vec<(&str, Value)> = Vec::new();
    let mut altered = proof.clone();
    altered["path"][0] = json!(flip_hex(altered["path"][0].as_str().unwrap()));
    hostile.push(("an altered hash", altered));
    let mut missing = proof.clone();
    missing["path"].as_array_mut().unwrap().remove(0);
    hostile.push(("a missing hash", missing));
    let mut extra = proof.clone();
    extra["path"]
        .as_array_mut()
        .unwrap()
        .push(proof["path"][0].clone());
    hostile.push(("an extra hash", extra));
    let mut sizes = proof.clone();
    sizes["from_size"] = json!(14);
    hostile.push(("a wrong size", sizes));
    let mut swapped = proof.clone();
    swapped["from_checkpoint"] = proof["to_checkpoint"].clone();
    hostile.push(("the checkpoints swapped", swapped));
    for (name, proof) in hostile {
        let (code, output) = verify_proof(root.path(), &proof, &key);
        assert_ne!(code, 0, "{name} was accepted: {output}");
    }
    let (code, _, stderr) = run(&["prove", "consistency", "--data", dir, "--from", "0"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("--from"), "{stderr}");
}

#[test]
fn a_proof_is_read_only_in_the_one_spelling_kaohe_prove_prints() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("ledger");
    let key = ledger(&data, 6);
    let (code, printed, _) = run(&[
        "prove",
        "inclusion",
        "--data",
        data.to_str().unwrap(),
        "--seq",
        "3",
    ]);
    assert_eq!(code, 0, "{printed}");
    let proof: Value = serde_json::from_str(&printed).unwrap();
    let canonical = kaohe_ledger::canonical::to_canonical(&proof).unwrap();
    assert_eq!(printed.as_bytes(), [canonical.as_slice(), b"\n"].concat());
    assert_eq!(
        verify_proof_file(root.path(), printed.as_bytes(), &key).0,
        0
    );

    let json = printed.trim_end();
    let pretty = serde_json::to_string_pretty(&proof).unwrap() + "\n";
    // The first member again, where canonical order allows it: only the duplicate is wrong.
    let duplicated = format!("{{\"checkpoint\":\"x\",{}\n", &json[1..]);
    let extra = format!("{},\"size_note\":\"x\"}}\n", &json[..json.len() - 1]);
    for (what, bytes, verdict) in [
        (
            "pretty-printed",
            pretty,
            "not a proof bundle: the bundle is not canonical JSON: not in RFC 8785 canonical form",
        ),
        (
            "without its line feed",
            json.to_owned(),
            "not a proof bundle: the file does not end with a line feed after the bundle's JSON",
        ),
        (
            "a member twice",
            duplicated,
            "not a proof bundle: the bundle is not canonical JSON",
        ),
        (
            "a member it may not have",
            extra,
            "not a proof bundle: the bundle has a member it may not have: size_note",
        ),
    ] {
        let (code, output) = verify_proof_file(root.path(), bytes.as_bytes(), &key);
        assert_eq!(code, 1, "{what}: {output}");
        assert!(
            output.contains(&format!("NOT VERIFIED: {verdict}")),
            "{what}: {output}"
        );
    }
}
