//! `kaohe replay`: rebuild a quarter's designations and sanctions from the events alone and
//! compare them with what was recorded.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;
use kaohe_assess::period::Quarter;
use kaohe_engine::report::replay_report;

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

/// `kaohe replay`.
pub fn run(args: &ReplayArgs) -> Result<ExitCode> {
    let quarter: Quarter = args
        .quarter
        .parse()
        .with_context(|| format!("--quarter {} is not a quarter like 2026-Q1", args.quarter))?;
    let (file, _) = data_dir::read(&args.data)?;
    let snapshot = file.snapshot()?;
    // Each event is folded as it is read; only the state is kept.
    let (state, events) = match kaohe_engine::fold_while(&snapshot, |_| true) {
        Ok(folded) => folded,
        Err(kaohe_engine::OpenError::Fold(error)) => {
            println!("DIFFERENT: the rules cannot fold the ledger: {error}");
            return Ok(ExitCode::from(1));
        }
        Err(error) => return Err(error.into()),
    };
    if !state.decisions.contains_key(&quarter) {
        println!("{quarter} has no decision in force: nothing to replay");
        return Ok(ExitCode::from(1));
    }
    let report = replay_report(&state, quarter, events);
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
    } else {
        println!("replaying {quarter} from {} events", report.events);
        for designation in &report.designations {
            let status = if designation.stands {
                "final"
            } else {
                "overturned on appeal"
            };
            println!(
                "  {:<5} {} {}  {status}",
                designation.kind.as_str(),
                designation.person_id,
                designation.name
            );
        }
        println!(
            "  {} sanctions derived, {} recorded and matching",
            report.derived_sanctions, report.matched
        );
        for difference in &report.differences {
            println!("  {difference}");
        }
        for finding in &report.findings {
            println!("  finding for review ({}): {}", finding.code, finding.text);
        }
        if report.matches {
            println!(
                "MATCH: the recorded designations and sanctions are exactly what the rules derive"
            );
        } else {
            println!("DIFFERENT: {} differences", report.differences.len());
        }
    }
    Ok(if report.matches {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}
