//! The pages people use: server-rendered, zh-CN, usable without JavaScript, nothing loaded from
//! outside. A person signs in with their token (kept in an HttpOnly, same-site cookie); each
//! page serves a role's real task, and shows only the forms of the roles the person holds
//! today (every form carries `data-role`). A form is read into its command's struct
//! (`FormData::command`, the same reading as the API's) and executed as the API executes it
//! (`perform`). A form the rules refuse is shown again with the rule in words and the input
//! kept; one they accept redirects to the page with a notice.
//!
//! The signed-in person is the API's `Session`; the pages also accept `Authorization: Bearer`,
//! so the exports can be fetched by tools.

mod appeals;
mod board;
mod decide;
mod explain;
mod explorer;
mod exports;
mod home;
mod leader;
mod people;
mod person;
mod record;
mod sheet;
mod signin;
pub mod slips;

use askama::Template;
use axum::Router;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use kaohe_assess::Role;
use kaohe_assess::period::{Month, Quarter};
use kaohe_engine::ExecuteError;
use serde::de::DeserializeOwned;

use crate::AppState;
use crate::auth::{Forbidden, Session};
use crate::input::{self, FormFields, Given, InputError};

/// The session cookie: the person's token.
pub const SESSION_COOKIE: &str = "kaohe_session";

/// The pages' routes.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(home::index))
        .route("/static/kaohe.css", get(stylesheet))
        .route("/signin", get(signin::form).post(signin::submit))
        .route("/signout", post(signin::signout))
        .route("/people/slips", post(slips::issue))
        .route("/record", get(record::page))
        .route("/record/entries", post(record::write))
        .route("/record/entries/{entry_id}/amend", post(record::amend))
        .route("/record/sheets", post(record::submit_sheet))
        .route("/leader/{month}", get(leader::page))
        .route("/leader/{month}/read", post(leader::read))
        .route("/leader/{month}/read-all", post(leader::read_all))
        .route("/sheets/{person_id}/{period}", get(sheet::page))
        .route("/sheets/{person_id}/{period}/read", post(sheet::read))
        .route("/leader/{month}/nominate", post(leader::nominate))
        .route("/leader/{month}/scores", post(leader::scores))
        .route("/chief/{month}", get(leader::chief_page_route))
        .route("/chief/{month}/opinions", post(leader::opinion))
        .route("/decide/{quarter}", get(decide::page))
        .route("/decide/{quarter}/propose", post(decide::propose))
        .route("/decide/{quarter}/cosign", post(decide::cosign))
        .route("/quarters/{quarter}", get(board::page))
        .route("/quarters/{quarter}/publish", post(board::publish))
        .route("/quarters/{quarter}/notice", get(board::notice))
        .route("/quarters/{quarter}/replay", get(board::replay))
        .route("/appeals", get(appeals::page).post(appeals::file))
        .route("/appeals/{appeal_id}/answer", post(appeals::answer))
        .route("/people", get(people::page))
        .route("/people/{person_id}/{year}", get(person::page))
        .route("/sanctions/{sanction_id}/talk", post(person::talk))
        .route("/sanctions/{sanction_id}/plan", post(person::plan))
        .route(
            "/sanctions/{sanction_id}/completion",
            post(person::completion),
        )
        .route("/explain/{event_id}", get(explain::page))
        .route("/ledger", get(explorer::page))
        .route("/ledger/events/{position}", get(explorer::event))
        .route("/ledger/checkpoint", get(explorer::checkpoint))
        .route("/exports/quarters/{file}", get(exports::quarter_workbook))
        .route(
            "/exports/quarters/{quarter}/{table}",
            get(exports::quarter_table),
        )
        .route("/exports/years/{file}", get(exports::year_workbook))
        .route("/exports/years/{year}/{table}", get(exports::year_table))
}

async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "max-age=3600"),
        ],
        include_str!("../../static/kaohe.css"),
    )
        .into_response()
}

/// What the pages add to the signed-in person.
impl Session {
    /// Their roles today, in Chinese.
    pub fn role_names(&self) -> Vec<&'static str> {
        self.roles.iter().map(|role| role.name_zh()).collect()
    }

    /// The last month that is over.
    pub fn last_month(&self) -> Month {
        Month::of(self.today.first_of_month().yesterday().expect("a date"))
    }

    /// The last quarter that is over.
    pub fn last_quarter(&self) -> Quarter {
        Month::of(self.today).quarter().previous()
    }
}

impl From<Forbidden> for PageError {
    fn from(forbidden: Forbidden) -> Self {
        PageError::new(
            StatusCode::FORBIDDEN,
            format!("无权查看：{}", forbidden.who_may),
        )
    }
}

/// The token a request carries: the session cookie, or a bearer header.
fn token_of(headers: &HeaderMap) -> Option<String> {
    let cookie = headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .find_map(|pair| {
            pair.trim()
                .strip_prefix(SESSION_COOKIE)
                .and_then(|rest| rest.strip_prefix('='))
                .map(str::to_owned)
        });
    cookie.or_else(|| {
        headers
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.strip_prefix("Bearer "))
            .map(str::to_owned)
    })
}

/// The person the session cookie or a bearer header of `headers` signs in, if any.
pub fn session_of(state: &AppState, headers: &HeaderMap) -> Option<Session> {
    token_of(headers).and_then(|token| Session::of_token(state, &token).ok())
}

/// The signed-in person of a page, from the session cookie or a bearer header. Anyone else is
/// sent to sign in, and back; a form posted from another site is refused.
#[derive(Clone, Debug)]
pub struct PageSession(pub Session);

impl FromRequestParts<AppState> for PageSession {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Response> {
        if let Some(session) = session_of(state, &parts.headers) {
            // A form posted from another site is refused, whatever the cookie says.
            if parts.method == axum::http::Method::POST && !same_origin(&parts.headers) {
                return Err(PageError::new(
                    StatusCode::FORBIDDEN,
                    "表单须从本系统的页面提交".to_owned(),
                )
                .into_response());
            }
            return Ok(PageSession(session));
        }
        let uri = parts.uri.to_string();
        Err(Redirect::to(&format!("/signin?next={}", encode(&uri))).into_response())
    }
}

/// A browser sends `Origin` with a form; when it does, it must be this server.
fn same_origin(headers: &HeaderMap) -> bool {
    let Some(origin) = headers
        .get(header::ORIGIN)
        .and_then(|value| value.to_str().ok())
    else {
        return true;
    };
    let host = headers
        .get(header::HOST)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default();
    origin
        .split_once("://")
        .is_some_and(|(_, authority)| authority == host)
}

/// Percent-encode a query value.
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~/".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// A message at the top of a page.
#[derive(Clone, Debug)]
pub struct Notice {
    /// Whether it reports success.
    pub ok: bool,
    /// The words.
    pub text: String,
}

/// What every page shows around its content.
#[derive(Clone)]
pub struct Layout {
    /// The page's title.
    pub title: String,
    /// Who is signed in, if anyone.
    pub viewer: Option<Session>,
    /// The navigation links the viewer may follow.
    pub nav: Vec<(String, &'static str)>,
    /// A message.
    pub notice: Option<Notice>,
    /// The organisation.
    pub organisation: String,
    /// The engine, whose clock makes each form's request id (none on a page that cannot act).
    engine: Option<kaohe_engine::Engine>,
}

impl Layout {
    /// The layout of a page for `viewer`.
    pub fn new(state: &AppState, title: impl Into<String>, viewer: Option<&Session>) -> Layout {
        let mut nav = vec![("/".to_owned(), "首页")];
        if let Some(viewer) = viewer {
            if viewer.has(Role::Cadre) {
                nav.push(("/record".into(), "我的工作记录"));
            }
            nav.push((
                format!("/people/{}/{}", viewer.person_id, viewer.today.year()),
                "我的年度",
            ));
            if viewer.has(Role::AreaChief) {
                nav.push((format!("/chief/{}", viewer.last_month()), "片区意见"));
            }
            if viewer.has(Role::SupervisingLeader) {
                nav.push((format!("/leader/{}", viewer.last_month()), "分管月评"));
            }
            if viewer.has_any(&Role::PRINCIPALS) {
                nav.push((format!("/decide/{}", viewer.last_quarter()), "季度评定"));
            }
            if viewer.is_overseer() || viewer.has(Role::SupervisingLeader) {
                nav.push((format!("/quarters/{}", viewer.last_quarter()), "季度公示板"));
            }
            nav.push(("/people".into(), "人员名录"));
            if viewer.is_overseer() {
                nav.push(("/appeals".into(), "复评申请"));
                nav.push(("/ledger".into(), "台账"));
            }
        }
        Layout {
            title: title.into(),
            viewer: viewer.cloned(),
            nav,
            notice: None,
            organisation: state.engine.store().genesis().organisation.clone(),
            engine: Some(state.engine.clone()),
        }
    }

    /// A new request id for one form of the page (each form its own, made as the page is
    /// rendered): sent back as the hidden `request_id`, it makes a form sent twice a retry.
    pub fn request_id(&self) -> String {
        self.engine
            .as_ref()
            .map(|engine| engine.new_id().to_string())
            .unwrap_or_default()
    }

    /// With a notice.
    pub fn with_notice(mut self, notice: Option<Notice>) -> Layout {
        self.notice = notice;
        self
    }
}

/// A notice from `?ok=N`: the event a form just recorded.
pub fn recorded_notice(ok: Option<u64>) -> Option<Notice> {
    ok.map(|position| Notice {
        ok: true,
        text: format!("已记录，台账第 {position} 号事件。"),
    })
}

/// A refused or failed form: the rule in words, with the status the API would answer.
pub fn refused(error: ExecuteError) -> (StatusCode, Notice) {
    let text = match &error {
        ExecuteError::Refused(refusal) => format!("未记录：{}", refusal.in_chinese()),
        ExecuteError::Invalid(detail) => format!("未记录：内容不符合台账格式（{detail}）"),
        ExecuteError::Unavailable(_) | ExecuteError::Unreadable(_) => {
            "未记录：台账暂时无法写入，请稍后再试".into()
        }
        ExecuteError::Conflict(_) | ExecuteError::BadRequestId(_) => "未记录：请求编号重复".into(),
        ExecuteError::Internal(_) | ExecuteError::Panicked(_) => "未记录：服务器出错".into(),
    };
    (
        crate::ApiError::from(error).status,
        Notice { ok: false, text },
    )
}

/// The hidden field that carries a form's request id.
pub const REQUEST_ID_FIELD: &str = "request_id";

/// The field a confirmation page adds: the act was previewed and confirmed.
pub const CONFIRMED_FIELD: &str = "confirmed";

#[derive(Template)]
#[template(path = "confirm.html")]
struct ConfirmPage<'a> {
    layout: Layout,
    title: &'a str,
    lines: &'a [String],
    action: &'a str,
    fields: &'a [(String, String)],
    back: &'a str,
}

/// An act that cannot be undone is done only once confirmed: unless the form says it was
/// (`confirmed=1`), this is the page that previews it — `title`, `lines` — with every field the
/// person sent (the request id too) kept in a form that posts again to `action` with
/// `confirmed=1`, and a way back to `back` that loses nothing.
pub fn confirm_first(
    state: &AppState,
    viewer: &Session,
    form: &FormData,
    action: &str,
    back: &str,
    title: &str,
    lines: &[String],
) -> Option<Response> {
    if form.get(CONFIRMED_FIELD) == "1" {
        return None;
    }
    Some(render(
        StatusCode::OK,
        &ConfirmPage {
            layout: Layout::new(state, format!("请确认：{title}"), Some(viewer)),
            title,
            lines,
            action,
            fields: &form.0,
            back,
        },
    ))
}

/// The fields of a submitted form, in order; a name may repeat (several citations).
#[derive(Clone, Debug, Default)]
pub struct FormData(pub Vec<(String, String)>);

impl FormData {
    /// The first value of `name`, trimmed of nothing; empty if absent.
    pub fn get(&self, name: &str) -> String {
        self.0
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.clone())
            .unwrap_or_default()
    }

    /// The form's request id, if it carries a well-formed one (a form without one, or with a
    /// malformed one, is executed once as sent: it cannot be told from a new form).
    pub fn request_id(&self) -> Option<uuid::Uuid> {
        self.get(REQUEST_ID_FIELD).parse().ok()
    }

    /// The command `C` the form asks for: its fields from the form's fields of the same names
    /// (a field the form leaves out reads as empty), and from `given`, the path's parameters
    /// that are fields of the command. A malformed path parameter is answered 400, a form that
    /// does not make the command 422; neither comes from the pages' own forms.
    pub fn command<C: DeserializeOwned>(&self, given: &[Given<'_>]) -> Result<C, PageError> {
        let mut skip: Vec<&str> = given.iter().map(|(name, _)| *name).collect();
        skip.push(REQUEST_ID_FIELD);
        skip.push(CONFIRMED_FIELD);
        input::command(given, FormFields::new(&self.0, &skip), None).map_err(|error| match error {
            InputError::Given(error) => PageError::bad_request(format!("网址有误：{error}")),
            InputError::Body(error) => PageError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                format!("表单内容无效：{error}"),
            ),
        })
    }
}

impl<S: Send + Sync> axum::extract::FromRequest<S> for FormData {
    type Rejection = PageError;

    async fn from_request(request: axum::extract::Request, state: &S) -> Result<Self, PageError> {
        let bytes = axum::body::Bytes::from_request(request, state)
            .await
            .map_err(|rejection| PageError::new(rejection.status(), "表单无法读取".into()))?;
        Ok(FormData(
            form_urlencoded::parse(&bytes)
                .map(|(key, value)| (key.into_owned(), value.into_owned()))
                .collect(),
        ))
    }
}

/// Act on a form: `command` by the signed-in person, now, executed as the API executes it.
/// `request_id` is the form's (made when the page was rendered): the same form sent twice, by
/// a double tap or by going back and sending it again, is a retry the ledger answers with the
/// event already recorded, not a second event. Recorded: back to `back` with a notice naming
/// the event. Refused: `again` shows the page
/// with the rule in words, with the status the API would answer.
pub async fn perform(
    state: &AppState,
    viewer: &Session,
    command: impl Into<kaohe_assess::Command>,
    request_id: Option<uuid::Uuid>,
    back: &str,
    again: impl FnOnce(StatusCode, Notice) -> Response,
) -> Response {
    match crate::commands::execute(state, viewer, command.into(), request_id).await {
        Ok(done) => recorded(back, done.executed()),
        Err(error) => {
            let (status, notice) = refused(error);
            again(status, notice)
        }
    }
}

/// After a recorded form: back to `path` with a notice naming the event.
pub fn recorded(path: &str, executed: &kaohe_engine::Executed) -> Response {
    let position = executed.events.first().map_or(0, |event| event.position);
    let separator = if path.contains('?') { '&' } else { '?' };
    Redirect::to(&format!("{path}{separator}ok={position}")).into_response()
}

/// Render a template, with `status`.
pub fn render(status: StatusCode, template: &impl Template) -> Response {
    match template.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(error) => PageError::internal(error).into_response(),
    }
}

/// An error shown as a page.
#[derive(Debug)]
pub struct PageError {
    status: StatusCode,
    message: String,
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    layout: Layout,
    status: u16,
    message: &'a str,
}

impl PageError {
    /// Any status, with words for the person.
    pub fn new(status: StatusCode, message: String) -> Self {
        PageError { status, message }
    }

    /// A 404.
    pub fn not_found(message: impl Into<String>) -> Self {
        PageError::new(StatusCode::NOT_FOUND, message.into())
    }

    /// A 400 for a malformed address.
    pub fn bad_request(message: impl Into<String>) -> Self {
        PageError::new(StatusCode::BAD_REQUEST, message.into())
    }

    /// A 500; the detail is logged, not shown.
    pub fn internal(detail: impl std::fmt::Display) -> Self {
        eprintln!("internal error: {detail}");
        PageError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "服务器出错，未作任何记录。".into(),
        )
    }
}

impl From<crate::ApiError> for PageError {
    fn from(error: crate::ApiError) -> Self {
        if error.status.is_server_error() {
            return PageError::internal(error.detail);
        }
        PageError::new(error.status, error.detail)
    }
}

/// What an error page said, kept on its response so that [`error_pages_know_the_session`]
/// can render it again inside the signed-in person's own layout.
#[derive(Clone, Debug)]
struct ErrorShown {
    status: StatusCode,
    message: String,
}

/// An error page is rendered where no session is at hand (an extractor's refusal, a `?` in a
/// handler, the fallback); here, on its way out, it is rendered again with the layout of the
/// person the request signs in (their name, roles and navigation), so that an error never looks
/// like being signed out.
pub async fn error_pages_know_the_session(
    axum::extract::State(state): axum::extract::State<AppState>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let session = session_of(&state, request.headers());
    let response = next.run(request).await;
    let Some(shown) = response.extensions().get::<ErrorShown>().cloned() else {
        return response;
    };
    let page = ErrorPage {
        layout: Layout::new(
            &state,
            format!("{} 出错", shown.status.as_u16()),
            session.as_ref(),
        ),
        status: shown.status.as_u16(),
        message: &shown.message,
    };
    match page.render() {
        Ok(html) => (shown.status, Html(html)).into_response(),
        Err(_) => response,
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let page = ErrorPage {
            layout: Layout {
                title: format!("{} 出错", self.status.as_u16()),
                viewer: None,
                nav: vec![("/".into(), "首页")],
                notice: None,
                organisation: String::new(),
                engine: None,
            },
            status: self.status.as_u16(),
            message: &self.message,
        };
        let shown = ErrorShown {
            status: self.status,
            message: self.message.clone(),
        };
        let mut response = match page.render() {
            Ok(html) => (self.status, Html(html)).into_response(),
            Err(_) => (self.status, self.message).into_response(),
        };
        response.extensions_mut().insert(shown);
        response
    }
}

/// Parse a path's month, quarter or period, or answer 400.
pub fn parse<T: std::str::FromStr<Err = kaohe_assess::period::PeriodError>>(
    text: &str,
) -> Result<T, PageError> {
    text.parse()
        .map_err(|_: kaohe_assess::period::PeriodError| {
            PageError::bad_request(format!(
                "网址中的“{}”不是有效的日期、旬、月份或季度。",
                text.chars().take(20).collect::<String>()
            ))
        })
}

/// Run blocking store work for a page.
pub async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, crate::ApiError> + Send + 'static,
) -> Result<T, PageError> {
    crate::ledger::blocking(work).await.map_err(PageError::from)
}

/// A person's name on the roster, or their id.
pub fn name_of(state: &AppState, person: &str) -> String {
    state.engine.read(|ledger| {
        ledger
            .people
            .get(person)
            .map_or_else(|| person.to_owned(), |known| known.name.clone())
    })
}

/// The links to the period before and after a page's own: (path, label) each. Every page of
/// a year, quarter or month has them, so that another period is a tap away, not a typed URL.
#[derive(Clone, Debug)]
pub struct Switch {
    /// The period before.
    pub previous: (String, String),
    /// The period after.
    pub next: (String, String),
}

impl Switch {
    /// Years: `prefix/{year}` (and `suffix` after it).
    pub fn years(prefix: &str, year: i16, suffix: &str) -> Switch {
        Switch {
            previous: (
                format!("{prefix}{}{suffix}", year - 1),
                format!("{}年", year - 1),
            ),
            next: (
                format!("{prefix}{}{suffix}", year + 1),
                format!("{}年", year + 1),
            ),
        }
    }

    /// Quarters: `prefix/{quarter}` (and `suffix` after it).
    pub fn quarters(prefix: &str, quarter: Quarter, suffix: &str) -> Switch {
        let before = quarter.previous();
        let after = Month::of(quarter.last_day().tomorrow().expect("a date")).quarter();
        Switch {
            previous: (format!("{prefix}{before}{suffix}"), before.name_zh()),
            next: (format!("{prefix}{after}{suffix}"), after.name_zh()),
        }
    }

    /// Months: `prefix/{month}`.
    pub fn months(prefix: &str, month: Month) -> Switch {
        let before = Month::of(month.first_day().yesterday().expect("a date"));
        let after = Month::of(month.last_day().tomorrow().expect("a date"));
        Switch {
            previous: (format!("{prefix}{before}"), before.name_zh()),
            next: (format!("{prefix}{after}"), after.name_zh()),
        }
    }
}

/// The roster's names by person id, for pages that list people an event names by id.
pub struct Names(std::collections::BTreeMap<String, String>);

impl Names {
    /// The names of everyone on the roster now.
    pub fn of(state: &AppState) -> Names {
        Names(state.engine.read(|ledger| {
            ledger
                .people
                .iter()
                .map(|(id, person)| (id.clone(), person.name.clone()))
                .collect()
        }))
    }

    /// One person's name (the id itself if the roster does not know it).
    pub fn one(&self, person: &str) -> String {
        self.0
            .get(person)
            .cloned()
            .unwrap_or_else(|| person.to_owned())
    }

    /// `text` with every roster id in it (a whole ASCII word) written as the person's name:
    /// for lines the rules write with ids, such as an explanation's steps.
    pub fn in_text(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        let mut rest = text;
        while let Some(start) = rest.find(|c: char| c.is_ascii_alphanumeric() || c == '_') {
            out.push_str(&rest[..start]);
            let word_len = rest[start..]
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(rest.len() - start);
            let word = &rest[start..start + word_len];
            match self.0.get(word) {
                Some(name) => out.push_str(name),
                None => out.push_str(word),
            }
            rest = &rest[start + word_len..];
        }
        out.push_str(rest);
        out
    }

    /// Several people's names, joined as the township lists them (张三、李四).
    pub fn list(&self, people: &[String]) -> String {
        people
            .iter()
            .map(|person| self.one(person))
            .collect::<Vec<_>>()
            .join("、")
    }
}

/// A month, quarter or period kept as its address form (2026-03, 2026-Q1, 2026-03-1), as the
/// township writes it (2026年3月, 2026年第一季度, 3月上旬); any other text as it is.
pub fn period_text_zh(text: &str) -> String {
    if let Ok(month) = text.parse::<Month>() {
        month.name_zh()
    } else if let Ok(quarter) = text.parse::<Quarter>() {
        quarter.name_zh()
    } else if let Ok(period) = text.parse::<kaohe_assess::period::Period>() {
        period.name_zh()
    } else {
        text.to_owned()
    }
}

/// A day as the township writes it, 2026年3月2日, for templates (which pass by reference).
pub fn date_zh(date: &jiff::civil::Date) -> String {
    kaohe_assess::period::date_zh(*date)
}

/// The Chinese word of best or worst.
pub fn kind_word(kind: kaohe_assess::state::Kind) -> &'static str {
    kind.name_zh()
}

/// The fallback for unknown paths: a problem under /v1/, a page elsewhere.
pub async fn not_found(uri: axum::http::Uri) -> Response {
    if uri.path().starts_with("/v1") {
        crate::error::not_found().await.into_response()
    } else {
        PageError::not_found("没有这个页面。").into_response()
    }
}
