//! Rows 4 and 5, in memory: full verification of a ledger on one and two threads beside BLAKE3
//! over the same messages, and the projection rebuilt from scratch beside serde_json decoding
//! the same events.

use std::hint::black_box;
use std::time::Instant;

use anyhow::{Context, Result, anyhow};
use kaohe_assess::{Fact, State};
use kaohe_ledger::event::parse_event;
use kaohe_ledger::verify::{Anchors, LedgerCheck, prepare_in_parallel};

use crate::events::Export;
use crate::report::{Goal, Row, rate};
use crate::slices::alternate;

/// Events prepared at once when verifying on several threads: enough to keep each thread
/// busy for milliseconds, few enough that memory stays small.
const PARALLEL_CHUNK_EVENTS: usize = 4096;

/// The whole verification `kaohe verify` makes of an export's events and checkpoint, on
/// `threads` threads: the checks of each event alone in parallel, then the checks against the
/// events before, in order. Returns events per second.
pub fn verify(export: &Export, threads: usize) -> Result<f64> {
    let start = Instant::now();
    let mut check = LedgerCheck::new(Anchors {
        own: Some(export.checkpoint.clone()),
        ..Anchors::default()
    });
    if threads <= 1 {
        for bytes in &export.events {
            check.push(bytes);
        }
    } else {
        for chunk in export.events.chunks(PARALLEL_CHUNK_EVENTS) {
            for prepared in prepare_in_parallel(chunk, threads) {
                check.push_prepared(&prepared);
            }
        }
    }
    let report = check
        .finish(None)
        .map_err(|failure| anyhow!("the generated ledger does not verify: {failure}"))?;
    anyhow::ensure!(report.verified.size == export.events.len() as u64);
    Ok(export.events.len() as f64 / start.elapsed().as_secs_f64())
}

/// BLAKE3 over each event's bytes, one hash per event.
pub fn blake3_each(export: &Export) -> f64 {
    let start = Instant::now();
    for bytes in &export.events {
        black_box(blake3::hash(black_box(bytes)));
    }
    export.events.len() as f64 / start.elapsed().as_secs_f64()
}

/// The projection rebuilt from scratch as `kaohe replay` rebuilds it: each stored event read
/// back with the checks every read of a stored event makes, then folded into the state.
pub fn rebuild(export: &Export) -> Result<f64> {
    let start = Instant::now();
    let events = export
        .events
        .iter()
        .map(|bytes| parse_event(bytes))
        .collect::<Result<Vec<_>, _>>()
        .context("reading the events back")?;
    let state = State::from_events(events.iter().map(Fact::from)).context("folding")?;
    black_box(&state);
    let elapsed = start.elapsed();
    anyhow::ensure!(state.entries.len() + 93 >= export.events.len());
    drop(events);
    Ok(export.events.len() as f64 / elapsed.as_secs_f64())
}

/// serde_json decoding each event into a `Value`, kept as the fold keeps its events.
pub fn decode(export: &Export) -> Result<f64> {
    let start = Instant::now();
    let values = export
        .events
        .iter()
        .map(|bytes| serde_json::from_slice::<serde_json::Value>(bytes))
        .collect::<Result<Vec<_>, _>>()?;
    black_box(&values);
    let elapsed = start.elapsed();
    drop(values);
    Ok(export.events.len() as f64 / elapsed.as_secs_f64())
}

/// Rows 4 and 5 over `export`.
pub fn run(export: &Export, rounds: usize) -> Result<Vec<Row>> {
    eprintln!(
        "row 4: verifying {} events on 1 and 2 threads, against BLAKE3 ...",
        export.events.len()
    );
    let mut one = || verify(export, 1);
    let mut two = || verify(export, 2);
    let mut hash = || Ok(blake3_each(export));
    let row4 = alternate(rounds, &mut [&mut one, &mut two, &mut hash])?;
    eprintln!("row 5: rebuilding the projection, against serde_json ...");
    let mut fold = || rebuild(export);
    let mut json = || decode(export);
    let row5 = alternate(rounds, &mut [&mut fold, &mut json])?;
    Ok(vec![
        Row::new(
            "4a",
            "full verification, 1 thread",
            rate(row4[0].median()),
            format!("BLAKE3 per event {}", rate(row4[2].median())),
            row4[0].ratio_to(&row4[2]),
            Goal::AtLeast(0.85),
        ),
        Row::new(
            "4b",
            "full verification, 2 threads",
            rate(row4[1].median()),
            format!("1 thread {}", rate(row4[0].median())),
            row4[1].ratio_to(&row4[0]),
            Goal::AtLeast(1.7),
        ),
        Row::new(
            "5",
            "projection rebuild from scratch",
            rate(row5[0].median()),
            format!("serde_json decode {}", rate(row5[1].median())),
            row5[0].ratio_to(&row5[1]),
            Goal::AtLeast(0.8),
        ),
    ])
}
