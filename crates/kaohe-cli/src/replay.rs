//! `kaohe replay`: rebuild a quarter's designations and sanctions from the events alone and
//! compare them with what was recorded.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;
use kaohe_assess::period::Quarter;
use kaohe_assess::sanctions::{Difference, replay};
use kaohe_assess::{Fact, State};
use serde_json::json;

use crate::data_dir;

/// Arguments of `kaohe replay`.
#[derive(Args)]
pub struct ReplayArgs {
    /// The ledger's data directory.
    #[arg(long, value_name = "DIR")]
    pub data: PathBuf,
    /// The quarter, e.g. 2026-Q1.
    #[arg(long, value_name = "YYYY-QN")]
    pub quarter: String,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

fn describe(difference: &Difference) -> String {
    match difference {
        Difference::Missing(expected) => format!(
            "missing: {} {} (follows from {}) is not recorded",
            expected.person_id,
            expected.sanction,
            expected
                .causes
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Difference::Unexpected {
            id,
            person_id,
            sanction,
            without_cause,
        } => format!(
            "unexpected: {person_id} {sanction} (event {id}) {}",
            if *without_cause {
                "names no cause"
            } else {
                "does not follow from the final designations"
            }
        ),
        Difference::Mismatch { id, expected } => format!(
            "mismatch: event {id} records {} {} with other figures or causes than the rules derive ({:?}, {:?})",
            expected.person_id, expected.sanction, expected.bonus_bp, expected.rectify_by
        ),
        Difference::Designation(text) => format!("designation: {text}"),
    }
}

/// `kaohe replay`.
pub fn run(args: &ReplayArgs) -> Result<ExitCode> {
    let quarter: Quarter = args
        .quarter
        .parse()
        .with_context(|| format!("--quarter {} is not a quarter like 2026-Q1", args.quarter))?;
    let store = data_dir::open(&args.data)?;
    let snapshot = store.snapshot()?;
    let events = data_dir::read_events(&snapshot)?;
    let state = match State::from_events(events.iter().map(Fact::from)) {
        Ok(state) => state,
        Err(error) => {
            println!("DIFFERENT: the rules cannot fold the ledger: {error}");
            return Ok(ExitCode::from(1));
        }
    };
    if !state.decisions.contains_key(&quarter) {
        println!("{quarter} has no decision in force: nothing to replay");
        return Ok(ExitCode::from(1));
    }
    let report = replay(&state, quarter);
    let matches = report.differences.is_empty();
    if args.json {
        let out = json!({
            "quarter": quarter.to_string(),
            "events": events.len(),
            "designations": report.designations.iter().map(|(kind, person, last)| json!({
                "kind": kind.as_str(), "person_id": person, "final": last
            })).collect::<Vec<_>>(),
            "derived_sanctions": report.derived.len(),
            "matched": report.matched,
            "differences": report.differences.iter().map(describe).collect::<Vec<_>>(),
            "score_overrides": report.overrides.iter().map(|(id, leader, cadre, reason)| json!({
                "nomination": id.to_string(), "leader_id": leader, "cadre_id": cadre, "reason": reason
            })).collect::<Vec<_>>(),
            "match": matches,
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
    } else {
        println!("replaying {quarter} from {} events", events.len());
        for (kind, person, last) in &report.designations {
            let name = state
                .people
                .get(person)
                .map_or("", |person| person.name.as_str());
            let status = if *last {
                "final"
            } else {
                "overturned on appeal"
            };
            println!("  {:<5} {person} {name}  {status}", kind.as_str());
        }
        println!(
            "  {} sanctions derived, {} recorded and matching",
            report.derived.len(),
            report.matched
        );
        for difference in &report.differences {
            println!("  {}", describe(difference));
        }
        for (id, leader, cadre, reason) in &report.overrides {
            println!(
                "  finding for review: {leader} named {cadre} against the scores (event {id}): {reason}"
            );
        }
        if matches {
            println!(
                "MATCH: the recorded designations and sanctions are exactly what the rules derive"
            );
        } else {
            println!("DIFFERENT: {} differences", report.differences.len());
        }
    }
    Ok(if matches {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
