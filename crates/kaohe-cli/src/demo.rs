//! `kaohe demo`: build the demo township ledger on first run, then serve it.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::{Result, bail};
use clap::Args;
use kaohe_assess::Role;

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

/// The file of a demo directory that keeps the demo's sign-in tokens. Only the demo keeps
/// tokens: a real ledger keeps their hashes alone, and hands each token out once.
pub const DEMO_TOKENS_FILE: &str = "demo-tokens.txt";

/// One person of each role in the demo township.
pub const DEMO_PEOPLE: &[(&str, Role)] = &[
    ("p027", Role::Cadre),
    ("p012", Role::AreaChief),
    ("p001", Role::SupervisingLeader),
    ("p009", Role::PartySecretary),
    ("p010", Role::Mayor),
    ("p011", Role::PartyCommittee),
    ("office", Role::Office),
    ("p020", Role::DisciplineInspector),
];

/// The demo's tokens, one line each: `person role token`. Issued (as ledger events) the first
/// time, read back afterwards.
fn demo_tokens(data: &std::path::Path) -> Result<Vec<(String, String, String)>> {
    let path = data.join(DEMO_TOKENS_FILE);
    if !path.exists() {
        let store = crate::data_dir::open_with(
            data,
            kaohe_store::StoreOptions {
                clock: clock(Some(crate::seed::demo_now())),
                ..kaohe_store::StoreOptions::default()
            },
        )?;
        let engine = kaohe_engine::Engine::open(store, clock(Some(crate::seed::demo_now())))?;
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()?;
        let mut text = String::from(
            "# The demo township's sign-in tokens, one person of each role: person role token\n",
        );
        for (person, role) in DEMO_PEOPLE {
            let (issued, _) = runtime.block_on(engine.issue_token("office", person))?;
            text.push_str(&format!("{person} {role} {}\n", issued.text));
        }
        crate::data_dir::write_private_file(&path, &text)?;
    }
    let text = std::fs::read_to_string(&path)?;
    Ok(text
        .lines()
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| {
            let mut parts = line.split_whitespace();
            Some((
                parts.next()?.to_owned(),
                parts.next()?.to_owned(),
                parts.next()?.to_owned(),
            ))
        })
        .collect())
}

/// `kaohe demo`.
pub fn run(args: &DemoArgs) -> Result<()> {
    if ledger_path(&args.data).exists() {
        println!("using the demo ledger in {}", args.data.display());
    } else {
        refuse_existing(&args.data)?;
        crate::seed::build(&args.data, DEMO_SEED)?;
    }
    let tokens = demo_tokens(&args.data)?;
    // The demo township lives in January 2027: it is served on its own clock, from the
    // morning after its last day.
    serve(
        &args.data,
        args.addr,
        clock(Some(crate::seed::demo_now())),
        |local| {
            println!(
                "sign in as one person of each role: open the link, or send the token as 'Authorization: Bearer <token>'"
            );
            for (person, role, token) in &tokens {
                let name = DEMO_PEOPLE
                    .iter()
                    .find(|(known, _)| known == person)
                    .map_or("", |(_, role)| role.name_zh());
                println!("  {role:<21} {person:<7} http://{local}/signin?token={token}  {name}");
            }
        },
    )
}
