//! A person's year: their record month by month, the nominations naming them, designations,
//! appeals, sanctions with their follow-ups, the streak of worst quarters, and pay. The person
//! appeals a published designation here; the principal leaders record talks, the person hands
//! in a rectification plan, and their supervising leader confirms its completion.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use kaohe_assess::Command;
use kaohe_assess::Role;
use kaohe_assess::commands::{CompleteRectification, PlanRectification, RecordTalk};
use kaohe_assess::period::Quarter;
use kaohe_assess::state::Kind;
use kaohe_assess::views::{PersonYear, SanctionView, SheetStatus, person_year};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use uuid::Uuid;

use super::{
    FormData, Layout, Notice, PageError, PageSession, kind_word, perform, recorded_notice, render,
};
use crate::AppState;
use crate::auth::Session;

#[derive(Template)]
#[template(path = "person.html")]
struct PersonPage {
    layout: Layout,
    year: PersonYear,
    /// Whether the viewer is the person.
    own: bool,
    /// Whether the viewer supervises the person today.
    leads: bool,
    /// Quarters published and still within their appeal window.
    published: Vec<Quarter>,
    names: super::Names,
}

impl PersonPage {
    fn switch(&self) -> super::Switch {
        super::Switch::years(
            &format!("/people/{}/", self.year.person_id),
            self.year.year,
            "",
        )
    }

    fn kind(&self, kind: &Kind) -> &'static str {
        kind_word(*kind)
    }

    fn sanction(&self, sanction: &kaohe_assess::SanctionKind) -> &'static str {
        sanction.name_zh()
    }

    fn status(&self, status: &SheetStatus) -> &'static str {
        match status {
            SheetStatus::OnTime => "按时",
            SheetStatus::Late => "逾期",
            SheetStatus::Missing => "未交",
            SheetStatus::NotDue => "未到期",
        }
    }

    fn bonus<T: std::borrow::Borrow<u32>>(&self, bp: &T) -> String {
        format!("{}%", bp.borrow() / 100)
    }

    fn can_appeal(&self, quarter: &Quarter, kind: &Kind) -> bool {
        let appealed = self
            .year
            .appeals
            .iter()
            .any(|appeal| appeal.quarter == *quarter && appeal.kind == *kind);
        self.own && !appealed && self.published.contains(quarter)
    }

    fn can_talk(&self, sanction: &SanctionView) -> bool {
        sanction.sanction == kaohe_assess::SanctionKind::Talk
            && sanction.revoked_by.is_none()
            && sanction.talk_held.is_none()
            && self.viewer_has(&Role::PRINCIPALS)
    }

    fn can_plan(&self, sanction: &SanctionView) -> bool {
        self.own
            && sanction.sanction == kaohe_assess::SanctionKind::Rectification
            && sanction.revoked_by.is_none()
            && sanction.plan.is_none()
    }

    fn can_complete(&self, sanction: &SanctionView) -> bool {
        self.leads
            && sanction.sanction == kaohe_assess::SanctionKind::Rectification
            && sanction.revoked_by.is_none()
            && sanction.plan.is_some()
            && sanction.completed.is_none()
    }

    fn viewer_has(&self, roles: &[Role]) -> bool {
        self.layout
            .viewer
            .as_ref()
            .is_some_and(|viewer| viewer.has_any(roles))
    }

    fn today(&self) -> String {
        self.layout
            .viewer
            .as_ref()
            .map(|viewer| viewer.today.to_string())
            .unwrap_or_default()
    }
}

/// The query of the page.
#[derive(Deserialize)]
pub struct PersonQuery {
    ok: Option<u64>,
}

/// The page of `person`'s `year`, for `viewer`, who must be allowed to read it.
pub fn person_page(
    state: &AppState,
    viewer: &Session,
    person: &str,
    year: i16,
    notice: Option<Notice>,
    status: StatusCode,
) -> Result<Response, PageError> {
    let (view, leads_that_year, leads_today, published) = state.engine.read(|ledger| {
        let leads_that_year = Quarter::of_year(year)
            .iter()
            .flat_map(|quarter| quarter.months())
            .flat_map(|month| month.days())
            .any(|day| ledger.supervisor_on(person, day) == Some(viewer.person_id.as_str()));
        let leads_today =
            ledger.supervisor_on(person, viewer.today) == Some(viewer.person_id.as_str());
        let published: Vec<Quarter> = Quarter::of_year(year)
            .into_iter()
            .filter(|quarter| {
                ledger
                    .appeal_window_ends(*quarter)
                    .is_some_and(|ends| viewer.today <= ends)
            })
            .collect();
        (
            ledger
                .people
                .contains_key(person)
                .then(|| person_year(ledger, person, year, viewer.today)),
            leads_that_year,
            leads_today,
            published,
        )
    });
    let view = view.ok_or_else(|| PageError::not_found(format!("人员名册中没有 {person}")))?;
    let own = viewer.person_id == person;
    viewer.require(
        own || leads_that_year || viewer.is_overseer(),
        "个人年度记录供本人、其分管领导和书记、镇长、党委、党政办、纪检查看",
    )?;
    Ok(render(
        status,
        &PersonPage {
            layout: Layout::new(
                state,
                format!("{} · {} 年度", view.name, year),
                Some(viewer),
            )
            .with_notice(notice),
            year: view,
            own,
            leads: leads_today,
            published,
            names: super::Names::of(state),
        },
    ))
}

/// `GET /people/{person_id}/{year}`.
pub async fn page(
    State(state): State<AppState>,
    PageSession(viewer): PageSession,
    Path((person_id, year)): Path<(String, i16)>,
    Query(query): Query<PersonQuery>,
) -> Result<Response, PageError> {
    if !(2000..=2100).contains(&year) {
        return Err(PageError::bad_request(format!("{year} 不是有效的年份")));
    }
    person_page(
        &state,
        &viewer,
        &person_id,
        year,
        recorded_notice(query.ok),
        StatusCode::OK,
    )
}

/// Run a follow-up of the sanction `sanction_id` names, `C` from the form, and come back to
/// the person's year.
async fn follow_up<C: DeserializeOwned + Into<Command>>(
    state: &AppState,
    viewer: &Session,
    sanction_id: &str,
    form: &FormData,
) -> Result<Response, PageError> {
    let command: C = form.command(&[("sanction_id", sanction_id)])?;
    let (person, year) = state
        .engine
        .read(|ledger| {
            let sanction = ledger.sanctions.get(&sanction_id.parse::<Uuid>().ok()?)?;
            Some((sanction.person_id.clone(), sanction.quarter.year()))
        })
        .ok_or_else(|| PageError::not_found("没有这项奖惩"))?;
    Ok(perform(
        state,
        viewer,
        command,
        form.request_id(),
        &format!("/people/{person}/{year}"),
        |status, notice| {
            person_page(state, viewer, &person, year, Some(notice), status)
                .unwrap_or_else(axum::response::IntoResponse::into_response)
        },
    )
    .await)
}

/// `POST /sanctions/{sanction_id}/talk`.
pub async fn talk(
    State(state): State<AppState>,
    PageSession(viewer): PageSession,
    Path(sanction_id): Path<String>,
    form: FormData,
) -> Result<Response, PageError> {
    follow_up::<RecordTalk>(&state, &viewer, &sanction_id, &form).await
}

/// `POST /sanctions/{sanction_id}/plan`.
pub async fn plan(
    State(state): State<AppState>,
    PageSession(viewer): PageSession,
    Path(sanction_id): Path<String>,
    form: FormData,
) -> Result<Response, PageError> {
    follow_up::<PlanRectification>(&state, &viewer, &sanction_id, &form).await
}

/// `POST /sanctions/{sanction_id}/completion`.
pub async fn completion(
    State(state): State<AppState>,
    PageSession(viewer): PageSession,
    Path(sanction_id): Path<String>,
    form: FormData,
) -> Result<Response, PageError> {
    follow_up::<CompleteRectification>(&state, &viewer, &sanction_id, &form).await
}
