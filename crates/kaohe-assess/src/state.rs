//! The assessment state: what the events so far say, folded in order. Every decision reads it,
//! every event updates it, and a replay rebuilds it from the ledger alone.

use std::collections::BTreeMap;

use jiff::civil::Date;
use kaohe_ledger::event::{EventDraft, ParsedEvent};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use crate::payload::{self, types};
use crate::period::{Month, Period, Quarter};
use crate::policy::{Policy, PolicyBook};

/// The parts of an event the rules read, from a draft about to be appended or a stored event.
#[derive(Clone, Copy, Debug)]
pub struct Fact<'a> {
    /// The event id.
    pub id: Uuid,
    /// The event type.
    pub event_type: &'a str,
    /// When the act happened.
    pub business_time: &'a str,
    /// Who acted.
    pub actor_person: &'a str,
    /// The payload.
    pub payload: &'a Value,
    /// The events it names as its causes.
    pub caused_by: &'a [Uuid],
}

impl<'a> From<&'a EventDraft> for Fact<'a> {
    fn from(draft: &'a EventDraft) -> Self {
        Fact {
            id: draft.id,
            event_type: &draft.event_type,
            business_time: &draft.business_time,
            actor_person: &draft.actor.person_id,
            payload: &draft.payload,
            caused_by: &draft.caused_by,
        }
    }
}

impl<'a> From<&'a ParsedEvent> for Fact<'a> {
    fn from(event: &'a ParsedEvent) -> Self {
        Fact {
            id: event.id,
            event_type: &event.event_type,
            business_time: event.value["business_time"].as_str().unwrap_or_default(),
            actor_person: event.value["actor"]["person_id"]
                .as_str()
                .unwrap_or_default(),
            payload: &event.value["payload"],
            caused_by: &event.caused_by,
        }
    }
}

/// Why an event cannot be folded into the state: the ledger holds something the rules never
/// wrote (a replay reports it).
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("event {id} ({event_type}): {message}")]
pub struct ApplyError {
    /// The event.
    pub id: Uuid,
    /// Its type.
    pub event_type: String,
    /// What is wrong.
    pub message: String,
}

/// A role held over a span of days.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RoleSpan {
    /// The role.
    pub role: String,
    /// The first day.
    pub from: Date,
    /// The last day, if any.
    pub until: Option<Date>,
}

/// A person on the roster.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Person {
    /// The name.
    pub name: String,
    /// Every role span, in the order assigned.
    pub roles: Vec<RoleSpan>,
    /// (from, supervising leader), in date order.
    pub supervisors: Vec<(Date, String)>,
    /// (from, area, chief), in date order.
    pub areas: Vec<(Date, String, String)>,
}

/// One correction of an entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Amendment {
    /// The amendment event.
    pub id: Uuid,
    /// The corrected first line.
    pub did: String,
    /// The corrected second line.
    pub learned: String,
    /// Why.
    pub reason: String,
}

/// A day's entry, with its corrections.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// Whose.
    pub person_id: String,
    /// The day.
    pub date: Date,
    /// First line as written.
    pub did: String,
    /// Second line as written.
    pub learned: String,
    /// Later corrections, oldest first; the original stays.
    pub amendments: Vec<Amendment>,
}

/// A submitted ten-day sheet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sheet {
    /// The submission event.
    pub id: Uuid,
    /// The day it was handed in.
    pub submitted_on: Date,
    /// The day it was due under the policy in force then.
    pub due_on: Date,
    /// The entries it holds.
    pub entry_ids: Vec<Uuid>,
    /// (leader, comment) for each reading.
    pub reads: Vec<(String, String)>,
    /// The selection for display to all staff, if selected.
    pub displayed: Option<Uuid>,
}

impl Sheet {
    /// Whether it was handed in after its due day.
    pub fn late(&self) -> bool {
        self.submitted_on > self.due_on
    }
}

/// An area chief's opinion of a cadre for a month.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Opinion {
    /// The chief.
    pub chief_id: String,
    /// The cadre.
    pub cadre_id: String,
    /// The month.
    pub month: Month,
    /// The opinion.
    pub text: String,
}

/// Best or worst.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// 最好.
    Best,
    /// 最差.
    Worst,
}

impl Kind {
    /// The payload spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Best => "best",
            Kind::Worst => "worst",
        }
    }

    /// Read the payload spelling.
    pub fn parse(text: &str) -> Option<Kind> {
        match text {
            "best" => Some(Kind::Best),
            "worst" => Some(Kind::Worst),
            _ => None,
        }
    }
}

/// A leader's monthly nomination.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Nomination {
    /// The leader.
    pub leader_id: String,
    /// The month.
    pub month: Month,
    /// Best or worst.
    pub kind: Kind,
    /// The cadre named.
    pub cadre_id: String,
    /// Why.
    pub reason: String,
    /// What the reason rests on.
    pub cited_ids: Vec<Uuid>,
    /// The policy version it was made under.
    pub policy_version: u32,
    /// Why the scores were overridden, if they were.
    pub override_reason: Option<String>,
}

/// A proposed quarterly decision.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Proposal {
    /// The quarter.
    pub quarter: Quarter,
    /// Who proposed it.
    pub proposer_id: String,
    /// In which role (`party_secretary` or `mayor`).
    pub proposer_role: String,
    /// Best workers.
    pub best: Vec<String>,
    /// Worst workers.
    pub worst: Vec<String>,
    /// The policy version.
    pub policy_version: u32,
}

/// A quarterly decision in force: a proposal and its co-signature.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decision {
    /// The proposal.
    pub proposal_id: Uuid,
    /// The co-signature event.
    pub cosign_id: Uuid,
    /// Who co-signed.
    pub cosigner_id: String,
    /// The day it was co-signed.
    pub cosigned_on: Date,
}

/// The public notice of a quarter's decision (公示).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Publication {
    /// The publication event.
    pub id: Uuid,
    /// The day it was published.
    pub published_on: Date,
    /// The notice as published.
    pub notice: String,
}

/// An appeal and, once given, its answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Appeal {
    /// The quarter.
    pub quarter: Quarter,
    /// Whose designation.
    pub person_id: String,
    /// Which designation.
    pub kind: Kind,
    /// Who appealed.
    pub appellant_id: String,
    /// The grounds.
    pub grounds: String,
    /// The day it was filed.
    pub filed_on: Date,
    /// The day the answer is due, under the policy in force when filed.
    pub due_on: Date,
    /// The answer, if given.
    pub answer: Option<Answer>,
}

/// The party committee's answer to an appeal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    /// The answer event.
    pub id: Uuid,
    /// Whether the designation was overturned.
    pub overturned: bool,
    /// The reasons.
    pub reasons: String,
    /// The day it was answered.
    pub answered_on: Date,
}

impl Appeal {
    /// Whether the deadline was or is breached on `today`: answered late, or still unanswered
    /// after its due day.
    pub fn breached(&self, today: Date) -> bool {
        match &self.answer {
            Some(answer) => answer.answered_on > self.due_on,
            None => today > self.due_on,
        }
    }
}

/// A recorded sanction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Sanction {
    /// Who.
    pub person_id: String,
    /// The quarter of the designation.
    pub quarter: Quarter,
    /// Which sanction.
    pub sanction: String,
    /// Uplift in basis points.
    pub bonus_bp: Option<u32>,
    /// Rectification deadline.
    pub rectify_by: Option<Date>,
    /// The events it names as its causes.
    pub caused_by: Vec<Uuid>,
    /// The day it was imposed.
    pub imposed_on: Date,
    /// The revocation, if revoked.
    pub revoked_by: Option<Uuid>,
    /// For a talk: the event recording it, and the day it was held.
    pub talk_held: Option<(Uuid, Date)>,
    /// For a rectification: the plan handed in, and the day.
    pub plan: Option<(Uuid, Date)>,
    /// For a rectification: the leader's confirmation it was carried out, and the day.
    pub completed: Option<(Uuid, Date)>,
}

impl Sanction {
    /// Whether a rectification was (or, on `today`, still is) not completed by its deadline.
    pub fn rectification_late(&self, today: Date) -> bool {
        match (self.rectify_by, self.completed) {
            (Some(deadline), Some((_, done))) => done > deadline,
            (Some(deadline), None) => self.revoked_by.is_none() && today > deadline,
            (None, _) => false,
        }
    }
}

/// A bearer token as the ledger knows it (its secret's hash is kept outside the ledger).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Token {
    /// Whom it signs in.
    pub person_id: String,
    /// The issuing event.
    pub issued_by: Uuid,
    /// The revoking event, if revoked.
    pub revoked_by: Option<Uuid>,
}

/// The whole state.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct State {
    /// The organisation's time zone (from event 0).
    pub time_zone: Option<jiff::tz::TimeZone>,
    /// Every policy version.
    pub policies: PolicyBook,
    /// The roster.
    pub people: BTreeMap<String, Person>,
    /// Every entry by id.
    pub entries: BTreeMap<Uuid, Entry>,
    /// Entry ids by (person, day).
    pub entry_days: BTreeMap<(String, Date), Uuid>,
    /// Submitted sheets by (person, period).
    pub sheets: BTreeMap<(String, Period), Sheet>,
    /// Area chiefs' opinions by id.
    pub opinions: BTreeMap<Uuid, Opinion>,
    /// Monthly nominations by id.
    pub nominations: BTreeMap<Uuid, Nomination>,
    /// Proposed quarterly decisions by id.
    pub proposals: BTreeMap<Uuid, Proposal>,
    /// The latest proposal of each quarter.
    pub latest_proposal: BTreeMap<Quarter, Uuid>,
    /// Decisions in force, by quarter.
    pub decisions: BTreeMap<Quarter, Decision>,
    /// Publications by quarter.
    pub publications: BTreeMap<Quarter, Publication>,
    /// Appeals by id.
    pub appeals: BTreeMap<Uuid, Appeal>,
    /// Sanctions by id.
    pub sanctions: BTreeMap<Uuid, Sanction>,
    /// Scores by (leader, month, cadre).
    pub scores: BTreeMap<(String, Month, String), payload::Scores>,
    /// Bearer tokens by id.
    pub tokens: BTreeMap<Uuid, Token>,
    /// How many events were folded in.
    pub events: u64,
}

fn read<T: DeserializeOwned>(fact: &Fact<'_>) -> Result<T, ApplyError> {
    serde_json::from_value(fact.payload.clone())
        .map_err(|error| apply_error(fact, error.to_string()))
}

/// `days` after `day`: calendar days, or working days (Monday to Friday) when `kind` is
/// `working`.
pub fn add_days(day: Date, days: u32, kind: &str) -> Date {
    if kind != "working" {
        return day
            .checked_add(jiff::Span::new().days(i64::from(days)))
            .expect("a date within range");
    }
    let mut current = day;
    let mut left = days;
    while left > 0 {
        current = current.tomorrow().expect("a date within range");
        if !matches!(
            current.weekday(),
            jiff::civil::Weekday::Saturday | jiff::civil::Weekday::Sunday
        ) {
            left -= 1;
        }
    }
    current
}

fn parse_with<T: std::str::FromStr>(fact: &Fact<'_>, text: &str) -> Result<T, ApplyError>
where
    T::Err: std::fmt::Display,
{
    text.parse()
        .map_err(|error: T::Err| apply_error(fact, error.to_string()))
}

fn apply_error(fact: &Fact<'_>, message: String) -> ApplyError {
    ApplyError {
        id: fact.id,
        event_type: fact.event_type.into(),
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

    /// The calendar day of an RFC 3339 time in the organisation's zone.
    pub fn day_of(&self, time: &str) -> Option<Date> {
        let timestamp: jiff::Timestamp = time.parse().ok()?;
        let zone = self.time_zone.clone().unwrap_or(jiff::tz::TimeZone::UTC);
        Some(timestamp.to_zoned(zone).date())
    }

    /// The day the sheet of `period` is due, under the policy in force on its last day.
    pub fn sheet_due_on(&self, period: Period) -> Date {
        let due_days = self
            .policy_on(period.last_day())
            .map_or(0, |policy| policy.sheet_due_days);
        period
            .last_day()
            .checked_add(jiff::Span::new().days(i64::from(due_days)))
            .expect("a date within range")
    }

    /// The last day an appeal against `quarter`'s decision may be filed: its publication day
    /// plus the filing days of the policy in force then. `None` before publication.
    pub fn appeal_window_ends(&self, quarter: Quarter) -> Option<Date> {
        let published_on = self.publications.get(&quarter)?.published_on;
        let policy = self.policy_on(published_on)?;
        published_on
            .checked_add(jiff::Span::new().days(i64::from(policy.appeal_filing_days)))
            .ok()
    }

    /// The policy in force on `date`.
    pub fn policy_on(&self, date: Date) -> Option<&Policy> {
        self.policies.in_force(date)
    }

    /// Whether `person` holds `role` on `date`.
    pub fn holds(&self, person: &str, role: &str, date: Date) -> bool {
        self.people.get(person).is_some_and(|person| {
            person.roles.iter().any(|span| {
                span.role == role
                    && span.from <= date
                    && span.until.is_none_or(|until| date <= until)
            })
        })
    }

    /// The supervising leader of `cadre` on `date`.
    pub fn supervisor_on(&self, cadre: &str, date: Date) -> Option<&str> {
        self.people.get(cadre).and_then(|person| {
            person
                .supervisors
                .iter()
                .rev()
                .find(|(from, _)| *from <= date)
                .map(|(_, leader)| leader.as_str())
        })
    }

    /// The area chief of `cadre` on `date`.
    pub fn chief_on(&self, cadre: &str, date: Date) -> Option<&str> {
        self.people.get(cadre).and_then(|person| {
            person
                .areas
                .iter()
                .rev()
                .find(|(from, _, _)| *from <= date)
                .map(|(_, _, chief)| chief.as_str())
        })
    }

    /// The quarter's pool of one kind: every nomination of its months (person-times).
    pub fn pool(&self, quarter: Quarter, kind: Kind) -> Vec<(&Uuid, &Nomination)> {
        self.nominations
            .iter()
            .filter(|(_, nomination)| {
                nomination.kind == kind && nomination.month.quarter() == quarter
            })
            .collect()
    }

    /// Whether `person` is designated `kind` in `quarter` by a decision in force and no
    /// answered appeal has overturned it: the final designation.
    pub fn finally_designated(&self, quarter: Quarter, kind: Kind, person: &str) -> bool {
        let Some(decision) = self.decisions.get(&quarter) else {
            return false;
        };
        let proposal = &self.proposals[&decision.proposal_id];
        let listed = match kind {
            Kind::Best => &proposal.best,
            Kind::Worst => &proposal.worst,
        };
        listed.iter().any(|listed| listed == person)
            && !self.appeals.values().any(|appeal| {
                appeal.quarter == quarter
                    && appeal.kind == kind
                    && appeal.person_id == person
                    && appeal
                        .answer
                        .as_ref()
                        .is_some_and(|answer| answer.overturned)
            })
    }

    /// Under numeric scoring, whom the scores give as `kind` among the cadres `leader`
    /// scored for `month`: the highest weighted total for best, the lowest for worst, ties
    /// broken as the policy says. `None` without scoring or scores.
    pub fn scored_choice(&self, leader: &str, month: Month, kind: Kind) -> Option<String> {
        let policy = self.policy_on(month.last_day())?;
        let scoring = policy.scoring.as_ref()?;
        let mut ranked: Vec<(u64, u32, u32, &str)> = self
            .scores
            .range((leader.to_owned(), month, String::new())..)
            .take_while(|((scorer, scored_month, _), _)| scorer == leader && *scored_month == month)
            .map(|((_, _, cadre), scores)| {
                let total = scoring.weighted_total(scores);
                let (first, second) = if scoring.tie_break == "discipline_then_ability" {
                    (scores.discipline, scores.ability)
                } else {
                    (0, 0)
                };
                (total, first, second, cadre.as_str())
            })
            .collect();
        // Best first: higher totals, then higher tie-break scores, then the smaller roster id.
        ranked.sort_by(|a, b| (b.0, b.1, b.2, a.3).cmp(&(a.0, a.1, a.2, b.3)));
        let chosen = match kind {
            Kind::Best => ranked.first(),
            Kind::Worst => ranked.last(),
        };
        chosen.map(|(_, _, _, cadre)| (*cadre).to_owned())
    }

    /// Fold one event in.
    pub fn apply(&mut self, fact: &Fact<'_>) -> Result<(), ApplyError> {
        if fact.event_type == "ledger_created" {
            // Event 0 names the zone in which its own day, and every later one, is read.
            let zone = fact.payload["time_zone"].as_str().unwrap_or_default();
            self.time_zone = Some(
                jiff::tz::TimeZone::get(zone)
                    .map_err(|error| apply_error(fact, error.to_string()))?,
            );
        }
        let day = self
            .day_of(fact.business_time)
            .ok_or_else(|| apply_error(fact, "business_time is not a time".into()))?;
        match fact.event_type {
            "ledger_created" => {
                let policy: Policy = serde_json::from_value(fact.payload["policy"].clone())
                    .map_err(|error| apply_error(fact, error.to_string()))?;
                self.policies.adopt(policy);
                // Someone must be able to register the first people: the ledger's creator
                // holds the office role from its first day.
                self.people.insert(
                    fact.actor_person.into(),
                    Person {
                        name: fact.actor_person.into(),
                        roles: vec![RoleSpan {
                            role: "office".into(),
                            from: day,
                            until: None,
                        }],
                        ..Person::default()
                    },
                );
            }
            types::POLICY_ADOPTED => {
                let adopted: payload::PolicyAdopted = read(fact)?;
                self.policies.adopt(adopted.policy);
            }
            types::PERSON_REGISTERED => {
                let registered: payload::PersonRegistered = read(fact)?;
                self.people.insert(
                    registered.person_id,
                    Person {
                        name: registered.name,
                        ..Person::default()
                    },
                );
            }
            types::ROLE_ASSIGNED => {
                let assigned: payload::RoleAssigned = read(fact)?;
                self.person_mut(fact, &assigned.person_id)?
                    .roles
                    .push(RoleSpan {
                        role: assigned.role,
                        from: assigned.from,
                        until: assigned.until,
                    });
            }
            types::SUPERVISION_ASSIGNED => {
                let assigned: payload::SupervisionAssigned = read(fact)?;
                let supervisors = &mut self.person_mut(fact, &assigned.cadre_id)?.supervisors;
                supervisors.push((assigned.from, assigned.leader_id));
                supervisors.sort_by_key(|(from, _)| *from);
            }
            types::AREA_ASSIGNED => {
                let assigned: payload::AreaAssigned = read(fact)?;
                let areas = &mut self.person_mut(fact, &assigned.cadre_id)?.areas;
                areas.push((assigned.from, assigned.area, assigned.chief_id));
                areas.sort_by_key(|(from, _, _)| *from);
            }
            types::ENTRY_WRITTEN => {
                let written: payload::EntryWritten = read(fact)?;
                self.entry_days
                    .insert((written.person_id.clone(), written.date), fact.id);
                self.entries.insert(
                    fact.id,
                    Entry {
                        person_id: written.person_id,
                        date: written.date,
                        did: written.did,
                        learned: written.learned,
                        amendments: Vec::new(),
                    },
                );
            }
            types::ENTRY_AMENDED => {
                let amended: payload::EntryAmended = read(fact)?;
                let entry = self
                    .entries
                    .get_mut(&amended.entry_id)
                    .ok_or_else(|| apply_error(fact, "amends an unknown entry".into()))?;
                entry.amendments.push(Amendment {
                    id: fact.id,
                    did: amended.did,
                    learned: amended.learned,
                    reason: amended.reason,
                });
            }
            types::SHEET_SUBMITTED => {
                let submitted: payload::SheetSubmitted = read(fact)?;
                let period: Period =
                    submitted
                        .period
                        .parse()
                        .map_err(|error: crate::period::PeriodError| {
                            apply_error(fact, error.to_string())
                        })?;
                let due_on = self.sheet_due_on(period);
                self.sheets.insert(
                    (submitted.person_id, period),
                    Sheet {
                        id: fact.id,
                        submitted_on: day,
                        due_on,
                        entry_ids: submitted.entry_ids,
                        reads: Vec::new(),
                        displayed: None,
                    },
                );
            }
            types::SHEET_READ => {
                let sheet_read: payload::SheetRead = read(fact)?;
                let period: Period =
                    sheet_read
                        .period
                        .parse()
                        .map_err(|error: crate::period::PeriodError| {
                            apply_error(fact, error.to_string())
                        })?;
                let sheet = self
                    .sheets
                    .get_mut(&(sheet_read.person_id, period))
                    .ok_or_else(|| apply_error(fact, "reads a sheet never submitted".into()))?;
                sheet
                    .reads
                    .push((fact.actor_person.into(), sheet_read.comment));
            }
            types::OPINION_GIVEN => {
                let given: payload::OpinionGiven = read(fact)?;
                self.opinions.insert(
                    fact.id,
                    Opinion {
                        chief_id: fact.actor_person.into(),
                        cadre_id: given.cadre_id,
                        month: parse_with(fact, &given.month)?,
                        text: given.opinion,
                    },
                );
            }
            types::NOMINATION_MADE => {
                let made: payload::NominationMade = read(fact)?;
                self.nominations.insert(
                    fact.id,
                    Nomination {
                        leader_id: fact.actor_person.into(),
                        month: parse_with(fact, &made.month)?,
                        kind: Kind::parse(&made.kind)
                            .ok_or_else(|| apply_error(fact, format!("kind {}", made.kind)))?,
                        cadre_id: made.cadre_id,
                        reason: made.reason,
                        cited_ids: made.cited_ids,
                        policy_version: made.policy_version,
                        override_reason: made.override_reason,
                    },
                );
            }
            types::DECISION_PROPOSED => {
                let proposed: payload::DecisionProposed = read(fact)?;
                let quarter: Quarter = parse_with(fact, &proposed.quarter)?;
                let role = if self.holds(fact.actor_person, "party_secretary", day) {
                    "party_secretary"
                } else {
                    "mayor"
                };
                self.latest_proposal.insert(quarter, fact.id);
                self.proposals.insert(
                    fact.id,
                    Proposal {
                        quarter,
                        proposer_id: fact.actor_person.into(),
                        proposer_role: role.into(),
                        best: proposed.best,
                        worst: proposed.worst,
                        policy_version: proposed.policy_version,
                    },
                );
            }
            types::DECISION_COSIGNED => {
                let cosigned: payload::DecisionCosigned = read(fact)?;
                let quarter: Quarter = parse_with(fact, &cosigned.quarter)?;
                self.decisions.insert(
                    quarter,
                    Decision {
                        proposal_id: cosigned.proposal_id,
                        cosign_id: fact.id,
                        cosigner_id: fact.actor_person.into(),
                        cosigned_on: day,
                    },
                );
            }
            types::SHEET_DISPLAYED => {
                let displayed: payload::SheetDisplayed = read(fact)?;
                let period: Period = parse_with(fact, &displayed.period)?;
                let sheet = self
                    .sheets
                    .get_mut(&(displayed.person_id, period))
                    .ok_or_else(|| apply_error(fact, "displays a sheet never submitted".into()))?;
                sheet.displayed = Some(fact.id);
            }
            types::SCORES_GIVEN => {
                let given: payload::ScoresGiven = read(fact)?;
                let month: Month = parse_with(fact, &given.month)?;
                self.scores.insert(
                    (fact.actor_person.into(), month, given.cadre_id),
                    given.scores,
                );
            }
            types::DECISION_PUBLISHED => {
                let published: payload::DecisionPublished = read(fact)?;
                let quarter: Quarter = parse_with(fact, &published.quarter)?;
                self.publications.insert(
                    quarter,
                    Publication {
                        id: fact.id,
                        published_on: day,
                        notice: published.notice,
                    },
                );
            }
            types::APPEAL_FILED => {
                let filed: payload::AppealFiled = read(fact)?;
                let policy = self
                    .policy_on(day)
                    .ok_or_else(|| apply_error(fact, "no policy in force".into()))?;
                let due_on = add_days(day, policy.appeal_answer_days, &policy.appeal_day_kind);
                self.appeals.insert(
                    fact.id,
                    Appeal {
                        quarter: parse_with(fact, &filed.quarter)?,
                        person_id: filed.person_id,
                        kind: Kind::parse(&filed.kind)
                            .ok_or_else(|| apply_error(fact, format!("kind {}", filed.kind)))?,
                        appellant_id: fact.actor_person.into(),
                        grounds: filed.grounds,
                        filed_on: day,
                        due_on,
                        answer: None,
                    },
                );
            }
            types::APPEAL_ANSWERED => {
                let answered: payload::AppealAnswered = read(fact)?;
                let appeal = self
                    .appeals
                    .get_mut(&answered.appeal_id)
                    .ok_or_else(|| apply_error(fact, "answers an unknown appeal".into()))?;
                appeal.answer = Some(Answer {
                    id: fact.id,
                    overturned: answered.outcome == "overturned",
                    reasons: answered.reasons,
                    answered_on: day,
                });
            }
            types::SANCTION_IMPOSED => {
                let imposed: payload::SanctionImposed = read(fact)?;
                self.sanctions.insert(
                    fact.id,
                    Sanction {
                        person_id: imposed.person_id,
                        quarter: parse_with(fact, &imposed.quarter)?,
                        sanction: imposed.sanction,
                        bonus_bp: imposed.bonus_bp,
                        rectify_by: imposed.rectify_by,
                        caused_by: fact.caused_by.to_vec(),
                        imposed_on: day,
                        revoked_by: None,
                        talk_held: None,
                        plan: None,
                        completed: None,
                    },
                );
            }
            types::TALK_HELD => {
                let held: payload::TalkHeld = read(fact)?;
                self.sanction_mut(fact, held.sanction_id)?.talk_held =
                    Some((fact.id, held.held_on));
            }
            types::RECTIFICATION_PLANNED => {
                let planned: payload::RectificationPlanned = read(fact)?;
                self.sanction_mut(fact, planned.sanction_id)?.plan = Some((fact.id, day));
            }
            types::TOKEN_ISSUED => {
                let issued: payload::TokenIssued = read(fact)?;
                self.tokens.insert(
                    issued.token_id,
                    Token {
                        person_id: issued.person_id,
                        issued_by: fact.id,
                        revoked_by: None,
                    },
                );
            }
            types::TOKEN_REVOKED => {
                let revoked: payload::TokenRevoked = read(fact)?;
                self.tokens
                    .get_mut(&revoked.token_id)
                    .ok_or_else(|| apply_error(fact, "revokes an unknown token".into()))?
                    .revoked_by = Some(fact.id);
            }
            types::RECTIFICATION_COMPLETED => {
                let completed: payload::RectificationCompleted = read(fact)?;
                self.sanction_mut(fact, completed.sanction_id)?.completed = Some((fact.id, day));
            }
            types::SANCTION_REVOKED => {
                let revoked: payload::SanctionRevoked = read(fact)?;
                let sanction = self
                    .sanctions
                    .get_mut(&revoked.sanction_id)
                    .ok_or_else(|| apply_error(fact, "revokes an unknown sanction".into()))?;
                sanction.revoked_by = Some(fact.id);
            }
            other => {
                return Err(apply_error(
                    fact,
                    format!("the rules know no event type {other}"),
                ));
            }
        }
        self.events += 1;
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
