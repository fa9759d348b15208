//! The given / when / then fixture of the rules tests: given these events, when this command
//! by this person at this time, then these events, or this refusal and nothing.

#![allow(dead_code)]

use jiff::civil::{Date, date};
use kaohe_assess::commands::{
    AssignArea, AssignRole, AssignSupervision, CosignDecision, Nominate, ProposeDecision,
    PublishDecision, RegisterPerson, WriteEntry,
};
use kaohe_assess::period::Quarter;
use kaohe_assess::state::Kind;
use kaohe_assess::{Act, Command, Fact, Refusal, State, decide};
use kaohe_ledger::event::{EventDraft, ParsedEvent, parse_event};
use kaohe_ledger::genesis::{LedgerCreated, default_policy};
use kaohe_ledger::hash::Hash;
use kaohe_ledger::note::SignerKey;
use uuid::Uuid;

/// The events so far and the state they make.
pub struct Given {
    pub state: State,
    pub events: Vec<EventDraft>,
}

impl Given {
    /// Event 0, whose author `office` holds the office role from the ledger's first day.
    pub fn ledger() -> Given {
        let key = SignerKey::from_seed("kaohe.test/rules", [1; 32]).unwrap();
        let genesis = LedgerCreated {
            id: Uuid::now_v7(),
            organisation: "示范镇",
            key: &key.verifier(),
            time_zone: "Asia/Shanghai",
            policy: default_policy("2026-01-01"),
            business_time: "2026-01-01T08:00:00+08:00",
            person_id: "office",
        }
        .draft();
        let mut given = Given {
            state: State::default(),
            events: Vec::new(),
        };
        given.apply(genesis);
        given
    }

    /// The reference cast: cadres 张伟 (p001) and 李娜 (p002), leader 王强 (l01) over both,
    /// area chief 赵敏 (c01), all from 2026-01-01.
    pub fn township() -> Given {
        let mut given = Given::ledger();
        for (id, name) in [
            ("p001", "张伟"),
            ("p002", "李娜"),
            ("l01", "王强"),
            ("c01", "赵敏"),
            ("s01", "刘书记"),
            ("m01", "陈镇长"),
        ] {
            given.ok(
                "office",
                "2026-01-02T09:00:00+08:00",
                Command::RegisterPerson(RegisterPerson {
                    person_id: id.into(),
                    name: name.into(),
                }),
            );
        }
        for (id, role) in [
            ("p001", "cadre"),
            ("p002", "cadre"),
            ("l01", "supervising_leader"),
            ("c01", "area_chief"),
            ("s01", "party_secretary"),
            ("m01", "mayor"),
        ] {
            given.ok(
                "office",
                "2026-01-02T09:05:00+08:00",
                Command::AssignRole(AssignRole {
                    person_id: id.into(),
                    role: role.parse().unwrap(),
                    from: date(2026, 1, 1),
                    until: None,
                }),
            );
        }
        for cadre in ["p001", "p002"] {
            given.ok(
                "office",
                "2026-01-02T09:10:00+08:00",
                Command::AssignSupervision(AssignSupervision {
                    person_id: cadre.into(),
                    leader_id: "l01".into(),
                    from: date(2026, 1, 1),
                }),
            );
            given.ok(
                "office",
                "2026-01-02T09:10:00+08:00",
                Command::AssignArea(AssignArea {
                    person_id: cadre.into(),
                    area: "东片".into(),
                    chief_id: "c01".into(),
                    from: date(2026, 1, 1),
                }),
            );
        }
        given
    }

    /// Append an event as the store would: it must pass the ledger's own checks.
    pub fn apply(&mut self, draft: EventDraft) {
        draft
            .check()
            .unwrap_or_else(|error| panic!("{} is not a valid event: {error}", draft.event_type));
        self.state.apply(&Fact::from(&draft)).unwrap();
        self.events.push(draft);
    }

    /// The office registers a person and gives them a role, open-ended from `from`.
    pub fn staff(&mut self, person: &str, name: &str, role: &str, from: Date, time: &str) {
        self.ok(
            "office",
            time,
            Command::RegisterPerson(RegisterPerson {
                person_id: person.into(),
                name: name.into(),
            }),
        );
        self.ok(
            "office",
            time,
            Command::AssignRole(AssignRole {
                person_id: person.into(),
                role: role.parse().unwrap(),
                from,
                until: None,
            }),
        );
    }

    pub fn when(
        &self,
        person: &str,
        time: &str,
        command: Command,
    ) -> Result<Vec<EventDraft>, Refusal> {
        decide(
            &self.state,
            &command,
            &Act {
                person_id: person.into(),
                time: time.into(),
            },
            Uuid::now_v7(),
        )
    }

    /// The command must be accepted; its events are appended.
    pub fn ok(&mut self, person: &str, time: &str, command: Command) -> Vec<EventDraft> {
        let events = self
            .when(person, time, command.clone())
            .unwrap_or_else(|refusal| panic!("{command:?} by {person} refused: {refusal}"));
        for event in &events {
            self.apply(event.clone());
        }
        events
    }

    /// The command must be refused, and nothing changes.
    pub fn refused(&self, person: &str, time: &str, command: Command) -> Refusal {
        let before = self.state.clone();
        let refusal = self
            .when(person, time, command)
            .expect_err("the command was accepted");
        assert_eq!(self.state, before);
        // Every refusal can be shown in Chinese words beside the form it refused.
        let words = refusal.in_chinese();
        assert!(
            words
                .chars()
                .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
            "{refusal:?} has no Chinese words: {words}"
        );
        refusal
    }

    /// The events sealed as the store seals them, each recorded at its business time (or at
    /// the one before it, if that is later: recording times never go back).
    pub fn stored(&self) -> Vec<ParsedEvent> {
        let mut previous = Hash::ZERO;
        let mut latest: Option<jiff::Timestamp> = None;
        let mut stored = Vec::with_capacity(self.events.len());
        for (position, draft) in self.events.iter().enumerate() {
            let business: jiff::Timestamp = draft.business_time.parse().unwrap();
            let recorded = latest.map_or(business, |latest| latest.max(business));
            latest = Some(recorded);
            let text = recorded
                .to_zoned(jiff::tz::TimeZone::get("Asia/Shanghai").unwrap())
                .strftime("%Y-%m-%dT%H:%M:%S%.3f%:z")
                .to_string();
            let sealed = draft.seal(position as u64, &previous, &text).unwrap();
            previous = sealed.leaf;
            stored.push(parse_event(&sealed.bytes).unwrap());
        }
        stored
    }

    pub fn write(&mut self, person: &str, day: Date, did: &str) -> Uuid {
        let time = format!("{day}T18:00:00+08:00");
        self.ok(
            person,
            &time,
            Command::WriteEntry(WriteEntry {
                date: day,
                did: did.into(),
                learned: "有收获".into(),
            }),
        )[0]
        .id
    }
}

/// Rate one quarter: entries in its last month, p001 best and p002 worst, proposed by the
/// secretary and co-signed by the mayor after the quarter. Returns the co-signature's events.
/// The last month of `quarter` rated by l01 (p001 best, p002 worst) and its decision proposed
/// by s01 and co-signed by m01 on the next day; returns the co-signature and its sanctions.
pub fn rate_quarter(given: &mut Given, quarter: &str) -> Vec<EventDraft> {
    let quarter: Quarter = quarter.parse().unwrap();
    let month = quarter.months()[2];
    let day = month.last_day();
    let first = given.write("p001", day, "走访");
    let second = given.write("p002", day, "值班");
    let after = day.tomorrow().unwrap();
    for (kind, cadre, cited) in [(Kind::Best, "p001", first), (Kind::Worst, "p002", second)] {
        given.ok(
            "l01",
            &format!("{after}T10:00:00+08:00"),
            Command::Nominate(Nominate {
                month,
                kind,
                cadre_id: cadre.into(),
                reason: "依据记录".into(),
                cited_ids: vec![cited],
                override_reason: None,
            }),
        );
    }
    let proposal = given.ok(
        "s01",
        &format!("{after}T15:00:00+08:00"),
        Command::ProposeDecision(ProposeDecision {
            quarter,
            best: vec!["p001".into()],
            worst: vec!["p002".into()],
        }),
    )[0]
    .id;
    given.ok(
        "m01",
        &format!("{after}T16:00:00+08:00"),
        Command::CosignDecision(CosignDecision {
            quarter,
            proposal_id: proposal,
        }),
    )
}

/// The office publishes the decision of `quarter` on the day `on`.
pub fn publish(given: &mut Given, quarter: &str, on: &str) {
    given.ok(
        "office",
        &format!("{on}T09:00:00+08:00"),
        Command::PublishDecision(PublishDecision {
            quarter: quarter.parse().unwrap(),
            notice: "现予公示".into(),
        }),
    );
}
