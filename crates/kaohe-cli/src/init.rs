//! `kaohe init`: a new data directory with its signing key and event 0.

use std::fs;
use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use clap::Args;
use kaohe_ledger::genesis::{LedgerCreated, default_policy};
use kaohe_ledger::note::SignerKey;
use kaohe_store::{Store, StoreOptions};
use uuid::Uuid;

use crate::data_dir::{KEY_FILE, ledger_path, write_private_file};

/// Arguments of `kaohe init`.
#[derive(Args)]
pub struct InitArgs {
    /// The data directory to create (it may exist, but must hold no ledger).
    #[arg(long, value_name = "DIR")]
    pub data: PathBuf,
    /// The organisation's name, e.g. 示范镇.
    #[arg(long, value_name = "NAME")]
    pub org: String,
    /// The origin string of the ledger's checkpoints (default: kaohe.ledger/<new UUID>).
    #[arg(long, value_name = "ORIGIN")]
    pub origin: Option<String>,
    /// The IANA time zone that decides dates and deadlines, spelled as the IANA database
    /// spells it (Asia/Shanghai, not asia/shanghai).
    #[arg(long, value_name = "ZONE", default_value = "Asia/Shanghai")]
    pub time_zone: String,
    /// The roster id of the office member creating the ledger.
    #[arg(long, value_name = "ID", default_value = "office")]
    pub person: String,
    /// When the scheme starts (RFC 3339 with offset; default: now).
    #[arg(long, value_name = "TIME")]
    pub business_time: Option<String>,
}

/// `kaohe init`.
pub fn run(args: &InitArgs) -> Result<()> {
    let ledger = ledger_path(&args.data);
    let key_path = args.data.join(KEY_FILE);
    if ledger.exists() {
        bail!("{} already holds a ledger", args.data.display());
    }
    if key_path.exists() {
        bail!(
            "{} already holds a signing key; move it away before creating a new ledger",
            args.data.display()
        );
    }
    let time_zone = kaohe_ledger::genesis::time_zone(&args.time_zone)?;
    let business_time = match &args.business_time {
        Some(text) => {
            text.parse::<jiff::Timestamp>().with_context(|| {
                format!("--business-time {text} is not an RFC 3339 time with offset")
            })?;
            text.clone()
        }
        None => jiff::Timestamp::now()
            .to_zoned(time_zone.clone())
            .strftime("%Y-%m-%dT%H:%M:%S%:z")
            .to_string(),
    };
    let effective_date = business_time
        .parse::<jiff::Timestamp>()?
        .to_zoned(time_zone)
        .date()
        .to_string();
    let origin = args
        .origin
        .clone()
        .unwrap_or_else(|| format!("kaohe.ledger/{}", Uuid::now_v7()));
    // The same rule as the schema's: origins go into checkpoint notes and key names.
    if origin.is_empty()
        || origin.len() > 200
        || !origin
            .bytes()
            .all(|byte| (b'!'..=b'~').contains(&byte) && byte != b'+')
    {
        bail!(
            "--origin {origin:?} must be 1 to 200 printable ASCII characters without spaces or '+'"
        );
    }
    let mut seed = [0u8; 32];
    getrandom::fill(&mut seed).map_err(|error| anyhow::anyhow!("no OS randomness: {error}"))?;
    let key = SignerKey::from_seed(&origin, seed)
        .with_context(|| format!("origin {origin:?} cannot name a key (no spaces or '+')"))?;
    let genesis = LedgerCreated {
        id: Uuid::now_v7(),
        organisation: &args.org,
        key: &key.verifier(),
        time_zone: &args.time_zone,
        policy: default_policy(&effective_date),
        business_time: &business_time,
        person_id: &args.person,
    }
    .draft();
    genesis.check().context("event 0 would be invalid")?;
    fs::create_dir_all(&args.data)
        .with_context(|| format!("cannot create {}", args.data.display()))?;
    write_private_file(&key_path, &format!("{}\n", key.to_text()))?;
    if let Err(error) = Store::create(&ledger, &genesis, StoreOptions::default()) {
        // Leave nothing half-made: a key without its ledger would block the next attempt.
        let _ = fs::remove_file(&key_path);
        let _ = fs::remove_file(&ledger);
        return Err(error).context("cannot create the ledger");
    }
    println!(
        "created the ledger of {} in {}",
        args.org,
        args.data.display()
    );
    println!("origin:       {origin}");
    println!("verifier key: {}", key.verifier().to_text());
    println!(
        "signing key:  {} (owner-only; keep a copy offline)",
        key_path.display()
    );
    Ok(())
}
