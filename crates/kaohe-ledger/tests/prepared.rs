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
