//! The rules, given / when / then: given these events, when
//! this command by this person at this time, then these events, or this refusal and nothing.

use jiff::civil::{Date, date};
use kaohe_assess::commands::{
    AdoptPolicy, AmendEntry, AnswerAppeal, AssignRole, AssignSupervision, CompleteRectification,
    CosignDecision, DisplaySheet, FileAppeal, GiveOpinion, GiveScores, IssueToken, Nominate,
    PlanRectification, ProposeDecision, PublishDecision, ReadSheet, RecordTalk, RegisterPerson,
    RevokeToken, SubmitSheet, WriteEntry,
};
use kaohe_assess::period::{Month, Period, Quarter};
use kaohe_assess::policy::Policy;
use kaohe_assess::state::Kind;
use kaohe_assess::{Command, Fact, Refusal, State};
use kaohe_ledger::event::EventDraft;
use kaohe_ledger::genesis::default_policy;
use kaohe_testkit::{Given, appealed, publish, rate_quarter};
use serde_json::Value;
use uuid::Uuid;

#[test]
fn a_cadre_writes_the_entry_of_a_working_day() {
    let mut given = Given::township();
    let events = given.ok(
        "p001",
        "2026-03-02T18:00:00+08:00",
        Command::WriteEntry(WriteEntry {
            date: date(2026, 3, 2),
            did: "走访张村三户低保户".into(),
            learned: "核实了两户收入变化".into(),
        }),
    );
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].event_type, "entry_written");
    assert_eq!(
        (
            events[0].actor.person_id.as_str(),
            events[0].actor.role.as_str()
        ),
        ("p001", "cadre")
    );
    assert_eq!(events[0].payload["date"], "2026-03-02");
    // A late entry for an earlier day is allowed while its sheet is open.
    given.write("p001", date(2026, 3, 1), "补记：值班");
    assert_eq!(given.state.entries.len(), 2);
}

#[test]
fn entries_are_refused_by_the_rule_that_forbids_them() {
    let mut given = Given::township();
    given.write("p001", date(2026, 3, 2), "走访");
    let write = |day: Date, did: &str| {
        Command::WriteEntry(WriteEntry {
            date: day,
            did: did.into(),
            learned: String::new(),
        })
    };
    let at = "2026-03-02T18:00:00+08:00";
    assert_eq!(
        given.refused("nobody", at, write(date(2026, 3, 2), "x")),
        Refusal::UnknownPerson("nobody".into())
    );
    assert!(matches!(
        given.refused("l01", at, write(date(2026, 3, 2), "x")),
        Refusal::NotInRole { .. }
    ));
    assert_eq!(
        given.refused("p001", at, write(date(2026, 3, 2), "again")),
        Refusal::EntryExists {
            date: date(2026, 3, 2)
        }
    );
    assert_eq!(
        given.refused("p001", at, write(date(2026, 3, 3), "tomorrow")),
        Refusal::EntryInFuture {
            date: date(2026, 3, 3),
            today: date(2026, 3, 2)
        }
    );
    assert_eq!(
        given.refused("p001", at, write(date(2026, 3, 1), "  ")),
        Refusal::EntryEmpty
    );
    assert_eq!(
        given.refused("p001", at, write(date(2026, 3, 1), &"长".repeat(201))),
        Refusal::EntryTooLong {
            chars: 201,
            max: 200
        }
    );
    // A second role does not end the first: a span ends only on its own last day.
    given.ok(
        "office",
        "2026-03-01T09:00:00+08:00",
        Command::AssignRole(AssignRole {
            person_id: "p002".into(),
            role: kaohe_assess::Role::Office.to_string(),
            from: date(2026, 3, 1),
            until: None,
        }),
    );
    assert!(
        given
            .when("p002", at, write(date(2026, 3, 2), "ok"))
            .is_ok(),
        "still a cadre: the span is open"
    );
}

#[test]
fn a_role_ends_on_its_last_day() {
    let mut given = Given::ledger();
    given.ok(
        "office",
        "2026-01-02T09:00:00+08:00",
        Command::RegisterPerson(RegisterPerson {
            person_id: "p009".into(),
            name: "孙丽".into(),
        }),
    );
    given.ok(
        "office",
        "2026-01-02T09:00:00+08:00",
        Command::AssignRole(AssignRole {
            person_id: "p009".into(),
            role: kaohe_assess::Role::Cadre.to_string(),
            from: date(2026, 1, 1),
            until: Some(date(2026, 2, 28)),
        }),
    );
    given.write("p009", date(2026, 2, 28), "最后一天");
    let refusal = given.refused(
        "p009",
        "2026-03-02T18:00:00+08:00",
        Command::WriteEntry(WriteEntry {
            date: date(2026, 3, 2),
            did: "x".into(),
            learned: String::new(),
        }),
    );
    assert_eq!(
        refusal,
        Refusal::NotInRole {
            person: "p009".into(),
            roles: vec![kaohe_assess::Role::Cadre],
            date: date(2026, 3, 2)
        }
    );
    assert!(matches!(
        given.refused(
            "office",
            "2026-01-02T09:00:00+08:00",
            Command::AssignRole(AssignRole {
                person_id: "p009".into(),
                role: kaohe_assess::Role::System.to_string(),
                from: date(2026, 1, 1),
                until: None
            }),
        ),
        Refusal::UnknownRole(_)
    ));
    // A word that names no role at all is refused by the same rule, with the word.
    let refusal = given.refused(
        "office",
        "2026-01-02T09:00:00+08:00",
        Command::AssignRole(AssignRole {
            person_id: "p009".into(),
            role: "emperor".into(),
            from: date(2026, 1, 1),
            until: None,
        }),
    );
    assert_eq!(refusal, Refusal::UnknownRole("emperor".into()));
    assert_eq!(refusal.code(), "unknown_role");
    assert!(refusal.in_chinese().contains("“emperor”"));
    assert!(matches!(
        given.refused(
            "office",
            "2026-01-02T09:00:00+08:00",
            Command::AssignRole(AssignRole {
                person_id: "p009".into(),
                role: kaohe_assess::Role::Cadre.to_string(),
                from: date(2026, 3, 1),
                until: Some(date(2026, 2, 1))
            }),
        ),
        Refusal::BadSpan { .. }
    ));
    assert!(matches!(
        given.refused(
            "p009",
            "2026-01-02T09:00:00+08:00",
            Command::RegisterPerson(RegisterPerson {
                person_id: "x".into(),
                name: "x".into()
            })
        ),
        Refusal::NotInRole { .. }
    ));
}

#[test]
fn a_sheet_is_submitted_after_its_period_with_its_entries_and_lateness() {
    let mut given = Given::township();
    let first = given.write("p001", date(2026, 3, 3), "三日");
    let second = given.write("p001", date(2026, 3, 2), "二日，补记");
    given.write("p001", date(2026, 3, 11), "下一期");
    let period: Period = "2026-03-1".parse().unwrap();
    assert_eq!(
        given.refused(
            "p001",
            "2026-03-09T18:00:00+08:00",
            Command::SubmitSheet(SubmitSheet { period })
        ),
        Refusal::PeriodNotOver {
            period,
            last_day: date(2026, 3, 10),
            today: date(2026, 3, 9)
        }
    );
    let events = given.ok(
        "p001",
        "2026-03-10T18:30:00+08:00",
        Command::SubmitSheet(SubmitSheet { period }),
    );
    assert_eq!(
        events[0].payload["entry_ids"],
        serde_json::json!([second.to_string(), first.to_string()])
    );
    assert!(!given.state.sheets[&("p001".to_owned(), period)].late());
    assert_eq!(
        given.refused(
            "p001",
            "2026-03-11T18:00:00+08:00",
            Command::SubmitSheet(SubmitSheet { period })
        ),
        Refusal::SheetAlreadySubmitted { period }
    );
    // After submission, a day of that period is corrected by amendment, not written.
    assert_eq!(
        given.refused(
            "p001",
            "2026-03-11T18:00:00+08:00",
            Command::WriteEntry(WriteEntry {
                date: date(2026, 3, 4),
                did: "补".into(),
                learned: String::new()
            })
        ),
        Refusal::SheetAlreadySubmitted { period }
    );
    // Due three days after the period (policy): the 14th is late, and the ledger shows it.
    given.ok(
        "p002",
        "2026-03-14T09:00:00+08:00",
        Command::SubmitSheet(SubmitSheet { period }),
    );
    let sheet = &given.state.sheets[&("p002".to_owned(), period)];
    assert_eq!(
        (sheet.due_on, sheet.late(), sheet.entry_ids.len()),
        (date(2026, 3, 13), true, 0)
    );
}

#[test]
fn only_the_supervising_leader_of_that_period_reads_a_sheet() {
    let mut given = Given::township();
    given.staff("l02", date(2026, 3, 1), "2026-03-01T09:00:00+08:00");
    // p001 moves to l02 from the 16th: the sheet of 11–20 is l02's to read.
    move_p001_to_l02(&mut given, date(2026, 3, 16));
    let period: Period = "2026-03-2".parse().unwrap();
    let read = |comment: &str| {
        Command::ReadSheet(ReadSheet {
            person_id: "p001".into(),
            period,
            comment: comment.into(),
        })
    };
    assert_eq!(
        given.refused("l02", "2026-03-21T09:00:00+08:00", read("")),
        Refusal::SheetNotSubmitted {
            person: "p001".into(),
            period
        }
    );
    let submitted = given.ok(
        "p001",
        "2026-03-20T18:00:00+08:00",
        Command::SubmitSheet(SubmitSheet { period }),
    );
    assert_eq!(
        given.refused("l01", "2026-03-21T09:00:00+08:00", read("")),
        Refusal::NotSupervisor {
            leader: "l01".into(),
            cadre: "p001".into(),
            date: date(2026, 3, 20)
        }
    );
    assert!(matches!(
        given.refused("p002", "2026-03-21T09:00:00+08:00", read("")),
        Refusal::NotInRole { .. }
    ));
    let events = given.ok("l02", "2026-03-21T09:00:00+08:00", read("记录详实"));
    assert_eq!(events[0].caused_by, vec![submitted[0].id]);
    assert_eq!(
        given.state.sheets[&("p001".to_owned(), period)].reads,
        vec![("l02".to_owned(), "记录详实".to_owned())]
    );
}

#[test]
fn an_amendment_keeps_the_original_and_names_it() {
    let mut given = Given::township();
    let entry = given.write("p001", date(2026, 3, 2), "走访三户");
    let amend = |entry_id: Uuid, reason: &str| {
        Command::AmendEntry(AmendEntry {
            entry_id,
            did: "走访四户".into(),
            learned: String::new(),
            reason: reason.into(),
        })
    };
    let at = "2026-03-12T10:00:00+08:00";
    assert_eq!(
        given.refused("p002", at, amend(entry, "笔误")),
        Refusal::NotYourEntry(entry)
    );
    let unknown = Uuid::now_v7();
    assert_eq!(
        given.refused("p001", at, amend(unknown, "笔误")),
        Refusal::NotYourEntry(unknown)
    );
    assert_eq!(
        given.refused("p001", at, amend(entry, " ")),
        Refusal::ReasonMissing
    );
    let events = given.ok("p001", at, amend(entry, "户数笔误"));
    assert_eq!(events[0].caused_by, vec![entry]);
    // The state keeps the correction's id; its lines are in its event, the original's in theirs.
    let stored = &given.state.entries[&entry];
    assert_eq!(stored.amendments, vec![events[0].id]);
    assert_eq!(events[0].payload["did"], "走访四户");
}

#[test]
fn each_entry_is_judged_by_the_policy_in_force_on_its_day() {
    let mut given = Given::township();
    let mut stricter: Policy = serde_json::from_value(default_policy("2026-04-01")).unwrap();
    stricter.version = 2;
    stricter.entry_chars_max = 20;
    let mut wrong_version = stricter.clone();
    wrong_version.version = 3;
    assert!(matches!(
        given.refused(
            "office",
            "2026-03-30T09:00:00+08:00",
            Command::AdoptPolicy(AdoptPolicy {
                policy: wrong_version
            })
        ),
        Refusal::PolicyVersion {
            expected: 2,
            got: 3
        }
    ));
    let mut backdated = stricter.clone();
    backdated.effective_date = date(2026, 3, 1);
    assert!(matches!(
        given.refused(
            "office",
            "2026-03-30T09:00:00+08:00",
            Command::AdoptPolicy(AdoptPolicy { policy: backdated })
        ),
        Refusal::PolicyInPast { .. }
    ));
    given.ok(
        "office",
        "2026-03-30T09:00:00+08:00",
        Command::AdoptPolicy(AdoptPolicy { policy: stricter }),
    );
    let long = "长".repeat(30);
    given.ok(
        "p001",
        "2026-04-01T18:00:00+08:00",
        Command::WriteEntry(WriteEntry {
            date: date(2026, 3, 31),
            did: long.clone(),
            learned: String::new(),
        }),
    );
    assert_eq!(
        given.refused(
            "p001",
            "2026-04-01T18:00:00+08:00",
            Command::WriteEntry(WriteEntry {
                date: date(2026, 4, 1),
                did: long,
                learned: String::new()
            })
        ),
        Refusal::EntryTooLong { chars: 30, max: 20 }
    );
}

#[test]
fn the_state_rebuilt_from_stored_events_equals_the_state_kept_while_deciding() {
    let mut given = Given::township();
    given.write("p001", date(2026, 3, 2), "走访");
    given.ok(
        "p001",
        "2026-03-10T18:00:00+08:00",
        Command::SubmitSheet(SubmitSheet {
            period: "2026-03-1".parse().unwrap(),
        }),
    );
    // Sealed as the store seals them, the stored forms fold to the same state.
    assert_eq!(given.rebuilt(), given.state);
}

/// The office records on 1 March that p001 moves to l02's supervision from `from`.
fn move_p001_to_l02(given: &mut Given, from: Date) {
    given.ok(
        "office",
        "2026-03-01T09:00:00+08:00",
        Command::AssignSupervision(AssignSupervision {
            person_id: "p001".into(),
            leader_id: "l02".into(),
            from,
        }),
    );
}

fn nominate(kind: Kind, cadre: &str, cited: Vec<Uuid>) -> Command {
    Command::Nominate(Nominate {
        month: "2026-03".parse().unwrap(),
        kind,
        cadre_id: cadre.into(),
        reason: "本月工作记录详实，走访群众多".into(),
        cited_ids: cited,
        override_reason: None,
    })
}

/// The township with March's records of both cadres and an opinion on each.
fn march() -> (Given, Uuid, Uuid) {
    let mut given = Given::township();
    let first = given.write("p001", date(2026, 3, 2), "走访张村");
    let second = given.write("p002", date(2026, 3, 2), "值班");
    for cadre in ["p001", "p002"] {
        given.ok(
            "c01",
            "2026-03-31T10:00:00+08:00",
            Command::GiveOpinion(GiveOpinion {
                cadre_id: cadre.into(),
                month: "2026-03".parse().unwrap(),
                opinion: "群众反映较好".into(),
            }),
        );
    }
    (given, first, second)
}

#[test]
fn only_the_chief_of_the_cadres_area_gives_an_opinion() {
    let mut given = Given::township();
    given.staff("c02", date(2026, 3, 1), "2026-03-01T09:00:00+08:00");
    let opinion = || {
        Command::GiveOpinion(GiveOpinion {
            cadre_id: "p001".into(),
            month: "2026-03".parse().unwrap(),
            opinion: "好".into(),
        })
    };
    assert!(matches!(
        given.refused("c02", "2026-03-31T10:00:00+08:00", opinion()),
        Refusal::NotYourArea { .. }
    ));
    assert!(matches!(
        given.refused("p002", "2026-03-31T10:00:00+08:00", opinion()),
        Refusal::NotInRole { .. }
    ));
    given.ok("c01", "2026-03-31T10:00:00+08:00", opinion());
}

#[test]
fn a_leader_nominates_within_the_rules() {
    let (mut given, first, second) = march();
    let month: Month = "2026-03".parse().unwrap();
    let at = "2026-04-02T10:00:00+08:00";
    assert_eq!(
        given.refused(
            "l01",
            "2026-03-30T10:00:00+08:00",
            nominate(Kind::Best, "p001", vec![first])
        ),
        Refusal::MonthNotOver {
            month,
            last_day: date(2026, 3, 31)
        }
    );
    assert_eq!(
        given.refused(
            "l01",
            "2026-04-06T10:00:00+08:00",
            nominate(Kind::Best, "p001", vec![first])
        ),
        Refusal::NominationLate {
            month,
            due: date(2026, 4, 5)
        }
    );
    assert!(matches!(
        given.refused("p001", at, nominate(Kind::Best, "p001", vec![first])),
        Refusal::NotInRole { .. }
    ));
    assert!(matches!(
        given.refused("l01", at, nominate(Kind::Best, "p001", vec![])),
        Refusal::CitationMissing
    ));
    assert!(matches!(
        given.refused("l01", at, nominate(Kind::Best, "p001", vec![second])),
        Refusal::BadCitation { cited, .. } if cited == second
    ));
    let events = given.ok("l01", at, nominate(Kind::Best, "p001", vec![first]));
    assert_eq!(events[0].caused_by, vec![first]);
    assert_eq!(events[0].payload["policy_version"], 1);
    assert_eq!(
        given.refused("l01", at, nominate(Kind::Worst, "p001", vec![first])),
        Refusal::BothBestAndWorst {
            leader: "l01".into(),
            cadre: "p001".into(),
            other: Kind::Best,
            month
        }
    );
    assert!(matches!(
        given.refused("l01", at, nominate(Kind::Best, "p002", vec![second])),
        Refusal::QuotaReached { .. }
    ));
    given.ok("l01", at, nominate(Kind::Worst, "p002", vec![second]));
}

#[test]
fn a_leader_nominates_only_supervisees_of_that_month() {
    let (mut given, first, _) = march();
    given.staff("l02", date(2026, 1, 1), "2026-01-05T09:00:00+08:00");
    assert_eq!(
        given.refused(
            "l02",
            "2026-04-02T10:00:00+08:00",
            nominate(Kind::Best, "p001", vec![first])
        ),
        Refusal::NotYourSupervisee {
            leader: "l02".into(),
            cadre: "p001".into(),
            month: "2026-03".parse().unwrap()
        }
    );
    // Moved to l02 from 20 March: both leaders had p001 in March.
    move_p001_to_l02(&mut given, date(2026, 3, 20));
    given.ok(
        "l02",
        "2026-04-02T10:00:00+08:00",
        nominate(Kind::Best, "p001", vec![first]),
    );
}

#[test]
fn the_quarterly_decision_is_drawn_from_the_pools_and_needs_both_signatures() {
    let (mut given, first, second) = march();
    given.ok(
        "l01",
        "2026-04-02T10:00:00+08:00",
        nominate(Kind::Best, "p001", vec![first]),
    );
    given.ok(
        "l01",
        "2026-04-02T10:05:00+08:00",
        nominate(Kind::Worst, "p002", vec![second]),
    );
    let quarter: Quarter = "2026-Q1".parse().unwrap();
    let propose = |best: &[&str], worst: &[&str]| {
        Command::ProposeDecision(ProposeDecision {
            quarter,
            best: best.iter().map(|person| person.to_string()).collect(),
            worst: worst.iter().map(|person| person.to_string()).collect(),
        })
    };
    let at = "2026-04-08T09:00:00+08:00";
    assert!(matches!(
        given.refused("l01", at, propose(&["p001"], &["p002"])),
        Refusal::NotInRole { .. }
    ));
    let early = given.refused(
        "s01",
        "2026-03-31T09:00:00+08:00",
        propose(&["p001"], &["p002"]),
    );
    assert!(matches!(early, Refusal::QuarterNotOver { .. }), "{early:?}");
    assert_eq!(
        given.refused("s01", at, propose(&["p002"], &["p002"])),
        Refusal::NotInPool {
            person: "p002".into(),
            kind: Kind::Best,
            quarter
        }
    );
    assert_eq!(
        given.refused("s01", at, propose(&[], &["p002"])),
        Refusal::WrongCount {
            kind: Kind::Best,
            expected: 1,
            got: 0
        }
    );
    let first_proposal = given.ok("s01", at, propose(&["p001"], &["p002"]))[0].id;
    // A newer proposal supersedes the first before anyone co-signs.
    let proposal = given.ok(
        "s01",
        "2026-04-08T10:00:00+08:00",
        propose(&["p001"], &["p002"]),
    );
    assert_eq!(proposal[0].actor.role, "party_secretary");
    let proposal = proposal[0].id;
    let cosign = |proposal_id: Uuid| {
        Command::CosignDecision(CosignDecision {
            quarter,
            proposal_id,
        })
    };
    assert_eq!(
        given.refused("m01", at, cosign(first_proposal)),
        Refusal::NotLatestProposal(first_proposal)
    );
    assert!(matches!(
        given.refused("s01", at, cosign(proposal)),
        Refusal::NotTheOtherSigner { .. }
    ));
    assert!(matches!(
        given.refused("l01", at, cosign(proposal)),
        Refusal::NotTheOtherSigner { .. }
    ));
    assert!(
        !given.state.decisions.contains_key(&quarter),
        "no decision before the co-signature"
    );
    let cosigned = given.ok("m01", "2026-04-08T15:00:00+08:00", cosign(proposal));
    assert_eq!(
        (
            cosigned[0].actor.role.as_str(),
            cosigned[0].caused_by.clone()
        ),
        ("mayor", vec![proposal])
    );
    assert_eq!(given.state.decisions[&quarter].proposal_id, proposal);
    assert_eq!(
        given.refused("m01", at, cosign(proposal)),
        Refusal::DecisionInForce(quarter)
    );
    assert_eq!(
        given.refused("s01", at, propose(&["p001"], &["p002"])),
        Refusal::DecisionInForce(quarter)
    );
}

#[test]
fn a_co_signed_decision_brings_its_sanctions_each_naming_its_cause() {
    let mut given = Given::township();
    let events = rate_quarter(&mut given, "2026-Q1");
    let cosign = events[0].id;
    let sanctions: Vec<(String, String, Value)> = events[1..]
        .iter()
        .map(|event| {
            assert_eq!(event.event_type, "sanction_imposed");
            assert_eq!(
                (event.actor.person_id.as_str(), event.actor.role.as_str()),
                ("kaohe", "system")
            );
            assert_eq!(event.caused_by, vec![cosign]);
            (
                event.payload["person_id"].as_str().unwrap().to_owned(),
                event.payload["sanction"].as_str().unwrap().to_owned(),
                event.payload.clone(),
            )
        })
        .collect();
    let names: Vec<(&str, &str)> = sanctions
        .iter()
        .map(|(person, sanction, _)| (person.as_str(), sanction.as_str()))
        .collect();
    assert_eq!(
        names,
        [
            ("p001", "commendation"),
            ("p001", "quarterly_bonus_uplift"),
            ("p001", "year_end_bonus_uplift"),
            ("p002", "talk"),
            ("p002", "admonishment"),
            ("p002", "rectification"),
        ]
    );
    assert_eq!(sanctions[1].2["bonus_bp"], 2000);
    assert_eq!(sanctions[5].2["rectify_by"], "2026-05-01");
    let replay = kaohe_assess::sanctions::replay(&given.state, "2026-Q1".parse().unwrap());
    assert_eq!((replay.matched, replay.differences.len()), (6, 0));
}

#[test]
fn appeals_follow_publication_standing_and_the_window() {
    let mut given = Given::township();
    rate_quarter(&mut given, "2026-Q1");
    let quarter: Quarter = "2026-Q1".parse().unwrap();
    let appeal = |person: &str, kind: Kind| {
        Command::FileAppeal(FileAppeal {
            quarter,
            person_id: person.into(),
            kind,
            grounds: "一月在县里培训，下村少有正当理由".into(),
        })
    };
    assert_eq!(
        given.refused(
            "p002",
            "2026-04-02T09:00:00+08:00",
            appeal("p002", Kind::Worst)
        ),
        Refusal::NotPublished(quarter)
    );
    assert_eq!(
        given.refused(
            "office",
            "2026-04-02T09:00:00+08:00",
            Command::PublishDecision(PublishDecision {
                quarter: "2026-Q2".parse().unwrap(),
                notice: "x".into()
            })
        ),
        Refusal::NoDecision("2026-Q2".parse().unwrap())
    );
    publish(&mut given, "2026-Q1", "2026-04-02");
    assert_eq!(
        given.refused(
            "office",
            "2026-04-03T09:00:00+08:00",
            Command::PublishDecision(PublishDecision {
                quarter,
                notice: "x".into()
            })
        ),
        Refusal::AlreadyPublished(quarter)
    );
    assert_eq!(
        given.refused(
            "p001",
            "2026-04-03T09:00:00+08:00",
            appeal("p002", Kind::Worst)
        ),
        Refusal::NoStanding {
            person: "p001".into(),
            rated: "p002".into()
        }
    );
    assert!(matches!(
        given.refused(
            "p002",
            "2026-04-03T09:00:00+08:00",
            appeal("p002", Kind::Best)
        ),
        Refusal::NotDesignated { .. }
    ));
    assert_eq!(
        given.refused(
            "p002",
            "2026-04-10T09:00:00+08:00",
            appeal("p002", Kind::Worst)
        ),
        Refusal::FilingWindowClosed {
            quarter,
            ended: date(2026, 4, 9)
        }
    );
    given.ok(
        "p002",
        "2026-04-09T09:00:00+08:00",
        appeal("p002", Kind::Worst),
    );
    assert!(matches!(
        given.refused(
            "p002",
            "2026-04-09T10:00:00+08:00",
            appeal("p002", Kind::Worst)
        ),
        Refusal::AlreadyAppealed { .. }
    ));
}

#[test]
fn an_overturned_appeal_revokes_the_sanctions_of_its_cause_and_a_late_answer_is_a_breach() {
    let mut given = Given::township();
    let (_, appeal_id) = appealed(&mut given);
    let quarter: Quarter = "2026-Q1".parse().unwrap();
    let answer = |outcome| {
        Command::AnswerAppeal(AnswerAppeal {
            appeal_id,
            outcome,
            reasons: "经核实，撤销最差评定".into(),
        })
    };
    assert!(matches!(
        given.refused(
            "s01",
            "2026-04-07T09:00:00+08:00",
            answer(kaohe_assess::Outcome::Overturned)
        ),
        Refusal::NotInRole { .. }
    ));
    // A member of the committee does not answer an appeal about themselves.
    given.ok(
        "office",
        "2026-04-03T10:00:00+08:00",
        Command::AssignRole(AssignRole {
            person_id: "p002".into(),
            role: kaohe_assess::Role::PartyCommittee.to_string(),
            from: date(2026, 4, 3),
            until: None,
        }),
    );
    assert_eq!(
        given.refused(
            "p002",
            "2026-04-07T09:00:00+08:00",
            answer(kaohe_assess::Outcome::Overturned)
        ),
        Refusal::OwnAppeal {
            person: "p002".into(),
            appeal: appeal_id
        }
    );
    assert_eq!(given.state.appeals[&appeal_id].due_on, date(2026, 4, 8));
    assert!(
        given.state.appeals[&appeal_id].breached(date(2026, 4, 9)),
        "unanswered past its due day"
    );
    let events = given.ok(
        "w01",
        "2026-04-09T09:00:00+08:00",
        answer(kaohe_assess::Outcome::Overturned),
    );
    assert_eq!(
        events.len(),
        4,
        "the answer and the revocation of talk, admonishment and rectification"
    );
    for revocation in &events[1..] {
        assert_eq!(revocation.event_type, "sanction_revoked");
        assert_eq!(revocation.caused_by[0], events[0].id);
    }
    assert!(
        given.state.appeals[&appeal_id].breached(date(2026, 4, 9)),
        "answered a day late"
    );
    assert!(!given.state.finally_designated(quarter, Kind::Worst, "p002"));
    let replay = kaohe_assess::sanctions::replay(&given.state, quarter);
    assert_eq!(
        (replay.matched, replay.differences.len()),
        (3, 0),
        "{:?}",
        replay.differences
    );
    assert_eq!(
        given.refused(
            "w01",
            "2026-04-09T10:00:00+08:00",
            answer(kaohe_assess::Outcome::Upheld)
        ),
        Refusal::AlreadyAnswered(appeal_id)
    );
}

#[test]
fn three_consecutive_worst_quarters_withhold_the_years_bonuses() {
    let mut given = Given::township();
    let first = rate_quarter(&mut given, "2026-Q1")[0].id;
    let second = rate_quarter(&mut given, "2026-Q2")[0].id;
    let third = rate_quarter(&mut given, "2026-Q3");
    let heavy: Vec<&EventDraft> = third
        .iter()
        .filter(|event| {
            ["public_criticism", "basic_salary_only", "bonuses_withheld"]
                .contains(&event.payload["sanction"].as_str().unwrap_or(""))
        })
        .collect();
    assert_eq!(heavy.len(), 3);
    for event in heavy {
        assert_eq!(event.payload["person_id"], "p002");
        assert_eq!(event.caused_by, vec![first, second, third[0].id]);
    }
}

#[test]
fn replay_reports_a_missing_consequence_and_a_sanction_without_cause() {
    let mut given = Given::township();
    let events = rate_quarter(&mut given, "2026-Q1");
    let quarter: Quarter = "2026-Q1".parse().unwrap();
    // The ledger as if one consequence had not been recorded.
    let without_talk: Vec<EventDraft> = given
        .events
        .iter()
        .filter(|event| event.id != events[4].id)
        .cloned()
        .collect();
    let state = State::from_events(without_talk.iter().map(Fact::from)).unwrap();
    let replay = kaohe_assess::sanctions::replay(&state, quarter);
    assert_eq!(replay.differences.len(), 1);
    assert!(
        matches!(&replay.differences[0], kaohe_assess::sanctions::Difference::Missing(expected) if expected.sanction == kaohe_assess::SanctionKind::Talk)
    );
    // A sanction appended past the rules, naming no cause.
    let mut stray = events[4].clone();
    stray.id = Uuid::now_v7();
    stray.payload["person_id"] = "p001".into();
    stray.caused_by = Vec::new();
    given.apply(stray.clone());
    let replay = kaohe_assess::sanctions::replay(&given.state, quarter);
    assert_eq!(
        replay.differences,
        vec![kaohe_assess::sanctions::Difference::Unexpected {
            id: stray.id,
            person_id: "p001".into(),
            sanction: kaohe_assess::SanctionKind::Talk,
            without_cause: true
        }]
    );
}

#[test]
fn under_numeric_scoring_naming_against_the_scores_needs_a_reason_and_is_a_finding() {
    use kaohe_assess::payload::Scores;
    let mut given = Given::township();
    let april: Month = "2026-04".parse().unwrap();
    let scores = |discipline: u32| Scores {
        ideology: 900,
        ability: 850,
        discipline,
        liaison: 800,
        line_work: 870,
    };
    let score = |cadre: &str, discipline: u32| {
        Command::GiveScores(GiveScores {
            month: april,
            cadre_id: cadre.into(),
            scores: scores(discipline),
        })
    };
    assert_eq!(
        given.refused("l01", "2026-05-01T09:00:00+08:00", score("p001", 900)),
        Refusal::NoScoring(april)
    );
    let mut scored: Policy = serde_json::from_value(default_policy("2026-04-01")).unwrap();
    scored.version = 2;
    scored.scoring = Some(serde_json::from_value(serde_json::json!({
        "score_max_tenths": 1000,
        "weights_bp": {"ideology": 2000, "ability": 3000, "discipline": 2000, "liaison": 1500, "line_work": 1500},
        "tie_break": "discipline_then_ability"
    })).unwrap());
    given.ok(
        "office",
        "2026-03-20T09:00:00+08:00",
        Command::AdoptPolicy(AdoptPolicy { policy: scored }),
    );
    let first = given.write("p001", date(2026, 4, 30), "走访");
    let second = given.write("p002", date(2026, 4, 30), "值班");
    assert_eq!(
        given.refused("l01", "2026-05-01T09:00:00+08:00", score("p001", 1001)),
        Refusal::ScoreOutOfScale {
            score: 1001,
            max: 1000
        }
    );
    let events = given.ok("l01", "2026-05-01T09:00:00+08:00", score("p001", 950));
    assert_eq!(events[0].payload["policy_version"], 2);
    assert!(matches!(
        given.refused("l01", "2026-05-01T09:00:00+08:00", score("p001", 950)),
        Refusal::AlreadyScored { .. }
    ));
    given.ok("l01", "2026-05-01T09:00:00+08:00", score("p002", 600));
    assert_eq!(
        given
            .state
            .scored_choice("l01", april, Kind::Best)
            .as_deref(),
        Some("p001")
    );
    let name = |kind, cadre: &str, cited, override_reason: Option<&str>| {
        Command::Nominate(Nominate {
            month: april,
            kind,
            cadre_id: cadre.into(),
            reason: "依据记录与评分".into(),
            cited_ids: vec![cited],
            override_reason: override_reason.map(str::to_owned),
        })
    };
    assert_eq!(
        given.refused(
            "l01",
            "2026-05-02T09:00:00+08:00",
            name(Kind::Best, "p002", second, None)
        ),
        Refusal::OverrideNeedsReason {
            kind: Kind::Best,
            expected: "p001".into(),
            named: "p002".into()
        }
    );
    let events = given.ok(
        "l01",
        "2026-05-02T09:00:00+08:00",
        name(Kind::Best, "p002", second, Some("评分未反映其抗洪表现")),
    );
    assert_eq!(events[0].payload["override_reason"], "评分未反映其抗洪表现");
    // The scores give p002 as worst; p001, their best, would be an override too.
    assert_eq!(
        given
            .state
            .scored_choice("l01", april, Kind::Worst)
            .as_deref(),
        Some("p002")
    );
    assert!(matches!(
        given.refused(
            "l01",
            "2026-05-02T09:05:00+08:00",
            name(Kind::Worst, "p001", first, None)
        ),
        Refusal::OverrideNeedsReason { .. }
    ));
    let replay = kaohe_assess::sanctions::replay(&given.state, "2026-Q2".parse().unwrap());
    assert_eq!(replay.findings.len(), 1);
    let kaohe_assess::findings::Finding::ScoreOverride {
        leader_id,
        cadre_id,
        ..
    } = &replay.findings[0];
    assert_eq!((leader_id.as_str(), cadre_id.as_str()), ("l01", "p002"));
    assert_eq!(replay.findings[0].code(), "score_override");
}

#[test]
fn the_office_selects_a_submitted_sheet_for_display_once() {
    let mut given = Given::township();
    given.write("p001", date(2026, 3, 2), "走访");
    let period: Period = "2026-03-1".parse().unwrap();
    let display = || {
        Command::DisplaySheet(DisplaySheet {
            person_id: "p001".into(),
            period,
            note: "记录详实".into(),
        })
    };
    assert_eq!(
        given.refused("office", "2026-03-12T09:00:00+08:00", display()),
        Refusal::SheetNotSubmitted {
            person: "p001".into(),
            period
        }
    );
    let submitted = given.ok(
        "p001",
        "2026-03-10T18:00:00+08:00",
        Command::SubmitSheet(SubmitSheet { period }),
    )[0]
    .id;
    assert!(matches!(
        given.refused("l01", "2026-03-12T09:00:00+08:00", display()),
        Refusal::NotInRole { .. }
    ));
    let events = given.ok("office", "2026-03-12T09:00:00+08:00", display());
    assert_eq!(events[0].caused_by, vec![submitted]);
    assert_eq!(
        given.state.sheets[&("p001".to_owned(), period)].displayed,
        Some(events[0].id)
    );
    assert_eq!(
        given.refused("office", "2026-03-13T09:00:00+08:00", display()),
        Refusal::AlreadyDisplayed {
            person: "p001".into(),
            period
        }
    );
}

#[test]
fn the_remaining_refusals_say_which_rule() {
    let (mut given, first, second) = march();
    let month: Month = "2026-03".parse().unwrap();
    let unreasoned = Command::Nominate(Nominate {
        month,
        kind: Kind::Best,
        cadre_id: "p001".into(),
        reason: "  ".into(),
        cited_ids: vec![first],
        override_reason: None,
    });
    assert_eq!(
        given.refused("l01", "2026-04-02T10:00:00+08:00", unreasoned),
        Refusal::NominationReasonMissing
    );
    assert_eq!(
        given.refused(
            "p001",
            "yesterday",
            Command::WriteEntry(WriteEntry {
                date: date(2026, 3, 2),
                did: "x".into(),
                learned: String::new()
            })
        ),
        Refusal::BadTime("yesterday".into())
    );
    // Both pools hold p001 (best by l01, worst by l02): the decision cannot name them twice.
    given.staff("l02", date(2026, 1, 1), "2026-01-05T09:00:00+08:00");
    move_p001_to_l02(&mut given, date(2026, 3, 20));
    let name = |kind, cadre: &str, cited| {
        Command::Nominate(Nominate {
            month,
            kind,
            cadre_id: cadre.into(),
            reason: "依据记录".into(),
            cited_ids: vec![cited],
            override_reason: None,
        })
    };
    given.ok(
        "l01",
        "2026-04-02T10:00:00+08:00",
        name(Kind::Best, "p001", first),
    );
    given.ok(
        "l02",
        "2026-04-02T10:00:00+08:00",
        name(Kind::Worst, "p001", first),
    );
    given.ok(
        "l01",
        "2026-04-02T10:05:00+08:00",
        name(Kind::Worst, "p002", second),
    );
    let quarter = "2026-Q1".parse().unwrap();
    assert_eq!(
        given.refused(
            "s01",
            "2026-04-08T09:00:00+08:00",
            Command::ProposeDecision(ProposeDecision {
                quarter,
                best: vec!["p001".into()],
                worst: vec!["p001".into(), "p002".into()]
            }),
        ),
        Refusal::SelectedTwice("p001".into())
    );
}

#[test]
fn registering_twice_answering_no_appeal_and_days_before_any_policy_are_refused() {
    let mut given = Given::township();
    assert_eq!(
        given.refused(
            "office",
            "2026-03-01T09:00:00+08:00",
            Command::RegisterPerson(RegisterPerson {
                person_id: "p001".into(),
                name: "又一个张伟".into()
            })
        ),
        Refusal::AlreadyRegistered("p001".into())
    );
    given.staff("w01", date(2026, 1, 1), "2026-01-05T09:00:00+08:00");
    let unknown = Uuid::now_v7();
    assert_eq!(
        given.refused(
            "w01",
            "2026-04-09T09:00:00+08:00",
            Command::AnswerAppeal(AnswerAppeal {
                appeal_id: unknown,
                outcome: kaohe_assess::Outcome::Upheld,
                reasons: "维持".into()
            })
        ),
        Refusal::UnknownAppeal(unknown)
    );
    // The first policy takes effect on 2026-01-01: an entry for the day before has no rules.
    given.ok(
        "office",
        "2026-01-05T09:00:00+08:00",
        Command::AssignRole(AssignRole {
            person_id: "p002".into(),
            role: kaohe_assess::Role::Cadre.to_string(),
            from: date(2025, 12, 1),
            until: None,
        }),
    );
    assert_eq!(
        given.refused(
            "p002",
            "2026-01-05T18:00:00+08:00",
            Command::WriteEntry(WriteEntry {
                date: date(2025, 12, 31),
                did: "补记".into(),
                learned: String::new()
            })
        ),
        Refusal::NoPolicy(date(2025, 12, 31))
    );
}

#[test]
fn a_worst_workers_talk_plan_and_completion_follow_up_their_sanctions() {
    let mut given = Given::township();
    let events = rate_quarter(&mut given, "2026-Q1");
    let (admonishment, talk, rectification) = (events[5].id, events[4].id, events[6].id);
    assert_eq!(events[4].payload["sanction"], "talk");
    assert_eq!(events[6].payload["sanction"], "rectification");
    let record_talk = |sanction_id, held_on, summary: &str| {
        Command::RecordTalk(RecordTalk {
            sanction_id,
            held_on,
            summary: summary.into(),
        })
    };
    let on = "2026-04-03T10:00:00+08:00";
    assert!(matches!(
        given.refused("p001", on, record_talk(talk, date(2026, 4, 3), "已谈话")),
        Refusal::NotInRole { .. }
    ));
    assert_eq!(
        given.refused(
            "s01",
            on,
            record_talk(admonishment, date(2026, 4, 3), "已谈话")
        ),
        Refusal::WrongSanction {
            id: admonishment,
            sanction: kaohe_assess::SanctionKind::Admonishment,
            needed: kaohe_assess::SanctionKind::Talk
        }
    );
    assert_eq!(
        given.refused("s01", on, record_talk(talk, date(2026, 3, 30), "已谈话")),
        Refusal::DayOutOfRange {
            day: date(2026, 3, 30),
            earliest: date(2026, 4, 1),
            latest: date(2026, 4, 3)
        }
    );
    let unknown = Uuid::now_v7();
    assert_eq!(
        given.refused("s01", on, record_talk(unknown, date(2026, 4, 3), "已谈话")),
        Refusal::UnknownSanction(unknown)
    );
    assert_eq!(
        given.refused("s01", on, record_talk(talk, date(2026, 4, 3), " ")),
        Refusal::TextMissing(kaohe_assess::words::TextField::TalkSummary)
    );
    let held = given.ok(
        "s01",
        on,
        record_talk(talk, date(2026, 4, 2), "指出问题，本人表示接受"),
    );
    assert_eq!(held[0].event_type, "talk_held");
    assert_eq!(
        (held[0].actor.role.as_str(), held[0].caused_by.clone()),
        ("party_secretary", vec![talk])
    );
    assert_eq!(held[0].payload["person_id"], "p002");
    assert_eq!(
        given.state.sanctions[&talk].talk_held,
        Some((held[0].id, date(2026, 4, 2)))
    );
    assert_eq!(
        given.refused("m01", on, record_talk(talk, date(2026, 4, 3), "再次谈话")),
        Refusal::FollowUpRecorded {
            id: talk,
            what: kaohe_assess::words::FollowUp::Talk
        }
    );

    let complete = |summary: &str| {
        Command::CompleteRectification(CompleteRectification {
            sanction_id: rectification,
            summary: summary.into(),
        })
    };
    let plan = |text: &str| {
        Command::PlanRectification(PlanRectification {
            sanction_id: rectification,
            plan: text.into(),
        })
    };
    assert_eq!(
        given.refused("l01", on, complete("整改完成")),
        Refusal::NoPlan(rectification)
    );
    assert_eq!(
        given.refused("p001", on, plan("每周下村三次")),
        Refusal::NotYourSanction {
            id: rectification,
            person: "p002".into()
        }
    );
    let planned = given.ok("p002", "2026-04-05T10:00:00+08:00", plan("每周下村三次"))[0].clone();
    assert_eq!(planned.caused_by, vec![rectification]);
    assert_eq!(
        given.refused("p002", "2026-04-06T10:00:00+08:00", plan("另一方案")),
        Refusal::FollowUpRecorded {
            id: rectification,
            what: kaohe_assess::words::FollowUp::Plan
        }
    );
    assert!(matches!(
        given.refused("c01", "2026-04-28T10:00:00+08:00", complete("整改完成")),
        Refusal::NotInRole { .. }
    ));
    assert!(!given.state.sanctions[&rectification].rectification_late(date(2026, 5, 1)));
    assert!(given.state.sanctions[&rectification].rectification_late(date(2026, 5, 2)));
    // Completed two days after the deadline: recorded all the same, and shown as late.
    let completed = given.ok(
        "l01",
        "2026-05-03T10:00:00+08:00",
        complete("台账补齐，下村次数达标"),
    )[0]
    .clone();
    assert_eq!(completed.caused_by, vec![rectification, planned.id]);
    assert_eq!(completed.payload["plan_id"], planned.id.to_string());
    assert!(given.state.sanctions[&rectification].rectification_late(date(2026, 12, 31)));
    assert_eq!(
        given.refused("l01", "2026-05-04T10:00:00+08:00", complete("再次确认")),
        Refusal::FollowUpRecorded {
            id: rectification,
            what: kaohe_assess::words::FollowUp::Completion
        }
    );
    let rebuilt = State::from_events(given.events.iter().map(Fact::from)).unwrap();
    assert_eq!(rebuilt, given.state);
}

#[test]
fn a_revoked_sanction_needs_no_follow_up() {
    let mut given = Given::township();
    let (events, appeal_id) = appealed(&mut given);
    let talk = events[4].id;
    given.ok(
        "w01",
        "2026-04-05T09:00:00+08:00",
        Command::AnswerAppeal(AnswerAppeal {
            appeal_id,
            outcome: kaohe_assess::Outcome::Overturned,
            reasons: "经核实，撤销最差评定".into(),
        }),
    );
    assert_eq!(
        given.refused(
            "s01",
            "2026-04-06T09:00:00+08:00",
            Command::RecordTalk(RecordTalk {
                sanction_id: talk,
                held_on: date(2026, 4, 6),
                summary: "已谈话".into(),
            })
        ),
        Refusal::SanctionRevoked(talk)
    );
}

#[test]
fn the_office_issues_and_revokes_tokens() {
    let mut given = Given::township();
    let token_id = Uuid::now_v7();
    let issue = |person: &str| {
        Command::IssueToken(IssueToken {
            token_id,
            person_id: person.into(),
        })
    };
    let on = "2026-02-01T09:00:00+08:00";
    assert!(matches!(
        given.refused("p001", on, issue("p001")),
        Refusal::NotInRole { .. }
    ));
    assert_eq!(
        given.refused("office", on, issue("x99")),
        Refusal::UnknownPerson("x99".into())
    );
    let issued = given.ok("office", on, issue("p001"))[0].clone();
    assert_eq!(issued.event_type, "token_issued");
    assert_eq!(given.state.tokens[&token_id].person_id, "p001");
    assert_eq!(
        given.refused("office", on, issue("p002")),
        Refusal::TokenExists(token_id)
    );
    let revoke = |reason: &str| {
        Command::RevokeToken(RevokeToken {
            token_id,
            reason: reason.into(),
        })
    };
    let unknown = Uuid::now_v7();
    assert_eq!(
        given.refused(
            "office",
            on,
            Command::RevokeToken(RevokeToken {
                token_id: unknown,
                reason: "遗失".into()
            })
        ),
        Refusal::UnknownToken(unknown)
    );
    assert_eq!(
        given.refused("office", on, revoke("")),
        Refusal::TextMissing(kaohe_assess::words::TextField::RevocationReason)
    );
    let revoked = given.ok("office", on, revoke("本人报告遗失"))[0].clone();
    assert_eq!(revoked.caused_by, vec![issued.id]);
    assert_eq!(revoked.payload["person_id"], "p001");
    assert_eq!(given.state.tokens[&token_id].revoked_by, Some(revoked.id));
    assert_eq!(
        given.refused("office", on, revoke("再次")),
        Refusal::TokenRevoked(token_id)
    );
}

#[test]
fn deadlines_at_the_end_of_the_calendar_do_not_panic() {
    let given = Given::township();
    let last_month: Month = "9999-12".parse().unwrap();
    // The nomination deadline would fall after 9999-12-31: there is none to pass.
    assert_eq!(given.state.nomination_due(last_month), None);
    let last_period: Period = "9999-12-3".parse().unwrap();
    assert_eq!(
        given.state.sheet_due_on(last_period),
        date(9999, 12, 31),
        "a due day beyond the calendar is its last day"
    );
    assert_eq!(
        given
            .state
            .add_days(date(9999, 12, 30), 5, kaohe_assess::DayKind::Working),
        date(9999, 12, 31)
    );
}
