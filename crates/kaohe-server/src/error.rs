//! The one error type of the HTTP API: `application/problem+json` with a stable code, never
//! internal details.

use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use kaohe_store::ReadError;
use serde_json::json;

/// An error answer: HTTP status, stable machine-readable code, and a sentence for people.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    /// The HTTP status.
    pub status: StatusCode,
    /// The stable code, e.g. `out_of_range`.
    pub code: &'static str,
    /// What went wrong, for people.
    pub detail: String,
}

impl ApiError {
    /// A 400 for a malformed request.
    pub fn bad_request(detail: impl Into<String>) -> Self {
        ApiError {
            status: StatusCode::BAD_REQUEST,
            code: "bad_request",
            detail: detail.into(),
        }
    }

    /// A 404 for something the ledger does not hold.
    pub fn not_found(detail: impl Into<String>) -> Self {
        ApiError {
            status: StatusCode::NOT_FOUND,
            code: "not_found",
            detail: detail.into(),
        }
    }

    /// A 500 whose detail is logged, not sent.
    pub fn internal(detail: impl std::fmt::Display) -> Self {
        eprintln!("internal error: {detail}");
        ApiError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            code: "internal",
            detail: "the server failed; the ledger is unchanged".into(),
        }
    }
}

impl From<ReadError> for ApiError {
    fn from(error: ReadError) -> Self {
        match error {
            ReadError::OutOfRange(detail) => ApiError {
                status: StatusCode::NOT_FOUND,
                code: "out_of_range",
                detail,
            },
            ReadError::Storage(detail) => ApiError::internal(detail),
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = json!({
            "type": format!("https://kaohe.invalid/problems/{}", self.code),
            "title": self.status.canonical_reason().unwrap_or("error"),
            "status": self.status.as_u16(),
            "code": self.code,
            "detail": self.detail,
        });
        (
            self.status,
            [(header::CONTENT_TYPE, "application/problem+json")],
            body.to_string(),
        )
            .into_response()
    }
}

/// The fallback for unknown paths.
pub async fn not_found() -> ApiError {
    ApiError::not_found("no such path; the API is under /v1/")
}
