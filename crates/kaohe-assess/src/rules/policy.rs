//! The policy: the office adopts the next version, never retroactively.

use kaohe_ledger::event::EventDraft;

use super::Context;
use crate::commands::AdoptPolicy;
use crate::payload;
use crate::refusal::Refusal;
use crate::words::{EventType, Role};

/// The office adopts the next policy version, effective today or later.
pub(crate) fn adopt_policy(
    cx: &Context<'_>,
    command: &AdoptPolicy,
) -> Result<Vec<EventDraft>, Refusal> {
    cx.need_role(cx.actor(), Role::Office, cx.today)?;
    let policy = &command.policy;
    let next = cx
        .state
        .policies
        .latest()
        .map_or(1, |latest| latest.version + 1);
    if policy.version != next {
        return Err(Refusal::PolicyVersion {
            expected: next,
            got: policy.version,
        });
    }
    if policy.effective_date < cx.today {
        return Err(Refusal::PolicyInPast {
            effective: policy.effective_date,
            today: cx.today,
        });
    }
    let adopted = payload::PolicyAdopted {
        policy: policy.clone(),
    };
    Ok(vec![cx.draft(
        Role::Office,
        EventType::PolicyAdopted,
        &adopted,
        Vec::new(),
    )])
}
