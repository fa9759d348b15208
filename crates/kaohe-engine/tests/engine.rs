//! The engine against its promises: a command's events land together or not at all, a refusal
//! appends nothing, a retry is answered from the ledger, the live state always equals the state
//! folded from the ledger, concurrent commands share commits, and tokens sign in only while
//! valid.

use std::sync::Arc;

use jiff::civil::date;
use kaohe_assess::commands::{
    AmendEntry, CosignDecision, GiveOpinion, Nominate, ProposeDecision, WriteEntry,
};
use kaohe_assess::state::Kind;
use kaohe_assess::{Act, Command, Refusal, Role};
use kaohe_engine::{AuthError, ExecuteError};
use kaohe_store::fault::SimulatedDisk;
use kaohe_store::{AppendError, Expect, Store};
use kaohe_testkit::roster::enrol;
use kaohe_testkit::{EngineTown, Roster, ScriptedClock, entry_saying, genesis};
use uuid::Uuid;

/// The small township, enrolled through the engine on 2 January.
async fn town() -> EngineTown {
    let mut town = EngineTown::in_temp_dir();
    town.enrol(&Roster::small()).await;
    town
}

fn entry(day: i8) -> Command {
    Command::WriteEntry(WriteEntry {
        date: date(2026, 3, day),
        did: format!("3月{day}日到东风村走访低保户"),
        learned: "核实了家庭收入".into(),
    })
}

#[tokio::test]
async fn commands_are_decided_now_and_refusals_append_nothing() {
    let town = town().await;
    town.at("2026-03-02T18:00:00+08:00");
    let executed = town.must("p001", entry(2)).await;
    assert!(executed.created);
    assert_eq!(executed.events.len(), 1);
    assert_eq!(executed.events[0].event_type, "entry_written");
    let size = town.engine.store().head().unwrap().size;
    assert_eq!(executed.events[0].position, size - 1);

    // The rules refuse a second entry for the day and a future day: nothing appended.
    for command in [entry(2), entry(3)] {
        let refused = town.engine.execute("p001", command, None).await;
        assert!(
            matches!(refused, Err(ExecuteError::Refused(_))),
            "{refused:?}"
        );
    }
    assert!(matches!(
        town.engine.execute("p001", entry(2), None).await,
        Err(ExecuteError::Refused(Refusal::EntryExists { .. }))
    ));
    assert_eq!(town.engine.store().head().unwrap().size, size);
    // The act's time is the engine's clock, in the organisation's zone.
    let stored = town
        .engine
        .store()
        .snapshot()
        .unwrap()
        .event(size - 1)
        .unwrap();
    let stored: serde_json::Value = serde_json::from_slice(&stored).unwrap();
    assert_eq!(stored["business_time"], "2026-03-02T18:00:00+08:00");
    assert_eq!(town.engine.today(), date(2026, 3, 2));
    town.check_state();
}

#[tokio::test]
async fn a_retry_is_answered_from_the_ledger_and_another_request_with_its_id_conflicts() {
    let town = town().await;
    town.at("2026-03-02T18:00:00+08:00");
    let request = Uuid::now_v7();
    let first = town
        .engine
        .execute("p001", entry(2), Some(request))
        .await
        .unwrap();
    assert!(first.created);
    assert_eq!(first.events[0].id, request);
    // The request is remembered with its events: a retry is recognised without deciding it
    // again, whatever the ledger's length.
    let recorded = town
        .engine
        .store()
        .snapshot()
        .unwrap()
        .request(request)
        .unwrap();
    assert!(
        matches!(recorded, Some((position, 1, _)) if position == first.events[0].position),
        "{recorded:?}"
    );
    // The answer was lost; the client tries again the next day.
    town.at("2026-03-03T09:00:00+08:00");
    let again = town
        .engine
        .execute("p001", entry(2), Some(request))
        .await
        .unwrap();
    assert!(!again.created);
    assert_eq!(again.events, first.events);
    // The same id for another request is a conflict, and nothing is appended.
    let size = town.engine.store().head().unwrap().size;
    for (person, command) in [("p001", entry(1)), ("p002", entry(2))] {
        let conflict = town.engine.execute(person, command, Some(request)).await;
        assert!(
            matches!(conflict, Err(ExecuteError::Conflict(id)) if id == request),
            "{conflict:?}"
        );
    }
    assert!(matches!(
        town.engine
            .execute(
                "p001",
                entry(1),
                Some(Uuid::from_u128(0x0f5b3b9e_2c1d_4e8f_9a6b_1c2d3e4f5a6b))
            )
            .await,
        Err(ExecuteError::BadRequestId(_))
    ));
    assert_eq!(town.engine.store().head().unwrap().size, size);
}

#[tokio::test]
async fn a_decision_and_its_sanctions_land_together() {
    let town = town().await;
    town.at("2026-03-31T18:00:00+08:00");
    let mut cited = Vec::new();
    for cadre in ["p001", "p002"] {
        cited.push(town.must(cadre, entry(31)).await.events[0].id);
    }
    town.at("2026-04-01T10:00:00+08:00");
    for (index, (kind, cadre)) in [(Kind::Best, "p001"), (Kind::Worst, "p002")]
        .into_iter()
        .enumerate()
    {
        town.must(
            "l01",
            Command::Nominate(Nominate {
                month: "2026-03".parse().unwrap(),
                kind,
                cadre_id: cadre.into(),
                reason: "依据记录".into(),
                cited_ids: vec![cited[index]],
                override_reason: None,
            }),
        )
        .await;
    }
    let quarter = "2026-Q1".parse().unwrap();
    let proposal = town
        .must(
            "s01",
            Command::ProposeDecision(ProposeDecision {
                quarter,
                best: vec!["p001".into()],
                worst: vec!["p002".into()],
            }),
        )
        .await
        .events[0]
        .id;
    let cosigned = town
        .must(
            "m01",
            Command::CosignDecision(CosignDecision {
                quarter,
                proposal_id: proposal,
            }),
        )
        .await;
    let types: Vec<&str> = cosigned
        .events
        .iter()
        .map(|event| event.event_type.as_str())
        .collect();
    assert_eq!(types[0], "decision_cosigned");
    assert_eq!(types[1..], ["sanction_imposed"; 6]);
    let positions: Vec<u64> = cosigned.events.iter().map(|event| event.position).collect();
    assert!(positions.windows(2).all(|pair| pair[1] == pair[0] + 1));
    town.check_state();
}

#[tokio::test]
async fn a_head_moved_behind_the_engines_back_is_refused_then_the_state_is_rebuilt() {
    let town = town().await;
    town.at("2026-03-02T18:00:00+08:00");
    // Someone appends straight through the store: the engine's expected size is stale.
    let stray = entry_saying(Uuid::now_v7(), "p002", date(2026, 3, 2), "值班", "");
    let store = town.engine.store().clone();
    tokio::task::spawn_blocking(move || store.append(stray, Expect::Any))
        .await
        .unwrap()
        .unwrap();
    let refused = town.engine.execute("p001", entry(2), None).await;
    assert!(
        matches!(
            refused,
            Err(ExecuteError::Unavailable(AppendError::HeadMoved { .. }))
        ),
        "{refused:?}"
    );
    // Rebuilt from the ledger: the stray entry is known, and the next command goes through.
    town.check_state();
    assert!(matches!(
        town.engine.execute("p002", entry(2), None).await,
        Err(ExecuteError::Refused(Refusal::EntryExists { .. }))
    ));
    town.must("p001", entry(2)).await;
    town.check_state();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_commands_share_commits_and_keep_the_state_whole() {
    let town = Arc::new(town().await);
    let cadres: Vec<String> = (1..=64).map(|number| format!("k{number:02}")).collect();
    for cadre in &cadres {
        for command in enrol(cadre, cadre, Role::Cadre, date(2026, 1, 1)) {
            town.must("office", command).await;
        }
    }
    town.at("2026-03-31T18:00:00+08:00");
    let commits_before = town.engine.store().stats().commits();
    let mut tasks = Vec::new();
    for cadre in cadres {
        let town = Arc::clone(&town);
        tasks.push(tokio::spawn(async move {
            let mut positions = Vec::new();
            for day in 1..=10 {
                let executed = town.must(&cadre, entry(day)).await;
                positions.push(executed.events[0].position);
            }
            positions
        }));
    }
    let mut positions = Vec::new();
    for task in tasks {
        positions.extend(task.await.unwrap());
    }
    positions.sort_unstable();
    positions.dedup();
    assert_eq!(positions.len(), 640, "every answer names its own position");
    let commits = town.engine.store().stats().commits() - commits_before;
    assert!(commits < 640, "{commits} commits for 640 appends");
    town.check_state();
}

#[tokio::test]
async fn a_token_signs_in_its_person_until_revoked() {
    let town = town().await;
    town.at("2026-02-01T09:00:00+08:00");
    let (issued, executed) = town.engine.issue_token("office", "p001").await.unwrap();
    assert_eq!(executed.events[0].event_type, "token_issued");
    // The token's id and the act's are UUIDv7s of the engine's clock, the act's time.
    let act: jiff::Timestamp = "2026-02-01T09:00:00+08:00".parse().unwrap();
    for id in [issued.token_id, executed.events[0].id] {
        let (seconds, _) = id.get_timestamp().unwrap().to_unix();
        assert_eq!(seconds as i64, act.as_second(), "{id}");
    }
    assert!(issued.text.starts_with("kh1."));
    assert_eq!(town.engine.authenticate(&issued.text).unwrap(), "p001");
    // The ledger holds the token's id, never its secret.
    let snapshot = town.engine.store().snapshot().unwrap();
    let event = snapshot.event(executed.events[0].position).unwrap();
    let secret = issued.text.rsplit('.').next().unwrap();
    assert!(!String::from_utf8(event).unwrap().contains(secret));

    // Another secret of the same shape: change its first character (a whole six bits; the
    // last one carries padding bits and could make it malformed instead).
    let secret_at = issued.text.rfind('.').unwrap() + 1;
    let mut forged = issued.text.clone();
    let first = forged.as_bytes()[secret_at];
    forged.replace_range(secret_at..=secret_at, if first == b'A' { "B" } else { "A" });
    assert!(matches!(
        town.engine.authenticate(&forged),
        Err(AuthError::Mismatch)
    ));
    for malformed in ["", "kh1.", "Bearer x", "kh1.00.00", &issued.text[..20]] {
        assert!(
            matches!(
                town.engine.authenticate(malformed),
                Err(AuthError::Malformed)
            ),
            "{malformed}"
        );
    }
    let other = format!(
        "kh1.{}.{}",
        Uuid::now_v7().simple(),
        issued.text.rsplit('.').next().unwrap()
    );
    assert!(matches!(
        town.engine.authenticate(&other),
        Err(AuthError::Unknown)
    ));
    // Only the office issues.
    assert!(matches!(
        town.engine.issue_token("p001", "p002").await,
        Err(ExecuteError::Refused(Refusal::NotInRole { .. }))
    ));
    town.engine
        .revoke_token("office", issued.token_id, "本人报告遗失")
        .await
        .unwrap();
    assert!(matches!(
        town.engine.authenticate(&issued.text),
        Err(AuthError::Revoked)
    ));
    assert_eq!(
        town.engine
            .store()
            .snapshot()
            .unwrap()
            .token_hash(issued.token_id)
            .unwrap(),
        None
    );
    town.check_state();
}

/// The small township on a simulated disk whose syncs a test can hold, enrolled on 2 January,
/// the clock at 18:00 on 2 March.
async fn town_on_simulated_disk() -> (EngineTown, SimulatedDisk) {
    let clock = ScriptedClock::at(kaohe_testkit::ENROLLED_AT);
    let disk = SimulatedDisk::new();
    let store = Store::create_with_backend(disk.clone(), &genesis(), clock.options()).unwrap();
    let mut town = EngineTown::over(store, clock);
    town.enrol(&Roster::small()).await;
    town.at("2026-03-02T18:00:00+08:00");
    (town, disk)
}

/// Issue 13, holes 4 and 5: a command the rules accept and the event schemas refuse (an
/// amendment's reason of 501 characters) is answered without folding the ledger again, so a
/// write queued before it and not yet durable stays visible, and the next valid write lands.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_schema_refusal_rebuilds_nothing_and_hides_no_queued_write() {
    let (town, disk) = town_on_simulated_disk().await;
    let written = town.must("p001", entry(2)).await.events[0].id;
    let size = town.engine.store().head().unwrap().size;
    let hold = disk.hold_next_sync();
    let act = Act {
        person_id: "p002".into(),
        time: "2026-03-02T18:00:00+08:00".into(),
    };
    let engine = town.engine.clone();
    let queued = tokio::task::spawn_blocking(move || {
        engine.submit(&act, &entry(2), Uuid::now_v7()).unwrap()
    })
    .await
    .unwrap();
    assert!(hold.wait_until_held(std::time::Duration::from_secs(10)));

    let refused = town
        .engine
        .execute(
            "p001",
            Command::AmendEntry(AmendEntry {
                entry_id: written,
                did: "3月2日到东风村走访低保户".into(),
                learned: "核实了家庭收入".into(),
                reason: "补".repeat(501),
            }),
            None,
        )
        .await;
    assert!(
        matches!(refused, Err(ExecuteError::Invalid(_))),
        "{refused:?}"
    );
    // p002's entry is queued, not yet durable, and still part of what the service shows.
    let day = (String::from("p002"), date(2026, 3, 2));
    assert!(
        town.engine
            .read(|state| state.entry_days.contains_key(&day)),
        "a write queued before the refusal vanished from the live state"
    );
    hold.release();
    let landed = tokio::task::spawn_blocking(move || queued.wait_blocking())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(landed.events[0].position, size);
    // The next valid write expects the head the queued one left, and lands.
    let next = town.engine.execute("p001", entry(1), None).await;
    assert!(next.is_ok(), "{next:?}");
    town.check_state();
}

/// Issue 13, hole 5: the same request sent twice at once is recorded once; the second is
/// told it is in progress, and afterwards answered from the ledger, and nothing queued after
/// it misses its place.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_request_twice_at_once_is_recorded_once() {
    let (town, disk) = town_on_simulated_disk().await;
    let opinion = || {
        Command::GiveOpinion(GiveOpinion {
            cadre_id: "p001".into(),
            month: "2026-03".parse().unwrap(),
            opinion: "群众反映较好".into(),
        })
    };
    let id = Uuid::now_v7();
    let hold = disk.hold_next_sync();
    let engine = town.engine.clone();
    let first = tokio::spawn(async move { engine.execute("c01", opinion(), Some(id)).await });
    assert!(hold.wait_until_held(std::time::Duration::from_secs(10)));
    let second = town.engine.execute("c01", opinion(), Some(id)).await;
    assert!(
        matches!(second, Err(ExecuteError::Conflict(_))),
        "{second:?}"
    );
    hold.release();
    assert!(first.await.unwrap().unwrap().created);
    let again = town
        .engine
        .execute("c01", opinion(), Some(id))
        .await
        .unwrap();
    assert!(!again.created);
    town.must("p001", entry(2)).await;
    town.check_state();
}
