//! The one error type of the HTTP API: `application/problem+json` (RFC 9457) with a stable
//! machine-readable code, never internal details. Errors that other layers answer on their own
//! (a body over the limit, a timeout, a bad path or query) are rewritten into the same form.

use axum::body::Body;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use kaohe_assess::RefusalKind;
use kaohe_engine::ExecuteError;
use kaohe_store::ReadError;
use serde::Serialize;

/// The media type of every error answer.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// The longest `detail` taken over from an answer another layer made.
const FOREIGN_DETAIL_BYTES_MAX: usize = 1024;

/// An error answer: HTTP status, stable machine-readable code, and a sentence for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// The stable code, e.g. `out_of_range` or the name of the rule that refused.
    pub code: &'static str,
    /// What went wrong, for people.
    pub detail: String,
}

/// The body of an error answer (RFC 9457 problem details, with `code`).
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Problem {
    /// A URI naming the problem kind.
    #[serde(rename = "type")]
    pub problem_type: String,
    /// The HTTP status text.
    pub title: String,
    /// The HTTP status.
    pub status: u16,
    /// The stable machine-readable code.
    pub code: String,
    /// What went wrong, for people.
    pub detail: String,
}

impl ApiError {
    /// Any status and code.
    pub fn new(status: StatusCode, code: &'static str, detail: impl Into<String>) -> Self {
        ApiError {
            status,
            code,
            detail: detail.into(),
        }
    }

    /// A 400 for a malformed request.
    pub fn bad_request(detail: impl Into<String>) -> Self {
        ApiError::new(StatusCode::BAD_REQUEST, "bad_request", detail)
    }

    /// A 404 for something the ledger does not hold.
    pub fn not_found(detail: impl Into<String>) -> Self {
        ApiError::new(StatusCode::NOT_FOUND, "not_found", detail)
    }

    /// A 403: the caller may not do this.
    pub fn forbidden(detail: impl Into<String>) -> Self {
        ApiError::new(StatusCode::FORBIDDEN, "forbidden", detail)
    }

    /// A 401: no valid bearer token.
    pub fn unauthenticated(code: &'static str, detail: impl Into<String>) -> Self {
        ApiError::new(StatusCode::UNAUTHORIZED, code, detail)
    }

    /// A 500 whose detail is logged, not sent. Pass an error with its causes as `Chain`.
    pub fn internal(detail: impl std::fmt::Display) -> Self {
        eprintln!("internal error: {detail}");
        ApiError::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "the server failed; nothing was recorded",
        )
    }
}

/// An error and its causes, one after another, for the log.
pub struct Chain<'a>(pub &'a dyn std::error::Error);

impl std::fmt::Display for Chain<'_> {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(formatter, "{}", self.0)?;
        let mut source = self.0.source();
        while let Some(cause) = source {
            write!(formatter, ": {cause}")?;
            source = cause.source();
        }
        Ok(())
    }
}

impl From<ReadError> for ApiError {
    fn from(error: ReadError) -> Self {
        match error {
            ReadError::OutOfRange(range) => {
                ApiError::new(StatusCode::NOT_FOUND, "out_of_range", range.to_string())
            }
            ReadError::Storage(_) | ReadError::Damaged(_) => ApiError::internal(Chain(&error)),
        }
    }
}

impl From<kaohe_engine::OpenError> for ApiError {
    fn from(error: kaohe_engine::OpenError) -> Self {
        match error {
            kaohe_engine::OpenError::Read(error) => error.into(),
            other => ApiError::internal(Chain(&other)),
        }
    }
}

impl From<ExecuteError> for ApiError {
    fn from(error: ExecuteError) -> Self {
        match error {
            ExecuteError::Refused(refusal) => {
                let status = match refusal.kind() {
                    RefusalKind::Forbidden => StatusCode::FORBIDDEN,
                    RefusalKind::Unknown => StatusCode::NOT_FOUND,
                    RefusalKind::Conflict => StatusCode::CONFLICT,
                    RefusalKind::Invalid => StatusCode::UNPROCESSABLE_ENTITY,
                };
                ApiError::new(status, refusal.code(), refusal.to_string())
            }
            ExecuteError::Invalid(ref invalid) => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "invalid_event",
                format!("{error}: {invalid}"),
            ),
            ExecuteError::BadRequestId(_) => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "bad_request_id",
                error.to_string(),
            ),
            ExecuteError::Conflict(_) => ApiError::new(
                StatusCode::CONFLICT,
                "request_id_conflict",
                error.to_string(),
            ),
            // A full disk, an I/O error or a store closing: trying again later may succeed.
            ExecuteError::Unavailable(_) | ExecuteError::Unreadable(_) => ApiError::new(
                StatusCode::SERVICE_UNAVAILABLE,
                "unavailable",
                error.to_string(),
            ),
            ExecuteError::Internal(_) | ExecuteError::Panicked(_) => {
                ApiError::internal(Chain(&error))
            }
        }
    }
}

impl From<kaohe_engine::report::ReportError> for ApiError {
    fn from(error: kaohe_engine::report::ReportError) -> Self {
        use kaohe_assess::explain::ExplainError;
        use kaohe_engine::report::ReportError;
        match error {
            ReportError::Explain(ExplainError::UnknownEvent(id)) => {
                ApiError::not_found(format!("no event {id} in the ledger"))
            }
            ReportError::Explain(ExplainError::TooLarge) => ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "explanation_too_large",
                error.to_string(),
            ),
            ReportError::Read(error) => error.into(),
            // A failed proof or checkpoint is damage to report, never to serve as valid.
            other => ApiError::internal(Chain(&other)),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = Problem {
            problem_type: format!("https://kaohe.invalid/problems/{}", self.code),
            title: self.status.canonical_reason().unwrap_or("error").to_owned(),
            status: self.status.as_u16(),
            code: self.code.to_owned(),
            detail: self.detail,
        };
        let mut response = (
            self.status,
            [(header::CONTENT_TYPE, PROBLEM_JSON)],
            serde_json::to_string(&body).expect("a problem serialises"),
        )
            .into_response();
        match self.status {
            StatusCode::UNAUTHORIZED => {
                response.headers_mut().insert(
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Bearer realm=\"kaohe\""),
                );
            }
            StatusCode::SERVICE_UNAVAILABLE => {
                response
                    .headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
            }
            _ => {}
        }
        response
    }
}

/// The fallback for unknown paths.
pub async fn not_found() -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "no_route",
        "no such path; the API is under /v1/ and described at /openapi.json",
    )
}

/// The stable code of an error status another layer answered.
fn foreign_code(status: StatusCode) -> &'static str {
    match status {
        StatusCode::BAD_REQUEST => "bad_request",
        StatusCode::NOT_FOUND => "not_found",
        StatusCode::METHOD_NOT_ALLOWED => "method_not_allowed",
        StatusCode::REQUEST_TIMEOUT => "request_timeout",
        StatusCode::PAYLOAD_TOO_LARGE => "body_too_large",
        StatusCode::UNSUPPORTED_MEDIA_TYPE => "unsupported_media_type",
        StatusCode::UNPROCESSABLE_ENTITY => "invalid_body",
        StatusCode::SERVICE_UNAVAILABLE => "overloaded",
        _ if status.is_server_error() => "internal",
        _ => "http_error",
    }
}

/// Rewrite an error answer that is not yet a problem (axum's rejections of a bad path, query or
/// JSON body; the body limit; the timeout) into one, keeping its short text as the detail.
pub async fn problem_for_bare_errors(response: Response) -> Response {
    let status = response.status();
    let kept = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|value| {
            // Problems are problems already; pages answer their errors as pages.
            value.as_bytes().starts_with(PROBLEM_JSON.as_bytes())
                || value.as_bytes().starts_with(b"text/html")
        });
    if !(status.is_client_error() || status.is_server_error()) || kept {
        return response;
    }
    let plain_text = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_none_or(|value| value.as_bytes().starts_with(b"text/plain"));
    let body: Body = response.into_body();
    let detail = match axum::body::to_bytes(body, FOREIGN_DETAIL_BYTES_MAX).await {
        Ok(bytes) if plain_text && !status.is_server_error() => {
            String::from_utf8_lossy(&bytes).trim().to_owned()
        }
        _ => String::new(),
    };
    let detail = if detail.is_empty() {
        status.canonical_reason().unwrap_or("error").to_owned()
    } else {
        detail
    };
    ApiError::new(status, foreign_code(status), detail).into_response()
}
