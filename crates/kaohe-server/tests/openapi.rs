//! The OpenAPI document against the service: OpenAPI 3.1; every documented operation is
//! served (a request to it does not fall through to "no such route" or "method not allowed");
//! every route the server registers under /v1/ is documented; every reference resolves; every
//! operation documents its errors as problems.

mod support;

use axum::http::Method;
use serde_json::Value;

fn document() -> Value {
    serde_json::to_value(kaohe_server::openapi_document()).unwrap()
}

/// Every `$ref` in `value`.
fn references(value: &Value, found: &mut Vec<String>) {
    match value {
        Value::Object(object) => {
            for (key, value) in object {
                if key == "$ref" {
                    found.push(value.as_str().unwrap().to_owned());
                } else {
                    references(value, found);
                }
            }
        }
        Value::Array(array) => array.iter().for_each(|value| references(value, found)),
        _ => {}
    }
}

#[test]
fn the_document_is_openapi_3_1_and_served_as_generated() {
    let town = support::town();
    let served = town.get("/openapi.json", None);
    assert_eq!(served.status, 200);
    let served = served.json();
    assert_eq!(served, document());
    assert_eq!(served["openapi"], "3.1.0");
    assert_eq!(
        served["components"]["securitySchemes"]["bearer"]["scheme"],
        "bearer"
    );
    let mut found = Vec::new();
    references(&served, &mut found);
    assert!(!found.is_empty());
    for reference in found {
        let name = reference
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("unexpected reference {reference}"));
        assert!(
            served["components"]["schemas"].get(name).is_some(),
            "{reference} does not resolve"
        );
    }
}

#[test]
fn every_documented_operation_is_served_and_documents_its_problems() {
    let town = support::town();
    let document = document();
    let paths = document["paths"].as_object().unwrap();
    let mut operations = 0;
    for (path, item) in paths {
        // Fill the path's parameters with values of the right shape.
        let concrete = path
            .replace("{entry_id}", &town.ids["e1"].to_string())
            .replace("{appeal_id}", "01936d4a-7b2c-7d3e-8f40-123456789abc")
            .replace("{sanction_id}", "01936d4a-7b2c-7d3e-8f40-123456789abc")
            .replace("{token_id}", "01936d4a-7b2c-7d3e-8f40-123456789abc")
            .replace("{event_id}", "01936d4a-7b2c-7d3e-8f40-123456789abc")
            .replace("{id}", "01936d4a-7b2c-7d3e-8f40-123456789abc")
            .replace("{person_id}", "p001")
            .replace("{leader_id}", "l01")
            .replace("{period}", "2026-03-3")
            .replace("{month}", "2026-03")
            .replace("{quarter}", "2026-Q1")
            .replace("{year}", "2026")
            .replace("{position}", "1");
        assert!(!concrete.contains('{'), "an unfilled parameter in {path}");
        for (method, operation) in item.as_object().unwrap() {
            let method: Method = method.to_uppercase().parse().unwrap();
            operations += 1;
            let body = (method == Method::POST).then_some("{}");
            let answer = town.send(method.clone(), &concrete, Some("i01"), body);
            assert!(
                answer.code().as_deref() != Some("no_route") && answer.status != 405,
                "{method} {path} is documented but not served: {}",
                String::from_utf8_lossy(&answer.body)
            );
            let responses = operation["responses"].as_object().unwrap();
            for status in ["400", "408", "500", "503"] {
                assert!(
                    responses.contains_key(status),
                    "{method} {path}: no {status}"
                );
            }
            let public = operation["security"] == serde_json::json!([{}]);
            if !public {
                assert!(responses.contains_key("401"), "{method} {path}: no 401");
                assert!(responses.contains_key("403"), "{method} {path}: no 403");
            }
            if method == Method::POST {
                for status in ["200", "201", "409", "413", "415", "422"] {
                    assert!(
                        responses.contains_key(status),
                        "{method} {path}: no {status}"
                    );
                }
                assert!(
                    operation["requestBody"]["content"]["application/json"]["schema"].is_object(),
                    "{method} {path}: no request schema"
                );
            }
            let problem = &responses["400"]["content"]["application/problem+json"]["schema"];
            assert_eq!(
                problem["$ref"], "#/components/schemas/Problem",
                "{method} {path}"
            );
        }
    }
    assert!(operations >= 40, "{operations} operations documented");
}

/// Every path a source file under `dir` registers with `.route(`.
fn registered_routes(dir: &std::path::Path, found: &mut Vec<String>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            registered_routes(&path, found);
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        for (index, _) in text.match_indices(".route(") {
            let rest = &text[index + ".route(".len()..];
            let start = rest.find('"').unwrap() + 1;
            let end = start + rest[start..].find('"').unwrap();
            found.push(rest[start..end].to_owned());
        }
    }
}

#[test]
fn the_server_registers_no_route_outside_the_document() {
    // API routes are registered with what documents them: the command table's lines, and
    // `routes!` over the other handlers' annotations; `.route` adds only the pages and the
    // document itself, and nothing under /v1/.
    let mut registered = Vec::new();
    registered_routes(
        std::path::Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/src")),
        &mut registered,
    );
    assert!(registered.len() > 10, "{registered:?}");
    for path in &registered {
        assert!(!path.starts_with("/v1"), "{path} bypasses the document");
    }
    for path in kaohe_server::UNDOCUMENTED_PATHS {
        assert!(
            registered.iter().any(|registered| registered == path),
            "{path}"
        );
    }
    let document = document();
    for path in &registered {
        assert!(
            document["paths"].get(path.as_str()).is_none(),
            "{path} is a page, not an API route"
        );
    }
    // And nothing under /v1/ is served that the document does not list.
    let town = support::town();
    for path in [
        "/v1",
        "/v1/",
        "/v1/ledger",
        "/v1/entries/x",
        "/v1/admin",
        "/v1/tokens/list",
    ] {
        let answer = town.get(path, Some("office"));
        assert!(
            answer.code().as_deref() == Some("no_route") || answer.status == 405,
            "{path} is served but not documented: {} {}",
            answer.status,
            String::from_utf8_lossy(&answer.body)
        );
    }
}
