//! Import of an export's events: the same bytes, ids and Merkle nodes as the ledger they came
//! from, appends going on after it, and every kind of damage refused with the file removed.

use kaohe_ledger::event::EventDraft;
use kaohe_ledger::note::{Checkpoint, SignerKey};
use kaohe_ledger::verify::{Anchors, Check, Failure, export_checkpoint_line, verify_export_bytes};
use kaohe_store::{Expect, ImportError, ImportOptions, OpenError, Store, StoreOptions};
use kaohe_testkit::store::verify_all;
use kaohe_testkit::{ORIGIN, genesis, signer};
use uuid::Uuid;

/// The `n`-th daily entry of p001, with an id of its own.
fn entry(n: u32) -> EventDraft {
    kaohe_testkit::entry(Uuid::now_v7(), "p001", n)
}

/// A ledger of `size` events built by appends, read back as an export: its events and a
/// signed checkpoint of its whole size.
fn export(dir: &tempfile::TempDir, size: u32) -> (Vec<Vec<u8>>, String) {
    let store = Store::create(
        &dir.path().join("source.redb"),
        &genesis(),
        StoreOptions {
            commit_requests_max: 7,
            ..StoreOptions::default()
        },
    )
    .unwrap();
    // Queued all at once, so that the writer folds them into commits of seven.
    let pending: Vec<_> = (1..size)
        .map(|n| {
            store
                .submit(vec![entry(n)], Expect::Any, Vec::new())
                .unwrap()
        })
        .collect();
    for batch in pending {
        batch.wait_blocking().unwrap();
    }
    let snapshot = store.snapshot().unwrap();
    let mut events = Vec::new();
    snapshot
        .for_each_event(0, |_, bytes| {
            events.push(bytes.to_vec());
            true
        })
        .unwrap();
    let checkpoint = Checkpoint {
        origin: ORIGIN.into(),
        size: u64::from(size),
        root: snapshot.head().unwrap().root,
    }
    .sign(&signer())
    .unwrap();
    (events, checkpoint)
}

fn options(checkpoint: Option<&str>, threads: usize) -> ImportOptions {
    ImportOptions {
        checkpoint: checkpoint.map(str::to_owned),
        threads,
        // Small commits, so that a ledger of a few dozen events spans several batches.
        batch_events: 5,
    }
}

#[test]
fn an_import_holds_the_same_events_nodes_and_ids_and_appends_go_on() {
    let dir = tempfile::tempdir().unwrap();
    let (events, checkpoint) = export(&dir, 40);
    for threads in [1, 2, 3] {
        let path = dir.path().join(format!("imported-{threads}.redb"));
        let store = Store::import(
            &path,
            &events,
            &options(Some(&checkpoint), threads),
            StoreOptions::default(),
        )
        .unwrap();
        let snapshot = store.snapshot().unwrap();
        assert_eq!(snapshot.size(), 40);
        for (position, bytes) in events.iter().enumerate() {
            assert_eq!(&snapshot.event(position as u64).unwrap(), bytes);
        }
        snapshot.check_stored_nodes().unwrap();
        assert_eq!(
            snapshot.checkpoints().unwrap(),
            vec![(40, checkpoint.clone())]
        );
        let id = kaohe_ledger::event::parse_event(&events[17]).unwrap().id;
        assert_eq!(snapshot.position_of(id).unwrap(), Some(17));
        // A retry of an imported event is answered from the ledger, as after an append.
        let appended = store.append(entry(1), Expect::Any).unwrap();
        assert_eq!(appended.position, 40);
        drop(snapshot);
        drop(store);
        verify_all(&Store::open(&path, StoreOptions::default()).unwrap());
    }
}

#[test]
fn a_retried_import_event_is_answered_not_appended() {
    let dir = tempfile::tempdir().unwrap();
    let source = Store::create(
        &dir.path().join("source.redb"),
        &genesis(),
        StoreOptions::default(),
    )
    .unwrap();
    let draft = entry(3);
    source.append(draft.clone(), Expect::Any).unwrap();
    let snapshot = source.snapshot().unwrap();
    let events: Vec<Vec<u8>> = (0..2).map(|p| snapshot.event(p).unwrap()).collect();
    let store = Store::import(
        &dir.path().join("imported.redb"),
        &events,
        &options(None, 2),
        StoreOptions::default(),
    )
    .unwrap();
    let again = store.append(draft, Expect::Any).unwrap();
    assert_eq!((again.position, again.created), (1, false));
}

fn refused(events: &[Vec<u8>], checkpoint: Option<&str>) -> ImportError {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("imported.redb");
    let error = match Store::import(
        &path,
        events,
        &options(checkpoint, 2),
        StoreOptions::default(),
    ) {
        Ok(_) => panic!("the import was accepted"),
        Err(error) => error,
    };
    assert!(!path.exists(), "a refused import leaves no file");
    error
}

fn failed_check(error: &ImportError) -> (Check, Option<u64>) {
    match error {
        ImportError::Invalid(failure) => (failure.check, failure.event),
        other => panic!("expected a verification failure, got {other}"),
    }
}

#[test]
fn damaged_exports_are_refused_at_the_first_bad_event() {
    let dir = tempfile::tempdir().unwrap();
    let (events, checkpoint) = export(&dir, 30);

    // One character of a record changed: still a valid event, but the next link breaks.
    let mut altered = events.clone();
    let text = "走访".as_bytes();
    let at = altered[12]
        .windows(text.len())
        .position(|window| window == text)
        .unwrap();
    altered[12][at + 2] ^= 0x01;
    assert_eq!(
        failed_check(&refused(&altered, Some(&checkpoint))),
        (Check::HashChain, Some(12))
    );
    // The same change in the last event is caught by the checkpoint's root.
    let mut last = events.clone();
    let at = last[29]
        .windows(text.len())
        .position(|window| window == text)
        .unwrap();
    last[29][at + 2] ^= 0x01;
    assert_eq!(
        failed_check(&refused(&last, Some(&checkpoint))),
        (Check::MerkleRoot, Some(29))
    );

    let mut missing = events.clone();
    missing.remove(20);
    assert_eq!(
        failed_check(&refused(&missing, Some(&checkpoint))),
        (Check::Positions, Some(20))
    );

    let mut swapped = events.clone();
    swapped.swap(5, 6);
    assert_eq!(
        failed_check(&refused(&swapped, None)),
        (Check::Positions, Some(5))
    );

    // Cut short: every event is fine, but the checkpoint vouches for more.
    assert_eq!(
        failed_check(&refused(&events[..25], Some(&checkpoint))).0,
        Check::MerkleRoot
    );

    // A checkpoint of another ledger's key.
    let other = Checkpoint {
        origin: ORIGIN.into(),
        size: 30,
        root: kaohe_ledger::hash::leaf_hash(b"other"),
    }
    .sign(&SignerKey::from_seed(ORIGIN, [1; 32]).unwrap())
    .unwrap();
    assert_eq!(
        failed_check(&refused(&events, Some(&other))).0,
        Check::MerkleRoot
    );

    assert_eq!(failed_check(&refused(&[], None)).0, Check::Genesis);
    assert_eq!(
        failed_check(&refused(&events[1..], None)),
        (Check::Positions, Some(0))
    );
}

/// The bytes of event `at` with one character of its record changed: still a valid event, but
/// with another leaf hash, so the link after it breaks.
fn altered(events: &[Vec<u8>], at: usize) -> Vec<Vec<u8>> {
    let mut altered = events.to_vec();
    let text = "走访".as_bytes();
    let found = altered[at]
        .windows(text.len())
        .position(|window| window == text)
        .unwrap();
    altered[at][found + 2] ^= 0x01;
    altered
}

/// What `kaohe verify` finds wrong with the export of these events and checkpoint.
fn verify_verdict(events: &[Vec<u8>], checkpoint: &str) -> Failure {
    let mut file = Vec::new();
    for event in events {
        file.extend_from_slice(event);
        file.push(b'\n');
    }
    file.extend_from_slice(&export_checkpoint_line(checkpoint));
    file.push(b'\n');
    let (_, outcome) = verify_export_bytes(&file, Anchors::default());
    outcome.expect_err("the export verifies")
}

#[test]
fn an_import_refuses_an_export_with_the_verdict_of_kaohe_verify() {
    let dir = tempfile::tempdir().unwrap();
    let (events, checkpoint) = export(&dir, 30);
    let root = Checkpoint::open(&checkpoint, &signer().verifier())
        .unwrap()
        .root;
    // The same origin's name, but another key: a checkpoint anyone could have written.
    let forger = SignerKey::from_seed("kaohe.test/import", [1; 32]).unwrap();
    let forged = |size: u64| {
        Checkpoint {
            origin: "kaohe.test/import".into(),
            size,
            root,
        }
        .sign(&forger)
        .unwrap()
    };
    let last_link_broken = altered(&events, 28);
    let cases: [(&str, &[Vec<u8>], String); 4] = [
        // The signed root pins the break at the last link on event 28.
        ("signed root", &last_link_broken, checkpoint.clone()),
        // A root nobody signed pins nothing: both events are named.
        ("unsigned root", &last_link_broken, forged(30)),
        ("cut short", &events[..25], checkpoint.clone()),
        // A size nobody signed is not compared with the events.
        ("unsigned size", &events, forged(25)),
    ];
    for (case, events, checkpoint) in cases {
        let expected = verify_verdict(events, &checkpoint);
        match refused(events, Some(&checkpoint)) {
            ImportError::Invalid(failure) => assert_eq!(failure, expected, "{case}"),
            other => panic!("{case}: expected a verification failure, got {other}"),
        }
    }
    // The verdicts themselves, as kaohe verify gives them.
    assert_eq!(
        verify_verdict(&last_link_broken, &checkpoint).event,
        Some(28)
    );
    assert!(
        verify_verdict(&last_link_broken, &forged(30))
            .message
            .ends_with("event 28 or event 29 was altered")
    );
    assert!(
        verify_verdict(&events, &forged(25))
            .message
            .starts_with("not signed by this ledger's key")
    );
}

#[test]
fn an_import_never_replaces_a_ledger() {
    let dir = tempfile::tempdir().unwrap();
    let (events, _) = export(&dir, 3);
    let path = dir.path().join("source.redb");
    assert!(matches!(
        Store::import(&path, &events, &options(None, 1), StoreOptions::default()),
        Err(ImportError::Open(OpenError::AlreadyExists(_)))
    ));
}
