//! `kaohe token`: the office issues, revokes and lists bearer tokens. Each issue and
//! revocation is a ledger event; the token's secret is shown once and only its hash is kept.
//! With a server running on the ledger, the request goes to it through the data directory's
//! socket.

use std::path::{Path, PathBuf};

use anyhow::{Result, bail};
use clap::{Args, Subcommand};
use kaohe_engine::Engine;
use serde_json::{Value, json};

use crate::{admin, data_dir};

/// The `kaohe token` subcommands.
#[derive(Subcommand)]
pub enum TokenCommand {
    /// Issue a token to a person; it is printed once and cannot be shown again.
    #[command(after_help = "Example:\n  kaohe token issue --data ./kaohe-demo --person p027")]
    Issue(IssueArgs),
    /// Revoke a token; from then on it signs no one in.
    #[command(
        after_help = "Example:\n  kaohe token revoke --data ./kaohe-demo 019d…ad00 --reason '本人报告遗失'"
    )]
    Revoke(RevokeArgs),
    /// List every token: its id, person, and whether it is revoked.
    #[command(after_help = "Example:\n  kaohe token list --data ./kaohe-demo")]
    List(ListArgs),
}

/// Arguments of `kaohe token issue`.
#[derive(Args)]
pub struct IssueArgs {
    /// The ledger's data directory.
    #[arg(long, value_name = "DIR")]
    pub data: PathBuf,
    /// Whom the token signs in.
    #[arg(long, value_name = "ID")]
    pub person: String,
    /// The office member who issues it.
    #[arg(long, value_name = "ID", default_value = "office")]
    pub by: String,
}

/// Arguments of `kaohe token revoke`.
#[derive(Args)]
pub struct RevokeArgs {
    /// The ledger's data directory.
    #[arg(long, value_name = "DIR")]
    pub data: PathBuf,
    /// The token's id (as `kaohe token list` shows it).
    pub token_id: uuid::Uuid,
    /// Why.
    #[arg(long)]
    pub reason: String,
    /// The office member who revokes it.
    #[arg(long, value_name = "ID", default_value = "office")]
    pub by: String,
}

/// Arguments of `kaohe token list`.
#[derive(Args)]
pub struct ListArgs {
    /// The ledger's data directory.
    #[arg(long, value_name = "DIR")]
    pub data: PathBuf,
}

/// Run `request` against the ledger in `data`: opened here when no server holds it, else
/// through the server's socket.
fn with_ledger(data: &Path, request: Value) -> Result<Value> {
    if !data_dir::ledger_path(data).exists() {
        bail!(
            "no ledger in {}: create one with `kaohe init`",
            data.display()
        );
    }
    let store = match kaohe_store::Store::open(
        &data_dir::ledger_path(data),
        kaohe_store::StoreOptions::default(),
    ) {
        Ok(store) => store,
        Err(kaohe_store::OpenError::InUse(_)) => return admin::request(data, &request),
        Err(error) => return Err(anyhow::Error::new(error).context("cannot open the ledger")),
    };
    let engine = Engine::open(store, std::sync::Arc::new(jiff::Timestamp::now))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let answer = runtime.block_on(async {
        let text = |field: &str| request[field].as_str().unwrap_or_default().to_owned();
        match request["op"].as_str() {
            Some("issue_token") => {
                let (issued, executed) =
                    engine.issue_token(&text("by"), &text("person_id")).await?;
                anyhow::Ok(json!({
                    "token_id": issued.token_id,
                    "person_id": issued.person_id,
                    "token": issued.text,
                    "position": executed.events[0].position,
                }))
            }
            Some("revoke_token") => {
                let token_id = uuid::Uuid::parse_str(&text("token_id"))?;
                let executed = engine
                    .revoke_token(&text("by"), token_id, &text("reason"))
                    .await?;
                Ok(json!({"position": executed.events[0].position}))
            }
            _ => Ok(json!({"tokens": admin::list(&engine)})),
        }
    })?;
    Ok(answer)
}

/// `kaohe token`.
pub fn run(command: &TokenCommand) -> Result<()> {
    match command {
        TokenCommand::Issue(args) => {
            let answer = with_ledger(
                &args.data,
                json!({"op": "issue_token", "person_id": args.person, "by": args.by}),
            )?;
            println!("{}", answer["token"].as_str().unwrap_or_default());
            eprintln!(
                "issued token {} to {} (event {}); hand it over now: it cannot be shown again",
                answer["token_id"].as_str().unwrap_or_default(),
                args.person,
                answer["position"]
            );
        }
        TokenCommand::Revoke(args) => {
            let answer = with_ledger(
                &args.data,
                json!({"op": "revoke_token", "token_id": args.token_id, "reason": args.reason, "by": args.by}),
            )?;
            eprintln!(
                "revoked token {} (event {})",
                args.token_id, answer["position"]
            );
        }
        TokenCommand::List(args) => {
            let answer = with_ledger(&args.data, json!({"op": "list_tokens"}))?;
            for token in answer["tokens"].as_array().into_iter().flatten() {
                println!(
                    "{}  {:<10} {}",
                    token["token_id"].as_str().unwrap_or_default(),
                    token["person_id"].as_str().unwrap_or_default(),
                    if token["revoked_by"].is_null() {
                        "valid"
                    } else {
                        "revoked"
                    }
                );
            }
        }
    }
    Ok(())
}
