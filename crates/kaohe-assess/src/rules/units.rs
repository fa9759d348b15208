//! Units and who answers for what: the office registers the township, its villages, its
//! departments and the supervision office; names each unit's leader from a day; and names the
//! vice-leader and business cadres who answer for each of the city's indicators from a day.
//! Neither assignment reaches into the past, so what a last place called for when it was
//! recorded is what a replay derives from the same assignments.

use kaohe_ledger::event::EventDraft;

use super::Context;
use crate::commands::{AssignIndicator, AssignUnitLeader, RegisterUnit};
use crate::refusal::Refusal;
use crate::units::derive::units_policy;
use crate::units::payload;
use crate::units::refusal::{UnitsRefusal, UnitsText};
use crate::units::words::UnitKind;
use crate::words::{EventType, Role};

/// `text` is not empty (blanks do not count).
pub(crate) fn need(text: &str, field: UnitsText) -> Result<(), Refusal> {
    if text.trim().is_empty() {
        Err(UnitsRefusal::Missing(field).into())
    } else {
        Ok(())
    }
}

/// The office registers a unit under a new code; a ledger has one township.
pub(crate) fn register_unit(
    cx: &Context<'_>,
    command: &RegisterUnit,
) -> Result<Vec<EventDraft>, Refusal> {
    cx.need_role(cx.actor(), Role::Office, cx.today)?;
    let units = &cx.state.units;
    if units.units.contains_key(&command.unit_id) {
        return Err(UnitsRefusal::UnitExists(command.unit_id.clone()).into());
    }
    if command.kind == UnitKind::Township
        && let Some((township, _)) = units.of_kind(UnitKind::Township).next()
    {
        return Err(UnitsRefusal::SecondTownship(township.clone()).into());
    }
    need(&command.name, UnitsText::Name)?;
    let registered = payload::UnitRegistered {
        unit_id: command.unit_id.clone(),
        kind: command.kind,
        name: command.name.clone(),
    };
    Ok(vec![cx.draft(
        Role::Office,
        EventType::UnitRegistered,
        &registered,
        Vec::new(),
    )])
}

/// The office names a unit's leader, a person on the roster, from today or later.
pub(crate) fn assign_unit_leader(
    cx: &Context<'_>,
    command: &AssignUnitLeader,
) -> Result<Vec<EventDraft>, Refusal> {
    cx.need_role(cx.actor(), Role::Office, cx.today)?;
    if !cx.state.units.units.contains_key(&command.unit_id) {
        return Err(UnitsRefusal::UnknownUnit(command.unit_id.clone()).into());
    }
    cx.need_person(&command.person_id)?;
    if command.from < cx.today {
        return Err(UnitsRefusal::Retroactive {
            from: command.from,
            today: cx.today,
        }
        .into());
    }
    let assigned = payload::UnitLeaderAssigned {
        unit_id: command.unit_id.clone(),
        person_id: command.person_id.clone(),
        from: command.from,
    };
    Ok(vec![cx.draft(
        Role::Office,
        EventType::UnitLeaderAssigned,
        &assigned,
        Vec::new(),
    )])
}

/// The office names who answers for an indicator of the policy in force on the first day: a
/// supervising leader (分管领导) and cadres, each in their role that day, from today or later.
pub(crate) fn assign_indicator(
    cx: &Context<'_>,
    command: &AssignIndicator,
) -> Result<Vec<EventDraft>, Refusal> {
    cx.need_role(cx.actor(), Role::Office, cx.today)?;
    if command.from < cx.today {
        return Err(UnitsRefusal::Retroactive {
            from: command.from,
            today: cx.today,
        }
        .into());
    }
    let policy = units_policy(cx.state, command.from)?;
    if policy.indicator(&command.indicator_id).is_none() {
        return Err(UnitsRefusal::UnknownIndicator(command.indicator_id.clone()).into());
    }
    cx.need_role(&command.leader_id, Role::SupervisingLeader, command.from)?;
    for cadre in &command.cadre_ids {
        cx.need_role(cadre, Role::Cadre, command.from)?;
    }
    let assigned = payload::IndicatorAssigned {
        indicator_id: command.indicator_id.clone(),
        leader_id: command.leader_id.clone(),
        cadre_ids: command.cadre_ids.clone(),
        from: command.from,
    };
    Ok(vec![cx.draft(
        Role::Office,
        EventType::IndicatorAssigned,
        &assigned,
        Vec::new(),
    )])
}
