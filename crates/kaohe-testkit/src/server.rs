//! The township served: the service's router over the engine, requests sent through
//! `Router::oneshot` (or over a socket on loopback) on a runtime of the test's own, and every
//! answer read whole.

use std::collections::BTreeMap;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request};
use kaohe_assess::Command;
use kaohe_server::{AppState, Limits};
use serde_json::Value;
use tempfile::TempDir;
use tokio::runtime::Runtime;
use tower::ServiceExt;
use uuid::Uuid;

use crate::clock::ScriptedClock;
use crate::engine::EngineTown;
use crate::ledger::signer;

/// An answer: status, content type, body.
#[derive(Debug)]
pub struct Answer {
    /// The status code.
    pub status: u16,
    /// The `content-type` header, empty if there is none.
    pub content_type: String,
    /// The body.
    pub body: Vec<u8>,
    /// Every header.
    pub headers: axum::http::HeaderMap,
}

impl Answer {
    /// The body as JSON (`null` if it is not JSON).
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }

    /// The problem code, if the answer is a problem.
    pub fn code(&self) -> Option<String> {
        (self.content_type == kaohe_server::PROBLEM_JSON)
            .then(|| self.json()["code"].as_str().map(str::to_owned))
            .flatten()
    }
}

/// Send `request` through `router` on `runtime`, and read the answer whole.
pub fn send(runtime: &Runtime, router: Router, request: Request<Body>) -> Answer {
    runtime.block_on(async move {
        let response = router.oneshot(request).await.expect("the router answers");
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get("content-type")
            .map(|value| String::from_utf8_lossy(value.as_bytes()).into_owned())
            .unwrap_or_default();
        let headers = response.headers().clone();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .expect("the body is read")
            .to_vec();
        Answer {
            status,
            content_type,
            body,
            headers,
        }
    })
}

/// A runtime for a served township: several worker threads, as `kaohe serve` runs.
pub fn runtime() -> Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(4)
        .enable_all()
        .build()
        .expect("a runtime")
}

/// A served township.
pub struct Town {
    /// What the service holds: the engine, the signing key, the limits.
    pub state: AppState,
    /// The clock the engine and its store read.
    pub clock: ScriptedClock,
    /// Each person's bearer token.
    pub tokens: BTreeMap<String, String>,
    /// Events of the set-up the tests name.
    pub ids: BTreeMap<&'static str, Uuid>,
    /// The type and id of every event the set-up recorded, in order.
    pub recorded: Vec<(String, Uuid)>,
    /// The runtime requests are sent on.
    pub runtime: Runtime,
    /// The data directory, for a ledger on disk.
    pub dir: Option<TempDir>,
}

impl Town {
    /// `town` served with `limits`, its checkpoints signed by the township's key, requests
    /// sent on `runtime`.
    pub fn serve_on(town: EngineTown, limits: Limits, runtime: Runtime) -> Town {
        let EngineTown {
            engine,
            clock,
            tokens,
            ids,
            recorded,
            dir,
        } = town;
        Town {
            state: AppState {
                engine,
                signer: Some(Arc::new(signer())),
                limits,
            },
            clock,
            tokens,
            ids,
            recorded,
            runtime,
            dir,
        }
    }

    /// Set the clock to `time` (RFC 3339).
    pub fn at(&self, time: &str) {
        self.clock.set(time);
    }

    /// The ledger's size.
    pub fn size(&self) -> u64 {
        self.state.engine.store().head().unwrap().size
    }

    /// Send a request through the router as `person` (or no one), with a JSON `body`.
    pub fn send(
        &self,
        method: Method,
        path: &str,
        person: Option<&str>,
        body: Option<&str>,
    ) -> Answer {
        let mut request = Request::builder().method(method).uri(path);
        if let Some(person) = person {
            request = request.header("authorization", format!("Bearer {}", self.tokens[person]));
        }
        let request = match body {
            Some(body) => request
                .header("content-type", "application/json")
                .body(Body::from(body.to_owned())),
            None => request.body(Body::empty()),
        }
        .unwrap();
        self.raw(request)
    }

    /// Send a request built by the test.
    pub fn raw(&self, request: Request<Body>) -> Answer {
        send(
            &self.runtime,
            kaohe_server::router(self.state.clone()),
            request,
        )
    }

    /// GET `path` as `person` (or no one).
    pub fn get(&self, path: &str, person: Option<&str>) -> Answer {
        self.send(Method::GET, path, person, None)
    }

    /// POST the JSON `body` to `path` as `person`.
    pub fn post(&self, path: &str, person: &str, body: &str) -> Answer {
        self.send(Method::POST, path, Some(person), Some(body))
    }

    /// Decide a command straight through the engine (set-up, not under test); returns the ids
    /// of its events.
    pub fn must(&self, person: &str, command: Command) -> Vec<Uuid> {
        let engine = self.state.engine.clone();
        let executed = self
            .runtime
            .block_on(engine.execute(person, command.clone(), None))
            .unwrap_or_else(|error| panic!("{command:?} by {person}: {error}"));
        executed.events.iter().map(|event| event.id).collect()
    }

    /// The office issues `person` a token, which the town keeps.
    pub fn issue_token(&mut self, person: &str) {
        let engine = self.state.engine.clone();
        let (issued, _) = self
            .runtime
            .block_on(engine.issue_token("office", person))
            .unwrap_or_else(|error| panic!("no token for {person}: {error}"));
        self.tokens.insert(person.into(), issued.text);
    }

    /// Serve on a loopback port; returns the address.
    pub fn serve(&self) -> std::net::SocketAddr {
        let listener = self
            .runtime
            .block_on(kaohe_server::bind("127.0.0.1:0".parse().unwrap()))
            .unwrap();
        let addr = listener.local_addr().unwrap();
        let state = self.state.clone();
        self.runtime.spawn(async move {
            kaohe_server::serve(listener, state, std::future::pending()).await
        });
        addr
    }
}
