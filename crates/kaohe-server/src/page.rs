//! The ledger's front page: what the ledger is, its head and checkpoint, and where the API is.
//! It shows no record (those are for the people signed in). Server-rendered, zh-CN, no script
//! and nothing loaded from outside.

use axum::extract::State;
use axum::response::Html;

use crate::ledger::blocking;
use crate::{ApiError, AppState};

/// Escape text for HTML element content and attribute values.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for character in text.chars() {
        match character {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}

/// `GET /`: the front page.
pub async fn index(State(state): State<AppState>) -> Result<Html<String>, ApiError> {
    let genesis = state.engine.store().genesis().clone();
    let (head, checkpoints) = blocking(move || {
        let snapshot = state.engine.store().snapshot()?;
        Ok((snapshot.head()?, snapshot.checkpoints()?))
    })
    .await?;
    let latest = checkpoints
        .last()
        .map(|(size, text)| {
            format!(
                "<p>最近一次签名检查点（{size} 条）：</p><pre>{}</pre>",
                escape(text)
            )
        })
        .unwrap_or_else(|| "<p>尚无签名检查点。</p>".into());
    Ok(Html(format!(
        r#"<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{organisation} · 考核台账</title>
<style>
body {{ font-family: "Noto Sans CJK SC", "Microsoft YaHei", sans-serif; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; color: #222; }}
h1 {{ font-size: 1.6rem; }} table {{ border-collapse: collapse; width: 100%; }}
td, th {{ border-bottom: 1px solid #ddd; padding: .35rem .5rem; text-align: left; vertical-align: top; }}
td.num {{ text-align: right; }} code, pre {{ font-size: .85rem; background: #f5f5f5; padding: .2rem .3rem; overflow-wrap: anywhere; white-space: pre-wrap; }}
dt {{ font-weight: bold; margin-top: .5rem; }}
</style>
</head>
<body>
<h1>{organisation} · 考核台账</h1>
<dl>
<dt>事件总数</dt><dd>{size}</dd>
<dt>默克尔根</dt><dd><code>{root}</code></dd>
<dt>来源（origin）</dt><dd><code>{origin}</code></dd>
<dt>验证公钥</dt><dd><code>{key}</code></dd>
</dl>
{latest}
<h2>核验接口</h2>
<ul>
<li><a href="/v1/ledger/head">/v1/ledger/head</a>：台账头（条数、根哈希），公开</li>
<li><a href="/v1/ledger/checkpoint">/v1/ledger/checkpoint</a>：当前签名检查点，公开，可保存备查</li>
<li>/v1/ledger/events?after=N&amp;limit=L：按序分页读取事件（每行一条规范 JSON），需纪检等监督角色的令牌</li>
<li>/v1/ledger/proofs/inclusion?position=N、/v1/ledger/proofs/consistency?from=M：包含证明与一致性证明</li>
<li>/v1/ledger/export：完整导出，可用 <code>kaohe verify</code> 离线核验</li>
<li><a href="/openapi.json">/openapi.json</a>：全部接口说明（OpenAPI 3.1）</li>
</ul>
</body>
</html>
"#,
        organisation = escape(&genesis.organisation),
        size = head.size,
        root = head.root,
        origin = escape(&genesis.origin),
        key = escape(&genesis.verifier_key.to_text()),
    )))
}
