//! The command surface, pinned: every command endpoint of the OpenAPI document, sent the same
//! few bad requests (malformed JSON, not an object, unknown fields, a path parameter in the
//! body, wrong types, missing and repeated fields, bad request ids, bad path parameters, the
//! wrong media type, no token), answers each with the status and problem code written down
//! here, and records nothing. A change to how any command endpoint reads its input shows up
//! as a difference in this table. A request id makes a retry answer 200 with the same events.

mod support;

use axum::body::Body;
use axum::http::Request;
use serde_json::{Map, Value, json};
use support::{Town, town};

/// An id of no event in the ledger.
const UNKNOWN: &str = "01936d4a-7b2c-7d3e-8f40-123456789abc";

/// Who sends every request: a discipline inspector, whom no command accepts, so that a body
/// that gets through to the rules is refused there and nothing is recorded.
const SENDER: &str = "i01";

/// A UUID of version 4, which no request id may be.
const VERSION_4: &str = "0f5b3b9e-2c1d-4e8f-9a6b-1c2d3e4f5a6b";

/// A command endpoint: its path template, and a body of its fields with values of the right
/// shape (not necessarily one the rules accept).
struct Endpoint {
    template: &'static str,
    body: Value,
}

fn endpoints(town: &Town) -> Vec<Endpoint> {
    let endpoint = |template, body| Endpoint { template, body };
    let scores =
        json!({"ideology": 80, "ability": 80, "discipline": 80, "liaison": 80, "line_work": 80});
    vec![
        endpoint(
            "/v1/entries",
            json!({"date": "2026-04-01", "did": "走访", "learned": "核实"}),
        ),
        endpoint(
            "/v1/entries/{entry_id}/amendments",
            json!({"did": "走访", "learned": "", "reason": "笔误"}),
        ),
        endpoint("/v1/sheets", json!({"period": "2026-03-2"})),
        endpoint(
            "/v1/sheets/{person_id}/{period}/reading",
            json!({"comment": "详实"}),
        ),
        endpoint(
            "/v1/sheets/{person_id}/{period}/display",
            json!({"note": "规范"}),
        ),
        endpoint(
            "/v1/opinions",
            json!({"cadre_id": "p001", "month": "2026-04", "opinion": "好"}),
        ),
        endpoint(
            "/v1/nominations",
            json!({"month": "2026-03", "kind": "best", "cadre_id": "p001", "reason": "走访多",
                   "cited_ids": [town.ids["f1"]], "override_reason": null}),
        ),
        endpoint(
            "/v1/scores",
            json!({"month": "2026-03", "cadre_id": "p001", "scores": scores}),
        ),
        endpoint(
            "/v1/quarters/{quarter}/proposals",
            json!({"best": ["p001"], "worst": ["p002"]}),
        ),
        endpoint(
            "/v1/quarters/{quarter}/cosignature",
            json!({"proposal_id": UNKNOWN}),
        ),
        endpoint(
            "/v1/quarters/{quarter}/publication",
            json!({"notice": "现予公示"}),
        ),
        endpoint(
            "/v1/appeals",
            json!({"quarter": "2026-Q1", "person_id": "p001", "kind": "best", "grounds": "不公"}),
        ),
        endpoint(
            "/v1/appeals/{appeal_id}/answer",
            json!({"outcome": "upheld", "reasons": "充分"}),
        ),
        endpoint(
            "/v1/sanctions/{sanction_id}/talk",
            json!({"held_on": "2026-04-01", "summary": "谈话"}),
        ),
        endpoint(
            "/v1/sanctions/{sanction_id}/plan",
            json!({"plan": "每周下村"}),
        ),
        endpoint(
            "/v1/sanctions/{sanction_id}/completion",
            json!({"summary": "完成"}),
        ),
        endpoint("/v1/people", json!({"person_id": "n01", "name": "新同志"})),
        endpoint(
            "/v1/people/{person_id}/roles",
            json!({"role": "cadre", "from": "2026-04-01", "until": null}),
        ),
        endpoint(
            "/v1/people/{person_id}/supervision",
            json!({"leader_id": "l02", "from": "2026-04-01"}),
        ),
        endpoint(
            "/v1/people/{person_id}/area",
            json!({"area": "西片", "chief_id": "c02", "from": "2026-04-01"}),
        ),
        endpoint(
            "/v1/policies",
            json!({"policy": kaohe_ledger::genesis::default_policy("2026-05-01")}),
        ),
        endpoint(
            "/v1/calendars",
            json!({"year": 2026, "holidays": [{"name": "春节", "first": "2026-02-15", "last": "2026-02-23"}],
                   "working_days": ["2026-02-14"], "source": "国务院办公厅通知"}),
        ),
        endpoint("/v1/tokens", json!({"person_id": "p001"})),
        endpoint(
            "/v1/tokens/{token_id}/revocation",
            json!({"reason": "遗失"}),
        ),
        // The units' commands: bodies short of a field, so each is refused before the rules.
        endpoint(
            "/v1/units",
            json!({"id": "v01", "kind": "village", "name": "东风村"}),
        ),
        endpoint(
            "/v1/units/leaders",
            json!({"unit_id": "v01", "person_id": "p001", "from": "2026-04-01"}),
        ),
        endpoint(
            "/v1/indicators/responsibility",
            json!({"indicator_id": "ind01", "vice_leader_id": "p001", "cadre_ids": [], "from": "2026-04-01"}),
        ),
        endpoint(
            "/v1/indicators/scores",
            json!({"quarter": "2026-Q1", "indicator_id": "ind01"}),
        ),
        endpoint(
            "/v1/indicators/consequences",
            json!({"consequence_id": UNKNOWN}),
        ),
        endpoint(
            "/v1/villages/scores",
            json!({"quarter": "2026-Q1", "criterion_id": "c-party"}),
        ),
        endpoint("/v1/villages/rankings", json!({"quarter": "2026-Q1"})),
        endpoint(
            "/v1/villages/reports",
            json!({"quarter": "2026-Q1", "village_id": "v01"}),
        ),
        endpoint("/v1/spot-checks", json!({"checked_on": "2026-04-01"})),
        endpoint(
            "/v1/spot-checks/justifications",
            json!({"check_id": UNKNOWN}),
        ),
        endpoint("/v1/spot-checks/reviews", json!({"check_id": UNKNOWN})),
        endpoint("/v1/key-tasks", json!({"id": "kt01"})),
        endpoint("/v1/key-tasks/progress", json!({"task_id": "kt01"})),
        endpoint("/v1/key-tasks/follow-ups", json!({"task_id": "kt01"})),
        endpoint("/v1/key-tasks/reviews", json!({"year": 2026})),
        endpoint("/v1/list-items", json!({"source": "inspection"})),
        endpoint("/v1/list-items/analyses", json!({"item_id": UNKNOWN})),
        endpoint("/v1/list-items/closures", json!({"item_id": UNKNOWN})),
        endpoint("/v1/list-items/verifications", json!({"item_id": UNKNOWN})),
        endpoint("/v1/list-items/reopenings", json!({"item_id": UNKNOWN})),
    ]
}

/// A path parameter's value of the right shape.
fn good(town: &Town, parameter: &str) -> String {
    match parameter {
        "entry_id" => town.ids["e1"].to_string(),
        "person_id" => "p001".into(),
        "period" => "2026-03-3".into(),
        "quarter" => "2026-Q1".into(),
        _ => UNKNOWN.into(),
    }
}

/// A path parameter's value of the wrong shape.
fn bad(parameter: &str) -> &'static str {
    match parameter {
        "period" => "2026-13-1",
        "quarter" => "2026-Q5",
        _ => "not-an-id",
    }
}

/// The `{name}`s of a path template.
fn parameters(template: &str) -> Vec<&str> {
    template
        .split('/')
        .filter_map(|segment| segment.strip_prefix('{')?.strip_suffix('}'))
        .collect()
}

fn fill(template: &str, value: impl Fn(&str) -> String) -> String {
    let mut path = template.to_owned();
    for parameter in parameters(template) {
        path = path.replace(&format!("{{{parameter}}}"), &value(parameter));
    }
    path
}

fn with(body: &Value, name: &str, value: Value) -> Value {
    let mut object = body.as_object().unwrap().clone();
    object.insert(name.into(), value);
    Value::Object(object)
}

/// The bad requests every endpoint is sent: (case, path, body, content type, signed in).
fn cases(town: &Town, endpoint: &Endpoint) -> Vec<(String, String, String, &'static str, bool)> {
    let path = fill(endpoint.template, |parameter| good(town, parameter));
    let body = &endpoint.body;
    let fields: &Map<String, Value> = body.as_object().unwrap();
    let (first, _) = fields.iter().next().unwrap();
    let json = "application/json";
    let mut cases = vec![
        (
            "malformed".to_owned(),
            path.clone(),
            r#"{"a":"#.to_owned(),
            json,
            true,
        ),
        ("empty".into(), path.clone(), String::new(), json, true),
        (
            "truncated".into(),
            path.clone(),
            body.to_string().trim_end_matches('}').to_owned(),
            json,
            true,
        ),
        ("array".into(), path.clone(), "[]".into(), json, true),
        ("string".into(), path.clone(), r#""x""#.into(), json, true),
        ("object {}".into(), path.clone(), "{}".into(), json, true),
        (
            "unknown field".into(),
            path.clone(),
            with(body, "colour", json!("red")).to_string(),
            json,
            true,
        ),
        (
            format!("{first} of a wrong type"),
            path.clone(),
            with(body, first, json!(true)).to_string(),
            json,
            true,
        ),
        (
            format!("{first} missing"),
            path.clone(),
            {
                let mut object = fields.clone();
                object.remove(first);
                Value::Object(object).to_string()
            },
            json,
            true,
        ),
        (
            format!("{first} twice"),
            path.clone(),
            {
                let text = body.to_string();
                let repeated = format!("{{\"{first}\":{},", fields[first]);
                text.replacen('{', &repeated, 1)
            },
            json,
            true,
        ),
        (
            "request_id a number".into(),
            path.clone(),
            with(body, "request_id", json!(5)).to_string(),
            json,
            true,
        ),
        (
            "request_id version 4".into(),
            path.clone(),
            with(body, "request_id", json!(VERSION_4)).to_string(),
            json,
            true,
        ),
        (
            "text/plain".into(),
            path.clone(),
            body.to_string(),
            "text/plain",
            true,
        ),
        (
            "no token".into(),
            path.clone(),
            body.to_string(),
            json,
            false,
        ),
    ];
    for parameter in parameters(endpoint.template) {
        cases.push((
            format!("{parameter} in the body"),
            path.clone(),
            with(body, parameter, json!(good(town, parameter))).to_string(),
            json,
            true,
        ));
        cases.push((
            format!("{parameter} malformed"),
            fill(endpoint.template, |name| {
                if name == parameter {
                    bad(name).into()
                } else {
                    good(town, name)
                }
            }),
            body.to_string(),
            json,
            true,
        ));
        cases.push((
            format!("{parameter} malformed, body malformed"),
            fill(endpoint.template, |name| {
                if name == parameter {
                    bad(name).into()
                } else {
                    good(town, name)
                }
            }),
            r#"{"a":"#.to_owned(),
            json,
            true,
        ));
    }
    cases
}

/// The pinned answers: one line per endpoint and case, `template | case | status code`.
const PINNED: &str = include_str!("data/command_surface.txt");

#[test]
fn every_command_endpoint_answers_bad_requests_as_pinned_and_records_nothing() {
    let town = town();
    town.at("2026-04-01T10:00:00+08:00");
    let head = town.state.engine.store().head().unwrap();
    let document = serde_json::to_value(kaohe_server::openapi_document()).unwrap();
    let commands: Vec<String> = document["paths"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(_, item)| item.get("post").is_some())
        .map(|(path, _)| path.clone())
        .collect();
    let endpoints = endpoints(&town);
    let mut listed: Vec<String> = endpoints
        .iter()
        .map(|endpoint| endpoint.template.to_owned())
        .collect();
    listed.sort();
    let mut documented = commands.clone();
    documented.sort();
    assert_eq!(listed, documented, "every command endpoint is pinned here");

    let mut answers = String::new();
    for endpoint in &endpoints {
        for (case, path, body, content_type, signed_in) in cases(&town, endpoint) {
            let mut request = Request::post(&path).header("content-type", content_type);
            if signed_in {
                request =
                    request.header("authorization", format!("Bearer {}", town.tokens[SENDER]));
            }
            let answer = town.raw(request.body(Body::from(body.clone())).unwrap());
            assert_eq!(
                answer.content_type,
                "application/problem+json",
                "POST {path} {body}: {}",
                String::from_utf8_lossy(&answer.body)
            );
            answers.push_str(&format!(
                "{} | {case} | {} {}\n",
                endpoint.template,
                answer.status,
                answer.code().unwrap()
            ));
        }
    }
    assert_eq!(town.state.engine.store().head().unwrap(), head);
    // Line by line, so that a failure names every answer that changed.
    let changed: Vec<String> = PINNED
        .lines()
        .zip(answers.lines())
        .filter(|(pinned, answered)| pinned != answered)
        .map(|(pinned, answered)| format!("pinned {pinned}\n   now {answered}"))
        .collect();
    assert!(
        changed.is_empty() && answers.lines().count() == PINNED.lines().count(),
        "answers differ from the pinned ones:\n{}\n\nthe answers are now:\n{answers}",
        changed.join("\n")
    );
}

#[test]
fn a_request_id_makes_a_retry_answer_200_with_the_same_events() {
    let town = town();
    town.at("2026-04-01T10:00:00+08:00");
    let amend = format!("/v1/entries/{}/amendments", town.ids["e1"]);
    for (path, person, body) in [
        (
            "/v1/entries",
            "p001",
            json!({"date": "2026-04-01", "did": "走访"}),
        ),
        (
            amend.as_str(),
            "p001",
            json!({"did": "走访四户", "reason": "户数笔误"}),
        ),
    ] {
        let request_id = uuid::Uuid::now_v7().to_string();
        let sent = with(&body, "request_id", json!(request_id)).to_string();
        let first = town.post(path, person, &sent);
        assert_eq!(
            first.status,
            201,
            "{path}: {}",
            String::from_utf8_lossy(&first.body)
        );
        assert_eq!(first.json()["created"], true);
        let size = town.size();
        let again = town.post(path, person, &sent);
        assert_eq!(again.status, 200, "{path}");
        assert_eq!(again.json()["created"], false);
        assert_eq!(again.json()["events"], first.json()["events"]);
        assert_eq!(town.size(), size, "{path}: a retry appended");
        // The same request id for another request is a conflict.
        let other = with(
            &with(&body, "did", json!("另一件事")),
            "request_id",
            json!(request_id),
        );
        let conflict = town.post(path, person, &other.to_string());
        assert_eq!(conflict.status, 409, "{path}");
        assert_eq!(conflict.code().as_deref(), Some("request_id_conflict"));
        assert_eq!(town.size(), size);
    }
}

#[test]
fn a_role_that_cannot_be_given_is_refused_by_the_rule_that_names_the_roles() {
    let town = town();
    town.at("2026-04-01T10:00:00+08:00");
    let size = town.size();
    for (person, role, status, code) in [
        ("office", "emperor", 422, "unknown_role"),
        ("office", "system", 422, "unknown_role"),
        ("office", "", 422, "unknown_role"),
        // Who acts is checked first, as for every command.
        ("p001", "emperor", 403, "not_in_role"),
    ] {
        let body = json!({"role": role, "from": "2026-04-01"}).to_string();
        let answer = town.post("/v1/people/p002/roles", person, &body);
        assert_eq!(answer.status, status, "{role} by {person}");
        assert_eq!(answer.code().as_deref(), Some(code), "{role} by {person}");
    }
    // A role of the wrong type is still a malformed body.
    let answer = town.post(
        "/v1/people/p002/roles",
        "office",
        r#"{"role":5,"from":"2026-04-01"}"#,
    );
    assert_eq!(answer.status, 422);
    assert_eq!(answer.code().as_deref(), Some("invalid_body"));
    assert_eq!(town.size(), size);
}
