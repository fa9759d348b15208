//! The ledger explorer, for the overseers: events a page at a time; one event with its
//! canonical JSON, leaf hash, chain link and inclusion proof checked against the signed
//! checkpoint; and the current checkpoint to copy and keep.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use kaohe_ledger::hash::leaf_hash;
use kaohe_ledger::merkle::verify_inclusion;
use kaohe_ledger::note::Checkpoint;
use serde::Deserialize;
use serde_json::Value;

use super::{Layout, PageError, PageSession, blocking, render};
use crate::AppState;
use crate::ledger::checkpoint_for;

/// Events shown on one page of the explorer.
pub const EXPLORER_PAGE_EVENTS: u64 = 50;

/// One row of the explorer.
struct Row {
    position: u64,
    time: String,
    event_type: String,
    actor: String,
    summary: String,
}

#[derive(Template)]
#[template(path = "ledger.html")]
struct LedgerPage {
    layout: Layout,
    rows: Vec<Row>,
    page: u64,
    pages: u64,
    size: u64,
}

/// The query of the explorer.
#[derive(Deserialize)]
pub struct LedgerQuery {
    page: Option<u64>,
}

/// `GET /ledger`: a page of events, the latest page by default.
pub async fn page(
    State(state): State<AppState>,
    PageSession(viewer): PageSession,
    Query(query): Query<LedgerQuery>,
) -> Result<Response, PageError> {
    viewer.require(
        viewer.is_overseer(),
        "台账浏览供书记、镇长、党委、党政办、纪检使用",
    )?;
    let store = state.engine.store().clone();
    let (size, rows) = blocking(move || {
        let snapshot = store.snapshot()?;
        let size = snapshot.size();
        let pages = size.div_ceil(EXPLORER_PAGE_EVENTS).max(1);
        let page = query.page.unwrap_or(pages).clamp(1, pages);
        let mut rows = Vec::new();
        snapshot.for_each_event((page - 1) * EXPLORER_PAGE_EVENTS, |position, bytes| {
            let event: Value = serde_json::from_slice(bytes).unwrap_or(Value::Null);
            rows.push(Row {
                position,
                time: event["business_time"].as_str().unwrap_or_default().into(),
                event_type: event["type"].as_str().unwrap_or_default().into(),
                actor: event["actor"]["person_id"]
                    .as_str()
                    .unwrap_or_default()
                    .into(),
                summary: kaohe_assess::summary::describe(&event),
            });
            (rows.len() as u64) < EXPLORER_PAGE_EVENTS
        })?;
        Ok((size, (page, rows)))
    })
    .await?;
    let (page, rows) = rows;
    Ok(render(
        StatusCode::OK,
        &LedgerPage {
            layout: Layout::new(&state, "台账", Some(&viewer)),
            rows,
            page,
            pages: size.div_ceil(EXPLORER_PAGE_EVENTS).max(1),
            size,
        },
    ))
}

#[derive(Template)]
#[template(path = "event.html")]
struct EventPage {
    layout: Layout,
    position: u64,
    size: u64,
    canonical: String,
    event_type: String,
    summary: String,
    leaf: String,
    previous_hash: String,
    previous_leaf: Option<String>,
    proof: Vec<String>,
    checkpoint_size: u64,
    proven: bool,
    id: String,
}

impl EventPage {
    /// Whether the event's previous hash is the leaf hash of the event before it.
    fn links(&self) -> bool {
        self.previous_leaf.as_deref() == Some(self.previous_hash.as_str())
    }
}

/// `GET /ledger/events/{position}`.
pub async fn event(
    State(state): State<AppState>,
    PageSession(viewer): PageSession,
    Path(position): Path<u64>,
) -> Result<Response, PageError> {
    viewer.require(
        viewer.is_overseer(),
        "台账浏览供书记、镇长、党委、党政办、纪检使用",
    )?;
    let app = state.clone();
    let page = blocking(move || {
        let snapshot = app.engine.store().snapshot()?;
        let bytes = snapshot.event(position)?;
        let leaf = leaf_hash(&bytes);
        let previous_leaf = match position {
            0 => None,
            _ => Some(snapshot.leaf(position - 1)?.to_hex()),
        };
        let note = checkpoint_for(&app, &snapshot, snapshot.size())?;
        let checkpoint = Checkpoint::open(&note, &app.engine.store().genesis().verifier_key)
            .map_err(crate::ApiError::internal)?;
        let path = snapshot.inclusion_proof(position, checkpoint.size)?;
        let proven =
            verify_inclusion(&leaf, position, checkpoint.size, &path, &checkpoint.root).is_ok();
        let event: Value = serde_json::from_slice(&bytes).map_err(crate::ApiError::internal)?;
        Ok(EventPage {
            layout: Layout::new(&app, format!("事件 {position}"), None),
            position,
            size: snapshot.size(),
            canonical: String::from_utf8_lossy(&bytes).into_owned(),
            event_type: event["type"].as_str().unwrap_or_default().into(),
            summary: kaohe_assess::summary::describe(&event),
            leaf: leaf.to_hex(),
            previous_hash: event["previous_hash"].as_str().unwrap_or_default().into(),
            previous_leaf,
            proof: path.iter().map(|hash| hash.to_hex()).collect(),
            checkpoint_size: checkpoint.size,
            proven,
            id: event["id"].as_str().unwrap_or_default().into(),
        })
    })
    .await?;
    let mut page = page;
    page.layout = Layout::new(&state, format!("事件 {position}"), Some(&viewer));
    Ok(render(StatusCode::OK, &page))
}

#[derive(Template)]
#[template(path = "checkpoint.html")]
struct CheckpointPage {
    layout: Layout,
    note: String,
    size: u64,
    root: String,
    key: String,
}

/// `GET /ledger/checkpoint`: the signed checkpoint of the current size, to copy and keep.
pub async fn checkpoint(
    State(state): State<AppState>,
    PageSession(viewer): PageSession,
) -> Result<Response, PageError> {
    let app = state.clone();
    let (note, size, root) = blocking(move || {
        let snapshot = app.engine.store().snapshot()?;
        let note = checkpoint_for(&app, &snapshot, snapshot.size())?;
        let checkpoint = Checkpoint::open(&note, &app.engine.store().genesis().verifier_key)
            .map_err(crate::ApiError::internal)?;
        Ok((note, checkpoint.size, checkpoint.root.to_hex()))
    })
    .await?;
    Ok(render(
        StatusCode::OK,
        &CheckpointPage {
            layout: Layout::new(&state, "签名检查点", Some(&viewer)),
            note,
            size,
            root,
            key: state.engine.store().genesis().verifier_key.to_text(),
        },
    ))
}
