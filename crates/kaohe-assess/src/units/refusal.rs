//! Why a command of the units' part was refused: the rule that refused it, with what it names,
//! a stable code and kind, English words (`Display`) and Chinese words (`in_chinese`, one
//! exhaustive match, so none is without them). `Refusal::Units` carries it; the rules of
//! `rules/` also refuse with the general refusals (the role, the person, the day) where those
//! say it.

use jiff::civil::Date;
use uuid::Uuid;

use crate::period::Quarter;
use crate::refusal::RefusalKind;
use crate::units::words::{ItemSource, UnitKind};

/// A text of the units' commands that must not be empty.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnitsText {
    /// A unit's name.
    Name,
    /// A document's title.
    DocumentTitle,
    /// Who carried out a spot check.
    Checker,
    /// The explanation of an absence.
    Explanation,
    /// Why a justification is not accepted.
    RejectionComment,
    /// A key task's or a milestone's title.
    Title,
    /// What a report, a decision, a meeting or a closure says.
    Summary,
    /// What a follow-up found.
    Note,
    /// A review's comment on a task.
    TaskComment,
    /// What a score rests on.
    Basis,
    /// A published notice.
    Notice,
    /// A problem.
    Problem,
    /// A problem's cause.
    Cause,
    /// A rectification measure.
    Measure,
    /// How a problem was found again.
    Finding,
    /// A verification's comment.
    VerificationComment,
}

impl UnitsText {
    /// Its English name.
    pub fn as_str(self) -> &'static str {
        match self {
            UnitsText::Name => "a name",
            UnitsText::DocumentTitle => "a document's title",
            UnitsText::Checker => "who checked",
            UnitsText::Explanation => "an absence's explanation",
            UnitsText::RejectionComment => "the reason a justification is not accepted",
            UnitsText::Title => "a title",
            UnitsText::Summary => "a summary",
            UnitsText::Note => "a follow-up's note",
            UnitsText::TaskComment => "a task's comment",
            UnitsText::Basis => "a score's basis",
            UnitsText::Notice => "a notice",
            UnitsText::Problem => "a problem",
            UnitsText::Cause => "a cause",
            UnitsText::Measure => "a measure",
            UnitsText::Finding => "a finding",
            UnitsText::VerificationComment => "a verification's comment",
        }
    }

    /// Its name in Chinese.
    pub fn name_zh(self) -> &'static str {
        match self {
            UnitsText::Name => "名称",
            UnitsText::DocumentTitle => "文件标题",
            UnitsText::Checker => "检查单位",
            UnitsText::Explanation => "离岗说明",
            UnitsText::RejectionComment => "不予认可的理由",
            UnitsText::Title => "标题",
            UnitsText::Summary => "内容",
            UnitsText::Note => "督查巡查情况",
            UnitsText::TaskComment => "逐项点评",
            UnitsText::Basis => "赋分依据",
            UnitsText::Notice => "公示内容",
            UnitsText::Problem => "问题",
            UnitsText::Cause => "原因剖析",
            UnitsText::Measure => "整改措施",
            UnitsText::Finding => "再次发现的情况",
            UnitsText::VerificationComment => "核验情况",
        }
    }
}

impl std::fmt::Display for UnitsText {
    fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        formatter.write_str(self.as_str())
    }
}

/// Why a command of the units' part was refused; nothing is appended.
#[derive(Debug, thiserror::Error, PartialEq, Eq, Clone)]
pub enum UnitsRefusal {
    /// No unit has that code.
    #[error("no unit {0}")]
    UnknownUnit(String),
    /// The code is taken.
    #[error("unit {0} is already registered")]
    UnitExists(String),
    /// The ledger has its township already.
    #[error("the township is already registered as {0}")]
    SecondTownship(String),
    /// The unit is not of the kind the act needs.
    #[error("{unit} is a {kind}, not a {needed}")]
    WrongUnitKind {
        /// The unit.
        unit: String,
        /// What it is.
        kind: UnitKind,
        /// What the act needs.
        needed: UnitKind,
    },
    /// The person does not lead the unit that day.
    #[error("{person} does not lead {unit} on {date}")]
    NotUnitLeader {
        /// Who.
        person: String,
        /// The unit.
        unit: String,
        /// The day.
        date: Date,
    },
    /// The act is the office's or the supervision office's.
    #[error("{person} is neither in the office nor the head of the supervision office on {date}")]
    NotSupervisionOffice {
        /// Who.
        person: String,
        /// The day.
        date: Date,
    },
    /// Verifying or finding again is for the overseers and the supervision office's head.
    #[error("{person} may not verify items of the three lists on {date}")]
    NotVerifier {
        /// Who.
        person: String,
        /// The day.
        date: Date,
    },
    /// An assignment cannot start before the day it is made.
    #[error("an assignment cannot start in the past ({from} is before {today})")]
    Retroactive {
        /// Its first day.
        from: Date,
        /// The day of the act.
        today: Date,
    },
    /// The policy in force that day has no units' section.
    #[error("the policy in force on {0} has no rules for units")]
    NoUnitsPolicy(Date),
    /// The policy names no such indicator.
    #[error("the policy names no indicator {0}")]
    UnknownIndicator(String),
    /// The policy names no such criterion.
    #[error("the policy names no village criterion {0}")]
    UnknownCriterion(String),
    /// No one answers for the indicator that day.
    #[error("no vice-leader answers for indicator {indicator} on {date}")]
    NobodyResponsible {
        /// The indicator.
        indicator: String,
        /// The day.
        date: Date,
    },
    /// No one is mayor that day, to decide what a last place calls for.
    #[error("no one is mayor on {0}")]
    NoMayor(Date),
    /// The city's scores of the indicator and quarter are recorded already.
    #[error("the city's scores of {indicator} for {quarter} are already recorded")]
    ScoresRecorded {
        /// The quarter.
        quarter: Quarter,
        /// The indicator.
        indicator: String,
    },
    /// A ranking needs the other townships' scores.
    #[error("a ranking needs at least one other township's score")]
    NoPeers,
    /// A township named twice.
    #[error("{0} is named twice")]
    PeerTwice(String),
    /// A day after today.
    #[error("{day} is after today ({today})")]
    DayAfterToday {
        /// The day given.
        day: Date,
        /// The day of the act.
        today: Date,
    },
    /// No such consequence.
    #[error("no last-place consequence {0}")]
    UnknownConsequence(Uuid),
    /// The consequence is recorded as done.
    #[error("consequence {0} is already fulfilled")]
    ConsequenceFulfilled(Uuid),
    /// The department's scores of the quarter are given already.
    #[error("the villages are already scored on {criterion} for {quarter}")]
    VillagesScored {
        /// The quarter.
        quarter: Quarter,
        /// The criterion.
        criterion: String,
    },
    /// The quarter's ranking is published: its scores stand.
    #[error("the village ranking of {0} is already published")]
    RankingPublished(Quarter),
    /// A village is not scored.
    #[error("the scores leave out the village {0}")]
    VillageLeftOut(String),
    /// A village scored twice.
    #[error("the village {0} is scored twice")]
    VillageTwice(String),
    /// A score beyond the criterion's highest.
    #[error("{village} is given {score} tenths; the criterion allows {max}")]
    ScoreAboveMax {
        /// The village.
        village: String,
        /// The score.
        score: u32,
        /// The highest.
        max: u32,
    },
    /// The policy has no village criteria to rank by.
    #[error("the policy in force on {0} has no village criteria")]
    NoVillageCriteria(Date),
    /// A criterion not yet scored.
    #[error("the villages are not yet scored on {criterion} for {quarter}")]
    CriterionUnscored {
        /// The quarter.
        quarter: Quarter,
        /// The criterion.
        criterion: String,
    },
    /// The ledger has moved since the size the publication names.
    #[error("the publication names a ledger of {named} events; it holds {held}")]
    LedgerMoved {
        /// The size named.
        named: u64,
        /// The size held.
        held: u64,
    },
    /// The village's report for the quarter is given already.
    #[error("the report of {village} for {quarter} is already given")]
    ReportGiven {
        /// The quarter.
        quarter: Quarter,
        /// The village.
        village: String,
    },
    /// A check of that day by that checker is recorded already.
    #[error("the spot check of {checked_on} by {checked_by} is already recorded")]
    SpotCheckRecorded {
        /// The day.
        checked_on: Date,
        /// Who checked.
        checked_by: String,
    },
    /// A check names nobody.
    #[error("a spot check names at least one person")]
    NobodyChecked,
    /// A person named twice in a check.
    #[error("{0} is named twice in the spot check")]
    CheckedTwice(String),
    /// No such spot check.
    #[error("no spot check {0}")]
    UnknownSpotCheck(Uuid),
    /// The person was not found absent at the check.
    #[error("{person} was not found absent at spot check {check}")]
    NotAbsent {
        /// Who.
        person: String,
        /// The check.
        check: Uuid,
    },
    /// The absence is justified already.
    #[error("{0}'s absence is already justified")]
    AlreadyJustified(String),
    /// The absence is not justified, so there is nothing to review.
    #[error("{0} has not justified the absence")]
    NotJustified(String),
    /// The justification is reviewed already.
    #[error("{0}'s justification is already reviewed")]
    AlreadyReviewed(String),
    /// The task code is taken.
    #[error("key task {0} is already registered")]
    TaskExists(String),
    /// No such task.
    #[error("no key task {0}")]
    UnknownTask(String),
    /// Only the owning leader or the owning unit's head reports.
    #[error("{person} neither owns key task {task} nor leads its unit")]
    NotTaskOwner {
        /// Who.
        person: String,
        /// The task.
        task: String,
    },
    /// A task needs milestones, each due in its year.
    #[error("a key task of {year} needs milestones due in {year}")]
    BadMilestones {
        /// The task's year.
        year: i16,
    },
    /// No such milestone.
    #[error("key task {task} has no milestone {number}")]
    UnknownMilestone {
        /// The task.
        task: String,
        /// The number given.
        number: u32,
    },
    /// The milestone is reached already.
    #[error("milestone {number} of key task {task} is already reached")]
    MilestoneReached {
        /// The task.
        task: String,
        /// The milestone.
        number: u32,
    },
    /// The year's review is recorded already.
    #[error("the key tasks of {0} are already reviewed")]
    YearReviewed(i16),
    /// A review leaves out a task of the year.
    #[error("the review leaves out key task {0}")]
    TaskLeftOut(String),
    /// A review comments on a task twice, or on one of another year.
    #[error("the review comments on {0} twice or on a task of another year")]
    TaskNotInReview(String),
    /// Items of this source are opened by the rules themselves.
    #[error("items from {0} are opened by the rules, not by hand")]
    DerivedSource(ItemSource),
    /// The item's source event is missing or of the wrong kind.
    #[error("an item from {0} names the event it comes from")]
    SourceEventMissing(ItemSource),
    /// Feedback from above names its document.
    #[error("an item of feedback from above names its document")]
    DocumentMissing,
    /// A self-examination is one's own.
    #[error("{person} cannot open a self-examination for {owner}")]
    NotYourSelfExamination {
        /// Who tried.
        person: String,
        /// Whom it names.
        owner: String,
    },
    /// No such item.
    #[error("no item {0} on the three lists")]
    UnknownItem(Uuid),
    /// Only the person responsible analyses and closes an item.
    #[error("item {item} is {owner}'s to analyse and close")]
    NotYourItem {
        /// The item.
        item: Uuid,
        /// Whose it is.
        owner: String,
    },
    /// The owner cannot verify their own item.
    #[error("{person} cannot verify item {item}: it is their own")]
    OwnItem {
        /// Who tried.
        person: String,
        /// The item.
        item: Uuid,
    },
    /// The item is closed.
    #[error("item {0} is closed")]
    ItemClosed(Uuid),
    /// The item is open.
    #[error("item {0} is not closed")]
    ItemOpen(Uuid),
    /// The item is verified closed.
    #[error("item {0} is already verified")]
    ItemVerified(Uuid),
    /// An item is closed only after its cause and measure are analysed.
    #[error("item {0} has no cause and measure yet")]
    ItemNotAnalysed(Uuid),
    /// A text the act needs is empty.
    #[error("{0} cannot be empty")]
    Missing(UnitsText),
}

impl UnitsRefusal {
    /// A stable machine-readable code: the rule's name in snake case.
    pub fn code(&self) -> &'static str {
        match self {
            UnitsRefusal::UnknownUnit(..) => "unknown_unit",
            UnitsRefusal::UnitExists(..) => "unit_exists",
            UnitsRefusal::SecondTownship(..) => "second_township",
            UnitsRefusal::WrongUnitKind { .. } => "wrong_unit_kind",
            UnitsRefusal::NotUnitLeader { .. } => "not_unit_leader",
            UnitsRefusal::NotSupervisionOffice { .. } => "not_supervision_office",
            UnitsRefusal::NotVerifier { .. } => "not_verifier",
            UnitsRefusal::Retroactive { .. } => "retroactive",
            UnitsRefusal::NoUnitsPolicy(..) => "no_units_policy",
            UnitsRefusal::UnknownIndicator(..) => "unknown_indicator",
            UnitsRefusal::UnknownCriterion(..) => "unknown_criterion",
            UnitsRefusal::NobodyResponsible { .. } => "nobody_responsible",
            UnitsRefusal::NoMayor(..) => "no_mayor",
            UnitsRefusal::ScoresRecorded { .. } => "scores_recorded",
            UnitsRefusal::NoPeers => "no_peers",
            UnitsRefusal::PeerTwice(..) => "peer_twice",
            UnitsRefusal::DayAfterToday { .. } => "day_after_today",
            UnitsRefusal::UnknownConsequence(..) => "unknown_consequence",
            UnitsRefusal::ConsequenceFulfilled(..) => "consequence_fulfilled",
            UnitsRefusal::VillagesScored { .. } => "villages_scored",
            UnitsRefusal::RankingPublished(..) => "ranking_published",
            UnitsRefusal::VillageLeftOut(..) => "village_left_out",
            UnitsRefusal::VillageTwice(..) => "village_twice",
            UnitsRefusal::ScoreAboveMax { .. } => "score_above_max",
            UnitsRefusal::NoVillageCriteria(..) => "no_village_criteria",
            UnitsRefusal::CriterionUnscored { .. } => "criterion_unscored",
            UnitsRefusal::LedgerMoved { .. } => "ledger_moved",
            UnitsRefusal::ReportGiven { .. } => "report_given",
            UnitsRefusal::SpotCheckRecorded { .. } => "spot_check_recorded",
            UnitsRefusal::NobodyChecked => "nobody_checked",
            UnitsRefusal::CheckedTwice(..) => "checked_twice",
            UnitsRefusal::UnknownSpotCheck(..) => "unknown_spot_check",
            UnitsRefusal::NotAbsent { .. } => "not_absent",
            UnitsRefusal::AlreadyJustified(..) => "already_justified",
            UnitsRefusal::NotJustified(..) => "not_justified",
            UnitsRefusal::AlreadyReviewed(..) => "already_reviewed",
            UnitsRefusal::TaskExists(..) => "task_exists",
            UnitsRefusal::UnknownTask(..) => "unknown_task",
            UnitsRefusal::NotTaskOwner { .. } => "not_task_owner",
            UnitsRefusal::BadMilestones { .. } => "bad_milestones",
            UnitsRefusal::UnknownMilestone { .. } => "unknown_milestone",
            UnitsRefusal::MilestoneReached { .. } => "milestone_reached",
            UnitsRefusal::YearReviewed(..) => "year_reviewed",
            UnitsRefusal::TaskLeftOut(..) => "task_left_out",
            UnitsRefusal::TaskNotInReview(..) => "task_not_in_review",
            UnitsRefusal::DerivedSource(..) => "derived_source",
            UnitsRefusal::SourceEventMissing(..) => "source_event_missing",
            UnitsRefusal::DocumentMissing => "document_missing",
            UnitsRefusal::NotYourSelfExamination { .. } => "not_your_self_examination",
            UnitsRefusal::UnknownItem(..) => "unknown_item",
            UnitsRefusal::NotYourItem { .. } => "not_your_item",
            UnitsRefusal::OwnItem { .. } => "own_item",
            UnitsRefusal::ItemClosed(..) => "item_closed",
            UnitsRefusal::ItemOpen(..) => "item_open",
            UnitsRefusal::ItemVerified(..) => "item_verified",
            UnitsRefusal::ItemNotAnalysed(..) => "item_not_analysed",
            UnitsRefusal::Missing(..) => "text_empty",
        }
    }

    /// What kind of rule refused.
    pub fn kind(&self) -> RefusalKind {
        match self {
            UnitsRefusal::NotUnitLeader { .. }
            | UnitsRefusal::NotSupervisionOffice { .. }
            | UnitsRefusal::NotVerifier { .. }
            | UnitsRefusal::NotAbsent { .. }
            | UnitsRefusal::NotTaskOwner { .. }
            | UnitsRefusal::NotYourSelfExamination { .. }
            | UnitsRefusal::NotYourItem { .. }
            | UnitsRefusal::OwnItem { .. } => RefusalKind::Forbidden,
            UnitsRefusal::UnknownUnit(..)
            | UnitsRefusal::UnknownIndicator(..)
            | UnitsRefusal::UnknownCriterion(..)
            | UnitsRefusal::UnknownConsequence(..)
            | UnitsRefusal::UnknownSpotCheck(..)
            | UnitsRefusal::UnknownTask(..)
            | UnitsRefusal::UnknownItem(..) => RefusalKind::Unknown,
            UnitsRefusal::UnitExists(..)
            | UnitsRefusal::SecondTownship(..)
            | UnitsRefusal::ScoresRecorded { .. }
            | UnitsRefusal::ConsequenceFulfilled(..)
            | UnitsRefusal::VillagesScored { .. }
            | UnitsRefusal::RankingPublished(..)
            | UnitsRefusal::LedgerMoved { .. }
            | UnitsRefusal::ReportGiven { .. }
            | UnitsRefusal::SpotCheckRecorded { .. }
            | UnitsRefusal::AlreadyJustified(..)
            | UnitsRefusal::AlreadyReviewed(..)
            | UnitsRefusal::TaskExists(..)
            | UnitsRefusal::MilestoneReached { .. }
            | UnitsRefusal::YearReviewed(..)
            | UnitsRefusal::ItemClosed(..)
            | UnitsRefusal::ItemVerified(..) => RefusalKind::Conflict,
            UnitsRefusal::WrongUnitKind { .. }
            | UnitsRefusal::Retroactive { .. }
            | UnitsRefusal::NoUnitsPolicy(..)
            | UnitsRefusal::NobodyResponsible { .. }
            | UnitsRefusal::NoMayor(..)
            | UnitsRefusal::NoPeers
            | UnitsRefusal::PeerTwice(..)
            | UnitsRefusal::DayAfterToday { .. }
            | UnitsRefusal::VillageLeftOut(..)
            | UnitsRefusal::VillageTwice(..)
            | UnitsRefusal::ScoreAboveMax { .. }
            | UnitsRefusal::NoVillageCriteria(..)
            | UnitsRefusal::CriterionUnscored { .. }
            | UnitsRefusal::NobodyChecked
            | UnitsRefusal::CheckedTwice(..)
            | UnitsRefusal::NotJustified(..)
            | UnitsRefusal::BadMilestones { .. }
            | UnitsRefusal::UnknownMilestone { .. }
            | UnitsRefusal::TaskLeftOut(..)
            | UnitsRefusal::TaskNotInReview(..)
            | UnitsRefusal::DerivedSource(..)
            | UnitsRefusal::SourceEventMissing(..)
            | UnitsRefusal::DocumentMissing
            | UnitsRefusal::ItemOpen(..)
            | UnitsRefusal::ItemNotAnalysed(..)
            | UnitsRefusal::Missing(..) => RefusalKind::Invalid,
        }
    }

    /// The rule that refused, in Chinese.
    pub fn in_chinese(&self) -> String {
        use crate::units::text::{date_zh, quarter_zh};
        match self {
            UnitsRefusal::UnknownUnit(unit) => format!("没有编号为 {unit} 的单位"),
            UnitsRefusal::UnitExists(unit) => format!("单位编号 {unit} 已登记"),
            UnitsRefusal::SecondTownship(unit) => format!("本镇已登记为 {unit}，不能重复登记"),
            UnitsRefusal::WrongUnitKind { unit, kind, needed } => {
                format!("{unit} 是{}，此处须为{}", kind.name_zh(), needed.name_zh())
            }
            UnitsRefusal::NotUnitLeader { person, unit, date } => {
                format!("{} {person} 不是 {unit} 的负责人", date_zh(*date))
            }
            UnitsRefusal::NotSupervisionOffice { person, date } => format!(
                "{} {person} 既不在党政办，也不是督查室负责人",
                date_zh(*date)
            ),
            UnitsRefusal::NotVerifier { person, date } => format!(
                "{} {person} 无权核验或重新发现三张清单事项（限书记、镇长、党委、党政办、纪检和督查室负责人）",
                date_zh(*date)
            ),
            UnitsRefusal::Retroactive { from, today } => format!(
                "分工不能追溯：起始日 {} 早于今天 {}",
                date_zh(*from),
                date_zh(*today)
            ),
            UnitsRefusal::NoUnitsPolicy(date) => {
                format!("{} 施行的考核办法没有单位考核的规定", date_zh(*date))
            }
            UnitsRefusal::UnknownIndicator(id) => format!("考核办法中没有指标 {id}"),
            UnitsRefusal::UnknownCriterion(id) => format!("考核办法中没有村级考核细则 {id}"),
            UnitsRefusal::NobodyResponsible { indicator, date } => format!(
                "{} 指标 {indicator} 没有分管副职领导，请先明确分工",
                date_zh(*date)
            ),
            UnitsRefusal::NoMayor(date) => format!("{} 没有在任镇长", date_zh(*date)),
            UnitsRefusal::ScoresRecorded { quarter, indicator } => format!(
                "{} 指标 {indicator} 的全市排名已经录入",
                quarter_zh(*quarter)
            ),
            UnitsRefusal::NoPeers => "排名至少要有一个其他乡镇的得分".into(),
            UnitsRefusal::PeerTwice(name) => format!("{name} 重复出现"),
            UnitsRefusal::DayAfterToday { day, today } => {
                format!("{} 晚于今天（{}）", date_zh(*day), date_zh(*today))
            }
            UnitsRefusal::UnknownConsequence(_) => "没有这项倒数第一的后续事项".into(),
            UnitsRefusal::ConsequenceFulfilled(_) => "这项后续事项已经记录完成".into(),
            UnitsRefusal::VillagesScored { quarter, criterion } => {
                format!("{} 已按细则 {criterion} 为各村赋分", quarter_zh(*quarter))
            }
            UnitsRefusal::RankingPublished(quarter) => {
                format!("{} 村级考核排名已公示，得分不能再改", quarter_zh(*quarter))
            }
            UnitsRefusal::VillageLeftOut(village) => format!("赋分漏了 {village}"),
            UnitsRefusal::VillageTwice(village) => format!("{village} 被赋分两次"),
            UnitsRefusal::ScoreAboveMax {
                village,
                score,
                max,
            } => format!(
                "{village} 得分 {} 超过细则满分 {}",
                crate::units::text::points(*score),
                crate::units::text::points(*max)
            ),
            UnitsRefusal::NoVillageCriteria(date) => {
                format!("{} 施行的考核办法没有村级考核细则", date_zh(*date))
            }
            UnitsRefusal::CriterionUnscored { quarter, criterion } => format!(
                "{} 尚未按细则 {criterion} 赋分，不能公示排名",
                quarter_zh(*quarter)
            ),
            UnitsRefusal::LedgerMoved { named, held } => {
                format!("公示所依据的台账为 {named} 条事件，现已有 {held} 条，请刷新后重试")
            }
            UnitsRefusal::ReportGiven { quarter, village } => {
                format!("{village} 已就{}述职", quarter_zh(*quarter))
            }
            UnitsRefusal::SpotCheckRecorded {
                checked_on,
                checked_by,
            } => format!("{checked_by} {} 的暗访抽查已录入", date_zh(*checked_on)),
            UnitsRefusal::NobodyChecked => "暗访抽查至少要有一名被查人员".into(),
            UnitsRefusal::CheckedTwice(person) => format!("{person} 在抽查名单中出现两次"),
            UnitsRefusal::UnknownSpotCheck(_) => "没有这次暗访抽查".into(),
            UnitsRefusal::NotAbsent { person, .. } => {
                format!("{person} 在这次抽查中没有被记为不在岗")
            }
            UnitsRefusal::AlreadyJustified(person) => format!("{person} 已经说明离岗情况"),
            UnitsRefusal::NotJustified(person) => {
                format!("{person} 尚未说明离岗情况，无从认定")
            }
            UnitsRefusal::AlreadyReviewed(person) => format!("{person} 的离岗说明已经认定"),
            UnitsRefusal::TaskExists(task) => format!("重点工作 {task} 已登记"),
            UnitsRefusal::UnknownTask(task) => format!("没有重点工作 {task}"),
            UnitsRefusal::NotTaskOwner { person, task } => {
                format!("{person} 不是重点工作 {task} 的分线领导，也不是牵头单位负责人")
            }
            UnitsRefusal::BadMilestones { year } => {
                format!("{year} 年的重点工作须有节点，且节点都在 {year} 年内")
            }
            UnitsRefusal::UnknownMilestone { task, number } => {
                format!("重点工作 {task} 没有第 {number} 个节点")
            }
            UnitsRefusal::MilestoneReached { task, number } => {
                format!("重点工作 {task} 的第 {number} 个节点已完成")
            }
            UnitsRefusal::YearReviewed(year) => format!("{year} 年的重点工作已经逐项点评"),
            UnitsRefusal::TaskLeftOut(task) => format!("逐项点评漏了重点工作 {task}"),
            UnitsRefusal::TaskNotInReview(task) => {
                format!("重点工作 {task} 点评了两次，或不是本年度的重点工作")
            }
            UnitsRefusal::DerivedSource(source) => {
                format!("来源为“{}”的事项由系统依规则自动列入", source.name_zh())
            }
            UnitsRefusal::SourceEventMissing(source) => {
                format!("来源为“{}”的事项须指明所依据的记录", source.name_zh())
            }
            UnitsRefusal::DocumentMissing => "上级反馈的事项须写明来文".into(),
            UnitsRefusal::NotYourSelfExamination { person, owner } => {
                format!("{person} 不能替 {owner} 作自我检查")
            }
            UnitsRefusal::UnknownItem(_) => "三张清单中没有这个事项".into(),
            UnitsRefusal::NotYourItem { owner, .. } => {
                format!("这个事项由 {owner} 负责剖析原因、整改销号")
            }
            UnitsRefusal::OwnItem { .. } => "责任人不能核验自己的事项".into(),
            UnitsRefusal::ItemClosed(_) => "这个事项已经整改销号".into(),
            UnitsRefusal::ItemOpen(_) => "这个事项尚未整改销号".into(),
            UnitsRefusal::ItemVerified(_) => "这个事项已经核验".into(),
            UnitsRefusal::ItemNotAnalysed(_) => "这个事项尚未剖析原因、制定整改措施".into(),
            UnitsRefusal::Missing(field) => format!("{}不能为空", field.name_zh()),
        }
    }
}
