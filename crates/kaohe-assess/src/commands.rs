//! What a person asks the ledger to record, one struct per command. The same structs are the
//! rules' input, the HTTP API's request bodies (with the path's parameters merged in) and the
//! OpenAPI document's schemas, so their field names are the API's and every field's doc
//! comment is its description there.

use jiff::civil::Date;
use serde::Deserialize;
use uuid::Uuid;

use crate::payload::{Holiday, Scores};
use crate::period::{Month, Period, Quarter};
use crate::policy::Policy;
use crate::words::{Kind, Outcome};

// The commands of units, indicators, rankings, spot checks, key tasks and the three lists.
pub use crate::units::commands::*;

/// A cadre writes the entry of a working day (一天两行字), for themselves.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct WriteEntry {
    /// The working day (not after today).
    pub date: Date,
    /// First line: what was done.
    pub did: String,
    /// Second line: what was learned or achieved (may be empty).
    #[serde(default)]
    pub learned: String,
}

/// A cadre corrects one of their entries; the original stays visible.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AmendEntry {
    /// The entry's event id.
    pub entry_id: Uuid,
    /// The corrected first line.
    pub did: String,
    /// The corrected second line.
    #[serde(default)]
    pub learned: String,
    /// Why.
    pub reason: String,
}

/// A cadre hands in their sheet of a ten-day period, after its last day.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SubmitSheet {
    /// The ten-day period, `YYYY-MM-N` (N = 1, 2 or 3).
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2026-03-1"))]
    pub period: Period,
}

/// The supervising leader of that period reads a cadre's sheet.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ReadSheet {
    /// Whose sheet.
    pub person_id: String,
    /// The period, `YYYY-MM-N`.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2026-03-1"))]
    pub period: Period,
    /// A comment, possibly empty.
    #[serde(default)]
    pub comment: String,
}

/// The office selects a submitted sheet for display to all staff (抽选展示).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct DisplaySheet {
    /// Whose sheet.
    pub person_id: String,
    /// The period, `YYYY-MM-N`.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2026-03-1"))]
    pub period: Period,
    /// Why it is shown to all staff.
    pub note: String,
}

/// An area chief gives an opinion (片长意见) on a cadre of their area for a month.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GiveOpinion {
    /// The cadre, of your area.
    pub cadre_id: String,
    /// The month, `YYYY-MM`.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2026-03"))]
    pub month: Month,
    /// The opinion.
    pub opinion: String,
}

/// A supervising leader names the best or the worst of their supervisees for a month (一评).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Nominate {
    /// The month rated, `YYYY-MM`.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2026-03"))]
    pub month: Month,
    /// Best or worst.
    pub kind: Kind,
    /// The cadre named, your supervisee that month.
    pub cadre_id: String,
    /// Why.
    pub reason: String,
    /// The entries, sheets and opinions of that cadre and month the reason rests on.
    pub cited_ids: Vec<Uuid>,
    /// Under numeric scoring, why you name someone other than the scores give.
    pub override_reason: Option<String>,
}

/// A supervising leader scores a supervisee on the five dimensions for a month, under numeric
/// scoring.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct GiveScores {
    /// The month, `YYYY-MM`.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2026-07"))]
    pub month: Month,
    /// The cadre, your supervisee that month.
    pub cadre_id: String,
    /// The five scores, tenths of a point.
    pub scores: Scores,
}

/// The party secretary or the mayor proposes the quarterly decision (二评).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct ProposeDecision {
    /// The quarter, `YYYY-QN`.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2026-Q1"))]
    pub quarter: Quarter,
    /// The best workers, from the quarter's best pool.
    pub best: Vec<String>,
    /// The worst workers, from the quarter's worst pool.
    pub worst: Vec<String>,
}

/// The other of the two principal leaders co-signs the proposal, putting it in force with the
/// sanctions it brings.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CosignDecision {
    /// The quarter, `YYYY-QN`.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2026-Q1"))]
    pub quarter: Quarter,
    /// The quarter's latest proposal.
    pub proposal_id: Uuid,
}

/// The office publishes the quarter's decision in force (公示); appeal windows run from then.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublishDecision {
    /// The quarter, `YYYY-QN`.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2026-Q1"))]
    pub quarter: Quarter,
    /// The public notice (公示).
    pub notice: String,
}

/// An appeal against one designation to the party committee (复评申请), within the filing
/// window.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FileAppeal {
    /// The quarter, `YYYY-QN`.
    #[cfg_attr(feature = "openapi", schema(value_type = String, example = "2026-Q1"))]
    pub quarter: Quarter,
    /// Whose designation (under the default policy, your own).
    pub person_id: String,
    /// Best or worst.
    pub kind: Kind,
    /// Why it is unfair.
    pub grounds: String,
}

/// The party committee answers an appeal; no one answers one about or by themselves.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AnswerAppeal {
    /// The appeal's event id.
    pub appeal_id: Uuid,
    /// Upheld or overturned; an overturning answer revokes the sanctions of the designation.
    pub outcome: Outcome,
    /// Why.
    pub reasons: String,
}

/// The party secretary or the mayor records the talk a worst designation calls for (谈话).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecordTalk {
    /// The talk sanction's event id.
    pub sanction_id: Uuid,
    /// The day the talk was held.
    pub held_on: Date,
    /// What was said and agreed.
    pub summary: String,
}

/// The person a rectification names hands in its plan (整改方案).
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PlanRectification {
    /// The rectification sanction's event id.
    pub sanction_id: Uuid,
    /// The problems, measures and dates.
    pub plan: String,
}

/// The supervising leader confirms that a supervisee's rectification was carried out.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct CompleteRectification {
    /// The rectification sanction's event id.
    pub sanction_id: Uuid,
    /// What was done, as you found it.
    pub summary: String,
}

/// The office adds a person to the roster.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RegisterPerson {
    /// The new roster id.
    pub person_id: String,
    /// The name.
    pub name: String,
}

/// The office gives a person a role for a span of days.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssignRole {
    /// Who.
    pub person_id: String,
    /// The role (any but `system`).
    // The text sent, parsed by the rule: a word that names no role is refused by the rule that
    // says which roles can be given (`unknown_role`), like `system`, not as a malformed command.
    #[cfg_attr(feature = "openapi", schema(value_type = crate::words::Role))]
    pub role: String,
    /// The first day.
    pub from: Date,
    /// The last day, inclusive; open-ended when absent.
    pub until: Option<Date>,
}

/// The office puts a cadre under a supervising leader from a day.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssignSupervision {
    /// The cadre.
    pub person_id: String,
    /// The supervising leader.
    pub leader_id: String,
    /// From this day on, until another assignment.
    pub from: Date,
}

/// The office puts a cadre in an area under its chief from a day.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AssignArea {
    /// The cadre.
    pub person_id: String,
    /// The area.
    pub area: String,
    /// Its chief.
    pub chief_id: String,
    /// From this day on, until another assignment.
    pub from: Date,
}

/// The office adopts the next policy version, effective from today or later.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct AdoptPolicy {
    /// The next policy version.
    pub policy: Policy,
}

/// The office records a year's working-day calendar (节假日安排) from the State Council's notice:
/// its public holidays and make-up working days. A later calendar of the same year replaces it.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RecordCalendar {
    /// The year.
    pub year: i16,
    /// The public holidays, each a span of days off in the year.
    pub holidays: Vec<Holiday>,
    /// Weekend days of the year that are working days (调休上班).
    #[serde(default)]
    pub working_days: Vec<Date>,
    /// The notice it follows (e.g. 国务院办公厅关于2026年部分节假日安排的通知), or what it rests
    /// on until the notice is published.
    pub source: String,
}

/// The office issues a bearer token to a person; the secret stays outside the ledger.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct IssueToken {
    /// The token's id, chosen by the service that keeps the secret's hash.
    pub token_id: Uuid,
    /// Whom the token signs in.
    pub person_id: String,
}

/// The office revokes a bearer token.
#[derive(Clone, Debug, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct RevokeToken {
    /// The token's id.
    pub token_id: Uuid,
    /// Why.
    pub reason: String,
}

/// Declares [`Command`] with one variant per command struct, each named as its struct, the
/// structs' names (`Command::NAMES`, so that a service can check it serves every command), and
/// `From` from each struct, so a command is built as `WriteEntry { .. }.into()`.
macro_rules! commands {
    ($($(#[$meta:meta])* $name:ident,)+) => {
        /// What a person asks the ledger to record.
        #[derive(Clone, Debug, PartialEq, Eq)]
        pub enum Command {
            $($(#[$meta])* $name($name),)+
        }

        impl Command {
            /// The name of each command's struct, in the order declared.
            pub const NAMES: &'static [&'static str] = &[$(stringify!($name)),+];
        }

        $(
            impl From<$name> for Command {
                fn from(command: $name) -> Command {
                    Command::$name(command)
                }
            }
        )+
    };
}

commands! {
    /// The office adopts the next policy version.
    AdoptPolicy,
    /// The office adds a person to the roster.
    RegisterPerson,
    /// The office gives a person a role.
    AssignRole,
    /// The office puts a cadre under a supervising leader.
    AssignSupervision,
    /// The office puts a cadre in an area under its chief.
    AssignArea,
    /// A cadre writes the entry of a working day.
    WriteEntry,
    /// A cadre corrects an entry.
    AmendEntry,
    /// A cadre hands in a ten-day sheet.
    SubmitSheet,
    /// The supervising leader reads a sheet.
    ReadSheet,
    /// The office selects a sheet for display.
    DisplaySheet,
    /// An area chief gives an opinion.
    GiveOpinion,
    /// A supervising leader names a best or worst.
    Nominate,
    /// A supervising leader scores a supervisee.
    GiveScores,
    /// The secretary or the mayor proposes the quarterly decision.
    ProposeDecision,
    /// The other of the two co-signs it.
    CosignDecision,
    /// The office publishes the decision in force.
    PublishDecision,
    /// An appeal against a designation.
    FileAppeal,
    /// The party committee answers an appeal.
    AnswerAppeal,
    /// A principal leader records a talk.
    RecordTalk,
    /// The person a rectification names hands in its plan.
    PlanRectification,
    /// The supervising leader confirms a rectification.
    CompleteRectification,
    /// The office issues a bearer token.
    IssueToken,
    /// The office revokes a bearer token.
    RevokeToken,
    /// The office registers a unit.
    RegisterUnit,
    /// The office names a unit's leader.
    AssignUnitLeader,
    /// The office names who answers for an indicator.
    AssignIndicator,
    /// The office records the city's scores of an indicator.
    RecordCityScores,
    /// The decision, statement or self-criticism a last place calls for.
    FulfilConsequence,
    /// A department's head scores the villages.
    ScoreVillages,
    /// The office publishes the village ranking.
    PublishVillageRanking,
    /// A village's leader reports on the quarter.
    ReportVillageWork,
    /// The office or the supervision office records a spot check.
    RecordSpotCheck,
    /// An absent person justifies the absence.
    JustifyAbsence,
    /// The supervising leader reviews a justification.
    ReviewAbsence,
    /// The office registers a key task.
    RegisterKeyTask,
    /// A key task's owner reports progress.
    ReportKeyTaskProgress,
    /// The supervision office follows up a key task.
    FollowUpKeyTask,
    /// The mayor reviews the year's key tasks.
    ReviewKeyTasks,
    /// An item is opened on the three lists.
    OpenListItem,
    /// The person responsible analyses an item.
    AnalyseListItem,
    /// The person responsible closes an item.
    CloseListItem,
    /// Someone else verifies a closed item.
    VerifyListItem,
    /// A problem found again reopens its item.
    ReopenListItem,
    /// The office records a year's working-day calendar.
    RecordCalendar,
}
