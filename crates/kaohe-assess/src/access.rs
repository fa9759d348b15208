//! The read matrix: who may read an event, by its type, the person it is about, who wrote it
//! and the state of the ledger on the day of the read. Every read of single events outside
//! the ledger endpoints (explanations, the API's and the pages') asks this one function;
//! docs/ARCHITECTURE.md restates it as a table.

use jiff::civil::Date;
use uuid::Uuid;

use crate::{Role, State};

/// The event types about one person that the person's supervising leader (at the time of the
/// event) may read: their records, sheets, opinions, nominations and scores.
const SUPERVISED: &[&str] = &[
    "entry_written",
    "entry_amended",
    "sheet_submitted",
    "sheet_read",
    "sheet_displayed",
    "opinion_given",
    "nomination_made",
    "scores_given",
];

/// The event types anyone signed in may read: event 0, the policies, the roster (the same
/// facts `/v1/people` shows) and the public notice of a quarter's decision.
const PUBLIC: &[&str] = &[
    "ledger_created",
    "policy_adopted",
    "person_registered",
    "role_assigned",
    "area_assigned",
    "supervision_assigned",
    "decision_published",
];

/// The event types only the overseers read: a quarterly proposal names every best and worst
/// worker, before and after the notice (a person learns their own designation from the
/// notice and from the sanctions about them).
const OVERSEERS_ONLY: &[&str] = &["decision_proposed"];

/// Whether `reader` holds an overseer's role on `day`.
pub fn is_overseer(state: &State, reader: &str, day: Date) -> bool {
    Role::OVERSEERS
        .iter()
        .any(|role| state.holds(reader, *role, day))
}

/// The person an event (its JSON value, as stored) is about, if it is about one: the person
/// its payload names, or the person of the entry, appeal or sanction it refers to.
pub fn subject_of(state: &State, event: &serde_json::Value) -> Option<String> {
    let payload = &event["payload"];
    if let Some(person) = payload["person_id"]
        .as_str()
        .or_else(|| payload["cadre_id"].as_str())
    {
        return Some(person.to_owned());
    }
    let referred = |field: &str| {
        payload[field]
            .as_str()
            .and_then(|id| Uuid::parse_str(id).ok())
    };
    if let Some(id) = referred("entry_id") {
        return state.entries.get(&id).map(|entry| entry.person_id.clone());
    }
    if let Some(id) = referred("appeal_id") {
        return state
            .appeals
            .get(&id)
            .map(|appeal| appeal.person_id.clone());
    }
    if let Some(id) = referred("sanction_id") {
        return state
            .sanctions
            .get(&id)
            .map(|sanction| sanction.person_id.clone());
    }
    None
}

/// Whether `reader` may read `event` (its JSON value, as stored) on `today`, by the read
/// matrix: the overseers everything; anyone the public types; otherwise the author, the
/// person the event is about, and for records, sheets, opinions, nominations and scores the
/// person's supervising leader on the day of the event. A proposal of a quarterly decision
/// is for the overseers alone; its co-signature for anyone once the notice is published. Anything else is refused.
pub fn may_read(state: &State, reader: &str, event: &serde_json::Value, today: Date) -> bool {
    if is_overseer(state, reader, today) {
        return true;
    }
    let event_type = event["type"].as_str().unwrap_or_default();
    if PUBLIC.contains(&event_type) {
        return true;
    }
    if OVERSEERS_ONLY.contains(&event_type) {
        return false;
    }
    if event_type == "decision_cosigned" {
        // The co-signature names no one; anyone reads it once its quarter's notice is out.
        return event["payload"]["quarter"]
            .as_str()
            .and_then(|quarter| quarter.parse().ok())
            .is_some_and(|quarter| state.publications.contains_key(&quarter));
    }
    if event["actor"]["person_id"].as_str() == Some(reader) {
        return true;
    }
    let Some(subject) = subject_of(state, event) else {
        return false;
    };
    if subject == reader {
        return true;
    }
    SUPERVISED.contains(&event_type)
        && event["business_time"]
            .as_str()
            .and_then(|time| state.day_of(time))
            .and_then(|day| state.supervisor_on(&subject, day))
            == Some(reader)
}
