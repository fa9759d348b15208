//! A supervising leader's month (一评): the supervisees' records and sheets to read, the area
//! chiefs' opinions, scores under numeric scoring, and the best and worst nominations; and an
//! area chief's opinions on the cadres of their area.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use kaohe_assess::Command;
use kaohe_assess::Role;
use kaohe_assess::commands::{GiveOpinion, GiveScores, Nominate, ReadSheet};
use kaohe_assess::payload::Scores;
use kaohe_assess::period::{Month, Period};
use kaohe_assess::state::Kind;
use kaohe_assess::views::{AreaCadre, LeaderMonth, SheetStatus, area_month, leader_month};
use serde::Deserialize;
use uuid::Uuid;

use super::{
    FormData, Layout, Notice, PageError, PageSession, kind_word, parse, perform, recorded_notice,
    render,
};
use crate::AppState;
use crate::auth::Session;

/// A citable record of a supervisee: a sheet or an opinion.
struct Citation {
    id: Uuid,
    cadre_id: String,
    label: String,
}

/// What the nomination form holds.
#[derive(Default)]
struct NominationForm {
    kind: String,
    cadre_id: String,
    reason: String,
    override_reason: String,
    cited: Vec<String>,
}

#[derive(Template)]
#[template(path = "leader.html")]
struct LeaderPage {
    layout: Layout,
    view: LeaderMonth,
    citations: Vec<Citation>,
    form: NominationForm,
    scored_best: String,
    scored_worst: String,
}

impl LeaderPage {
    fn status(&self, status: &SheetStatus) -> &'static str {
        match status {
            SheetStatus::OnTime => "按时",
            SheetStatus::Late => "逾期",
            SheetStatus::Missing => "未交",
            SheetStatus::NotDue => "未到期",
        }
    }

    fn kind(&self, kind: &Kind) -> &'static str {
        kind_word(*kind)
    }

    fn weighted(&self, milli: &u64) -> String {
        format!("{:.2}", *milli as f64 / 1000.0)
    }

    fn cited(&self, id: &Uuid) -> bool {
        self.form.cited.iter().any(|cited| *cited == id.to_string())
    }
}

/// The query of the leader's and the chief's pages.
#[derive(Deserialize)]
pub struct MonthQuery {
    ok: Option<u64>,
}

fn leader_page(
    state: &AppState,
    viewer: &Session,
    month: Month,
    form: NominationForm,
    notice: Option<Notice>,
    status: StatusCode,
) -> Response {
    let (view, citations) = state.engine.read(|ledger| {
        let view = leader_month(ledger, &viewer.person_id, month, viewer.today);
        let mut citations = Vec::new();
        for supervisee in &view.supervisees {
            for sheet in &supervisee.sheets {
                if let Some(id) = sheet.submission_id {
                    citations.push(Citation {
                        id,
                        cadre_id: supervisee.person_id.clone(),
                        label: format!(
                            "{} 的 {} 旬记录表（{} 条）",
                            supervisee.name, sheet.period, sheet.entries
                        ),
                    });
                }
            }
            for opinion in &supervisee.opinions {
                citations.push(Citation {
                    id: opinion.id,
                    cadre_id: supervisee.person_id.clone(),
                    label: format!("片长对 {} 的意见：{}", supervisee.name, opinion.text),
                });
            }
        }
        (view, citations)
    });
    let name = |id: &Option<String>| {
        id.as_deref()
            .map(|id| format!("{}（{id}）", super::name_of(state, id)))
            .unwrap_or_default()
    };
    let scored_best = name(&view.scored_best);
    let scored_worst = name(&view.scored_worst);
    render(
        status,
        &LeaderPage {
            layout: Layout::new(state, format!("分管月评 · {month}"), Some(viewer))
                .with_notice(notice),
            view,
            citations,
            form,
            scored_best,
            scored_worst,
        },
    )
}

/// `GET /leader/{month}`.
pub async fn page(
    State(state): State<AppState>,
    PageSession(viewer): PageSession,
    Path(month): Path<String>,
    Query(query): Query<MonthQuery>,
) -> Result<Response, PageError> {
    let month: Month = parse(&month)?;
    viewer.require(
        viewer.has(Role::SupervisingLeader),
        "分管月评由分管领导办理",
    )?;
    Ok(leader_page(
        &state,
        &viewer,
        month,
        NominationForm::default(),
        recorded_notice(query.ok),
        StatusCode::OK,
    ))
}

async fn act(
    state: &AppState,
    viewer: &Session,
    month: Month,
    command: Command,
    form: NominationForm,
) -> Response {
    perform(
        state,
        viewer,
        command,
        &format!("/leader/{month}"),
        |status, notice| leader_page(state, viewer, month, form, Some(notice), status),
    )
    .await
}

/// `POST /leader/{month}/read`: read a supervisee's sheet.
pub async fn read(
    State(state): State<AppState>,
    PageSession(viewer): PageSession,
    Path(month): Path<String>,
    form: FormData,
) -> Result<Response, PageError> {
    let month: Month = parse(&month)?;
    let period: Period = parse(&form.get("period"))?;
    let command = Command::ReadSheet(ReadSheet {
        person_id: form.get("person_id"),
        period,
        comment: form.get("comment"),
    });
    Ok(act(&state, &viewer, month, command, NominationForm::default()).await)
}

/// `POST /leader/{month}/nominate`: name a best or a worst.
pub async fn nominate(
    State(state): State<AppState>,
    PageSession(viewer): PageSession,
    Path(month): Path<String>,
    form: FormData,
) -> Result<Response, PageError> {
    let month: Month = parse(&month)?;
    let kept = NominationForm {
        kind: form.get("kind"),
        cadre_id: form.get("cadre_id"),
        reason: form.get("reason"),
        override_reason: form.get("override_reason"),
        cited: form.all("cited"),
    };
    let kind: Kind = kept
        .kind
        .parse()
        .map_err(|_| PageError::bad_request("请选择最好或最差"))?;
    let cited_ids = kept
        .cited
        .iter()
        .map(|id| Uuid::parse_str(id))
        .collect::<Result<Vec<_>, _>>()
        .map_err(|_| PageError::bad_request("所引用的记录编号无效"))?;
    let command = Command::Nominate(Nominate {
        month,
        kind,
        cadre_id: kept.cadre_id.clone(),
        reason: kept.reason.clone(),
        cited_ids,
        override_reason: Some(kept.override_reason.clone()).filter(|text| !text.trim().is_empty()),
    });
    Ok(act(&state, &viewer, month, command, kept).await)
}

/// A score in points with at most one decimal (`8.5`) as tenths of a point.
fn tenths(text: &str) -> Option<u32> {
    let text = text.trim();
    let (whole, tenth) = text.split_once('.').unwrap_or((text, "0"));
    if tenth.len() != 1 {
        return None;
    }
    Some(whole.parse::<u32>().ok()?.checked_mul(10)? + tenth.parse::<u32>().ok()?)
}

/// `POST /leader/{month}/scores`: score a supervisee on the five dimensions.
pub async fn scores(
    State(state): State<AppState>,
    PageSession(viewer): PageSession,
    Path(month): Path<String>,
    form: FormData,
) -> Result<Response, PageError> {
    let month: Month = parse(&month)?;
    let score = |name: &str| {
        tenths(&form.get(name)).ok_or_else(|| {
            PageError::bad_request(format!("“{}”不是分数（如 8.5）", form.get(name)))
        })
    };
    let command = Command::GiveScores(GiveScores {
        month,
        cadre_id: form.get("cadre_id"),
        scores: Scores {
            ideology: score("ideology")?,
            ability: score("ability")?,
            discipline: score("discipline")?,
            liaison: score("liaison")?,
            line_work: score("line_work")?,
        },
    });
    Ok(act(&state, &viewer, month, command, NominationForm::default()).await)
}

#[derive(Template)]
#[template(path = "chief.html")]
struct ChiefPage {
    layout: Layout,
    month: String,
    cadres: Vec<AreaCadre>,
    cadre_id: String,
    opinion: String,
}

fn chief_page(
    state: &AppState,
    viewer: &Session,
    month: Month,
    kept: (String, String),
    notice: Option<Notice>,
    status: StatusCode,
) -> Response {
    let cadres = state
        .engine
        .read(|ledger| area_month(ledger, &viewer.person_id, month).cadres);
    render(
        status,
        &ChiefPage {
            layout: Layout::new(state, format!("片区意见 · {month}"), Some(viewer))
                .with_notice(notice),
            month: month.to_string(),
            cadres,
            cadre_id: kept.0,
            opinion: kept.1,
        },
    )
}

/// `GET /chief/{month}`.
pub async fn chief_page_route(
    State(state): State<AppState>,
    PageSession(viewer): PageSession,
    Path(month): Path<String>,
    Query(query): Query<MonthQuery>,
) -> Result<Response, PageError> {
    let month: Month = parse(&month)?;
    viewer.require(viewer.has(Role::AreaChief), "片长意见由片长提出")?;
    Ok(chief_page(
        &state,
        &viewer,
        month,
        (String::new(), String::new()),
        recorded_notice(query.ok),
        StatusCode::OK,
    ))
}

/// `POST /chief/{month}/opinions`.
pub async fn opinion(
    State(state): State<AppState>,
    PageSession(viewer): PageSession,
    Path(month): Path<String>,
    form: FormData,
) -> Result<Response, PageError> {
    let month: Month = parse(&month)?;
    let kept = (form.get("cadre_id"), form.get("opinion"));
    let command = Command::GiveOpinion(GiveOpinion {
        cadre_id: kept.0.clone(),
        month,
        opinion: kept.1.clone(),
    });
    Ok(perform(
        &state,
        &viewer,
        command,
        &format!("/chief/{month}"),
        |status, notice| chief_page(&state, &viewer, month, kept, Some(notice), status),
    )
    .await
    .into_response())
}
