//! A small township behind the service, for the API tests: a ledger with a clock the test
//! moves, an engine over it, one person of each role with a bearer token, and requests sent
//! through `Router::oneshot` or over a real socket on loopback.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use axum::body::Body;
use axum::http::{Method, Request};
use jiff::civil::date;
use kaohe_assess::Command;
use kaohe_assess::commands::{
    AssignArea, AssignRole, AssignSupervision, CosignDecision, FileAppeal, GiveOpinion, Nominate,
    ProposeDecision, PublishDecision, RegisterPerson, SubmitSheet, WriteEntry,
};
use kaohe_engine::Engine;
use kaohe_ledger::genesis::{LedgerCreated, default_policy};
use kaohe_ledger::note::SignerKey;
use kaohe_server::{AppState, Limits};
use kaohe_store::{Store, StoreOptions};
use serde_json::Value;
use tower::ServiceExt;

/// Who is in the township, and their role.
pub const PEOPLE: &[(&str, &str)] = &[
    ("p001", "cadre"),
    ("p002", "cadre"),
    ("p003", "cadre"),
    ("l01", "supervising_leader"),
    ("l02", "supervising_leader"),
    ("c01", "area_chief"),
    ("c02", "area_chief"),
    ("s01", "party_secretary"),
    ("m01", "mayor"),
    ("w01", "party_committee"),
    ("i01", "discipline_inspector"),
    ("office", "office"),
];

/// A served township.
pub struct Town {
    pub state: AppState,
    pub clock: Arc<AtomicI64>,
    /// Each person's token.
    pub tokens: BTreeMap<String, String>,
    /// Ids the tests need: named events of the setup.
    pub ids: BTreeMap<&'static str, String>,
    pub runtime: tokio::runtime::Runtime,
    pub dir: tempfile::TempDir,
}

/// An answer: status, content type, body.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub content_type: String,
    pub body: Vec<u8>,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }

    /// The problem code, if the answer is a problem.
    pub fn code(&self) -> Option<String> {
        (self.content_type == "application/problem+json")
            .then(|| self.json()["code"].as_str().map(str::to_owned))
            .flatten()
    }
}

impl Town {
    /// Set the clock to an RFC 3339 time.
    pub fn at(&self, time: &str) {
        let time: jiff::Timestamp = time.parse().unwrap();
        self.clock.store(time.as_millisecond(), Ordering::SeqCst);
    }

    pub fn size(&self) -> u64 {
        self.state.engine.store().head().unwrap().size
    }

    /// Send a request through the router, as `person` (or no one).
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
        oneshot(&self.runtime, &self.state, request)
    }

    pub fn get(&self, path: &str, person: Option<&str>) -> Answer {
        self.send(Method::GET, path, person, None)
    }

    pub fn post(&self, path: &str, person: &str, body: &str) -> Answer {
        self.send(Method::POST, path, Some(person), Some(body))
    }

    /// Decide a command straight through the engine (setup, not under test).
    pub fn must(&self, person: &str, command: Command) -> Vec<String> {
        let engine = self.state.engine.clone();
        let executed = self
            .runtime
            .block_on(engine.execute(person, command.clone(), None))
            .unwrap_or_else(|error| panic!("{command:?} by {person}: {error}"));
        executed
            .events
            .iter()
            .map(|event| event.id.to_string())
            .collect()
    }

    /// Serve on a loopback port; returns the address.
    pub fn serve(&self) -> std::net::SocketAddr {
        let listener = self
            .runtime
            .block_on(kaohe_server::bind("127.0.0.1:0".parse().unwrap()))
            .unwrap();
        let addr = listener.local_addr().unwrap();
        let router = kaohe_server::router(self.state.clone());
        self.runtime
            .spawn(async move { axum::serve(listener, router).await });
        addr
    }
}

/// Send `request` through the router over `state`, on `runtime`.
pub fn oneshot(
    runtime: &tokio::runtime::Runtime,
    state: &AppState,
    request: Request<Body>,
) -> Answer {
    let router = kaohe_server::router(state.clone());
    runtime.block_on(async move {
        let response = router.oneshot(request).await.unwrap();
        let status = response.status().as_u16();
        let content_type = response
            .headers()
            .get("content-type")
            .map(|value| value.to_str().unwrap().to_owned())
            .unwrap_or_default();
        let body = axum::body::to_bytes(response.into_body(), usize::MAX)
            .await
            .unwrap()
            .to_vec();
        Answer {
            status,
            content_type,
            body,
        }
    })
}

/// The township, with the clock at 2026-04-01T08:00: roster, March's records of three
/// cadres, their March sheets, the area chiefs' opinions and l01's nominations of March.
pub fn town() -> Town {
    town_with(Limits::default())
}

/// Event 0 of the township's ledger, whose checkpoints `key` signs.
pub fn genesis(key: &SignerKey) -> kaohe_ledger::event::EventDraft {
    LedgerCreated {
        id: uuid::Uuid::now_v7(),
        organisation: "示范镇",
        key: &key.verifier(),
        time_zone: "Asia/Shanghai",
        policy: default_policy("2026-01-01"),
        business_time: "2026-01-01T08:00:00+08:00",
        person_id: "office",
    }
    .draft()
}

pub fn town_with(limits: Limits) -> Town {
    let dir = tempfile::tempdir().unwrap();
    let key = SignerKey::from_seed("kaohe.test/api", [4; 32]).unwrap();
    let genesis = genesis(&key);
    let clock = Arc::new(AtomicI64::new(0));
    let reading = Arc::clone(&clock);
    let clock_fn: kaohe_store::Clock = Arc::new(move || {
        jiff::Timestamp::from_millisecond(reading.load(Ordering::SeqCst)).unwrap()
    });
    let store = Store::create(
        &dir.path().join("ledger.redb"),
        &genesis,
        StoreOptions {
            clock: Arc::clone(&clock_fn),
            ..StoreOptions::default()
        },
    )
    .unwrap();
    let engine = Engine::open(store, clock_fn).unwrap();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(4)
        .enable_all()
        .build()
        .unwrap();
    let mut town = Town {
        state: AppState {
            engine,
            signer: Some(Arc::new(key)),
            limits,
        },
        clock,
        tokens: BTreeMap::new(),
        ids: BTreeMap::new(),
        runtime,
        dir,
    };
    town.at("2026-01-02T09:00:00+08:00");
    for (person, role) in PEOPLE {
        if *person != "office" {
            town.must(
                "office",
                Command::RegisterPerson(RegisterPerson {
                    person_id: (*person).into(),
                    name: format!("{person}名"),
                }),
            );
            town.must(
                "office",
                Command::AssignRole(AssignRole {
                    person_id: (*person).into(),
                    role: (*role).parse().unwrap(),
                    from: date(2026, 1, 1),
                    until: None,
                }),
            );
        }
        let engine = town.state.engine.clone();
        let (issued, _) = town
            .runtime
            .block_on(engine.issue_token("office", person))
            .unwrap();
        town.tokens.insert((*person).into(), issued.text);
    }
    for (cadre, leader, area, chief) in [
        ("p001", "l01", "东片", "c01"),
        ("p002", "l01", "东片", "c01"),
        ("p003", "l02", "西片", "c02"),
    ] {
        town.must(
            "office",
            Command::AssignSupervision(AssignSupervision {
                person_id: cadre.into(),
                leader_id: leader.into(),
                from: date(2026, 1, 1),
            }),
        );
        town.must(
            "office",
            Command::AssignArea(AssignArea {
                person_id: cadre.into(),
                area: area.into(),
                chief_id: chief.into(),
                from: date(2026, 1, 1),
            }),
        );
    }
    // March: two entries each, the last sheet of March handed in, opinions heard.
    for (day, names) in [(2, ["e1", "e2", "e3"]), (31, ["f1", "f2", "f3"])] {
        town.at(&format!("2026-03-{day:02}T18:00:00+08:00"));
        for (cadre, name) in ["p001", "p002", "p003"].into_iter().zip(names) {
            let id = town.must(
                cadre,
                Command::WriteEntry(WriteEntry {
                    date: date(2026, 3, day),
                    did: format!("3月{day}日到东风村走访低保户三户"),
                    learned: "核实了家庭收入变化".into(),
                }),
            );
            town.ids.insert(name, id[0].clone());
        }
    }
    town.at("2026-03-31T20:00:00+08:00");
    for (cadre, chief) in [("p001", "c01"), ("p002", "c01"), ("p003", "c02")] {
        town.must(
            cadre,
            Command::SubmitSheet(SubmitSheet {
                period: "2026-03-3".parse().unwrap(),
            }),
        );
        let id = town.must(
            chief,
            Command::GiveOpinion(GiveOpinion {
                cadre_id: cadre.into(),
                month: "2026-03".parse().unwrap(),
                opinion: "群众反映较好".into(),
            }),
        );
        town.ids.insert(
            match cadre {
                "p001" => "o1",
                "p002" => "o2",
                _ => "o3",
            },
            id[0].clone(),
        );
    }
    town.at("2026-04-01T08:00:00+08:00");
    for (kind, cadre, cited) in [
        (kaohe_assess::state::Kind::Best, "p001", "f1"),
        (kaohe_assess::state::Kind::Worst, "p002", "f2"),
    ] {
        town.must(
            "l01",
            Command::Nominate(Nominate {
                month: "2026-03".parse().unwrap(),
                kind,
                cadre_id: cadre.into(),
                reason: "依据本月记录和片长意见".into(),
                cited_ids: vec![town.ids[cited].parse().unwrap()],
                override_reason: None,
            }),
        );
    }
    town
}

/// One HTTP/1.1 request over a plain socket; returns (status, lower-cased head, body).
pub fn http(
    addr: std::net::SocketAddr,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&str>,
) -> (u16, String, Vec<u8>) {
    let mut stream = std::net::TcpStream::connect(addr).unwrap();
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    if let Some(token) = token {
        head.push_str(&format!("Authorization: Bearer {token}\r\n"));
    }
    if let Some(body) = body {
        head.push_str(&format!(
            "Content-Type: application/json\r\nContent-Length: {}\r\n",
            body.len()
        ));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    if let Some(body) = body {
        stream.write_all(body.as_bytes()).unwrap();
    }
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    let split = response
        .windows(4)
        .position(|window| window == b"\r\n\r\n")
        .unwrap();
    let head = String::from_utf8(response[..split].to_vec())
        .unwrap()
        .to_ascii_lowercase();
    let mut body = response[split + 4..].to_vec();
    if head.contains("transfer-encoding: chunked") {
        body = dechunk(&body);
    }
    let status = head[9..12].parse().unwrap();
    (status, head, body)
}

fn dechunk(mut body: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let line_end = body
            .windows(2)
            .position(|window| window == b"\r\n")
            .unwrap();
        let size =
            usize::from_str_radix(std::str::from_utf8(&body[..line_end]).unwrap(), 16).unwrap();
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&body[line_end + 2..line_end + 2 + size]);
        body = &body[line_end + 2 + size + 2..];
    }
}

/// A header's value from a lower-cased head.
pub fn header(head: &str, name: &str) -> Option<String> {
    head.lines()
        .find_map(|line| line.strip_prefix(&format!("{name}: ")).map(str::to_owned))
}

/// Every page, with the township decided, published and appealed.
pub fn pages(town: &Town) -> Vec<String> {
    let mut pages: Vec<String> = [
        "/",
        "/signin",
        "/record",
        "/record?month=2026-03",
        "/leader/2026-03",
        "/chief/2026-03",
        "/decide/2026-Q1",
        "/quarters/2026-Q1",
        "/quarters/2026-Q1/notice",
        "/quarters/2026-Q1/replay",
        "/appeals",
        "/people/p001/2026",
        "/people/p002/2026",
        "/ledger",
        "/ledger?page=1",
        "/ledger/events/3",
        "/ledger/checkpoint",
        "/exports/quarters/2026-Q1.xlsx",
        "/exports/quarters/2026-Q1/rankings.csv",
        "/exports/years/2026.xlsx",
        "/exports/years/2026/pay.csv",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    pages.push(format!("/explain/{}?person=p002", town.ids["cosign"]));
    pages.push(format!("/explain/{}", town.ids["e1"]));
    pages
}

/// The township, its first quarter decided, published and appealed.
pub fn decided() -> Town {
    let mut town = town();
    town.at("2026-04-02T09:00:00+08:00");
    let proposal = town.must(
        "s01",
        kaohe_assess::Command::ProposeDecision(ProposeDecision {
            quarter: "2026-Q1".parse().unwrap(),
            best: vec!["p001".into()],
            worst: vec!["p002".into()],
        }),
    );
    let cosigned = town.must(
        "m01",
        kaohe_assess::Command::CosignDecision(CosignDecision {
            quarter: "2026-Q1".parse().unwrap(),
            proposal_id: proposal[0].parse().unwrap(),
        }),
    );
    town.ids.insert("cosign", cosigned[0].clone());
    town.must(
        "office",
        kaohe_assess::Command::PublishDecision(PublishDecision {
            quarter: "2026-Q1".parse().unwrap(),
            notice: "现予公示".into(),
        }),
    );
    town.at("2026-04-03T09:00:00+08:00");
    town.must(
        "p002",
        kaohe_assess::Command::FileAppeal(FileAppeal {
            quarter: "2026-Q1".parse().unwrap(),
            person_id: "p002".into(),
            kind: kaohe_assess::state::Kind::Worst,
            grounds: "一月外出培训".into(),
        }),
    );
    town
}
