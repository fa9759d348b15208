//! The words of the domain as types: roles, event types, sanctions, best and worst, the
//! outcome of an appeal, the policy's choices, and what a refusal names. Each serialises as
//! the word the ledger has always stored, so typed payloads keep their bytes.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A text that is not one of the words of its type.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{word:?} is not a {what}")]
pub struct UnknownWord {
    /// The text.
    pub word: String,
    /// What it should have named.
    pub what: &'static str,
}

/// An enum of stored words: serde renames, `ALL` in declaration order, `as_str`, `Display` and
/// `FromStr`, all from one list, so the spelling of a word is written once.
macro_rules! words {
    (
        $(#[$meta:meta])*
        pub enum $name:ident ($what:literal) {
            $( $(#[$variant_meta:meta])* $variant:ident = $text:literal, )+
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
        pub enum $name {
            $( $(#[$variant_meta])* #[serde(rename = $text)] $variant, )+
        }

        impl $name {
            /// Every one, in the order declared.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// The word as the ledger stores it.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = UnknownWord;
            fn from_str(text: &str) -> Result<Self, UnknownWord> {
                match text {
                    $($text => Ok($name::$variant),)+
                    _ => Err(UnknownWord {
                        word: text.into(),
                        what: $what,
                    }),
                }
            }
        }
    };
}

// The words of the units' part of the scheme (`units/words.rs`) are declared the same way.
pub(crate) use words;

words! {
    /// The role a person acts in (`common.schema.json#/$defs/role`).
    pub enum Role ("role") {
        /// 机关干部: writes daily records, hands in sheets, may appeal.
        Cadre = "cadre",
        /// 片长: gives opinions on the cadres of an area.
        AreaChief = "area_chief",
        /// 分管领导: reads supervisees' sheets, names the month's best and worst.
        SupervisingLeader = "supervising_leader",
        /// 党委书记: one of the two who make the quarterly decision.
        PartySecretary = "party_secretary",
        /// 镇长: the other of the two.
        Mayor = "mayor",
        /// 镇党委: answers appeals.
        PartyCommittee = "party_committee",
        /// 党政办: keeps the roster, publishes, issues tokens.
        Office = "office",
        /// 纪检: reads and verifies everything, writes nothing.
        DisciplineInspector = "discipline_inspector",
        /// The rules themselves, for the events they derive (sanctions and revocations).
        System = "system",
        /// 单位负责人: someone acting as the leader of a unit (a village's head reporting, a
        /// department's head scoring the villages, the supervision office's head), which is an
        /// assignment of the unit's, not a role the office gives.
        UnitLeader = "unit_leader",
    }
}

impl Role {
    /// The roles a person can be given: every one but `system` and `unit_leader`.
    pub const ASSIGNABLE: [Role; 8] = [
        Role::Cadre,
        Role::AreaChief,
        Role::SupervisingLeader,
        Role::PartySecretary,
        Role::Mayor,
        Role::PartyCommittee,
        Role::Office,
        Role::DisciplineInspector,
    ];

    /// The roles that read and verify everything: the principal leaders, the party committee,
    /// the office and the discipline inspectors.
    pub const OVERSEERS: [Role; 5] = [
        Role::PartySecretary,
        Role::Mayor,
        Role::PartyCommittee,
        Role::Office,
        Role::DisciplineInspector,
    ];

    /// The two principal leaders (主要领导) who make and co-sign the quarterly decision.
    pub const PRINCIPALS: [Role; 2] = [Role::PartySecretary, Role::Mayor];

    /// Whether a person can be given it.
    pub fn is_assignable(self) -> bool {
        !matches!(self, Role::System | Role::UnitLeader)
    }

    /// Whether it reads and verifies everything.
    pub fn is_overseer(self) -> bool {
        Role::OVERSEERS.contains(&self)
    }

    /// The other principal leader: the mayor for the secretary and the other way round.
    pub fn other_principal(self) -> Option<Role> {
        match self {
            Role::PartySecretary => Some(Role::Mayor),
            Role::Mayor => Some(Role::PartySecretary),
            _ => None,
        }
    }

    /// Its name in Chinese.
    pub fn name_zh(self) -> &'static str {
        match self {
            Role::Cadre => "机关干部",
            Role::AreaChief => "片长",
            Role::SupervisingLeader => "分管领导",
            Role::PartySecretary => "党委书记",
            Role::Mayor => "镇长",
            Role::PartyCommittee => "镇党委",
            Role::Office => "党政办",
            Role::DisciplineInspector => "纪检",
            Role::System => "系统",
            Role::UnitLeader => "单位负责人",
        }
    }
}

words! {
    /// Every event type of the ledger, with its payload schema in `schemas/payloads/`.
    pub enum EventType ("event type") {
        /// Event 0: the organisation, its key, its time zone and the first policy.
        LedgerCreated = "ledger_created",
        /// The office adopts a new policy version.
        PolicyAdopted = "policy_adopted",
        /// The office adds a person to the roster.
        PersonRegistered = "person_registered",
        /// The office gives a person a role for a span of days.
        RoleAssigned = "role_assigned",
        /// The office puts a cadre under a supervising leader from a date.
        SupervisionAssigned = "supervision_assigned",
        /// The office puts a cadre in an area under its chief from a date.
        AreaAssigned = "area_assigned",
        /// A cadre writes a day's entry.
        EntryWritten = "entry_written",
        /// A cadre corrects an entry; the original stays.
        EntryAmended = "entry_amended",
        /// A cadre hands in a ten-day sheet.
        SheetSubmitted = "sheet_submitted",
        /// The supervising leader reads a sheet.
        SheetRead = "sheet_read",
        /// An area chief gives an opinion on a cadre of the area for a month.
        OpinionGiven = "opinion_given",
        /// A supervising leader names a best or worst cadre of a month.
        NominationMade = "nomination_made",
        /// The secretary or the mayor proposes the quarterly decision.
        DecisionProposed = "decision_proposed",
        /// The other of the two co-signs it, which puts it in force.
        DecisionCosigned = "decision_cosigned",
        /// The office publishes a decision in force.
        DecisionPublished = "decision_published",
        /// Someone appeals a designation.
        AppealFiled = "appeal_filed",
        /// The party committee answers an appeal.
        AppealAnswered = "appeal_answered",
        /// A reward or penalty follows from designations.
        SanctionImposed = "sanction_imposed",
        /// A sanction is revoked because its cause was overturned.
        SanctionRevoked = "sanction_revoked",
        /// A supervising leader scores a supervisee for a month.
        ScoresGiven = "scores_given",
        /// The office selects a submitted sheet for display to all staff.
        SheetDisplayed = "sheet_displayed",
        /// A principal leader has held the talk a worst designation calls for.
        TalkHeld = "talk_held",
        /// The person a rectification names hands in the plan.
        RectificationPlanned = "rectification_planned",
        /// The supervising leader confirms the plan was carried out.
        RectificationCompleted = "rectification_completed",
        /// The office issued a bearer token to a person.
        TokenIssued = "token_issued",
        /// The office revoked a bearer token.
        TokenRevoked = "token_revoked",
        /// The office registers a unit: the township, a village, a department.
        UnitRegistered = "unit_registered",
        /// The office names a unit's leader from a day.
        UnitLeaderAssigned = "unit_leader_assigned",
        /// The office names who answers for an indicator from a day.
        IndicatorAssigned = "indicator_assigned",
        /// The office records the city's scores of an indicator for a quarter.
        CityScoresRecorded = "city_scores_recorded",
        /// A last place calls for a decision, a statement or a self-criticism.
        LastPlaceConsequenceDue = "last_place_consequence_due",
        /// The decision, statement or self-criticism is made.
        LastPlaceConsequenceFulfilled = "last_place_consequence_fulfilled",
        /// A department scores the villages on a criterion for a quarter.
        VillageScoresGiven = "village_scores_given",
        /// The office publishes the village ranking of a quarter.
        VillageRankingPublished = "village_ranking_published",
        /// A published ranking changes a village's cadres' pay.
        VillagePayAdjusted = "village_pay_adjusted",
        /// A village's leader reports on the quarter (述职).
        VillageReportGiven = "village_report_given",
        /// An unannounced spot check is recorded.
        SpotCheckRecorded = "spot_check_recorded",
        /// An absent person says why.
        AbsenceJustified = "absence_justified",
        /// The supervising leader accepts the justification or not.
        AbsenceReviewed = "absence_reviewed",
        /// The office registers a key task.
        KeyTaskRegistered = "key_task_registered",
        /// A key task's owner reports progress.
        KeyTaskProgressReported = "key_task_progress_reported",
        /// The supervision office follows up a key task, or inspects it.
        KeyTaskFollowedUp = "key_task_followed_up",
        /// The mayor reviews the year's key tasks item by item.
        KeyTasksReviewed = "key_tasks_reviewed",
        /// An item is put on the three lists.
        ListItemOpened = "list_item_opened",
        /// The person responsible states an item's cause and measure.
        ListItemAnalysed = "list_item_analysed",
        /// The person responsible closes an item.
        ListItemClosed = "list_item_closed",
        /// Someone else verifies an item closed.
        ListItemVerified = "list_item_verified",
        /// An item's problem is found again.
        ListItemReopened = "list_item_reopened",
        /// The office records a year's working-day calendar (节假日安排).
        CalendarRecorded = "calendar_recorded",
    }
}

impl EventType {
    /// The payload version kaohe writes for it now. Events of an earlier version stay readable:
    /// a version's schema never changes, and the fold reads every version.
    pub fn payload_version(self) -> u64 {
        1
    }

    /// Its name in Chinese.
    pub fn name_zh(self) -> &'static str {
        match self {
            EventType::LedgerCreated => "建立台账",
            EventType::PolicyAdopted => "通过考核办法",
            EventType::PersonRegistered => "登记人员",
            EventType::RoleAssigned => "任职",
            EventType::SupervisionAssigned => "确定分管领导",
            EventType::AreaAssigned => "划分片区",
            EventType::EntryWritten => "工作记录",
            EventType::EntryAmended => "更正工作记录",
            EventType::SheetSubmitted => "上交记录表",
            EventType::SheetRead => "阅看记录表",
            EventType::OpinionGiven => "片长意见",
            EventType::NominationMade => "月度提名",
            EventType::DecisionProposed => "提出季度评定",
            EventType::DecisionCosigned => "会签季度评定",
            EventType::DecisionPublished => "通报表扬",
            EventType::AppealFiled => "复评申请",
            EventType::AppealAnswered => "复评答复",
            EventType::SanctionImposed => "奖惩",
            EventType::SanctionRevoked => "撤销奖惩",
            EventType::ScoresGiven => "量化评分",
            EventType::SheetDisplayed => "抽选展示记录表",
            EventType::TalkHeld => "谈话",
            EventType::RectificationPlanned => "整改方案",
            EventType::RectificationCompleted => "整改完成",
            EventType::TokenIssued => "签发令牌",
            EventType::TokenRevoked => "吊销令牌",
            EventType::UnitRegistered => "登记单位",
            EventType::UnitLeaderAssigned => "明确单位负责人",
            EventType::IndicatorAssigned => "明确指标分工",
            EventType::CityScoresRecorded => "录入全市考核排名",
            EventType::LastPlaceConsequenceDue => "倒数第一后续事项",
            EventType::LastPlaceConsequenceFulfilled => "完成倒数第一后续事项",
            EventType::VillageScoresGiven => "村级考核赋分",
            EventType::VillageRankingPublished => "公示村级考核排名",
            EventType::VillagePayAdjusted => "村干部待遇挂钩",
            EventType::VillageReportGiven => "村书记述职",
            EventType::SpotCheckRecorded => "暗访抽查",
            EventType::AbsenceJustified => "离岗说明",
            EventType::AbsenceReviewed => "离岗认定",
            EventType::KeyTaskRegistered => "登记重点工作",
            EventType::KeyTaskProgressReported => "重点工作进展",
            EventType::KeyTaskFollowedUp => "督查巡查",
            EventType::KeyTasksReviewed => "重点工作逐项点评",
            EventType::ListItemOpened => "列入三张清单",
            EventType::ListItemAnalysed => "剖析原因",
            EventType::ListItemClosed => "整改销号",
            EventType::ListItemVerified => "核验销号",
            EventType::ListItemReopened => "重新整改",
            EventType::CalendarRecorded => "节假日安排",
        }
    }
}

words! {
    /// A reward or penalty (三奖惩), in the order the rules derive them and views list them.
    pub enum SanctionKind ("sanction") {
        /// 通报表扬: public commendation of a best worker.
        Commendation = "commendation",
        /// 增发季度奖: the best worker's extra share of the quarterly bonus.
        QuarterlyBonusUplift = "quarterly_bonus_uplift",
        /// 增发年终奖: the best worker's extra share of the year-end bonus.
        YearEndBonusUplift = "year_end_bonus_uplift",
        /// 谈话: a talk with a principal leader (镇主要领导), for a worst worker.
        Talk = "talk",
        /// 告诫: an admonishment.
        Admonishment = "admonishment",
        /// 限期整改: rectification by a deadline.
        Rectification = "rectification",
        /// 通报批评: public criticism after consecutive worst designations.
        PublicCriticism = "public_criticism",
        /// 只发放基本工资: basic salary only.
        BasicSalaryOnly = "basic_salary_only",
        /// 扣发全年季度、年度奖金: the year's bonuses withheld.
        BonusesWithheld = "bonuses_withheld",
    }
}

impl SanctionKind {
    /// Whether it changes what a person is paid (the pay view and the exports count these).
    pub fn affects_pay(self) -> bool {
        matches!(
            self,
            SanctionKind::QuarterlyBonusUplift
                | SanctionKind::YearEndBonusUplift
                | SanctionKind::BasicSalaryOnly
                | SanctionKind::BonusesWithheld
        )
    }

    /// Its name in Chinese.
    pub fn name_zh(self) -> &'static str {
        match self {
            SanctionKind::Commendation => "通报表扬",
            SanctionKind::QuarterlyBonusUplift => "增发季度奖",
            SanctionKind::YearEndBonusUplift => "增发年终奖",
            SanctionKind::Talk => "谈话",
            SanctionKind::Admonishment => "告诫",
            SanctionKind::Rectification => "限期整改",
            SanctionKind::PublicCriticism => "通报批评",
            SanctionKind::BasicSalaryOnly => "只发放基本工资",
            SanctionKind::BonusesWithheld => "扣发全年季度、年度奖金",
        }
    }
}

words! {
    /// Best or worst.
    pub enum Kind ("kind (best or worst)") {
        /// 最佳 (最佳工作者).
        Best = "best",
        /// 最差 (最差工作者).
        Worst = "worst",
    }
}

impl Kind {
    /// Its word in Chinese: 最佳 or 最差.
    pub fn name_zh(self) -> &'static str {
        match self {
            Kind::Best => "最佳",
            Kind::Worst => "最差",
        }
    }

    /// The worker it designates, in the source's words: 最佳工作者 or 最差工作者.
    pub fn worker_zh(self) -> &'static str {
        match self {
            Kind::Best => "最佳工作者",
            Kind::Worst => "最差工作者",
        }
    }
}

words! {
    /// The party committee's answer to an appeal.
    pub enum Outcome ("appeal outcome") {
        /// The designation stands.
        Upheld = "upheld",
        /// The designation is overturned; its sanctions are revoked.
        Overturned = "overturned",
    }
}

words! {
    /// How the days of an appeal's deadline are counted.
    pub enum DayKind ("day kind") {
        /// Every day counts.
        Calendar = "calendar",
        /// Monday to Friday count.
        Working = "working",
    }
}

words! {
    /// Who may appeal a rating.
    pub enum Standing ("appeal standing") {
        /// Only the person rated.
        RatedPerson = "rated_person",
        /// Any staff member.
        AnyStaff = "any_staff",
    }
}

words! {
    /// How equal weighted totals are ordered under numeric scoring.
    pub enum TieBreak ("tie-break") {
        /// The higher discipline score first, then the higher ability score, then the roster id.
        DisciplineThenAbility = "discipline_then_ability",
        /// The roster id alone.
        PersonId = "person_id",
    }
}

/// The follow-up of a sanction that a command records.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FollowUp {
    /// The talk a worst designation calls for.
    Talk,
    /// The rectification plan.
    Plan,
    /// The leader's confirmation that the plan was carried out.
    Completion,
}

impl FollowUp {
    /// Its English word.
    pub fn as_str(self) -> &'static str {
        match self {
            FollowUp::Talk => "talk",
            FollowUp::Plan => "plan",
            FollowUp::Completion => "completion",
        }
    }

    /// Its name in Chinese.
    pub fn name_zh(self) -> &'static str {
        match self {
            FollowUp::Talk => "谈话",
            FollowUp::Plan => "整改方案",
            FollowUp::Completion => "整改完成确认",
        }
    }
}

impl fmt::Display for FollowUp {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.as_str())
    }
}

/// A text a command must not leave empty.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TextField {
    /// An area chief's opinion.
    Opinion,
    /// The public notice of a decision.
    Notice,
    /// The grounds of an appeal.
    AppealGrounds,
    /// The reasons of an answer to an appeal.
    AnswerReasons,
    /// The summary of a talk.
    TalkSummary,
    /// A rectification plan.
    RectificationPlan,
    /// The summary of a completed rectification.
    CompletionSummary,
    /// The reason a token is revoked.
    RevocationReason,
    /// The notice a calendar follows.
    CalendarSource,
}

impl TextField {
    /// Its English name, as a refusal says it.
    pub fn as_str(self) -> &'static str {
        match self {
            TextField::Opinion => "an opinion",
            TextField::Notice => "a notice",
            TextField::AppealGrounds => "an appeal's grounds",
            TextField::AnswerReasons => "an answer's reasons",
            TextField::TalkSummary => "a talk's summary",
            TextField::RectificationPlan => "a rectification plan",
            TextField::CompletionSummary => "a completion's summary",
            TextField::RevocationReason => "a revocation's reason",
            TextField::CalendarSource => "a calendar's source",
        }
    }

    /// Its name in Chinese.
    pub fn name_zh(self) -> &'static str {
        match self {
            TextField::Opinion => "片长意见",
            TextField::Notice => "公示内容",
            TextField::AppealGrounds => "复评理由",
            TextField::AnswerReasons => "答复理由",
            TextField::TalkSummary => "谈话内容",
            TextField::RectificationPlan => "整改方案",
            TextField::CompletionSummary => "整改完成情况",
            TextField::RevocationReason => "吊销理由",
            TextField::CalendarSource => "节假日安排的依据",
        }
    }
}

impl fmt::Display for TextField {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_read_back_as_they_are_written() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(*role));
            assert_eq!(
                serde_json::to_value(role).unwrap(),
                serde_json::Value::from(role.as_str())
            );
        }
        for event_type in EventType::ALL {
            assert_eq!(event_type.as_str().parse::<EventType>(), Ok(*event_type));
        }
        for sanction in SanctionKind::ALL {
            assert_eq!(
                serde_json::from_value::<SanctionKind>(sanction.as_str().into()).unwrap(),
                *sanction
            );
        }
        assert!("emperor".parse::<Role>().is_err());
        assert_eq!(
            Role::ASSIGNABLE.to_vec(),
            Role::ALL
                .iter()
                .copied()
                .filter(|role| role.is_assignable())
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn sanctions_keep_the_order_the_rules_derive_them_in() {
        let words: Vec<&str> = SanctionKind::ALL.iter().map(|kind| kind.as_str()).collect();
        assert_eq!(
            words,
            [
                "commendation",
                "quarterly_bonus_uplift",
                "year_end_bonus_uplift",
                "talk",
                "admonishment",
                "rectification",
                "public_criticism",
                "basic_salary_only",
                "bonuses_withheld",
            ]
        );
        assert!(SanctionKind::Commendation < SanctionKind::BonusesWithheld);
        let paid: Vec<SanctionKind> = SanctionKind::ALL
            .iter()
            .copied()
            .filter(|kind| kind.affects_pay())
            .collect();
        assert_eq!(paid.len(), 4);
    }
}
