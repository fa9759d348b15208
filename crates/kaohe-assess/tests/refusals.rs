//! Every refusal has Chinese words of its own: one example of each variant, each shown in
//! Chinese and never in the English of `Display`. The examples are checked against the codes
//! `refusal.rs` declares, so a refusal added there without an example here fails.

use std::collections::BTreeSet;

use jiff::civil::date;
use kaohe_assess::Refusal;
use kaohe_assess::period::{Month, Period, Quarter};
use kaohe_assess::units::UnitsRefusal;
use kaohe_assess::units::refusal::UnitsText;
use kaohe_assess::units::words::{ItemSource, UnitKind};
use kaohe_assess::words::{FollowUp, Kind, Role, SanctionKind, TextField};
use uuid::Uuid;

/// One refusal of every variant.
fn every_refusal() -> Vec<Refusal> {
    let day = date(2026, 3, 2);
    let later = date(2026, 3, 9);
    let id = Uuid::parse_str("01936d4a-7b2c-7d3e-8f40-123456789abc").unwrap();
    let period: Period = "2026-03-1".parse().unwrap();
    let month: Month = "2026-03".parse().unwrap();
    let quarter: Quarter = "2026-Q1".parse().unwrap();
    let person = || "p027".to_owned();
    let leader = || "p001".to_owned();
    vec![
        Refusal::UnknownPerson(person()),
        Refusal::WorkingDayInHoliday(day),
        Refusal::BadHolidaySpan {
            name: "春节".into(),
            first: later,
            last: day,
        },
        Refusal::CalendarDayOutOfYear {
            day: later,
            year: 2027,
        },
        Refusal::NotInRole {
            person: person(),
            roles: Role::PRINCIPALS.to_vec(),
            date: day,
        },
        Refusal::AlreadyRegistered(person()),
        Refusal::UnknownRole("emperor".into()),
        Refusal::BadSpan {
            from: later,
            until: day,
        },
        Refusal::PolicyVersion {
            expected: 2,
            got: 3,
        },
        Refusal::PolicyInPast {
            effective: day,
            today: later,
        },
        Refusal::EntryInFuture {
            date: later,
            today: day,
        },
        Refusal::EntryExists { date: day },
        Refusal::EntryTooLong {
            chars: 201,
            max: 200,
        },
        Refusal::EntryEmpty,
        Refusal::SheetAlreadySubmitted { period },
        Refusal::PeriodNotOver {
            period,
            last_day: date(2026, 3, 10),
            today: day,
        },
        Refusal::NotYourEntry(id),
        Refusal::ReasonMissing,
        Refusal::SheetNotSubmitted {
            person: person(),
            period,
        },
        Refusal::NotSupervisor {
            leader: leader(),
            cadre: person(),
            date: day,
        },
        Refusal::NotYourArea {
            chief: "p012".into(),
            cadre: person(),
            month,
        },
        Refusal::MonthNotOver {
            month,
            last_day: date(2026, 3, 31),
        },
        Refusal::NominationLate {
            month,
            due: date(2026, 4, 5),
        },
        Refusal::NotYourSupervisee {
            leader: leader(),
            cadre: person(),
            month,
        },
        Refusal::QuotaReached {
            leader: leader(),
            kind: Kind::Worst,
            month,
            count: 1,
        },
        Refusal::BothBestAndWorst {
            leader: leader(),
            cadre: person(),
            other: Kind::Best,
            month,
        },
        Refusal::CitationMissing,
        Refusal::BadCitation {
            cited: id,
            cadre: person(),
            month,
        },
        Refusal::NominationReasonMissing,
        Refusal::QuarterNotOver {
            quarter,
            last_day: date(2026, 3, 31),
        },
        Refusal::DecisionInForce(quarter),
        Refusal::NotInPool {
            person: person(),
            kind: Kind::Best,
            quarter,
        },
        Refusal::WrongCount {
            kind: Kind::Worst,
            expected: 3,
            got: 2,
        },
        Refusal::SelectedTwice(person()),
        Refusal::NotLatestProposal(id),
        Refusal::NotTheOtherSigner {
            person: "p009".into(),
            proposer: "p009".into(),
            proposer_role: Role::PartySecretary,
        },
        Refusal::NoDecision(quarter),
        Refusal::AlreadyPublished(quarter),
        Refusal::NotPublished(quarter),
        Refusal::FilingWindowClosed {
            quarter,
            ended: date(2026, 4, 20),
        },
        Refusal::NoStanding {
            person: "p028".into(),
            rated: person(),
        },
        Refusal::NotDesignated {
            person: person(),
            kind: Kind::Worst,
            quarter,
        },
        Refusal::AlreadyAppealed {
            person: person(),
            quarter,
        },
        Refusal::UnknownAppeal(id),
        Refusal::OwnAppeal {
            person: person(),
            appeal: id,
        },
        Refusal::AlreadyAnswered(id),
        Refusal::NoScoring(month),
        Refusal::ScoreOutOfScale {
            score: 101,
            max: 100,
        },
        Refusal::AlreadyScored {
            cadre: person(),
            month,
        },
        Refusal::OverrideNeedsReason {
            kind: Kind::Best,
            expected: "p028".into(),
            named: person(),
        },
        Refusal::AlreadyDisplayed {
            person: person(),
            period,
        },
        Refusal::BadTime("yesterday".into()),
        Refusal::NoPolicy(day),
        Refusal::TextMissing(TextField::AppealGrounds),
        Refusal::UnknownSanction(id),
        Refusal::WrongSanction {
            id,
            sanction: SanctionKind::Talk,
            needed: SanctionKind::Rectification,
        },
        Refusal::SanctionRevoked(id),
        Refusal::FollowUpRecorded {
            id,
            what: FollowUp::Plan,
        },
        Refusal::NotYourSanction {
            id,
            person: person(),
        },
        Refusal::NoPlan(id),
        Refusal::TokenExists(id),
        Refusal::UnknownToken(id),
        Refusal::TokenRevoked(id),
        Refusal::DayOutOfRange {
            day: later,
            earliest: day,
            latest: day,
        },
    ]
}

/// The codes `Refusal::code` answers, as `refusal.rs` writes them: one per variant.
fn declared_codes() -> BTreeSet<String> {
    codes_in("/src/refusal.rs", "Refusal::")
}

/// The codes a `code` function in `file` answers, one per arm starting with `prefix`.
fn codes_in(file: &str, prefix: &str) -> BTreeSet<String> {
    let text = std::fs::read_to_string(format!("{}{file}", env!("CARGO_MANIFEST_DIR"))).unwrap();
    let start = text
        .find("pub fn code(&self)")
        .expect("the file has `code`");
    let end = start + text[start..].find("\n    }\n").unwrap();
    text[start..end]
        .lines()
        .filter_map(|line| line.trim().strip_prefix(prefix))
        // The units' refusals answer their own codes, declared in `units/refusal.rs`.
        .filter(|arm| !arm.starts_with("Units("))
        .map(|arm| {
            let code = arm.split("=> \"").nth(1).expect("an arm names its code");
            code.trim_end_matches("\",").to_owned()
        })
        .collect()
}

#[test]
fn every_refusal_has_chinese_words_of_its_own() {
    let refusals = every_refusal();
    let codes: BTreeSet<String> = refusals
        .iter()
        .map(|refusal| refusal.code().to_owned())
        .collect();
    assert_eq!(codes.len(), refusals.len(), "a variant is listed twice");
    assert_eq!(
        codes,
        declared_codes(),
        "a refusal without its example here"
    );
    for refusal in &refusals {
        let words = refusal.in_chinese();
        assert!(
            words
                .chars()
                .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{refusal:?} has no Chinese words: {words}"
        );
        assert_ne!(
            words,
            refusal.to_string(),
            "{refusal:?} is shown in English"
        );
    }
}

#[test]
fn the_codes_are_read_from_the_source() {
    let codes = declared_codes();
    assert!(codes.contains("unknown_person") && codes.contains("day_out_of_range"));
    assert!(codes.len() > 50, "{codes:?}");
}

/// One refusal of every variant of the units' part.
fn every_units_refusal() -> Vec<UnitsRefusal> {
    let day = date(2026, 3, 2);
    let later = date(2026, 3, 9);
    let id = Uuid::parse_str("01936d4a-7b2c-7d3e-8f40-123456789abc").unwrap();
    let quarter: Quarter = "2026-Q3".parse().unwrap();
    let person = || "p027".to_owned();
    let unit = || "v01".to_owned();
    let task = || "kt01".to_owned();
    vec![
        UnitsRefusal::UnknownUnit(unit()),
        UnitsRefusal::UnitExists(unit()),
        UnitsRefusal::SecondTownship("town".into()),
        UnitsRefusal::WrongUnitKind {
            unit: unit(),
            kind: UnitKind::Village,
            needed: UnitKind::Department,
        },
        UnitsRefusal::NotUnitLeader {
            person: person(),
            unit: unit(),
            date: day,
        },
        UnitsRefusal::NotSupervisionOffice {
            person: person(),
            date: day,
        },
        UnitsRefusal::NotVerifier {
            person: person(),
            date: day,
        },
        UnitsRefusal::Retroactive {
            from: day,
            today: later,
        },
        UnitsRefusal::NoUnitsPolicy(day),
        UnitsRefusal::UnknownIndicator("ind09".into()),
        UnitsRefusal::UnknownCriterion("c-none".into()),
        UnitsRefusal::NobodyResponsible {
            indicator: "ind01".into(),
            date: day,
        },
        UnitsRefusal::NoMayor(day),
        UnitsRefusal::ScoresRecorded {
            quarter,
            indicator: "ind01".into(),
        },
        UnitsRefusal::NoPeers,
        UnitsRefusal::PeerTwice("peer".into()),
        UnitsRefusal::DayAfterToday {
            day: later,
            today: day,
        },
        UnitsRefusal::UnknownConsequence(id),
        UnitsRefusal::ConsequenceFulfilled(id),
        UnitsRefusal::VillagesScored {
            quarter,
            criterion: "c-party".into(),
        },
        UnitsRefusal::RankingPublished(quarter),
        UnitsRefusal::VillageLeftOut(unit()),
        UnitsRefusal::VillageTwice(unit()),
        UnitsRefusal::ScoreAboveMax {
            village: unit(),
            score: 1010,
            max: 1000,
        },
        UnitsRefusal::NoVillageCriteria(day),
        UnitsRefusal::CriterionUnscored {
            quarter,
            criterion: "c-agri".into(),
        },
        UnitsRefusal::LedgerMoved {
            named: 10,
            held: 12,
        },
        UnitsRefusal::ReportGiven {
            quarter,
            village: unit(),
        },
        UnitsRefusal::SpotCheckRecorded {
            checked_on: day,
            checked_by: "市效能办".into(),
        },
        UnitsRefusal::NobodyChecked,
        UnitsRefusal::CheckedTwice(person()),
        UnitsRefusal::UnknownSpotCheck(id),
        UnitsRefusal::NotAbsent {
            person: person(),
            check: id,
        },
        UnitsRefusal::AlreadyJustified(person()),
        UnitsRefusal::NotJustified(person()),
        UnitsRefusal::AlreadyReviewed(person()),
        UnitsRefusal::TaskExists(task()),
        UnitsRefusal::UnknownTask(task()),
        UnitsRefusal::NotTaskOwner {
            person: person(),
            task: task(),
        },
        UnitsRefusal::BadMilestones { year: 2026 },
        UnitsRefusal::UnknownMilestone {
            task: task(),
            number: 4,
        },
        UnitsRefusal::MilestoneReached {
            task: task(),
            number: 1,
        },
        UnitsRefusal::YearReviewed(2026),
        UnitsRefusal::TaskLeftOut(task()),
        UnitsRefusal::TaskNotInReview(task()),
        UnitsRefusal::DerivedSource(ItemSource::LastPlace),
        UnitsRefusal::SourceEventMissing(ItemSource::SpotCheck),
        UnitsRefusal::DocumentMissing,
        UnitsRefusal::NotYourSelfExamination {
            person: person(),
            owner: "p028".into(),
        },
        UnitsRefusal::UnknownItem(id),
        UnitsRefusal::NotYourItem {
            item: id,
            owner: "p028".into(),
        },
        UnitsRefusal::OwnItem {
            person: person(),
            item: id,
        },
        UnitsRefusal::ItemClosed(id),
        UnitsRefusal::ItemOpen(id),
        UnitsRefusal::ItemVerified(id),
        UnitsRefusal::ItemNotAnalysed(id),
        UnitsRefusal::Missing(UnitsText::Cause),
    ]
}

#[test]
fn every_units_refusal_has_chinese_words_of_its_own() {
    let refusals: Vec<Refusal> = every_units_refusal()
        .into_iter()
        .map(Refusal::from)
        .collect();
    let codes: BTreeSet<String> = refusals
        .iter()
        .map(|refusal| refusal.code().to_owned())
        .collect();
    assert_eq!(codes.len(), refusals.len(), "a variant is listed twice");
    assert_eq!(
        codes,
        codes_in("/src/units/refusal.rs", "UnitsRefusal::"),
        "a units' refusal without its example here"
    );
    for refusal in &refusals {
        let words = refusal.in_chinese();
        assert!(
            words
                .chars()
                .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{refusal:?} has no Chinese words: {words}"
        );
        assert_ne!(
            words,
            refusal.to_string(),
            "{refusal:?} is shown in English"
        );
    }
}
