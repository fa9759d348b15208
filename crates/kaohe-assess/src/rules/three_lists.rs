//! The three lists (000: 建立问题、整改、责任“三张清单”; 004: 查找问题差距，剖析原因症结，制定
//! 整改措施): an item names a problem, its cause, the measure with a deadline and the person
//! responsible, and where it comes from. The rules open the items of a last place and of an
//! inspection themselves; a person opens one from a self-examination of their own, the office
//! or the supervision office one from a spot check or from feedback from above (回头看). The
//! person responsible analyses and closes it; someone else verifies it closed; a problem found
//! again reopens it with a new deadline.

use kaohe_ledger::event::EventDraft;
use uuid::Uuid;

use super::Context;
use super::rankings::need_document;
use super::spot_checks::office_or_supervision;
use super::units::need;
use crate::commands::{
    AnalyseListItem, CloseListItem, OpenListItem, ReopenListItem, VerifyListItem,
};
use crate::refusal::Refusal;
use crate::units::derive::units_policy;
use crate::units::payload;
use crate::units::refusal::{UnitsRefusal, UnitsText};
use crate::units::state::ListItem;
use crate::units::words::ItemSource;
use crate::words::{DayKind, EventType, Role};

/// Someone opens an item: a self-examination by the person it names, in a role they hold
/// today, with its cause and measure; a spot check's absence by the office or the supervision
/// office, naming the check; feedback from above by the office, naming its document. Items of a
/// last place or an inspection are the rules' to open. Due the policy's days from today.
pub(crate) fn open_item(
    cx: &Context<'_>,
    command: &OpenListItem,
) -> Result<Vec<EventDraft>, Refusal> {
    let actor = cx.actor();
    cx.need_person(actor)?;
    let (role, causes) = match command.source {
        source if source.derived() => return Err(UnitsRefusal::DerivedSource(source).into()),
        ItemSource::SelfExamination => {
            if command.person_id != actor {
                return Err(UnitsRefusal::NotYourSelfExamination {
                    person: actor.into(),
                    owner: command.person_id.clone(),
                }
                .into());
            }
            need(&command.cause, UnitsText::Cause)?;
            need(&command.measure, UnitsText::Measure)?;
            (held_role(cx, actor)?, Vec::new())
        }
        ItemSource::SpotCheck => {
            let role = office_or_supervision(cx)?;
            let check = command
                .source_event
                .filter(|id| cx.state.units.spot_checks.contains_key(id))
                .ok_or(UnitsRefusal::SourceEventMissing(ItemSource::SpotCheck))?;
            (role, vec![check])
        }
        _ => {
            cx.need_role(actor, Role::Office, cx.today)?;
            let document = command
                .document
                .as_ref()
                .ok_or(UnitsRefusal::DocumentMissing)?;
            need_document(cx, document)?;
            (Role::Office, Vec::new())
        }
    };
    need(&command.problem, UnitsText::Problem)?;
    cx.need_person(&command.person_id)?;
    let policy = units_policy(cx.state, cx.today)?;
    let opened = payload::ListItemOpened {
        problem: command.problem.clone(),
        cause: command.cause.clone(),
        measure: command.measure.clone(),
        person_id: command.person_id.clone(),
        source: command.source,
        document: match command.source {
            ItemSource::FeedbackFromAbove => command.document.clone(),
            _ => None,
        },
        due_on: cx
            .state
            .add_days(cx.today, policy.list_item_days, DayKind::Calendar),
        policy_version: cx
            .state
            .policy_on(cx.today)
            .map_or(0, |policy| policy.version),
    };
    Ok(vec![cx.draft(
        role,
        EventType::ListItemOpened,
        &opened,
        causes,
    )])
}

/// The first role of the roster `person` holds today.
fn held_role(cx: &Context<'_>, person: &str) -> Result<Role, Refusal> {
    Role::ASSIGNABLE
        .into_iter()
        .find(|role| cx.state.holds(person, *role, cx.today))
        .ok_or_else(|| Refusal::NotInRole {
            person: person.into(),
            roles: vec![Role::Cadre],
            date: cx.today,
        })
}

fn item<'a>(cx: &'a Context<'_>, id: Uuid) -> Result<&'a ListItem, Refusal> {
    cx.state
        .units
        .items
        .get(&id)
        .ok_or_else(|| UnitsRefusal::UnknownItem(id).into())
}

/// The item `id`, which the actor answers for and which is not closed.
fn own_open_item<'a>(cx: &'a Context<'_>, id: Uuid) -> Result<&'a ListItem, Refusal> {
    cx.need_person(cx.actor())?;
    let item = item(cx, id)?;
    if item.person_id != cx.actor() {
        return Err(UnitsRefusal::NotYourItem {
            item: id,
            owner: item.person_id.clone(),
        }
        .into());
    }
    if item.closed.is_some() {
        return Err(UnitsRefusal::ItemClosed(id).into());
    }
    Ok(item)
}

/// The person responsible states the cause and the measure of an open item (again, after a
/// reopening).
pub(crate) fn analyse_item(
    cx: &Context<'_>,
    command: &AnalyseListItem,
) -> Result<Vec<EventDraft>, Refusal> {
    let id = command.item_id;
    let item = own_open_item(cx, id)?;
    need(&command.cause, UnitsText::Cause)?;
    need(&command.measure, UnitsText::Measure)?;
    let analysed = payload::ListItemAnalysed {
        item_id: id,
        person_id: item.person_id.clone(),
        cause: command.cause.clone(),
        measure: command.measure.clone(),
    };
    Ok(vec![cx.draft(
        held_role(cx, cx.actor())?,
        EventType::ListItemAnalysed,
        &analysed,
        vec![id],
    )])
}

/// The person responsible closes an open item whose cause and measure are stated (整改销号).
pub(crate) fn close_item(
    cx: &Context<'_>,
    command: &CloseListItem,
) -> Result<Vec<EventDraft>, Refusal> {
    let id = command.item_id;
    let item = own_open_item(cx, id)?;
    if item.cause.trim().is_empty() || item.measure.trim().is_empty() {
        return Err(UnitsRefusal::ItemNotAnalysed(id).into());
    }
    need(&command.summary, UnitsText::Summary)?;
    let closed = payload::ListItemClosed {
        item_id: id,
        person_id: item.person_id.clone(),
        summary: command.summary.clone(),
    };
    Ok(vec![cx.draft(
        held_role(cx, cx.actor())?,
        EventType::ListItemClosed,
        &closed,
        vec![id],
    )])
}

/// Who may verify an item, or find its problem again: someone other than the person
/// responsible, an overseer or the head of the supervision office today.
fn verifier(cx: &Context<'_>, item_id: Uuid, item: &ListItem) -> Result<Role, Refusal> {
    let actor = cx.actor();
    cx.need_person(actor)?;
    if item.person_id == actor {
        return Err(UnitsRefusal::OwnItem {
            person: actor.into(),
            item: item_id,
        }
        .into());
    }
    if let Some(role) = Role::OVERSEERS
        .into_iter()
        .find(|role| cx.state.holds(actor, *role, cx.today))
    {
        return Ok(role);
    }
    if cx.state.units.leads_supervision_office(actor, cx.today) {
        return Ok(Role::UnitLeader);
    }
    Err(UnitsRefusal::NotVerifier {
        person: actor.into(),
        date: cx.today,
    }
    .into())
}

/// Someone other than the person responsible verifies a closed item, once per closure.
pub(crate) fn verify_item(
    cx: &Context<'_>,
    command: &VerifyListItem,
) -> Result<Vec<EventDraft>, Refusal> {
    let id = command.item_id;
    let item = item(cx, id)?;
    let role = verifier(cx, id, item)?;
    let Some((closure, _)) = item.closed else {
        return Err(UnitsRefusal::ItemOpen(id).into());
    };
    if item.verified.is_some() {
        return Err(UnitsRefusal::ItemVerified(id).into());
    }
    need(&command.comment, UnitsText::VerificationComment)?;
    let verified = payload::ListItemVerified {
        item_id: id,
        person_id: item.person_id.clone(),
        comment: command.comment.clone(),
    };
    Ok(vec![cx.draft(
        role,
        EventType::ListItemVerified,
        &verified,
        vec![id, closure],
    )])
}

/// The problem of a closed item is found again: the item is open again, due the policy's days
/// from today.
pub(crate) fn reopen_item(
    cx: &Context<'_>,
    command: &ReopenListItem,
) -> Result<Vec<EventDraft>, Refusal> {
    let id = command.item_id;
    let item = item(cx, id)?;
    let role = verifier(cx, id, item)?;
    let Some((closure, _)) = item.closed else {
        return Err(UnitsRefusal::ItemOpen(id).into());
    };
    need(&command.finding, UnitsText::Finding)?;
    let policy = units_policy(cx.state, cx.today)?;
    let reopened = payload::ListItemReopened {
        item_id: id,
        person_id: item.person_id.clone(),
        finding: command.finding.clone(),
        due_on: cx
            .state
            .add_days(cx.today, policy.list_item_days, DayKind::Calendar),
    };
    Ok(vec![cx.draft(
        role,
        EventType::ListItemReopened,
        &reopened,
        vec![id, closure],
    )])
}
