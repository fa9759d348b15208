//! The `kaohe` command: the demo, create and serve a ledger, issue tokens, sign checkpoints,
//! export, verify and prove, replay a quarter and explain a judgment.

#[cfg(unix)]
mod admin;
mod data_dir;
mod demo;
mod explain;
mod init;
mod mirror;
mod output;
mod prove;
mod replay;
mod seed;
mod serve;
mod token;
mod verify;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// kaohe: a tamper-evident audit ledger for township staff assessment (一记三评三奖惩).
#[derive(Parser)]
#[command(
    name = "kaohe",
    version,
    about,
    long_about = None,
    after_help = "Getting started:\n  kaohe demo                                  build the demo township and serve it on 127.0.0.1:8620\n  kaohe init --data ./ledger --org 示范镇      a new ledger of your own\n  kaohe token issue --data ./ledger --person p001\n  kaohe serve --data ./ledger\n  kaohe verify ./ledger                       check that the history is complete and unaltered\n\nEvery command's help shows an example: kaohe help <command>"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the demo township ledger on first run (reused afterwards) and serve it.
    #[command(
        after_help = "Example:\n  kaohe demo\n  kaohe demo --data /tmp/demo --addr 127.0.0.1:9000"
    )]
    Demo(demo::DemoArgs),
    /// Build the demo township ledger in a new data directory, deterministic for a seed.
    #[command(after_help = "Example:\n  kaohe seed-demo --data ./demo --seed 7")]
    SeedDemo(demo::SeedDemoArgs),
    /// Serve a ledger: the pages people use, the API under /v1/ and its description at
    /// /openapi.json.
    #[command(after_help = "Example:\n  kaohe serve --data ./ledger --addr 127.0.0.1:8620")]
    Serve(serve::ServeArgs),
    /// Create a new ledger: its signing key and event 0 (organisation, origin, key, policy).
    #[command(after_help = "Example:\n  kaohe init --data ./ledger --org 示范镇")]
    Init(init::InitArgs),
    /// Sign a checkpoint of the ledger's current size and root, store it and print it.
    #[command(after_help = "Example:\n  kaohe checkpoint --data ./ledger > 2026-Q1.checkpoint")]
    Checkpoint {
        /// The ledger's data directory.
        #[arg(long, value_name = "DIR")]
        data: PathBuf,
    },
    /// Write the whole ledger as one self-contained file: a canonical event per line, then a
    /// signed checkpoint line.
    #[command(after_help = "Example:\n  kaohe export --data ./ledger --out ledger.jsonl")]
    Export {
        /// The ledger's data directory.
        #[arg(long, value_name = "DIR")]
        data: PathBuf,
        /// The file to write (replaced atomically if it exists).
        #[arg(long, value_name = "FILE")]
        out: PathBuf,
    },
    /// Verify a data directory or an export: canonical form, hashes, chain, Merkle root and
    /// checkpoints. Exits 0 only if every check passes.
    #[command(
        after_help = "Examples:\n  kaohe verify ./ledger\n  kaohe verify ledger.jsonl --checkpoint 2026-Q1.checkpoint --key 'origin+1a2b3c4d+AW...'"
    )]
    Verify(verify::VerifyArgs),
    /// Print an inclusion or consistency proof with the signed checkpoints it rests on.
    #[command(
        subcommand,
        after_help = "Examples:\n  kaohe prove inclusion --data ./ledger --seq 42 > proof.json\n  kaohe prove consistency --data ./ledger --from 1000 > proof.json"
    )]
    Prove(prove::ProveCommand),
    /// Show what one judgment rested on and what followed from it, in order, each step proven
    /// in the signed ledger.
    #[command(
        after_help = "Examples:\n  kaohe explain --data ./ledger 01a2022a-2498-74b2-ade4-71e3224fb01e\n  kaohe explain --data ./ledger --person p027 01a2022a-2498-74b2-ade4-71e3224fb01e --json"
    )]
    Explain(explain::ExplainArgs),
    /// Rebuild a quarter's designations and sanctions from the events alone and compare them
    /// with what was recorded. Exits 0 only on a full match.
    #[command(after_help = "Example:\n  kaohe replay --data ./ledger --quarter 2026-Q1")]
    Replay(replay::ReplayArgs),
    /// Follow a served ledger and keep a verified copy; refuse, with evidence saved, any served
    /// history that is not an extension of the copy.
    #[command(
        after_help = "Example:\n  kaohe mirror --from http://10.0.0.5:8620 --data ./mirror --token-file inspector.token --key 'kaohe.demo/shifanzhen+502b4ab2+AT3N…'\n\nExit codes: 0 in step (with --once), 1 the served history was refused, 2 anything else."
    )]
    Mirror(mirror::MirrorArgs),
    /// Issue, revoke or list the bearer tokens people sign in with (the office).
    #[command(
        subcommand,
        after_help = "Examples:\n  kaohe token issue --data ./ledger --person p027\n  kaohe token list --data ./ledger\n  kaohe token revoke --data ./ledger TOKEN_ID --reason '本人报告遗失'"
    )]
    Token(token::TokenCommand),
    /// Check a proof printed by `kaohe prove`, offline, against the ledger's verifier key.
    #[command(
        after_help = "Example:\n  kaohe verify-proof proof.json --key 'origin+1a2b3c4d+AW...'"
    )]
    VerifyProof(prove::VerifyProofArgs),
}

/// Run the command line; the exit code is 0 on success, 1 when a verification fails, 2 on
/// any other error.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Demo(args) => demo::run(&args).map(|()| ExitCode::SUCCESS),
        Command::SeedDemo(args) => demo::seed_demo(&args).map(|()| ExitCode::SUCCESS),
        Command::Serve(args) => serve::run(&args).map(|()| ExitCode::SUCCESS),
        Command::Init(args) => init::run(&args).map(|()| ExitCode::SUCCESS),
        Command::Checkpoint { data } => data_dir::checkpoint(&data).map(|()| ExitCode::SUCCESS),
        Command::Export { data, out } => data_dir::export(&data, &out).map(|()| ExitCode::SUCCESS),
        Command::Verify(args) => verify::run(&args),
        Command::Prove(command) => prove::run(&command).map(|()| ExitCode::SUCCESS),
        Command::Explain(args) => explain::run(&args).map(|()| ExitCode::SUCCESS),
        Command::Replay(args) => replay::run(&args),
        Command::VerifyProof(args) => prove::verify_proof(&args),
        Command::Token(command) => token::run(&command).map(|()| ExitCode::SUCCESS),
        Command::Mirror(args) => mirror::run(&args),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
    }
}
