//! The commands of the units' part of the scheme, one struct per command, re-exported by
//! `commands.rs` and wrapped in `Command` there: units and who leads them, who answers for an
//! indicator, the city's scores, the villages' scores, ranking and reports, spot checks, key
//! tasks, and the three lists. Field names are the API's and the forms'; doc comments are the
//! API's descriptions.

use jiff::civil::Date;
use serde::Deserialize;
use uuid::Uuid;

use crate::period::Quarter;
use crate::units::payload::{Document, Milestone, PeerScore, TaskComment, VillageScore};
use crate::units::words::{AbsenceReason, ItemSource, Oversight, ReportForm, UnitKind};

/// The office registers a unit: the township itself, a village, a department, the
/// supervision office.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegisterUnit {
    /// The unit's code.
    pub unit_id: String,
    /// What it is.
    pub kind: UnitKind,
    /// Its name.
    pub name: String,
}

/// The office names a unit's leader from a day (not before today), replacing the one before.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssignUnitLeader {
    /// The unit.
    pub unit_id: String,
    /// Its leader.
    pub person_id: String,
    /// The first day, today or later.
    pub from: Date,
}

/// The office names the vice-leader and the business cadres who answer for an indicator from a
/// day (not before today).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssignIndicator {
    /// The indicator, of the policy in force on `from`.
    pub indicator_id: String,
    /// The responsible vice-leader (分管领导).
    pub leader_id: String,
    /// The business cadres (业务干部).
    pub cadre_ids: Vec<String>,
    /// The first day, today or later.
    pub from: Date,
}

/// The office records the city's scores of an indicator for a quarter from its notice; the
/// rank follows from the scores, and a last place brings what the policy calls for.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecordCityScores {
    /// The quarter ranked, `YYYY-QN`.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2026-Q3"))]
    pub quarter: Quarter,
    /// The indicator.
    pub indicator_id: String,
    /// The township (the unit of kind `township`).
    pub unit_id: String,
    /// The township's score, tenths of a point.
    pub score_tenths: u32,
    /// The other townships' scores.
    pub peers: Vec<PeerScore>,
    /// The city's notice.
    pub document: Document,
}

/// The mayor records the decision a last place calls for, or the office records the statement
/// or self-criticism made at a meeting.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FulfilConsequence {
    /// The consequence's event id.
    pub consequence_id: Uuid,
    /// The day of the decision or the meeting.
    pub held_on: Date,
    /// The decision, or what was said.
    pub summary: String,
}

/// A department's head scores every village on one of its criteria for a quarter (有据可循).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ScoreVillages {
    /// The quarter, `YYYY-QN`.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2026-Q1"))]
    pub quarter: Quarter,
    /// The criterion, of your department.
    pub criterion_id: String,
    /// Every village's score, with what it rests on.
    pub scores: Vec<VillageScore>,
    /// The department's scoring sheet.
    pub document: Document,
}

/// The office publishes a quarter's village ranking town-wide (公示), against the ledger as it
/// stands; the pay effects follow.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublishVillageRanking {
    /// The quarter, `YYYY-QN`.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2026-Q1"))]
    pub quarter: Quarter,
    /// The notice.
    pub notice: String,
    /// The ledger's size now, chosen by the service.
    pub ledger_size: u64,
    /// The ledger's root at that size, hexadecimal, chosen by the service.
    pub ledger_root: String,
}

/// A village's leader reports on the quarter's work (述职).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportVillageWork {
    /// The quarter, `YYYY-QN`.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2026-Q1"))]
    pub quarter: Quarter,
    /// Your village.
    pub village_id: String,
    /// In person or in writing.
    pub form: ReportForm,
    /// The report.
    pub summary: String,
}

/// The office or the supervision office records an unannounced spot check (暗访抽查).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecordSpotCheck {
    /// The day of the check (not after today).
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

/// A person found away at a spot check says why (下村、下企业、其他公务).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct JustifyAbsence {
    /// The spot check's event id.
    pub spot_check_id: Uuid,
    /// Why.
    pub reason: AbsenceReason,
    /// Where, and what for.
    pub explanation: String,
}

/// The absent person's supervising leader accepts their justification or not.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewAbsence {
    /// The spot check's event id.
    pub spot_check_id: Uuid,
    /// Who was absent: your supervisee on the day of the check.
    pub person_id: String,
    /// Whether the justification is accepted.
    pub accepted: bool,
    /// Why (needed when not accepted).
    #[serde(default)]
    pub comment: String,
}

/// The office registers a key task (重点工作) along its line of responsibility (分线负责制).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegisterKeyTask {
    /// The task's code.
    pub task_id: String,
    /// The year.
    pub year: i16,
    /// The task.
    pub title: String,
    /// The owning leader.
    pub leader_id: String,
    /// The owning unit.
    pub unit_id: String,
    /// The business cadres on it.
    pub cadre_ids: Vec<String>,
    /// Its milestones, each due in the year.
    pub milestones: Vec<Milestone>,
}

/// The owning leader or the owning unit's head reports progress on a key task.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReportKeyTaskProgress {
    /// The task.
    pub task_id: String,
    /// The milestone reached (1 for the first), if one.
    pub milestone: Option<u32>,
    /// What was done.
    pub summary: String,
}

/// The supervision office records a follow-up (督查) or an inspection tour (巡查) of a key
/// task; a problem found goes on the three lists.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FollowUpKeyTask {
    /// The task.
    pub task_id: String,
    /// A follow-up or an inspection tour.
    pub kind: Oversight,
    /// The day.
    pub held_on: Date,
    /// What was found.
    pub note: String,
    /// A problem found, if any.
    pub problem: Option<String>,
}

/// The mayor reviews the year's key tasks item by item (逐项点评).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReviewKeyTasks {
    /// The year.
    pub year: i16,
    /// The day of the review.
    pub held_on: Date,
    /// One comment per key task of the year.
    pub comments: Vec<TaskComment>,
}

/// Someone opens an item on the three lists: a self-examination of one's own, a spot check's
/// absence, or feedback from above.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct OpenListItem {
    /// The problem (问题).
    pub problem: String,
    /// Its cause (剖析原因), if already analysed.
    #[serde(default)]
    pub cause: String,
    /// The measure (整改措施), if already decided.
    #[serde(default)]
    pub measure: String,
    /// The person responsible (责任).
    pub person_id: String,
    /// Where it comes from.
    pub source: ItemSource,
    /// The spot check it comes from, for a spot check.
    pub source_event: Option<Uuid>,
    /// The document from above, for feedback from above.
    pub document: Option<Document>,
}

/// The person responsible analyses an open item: its cause and the measure.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AnalyseListItem {
    /// The item's event id.
    pub item_id: Uuid,
    /// Its cause.
    pub cause: String,
    /// The measure.
    pub measure: String,
}

/// The person responsible closes an analysed item (整改销号).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CloseListItem {
    /// The item's event id.
    pub item_id: Uuid,
    /// What was done.
    pub summary: String,
}

/// Someone other than the person responsible verifies a closed item.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VerifyListItem {
    /// The item's event id.
    pub item_id: Uuid,
    /// What was checked.
    pub comment: String,
}

/// A problem found again reopens its closed item, with a new deadline.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReopenListItem {
    /// The item's event id.
    pub item_id: Uuid,
    /// How the problem was found again.
    pub finding: String,
}
