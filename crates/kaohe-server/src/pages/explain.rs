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
    names: super::Names,
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

    /// Who acted, by name and role: 张伟（干部）.
    fn actor(&self, step: &ProvenStep) -> String {
        let (person, role) = step
            .actor
            .split_once(" (")
            .map_or((step.actor.as_str(), ""), |(person, role)| {
                (person, role.trim_end_matches(')'))
            });
        match role.parse::<kaohe_assess::Role>() {
            Ok(kaohe_assess::Role::System) => "按规则生成".into(),
            Ok(role) => {
                let name = self.names.one(person);
                if name == role.name_zh() {
                    name
                } else {
                    format!("{name}（{}）", role.name_zh())
                }
            }
            Err(_) => self.names.one(person),
        }
    }

    /// When, as the township writes it: 2026年3月2日 09:00 (the business time's own clock).
    fn when(&self, step: &ProvenStep) -> String {
        let time = &step.business_time;
        match time.get(..10).map(str::parse::<jiff::civil::Date>) {
            Some(Ok(day)) => format!(
                "{} {}",
                kaohe_assess::period::date_zh(day),
                time.get(11..16).unwrap_or_default()
            ),
            _ => time.clone(),
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
    let names = super::Names::of(&state);
    let mut report = report;
    for step in &mut report.steps {
        step.summary = names.in_text(&step.summary);
    }
    report.subject = report.subject.map(|subject| names.one(&subject));
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
            names,
        },
    ))
}
