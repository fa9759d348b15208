//! The OpenAPI 3.1 document of the service, served at `/openapi.json`. The views and the ledger
//! endpoints are documented by their handlers' annotations (the same ones that register their
//! routes); each command endpoint is derived from its line of the route table and its
//! command's struct (`command`); the problem answers every operation can give are added in
//! one place (`finish`).

use axum::http::Method;
use utoipa::openapi::path::{
    HttpMethod, Operation, OperationBuilder, Parameter, ParameterBuilder, ParameterIn, PathItem,
    PathsBuilder,
};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::schema::{
    KnownFormat, Object, ObjectBuilder, Schema, SchemaFormat, SchemaType, Type,
};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, RefOr, Required, ResponseBuilder};
use utoipa::{Modify, OpenApi as _, PartialSchema, ToSchema};
use utoipa_axum::router::UtoipaMethodRouter;

use crate::AppState;
use crate::commands::{Answer, CommandAnswer, CommandRoute, IssuedTokenAnswer, method_router};
use crate::error::{PROBLEM_JSON, Problem};
use crate::input::REQUEST_ID;

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
        (name = "roster", description = "The office: people, roles, supervision, areas, policy versions, working-day calendars, tokens."),
        (name = "units", description = "Around the scheme: units, indicator rankings and last places, village rankings, spot checks, key tasks, the three lists."),
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

/// A command endpoint, documented and routed: its request body is the command's struct without
/// the path's parameters and the fields the service chooses, plus `request_id` where retries
/// are answered; its path parameters are typed and described by the struct's fields of the same
/// names; its summary is the struct's doc comment. The body's schema is named as the struct.
pub fn command(route: &'static CommandRoute) -> UtoipaMethodRouter<AppState> {
    let name = (route.command.name)().into_owned();
    let RefOr::T(Schema::Object(fields)) = (route.command.schema)() else {
        panic!("the command {name} is a struct");
    };
    let operation = OperationBuilder::new()
        .tag(route.tag)
        .summary(
            fields
                .description
                .as_ref()
                .map(|text| text.replace('\n', " ")),
        )
        .operation_id(Some(snake_case(&name)))
        .parameters(path_parameters(route, &fields))
        .request_body(Some(
            RequestBodyBuilder::new()
                .content("application/json", json(&name))
                .required(Some(Required::True))
                .build(),
        ))
        .response("201", created(route.answer));
    let paths = PathsBuilder::new()
        .path(
            route.path,
            PathItem::new(http_method(&route.method), operation),
        )
        .build();
    let mut schemas = vec![(name, body(route, fields).into())];
    (route.command.schemas)(&mut schemas);
    for (name, schema) in [
        (CommandAnswer::name(), CommandAnswer::schema()),
        (IssuedTokenAnswer::name(), IssuedTokenAnswer::schema()),
    ] {
        schemas.push((name.into_owned(), schema));
    }
    CommandAnswer::schemas(&mut schemas);
    (schemas, paths, method_router(route))
}

/// The path's parameters, each typed and described as the command's field of its name.
fn path_parameters(route: &CommandRoute, fields: &Object) -> Option<Vec<Parameter>> {
    let parameters: Vec<Parameter> = route
        .parameters()
        .map(|parameter| {
            let (description, schema) = match fields.properties[parameter].clone() {
                RefOr::T(Schema::Object(mut field)) => (field.description.take(), field.into()),
                other => (None, other),
            };
            ParameterBuilder::new()
                .name(parameter)
                .parameter_in(ParameterIn::Path)
                .required(Required::True)
                .description(description)
                .schema(Some(schema))
                .build()
        })
        .collect();
    (!parameters.is_empty()).then_some(parameters)
}

/// The body: the command's fields but those given outside it, and `request_id` where retries
/// are answered.
fn body(route: &CommandRoute, mut fields: Object) -> Schema {
    let outside: Vec<&str> = route
        .parameters()
        .chain(route.answer.chosen().iter().copied())
        .collect();
    fields.properties = std::mem::take(&mut fields.properties)
        .into_iter()
        .filter(|(field, _)| !outside.contains(&field.as_str()))
        .collect();
    fields
        .required
        .retain(|field| !outside.contains(&field.as_str()));
    if route.answer.retries() {
        fields
            .properties
            .insert(REQUEST_ID.into(), request_id_schema());
    }
    Schema::Object(fields)
}

/// The 201 answer.
fn created(answer: Answer) -> ResponseBuilder {
    let (description, schema) = match answer {
        Answer::Recorded => (
            "Recorded: the act's event, then the events the rules derived from it.",
            CommandAnswer::name(),
        ),
        Answer::TokenIssued => (
            "Issued: the token's text, shown this once.",
            IssuedTokenAnswer::name(),
        ),
        Answer::TokenRevoked => ("Revoked.", CommandAnswer::name()),
    };
    ResponseBuilder::new()
        .description(description)
        .content("application/json", json(&schema))
}

/// JSON of the schema named `name`.
fn json(name: &str) -> utoipa::openapi::Content {
    ContentBuilder::new()
        .schema(Some(Ref::from_schema_name(name)))
        .build()
}

fn request_id_schema() -> RefOr<Schema> {
    ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Uuid)))
        .description(Some(
            "Makes a retry safe: a UUIDv7 the client chose. Sent again, the same request is answered from the ledger (200) instead of recorded twice.",
        ))
        .into()
}

/// `WriteEntry` as `write_entry`.
fn snake_case(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    for (index, character) in name.chars().enumerate() {
        if character.is_ascii_uppercase() && index > 0 {
            out.push('_');
        }
        out.push(character.to_ascii_lowercase());
    }
    out
}

fn http_method(method: &Method) -> HttpMethod {
    [
        (Method::POST, HttpMethod::Post),
        (Method::PUT, HttpMethod::Put),
        (Method::PATCH, HttpMethod::Patch),
        (Method::DELETE, HttpMethod::Delete),
    ]
    .into_iter()
    .find_map(|(known, documented)| (known == *method).then_some(documented))
    .expect("a command is a POST, PUT, PATCH or DELETE")
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
