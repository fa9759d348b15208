//! The rows that measure the product's own commands as processes, on the large ledger as a
//! data directory and as an export: `kaohe verify` against a floor program that only reads the
//! file, hashes each event's leaf and grows the Merkle frontier (the same file, the same
//! process model); verify on two threads against one; a data directory against its export;
//! `kaohe serve`'s start-up time and peak memory; and an `as_of` view against the same view of
//! the live state.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use kaohe_ledger::merkle::Frontier;

use crate::cpu::CORES_NEEDED_PER_THREAD;
use crate::events::{Export, Township};
use crate::report::{Goal, Row, mib, rate};
use crate::slices::{alternate, children_cpu_seconds, median};

/// Serve's start-up peak memory the issue allows at 1,000,000 events.
const SERVE_PEAK_BYTES_MAX: f64 = 512.0 * 1024.0 * 1024.0;

/// The `kaohe` binary built beside this one.
fn kaohe() -> Result<PathBuf> {
    let path = std::env::current_exe()?.with_file_name("kaohe");
    if !path.exists() {
        bail!(
            "{} is not built: run `cargo build --release -p kaohe` first",
            path.display()
        );
    }
    Ok(path)
}

/// The floor: read the export, split it into lines, hash each event's leaf and push it onto
/// the Merkle frontier, on one thread; what no verifier can go below. Prints the root.
pub fn floor(path: &Path) -> Result<()> {
    let file =
        std::fs::File::open(path).with_context(|| format!("cannot open {}", path.display()))?;
    let mut reader = BufReader::with_capacity(1 << 20, file);
    let mut frontier = Frontier::new();
    let mut line = Vec::new();
    let mut held: Option<Vec<u8>> = None;
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line)? == 0 {
            break;
        }
        if line.last() == Some(&b'\n') {
            line.pop();
        }
        // The last line is the checkpoint line: every line before it is an event.
        if let Some(event) = held.replace(std::mem::take(&mut line)) {
            frontier.push(kaohe_ledger::hash::leaf_hash(&event), |_, _, _| {});
            line = event;
        }
    }
    println!("{} events, root {}", frontier.size(), frontier.root());
    Ok(())
}

/// Run `command` to its end; returns its wall time in seconds and the cores it used (its CPU
/// time over its wall time). `expected` is the exit code it must end with.
fn timed(command: &mut Command, expected: i32) -> Result<(f64, f64)> {
    let cpu = children_cpu_seconds();
    let start = Instant::now();
    let status = command
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .context("the command starts")?;
    let wall = start.elapsed().as_secs_f64();
    if status.code() != Some(expected) {
        bail!("{command:?} ended with {status}");
    }
    let cores = match (cpu, children_cpu_seconds()) {
        (Some(before), Some(after)) => (after - before) / wall,
        _ => f64::NAN,
    };
    Ok((wall, cores))
}

/// The peak resident memory of process `pid` so far, in bytes (VmHWM).
fn peak_memory(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let line = status.lines().find(|line| line.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// Start `kaohe serve` on `data` and wait until it answers on its address; returns the time
/// that took and its peak memory by then, and stops it.
fn serve_start_up(kaohe: &Path, data: &Path) -> Result<(f64, u64)> {
    let start = Instant::now();
    let mut child = Command::new(kaohe)
        .args(["serve", "--data"])
        .arg(data)
        .args(["--addr", "127.0.0.1:0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .context("kaohe serve starts")?;
    let stdout = child.stdout.take().expect("piped");
    let mut lines = BufReader::new(stdout).lines();
    let address = loop {
        match lines.next() {
            Some(Ok(line)) => {
                if let Some(at) = line.find("http://") {
                    break line[at + 7..].trim_end_matches('/').to_owned();
                }
            }
            _ => {
                let status = child.wait()?;
                bail!("kaohe serve ended before it served ({status})");
            }
        }
    };
    // The first answer: the ledger's head, which anyone may read.
    let answered = std::net::TcpStream::connect(&address).and_then(|mut stream| {
        use std::io::{Read, Write};
        stream
            .write_all(b"GET /v1/ledger/head HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")?;
        let mut answer = Vec::new();
        stream.read_to_end(&mut answer)?;
        Ok(answer.starts_with(b"HTTP/1.1 200"))
    });
    let elapsed = start.elapsed().as_secs_f64();
    let peak = peak_memory(child.id()).unwrap_or(0);
    child.kill().ok();
    child.wait().ok();
    if !answered.unwrap_or(false) {
        bail!("kaohe serve did not answer GET /v1/ledger/head");
    }
    Ok((elapsed, peak))
}

/// Write the large ledger as an export file and as a data directory beside the imported
/// file `imported` (moved into it); returns (export, data directory).
pub fn files(dir: &Path, export: &Export, imported: &Path) -> Result<(PathBuf, PathBuf)> {
    let file = dir.join("large.jsonl");
    std::fs::write(&file, &export.file)?;
    let data = dir.join("large-data");
    std::fs::create_dir_all(&data)?;
    std::fs::rename(imported, data.join("ledger.redb"))?;
    std::fs::write(
        data.join("ledger.key"),
        format!("{}\n", Township::key().to_text()),
    )?;
    Ok((file, data))
}

/// The rows of processes over the large ledger, as an export at `file` and a data directory
/// at `data`.
pub fn run(file: &Path, data: &Path, size: u64, rounds: usize) -> Result<(Vec<Row>, String)> {
    let kaohe = kaohe()?;
    let rounds = rounds.clamp(1, 5);
    let events = size as f64;
    let verify = |path: &Path, threads: Option<usize>| {
        let mut command = Command::new(&kaohe);
        command.arg("verify").arg(path);
        if let Some(threads) = threads {
            command.args(["--threads", &threads.to_string()]);
        }
        command
    };
    let this = std::env::current_exe()?;
    let cores = std::cell::RefCell::new((Vec::new(), Vec::new()));
    eprintln!("rows 10 to 12: kaohe verify as a process, against the floor, on {size} events ...");
    let mut floor_side = || -> Result<f64> {
        let (wall, _) = timed(Command::new(&this).arg("--floor").arg(file), 0)?;
        Ok(events / wall)
    };
    let mut one = || -> Result<f64> {
        let (wall, used) = timed(&mut verify(file, Some(1)), 0)?;
        cores.borrow_mut().0.push(used);
        Ok(events / wall)
    };
    let mut two = || -> Result<f64> {
        let (wall, used) = timed(&mut verify(file, Some(2)), 0)?;
        cores.borrow_mut().1.push(used);
        Ok(events / wall)
    };
    let mut export_default = || -> Result<f64> {
        let (wall, _) = timed(&mut verify(file, None), 0)?;
        Ok(events / wall)
    };
    let mut data_default = || -> Result<f64> {
        let (wall, _) = timed(&mut verify(data, None), 0)?;
        Ok(events / wall)
    };
    let measured = alternate(
        rounds,
        &mut [
            &mut floor_side,
            &mut one,
            &mut two,
            &mut export_default,
            &mut data_default,
        ],
    )?;
    let (floor, one, two, export_any, data_any) = (
        &measured[0],
        &measured[1],
        &measured[2],
        &measured[3],
        &measured[4],
    );
    let (cores_one, cores_two) = {
        let cores = cores.borrow();
        (median(&cores.0), median(&cores.1))
    };
    let mut rows = vec![Row::new(
        "10",
        format!("kaohe verify --threads 1 of an export of {size} events"),
        rate(one.median()),
        format!(
            "floor: read + leaf hash + frontier {}",
            rate(floor.median())
        ),
        floor.ratio_to(one),
        Goal::AtMost(1.6),
    )];
    let workload = "kaohe verify --threads 2 of the export";
    let baseline = format!("--threads 1 {}", rate(one.median()));
    rows.push(if cores_two >= 2.0 * CORES_NEEDED_PER_THREAD {
        Row::new(
            "11",
            workload,
            rate(two.median()),
            baseline,
            two.ratio_to(one),
            Goal::AtLeast(1.7),
        )
    } else {
        Row::unreported(
            "11",
            workload,
            format!("not reported: it got {cores_two:.2} cores, not 2"),
            baseline,
            Goal::AtLeast(1.7),
        )
    });
    rows.push(Row::new(
        "12",
        "kaohe verify of the data directory (time)",
        rate(data_any.median()),
        format!("verify of its export {}", rate(export_any.median())),
        export_any.ratio_to(data_any),
        Goal::AtMost(1.2),
    ));

    eprintln!("rows 13 and 14: kaohe serve's start-up ...");
    let mut peaks = Vec::new();
    let mut serve_side = || -> Result<f64> {
        let (wall, peak) = serve_start_up(&kaohe, data)?;
        peaks.push(peak as f64);
        Ok(events / wall)
    };
    let mut data_side = || -> Result<f64> {
        let (wall, _) = timed(&mut verify(data, None), 0)?;
        Ok(events / wall)
    };
    let started = alternate(rounds, &mut [&mut serve_side, &mut data_side])?;
    let peak = median(&peaks);
    rows.push(Row::new(
        "13",
        format!(
            "kaohe serve start-up to its first answer ({:.1} s)",
            events / started[0].median()
        ),
        rate(started[0].median()),
        format!("verify of the data directory {}", rate(started[1].median())),
        started[1].ratio_to(&started[0]),
        Goal::AtMost(1.5),
    ));
    rows.push(Row::new(
        "14",
        format!(
            "kaohe serve start-up peak memory at n = {size} ({:.0} bytes an event)",
            peak / events
        ),
        mib(peak as u64),
        format!(
            "{} (the limit at 1,000,000 events)",
            mib(SERVE_PEAK_BYTES_MAX as u64)
        ),
        peak / SERVE_PEAK_BYTES_MAX,
        Goal::AtMost(1.0),
    ));
    let note = format!(
        "10-11: the one-thread verify processes used {cores_one:.2} cores, the two-thread ones {cores_two:.2} (medians of child CPU time / wall time)"
    );
    Ok((rows, note))
}

/// Row 15: a view as of the last day of the ledger (every event recorded by its end) against
/// the same view of the live state, through the engine on the data directory.
pub fn as_of_row(data: &Path, size: u64, rounds: usize) -> Result<Row> {
    use kaohe_assess::period::Quarter;
    use kaohe_assess::views::quarter_board;
    eprintln!("row 15: an as_of view against the same view today ...");
    let store = kaohe_store::Store::open(
        &data.join("ledger.redb"),
        kaohe_store::StoreOptions::default(),
    )?;
    let engine = kaohe_engine::Engine::open(store, std::sync::Arc::new(jiff::Timestamp::now))?;
    let quarter: Quarter = "2026-Q1".parse().expect("a quarter");
    let last_day = jiff::civil::date(2026, 12, 31);
    let mut today = || -> Result<f64> {
        let start = Instant::now();
        let board = engine.read(|state| quarter_board(state, quarter, last_day));
        std::hint::black_box(board);
        Ok(1.0 / start.elapsed().as_secs_f64())
    };
    let mut as_of = || -> Result<f64> {
        let start = Instant::now();
        let state = engine.state_as_of(last_day)?;
        std::hint::black_box(quarter_board(&state, quarter, last_day));
        Ok(1.0 / start.elapsed().as_secs_f64())
    };
    let views = alternate(rounds.clamp(1, 3), &mut [&mut as_of, &mut today])?;
    Ok(Row::new(
        "15",
        format!("quarter board as_of its last day at n = {size} (time)"),
        format!("{:.3} ms", 1e3 / views[0].median()),
        format!("the same view of today {:.3} ms", 1e3 / views[1].median()),
        views[1].ratio_to(&views[0]),
        Goal::AtMost(2.0),
    ))
}
