//! Bearer tokens as ledger events: the office issues and revokes them; their secrets never
//! enter the ledger.

use kaohe_ledger::event::EventDraft;

use super::{Context, need_text};
use crate::commands::{IssueToken, RevokeToken};
use crate::payload;
use crate::refusal::Refusal;
use crate::words::{EventType, Role, TextField};

/// The office issues a token with a new id to a person on the roster.
pub(crate) fn issue_token(
    cx: &Context<'_>,
    command: &IssueToken,
) -> Result<Vec<EventDraft>, Refusal> {
    cx.need_role(cx.actor(), Role::Office, cx.today)?;
    cx.need_person(&command.person_id)?;
    if cx.state.tokens.contains_key(&command.token_id) {
        return Err(Refusal::TokenExists(command.token_id));
    }
    let issued = payload::TokenIssued {
        token_id: command.token_id,
        person_id: command.person_id.clone(),
    };
    Ok(vec![cx.draft(
        Role::Office,
        EventType::TokenIssued,
        &issued,
        Vec::new(),
    )])
}

/// The office revokes a token not yet revoked, saying why.
pub(crate) fn revoke_token(
    cx: &Context<'_>,
    command: &RevokeToken,
) -> Result<Vec<EventDraft>, Refusal> {
    cx.need_role(cx.actor(), Role::Office, cx.today)?;
    let token = cx
        .state
        .tokens
        .get(&command.token_id)
        .ok_or(Refusal::UnknownToken(command.token_id))?;
    if token.revoked_by.is_some() {
        return Err(Refusal::TokenRevoked(command.token_id));
    }
    need_text(&command.reason, TextField::RevocationReason)?;
    let revoked = payload::TokenRevoked {
        token_id: command.token_id,
        person_id: token.person_id.clone(),
        reason: command.reason.clone(),
    };
    Ok(vec![cx.draft(
        Role::Office,
        EventType::TokenRevoked,
        &revoked,
        vec![token.issued_by],
    )])
}
