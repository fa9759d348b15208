//! The fold: one event into the state. The event type is read once into [`EventType`] and the
//! fold dispatches on it, one area of the scheme per function; an event the rules could not
//! have written (an unknown type, a payload that does not parse, a reference to nothing) is an
//! [`ApplyError`], never a panic.

use jiff::civil::Date;
use serde::de::DeserializeOwned;
use uuid::Uuid;

use crate::payload;
use crate::policy::Policy;
use crate::state::{
    Answer, Appeal, ApplyError, Decision, Entry, Fact, Nomination, Opinion, Person, Proposal,
    Publication, RoleSpan, Sanction, Sheet, State, Token, add_days,
};
use crate::words::{EventType, Role};

fn read<T: DeserializeOwned>(fact: &Fact<'_>) -> Result<T, ApplyError> {
    fact.payload
        .read()
        .map_err(|error| apply_error(fact, error.to_string()))
}

/// What the fold reads of event 0's payload.
#[derive(serde::Deserialize)]
struct Created {
    time_zone: String,
    policy: Policy,
}

fn apply_error(fact: &Fact<'_>, message: String) -> ApplyError {
    ApplyError {
        id: fact.id,
        event_type: fact.type_text().into(),
        message,
    }
}

impl State {
    /// Fold every event in order.
    pub fn from_events<'a>(facts: impl IntoIterator<Item = Fact<'a>>) -> Result<State, ApplyError> {
        let mut state = State::default();
        for fact in facts {
            state.apply(&fact)?;
        }
        Ok(state)
    }

    /// Fold one event in.
    pub fn apply(&mut self, fact: &Fact<'_>) -> Result<(), ApplyError> {
        let event_type = fact
            .event_type
            .map_err(|text| apply_error(fact, format!("the rules know no event type {text}")))?;
        if event_type == EventType::LedgerCreated {
            // Event 0 names the zone in which its own day, and every later one, is read.
            let created: Created = read(fact)?;
            self.time_zone = Some(
                jiff::tz::TimeZone::get(&created.time_zone)
                    .map_err(|error| apply_error(fact, error.to_string()))?,
            );
        }
        let day = self
            .day_of(fact.business_time)
            .ok_or_else(|| apply_error(fact, "business_time is not a time".into()))?;
        match event_type {
            EventType::LedgerCreated
            | EventType::PolicyAdopted
            | EventType::PersonRegistered
            | EventType::RoleAssigned
            | EventType::SupervisionAssigned
            | EventType::AreaAssigned
            | EventType::TokenIssued
            | EventType::TokenRevoked => self.fold_roster(event_type, fact, day)?,
            EventType::EntryWritten
            | EventType::EntryAmended
            | EventType::SheetSubmitted
            | EventType::SheetRead
            | EventType::SheetDisplayed => self.fold_records(event_type, fact, day)?,
            EventType::OpinionGiven
            | EventType::NominationMade
            | EventType::ScoresGiven
            | EventType::DecisionProposed
            | EventType::DecisionCosigned
            | EventType::DecisionPublished => self.fold_ratings(event_type, fact, day)?,
            EventType::AppealFiled
            | EventType::AppealAnswered
            | EventType::SanctionImposed
            | EventType::SanctionRevoked
            | EventType::TalkHeld
            | EventType::RectificationPlanned
            | EventType::RectificationCompleted => self.fold_consequences(event_type, fact, day)?,
        }
        self.events += 1;
        Ok(())
    }

    /// The roster, roles, assignments, policies and tokens.
    fn fold_roster(
        &mut self,
        event_type: EventType,
        fact: &Fact<'_>,
        day: Date,
    ) -> Result<(), ApplyError> {
        match event_type {
            EventType::LedgerCreated => {
                let created: Created = read(fact)?;
                self.policies.adopt(created.policy);
                // Someone must be able to register the first people: the ledger's creator
                // holds the office role from its first day.
                self.people.insert(
                    fact.actor_person.into(),
                    Person {
                        name: fact.actor_person.into(),
                        roles: vec![RoleSpan {
                            role: Role::Office,
                            from: day,
                            until: None,
                        }],
                        ..Person::default()
                    },
                );
            }
            EventType::PolicyAdopted => {
                let adopted: payload::PolicyAdopted = read(fact)?;
                self.policies.adopt(adopted.policy);
            }
            EventType::PersonRegistered => {
                let registered: payload::PersonRegistered = read(fact)?;
                let person = Person {
                    name: registered.name,
                    ..Person::default()
                };
                self.people.insert(registered.person_id, person);
            }
            EventType::RoleAssigned => {
                let assigned: payload::RoleAssigned = read(fact)?;
                let span = RoleSpan {
                    role: assigned.role,
                    from: assigned.from,
                    until: assigned.until,
                };
                self.person_mut(fact, &assigned.person_id)?.roles.push(span);
            }
            EventType::SupervisionAssigned => {
                let assigned: payload::SupervisionAssigned = read(fact)?;
                let supervisors = &mut self.person_mut(fact, &assigned.cadre_id)?.supervisors;
                supervisors.push((assigned.from, assigned.leader_id));
                supervisors.sort_by_key(|(from, _)| *from);
            }
            EventType::AreaAssigned => {
                let assigned: payload::AreaAssigned = read(fact)?;
                let areas = &mut self.person_mut(fact, &assigned.cadre_id)?.areas;
                areas.push((assigned.from, assigned.area, assigned.chief_id));
                areas.sort_by_key(|(from, _, _)| *from);
            }
            EventType::TokenIssued => {
                let issued: payload::TokenIssued = read(fact)?;
                let token = Token {
                    person_id: issued.person_id,
                    issued_by: fact.id,
                    revoked_by: None,
                };
                self.tokens.insert(issued.token_id, token);
            }
            EventType::TokenRevoked => {
                let revoked: payload::TokenRevoked = read(fact)?;
                self.tokens
                    .get_mut(&revoked.token_id)
                    .ok_or_else(|| apply_error(fact, "revokes an unknown token".into()))?
                    .revoked_by = Some(fact.id);
            }
            other => unreachable!("{other} is not a roster event"),
        }
        Ok(())
    }

    /// Entries, their corrections, and the ten-day sheets.
    fn fold_records(
        &mut self,
        event_type: EventType,
        fact: &Fact<'_>,
        day: Date,
    ) -> Result<(), ApplyError> {
        match event_type {
            EventType::EntryWritten => {
                let written: payload::EntryWritten = read(fact)?;
                self.entry_days
                    .insert((written.person_id.clone(), written.date), fact.id);
                let entry = Entry {
                    person_id: written.person_id,
                    date: written.date,
                    amendments: Vec::new(),
                };
                self.entries.insert(fact.id, entry);
            }
            EventType::EntryAmended => {
                let amended: payload::EntryAmended = read(fact)?;
                let entry = self
                    .entries
                    .get_mut(&amended.entry_id)
                    .ok_or_else(|| apply_error(fact, "amends an unknown entry".into()))?;
                entry.amendments.push(fact.id);
            }
            EventType::SheetSubmitted => {
                let submitted: payload::SheetSubmitted = read(fact)?;
                let sheet = Sheet {
                    id: fact.id,
                    submitted_on: day,
                    due_on: self.sheet_due_on(submitted.period),
                    entry_ids: submitted.entry_ids,
                    reads: Vec::new(),
                    displayed: None,
                };
                self.sheets
                    .insert((submitted.person_id, submitted.period), sheet);
            }
            EventType::SheetRead => {
                let sheet_read: payload::SheetRead = read(fact)?;
                let sheet = self
                    .sheets
                    .get_mut(&(sheet_read.person_id, sheet_read.period))
                    .ok_or_else(|| apply_error(fact, "reads a sheet never submitted".into()))?;
                sheet
                    .reads
                    .push((fact.actor_person.into(), sheet_read.comment));
            }
            EventType::SheetDisplayed => {
                let displayed: payload::SheetDisplayed = read(fact)?;
                let sheet = self
                    .sheets
                    .get_mut(&(displayed.person_id, displayed.period))
                    .ok_or_else(|| apply_error(fact, "displays a sheet never submitted".into()))?;
                sheet.displayed = Some(fact.id);
            }
            other => unreachable!("{other} is not a record event"),
        }
        Ok(())
    }

    /// Opinions, nominations, scores, and the quarterly decision with its publication.
    fn fold_ratings(
        &mut self,
        event_type: EventType,
        fact: &Fact<'_>,
        day: Date,
    ) -> Result<(), ApplyError> {
        match event_type {
            EventType::OpinionGiven => {
                let given: payload::OpinionGiven = read(fact)?;
                let opinion = Opinion {
                    chief_id: fact.actor_person.into(),
                    cadre_id: given.cadre_id,
                    month: given.month,
                    text: given.opinion,
                };
                self.opinions.insert(fact.id, opinion);
            }
            EventType::NominationMade => {
                let made: payload::NominationMade = read(fact)?;
                let nomination = Nomination {
                    leader_id: fact.actor_person.into(),
                    month: made.month,
                    kind: made.kind,
                    cadre_id: made.cadre_id,
                    reason: made.reason,
                    cited_ids: made.cited_ids,
                    policy_version: made.policy_version,
                    override_reason: made.override_reason,
                };
                self.nominations.insert(fact.id, nomination);
            }
            EventType::ScoresGiven => {
                let given: payload::ScoresGiven = read(fact)?;
                self.scores.insert(
                    (fact.actor_person.into(), given.month, given.cadre_id),
                    given.scores,
                );
            }
            EventType::DecisionProposed => {
                let proposed: payload::DecisionProposed = read(fact)?;
                let proposer_role = if self.holds(fact.actor_person, Role::PartySecretary, day) {
                    Role::PartySecretary
                } else {
                    Role::Mayor
                };
                self.latest_proposal.insert(proposed.quarter, fact.id);
                let proposal = Proposal {
                    quarter: proposed.quarter,
                    proposer_id: fact.actor_person.into(),
                    proposer_role,
                    best: proposed.best,
                    worst: proposed.worst,
                    policy_version: proposed.policy_version,
                };
                self.proposals.insert(fact.id, proposal);
            }
            EventType::DecisionCosigned => {
                let cosigned: payload::DecisionCosigned = read(fact)?;
                let decision = Decision {
                    proposal_id: cosigned.proposal_id,
                    cosign_id: fact.id,
                    cosigner_id: fact.actor_person.into(),
                    cosigned_on: day,
                };
                self.decisions.insert(cosigned.quarter, decision);
            }
            EventType::DecisionPublished => {
                let published: payload::DecisionPublished = read(fact)?;
                let publication = Publication {
                    id: fact.id,
                    published_on: day,
                    notice: published.notice,
                };
                self.publications.insert(published.quarter, publication);
            }
            other => unreachable!("{other} is not a rating event"),
        }
        Ok(())
    }

    /// Appeals and answers, sanctions, revocations and follow-ups.
    fn fold_consequences(
        &mut self,
        event_type: EventType,
        fact: &Fact<'_>,
        day: Date,
    ) -> Result<(), ApplyError> {
        match event_type {
            EventType::AppealFiled => {
                let filed: payload::AppealFiled = read(fact)?;
                let policy = self
                    .policy_on(day)
                    .ok_or_else(|| apply_error(fact, "no policy in force".into()))?;
                let due_on = add_days(day, policy.appeal_answer_days, policy.appeal_day_kind);
                let appeal = Appeal {
                    quarter: filed.quarter,
                    person_id: filed.person_id,
                    kind: filed.kind,
                    appellant_id: fact.actor_person.into(),
                    grounds: filed.grounds,
                    filed_on: day,
                    due_on,
                    answer: None,
                };
                self.appeals.insert(fact.id, appeal);
            }
            EventType::AppealAnswered => {
                let answered: payload::AppealAnswered = read(fact)?;
                let appeal = self
                    .appeals
                    .get_mut(&answered.appeal_id)
                    .ok_or_else(|| apply_error(fact, "answers an unknown appeal".into()))?;
                appeal.answer = Some(Answer {
                    id: fact.id,
                    outcome: answered.outcome,
                    reasons: answered.reasons,
                    answered_on: day,
                });
            }
            EventType::SanctionImposed => {
                let imposed: payload::SanctionImposed = read(fact)?;
                let sanction = Sanction {
                    person_id: imposed.person_id,
                    quarter: imposed.quarter,
                    sanction: imposed.sanction,
                    bonus_bp: imposed.bonus_bp,
                    rectify_by: imposed.rectify_by,
                    caused_by: fact.caused_by.to_vec(),
                    imposed_on: day,
                    revoked_by: None,
                    talk_held: None,
                    plan: None,
                    completed: None,
                };
                self.sanctions.insert(fact.id, sanction);
            }
            EventType::SanctionRevoked => {
                let revoked: payload::SanctionRevoked = read(fact)?;
                let sanction = self
                    .sanctions
                    .get_mut(&revoked.sanction_id)
                    .ok_or_else(|| apply_error(fact, "revokes an unknown sanction".into()))?;
                sanction.revoked_by = Some(fact.id);
            }
            EventType::TalkHeld => {
                let held: payload::TalkHeld = read(fact)?;
                self.sanction_mut(fact, held.sanction_id)?.talk_held =
                    Some((fact.id, held.held_on));
            }
            EventType::RectificationPlanned => {
                let planned: payload::RectificationPlanned = read(fact)?;
                self.sanction_mut(fact, planned.sanction_id)?.plan = Some((fact.id, day));
            }
            EventType::RectificationCompleted => {
                let completed: payload::RectificationCompleted = read(fact)?;
                self.sanction_mut(fact, completed.sanction_id)?.completed = Some((fact.id, day));
            }
            other => unreachable!("{other} is not a consequence"),
        }
        Ok(())
    }

    fn sanction_mut(&mut self, fact: &Fact<'_>, id: Uuid) -> Result<&mut Sanction, ApplyError> {
        self.sanctions
            .get_mut(&id)
            .ok_or_else(|| apply_error(fact, format!("follows up {id}, which is no sanction")))
    }

    fn person_mut(&mut self, fact: &Fact<'_>, person: &str) -> Result<&mut Person, ApplyError> {
        self.people
            .get_mut(person)
            .ok_or_else(|| apply_error(fact, format!("names {person}, who is not on the roster")))
    }
}
