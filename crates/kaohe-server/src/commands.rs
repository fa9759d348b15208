//! Every command of the rules as a `POST` under `/v1/`: the signed-in person acts, now; the
//! rules decide and authorize (by role and by object, on the day of the act); the events are
//! appended before the answer. A refusal appends nothing. Every body may carry a
//! `request_id` (a UUIDv7 the client chose): sent again, the same request is answered from
//! the ledger instead of recorded twice.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use jiff::civil::Date;
use kaohe_assess::Command;
use kaohe_assess::commands as rules;
use kaohe_assess::payload::Scores;
use kaohe_assess::period::{Month, Period, Quarter};
use kaohe_assess::policy::Policy;
use kaohe_assess::state::Kind;
use kaohe_assess::{Outcome, Role};
use kaohe_engine::Executed;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::{BearerSession, Session};
use crate::{ApiError, AppState};

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

/// 201 for a new record, 200 for a retry answered from the ledger.
pub fn answer<T: Serialize>(created: bool, body: T) -> Response {
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    (status, Json(body)).into_response()
}

async fn execute(
    state: &AppState,
    caller: &Session,
    request_id: Option<Uuid>,
    command: Command,
) -> Result<Response, ApiError> {
    let executed = state
        .engine
        .execute(&caller.person_id, command, request_id)
        .await?;
    Ok(answer(executed.created, CommandAnswer::from(executed)))
}

/// `POST /v1/entries`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WriteEntry {
    /// The working day (not after today).
    pub date: Date,
    /// First line: what was done.
    pub did: String,
    /// Second line: what was learned or achieved (may be empty).
    #[serde(default)]
    pub learned: String,
    /// Makes a retry safe.
    pub request_id: Option<Uuid>,
}

/// Write the entry of a working day (一天两行字): a cadre, for themselves.
#[utoipa::path(post, path = "/v1/entries", tag = "records", request_body = WriteEntry,
    responses((status = 201, description = "Recorded.", body = CommandAnswer)))]
pub async fn write_entry(
    State(state): State<AppState>,
    BearerSession(caller): BearerSession,
    Json(body): Json<WriteEntry>,
) -> Result<Response, ApiError> {
    let command = Command::WriteEntry(rules::WriteEntry {
        date: body.date,
        did: body.did,
        learned: body.learned,
    });
    execute(&state, &caller, body.request_id, command).await
}

/// `POST /v1/entries/{entry_id}/amendments`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AmendEntry {
    /// The corrected first line.
    pub did: String,
    /// The corrected second line.
    #[serde(default)]
    pub learned: String,
    /// Why.
    pub reason: String,
    /// Makes a retry safe.
    pub request_id: Option<Uuid>,
}

/// Correct one of your entries; the original stays visible.
#[utoipa::path(post, path = "/v1/entries/{entry_id}/amendments", tag = "records",
    params(("entry_id" = Uuid, Path, description = "The entry's event id.")),
    request_body = AmendEntry, responses((status = 201, description = "Recorded.", body = CommandAnswer)))]
pub async fn amend_entry(
    State(state): State<AppState>,
    BearerSession(caller): BearerSession,
    Path(entry_id): Path<Uuid>,
    Json(body): Json<AmendEntry>,
) -> Result<Response, ApiError> {
    let command = Command::AmendEntry(rules::AmendEntry {
        entry_id,
        did: body.did,
        learned: body.learned,
        reason: body.reason,
    });
    execute(&state, &caller, body.request_id, command).await
}

/// `POST /v1/sheets`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SubmitSheet {
    /// The ten-day period, `YYYY-MM-N` (N = 1, 2 or 3).
    #[schema(value_type = String, example = "2026-03-1")]
    pub period: Period,
    /// Makes a retry safe.
    pub request_id: Option<Uuid>,
}

/// Hand in your sheet of a ten-day period, after its last day.
#[utoipa::path(post, path = "/v1/sheets", tag = "records", request_body = SubmitSheet,
    responses((status = 201, description = "Recorded.", body = CommandAnswer)))]
pub async fn submit_sheet(
    State(state): State<AppState>,
    BearerSession(caller): BearerSession,
    Json(body): Json<SubmitSheet>,
) -> Result<Response, ApiError> {
    let command = Command::SubmitSheet(rules::SubmitSheet {
        period: body.period,
    });
    execute(&state, &caller, body.request_id, command).await
}

fn period_of(text: &str) -> Result<Period, ApiError> {
    text.parse()
        .map_err(|error: kaohe_assess::period::PeriodError| {
            ApiError::bad_request(error.to_string())
        })
}

fn quarter_of(text: &str) -> Result<Quarter, ApiError> {
    text.parse()
        .map_err(|error: kaohe_assess::period::PeriodError| {
            ApiError::bad_request(error.to_string())
        })
}

/// `POST /v1/sheets/{person_id}/{period}/reading`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReadSheet {
    /// A comment, possibly empty.
    #[serde(default)]
    pub comment: String,
    /// Makes a retry safe.
    pub request_id: Option<Uuid>,
}

/// Read a supervisee's sheet: their supervising leader of that period.
#[utoipa::path(post, path = "/v1/sheets/{person_id}/{period}/reading", tag = "records",
    params(("person_id" = String, Path, description = "Whose sheet."),
           ("period" = String, Path, description = "The period, YYYY-MM-N.")),
    request_body = ReadSheet, responses((status = 201, description = "Recorded.", body = CommandAnswer)))]
pub async fn read_sheet(
    State(state): State<AppState>,
    BearerSession(caller): BearerSession,
    Path((person_id, period)): Path<(String, String)>,
    Json(body): Json<ReadSheet>,
) -> Result<Response, ApiError> {
    let command = Command::ReadSheet(rules::ReadSheet {
        person_id,
        period: period_of(&period)?,
        comment: body.comment,
    });
    execute(&state, &caller, body.request_id, command).await
}

/// `POST /v1/sheets/{person_id}/{period}/display`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DisplaySheet {
    /// Why it is shown to all staff.
    pub note: String,
    /// Makes a retry safe.
    pub request_id: Option<Uuid>,
}

/// Select a submitted sheet for display to all staff (抽选展示): the office.
#[utoipa::path(post, path = "/v1/sheets/{person_id}/{period}/display", tag = "records",
    params(("person_id" = String, Path, description = "Whose sheet."),
           ("period" = String, Path, description = "The period, YYYY-MM-N.")),
    request_body = DisplaySheet, responses((status = 201, description = "Recorded.", body = CommandAnswer)))]
pub async fn display_sheet(
    State(state): State<AppState>,
    BearerSession(caller): BearerSession,
    Path((person_id, period)): Path<(String, String)>,
    Json(body): Json<DisplaySheet>,
) -> Result<Response, ApiError> {
    let command = Command::DisplaySheet(rules::DisplaySheet {
        person_id,
        period: period_of(&period)?,
        note: body.note,
    });
    execute(&state, &caller, body.request_id, command).await
}

/// `POST /v1/opinions`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GiveOpinion {
    /// The cadre, of your area.
    pub cadre_id: String,
    /// The month, `YYYY-MM`.
    #[schema(value_type = String, example = "2026-03")]
    pub month: Month,
    /// The opinion.
    pub opinion: String,
    /// Makes a retry safe.
    pub request_id: Option<Uuid>,
}

/// Give an area chief's opinion (片长意见) on a cadre of your area for a month.
#[utoipa::path(post, path = "/v1/opinions", tag = "evaluations", request_body = GiveOpinion,
    responses((status = 201, description = "Recorded.", body = CommandAnswer)))]
pub async fn give_opinion(
    State(state): State<AppState>,
    BearerSession(caller): BearerSession,
    Json(body): Json<GiveOpinion>,
) -> Result<Response, ApiError> {
    let command = Command::GiveOpinion(rules::GiveOpinion {
        cadre_id: body.cadre_id,
        month: body.month,
        opinion: body.opinion,
    });
    execute(&state, &caller, body.request_id, command).await
}

/// `POST /v1/nominations`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Nominate {
    /// The month rated, `YYYY-MM`.
    #[schema(value_type = String, example = "2026-03")]
    pub month: Month,
    /// `best` or `worst`.
    pub kind: Kind,
    /// The cadre named, your supervisee that month.
    pub cadre_id: String,
    /// Why.
    pub reason: String,
    /// The entries, sheets and opinions of that cadre and month the reason rests on.
    pub cited_ids: Vec<Uuid>,
    /// Under numeric scoring, why you name someone other than the scores give.
    pub override_reason: Option<String>,
    /// Makes a retry safe.
    pub request_id: Option<Uuid>,
}

/// Name the best or the worst of your supervisees for a month (一评): a supervising leader.
#[utoipa::path(post, path = "/v1/nominations", tag = "evaluations", request_body = Nominate,
    responses((status = 201, description = "Recorded.", body = CommandAnswer)))]
pub async fn nominate(
    State(state): State<AppState>,
    BearerSession(caller): BearerSession,
    Json(body): Json<Nominate>,
) -> Result<Response, ApiError> {
    let command = Command::Nominate(rules::Nominate {
        month: body.month,
        kind: body.kind,
        cadre_id: body.cadre_id,
        reason: body.reason,
        cited_ids: body.cited_ids,
        override_reason: body.override_reason,
    });
    execute(&state, &caller, body.request_id, command).await
}

/// `POST /v1/scores`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GiveScores {
    /// The month, `YYYY-MM`.
    #[schema(value_type = String, example = "2026-07")]
    pub month: Month,
    /// The cadre, your supervisee that month.
    pub cadre_id: String,
    /// The five scores, tenths of a point.
    pub scores: Scores,
    /// Makes a retry safe.
    pub request_id: Option<Uuid>,
}

/// Score a supervisee on the five dimensions for a month, under numeric scoring.
#[utoipa::path(post, path = "/v1/scores", tag = "evaluations", request_body = GiveScores,
    responses((status = 201, description = "Recorded.", body = CommandAnswer)))]
pub async fn give_scores(
    State(state): State<AppState>,
    BearerSession(caller): BearerSession,
    Json(body): Json<GiveScores>,
) -> Result<Response, ApiError> {
    let command = Command::GiveScores(rules::GiveScores {
        month: body.month,
        cadre_id: body.cadre_id,
        scores: body.scores,
    });
    execute(&state, &caller, body.request_id, command).await
}

/// `POST /v1/quarters/{quarter}/proposals`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProposeDecision {
    /// The best workers, from the quarter's best pool.
    pub best: Vec<String>,
    /// The worst workers, from the quarter's worst pool.
    pub worst: Vec<String>,
    /// Makes a retry safe.
    pub request_id: Option<Uuid>,
}

/// Propose the quarterly decision (二评): the party secretary or the mayor.
#[utoipa::path(post, path = "/v1/quarters/{quarter}/proposals", tag = "evaluations",
    params(("quarter" = String, Path, description = "The quarter, YYYY-QN.")),
    request_body = ProposeDecision, responses((status = 201, description = "Recorded.", body = CommandAnswer)))]
pub async fn propose_decision(
    State(state): State<AppState>,
    BearerSession(caller): BearerSession,
    Path(quarter): Path<String>,
    Json(body): Json<ProposeDecision>,
) -> Result<Response, ApiError> {
    let command = Command::ProposeDecision(rules::ProposeDecision {
        quarter: quarter_of(&quarter)?,
        best: body.best,
        worst: body.worst,
    });
    execute(&state, &caller, body.request_id, command).await
}

/// `POST /v1/quarters/{quarter}/cosignature`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CosignDecision {
    /// The quarter's latest proposal.
    pub proposal_id: Uuid,
    /// Makes a retry safe.
    pub request_id: Option<Uuid>,
}

/// Co-sign the proposal, putting it in force with its sanctions: the other of the two.
#[utoipa::path(post, path = "/v1/quarters/{quarter}/cosignature", tag = "evaluations",
    params(("quarter" = String, Path, description = "The quarter, YYYY-QN.")),
    request_body = CosignDecision, responses((status = 201, description = "Recorded, with the sanctions it brings.", body = CommandAnswer)))]
pub async fn cosign_decision(
    State(state): State<AppState>,
    BearerSession(caller): BearerSession,
    Path(quarter): Path<String>,
    Json(body): Json<CosignDecision>,
) -> Result<Response, ApiError> {
    let command = Command::CosignDecision(rules::CosignDecision {
        quarter: quarter_of(&quarter)?,
        proposal_id: body.proposal_id,
    });
    execute(&state, &caller, body.request_id, command).await
}

/// `POST /v1/quarters/{quarter}/publication`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublishDecision {
    /// The public notice (公示).
    pub notice: String,
    /// Makes a retry safe.
    pub request_id: Option<Uuid>,
}

/// Publish the quarter's decision in force: the office. Appeal windows run from today.
#[utoipa::path(post, path = "/v1/quarters/{quarter}/publication", tag = "evaluations",
    params(("quarter" = String, Path, description = "The quarter, YYYY-QN.")),
    request_body = PublishDecision, responses((status = 201, description = "Recorded.", body = CommandAnswer)))]
pub async fn publish_decision(
    State(state): State<AppState>,
    BearerSession(caller): BearerSession,
    Path(quarter): Path<String>,
    Json(body): Json<PublishDecision>,
) -> Result<Response, ApiError> {
    let command = Command::PublishDecision(rules::PublishDecision {
        quarter: quarter_of(&quarter)?,
        notice: body.notice,
    });
    execute(&state, &caller, body.request_id, command).await
}

/// `POST /v1/appeals`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FileAppeal {
    /// The quarter, `YYYY-QN`.
    #[schema(value_type = String, example = "2026-Q1")]
    pub quarter: Quarter,
    /// Whose designation (under the default policy, your own).
    pub person_id: String,
    /// `best` or `worst`.
    pub kind: Kind,
    /// Why it is unfair.
    pub grounds: String,
    /// Makes a retry safe.
    pub request_id: Option<Uuid>,
}

/// Appeal a designation to the party committee (复评申请), within the filing window.
#[utoipa::path(post, path = "/v1/appeals", tag = "appeals", request_body = FileAppeal,
    responses((status = 201, description = "Recorded.", body = CommandAnswer)))]
pub async fn file_appeal(
    State(state): State<AppState>,
    BearerSession(caller): BearerSession,
    Json(body): Json<FileAppeal>,
) -> Result<Response, ApiError> {
    let command = Command::FileAppeal(rules::FileAppeal {
        quarter: body.quarter,
        person_id: body.person_id,
        kind: body.kind,
        grounds: body.grounds,
    });
    execute(&state, &caller, body.request_id, command).await
}

/// `POST /v1/appeals/{appeal_id}/answer`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AnswerAppeal {
    /// Upheld or overturned.
    pub outcome: Outcome,
    /// Why.
    pub reasons: String,
    /// Makes a retry safe.
    pub request_id: Option<Uuid>,
}

/// Answer an appeal: the party committee, not about or by yourself.
#[utoipa::path(post, path = "/v1/appeals/{appeal_id}/answer", tag = "appeals",
    params(("appeal_id" = Uuid, Path, description = "The appeal's event id.")),
    request_body = AnswerAppeal, responses((status = 201, description = "Recorded, with any revocations.", body = CommandAnswer)))]
pub async fn answer_appeal(
    State(state): State<AppState>,
    BearerSession(caller): BearerSession,
    Path(appeal_id): Path<Uuid>,
    Json(body): Json<AnswerAppeal>,
) -> Result<Response, ApiError> {
    let command = Command::AnswerAppeal(rules::AnswerAppeal {
        appeal_id,
        outcome: body.outcome,
        reasons: body.reasons,
    });
    execute(&state, &caller, body.request_id, command).await
}

/// `POST /v1/sanctions/{sanction_id}/talk`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordTalk {
    /// The day the talk was held.
    pub held_on: Date,
    /// What was said and agreed.
    pub summary: String,
    /// Makes a retry safe.
    pub request_id: Option<Uuid>,
}

/// Record the talk a worst designation calls for (谈话): the party secretary or the mayor.
#[utoipa::path(post, path = "/v1/sanctions/{sanction_id}/talk", tag = "sanctions",
    params(("sanction_id" = Uuid, Path, description = "The talk sanction's event id.")),
    request_body = RecordTalk, responses((status = 201, description = "Recorded.", body = CommandAnswer)))]
pub async fn record_talk(
    State(state): State<AppState>,
    BearerSession(caller): BearerSession,
    Path(sanction_id): Path<Uuid>,
    Json(body): Json<RecordTalk>,
) -> Result<Response, ApiError> {
    let command = Command::RecordTalk(rules::RecordTalk {
        sanction_id,
        held_on: body.held_on,
        summary: body.summary,
    });
    execute(&state, &caller, body.request_id, command).await
}

/// `POST /v1/sanctions/{sanction_id}/plan`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlanRectification {
    /// The problems, measures and dates.
    pub plan: String,
    /// Makes a retry safe.
    pub request_id: Option<Uuid>,
}

/// Hand in the plan of your rectification (整改方案).
#[utoipa::path(post, path = "/v1/sanctions/{sanction_id}/plan", tag = "sanctions",
    params(("sanction_id" = Uuid, Path, description = "The rectification sanction's event id.")),
    request_body = PlanRectification, responses((status = 201, description = "Recorded.", body = CommandAnswer)))]
pub async fn plan_rectification(
    State(state): State<AppState>,
    BearerSession(caller): BearerSession,
    Path(sanction_id): Path<Uuid>,
    Json(body): Json<PlanRectification>,
) -> Result<Response, ApiError> {
    let command = Command::PlanRectification(rules::PlanRectification {
        sanction_id,
        plan: body.plan,
    });
    execute(&state, &caller, body.request_id, command).await
}

/// `POST /v1/sanctions/{sanction_id}/completion`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CompleteRectification {
    /// What was done, as you found it.
    pub summary: String,
    /// Makes a retry safe.
    pub request_id: Option<Uuid>,
}

/// Confirm a supervisee's rectification was carried out: their supervising leader.
#[utoipa::path(post, path = "/v1/sanctions/{sanction_id}/completion", tag = "sanctions",
    params(("sanction_id" = Uuid, Path, description = "The rectification sanction's event id.")),
    request_body = CompleteRectification, responses((status = 201, description = "Recorded.", body = CommandAnswer)))]
pub async fn complete_rectification(
    State(state): State<AppState>,
    BearerSession(caller): BearerSession,
    Path(sanction_id): Path<Uuid>,
    Json(body): Json<CompleteRectification>,
) -> Result<Response, ApiError> {
    let command = Command::CompleteRectification(rules::CompleteRectification {
        sanction_id,
        summary: body.summary,
    });
    execute(&state, &caller, body.request_id, command).await
}

/// `POST /v1/people`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisterPerson {
    /// The new roster id.
    pub person_id: String,
    /// The name.
    pub name: String,
    /// Makes a retry safe.
    pub request_id: Option<Uuid>,
}

/// Add a person to the roster: the office.
#[utoipa::path(post, path = "/v1/people", tag = "roster", request_body = RegisterPerson,
    responses((status = 201, description = "Recorded.", body = CommandAnswer)))]
pub async fn register_person(
    State(state): State<AppState>,
    BearerSession(caller): BearerSession,
    Json(body): Json<RegisterPerson>,
) -> Result<Response, ApiError> {
    let command = Command::RegisterPerson(rules::RegisterPerson {
        person_id: body.person_id,
        name: body.name,
    });
    execute(&state, &caller, body.request_id, command).await
}

/// `POST /v1/people/{person_id}/roles`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignRole {
    /// The role.
    #[schema(value_type = Role)]
    pub role: String,
    /// The first day.
    pub from: Date,
    /// The last day, inclusive; open-ended when absent.
    pub until: Option<Date>,
    /// Makes a retry safe.
    pub request_id: Option<Uuid>,
}

/// Give a person a role for a span of days: the office.
#[utoipa::path(post, path = "/v1/people/{person_id}/roles", tag = "roster",
    params(("person_id" = String, Path, description = "Who.")),
    request_body = AssignRole, responses((status = 201, description = "Recorded.", body = CommandAnswer)))]
pub async fn assign_role(
    State(state): State<AppState>,
    BearerSession(caller): BearerSession,
    Path(person_id): Path<String>,
    Json(body): Json<AssignRole>,
) -> Result<Response, ApiError> {
    let command = Command::AssignRole(rules::AssignRole {
        person_id,
        role: body.role,
        from: body.from,
        until: body.until,
    });
    execute(&state, &caller, body.request_id, command).await
}

/// `POST /v1/people/{person_id}/supervision`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignSupervision {
    /// The supervising leader.
    pub leader_id: String,
    /// From this day on.
    pub from: Date,
    /// Makes a retry safe.
    pub request_id: Option<Uuid>,
}

/// Put a cadre under a supervising leader from a day: the office.
#[utoipa::path(post, path = "/v1/people/{person_id}/supervision", tag = "roster",
    params(("person_id" = String, Path, description = "The cadre.")),
    request_body = AssignSupervision, responses((status = 201, description = "Recorded.", body = CommandAnswer)))]
pub async fn assign_supervision(
    State(state): State<AppState>,
    BearerSession(caller): BearerSession,
    Path(person_id): Path<String>,
    Json(body): Json<AssignSupervision>,
) -> Result<Response, ApiError> {
    let command = Command::AssignSupervision(rules::AssignSupervision {
        person_id,
        leader_id: body.leader_id,
        from: body.from,
    });
    execute(&state, &caller, body.request_id, command).await
}

/// `POST /v1/people/{person_id}/area`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AssignArea {
    /// The area.
    pub area: String,
    /// Its chief.
    pub chief_id: String,
    /// From this day on.
    pub from: Date,
    /// Makes a retry safe.
    pub request_id: Option<Uuid>,
}

/// Put a cadre in an area under its chief from a day: the office.
#[utoipa::path(post, path = "/v1/people/{person_id}/area", tag = "roster",
    params(("person_id" = String, Path, description = "The cadre.")),
    request_body = AssignArea, responses((status = 201, description = "Recorded.", body = CommandAnswer)))]
pub async fn assign_area(
    State(state): State<AppState>,
    BearerSession(caller): BearerSession,
    Path(person_id): Path<String>,
    Json(body): Json<AssignArea>,
) -> Result<Response, ApiError> {
    let command = Command::AssignArea(rules::AssignArea {
        person_id,
        area: body.area,
        chief_id: body.chief_id,
        from: body.from,
    });
    execute(&state, &caller, body.request_id, command).await
}

/// `POST /v1/policies`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AdoptPolicy {
    /// The next policy version, effective from today or later.
    pub policy: Policy,
    /// Makes a retry safe.
    pub request_id: Option<Uuid>,
}

/// Adopt the next policy version: the office.
#[utoipa::path(post, path = "/v1/policies", tag = "roster", request_body = AdoptPolicy,
    responses((status = 201, description = "Recorded.", body = CommandAnswer)))]
pub async fn adopt_policy(
    State(state): State<AppState>,
    BearerSession(caller): BearerSession,
    Json(body): Json<AdoptPolicy>,
) -> Result<Response, ApiError> {
    let command = Command::AdoptPolicy(rules::AdoptPolicy {
        policy: body.policy,
    });
    execute(&state, &caller, body.request_id, command).await
}

/// `POST /v1/tokens`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IssueToken {
    /// Whom the token signs in.
    pub person_id: String,
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

/// Issue a bearer token to a person: the office.
#[utoipa::path(post, path = "/v1/tokens", tag = "roster", request_body = IssueToken,
    responses((status = 201, description = "Issued.", body = IssuedTokenAnswer)))]
pub async fn issue_token(
    State(state): State<AppState>,
    BearerSession(caller): BearerSession,
    Json(body): Json<IssueToken>,
) -> Result<Response, ApiError> {
    let (issued, executed) = state
        .engine
        .issue_token(&caller.person_id, &body.person_id)
        .await?;
    Ok(answer(
        true,
        IssuedTokenAnswer {
            token_id: issued.token_id,
            person_id: issued.person_id,
            token: issued.text,
            events: CommandAnswer::from(executed).events,
        },
    ))
}

/// `POST /v1/tokens/{token_id}/revocation`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RevokeToken {
    /// Why.
    pub reason: String,
}

/// Revoke a bearer token: the office.
#[utoipa::path(post, path = "/v1/tokens/{token_id}/revocation", tag = "roster",
    params(("token_id" = Uuid, Path, description = "The token's id.")),
    request_body = RevokeToken, responses((status = 201, description = "Revoked.", body = CommandAnswer)))]
pub async fn revoke_token(
    State(state): State<AppState>,
    BearerSession(caller): BearerSession,
    Path(token_id): Path<Uuid>,
    Json(body): Json<RevokeToken>,
) -> Result<Response, ApiError> {
    let executed = state
        .engine
        .revoke_token(&caller.person_id, token_id, &body.reason)
        .await?;
    Ok(answer(true, CommandAnswer::from(executed)))
}
