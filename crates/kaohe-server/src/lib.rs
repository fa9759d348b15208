//! The kaohe HTTP service: every command and view of the rules, and the ledger endpoints an
//! outside verifier or mirror needs, as JSON under `/v1/`, described by an OpenAPI 3.1
//! document generated from what registers the routes: the command table and its structs, and
//! the annotations of the other handlers. Every request goes through the same limits; every
//! error is `application/problem+json`.
//!
//! Architecture Invariant: this is the only crate that serves HTTP (`serve`, `bind`): others
//! run the service through them, and the mirror and the bench make requests as clients.

mod auth;
mod commands;
mod error;
mod input;
mod ledger;
mod openapi;
pub mod pages;
mod views;

use std::net::SocketAddr;
use std::sync::{Arc, LazyLock};
use std::time::Duration;

use axum::Router;
use axum::error_handling::HandleErrorLayer;
use axum::http::StatusCode;
use axum::routing::get;
use kaohe_engine::Engine;
use kaohe_ledger::note::SignerKey;
use tower::ServiceBuilder;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::timeout::TimeoutLayer;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub use error::{ApiError, PROBLEM_JSON};

/// The service's limits; each is a setting with a documented default (docs/ARCHITECTURE.md).
#[derive(Clone, Copy, Debug)]
pub struct Limits {
    /// The most events one page of `/v1/ledger/events` returns.
    pub page_events_max: u64,
    /// Requests handled at once; more are answered 503 `overloaded` at once.
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
    /// The rules over the open ledger.
    pub engine: Engine,
    /// The signing key, to sign checkpoints of sizes not yet stored; without it only the
    /// stored checkpoints are served.
    pub signer: Option<Arc<SignerKey>>,
    /// The limits.
    pub limits: Limits,
}

/// The documented routes: every command (a line of `commands::ROUTES` each), view and ledger
/// endpoint.
fn api() -> OpenApiRouter<AppState> {
    let commands = commands::ROUTES.iter().fold(
        OpenApiRouter::with_openapi(openapi::base()),
        |api, route| api.routes(openapi::command(route)),
    );
    commands
        // Views.
        .routes(routes!(views::me))
        .routes(routes!(views::roster))
        .routes(routes!(views::appeal_queue))
        .routes(routes!(views::leader_month))
        .routes(routes!(views::quarter_board))
        .routes(routes!(views::notice))
        .routes(routes!(views::person_year))
        .routes(routes!(views::pay_effects))
        .routes(routes!(views::replay))
        .routes(routes!(views::explain))
        // The ledger.
        .routes(routes!(ledger::head))
        .routes(routes!(ledger::checkpoint))
        .routes(routes!(ledger::events))
        .routes(routes!(ledger::event))
        .routes(routes!(ledger::event_by_id))
        .routes(routes!(ledger::inclusion_proof))
        .routes(routes!(ledger::consistency_proof))
        .routes(routes!(ledger::export))
}

/// The OpenAPI document of every route under `/v1/`.
pub fn openapi_document() -> utoipa::openapi::OpenApi {
    openapi::finish(api().split_for_parts().1)
}

/// The document as served, built once.
static OPENAPI_JSON: LazyLock<String> = LazyLock::new(|| {
    openapi_document()
        .to_pretty_json()
        .expect("the OpenAPI document serialises")
});

/// The one path outside `/v1/` and the pages: the document itself.
pub const UNDOCUMENTED_PATHS: &[&str] = &["/openapi.json"];

async fn overloaded(_: tower::BoxError) -> ApiError {
    ApiError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        "overloaded",
        "too many requests in flight; try again shortly",
    )
}

/// Answer every request with 503 while the engine's state may hold events the ledger refused
/// (a failed commit after which the ledger could not be read back; `Engine::unavailable`):
/// such a state is neither shown nor decided against.
async fn refuse_while_unavailable(
    axum::extract::State(state): axum::extract::State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    if !state.engine.may_be_unavailable() {
        return next.run(request).await;
    }
    let engine = state.engine.clone();
    // While unavailable, each request tries to fold the ledger again.
    let unavailable = tokio::task::spawn_blocking(move || engine.unavailable())
        .await
        .unwrap_or_else(|error| Some(kaohe_engine::ExecuteError::Panicked(error)));
    match unavailable {
        Some(_) => ApiError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "unavailable",
            "the ledger cannot be read now; nothing is shown or recorded until it can",
        )
        .into_response(),
        None => next.run(request).await,
    }
}

/// The service's routes with its limits applied.
pub fn router(state: AppState) -> Router {
    let limits = state.limits;
    let (api, _) = api().split_for_parts();
    Router::new()
        .merge(pages::routes())
        .route(
            "/openapi.json",
            get(|| async {
                (
                    [(axum::http::header::CONTENT_TYPE, "application/json")],
                    OPENAPI_JSON.as_str(),
                )
            }),
        )
        .merge(api)
        .fallback(pages::not_found)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            pages::error_pages_know_the_session,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            refuse_while_unavailable,
        ))
        .with_state(state)
        .layer(RequestBodyLimitLayer::new(limits.request_body_bytes_max))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            limits.request_time_max,
        ))
        .layer(
            ServiceBuilder::new()
                .layer(HandleErrorLayer::new(overloaded))
                .load_shed()
                .concurrency_limit(limits.requests_in_flight_max),
        )
        .layer(axum::middleware::map_response(
            error::problem_for_bare_errors,
        ))
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
