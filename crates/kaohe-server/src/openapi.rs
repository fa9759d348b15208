//! The OpenAPI 3.1 document of the service, generated from the handlers' annotations (the same
//! ones that register the routes), with the problem answers every operation can give added in
//! one place, and served at `/openapi.json`.

use utoipa::openapi::path::Operation;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, ResponseBuilder};
use utoipa::{Modify, OpenApi as _};

use crate::error::{PROBLEM_JSON, Problem};

#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "kaohe 考核",
        description = "A tamper-evident, event-sourced audit ledger of a township's staff assessment (一记三评三奖惩). Every command is decided by the rules as of the day it arrives and appended as hash-chained events; every view is rebuilt from those events. Sign in with the bearer token the office issued (`Authorization: Bearer kh1.…`). Errors are `application/problem+json` with a stable `code`: the name of the rule that refused, or one of `unauthenticated`, `invalid_token`, `forbidden`, `bad_request`, `invalid_body`, `unsupported_media_type`, `body_too_large`, `not_found`, `no_route`, `out_of_range`, `request_id_conflict`, `bad_request_id`, `invalid_event`, `request_timeout`, `overloaded`, `unavailable`, `internal`."
    ),
    components(schemas(Problem)),
    modifiers(&BearerScheme),
    security(("bearer" = [])),
    tags(
        (name = "records", description = "一记: daily entries, ten-day sheets, readings, display."),
        (name = "evaluations", description = "三评: opinions, monthly nominations, scores, the quarterly decision and its publication."),
        (name = "appeals", description = "复评: appeals and their answers."),
        (name = "sanctions", description = "三奖惩: the talk, the rectification plan and its completion."),
        (name = "roster", description = "The office: people, roles, supervision, areas, policy versions, tokens."),
        (name = "views", description = "What people read: a leader's month, the quarter board, the notice, a person's year, the appeal queue, pay effects, replay, explanation."),
        (name = "ledger", description = "What an outside verifier or a mirror needs: head, checkpoint, events, proofs, export.")
    )
)]
pub struct ApiDoc;

struct BearerScheme;

impl Modify for BearerScheme {
    fn modify(&self, openapi: &mut OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("kh1.<token id>.<secret>")
                    .description(Some("A token the office issued (`kaohe token issue`)."))
                    .build(),
            ),
        );
    }
}

/// The base document, before the routes add their paths.
pub fn base() -> OpenApi {
    ApiDoc::openapi()
}

fn problem(description: &str) -> utoipa::openapi::RefOr<utoipa::openapi::Response> {
    ResponseBuilder::new()
        .description(description)
        .content(
            PROBLEM_JSON,
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("Problem")))
                .build(),
        )
        .build()
        .into()
}

fn add(operation: &mut Operation, status: &str, description: &str) {
    operation
        .responses
        .responses
        .entry(status.to_owned())
        .or_insert_with(|| problem(description));
}

fn is_public(operation: &Operation) -> bool {
    operation.security.as_ref().is_some_and(|requirements| {
        serde_json::to_value(requirements).is_ok_and(|value| value == serde_json::json!([{}]))
    })
}

/// Add to every operation the problem answers it can give, and to every command the answer of a
/// retry.
pub fn finish(mut openapi: OpenApi) -> OpenApi {
    for (path, item) in openapi.paths.paths.iter_mut() {
        let has_path_params = path.contains('{');
        for (operation, is_command) in [(item.get.as_mut(), false), (item.post.as_mut(), true)] {
            let Some(operation) = operation else {
                continue;
            };
            add(
                operation,
                "400",
                "`bad_request`: a malformed path, query or JSON body.",
            );
            add(
                operation,
                "408",
                "`request_timeout`: the request took longer than the limit.",
            );
            add(
                operation,
                "500",
                "`internal`: the server failed; nothing was recorded.",
            );
            add(
                operation,
                "503",
                "`overloaded`: too many requests in flight; `unavailable`: the ledger could not record now. Retry after `Retry-After` seconds.",
            );
            if !is_public(operation) {
                add(
                    operation,
                    "401",
                    "`unauthenticated` or `invalid_token`: no valid bearer token.",
                );
                add(
                    operation,
                    "403",
                    "`forbidden`, or the rule that refused by role or by object (`not_in_role`, `not_supervisor`, `not_your_supervisee`, `not_your_area`, `not_your_entry`, `no_standing`, `not_the_other_signer`, `not_your_sanction`, `own_appeal`). Nothing was recorded.",
                );
            }
            if has_path_params || is_command {
                add(
                    operation,
                    "404",
                    "`not_found`, `out_of_range`, or the rule that found no such thing (`unknown_person`, `unknown_appeal`, `unknown_sanction`, `unknown_token`).",
                );
            }
            if is_command {
                operation.responses.responses.insert(
                    "200".into(),
                    ResponseBuilder::new()
                        .description("A retry of a request already recorded (same `request_id`), answered from the ledger.")
                        .content(
                            "application/json",
                            ContentBuilder::new()
                                .schema(Some(Ref::from_schema_name("CommandAnswer")))
                                .build(),
                        )
                        .build()
                        .into(),
                );
                add(
                    operation,
                    "409",
                    "The ledger already holds what the command would record or something that excludes it (e.g. `entry_exists`, `already_appealed`, `decision_in_force`), or `request_id_conflict`. Nothing was recorded.",
                );
                add(
                    operation,
                    "413",
                    "`body_too_large`: the body is over the limit.",
                );
                add(
                    operation,
                    "415",
                    "`unsupported_media_type`: the body must be `application/json`.",
                );
                add(
                    operation,
                    "422",
                    "`invalid_body` (wrong types, unknown fields, integers out of range, invalid dates), `invalid_event`, `bad_request_id`, or the rule about content or time that refused (e.g. `entry_too_long`, `quota_reached`, `nomination_late`, `not_in_pool`, `filing_window_closed`). Nothing was recorded.",
                );
            }
        }
    }
    openapi
}
