//! The assessment state: what the events so far say, folded in order. Every decision reads it,
//! every event updates it, and a replay rebuilds it from the ledger alone. The fold itself is in
//! `fold.rs`.

use std::collections::BTreeMap;

use jiff::civil::Date;
use kaohe_ledger::event::{CheckedEvent, EventDraft, ParsedEvent};
use serde::Serialize;
use serde_json::Value;
use uuid::Uuid;

use crate::payload;
use crate::period::{Month, Period, Quarter};
use crate::policy::{Policy, PolicyBook};
pub use crate::words::Kind;
use crate::words::{DayKind, EventType, Outcome, Role, SanctionKind, TieBreak};

/// The parts of an event the rules read, from a draft about to be appended or a stored event.
#[derive(Clone, Copy, Debug)]
pub struct Fact<'a> {
    /// The event id.
    pub id: Uuid,
    /// The event type, read once; a type the rules do not know keeps its text, and folding
    /// it is an [`ApplyError`].
    pub event_type: Result<EventType, &'a str>,
    /// The version of its payload's schema.
    pub payload_version: u64,
    /// When the act happened.
    pub business_time: &'a str,
    /// Who acted.
    pub actor_person: &'a str,
    /// The payload.
    pub payload: Payload<'a>,
    /// The events it names as its causes.
    pub caused_by: &'a [Uuid],
}

/// An event's payload as the fold gets it: a draft's value, or a stored event's canonical
/// JSON, read straight into the payload's struct without a `Value` in between.
#[derive(Clone, Copy, Debug)]
pub enum Payload<'a> {
    /// A draft's payload.
    Value(&'a Value),
    /// A stored event's payload, its canonical JSON.
    Json(&'a str),
}

impl Payload<'_> {
    /// The payload read into `T`.
    pub fn read<T: serde::de::DeserializeOwned>(&self) -> Result<T, serde_json::Error> {
        match self {
            Payload::Value(value) => T::deserialize(*value),
            Payload::Json(text) => serde_json::from_str(text),
        }
    }
}

impl<'a> Fact<'a> {
    /// The event type as written.
    pub fn type_text(&self) -> &'a str {
        match self.event_type {
            Ok(event_type) => event_type.as_str(),
            Err(text) => text,
        }
    }
}

fn event_type_of(text: &str) -> Result<EventType, &str> {
    text.parse().map_err(|_| text)
}

impl<'a> From<&'a EventDraft> for Fact<'a> {
    fn from(draft: &'a EventDraft) -> Self {
        Fact {
            id: draft.id,
            event_type: event_type_of(&draft.event_type),
            payload_version: draft.payload_version,
            business_time: &draft.business_time,
            actor_person: &draft.actor.person_id,
            payload: Payload::Value(&draft.payload),
            caused_by: &draft.caused_by,
        }
    }
}

impl<'a> From<&'a ParsedEvent> for Fact<'a> {
    fn from(event: &'a ParsedEvent) -> Self {
        Fact {
            id: event.id,
            event_type: event_type_of(&event.event_type),
            payload_version: event.value["payload_version"].as_u64().unwrap_or(0),
            business_time: event.value["business_time"].as_str().unwrap_or_default(),
            actor_person: event.value["actor"]["person_id"]
                .as_str()
                .unwrap_or_default(),
            payload: Payload::Value(&event.value["payload"]),
            caused_by: &event.caused_by,
        }
    }
}

impl<'a> From<&'a CheckedEvent<'a>> for Fact<'a> {
    fn from(event: &'a CheckedEvent<'a>) -> Self {
        Fact {
            id: event.id,
            event_type: event_type_of(event.event_type),
            payload_version: event.payload_version,
            business_time: event.business_time,
            actor_person: event.actor_person,
            payload: Payload::Json(event.payload),
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
    pub role: Role,
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

/// A day's entry: whose and which day, and its corrections. The texts are not kept: a state
/// holds what the rules decide on, and a view that shows an entry reads its lines, and each
/// correction's, from the ledger by event id (`views::EventPayloads`), so memory grows with
/// the people and open matters, not with the length of the history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// Whose.
    pub person_id: String,
    /// The day.
    pub date: Date,
    /// The ids of the `entry_amended` events that corrected it, oldest first; the original
    /// stays.
    pub amendments: Vec<Uuid>,
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
    /// In which role: the party secretary or the mayor.
    pub proposer_role: Role,
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
    /// Upheld or overturned.
    pub outcome: Outcome,
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
    pub sanction: SanctionKind,
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

/// A year's working-day calendar, as the office recorded it from the State Council's notice.
/// The holidays' names and the notice are not kept: they are read from the event by its id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Calendar {
    /// The event that recorded it.
    pub id: Uuid,
    /// The public holidays, each its first and last day off.
    pub holidays: Vec<(Date, Date)>,
    /// Weekend days that are working days (调休上班).
    pub working_days: Vec<Date>,
}

impl Calendar {
    /// Whether `day` is a day off for a holiday.
    pub fn holiday(&self, day: Date) -> bool {
        self.holidays
            .iter()
            .any(|(first, last)| *first <= day && day <= *last)
    }
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
    /// Units, indicators, rankings, spot checks, key tasks and the three lists.
    pub units: crate::units::UnitsState,
    /// The working-day calendar of each year recorded, the latest recorded for the year.
    pub calendars: BTreeMap<i16, Calendar>,
    /// How many events were folded in.
    pub events: u64,
}

impl State {
    /// Whether `day` is a working day: by the calendar recorded for its year (a holiday is not,
    /// a make-up working day is), and otherwise Monday to Friday. A year with no calendar
    /// recorded counts every weekday, holidays too: the rules never guess a holiday.
    pub fn is_working_day(&self, day: Date) -> bool {
        if let Some(calendar) = self.calendars.get(&day.year()) {
            if calendar.working_days.contains(&day) {
                return true;
            }
            if calendar.holiday(day) {
                return false;
            }
        }
        !matches!(
            day.weekday(),
            jiff::civil::Weekday::Saturday | jiff::civil::Weekday::Sunday
        )
    }

    /// `days` after `day`: calendar days, or working days by [`State::is_working_day`]. A
    /// deadline beyond the end of the calendar is its last day, so that no date of the
    /// ledger's range panics.
    pub fn add_days(&self, day: Date, days: u32, kind: DayKind) -> Date {
        match kind {
            DayKind::Calendar => day.saturating_add(jiff::Span::new().days(i64::from(days))),
            DayKind::Working => {
                let mut current = day;
                let mut left = days;
                while left > 0 {
                    let Ok(next) = current.tomorrow() else {
                        return current;
                    };
                    current = next;
                    if self.is_working_day(current) {
                        left -= 1;
                    }
                }
                current
            }
        }
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
        self.add_days(period.last_day(), due_days, DayKind::Calendar)
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
    pub fn holds(&self, person: &str, role: Role, date: Date) -> bool {
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

    /// Whether `leader` supervised `cadre` on some day of `month`: the leader may read,
    /// score and nominate them for that month.
    pub fn supervised(&self, leader: &str, cadre: &str, month: Month) -> bool {
        month
            .days()
            .any(|day| self.supervisor_on(cadre, day) == Some(leader))
    }

    /// Every cadre `leader` supervised on some day of `month`, in roster order.
    pub fn supervisees(&self, leader: &str, month: Month) -> Vec<String> {
        self.people
            .keys()
            .filter(|cadre| self.supervised(leader, cadre, month))
            .cloned()
            .collect()
    }

    /// The last day the nominations of `month` may be made: its last day plus the
    /// nomination days of the policy in force then. `None` without a policy, or when the
    /// deadline would fall beyond the end of the calendar (so it is never passed).
    pub fn nomination_due(&self, month: Month) -> Option<Date> {
        let policy = self.policy_on(month.last_day())?;
        month
            .last_day()
            .checked_add(jiff::Span::new().days(i64::from(policy.nomination_due_days)))
            .ok()
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
                        .is_some_and(|answer| answer.outcome == Outcome::Overturned)
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
                let (first, second) = match scoring.tie_break {
                    TieBreak::DisciplineThenAbility => (scores.discipline, scores.ability),
                    TieBreak::PersonId => (0, 0),
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
}
