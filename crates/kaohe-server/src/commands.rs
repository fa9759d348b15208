//! Every command of the rules under `/v1/`, from one table: a command's endpoint is one line
//! of `ROUTES` (method, path, tag, the command's struct), and one handler serves them all. It
//! takes the signed-in person, the path's parameters and the JSON body; takes `request_id` (a
//! UUIDv7 the client chose: sent again, the same request is answered from the ledger instead
//! of recorded twice) out of the body; merges the parameters in and deserializes the struct
//! (`input.rs`); and executes it (`execute`, which the pages use too). The rules decide and
//! authorize, by role and by object, on the day of the act; the events are appended before the
//! answer; a refusal appends nothing. The OpenAPI operation of each line is derived from the
//! same struct and line (`openapi.rs`).

use std::borrow::Cow;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{FromRequest, RawPathParams, Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, MethodRouter, on};
use kaohe_assess::Command;
// Every command struct, each named once in the table below.
use kaohe_assess::commands::*;
use kaohe_engine::{Engine, ExecuteError, Executed, IssuedToken};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::error::Category;
use utoipa::ToSchema;
use utoipa::openapi::RefOr;
use utoipa::openapi::schema::Schema;
use uuid::Uuid;

use crate::auth::{BearerSession, Session};
use crate::input::{self, Given, InputError, RequestId};
use crate::{ApiError, AppState};

/// The command endpoints, one line each: 一记, 三评, appeals, 三奖惩, the office.
pub static ROUTES: &[CommandRoute] = &[
    recorded::<WriteEntry>("/v1/entries", "records"),
    recorded::<AmendEntry>("/v1/entries/{entry_id}/amendments", "records"),
    recorded::<SubmitSheet>("/v1/sheets", "records"),
    recorded::<ReadSheet>("/v1/sheets/{person_id}/{period}/reading", "records"),
    recorded::<DisplaySheet>("/v1/sheets/{person_id}/{period}/display", "records"),
    recorded::<GiveOpinion>("/v1/opinions", "evaluations"),
    recorded::<Nominate>("/v1/nominations", "evaluations"),
    recorded::<GiveScores>("/v1/scores", "evaluations"),
    recorded::<ProposeDecision>("/v1/quarters/{quarter}/proposals", "evaluations"),
    recorded::<CosignDecision>("/v1/quarters/{quarter}/cosignature", "evaluations"),
    recorded::<PublishDecision>("/v1/quarters/{quarter}/publication", "evaluations"),
    recorded::<FileAppeal>("/v1/appeals", "appeals"),
    recorded::<AnswerAppeal>("/v1/appeals/{appeal_id}/answer", "appeals"),
    recorded::<RecordTalk>("/v1/sanctions/{sanction_id}/talk", "sanctions"),
    recorded::<PlanRectification>("/v1/sanctions/{sanction_id}/plan", "sanctions"),
    recorded::<CompleteRectification>("/v1/sanctions/{sanction_id}/completion", "sanctions"),
    recorded::<RegisterPerson>("/v1/people", "roster"),
    recorded::<AssignRole>("/v1/people/{person_id}/roles", "roster"),
    recorded::<AssignSupervision>("/v1/people/{person_id}/supervision", "roster"),
    recorded::<AssignArea>("/v1/people/{person_id}/area", "roster"),
    recorded::<AdoptPolicy>("/v1/policies", "roster"),
    recorded::<RecordCalendar>("/v1/calendars", "roster"),
    route::<IssueToken>("/v1/tokens", "roster", Answer::TokenIssued),
    route::<RevokeToken>(
        "/v1/tokens/{token_id}/revocation",
        "roster",
        Answer::TokenRevoked,
    ),
    recorded::<RegisterUnit>("/v1/units", "units"),
    recorded::<AssignUnitLeader>("/v1/units/leaders", "units"),
    recorded::<AssignIndicator>("/v1/indicators/responsibility", "units"),
    recorded::<RecordCityScores>("/v1/indicators/scores", "units"),
    recorded::<FulfilConsequence>("/v1/indicators/consequences", "units"),
    recorded::<ScoreVillages>("/v1/villages/scores", "units"),
    recorded::<PublishVillageRanking>("/v1/villages/rankings", "units"),
    recorded::<ReportVillageWork>("/v1/villages/reports", "units"),
    recorded::<RecordSpotCheck>("/v1/spot-checks", "units"),
    recorded::<JustifyAbsence>("/v1/spot-checks/justifications", "units"),
    recorded::<ReviewAbsence>("/v1/spot-checks/reviews", "units"),
    recorded::<RegisterKeyTask>("/v1/key-tasks", "units"),
    recorded::<ReportKeyTaskProgress>("/v1/key-tasks/progress", "units"),
    recorded::<FollowUpKeyTask>("/v1/key-tasks/follow-ups", "units"),
    recorded::<ReviewKeyTasks>("/v1/key-tasks/reviews", "units"),
    recorded::<OpenListItem>("/v1/list-items", "units"),
    recorded::<AnalyseListItem>("/v1/list-items/analyses", "units"),
    recorded::<CloseListItem>("/v1/list-items/closures", "units"),
    recorded::<VerifyListItem>("/v1/list-items/verifications", "units"),
    recorded::<ReopenListItem>("/v1/list-items/reopenings", "units"),
];

/// One command endpoint.
pub struct CommandRoute {
    /// The method: a command changes the ledger, so `POST`.
    pub method: Method,
    /// The path template; each `{name}` is the command's field of that name.
    pub path: &'static str,
    /// The OpenAPI tag (`openapi.rs` names them).
    pub tag: &'static str,
    /// The command's struct.
    pub command: CommandStruct,
    /// How it is answered.
    pub answer: Answer,
}

/// A command's struct, as the table needs it: its name and schema for the document, and how a
/// request becomes it.
pub struct CommandStruct {
    /// The struct's name, which is also the name of its body's schema.
    pub name: fn() -> Cow<'static, str>,
    /// The struct's schema: its fields, described by their doc comments.
    pub schema: fn() -> RefOr<Schema>,
    /// The schemas the struct refers to.
    pub schemas: fn(&mut Vec<(String, RefOr<Schema>)>),
    /// Check the fields given outside the body alone.
    check_given: fn(&[Given<'_>]) -> Result<(), InputError<serde_json::Error>>,
    /// The command from the given fields and a JSON body.
    read: ReadJson,
}

type ReadJson = fn(
    &[Given<'_>],
    &[u8],
    Option<&mut RequestId>,
) -> Result<Command, InputError<serde_json::Error>>;

/// How a command endpoint is answered.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    /// 201 with the events, or 200 for a retry answered from the ledger; the body may carry
    /// `request_id`.
    Recorded,
    /// 201 with the token's text, shown once and never again; the service chooses the
    /// token's id and keeps the secret's hash. No retries: the text cannot be answered again.
    TokenIssued,
    /// 201 with the events; the token's hash is forgotten in the same commit. No retries.
    TokenRevoked,
}

impl Answer {
    /// Whether the body may carry `request_id`.
    pub fn retries(self) -> bool {
        self == Answer::Recorded
    }

    /// The command's fields the service chooses, never the body.
    pub fn chosen(self) -> &'static [&'static str] {
        match self {
            Answer::TokenIssued => &["token_id"],
            Answer::Recorded | Answer::TokenRevoked => &[],
        }
    }

    /// The values of the chosen fields for one request: each a new UUIDv7 by the engine's
    /// clock (the one there is is a token's id).
    fn choose(self, engine: &Engine) -> Vec<(&'static str, String)> {
        self.chosen()
            .iter()
            .map(|field| (*field, engine.new_id().to_string()))
            .collect()
    }
}

impl CommandRoute {
    /// The names of the path's parameters.
    pub fn parameters(&self) -> impl Iterator<Item = &'static str> {
        self.path
            .split('/')
            .filter_map(|segment| segment.strip_prefix('{')?.strip_suffix('}'))
    }
}

/// The line of a command answered with its events.
const fn recorded<C: Readable>(path: &'static str, tag: &'static str) -> CommandRoute {
    route::<C>(path, tag, Answer::Recorded)
}

const fn route<C: Readable>(path: &'static str, tag: &'static str, answer: Answer) -> CommandRoute {
    CommandRoute {
        method: Method::POST,
        path,
        tag,
        command: CommandStruct {
            name: <C as ToSchema>::name,
            schema: <C as utoipa::PartialSchema>::schema,
            schemas: <C as ToSchema>::schemas,
            check_given: input::check_given::<C, serde_json::Error>,
            read: read_json::<C>,
        },
        answer,
    }
}

/// What a command's struct must be to have a line in the table.
trait Readable: DeserializeOwned + ToSchema + Into<Command> + 'static {}

impl<C: DeserializeOwned + ToSchema + Into<Command> + 'static> Readable for C {}

fn read_json<C: Readable>(
    given: &[Given<'_>],
    body: &[u8],
    request_id: Option<&mut RequestId>,
) -> Result<Command, InputError<serde_json::Error>> {
    let mut json = serde_json::Deserializer::from_slice(body);
    let command: C = input::command(given, &mut json, request_id)?;
    // Anything after the body's value is a syntax error, as a plain `Json` extractor finds.
    json.end().map_err(|error| {
        let at_the_top = serde_path_to_error::Track::new().path();
        InputError::Body(serde_path_to_error::Error::new(at_the_top, error))
    })?;
    Ok(command.into())
}

/// The route of a line: its method, and the one handler.
pub fn method_router(route: &'static CommandRoute) -> MethodRouter<AppState> {
    let filter =
        MethodFilter::try_from(route.method.clone()).expect("a command's method is routable");
    on(
        filter,
        move |State(state): State<AppState>,
              BearerSession(session): BearerSession,
              parameters: RawPathParams,
              request: Request| async move {
            handle(route, &state, &session, &parameters, request)
                .await
                .unwrap_or_else(|answer| answer)
        },
    )
}

/// The one command handler: the path's parameters are checked before the body, then the
/// body's media type, size and fields, as a plain `Json` extractor checks them.
async fn handle(
    route: &'static CommandRoute,
    state: &AppState,
    session: &Session,
    parameters: &RawPathParams,
    request: Request,
) -> Result<Response, Response> {
    let chosen = route.answer.choose(&state.engine);
    let given: Vec<Given<'_>> = parameters
        .iter()
        .chain(chosen.iter().map(|(field, value)| (*field, value.as_str())))
        .collect();
    (route.command.check_given)(&given).map_err(input_error)?;
    if !json_content_type(request.headers()) {
        return Err(ApiError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "Expected request with `Content-Type: application/json`",
        )
        .into_response());
    }
    // A body over the limit is answered by the limit's own rejection (413).
    let body = Bytes::from_request(request, state)
        .await
        .map_err(IntoResponse::into_response)?;
    let mut request_id = RequestId::default();
    let retries = route.answer.retries().then_some(&mut request_id);
    let command = (route.command.read)(&given, &body, retries).map_err(input_error)?;
    let done = execute(state, session, command, request_id.id)
        .await
        .map_err(|error| ApiError::from(error).into_response())?;
    Ok(match done {
        Done::Recorded(executed) => answer(executed.created, CommandAnswer::from(executed)),
        Done::Issued(issued, executed) => answer(
            true,
            IssuedTokenAnswer {
                token_id: issued.token_id,
                person_id: issued.person_id,
                token: issued.text,
                events: CommandAnswer::from(executed).events,
            },
        ),
    })
}

/// `application/json`, or any `application/…+json`, as a plain `Json` extractor accepts.
fn json_content_type(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.parse::<mime::Mime>().ok())
        .is_some_and(|mime| {
            mime.type_() == "application"
                && (mime.subtype() == "json" || mime.suffix().is_some_and(|name| name == "json"))
        })
}

/// A path parameter that does not fit is the path's fault (400); a body that does not parse
/// is a malformed request (400); one that parses but does not fit the command is 422.
fn input_error(error: InputError<serde_json::Error>) -> Response {
    match error {
        InputError::Given(error) => {
            ApiError::bad_request(format!("Invalid URL: {error}")).into_response()
        }
        InputError::Body(error) => match error.inner().classify() {
            Category::Data => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_body",
                format!("Failed to deserialize the JSON body into the target type: {error}"),
            )
            .into_response(),
            Category::Syntax | Category::Eof | Category::Io => {
                ApiError::bad_request(format!("Failed to parse the request body as JSON: {error}"))
                    .into_response()
            }
        },
    }
}

/// What executing a command did.
pub enum Done {
    /// Its events were appended, or, for a retry, found.
    Recorded(Executed),
    /// A token was issued; its text is here once.
    Issued(IssuedToken, Executed),
}

impl Done {
    /// The events.
    pub fn executed(&self) -> &Executed {
        match self {
            Done::Recorded(executed) | Done::Issued(_, executed) => executed,
        }
    }
}

/// Execute `command` by the signed-in person, now: the one way the API and the pages record.
/// Tokens are issued and revoked with their hashes written beside the ledger in the same commit.
pub async fn execute(
    state: &AppState,
    session: &Session,
    command: Command,
    request_id: Option<Uuid>,
) -> Result<Done, ExecuteError> {
    let engine = &state.engine;
    let person = session.person_id.as_str();
    Ok(match command {
        Command::IssueToken(issue) => {
            let (issued, executed) = engine.issue_token_with(person, issue).await?;
            Done::Issued(issued, executed)
        }
        Command::RevokeToken(revoke) => Done::Recorded(
            engine
                .revoke_token(person, revoke.token_id, &revoke.reason)
                .await?,
        ),
        command => Done::Recorded(engine.execute(person, command, request_id).await?),
    })
}

/// One event a command appended.
#[derive(Debug, Serialize, ToSchema)]
pub struct RecordedEvent {
    /// Its position in the ledger.
    pub position: u64,
    /// Its id.
    pub id: Uuid,
    /// Its type.
    #[serde(rename = "type")]
    pub event_type: String,
    /// Its leaf hash, hexadecimal.
    pub leaf_hash: String,
}

/// The answer to a command: its events, durable.
#[derive(Debug, Serialize, ToSchema)]
pub struct CommandAnswer {
    /// False when the request was a retry answered from the ledger.
    pub created: bool,
    /// The act's event first, then the events the rules derived from it.
    pub events: Vec<RecordedEvent>,
}

impl From<Executed> for CommandAnswer {
    fn from(executed: Executed) -> Self {
        CommandAnswer {
            created: executed.created,
            events: executed
                .events
                .into_iter()
                .map(|event| RecordedEvent {
                    position: event.position,
                    id: event.id,
                    event_type: event.event_type,
                    leaf_hash: event.leaf.to_hex(),
                })
                .collect(),
        }
    }
}

/// A token just issued; its text is shown once and never stored.
#[derive(Debug, Serialize, ToSchema)]
pub struct IssuedTokenAnswer {
    /// The token's id (public).
    pub token_id: Uuid,
    /// Whom it signs in.
    pub person_id: String,
    /// The whole token: hand it to the person; it cannot be shown again.
    pub token: String,
    /// The `token_issued` event.
    pub events: Vec<RecordedEvent>,
}

/// 201 for a new record, 200 for a retry answered from the ledger.
fn answer<T: Serialize>(created: bool, body: T) -> Response {
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    (status, Json(body)).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_command_has_one_line_and_its_path_parameters_are_its_fields() {
        let mut lines: Vec<String> = ROUTES
            .iter()
            .map(|route| (route.command.name)().into_owned())
            .collect();
        lines.sort();
        let mut commands: Vec<&str> = Command::NAMES.to_vec();
        commands.sort();
        assert_eq!(lines, commands, "a command without its line, or with two");
        for route in ROUTES {
            let RefOr::T(Schema::Object(object)) = (route.command.schema)() else {
                panic!("{}: a command is a struct", route.path);
            };
            for field in route
                .parameters()
                .chain(route.answer.chosen().iter().copied())
            {
                assert!(
                    object.properties.contains_key(field),
                    "{}: {field} is not a field of {}",
                    route.path,
                    (route.command.name)()
                );
            }
        }
    }
}
