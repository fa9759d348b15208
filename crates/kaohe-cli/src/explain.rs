//! `kaohe explain`: one judgment and everything it rested on, in order, each with its
//! inclusion proof checked against the ledger's signed checkpoint.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;
use kaohe_engine::report::explain_report;
use uuid::Uuid;

use crate::data_dir;

/// Arguments of `kaohe explain`.
#[derive(Args)]
pub struct ExplainArgs {
    /// The ledger's data directory.
    #[arg(long, value_name = "DIR")]
    pub data: PathBuf,
    /// The id of the judgment to explain: a nomination, a quarterly decision (its proposal or
    /// co-signature), an appeal or its answer, a sanction.
    pub event_id: String,
    /// The person the explanation is about; by default the person the judgment names. Give it
    /// with a quarterly decision to explain one person's designation.
    #[arg(long, value_name = "ID")]
    pub person: Option<String>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

/// `kaohe explain`.
pub fn run(args: &ExplainArgs) -> Result<()> {
    let id = Uuid::parse_str(&args.event_id)
        .with_context(|| format!("{} is not an event id (a UUID)", args.event_id))?;
    let (file, genesis) = data_dir::read(&args.data)?;
    let snapshot = file.snapshot()?;
    // The checkpoint the proofs are checked against: one signed now for the current size when
    // the key is here, else the latest stored one.
    let (_, note) = match data_dir::signer(&args.data, &genesis) {
        Ok(key) => {
            let size = snapshot.size();
            (
                size,
                data_dir::sign_checkpoint(&key, &genesis, &snapshot, size)?,
            )
        }
        Err(_) => snapshot
            .checkpoints()?
            .pop()
            .context("no signing key here and no stored checkpoint to prove against")?,
    };
    let events = kaohe_engine::read_events(&snapshot)?;
    let report = explain_report(
        &snapshot,
        &events,
        id,
        args.person.as_deref(),
        &note,
        &genesis.verifier_key,
    )?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(());
    }
    match &report.subject {
        Some(subject) => println!("explaining event {id} about {subject}"),
        None => println!("explaining event {id}"),
    }
    println!(
        "against the signed checkpoint of {} events, root {}",
        report.checkpoint_size, report.root
    );
    for step in &report.steps {
        let proof = match &step.inclusion_proof {
            Some(path) => format!("proof ok ({} hashes)", path.len()),
            None => "after the checkpoint".into(),
        };
        println!(
            "{:>7}  {}  {:<17} {:<15} {:<24} {}  [{}]",
            step.position,
            step.business_time,
            step.relation,
            step.event_type,
            step.actor,
            step.summary,
            proof
        );
    }
    println!(
        "{} of {} steps proven included in the signed ledger; none of them can have changed since",
        report.proven,
        report.steps.len()
    );
    Ok(())
}
