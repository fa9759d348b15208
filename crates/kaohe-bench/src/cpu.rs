//! Rows 4 and 5, in memory: full verification of a ledger on one and two threads beside BLAKE3
//! over the same messages, and the projection rebuilt from scratch beside serde_json decoding
//! the same events.

use std::cell::RefCell;
use std::hint::black_box;
use std::time::Instant;

use anyhow::{Context, Result, anyhow};
use kaohe_assess::{Fact, State};
use kaohe_ledger::event::parse_event;
use kaohe_ledger::verify::{Anchors, verify_export_bytes, verify_export_bytes_on};

use crate::events::Export;
use crate::report::{Goal, Row, rate};
use crate::slices::{alternate, cpu_seconds, median};

/// Events handed between threads at a time, as `kaohe verify` hands them.
const PARALLEL_CHUNK_EVENTS: usize = 2048;

/// The whole verification `kaohe verify` makes of an export's events and checkpoint, in
/// memory: on one thread, each line in turn; on more, the pipeline the command runs
/// (`verify_pipelined`: a reader, `threads` threads making the checks of each event alone,
/// and the checks against the events before on this thread, in order). Returns events per
/// second.
pub fn verify(export: &Export, threads: usize) -> Result<f64> {
    let start = Instant::now();
    let anchors = Anchors::default();
    let (size, result) = if threads <= 1 {
        verify_export_bytes(&export.file, anchors)
    } else {
        verify_export_bytes_on(&export.file, anchors, threads, PARALLEL_CHUNK_EVENTS)
    };
    result.map_err(|failure| anyhow!("the generated ledger does not verify: {failure}"))?;
    anyhow::ensure!(size == export.events.len() as u64);
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

/// The cores a slice of `threads` threads must get for its speed-up to be reported: fewer
/// means the machine was busy, and the ratio would measure the other work on it.
pub const CORES_NEEDED_PER_THREAD: f64 = 0.9;

/// Row 4b: the two-thread speed-up, or why it is not reported.
fn two_thread_row(row4: &[crate::slices::Series], cores: f64) -> Row {
    let workload = "full verification, 2 threads (the command's pipeline)";
    let baseline = format!("1 thread {}", rate(row4[0].median()));
    if cores.is_nan() || cores < 2.0 * CORES_NEEDED_PER_THREAD {
        return Row::unreported(
            "4b",
            workload,
            format!("not reported: the slices got {cores:.2} cores, not 2"),
            baseline,
            Goal::AtLeast(1.7),
        );
    }
    Row::new(
        "4b",
        workload,
        rate(row4[1].median()),
        baseline,
        row4[1].ratio_to(&row4[0]),
        Goal::AtLeast(1.7),
    )
}

/// Rows 4 and 5 over `export`.
pub fn run(export: &Export, rounds: usize) -> Result<(Vec<Row>, String)> {
    eprintln!(
        "row 4: verifying {} events on 1 and 2 threads, against BLAKE3 ...",
        export.events.len()
    );
    // How many cores each side actually had: on a shared machine, fewer than its threads.
    let cores_one = RefCell::new(Vec::new());
    let cores_two = RefCell::new(Vec::new());
    let counted = |threads: usize, cores: &RefCell<Vec<f64>>| -> Result<f64> {
        let (cpu, wall) = (cpu_seconds(), Instant::now());
        let rate = verify(export, threads)?;
        if let (Some(before), Some(after)) = (cpu, cpu_seconds()) {
            cores
                .borrow_mut()
                .push((after - before) / wall.elapsed().as_secs_f64());
        }
        Ok(rate)
    };
    let mut one = || counted(1, &cores_one);
    let mut two = || counted(2, &cores_two);
    let mut hash = || Ok(blake3_each(export));
    let row4 = alternate(rounds, &mut [&mut one, &mut two, &mut hash])?;
    let note = format!(
        "4: the one-thread slices used {:.2} cores, the two-thread slices {:.2} (medians of process CPU time / wall time)",
        median(&cores_one.borrow()),
        median(&cores_two.borrow())
    );
    eprintln!("row 5: rebuilding the projection, against serde_json ...");
    let mut fold = || rebuild(export);
    let mut json = || decode(export);
    let row5 = alternate(rounds, &mut [&mut fold, &mut json])?;
    let rows = vec![
        Row::new(
            "4a",
            "full verification, 1 thread",
            rate(row4[0].median()),
            format!("BLAKE3 per event {}", rate(row4[2].median())),
            row4[0].ratio_to(&row4[2]),
            Goal::AtLeast(0.85),
        ),
        two_thread_row(&row4, median(&cores_two.borrow())),
        Row::new(
            "5",
            "projection rebuild from scratch",
            rate(row5[0].median()),
            format!("serde_json decode {}", rate(row5[1].median())),
            row5[0].ratio_to(&row5[1]),
            Goal::AtLeast(0.8),
        ),
    ];
    Ok((rows, note))
}
