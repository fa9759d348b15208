//! Fuzz target `rules`: scripts of commands, as any signed-in person could send them, decided
//! by the rules against a township's state: a roster of cadres, their leader and area chief,
//! the secretary, the mayor and the office, with days passing between commands.
//!
//! Every field a caller controls is drawn from the input: who acts, the command, people (on
//! the roster or not), dates, months, quarters, periods, ids (of events in the ledger, or any),
//! kinds, scores and free text of any length and content. For every command:
//!
//! - the rules decide without panicking, and decide the same way twice;
//! - what they accept goes through the ledger's own checks of each draft (schema, canonical
//!   form, size), as the engine sends it to the store: if any draft fails, the whole act is
//!   refused as invalid input (the engine's `Invalid`, a 422) and nothing of it is applied, so
//!   a person id or a text outside the format is refused by the format rather than by a rule;
//! - the act's event comes first and is attributed to the person who acted; every cause any
//!   event names is an event already recorded, and every derived event names one;
//! - the state folds the drafts without error;
//! - a refusal is a refusal with a code and a message in Chinese.
//!
//! At the end, the state folded from all the accepted events alone equals the state kept while
//! deciding: the rules rebuild exactly what they decided.

#![no_main]

use std::collections::HashSet;

use jiff::civil::{Date, date};
use kaohe_assess::payload::Scores;
use kaohe_assess::period::{Month, Period};
use kaohe_assess::state::Kind;
use kaohe_assess::{Act, Command, Fact, State, decide};
use kaohe_assess::commands::{AdoptPolicy, AmendEntry, AnswerAppeal, AssignArea, AssignRole, AssignSupervision, CompleteRectification, CosignDecision, DisplaySheet, FileAppeal, GiveOpinion, GiveScores, IssueToken, Nominate, PlanRectification, ProposeDecision, PublishDecision, ReadSheet, RecordCalendar, RecordTalk, RegisterPerson, RevokeToken, SubmitSheet, WriteEntry};
use kaohe_fuzz::any_text;
use kaohe_ledger::event::EventDraft;
use kaohe_testkit::{Given, Roster};
use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use uuid::Uuid;

/// The most commands a script sends.
const COMMANDS_MAX: u32 = 48;

/// `KAOHE_FUZZ_STATS=1`: print the types of the events each input got recorded, to see what
/// a corpus reaches (`cargo fuzz run rules CORPUS -- -runs=0`).
static STATS: std::sync::LazyLock<bool> =
    std::sync::LazyLock::new(|| std::env::var_os("KAOHE_FUZZ_STATS").is_some());

fuzz_target!(|data: &[u8]| {
    let mut world = World::new();
    let _ = world.play(&mut Unstructured::new(data));
    world.rebuilds();
    if *STATS {
        let types: Vec<&str> = world.given.events[world.set_up..]
            .iter()
            .map(|event| event.event_type.as_str())
            .collect();
        eprintln!("recorded: {}", types.join(" "));
    }
});

struct World {
    /// The events recorded and the state they fold to, and the ids given out.
    given: Given,
    /// Who is on the roster.
    people: Vec<&'static str>,
    /// How many events the set-up recorded: event 0 and the roster.
    set_up: usize,
    today: Date,
}

impl World {
    /// The large roster (four cadres, their leader and area chief, the secretary, the mayor
    /// and the committee), enrolled on the ledger's first day.
    fn new() -> World {
        let roster = Roster::large();
        let mut given = Given::ledger();
        given.enrol(&roster, "2026-01-01T10:00:00+08:00");
        World {
            set_up: given.events.len(),
            given,
            people: roster.ids(),
            today: date(2026, 1, 1),
        }
    }

    fn accept(&mut self, draft: EventDraft) {
        if let Err(error) = draft.check() {
            panic!(
                "the rules emitted an event the ledger refuses: {error}: {}",
                draft.event_type
            );
        }
        if let Err(error) = self.given.state.apply(&Fact::from(&draft)) {
            panic!(
                "the state does not fold an event the rules emitted: {error}: {}",
                draft.event_type
            );
        }
        self.given.events.push(draft);
    }

    fn fresh_id(&mut self) -> Uuid {
        self.given.fresh_id()
    }

    /// Decide `command` by `person` today; true if accepted.
    fn act(&mut self, person: &str, command: &Command) -> bool {
        let act = Act {
            person_id: person.into(),
            time: format!("{}T10:00:00+08:00", self.today),
        };
        let id = self.fresh_id();
        let decided = decide(&self.given.state, command, &act, id);
        assert_eq!(
            decided,
            decide(&self.given.state, command, &act, id),
            "the rules decided the same command two ways"
        );
        match decided {
            Ok(drafts) if drafts.iter().any(|draft| draft.check().is_err()) => {
                // The store refuses the batch before it is queued; nothing is recorded.
                false
            }
            Ok(drafts) => {
                let first = drafts.first().expect("an accepted act records an event");
                assert_eq!(first.id, id, "the act's event is not first");
                assert_eq!(
                    first.actor.person_id, person,
                    "the act's event names someone other than who acted"
                );
                // Every cause is an event already in the ledger or one before it in this
                // act: the rules never point at an event that does not exist.
                let mut known: HashSet<Uuid> =
                    self.given.events.iter().map(|event| event.id).collect();
                for draft in &drafts {
                    for cause in &draft.caused_by {
                        assert!(
                            known.contains(cause),
                            "a {} names a cause that is not in the ledger: {cause}",
                            draft.event_type
                        );
                    }
                    known.insert(draft.id);
                }
                for derived in &drafts[1..] {
                    assert!(
                        !derived.caused_by.is_empty(),
                        "a derived {} names no cause",
                        derived.event_type
                    );
                }
                for draft in drafts {
                    self.accept(draft);
                }
                true
            }
            Err(refusal) => {
                assert!(!refusal.code().is_empty());
                assert!(!refusal.in_chinese().is_empty());
                false
            }
        }
    }

    fn play(&mut self, u: &mut Unstructured<'_>) -> Result<()> {
        for _ in 0..u.int_in_range(1..=COMMANDS_MAX)? {
            // Time passes: mostly a day or none, sometimes weeks.
            let days = match u.int_in_range(0..=9u8)? {
                0..=3 => 0,
                4..=7 => 1,
                _ => i64::from(u.int_in_range(2..=40u8)?),
            };
            self.today = self
                .today
                .checked_add(jiff::Span::new().days(days))
                .unwrap_or(self.today);
            let command = self.command(u)?;
            // Mostly someone whose role the command is for, so that scripts get past the
            // roster checks and reach decisions, appeals and sanctions; sometimes anyone.
            let person = if u.ratio(3, 4)? {
                self.natural_actor(u, &command)?
            } else {
                self.person(u)?
            };
            self.act(&person, &command);
        }
        Ok(())
    }

    fn rebuilds(&self) {
        let rebuilt = State::from_events(self.given.events.iter().map(Fact::from))
            .expect("the accepted events fold");
        assert!(
            rebuilt == self.given.state,
            "the state rebuilt from the events differs from the state kept while deciding"
        );
    }

    /// Who would send `command` in the township.
    fn natural_actor(&self, u: &mut Unstructured<'_>, command: &Command) -> Result<String> {
        let mut cadre = || -> Result<String> { Ok(format!("p00{}", 1 + u.int_in_range(0..=3u8)?)) };
        Ok(match command {
            Command::RegisterPerson(RegisterPerson { .. })
            | Command::AssignRole(AssignRole { .. })
            | Command::AssignSupervision(AssignSupervision { .. })
            | Command::AssignArea(AssignArea { .. })
            | Command::IssueToken(IssueToken { .. })
            | Command::RevokeToken(RevokeToken { .. })
            | Command::AdoptPolicy(AdoptPolicy { .. })
            | Command::RecordCalendar(RecordCalendar { .. })
            | Command::RegisterUnit(_)
            | Command::AssignUnitLeader(_)
            | Command::AssignIndicator(_)
            | Command::RecordCityScores(_)
            | Command::PublishVillageRanking(_)
            | Command::RecordSpotCheck(_)
            | Command::RegisterKeyTask(_)
            | Command::FollowUpKeyTask(_)
            | Command::OpenListItem(_)
            | Command::VerifyListItem(_)
            | Command::ReopenListItem(_) => "office".into(),
            Command::ReportVillageWork(_)
            | Command::JustifyAbsence(_)
            | Command::AnalyseListItem(_)
            | Command::CloseListItem(_) => cadre()?,
            Command::ScoreVillages(_) | Command::ReviewAbsence(_) | Command::ReportKeyTaskProgress(_) => {
                "l01".into()
            }
            Command::FulfilConsequence(_) | Command::ReviewKeyTasks(_) => "m01".into(),
            Command::WriteEntry(WriteEntry { .. })
            | Command::AmendEntry(AmendEntry { .. })
            | Command::SubmitSheet(SubmitSheet { .. })
            | Command::FileAppeal(FileAppeal { .. })
            | Command::PlanRectification(PlanRectification { .. }) => cadre()?,
            Command::GiveOpinion(GiveOpinion { .. }) | Command::DisplaySheet(DisplaySheet { .. }) => "c01".into(),
            Command::Nominate(Nominate { .. })
            | Command::GiveScores(GiveScores { .. })
            | Command::ReadSheet(ReadSheet { .. })
            | Command::CompleteRectification(CompleteRectification { .. }) => "l01".into(),
            Command::ProposeDecision(ProposeDecision { .. }) | Command::PublishDecision(PublishDecision { .. }) => "s01".into(),
            Command::CosignDecision(CosignDecision { .. }) => "m01".into(),
            Command::AnswerAppeal(AnswerAppeal { .. }) | Command::RecordTalk(RecordTalk { .. }) => {
                (*u.choose(&["s01", "m01", "w01"])?).into()
            }
        })
    }

    fn person(&self, u: &mut Unstructured<'_>) -> Result<String> {
        Ok(match u.int_in_range(0..=11u8)? {
            0..=8 => {
                let last = u8::try_from(self.people.len() - 1).expect("a small roster");
                self.people[usize::from(u.int_in_range(0..=last)?)].to_string()
            }
            9 => "office".to_string(),
            _ => u.arbitrary::<String>()?,
        })
    }

    fn day(&self, u: &mut Unstructured<'_>) -> Result<Date> {
        // Mostly the last few weeks; sometimes far back or ahead.
        let offset = if u.ratio(3, 4)? {
            -i64::from(u.int_in_range(0..=40u8)?)
        } else {
            i64::from(u.int_in_range(-400..=60i16)?)
        };
        Ok(self
            .today
            .checked_add(jiff::Span::new().days(offset))
            .unwrap_or(self.today))
    }

    fn month(&self, u: &mut Unstructured<'_>) -> Result<Month> {
        Ok(Month::of(self.day(u)?))
    }

    /// An id: mostly of an event in the ledger (an entry, an appeal, a sanction, a proposal),
    /// sometimes any.
    fn id(&self, u: &mut Unstructured<'_>) -> Result<Uuid> {
        if u.ratio(1, 8)? || self.given.events.is_empty() {
            return Ok(Uuid::from_u128(u.arbitrary()?));
        }
        let index = u.choose_index(self.given.events.len())?;
        Ok(self.given.events[index].id)
    }

    /// An id, mostly of an event of type `event_type` (the kind of id the command names).
    fn id_of(&self, u: &mut Unstructured<'_>, event_type: &str) -> Result<Uuid> {
        let candidates: Vec<Uuid> = self
            .given
            .events
            .iter()
            .filter(|event| event.event_type == event_type)
            .map(|event| event.id)
            .collect();
        if candidates.is_empty() || u.ratio(1, 8)? {
            return self.id(u);
        }
        Ok(candidates[u.choose_index(candidates.len())?])
    }

    /// A nomination: mostly of a supervisee, citing entries they wrote in the month named.
    fn nomination(&mut self, u: &mut Unstructured<'_>) -> Result<Command> {
        let cadre = if u.ratio(3, 4)? {
            format!("p00{}", 1 + u.int_in_range(0..=3u8)?)
        } else {
            self.person(u)?
        };
        let entries: Vec<(Uuid, String)> = self
            .given
            .events
            .iter()
            .filter(|event| {
                event.event_type == "entry_written" && event.payload["person_id"] == cadre.as_str()
            })
            .map(|event| {
                let day = event.payload["date"]
                    .as_str()
                    .unwrap_or_default()
                    .to_string();
                (event.id, day)
            })
            .collect();
        let (month, cited_ids) = if entries.is_empty() || u.ratio(1, 8)? {
            let month = self.month(u)?;
            let cited = (0..u.int_in_range(0..=3u8)?)
                .map(|_| self.id(u))
                .collect::<Result<_>>()?;
            (month, cited)
        } else {
            let (first, day) = &entries[u.choose_index(entries.len())?];
            let month: Month = day[..7].parse().expect("an entry's month");
            let mut cited = vec![*first];
            for (id, other) in &entries {
                if other[..7] == day[..7] && id != first && u.arbitrary()? {
                    cited.push(*id);
                }
            }
            (month, cited)
        };
        Ok(Command::Nominate(Nominate {
            month,
            kind: self.kind(u)?,
            cadre_id: cadre,
            reason: any_text(u)?,
            cited_ids,
            override_reason: if u.arbitrary()? {
                Some(any_text(u)?)
            } else {
                None
            },
        }))
    }

    fn kind(&self, u: &mut Unstructured<'_>) -> Result<Kind> {
        Ok(if u.arbitrary()? {
            Kind::Best
        } else {
            Kind::Worst
        })
    }

    fn people(&self, u: &mut Unstructured<'_>) -> Result<Vec<String>> {
        let count = u.int_in_range(0..=6u8)?;
        (0..count).map(|_| self.person(u)).collect()
    }

    fn command(&mut self, u: &mut Unstructured<'_>) -> Result<Command> {
        Ok(match u.int_in_range(0..=24u8)? {
            0 => Command::RegisterPerson(RegisterPerson {
                person_id: self.person(u)?,
                name: any_text(u)?,
            }),
            1 => Command::AssignRole(AssignRole {
                person_id: self.person(u)?,
                // Every role, `system` too, which the rules refuse to give.
                role: u.choose(kaohe_assess::Role::ALL)?.to_string(),
                from: self.day(u)?,
                until: if u.arbitrary()? {
                    Some(self.day(u)?)
                } else {
                    None
                },
            }),
            2 => Command::AssignSupervision(AssignSupervision {
                person_id: self.person(u)?,
                leader_id: self.person(u)?,
                from: self.day(u)?,
            }),
            3 => Command::AssignArea(AssignArea {
                person_id: self.person(u)?,
                area: any_text(u)?,
                chief_id: self.person(u)?,
                from: self.day(u)?,
            }),
            4..=6 => Command::WriteEntry(WriteEntry {
                date: self.day(u)?,
                did: any_text(u)?,
                learned: any_text(u)?,
            }),
            7 => Command::AmendEntry(AmendEntry {
                entry_id: self.id_of(u, "entry_written")?,
                did: any_text(u)?,
                learned: any_text(u)?,
                reason: any_text(u)?,
            }),
            8 => Command::SubmitSheet(SubmitSheet {
                period: Period::of(self.day(u)?),
            }),
            9 => Command::GiveOpinion(GiveOpinion {
                cadre_id: self.person(u)?,
                month: self.month(u)?,
                opinion: any_text(u)?,
            }),
            10 | 11 => self.nomination(u)?,
            12 => Command::GiveScores(GiveScores {
                month: self.month(u)?,
                cadre_id: self.person(u)?,
                scores: Scores {
                    ideology: u.int_in_range(0..=120)?,
                    ability: u.int_in_range(0..=120)?,
                    discipline: u.int_in_range(0..=120)?,
                    liaison: u.int_in_range(0..=120)?,
                    line_work: u.arbitrary()?,
                },
            }),
            13 => Command::ProposeDecision(ProposeDecision {
                quarter: self.month(u)?.quarter(),
                best: self.people(u)?,
                worst: self.people(u)?,
            }),
            14 => Command::CosignDecision(CosignDecision {
                quarter: self.month(u)?.quarter(),
                proposal_id: self.id_of(u, "decision_proposed")?,
            }),
            15 => Command::PublishDecision(PublishDecision {
                quarter: self.month(u)?.quarter(),
                notice: any_text(u)?,
            }),
            16 => Command::FileAppeal(FileAppeal {
                quarter: self.month(u)?.quarter(),
                person_id: self.person(u)?,
                kind: self.kind(u)?,
                grounds: any_text(u)?,
            }),
            17 => Command::AnswerAppeal(AnswerAppeal {
                appeal_id: self.id_of(u, "appeal_filed")?,
                outcome: *u.choose(kaohe_assess::Outcome::ALL)?,
                reasons: any_text(u)?,
            }),
            18 => Command::DisplaySheet(DisplaySheet {
                person_id: self.person(u)?,
                period: Period::of(self.day(u)?),
                note: any_text(u)?,
            }),
            19 => Command::ReadSheet(ReadSheet {
                person_id: self.person(u)?,
                period: Period::of(self.day(u)?),
                comment: any_text(u)?,
            }),
            20 => Command::RecordTalk(RecordTalk {
                sanction_id: self.id_of(u, "sanction_imposed")?,
                held_on: self.day(u)?,
                summary: any_text(u)?,
            }),
            21 => Command::PlanRectification(PlanRectification {
                sanction_id: self.id_of(u, "sanction_imposed")?,
                plan: any_text(u)?,
            }),
            22 => Command::CompleteRectification(CompleteRectification {
                sanction_id: self.id_of(u, "sanction_imposed")?,
                summary: any_text(u)?,
            }),
            23 => Command::RecordCalendar(RecordCalendar {
                year: self.day(u)?.year(),
                holidays: (0..u.int_in_range(0..=3u8)?)
                    .map(|_| {
                        Ok(kaohe_assess::payload::Holiday {
                            name: any_text(u)?,
                            first: self.day(u)?,
                            last: self.day(u)?,
                        })
                    })
                    .collect::<Result<_>>()?,
                working_days: (0..u.int_in_range(0..=2u8)?)
                    .map(|_| self.day(u))
                    .collect::<Result<_>>()?,
                source: any_text(u)?,
            }),
            _ => {
                if u.arbitrary()? {
                    let token_id = self.fresh_id();
                    Command::IssueToken(IssueToken {
                        token_id,
                        person_id: self.person(u)?,
                    })
                } else {
                    Command::RevokeToken(RevokeToken {
                        token_id: self.id_of(u, "token_issued")?,
                        reason: any_text(u)?,
                    })
                }
            }
        })
    }
}
