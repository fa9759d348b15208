//! The fold: one event into the state. The event type is read once into [`EventType`], and one
//! exhaustive match reads the payload of each type as its typed struct and hands it to that
//! type's function, grouped by the area of the scheme: a type added without its fold does not
//! compile. An event the rules could not have written (an unknown type, a payload that does not
//! parse, a reference to nothing) is an [`ApplyError`], never a panic.

use jiff::civil::Date;
use serde::de::DeserializeOwned;
use uuid::Uuid;

use crate::payload;
use crate::policy::Policy;
use crate::state::{
    Answer, Appeal, ApplyError, Calendar, Decision, Entry, Fact, Nomination, Opinion, Person,
    Proposal, Publication, RoleSpan, Sanction, Sheet, State, Token,
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
            // The roster, roles, assignments, policies and tokens.
            EventType::LedgerCreated => self.ledger_created(fact, day)?,
            EventType::PolicyAdopted => self.policy_adopted(fact, read(fact)?)?,
            EventType::PersonRegistered => self.person_registered(read(fact)?),
            EventType::RoleAssigned => self.role_assigned(fact, read(fact)?)?,
            EventType::SupervisionAssigned => self.supervision_assigned(fact, read(fact)?)?,
            EventType::AreaAssigned => self.area_assigned(fact, read(fact)?)?,
            EventType::TokenIssued => self.token_issued(fact, read(fact)?),
            EventType::TokenRevoked => self.token_revoked(fact, read(fact)?)?,
            EventType::CalendarRecorded => self.calendar_recorded(fact, read(fact)?),
            // Entries, their corrections, and the ten-day sheets.
            EventType::EntryWritten => self.entry_written(fact, read(fact)?),
            EventType::EntryAmended => self.entry_amended(fact, read(fact)?)?,
            EventType::SheetSubmitted => self.sheet_submitted(fact, day, read(fact)?),
            EventType::SheetRead => self.sheet_read(fact, read(fact)?)?,
            EventType::SheetDisplayed => self.sheet_displayed(fact, read(fact)?)?,
            // Opinions, nominations, scores, and the quarterly decision with its publication.
            EventType::OpinionGiven => self.opinion_given(fact, read(fact)?),
            EventType::NominationMade => self.nomination_made(fact, read(fact)?),
            EventType::ScoresGiven => self.scores_given(fact, read(fact)?),
            EventType::DecisionProposed => self.decision_proposed(fact, day, read(fact)?),
            EventType::DecisionCosigned => self.decision_cosigned(fact, day, read(fact)?),
            EventType::DecisionPublished => self.decision_published(fact, day, read(fact)?),
            // Appeals and answers, sanctions, revocations and follow-ups.
            EventType::AppealFiled => self.appeal_filed(fact, day, read(fact)?)?,
            EventType::AppealAnswered => self.appeal_answered(fact, day, read(fact)?)?,
            EventType::SanctionImposed => self.sanction_imposed(fact, day, read(fact)?),
            EventType::SanctionRevoked => self.sanction_revoked(fact, read(fact)?)?,
            EventType::TalkHeld => self.talk_held(fact, read(fact)?)?,
            EventType::RectificationPlanned => {
                self.rectification_planned(fact, day, read(fact)?)?
            }
            EventType::RectificationCompleted => {
                self.rectification_completed(fact, day, read(fact)?)?
            }
            // Units, rankings, spot checks, key tasks and the three lists.
            EventType::UnitRegistered
            | EventType::UnitLeaderAssigned
            | EventType::IndicatorAssigned
            | EventType::CityScoresRecorded
            | EventType::LastPlaceConsequenceDue
            | EventType::LastPlaceConsequenceFulfilled
            | EventType::VillageScoresGiven
            | EventType::VillageRankingPublished
            | EventType::VillagePayAdjusted
            | EventType::VillageReportGiven
            | EventType::SpotCheckRecorded
            | EventType::AbsenceJustified
            | EventType::AbsenceReviewed
            | EventType::KeyTaskRegistered
            | EventType::KeyTaskProgressReported
            | EventType::KeyTaskFollowedUp
            | EventType::KeyTasksReviewed
            | EventType::ListItemOpened
            | EventType::ListItemAnalysed
            | EventType::ListItemClosed
            | EventType::ListItemVerified
            | EventType::ListItemReopened => self.units.apply(event_type, fact, day)?,
        }
        // The units' findings read the ledger's today as the day of its latest event.
        self.units.through = Some(day);
        self.events += 1;
        Ok(())
    }

    // The roster, roles, assignments, policies and tokens.

    /// Event 0: the first policy, and its creator in the office role from its first day.
    fn ledger_created(&mut self, fact: &Fact<'_>, day: Date) -> Result<(), ApplyError> {
        let created: Created = read(fact)?;
        self.policies.adopt(created.policy);
        // Someone must be able to register the first people: the ledger's creator holds the
        // office role from its first day. The genesis names no one, so pages call the creator
        // by the office's name (党政办), never by its roster id.
        self.people.insert(
            fact.actor_person.into(),
            Person {
                name: Role::Office.name_zh().into(),
                roles: vec![RoleSpan {
                    role: Role::Office,
                    from: day,
                    until: None,
                }],
                ..Person::default()
            },
        );
        Ok(())
    }

    /// The next policy version; any other version is one the rules never adopt.
    fn policy_adopted(
        &mut self,
        fact: &Fact<'_>,
        adopted: payload::PolicyAdopted,
    ) -> Result<(), ApplyError> {
        let next = self
            .policies
            .latest()
            .map_or(1, |latest| latest.version + 1);
        if adopted.policy.version != next {
            return Err(apply_error(
                fact,
                format!(
                    "adopts policy version {} where version {next} comes next",
                    adopted.policy.version
                ),
            ));
        }
        self.policies.adopt(adopted.policy);
        Ok(())
    }

    fn person_registered(&mut self, registered: payload::PersonRegistered) {
        let person = Person {
            name: registered.name,
            ..Person::default()
        };
        self.people.insert(registered.person_id, person);
    }

    fn role_assigned(
        &mut self,
        fact: &Fact<'_>,
        assigned: payload::RoleAssigned,
    ) -> Result<(), ApplyError> {
        let span = RoleSpan {
            role: assigned.role,
            from: assigned.from,
            until: assigned.until,
        };
        self.person_mut(fact, &assigned.person_id)?.roles.push(span);
        Ok(())
    }

    fn supervision_assigned(
        &mut self,
        fact: &Fact<'_>,
        assigned: payload::SupervisionAssigned,
    ) -> Result<(), ApplyError> {
        let supervisors = &mut self.person_mut(fact, &assigned.cadre_id)?.supervisors;
        supervisors.push((assigned.from, assigned.leader_id));
        supervisors.sort_by_key(|(from, _)| *from);
        Ok(())
    }

    fn area_assigned(
        &mut self,
        fact: &Fact<'_>,
        assigned: payload::AreaAssigned,
    ) -> Result<(), ApplyError> {
        let areas = &mut self.person_mut(fact, &assigned.cadre_id)?.areas;
        areas.push((assigned.from, assigned.area, assigned.chief_id));
        areas.sort_by_key(|(from, _, _)| *from);
        Ok(())
    }

    fn token_issued(&mut self, fact: &Fact<'_>, issued: payload::TokenIssued) {
        let token = Token {
            person_id: issued.person_id,
            issued_by: fact.id,
            revoked_by: None,
        };
        self.tokens.insert(issued.token_id, token);
    }

    fn token_revoked(
        &mut self,
        fact: &Fact<'_>,
        revoked: payload::TokenRevoked,
    ) -> Result<(), ApplyError> {
        self.tokens
            .get_mut(&revoked.token_id)
            .ok_or_else(|| apply_error(fact, "revokes an unknown token".into()))?
            .revoked_by = Some(fact.id);
        Ok(())
    }

    /// A year's calendar, replacing any recorded before for the same year.
    fn calendar_recorded(&mut self, fact: &Fact<'_>, recorded: payload::CalendarRecorded) {
        let calendar = Calendar {
            id: fact.id,
            holidays: recorded
                .holidays
                .iter()
                .map(|holiday| (holiday.first, holiday.last))
                .collect(),
            working_days: recorded.working_days,
        };
        self.calendars.insert(recorded.year, calendar);
    }

    // Entries, their corrections, and the ten-day sheets.

    fn entry_written(&mut self, fact: &Fact<'_>, written: payload::EntryWritten) {
        self.entry_days
            .insert((written.person_id.clone(), written.date), fact.id);
        let entry = Entry {
            person_id: written.person_id,
            date: written.date,
            amendments: Vec::new(),
        };
        self.entries.insert(fact.id, entry);
    }

    fn entry_amended(
        &mut self,
        fact: &Fact<'_>,
        amended: payload::EntryAmended,
    ) -> Result<(), ApplyError> {
        let entry = self
            .entries
            .get_mut(&amended.entry_id)
            .ok_or_else(|| apply_error(fact, "amends an unknown entry".into()))?;
        entry.amendments.push(fact.id);
        Ok(())
    }

    fn sheet_submitted(&mut self, fact: &Fact<'_>, day: Date, submitted: payload::SheetSubmitted) {
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

    fn sheet_read(
        &mut self,
        fact: &Fact<'_>,
        sheet_read: payload::SheetRead,
    ) -> Result<(), ApplyError> {
        let sheet = self
            .sheets
            .get_mut(&(sheet_read.person_id, sheet_read.period))
            .ok_or_else(|| apply_error(fact, "reads a sheet never submitted".into()))?;
        sheet
            .reads
            .push((fact.actor_person.into(), sheet_read.comment));
        Ok(())
    }

    fn sheet_displayed(
        &mut self,
        fact: &Fact<'_>,
        displayed: payload::SheetDisplayed,
    ) -> Result<(), ApplyError> {
        let sheet = self
            .sheets
            .get_mut(&(displayed.person_id, displayed.period))
            .ok_or_else(|| apply_error(fact, "displays a sheet never submitted".into()))?;
        sheet.displayed = Some(fact.id);
        Ok(())
    }

    // Opinions, nominations, scores, and the quarterly decision with its publication.

    fn opinion_given(&mut self, fact: &Fact<'_>, given: payload::OpinionGiven) {
        let opinion = Opinion {
            chief_id: fact.actor_person.into(),
            cadre_id: given.cadre_id,
            month: given.month,
            text: given.opinion,
        };
        self.opinions.insert(fact.id, opinion);
    }

    fn nomination_made(&mut self, fact: &Fact<'_>, made: payload::NominationMade) {
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

    fn scores_given(&mut self, fact: &Fact<'_>, given: payload::ScoresGiven) {
        self.scores.insert(
            (fact.actor_person.into(), given.month, given.cadre_id),
            given.scores,
        );
    }

    fn decision_proposed(
        &mut self,
        fact: &Fact<'_>,
        day: Date,
        proposed: payload::DecisionProposed,
    ) {
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

    fn decision_cosigned(
        &mut self,
        fact: &Fact<'_>,
        day: Date,
        cosigned: payload::DecisionCosigned,
    ) {
        let decision = Decision {
            proposal_id: cosigned.proposal_id,
            cosign_id: fact.id,
            cosigner_id: fact.actor_person.into(),
            cosigned_on: day,
        };
        self.decisions.insert(cosigned.quarter, decision);
    }

    fn decision_published(
        &mut self,
        fact: &Fact<'_>,
        day: Date,
        published: payload::DecisionPublished,
    ) {
        let publication = Publication {
            id: fact.id,
            published_on: day,
            notice: published.notice,
        };
        self.publications.insert(published.quarter, publication);
    }

    // Appeals and answers, sanctions, revocations and follow-ups.

    fn appeal_filed(
        &mut self,
        fact: &Fact<'_>,
        day: Date,
        filed: payload::AppealFiled,
    ) -> Result<(), ApplyError> {
        let policy = self
            .policy_on(day)
            .ok_or_else(|| apply_error(fact, "no policy in force".into()))?;
        let due_on = self.add_days(day, policy.appeal_answer_days, policy.appeal_day_kind);
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
        Ok(())
    }

    fn appeal_answered(
        &mut self,
        fact: &Fact<'_>,
        day: Date,
        answered: payload::AppealAnswered,
    ) -> Result<(), ApplyError> {
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
        Ok(())
    }

    fn sanction_imposed(&mut self, fact: &Fact<'_>, day: Date, imposed: payload::SanctionImposed) {
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

    fn sanction_revoked(
        &mut self,
        fact: &Fact<'_>,
        revoked: payload::SanctionRevoked,
    ) -> Result<(), ApplyError> {
        let sanction = self
            .sanctions
            .get_mut(&revoked.sanction_id)
            .ok_or_else(|| apply_error(fact, "revokes an unknown sanction".into()))?;
        sanction.revoked_by = Some(fact.id);
        Ok(())
    }

    fn talk_held(&mut self, fact: &Fact<'_>, held: payload::TalkHeld) -> Result<(), ApplyError> {
        self.sanction_mut(fact, held.sanction_id)?.talk_held = Some((fact.id, held.held_on));
        Ok(())
    }

    fn rectification_planned(
        &mut self,
        fact: &Fact<'_>,
        day: Date,
        planned: payload::RectificationPlanned,
    ) -> Result<(), ApplyError> {
        self.sanction_mut(fact, planned.sanction_id)?.plan = Some((fact.id, day));
        Ok(())
    }

    fn rectification_completed(
        &mut self,
        fact: &Fact<'_>,
        day: Date,
        completed: payload::RectificationCompleted,
    ) -> Result<(), ApplyError> {
        self.sanction_mut(fact, completed.sanction_id)?.completed = Some((fact.id, day));
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
