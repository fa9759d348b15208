//! The roster: the office registers people, gives roles, and assigns supervision and areas,
//! each from a day; the people named must hold the matching role on that day.

use kaohe_ledger::event::EventDraft;

use super::Context;
use crate::commands::{AssignArea, AssignRole, AssignSupervision, RegisterPerson};
use crate::payload;
use crate::refusal::Refusal;
use crate::words::{EventType, Role};

/// The office adds a person to the roster under a new id.
pub(crate) fn register_person(
    cx: &Context<'_>,
    command: &RegisterPerson,
) -> Result<Vec<EventDraft>, Refusal> {
    cx.need_role(cx.actor(), Role::Office, cx.today)?;
    if cx.state.people.contains_key(&command.person_id) {
        return Err(Refusal::AlreadyRegistered(command.person_id.clone()));
    }
    let registered = payload::PersonRegistered {
        person_id: command.person_id.clone(),
        name: command.name.clone(),
    };
    Ok(vec![cx.draft(
        Role::Office,
        EventType::PersonRegistered,
        &registered,
        Vec::new(),
    )])
}

/// The office gives a person on the roster a role that can be given, for a span of days that
/// does not end before it starts.
pub(crate) fn assign_role(
    cx: &Context<'_>,
    command: &AssignRole,
) -> Result<Vec<EventDraft>, Refusal> {
    cx.need_role(cx.actor(), Role::Office, cx.today)?;
    cx.need_person(&command.person_id)?;
    let role = match command.role.parse::<Role>() {
        Ok(role) if role.is_assignable() => role,
        _ => return Err(Refusal::UnknownRole(command.role.clone())),
    };
    if let Some(until) = command.until
        && until < command.from
    {
        return Err(Refusal::BadSpan {
            from: command.from,
            until,
        });
    }
    let assigned = payload::RoleAssigned {
        person_id: command.person_id.clone(),
        role,
        from: command.from,
        until: command.until,
    };
    Ok(vec![cx.draft(
        Role::Office,
        EventType::RoleAssigned,
        &assigned,
        Vec::new(),
    )])
}

/// The office puts a cadre under a supervising leader, both in their roles from that day.
pub(crate) fn assign_supervision(
    cx: &Context<'_>,
    command: &AssignSupervision,
) -> Result<Vec<EventDraft>, Refusal> {
    cx.need_role(cx.actor(), Role::Office, cx.today)?;
    cx.need_role(&command.person_id, Role::Cadre, command.from)?;
    cx.need_role(&command.leader_id, Role::SupervisingLeader, command.from)?;
    let assigned = payload::SupervisionAssigned {
        cadre_id: command.person_id.clone(),
        leader_id: command.leader_id.clone(),
        from: command.from,
    };
    Ok(vec![cx.draft(
        Role::Office,
        EventType::SupervisionAssigned,
        &assigned,
        Vec::new(),
    )])
}

/// The office puts a cadre in an area under its chief, both in their roles from that day.
pub(crate) fn assign_area(
    cx: &Context<'_>,
    command: &AssignArea,
) -> Result<Vec<EventDraft>, Refusal> {
    cx.need_role(cx.actor(), Role::Office, cx.today)?;
    cx.need_role(&command.person_id, Role::Cadre, command.from)?;
    cx.need_role(&command.chief_id, Role::AreaChief, command.from)?;
    let assigned = payload::AreaAssigned {
        cadre_id: command.person_id.clone(),
        area: command.area.clone(),
        chief_id: command.chief_id.clone(),
        from: command.from,
    };
    Ok(vec![cx.draft(
        Role::Office,
        EventType::AreaAssigned,
        &assigned,
        Vec::new(),
    )])
}
