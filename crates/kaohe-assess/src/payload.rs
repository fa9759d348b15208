//! The typed payloads of the assessment events, one struct per event type and version, as the
//! schemas in `schemas/payloads/` describe them.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::policy::Policy;

/// The event types the rules write, with their payload versions.
pub mod types {
    /// The office adopts a new policy version.
    pub const POLICY_ADOPTED: &str = "policy_adopted";
    /// The office adds a person to the roster.
    pub const PERSON_REGISTERED: &str = "person_registered";
    /// The office gives a person a role for a span of days.
    pub const ROLE_ASSIGNED: &str = "role_assigned";
    /// The office puts a cadre under a supervising leader from a date.
    pub const SUPERVISION_ASSIGNED: &str = "supervision_assigned";
    /// The office puts a cadre in an area under its chief from a date.
    pub const AREA_ASSIGNED: &str = "area_assigned";
    /// A cadre writes a day's entry.
    pub const ENTRY_WRITTEN: &str = "entry_written";
    /// A cadre corrects an entry; the original stays.
    pub const ENTRY_AMENDED: &str = "entry_amended";
    /// A cadre hands in a ten-day sheet.
    pub const SHEET_SUBMITTED: &str = "sheet_submitted";
    /// The supervising leader reads a sheet.
    pub const SHEET_READ: &str = "sheet_read";
    /// An area chief gives an opinion on a cadre of the area for a month.
    pub const OPINION_GIVEN: &str = "opinion_given";
    /// A supervising leader names a best or worst cadre of a month.
    pub const NOMINATION_MADE: &str = "nomination_made";
    /// The secretary or the mayor proposes the quarterly decision.
    pub const DECISION_PROPOSED: &str = "decision_proposed";
    /// The other of the two co-signs it, which puts it in force.
    pub const DECISION_COSIGNED: &str = "decision_cosigned";
    /// The office publishes a decision in force.
    pub const DECISION_PUBLISHED: &str = "decision_published";
    /// Someone appeals a designation.
    pub const APPEAL_FILED: &str = "appeal_filed";
    /// The party committee answers an appeal.
    pub const APPEAL_ANSWERED: &str = "appeal_answered";
    /// A reward or penalty follows from designations.
    pub const SANCTION_IMPOSED: &str = "sanction_imposed";
    /// A sanction is revoked because its cause was overturned.
    pub const SANCTION_REVOKED: &str = "sanction_revoked";
    /// A supervising leader scores a supervisee for a month.
    pub const SCORES_GIVEN: &str = "scores_given";
    /// The office selects a submitted sheet for display to all staff.
    pub const SHEET_DISPLAYED: &str = "sheet_displayed";
    /// A principal leader has held the talk a worst designation calls for.
    pub const TALK_HELD: &str = "talk_held";
    /// The person a rectification names hands in the plan.
    pub const RECTIFICATION_PLANNED: &str = "rectification_planned";
    /// The supervising leader confirms the plan was carried out.
    pub const RECTIFICATION_COMPLETED: &str = "rectification_completed";
    /// The office issued a bearer token to a person.
    pub const TOKEN_ISSUED: &str = "token_issued";
    /// The office revoked a bearer token.
    pub const TOKEN_REVOKED: &str = "token_revoked";
}

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
    /// The role (see `common.schema.json#/$defs/role`, without `system`).
    pub role: String,
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
    pub period: String,
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
    pub period: String,
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
    pub month: String,
    /// The opinion.
    pub opinion: String,
}

/// `nomination_made` v1.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NominationMade {
    /// The month, `YYYY-MM`.
    pub month: String,
    /// `best` or `worst`.
    pub kind: String,
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
    pub quarter: String,
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
    pub quarter: String,
    /// The proposal put in force.
    pub proposal_id: Uuid,
}

/// `decision_published` v1.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionPublished {
    /// The quarter, `YYYY-QN`.
    pub quarter: String,
    /// The notice.
    pub notice: String,
}

/// `appeal_filed` v1.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppealFiled {
    /// The quarter, `YYYY-QN`.
    pub quarter: String,
    /// Whose designation.
    pub person_id: String,
    /// `best` or `worst`.
    pub kind: String,
    /// Why.
    pub grounds: String,
}

/// `appeal_answered` v1.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AppealAnswered {
    /// The appeal.
    pub appeal_id: Uuid,
    /// `upheld` or `overturned`.
    pub outcome: String,
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
    pub quarter: String,
    /// Which sanction.
    pub sanction: String,
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
    pub month: String,
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
    pub period: String,
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
