//! `kaohe-bench`: the ledger's workloads on generated ledgers, each beside the alternative a
//! user would pick, measured in alternating slices and printed as ratios against their goals.
//!
//! Run it from the workspace root with `nice -n 19 cargo run --release -p kaohe-bench` (quick
//! mode) or with `-- --million` / `-- --ten-million`; BENCHMARKS.md records a run.

mod appends;
mod baseline;
mod bulk;
mod cpu;
mod events;
mod http;
mod large;
mod process;
mod report;
mod slices;

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use clap::Parser;

use crate::events::Export;
use crate::report::Row;

/// The events of the large ledger in quick mode (rows 3c, 6, 7, 8).
const QUICK_EVENTS: u64 = 500_000;
/// The events of the in-memory sample that rows 3 to 5 work on, at most.
const SAMPLE_EVENTS_MAX: u64 = 50_000;

/// Benchmarks of the kaohe ledger: every workload beside its baseline, as ratios.
#[derive(Parser)]
#[command(name = "kaohe-bench", about, long_about = None)]
struct Args {
    /// Quick mode (the default): a ledger of 500,000 events for proofs, reads and size.
    #[arg(long, conflicts_with_all = ["events", "million", "ten_million"])]
    quick: bool,
    /// The large ledger's size in events.
    #[arg(long, value_name = "N", conflicts_with_all = ["million", "ten_million"])]
    events: Option<u64>,
    /// A large ledger of 1,000,000 events.
    #[arg(long, conflicts_with = "ten_million")]
    million: bool,
    /// A large ledger of 10,000,000 events.
    #[arg(long)]
    ten_million: bool,
    /// Rounds of alternating slices per comparison.
    #[arg(long, value_name = "N", default_value_t = 7)]
    rounds: usize,
    /// How long one slice of appends runs, in milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 1000)]
    append_slice_ms: u64,
    /// Run only these groups of rows (for profiling one workload): appends (1, 2), import
    /// (3), cpu (4, 5), large (3c, 6, 7, 8).
    #[arg(long, value_name = "GROUP", value_delimiter = ',')]
    only: Vec<Group>,
    /// Where the ledgers and baseline databases are written (a new directory inside it,
    /// removed at the end); the system's temporary directory by default.
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
    /// Keep the files written, to inspect them afterwards.
    #[arg(long)]
    keep: bool,
    /// Run the floor program on an export file and exit (rows 10: the runs time it as a
    /// process beside `kaohe verify`).
    #[arg(long, value_name = "FILE", hide = true)]
    floor: Option<PathBuf>,
}

/// Groups of rows that run together.
#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
enum Group {
    /// Rows 1 and 2.
    Appends,
    /// Row 3.
    Import,
    /// Rows 4 and 5.
    Cpu,
    /// Rows 3c, 6, 7 and 8.
    Large,
    /// Row 9.
    Http,
}

fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find(|line| line.starts_with("model name"))
                .and_then(|line| line.split(':').nth(1))
                .map(|name| name.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|text| {
            text.lines()
                .find(|line| line.starts_with("MemTotal"))
                .and_then(|line| line.split_whitespace().nth(1))
                .and_then(|kib| kib.parse::<u64>().ok())
        })
        .map_or("unknown memory".into(), |kib| {
            format!("{:.1} GiB", kib as f64 / 1024.0 / 1024.0)
        });
    let threads = std::thread::available_parallelism().map_or(0, usize::from);
    format!("{threads} threads available, {cpu}, {memory}")
}

fn main() -> Result<()> {
    let args = Args::parse();
    if let Some(file) = &args.floor {
        return process::floor(file);
    }
    let started = Instant::now();
    let load_at_start = slices::load_average();
    let size = match (args.events, args.million, args.ten_million) {
        (Some(events), _, _) => events,
        (_, true, _) => 1_000_000,
        (_, _, true) => 10_000_000,
        _ => QUICK_EVENTS,
    }
    .max(2);
    let mode = if size == QUICK_EVENTS && args.events.is_none() {
        "quick"
    } else {
        "large"
    };
    let parent = args.dir.clone().unwrap_or_else(std::env::temp_dir);
    let dir = tempfile::Builder::new()
        .prefix("kaohe-bench-")
        .tempdir_in(&parent)
        .with_context(|| format!("cannot make a directory in {}", parent.display()))?;
    let sample_size = size.min(SAMPLE_EVENTS_MAX);
    println!("kaohe-bench: {mode} mode; {}", machine());
    println!(
        "large ledger {size} events, sample {sample_size} events, {} rounds of alternating slices, appends {} ms a slice, files in {}",
        args.rounds,
        args.append_slice_ms,
        dir.path().display()
    );

    let generating = Instant::now();
    let sample = Export::generate(sample_size, 1);
    let entries: Vec<usize> = sample
        .events
        .iter()
        .filter(|bytes| bytes.windows(15).any(|w| w == b"\"entry_written\""))
        .map(Vec::len)
        .collect();
    println!(
        "entry_written events: {} to {} bytes, mean {} (canonical)",
        entries.iter().min().unwrap_or(&0),
        entries.iter().max().unwrap_or(&0),
        entries.iter().sum::<usize>() / entries.len().max(1)
    );
    eprintln!(
        "generated the sample in {:.1} s",
        generating.elapsed().as_secs_f64()
    );

    let mut rows: Vec<Row> = Vec::new();
    let mut notes = Vec::new();
    let plan = appends::Plan {
        slice: Duration::from_millis(args.append_slice_ms),
        rounds: args.rounds,
    };
    let runs = |group: Group| args.only.is_empty() || args.only.contains(&group);
    if runs(Group::Appends) {
        let (append_rows, note) = appends::run(dir.path(), &sample, &plan)?;
        rows.extend(append_rows);
        notes.push(note);
    }
    if runs(Group::Import) {
        rows.extend(bulk::run(dir.path(), &sample, args.rounds)?);
    }
    if runs(Group::Cpu) {
        let (cpu_rows, note) = cpu::run(&sample, args.rounds)?;
        rows.extend(cpu_rows);
        notes.push(note);
    }
    drop(sample);

    if runs(Group::Large) {
        let generating = Instant::now();
        let large = Export::generate(size, 2);
        eprintln!(
            "generated the large ledger in {:.1} s",
            generating.elapsed().as_secs_f64()
        );
        rows.extend(large::run(dir.path(), &large, args.rounds)?);
        let (file, data) = process::files(dir.path(), &large, &dir.path().join("large.redb"))?;
        let size = large.events.len() as u64;
        drop(large);
        let (process_rows, note) = process::run(&file, &data, size, args.rounds)?;
        rows.extend(process_rows);
        notes.push(note);
        rows.push(process::as_of_row(&data, size, args.rounds)?);
    }
    if runs(Group::Http) {
        rows.push(http::run(dir.path(), &plan)?);
    }
    // Rows by number, then letter: 2b before 10.
    rows.sort_by_key(|row| {
        let digits: String = row
            .number
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        (digits.parse::<u32>().unwrap_or(0), row.number.clone())
    });

    println!();
    print!("{}", report::table(&rows));
    println!();
    for note in notes {
        println!("{note}");
    }
    println!(
        "load average at the start {load_at_start}, at the end {}",
        slices::load_average()
    );
    println!("wall time {:.1} s", started.elapsed().as_secs_f64());
    if args.keep {
        println!("files kept in {}", dir.keep().display());
    }
    Ok(())
}
