//! Hostile and careless input: malformed JSON, wrong types, unknown fields, oversized bodies,
//! integers out of range, invalid dates, unknown ids, bad paths and queries. Each gets a 4xx
//! `application/problem+json` answer with a stable code, and the ledger's head stays the same.

mod support;

use std::time::Duration;

use axum::body::Body;
use axum::http::{Method, Request};
use kaohe_server::Limits;
use support::town;

/// (method, path, as whom, body, expected status, expected code).
type Case = (
    Method,
    String,
    &'static str,
    Option<String>,
    u16,
    &'static str,
);

#[test]
fn bad_input_gets_a_problem_and_leaves_the_ledger_unchanged() {
    let town = town();
    town.at("2026-04-01T10:00:00+08:00");
    let head = town.state.engine.store().head().unwrap();
    let entry = town.ids["e1"];
    let long = "长".repeat(70_000);
    let reason = "因".repeat(600);
    let unknown = "01936d4a-7b2c-7d3e-8f40-123456789abc";
    let cases: Vec<Case> = vec![
        // Malformed JSON, wrong types, unknown and missing fields.
        (Method::POST, "/v1/entries".into(), "p001", Some(r#"{"date":"#.into()), 400, "bad_request"),
        (Method::POST, "/v1/entries".into(), "p001", Some("[1,2]".into()), 422, "invalid_body"),
        (Method::POST, "/v1/entries".into(), "p001", Some(r#"{"date":20260401,"did":"x"}"#.into()), 422, "invalid_body"),
        (Method::POST, "/v1/entries".into(), "p001", Some(r#"{"date":"2026-04-01","did":5}"#.into()), 422, "invalid_body"),
        (Method::POST, "/v1/entries".into(), "p001", Some(r#"{"date":"2026-04-01","did":"x","colour":"red"}"#.into()), 422, "invalid_body"),
        (Method::POST, "/v1/entries".into(), "p001", Some(r#"{"did":"x"}"#.into()), 422, "invalid_body"),
        (Method::POST, "/v1/entries".into(), "p001", Some(String::new()), 400, "bad_request"),
        // Oversized bodies.
        (Method::POST, "/v1/entries".into(), "p001", Some(format!(r#"{{"date":"2026-04-01","did":"{long}"}}"#)), 413, "body_too_large"),
        // Integers out of range.
        (Method::POST, "/v1/scores".into(), "l01", Some(r#"{"month":"2026-03","cadre_id":"p001","scores":{"ideology":1099511627776,"ability":1,"discipline":1,"liaison":1,"line_work":1}}"#.into()), 422, "invalid_body"),
        (Method::POST, "/v1/scores".into(), "l01", Some(r#"{"month":"2026-03","cadre_id":"p001","scores":{"ideology":-1,"ability":1,"discipline":1,"liaison":1,"line_work":1}}"#.into()), 422, "invalid_body"),
        (Method::GET, "/v1/pay/99999".into(), "i01", None, 400, "bad_request"),
        (Method::GET, "/v1/people/p001/years/1850".into(), "i01", None, 400, "bad_request"),
        (Method::GET, "/v1/ledger/events?limit=18446744073709551616".into(), "i01", None, 400, "bad_request"),
        (Method::GET, "/v1/ledger/events?limit=0".into(), "i01", None, 400, "bad_request"),
        (Method::GET, "/v1/ledger/events?limit=1001".into(), "i01", None, 400, "bad_request"),
        (Method::GET, "/v1/ledger/events/-1".into(), "i01", None, 400, "bad_request"),
        (Method::GET, "/v1/ledger/events/99999".into(), "i01", None, 404, "out_of_range"),
        // Invalid dates, periods, months, quarters.
        (Method::POST, "/v1/entries".into(), "p001", Some(r#"{"date":"2026-02-30","did":"x"}"#.into()), 422, "invalid_body"),
        (Method::POST, "/v1/sheets".into(), "p001", Some(r#"{"period":"2026-03-4"}"#.into()), 422, "invalid_body"),
        (Method::POST, "/v1/opinions".into(), "c01", Some(r#"{"cadre_id":"p001","month":"2026-3","opinion":"好"}"#.into()), 422, "invalid_body"),
        (Method::POST, "/v1/sheets/p001/2026-13-1/reading".into(), "l01", Some("{}".into()), 400, "bad_request"),
        (Method::POST, "/v1/quarters/2026-Q5/proposals".into(), "s01", Some(r#"{"best":[],"worst":[]}"#.into()), 400, "bad_request"),
        (Method::GET, "/v1/leaders/l01/months/2026-00".into(), "l01", None, 400, "bad_request"),
        (Method::GET, "/v1/appeals?as_of=2026-13-01".into(), "i01", None, 400, "bad_request"),
        (Method::GET, "/v1/appeals?colour=red".into(), "i01", None, 400, "bad_request"),
        // Unknown ids and malformed ids.
        (Method::POST, format!("/v1/appeals/{unknown}/answer"), "w01", Some(r#"{"outcome":"upheld","reasons":"x"}"#.into()), 404, "unknown_appeal"),
        (Method::POST, "/v1/appeals/not-a-uuid/answer".into(), "w01", Some(r#"{"outcome":"upheld","reasons":"x"}"#.into()), 400, "bad_request"),
        (Method::POST, format!("/v1/appeals/{unknown}/answer"), "w01", Some(r#"{"outcome":"maybe","reasons":"x"}"#.into()), 422, "invalid_body"),
        (Method::POST, format!("/v1/sanctions/{unknown}/talk"), "s01", Some(r#"{"held_on":"2026-04-01","summary":"x"}"#.into()), 404, "unknown_sanction"),
        (Method::POST, format!("/v1/tokens/{unknown}/revocation"), "office", Some(r#"{"reason":"x"}"#.into()), 404, "unknown_token"),
        (Method::POST, "/v1/tokens".into(), "office", Some(r#"{"person_id":"x99"}"#.into()), 404, "unknown_person"),
        (Method::POST, "/v1/quarters/2026-Q1/cosignature".into(), "m01", Some(format!(r#"{{"proposal_id":"{unknown}"}}"#)), 409, "not_latest_proposal"),
        (Method::GET, format!("/v1/explain/{unknown}"), "i01", None, 404, "not_found"),
        (Method::GET, format!("/v1/ledger/events/by-id/{unknown}"), "i01", None, 404, "not_found"),
        (Method::POST, "/v1/entries".into(), "p001", Some(r#"{"date":"2026-04-01","did":"x","request_id":"0f5b3b9e-2c1d-4e8f-9a6b-1c2d3e4f5a6b"}"#.into()), 422, "bad_request_id"),
        // A text the rules let through but the ledger's format does not.
        (Method::POST, format!("/v1/entries/{entry}/amendments"), "p001", Some(format!(r#"{{"did":"x","reason":"{reason}"}}"#)), 422, "invalid_event"),
        (Method::POST, "/v1/people".into(), "office", Some(r#"{"person_id":"张 三","name":"张三"}"#.into()), 422, "invalid_event"),
        // Paths and methods that do not exist.
        (Method::DELETE, "/v1/entries".into(), "p001", None, 405, "method_not_allowed"),
        (Method::GET, "/v1/nothing".into(), "p001", None, 404, "no_route"),
    ];
    for (method, path, person, body, status, code) in cases {
        let answer = town.send(method.clone(), &path, Some(person), body.as_deref());
        let short: String = String::from_utf8_lossy(&answer.body)
            .chars()
            .take(300)
            .collect();
        assert_eq!(answer.status, status, "{method} {path}: {short}");
        assert_eq!(
            answer.content_type, "application/problem+json",
            "{method} {path}: {short}"
        );
        assert_eq!(
            answer.code().as_deref(),
            Some(code),
            "{method} {path}: {short}"
        );
        assert_eq!(answer.json()["status"], status, "{method} {path}");
        assert!(
            !short.contains("panicked") && !short.contains("src/"),
            "{method} {path}: internals in the answer: {short}"
        );
    }
    // The body must be JSON.
    let request = Request::post("/v1/entries")
        .header("authorization", format!("Bearer {}", town.tokens["p001"]))
        .header("content-type", "text/plain")
        .body(Body::from(r#"{"date":"2026-04-01","did":"x"}"#))
        .unwrap();
    let answer = town.raw(request);
    assert_eq!(answer.status, 415);
    assert_eq!(answer.code().as_deref(), Some("unsupported_media_type"));
    assert_eq!(town.state.engine.store().head().unwrap(), head);
}

#[test]
fn over_the_in_flight_and_time_limits_requests_get_problems() {
    // No request may be in flight: every one is shed at once.
    let town = support::town_with(Limits {
        requests_in_flight_max: 0,
        ..Limits::default()
    });
    let answer = town.get("/v1/me", Some("p001"));
    assert_eq!(answer.status, 503);
    assert_eq!(answer.code().as_deref(), Some("overloaded"));

    // A client that never finishes sending its body is cut off at the time limit.
    let town = support::town_with(Limits {
        request_time_max: Duration::from_millis(100),
        ..Limits::default()
    });
    let head = town.size();
    let never = futures_util::stream::pending::<Result<axum::body::Bytes, std::io::Error>>();
    let request = Request::post("/v1/entries")
        .header("authorization", format!("Bearer {}", town.tokens["p001"]))
        .header("content-type", "application/json")
        .body(Body::from_stream(never))
        .unwrap();
    let answer = town.raw(request);
    assert_eq!(answer.status, 408);
    assert_eq!(answer.code().as_deref(), Some("request_timeout"));
    assert_eq!(town.size(), head);
}
