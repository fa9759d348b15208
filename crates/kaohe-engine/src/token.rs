//! Bearer tokens: `kh1.` then the token id (32 hexadecimal digits) then `.` then the secret
//! (32 random bytes, base64url without padding). The ledger records that a token was issued
//! to a person and that it was revoked; only the BLAKE3 hash of the secret is kept, beside the
//! ledger, and compared in constant time.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use kaohe_assess::Command;
use kaohe_assess::commands::{IssueToken, RevokeToken};
use kaohe_store::{ReadError, SideWrite};
use uuid::Uuid;

use crate::{Engine, ExecuteError, Executed, random_bytes};

/// How every token starts (its format version).
pub const TOKEN_PREFIX: &str = "kh1.";

/// A token just issued: the text is shown once and never stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct IssuedToken {
    /// The token's id (public; named by the `token_issued` event).
    pub token_id: Uuid,
    /// Whom it signs in.
    pub person_id: String,
    /// The whole token, secret included.
    pub text: String,
}

/// Why a token signs no one in. A client is told only that the token is not valid.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// Not a token of this format.
    #[error("not a kaohe token")]
    Malformed,
    /// No such token was issued.
    #[error("no such token")]
    Unknown,
    /// The token was revoked.
    #[error("the token was revoked")]
    Revoked,
    /// The secret does not match.
    #[error("the token's secret does not match")]
    Mismatch,
    /// The token table could not be read.
    #[error("the token table could not be read")]
    Storage(#[source] ReadError),
}

fn parse(text: &str) -> Result<(Uuid, [u8; 32]), AuthError> {
    let rest = text
        .strip_prefix(TOKEN_PREFIX)
        .ok_or(AuthError::Malformed)?;
    let (id, secret) = rest.split_once('.').ok_or(AuthError::Malformed)?;
    if id.len() != 32 || secret.len() != 43 {
        return Err(AuthError::Malformed);
    }
    let id = Uuid::try_parse(id).map_err(|_| AuthError::Malformed)?;
    let secret: [u8; 32] = URL_SAFE_NO_PAD
        .decode(secret)
        .map_err(|_| AuthError::Malformed)?
        .try_into()
        .map_err(|_| AuthError::Malformed)?;
    Ok((id, secret))
}

impl Engine {
    /// Issue a token to `person`, by the office member `by`, under a new id by the engine's
    /// clock (`Engine::new_id`); the text is returned once.
    pub async fn issue_token(
        &self,
        by: &str,
        person: &str,
    ) -> Result<(IssuedToken, Executed), ExecuteError> {
        let command = IssueToken {
            token_id: self.new_id(),
            person_id: person.into(),
        };
        self.issue_token_with(by, command).await
    }

    /// Issue the token `command` names (its id chosen by the caller, a fresh UUIDv7), by the
    /// office member `by`; the secret is drawn here and the text is returned once.
    pub async fn issue_token_with(
        &self,
        by: &str,
        command: IssueToken,
    ) -> Result<(IssuedToken, Executed), ExecuteError> {
        let token_id = command.token_id;
        let person_id = command.person_id.clone();
        let secret: [u8; 32] = random_bytes();
        let executed = self
            .execute_with(
                by,
                Command::IssueToken(command),
                None,
                vec![SideWrite::PutToken {
                    id: token_id,
                    hash: *blake3::hash(&secret).as_bytes(),
                }],
            )
            .await?;
        let text = format!(
            "{TOKEN_PREFIX}{}.{}",
            token_id.simple(),
            URL_SAFE_NO_PAD.encode(secret)
        );
        Ok((
            IssuedToken {
                token_id,
                person_id,
                text,
            },
            executed,
        ))
    }

    /// Revoke a token, by the office member `by`; its hash is forgotten in the same commit.
    pub async fn revoke_token(
        &self,
        by: &str,
        token_id: Uuid,
        reason: &str,
    ) -> Result<Executed, ExecuteError> {
        self.execute_with(
            by,
            Command::RevokeToken(RevokeToken {
                token_id,
                reason: reason.into(),
            }),
            None,
            vec![SideWrite::RemoveToken { id: token_id }],
        )
        .await
    }

    /// The person a token signs in: issued, not revoked, and its secret's hash matching the
    /// stored one (compared in constant time).
    pub fn authenticate(&self, text: &str) -> Result<String, AuthError> {
        let (id, secret) = parse(text)?;
        let person = self.read(|state| match state.tokens.get(&id) {
            None => Err(AuthError::Unknown),
            Some(token) if token.revoked_by.is_some() => Err(AuthError::Revoked),
            Some(token) => Ok(token.person_id.clone()),
        })?;
        let stored = self
            .store()
            .snapshot()
            .and_then(|snapshot| snapshot.token_hash(id))
            .map_err(AuthError::Storage)?
            .ok_or(AuthError::Unknown)?;
        // blake3::Hash compares in constant time.
        if blake3::hash(&secret) == blake3::Hash::from_bytes(stored) {
            Ok(person)
        } else {
            Err(AuthError::Mismatch)
        }
    }
}
