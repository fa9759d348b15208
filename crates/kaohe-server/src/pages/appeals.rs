//! Appeals (复评): the queue with the days left and the breaches marked, the party committee's
//! answers, and a person's own appeal against their designation.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use kaohe_assess::Role;
use kaohe_assess::commands::{AnswerAppeal, FileAppeal};
use kaohe_assess::state::Kind;
use kaohe_assess::views::{AppealQueue, appeal_queue};
use serde::Deserialize;

use super::{
    FormData, Layout, Notice, PageError, PageSession, kind_word, perform, recorded_notice, render,
};
use crate::AppState;
use crate::auth::Session;

#[derive(Template)]
#[template(path = "appeals.html")]
struct AppealsPage {
    layout: Layout,
    queue: AppealQueue,
    can_answer: bool,
}

impl AppealsPage {
    fn kind(&self, kind: &Kind) -> &'static str {
        kind_word(*kind)
    }

    fn days(&self, days: &i64) -> String {
        let days = *days;
        if days >= 0 {
            format!("剩 {days} 天")
        } else {
            format!("超期 {} 天", -days)
        }
    }
}

/// The query of the queue.
#[derive(Deserialize)]
pub struct AppealsQuery {
    ok: Option<u64>,
}

fn appeals_page(
    state: &AppState,
    viewer: &Session,
    notice: Option<Notice>,
    status: StatusCode,
) -> Response {
    let queue = state
        .engine
        .read(|ledger| appeal_queue(ledger, viewer.today));
    render(
        status,
        &AppealsPage {
            layout: Layout::new(state, "复评申请", Some(viewer)).with_notice(notice),
            queue,
            can_answer: viewer.has(Role::PartyCommittee),
        },
    )
}

/// `GET /appeals`.
pub async fn page(
    State(state): State<AppState>,
    PageSession(viewer): PageSession,
    Query(query): Query<AppealsQuery>,
) -> Result<Response, PageError> {
    viewer.require(
        viewer.is_overseer(),
        "复评申请队列供书记、镇长、党委、党政办、纪检查看",
    )?;
    Ok(appeals_page(
        &state,
        &viewer,
        recorded_notice(query.ok),
        StatusCode::OK,
    ))
}

/// `POST /appeals/{appeal_id}/answer`: the party committee answers.
pub async fn answer(
    State(state): State<AppState>,
    PageSession(viewer): PageSession,
    Path(appeal_id): Path<String>,
    form: FormData,
) -> Result<Response, PageError> {
    let answer: AnswerAppeal = form.command(&[("appeal_id", &appeal_id)])?;
    let appeal = state.engine.read(|ledger| {
        ledger
            .appeals
            .get(&answer.appeal_id)
            .map(|appeal| (appeal.person_id.clone(), appeal.quarter, appeal.kind))
    });
    if let Some((person, quarter, kind)) = appeal {
        let lines = [
            format!(
                "{} 对{}{}评定的复评申请",
                super::name_of(&state, &person),
                quarter.name_zh(),
                kind.worker_zh()
            ),
            format!(
                "答复：{}",
                if answer.outcome == kaohe_assess::Outcome::Overturned {
                    "撤销原评定"
                } else {
                    "维持原评定"
                }
            ),
            format!("理由：{}", answer.reasons),
        ];
        if let Some(page) = super::confirm_first(
            &state,
            &viewer,
            &form,
            &format!("/appeals/{appeal_id}/answer"),
            "/appeals",
            "答复复评申请",
            &lines,
        ) {
            return Ok(page);
        }
    }
    Ok(perform(
        &state,
        &viewer,
        answer,
        form.request_id(),
        "/appeals",
        |status, notice| appeals_page(&state, &viewer, Some(notice), status),
    )
    .await)
}

/// `POST /appeals`: a person appeals their designation; back to their year.
pub async fn file(
    State(state): State<AppState>,
    PageSession(viewer): PageSession,
    form: FormData,
) -> Result<Response, PageError> {
    let appeal: FileAppeal = form.command(&[])?;
    let (person, year) = (appeal.person_id.clone(), appeal.quarter.year());
    let back = format!("/people/{person}/{year}");
    Ok(perform(
        &state,
        &viewer,
        appeal,
        form.request_id(),
        &back,
        |status, notice| {
            // Shown on the year appealed about, or, when the person may not see it, on
            // their own.
            super::person::person_page(&state, &viewer, &person, year, Some(notice.clone()), status)
                .or_else(|_| {
                    super::person::person_page(
                        &state,
                        &viewer,
                        &viewer.person_id,
                        year,
                        Some(notice),
                        status,
                    )
                })
                .unwrap_or_else(axum::response::IntoResponse::into_response)
        },
    )
    .await)
}
