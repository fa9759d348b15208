//! Spot checks (002: 市效能办的暗访抽查): the city's efficiency office checks who is at their
//! post on a day; the township records who was present and who absent; an absent person says
//! why (下村、下企业 or other official business); their supervising leader accepts it or not.
//! The on-duty rate and the unjustified absences follow from these (`units::views`).

use std::collections::BTreeSet;

use kaohe_ledger::event::EventDraft;

use super::Context;
use super::rankings::need_document;
use super::units::need;
use crate::commands::{JustifyAbsence, RecordSpotCheck, ReviewAbsence};
use crate::refusal::Refusal;
use crate::units::payload;
use crate::units::refusal::{UnitsRefusal, UnitsText};
use crate::units::state::SpotCheck;
use crate::words::{EventType, Role};

/// The role the actor records the act in: the office, or the head of the supervision office.
pub(crate) fn office_or_supervision(cx: &Context<'_>) -> Result<Role, Refusal> {
    cx.need_person(cx.actor())?;
    if cx.state.holds(cx.actor(), Role::Office, cx.today) {
        Ok(Role::Office)
    } else if cx
        .state
        .units
        .leads_supervision_office(cx.actor(), cx.today)
    {
        Ok(Role::UnitLeader)
    } else {
        Err(UnitsRefusal::NotSupervisionOffice {
            person: cx.actor().into(),
            date: cx.today,
        }
        .into())
    }
}

/// The office or the supervision office records a spot check of a day not after today: each
/// person named once, present or absent, all on the roster, one check a day for each checker.
pub(crate) fn record_spot_check(
    cx: &Context<'_>,
    command: &RecordSpotCheck,
) -> Result<Vec<EventDraft>, Refusal> {
    let role = office_or_supervision(cx)?;
    if command.checked_on > cx.today {
        return Err(UnitsRefusal::DayAfterToday {
            day: command.checked_on,
            today: cx.today,
        }
        .into());
    }
    need(&command.checked_by, UnitsText::Checker)?;
    let recorded_before = cx.state.units.spot_checks.values().any(|check| {
        check.checked_on == command.checked_on && check.checked_by == command.checked_by
    });
    if recorded_before {
        return Err(UnitsRefusal::SpotCheckRecorded {
            checked_on: command.checked_on,
            checked_by: command.checked_by.clone(),
        }
        .into());
    }
    if command.present.is_empty() && command.absent.is_empty() {
        return Err(UnitsRefusal::NobodyChecked.into());
    }
    let mut named = BTreeSet::new();
    for person in command.present.iter().chain(&command.absent) {
        cx.need_person(person)?;
        if !named.insert(person.as_str()) {
            return Err(UnitsRefusal::CheckedTwice(person.clone()).into());
        }
    }
    need_document(cx, &command.document)?;
    let recorded = payload::SpotCheckRecorded {
        checked_on: command.checked_on,
        checked_by: command.checked_by.clone(),
        present: command.present.clone(),
        absent: command.absent.clone(),
        document: command.document.clone(),
    };
    Ok(vec![cx.draft(
        role,
        EventType::SpotCheckRecorded,
        &recorded,
        Vec::new(),
    )])
}

fn spot_check<'a>(cx: &'a Context<'_>, id: uuid::Uuid) -> Result<&'a SpotCheck, Refusal> {
    cx.state
        .units
        .spot_checks
        .get(&id)
        .ok_or_else(|| UnitsRefusal::UnknownSpotCheck(id).into())
}

/// A person found absent justifies the absence, once, in the role they held on the day of the
/// check (a justification after the policy's days is recorded all the same and shown late).
pub(crate) fn justify_absence(
    cx: &Context<'_>,
    command: &JustifyAbsence,
) -> Result<Vec<EventDraft>, Refusal> {
    let actor = cx.actor();
    cx.need_person(actor)?;
    let id = command.spot_check_id;
    let check = spot_check(cx, id)?;
    if !check.absent.iter().any(|person| person == actor) {
        return Err(UnitsRefusal::NotAbsent {
            person: actor.into(),
            check: id,
        }
        .into());
    }
    if check.justifications.contains_key(actor) {
        return Err(UnitsRefusal::AlreadyJustified(actor.into()).into());
    }
    need(&command.explanation, UnitsText::Explanation)?;
    let role = Role::ASSIGNABLE
        .into_iter()
        .find(|role| cx.state.holds(actor, *role, check.checked_on))
        .ok_or_else(|| Refusal::NotInRole {
            person: actor.into(),
            roles: vec![Role::Cadre],
            date: check.checked_on,
        })?;
    let justified = payload::AbsenceJustified {
        spot_check_id: id,
        person_id: actor.into(),
        reason: command.reason,
        explanation: command.explanation.clone(),
    };
    Ok(vec![cx.draft(
        role,
        EventType::AbsenceJustified,
        &justified,
        vec![id],
    )])
}

/// The supervising leader of the absent person on the day of the check, in the role today,
/// accepts the justification or not, once; not accepting says why.
pub(crate) fn review_absence(
    cx: &Context<'_>,
    command: &ReviewAbsence,
) -> Result<Vec<EventDraft>, Refusal> {
    let actor = cx.actor();
    cx.need_role(actor, Role::SupervisingLeader, cx.today)?;
    let id = command.spot_check_id;
    let check = spot_check(cx, id)?;
    let person = &command.person_id;
    if cx.state.supervisor_on(person, check.checked_on) != Some(actor) {
        return Err(Refusal::NotSupervisor {
            leader: actor.into(),
            cadre: person.clone(),
            date: check.checked_on,
        });
    }
    let justification = check
        .justifications
        .get(person)
        .ok_or_else(|| UnitsRefusal::NotJustified(person.clone()))?;
    if justification.review.is_some() {
        return Err(UnitsRefusal::AlreadyReviewed(person.clone()).into());
    }
    if !command.accepted {
        need(&command.comment, UnitsText::RejectionComment)?;
    }
    let reviewed = payload::AbsenceReviewed {
        spot_check_id: id,
        person_id: person.clone(),
        accepted: command.accepted,
        comment: command.comment.clone(),
    };
    Ok(vec![cx.draft(
        Role::SupervisingLeader,
        EventType::AbsenceReviewed,
        &reviewed,
        vec![justification.id],
    )])
}
