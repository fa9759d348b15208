//! The scheme as the township's report writes it, given / when / then: each test names the
//! phrase of the report it follows (乡镇机关效能建设总结, docs/DOMAIN.md) or, where the report is
//! silent, the policy field that holds kaohe's choice.

use jiff::civil::{Date, date};
use kaohe_assess::commands::RecordCalendar;
use kaohe_assess::payload::Holiday;
use kaohe_assess::{Command, DayKind, Refusal};
use kaohe_testkit::Given;

fn holiday(name: &str, first: Date, last: Date) -> Holiday {
    Holiday {
        name: name.into(),
        first,
        last,
    }
}

/// The 2026 calendar of the State Council's notice of 4 November 2025.
fn calendar_2026() -> Command {
    Command::RecordCalendar(RecordCalendar {
        year: 2026,
        holidays: vec![
            holiday("元旦", date(2026, 1, 1), date(2026, 1, 3)),
            holiday("春节", date(2026, 2, 15), date(2026, 2, 23)),
            holiday("清明节", date(2026, 4, 4), date(2026, 4, 6)),
            holiday("劳动节", date(2026, 5, 1), date(2026, 5, 5)),
            holiday("端午节", date(2026, 6, 19), date(2026, 6, 21)),
            holiday("中秋节", date(2026, 9, 25), date(2026, 9, 27)),
            holiday("国庆节", date(2026, 10, 1), date(2026, 10, 7)),
        ],
        working_days: vec![
            date(2026, 1, 4),
            date(2026, 2, 14),
            date(2026, 2, 28),
            date(2026, 5, 9),
            date(2026, 9, 20),
            date(2026, 10, 10),
        ],
        source: "国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日）".into(),
    })
}

/// Working days come from the State Council's yearly notice, recorded as data (DOMAIN.md: "public
/// holidays and make-up working days come from the State Council's yearly notice, recorded as
/// data, never guessed"): a holiday is no working day, a make-up Saturday is, and every rule
/// that counts working days (`appeal_day_kind: working`) counts them so.
#[test]
fn working_days_follow_the_calendar_the_office_recorded() {
    let mut given = Given::township();
    // Before any calendar: Monday to Friday, holidays unknown.
    assert!(given.state.is_working_day(date(2026, 2, 16)));
    assert!(!given.state.is_working_day(date(2026, 2, 14)));
    let events = given.ok("office", "2026-01-05T09:00:00+08:00", calendar_2026());
    assert_eq!(events[0].event_type, "calendar_recorded");
    assert_eq!(events[0].actor.role, "office");
    let state = &given.state;
    assert!(!state.is_working_day(date(2026, 2, 16)), "春节");
    assert!(
        state.is_working_day(date(2026, 2, 14)),
        "a make-up Saturday"
    );
    assert!(
        !state.is_working_day(date(2026, 2, 21)),
        "a Saturday of 春节"
    );
    assert!(state.is_working_day(date(2026, 2, 24)));
    // Five working days from Thursday 12 February: the 13th, the make-up 14th, then after the
    // holiday the 24th, 25th and 26th.
    assert_eq!(
        state.add_days(date(2026, 2, 12), 5, DayKind::Working),
        date(2026, 2, 26)
    );
    assert_eq!(
        state.add_days(date(2026, 2, 12), 5, DayKind::Calendar),
        date(2026, 2, 17)
    );
    assert_eq!(given.rebuilt(), given.state);
}

/// The office records 2027's statutory holidays before the notice is published, and replaces
/// them when it is: a later calendar of the same year supersedes the earlier one.
#[test]
fn a_later_calendar_of_the_same_year_replaces_the_earlier() {
    let mut given = Given::township();
    let statutory = Command::RecordCalendar(RecordCalendar {
        year: 2027,
        holidays: vec![holiday("春节", date(2027, 2, 5), date(2027, 2, 8))],
        working_days: Vec::new(),
        source: "《全国年节及纪念日放假办法》（2024年修订）规定的法定节假日，无调休；国务院办公厅通知公布后替换".into(),
    });
    let first = given.ok("office", "2026-12-01T09:00:00+08:00", statutory)[0].id;
    assert!(!given.state.is_working_day(date(2027, 2, 8)));
    assert!(given.state.is_working_day(date(2027, 2, 9)));
    let notice = Command::RecordCalendar(RecordCalendar {
        year: 2027,
        holidays: vec![holiday("春节", date(2027, 2, 5), date(2027, 2, 12))],
        working_days: vec![date(2027, 2, 20)],
        source: "国务院办公厅关于2027年部分节假日安排的通知".into(),
    });
    let second = given.ok("office", "2026-12-20T09:00:00+08:00", notice);
    assert_eq!(
        second[0].caused_by,
        vec![first],
        "it names what it replaces"
    );
    assert!(!given.state.is_working_day(date(2027, 2, 9)));
    assert!(given.state.is_working_day(date(2027, 2, 20)));
}

#[test]
fn a_calendar_is_refused_by_the_rule_it_breaks() {
    let given = Given::township();
    let at = "2026-01-05T09:00:00+08:00";
    let calendar = |holidays: Vec<Holiday>, working_days: Vec<Date>, source: &str| {
        Command::RecordCalendar(RecordCalendar {
            year: 2026,
            holidays,
            working_days,
            source: source.into(),
        })
    };
    assert!(matches!(
        given.refused("p001", at, calendar_2026()),
        Refusal::NotInRole { .. }
    ));
    assert_eq!(
        given.refused(
            "office",
            at,
            calendar(Vec::new(), vec![date(2027, 1, 2)], "通知")
        ),
        Refusal::CalendarDayOutOfYear {
            day: date(2027, 1, 2),
            year: 2026
        }
    );
    assert_eq!(
        given.refused(
            "office",
            at,
            calendar(
                vec![holiday("春节", date(2026, 2, 23), date(2026, 2, 15))],
                Vec::new(),
                "通知"
            )
        ),
        Refusal::BadHolidaySpan {
            name: "春节".into(),
            first: date(2026, 2, 23),
            last: date(2026, 2, 15)
        }
    );
    assert_eq!(
        given.refused(
            "office",
            at,
            calendar(
                vec![holiday("春节", date(2026, 2, 15), date(2026, 2, 23))],
                vec![date(2026, 2, 21)],
                "通知"
            )
        ),
        Refusal::WorkingDayInHoliday(date(2026, 2, 21))
    );
    assert!(matches!(
        given.refused("office", at, calendar(Vec::new(), Vec::new(), " ")),
        Refusal::TextMissing(_)
    ));
}
