//! A cadre's own work record (一记): today's entry, the month's entries with their corrections,
//! and the ten-day sheets to hand in.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use kaohe_assess::Role;
use kaohe_assess::commands::{AmendEntry, SubmitSheet, WriteEntry};
use kaohe_assess::period::Month;
use kaohe_assess::views::{EntryView, SheetStatus, SheetView, month_entries, month_sheets};
use serde::Deserialize;

use super::{FormData, Layout, Notice, PageError, PageSession, perform, recorded_notice, render};
use crate::AppState;
use crate::auth::Session;

/// What the entry form holds, and a refused correction's own text, so that nothing typed
/// is lost.
struct EntryForm {
    date: String,
    did: String,
    learned: String,
    amending: Option<AmendEntry>,
}

#[derive(Template)]
#[template(path = "record.html")]
struct RecordPage {
    layout: Layout,
    month: String,
    previous: String,
    next: String,
    form: EntryForm,
    entries: Vec<EntryView>,
    sheets: Vec<SheetView>,
    entry_chars_max: u32,
}

impl RecordPage {
    /// The correction refused for `entry`, if that is what the page shows again.
    fn amending(&self, entry: &EntryView) -> Option<&AmendEntry> {
        self.form
            .amending
            .as_ref()
            .filter(|amending| amending.entry_id == entry.id)
    }

    /// A field of `entry`'s correction form: what was typed into a refused correction, else
    /// the entry's own line (the reason starts empty).
    fn amend_value(&self, entry: &EntryView, field: &str) -> String {
        match (self.amending(entry), field) {
            (Some(amending), "did") => amending.did.clone(),
            (Some(amending), "learned") => amending.learned.clone(),
            (Some(amending), _) => amending.reason.clone(),
            (None, "did") => entry.did.clone(),
            (None, "learned") => entry.learned.clone(),
            (None, _) => String::new(),
        }
    }

    fn status(&self, sheet: &SheetView) -> &'static str {
        match sheet.status {
            SheetStatus::OnTime => "按时上交",
            SheetStatus::Late => "逾期上交",
            SheetStatus::Missing => "逾期未交",
            SheetStatus::NotDue => "未到期",
        }
    }

    fn can_submit(&self, sheet: &SheetView) -> bool {
        sheet.submission_id.is_none()
            && self
                .layout
                .viewer
                .as_ref()
                .is_some_and(|viewer| sheet.period.last_day() <= viewer.today)
    }
}

/// The query of the record page.
#[derive(Deserialize)]
pub struct RecordQuery {
    month: Option<String>,
    ok: Option<u64>,
}

fn page_for(
    state: &AppState,
    viewer: &Session,
    month: Month,
    form: EntryForm,
    notice: Option<Notice>,
    status: StatusCode,
) -> Response {
    let me = viewer.person_id.clone();
    let payloads = state.engine.payloads();
    let (entries, sheets, entry_chars_max) = state.engine.read(|ledger| {
        let entries = month_entries(ledger, &payloads, &me, month);
        let sheets = month_sheets(ledger, &me, month, viewer.today);
        let max = ledger
            .policy_on(viewer.today)
            .map_or(0, |policy| policy.entry_chars_max);
        (entries, sheets, max)
    });
    let neighbour = |days: i64| {
        Month::of(
            month
                .first_day()
                .checked_add(jiff::Span::new().days(days))
                .expect("a date"),
        )
        .to_string()
    };
    render(
        status,
        &RecordPage {
            layout: Layout::new(state, "我的工作记录", Some(viewer)).with_notice(notice),
            month: month.to_string(),
            previous: neighbour(-1),
            next: neighbour(32),
            form,
            entries,
            sheets,
            entry_chars_max,
        },
    )
}

fn empty_form(viewer: &Session) -> EntryForm {
    EntryForm {
        date: viewer.today.to_string(),
        did: String::new(),
        learned: String::new(),
        amending: None,
    }
}

/// `GET /record`.
pub async fn page(
    State(state): State<AppState>,
    PageSession(viewer): PageSession,
    Query(query): Query<RecordQuery>,
) -> Result<Response, PageError> {
    viewer.require(viewer.has(Role::Cadre), "工作记录由机关干部本人填写")?;
    let month = match &query.month {
        Some(month) => super::parse(month)?,
        None => Month::of(viewer.today),
    };
    let form = empty_form(&viewer);
    Ok(page_for(
        &state,
        &viewer,
        month,
        form,
        recorded_notice(query.ok),
        StatusCode::OK,
    ))
}

/// `POST /record/entries`: today's (or a past working day's) entry.
pub async fn write(
    State(state): State<AppState>,
    PageSession(viewer): PageSession,
    form: FormData,
) -> Result<Response, PageError> {
    let entry: WriteEntry = form.command(&[])?;
    let month = Month::of(entry.date);
    let kept = EntryForm {
        date: entry.date.to_string(),
        did: entry.did.clone(),
        learned: entry.learned.clone(),
        amending: None,
    };
    Ok(perform(
        &state,
        &viewer,
        entry,
        form.request_id(),
        &format!("/record?month={month}"),
        |status, notice| page_for(&state, &viewer, month, kept, Some(notice), status),
    )
    .await)
}

/// `POST /record/entries/{entry_id}/amend`: a correction; the original stays.
pub async fn amend(
    State(state): State<AppState>,
    PageSession(viewer): PageSession,
    Path(entry_id): Path<String>,
    form: FormData,
) -> Result<Response, PageError> {
    let amendment: AmendEntry = form.command(&[("entry_id", &entry_id)])?;
    let kept = amendment.clone();
    let month = state.engine.read(|ledger| {
        ledger
            .entries
            .get(&amendment.entry_id)
            .map_or_else(|| Month::of(viewer.today), |entry| Month::of(entry.date))
    });
    Ok(perform(
        &state,
        &viewer,
        amendment,
        form.request_id(),
        &format!("/record?month={month}"),
        |status, notice| {
            let kept = EntryForm {
                amending: Some(kept),
                ..empty_form(&viewer)
            };
            page_for(&state, &viewer, month, kept, Some(notice), status)
        },
    )
    .await)
}

/// `POST /record/sheets`: hand in a ten-day sheet.
pub async fn submit_sheet(
    State(state): State<AppState>,
    PageSession(viewer): PageSession,
    form: FormData,
) -> Result<Response, PageError> {
    let sheet: SubmitSheet = form.command(&[])?;
    let month = Month::of(sheet.period.last_day());
    let period = sheet.period;
    let written = state.engine.read(|ledger| {
        ledger
            .entry_days
            .range(
                (viewer.person_id.clone(), period.first_day())
                    ..=(viewer.person_id.clone(), period.last_day()),
            )
            .count()
    });
    let days = period.last_day().day() - period.first_day().day() + 1;
    if let Some(page) = super::confirm_first(
        &state,
        &viewer,
        &form,
        "/record/sheets",
        &format!("/record?month={month}"),
        &format!("上交{}记录表", period.name_zh()),
        &[
            format!("本旬 {days} 天，已填写记录 {written} 条。"),
            "上交后表内记录只能更正，原记录保留可查。".to_owned(),
        ],
    ) {
        return Ok(page);
    }
    Ok(perform(
        &state,
        &viewer,
        sheet,
        form.request_id(),
        &format!("/record?month={month}"),
        |status, notice| {
            page_for(
                &state,
                &viewer,
                month,
                empty_form(&viewer),
                Some(notice),
                status,
            )
        },
    )
    .await)
}
