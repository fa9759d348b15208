//! Rows 6, 7 and 8 on one large ledger (imported once, the import timed beside raw redb):
//! proofs and the stored hashes they read, point reads beside raw redb gets, and the file's
//! size beside the canonical bytes it holds.

use std::cell::Cell;
use std::hint::black_box;
use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result};
use kaohe_ledger::Hash;
use kaohe_ledger::merkle::{self, NodeSource};
use kaohe_store::{ImportOptions, ReadError, Snapshot, Store, StoreOptions};
use uuid::Uuid;

use crate::baseline::RawRedb;
use crate::events::{Export, Lcg};
use crate::report::{Goal, Row, mib, rate};
use crate::slices::{alternate, median};

/// Proofs built per size and kind.
const PROOFS_PER_KIND: u64 = 200;
/// Point reads per slice, per side.
/// Point reads per slice, per side: enough for slices of a fifth of a second or more, which
/// vary far less from run to run than the 15-100 ms slices of 20,000 reads did.
const READS_PER_SLICE: usize = 200_000;

/// Reads stored nodes through the store's snapshot, counting them.
struct Counting<'a> {
    snapshot: &'a Snapshot,
    reads: Cell<u64>,
}

impl NodeSource for Counting<'_> {
    type Error = ReadError;
    fn node(&self, level: u8, index: u64) -> Result<Hash, ReadError> {
        self.reads.set(self.reads.get() + 1);
        self.snapshot.node(level, index)
    }
}

/// ceil(log2(n)), the depth of a tree of n leaves.
fn depth(n: u64) -> u64 {
    u64::from(64 - (n - 1).leading_zeros())
}

/// The positions and sizes proofs are asked for at `size`: the edges and random ones.
fn samples(size: u64, seed: u64) -> Vec<u64> {
    let mut random = Lcg(seed);
    let mut picks = vec![0, 1.min(size - 1), size / 2, size - 1];
    let mut power = 1u64;
    while power < size {
        picks.push(power - 1);
        picks.push(power);
        power *= 2;
    }
    picks.extend((0..PROOFS_PER_KIND).map(|_| random.below(size)));
    picks.retain(|pick| *pick < size);
    picks
}

/// Row 6 at one size: the most stored hashes any sampled proof read, against 2·log2(n), and
/// the median time of a proof.
fn proofs_at(snapshot: &Snapshot, size: u64) -> Result<Vec<Row>> {
    let counting = Counting {
        snapshot,
        reads: Cell::new(0),
    };
    let bound = 2 * depth(size);
    let mut inclusion_reads = 0u64;
    let mut inclusion_times = Vec::new();
    for index in samples(size, 6) {
        counting.reads.set(0);
        let path = merkle::inclusion_proof(&counting, index, size)
            .map_err(|error| anyhow::anyhow!("{error:?}"))?;
        inclusion_reads = inclusion_reads.max(counting.reads.get());
        let start = Instant::now();
        let stored = snapshot.inclusion_proof(index, size)?;
        inclusion_times.push(start.elapsed().as_secs_f64() * 1e6);
        anyhow::ensure!(stored == path, "the counted proof is the store's proof");
        let leaf = snapshot.leaf(index)?;
        merkle::verify_inclusion(&leaf, index, size, &path, &snapshot.root_at(size)?)
            .context("an inclusion proof verifies")?;
    }
    let mut consistency_reads = 0u64;
    let mut consistency_times = Vec::new();
    let new_root = snapshot.root_at(size)?;
    for old in samples(size, 7) {
        let old = old + 1;
        counting.reads.set(0);
        let path = merkle::consistency_proof(&counting, old, size)
            .map_err(|error| anyhow::anyhow!("{error:?}"))?;
        consistency_reads = consistency_reads.max(counting.reads.get());
        let start = Instant::now();
        let stored = snapshot.consistency_proof(old, size)?;
        consistency_times.push(start.elapsed().as_secs_f64() * 1e6);
        anyhow::ensure!(stored == path, "the counted proof is the store's proof");
        merkle::verify_consistency(old, size, &snapshot.root_at(old)?, &new_root, &path)
            .context("a consistency proof verifies")?;
    }
    let row = |number: &str, kind: &str, reads: u64, times: &[f64]| {
        Row::new(
            number,
            format!("{kind} proof at n = {size} ({:.0} us each)", median(times)),
            format!("{reads} hashes read (max)"),
            format!("2·log2(n) = {bound}"),
            reads as f64 / bound as f64,
            Goal::AtMost(1.0),
        )
    };
    Ok(vec![
        row("6", "inclusion", inclusion_reads, &inclusion_times),
        row("6", "consistency", consistency_reads, &consistency_times),
    ])
}

/// Rows 3c and 6 to 8 over `export`, imported into a new ledger in `dir`.
pub fn run(dir: &Path, export: &Export, rounds: usize) -> Result<Vec<Row>> {
    let size = export.events.len() as u64;
    eprintln!("importing the large ledger of {size} events ...");
    let path = dir.join("large.redb");
    let import_rate = crate::bulk::import(&path, export, 2)?;
    eprintln!("raw redb of the same {size} events, by position and by id ...");
    let raw_path = dir.join("large-raw.redb");
    let raw_rate = crate::bulk::raw_insert(&raw_path, export)?;
    let raw = RawRedb::create(&dir.join("large-raw-ids.redb"))?;
    let mut ids = Vec::with_capacity(export.events.len());
    for chunk in export.events.chunks(ImportOptions::default().batch_events) {
        let keyed: Vec<(u128, &Vec<u8>)> = chunk
            .iter()
            .map(|bytes| (event_id(bytes).as_u128(), bytes))
            .collect();
        ids.extend(keyed.iter().map(|(id, _)| *id));
        raw.insert_batch_by_id(&keyed)?;
    }
    let raw_positions = crate::baseline::RawRedb::open(&raw_path)?;
    let mut rows = vec![Row::new(
        "3c",
        format!("bulk import of {size} events, 2 threads (one pass)"),
        rate(import_rate),
        format!("raw redb batched insert {}", rate(raw_rate)),
        import_rate / raw_rate,
        Goal::Report,
    )];

    let store = Store::open(&path, StoreOptions::default())?;
    let snapshot = store.snapshot()?;
    eprintln!("row 6: proofs ...");
    let mut sizes = vec![size];
    for extra in [1_000_000, 10_000_000] {
        if extra < size {
            sizes.insert(0, extra);
        }
    }
    for at in sizes {
        rows.extend(proofs_at(&snapshot, at)?);
    }

    eprintln!("row 7: point reads ...");
    let mut random = Lcg(77);
    let positions: Vec<u64> = (0..READS_PER_SLICE).map(|_| random.below(size)).collect();
    let by_id: Vec<u128> = positions.iter().map(|p| ids[*p as usize]).collect();
    let kaohe_positions = || -> Result<f64> {
        let start = Instant::now();
        let snapshot = store.snapshot()?;
        let mut total = 0usize;
        for position in &positions {
            total += black_box(snapshot.event(*position)?).len();
        }
        black_box(total);
        Ok(positions.len() as f64 / start.elapsed().as_secs_f64())
    };
    let kaohe_ids = || -> Result<f64> {
        let start = Instant::now();
        let snapshot = store.snapshot()?;
        let mut total = 0usize;
        for id in &by_id {
            let position = snapshot
                .position_of(Uuid::from_u128(*id))?
                .context("an imported id is found")?;
            total += black_box(snapshot.event(position)?).len();
        }
        black_box(total);
        Ok(by_id.len() as f64 / start.elapsed().as_secs_f64())
    };
    let raw_gets = |work: &dyn Fn() -> Result<u64>, count: usize| -> Result<f64> {
        let start = Instant::now();
        black_box(work()?);
        Ok(count as f64 / start.elapsed().as_secs_f64())
    };
    let mut a = kaohe_positions;
    let mut b = || raw_gets(&|| raw_positions.get_positions(&positions), positions.len());
    let mut c = kaohe_ids;
    let mut d = || raw_gets(&|| raw.get_ids(&by_id), by_id.len());
    let reads = alternate(rounds, &mut [&mut a, &mut b, &mut c, &mut d])?;
    rows.push(Row::new(
        "7a",
        "point read by position",
        rate(reads[0].median()),
        format!("raw redb get {}", rate(reads[1].median())),
        reads[0].ratio_to(&reads[1]),
        Goal::AtLeast(0.8),
    ));
    rows.push(Row::new(
        "7b",
        "point read by id",
        rate(reads[2].median()),
        format!("raw redb get by id {}", rate(reads[3].median())),
        reads[2].ratio_to(&reads[3]),
        Goal::AtLeast(0.8),
    ));

    drop(snapshot);
    drop(store);
    let file = std::fs::metadata(&path)?.len();
    let raw_file = std::fs::metadata(&raw_path)?.len();
    let canonical = export.bytes();
    rows.push(Row::new(
        "8",
        format!("file size at n = {size} (raw redb file {})", mib(raw_file)),
        mib(file),
        format!("canonical bytes {}", mib(canonical)),
        file as f64 / canonical as f64,
        Goal::AtMost(2.5),
    ));
    Ok(rows)
}

/// The id of an event, read from its bytes.
fn event_id(bytes: &[u8]) -> Uuid {
    #[derive(serde::Deserialize)]
    struct Id {
        id: Uuid,
    }
    serde_json::from_slice::<Id>(bytes)
        .expect("a generated event has an id")
        .id
}
