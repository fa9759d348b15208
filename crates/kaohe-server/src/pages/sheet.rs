//! One ten-day sheet, as the supervising leader who signs it off reads it: the entries with
//! their corrections (the first wording kept beside the last), the area chiefs' opinions of
//! the month beside them, who has read it, and 阅看 from there. The person, their leader of
//! the period and the overseers may open it; anyone else is told there is no such page, so a
//! sheet's existence does not leak.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use kaohe_assess::commands::ReadSheet;
use kaohe_assess::period::{Month, Period};
use kaohe_assess::views::{SheetPage, SheetStatus, sheet_page};

use super::{FormData, Layout, Notice, PageError, PageSession, parse, perform, recorded_notice};
use crate::AppState;
use crate::auth::Session;

#[derive(Template)]
#[template(path = "sheet.html")]
struct SheetTemplate {
    layout: Layout,
    view: SheetPage,
    month: String,
    may_read: bool,
    comment: String,
}

impl SheetTemplate {
    fn day(&self, day: &jiff::civil::Date) -> String {
        kaohe_assess::period::date_zh(*day)
    }

    fn status(&self) -> &'static str {
        match self.view.sheet.status {
            SheetStatus::OnTime => "按时上交",
            SheetStatus::Late => "逾期上交",
            SheetStatus::Missing => "逾期未交",
            SheetStatus::NotDue => "未到期",
        }
    }
}

/// The query of the sheet page.
#[derive(serde::Deserialize)]
pub struct SheetQuery {
    ok: Option<u64>,
}

/// The sheet, or 404 when `viewer` may not read it (or it names no one on the roster).
fn view_for(
    state: &AppState,
    viewer: &Session,
    person: &str,
    period: Period,
) -> Result<SheetPage, PageError> {
    let payloads = state.engine.payloads();
    let view = state.engine.read(|ledger| {
        ledger
            .people
            .contains_key(person)
            .then(|| sheet_page(ledger, &payloads, person, period, viewer.today))
    });
    match view {
        Some(view)
            if viewer.person_id == person
                || view.leader_id.as_deref() == Some(viewer.person_id.as_str())
                || viewer.is_overseer() =>
        {
            Ok(view)
        }
        _ => Err(PageError::not_found("没有这份记录表。")),
    }
}

fn page_for(
    state: &AppState,
    viewer: &Session,
    view: SheetPage,
    comment: String,
    notice: Option<Notice>,
    status: StatusCode,
) -> Response {
    let period = view.sheet.period;
    let may_read = view.sheet.submission_id.is_some()
        && view.leader_id.as_deref() == Some(viewer.person_id.as_str());
    super::render(
        status,
        &SheetTemplate {
            layout: Layout::new(
                state,
                format!("{} · {}记录表", view.name, period.name_zh()),
                Some(viewer),
            )
            .with_notice(notice),
            month: Month::of(period.first_day()).to_string(),
            view,
            may_read,
            comment,
        },
    )
}

/// `GET /sheets/{person_id}/{period}`.
pub async fn page(
    State(state): State<AppState>,
    PageSession(viewer): PageSession,
    Path((person, period)): Path<(String, String)>,
    Query(query): Query<SheetQuery>,
) -> Result<Response, PageError> {
    let period: Period = parse(&period)?;
    let view = view_for(&state, &viewer, &person, period)?;
    Ok(page_for(
        &state,
        &viewer,
        view,
        String::new(),
        recorded_notice(query.ok),
        StatusCode::OK,
    ))
}

/// `POST /sheets/{person_id}/{period}/read`: 阅看, with a comment; back to the sheet.
pub async fn read(
    State(state): State<AppState>,
    PageSession(viewer): PageSession,
    Path((person, period)): Path<(String, String)>,
    form: FormData,
) -> Result<Response, PageError> {
    let parsed: Period = parse(&period)?;
    // The page shows the form only to the sheet's leader; checking here too keeps a sheet
    // the viewer may not open from answering anything but 404.
    let view = view_for(&state, &viewer, &person, parsed)?;
    let reading: ReadSheet = form.command(&[("person_id", &person), ("period", &period)])?;
    let comment = reading.comment.clone();
    let back = format!("/sheets/{person}/{period}");
    Ok(perform(
        &state,
        &viewer,
        reading,
        form.request_id(),
        &back,
        |status, notice| page_for(&state, &viewer, view, comment, Some(notice), status),
    )
    .await)
}
