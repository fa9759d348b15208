//! Sign-in slips (登录凭条): the office picks people in the staff directory and prints, for
//! each, a slip with a QR code of a sign-in link and the same token as text, so that signing
//! in on a phone is a scan, not a 60-character paste. Each slip is a new token, issued as the
//! API issues one (an event, its hash beside the ledger); the page shows the tokens once.

use askama::Template;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::Response;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use kaohe_assess::Role;

use super::{FormData, Layout, PageError, PageSession, confirm_first, name_of, render};
use crate::AppState;

/// The most slips one printing issues.
pub const SLIPS_MAX: usize = 100;

/// One printed slip.
struct Slip {
    name: String,
    roles: String,
    /// The QR code of the sign-in link, an SVG image as a `data:` address.
    qr: String,
    token: String,
}

#[derive(Template)]
#[template(path = "slips.html")]
struct SlipsPage {
    layout: Layout,
    slips: Vec<Slip>,
    host: String,
    /// What could not be issued, if a token was refused part of the way.
    failed: Option<String>,
}

/// The QR code of `text` as an SVG `data:` address (drawn here, nothing fetched).
fn qr_image(text: &str) -> Result<String, PageError> {
    let code = qrcode::QrCode::new(text.as_bytes()).map_err(PageError::internal)?;
    let svg = code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(160, 160)
        .build();
    Ok(format!(
        "data:image/svg+xml;base64,{}",
        STANDARD.encode(svg)
    ))
}

/// `POST /people/slips`: preview, then issue a token per person and print the slips.
pub async fn issue(
    State(state): State<AppState>,
    PageSession(viewer): PageSession,
    headers: HeaderMap,
    form: FormData,
) -> Result<Response, PageError> {
    viewer.require(viewer.has(Role::Office), "登录凭条由党政办签发")?;
    let mut people: Vec<String> = form
        .0
        .iter()
        .filter(|(key, _)| key == "person_id")
        .map(|(_, value)| value.clone())
        .collect();
    people.dedup();
    if people.is_empty() {
        return Err(PageError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "请至少选择一人。".into(),
        ));
    }
    if people.len() > SLIPS_MAX {
        return Err(PageError::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            format!("一次最多签发 {SLIPS_MAX} 张凭条，请缩小范围。"),
        ));
    }
    let known = state.engine.read(|ledger| {
        people
            .iter()
            .all(|person| ledger.people.contains_key(person))
    });
    if !known {
        return Err(PageError::not_found("所选人员不在人员名册中。"));
    }
    let names: Vec<String> = people
        .iter()
        .map(|person| name_of(&state, person))
        .collect();
    let lines = [
        format!(
            "为 {} 人签发新的登录凭条：{}",
            people.len(),
            names.join("、")
        ),
        "每张凭条上的二维码和登录码都可以登录；此前签发的凭条仍然有效，遗失的请吊销。".into(),
        "登录码只在下一页显示一次，请当即打印。".into(),
    ];
    if let Some(preview) = confirm_first(
        &state,
        &viewer,
        &form,
        "/people/slips",
        "/people",
        "签发登录凭条",
        &lines,
    ) {
        return Ok(preview);
    }
    // The address people reach the server at, as the office's own browser reached it.
    let host = headers
        .get(header::HOST)
        .and_then(|host| host.to_str().ok())
        .unwrap_or("127.0.0.1")
        .to_owned();
    let mut slips = Vec::new();
    let mut failed = None;
    for (person, name) in people.iter().zip(names) {
        match state.engine.issue_token(&viewer.person_id, person).await {
            Ok((issued, _)) => {
                let roles = state.engine.read(|ledger| {
                    ledger
                        .people
                        .get(person)
                        .map(|known| {
                            known
                                .roles
                                .iter()
                                .filter(|span| {
                                    span.from <= viewer.today
                                        && span.until.is_none_or(|until| until >= viewer.today)
                                })
                                .map(|span| span.role.name_zh())
                                .collect::<Vec<_>>()
                                .join("、")
                        })
                        .unwrap_or_default()
                });
                slips.push(Slip {
                    qr: qr_image(&format!("http://{host}/signin?token={}", issued.text))?,
                    name,
                    roles,
                    token: issued.text,
                });
            }
            Err(error) => {
                failed = Some(format!(
                    "为 {name} 签发时未能完成：{}",
                    super::refused(error).1.text
                ));
                break;
            }
        }
    }
    Ok(render(
        StatusCode::OK,
        &SlipsPage {
            layout: Layout::new(&state, "登录凭条", Some(&viewer)),
            slips,
            host,
            failed,
        },
    ))
}
