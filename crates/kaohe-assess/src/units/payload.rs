//! The typed payloads of the units' events, one struct per event type and version, as the
//! schemas in `schemas/payloads/` describe them.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::period::Quarter;
use crate::units::words::{
    AbsenceReason, ConsequenceKind, ItemSource, Oversight, ReportForm, UnitKind,
};

/// The document a score or a finding comes from: the city's ranking notice, a department's
/// scoring sheet, the efficiency office's report, a notice from above.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Document {
    /// Its title.
    pub title: String,
    /// Its number (文号), empty if it has none.
    pub number: String,
    /// The day it was issued.
    pub issued_on: Date,
}

/// `unit_registered` v1.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitRegistered {
    /// The unit's code.
    pub unit_id: String,
    /// What it is.
    pub kind: UnitKind,
    /// Its name.
    pub name: String,
}

/// `unit_leader_assigned` v1.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitLeaderAssigned {
    /// The unit.
    pub unit_id: String,
    /// Its leader from `from` on.
    pub person_id: String,
    /// The first day.
    pub from: Date,
}

/// `indicator_assigned` v1.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndicatorAssigned {
    /// The indicator.
    pub indicator_id: String,
    /// The responsible vice-leader.
    pub leader_id: String,
    /// The business cadres.
    pub cadre_ids: Vec<String>,
    /// The first day.
    pub from: Date,
}

/// Another township's score on an indicator, as the city's notice gives it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PeerScore {
    /// The other township's name.
    pub name: String,
    /// Its score, in tenths of a point.
    pub score_tenths: u32,
}

/// `city_scores_recorded` v1.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CityScoresRecorded {
    /// The quarter ranked.
    pub quarter: Quarter,
    /// The indicator.
    pub indicator_id: String,
    /// The township (a unit of kind `township`).
    pub unit_id: String,
    /// The township's score, in tenths of a point.
    pub score_tenths: u32,
    /// The other townships' scores.
    pub peers: Vec<PeerScore>,
    /// The city's notice.
    pub document: Document,
    /// The policy version in force on the quarter's last day.
    pub policy_version: u32,
}

/// `last_place_consequence_due` v1.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LastPlaceConsequenceDue {
    /// The quarter ranked.
    pub quarter: Quarter,
    /// The indicator.
    pub indicator_id: String,
    /// What is due.
    pub consequence: ConsequenceKind,
    /// Who owes it: the mayor; the vice-leader; the vice-leader and the business cadres.
    pub person_ids: Vec<String>,
    /// The day it is due.
    pub due_on: Date,
    /// The policy version.
    pub policy_version: u32,
}

/// `last_place_consequence_fulfilled` v1.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LastPlaceConsequenceFulfilled {
    /// The consequence.
    pub consequence_id: Uuid,
    /// The day of the decision or the meeting.
    pub held_on: Date,
    /// The decision, or what was said at the meeting.
    pub summary: String,
}

/// One village's score on a criterion.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct VillageScore {
    /// The village.
    pub village_id: String,
    /// The score, in tenths of a point.
    pub score_tenths: u32,
    /// What in the written rule it rests on.
    pub basis: String,
}

/// `village_scores_given` v1.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VillageScoresGiven {
    /// The quarter.
    pub quarter: Quarter,
    /// The criterion.
    pub criterion_id: String,
    /// The department that scores by it.
    pub department_id: String,
    /// Every village's score.
    pub scores: Vec<VillageScore>,
    /// The department's scoring sheet.
    pub document: Document,
    /// The policy version in force on the quarter's last day.
    pub policy_version: u32,
}

/// One village's place in the published ranking.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct VillagePlace {
    /// The village.
    pub village_id: String,
    /// Its total over every criterion, in tenths of a point.
    pub total_tenths: u32,
    /// Its rank: one more than the villages with a higher total.
    pub rank: u32,
}

/// `village_ranking_published` v1.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VillageRankingPublished {
    /// The quarter.
    pub quarter: Quarter,
    /// The ranking, first place first.
    pub ranking: Vec<VillagePlace>,
    /// The notice (公示).
    pub notice: String,
    /// The size of the ledger it was published against (the events before it).
    pub ledger_size: u64,
    /// The ledger's root at that size, hexadecimal.
    pub ledger_root: String,
    /// The policy version.
    pub policy_version: u32,
}

/// `village_pay_adjusted` v1.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VillagePayAdjusted {
    /// The quarter.
    pub quarter: Quarter,
    /// The village.
    pub village_id: String,
    /// Its published rank.
    pub rank: u32,
    /// The adjustment of its cadres' performance pay, in basis points.
    pub adjustment_bp: i32,
    /// The policy version.
    pub policy_version: u32,
}

/// `village_report_given` v1.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VillageReportGiven {
    /// The quarter reported on.
    pub quarter: Quarter,
    /// The village.
    pub village_id: String,
    /// In person or in writing.
    pub form: ReportForm,
    /// The report.
    pub summary: String,
}

/// `spot_check_recorded` v1.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpotCheckRecorded {
    /// The day of the check.
    pub checked_on: Date,
    /// Who checked (市效能办).
    pub checked_by: String,
    /// Those found at their post.
    pub present: Vec<String>,
    /// Those found away.
    pub absent: Vec<String>,
    /// The checker's report.
    pub document: Document,
}

/// `absence_justified` v1.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AbsenceJustified {
    /// The spot check.
    pub spot_check_id: Uuid,
    /// Who was absent.
    pub person_id: String,
    /// Why.
    pub reason: AbsenceReason,
    /// Where, and what for.
    pub explanation: String,
}

/// `absence_reviewed` v1.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AbsenceReviewed {
    /// The spot check.
    pub spot_check_id: Uuid,
    /// Who was absent.
    pub person_id: String,
    /// Whether the justification is accepted.
    pub accepted: bool,
    /// Why.
    pub comment: String,
}

/// A milestone of a key task.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Milestone {
    /// What is to be done.
    pub title: String,
    /// By when.
    pub due_on: Date,
}

/// `key_task_registered` v1.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyTaskRegistered {
    /// The task's code.
    pub task_id: String,
    /// The year.
    pub year: i16,
    /// The task.
    pub title: String,
    /// The owning leader (分线负责).
    pub leader_id: String,
    /// The owning unit.
    pub unit_id: String,
    /// The business cadres on it.
    pub cadre_ids: Vec<String>,
    /// Its milestones.
    pub milestones: Vec<Milestone>,
}

/// `key_task_progress_reported` v1.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyTaskProgressReported {
    /// The task.
    pub task_id: String,
    /// The milestone reached (1 for the first), if one.
    pub milestone: Option<u32>,
    /// What was done.
    pub summary: String,
}

/// `key_task_followed_up` v1.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyTaskFollowedUp {
    /// The task.
    pub task_id: String,
    /// A supervision follow-up or an inspection tour.
    pub kind: Oversight,
    /// The day.
    pub held_on: Date,
    /// What was found.
    pub note: String,
    /// A problem found, which the rules put on the three lists; none if none.
    pub problem: Option<String>,
}

/// One task's comment in the mid-year review.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TaskComment {
    /// The task.
    pub task_id: String,
    /// The comment (点评).
    pub comment: String,
}

/// `key_tasks_reviewed` v1.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyTasksReviewed {
    /// The year.
    pub year: i16,
    /// The day of the review.
    pub held_on: Date,
    /// One comment per key task of the year (逐项点评).
    pub comments: Vec<TaskComment>,
}

/// `list_item_opened` v1.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListItemOpened {
    /// The problem (问题).
    pub problem: String,
    /// Its cause as analysed (剖析原因), empty until analysed.
    pub cause: String,
    /// The measure (整改措施), empty until analysed.
    pub measure: String,
    /// The person responsible (责任).
    pub person_id: String,
    /// Where it comes from; the event it comes from, if any, is in `caused_by`.
    pub source: ItemSource,
    /// The document from above, for feedback from above.
    pub document: Option<Document>,
    /// The deadline.
    pub due_on: Date,
    /// The policy version.
    pub policy_version: u32,
}

/// `list_item_analysed` v1.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListItemAnalysed {
    /// The item.
    pub item_id: Uuid,
    /// The person responsible.
    pub person_id: String,
    /// Its cause.
    pub cause: String,
    /// The measure.
    pub measure: String,
}

/// `list_item_closed` v1.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListItemClosed {
    /// The item.
    pub item_id: Uuid,
    /// The person responsible.
    pub person_id: String,
    /// What was done.
    pub summary: String,
}

/// `list_item_verified` v1.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListItemVerified {
    /// The item.
    pub item_id: Uuid,
    /// The person responsible.
    pub person_id: String,
    /// What was checked.
    pub comment: String,
}

/// `list_item_reopened` v1.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListItemReopened {
    /// The item.
    pub item_id: Uuid,
    /// The person responsible.
    pub person_id: String,
    /// How the problem was found again.
    pub finding: String,
    /// The new deadline.
    pub due_on: Date,
}
