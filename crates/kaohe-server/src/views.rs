//! Every view as a `GET` under `/v1/`, now or as of a past day (`?as_of=YYYY-MM-DD`: the ledger
//! as it stood at the end of that day). Each checks who may read it: the overseers (the
//! principal leaders, the party committee, the office, the inspectors) read everything; a
//! leader reads their own month; a person reads their own year and the explanation of a
//! judgment about them.

use axum::Json;
use axum::extract::{Path, Query, State};
use jiff::civil::Date;
use kaohe_assess::Role;
use kaohe_assess::State as Ledger;
use kaohe_assess::access;
use kaohe_assess::period::{Month, Quarter};
use kaohe_assess::state::Publication;
use kaohe_assess::views::{self, AppealQueue, LeaderMonth, PersonPay, PersonYear, QuarterBoard};
use kaohe_engine::report::{ExplainReport, ReplayReport, explain_report, replay_report};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::auth::BearerSession;
use crate::ledger::{blocking, checkpoint_for};
use crate::{ApiError, AppState};

/// The query of every view.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct AsOf {
    /// Read the ledger as it stood at the end of this day (default: now).
    pub as_of: Option<Date>,
}

/// Compute `view` from the live state now, or from the ledger as of a past day.
async fn view<R: Send + 'static>(
    state: &AppState,
    as_of: Option<Date>,
    view: impl FnOnce(&Ledger, Date) -> R + Send + 'static,
) -> Result<R, ApiError> {
    match as_of {
        None => {
            let today = state.engine.today();
            Ok(state.engine.read(|ledger| view(ledger, today)))
        }
        Some(day) => {
            let engine = state.engine.clone();
            blocking(move || {
                let ledger = engine.state_as_of(day)?;
                Ok(view(&ledger, day))
            })
            .await
        }
    }
}

fn parse<T: std::str::FromStr<Err = kaohe_assess::period::PeriodError>>(
    text: &str,
) -> Result<T, ApiError> {
    text.parse()
        .map_err(|error: kaohe_assess::period::PeriodError| {
            ApiError::bad_request(error.to_string())
        })
}

/// Who is asking, as the service sees them today.
#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    /// Their roster id.
    pub person_id: String,
    /// Their name.
    pub name: String,
    /// The roles they hold today.
    pub roles: Vec<Role>,
    /// Today, in the organisation's zone.
    pub today: Date,
    /// The organisation.
    pub organisation: String,
}

/// Who you are signed in as, and your roles today.
#[utoipa::path(get, path = "/v1/me", tag = "views",
    responses((status = 200, description = "You.", body = Me)))]
pub async fn me(State(state): State<AppState>, BearerSession(caller): BearerSession) -> Json<Me> {
    Json(Me {
        person_id: caller.person_id,
        name: caller.name,
        roles: caller.roles.into_iter().collect(),
        today: caller.today,
        organisation: state.engine.store().genesis().organisation.clone(),
    })
}

/// One person of the roster.
#[derive(Debug, Serialize, ToSchema)]
pub struct RosterEntry {
    /// The roster id.
    pub person_id: String,
    /// The name.
    pub name: String,
    /// The roles held today.
    pub roles: Vec<Role>,
    /// The supervising leader today, if any.
    pub supervisor_id: Option<String>,
}

/// The roster with everyone's roles and supervising leader today: anyone signed in.
#[utoipa::path(get, path = "/v1/people", tag = "views",
    responses((status = 200, description = "The roster.", body = Vec<RosterEntry>)))]
pub async fn roster(
    State(state): State<AppState>,
    BearerSession(caller): BearerSession,
) -> Json<Vec<RosterEntry>> {
    let today = caller.today;
    Json(state.engine.read(|ledger| {
        ledger
            .people
            .iter()
            .map(|(id, person)| RosterEntry {
                person_id: id.clone(),
                name: person.name.clone(),
                roles: Role::ASSIGNABLE
                    .into_iter()
                    .filter(|role| ledger.holds(id, *role, today))
                    .collect(),
                supervisor_id: ledger.supervisor_on(id, today).map(str::to_owned),
            })
            .collect()
    }))
}

/// A supervising leader's month: supervisees, sheets, opinions, scores, nominations. The
/// leader, and the overseers.
#[utoipa::path(get, path = "/v1/leaders/{leader_id}/months/{month}", tag = "views",
    params(("leader_id" = String, Path, description = "The leader."),
           ("month" = String, Path, description = "The month, YYYY-MM."), AsOf),
    responses((status = 200, description = "The month.", body = LeaderMonth)))]
pub async fn leader_month(
    State(state): State<AppState>,
    BearerSession(caller): BearerSession,
    Path((leader_id, month)): Path<(String, String)>,
    Query(query): Query<AsOf>,
) -> Result<Json<LeaderMonth>, ApiError> {
    let month: Month = parse(&month)?;
    caller.require(
        caller.person_id == leader_id || caller.is_overseer(),
        "a leader's month is for that leader and the overseers",
    )?;
    Ok(Json(
        view(&state, query.as_of, move |ledger, today| {
            views::leader_month(ledger, &leader_id, month, today)
        })
        .await?,
    ))
}

/// The quarter board: pools ranked, proposals, decision, notice, designations, appeals,
/// sanctions. The overseers and the supervising leaders.
#[utoipa::path(get, path = "/v1/quarters/{quarter}/board", tag = "views",
    params(("quarter" = String, Path, description = "The quarter, YYYY-QN."), AsOf),
    responses((status = 200, description = "The board.", body = QuarterBoard)))]
pub async fn quarter_board(
    State(state): State<AppState>,
    BearerSession(caller): BearerSession,
    Path(quarter): Path<String>,
    Query(query): Query<AsOf>,
) -> Result<Json<QuarterBoard>, ApiError> {
    let quarter: Quarter = parse(&quarter)?;
    caller.require(
        caller.is_overseer() || caller.has(Role::SupervisingLeader),
        "the quarter board is for the overseers and the supervising leaders; everyone reads the published notice",
    )?;
    Ok(Json(
        view(&state, query.as_of, move |ledger, today| {
            views::quarter_board(ledger, quarter, today)
        })
        .await?,
    ))
}

/// A published decision as everyone may read it.
#[derive(Debug, Serialize, ToSchema)]
pub struct Notice {
    /// The quarter.
    pub quarter: String,
    /// The notice as published.
    pub publication: Publication,
    /// The best workers, as they stand after appeals.
    pub best: Vec<views::DesignationView>,
    /// The worst workers, as they stand after appeals.
    pub worst: Vec<views::DesignationView>,
}

/// The public notice of a quarter's decision (公示) and its designations: anyone signed in,
/// once published.
#[utoipa::path(get, path = "/v1/quarters/{quarter}/notice", tag = "views",
    params(("quarter" = String, Path, description = "The quarter, YYYY-QN."), AsOf),
    responses((status = 200, description = "The notice.", body = Notice)))]
pub async fn notice(
    State(state): State<AppState>,
    _: BearerSession,
    Path(quarter): Path<String>,
    Query(query): Query<AsOf>,
) -> Result<Json<Notice>, ApiError> {
    let quarter: Quarter = parse(&quarter)?;
    let board = view(&state, query.as_of, move |ledger, today| {
        views::quarter_board(ledger, quarter, today)
    })
    .await?;
    let publication = board.publication.ok_or_else(|| {
        ApiError::not_found(format!("the decision of {quarter} is not published"))
    })?;
    let (best, worst) = board
        .designations
        .into_iter()
        .partition(|designation| designation.kind == kaohe_assess::state::Kind::Best);
    Ok(Json(Notice {
        quarter: quarter.to_string(),
        publication,
        best,
        worst,
    }))
}

/// A person's year: their timeline month by month, designations, appeals, sanctions, worst
/// streak and pay. The person, their supervising leader of that year, and the overseers.
#[utoipa::path(get, path = "/v1/people/{person_id}/years/{year}", tag = "views",
    params(("person_id" = String, Path, description = "Who."),
           ("year" = i16, Path, description = "The year."), AsOf),
    responses((status = 200, description = "The year.", body = PersonYear)))]
pub async fn person_year(
    State(state): State<AppState>,
    BearerSession(caller): BearerSession,
    Path((person_id, year)): Path<(String, i16)>,
    Query(query): Query<AsOf>,
) -> Result<Json<PersonYear>, ApiError> {
    if !(2000..=2100).contains(&year) {
        return Err(ApiError::bad_request(format!(
            "{year} is not a year between 2000 and 2100"
        )));
    }
    let leads = state.engine.read(|ledger| {
        kaohe_assess::period::Quarter::of_year(year)
            .iter()
            .flat_map(|quarter| quarter.months())
            .flat_map(|month| month.days())
            .any(|day| ledger.supervisor_on(&person_id, day) == Some(caller.person_id.as_str()))
    });
    caller.require(
        caller.person_id == person_id || leads || caller.is_overseer(),
        "a person's year is for them, their supervising leader and the overseers",
    )?;
    Ok(Json(
        view(&state, query.as_of, move |ledger, today| {
            views::person_year(ledger, &person_id, year, today)
        })
        .await?,
    ))
}

/// The appeal queue: open appeals by due day with the days left, answered ones, breaches.
/// The overseers.
#[utoipa::path(get, path = "/v1/appeals", tag = "views", params(AsOf),
    responses((status = 200, description = "The queue.", body = AppealQueue)))]
pub async fn appeal_queue(
    State(state): State<AppState>,
    BearerSession(caller): BearerSession,
    Query(query): Query<AsOf>,
) -> Result<Json<AppealQueue>, ApiError> {
    caller.require_overseer("the appeal queue")?;
    Ok(Json(view(&state, query.as_of, views::appeal_queue).await?))
}

/// The pay effects of a year for everyone whose pay differs from normal. The overseers.
#[utoipa::path(get, path = "/v1/pay/{year}", tag = "views",
    params(("year" = i16, Path, description = "The year."), AsOf),
    responses((status = 200, description = "Pay effects.", body = Vec<PersonPay>)))]
pub async fn pay_effects(
    State(state): State<AppState>,
    BearerSession(caller): BearerSession,
    Path(year): Path<i16>,
    Query(query): Query<AsOf>,
) -> Result<Json<Vec<PersonPay>>, ApiError> {
    caller.require_overseer("pay effects")?;
    Ok(Json(
        view(&state, query.as_of, move |ledger, _| {
            views::pay_effects(ledger, year)
        })
        .await?,
    ))
}

/// Rebuild a quarter from the events alone and compare it with what was recorded. The
/// overseers.
#[utoipa::path(get, path = "/v1/quarters/{quarter}/replay", tag = "views",
    params(("quarter" = String, Path, description = "The quarter, YYYY-QN.")),
    responses((status = 200, description = "The replay; `match` is true only without differences.", body = ReplayReport)))]
pub async fn replay(
    State(state): State<AppState>,
    BearerSession(caller): BearerSession,
    Path(quarter): Path<String>,
) -> Result<Json<ReplayReport>, ApiError> {
    let quarter: Quarter = parse(&quarter)?;
    caller.require_overseer("a replay")?;
    let report = replayed(&state, quarter).await?.ok_or_else(|| {
        ApiError::not_found(format!(
            "{quarter} has no decision in force: nothing to replay"
        ))
    })?;
    Ok(Json(report))
}

/// `quarter` rebuilt from the events alone and compared with what was recorded; `None` when it
/// has no decision in force.
pub(crate) async fn replayed(
    state: &AppState,
    quarter: Quarter,
) -> Result<Option<ReplayReport>, ApiError> {
    let engine = state.engine.clone();
    blocking(move || {
        let snapshot = engine.store().snapshot()?;
        // Each event is folded as it is read; only the state is kept.
        let (ledger, events) = match kaohe_engine::fold_while(&snapshot, |_| true) {
            Err(kaohe_engine::OpenError::Fold(error)) => return Err(ApiError::internal(error)),
            folded => folded?,
        };
        Ok(ledger
            .decisions
            .contains_key(&quarter)
            .then(|| replay_report(&ledger, quarter, events)))
    })
    .await
}

/// The explanation of `event_id` about `person` (or the person it names) for `reader`, every
/// step proven against the signed checkpoint of the current size. An event the reader may not
/// read (`kaohe_assess::access::may_read`) is answered as one that does not exist, so that
/// its existence does not leak; the steps the reader may not read are left out.
pub(crate) async fn explained(
    state: &AppState,
    event_id: Uuid,
    person: Option<String>,
    reader: &str,
) -> Result<ExplainReport, ApiError> {
    let app = state.clone();
    let reader = reader.to_owned();
    blocking(move || {
        let snapshot = app.engine.store().snapshot()?;
        let events = kaohe_engine::read_events(&snapshot)?;
        let today = app.engine.today();
        let readable = |event: &kaohe_ledger::event::ParsedEvent| {
            app.engine
                .read(|ledger| access::may_read(ledger, &reader, &event.value, today))
        };
        if !events
            .iter()
            .any(|event| event.id == event_id && readable(event))
        {
            return Err(ApiError::not_found(format!(
                "no event {event_id} in the ledger"
            )));
        }
        let checkpoint = checkpoint_for(&app, &snapshot, snapshot.size())?;
        let mut report = explain_report(
            &snapshot,
            &events,
            event_id,
            person.as_deref(),
            &checkpoint,
            &app.engine.store().genesis().verifier_key,
        )?;
        report
            .steps
            .retain(|step| events.get(step.position as usize).is_some_and(&readable));
        report.proven = report
            .steps
            .iter()
            .filter(|step| step.inclusion_proof.is_some())
            .count();
        Ok(report)
    })
    .await
}

/// The query of an explanation.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(deny_unknown_fields)]
pub struct ExplainQuery {
    /// The person it is about (default: the person the judgment names).
    pub person: Option<String>,
}

/// A judgment (nomination, decision, appeal, answer, sanction), what it rested on and what
/// followed, each step proven against the signed checkpoint of the current size. Only the
/// steps the caller may read are listed (the read matrix of docs/ARCHITECTURE.md); an event
/// the caller may not read is 404, as one that does not exist.
#[utoipa::path(get, path = "/v1/explain/{event_id}", tag = "views",
    params(("event_id" = Uuid, Path, description = "The judgment's event id."), ExplainQuery),
    responses((status = 200, description = "The explanation.", body = ExplainReport)))]
pub async fn explain(
    State(state): State<AppState>,
    BearerSession(caller): BearerSession,
    Path(event_id): Path<Uuid>,
    Query(query): Query<ExplainQuery>,
) -> Result<Json<ExplainReport>, ApiError> {
    let report = explained(&state, event_id, query.person, &caller.person_id).await?;
    Ok(Json(report))
}
