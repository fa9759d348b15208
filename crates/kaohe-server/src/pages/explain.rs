//! The explanation of one judgment, step by step, each step linked to its event, with a badge
//! saying the server checked every step's inclusion proof against the signed checkpoint.
//! Printable, so that a reviewer can file it.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use kaohe_engine::report::{ExplainReport, ProvenStep};
use serde::Deserialize;
use uuid::Uuid;

use super::{Layout, PageError, PageSession, render};
use crate::AppState;

#[derive(Template)]
#[template(path = "explain.html")]
struct ExplainPage {
    layout: Layout,
    report: ExplainReport,
    judgment: String,
    overseer: bool,
}

impl ExplainPage {
    fn relation(&self, step: &ProvenStep) -> &'static str {
        match step.relation {
            "judgment" => "本项判断",
            "rested on" => "依据",
            "policy in force" => "适用办法",
            _ => "后续",
        }
    }

    fn short(&self, hash: &str) -> String {
        hash.chars().take(16).collect()
    }
}

/// The query of an explanation.
#[derive(Deserialize)]
pub struct ExplainQuery {
    person: Option<String>,
}

/// `GET /explain/{event_id}`.
pub async fn page(
    State(state): State<AppState>,
    PageSession(viewer): PageSession,
    Path(event_id): Path<Uuid>,
    Query(query): Query<ExplainQuery>,
) -> Result<Response, PageError> {
    let report = crate::views::explained(&state, event_id, query.person, &viewer.person_id).await?;
    let overseer = viewer.is_overseer();
    let judgment = report
        .steps
        .iter()
        .find(|step| step.relation == "judgment")
        .map(|step| step.summary.clone())
        .unwrap_or_default();
    Ok(render(
        StatusCode::OK,
        &ExplainPage {
            layout: Layout::new(&state, "评定依据", Some(&viewer)),
            report,
            judgment,
            overseer,
        },
    ))
}
