//! Rows 1 and 2: durable appends through the store, by one client and by many sharing group
//! commits, beside raw redb and SQLite committing the same bytes one event at a time.

use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use kaohe_ledger::event::EventDraft;
use kaohe_store::{Expect, Store, StoreOptions};

use crate::baseline::{RawRedb, Sqlite};
use crate::events::{Export, Township};
use crate::report::{Goal, Row, rate};
use crate::slices::alternate;

/// How long one slice appends, and how many rounds of slices.
pub struct Plan {
    /// One slice's length.
    pub slice: Duration,
    /// Rounds of alternating slices.
    pub rounds: usize,
}

/// Drafts for one slice, made before it starts so that making them is not timed. Each side
/// keeps a pool about twice what its last slice used; a slice that runs out ends early, which
/// leaves its rate right.
pub(crate) struct Pools {
    seed: u64,
}

impl Pools {
    /// Pools whose drafts follow from `seed`.
    pub(crate) fn new(seed: u64) -> Pools {
        Pools { seed: seed << 32 }
    }

    fn make(&mut self, count: usize) -> Vec<EventDraft> {
        self.seed += 1;
        let mut township = Township::entries_only(0x6b61_6f68_6500_0000 + self.seed);
        (0..count).map(|_| township.next_draft()).collect()
    }
}

/// `clients` threads append drafts from `pool`, one at a time each, until `slice` is over;
/// returns the events appended and events per second.
fn append_slice(
    store: &Store,
    pool: &[EventDraft],
    clients: usize,
    slice: Duration,
) -> Result<(usize, f64)> {
    let next = AtomicUsize::new(0);
    let done = AtomicUsize::new(0);
    let start = Instant::now();
    let deadline = start + slice;
    std::thread::scope(|scope| -> Result<()> {
        let workers: Vec<_> = (0..clients)
            .map(|_| {
                scope.spawn(|| -> Result<()> {
                    while Instant::now() < deadline {
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        let Some(draft) = pool.get(index) else { break };
                        let appended = store.append(draft.clone(), Expect::Any)?;
                        anyhow::ensure!(appended.created, "a generated draft was a retry");
                        done.fetch_add(1, Ordering::Relaxed);
                    }
                    Ok(())
                })
            })
            .collect();
        for worker in workers {
            worker.join().expect("an appender does not panic")?;
        }
        Ok(())
    })?;
    let count = done.into_inner();
    Ok((count, count as f64 / start.elapsed().as_secs_f64()))
}

/// One side of a comparison: the store appended by `clients` clients.
pub(crate) fn kaohe_side<'a>(
    store: &'a Store,
    pools: &'a Mutex<Pools>,
    clients: usize,
    slice: Duration,
) -> impl FnMut() -> Result<f64> + 'a {
    let mut last = 0usize;
    move || {
        let pool = pools
            .lock()
            .expect("the pools are not poisoned")
            .make((last * 2).max(256 * clients));
        let (count, rate) = append_slice(store, &pool, clients, slice)?;
        last = count;
        Ok(rate)
    }
}

/// `clients` threads commit one event each per transaction into `insert`, until `slice` is
/// over; the bytes cycle through the export's events.
fn one_per_commit_slice(
    export: &Export,
    next_position: &AtomicU64,
    clients: usize,
    slice: Duration,
    insert: &(dyn Fn(u64, &[u8]) -> Result<()> + Sync),
) -> Result<f64> {
    let done = AtomicUsize::new(0);
    let start = Instant::now();
    let deadline = start + slice;
    std::thread::scope(|scope| -> Result<()> {
        let workers: Vec<_> = (0..clients)
            .map(|_| {
                scope.spawn(|| -> Result<()> {
                    while Instant::now() < deadline {
                        let position = next_position.fetch_add(1, Ordering::Relaxed);
                        let bytes = &export.events[position as usize % export.events.len()];
                        insert(position, bytes)?;
                        done.fetch_add(1, Ordering::Relaxed);
                    }
                    Ok(())
                })
            })
            .collect();
        for worker in workers {
            worker.join().expect("an inserter does not panic")?;
        }
        Ok(())
    })?;
    Ok(done.into_inner() as f64 / start.elapsed().as_secs_f64())
}

/// Rows 1 and 2, and the store's commits for the 64-client slices.
pub fn run(dir: &Path, export: &Export, plan: &Plan) -> Result<(Vec<Row>, String)> {
    let store = Store::create(
        &dir.join("appends.redb"),
        &Township::genesis(),
        StoreOptions::default(),
    )
    .context("creating the append ledger")?;
    let pools = Mutex::new(Pools { seed: 0 });

    eprintln!("row 1: one client, store against raw redb ...");
    let raw = RawRedb::create(&dir.join("appends-raw.redb"))?;
    let raw_position = AtomicU64::new(0);
    let mut kaohe_one = kaohe_side(&store, &pools, 1, plan.slice);
    let mut raw_one = || {
        one_per_commit_slice(export, &raw_position, 1, plan.slice, &|position, bytes| {
            raw.insert_one(position, bytes)
        })
    };
    let row1 = alternate(plan.rounds, &mut [&mut kaohe_one, &mut raw_one])?;
    let mut rows = vec![Row::new(
        "1",
        "durable append, 1 client",
        rate(row1[0].median()),
        format!("raw redb insert+commit {}", rate(row1[1].median())),
        row1[0].ratio_to(&row1[1]),
        Goal::AtLeast(0.90),
    )];

    eprintln!("row 2: 1, 8 and 64 clients against SQLite ...");
    let sqlite = Mutex::new(Sqlite::create(&dir.join("appends.sqlite"))?);
    let sqlite_position = AtomicU64::new(0);
    let mut one = kaohe_side(&store, &pools, 1, plan.slice);
    let mut eight = kaohe_side(&store, &pools, 8, plan.slice);
    let commits_before = AtomicU64::new(0);
    let appended_before = AtomicU64::new(0);
    let per_commit = Mutex::new(Vec::new());
    let mut sixty_four_inner = kaohe_side(&store, &pools, 64, plan.slice);
    let mut sixty_four = || {
        commits_before.store(store.stats().commits(), Ordering::Relaxed);
        appended_before.store(store.stats().appended(), Ordering::Relaxed);
        let rate = sixty_four_inner()?;
        let commits = store.stats().commits() - commits_before.load(Ordering::Relaxed);
        let appended = store.stats().appended() - appended_before.load(Ordering::Relaxed);
        per_commit
            .lock()
            .expect("not poisoned")
            .push(appended as f64 / commits.max(1) as f64);
        Ok(rate)
    };
    // SQLite serialises writers; 64 clients share one connection behind a lock, which is the
    // most one-insert-per-commit SQLite can do (separate connections only add lock retries).
    let mut sqlite_side = || {
        one_per_commit_slice(
            export,
            &sqlite_position,
            64,
            plan.slice,
            &|position, bytes| {
                sqlite
                    .lock()
                    .expect("not poisoned")
                    .insert_one(position, bytes)
            },
        )
    };
    let row2 = alternate(
        plan.rounds,
        &mut [&mut one, &mut eight, &mut sixty_four, &mut sqlite_side],
    )?;
    rows.push(Row::new(
        "2a",
        "durable appends, 8 clients",
        rate(row2[1].median()),
        format!("1 client {}", rate(row2[0].median())),
        row2[1].ratio_to(&row2[0]),
        Goal::Report,
    ));
    rows.push(Row::new(
        "2b",
        "durable appends, 64 clients",
        rate(row2[2].median()),
        format!("1 client {}", rate(row2[0].median())),
        row2[2].ratio_to(&row2[0]),
        Goal::AtLeast(10.0),
    ));
    rows.push(Row::new(
        "2c",
        "durable appends, 64 clients",
        rate(row2[2].median()),
        format!(
            "SQLite 64 clients, 1 insert/commit {}",
            rate(row2[3].median())
        ),
        row2[2].ratio_to(&row2[3]),
        Goal::AtLeast(4.0),
    ));
    let per_commit = crate::slices::median(&per_commit.lock().expect("not poisoned"));
    let note = format!(
        "64 clients: {per_commit:.1} events per commit (median of slices); rows 1 and 2: {} events appended in {} commits",
        store.stats().appended(),
        store.stats().commits()
    );
    Ok((rows, note))
}
