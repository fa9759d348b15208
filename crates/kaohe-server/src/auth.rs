//! Who is signed in: a token the engine checks gives the person, and the ledger their name and
//! the roles they hold today. One `Session` serves the API and the pages; each reads it from
//! a request in its own way and answers in its own way when no one is signed in: the API from
//! `Authorization: Bearer` with a 401 problem (`BearerSession`, here), the pages from the
//! session cookie or a bearer header with a redirect to sign in (`pages::PageSession`).
//! Authorization by role and by object happens in the handlers (for reads) and in the rules
//! (for every command).

use std::collections::BTreeSet;

use axum::extract::FromRequestParts;
use axum::http::header;
use axum::http::request::Parts;
use jiff::civil::Date;
use kaohe_assess::Role;
use kaohe_engine::AuthError;

use crate::{ApiError, AppState};

/// The signed-in person of a request.
#[derive(Clone, Debug)]
pub struct Session {
    /// Who.
    pub person_id: String,
    /// Their name on the roster.
    pub name: String,
    /// The roles they hold today.
    pub roles: BTreeSet<Role>,
    /// Today, in the organisation's zone.
    pub today: Date,
}

/// A signed-in person asking for what their roles do not allow; answered 403 as a problem by
/// the API and as a page by the pages.
#[derive(Clone, Debug)]
pub struct Forbidden {
    /// Who asked.
    pub person_id: String,
    /// Who may, in the words of the one who refuses.
    pub who_may: String,
}

impl From<Forbidden> for ApiError {
    fn from(forbidden: Forbidden) -> Self {
        ApiError::forbidden(format!(
            "{} may not do this: {}",
            forbidden.person_id, forbidden.who_may
        ))
    }
}

impl Session {
    /// The person `token` signs in, with their name and roles today.
    pub fn of_token(state: &AppState, token: &str) -> Result<Session, AuthError> {
        let person_id = state.engine.authenticate(token.trim())?;
        let today = state.engine.today();
        Ok(state.engine.read(|ledger| Session {
            // Only a person on the roster can be issued a token; the id stands in otherwise.
            name: ledger
                .people
                .get(&person_id)
                .map_or_else(|| person_id.clone(), |person| person.name.clone()),
            roles: Role::ASSIGNABLE
                .into_iter()
                .filter(|role| ledger.holds(&person_id, *role, today))
                .collect(),
            person_id,
            today,
        }))
    }

    /// Whether they hold `role` today.
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    /// Whether they hold any of `roles` today.
    pub fn has_any(&self, roles: &[Role]) -> bool {
        roles.iter().any(|role| self.has(*role))
    }

    /// Whether they hold any of the overseeing roles today: they read and verify everything.
    pub fn is_overseer(&self) -> bool {
        self.roles.iter().any(|role| role.is_overseer())
    }

    /// Go on only if `allowed`; otherwise refused, saying who may.
    pub fn require(&self, allowed: bool, who_may: &str) -> Result<(), Forbidden> {
        if allowed {
            Ok(())
        } else {
            Err(Forbidden {
                person_id: self.person_id.clone(),
                who_may: who_may.to_owned(),
            })
        }
    }

    /// Go on only for an overseer.
    pub fn require_overseer(&self, what: &str) -> Result<(), Forbidden> {
        self.require(
            self.is_overseer(),
            &format!(
                "{what} is for the party secretary, the mayor, the party committee, the office and the discipline inspectors"
            ),
        )
    }
}

/// The signed-in person of an API request, from `Authorization: Bearer <token>`; without a
/// valid token the request is answered 401.
#[derive(Clone, Debug)]
pub struct BearerSession(pub Session);

impl FromRequestParts<AppState> for BearerSession {
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
        match Session::of_token(state, token) {
            Ok(session) => Ok(BearerSession(session)),
            Err(error @ AuthError::Storage(_)) => {
                Err(ApiError::internal(crate::error::Chain(&error)))
            }
            Err(_) => Err(ApiError::unauthenticated(
                "invalid_token",
                "the token is not valid: unknown, revoked or mistyped; ask the office for a new one",
            )),
        }
    }
}
