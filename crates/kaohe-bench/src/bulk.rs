//! Row 3: bulk import of an export into a new ledger, beside raw redb inserting the same bytes
//! in batches of the same size with the same durability.

use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result};
use kaohe_store::{ImportOptions, Store, StoreOptions};

use crate::baseline::RawRedb;
use crate::events::Export;
use crate::report::{Goal, Row, rate};
use crate::slices::alternate;

/// Import `export` into a new ledger at `path` with `threads` checking threads; the store is
/// closed (its writer joined) before the clock stops. Returns events per second.
pub fn import(path: &Path, export: &Export, threads: usize) -> Result<f64> {
    let start = Instant::now();
    let store = Store::import(
        path,
        &export.events,
        &ImportOptions {
            checkpoint: Some(export.checkpoint.clone()),
            threads,
            ..ImportOptions::default()
        },
        StoreOptions::default(),
    )
    .with_context(|| format!("importing into {}", path.display()))?;
    drop(store);
    Ok(export.events.len() as f64 / start.elapsed().as_secs_f64())
}

/// The raw baseline: the same bytes, in commits of the store's batch size.
pub fn raw_insert(path: &Path, export: &Export) -> Result<f64> {
    let batch = ImportOptions::default().batch_events;
    let start = Instant::now();
    let raw = RawRedb::create(path)?;
    for (index, chunk) in export.events.chunks(batch).enumerate() {
        raw.insert_batch((index * batch) as u64, chunk)?;
    }
    drop(raw);
    Ok(export.events.len() as f64 / start.elapsed().as_secs_f64())
}

/// Row 3, over `export` (the sample ledger), in `rounds` rounds.
pub fn run(dir: &Path, export: &Export, rounds: usize) -> Result<Vec<Row>> {
    eprintln!(
        "row 3: importing {} events, 1 and 2 threads, against raw redb ...",
        export.events.len()
    );
    let count = std::cell::Cell::new(0u64);
    let once = |name: &str, work: &dyn Fn(&Path) -> Result<f64>| -> Result<f64> {
        count.set(count.get() + 1);
        let path = dir.join(format!("import-{name}-{}.redb", count.get()));
        let rate = work(&path)?;
        std::fs::remove_file(&path)?;
        Ok(rate)
    };
    let mut sequential = || once("one", &|path| import(path, export, 1));
    let mut pipelined = || once("two", &|path| import(path, export, 2));
    let mut raw = || once("raw", &|path| raw_insert(path, export));
    let series = alternate(rounds, &mut [&mut sequential, &mut pipelined, &mut raw])?;
    Ok(vec![
        Row::new(
            "3a",
            "bulk import, checked on 1 thread",
            rate(series[0].median()),
            format!("raw redb batched insert {}", rate(series[2].median())),
            series[0].ratio_to(&series[2]),
            Goal::AtLeast(0.6),
        ),
        Row::new(
            "3b",
            "bulk import, pipelined, 2 threads",
            rate(series[1].median()),
            format!("raw redb batched insert {}", rate(series[2].median())),
            series[1].ratio_to(&series[2]),
            Goal::AtLeast(0.85),
        ),
    ])
}
