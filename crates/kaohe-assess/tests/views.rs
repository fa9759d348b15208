//! The views, given the events: a leader's month, the quarter board, the appeal queue, a
//! person's year with streak and pay, and each of them as of a past day.

use jiff::civil::date;
use kaohe_assess::commands::{
    AnswerAppeal, FileAppeal, GiveOpinion, Nominate, ReadSheet, SubmitSheet,
};
use kaohe_assess::period::Quarter;
use kaohe_assess::state::Kind;
use kaohe_assess::views::{
    Quota, SheetStatus, appeal_queue, leader_month, pay_effects, person_pay, person_year,
    quarter_board, recorded_through,
};
use kaohe_assess::{Command, Fact, State};
use kaohe_testkit::{Given, appealed, publish, rate_quarter};
use uuid::Uuid;

/// w01 overturns the appeal on 6 April.
fn overturn(given: &mut Given, appeal_id: Uuid) {
    given.ok(
        "w01",
        "2026-04-06T09:00:00+08:00",
        Command::AnswerAppeal(AnswerAppeal {
            appeal_id,
            outcome: kaohe_assess::Outcome::Overturned,
            reasons: "经核实，撤销最差评定".into(),
        }),
    );
}

#[test]
fn a_leaders_month_shows_sheets_opinions_and_nominations_of_each_supervisee() {
    let mut given = Given::township();
    let first = given.write("p001", date(2026, 3, 2), "走访张村");
    given.write("p001", date(2026, 3, 3), "值班");
    given.write("p002", date(2026, 3, 2), "整理台账");
    given.ok(
        "p001",
        "2026-03-11T18:00:00+08:00",
        Command::SubmitSheet(SubmitSheet {
            period: "2026-03-1".parse().unwrap(),
        }),
    );
    given.ok(
        "p002",
        "2026-03-16T18:00:00+08:00",
        Command::SubmitSheet(SubmitSheet {
            period: "2026-03-1".parse().unwrap(),
        }),
    );
    given.ok(
        "l01",
        "2026-03-12T09:00:00+08:00",
        Command::ReadSheet(ReadSheet {
            person_id: "p001".into(),
            period: "2026-03-1".parse().unwrap(),
            comment: "记录详实".into(),
        }),
    );
    let opinion = given.ok(
        "c01",
        "2026-03-31T10:00:00+08:00",
        Command::GiveOpinion(GiveOpinion {
            cadre_id: "p001".into(),
            month: "2026-03".parse().unwrap(),
            opinion: "群众反映好".into(),
        }),
    )[0]
    .id;
    let nomination = given.ok(
        "l01",
        "2026-04-01T10:00:00+08:00",
        Command::Nominate(Nominate {
            month: "2026-03".parse().unwrap(),
            kind: Kind::Best,
            cadre_id: "p001".into(),
            reason: "记录详实".into(),
            cited_ids: vec![first, opinion],
            override_reason: None,
        }),
    )[0]
    .id;

    let view = leader_month(
        &given.state,
        "l01",
        "2026-03".parse().unwrap(),
        date(2026, 4, 2),
    );
    assert_eq!(view.name, "王强");
    assert_eq!(view.nominations_due, Some(date(2026, 4, 5)));
    assert_eq!(view.quota, Some(Quota { best: 1, worst: 1 }));
    assert!(!view.scoring);
    let people: Vec<&str> = view
        .supervisees
        .iter()
        .map(|supervisee| supervisee.person_id.as_str())
        .collect();
    assert_eq!(people, ["p001", "p002"]);
    let zhang = &view.supervisees[0];
    assert_eq!((zhang.entries, zhang.amended), (2, 0));
    let statuses: Vec<(SheetStatus, bool)> = zhang
        .sheets
        .iter()
        .map(|sheet| (sheet.status, sheet.read))
        .collect();
    assert_eq!(
        statuses,
        [
            (SheetStatus::OnTime, true),
            (SheetStatus::Missing, false),
            (SheetStatus::NotDue, false)
        ],
        "the third sheet is due on 3 April"
    );
    assert_eq!(zhang.opinions[0].id, opinion);
    assert_eq!(view.supervisees[1].sheets[0].status, SheetStatus::Late);
    assert_eq!(view.nominations.len(), 1);
    assert_eq!(view.nominations[0].id, nomination);
    assert_eq!(view.nominations[0].name, "张伟");

    // Another leader sees none of it.
    let other = leader_month(
        &given.state,
        "s01",
        "2026-03".parse().unwrap(),
        date(2026, 4, 2),
    );
    assert!(other.supervisees.is_empty() && other.nominations.is_empty());
}

#[test]
fn the_quarter_board_shows_pools_decision_appeals_and_sanctions_after_an_overturn() {
    let mut given = Given::township();
    let (decided, appeal_id) = appealed(&mut given);
    let quarter: Quarter = "2026-Q1".parse().unwrap();

    let board = quarter_board(&given.state, quarter, date(2026, 4, 5));
    assert_eq!(board.selection_counts, Some(Quota { best: 5, worst: 3 }));
    assert_eq!(board.best_pool.len(), 1);
    assert_eq!(
        (
            board.best_pool[0].person_id.as_str(),
            board.best_pool[0].times
        ),
        ("p001", 1)
    );
    assert_eq!(board.worst_pool[0].leaders, ["l01"]);
    assert_eq!(board.proposals.len(), 1);
    assert!(board.proposals[0].latest);
    assert_eq!(
        board.decision.as_ref().map(|decision| decision.cosign_id),
        Some(decided[0].id)
    );
    assert_eq!(
        board
            .publication
            .as_ref()
            .map(|publication| publication.notice.as_str()),
        Some("现予公示")
    );
    assert_eq!(board.designations.len(), 2);
    assert!(
        board
            .designations
            .iter()
            .all(|designation| designation.stands)
    );
    assert_eq!(board.designations[1].appeal_id, Some(appeal_id));
    assert_eq!(board.appeals[0].days_left, 3, "due on 8 April");
    assert_eq!(board.sanctions.len(), 6);

    overturn(&mut given, appeal_id);
    let board = quarter_board(&given.state, quarter, date(2026, 4, 6));
    let worst = &board.designations[1];
    assert_eq!((worst.person_id.as_str(), worst.stands), ("p002", false));
    let answer = board.appeals[0].answer.as_ref().unwrap();
    assert_eq!(answer.outcome, kaohe_assess::Outcome::Overturned);
    assert!(!board.appeals[0].breached);
    let revoked: Vec<&str> = board
        .sanctions
        .iter()
        .filter(|sanction| sanction.revoked_by.is_some())
        .map(|sanction| sanction.sanction.as_str())
        .collect();
    assert_eq!(revoked, ["talk", "admonishment", "rectification"]);
}

#[test]
fn the_appeal_queue_counts_days_left_and_marks_breaches() {
    let mut given = Given::township();
    given.staff("w01", date(2026, 1, 1), "2026-01-05T09:00:00+08:00");
    rate_quarter(&mut given, "2026-Q1");
    publish(&mut given, "2026-Q1", "2026-04-02");
    let appeal = |person: &str, kind| {
        Command::FileAppeal(FileAppeal {
            quarter: "2026-Q1".parse().unwrap(),
            person_id: person.into(),
            kind,
            grounds: "请求复评".into(),
        })
    };
    let worst = given.ok(
        "p002",
        "2026-04-03T09:00:00+08:00",
        appeal("p002", Kind::Worst),
    )[0]
    .id;
    let best = given.ok(
        "p001",
        "2026-04-06T09:00:00+08:00",
        appeal("p001", Kind::Best),
    )[0]
    .id;

    let queue = appeal_queue(&given.state, date(2026, 4, 9));
    let open: Vec<_> = queue
        .open
        .iter()
        .map(|appeal| (appeal.id, appeal.days_left, appeal.breached))
        .collect();
    assert_eq!(
        open,
        [(worst, -1, true), (best, 2, false)],
        "the most urgent first; one past its due day"
    );
    assert_eq!(queue.breaches, 1);

    given.ok(
        "w01",
        "2026-04-10T09:00:00+08:00",
        Command::AnswerAppeal(AnswerAppeal {
            appeal_id: worst,
            outcome: kaohe_assess::Outcome::Upheld,
            reasons: "维持原评定".into(),
        }),
    );
    let queue = appeal_queue(&given.state, date(2026, 4, 10));
    assert_eq!(queue.open.len(), 1);
    assert_eq!(queue.answered[0].id, worst);
    assert_eq!(queue.answered[0].days_left, -2, "answered two days late");
    assert!(queue.answered[0].breached);
    assert_eq!(queue.breaches, 1);
}

#[test]
fn a_persons_year_shows_the_streak_and_the_pay_it_costs() {
    let mut given = Given::township();
    for quarter in ["2026-Q1", "2026-Q2", "2026-Q3"] {
        rate_quarter(&mut given, quarter);
    }
    let today = date(2026, 10, 2);
    let worst = person_year(&given.state, "p002", 2026, today);
    assert_eq!(worst.worst_streak, 3);
    assert_eq!(worst.worst_streak_limit, Some(3));
    assert_eq!(worst.designations.len(), 3);
    assert!(
        worst
            .designations
            .iter()
            .all(|designation| designation.kind == Kind::Worst && designation.stands)
    );
    assert_eq!(worst.months.len(), 10, "January to October");
    assert!(
        worst
            .sanctions
            .iter()
            .any(|sanction| sanction.sanction == kaohe_assess::SanctionKind::BonusesWithheld)
    );
    assert!(worst.pay.bonuses_withheld && worst.pay.basic_salary_only);
    assert_eq!(worst.pay.quarterly_bonus_bp, [0; 4]);
    assert_eq!(worst.pay.year_end_bonus_bp, 0);

    let best = person_pay(&given.state, "p001", 2026);
    assert_eq!(best.quarterly_bonus_bp, [12_000, 12_000, 12_000, 10_000]);
    assert_eq!(
        best.year_end_bonus_bp, 16_000,
        "a 20% uplift for each of three best quarters"
    );
    assert_eq!(best.causes.len(), 6);
    let effects = pay_effects(&given.state, 2026);
    let people: Vec<&str> = effects.iter().map(|pay| pay.person_id.as_str()).collect();
    assert_eq!(people, ["p001", "p002"]);
    assert!(pay_effects(&given.state, 2027).is_empty());

    let nobody = person_year(&given.state, "m01", 2026, today);
    assert_eq!(nobody.worst_streak, 0);
    assert!(!nobody.pay.affected());
}

#[test]
fn a_view_as_of_a_past_day_reads_the_ledger_as_it_stood_then() {
    let mut given = Given::township();
    let (_, appeal_id) = appealed(&mut given);
    let quarter: Quarter = "2026-Q1".parse().unwrap();
    overturn(&mut given, appeal_id);
    let stored = given.stored();
    let zone = jiff::tz::TimeZone::get("Asia/Shanghai").unwrap();
    let as_of = |day| {
        let size = recorded_through(&stored, day, &zone);
        State::from_events(stored[..size].iter().map(Fact::from)).unwrap()
    };
    assert_eq!(
        as_of(date(2026, 12, 31)),
        given.state,
        "as of today: the whole ledger"
    );
    let before_decision = as_of(date(2026, 3, 31));
    assert!(
        quarter_board(&before_decision, quarter, date(2026, 3, 31))
            .decision
            .is_none()
    );
    let before_answer = as_of(date(2026, 4, 5));
    let board = quarter_board(&before_answer, quarter, date(2026, 4, 5));
    assert!(
        board
            .designations
            .iter()
            .all(|designation| designation.stands)
    );
    assert!(board.appeals[0].answer.is_none());
    assert!(
        board
            .sanctions
            .iter()
            .all(|sanction| sanction.revoked_by.is_none())
    );
    let after = quarter_board(&as_of(date(2026, 4, 6)), quarter, date(2026, 4, 6));
    assert!(!after.designations[1].stands);
    assert_eq!(recorded_through(&stored, date(2025, 12, 31), &zone), 0);
}
