//! What the units' events say, folded in order into `State::units`: the units and who leads
//! them over time, who answers for each indicator over time, the city's scores with the
//! consequences of a last place, the villages' scores, rankings, pay effects and reports, the
//! spot checks with their justifications, the key tasks, and the items of the three lists.
//! The fold of each event type is here too; `fold.rs` hands these types over.

use std::collections::BTreeMap;

use jiff::civil::Date;
use uuid::Uuid;

use crate::period::Quarter;
use crate::state::{ApplyError, Fact};
use crate::units::payload::{
    self, Document, Milestone, PeerScore, TaskComment, VillagePlace, VillageScore,
};
use crate::units::words::{
    AbsenceReason, ConsequenceKind, ItemSource, Oversight, ReportForm, UnitKind,
};
use crate::words::EventType;

/// A registered unit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unit {
    /// What it is.
    pub kind: UnitKind,
    /// Its name.
    pub name: String,
    /// (from, leader), in date order; each replaces the one before from its day.
    pub leaders: Vec<(Date, String)>,
}

impl Unit {
    /// Its leader on `date`.
    pub fn leader_on(&self, date: Date) -> Option<&str> {
        self.leaders
            .iter()
            .rev()
            .find(|(from, _)| *from <= date)
            .map(|(_, leader)| leader.as_str())
    }
}

/// Who answers for an indicator from a day on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Responsibility {
    /// The first day.
    pub from: Date,
    /// The responsible vice-leader.
    pub leader_id: String,
    /// The business cadres.
    pub cadre_ids: Vec<String>,
}

/// The city's scores of one indicator for one quarter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CityScores {
    /// The recording event.
    pub id: Uuid,
    /// The day it was recorded.
    pub recorded_on: Date,
    /// The township's score, tenths.
    pub score_tenths: u32,
    /// The other townships' scores.
    pub peers: Vec<PeerScore>,
    /// The city's notice.
    pub document: Document,
    /// The policy version.
    pub policy_version: u32,
}

impl CityScores {
    /// The township's rank: one more than the townships that scored higher.
    pub fn rank(&self) -> u32 {
        1 + self
            .peers
            .iter()
            .filter(|peer| peer.score_tenths > self.score_tenths)
            .count() as u32
    }

    /// How many were ranked, the township included.
    pub fn ranked(&self) -> u32 {
        self.peers.len() as u32 + 1
    }

    /// Its place counted from the bottom (倒数第几): one more than those that scored lower.
    pub fn place_from_bottom(&self) -> u32 {
        1 + self
            .peers
            .iter()
            .filter(|peer| peer.score_tenths < self.score_tenths)
            .count() as u32
    }

    /// Whether the township is last (倒数第一): no one scored lower.
    pub fn last(&self) -> bool {
        self.place_from_bottom() == 1
    }
}

/// A consequence of a last place, and its fulfilment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Consequence {
    /// The quarter ranked.
    pub quarter: Quarter,
    /// The indicator.
    pub indicator_id: String,
    /// What is due.
    pub consequence: ConsequenceKind,
    /// Who owes it.
    pub person_ids: Vec<String>,
    /// When it is due.
    pub due_on: Date,
    /// The day it was found due.
    pub imposed_on: Date,
    /// Its causes.
    pub caused_by: Vec<Uuid>,
    /// The policy version.
    pub policy_version: u32,
    /// The fulfilment: its event, the day held, and what was decided or said.
    pub fulfilled: Option<(Uuid, Date, String)>,
}

impl Consequence {
    /// Whether it was fulfilled after its due day, or is still unfulfilled after it on `today`.
    pub fn overdue(&self, today: Date) -> bool {
        match &self.fulfilled {
            Some((_, held_on, _)) => *held_on > self.due_on,
            None => today > self.due_on,
        }
    }
}

/// A department's scores of the villages on one criterion for a quarter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VillageSheet {
    /// The event.
    pub id: Uuid,
    /// The department.
    pub department_id: String,
    /// Who scored.
    pub scorer_id: String,
    /// The day.
    pub scored_on: Date,
    /// Every village's score.
    pub scores: Vec<VillageScore>,
    /// The scoring sheet.
    pub document: Document,
}

/// A published village ranking.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RankingPublication {
    /// The event.
    pub id: Uuid,
    /// The day.
    pub published_on: Date,
    /// The ranking as published.
    pub ranking: Vec<VillagePlace>,
    /// The notice.
    pub notice: String,
    /// The ledger's size it was published against.
    pub ledger_size: u64,
    /// The ledger's root at that size.
    pub ledger_root: String,
    /// The policy version.
    pub policy_version: u32,
}

/// A village's pay effect of a published ranking.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PayEffect {
    /// The quarter.
    pub quarter: Quarter,
    /// The village.
    pub village_id: String,
    /// Its rank.
    pub rank: u32,
    /// The adjustment, basis points.
    pub adjustment_bp: i32,
    /// Its causes.
    pub caused_by: Vec<Uuid>,
    /// The policy version.
    pub policy_version: u32,
}

/// A village leader's report on a quarter (述职).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VillageReport {
    /// The event.
    pub id: Uuid,
    /// Who reported.
    pub person_id: String,
    /// The day.
    pub given_on: Date,
    /// In person or in writing.
    pub form: ReportForm,
    /// The report.
    pub summary: String,
}

/// An absent person's justification and its review.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Justification {
    /// The event.
    pub id: Uuid,
    /// The day.
    pub given_on: Date,
    /// Why.
    pub reason: AbsenceReason,
    /// Where, and what for.
    pub explanation: String,
    /// The review: event, reviewer, accepted, comment.
    pub review: Option<Review>,
}

/// A supervising leader's review of a justification.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Review {
    /// The event.
    pub id: Uuid,
    /// Who reviewed.
    pub reviewer_id: String,
    /// Whether accepted.
    pub accepted: bool,
    /// Why.
    pub comment: String,
}

/// A spot check and what followed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SpotCheck {
    /// The day of the check.
    pub checked_on: Date,
    /// Who checked.
    pub checked_by: String,
    /// Present.
    pub present: Vec<String>,
    /// Absent.
    pub absent: Vec<String>,
    /// The report.
    pub document: Document,
    /// Justifications by absent person.
    pub justifications: BTreeMap<String, Justification>,
}

impl SpotCheck {
    /// The on-duty rate (在岗率) in basis points.
    pub fn on_duty_bp(&self) -> u32 {
        let checked = self.present.len() + self.absent.len();
        if checked == 0 {
            return 10_000;
        }
        (self.present.len() * 10_000 / checked) as u32
    }
}

/// A milestone and the report that reached it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MilestoneState {
    /// The milestone.
    pub milestone: Milestone,
    /// The report that reached it, and its day.
    pub reached: Option<(Uuid, Date)>,
}

impl MilestoneState {
    /// Whether it was reached after its due day, or is still open after it on `today`.
    pub fn overdue(&self, today: Date) -> bool {
        match self.reached {
            Some((_, on)) => on > self.milestone.due_on,
            None => today > self.milestone.due_on,
        }
    }
}

/// A progress report on a key task.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Progress {
    /// The event.
    pub id: Uuid,
    /// Who reported.
    pub person_id: String,
    /// The day.
    pub reported_on: Date,
    /// The milestone reached, if one (1 for the first).
    pub milestone: Option<u32>,
    /// What was done.
    pub summary: String,
}

/// A supervision follow-up or an inspection of a key task.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FollowUp {
    /// The event.
    pub id: Uuid,
    /// Which.
    pub kind: Oversight,
    /// Who recorded it.
    pub person_id: String,
    /// The day.
    pub held_on: Date,
    /// What was found.
    pub note: String,
    /// The problem put on the three lists, if any.
    pub problem: Option<String>,
}

/// A key task (重点工作) and what was reported on it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyTask {
    /// The registration event.
    pub id: Uuid,
    /// The day registered.
    pub registered_on: Date,
    /// The year.
    pub year: i16,
    /// The task.
    pub title: String,
    /// The owning leader.
    pub leader_id: String,
    /// The owning unit.
    pub unit_id: String,
    /// The business cadres.
    pub cadre_ids: Vec<String>,
    /// The milestones.
    pub milestones: Vec<MilestoneState>,
    /// The progress reports, in order.
    pub progress: Vec<Progress>,
    /// The follow-ups and inspections, in order.
    pub follow_ups: Vec<FollowUp>,
}

/// The mid-year review of a year's key tasks (逐项点评).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TaskReview {
    /// The event.
    pub id: Uuid,
    /// Who reviewed.
    pub person_id: String,
    /// The day.
    pub held_on: Date,
    /// The comments.
    pub comments: Vec<TaskComment>,
}

/// One step in an item's history after it was opened.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ItemStep {
    /// The cause and measure analysed.
    Analysed {
        /// The event.
        id: Uuid,
        /// The day.
        on: Date,
    },
    /// Closed by its owner.
    Closed {
        /// The event.
        id: Uuid,
        /// The day.
        on: Date,
        /// What was done.
        summary: String,
    },
    /// Verified closed by someone else.
    Verified {
        /// The event.
        id: Uuid,
        /// The day.
        on: Date,
        /// Who verified.
        verifier_id: String,
        /// What was checked.
        comment: String,
    },
    /// Found again.
    Reopened {
        /// The event.
        id: Uuid,
        /// The day.
        on: Date,
        /// Who found it again.
        finder_id: String,
        /// How.
        finding: String,
    },
}

/// An item of the three lists: the problem, its cause and measure, who answers for it, and
/// where it stands.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ListItem {
    /// The problem.
    pub problem: String,
    /// The cause, as last analysed.
    pub cause: String,
    /// The measure, as last analysed.
    pub measure: String,
    /// The person responsible.
    pub person_id: String,
    /// Who opened it (`kaohe` for the rules).
    pub opened_by: String,
    /// Where it comes from.
    pub source: ItemSource,
    /// The events it comes from.
    pub caused_by: Vec<Uuid>,
    /// The document from above.
    pub document: Option<Document>,
    /// The day opened.
    pub opened_on: Date,
    /// The deadline now (a reopening sets a new one).
    pub due_on: Date,
    /// The policy version it was opened under.
    pub policy_version: u32,
    /// What happened since, in order.
    pub steps: Vec<ItemStep>,
    /// The closure in force: event and day (none while open or after a reopening).
    pub closed: Option<(Uuid, Date)>,
    /// The verification in force: event and day.
    pub verified: Option<(Uuid, Date)>,
}

impl ListItem {
    /// Whether it was closed after its deadline, or is still open after it on `today`.
    pub fn overdue(&self, today: Date) -> bool {
        match self.closed {
            Some((_, on)) => on > self.due_on,
            None => today > self.due_on,
        }
    }

    /// Whether it was closed and is still not verified more than `days` after on `today`.
    pub fn unverified(&self, today: Date, days: u32) -> bool {
        match (self.closed, self.verified) {
            (Some((_, on)), None) => {
                today > on.saturating_add(jiff::Span::new().days(i64::from(days)))
            }
            _ => false,
        }
    }

    /// How many times it was found again.
    pub fn reopened(&self) -> usize {
        self.steps
            .iter()
            .filter(|step| matches!(step, ItemStep::Reopened { .. }))
            .count()
    }
}

/// Everything of the units' part of the scheme.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UnitsState {
    /// Units by code.
    pub units: BTreeMap<String, Unit>,
    /// Each indicator's responsibilities, in date order.
    pub indicators: BTreeMap<String, Vec<Responsibility>>,
    /// The city's scores by (quarter, indicator).
    pub city_scores: BTreeMap<(Quarter, String), CityScores>,
    /// Consequences of last places by event.
    pub consequences: BTreeMap<Uuid, Consequence>,
    /// Village scores by (quarter, criterion).
    pub village_scores: BTreeMap<(Quarter, String), VillageSheet>,
    /// Published village rankings by quarter.
    pub rankings: BTreeMap<Quarter, RankingPublication>,
    /// Pay effects by event.
    pub pay_effects: BTreeMap<Uuid, PayEffect>,
    /// Village reports by (quarter, village).
    pub reports: BTreeMap<(Quarter, String), VillageReport>,
    /// Spot checks by event.
    pub spot_checks: BTreeMap<Uuid, SpotCheck>,
    /// Key tasks by code.
    pub key_tasks: BTreeMap<String, KeyTask>,
    /// Mid-year reviews by year.
    pub reviews: BTreeMap<i16, TaskReview>,
    /// Items of the three lists by the event that opened them.
    pub items: BTreeMap<Uuid, ListItem>,
    /// The day of the latest event folded (the ledger's today for findings).
    pub through: Option<Date>,
}

impl UnitsState {
    /// The unit `id`, if it is of `kind`.
    pub fn unit_of_kind(&self, id: &str, kind: UnitKind) -> Option<&Unit> {
        self.units.get(id).filter(|unit| unit.kind == kind)
    }

    /// Whether `person` leads the unit `id` on `date`.
    pub fn leads(&self, person: &str, id: &str, date: Date) -> bool {
        self.units
            .get(id)
            .is_some_and(|unit| unit.leader_on(date) == Some(person))
    }

    /// Whether `person` leads a supervision office on `date`.
    pub fn leads_supervision_office(&self, person: &str, date: Date) -> bool {
        self.units.values().any(|unit| {
            unit.kind == UnitKind::SupervisionOffice && unit.leader_on(date) == Some(person)
        })
    }

    /// The units of `kind`, by code.
    pub fn of_kind(&self, kind: UnitKind) -> impl Iterator<Item = (&String, &Unit)> {
        self.units.iter().filter(move |(_, unit)| unit.kind == kind)
    }

    /// Who answers for the indicator `id` on `date`.
    pub fn responsible_on(&self, id: &str, date: Date) -> Option<&Responsibility> {
        self.indicators
            .get(id)?
            .iter()
            .rev()
            .find(|responsibility| responsibility.from <= date)
    }

    /// The consequences recorded for the last place of `indicator` in `quarter`, in order.
    pub fn consequences_of(&self, quarter: Quarter, indicator: &str) -> Vec<(&Uuid, &Consequence)> {
        self.consequences
            .iter()
            .filter(|(_, consequence)| {
                consequence.quarter == quarter && consequence.indicator_id == indicator
            })
            .collect()
    }
}

fn apply_error(fact: &Fact<'_>, message: String) -> ApplyError {
    ApplyError {
        id: fact.id,
        event_type: fact.type_text().into(),
        message,
    }
}

fn read<T: serde::de::DeserializeOwned>(fact: &Fact<'_>) -> Result<T, ApplyError> {
    fact.payload
        .read()
        .map_err(|error| apply_error(fact, error.to_string()))
}

impl UnitsState {
    /// Fold one event of the units' types; `day` is the day of its business time. Any other
    /// type is not this part's to fold.
    pub(crate) fn apply(
        &mut self,
        event_type: EventType,
        fact: &Fact<'_>,
        day: Date,
    ) -> Result<(), ApplyError> {
        match event_type {
            EventType::UnitRegistered => self.unit_registered(read(fact)?),
            EventType::UnitLeaderAssigned => self.unit_leader_assigned(fact, read(fact)?)?,
            EventType::IndicatorAssigned => self.indicator_assigned(read(fact)?),
            EventType::CityScoresRecorded => self.city_scores_recorded(fact, day, read(fact)?),
            EventType::LastPlaceConsequenceDue => {
                self.consequence_due(fact, day, read(fact)?);
            }
            EventType::LastPlaceConsequenceFulfilled => {
                self.consequence_fulfilled(fact, read(fact)?)?;
            }
            EventType::VillageScoresGiven => self.village_scores_given(fact, day, read(fact)?),
            EventType::VillageRankingPublished => self.ranking_published(fact, day, read(fact)?),
            EventType::VillagePayAdjusted => self.pay_adjusted(fact, read(fact)?),
            EventType::VillageReportGiven => self.report_given(fact, day, read(fact)?),
            EventType::SpotCheckRecorded => self.spot_check_recorded(fact, read(fact)?),
            EventType::AbsenceJustified => self.absence_justified(fact, day, read(fact)?)?,
            EventType::AbsenceReviewed => self.absence_reviewed(fact, read(fact)?)?,
            EventType::KeyTaskRegistered => self.key_task_registered(fact, day, read(fact)?),
            EventType::KeyTaskProgressReported => self.progress_reported(fact, day, read(fact)?)?,
            EventType::KeyTaskFollowedUp => self.followed_up(fact, read(fact)?)?,
            EventType::KeyTasksReviewed => self.reviewed(fact, read(fact)?),
            EventType::ListItemOpened => self.item_opened(fact, day, read(fact)?),
            EventType::ListItemAnalysed => self.item_analysed(fact, day, read(fact)?)?,
            EventType::ListItemClosed => self.item_closed(fact, day, read(fact)?)?,
            EventType::ListItemVerified => self.item_verified(fact, day, read(fact)?)?,
            EventType::ListItemReopened => self.item_reopened(fact, day, read(fact)?)?,
            other => {
                return Err(apply_error(
                    fact,
                    format!("{other} is not an event of the units"),
                ));
            }
        }
        Ok(())
    }

    fn unit_registered(&mut self, registered: payload::UnitRegistered) {
        let unit = Unit {
            kind: registered.kind,
            name: registered.name,
            leaders: Vec::new(),
        };
        self.units.insert(registered.unit_id, unit);
    }

    fn unit_leader_assigned(
        &mut self,
        fact: &Fact<'_>,
        assigned: payload::UnitLeaderAssigned,
    ) -> Result<(), ApplyError> {
        let unit = self
            .units
            .get_mut(&assigned.unit_id)
            .ok_or_else(|| apply_error(fact, format!("no unit {}", assigned.unit_id)))?;
        unit.leaders.push((assigned.from, assigned.person_id));
        unit.leaders.sort_by_key(|(from, _)| *from);
        Ok(())
    }

    fn indicator_assigned(&mut self, assigned: payload::IndicatorAssigned) {
        let responsibilities = self.indicators.entry(assigned.indicator_id).or_default();
        responsibilities.push(Responsibility {
            from: assigned.from,
            leader_id: assigned.leader_id,
            cadre_ids: assigned.cadre_ids,
        });
        responsibilities.sort_by_key(|responsibility| responsibility.from);
    }

    fn city_scores_recorded(
        &mut self,
        fact: &Fact<'_>,
        day: Date,
        recorded: payload::CityScoresRecorded,
    ) {
        let scores = CityScores {
            id: fact.id,
            recorded_on: day,
            score_tenths: recorded.score_tenths,
            peers: recorded.peers,
            document: recorded.document,
            policy_version: recorded.policy_version,
        };
        self.city_scores
            .insert((recorded.quarter, recorded.indicator_id), scores);
    }

    fn consequence_due(
        &mut self,
        fact: &Fact<'_>,
        day: Date,
        due: payload::LastPlaceConsequenceDue,
    ) {
        let consequence = Consequence {
            quarter: due.quarter,
            indicator_id: due.indicator_id,
            consequence: due.consequence,
            person_ids: due.person_ids,
            due_on: due.due_on,
            imposed_on: day,
            caused_by: fact.caused_by.to_vec(),
            policy_version: due.policy_version,
            fulfilled: None,
        };
        self.consequences.insert(fact.id, consequence);
    }

    fn consequence_fulfilled(
        &mut self,
        fact: &Fact<'_>,
        fulfilled: payload::LastPlaceConsequenceFulfilled,
    ) -> Result<(), ApplyError> {
        let consequence = self
            .consequences
            .get_mut(&fulfilled.consequence_id)
            .ok_or_else(|| apply_error(fact, "fulfils an unknown consequence".into()))?;
        consequence.fulfilled = Some((fact.id, fulfilled.held_on, fulfilled.summary));
        Ok(())
    }

    fn village_scores_given(
        &mut self,
        fact: &Fact<'_>,
        day: Date,
        given: payload::VillageScoresGiven,
    ) {
        let sheet = VillageSheet {
            id: fact.id,
            department_id: given.department_id,
            scorer_id: fact.actor_person.into(),
            scored_on: day,
            scores: given.scores,
            document: given.document,
        };
        self.village_scores
            .insert((given.quarter, given.criterion_id), sheet);
    }

    fn ranking_published(
        &mut self,
        fact: &Fact<'_>,
        day: Date,
        published: payload::VillageRankingPublished,
    ) {
        let publication = RankingPublication {
            id: fact.id,
            published_on: day,
            ranking: published.ranking,
            notice: published.notice,
            ledger_size: published.ledger_size,
            ledger_root: published.ledger_root,
            policy_version: published.policy_version,
        };
        self.rankings.insert(published.quarter, publication);
    }

    fn pay_adjusted(&mut self, fact: &Fact<'_>, adjusted: payload::VillagePayAdjusted) {
        let effect = PayEffect {
            quarter: adjusted.quarter,
            village_id: adjusted.village_id,
            rank: adjusted.rank,
            adjustment_bp: adjusted.adjustment_bp,
            caused_by: fact.caused_by.to_vec(),
            policy_version: adjusted.policy_version,
        };
        self.pay_effects.insert(fact.id, effect);
    }

    fn report_given(&mut self, fact: &Fact<'_>, day: Date, given: payload::VillageReportGiven) {
        let report = VillageReport {
            id: fact.id,
            person_id: fact.actor_person.into(),
            given_on: day,
            form: given.form,
            summary: given.summary,
        };
        self.reports
            .insert((given.quarter, given.village_id), report);
    }

    fn spot_check_recorded(&mut self, fact: &Fact<'_>, recorded: payload::SpotCheckRecorded) {
        let check = SpotCheck {
            checked_on: recorded.checked_on,
            checked_by: recorded.checked_by,
            present: recorded.present,
            absent: recorded.absent,
            document: recorded.document,
            justifications: BTreeMap::new(),
        };
        self.spot_checks.insert(fact.id, check);
    }

    fn absence_justified(
        &mut self,
        fact: &Fact<'_>,
        day: Date,
        justified: payload::AbsenceJustified,
    ) -> Result<(), ApplyError> {
        let check = self
            .spot_checks
            .get_mut(&justified.spot_check_id)
            .ok_or_else(|| apply_error(fact, "justifies an absence at no spot check".into()))?;
        let justification = Justification {
            id: fact.id,
            given_on: day,
            reason: justified.reason,
            explanation: justified.explanation,
            review: None,
        };
        check
            .justifications
            .insert(justified.person_id, justification);
        Ok(())
    }

    fn absence_reviewed(
        &mut self,
        fact: &Fact<'_>,
        reviewed: payload::AbsenceReviewed,
    ) -> Result<(), ApplyError> {
        let justification = self
            .spot_checks
            .get_mut(&reviewed.spot_check_id)
            .and_then(|check| check.justifications.get_mut(&reviewed.person_id))
            .ok_or_else(|| apply_error(fact, "reviews a justification never given".into()))?;
        justification.review = Some(Review {
            id: fact.id,
            reviewer_id: fact.actor_person.into(),
            accepted: reviewed.accepted,
            comment: reviewed.comment,
        });
        Ok(())
    }

    fn key_task_registered(
        &mut self,
        fact: &Fact<'_>,
        day: Date,
        registered: payload::KeyTaskRegistered,
    ) {
        let task = KeyTask {
            id: fact.id,
            registered_on: day,
            year: registered.year,
            title: registered.title,
            leader_id: registered.leader_id,
            unit_id: registered.unit_id,
            cadre_ids: registered.cadre_ids,
            milestones: registered
                .milestones
                .into_iter()
                .map(|milestone| MilestoneState {
                    milestone,
                    reached: None,
                })
                .collect(),
            progress: Vec::new(),
            follow_ups: Vec::new(),
        };
        self.key_tasks.insert(registered.task_id, task);
    }

    fn task_mut(&mut self, fact: &Fact<'_>, id: &str) -> Result<&mut KeyTask, ApplyError> {
        self.key_tasks
            .get_mut(id)
            .ok_or_else(|| apply_error(fact, format!("no key task {id}")))
    }

    fn progress_reported(
        &mut self,
        fact: &Fact<'_>,
        day: Date,
        reported: payload::KeyTaskProgressReported,
    ) -> Result<(), ApplyError> {
        let task = self.task_mut(fact, &reported.task_id)?;
        if let Some(number) = reported.milestone {
            let milestone = (number as usize)
                .checked_sub(1)
                .and_then(|index| task.milestones.get_mut(index))
                .ok_or_else(|| apply_error(fact, format!("the task has no milestone {number}")))?;
            milestone.reached = Some((fact.id, day));
        }
        task.progress.push(Progress {
            id: fact.id,
            person_id: fact.actor_person.into(),
            reported_on: day,
            milestone: reported.milestone,
            summary: reported.summary,
        });
        Ok(())
    }

    fn followed_up(
        &mut self,
        fact: &Fact<'_>,
        followed: payload::KeyTaskFollowedUp,
    ) -> Result<(), ApplyError> {
        let task = self.task_mut(fact, &followed.task_id)?;
        task.follow_ups.push(FollowUp {
            id: fact.id,
            kind: followed.kind,
            person_id: fact.actor_person.into(),
            held_on: followed.held_on,
            note: followed.note,
            problem: followed.problem,
        });
        Ok(())
    }

    fn reviewed(&mut self, fact: &Fact<'_>, reviewed: payload::KeyTasksReviewed) {
        let review = TaskReview {
            id: fact.id,
            person_id: fact.actor_person.into(),
            held_on: reviewed.held_on,
            comments: reviewed.comments,
        };
        self.reviews.insert(reviewed.year, review);
    }

    fn item_opened(&mut self, fact: &Fact<'_>, day: Date, opened: payload::ListItemOpened) {
        let item = ListItem {
            problem: opened.problem,
            cause: opened.cause,
            measure: opened.measure,
            person_id: opened.person_id,
            opened_by: fact.actor_person.into(),
            source: opened.source,
            caused_by: fact.caused_by.to_vec(),
            document: opened.document,
            opened_on: day,
            due_on: opened.due_on,
            policy_version: opened.policy_version,
            steps: Vec::new(),
            closed: None,
            verified: None,
        };
        self.items.insert(fact.id, item);
    }

    fn item_mut(&mut self, fact: &Fact<'_>, id: Uuid) -> Result<&mut ListItem, ApplyError> {
        self.items
            .get_mut(&id)
            .ok_or_else(|| apply_error(fact, format!("{id} is no item of the three lists")))
    }

    fn item_analysed(
        &mut self,
        fact: &Fact<'_>,
        day: Date,
        analysed: payload::ListItemAnalysed,
    ) -> Result<(), ApplyError> {
        let item = self.item_mut(fact, analysed.item_id)?;
        item.cause = analysed.cause;
        item.measure = analysed.measure;
        item.steps.push(ItemStep::Analysed {
            id: fact.id,
            on: day,
        });
        Ok(())
    }

    fn item_closed(
        &mut self,
        fact: &Fact<'_>,
        day: Date,
        closed: payload::ListItemClosed,
    ) -> Result<(), ApplyError> {
        let item = self.item_mut(fact, closed.item_id)?;
        item.closed = Some((fact.id, day));
        item.steps.push(ItemStep::Closed {
            id: fact.id,
            on: day,
            summary: closed.summary,
        });
        Ok(())
    }

    fn item_verified(
        &mut self,
        fact: &Fact<'_>,
        day: Date,
        verified: payload::ListItemVerified,
    ) -> Result<(), ApplyError> {
        let item = self.item_mut(fact, verified.item_id)?;
        item.verified = Some((fact.id, day));
        item.steps.push(ItemStep::Verified {
            id: fact.id,
            on: day,
            verifier_id: fact.actor_person.into(),
            comment: verified.comment,
        });
        Ok(())
    }

    fn item_reopened(
        &mut self,
        fact: &Fact<'_>,
        day: Date,
        reopened: payload::ListItemReopened,
    ) -> Result<(), ApplyError> {
        let item = self.item_mut(fact, reopened.item_id)?;
        item.closed = None;
        item.verified = None;
        item.due_on = reopened.due_on;
        item.steps.push(ItemStep::Reopened {
            id: fact.id,
            on: day,
            finder_id: fact.actor_person.into(),
            finding: reopened.finding,
        });
        Ok(())
    }
}
