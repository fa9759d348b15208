//! The rules alone, an act at a time: given these events, when this command by this person at
//! this time, then these events (decided and folded into the state), or this refusal and
//! nothing. The scenes several suites need are here too: a quarter rated, its decision
//! published, an appeal filed.

use jiff::civil::Date;
use kaohe_assess::commands::{
    CosignDecision, FileAppeal, Nominate, ProposeDecision, PublishDecision, WriteEntry,
};
use kaohe_assess::period::Quarter;
use kaohe_assess::state::Kind;
use kaohe_assess::{Act, Command, Fact, Refusal, State, decide};
use kaohe_ledger::event::{EventDraft, ParsedEvent, parse_event};
use uuid::Uuid;

use crate::ledger::{fixed_id, genesis, seal_all};
use crate::roster::{ENROLLED_AT, Roster, enrol, first_day, person};

/// The events decided so far and the state they make.
pub struct Given {
    /// The state, every event folded in.
    pub state: State,
    /// The events, in order (from event 0, unless the ledger began elsewhere: [`Given::after`]).
    pub events: Vec<EventDraft>,
    /// The `n` of the next fixed id an act's event gets.
    next_id: u64,
}

impl Given {
    /// Event 0 of the township ledger, whose author `office` holds the office role from the
    /// ledger's first day.
    pub fn ledger() -> Given {
        let mut given = Given::after(State::default());
        given.apply(genesis());
        given
    }

    /// The acts to come on a ledger whose events so far, kept elsewhere, fold to `state`:
    /// `events` holds only what is decided from here on.
    pub fn after(state: State) -> Given {
        Given {
            state,
            events: Vec::new(),
            next_id: 1,
        }
    }

    /// The ledger with `roster` enrolled by the office at [`ENROLLED_AT`].
    pub fn of(roster: &Roster) -> Given {
        let mut given = Given::ledger();
        given.enrol(roster, ENROLLED_AT);
        given
    }

    /// The ledger with [`Roster::small`] enrolled: cadres 张伟 (p001) and 李娜 (p002), their
    /// leader 王强 (l01) and area chief 赵敏 (c01), the secretary and the mayor.
    pub fn township() -> Given {
        Given::of(&Roster::small())
    }

    /// The office enrols `roster` at `time`.
    pub fn enrol(&mut self, roster: &Roster, time: &str) {
        for command in roster.commands() {
            self.ok("office", time, command);
        }
    }

    /// Append an event as the store would: it must pass the ledger's own checks.
    pub fn apply(&mut self, draft: EventDraft) {
        draft
            .check()
            .unwrap_or_else(|error| panic!("{} is not a valid event: {error}", draft.event_type));
        self.state.apply(&Fact::from(&draft)).unwrap();
        self.events.push(draft);
    }

    /// At `time`, the office enrols `id`, one of the township's people, in their role,
    /// open-ended from `from`.
    pub fn staff(&mut self, id: &str, from: Date, time: &str) {
        let person = person(id);
        for command in enrol(person.id, person.name, person.role, from) {
            self.ok("office", time, command);
        }
    }

    /// The id the next accepted act's event gets. Ids are fixed, so that a run decides the
    /// same events every time, and a failure can be replayed.
    pub fn next_id(&self) -> Uuid {
        fixed_id(self.next_id)
    }

    /// An id no act of this ledger gets, for what the test names itself (a token, say).
    pub fn fresh_id(&mut self) -> Uuid {
        let id = self.next_id();
        self.next_id += 1;
        id
    }

    /// What the rules decide for `command` by `person` at `time`; nothing changes.
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
            self.next_id(),
        )
    }

    /// `command` by `person` at `time`, decided and, if the rules accept it, its events
    /// appended; otherwise the refusal, and nothing changes.
    pub fn act(
        &mut self,
        person: &str,
        time: &str,
        command: Command,
    ) -> Result<Vec<EventDraft>, Refusal> {
        let events = self.when(person, time, command)?;
        self.next_id += 1;
        for event in &events {
            self.apply(event.clone());
        }
        Ok(events)
    }

    /// The command must be accepted; its events are appended.
    pub fn ok(&mut self, person: &str, time: &str, command: Command) -> Vec<EventDraft> {
        self.act(person, time, command.clone())
            .unwrap_or_else(|refusal| panic!("{command:?} by {person} refused: {refusal}"))
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
        let zone = jiff::tz::TimeZone::get("Asia/Shanghai").unwrap();
        let mut latest: Option<jiff::Timestamp> = None;
        let recorded: Vec<String> = self
            .events
            .iter()
            .map(|draft| {
                let business: jiff::Timestamp = draft.business_time.parse().unwrap();
                let at = latest.map_or(business, |latest| latest.max(business));
                latest = Some(at);
                at.to_zoned(zone.clone())
                    .strftime("%Y-%m-%dT%H:%M:%S%.3f%:z")
                    .to_string()
            })
            .collect();
        seal_all(&self.events, |position| recorded[position].clone())
            .iter()
            .map(|sealed| parse_event(&sealed.bytes).unwrap())
            .collect()
    }

    /// The state folded from [`Given::stored`] alone.
    pub fn rebuilt(&self) -> State {
        State::from_events(self.stored().iter().map(Fact::from)).unwrap()
    }

    /// `person` writes the entry of `day` at 18:00 that day; returns its id.
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

/// The last month of `quarter` rated by l01 (p001 best, p002 worst, each citing an entry of
/// the month's last day) on the next day, and its decision proposed by s01 and co-signed by
/// m01 that day; returns the co-signature and its sanctions.
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

/// The first quarter under appeal: w01 of the party committee, who answers appeals, on staff
/// from 5 January; 2026-Q1 rated ([`rate_quarter`]) and published on 2 April; p002's appeal
/// against the worst filed on 3 April. Returns the co-signature's events and the appeal's id.
pub fn appealed(given: &mut Given) -> (Vec<EventDraft>, Uuid) {
    given.staff("w01", first_day(), "2026-01-05T09:00:00+08:00");
    let cosigned = rate_quarter(given, "2026-Q1");
    publish(given, "2026-Q1", "2026-04-02");
    let appeal = given.ok(
        "p002",
        "2026-04-03T09:00:00+08:00",
        Command::FileAppeal(FileAppeal {
            quarter: "2026-Q1".parse().unwrap(),
            person_id: "p002".into(),
            kind: Kind::Worst,
            grounds: "有正当理由".into(),
        }),
    )[0]
    .id;
    (cosigned, appeal)
}

#[cfg(test)]
mod tests {
    use jiff::civil::date;

    use super::*;

    #[test]
    fn the_township_decides_the_same_events_every_run() {
        let first = Given::township();
        let again = Given::township();
        assert_eq!(first.events, again.events);
        assert_eq!(first.rebuilt(), first.state);
    }

    #[test]
    fn a_refusal_takes_no_id_and_changes_nothing() {
        let mut given = Given::township();
        let next = given.next_id();
        let entry = |day| {
            Command::WriteEntry(WriteEntry {
                date: date(2026, 3, day),
                did: "走访".into(),
                learned: String::new(),
            })
        };
        given.refused("l01", "2026-03-02T18:00:00+08:00", entry(2));
        assert_eq!(given.next_id(), next);
        let events = given.ok("p001", "2026-03-02T18:00:00+08:00", entry(2));
        assert_eq!(events[0].id, next);
        assert_ne!(given.next_id(), next);
    }
}
