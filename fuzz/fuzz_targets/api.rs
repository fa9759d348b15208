//! Fuzz target `api`: command bodies as JSON, posted to every command endpoint of the service
//! by the people of a small township (or with a bad token, or none), decided by the rules and
//! written to a ledger, as `kaohe serve` runs them: the router, its extractors and limits, the
//! engine, the store.
//!
//! A body is either raw bytes or a JSON object built from the endpoint's own fields, each
//! value usually of the field's kind (dates, months, periods, quarters, people, roles, ids of
//! events in the ledger, scores, a policy) and sometimes of any JSON type; fields are left out
//! or unknown ones added. Path parameters are ids of events in the ledger, people, periods,
//! quarters or any text; request ids come from a small pool, so retries happen. Days pass
//! between requests.
//!
//! For every answer:
//!
//! - it is never a server error (5xx): nothing here fails the disk, so every answer is a
//!   decision or a refusal of the input;
//! - a 201 is JSON naming events at consecutive positions from the ledger's size before, each
//!   stored with the id and leaf hash answered; a 200 (a retry answered from the ledger) and
//!   every refusal leave the ledger as it was;
//! - a refusal is `application/problem+json` with a status of 4xx and a `code`.
//!
//! At the end, the state folded from the ledger alone, after a full verification, equals the
//! engine's live state.

#![no_main]

use std::collections::BTreeMap;
use std::sync::{Arc, LazyLock};

use axum::body::Body;
use axum::http::{Method, Request};
use jiff::SignedDuration;
use jiff::civil::Date;
use kaohe_assess::Role;
use kaohe_engine::Engine;
use kaohe_fuzz::any_text;
use kaohe_ledger::genesis::default_policy;
use kaohe_server::{AppState, Limits, PROBLEM_JSON};
use kaohe_store::Store;
use kaohe_store::fault::SimulatedDisk;
use kaohe_testkit::engine::check_state;
use kaohe_testkit::server::{Answer, send};
use kaohe_testkit::{ENROLLED_AT, EngineTown, Roster, ScriptedClock, genesis, signer};
use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use serde_json::{Map, Value, json};
use uuid::Uuid;

/// The most requests an input sends.
const REQUESTS_MAX: u32 = 24;

/// Who is in the township (each in their role of `kaohe_testkit::PEOPLE`).
const PEOPLE: [&str; 9] = [
    "p001", "p002", "p003", "l01", "c01", "s01", "m01", "w01", "office",
];

/// What a field holds.
#[derive(Clone, Copy)]
enum Kind {
    Text,
    Date,
    OptionalDate,
    Month,
    Period,
    Quarter,
    Person,
    People,
    Role,
    Area,
    Rating,
    Outcome,
    /// The id of an event, usually of this type.
    Id(&'static str),
    /// Ids of events, usually of this type.
    Ids(&'static str),
    Scores,
    Policy,
    OptionalText,
}

/// A path segment's kind.
#[derive(Clone, Copy)]
enum Segment {
    Fixed(&'static str),
    /// The id of an event, usually of this type.
    Id(&'static str),
    Person,
    Period,
    Quarter,
}

/// A command endpoint: its path, its body's fields, and who would send it in the township.
struct Endpoint {
    path: &'static [Segment],
    fields: &'static [(&'static str, Kind)],
    actors: &'static [&'static str],
}

const CADRES: &[&str] = &["p001", "p002", "p003"];
const DECIDERS: &[&str] = &["s01", "m01", "w01"];

use Segment::Fixed;

const ENDPOINTS: [Endpoint; 23] = [
    Endpoint {
        path: &[Fixed("entries")],
        fields: &[
            ("date", Kind::Date),
            ("did", Kind::Text),
            ("learned", Kind::Text),
        ],
        actors: CADRES,
    },
    Endpoint {
        path: &[
            Fixed("entries"),
            Segment::Id("entry_written"),
            Fixed("amendments"),
        ],
        fields: &[
            ("did", Kind::Text),
            ("learned", Kind::Text),
            ("reason", Kind::Text),
        ],
        actors: CADRES,
    },
    Endpoint {
        path: &[Fixed("sheets")],
        fields: &[("period", Kind::Period)],
        actors: CADRES,
    },
    Endpoint {
        path: &[
            Fixed("sheets"),
            Segment::Person,
            Segment::Period,
            Fixed("reading"),
        ],
        fields: &[("comment", Kind::Text)],
        actors: &["l01"],
    },
    Endpoint {
        path: &[
            Fixed("sheets"),
            Segment::Person,
            Segment::Period,
            Fixed("display"),
        ],
        fields: &[("note", Kind::Text)],
        actors: &["c01"],
    },
    Endpoint {
        path: &[Fixed("opinions")],
        fields: &[
            ("cadre_id", Kind::Person),
            ("month", Kind::Month),
            ("opinion", Kind::Text),
        ],
        actors: &["c01"],
    },
    Endpoint {
        path: &[Fixed("nominations")],
        fields: &[
            ("month", Kind::Month),
            ("kind", Kind::Rating),
            ("cadre_id", Kind::Person),
            ("reason", Kind::Text),
            ("cited_ids", Kind::Ids("entry_written")),
            ("override_reason", Kind::OptionalText),
        ],
        actors: &["l01"],
    },
    Endpoint {
        path: &[Fixed("scores")],
        fields: &[
            ("month", Kind::Month),
            ("cadre_id", Kind::Person),
            ("scores", Kind::Scores),
        ],
        actors: &["l01"],
    },
    Endpoint {
        path: &[Fixed("quarters"), Segment::Quarter, Fixed("proposals")],
        fields: &[("best", Kind::People), ("worst", Kind::People)],
        actors: &["s01"],
    },
    Endpoint {
        path: &[Fixed("quarters"), Segment::Quarter, Fixed("cosignature")],
        fields: &[("proposal_id", Kind::Id("decision_proposed"))],
        actors: &["m01"],
    },
    Endpoint {
        path: &[Fixed("quarters"), Segment::Quarter, Fixed("publication")],
        fields: &[("notice", Kind::Text)],
        actors: &["s01"],
    },
    Endpoint {
        path: &[Fixed("appeals")],
        fields: &[
            ("quarter", Kind::Quarter),
            ("person_id", Kind::Person),
            ("kind", Kind::Rating),
            ("grounds", Kind::Text),
        ],
        actors: CADRES,
    },
    Endpoint {
        path: &[
            Fixed("appeals"),
            Segment::Id("appeal_filed"),
            Fixed("answer"),
        ],
        fields: &[("outcome", Kind::Outcome), ("reasons", Kind::Text)],
        actors: DECIDERS,
    },
    Endpoint {
        path: &[
            Fixed("sanctions"),
            Segment::Id("sanction_imposed"),
            Fixed("talk"),
        ],
        fields: &[("held_on", Kind::Date), ("summary", Kind::Text)],
        actors: DECIDERS,
    },
    Endpoint {
        path: &[
            Fixed("sanctions"),
            Segment::Id("sanction_imposed"),
            Fixed("plan"),
        ],
        fields: &[("plan", Kind::Text)],
        actors: CADRES,
    },
    Endpoint {
        path: &[
            Fixed("sanctions"),
            Segment::Id("sanction_imposed"),
            Fixed("completion"),
        ],
        fields: &[("summary", Kind::Text)],
        actors: &["l01"],
    },
    Endpoint {
        path: &[Fixed("people")],
        fields: &[("person_id", Kind::Person), ("name", Kind::Text)],
        actors: &["office"],
    },
    Endpoint {
        path: &[Fixed("people"), Segment::Person, Fixed("roles")],
        fields: &[
            ("role", Kind::Role),
            ("from", Kind::Date),
            ("until", Kind::OptionalDate),
        ],
        actors: &["office"],
    },
    Endpoint {
        path: &[Fixed("people"), Segment::Person, Fixed("supervision")],
        fields: &[("leader_id", Kind::Person), ("from", Kind::Date)],
        actors: &["office"],
    },
    Endpoint {
        path: &[Fixed("people"), Segment::Person, Fixed("area")],
        fields: &[
            ("area", Kind::Area),
            ("chief_id", Kind::Person),
            ("from", Kind::Date),
        ],
        actors: &["office"],
    },
    Endpoint {
        path: &[Fixed("policies")],
        fields: &[("policy", Kind::Policy)],
        actors: &["office"],
    },
    Endpoint {
        path: &[Fixed("tokens")],
        fields: &[("person_id", Kind::Person)],
        actors: &["office"],
    },
    Endpoint {
        path: &[
            Fixed("tokens"),
            Segment::Id("token_issued"),
            Fixed("revocation"),
        ],
        fields: &[("reason", Kind::Text)],
        actors: &["office"],
    },
];

/// `KAOHE_FUZZ_STATS=1`: print each request's status and path, to see what a corpus reaches
/// (`cargo fuzz run api CORPUS -- -runs=0`).
static STATS: LazyLock<bool> = LazyLock::new(|| std::env::var_os("KAOHE_FUZZ_STATS").is_some());

/// The township as it stands before any input: the disk's image, each person's token and the
/// type and id of each event recorded so far.
struct Base {
    image: Vec<u8>,
    tokens: BTreeMap<String, String>,
    ids: Vec<(String, Uuid)>,
}

/// The day the base ends on, and where every input's clock starts.
const START: &str = "2026-04-01T08:00:00+08:00";

static RUNTIME: LazyLock<tokio::runtime::Runtime> = LazyLock::new(|| {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime")
});

static BASE: LazyLock<Base> = LazyLock::new(build_base);

/// The roster (the cadres under l01 and c01 in 东片), each person's token, and March's records:
/// two entries each, the last sheet handed in, the chief's opinions and the leader's
/// nominations.
fn build_base() -> Base {
    let roster = Roster::of(&PEOPLE)
        .supervised_by("l01", CADRES)
        .in_area("东片", "c01", CADRES);
    let clock = ScriptedClock::at(ENROLLED_AT);
    let disk = SimulatedDisk::new();
    let store = Store::create_with_backend(disk.clone(), &genesis(), clock.options())
        .expect("the base ledger is created");
    let mut town = EngineTown::over(store, clock);
    RUNTIME.block_on(async {
        town.enrol(&roster).await;
        town.issue_tokens(&PEOPLE).await;
        town.march(&roster).await;
    });
    assert_eq!(town.clock.now(), START.parse().expect("a time"));
    let EngineTown {
        engine,
        tokens,
        recorded,
        ..
    } = town;
    drop(engine);
    Base {
        image: disk.durable_image(),
        tokens,
        ids: recorded,
    }
}

struct World {
    clock: ScriptedClock,
    state: AppState,
    /// The service over `state`, as `kaohe serve` builds it.
    router: axum::Router,
    /// Type and id of each event in the ledger, to name in paths and bodies.
    ids: Vec<(String, Uuid)>,
    /// Request ids sent so far, to send again.
    request_ids: Vec<Uuid>,
}

impl World {
    fn new() -> World {
        let base = &*BASE;
        let clock = ScriptedClock::at(START);
        let store = Store::open_with_backend(
            SimulatedDisk::from_image(base.image.clone()),
            clock.options(),
        )
        .expect("the base ledger opens");
        let engine = Engine::open(store, clock.clock()).expect("the base ledger folds");
        let state = AppState {
            engine,
            signer: Some(Arc::new(signer())),
            limits: Limits::default(),
        };
        World {
            clock,
            router: kaohe_server::router(state.clone()),
            state,
            ids: base.ids.clone(),
            request_ids: Vec::new(),
        }
    }

    fn size(&self) -> u64 {
        self.state
            .engine
            .store()
            .head()
            .expect("the ledger has a head")
            .size
    }

    fn play(&mut self, u: &mut Unstructured<'_>) -> Result<()> {
        for _ in 0..u.int_in_range(1..=REQUESTS_MAX)? {
            // Once the input runs out every choice would be its first; stop instead.
            if u.is_empty() {
                break;
            }
            if u.ratio(1, 5)? {
                // Hours or days pass.
                let hours = i64::from(u.int_in_range(1..=24u16 * 40)?);
                self.clock.advance(SignedDuration::from_hours(hours));
            }
            self.post(u)?;
        }
        Ok(())
    }

    fn post(&mut self, u: &mut Unstructured<'_>) -> Result<()> {
        let endpoint = &ENDPOINTS[usize::from(u.int_in_range(0..=22u8)?)];
        let mut path = String::from("/v1");
        for segment in endpoint.path {
            path.push('/');
            match segment {
                Fixed(text) => path.push_str(text),
                Segment::Id(event_type) => path.push_str(&self.id_text(u, event_type)?),
                Segment::Person => path.push_str(&self.person(u)?),
                Segment::Period => path.push_str(&period(u)?),
                Segment::Quarter => path.push_str(&quarter(u)?),
            }
        }
        let body = if u.ratio(1, 8)? {
            u.arbitrary::<Vec<u8>>()?
        } else {
            let mut object = Map::new();
            for (name, kind) in endpoint.fields {
                if u.ratio(1, 16)? {
                    continue;
                }
                let value = if u.ratio(1, 12)? {
                    any_json(u, 2)?
                } else {
                    self.value(u, *kind)?
                };
                object.insert((*name).into(), value);
            }
            if u.ratio(1, 16)? {
                object.insert(u.arbitrary::<String>()?, any_json(u, 1)?);
            }
            if u.ratio(1, 3)? {
                object.insert("request_id".into(), self.request_id(u)?);
            }
            serde_json::to_vec(&Value::Object(object)).expect("JSON")
        };
        let mut request = Request::builder().method(Method::POST);
        // Anything a path may hold is sent; a path that is not a URI is the client's problem.
        request = request.uri(match path.parse::<axum::http::Uri>() {
            Ok(uri) => uri,
            Err(_) => return Ok(()),
        });
        // Who sends it: usually who would in the township (the first of them when the input
        // has run out), else anyone, no one, or a token that was never issued.
        match u.int_in_range(0..=19u8)? {
            18 => {}
            19 => request = request.header("authorization", "Bearer kaohe_not-a-token"),
            n => {
                let person = if n < 12 {
                    endpoint.actors[usize::from(n) % endpoint.actors.len()]
                } else {
                    PEOPLE[usize::from(n) % PEOPLE.len()]
                };
                request =
                    request.header("authorization", format!("Bearer {}", BASE.tokens[person]));
            }
        }
        if u.ratio(15, 16)? {
            request = request.header("content-type", "application/json");
        }
        let request = request.body(Body::from(body)).expect("a request");
        let (status, code) = self.send(request);
        if *STATS {
            eprintln!("api: {status} POST {path} {code}");
        }
        Ok(())
    }

    /// Send `request` and check the answer against the ledger; returns the answer's status
    /// and, for a refusal, its code.
    fn send(&mut self, request: Request<Body>) -> (u16, String) {
        let before = self.size();
        let Answer {
            status,
            content_type,
            body,
            ..
        } = send(&RUNTIME, self.router.clone(), request);
        let text = String::from_utf8_lossy(&body);
        assert!(
            !(500..600).contains(&status),
            "a server error without a failing disk: {status} {text}"
        );
        let after = self.size();
        let code = if (200..300).contains(&status) {
            assert_eq!(content_type, "application/json", "{status} {text}");
            let answer: Value = serde_json::from_slice(&body).expect("a JSON answer");
            let events = answer["events"].as_array().expect("events answered");
            assert!(!events.is_empty(), "an answer with no events");
            if status == 201 {
                assert_eq!(
                    after,
                    before + events.len() as u64,
                    "a new record that is not exactly the events answered"
                );
            } else {
                assert_eq!(status, 200, "{status} {text}");
                assert_eq!(
                    after, before,
                    "a retry answered from the ledger wrote to it"
                );
            }
            let snapshot = self.state.engine.store().snapshot().expect("a snapshot");
            for (n, event) in events.iter().enumerate() {
                let position = event["position"].as_u64().expect("a position");
                if status == 201 {
                    assert_eq!(
                        position,
                        before + n as u64,
                        "events not at consecutive positions"
                    );
                }
                let stored = snapshot
                    .event(position)
                    .expect("the answered event is stored");
                let stored: Value = serde_json::from_slice(&stored).expect("stored JSON");
                assert_eq!(
                    stored["id"], event["id"],
                    "the answered id is not the stored one"
                );
                let leaf = snapshot.leaf(position).expect("a stored leaf hash");
                assert_eq!(
                    event["leaf_hash"].as_str(),
                    Some(leaf.to_hex().as_str()),
                    "the answered leaf hash is not the stored one"
                );
                if let (Some(event_type), Some(id)) = (
                    event["event_type"].as_str(),
                    event["id"].as_str().and_then(|id| id.parse().ok()),
                ) {
                    self.ids.push((event_type.to_owned(), id));
                }
            }
            String::new()
        } else {
            assert!((400..500).contains(&status), "{status} {text}");
            assert_eq!(
                content_type, PROBLEM_JSON,
                "a refusal that is not a problem: {text}"
            );
            let problem: Value = serde_json::from_slice(&body).expect("a JSON problem");
            let Some(code) = problem["code"].as_str() else {
                panic!("a problem without a code: {text}");
            };
            assert_eq!(
                after, before,
                "a refused request wrote to the ledger: {text}"
            );
            code.to_owned()
        };
        (status, code)
    }

    /// The state folded from the verified ledger alone equals the live state.
    fn rebuilds(&self) {
        check_state(&self.state.engine);
    }

    fn request_id(&mut self, u: &mut Unstructured<'_>) -> Result<Value> {
        Ok(match u.int_in_range(0..=7u8)? {
            0..=2 if !self.request_ids.is_empty() => {
                json!(self.request_ids[u.choose_index(self.request_ids.len())?].to_string())
            }
            0..=5 => {
                let id = uuid::Builder::from_unix_timestamp_millis(
                    1_775_000_000_000 + u64::from(u.arbitrary::<u16>()?),
                    &u.arbitrary::<[u8; 10]>()?,
                )
                .into_uuid();
                self.request_ids.push(id);
                json!(id.to_string())
            }
            6 => json!(Uuid::from_bytes(u.arbitrary()?).to_string()),
            _ => any_json(u, 0)?,
        })
    }

    /// Usually the id of an event of `event_type`, else of any event, or any id.
    fn id(&self, u: &mut Unstructured<'_>, event_type: &str) -> Result<Uuid> {
        let of_type: Vec<Uuid> = self
            .ids
            .iter()
            .filter(|(recorded, _)| recorded == event_type)
            .map(|(_, id)| *id)
            .collect();
        Ok(match u.int_in_range(0..=7u8)? {
            0..=4 if !of_type.is_empty() => of_type[u.choose_index(of_type.len())?],
            0..=6 => self.ids[u.choose_index(self.ids.len())?].1,
            _ => Uuid::from_bytes(u.arbitrary()?),
        })
    }

    fn id_text(&self, u: &mut Unstructured<'_>, event_type: &str) -> Result<String> {
        Ok(if u.ratio(15, 16)? {
            self.id(u, event_type)?.to_string()
        } else {
            u.arbitrary::<String>()?
        })
    }

    fn person(&self, u: &mut Unstructured<'_>) -> Result<String> {
        Ok(match u.int_in_range(0..=11u8)? {
            0..=9 => PEOPLE[usize::from(u.int_in_range(0..=8u8)?)].to_string(),
            10 => format!("p{:03}", u.int_in_range(4..=999u16)?),
            _ => u.arbitrary::<String>()?,
        })
    }

    fn day(&self, u: &mut Unstructured<'_>) -> Result<Date> {
        let today = self
            .clock
            .now()
            .to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::offset(8)))
            .date();
        let offset = i64::from(u.int_in_range(-60..=5i16)?);
        Ok(today
            .checked_add(jiff::Span::new().days(offset))
            .unwrap_or(today))
    }

    fn value(&mut self, u: &mut Unstructured<'_>, kind: Kind) -> Result<Value> {
        Ok(match kind {
            Kind::Text => json!(any_text(u)?),
            Kind::OptionalText => {
                if u.arbitrary()? {
                    Value::Null
                } else {
                    json!(any_text(u)?)
                }
            }
            Kind::Date => json!(self.day(u)?.to_string()),
            Kind::OptionalDate => {
                if u.arbitrary()? {
                    Value::Null
                } else {
                    json!(self.day(u)?.to_string())
                }
            }
            Kind::Month => json!(format!("2026-{:02}", u.int_in_range(1..=12u8)?)),
            Kind::Period => json!(period(u)?),
            Kind::Quarter => json!(quarter(u)?),
            Kind::Person => json!(self.person(u)?),
            Kind::People => {
                let mut people = Vec::new();
                for _ in 0..u.int_in_range(0..=6u8)? {
                    people.push(json!(self.person(u)?));
                }
                Value::Array(people)
            }
            Kind::Role => json!(if u.ratio(7, 8)? {
                Role::ASSIGNABLE[u.choose_index(Role::ASSIGNABLE.len())?].to_string()
            } else {
                u.arbitrary::<String>()?
            }),
            Kind::Area => json!(["东片", "西片", ""][u.choose_index(3)?]),
            Kind::Rating => json!(["best", "worst", "Best", ""][u.choose_index(4)?]),
            Kind::Outcome => json!(["upheld", "overturned", "Upheld"][u.choose_index(3)?]),
            Kind::Id(event_type) => json!(self.id_text(u, event_type)?),
            Kind::Ids(event_type) => {
                let mut ids = Vec::new();
                for _ in 0..u.int_in_range(0..=4u8)? {
                    ids.push(json!(self.id_text(u, event_type)?));
                }
                Value::Array(ids)
            }
            Kind::Scores => {
                let mut scores = Map::new();
                for name in ["ideology", "ability", "discipline", "liaison", "line_work"] {
                    let score = if u.ratio(7, 8)? {
                        json!(u.int_in_range(0..=30u32)?)
                    } else {
                        any_json(u, 0)?
                    };
                    scores.insert(name.into(), score);
                }
                Value::Object(scores)
            }
            Kind::Policy => {
                let mut policy = default_policy(&self.day(u)?.to_string());
                if let Value::Object(fields) = &mut policy
                    && u.arbitrary()?
                {
                    let names: Vec<String> = fields.keys().cloned().collect();
                    let name = &names[u.choose_index(names.len())?];
                    fields.insert(name.clone(), any_json(u, 1)?);
                }
                policy
            }
        })
    }
}

fn period(u: &mut Unstructured<'_>) -> Result<String> {
    Ok(if u.ratio(7, 8)? {
        format!(
            "2026-{:02}-{}",
            u.int_in_range(1..=12u8)?,
            u.int_in_range(1..=3u8)?
        )
    } else {
        u.arbitrary::<String>()?
    })
}

fn quarter(u: &mut Unstructured<'_>) -> Result<String> {
    Ok(if u.ratio(7, 8)? {
        format!("2026-Q{}", u.int_in_range(1..=4u8)?)
    } else {
        u.arbitrary::<String>()?
    })
}

/// Any JSON value, nested at most `depth` deep.
fn any_json(u: &mut Unstructured<'_>, depth: u8) -> Result<Value> {
    Ok(match u.int_in_range(0..=7u8)? {
        0 => Value::Null,
        1 => json!(u.arbitrary::<bool>()?),
        2 => json!(u.arbitrary::<i64>()?),
        3 => json!(u.arbitrary::<f64>()?),
        4 | 5 => json!(u.arbitrary::<String>()?),
        6 if depth > 0 => {
            let mut items = Vec::new();
            for _ in 0..u.int_in_range(0..=3u8)? {
                items.push(any_json(u, depth - 1)?);
            }
            Value::Array(items)
        }
        _ if depth > 0 => {
            let mut fields = Map::new();
            for _ in 0..u.int_in_range(0..=3u8)? {
                fields.insert(u.arbitrary::<String>()?, any_json(u, depth - 1)?);
            }
            Value::Object(fields)
        }
        _ => Value::Null,
    })
}

fuzz_target!(|data: &[u8]| {
    let mut world = World::new();
    let _ = world.play(&mut Unstructured::new(data));
    world.rebuilds();
});
