//! The kaohe HTTP service: the ledger endpoints an outside verifier or mirror needs, and the
//! ledger's front page. Every request goes through the same limits.
//!
//! Architecture Invariant: this is the only crate that knows HTTP.

mod error;
mod ledger;
mod page;

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::routing::get;
use kaohe_ledger::note::SignerKey;
use kaohe_store::Store;
use tower::limit::ConcurrencyLimitLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;

pub use error::ApiError;

/// The service's limits; each is a setting with a documented default.
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// The most events one page of `/v1/ledger/events` returns.
    pub page_events_max: u64,
    /// Requests handled at once; more wait.
    pub requests_in_flight_max: usize,
    /// The longest a request may take before it is answered 408.
    pub request_time_max: Duration,
    /// The largest request body accepted (413 beyond).
    pub request_body_bytes_max: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            page_events_max: 1000,
            requests_in_flight_max: 256,
            request_time_max: Duration::from_secs(30),
            request_body_bytes_max: 64 * 1024,
        }
    }
}

/// What every handler shares.
#[derive(Clone)]
pub struct AppState {
    /// The open ledger.
    pub store: Store,
    /// The signing key, to sign checkpoints of past sizes for proofs; without it only the
    /// stored checkpoints are served.
    pub signer: Option<Arc<SignerKey>>,
    /// The limits.
    pub limits: Limits,
}

/// The service's routes with its limits applied.
pub fn router(state: AppState) -> Router {
    let limits = state.limits;
    Router::new()
        .route("/", get(page::index))
        .route("/v1/ledger/head", get(ledger::head))
        .route("/v1/ledger/checkpoint", get(ledger::checkpoint))
        .route("/v1/ledger/events", get(ledger::events))
        .route("/v1/ledger/events/{position}", get(ledger::event))
        .route("/v1/ledger/events/by-id/{id}", get(ledger::event_by_id))
        .route("/v1/ledger/proofs/inclusion", get(ledger::inclusion_proof))
        .route(
            "/v1/ledger/proofs/consistency",
            get(ledger::consistency_proof),
        )
        .route("/v1/ledger/export", get(ledger::export))
        .fallback(error::not_found)
        .with_state(state)
        .layer(RequestBodyLimitLayer::new(limits.request_body_bytes_max))
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            limits.request_time_max,
        ))
        .layer(ConcurrencyLimitLayer::new(limits.requests_in_flight_max))
}

/// Serve until `shutdown` completes; requests under way are finished first, and the store's
/// writer answers every queued append before the store closes.
pub async fn serve(
    listener: tokio::net::TcpListener,
    state: AppState,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await
}

/// Bind `addr`, with a clear error when it is taken.
pub async fn bind(addr: SocketAddr) -> std::io::Result<tokio::net::TcpListener> {
    tokio::net::TcpListener::bind(addr).await
}

/// Install the Ctrl-C and SIGTERM handlers now, and return what completes when either
/// arrives. Installing before the server says it is ready means a signal sent as soon as it
/// is announced still shuts it down gracefully instead of killing it.
pub fn shutdown_signal() -> std::io::Result<impl std::future::Future<Output = ()> + Send + 'static>
{
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        let mut interrupt = signal(SignalKind::interrupt())?;
        let mut terminate = signal(SignalKind::terminate())?;
        Ok(async move {
            tokio::select! {
                _ = interrupt.recv() => {}
                _ = terminate.recv() => {}
            }
        })
    }
    #[cfg(not(unix))]
    {
        Ok(async {
            let _ = tokio::signal::ctrl_c().await;
        })
    }
}
