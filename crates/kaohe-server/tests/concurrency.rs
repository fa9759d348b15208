//! Many clients at once over a real socket: 64 cadres post their daily entries concurrently.
//! Every 2xx answer's event is in the ledger where the answer said, the chain verifies, the
//! live state equals the state folded from the ledger, and appends share commits.

mod support;

use std::sync::Arc;

use kaohe_assess::{Fact, Role, State};
use kaohe_ledger::hash::leaf_hash;
use kaohe_ledger::verify::LedgerVerifier;
use kaohe_testkit::http::request;
use kaohe_testkit::roster::{enrol, first_day};
use serde_json::Value;
use support::town;

const CLIENTS: usize = 64;
const ENTRIES_EACH: i8 = 8;

#[test]
fn sixty_four_clients_appending_share_commits_and_lose_nothing() {
    let mut town = town();
    let cadres: Vec<String> = (1..=CLIENTS)
        .map(|number| format!("k{number:02}"))
        .collect();
    for cadre in &cadres {
        for command in enrol(cadre, &format!("{cadre}名"), Role::Cadre, first_day()) {
            town.must("office", command);
        }
        town.issue_token(cadre);
    }
    town.at("2026-04-10T18:00:00+08:00");
    let addr = town.serve();
    let commits_before = town.state.engine.store().stats().commits();
    let appended_before = town.state.engine.store().stats().appended();
    let tokens = Arc::new(town.tokens.clone());
    let threads: Vec<_> = cadres
        .iter()
        .cloned()
        .map(|cadre| {
            let tokens = Arc::clone(&tokens);
            std::thread::spawn(move || {
                let mut acknowledged = Vec::new();
                for day in 1..=ENTRIES_EACH {
                    let body = serde_json::json!({
                        "date": format!("2026-04-{day:02}"),
                        "did": format!("4月{day}日到东风村走访低保户三户，核实家庭收入和住房情况"),
                        "learned": "掌握了低保动态管理的新要求",
                    })
                    .to_string();
                    let answer = request(
                        addr,
                        "POST",
                        "/v1/entries",
                        Some(&tokens[&cadre]),
                        Some(&body),
                    )
                    .unwrap();
                    let text = String::from_utf8_lossy(&answer.body);
                    assert_eq!(answer.status, 201, "{text}");
                    let answer: Value = serde_json::from_slice(&answer.body).unwrap();
                    let event = &answer["events"][0];
                    acknowledged.push((
                        event["position"].as_u64().unwrap(),
                        event["id"].as_str().unwrap().to_owned(),
                        event["leaf_hash"].as_str().unwrap().to_owned(),
                    ));
                }
                acknowledged
            })
        })
        .collect();
    let mut acknowledged = Vec::new();
    for thread in threads {
        acknowledged.extend(thread.join().unwrap());
    }
    let commits = town.state.engine.store().stats().commits() - commits_before;
    let appended = town.state.engine.store().stats().appended() - appended_before;
    eprintln!(
        "{} appends acknowledged in {commits} commits: {:.1} events a commit",
        acknowledged.len(),
        appended as f64 / commits as f64
    );
    assert_eq!(acknowledged.len(), CLIENTS * ENTRIES_EACH as usize);
    assert_eq!(appended as usize, acknowledged.len());
    assert!(commits < appended, "appends share commits");

    // Every acknowledged event is where its answer said, with the leaf hash it gave.
    let snapshot = town.state.engine.store().snapshot().unwrap();
    for (position, id, leaf) in &acknowledged {
        let bytes = snapshot.event(*position).unwrap();
        let event: Value = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(event["id"], *id);
        assert_eq!(leaf_hash(&bytes).to_hex(), *leaf);
    }
    // The chain verifies, and the rules' state is the state the ledger folds into.
    let mut verifier = LedgerVerifier::new([]);
    let mut parsed = Vec::new();
    snapshot
        .for_each_event(0, |_, bytes| {
            verifier.push(bytes).unwrap();
            parsed.push(kaohe_ledger::event::parse_event(bytes).unwrap());
            true
        })
        .unwrap();
    let verified = verifier.finish(None).unwrap();
    assert_eq!(verified.root, snapshot.head().unwrap().root);
    let rebuilt = State::from_events(parsed.iter().map(Fact::from)).unwrap();
    town.state.engine.read(|live| assert_eq!(*live, rebuilt));
}
