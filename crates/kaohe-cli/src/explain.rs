//! `kaohe explain`: one judgment and everything it rested on, in order, each with its
//! inclusion proof checked against the ledger's signed checkpoint.

use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Args;
use kaohe_assess::explain::explain;
use kaohe_ledger::hash::leaf_hash;
use kaohe_ledger::merkle::verify_inclusion;
use kaohe_ledger::note::Checkpoint;
use serde_json::json;
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
    let store = data_dir::open(&args.data)?;
    let snapshot = store.snapshot()?;
    // The checkpoint the proofs are checked against: one signed now for the current size when
    // the key is here, else the latest stored one.
    let (_, note) = match data_dir::signer(&args.data, &store) {
        Ok(key) => {
            let size = snapshot.size();
            (
                size,
                data_dir::sign_checkpoint(&key, &store, &snapshot, size)?,
            )
        }
        Err(_) => snapshot
            .checkpoints()?
            .pop()
            .context("no signing key here and no stored checkpoint to prove against")?,
    };
    let checkpoint = Checkpoint::open(&note, &store.genesis().verifier_key)
        .context("the checkpoint does not verify with the ledger's key")?;
    let events = data_dir::read_events(&snapshot)?;
    let explanation = explain(&events, id, args.person.as_deref())?;
    let steps = &explanation.steps;
    let mut proven = Vec::with_capacity(steps.len());
    for step in steps {
        if step.position >= checkpoint.size {
            proven.push(None);
            continue;
        }
        let leaf = leaf_hash(&snapshot.event(step.position)?);
        let path = snapshot.inclusion_proof(step.position, checkpoint.size)?;
        verify_inclusion(
            &leaf,
            step.position,
            checkpoint.size,
            &path,
            &checkpoint.root,
        )
        .with_context(|| format!("the proof of event {} fails", step.position))?;
        proven.push(Some((leaf, path)));
    }
    if args.json {
        let steps: Vec<_> = steps
            .iter()
            .zip(&proven)
            .map(|(step, proof)| {
                json!({
                    "position": step.position,
                    "id": step.id.to_string(),
                    "type": step.event_type,
                    "business_time": step.business_time,
                    "actor": step.actor,
                    "summary": step.summary,
                    "relation": step.relation.as_str(),
                    "leaf_hash": proof.as_ref().map(|(leaf, _)| leaf.to_hex()),
                    "inclusion_proof": proof.as_ref().map(|(_, path)| path.iter().map(|hash| hash.to_hex()).collect::<Vec<_>>()),
                })
            })
            .collect();
        let out = json!({
            "event": id.to_string(),
            "subject": explanation.subject,
            "checkpoint": note,
            "steps": steps,
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(());
    }
    match &explanation.subject {
        Some(subject) => println!("explaining event {id} about {subject}"),
        None => println!("explaining event {id}"),
    }
    println!(
        "against the signed checkpoint of {} events, root {}",
        checkpoint.size, checkpoint.root
    );
    for (step, proof) in steps.iter().zip(&proven) {
        let proof = match proof {
            Some((_, path)) => format!("proof ok ({} hashes)", path.len()),
            None => "after the checkpoint".into(),
        };
        println!(
            "{:>7}  {}  {:<17} {:<15} {:<24} {}  [{}]",
            step.position,
            step.business_time,
            step.relation.as_str(),
            step.event_type,
            step.actor,
            step.summary,
            proof
        );
    }
    let included = proven.iter().filter(|proof| proof.is_some()).count();
    println!(
        "{included} of {} steps proven included in the signed ledger; none of them can have changed since",
        steps.len()
    );
    Ok(())
}
