//! The working-day calendar: the office records each year's public holidays and make-up
//! working days as the State Council's yearly notice gives them (国务院办公厅关于部分节假日安排的
//! 通知), so that the rules that count working days never guess a holiday. A year's later
//! calendar replaces the earlier one, as the office replaces a calendar recorded before the
//! notice was published.

use jiff::civil::Date;
use kaohe_ledger::event::EventDraft;

use super::{Context, need_text};
use crate::commands::RecordCalendar;
use crate::payload;
use crate::refusal::Refusal;
use crate::words::{EventType, Role, TextField};

/// The office records a year's calendar: every day in the year, each holiday's span in order,
/// no make-up working day inside a holiday, and the notice it follows.
pub(crate) fn record_calendar(
    cx: &Context<'_>,
    command: &RecordCalendar,
) -> Result<Vec<EventDraft>, Refusal> {
    cx.need_role(cx.actor(), Role::Office, cx.today)?;
    let year = command.year;
    let days = command
        .holidays
        .iter()
        .flat_map(|holiday| [holiday.first, holiday.last])
        .chain(command.working_days.iter().copied());
    need_in_year(days, year)?;
    if let Some(holiday) = command
        .holidays
        .iter()
        .find(|holiday| holiday.last < holiday.first)
    {
        return Err(Refusal::BadHolidaySpan {
            name: holiday.name.clone(),
            first: holiday.first,
            last: holiday.last,
        });
    }
    if let Some(day) = command.working_days.iter().find(|day| {
        command
            .holidays
            .iter()
            .any(|holiday| holiday.first <= **day && **day <= holiday.last)
    }) {
        return Err(Refusal::WorkingDayInHoliday(*day));
    }
    need_text(&command.source, TextField::CalendarSource)?;
    let recorded = payload::CalendarRecorded {
        year,
        holidays: command.holidays.clone(),
        working_days: command.working_days.clone(),
        source: command.source.clone(),
    };
    let causes = cx
        .state
        .calendars
        .get(&year)
        .map(|replaced| vec![replaced.id])
        .unwrap_or_default();
    Ok(vec![cx.draft(
        Role::Office,
        EventType::CalendarRecorded,
        &recorded,
        causes,
    )])
}

/// Every day falls in `year`.
fn need_in_year(mut days: impl Iterator<Item = Date>, year: i16) -> Result<(), Refusal> {
    match days.find(|day| day.year() != year) {
        Some(day) => Err(Refusal::CalendarDayOutOfYear { day, year }),
        None => Ok(()),
    }
}
