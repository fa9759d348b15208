//! Who is asking: the bearer token of a request, checked by the engine, gives the person, and
//! the roles they hold today. Authorization by role and by object happens in the handlers (for
//! reads) and in the rules (for every command).

use std::collections::BTreeSet;

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use jiff::civil::Date;
use kaohe_assess::Role;

use crate::{ApiError, AppState};

/// The signed-in person of a request.
#[derive(Clone, Debug)]
pub struct Caller {
    /// Who.
    pub person_id: String,
    /// The roles they hold today.
    pub roles: BTreeSet<Role>,
    /// Today, in the organisation's zone.
    pub today: Date,
}

impl Caller {
    /// Whether they hold `role` today.
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// Whether they hold any of the overseeing roles today.
    pub fn is_overseer(&self) -> bool {
        self.roles.iter().any(|role| role.is_overseer())
    }

    /// Go on only if `allowed`; otherwise a 403 saying who may.
    pub fn require(&self, allowed: bool, who_may: &str) -> Result<(), ApiError> {
        if allowed {
            Ok(())
        } else {
            Err(ApiError::forbidden(format!(
                "{} may not do this: {who_may}",
                self.person_id
            )))
        }
    }

    /// Go on only for an overseer.
    pub fn require_overseer(&self, what: &str) -> Result<(), ApiError> {
        self.require(
            self.is_overseer(),
            &format!(
                "{what} is for the party secretary, the mayor, the party committee, the office and the discipline inspectors"
            ),
        )
    }
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let value = parts.headers.get(header::AUTHORIZATION).ok_or_else(|| {
            ApiError::unauthenticated(
                "unauthenticated",
                "sign in: send the token the office issued as 'Authorization: Bearer <token>'",
            )
        })?;
        let token = value
            .to_str()
            .ok()
            .and_then(|value| value.strip_prefix("Bearer "))
            .ok_or_else(|| {
                ApiError::unauthenticated(
                    "invalid_token",
                    "the Authorization header must be 'Bearer <token>'",
                )
            })?;
        let person_id = state.engine.authenticate(token.trim()).map_err(|error| {
            if let kaohe_engine::AuthError::Storage(_) = error {
                return ApiError::internal(crate::error::Chain(&error));
            }
            ApiError::unauthenticated(
                "invalid_token",
                "the token is not valid: unknown, revoked or mistyped; ask the office for a new one",
            )
        })?;
        let today = state.engine.today();
        let roles = state.engine.read(|ledger| {
            Role::ASSIGNABLE
                .into_iter()
                .filter(|role| ledger.holds(&person_id, *role, today))
                .collect()
        });
        Ok(Caller {
            person_id,
            roles,
            today,
        })
    }
}
