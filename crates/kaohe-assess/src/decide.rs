//! Commands and the rules that decide them: given the state, a command, who acts and when,
//! either the events to append or a refusal that says which rule refused. Nothing here reads
//! the clock or the disk: the time of the act is an argument.

use jiff::civil::Date;
use kaohe_ledger::event::{Actor, EventDraft};
use serde::Serialize;

use uuid::Uuid;

use crate::payload::{self, types};
use crate::period::Period;
use crate::policy::Policy;
use crate::state::State;

/// The roles a person can be given (everything but `system`).
pub const ASSIGNABLE_ROLES: &[&str] = &[
    "cadre",
    "area_chief",
    "supervising_leader",
    "party_secretary",
    "mayor",
    "party_committee",
    "office",
    "discipline_inspector",
];

/// Who acts, and when (RFC 3339 with offset).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Act {
    /// The person acting.
    pub person_id: String,
    /// When: the business time of the events the act produces.
    pub time: String,
}

/// What a person asks the ledger to record.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// The office adopts the next policy version.
    AdoptPolicy {
        /// The new version.
        policy: Policy,
    },
    /// The office adds a person to the roster.
    RegisterPerson {
        /// The new roster id.
        person_id: String,
        /// The name.
        name: String,
    },
    /// The office gives a person a role.
    AssignRole {
        /// Who.
        person_id: String,
        /// Which role.
        role: String,
        /// From.
        from: Date,
        /// Until, inclusive.
        until: Option<Date>,
    },
    /// The office puts a cadre under a supervising leader.
    AssignSupervision {
        /// The cadre.
        cadre_id: String,
        /// The leader.
        leader_id: String,
        /// From.
        from: Date,
    },
    /// The office puts a cadre in an area under its chief.
    AssignArea {
        /// The cadre.
        cadre_id: String,
        /// The area.
        area: String,
        /// Its chief.
        chief_id: String,
        /// From.
        from: Date,
    },
    /// A cadre writes the entry of a working day (一天两行字).
    WriteEntry {
        /// The day.
        date: Date,
        /// First line.
        did: String,
        /// Second line.
        learned: String,
    },
    /// A cadre corrects an entry; the original stays visible.
    AmendEntry {
        /// The entry.
        entry_id: Uuid,
        /// Corrected first line.
        did: String,
        /// Corrected second line.
        learned: String,
        /// Why.
        reason: String,
    },
    /// A cadre hands in the sheet of a ten-day period.
    SubmitSheet {
        /// The period.
        period: Period,
    },
    /// The supervising leader reads a cadre's sheet.
    ReadSheet {
        /// Whose sheet.
        person_id: String,
        /// The period.
        period: Period,
        /// A comment, possibly empty.
        comment: String,
    },
}

/// Why a command was refused; nothing is appended.
#[derive(Debug, thiserror::Error, PartialEq, Eq, Clone)]
pub enum Refusal {
    /// The acting person is not on the roster.
    #[error("{0} is not on the roster")]
    UnknownPerson(String),
    /// The person does not hold the role the command needs on that day.
    #[error("{person} is not {role} on {date}")]
    NotInRole {
        /// Who.
        person: String,
        /// The role needed.
        role: String,
        /// The day.
        date: Date,
    },
    /// A person id is already taken.
    #[error("{0} is already on the roster")]
    AlreadyRegistered(String),
    /// The role is not one that can be given.
    #[error("{0} is not a role that can be given")]
    UnknownRole(String),
    /// A span or assignment with its dates the wrong way round.
    #[error("the role ends on {until}, before it starts on {from}")]
    BadSpan {
        /// First day.
        from: Date,
        /// Last day.
        until: Date,
    },
    /// The policy is not the next version, or takes effect in the past.
    #[error("{0}")]
    BadPolicy(String),
    /// An entry for a day not yet come.
    #[error("the entry is for {date}, which is after today ({today})")]
    EntryInFuture {
        /// The entry's day.
        date: Date,
        /// The day of the act.
        today: Date,
    },
    /// The day already has an entry; correct it with an amendment instead.
    #[error("{date} already has an entry; amend it instead")]
    EntryExists {
        /// The day.
        date: Date,
    },
    /// The entry is longer than the policy allows.
    #[error("the entry has {chars} characters; the policy allows {max}")]
    EntryTooLong {
        /// Its length.
        chars: usize,
        /// The limit.
        max: u32,
    },
    /// The first line is empty.
    #[error("the first line (what was done) is empty")]
    EntryEmpty,
    /// The period's sheet is already handed in: entries of its days are amended, not written.
    #[error("the sheet of {period} was already submitted; correct its entries by amendment")]
    SheetAlreadySubmitted {
        /// The period.
        period: Period,
    },
    /// A sheet cannot be handed in before the period's last day.
    #[error("the period {period} ends on {last_day}; its sheet cannot be submitted on {today}")]
    PeriodNotOver {
        /// The period.
        period: Period,
        /// Its last day.
        last_day: Date,
        /// The day of the act.
        today: Date,
    },
    /// No such entry, or it is someone else's.
    #[error("entry {0} is not one of yours")]
    NotYourEntry(Uuid),
    /// An amendment needs a reason.
    #[error("an amendment needs a reason")]
    ReasonMissing,
    /// The sheet was not handed in.
    #[error("{person} has not submitted the sheet of {period}")]
    SheetNotSubmitted {
        /// Whose.
        person: String,
        /// The period.
        period: Period,
    },
    /// The leader did not supervise the cadre then.
    #[error("{leader} did not supervise {cadre} on {date}")]
    NotSupervisor {
        /// The leader.
        leader: String,
        /// The cadre.
        cadre: String,
        /// The day.
        date: Date,
    },
    /// The act's time is not an RFC 3339 time with offset.
    #[error("{0} is not an RFC 3339 time with offset")]
    BadTime(String),
    /// The ledger has no policy in force on that day.
    #[error("no policy is in force on {0}")]
    NoPolicy(Date),
}

fn draft<T: Serialize>(
    id: Uuid,
    act: &Act,
    role: &str,
    event_type: &str,
    payload: &T,
) -> EventDraft {
    EventDraft {
        id,
        event_type: event_type.into(),
        payload_version: 1,
        business_time: act.time.clone(),
        actor: Actor {
            person_id: act.person_id.clone(),
            role: role.into(),
        },
        payload: serde_json::to_value(payload).expect("payloads serialise"),
        caused_by: Vec::new(),
    }
}

fn need_role(state: &State, person: &str, role: &str, date: Date) -> Result<(), Refusal> {
    if !state.people.contains_key(person) {
        return Err(Refusal::UnknownPerson(person.into()));
    }
    if !state.holds(person, role, date) {
        return Err(Refusal::NotInRole {
            person: person.into(),
            role: role.into(),
            date,
        });
    }
    Ok(())
}

fn need_person(state: &State, person: &str) -> Result<(), Refusal> {
    if state.people.contains_key(person) {
        Ok(())
    } else {
        Err(Refusal::UnknownPerson(person.into()))
    }
}

fn check_lines(state: &State, date: Date, did: &str, learned: &str) -> Result<(), Refusal> {
    if did.trim().is_empty() {
        return Err(Refusal::EntryEmpty);
    }
    let policy = state.policy_on(date).ok_or(Refusal::NoPolicy(date))?;
    let chars = did.chars().count() + learned.chars().count();
    if chars > policy.entry_chars_max as usize {
        return Err(Refusal::EntryTooLong {
            chars,
            max: policy.entry_chars_max,
        });
    }
    Ok(())
}

/// Decide a command: the events to append, each with the id `id` (the first) or derived ids,
/// or the rule that refuses it.
pub fn decide(
    state: &State,
    command: &Command,
    act: &Act,
    id: Uuid,
) -> Result<Vec<EventDraft>, Refusal> {
    let today = state
        .day_of(&act.time)
        .ok_or_else(|| Refusal::BadTime(act.time.clone()))?;
    let actor = act.person_id.as_str();
    match command {
        Command::AdoptPolicy { policy } => {
            need_role(state, actor, "office", today)?;
            let next = state
                .policies
                .latest()
                .map_or(1, |latest| latest.version + 1);
            if policy.version != next {
                return Err(Refusal::BadPolicy(format!(
                    "the next policy version is {next}, not {}",
                    policy.version
                )));
            }
            if policy.effective_date < today {
                return Err(Refusal::BadPolicy(format!(
                    "a policy cannot take effect in the past ({} is before {today})",
                    policy.effective_date
                )));
            }
            Ok(vec![draft(
                id,
                act,
                "office",
                types::POLICY_ADOPTED,
                &payload::PolicyAdopted {
                    policy: policy.clone(),
                },
            )])
        }
        Command::RegisterPerson { person_id, name } => {
            need_role(state, actor, "office", today)?;
            if state.people.contains_key(person_id) {
                return Err(Refusal::AlreadyRegistered(person_id.clone()));
            }
            Ok(vec![draft(
                id,
                act,
                "office",
                types::PERSON_REGISTERED,
                &payload::PersonRegistered {
                    person_id: person_id.clone(),
                    name: name.clone(),
                },
            )])
        }
        Command::AssignRole {
            person_id,
            role,
            from,
            until,
        } => {
            need_role(state, actor, "office", today)?;
            need_person(state, person_id)?;
            if !ASSIGNABLE_ROLES.contains(&role.as_str()) {
                return Err(Refusal::UnknownRole(role.clone()));
            }
            if let Some(until) = until
                && until < from
            {
                return Err(Refusal::BadSpan {
                    from: *from,
                    until: *until,
                });
            }
            Ok(vec![draft(
                id,
                act,
                "office",
                types::ROLE_ASSIGNED,
                &payload::RoleAssigned {
                    person_id: person_id.clone(),
                    role: role.clone(),
                    from: *from,
                    until: *until,
                },
            )])
        }
        Command::AssignSupervision {
            cadre_id,
            leader_id,
            from,
        } => {
            need_role(state, actor, "office", today)?;
            need_role(state, cadre_id, "cadre", *from)?;
            need_role(state, leader_id, "supervising_leader", *from)?;
            Ok(vec![draft(
                id,
                act,
                "office",
                types::SUPERVISION_ASSIGNED,
                &payload::SupervisionAssigned {
                    cadre_id: cadre_id.clone(),
                    leader_id: leader_id.clone(),
                    from: *from,
                },
            )])
        }
        Command::AssignArea {
            cadre_id,
            area,
            chief_id,
            from,
        } => {
            need_role(state, actor, "office", today)?;
            need_role(state, cadre_id, "cadre", *from)?;
            need_role(state, chief_id, "area_chief", *from)?;
            Ok(vec![draft(
                id,
                act,
                "office",
                types::AREA_ASSIGNED,
                &payload::AreaAssigned {
                    cadre_id: cadre_id.clone(),
                    area: area.clone(),
                    chief_id: chief_id.clone(),
                    from: *from,
                },
            )])
        }
        Command::WriteEntry { date, did, learned } => {
            need_role(state, actor, "cadre", *date)?;
            if *date > today {
                return Err(Refusal::EntryInFuture { date: *date, today });
            }
            if state.entry_days.contains_key(&(actor.to_owned(), *date)) {
                return Err(Refusal::EntryExists { date: *date });
            }
            let period = Period::of(*date);
            if state.sheets.contains_key(&(actor.to_owned(), period)) {
                return Err(Refusal::SheetAlreadySubmitted { period });
            }
            check_lines(state, *date, did, learned)?;
            Ok(vec![draft(
                id,
                act,
                "cadre",
                types::ENTRY_WRITTEN,
                &payload::EntryWritten {
                    person_id: actor.into(),
                    date: *date,
                    did: did.clone(),
                    learned: learned.clone(),
                },
            )])
        }
        Command::AmendEntry {
            entry_id,
            did,
            learned,
            reason,
        } => {
            let entry = state
                .entries
                .get(entry_id)
                .filter(|entry| entry.person_id == actor)
                .ok_or(Refusal::NotYourEntry(*entry_id))?;
            need_role(state, actor, "cadre", today)?;
            if reason.trim().is_empty() {
                return Err(Refusal::ReasonMissing);
            }
            check_lines(state, entry.date, did, learned)?;
            let mut event = draft(
                id,
                act,
                "cadre",
                types::ENTRY_AMENDED,
                &payload::EntryAmended {
                    entry_id: *entry_id,
                    did: did.clone(),
                    learned: learned.clone(),
                    reason: reason.clone(),
                },
            );
            event.caused_by = vec![*entry_id];
            Ok(vec![event])
        }
        Command::SubmitSheet { period } => {
            need_role(state, actor, "cadre", period.last_day().min(today))?;
            if today < period.last_day() {
                return Err(Refusal::PeriodNotOver {
                    period: *period,
                    last_day: period.last_day(),
                    today,
                });
            }
            if state.sheets.contains_key(&(actor.to_owned(), *period)) {
                return Err(Refusal::SheetAlreadySubmitted { period: *period });
            }
            let entry_ids: Vec<Uuid> = state
                .entry_days
                .range(
                    (actor.to_owned(), period.first_day())..=(actor.to_owned(), period.last_day()),
                )
                .map(|(_, id)| *id)
                .collect();
            Ok(vec![draft(
                id,
                act,
                "cadre",
                types::SHEET_SUBMITTED,
                &payload::SheetSubmitted {
                    person_id: actor.into(),
                    period: period.to_string(),
                    entry_ids,
                },
            )])
        }
        Command::ReadSheet {
            person_id,
            period,
            comment,
        } => {
            need_role(state, actor, "supervising_leader", today)?;
            let sheet = state
                .sheets
                .get(&(person_id.clone(), *period))
                .ok_or_else(|| Refusal::SheetNotSubmitted {
                    person: person_id.clone(),
                    period: *period,
                })?;
            if state.supervisor_on(person_id, period.last_day()) != Some(actor) {
                return Err(Refusal::NotSupervisor {
                    leader: actor.into(),
                    cadre: person_id.clone(),
                    date: period.last_day(),
                });
            }
            let mut event = draft(
                id,
                act,
                "supervising_leader",
                types::SHEET_READ,
                &payload::SheetRead {
                    person_id: person_id.clone(),
                    period: period.to_string(),
                    comment: comment.clone(),
                },
            );
            event.caused_by = vec![sheet.id];
            Ok(vec![event])
        }
    }
}
