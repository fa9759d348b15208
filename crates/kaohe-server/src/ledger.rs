//! The ledger endpoints an outside verifier or a mirror needs: head, checkpoint, events by
//! range or one by one, proofs, export. Events are served as their exact canonical bytes, so a
//! client hashes what it receives. The head and the signed checkpoint are public (they hold
//! no record, and anyone may keep a checkpoint to check later); the events themselves are for
//! the overseers (a mirror signs in with an inspector's token).

use axum::Json;
use axum::body::{Body, Bytes};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use kaohe_ledger::bundle::ProofBundle;
use kaohe_ledger::note::Checkpoint;
use kaohe_ledger::verify::export_checkpoint_line;
use kaohe_store::Snapshot;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::auth::BearerSession;
use crate::{ApiError, AppState};

/// The media type of event pages and exports: one canonical event per line.
pub const JSON_LINES: &str = "application/jsonl";
/// The events a page returns when the client names no limit.
const PAGE_EVENTS_DEFAULT: u64 = 100;
/// The bytes an export stream sends at a time.
const EXPORT_CHUNK_BYTES: usize = 256 * 1024;

static LEDGER_SIZE: HeaderName = HeaderName::from_static("kaohe-ledger-size");
static NEXT_AFTER: HeaderName = HeaderName::from_static("kaohe-next-after");
static LEAF_HASH: HeaderName = HeaderName::from_static("kaohe-leaf-hash");

/// Run store work on a blocking thread: redb reads wait on the disk.
pub(crate) async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    tokio::task::spawn_blocking(work)
        .await
        .map_err(ApiError::internal)?
}

/// The signed checkpoint of `size`: the stored one, or one signed now when the key is here.
pub(crate) fn checkpoint_for(
    state: &AppState,
    snapshot: &Snapshot,
    size: u64,
) -> Result<String, ApiError> {
    if let Some((_, text)) = snapshot
        .checkpoints()?
        .into_iter()
        .find(|(stored, _)| *stored == size)
    {
        return Ok(text);
    }
    let Some(signer) = &state.signer else {
        return Err(ApiError {
            status: StatusCode::CONFLICT,
            code: "no_checkpoint",
            detail: format!(
                "no checkpoint of size {size} is stored and this server holds no signing key"
            ),
        });
    };
    let checkpoint = Checkpoint {
        origin: state.engine.store().genesis().origin.clone(),
        size,
        root: snapshot.root_at(size)?,
    };
    checkpoint.sign(signer).map_err(ApiError::internal)
}

/// The ledger's head and what event 0 says.
#[derive(Debug, Serialize, ToSchema)]
pub struct LedgerHead {
    /// The number of events.
    pub size: u64,
    /// The Merkle root over all of them, hexadecimal.
    pub root: String,
    /// The last event's leaf hash, hexadecimal.
    pub last_leaf: String,
    /// The origin line of its checkpoints.
    pub origin: String,
    /// The organisation.
    pub organisation: String,
    /// The checkpoint verifier key (C2SP vkey text).
    pub verifier_key: String,
    /// The IANA time zone that decides dates.
    pub time_zone: String,
}

/// The head: size, root, last leaf, and what event 0 says. Public.
#[utoipa::path(get, path = "/v1/ledger/head", tag = "ledger", security(()),
    responses((status = 200, description = "The head.", body = LedgerHead)))]
pub async fn head(State(state): State<AppState>) -> Result<Json<LedgerHead>, ApiError> {
    let store = state.engine.store().clone();
    let head = blocking(move || Ok(store.head()?)).await?;
    let genesis = state.engine.store().genesis();
    Ok(Json(LedgerHead {
        size: head.size,
        root: head.root.to_hex(),
        last_leaf: head.last_leaf.to_hex(),
        origin: genesis.origin.clone(),
        organisation: genesis.organisation.clone(),
        verifier_key: genesis.verifier_key.to_text(),
        time_zone: genesis.time_zone.clone(),
    }))
}

/// The signed checkpoint of the current size (C2SP signed note). Public.
#[utoipa::path(get, path = "/v1/ledger/checkpoint", tag = "ledger", security(()),
    responses((status = 200, description = "The signed checkpoint.", body = String, content_type = "text/plain")))]
pub async fn checkpoint(State(state): State<AppState>) -> Result<Response, ApiError> {
    let text = blocking(move || {
        let snapshot = state.engine.store().snapshot()?;
        checkpoint_for(&state, &snapshot, snapshot.size())
    })
    .await?;
    Ok(([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], text).into_response())
}

/// The query of `GET /v1/ledger/events`.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct EventsQuery {
    /// Return events after this position (default: from event 0).
    after: Option<u64>,
    /// How many (default 100, at most the page limit).
    limit: Option<u64>,
}

/// A page of events as JSON Lines of their exact canonical bytes; the ledger's size in
/// `Kaohe-Ledger-Size` and the position to continue after in `Kaohe-Next-After` (absent on
/// the last page). The overseers.
#[utoipa::path(get, path = "/v1/ledger/events", tag = "ledger", params(EventsQuery),
    responses((status = 200, description = "Events, one canonical JSON object a line.", body = String, content_type = "application/jsonl")))]
pub async fn events(
    State(state): State<AppState>,
    BearerSession(caller): BearerSession,
    Query(query): Query<EventsQuery>,
) -> Result<Response, ApiError> {
    caller.require_overseer("reading the ledger's events")?;
    let limit = query.limit.unwrap_or(PAGE_EVENTS_DEFAULT);
    if limit == 0 || limit > state.limits.page_events_max {
        return Err(ApiError::bad_request(format!(
            "limit must be between 1 and {}",
            state.limits.page_events_max
        )));
    }
    let start = match query.after {
        Some(after) => after
            .checked_add(1)
            .ok_or_else(|| ApiError::bad_request("after is too large"))?,
        None => 0,
    };
    let (size, body, last) = blocking(move || {
        let snapshot = state.engine.store().snapshot()?;
        let mut body = Vec::new();
        let mut last = None;
        let mut count = 0;
        snapshot.for_each_event(start, |position, bytes| {
            body.extend_from_slice(bytes);
            body.push(b'\n');
            last = Some(position);
            count += 1;
            count < limit
        })?;
        Ok((snapshot.size(), body, last))
    })
    .await?;
    let mut response = ([(header::CONTENT_TYPE, JSON_LINES)], body).into_response();
    let headers = response.headers_mut();
    headers.insert(LEDGER_SIZE.clone(), HeaderValue::from(size));
    if let Some(last) = last.filter(|last| last + 1 < size) {
        headers.insert(NEXT_AFTER.clone(), HeaderValue::from(last));
    }
    Ok(response)
}

fn event_response(bytes: Vec<u8>, leaf: kaohe_ledger::Hash) -> Response {
    let mut response = ([(header::CONTENT_TYPE, "application/json")], bytes).into_response();
    response.headers_mut().insert(
        LEAF_HASH.clone(),
        HeaderValue::from_str(&leaf.to_hex()).expect("hex is a header value"),
    );
    response
}

/// One event's canonical bytes, its leaf hash in `Kaohe-Leaf-Hash`. The overseers.
#[utoipa::path(get, path = "/v1/ledger/events/{position}", tag = "ledger",
    params(("position" = u64, Path, description = "The event's position.")),
    responses((status = 200, description = "The event's canonical JSON.", body = Object)))]
pub async fn event(
    State(state): State<AppState>,
    BearerSession(caller): BearerSession,
    Path(position): Path<u64>,
) -> Result<Response, ApiError> {
    caller.require_overseer("reading the ledger's events")?;
    let (bytes, leaf) = blocking(move || {
        let snapshot = state.engine.store().snapshot()?;
        Ok((snapshot.event(position)?, snapshot.leaf(position)?))
    })
    .await?;
    Ok(event_response(bytes, leaf))
}

/// The event with that id, as by position. The overseers.
#[utoipa::path(get, path = "/v1/ledger/events/by-id/{id}", tag = "ledger",
    params(("id" = Uuid, Path, description = "The event's id.")),
    responses((status = 200, description = "The event's canonical JSON.", body = Object)))]
pub async fn event_by_id(
    State(state): State<AppState>,
    BearerSession(caller): BearerSession,
    Path(id): Path<String>,
) -> Result<Response, ApiError> {
    caller.require_overseer("reading the ledger's events")?;
    let id =
        Uuid::parse_str(&id).map_err(|_| ApiError::bad_request(format!("{id} is not a UUID")))?;
    let (bytes, leaf) = blocking(move || {
        let snapshot = state.engine.store().snapshot()?;
        let position = snapshot
            .position_of(id)?
            .ok_or_else(|| ApiError::not_found(format!("no event {id}")))?;
        Ok((snapshot.event(position)?, snapshot.leaf(position)?))
    })
    .await?;
    Ok(event_response(bytes, leaf))
}

/// The query of `GET /v1/ledger/proofs/inclusion`.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct InclusionQuery {
    /// The event's position.
    position: u64,
    /// The ledger size to prove against (default: the current size).
    size: Option<u64>,
}

/// An inclusion proof bundle (docs/FORMAT.md §7): the event, its path, and the signed
/// checkpoint it is proven against. The overseers.
#[utoipa::path(get, path = "/v1/ledger/proofs/inclusion", tag = "ledger", params(InclusionQuery),
    responses((status = 200, description = "A proof bundle, as `kaohe prove` prints it.", body = Object)))]
pub async fn inclusion_proof(
    State(state): State<AppState>,
    BearerSession(caller): BearerSession,
    Query(query): Query<InclusionQuery>,
) -> Result<Response, ApiError> {
    caller.require_overseer("proofs of the ledger's events")?;
    let bundle = blocking(move || {
        let snapshot = state.engine.store().snapshot()?;
        let size = query.size.unwrap_or(snapshot.size());
        let path = snapshot.inclusion_proof(query.position, size)?;
        let event =
            String::from_utf8(snapshot.event(query.position)?).map_err(ApiError::internal)?;
        Ok(ProofBundle::Inclusion {
            position: query.position,
            size,
            event,
            path: path.iter().map(|hash| hash.to_hex()).collect(),
            checkpoint: checkpoint_for(&state, &snapshot, size)?,
        })
    })
    .await?;
    bundle_response(&bundle)
}

/// A proof bundle as `kaohe prove` prints it: its canonical JSON and a line feed.
fn bundle_response(bundle: &ProofBundle) -> Result<Response, ApiError> {
    let file = bundle.to_file().map_err(ApiError::internal)?;
    Ok(([(header::CONTENT_TYPE, "application/json")], file).into_response())
}

/// The query of `GET /v1/ledger/proofs/consistency`.
#[derive(Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ConsistencyQuery {
    /// The older size.
    from: u64,
    /// The newer size (default: the current size).
    to: Option<u64>,
}

/// A consistency proof bundle (docs/FORMAT.md §7): the ledger of size `from` is a prefix of
/// the one of size `to`, with both signed checkpoints. The overseers.
#[utoipa::path(get, path = "/v1/ledger/proofs/consistency", tag = "ledger", params(ConsistencyQuery),
    responses((status = 200, description = "A proof bundle, as `kaohe prove` prints it.", body = Object)))]
pub async fn consistency_proof(
    State(state): State<AppState>,
    BearerSession(caller): BearerSession,
    Query(query): Query<ConsistencyQuery>,
) -> Result<Response, ApiError> {
    caller.require_overseer("proofs of the ledger")?;
    let bundle = blocking(move || {
        let snapshot = state.engine.store().snapshot()?;
        let to = query.to.unwrap_or(snapshot.size());
        let path = snapshot.consistency_proof(query.from, to)?;
        Ok(ProofBundle::Consistency {
            from_size: query.from,
            to_size: to,
            path: path.iter().map(|hash| hash.to_hex()).collect(),
            from_checkpoint: checkpoint_for(&state, &snapshot, query.from)?,
            to_checkpoint: checkpoint_for(&state, &snapshot, to)?,
        })
    })
    .await?;
    bundle_response(&bundle)
}

/// The whole ledger as an export file (docs/FORMAT.md §6), streamed from one snapshot, for
/// `kaohe verify`. The overseers.
#[utoipa::path(get, path = "/v1/ledger/export", tag = "ledger",
    responses((status = 200, description = "The export: canonical events a line, then the checkpoint line.", body = String, content_type = "application/jsonl")))]
pub async fn export(
    State(state): State<AppState>,
    BearerSession(caller): BearerSession,
) -> Result<Response, ApiError> {
    caller.require_overseer("exporting the ledger")?;
    let (sender, receiver) = tokio::sync::mpsc::channel::<Result<Bytes, std::io::Error>>(4);
    let snapshot_state = state.clone();
    let snapshot = blocking(move || Ok(snapshot_state.engine.store().snapshot()?)).await?;
    // Signing reads the tree; quick, but still disk work.
    let (snapshot, text) = blocking(move || {
        let text = checkpoint_for(&state, &snapshot, snapshot.size())?;
        Ok((snapshot, text))
    })
    .await?;
    tokio::task::spawn_blocking(move || {
        let mut chunk = Vec::with_capacity(EXPORT_CHUNK_BYTES);
        let mut open = true;
        let result = snapshot.for_each_event(0, |_, bytes| {
            chunk.extend_from_slice(bytes);
            chunk.push(b'\n');
            if chunk.len() >= EXPORT_CHUNK_BYTES {
                let full = std::mem::replace(&mut chunk, Vec::with_capacity(EXPORT_CHUNK_BYTES));
                open = sender.blocking_send(Ok(Bytes::from(full))).is_ok();
            }
            open
        });
        if let Err(error) = result {
            let _ = sender.blocking_send(Err(std::io::Error::other(error.to_string())));
            return;
        }
        chunk.extend_from_slice(&export_checkpoint_line(&text));
        chunk.push(b'\n');
        let _ = sender.blocking_send(Ok(Bytes::from(chunk)));
    });
    let stream = futures_util::stream::unfold(receiver, |mut receiver| async move {
        receiver.recv().await.map(|item| (item, receiver))
    });
    Ok((
        [
            (header::CONTENT_TYPE, JSON_LINES),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"ledger.jsonl\"",
            ),
        ],
        Body::from_stream(stream),
    )
        .into_response())
}
