//! The typed payloads of the assessment events, one struct per event type and version, as the
//! schemas in `schemas/payloads/` describe them.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::period::{Month, Period, Quarter};
use crate::policy::Policy;
use crate::words::{Kind, Outcome, Role, SanctionKind};

/// `policy_adopted` v1.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyAdopted {
    /// The new policy.
    pub policy: Policy,
}

/// `person_registered` v1.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonRegistered {
    /// The roster id.
    pub person_id: String,
    /// The person's name.
    pub name: String,
}

/// `role_assigned` v1.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleAssigned {
    /// Who.
    pub person_id: String,
    /// The role (any but `system`).
    pub role: Role,
    /// The first day.
    pub from: jiff::civil::Date,
    /// The last day, inclusive; open-ended when absent.
    pub until: Option<jiff::civil::Date>,
}

/// `supervision_assigned` v1.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SupervisionAssigned {
    /// The cadre supervised.
    pub cadre_id: String,
    /// The supervising leader.
    pub leader_id: String,
    /// From this day on, until another assignment.
    pub from: jiff::civil::Date,
}

/// `area_assigned` v1.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AreaAssigned {
    /// The cadre.
    pub cadre_id: String,
    /// The area's name.
    pub area: String,
    /// The area chief.
    pub chief_id: String,
    /// From this day on, until another assignment.
    pub from: jiff::civil::Date,
}

/// `entry_written` v1.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntryWritten {
    /// Whose record.
    pub person_id: String,
    /// The working day.
    pub date: jiff::civil::Date,
    /// First line: what was done.
    pub did: String,
    /// Second line: what was learned or achieved.
    pub learned: String,
}

/// `entry_amended` v1.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntryAmended {
    /// The entry corrected.
    pub entry_id: Uuid,
    /// The corrected first line.
    pub did: String,
    /// The corrected second line.
    pub learned: String,
    /// Why.
    pub reason: String,
}

/// `sheet_submitted` v1.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SheetSubmitted {
    /// Whose sheet.
    pub person_id: String,
    /// The period, `YYYY-MM-P`.
    pub period: Period,
    /// The entries it holds, in date order.
    pub entry_ids: Vec<Uuid>,
}

/// `sheet_read` v1.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SheetRead {
    /// Whose sheet.
    pub person_id: String,
    /// The period, `YYYY-MM-P`.
    pub period: Period,
    /// The leader's comment (may be empty).
    pub comment: String,
}

/// `opinion_given` v1.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OpinionGiven {
    /// The cadre the opinion is about.
    pub cadre_id: String,
    /// The month, `YYYY-MM`.
    pub month: Month,
    /// The opinion.
    pub opinion: String,
}

/// `nomination_made` v1.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NominationMade {
    /// The month, `YYYY-MM`.
    pub month: Month,
    /// Best or worst.
    pub kind: Kind,
    /// The cadre named.
    pub cadre_id: String,
    /// Why.
    pub reason: String,
    /// The records, sheets and opinions the reason rests on.
    pub cited_ids: Vec<Uuid>,
    /// The policy version the nomination was made under.
    pub policy_version: u32,
    /// Under numeric scoring, why someone other than the scores give is named.
    pub override_reason: Option<String>,
}

/// `decision_proposed` v1.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionProposed {
    /// The quarter, `YYYY-QN`.
    pub quarter: Quarter,
    /// The best workers selected.
    pub best: Vec<String>,
    /// The worst workers selected.
    pub worst: Vec<String>,
    /// The policy version the decision was made under.
    pub policy_version: u32,
}

/// `decision_cosigned` v1.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionCosigned {
    /// The quarter, `YYYY-QN`.
    pub quarter: Quarter,
    /// The proposal put in force.
    pub proposal_id: Uuid,
}

/// `decision_published` v1.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionPublished {
    /// The quarter, `YYYY-QN`.
    pub quarter: Quarter,
    /// The notice.
    pub notice: String,
}

/// `appeal_filed` v1.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppealFiled {
    /// The quarter, `YYYY-QN`.
    pub quarter: Quarter,
    /// Whose designation.
    pub person_id: String,
    /// Best or worst.
    pub kind: Kind,
    /// Why.
    pub grounds: String,
}

/// `appeal_answered` v1.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppealAnswered {
    /// The appeal.
    pub appeal_id: Uuid,
    /// Upheld or overturned.
    pub outcome: Outcome,
    /// Why.
    pub reasons: String,
    /// The policy version.
    pub policy_version: u32,
}

/// `sanction_imposed` v1.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SanctionImposed {
    /// Who.
    pub person_id: String,
    /// The quarter of the designation.
    pub quarter: Quarter,
    /// Which sanction.
    pub sanction: SanctionKind,
    /// Uplift in basis points, for bonus uplifts.
    pub bonus_bp: Option<u32>,
    /// Deadline, for rectification.
    pub rectify_by: Option<jiff::civil::Date>,
    /// The policy version.
    pub policy_version: u32,
}

/// `sanction_revoked` v1.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SanctionRevoked {
    /// The sanction.
    pub sanction_id: Uuid,
    /// The answer that overturned its cause.
    pub appeal_answer_id: Uuid,
}

/// Scores on the five dimensions, in tenths of a point.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Scores {
    /// 思想品德.
    pub ideology: u32,
    /// 工作能力.
    pub ability: u32,
    /// 纪律考勤.
    pub discipline: u32,
    /// 联片驻村.
    pub liaison: u32,
    /// 线上工作.
    pub line_work: u32,
}

/// `scores_given` v1.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScoresGiven {
    /// The month, `YYYY-MM`.
    pub month: Month,
    /// The cadre.
    pub cadre_id: String,
    /// The scores.
    pub scores: Scores,
    /// The policy version.
    pub policy_version: u32,
}

/// `sheet_displayed` v1.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SheetDisplayed {
    /// Whose sheet.
    pub person_id: String,
    /// The period, `YYYY-MM-P`.
    pub period: Period,
    /// Why it is shown.
    pub note: String,
}

/// `talk_held` v1.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TalkHeld {
    /// The talk sanction followed up.
    pub sanction_id: Uuid,
    /// Who was talked to.
    pub person_id: String,
    /// The day of the talk.
    pub held_on: jiff::civil::Date,
    /// What was said and agreed.
    pub summary: String,
}

/// `rectification_planned` v1.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RectificationPlanned {
    /// The rectification sanction followed up.
    pub sanction_id: Uuid,
    /// Whose plan.
    pub person_id: String,
    /// The plan.
    pub plan: String,
}

/// `rectification_completed` v1.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RectificationCompleted {
    /// The rectification sanction.
    pub sanction_id: Uuid,
    /// Whose rectification.
    pub person_id: String,
    /// The plan carried out.
    pub plan_id: Uuid,
    /// What was done.
    pub summary: String,
}

/// `token_issued` v1.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenIssued {
    /// The token's id.
    pub token_id: Uuid,
    /// Whom it signs in.
    pub person_id: String,
}

/// `token_revoked` v1.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenRevoked {
    /// The token.
    pub token_id: Uuid,
    /// Whom it signed in.
    pub person_id: String,
    /// Why.
    pub reason: String,
}

/// One public holiday of a calendar: a span of days off.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct Holiday {
    /// Its name, e.g. 春节.
    pub name: String,
    /// Its first day off.
    pub first: jiff::civil::Date,
    /// Its last day off.
    pub last: jiff::civil::Date,
}

/// `calendar_recorded` v1.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CalendarRecorded {
    /// The year.
    pub year: i16,
    /// The public holidays.
    pub holidays: Vec<Holiday>,
    /// Weekend days that are working days (调休上班).
    pub working_days: Vec<jiff::civil::Date>,
    /// The notice it follows.
    pub source: String,
}
