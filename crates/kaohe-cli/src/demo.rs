//! `kaohe demo`: build the demo township ledger on first run, then serve it.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::{Result, bail};
use clap::Args;

use crate::data_dir::{KEY_FILE, ledger_path};
use crate::serve::{DEFAULT_ADDR, clock, serve};

/// The seed of the demo `kaohe demo` builds.
pub const DEMO_SEED: u64 = 2026;

/// Arguments of `kaohe demo`.
#[derive(Args)]
pub struct DemoArgs {
    /// Where the demo ledger lives (built on first run, reused afterwards).
    #[arg(long, value_name = "DIR", default_value = "kaohe-demo")]
    pub data: PathBuf,
    /// Where to listen.
    #[arg(long, value_name = "HOST:PORT", default_value = DEFAULT_ADDR)]
    pub addr: SocketAddr,
}

/// Arguments of `kaohe seed-demo`.
#[derive(Args)]
pub struct SeedDemoArgs {
    /// The data directory to create the demo ledger in (it must hold no ledger).
    #[arg(long, value_name = "DIR")]
    pub data: PathBuf,
    /// The seed: the same seed gives the same ledger, byte for byte.
    #[arg(long, value_name = "N", default_value_t = DEMO_SEED)]
    pub seed: u64,
}

fn refuse_existing(data: &std::path::Path) -> Result<()> {
    if ledger_path(data).exists() {
        bail!("{} already holds a ledger", data.display());
    }
    if data.join(KEY_FILE).exists() {
        bail!(
            "{} holds a signing key but no ledger; remove it or choose another --data",
            data.display()
        );
    }
    Ok(())
}

/// `kaohe seed-demo`.
pub fn seed_demo(args: &SeedDemoArgs) -> Result<()> {
    refuse_existing(&args.data)?;
    crate::seed::build(&args.data, args.seed)
}

/// `kaohe demo`.
pub fn run(args: &DemoArgs) -> Result<()> {
    if ledger_path(&args.data).exists() {
        println!("using the demo ledger in {}", args.data.display());
    } else {
        refuse_existing(&args.data)?;
        crate::seed::build(&args.data, DEMO_SEED)?;
    }
    // The demo township lives in January 2027: it is served on its own clock, from the
    // morning after its last day.
    serve(&args.data, args.addr, clock(Some(crate::seed::demo_now())))
}
