//! A quarter at a glance: the pools ranked, the decision, the designations after appeals, the
//! appeals and the sanctions; the office publishes the notice here; the printable notice; and
//! the replay of the quarter from the events alone.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use kaohe_assess::Role;
use kaohe_assess::commands::PublishDecision;
use kaohe_assess::period::Quarter;
use kaohe_assess::state::Kind;
use kaohe_assess::views::{QuarterBoard, quarter_board};
use kaohe_engine::report::ReplayReport;
use serde::Deserialize;

use super::{
    FormData, Layout, Notice, PageError, PageSession, kind_word, parse, perform, recorded_notice,
    render,
};
use crate::AppState;
use crate::auth::Session;

#[derive(Template)]
#[template(path = "board.html")]
struct BoardPage {
    layout: Layout,
    board: QuarterBoard,
    can_publish: bool,
    notice_text: String,
    names: super::Names,
}

impl BoardPage {
    fn switch(&self) -> super::Switch {
        super::Switch::quarters("/quarters/", self.board.quarter, "")
    }

    fn kind(&self, kind: &Kind) -> &'static str {
        kind_word(*kind)
    }

    fn sanction(&self, sanction: &kaohe_assess::SanctionKind) -> &'static str {
        sanction.name_zh()
    }

    fn overseer(&self) -> bool {
        self.layout
            .viewer
            .as_ref()
            .is_some_and(|viewer| viewer.is_overseer())
    }

    fn cosign(&self) -> String {
        self.board
            .decision
            .as_ref()
            .map(|decision| decision.cosign_id.to_string())
            .unwrap_or_default()
    }
}

/// The query of the board.
#[derive(Deserialize)]
pub struct BoardQuery {
    ok: Option<u64>,
}

fn default_notice(quarter: Quarter) -> String {
    format!(
        "经镇党委研究，评定 {quarter} 季度最好工作人员、最差工作人员，现予公示。如有异议，请于公示之日起向镇党委提出复评申请。"
    )
}

fn board_page(
    state: &AppState,
    viewer: &Session,
    quarter: Quarter,
    notice_text: String,
    notice: Option<Notice>,
    status: StatusCode,
) -> Response {
    let board = state
        .engine
        .read(|ledger| quarter_board(ledger, quarter, viewer.today));
    let can_publish =
        viewer.has(Role::Office) && board.decision.is_some() && board.publication.is_none();
    render(
        status,
        &BoardPage {
            layout: Layout::new(
                state,
                format!("季度公示板 · {}", quarter.name_zh()),
                Some(viewer),
            )
            .with_notice(notice),
            board,
            can_publish,
            notice_text,
            names: super::Names::of(state),
        },
    )
}

/// `GET /quarters/{quarter}`.
pub async fn page(
    State(state): State<AppState>,
    PageSession(viewer): PageSession,
    Path(quarter): Path<String>,
    Query(query): Query<BoardQuery>,
) -> Result<Response, PageError> {
    let quarter: Quarter = parse(&quarter)?;
    viewer.require(
        viewer.is_overseer() || viewer.has(Role::SupervisingLeader),
        "季度公示板供分管领导和书记、镇长、党委、党政办、纪检查看；公示内容人人可看",
    )?;
    Ok(board_page(
        &state,
        &viewer,
        quarter,
        default_notice(quarter),
        recorded_notice(query.ok),
        StatusCode::OK,
    ))
}

/// `POST /quarters/{quarter}/publish`: the office publishes the decision in force.
pub async fn publish(
    State(state): State<AppState>,
    PageSession(viewer): PageSession,
    Path(quarter): Path<String>,
    form: FormData,
) -> Result<Response, PageError> {
    let quarter: Quarter = parse(&quarter)?;
    let publication: PublishDecision = form.command(&[("quarter", &quarter.to_string())])?;
    let text = publication.notice.clone();
    if let Some(page) = super::confirm_first(
        &state,
        &viewer,
        &form,
        &format!("/quarters/{quarter}/publish"),
        &format!("/quarters/{quarter}"),
        &format!("公示{}评定结果", quarter.name_zh()),
        &[
            text.clone(),
            "公示后全体人员可见，复评申请期自公示之日起计算。".to_owned(),
        ],
    ) {
        return Ok(page);
    }
    Ok(perform(
        &state,
        &viewer,
        publication,
        form.request_id(),
        &format!("/quarters/{quarter}"),
        |status, notice| board_page(&state, &viewer, quarter, text, Some(notice), status),
    )
    .await)
}

/// One designation on the printed notice.
struct Named {
    name: String,
    stands: bool,
}

#[derive(Template)]
#[template(path = "notice.html")]
struct NoticePage {
    layout: Layout,
    quarter: String,
    text: String,
    published_on: String,
    best: Vec<Named>,
    worst: Vec<Named>,
}

/// `GET /quarters/{quarter}/notice`: the public notice, printable. Anyone signed in, once
/// published.
pub async fn notice(
    State(state): State<AppState>,
    PageSession(viewer): PageSession,
    Path(quarter): Path<String>,
) -> Result<Response, PageError> {
    let quarter: Quarter = parse(&quarter)?;
    let board = state
        .engine
        .read(|ledger| quarter_board(ledger, quarter, viewer.today));
    let publication = board
        .publication
        .ok_or_else(|| PageError::not_found(format!("{}的评定尚未公示", quarter.name_zh())))?;
    let named = |kind: Kind| {
        board
            .designations
            .iter()
            .filter(|designation| designation.kind == kind)
            .map(|designation| Named {
                name: designation.name.clone(),
                stands: designation.stands,
            })
            .collect()
    };
    Ok(render(
        StatusCode::OK,
        &NoticePage {
            layout: Layout::new(
                &state,
                format!("{}评定公示", quarter.name_zh()),
                Some(&viewer),
            ),
            quarter: quarter.name_zh(),
            text: publication.notice,
            published_on: kaohe_assess::period::date_zh(publication.published_on),
            best: named(Kind::Best),
            worst: named(Kind::Worst),
        },
    ))
}

#[derive(Template)]
#[template(path = "replay.html")]
struct ReplayPage {
    layout: Layout,
    report: ReplayReport,
}

impl ReplayPage {
    fn switch(&self) -> super::Switch {
        let quarter = self.report.quarter.parse().expect("the quarter replayed");
        super::Switch::quarters("/quarters/", quarter, "/replay")
    }

    fn kind(&self, kind: &Kind) -> &'static str {
        kind_word(*kind)
    }
}

/// `GET /quarters/{quarter}/replay`: rebuild the quarter from the events alone and compare.
pub async fn replay(
    State(state): State<AppState>,
    PageSession(viewer): PageSession,
    Path(quarter): Path<String>,
) -> Result<Response, PageError> {
    let quarter: Quarter = parse(&quarter)?;
    viewer.require(
        viewer.is_overseer(),
        "复算供书记、镇长、党委、党政办、纪检查看",
    )?;
    let report = crate::views::replayed(&state, quarter)
        .await?
        .ok_or_else(|| {
            PageError::not_found(format!("{}尚无生效的评定，无从复算", quarter.name_zh()))
        })?;
    Ok(render(
        StatusCode::OK,
        &ReplayPage {
            layout: Layout::new(
                &state,
                format!("复算 · {}", quarter.name_zh()),
                Some(&viewer),
            ),
            report,
        },
    ))
}
