//! The follow-ups of a worst designation's sanctions: the talk with a principal leader, the
//! rectification plan the person hands in, and the supervising leader's confirmation that it
//! was carried out.

use kaohe_ledger::event::EventDraft;
use uuid::Uuid;

use super::{Context, need_text};
use crate::commands::{CompleteRectification, PlanRectification, RecordTalk};
use crate::payload;
use crate::refusal::Refusal;
use crate::state::{Sanction, State};
use crate::words::{EventType, FollowUp, Role, SanctionKind, TextField};

/// A principal leader records the talk of a talk sanction in force, once, held between the
/// day it was imposed and today.
pub(crate) fn record_talk(
    cx: &Context<'_>,
    command: &RecordTalk,
) -> Result<Vec<EventDraft>, Refusal> {
    let role = cx.principal_role(cx.actor())?;
    let id = command.sanction_id;
    let sanction = sanction_to_follow(cx.state, id, SanctionKind::Talk)?;
    if sanction.talk_held.is_some() {
        return Err(Refusal::FollowUpRecorded {
            id,
            what: FollowUp::Talk,
        });
    }
    if command.held_on < sanction.imposed_on || command.held_on > cx.today {
        return Err(Refusal::DayOutOfRange {
            day: command.held_on,
            earliest: sanction.imposed_on,
            latest: cx.today,
        });
    }
    need_text(&command.summary, TextField::TalkSummary)?;
    let held = payload::TalkHeld {
        sanction_id: id,
        person_id: sanction.person_id.clone(),
        held_on: command.held_on,
        summary: command.summary.clone(),
    };
    Ok(vec![cx.draft(role, EventType::TalkHeld, &held, vec![id])])
}

/// The person a rectification in force names hands in its plan, once.
pub(crate) fn plan_rectification(
    cx: &Context<'_>,
    command: &PlanRectification,
) -> Result<Vec<EventDraft>, Refusal> {
    let (actor, id) = (cx.actor(), command.sanction_id);
    cx.need_person(actor)?;
    let sanction = sanction_to_follow(cx.state, id, SanctionKind::Rectification)?;
    if sanction.person_id != actor {
        return Err(Refusal::NotYourSanction {
            id,
            person: sanction.person_id.clone(),
        });
    }
    cx.need_role(actor, Role::Cadre, cx.today)?;
    if sanction.plan.is_some() {
        return Err(Refusal::FollowUpRecorded {
            id,
            what: FollowUp::Plan,
        });
    }
    need_text(&command.plan, TextField::RectificationPlan)?;
    let planned = payload::RectificationPlanned {
        sanction_id: id,
        person_id: actor.into(),
        plan: command.plan.clone(),
    };
    Ok(vec![cx.draft(
        Role::Cadre,
        EventType::RectificationPlanned,
        &planned,
        vec![id],
    )])
}

/// The person's supervising leader today confirms a planned rectification was carried out,
/// once.
pub(crate) fn complete_rectification(
    cx: &Context<'_>,
    command: &CompleteRectification,
) -> Result<Vec<EventDraft>, Refusal> {
    let (actor, id) = (cx.actor(), command.sanction_id);
    cx.need_role(actor, Role::SupervisingLeader, cx.today)?;
    let sanction = sanction_to_follow(cx.state, id, SanctionKind::Rectification)?;
    if cx.state.supervisor_on(&sanction.person_id, cx.today) != Some(actor) {
        return Err(Refusal::NotSupervisor {
            leader: actor.into(),
            cadre: sanction.person_id.clone(),
            date: cx.today,
        });
    }
    let (plan_id, _) = sanction.plan.ok_or(Refusal::NoPlan(id))?;
    if sanction.completed.is_some() {
        return Err(Refusal::FollowUpRecorded {
            id,
            what: FollowUp::Completion,
        });
    }
    need_text(&command.summary, TextField::CompletionSummary)?;
    let completed = payload::RectificationCompleted {
        sanction_id: id,
        person_id: sanction.person_id.clone(),
        plan_id,
        summary: command.summary.clone(),
    };
    Ok(vec![cx.draft(
        Role::SupervisingLeader,
        EventType::RectificationCompleted,
        &completed,
        vec![id, plan_id],
    )])
}

/// A sanction of kind `needed` that is still in force, for a follow-up.
fn sanction_to_follow(state: &State, id: Uuid, needed: SanctionKind) -> Result<&Sanction, Refusal> {
    let sanction = state
        .sanctions
        .get(&id)
        .ok_or(Refusal::UnknownSanction(id))?;
    if sanction.sanction != needed {
        return Err(Refusal::WrongSanction {
            id,
            sanction: sanction.sanction,
            needed,
        });
    }
    if sanction.revoked_by.is_some() {
        return Err(Refusal::SanctionRevoked(id));
    }
    Ok(sanction)
}
