//! The office's channel to a running server: a Unix socket in the data directory, readable and
//! writable by the data directory's owner only, that takes one JSON request a line and answers
//! one JSON line. `kaohe token` goes through it while `kaohe serve` holds the ledger, so that
//! tokens are issued and revoked without stopping the service.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use kaohe_engine::Engine;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use uuid::Uuid;

use crate::output::with_causes;

/// The socket's name inside a data directory.
pub const SOCKET_FILE: &str = "admin.sock";

/// The longest request line accepted.
const REQUEST_BYTES_MAX: u64 = 16 * 1024;

/// The socket of a data directory.
pub fn socket_path(data: &Path) -> PathBuf {
    data.join(SOCKET_FILE)
}

/// What a request asks.
async fn handle(engine: &Engine, request: &Value) -> Value {
    let text = |field: &str| request[field].as_str().unwrap_or_default().to_owned();
    match request["op"].as_str() {
        Some("issue_token") => match engine.issue_token(&text("by"), &text("person_id")).await {
            Ok((issued, executed)) => json!({
                "ok": true,
                "token_id": issued.token_id,
                "person_id": issued.person_id,
                "token": issued.text,
                "position": executed.events[0].position,
            }),
            Err(error) => json!({"ok": false, "error": with_causes(&error)}),
        },
        Some("revoke_token") => match Uuid::parse_str(&text("token_id")) {
            Err(_) => {
                json!({"ok": false, "error": format!("{} is not a token id", text("token_id"))})
            }
            Ok(token_id) => match engine
                .revoke_token(&text("by"), token_id, &text("reason"))
                .await
            {
                Ok(executed) => json!({"ok": true, "position": executed.events[0].position}),
                Err(error) => json!({"ok": false, "error": with_causes(&error)}),
            },
        },
        Some("list_tokens") => json!({"ok": true, "tokens": list(engine)}),
        _ => json!({"ok": false, "error": "unknown request"}),
    }
}

/// Every token the ledger knows, as JSON.
pub fn list(engine: &Engine) -> Vec<Value> {
    engine.read(|state| {
        state
            .tokens
            .iter()
            .map(|(id, token)| {
                json!({
                    "token_id": id,
                    "person_id": token.person_id,
                    "issued_by": token.issued_by,
                    "revoked_by": token.revoked_by,
                })
            })
            .collect()
    })
}

/// Listen on the data directory's socket until the runtime stops; the socket is made
/// owner-only before anyone can connect.
pub async fn listen(data: &Path, engine: Engine) -> Result<tokio::task::JoinHandle<()>> {
    let path = socket_path(data);
    // A socket left by a server that did not stop cleanly: the ledger's lock, already held
    // by this process, says no other server uses it.
    let _ = std::fs::remove_file(&path);
    let listener = {
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let listener = tokio::net::UnixListener::bind(&path)
                .with_context(|| format!("cannot listen on {}", path.display()))?;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
            listener
        }
    };
    Ok(tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let engine = engine.clone();
            tokio::spawn(async move {
                let (reader, mut writer) = stream.into_split();
                let mut line = String::new();
                let mut reader =
                    BufReader::new(tokio::io::AsyncReadExt::take(reader, REQUEST_BYTES_MAX));
                if reader.read_line(&mut line).await.is_err() {
                    return;
                }
                let answer = match serde_json::from_str::<Value>(&line) {
                    Ok(request) => handle(&engine, &request).await,
                    Err(error) => {
                        json!({"ok": false, "error": format!("not a JSON request: {error}")})
                    }
                };
                let _ = writer.write_all(format!("{answer}\n").as_bytes()).await;
            });
        }
    }))
}

/// Send one request to the server holding the ledger in `data`, and return its answer.
pub fn request(data: &Path, request: &Value) -> Result<Value> {
    use std::io::{BufRead, Write};
    let path = socket_path(data);
    let mut stream = std::os::unix::net::UnixStream::connect(&path).with_context(|| {
        format!(
            "the ledger in {} is held by another process, and its server does not answer on {}",
            data.display(),
            path.display()
        )
    })?;
    stream.write_all(format!("{request}\n").as_bytes())?;
    let mut line = String::new();
    std::io::BufReader::new(stream).read_line(&mut line)?;
    let answer: Value = serde_json::from_str(&line).context("the server's answer is not JSON")?;
    if answer["ok"] != true {
        bail!("{}", answer["error"].as_str().unwrap_or("refused"));
    }
    Ok(answer)
}
