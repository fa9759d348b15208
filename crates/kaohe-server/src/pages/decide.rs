//! The quarterly decision (二评): the secretary or the mayor selects the best and worst workers
//! from the quarter's pools; the other co-signs the latest proposal, putting it in force.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use kaohe_assess::Role;
use kaohe_assess::commands::{CosignDecision, ProposeDecision};
use kaohe_assess::period::Quarter;
use kaohe_assess::views::{QuarterBoard, quarter_board};
use serde::Deserialize;
use uuid::Uuid;

use super::{
    FormData, Layout, Notice, PageError, PageSession, parse, perform, recorded_notice, render,
};
use crate::AppState;
use crate::auth::Session;

#[derive(Template)]
#[template(path = "decide.html")]
struct DecidePage {
    layout: Layout,
    board: QuarterBoard,
    /// The latest proposal, if the viewer may co-sign it.
    cosign: Option<Uuid>,
    chosen_best: Vec<String>,
    chosen_worst: Vec<String>,
    names: super::Names,
}

impl DecidePage {
    fn switch(&self) -> super::Switch {
        super::Switch::quarters("/decide/", self.board.quarter, "")
    }

    fn chosen(&self, list: &[String], person: &str) -> bool {
        list.iter().any(|chosen| chosen == person)
    }

    fn role(&self, role: &Role) -> &'static str {
        role.name_zh()
    }
}

/// The query of the page.
#[derive(Deserialize)]
pub struct DecideQuery {
    ok: Option<u64>,
}

fn decide_page(
    state: &AppState,
    viewer: &Session,
    quarter: Quarter,
    chosen: (Vec<String>, Vec<String>),
    notice: Option<Notice>,
    status: StatusCode,
) -> Response {
    let board = state
        .engine
        .read(|ledger| quarter_board(ledger, quarter, viewer.today));
    let cosign = match (
        &board.decision,
        board.proposals.iter().find(|proposal| proposal.latest),
    ) {
        (None, Some(latest)) if latest.proposer_id != viewer.person_id => {
            let other = latest.proposer_role.other_principal();
            other
                .is_some_and(|other| viewer.has(other))
                .then_some(latest.id)
        }
        _ => None,
    };
    render(
        status,
        &DecidePage {
            layout: Layout::new(
                state,
                format!("季度评定 · {}", quarter.name_zh()),
                Some(viewer),
            )
            .with_notice(notice),
            board,
            cosign,
            chosen_best: chosen.0,
            chosen_worst: chosen.1,
            names: super::Names::of(state),
        },
    )
}

/// `GET /decide/{quarter}`.
pub async fn page(
    State(state): State<AppState>,
    PageSession(viewer): PageSession,
    Path(quarter): Path<String>,
    Query(query): Query<DecideQuery>,
) -> Result<Response, PageError> {
    let quarter: Quarter = parse(&quarter)?;
    viewer.require(
        viewer.has_any(&Role::PRINCIPALS),
        "季度评定由党委书记、镇长共同作出",
    )?;
    Ok(decide_page(
        &state,
        &viewer,
        quarter,
        (Vec::new(), Vec::new()),
        recorded_notice(query.ok),
        StatusCode::OK,
    ))
}

/// `POST /decide/{quarter}/propose`.
pub async fn propose(
    State(state): State<AppState>,
    PageSession(viewer): PageSession,
    Path(quarter): Path<String>,
    form: FormData,
) -> Result<Response, PageError> {
    let quarter: Quarter = parse(&quarter)?;
    let proposal: ProposeDecision = form.command(&[("quarter", &quarter.to_string())])?;
    let chosen = (proposal.best.clone(), proposal.worst.clone());
    Ok(perform(
        &state,
        &viewer,
        proposal,
        form.request_id(),
        &format!("/decide/{quarter}"),
        |status, notice| decide_page(&state, &viewer, quarter, chosen, Some(notice), status),
    )
    .await)
}

/// `POST /decide/{quarter}/cosign`.
pub async fn cosign(
    State(state): State<AppState>,
    PageSession(viewer): PageSession,
    Path(quarter): Path<String>,
    form: FormData,
) -> Result<Response, PageError> {
    let quarter: Quarter = parse(&quarter)?;
    let cosignature: CosignDecision = form.command(&[("quarter", &quarter.to_string())])?;
    let names = |ids: &[String]| {
        ids.iter()
            .map(|id| super::name_of(&state, id))
            .collect::<Vec<_>>()
            .join("、")
    };
    let proposal = state.engine.read(|ledger| {
        ledger
            .proposals
            .get(&cosignature.proposal_id)
            .map(|proposal| (proposal.best.clone(), proposal.worst.clone()))
    });
    if let Some((best, worst)) = proposal {
        let lines = [
            format!("最佳工作者：{}", names(&best)),
            format!("最差工作者：{}", names(&worst)),
            "会签后评定即生效，并依规产生相应奖惩。".to_owned(),
        ];
        if let Some(page) = super::confirm_first(
            &state,
            &viewer,
            &form,
            &format!("/decide/{quarter}/cosign"),
            &format!("/decide/{quarter}"),
            &format!("会签{}评定方案", quarter.name_zh()),
            &lines,
        ) {
            return Ok(page);
        }
    }
    Ok(perform(
        &state,
        &viewer,
        cosignature,
        form.request_id(),
        &format!("/quarters/{quarter}"),
        |status, notice| {
            decide_page(
                &state,
                &viewer,
                quarter,
                (Vec::new(), Vec::new()),
                Some(notice),
                status,
            )
        },
    )
    .await)
}
