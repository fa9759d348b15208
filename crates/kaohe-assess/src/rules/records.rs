//! 一记: the daily entries, their corrections, and the ten-day sheets handed in, read by the
//! supervising leader and sometimes selected for display.

use jiff::civil::Date;
use kaohe_ledger::event::EventDraft;
use uuid::Uuid;

use super::Context;
use crate::commands::{AmendEntry, DisplaySheet, ReadSheet, SubmitSheet, WriteEntry};
use crate::payload;
use crate::period::Period;
use crate::refusal::Refusal;
use crate::state::{Sheet, State};
use crate::words::{EventType, Role};

/// A cadre writes the entry of a day not after today, once, while its sheet is open.
pub(crate) fn write_entry(
    cx: &Context<'_>,
    command: &WriteEntry,
) -> Result<Vec<EventDraft>, Refusal> {
    let (actor, date) = (cx.actor(), command.date);
    cx.need_role(actor, Role::Cadre, date)?;
    if date > cx.today {
        return Err(Refusal::EntryInFuture {
            date,
            today: cx.today,
        });
    }
    if cx.state.entry_days.contains_key(&(actor.to_owned(), date)) {
        return Err(Refusal::EntryExists { date });
    }
    let period = Period::of(date);
    if cx.state.sheets.contains_key(&(actor.to_owned(), period)) {
        return Err(Refusal::SheetAlreadySubmitted { period });
    }
    check_lines(cx.state, date, &command.did, &command.learned)?;
    let written = payload::EntryWritten {
        person_id: actor.into(),
        date,
        did: command.did.clone(),
        learned: command.learned.clone(),
    };
    Ok(vec![cx.draft(
        Role::Cadre,
        EventType::EntryWritten,
        &written,
        Vec::new(),
    )])
}

/// A cadre corrects one of their own entries, with a reason; the original stays.
pub(crate) fn amend_entry(
    cx: &Context<'_>,
    command: &AmendEntry,
) -> Result<Vec<EventDraft>, Refusal> {
    let entry = cx
        .state
        .entries
        .get(&command.entry_id)
        .filter(|entry| entry.person_id == cx.actor())
        .ok_or(Refusal::NotYourEntry(command.entry_id))?;
    cx.need_role(cx.actor(), Role::Cadre, cx.today)?;
    if command.reason.trim().is_empty() {
        return Err(Refusal::ReasonMissing);
    }
    check_lines(cx.state, entry.date, &command.did, &command.learned)?;
    let amended = payload::EntryAmended {
        entry_id: command.entry_id,
        did: command.did.clone(),
        learned: command.learned.clone(),
        reason: command.reason.clone(),
    };
    Ok(vec![cx.draft(
        Role::Cadre,
        EventType::EntryAmended,
        &amended,
        vec![command.entry_id],
    )])
}

/// A cadre hands in the sheet of a period that is over, once; it holds the period's entries.
pub(crate) fn submit_sheet(
    cx: &Context<'_>,
    command: &SubmitSheet,
) -> Result<Vec<EventDraft>, Refusal> {
    let (actor, period) = (cx.actor(), command.period);
    cx.need_role(actor, Role::Cadre, period.last_day().min(cx.today))?;
    if cx.today < period.last_day() {
        return Err(Refusal::PeriodNotOver {
            period,
            last_day: period.last_day(),
            today: cx.today,
        });
    }
    if cx.state.sheets.contains_key(&(actor.to_owned(), period)) {
        return Err(Refusal::SheetAlreadySubmitted { period });
    }
    let entry_ids: Vec<Uuid> = cx
        .state
        .entry_days
        .range((actor.to_owned(), period.first_day())..=(actor.to_owned(), period.last_day()))
        .map(|(_, id)| *id)
        .collect();
    let submitted = payload::SheetSubmitted {
        person_id: actor.into(),
        period,
        entry_ids,
    };
    Ok(vec![cx.draft(
        Role::Cadre,
        EventType::SheetSubmitted,
        &submitted,
        Vec::new(),
    )])
}

/// The leader who supervised the cadre on the period's last day reads the sheet.
pub(crate) fn read_sheet(
    cx: &Context<'_>,
    command: &ReadSheet,
) -> Result<Vec<EventDraft>, Refusal> {
    cx.need_role(cx.actor(), Role::SupervisingLeader, cx.today)?;
    let sheet = submitted_sheet(cx.state, &command.person_id, command.period)?;
    let last_day = command.period.last_day();
    if cx.state.supervisor_on(&command.person_id, last_day) != Some(cx.actor()) {
        return Err(Refusal::NotSupervisor {
            leader: cx.actor().into(),
            cadre: command.person_id.clone(),
            date: last_day,
        });
    }
    let read = payload::SheetRead {
        person_id: command.person_id.clone(),
        period: command.period,
        comment: command.comment.clone(),
    };
    Ok(vec![cx.draft(
        Role::SupervisingLeader,
        EventType::SheetRead,
        &read,
        vec![sheet.id],
    )])
}

/// The office selects a submitted sheet for display to all staff, once.
pub(crate) fn display_sheet(
    cx: &Context<'_>,
    command: &DisplaySheet,
) -> Result<Vec<EventDraft>, Refusal> {
    cx.need_role(cx.actor(), Role::Office, cx.today)?;
    let sheet = submitted_sheet(cx.state, &command.person_id, command.period)?;
    if sheet.displayed.is_some() {
        return Err(Refusal::AlreadyDisplayed {
            person: command.person_id.clone(),
            period: command.period,
        });
    }
    let displayed = payload::SheetDisplayed {
        person_id: command.person_id.clone(),
        period: command.period,
        note: command.note.clone(),
    };
    Ok(vec![cx.draft(
        Role::Office,
        EventType::SheetDisplayed,
        &displayed,
        vec![sheet.id],
    )])
}

/// The first line is not empty and both lines fit the policy in force on the entry's day.
fn check_lines(state: &State, date: Date, did: &str, learned: &str) -> Result<(), Refusal> {
    if did.trim().is_empty() {
        return Err(Refusal::EntryEmpty);
    }
    let policy = state.policy_on(date).ok_or(Refusal::NoPolicy(date))?;
    let chars = did.chars().count() + learned.chars().count();
    if chars > policy.entry_chars_max as usize {
        return Err(Refusal::EntryTooLong {
            chars,
            max: policy.entry_chars_max,
        });
    }
    Ok(())
}

/// The sheet `person` submitted for `period`.
fn submitted_sheet<'a>(
    state: &'a State,
    person: &str,
    period: Period,
) -> Result<&'a Sheet, Refusal> {
    state
        .sheets
        .get(&(person.to_owned(), period))
        .ok_or_else(|| Refusal::SheetNotSubmitted {
            person: person.into(),
            period,
        })
}
