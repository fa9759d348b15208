//! `kaohe prove` and `kaohe verify-proof`: proofs with their signed checkpoints, checked offline.

use std::fs::File;
use std::io::{Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::{Args, Subcommand};
use kaohe_ledger::bundle::{PROOF_FILE_BYTES_MAX, ProofBundle, Proven};

use crate::data_dir;
use crate::output::{failed, passed};
use crate::verify::read_key;

/// `kaohe prove ...`.
#[derive(Subcommand)]
pub enum ProveCommand {
    /// Prove that event N is in the ledger (of size M, default: now).
    #[command(
        after_help = "Example:\n  kaohe prove inclusion --data ./ledger --seq 42 > proof.json"
    )]
    Inclusion {
        /// The ledger's data directory.
        #[arg(long, value_name = "DIR")]
        data: PathBuf,
        /// The event's position.
        #[arg(long, value_name = "N")]
        seq: u64,
        /// The ledger size to prove against (default: the current size).
        #[arg(long, value_name = "M")]
        size: Option<u64>,
    },
    /// Prove that the ledger of size M is a prefix of the ledger of size N (default: now).
    #[command(
        after_help = "Example:\n  kaohe prove consistency --data ./ledger --from 1000 > proof.json"
    )]
    Consistency {
        /// The ledger's data directory.
        #[arg(long, value_name = "DIR")]
        data: PathBuf,
        /// The older size.
        #[arg(long, value_name = "M")]
        from: u64,
        /// The newer size (default: the current size).
        #[arg(long, value_name = "N")]
        to: Option<u64>,
    },
}

/// Arguments of `kaohe verify-proof`.
#[derive(Args)]
pub struct VerifyProofArgs {
    /// The proof file printed by `kaohe prove`, exactly as it printed it.
    pub file: PathBuf,
    /// The ledger's verifier key (text, or a file holding it), as `kaohe init` printed it.
    #[arg(long, value_name = "KEY")]
    pub key: String,
}

/// `kaohe prove`.
pub fn run(command: &ProveCommand) -> Result<()> {
    let bundle = match command {
        ProveCommand::Inclusion { data, seq, size } => {
            let (file, genesis) = data_dir::read(data)?;
            let key = data_dir::signer(data, &genesis)?;
            let snapshot = file.snapshot()?;
            let size = size.unwrap_or(snapshot.size());
            if *seq >= size {
                bail!("event {seq} is not in a ledger of {size} events");
            }
            let path = snapshot.inclusion_proof(*seq, size)?;
            ProofBundle::Inclusion {
                position: *seq,
                size,
                event: String::from_utf8(snapshot.event(*seq)?)
                    .context("a stored event is not UTF-8")?,
                path: path.iter().map(|hash| hash.to_hex()).collect(),
                checkpoint: data_dir::sign_checkpoint(&key, &genesis, &snapshot, size)?,
            }
        }
        ProveCommand::Consistency { data, from, to } => {
            let (file, genesis) = data_dir::read(data)?;
            let key = data_dir::signer(data, &genesis)?;
            let snapshot = file.snapshot()?;
            let to = to.unwrap_or(snapshot.size());
            if *from == 0 || *from > to {
                bail!("--from must be between 1 and {to}");
            }
            let path = snapshot.consistency_proof(*from, to)?;
            ProofBundle::Consistency {
                from_size: *from,
                to_size: to,
                path: path.iter().map(|hash| hash.to_hex()).collect(),
                from_checkpoint: data_dir::sign_checkpoint(&key, &genesis, &snapshot, *from)?,
                to_checkpoint: data_dir::sign_checkpoint(&key, &genesis, &snapshot, to)?,
            }
        }
    };
    // The bundle's one spelling (FORMAT.md 7): canonical JSON and a line feed.
    std::io::stdout().write_all(&bundle.to_file()?)?;
    Ok(())
}

/// `kaohe verify-proof`.
pub fn verify_proof(args: &VerifyProofArgs) -> Result<ExitCode> {
    let key = read_key(&args.key)?;
    // Reading stops past the largest proof, so a huge file is not read whole.
    let mut bytes = Vec::new();
    File::open(&args.file)
        .and_then(|file| {
            file.take(PROOF_FILE_BYTES_MAX as u64 + 1)
                .read_to_end(&mut bytes)
        })
        .with_context(|| format!("cannot read {}", args.file.display()))?;
    match ProofBundle::from_file(&bytes).and_then(|bundle| bundle.verify(&key)) {
        Ok(Proven::Inclusion {
            position,
            leaf,
            size,
            root,
        }) => {
            passed("checkpoint signature", &format!("by {}", key.to_text()));
            passed(
                "inclusion",
                &format!(
                    "event {position} (leaf {leaf}) is in the ledger of {size} events, root {root}"
                ),
            );
            Ok(ExitCode::SUCCESS)
        }
        Ok(Proven::Consistency { from, to }) => {
            passed(
                "checkpoint signature",
                &format!("both by {}", key.to_text()),
            );
            passed(
                "consistency",
                &format!(
                    "the ledger of {} events (root {}) is a prefix of the ledger of {} events (root {})",
                    from.size, from.root, to.size, to.root
                ),
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(error) => {
            failed("proof", &error.to_string());
            println!("NOT VERIFIED: {error}");
            Ok(ExitCode::from(1))
        }
    }
}
