//! `kaohe verify`: check a data directory or an export, one line per check.

use std::fs::{self, File};
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;
use kaohe_ledger::event::EVENT_BYTES_MAX;
use kaohe_ledger::note::MAX_NOTE_SIZE;
use kaohe_ledger::note::VerifierKey;
use kaohe_ledger::verify::{
    Anchors, Check, EventChunk, ExportCheck, Failure, LedgerCheck, PreparedEvent, Report,
    checkpoint_file_text, verify_pipelined,
};
use kaohe_store::{LedgerFile, OpenError, ReadError};

use crate::data_dir;
use crate::output::{failed, passed, progress, skipped};

/// The longest export line read: an event at its limit, or a checkpoint line.
const EXPORT_LINE_BYTES_MAX: usize = EVENT_BYTES_MAX + 64 * 1024;

/// Arguments of `kaohe verify`.
#[derive(Args)]
pub struct VerifyArgs {
    /// A data directory (holding ledger.redb) or an export file.
    pub path: PathBuf,
    /// A checkpoint saved earlier, the file exactly as `kaohe checkpoint` printed it: the
    /// ledger must extend it.
    #[arg(long, value_name = "FILE")]
    pub checkpoint: Option<PathBuf>,
    /// The verifier key you trust (text, or a file holding it); event 0 must name it.
    #[arg(long, value_name = "KEY")]
    pub key: Option<String>,
    /// How many threads check events (default: every core the machine gives this process).
    #[arg(long, value_name = "N")]
    pub threads: Option<usize>,
}

/// Events handed between the threads of a verification at a time: enough to keep each thread
/// busy for milliseconds, few enough that memory stays small.
const CHUNK_EVENTS: usize = 2048;

/// The threads a verification uses: as asked, or every core the machine gives the process.
pub fn threads(asked: Option<usize>) -> usize {
    asked
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from))
        .max(1)
}

/// Read a saved checkpoint file: its note, or the verdict on a file that is not one
/// (FORMAT.md 5.3). Reading stops past the largest note, so a huge file is not read whole.
fn read_checkpoint_file(path: &Path) -> Result<Result<String, Failure>> {
    let mut bytes = Vec::new();
    File::open(path)
        .and_then(|file| file.take(MAX_NOTE_SIZE as u64 + 1).read_to_end(&mut bytes))
        .with_context(|| format!("cannot read the saved checkpoint {}", path.display()))?;
    Ok(checkpoint_file_text(&bytes).map(str::to_owned))
}

/// Read a verifier key given as text or as a file holding the text.
pub fn read_key(text: &str) -> Result<VerifierKey> {
    let text = match fs::read_to_string(text) {
        Ok(contents) => contents,
        Err(_) => text.to_owned(),
    };
    VerifierKey::parse(text.trim()).context("the key is not a verifier key (name+keyid+base64)")
}

/// `kaohe verify`.
pub fn run(args: &VerifyArgs) -> Result<ExitCode> {
    let export = !args.path.is_dir();
    let saved = match &args.checkpoint {
        Some(path) => match read_checkpoint_file(path)? {
            Ok(text) => Some(text),
            Err(failure) => {
                // The inspector's own evidence is unusable: nothing is checked against it.
                for check in Check::ALL {
                    if check == failure.check {
                        failed(check.name(), &failure.to_string());
                    } else if check != Check::ExportFile || export {
                        skipped(check.name(), "not run");
                    }
                }
                println!("NOT VERIFIED: {failure}");
                return Ok(ExitCode::from(1));
            }
        },
        None => None,
    };
    let anchors = Anchors {
        own: None,
        stored: Vec::new(),
        saved,
        trusted: args.key.as_deref().map(read_key).transpose()?,
    };
    let (checked, result) = if export {
        println!("verifying export {}", args.path.display());
        verify_export(args, anchors)?
    } else {
        println!("verifying data directory {}", args.path.display());
        match verify_data_dir(args, anchors)? {
            Some(outcome) => outcome,
            // The file could not be read at all: said already.
            None => return Ok(ExitCode::from(1)),
        }
    };
    Ok(print_report(checked, result, export))
}

fn verify_export(args: &VerifyArgs, anchors: Anchors) -> Result<(u64, Result<Report, Failure>)> {
    let file =
        File::open(&args.path).with_context(|| format!("cannot open {}", args.path.display()))?;
    let length = file.metadata().map(|metadata| metadata.len()).unwrap_or(0);
    let progress = progress(length, "verifying bytes");
    let mut reader = BufReader::with_capacity(1 << 20, file);
    let mut check = ExportCheck::new(anchors);
    let threads = threads(args.threads);
    if threads == 1 {
        let mut read = || -> Result<()> {
            let mut line = Vec::new();
            while let Some(ended) = next_line(&mut reader, &mut line)? {
                progress.inc(line.len() as u64 + u64::from(ended));
                if !check.push_line(&line, ended) {
                    break;
                }
            }
            Ok(())
        };
        read().with_context(|| format!("cannot read {}", args.path.display()))?;
    } else {
        let mut failed = None;
        verify_pipelined(
            threads,
            |send| {
                let mut line = Vec::new();
                let mut chunk = EventChunk::default();
                loop {
                    match next_line(&mut reader, &mut line) {
                        Ok(Some(ended)) => chunk.push(&line, ended),
                        Ok(None) => break,
                        Err(error) => {
                            failed = Some(error);
                            break;
                        }
                    }
                    if chunk.len() >= CHUNK_EVENTS && !send(std::mem::take(&mut chunk)) {
                        return;
                    }
                }
                if !chunk.is_empty() {
                    send(chunk);
                }
            },
            |chunk, prepared| {
                progress.inc((chunk.bytes() + chunk.len()) as u64);
                chunk
                    .items()
                    .zip(prepared)
                    .all(|((line, ended), prepared)| {
                        check.push_line_prepared(line, ended, prepared)
                    })
            },
        );
        if let Some(error) = failed {
            return Err(error).with_context(|| format!("cannot read {}", args.path.display()));
        }
    }
    progress.finish_and_clear();
    Ok(check.finish())
}

/// The next line of an export into `line`, without its line feed: `Some(true)` when it ended
/// with one, `Some(false)` for a last line without, `None` at the end. A line longer than any
/// event and checkpoint line is handed on cut short, reported as the event it would be.
fn next_line(reader: &mut impl BufRead, line: &mut Vec<u8>) -> std::io::Result<Option<bool>> {
    line.clear();
    let read = reader
        .take(EXPORT_LINE_BYTES_MAX as u64 + 1)
        .read_until(b'\n', line)?;
    if read == 0 {
        return Ok(None);
    }
    let ended = line.last() == Some(&b'\n');
    if ended {
        line.pop();
    } else if line.len() > EXPORT_LINE_BYTES_MAX {
        // An overlong line is reported as the event it would be, by the event checks.
        line.truncate(EVENT_BYTES_MAX + 1);
        return Ok(Some(true));
    }
    Ok(Some(ended))
}

/// Check a data directory; `None` when its file cannot be read at all (reported here).
fn verify_data_dir(
    args: &VerifyArgs,
    anchors: Anchors,
) -> Result<Option<(u64, Result<Report, Failure>)>> {
    let path = data_dir::ledger_path(&args.path);
    // The file's pages against their checksums first: damage anywhere in the file, in the
    // events or not, is found here, but not which event it hit; the ledger checks below say.
    let pages = LedgerFile::check_pages(&path);
    if let Err(error @ (OpenError::InUse(_) | OpenError::NotFound(_))) = pages {
        // Not damage: the file is not there, or a server holds it.
        return Err(error)
            .with_context(|| format!("cannot open the ledger in {}", args.path.display()));
    }
    match &pages {
        Ok(()) => passed(
            PAGES_CHECK,
            "every page of the file's committed trees matches its checksum",
        ),
        Err(error) => failed(PAGES_CHECK, &pages_verdict(error)),
    }
    let file = match LedgerFile::open(&path) {
        Ok(file) => file,
        Err(_) if pages.is_err() => {
            // Nothing can be read: there is no event to name.
            println!("NOT VERIFIED: {UNREADABLE}");
            return Ok(None);
        }
        Err(error) => {
            return Err(error)
                .with_context(|| format!("cannot open the ledger in {}", args.path.display()));
        }
    };
    let (checked, mut result) = match check_ledger(&file, anchors, threads(args.threads)) {
        Ok(outcome) => outcome,
        Err(_) if pages.is_err() => {
            println!("NOT VERIFIED: {UNREADABLE}");
            return Ok(None);
        }
        Err(error) => return Err(error),
    };
    if let (Ok(_), Err(error)) = (&result, &pages) {
        // Every event and node checks out, so the damage lies elsewhere in the file: the id
        // index, the tokens or the tables' own pages. Still not a file to trust.
        result = Err(Failure {
            check: Check::MerkleRoot,
            event: None,
            message: format!(
                "every event verifies, but not the rest of the file: {}",
                pages_verdict(error)
            ),
        });
    }
    Ok(Some((checked, result)))
}

/// Where the ledger checks first fail on the file in `data`, for a message that already says
/// the file is damaged: ", first bad event N: ..." or nothing when they find no event to name.
pub fn first_bad_event(data: &std::path::Path) -> String {
    let Ok(file) = LedgerFile::open(&data_dir::ledger_path(data)) else {
        return String::new();
    };
    match check_ledger(&file, Anchors::default(), threads(None)) {
        Ok((_, Err(failure))) if failure.event.is_some() => format!("; first bad {failure}"),
        Ok((_, Err(failure))) => format!("; {failure}"),
        _ => String::new(),
    }
}

/// The name of the line that reports the file's page checksums.
const PAGES_CHECK: &str = "file pages";

/// The verdict on a file whose damaged pages keep it from being read at all.
const UNREADABLE: &str = "the ledger file cannot be read: its pages are damaged";

/// What the page check found, in kaohe's words: the storage library's own message says where
/// in its structures it stopped, which means nothing to the reader of a verdict.
fn pages_verdict(error: &OpenError) -> String {
    match error {
        OpenError::Damaged(_) => {
            "a page of the file does not match its checksum, or the file is cut short: the file is damaged".into()
        }
        OpenError::UnsupportedFormat(version) => {
            format!("the file has storage format version {version}, which this kaohe does not know")
        }
        OpenError::Storage(_) => "the file could not be read to check its pages".into(),
        other => other.to_string(),
    }
}

/// Every event of the file through the verifier, its stored Merkle nodes compared in the same
/// pass with the nodes the events give, then its checkpoints: the file is read once. A read
/// that fails part way stops the pass at the event that could not be read.
pub fn check_ledger(
    file: &LedgerFile,
    mut anchors: Anchors,
    threads: usize,
) -> Result<(u64, Result<Report, Failure>)> {
    let snapshot = file.snapshot()?;
    let mut stored: Vec<String> = snapshot
        .checkpoints()?
        .into_iter()
        .map(|(_, text)| text)
        .collect();
    anchors.own = stored.pop();
    anchors.stored = stored;
    let mut check = LedgerCheck::new(anchors);
    let mut nodes = snapshot.node_check()?;
    let progress = progress(snapshot.size(), "verifying events");
    let mut push = |bytes: &[u8], prepared: &PreparedEvent| {
        let _ = bytes;
        check.push_prepared_with_nodes(prepared, &mut |level, index, hash| {
            nodes.node(level, index, hash)
        })
    };
    let read = if threads == 1 {
        snapshot.for_each_event(0, |_, bytes| {
            progress.inc(1);
            push(bytes, &PreparedEvent::new(bytes))
        })
    } else {
        let mut read = Ok(());
        verify_pipelined(
            threads,
            |send| {
                // The reader's own read transaction: the file is read only, so it sees
                // exactly what the checker's does.
                let snapshot = match file.snapshot() {
                    Ok(snapshot) => snapshot,
                    Err(error) => {
                        read = Err(error);
                        return;
                    }
                };
                let mut chunk = EventChunk::default();
                let mut going = true;
                read = snapshot.for_each_event(0, |_, bytes| {
                    chunk.push(bytes, true);
                    if chunk.len() >= CHUNK_EVENTS {
                        going = send(std::mem::take(&mut chunk));
                    }
                    going
                });
                if going && !chunk.is_empty() {
                    send(chunk);
                }
            },
            |chunk, prepared| {
                progress.inc(chunk.len() as u64);
                chunk
                    .items()
                    .zip(&prepared)
                    .all(|((bytes, _), prepared)| push(bytes, prepared))
            },
        );
        read
    };
    progress.finish_and_clear();
    if let Err(error) = read {
        let why = match error {
            ReadError::Damaged(_) => "the page that holds it is damaged",
            ReadError::Storage(_) | ReadError::OutOfRange(_) => "reading the file failed",
        };
        check.fail(Failure {
            check: Check::Positions,
            event: Some(check.size()),
            message: format!("the event cannot be read from the file: {why}"),
        });
    }
    let checked = check.size();
    // Damage found among the nodes is told as what is wrong; a failed read, as itself.
    let nodes = nodes.finish(checked).map_err(|error| error.node_damage());
    Ok((checked, check.finish(Some(nodes))))
}

/// Print one line per check (the export file's only for an export); the exit code says
/// whether all passed.
fn print_report(checked: u64, result: Result<Report, Failure>, export: bool) -> ExitCode {
    let report = match result {
        Ok(report) => report,
        Err(failure) => {
            let per_event_failed = failure.check.per_event();
            for check in Check::ALL {
                if check == Check::ExportFile && !export {
                    continue;
                }
                if check == failure.check {
                    failed(check.name(), &failure.to_string());
                } else if check.per_event() && !per_event_failed {
                    passed(check.name(), &format!("{checked} events"));
                } else if check.per_event() {
                    skipped(check.name(), &format!("stopped after {checked} events"));
                } else {
                    skipped(check.name(), "not run");
                }
            }
            println!("NOT VERIFIED: {failure}");
            return ExitCode::from(1);
        }
    };
    let verified = &report.verified;
    let size = verified.size;
    let key = &verified.genesis.verifier_key;
    if export {
        passed(
            Check::ExportFile.name(),
            &format!("{size} event lines and a checkpoint line, each ending in a line feed"),
        );
    }
    passed(
        Check::Canonical.name(),
        &format!("{size} events in RFC 8785 form, integers only"),
    );
    passed(
        Check::Schema.name(),
        &format!("{size} events valid against event.schema.json"),
    );
    passed(
        Check::Positions.name(),
        &format!("0..{} without gaps", size - 1),
    );
    passed(Check::UniqueIds.name(), &format!("{size} distinct ids"));
    passed(
        Check::HashChain.name(),
        &format!("{} links, head {}", size - 1, verified.head),
    );
    passed(
        Check::Causes.name(),
        &format!("{} references to earlier events", verified.cause_count),
    );
    passed(
        Check::RecordedTimes.name(),
        &format!(
            "in the offset of {}, never going back",
            verified.genesis.time_zone
        ),
    );
    passed(
        Check::Genesis.name(),
        &format!(
            "{}, origin {}, zone {}",
            verified.genesis.organisation, verified.genesis.origin, verified.genesis.time_zone
        ),
    );
    let mut root = format!("{} at size {size}", verified.root);
    match &report.own {
        Some(own) if own.size == size => root.push_str(", as signed"),
        Some(own) => root.push_str(&format!(
            "; the latest checkpoint (size {}) holds",
            own.size
        )),
        None => {}
    }
    passed(Check::MerkleRoot.name(), &root);
    if report.own.is_some() {
        let mut detail = format!("by {}", key.to_text());
        if report.key_trusted {
            detail.push_str(" (the trusted key)");
        }
        if report.stored_checked > 0 {
            detail.push_str(&format!(
                "; {} older checkpoints hold too",
                report.stored_checked
            ));
        }
        passed(Check::CheckpointSignature.name(), &detail);
    } else {
        skipped(
            Check::CheckpointSignature.name(),
            "no checkpoint stored yet (run kaohe checkpoint)",
        );
    }
    match &report.saved {
        Some(saved) => passed(
            Check::SavedCheckpoint.name(),
            &format!(
                "size {} root {}: the ledger extends it",
                saved.size, saved.root
            ),
        ),
        None => skipped(
            Check::SavedCheckpoint.name(),
            "none given (--checkpoint FILE)",
        ),
    }
    println!("verified: {size} events, root {}", verified.root);
    ExitCode::SUCCESS
}
