//! Row 9: daily entries posted over loopback by 64 concurrent clients to the HTTP command API,
//! beside workload 2 through the library (64 threads appending drafts of the same entries to
//! a store), in alternating slices.
//!
//! The HTTP side is the whole path a cadre's browser or tool takes: a keep-alive connection, the
//! bearer token checked, the JSON body read, the rules deciding `WriteEntry` against the live
//! state, the engine queueing the event for the writer's group commit, and the 201 answer once
//! it is durable. Each client is a cadre posting the entry of the next day of their record.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, ensure};
use axum::body::Bytes;
use http_body_util::{BodyExt, Full};
use jiff::civil::{Date, date};
use kaohe_assess::Command;
use kaohe_assess::commands::{AssignRole, RegisterPerson};
use kaohe_engine::Engine;
use kaohe_ledger::genesis::{LedgerCreated, default_policy};
use kaohe_server::{AppState, Limits};
use kaohe_store::{Store, StoreOptions};

use crate::appends::{Plan, Pools, kaohe_side};
use crate::events::{Township, entry_lines};
use crate::report::{Goal, Row, rate};
use crate::slices::alternate;

/// The clients, as in row 2b.
const CLIENTS: usize = 64;
/// The first day of every cadre's record; each post is the next day, so a cadre has room
/// for decades of entries before "today".
const FIRST_DAY: Date = date(2000, 1, 1);
/// The server's "today": far enough on that every day posted is in the past.
const TODAY: &str = "2060-01-01T09:00:00+08:00";

/// The served ledger and what the clients need.
struct Served {
    addr: std::net::SocketAddr,
    tokens: Vec<String>,
    /// The next day each cadre posts.
    days: Vec<Mutex<Date>>,
    _server: tokio::runtime::Runtime,
}

fn serve(dir: &Path) -> Result<Served> {
    let today: jiff::Timestamp = TODAY.parse()?;
    let clock: kaohe_store::Clock = Arc::new(move || today);
    let key = Township::key();
    let genesis = LedgerCreated {
        id: uuid::Uuid::now_v7(),
        organisation: "示范镇",
        key: &key.verifier(),
        time_zone: "Asia/Shanghai",
        policy: default_policy("2000-01-01"),
        business_time: "2000-01-01T08:00:00+08:00",
        person_id: "office",
    }
    .draft();
    let store = Store::create(
        &dir.join("http.redb"),
        &genesis,
        StoreOptions {
            clock: Arc::clone(&clock),
            ..StoreOptions::default()
        },
    )
    .context("creating the HTTP ledger")?;
    let engine = Engine::open(store, clock)?;
    let server = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let mut tokens = Vec::with_capacity(CLIENTS);
    server.block_on(async {
        for client in 0..CLIENTS {
            let person = format!("k{client:02}");
            for command in [
                Command::RegisterPerson(RegisterPerson {
                    person_id: person.clone(),
                    name: format!("干部{client}"),
                }),
                Command::AssignRole(AssignRole {
                    person_id: person.clone(),
                    role: kaohe_assess::Role::Cadre.to_string(),
                    from: FIRST_DAY,
                    until: None,
                }),
            ] {
                engine.execute("office", command, None).await?;
            }
            let (issued, _) = engine.issue_token("office", &person).await?;
            tokens.push(issued.text);
        }
        anyhow::Ok(())
    })?;
    let listener = server.block_on(kaohe_server::bind("127.0.0.1:0".parse()?))?;
    let addr = listener.local_addr()?;
    let state = AppState {
        engine,
        signer: None,
        limits: Limits::default(),
    };
    // Served as `kaohe serve` serves it, until the runtime is dropped.
    server.spawn(kaohe_server::serve(listener, state, std::future::pending()));
    Ok(Served {
        addr,
        tokens,
        days: (0..CLIENTS).map(|_| Mutex::new(FIRST_DAY)).collect(),
        _server: server,
    })
}

/// One slice: every client posts its next entries, one request at a time, until `slice` is
/// over; returns entries per second.
fn post_slice(
    served: &Served,
    client: &hyper_util::client::legacy::Client<
        hyper_util::client::legacy::connect::HttpConnector,
        Full<Bytes>,
    >,
    runtime: &tokio::runtime::Runtime,
    lines: &[(String, String)],
    slice: Duration,
) -> Result<f64> {
    let done = Arc::new(AtomicUsize::new(0));
    let start = Instant::now();
    let deadline = start + slice;
    runtime.block_on(async {
        let mut tasks = Vec::with_capacity(CLIENTS);
        for index in 0..CLIENTS {
            let client = client.clone();
            let token = served.tokens[index].clone();
            let done = Arc::clone(&done);
            let url = format!("http://{}/v1/entries", served.addr);
            let mut day = *served.days[index].lock().expect("not poisoned");
            let lines = lines.to_vec();
            tasks.push(tokio::spawn(async move {
                let mut posted = 0usize;
                while Instant::now() < deadline {
                    let (did, learned) = &lines[(index + posted) % lines.len()];
                    let body = serde_json::json!({"date": day, "did": did, "learned": learned});
                    let request = axum::http::Request::post(&url)
                        .header("authorization", format!("Bearer {token}"))
                        .header("content-type", "application/json")
                        .body(Full::new(Bytes::from(body.to_string())))?;
                    let response = client.request(request).await?;
                    let status = response.status();
                    let answer = response.into_body().collect().await?.to_bytes();
                    ensure!(
                        status == 201,
                        "{status}: {}",
                        String::from_utf8_lossy(&answer)
                    );
                    day = day.tomorrow()?;
                    posted += 1;
                    done.fetch_add(1, Ordering::Relaxed);
                }
                anyhow::Ok(day)
            }));
        }
        for (index, task) in tasks.into_iter().enumerate() {
            let day = task.await??;
            *served.days[index].lock().expect("not poisoned") = day;
        }
        anyhow::Ok(())
    })?;
    Ok(done.load(Ordering::Relaxed) as f64 / start.elapsed().as_secs_f64())
}

/// Row 9.
pub fn run(dir: &Path, plan: &Plan) -> Result<Row> {
    eprintln!("row 9: 64 clients over HTTP against 64 through the library ...");
    let served = serve(dir)?;
    let client_runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let client = {
        let _entered = client_runtime.enter();
        hyper_util::client::legacy::Client::builder(hyper_util::rt::TokioExecutor::new())
            .pool_max_idle_per_host(CLIENTS)
            .build_http::<Full<Bytes>>()
    };
    // The same texts on both sides: the lines of generated entries.
    let lines = entry_lines(0x6b61_6f68_6509, 512);
    let library = Store::create(
        &dir.join("http-library.redb"),
        &Township::genesis(),
        StoreOptions::default(),
    )?;
    let pools = Mutex::new(Pools::new(9));
    let mut library_side = kaohe_side(&library, &pools, CLIENTS, plan.slice);
    let mut http_side = || post_slice(&served, &client, &client_runtime, &lines, plan.slice);
    let series = alternate(plan.rounds, &mut [&mut http_side, &mut library_side])?;
    Ok(Row::new(
        "9",
        "HTTP: entries posted by 64 clients over loopback",
        rate(series[0].median()),
        format!(
            "workload 2 through the library {}",
            rate(series[1].median())
        ),
        series[0].ratio_to(&series[1]),
        Goal::AtLeast(0.5),
    ))
}
