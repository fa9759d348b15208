//! The store against its promises: durable appends answered once, retries, conflicts,
//! conditional appends, group commit under concurrency, reopening, and proofs from stored nodes.

use std::sync::Arc;

use jiff::SignedDuration;
use kaohe_ledger::event::EventDraft;
use kaohe_ledger::genesis::TimeZoneError;
use kaohe_ledger::hash::leaf_hash;
use kaohe_ledger::merkle::{naive_root, verify_consistency, verify_inclusion};
use kaohe_ledger::verify::{Anchors, Check, LedgerCheck};
use kaohe_store::{
    AppendError, Appended, Damage, Expect, GenesisError, OpenError, ReadError, SideWrite,
    StorageError, Store, StoreOptions,
};
use kaohe_testkit::store::{create, verify_all};
use kaohe_testkit::{ScriptedClock, genesis};
use serde_json::json;
use uuid::Uuid;

/// The `n`-th daily entry of p001, with an id of its own.
fn entry(n: u32) -> EventDraft {
    kaohe_testkit::entry(Uuid::now_v7(), "p001", n)
}

fn new_store(dir: &tempfile::TempDir) -> Store {
    create(dir.path(), StoreOptions::default())
}

/// Submit `drafts` as one batch and wait until it is durable or refused.
fn append_batch(
    store: &Store,
    drafts: Vec<EventDraft>,
    expect: Expect,
    side: Vec<SideWrite>,
) -> Result<Vec<Appended>, AppendError> {
    store.submit(drafts, expect, side)?.wait_blocking()
}

#[test]
fn appends_are_numbered_linked_and_read_back() {
    let dir = tempfile::tempdir().unwrap();
    let store = new_store(&dir);
    let drafts: Vec<EventDraft> = (0..20).map(entry).collect();
    for (index, draft) in drafts.iter().enumerate() {
        let appended = store.append(draft.clone(), Expect::Any).unwrap();
        assert_eq!(appended.position, index as u64 + 1);
        assert!(appended.created);
    }
    let snapshot = store.snapshot().unwrap();
    assert_eq!(snapshot.size(), 21);
    assert_eq!(snapshot.position_of(drafts[4].id).unwrap(), Some(5));
    assert_eq!(snapshot.position_of(Uuid::now_v7()).unwrap(), None);
    let bytes = snapshot.event(5).unwrap();
    assert_eq!(leaf_hash(&bytes), snapshot.leaf(5).unwrap());
    assert!(snapshot.event(21).is_err());
    verify_all(&store);
}

#[test]
fn a_retry_is_answered_from_the_ledger_and_other_content_is_a_conflict() {
    let dir = tempfile::tempdir().unwrap();
    let store = new_store(&dir);
    let draft = entry(1);
    let first = store.append(draft.clone(), Expect::Any).unwrap();
    let again = store.append(draft.clone(), Expect::Any).unwrap();
    assert_eq!(
        (again.position, again.leaf, again.created),
        (first.position, first.leaf, false)
    );
    let mut changed = draft.clone();
    changed.payload["did"] = json!("改过的内容");
    let conflict = store.append(changed, Expect::Any);
    assert!(
        matches!(conflict, Err(AppendError::Conflict { id, position: 1 }) if id == draft.id),
        "{conflict:?}"
    );
    // A retry that also names the old expected size is still answered, not refused.
    assert_eq!(store.append(draft, Expect::Size(1)).unwrap().position, 1);
    assert_eq!(store.snapshot().unwrap().size(), 2);
    assert_eq!(store.stats().appended(), 1);
}

#[test]
fn a_conditional_append_needs_the_expected_head() {
    let dir = tempfile::tempdir().unwrap();
    let store = new_store(&dir);
    assert_eq!(store.append(entry(1), Expect::Size(1)).unwrap().position, 1);
    let moved = store.append(entry(2), Expect::Size(1));
    assert!(
        matches!(
            moved,
            Err(AppendError::HeadMoved {
                expected: 1,
                actual: 2
            })
        ),
        "{moved:?}"
    );
    assert_eq!(store.snapshot().unwrap().size(), 2);
}

#[test]
fn invalid_drafts_are_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let store = new_store(&dir);
    let mut bad = entry(1);
    bad.payload["did"] = json!("");
    assert!(matches!(
        store.append(bad, Expect::Any),
        Err(AppendError::Invalid(_))
    ));
    let mut float = entry(1);
    float.payload["score"] = json!(1.5);
    assert!(matches!(
        store.append(float, Expect::Any),
        Err(AppendError::Invalid(_))
    ));
    let mut huge = entry(1);
    huge.payload["did"] = json!("x".repeat(100_000));
    assert!(matches!(
        store.append(huge, Expect::Any),
        Err(AppendError::Invalid(_))
    ));
    let mut beyond = entry(1);
    beyond.payload["did"] = json!(9_007_199_254_740_992u64);
    assert!(matches!(
        store.append(beyond, Expect::Any),
        Err(AppendError::Invalid(_))
    ));
    let mut second_genesis = genesis();
    second_genesis.id = Uuid::now_v7();
    assert!(matches!(
        store.append(second_genesis, Expect::Any),
        Err(AppendError::Invalid(_))
    ));
    assert_eq!(store.snapshot().unwrap().size(), 1);
    assert_eq!(store.stats().commits(), 0);
}

#[test]
fn eight_threads_share_commits_and_leave_a_gap_free_chain() {
    appenders_share_commits(8, 60);
}

#[test]
fn fifty_appenders_cost_far_fewer_than_fifty_flushes_each() {
    appenders_share_commits(50, 20);
}

fn appenders_share_commits(threads: usize, per_thread: u32) {
    let dir = tempfile::tempdir().unwrap();
    let store = new_store(&dir);
    std::thread::scope(|scope| {
        for _ in 0..threads {
            let store = store.clone();
            scope.spawn(move || {
                for day in 0..per_thread {
                    store.append(entry(day), Expect::Any).unwrap();
                }
            });
        }
    });
    let appended = threads as u64 * u64::from(per_thread);
    assert_eq!(store.snapshot().unwrap().size(), 1 + appended);
    assert_eq!(store.stats().appended(), appended);
    let commits = store.stats().commits();
    eprintln!(
        "{threads} appenders: {appended} appends in {commits} commits ({:.1} events per commit)",
        appended as f64 / commits as f64
    );
    assert!(
        commits < appended,
        "{commits} commits for {appended} appends"
    );
    verify_all(&store);
}

#[test]
fn recorded_times_never_go_back_even_when_the_clock_does() {
    let dir = tempfile::tempdir().unwrap();
    let clock = ScriptedClock::at("2026-02-25T06:13:20Z");
    let store = create(dir.path(), clock.options());
    store.append(entry(1), Expect::Any).unwrap();
    clock.advance(SignedDuration::from_hours(-1));
    store.append(entry(2), Expect::Any).unwrap();
    let snapshot = store.snapshot().unwrap();
    let time = |position| {
        let value: serde_json::Value =
            serde_json::from_slice(&snapshot.event(position).unwrap()).unwrap();
        value["recorded_time"].as_str().unwrap().to_owned()
    };
    assert_eq!(time(1), time(2));
    assert!(time(1).ends_with("+08:00"), "{}", time(1));
    verify_all(&store);
}

#[test]
fn a_reopened_ledger_continues_the_same_chain() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.redb");
    let head = {
        let store = new_store(&dir);
        for day in 0..13 {
            store.append(entry(day), Expect::Any).unwrap();
        }
        store.head().unwrap()
    };
    let store = Store::open(&path, StoreOptions::default()).unwrap();
    assert_eq!(store.head().unwrap(), head);
    store.append(entry(99), Expect::Any).unwrap();
    assert_eq!(verify_all(&store).size, 15);
    assert!(matches!(
        Store::create(&path, &genesis(), StoreOptions::default()),
        Err(OpenError::AlreadyExists(_))
    ));
    assert!(matches!(
        Store::open(&path, StoreOptions::default()),
        Err(OpenError::InUse(_))
    ));
    drop(store);
    assert!(matches!(
        Store::open(&dir.path().join("none.redb"), StoreOptions::default()),
        Err(OpenError::NotFound(_))
    ));
}

#[test]
fn a_time_zone_not_spelled_as_the_iana_database_spells_it_creates_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.redb");
    let mut genesis = genesis();
    genesis.payload["time_zone"] = json!("asia/shanghai");
    let refused = Store::create(&path, &genesis, StoreOptions::default());
    assert!(
        matches!(
            &refused,
            Err(OpenError::InvalidGenesis(GenesisError::TimeZone(
                TimeZoneError::Misspelled { canonical, .. }
            ))) if canonical == "Asia/Shanghai"
        ),
        "{:?}",
        refused.err()
    );
    // Refused before the file was made: nothing is left to block a second try.
    assert!(!path.exists());
    genesis.payload["time_zone"] = json!("Asia/Shanghai");
    Store::create(&path, &genesis, StoreOptions::default()).unwrap();
}

#[test]
fn proofs_from_stored_nodes_match_a_naive_recomputation() {
    let dir = tempfile::tempdir().unwrap();
    let store = new_store(&dir);
    for day in 0..70 {
        store.append(entry(day), Expect::Any).unwrap();
    }
    let snapshot = store.snapshot().unwrap();
    let leaves: Vec<_> = (0..snapshot.size())
        .map(|p| leaf_hash(&snapshot.event(p).unwrap()))
        .collect();
    for size in 1..=snapshot.size() {
        let root = naive_root(&leaves[..size as usize]);
        assert_eq!(snapshot.root_at(size).unwrap(), root);
        for position in (0..size).step_by(7) {
            let path = snapshot.inclusion_proof(position, size).unwrap();
            verify_inclusion(&leaves[position as usize], position, size, &path, &root).unwrap();
        }
        for old in (1..=size).step_by(5) {
            let path = snapshot.consistency_proof(old, size).unwrap();
            let old_root = naive_root(&leaves[..old as usize]);
            verify_consistency(old, size, &old_root, &root, &path).unwrap();
        }
    }
    assert!(snapshot.inclusion_proof(5, snapshot.size() + 1).is_err());
    assert!(snapshot.consistency_proof(0, 5).is_err());
}

#[test]
fn checkpoints_are_stored_by_size() {
    let dir = tempfile::tempdir().unwrap();
    let store = new_store(&dir);
    store.put_checkpoint(1, "first\n".into()).unwrap();
    store.append(entry(1), Expect::Any).unwrap();
    store.put_checkpoint(2, "second\n".into()).unwrap();
    assert_eq!(
        store.snapshot().unwrap().checkpoints().unwrap(),
        vec![(1, "first\n".to_string()), (2, "second\n".to_string())]
    );
}

#[test]
fn many_batches_queued_at_once_share_few_commits() {
    let dir = tempfile::tempdir().unwrap();
    let store = new_store(&dir);
    let mut drafts: Vec<EventDraft> = (0..3000).map(entry).collect();
    let mut bad = entry(1);
    bad.payload["did"] = json!("");
    drafts.insert(1500, bad);
    // Every batch is queued before any answer is awaited.
    let pending: Vec<_> = drafts
        .into_iter()
        .map(|draft| store.submit(vec![draft], Expect::Any, Vec::new()))
        .collect();
    let results: Vec<Result<Appended, AppendError>> = pending
        .into_iter()
        .map(|pending| {
            let mut appended = pending?.wait_blocking()?;
            Ok(appended.pop().unwrap())
        })
        .collect();
    assert_eq!(results.len(), 3001);
    assert!(matches!(results[1500], Err(AppendError::Invalid(_))));
    let positions: Vec<u64> = results
        .iter()
        .filter_map(|result| result.as_ref().ok())
        .map(|appended| appended.position)
        .collect();
    assert_eq!(positions, (1..=3000).collect::<Vec<u64>>());
    assert!(
        store.stats().commits() < 100,
        "{} commits",
        store.stats().commits()
    );
    verify_all(&store);
}

#[test]
fn a_batch_lands_whole_at_consecutive_positions_or_not_at_all() {
    let dir = tempfile::tempdir().unwrap();
    let store = new_store(&dir);
    let batch: Vec<EventDraft> = (0..3).map(entry).collect();
    let token = Uuid::now_v7();
    let appended = append_batch(
        &store,
        batch.clone(),
        Expect::Size(1),
        vec![SideWrite::PutToken {
            id: token,
            hash: [9; 32],
        }],
    )
    .unwrap();
    let positions: Vec<u64> = appended.iter().map(|one| one.position).collect();
    assert_eq!(positions, [1, 2, 3]);
    assert!(appended.iter().all(|one| one.created));
    assert_eq!(
        store.snapshot().unwrap().token_hash(token).unwrap(),
        Some([9; 32])
    );

    // The whole batch again: answered from the ledger, nothing appended.
    let again = append_batch(&store, batch.clone(), Expect::Size(1), Vec::new()).unwrap();
    assert!(again.iter().all(|one| !one.created));
    assert_eq!(store.head().unwrap().size, 4);

    // Part of it again with a new event: a conflict, and the new event is not appended.
    let mut mixed = vec![batch[0].clone(), entry(9)];
    let refused = append_batch(&store, mixed.clone(), Expect::Any, Vec::new());
    assert!(matches!(
        refused,
        Err(AppendError::Conflict { position: 1, .. })
    ));
    // A head that moved: refused, nothing of it appended, no side write made.
    mixed.remove(0);
    let other = Uuid::now_v7();
    let refused = append_batch(
        &store,
        mixed,
        Expect::Size(3),
        vec![SideWrite::PutToken {
            id: other,
            hash: [1; 32],
        }],
    );
    assert!(
        matches!(
            refused,
            Err(AppendError::HeadMoved {
                expected: 3,
                actual: 4
            })
        ),
        "{refused:?}"
    );
    assert_eq!(store.head().unwrap().size, 4);
    assert_eq!(store.snapshot().unwrap().token_hash(other).unwrap(), None);

    // A token forgotten with its revocation.
    append_batch(
        &store,
        vec![entry(10)],
        Expect::Any,
        vec![SideWrite::RemoveToken { id: token }],
    )
    .unwrap();
    assert_eq!(store.snapshot().unwrap().token_hash(token).unwrap(), None);
    assert!(matches!(
        append_batch(&store, Vec::new(), Expect::Any, Vec::new()),
        Err(AppendError::BatchSize(0))
    ));
    verify_all(&store);
}

#[test]
fn an_invalid_event_refuses_its_whole_batch() {
    let dir = tempfile::tempdir().unwrap();
    let store = new_store(&dir);
    let mut bad = entry(2);
    bad.payload["date"] = json!("2026-02-30");
    let refused = append_batch(&store, vec![entry(1), bad], Expect::Any, Vec::new());
    assert!(
        matches!(refused, Err(AppendError::Invalid(_))),
        "{refused:?}"
    );
    assert_eq!(store.head().unwrap().size, 1);
}

#[test]
fn sealed_events_extend_a_copy_byte_for_byte_and_nothing_else_does() {
    let dir = tempfile::tempdir().unwrap();
    let source = new_store(&dir);
    for draft in (0..20).map(entry) {
        source.append(draft, Expect::Any).unwrap();
    }
    let snapshot = source.snapshot().unwrap();
    let bytes: Vec<Vec<u8>> = (0..21)
        .map(|position| snapshot.event(position).unwrap())
        .collect();
    // The copy starts from the first events, as a mirror does.
    let copy = Store::import(
        &dir.path().join("copy.redb"),
        bytes[..5].iter(),
        &kaohe_store::ImportOptions::default(),
        StoreOptions::default(),
    )
    .unwrap();
    assert_eq!(copy.append_sealed(bytes[5..12].to_vec()).unwrap(), 12);
    // Out of place, altered, or from another ledger: refused, nothing appended.
    assert!(matches!(
        copy.append_sealed(bytes[13..15].to_vec()),
        Err(AppendError::NotAnExtension(_))
    ));
    let mut altered = bytes[12].clone();
    let at = altered
        .windows(3)
        .position(|window| window == &"走访".as_bytes()[..3])
        .unwrap();
    altered[at..at + 3].copy_from_slice("值".as_bytes());
    // An altered event is caught by the next event's link; the last event of a batch has no
    // next one, so the caller proves it (an inclusion proof against a signed checkpoint).
    assert!(matches!(
        copy.append_sealed(vec![altered, bytes[13].clone()]),
        Err(AppendError::NotAnExtension(_))
    ));
    let other_dir = tempfile::tempdir().unwrap();
    let other = new_store(&other_dir);
    other.append(entry(99), Expect::Any).unwrap();
    let foreign = other.snapshot().unwrap().event(1).unwrap();
    let foreign_at_12 = {
        // Re-place the foreign event at position 12: it still does not link.
        let mut value: serde_json::Value = serde_json::from_slice(&foreign).unwrap();
        value["position"] = 12.into();
        kaohe_ledger::canonical::to_canonical(&value).unwrap()
    };
    assert!(matches!(
        copy.append_sealed(vec![foreign_at_12]),
        Err(AppendError::NotAnExtension(_))
    ));
    assert!(matches!(
        copy.append_sealed(Vec::new()),
        Err(AppendError::BatchSize(0))
    ));
    assert_eq!(copy.head().unwrap().size, 12);
    assert_eq!(copy.append_sealed(bytes[12..].to_vec()).unwrap(), 21);
    let copied = copy.snapshot().unwrap();
    for (position, event) in bytes.iter().enumerate() {
        assert_eq!(copied.event(position as u64).unwrap(), *event);
    }
    assert_eq!(copy.head().unwrap(), source.head().unwrap());
    copied.check_stored_nodes().unwrap();
    verify_all(&copy);
}

#[test]
fn what_the_node_check_finds_is_told_in_kaohes_words() {
    let dir = tempfile::tempdir().unwrap();
    let store = new_store(&dir);
    for day in 0..6 {
        store.append(entry(day), Expect::Any).unwrap();
    }
    let snapshot = store.snapshot().unwrap();
    let verdict = |found: ReadError| {
        let mut check = LedgerCheck::new(Anchors::default());
        snapshot
            .for_each_event(0, |_, bytes| check.push(bytes))
            .unwrap();
        let nodes = Err(found.node_damage());
        let failure = check.finish(Some(nodes)).unwrap_err();
        assert_eq!((failure.check, failure.event), (Check::MerkleRoot, None));
        failure.message
    };
    assert_eq!(
        verdict(ReadError::Damaged(Damage::WrongLeaf(4))),
        "the stored leaf hash of event 4 is not its hash"
    );
    assert_eq!(
        verdict(ReadError::Damaged(Damage::MissingNode {
            level: 1,
            index: 2
        })),
        "Merkle node (1, 2) is missing"
    );
    // Damage the nodes' check did not name, and a read the disk failed, are said in kaohe's
    // words, never in the words of the library below.
    assert_eq!(
        verdict(ReadError::Damaged(Damage::NoEvents)),
        "the pages that hold the Merkle nodes are damaged"
    );
    let disk = std::io::Error::other("redb: page 12 failed its checksum");
    assert_eq!(
        verdict(ReadError::Storage(StorageError::Io(Arc::new(disk)))),
        "reading the file failed"
    );
    // And a ledger whose nodes hold checks out.
    let mut check = LedgerCheck::new(Anchors::default());
    snapshot
        .for_each_event(0, |_, bytes| check.push(bytes))
        .unwrap();
    let nodes = snapshot
        .check_stored_nodes()
        .map_err(|error| error.node_damage());
    assert_eq!(check.finish(Some(nodes)).unwrap().verified.size, 7);
}

/// The stored nodes compared with the events' own in one pass (`Snapshot::node_check`), on a
/// copy of a ledger whose nodes table was changed with redb directly.
fn node_verdict(
    path: &std::path::Path,
    change: impl FnOnce(&mut redb::Table<(u8, u64), [u8; 32]>),
) -> String {
    const NODES: redb::TableDefinition<(u8, u64), [u8; 32]> =
        redb::TableDefinition::new("merkle_nodes");
    let dir = tempfile::tempdir().unwrap();
    let copy = dir.path().join("copy.redb");
    std::fs::copy(path, &copy).unwrap();
    {
        let db = redb::Database::open(&copy).unwrap();
        let txn = db.begin_write().unwrap();
        change(&mut txn.open_table(NODES).unwrap());
        txn.commit().unwrap();
    }
    let file = kaohe_store::LedgerFile::open(&copy).unwrap();
    let snapshot = file.snapshot().unwrap();
    let mut nodes = snapshot.node_check().unwrap();
    let mut verifier = kaohe_ledger::verify::LedgerVerifier::new([]);
    snapshot
        .for_each_event(0, |_, bytes| {
            let prepared = kaohe_ledger::verify::PreparedEvent::new(bytes);
            verifier
                .push_prepared_with_nodes(&prepared, &mut |level, index, hash| {
                    nodes.node(level, index, hash)
                })
                .unwrap();
            true
        })
        .unwrap();
    match nodes.finish(snapshot.size()) {
        Ok(()) => "ok".into(),
        Err(error) => format!("{error:?}"),
    }
}

#[test]
fn stored_nodes_are_checked_in_the_pass_over_the_events() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ledger.redb");
    {
        let store = new_store(&dir);
        for day in 0..6 {
            store.append(entry(day), Expect::Any).unwrap();
        }
    }
    assert_eq!(node_verdict(&path, |_| {}), "ok");
    let wrong = node_verdict(&path, |nodes| {
        nodes.insert((1, 1), [7; 32]).unwrap();
    });
    assert!(
        wrong.contains("WrongNode { level: 1, index: 1 }"),
        "{wrong}"
    );
    let leaf = node_verdict(&path, |nodes| {
        nodes.insert((0, 4), [7; 32]).unwrap();
        nodes.insert((1, 0), [7; 32]).unwrap();
    });
    assert!(leaf.contains("WrongLeaf(4)"), "{leaf}");
    let missing = node_verdict(&path, |nodes| {
        nodes.remove((2, 0)).unwrap();
    });
    assert!(
        missing.contains("MissingNode { level: 2, index: 0 }"),
        "{missing}"
    );
    let stray = node_verdict(&path, |nodes| {
        nodes.insert((0, 99), [7; 32]).unwrap();
    });
    assert!(stray.contains("StrayNodes"), "{stray}");
}
