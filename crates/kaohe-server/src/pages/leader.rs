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
use kaohe_assess::period::Month;
use kaohe_assess::policy::Scoring;
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
    cited: Vec<Uuid>,
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
    /// The scale and weights of the month's scoring, if it is scored.
    scale: Option<Scoring>,
}

/// One dimension of the scoring form, as the policy in force weighs it.
struct Dimension {
    /// The field's name in the form.
    field: &'static str,
    /// The township's word for it.
    label: &'static str,
    /// Its weight, in percent (30, 12.5).
    weight: String,
}

impl LeaderPage {
    fn switch(&self) -> super::Switch {
        super::Switch::months("/leader/", self.view.month)
    }

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

    /// The highest score on a dimension, in points (100, 10).
    fn score_max(&self) -> String {
        self.scale
            .as_ref()
            .map(|scale| points(scale.score_max_tenths * 10))
            .unwrap_or_default()
    }

    /// The five dimensions with their weights, in the order of the source.
    fn dimensions(&self) -> Vec<Dimension> {
        let Some(scale) = &self.scale else {
            return Vec::new();
        };
        let weights = &scale.weights_bp;
        [
            ("scores.ideology", "思想品德", weights.ideology),
            ("scores.ability", "工作能力", weights.ability),
            ("scores.discipline", "纪律考勤", weights.discipline),
            ("scores.liaison", "联片驻村", weights.liaison),
            ("scores.line_work", "线上工作", weights.line_work),
        ]
        .into_iter()
        .map(|(field, label, bp)| Dimension {
            field,
            label,
            weight: points(bp),
        })
        .collect()
    }

    fn weighted(&self, milli: &u64) -> String {
        format!("{:.2}", *milli as f64 / 1000.0)
    }

    fn cited(&self, id: &Uuid) -> bool {
        self.form.cited.contains(id)
    }

    /// Sheets handed in and not yet read.
    fn unread(&self) -> usize {
        self.view.unread_sheets()
    }
}

/// The query of the leader's and the chief's pages.
#[derive(Deserialize)]
pub struct MonthQuery {
    ok: Option<u64>,
}

/// Hundredths as a short decimal: 3000 is 30, 1250 is 12.5.
fn points(hundredths: u32) -> String {
    let text = format!("{}.{:02}", hundredths / 100, hundredths % 100);
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

fn leader_page(
    state: &AppState,
    viewer: &Session,
    month: Month,
    form: NominationForm,
    notice: Option<Notice>,
    status: StatusCode,
) -> Response {
    let (view, citations, scale) = state.engine.read(|ledger| {
        let view = leader_month(ledger, &viewer.person_id, month, viewer.today);
        let mut citations = Vec::new();
        for supervisee in &view.supervisees {
            for sheet in &supervisee.sheets {
                if let Some(id) = sheet.submission_id {
                    citations.push(Citation {
                        id,
                        cadre_id: supervisee.person_id.clone(),
                        label: format!(
                            "{} 的{}记录表（{} 条）",
                            supervisee.name,
                            sheet.period.name_zh(),
                            sheet.entries
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
        let scale = ledger
            .policy_on(month.last_day())
            .and_then(|policy| policy.scoring.clone());
        (view, citations, scale)
    });
    let name = |id: &Option<String>| {
        id.as_deref()
            .map(|id| super::name_of(state, id))
            .unwrap_or_default()
    };
    let scored_best = name(&view.scored_best);
    let scored_worst = name(&view.scored_worst);
    render(
        status,
        &LeaderPage {
            layout: Layout::new(
                state,
                format!("分管月评 · {}", month.name_zh()),
                Some(viewer),
            )
            .with_notice(notice),
            view,
            citations,
            form,
            scored_best,
            scored_worst,
            scale,
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
    command: impl Into<Command>,
    request_id: Option<Uuid>,
    form: NominationForm,
) -> Response {
    perform(
        state,
        viewer,
        command,
        request_id,
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
    let reading: ReadSheet = form.command(&[])?;
    Ok(act(
        &state,
        &viewer,
        month,
        reading,
        form.request_id(),
        NominationForm::default(),
    )
    .await)
}

/// `POST /leader/{month}/read-all`: read every sheet of the month that waits for this
/// leader, one 阅看 each (each its own event, as if read one by one). A refusal stops there:
/// the sheets read before it stay read, and the page says which one was refused.
pub async fn read_all(
    State(state): State<AppState>,
    PageSession(viewer): PageSession,
    Path(month): Path<String>,
) -> Result<Response, PageError> {
    let month: Month = parse(&month)?;
    viewer.require(
        viewer.has(Role::SupervisingLeader),
        "分管月评由分管领导办理",
    )?;
    let waiting: Vec<(String, String, ReadSheet)> = state.engine.read(|ledger| {
        leader_month(ledger, &viewer.person_id, month, viewer.today)
            .supervisees
            .into_iter()
            .flat_map(|supervisee| {
                supervisee
                    .sheets
                    .into_iter()
                    .filter(|sheet| sheet.waits_for_reading())
                    .map(move |sheet| {
                        (
                            supervisee.name.clone(),
                            sheet.period.to_string(),
                            ReadSheet {
                                person_id: supervisee.person_id.clone(),
                                period: sheet.period,
                                comment: String::new(),
                            },
                        )
                    })
            })
            .collect()
    });
    let back = format!("/leader/{month}");
    let mut last = None;
    for (name, period, reading) in waiting {
        match crate::commands::execute(&state, &viewer, reading.into(), None).await {
            Ok(done) => last = done.executed().events.first().map(|event| event.position),
            Err(error) => {
                let (status, mut notice) = super::refused(error);
                notice.text = format!("{name} 的 {period} 旬记录表{}", notice.text);
                return Ok(leader_page(
                    &state,
                    &viewer,
                    month,
                    NominationForm::default(),
                    Some(notice),
                    status,
                ));
            }
        }
    }
    Ok(match last {
        Some(position) => {
            axum::response::Redirect::to(&format!("{back}?ok={position}")).into_response()
        }
        None => axum::response::Redirect::to(&back).into_response(),
    })
}

/// `POST /leader/{month}/nominate`: name a best or a worst.
pub async fn nominate(
    State(state): State<AppState>,
    PageSession(viewer): PageSession,
    Path(month): Path<String>,
    form: FormData,
) -> Result<Response, PageError> {
    let month: Month = parse(&month)?;
    let nomination: Nominate = form.command(&[("month", &month.to_string())])?;
    let lines = [
        format!(
            "{}：{}",
            kind_word(nomination.kind),
            super::name_of(&state, &nomination.cadre_id)
        ),
        format!("理由：{}", nomination.reason),
        format!("依据：{} 项", nomination.cited_ids.len()),
    ];
    if let Some(page) = super::confirm_first(
        &state,
        &viewer,
        &form,
        &format!("/leader/{month}/nominate"),
        &format!("/leader/{month}"),
        &format!("提名{}的{}", month.name_zh(), nomination.kind.worker_zh()),
        &lines,
    ) {
        return Ok(page);
    }
    let kept = NominationForm {
        kind: nomination.kind.to_string(),
        cadre_id: nomination.cadre_id.clone(),
        reason: nomination.reason.clone(),
        override_reason: nomination.override_reason.clone().unwrap_or_default(),
        cited: nomination.cited_ids.clone(),
    };
    Ok(act(&state, &viewer, month, nomination, form.request_id(), kept).await)
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

/// `POST /leader/{month}/scores`: score a supervisee on the five dimensions. The form gives
/// each score in points (`8.5`) as `scores.<dimension>`; the command takes tenths.
pub async fn scores(
    State(state): State<AppState>,
    PageSession(viewer): PageSession,
    Path(month): Path<String>,
    form: FormData,
) -> Result<Response, PageError> {
    let month: Month = parse(&month)?;
    let request_id = form.request_id();
    let mut in_tenths = Vec::with_capacity(form.0.len());
    for (name, value) in form.0 {
        if name.starts_with("scores.") {
            let score = tenths(&value).ok_or_else(|| {
                PageError::new(
                    StatusCode::UNPROCESSABLE_ENTITY,
                    format!("“{value}”不是分数（如 8.5）"),
                )
            })?;
            in_tenths.push((name, score.to_string()));
        } else {
            in_tenths.push((name, value));
        }
    }
    let scores: GiveScores = FormData(in_tenths).command(&[("month", &month.to_string())])?;
    Ok(act(
        &state,
        &viewer,
        month,
        scores,
        request_id,
        NominationForm::default(),
    )
    .await)
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

impl ChiefPage {
    fn switch(&self) -> super::Switch {
        super::Switch::months("/chief/", self.month.parse().expect("the page's month"))
    }
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
            layout: Layout::new(
                state,
                format!("片区意见 · {}", month.name_zh()),
                Some(viewer),
            )
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
    let opinion: GiveOpinion = form.command(&[("month", &month.to_string())])?;
    let kept = (opinion.cadre_id.clone(), opinion.opinion.clone());
    Ok(perform(
        &state,
        &viewer,
        opinion,
        form.request_id(),
        &format!("/chief/{month}"),
        |status, notice| chief_page(&state, &viewer, month, kept, Some(notice), status),
    )
    .await)
}
