//! The rules, one function per command, grouped by the part of the scheme they belong to. Each
//! takes the acting context (the state, who acts, the day of the act, the id of its first
//! event) and the command, and returns the events to append or the rule that refuses it.
//! The helpers every rule shares are here: the role needed on a day, a text that must not be
//! empty, and the drafts of the act's own event and of the events derived from it.

pub(crate) mod appeals;
pub(crate) mod calendar;
pub(crate) mod decisions;
pub(crate) mod follow_ups;
pub(crate) mod key_tasks;
pub(crate) mod policy;
pub(crate) mod rankings;
pub(crate) mod ratings;
pub(crate) mod records;
pub(crate) mod roster;
pub(crate) mod spot_checks;
pub(crate) mod three_lists;
pub(crate) mod tokens;
pub(crate) mod units;

use jiff::civil::Date;
use kaohe_ledger::event::{Actor, EventDraft};
use serde::Serialize;
use uuid::Uuid;

use crate::decide::{Act, SYSTEM_PERSON, derived_id};
use crate::refusal::Refusal;
use crate::state::State;
use crate::words::{EventType, Role, TextField};

/// What every rule reads: the state, who acts, and when.
pub(crate) struct Context<'a> {
    /// The state the command is decided against.
    pub state: &'a State,
    /// Who acts, and the time of the act.
    pub act: &'a Act,
    /// The day of the act in the organisation's zone.
    pub today: Date,
    /// The id of the act's own event; derived events take ids computed from it.
    pub id: Uuid,
}

impl Context<'_> {
    /// The person acting.
    pub fn actor(&self) -> &str {
        &self.act.person_id
    }

    /// `person` is on the roster and holds `role` on `date`.
    pub fn need_role(&self, person: &str, role: Role, date: Date) -> Result<(), Refusal> {
        self.need_person(person)?;
        if self.state.holds(person, role, date) {
            Ok(())
        } else {
            Err(Refusal::NotInRole {
                person: person.into(),
                roles: vec![role],
                date,
            })
        }
    }

    /// `person` is on the roster.
    pub fn need_person(&self, person: &str) -> Result<(), Refusal> {
        if self.state.people.contains_key(person) {
            Ok(())
        } else {
            Err(Refusal::UnknownPerson(person.into()))
        }
    }

    /// The role in which `person` acts as one of the two principal leaders (主要领导) today.
    pub fn principal_role(&self, person: &str) -> Result<Role, Refusal> {
        self.need_person(person)?;
        Role::PRINCIPALS
            .into_iter()
            .find(|role| self.state.holds(person, *role, self.today))
            .ok_or_else(|| Refusal::NotInRole {
                person: person.into(),
                roles: Role::PRINCIPALS.to_vec(),
                date: self.today,
            })
    }

    /// The act's own event, by the actor in `role`, caused by `caused_by`.
    pub fn draft<T: Serialize>(
        &self,
        role: Role,
        event_type: EventType,
        payload: &T,
        caused_by: Vec<Uuid>,
    ) -> EventDraft {
        draft(self.id, self.act, role, event_type, payload, caused_by)
    }

    /// The `index`-th event of the act, derived by the rules themselves (a sanction or a
    /// revocation): the system acts, at the act's time, with an id computed from the act's.
    pub fn derived<T: Serialize>(
        &self,
        index: usize,
        event_type: EventType,
        payload: &T,
        caused_by: Vec<Uuid>,
    ) -> EventDraft {
        let system = Act {
            person_id: SYSTEM_PERSON.into(),
            time: self.act.time.clone(),
        };
        let id = derived_id(self.id, index);
        draft(id, &system, Role::System, event_type, payload, caused_by)
    }
}

fn draft<T: Serialize>(
    id: Uuid,
    act: &Act,
    role: Role,
    event_type: EventType,
    payload: &T,
    caused_by: Vec<Uuid>,
) -> EventDraft {
    EventDraft {
        id,
        event_type: event_type.as_str().into(),
        payload_version: 1,
        business_time: act.time.clone(),
        actor: Actor {
            person_id: act.person_id.clone(),
            role: role.as_str().into(),
        },
        payload: serde_json::to_value(payload).expect("payloads serialise"),
        caused_by,
    }
}

/// `text` is not empty (blanks do not count).
pub(crate) fn need_text(text: &str, field: TextField) -> Result<(), Refusal> {
    if text.trim().is_empty() {
        Err(Refusal::TextMissing(field))
    } else {
        Ok(())
    }
}
