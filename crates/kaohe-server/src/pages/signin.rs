//! Signing in with the token the office issued, and out. The token is kept in an HttpOnly,
//! same-site cookie; a sign-in link (`/signin?token=…`, as `kaohe demo` prints) does the same.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::{FormData, Layout, Notice, SESSION_COOKIE, render};
use crate::AppState;
use crate::auth::Session;

#[derive(Template)]
#[template(path = "signin.html")]
struct SigninPage {
    layout: Layout,
    next: String,
}

/// The query of the sign-in page.
#[derive(Deserialize)]
pub struct SigninQuery {
    next: Option<String>,
    token: Option<String>,
}

/// Only a path of this site may be where sign-in leads.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(next) if next.starts_with('/') && !next.starts_with("//") => next.to_owned(),
        _ => "/".to_owned(),
    }
}

fn signed_in(token: &str, next: &str) -> Response {
    let mut response = Redirect::to(next).into_response();
    let cookie = format!("{SESSION_COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/");
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}

fn form_page(state: &AppState, next: &str, notice: Option<Notice>, status: StatusCode) -> Response {
    render(
        status,
        &SigninPage {
            layout: Layout::new(state, "登录", None).with_notice(notice),
            next: next.to_owned(),
        },
    )
}

/// `GET /signin`: the form, or a sign-in link's token.
pub async fn form(State(state): State<AppState>, Query(query): Query<SigninQuery>) -> Response {
    let next = safe_next(query.next.as_deref());
    match query.token {
        Some(token) if Session::of_token(&state, &token).is_ok() => signed_in(token.trim(), &next),
        Some(_) => form_page(
            &state,
            &next,
            Some(Notice {
                ok: false,
                text: "令牌无效：可能已吊销或输入有误，请向党政办申领。".into(),
            }),
            StatusCode::UNAUTHORIZED,
        ),
        None => form_page(&state, &next, None, StatusCode::OK),
    }
}

/// `POST /signin`.
pub async fn submit(State(state): State<AppState>, form: FormData) -> Response {
    let next = safe_next(Some(&form.get("next")));
    let token = form.get("token");
    if Session::of_token(&state, &token).is_ok() {
        return signed_in(token.trim(), &next);
    }
    form_page(
        &state,
        &next,
        Some(Notice {
            ok: false,
            text: "令牌无效：可能已吊销或输入有误，请向党政办申领。".into(),
        }),
        StatusCode::UNAUTHORIZED,
    )
}

/// `POST /signout`.
pub async fn signout() -> Response {
    let mut response = Redirect::to("/").into_response();
    let cookie = format!("{SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0");
    if let Ok(value) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, value);
    }
    response
}
