//! `kaohe mirror`: follow a served ledger and keep a verified copy of it, so that a rewrite of
//! history is detected the moment it is served.
//!
//! Each poll reads the served signed checkpoint (size N, root) and checks its signature with
//! the ledger's key (the one in the copy's event 0, or `--key` on first use). Holding M events,
//! the mirror then demands a consistency proof from M to N and checks it against the root of
//! its own copy: a served history that is shorter, or whose first M events differ, is refused
//! and the evidence saved, and the copy is left as it was. Otherwise it reads the events after
//! M a page at a time; each page's events must link to the copy's end and to each other, and
//! the page's last event must be proven included in the signed tree of size N, before the page
//! is appended to the copy, byte for byte. At the end the copy's root must be the checkpoint's.

use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result, anyhow, bail};
use axum::body::Bytes;
use clap::Args;
use http_body_util::{BodyExt, Empty};
use kaohe_ledger::Hash;
use kaohe_ledger::bundle::ProofBundle;
use kaohe_ledger::hash::leaf_hash;
use kaohe_ledger::merkle::{verify_consistency, verify_inclusion};
use kaohe_ledger::note::{Checkpoint, VerifierKey};
use kaohe_store::{ImportOptions, LedgerFile, Store, StoreOptions};
use serde_json::Value;

use crate::data_dir::ledger_path;

/// Events asked for in one page (the server's own limit may be lower; it says so).
const PAGE_EVENTS: u64 = 1000;
/// The largest answer read from the served ledger.
const ANSWER_BYTES_MAX: usize = 128 * 1024 * 1024;
/// How long one request may take.
const REQUEST_TIME_MAX: Duration = Duration::from_secs(60);

/// Arguments of `kaohe mirror`.
#[derive(Args)]
pub struct MirrorArgs {
    /// The served ledger, e.g. http://10.0.0.5:8620
    #[arg(long, value_name = "URL")]
    pub from: String,
    /// The mirror's own data directory (created on first use).
    #[arg(long, value_name = "DIR")]
    pub data: PathBuf,
    /// A file holding the bearer token of an overseer (an inspector's), to read the events.
    #[arg(long, value_name = "FILE")]
    pub token_file: PathBuf,
    /// The ledger's verifier key, to pin on first use; afterwards the key in the copy's event
    /// 0 is used, and a served ledger signed by another key is refused.
    #[arg(long, value_name = "KEY")]
    pub key: Option<String>,
    /// Poll once and exit (0: in step; 1: the served history was refused).
    #[arg(long)]
    pub once: bool,
    /// Seconds between polls.
    #[arg(long, value_name = "SECONDS", default_value_t = 60)]
    pub interval: u64,
}

type Client = hyper_util::client::legacy::Client<
    hyper_util::client::legacy::connect::HttpConnector,
    Empty<Bytes>,
>;

/// The served ledger, read over HTTP.
struct Source {
    base: String,
    token: String,
    client: Client,
    runtime: tokio::runtime::Runtime,
}

impl Source {
    fn get(&self, path: &str) -> Result<Vec<u8>> {
        let url = format!("{}{path}", self.base);
        self.runtime.block_on(async {
            let request = axum::http::Request::get(&url)
                .header("authorization", format!("Bearer {}", self.token))
                .body(Empty::new())?;
            let response = tokio::time::timeout(REQUEST_TIME_MAX, self.client.request(request))
                .await
                .map_err(|_| anyhow!("{url}: no answer within {REQUEST_TIME_MAX:?}"))?
                .with_context(|| format!("cannot reach {url}"))?;
            let status = response.status();
            let body = http_body_util::Limited::new(response.into_body(), ANSWER_BYTES_MAX)
                .collect()
                .await
                .map_err(|error| anyhow!("{url}: {error}"))?
                .to_bytes();
            if !status.is_success() {
                bail!(
                    "{url} answered {status}: {}",
                    String::from_utf8_lossy(&body[..body.len().min(500)])
                );
            }
            Ok(body.to_vec())
        })
    }

    fn json(&self, path: &str) -> Result<Value> {
        serde_json::from_slice(&self.get(path)?)
            .with_context(|| format!("{path} did not answer JSON"))
    }

    /// The served events after position `after` (all if `None`), up to `size` in all.
    fn events(&self, after: Option<u64>, size: u64) -> Result<Vec<Vec<u8>>> {
        let path = match after {
            Some(after) => format!("/v1/ledger/events?after={after}&limit={PAGE_EVENTS}"),
            None => format!("/v1/ledger/events?limit={PAGE_EVENTS}"),
        };
        let first = after.map_or(0, |after| after + 1);
        let page = self.get(&path)?;
        Ok(page
            .split(|byte| *byte == b'\n')
            .filter(|line| !line.is_empty())
            .take(size.saturating_sub(first) as usize)
            .map(<[u8]>::to_vec)
            .collect())
    }
}

/// Why a served history was refused.
struct Refusal {
    reason: String,
    evidence: Vec<(&'static str, Vec<u8>)>,
}

/// Save what was served into `DIR/evidence/<time>/` and return that directory.
fn save_evidence(data: &Path, refusal: &Refusal) -> Result<PathBuf> {
    let stamp = jiff::Timestamp::now()
        .strftime("%Y%m%dT%H%M%S%.3fZ")
        .to_string();
    let dir = data.join("evidence").join(stamp);
    std::fs::create_dir_all(&dir)?;
    std::fs::write(dir.join("REFUSED.txt"), format!("{}\n", refusal.reason))?;
    for (name, bytes) in &refusal.evidence {
        std::fs::write(dir.join(name), bytes)?;
    }
    Ok(dir)
}

/// The outcome of one poll.
enum Poll {
    /// The copy holds the served ledger up to this size.
    InStep(u64, u64),
    /// The served history is not an extension of the copy.
    Refused(Refusal),
}

fn poll(source: &Source, data: &Path, pinned: Option<&VerifierKey>) -> Result<Poll> {
    let path = ledger_path(data);
    // The copy is read without writing it: a poll that finds nothing new, or refuses what is
    // served, leaves the file byte for byte as it was. It is opened for writing only to append.
    let held_copy = if path.exists() {
        let context = || format!("cannot open the mirror's copy in {}", data.display());
        let file = LedgerFile::open(&path).with_context(context)?;
        let genesis = file.genesis().with_context(context)?;
        Some((file, genesis))
    } else {
        None
    };
    let key = match (&held_copy, pinned) {
        (Some((_, genesis)), _) => genesis.verifier_key.clone(),
        (None, Some(key)) => key.clone(),
        (None, None) => {
            let head = source.json("/v1/ledger/head")?;
            let key = head["verifier_key"].as_str().unwrap_or_default();
            eprintln!("first use: trusting the served verifier key {key}; pin it with --key");
            VerifierKey::parse(key).map_err(|error| anyhow!("the served key: {error}"))?
        }
    };
    let note = source.get("/v1/ledger/checkpoint")?;
    let note_text = String::from_utf8_lossy(&note).into_owned();
    let checkpoint = match Checkpoint::open(&note_text, &key) {
        Ok(checkpoint) => checkpoint,
        Err(error) => {
            return Ok(Poll::Refused(Refusal {
                reason: format!(
                    "the served checkpoint does not verify with the ledger's key {}: {error}",
                    key.to_text()
                ),
                evidence: vec![("served-checkpoint.txt", note)],
            }));
        }
    };
    let (size, root) = (checkpoint.size, checkpoint.root);
    let held = match &held_copy {
        Some((file, _)) => file.snapshot()?.size(),
        None => 0,
    };
    if size < held {
        return Ok(Poll::Refused(Refusal {
            reason: format!(
                "the served ledger has {size} events, fewer than the {held} this mirror holds: history was removed"
            ),
            evidence: vec![("served-checkpoint.txt", note)],
        }));
    }
    if let Some((file, _)) = &held_copy {
        let ours = file.snapshot()?.root_at(held)?;
        let proof_path = format!("/v1/ledger/proofs/consistency?from={held}&to={size}");
        let proof = if held == size {
            None
        } else {
            Some(source.get(&proof_path)?)
        };
        let consistent = match &proof {
            None => ours == root,
            Some(bytes) => match ProofBundle::from_file(bytes) {
                Ok(ProofBundle::Consistency { path, .. }) => {
                    let path: Option<Vec<Hash>> =
                        path.iter().map(|hex| Hash::from_hex(hex)).collect();
                    path.is_some_and(|path| {
                        verify_consistency(held, size, &ours, &root, &path).is_ok()
                    })
                }
                _ => false,
            },
        };
        if !consistent {
            let mut evidence = vec![("served-checkpoint.txt", note)];
            if let Some(proof) = proof {
                evidence.push(("served-consistency-proof.json", proof));
            }
            evidence.push((
                "mirror-head.txt",
                format!("size {held}\nroot {}\n", ours.to_hex()).into_bytes(),
            ));
            if let Some((_, stored)) = file.snapshot()?.checkpoints()?.pop() {
                evidence.push(("mirror-last-checkpoint.txt", stored.into_bytes()));
            }
            return Ok(Poll::Refused(Refusal {
                reason: format!(
                    "the served ledger of {size} events (root {}) is not an extension of the {held} events this mirror holds (root {}): its history was rewritten",
                    root.to_hex(),
                    ours.to_hex()
                ),
                evidence,
            }));
        }
    }
    if held == size && held_copy.is_some() {
        return Ok(Poll::InStep(held, size));
    }
    // Something to append: only now is the copy opened for writing.
    let mut copy = match held_copy {
        Some((file, _)) => {
            drop(file);
            Some(
                Store::open(&path, StoreOptions::default()).with_context(|| {
                    format!("cannot open the mirror's copy in {}", data.display())
                })?,
            )
        }
        None => None,
    };
    let mut next = held;
    while next < size {
        let page = source.events(next.checked_sub(1), size)?;
        if page.is_empty() {
            bail!("the served ledger gave no events after {next} although it has {size}");
        }
        let last = next + page.len() as u64 - 1;
        // The page's last event must be in the signed tree; the links vouch for the others.
        let proof = source.get(&format!(
            "/v1/ledger/proofs/inclusion?position={last}&size={size}"
        ))?;
        let proven = match ProofBundle::from_file(&proof) {
            Ok(ProofBundle::Inclusion { path, .. }) => {
                let path: Option<Vec<Hash>> = path.iter().map(|hex| Hash::from_hex(hex)).collect();
                let leaf = leaf_hash(page.last().expect("a page is not empty"));
                path.is_some_and(|path| verify_inclusion(&leaf, last, size, &path, &root).is_ok())
            }
            _ => false,
        };
        if !proven {
            return Ok(Poll::Refused(Refusal {
                reason: format!(
                    "served event {last} is not the one the signed checkpoint of {size} events holds"
                ),
                evidence: vec![
                    ("served-checkpoint.txt", note),
                    (
                        "served-event.json",
                        page.last().cloned().unwrap_or_default(),
                    ),
                    ("served-inclusion-proof.json", proof),
                ],
            }));
        }
        let appended = match &copy {
            Some(copy) => copy.append_sealed(page.clone()),
            None => {
                // The first page creates the copy; its event 0 must name the pinned key.
                let store = Store::import(
                    &path,
                    page.iter(),
                    &ImportOptions::default(),
                    StoreOptions::default(),
                )
                .map_err(|error| {
                    anyhow::Error::new(error).context("the served ledger's first events")
                })?;
                if store.genesis().verifier_key != key {
                    drop(store);
                    let _ = std::fs::remove_file(&path);
                    bail!("the served ledger's event 0 names another key than the one pinned");
                }
                copy = Some(store);
                Ok(last + 1)
            }
        };
        match appended {
            Ok(new_size) => next = new_size,
            Err(error) => {
                return Ok(Poll::Refused(Refusal {
                    reason: format!(
                        "the served events after {next} do not extend this mirror's copy: {}",
                        crate::output::with_causes(&error)
                    ),
                    evidence: vec![("served-checkpoint.txt", note)],
                }));
            }
        }
    }
    let copy = copy.context("the served ledger is empty")?;
    let head = copy.head()?;
    if head.root != root {
        bail!("the copy's root differs from the served checkpoint's after following it");
    }
    copy.put_checkpoint(size, note_text)?;
    Ok(Poll::InStep(held, size))
}

/// `kaohe mirror`.
pub fn run(args: &MirrorArgs) -> Result<std::process::ExitCode> {
    let token = std::fs::read_to_string(&args.token_file)
        .with_context(|| format!("cannot read the token file {}", args.token_file.display()))?
        .trim()
        .to_owned();
    let pinned = args
        .key
        .as_deref()
        .map(VerifierKey::parse)
        .transpose()
        .map_err(|error| anyhow!("--key: {error}"))?;
    std::fs::create_dir_all(&args.data)
        .with_context(|| format!("cannot create {}", args.data.display()))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let client = {
        let _entered = runtime.enter();
        hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
            .build_http()
    };
    let source = Source {
        base: args.from.trim_end_matches('/').to_owned(),
        token,
        client,
        runtime,
    };
    loop {
        match poll(&source, &args.data, pinned.as_ref())? {
            Poll::InStep(held, size) => {
                if size > held {
                    println!(
                        "mirrored events {held}..{size}: the copy verifies against the served checkpoint"
                    );
                } else {
                    println!("in step at {size} events");
                }
            }
            Poll::Refused(refusal) => {
                let dir = save_evidence(&args.data, &refusal)?;
                eprintln!("REFUSED: {}", refusal.reason);
                eprintln!(
                    "the mirror's copy is unchanged; the evidence is in {}",
                    dir.display()
                );
                return Ok(std::process::ExitCode::from(1));
            }
        }
        if args.once {
            return Ok(std::process::ExitCode::SUCCESS);
        }
        std::thread::sleep(Duration::from_secs(args.interval));
    }
}
