//! Events prepared on several threads verify exactly as events pushed one by one.

use jiff::civil::date;
use kaohe_ledger::Hash;
use kaohe_ledger::verify::{LedgerVerifier, prepare_in_parallel};
use kaohe_testkit::{entry_saying, genesis, seal_all};
use uuid::Uuid;

/// Event 0 and `size - 1` entries of one day, sealed as the store seals them.
fn ledger(size: u64) -> Vec<Vec<u8>> {
    let mut drafts = vec![genesis()];
    for n in 1..size {
        drafts.push(entry_saying(
            Uuid::now_v7(),
            "p001",
            date(2026, 3, 2),
            &format!("走访第{n}户"),
            "",
        ));
    }
    seal_all(&drafts, |_| "2026-03-02T18:00:01.000+08:00".into())
        .into_iter()
        .map(|sealed| sealed.bytes)
        .collect()
}

fn verify_prepared(events: &[Vec<u8>], threads: usize) -> Result<Hash, String> {
    let mut verifier = LedgerVerifier::new([]);
    for prepared in prepare_in_parallel(events, threads) {
        verifier
            .push_prepared(&prepared)
            .map_err(|failure| failure.to_string())?;
    }
    verifier
        .finish(None)
        .map(|verified| verified.root)
        .map_err(|failure| failure.to_string())
}

fn verify_pushed(events: &[Vec<u8>]) -> Result<Hash, String> {
    let mut verifier = LedgerVerifier::new([]);
    for bytes in events {
        verifier
            .push(bytes)
            .map_err(|failure| failure.to_string())?;
    }
    verifier
        .finish(None)
        .map(|verified| verified.root)
        .map_err(|failure| failure.to_string())
}

#[test]
fn prepared_in_parallel_verifies_as_pushed_one_by_one() {
    let events = ledger(23);
    let mut damaged = events.clone();
    damaged[9][20] ^= 0x20;
    let mut reordered = events.clone();
    reordered.swap(3, 4);
    for threads in [0, 1, 2, 3, 8, 64] {
        for case in [&events, &damaged, &reordered] {
            assert_eq!(verify_prepared(case, threads), verify_pushed(case));
        }
        assert!(verify_prepared(&events, threads).is_ok());
        assert!(verify_prepared(&damaged, threads).is_err());
        assert_eq!(prepare_in_parallel(&events[..0], threads).len(), 0);
    }
}

/// An export of `events` with a checkpoint line signed by a key of its own (the verdicts
/// compared below are the same whatever the key).
fn export(events: &[Vec<u8>]) -> Vec<u8> {
    let mut bytes = Vec::new();
    for event in events {
        bytes.extend_from_slice(event);
        bytes.push(b'\n');
    }
    bytes.extend_from_slice(&kaohe_ledger::verify::export_checkpoint_line("not a note"));
    bytes.push(b'\n');
    bytes
}

#[test]
fn an_export_verified_on_several_threads_gets_the_verdict_of_one_thread_for_every_flipped_byte() {
    use kaohe_ledger::verify::{Anchors, verify_export_bytes, verify_export_bytes_on};
    let bytes = export(&ledger(6));
    let verdict = |result: (u64, Result<_, kaohe_ledger::verify::Failure>)| {
        (
            result.0,
            result.1.map(|_| ()).map_err(|failure| failure.to_string()),
        )
    };
    let mut cases = vec![bytes.clone(), bytes[..bytes.len() - 1].to_vec(), Vec::new()];
    for at in 0..bytes.len() {
        let mut flipped = bytes.clone();
        flipped[at] ^= 0x01;
        cases.push(flipped);
    }
    for case in &cases {
        let one = verdict(verify_export_bytes(case, Anchors::default()));
        for (threads, chunk_lines) in [(2, 1), (3, 2), (2, 4096)] {
            let several = verdict(verify_export_bytes_on(
                case,
                Anchors::default(),
                threads,
                chunk_lines,
            ));
            assert_eq!(
                several, one,
                "{threads} threads, {chunk_lines} lines a chunk"
            );
        }
    }
}
