//! The front page: signed out, what the ledger is and how to verify it; signed in, a card for
//! each of the person's roles with what is waiting for them today.

use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use kaohe_assess::Outcome;
use kaohe_assess::Role;
use kaohe_assess::period::{Month, date_zh};
use kaohe_assess::todo::{Due, Todo};
use kaohe_assess::views::{self, QuarterStage};

use super::{Layout, PageError, blocking, render, session_of};
use crate::AppState;
use crate::auth::Session;

#[derive(Template)]
#[template(path = "front.html")]
struct FrontPage {
    layout: Layout,
    size: u64,
    root: String,
    origin: String,
    key: String,
    checkpoint: Option<(u64, String)>,
}

/// One task card.
struct Card {
    title: String,
    lines: Vec<String>,
    link: String,
    action: &'static str,
}

/// One item of the to-do list: what, by when, and the form that does it.
struct TodoLine {
    text: String,
    due: String,
    late: bool,
    link: String,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    layout: Layout,
    todo: Vec<TodoLine>,
    cards: Vec<Card>,
}

/// The words and the link of a to-do item; `name` names a person.
fn todo_line(item: &Due, me: &str, name: impl Fn(&str) -> String) -> TodoLine {
    let (text, link) = match &item.todo {
        Todo::WriteEntry { .. } => (
            "填写今天的工作记录".to_owned(),
            "/record#write-entry".to_owned(),
        ),
        Todo::HandInSheet { period } => (
            format!("上交{}记录表", period.name_zh()),
            format!("/record?month={}", Month::of(period.first_day())),
        ),
        Todo::Appeal { quarter, kind } => (
            format!(
                "您被评为{}{}，如有异议可申请复评",
                quarter.name_zh(),
                kind.worker_zh()
            ),
            format!("/people/{me}/{}#designations", quarter.year()),
        ),
        Todo::AppealAnswered {
            quarter,
            kind,
            outcome,
        } => (
            format!(
                "您对{}{}评定的复评申请已答复：{}",
                quarter.name_zh(),
                kind.worker_zh(),
                if *outcome == Outcome::Overturned {
                    "撤销原评定"
                } else {
                    "维持原评定"
                }
            ),
            format!("/people/{me}/{}", quarter.year()),
        ),
        Todo::PlanRectification {
            quarter,
            sanction_id,
        } => (
            format!("提交{}限期整改的整改方案", quarter.name_zh()),
            format!("/people/{me}/{}#sanction-{sanction_id}", quarter.year()),
        ),
        Todo::ConfirmRectification {
            quarter,
            person_id,
            sanction_id,
        } => (
            format!("确认 {} 的整改完成情况", name(person_id)),
            format!(
                "/people/{person_id}/{}#sanction-{sanction_id}",
                quarter.year()
            ),
        ),
        Todo::ReadSheets { month, count } => (
            format!("阅看{}的记录表 {count} 份", month.name_zh()),
            format!("/leader/{month}"),
        ),
        Todo::Nominate { month } => (
            format!("提出{}的最佳、最差人选（月度评议）", month.name_zh()),
            format!("/leader/{month}#nominate"),
        ),
        Todo::GiveOpinions { month, count } => (
            format!("对片区 {count} 名人员提出{}的片长意见", month.name_zh()),
            format!("/chief/{month}"),
        ),
        Todo::ProposeDecision { quarter } => (
            format!("提出{}的评定方案（季度评议）", quarter.name_zh()),
            format!("/decide/{quarter}"),
        ),
        Todo::Cosign { quarter } => (
            format!("会签{}的评定方案", quarter.name_zh()),
            format!("/decide/{quarter}#cosign"),
        ),
        Todo::Publish { quarter } => (
            format!("公示{}的评定结果", quarter.name_zh()),
            format!("/quarters/{quarter}"),
        ),
        Todo::AnswerAppeal {
            person_id,
            appeal_id,
        } => (
            format!("答复 {} 的复评申请", name(person_id)),
            format!("/appeals#appeal-{appeal_id}"),
        ),
        Todo::HoldTalk {
            quarter,
            person_id,
            sanction_id,
        } => (
            format!(
                "与 {} 谈话（{}最差工作者）",
                name(person_id),
                quarter.name_zh()
            ),
            format!(
                "/people/{person_id}/{}#sanction-{sanction_id}",
                quarter.year()
            ),
        ),
    };
    TodoLine {
        text,
        due: item
            .due_on
            .map(|day| {
                if item.late {
                    format!("已逾期（{} 截止）", date_zh(day))
                } else {
                    format!("{} 前", date_zh(day))
                }
            })
            .unwrap_or_default(),
        late: item.late,
        link,
    }
}

/// `GET /`.
pub async fn index(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
) -> Result<Response, PageError> {
    match session_of(&state, &headers) {
        Some(viewer) => Ok(home(&state, &viewer)),
        None => front(state).await,
    }
}

async fn front(state: AppState) -> Result<Response, PageError> {
    let genesis = state.engine.store().genesis().clone();
    let store = state.engine.store().clone();
    let (head, checkpoints) = blocking(move || {
        let snapshot = store.snapshot()?;
        Ok((snapshot.head()?, snapshot.checkpoints()?))
    })
    .await?;
    Ok(render(
        StatusCode::OK,
        &FrontPage {
            layout: Layout::new(&state, "首页", None),
            size: head.size,
            root: head.root.to_hex(),
            origin: genesis.origin.clone(),
            key: genesis.verifier_key.to_text(),
            checkpoint: checkpoints.last().cloned(),
        },
    ))
}

fn home(state: &AppState, viewer: &Session) -> Response {
    let today = viewer.today;
    let month = viewer.last_month();
    let quarter = viewer.last_quarter();
    let me = viewer.person_id.as_str();
    let mut cards = Vec::new();
    let todo = state.engine.read(|ledger| {
        let name = |id: &str| {
            ledger
                .people
                .get(id)
                .map_or_else(|| id.to_owned(), |person| person.name.clone())
        };
        kaohe_assess::todo::due(ledger, me, today)
            .iter()
            .map(|item| todo_line(item, me, name))
            .collect::<Vec<_>>()
    });
    state.engine.read(|ledger| {
        if viewer.has(Role::Cadre) {
            let due = views::record_due(ledger, me, today);
            let sheets: Vec<String> = due
                .sheets_due
                .iter()
                .map(|period| period.name_zh())
                .collect();
            cards.push(Card {
                title: "我的工作记录（一记）".into(),
                lines: vec![
                    format!(
                        "今天（{}）的记录：{}",
                        date_zh(today),
                        if due.written_today {
                            "已填写"
                        } else {
                            "未填写"
                        }
                    ),
                    if sheets.is_empty() {
                        "没有待上交的记录表".into()
                    } else {
                        format!("待上交的记录表：{}", sheets.join("、"))
                    },
                ],
                link: "/record".into(),
                action: "填写记录、上交记录表",
            });
        }
        if viewer.has(Role::AreaChief) {
            let area = views::area_month(ledger, me, month);
            cards.push(Card {
                title: format!("片区意见（{}）", month.name_zh()),
                lines: vec![format!(
                    "片区人员 {} 名，已提出意见 {} 条",
                    area.cadres.len(),
                    area.opinions_given
                )],
                link: format!("/chief/{month}"),
                action: "提出片长意见",
            });
        }
        if viewer.has(Role::SupervisingLeader) {
            let view = views::leader_month(ledger, me, month, today);
            let unread = view.unread_sheets();
            cards.push(Card {
                title: format!("分管月评（{}）", month.name_zh()),
                lines: vec![
                    format!("分管 {} 人，待阅记录表 {unread} 份", view.supervisees.len()),
                    format!(
                        "已提名 {} 人次{}",
                        view.nominations.len(),
                        view.nominations_due
                            .map(|due| format!("，提名截止 {}", date_zh(due)))
                            .unwrap_or_default()
                    ),
                ],
                link: format!("/leader/{month}"),
                action: "阅看记录表、提名最佳最差",
            });
        }
        if viewer.has_any(&Role::PRINCIPALS) {
            let status = match views::quarter_stage(ledger, quarter) {
                QuarterStage::Published => "已生效并公示",
                QuarterStage::InForce => "已会签生效，待公示",
                QuarterStage::Proposed => "已提出方案，待会签",
                QuarterStage::NotProposed => "尚未提出评定方案",
            };
            cards.push(Card {
                title: format!("季度评定（{}）", quarter.name_zh()),
                lines: vec![status.into()],
                link: format!("/decide/{quarter}"),
                action: "提出或会签评定方案",
            });
        }
        if viewer.has(Role::PartyCommittee) {
            let queue = views::appeal_queue(ledger, today);
            cards.push(Card {
                title: "复评申请".into(),
                lines: vec![format!(
                    "待答复 {} 件，超期 {} 件",
                    queue.open.len(),
                    queue.breaches
                )],
                link: "/appeals".into(),
                action: "答复复评申请",
            });
        }
        if viewer.has(Role::Office) {
            let status = match views::quarter_stage(ledger, quarter) {
                QuarterStage::Published => "已公示",
                QuarterStage::InForce => "评定已生效，待公示",
                QuarterStage::Proposed | QuarterStage::NotProposed => "评定尚未生效",
            };
            cards.push(Card {
                title: format!("季度公示（{}）", quarter.name_zh()),
                lines: vec![status.into()],
                link: format!("/quarters/{quarter}"),
                action: "查看公示板、发布公示",
            });
        }
        if viewer.has(Role::DisciplineInspector) {
            cards.push(Card {
                title: "监督核验".into(),
                lines: vec![format!("台账共 {} 条事件", ledger.events)],
                link: "/ledger".into(),
                action: "浏览台账、核验证明",
            });
        }
    });
    cards.push(Card {
        title: format!("我的 {} 年度", today.year()),
        lines: vec!["每月记录、评定、复评、奖惩与绩效".into()],
        link: format!("/people/{me}/{}", today.year()),
        action: "查看",
    });
    render(
        StatusCode::OK,
        &HomePage {
            layout: Layout::new(state, "首页", Some(viewer)),
            todo,
            cards,
        },
    )
}
