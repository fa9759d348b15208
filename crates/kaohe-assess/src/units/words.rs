//! The words of the units' part of the scheme as types, each serialising as the word the ledger
//! stores, with its Chinese name: the kinds of unit, the consequences of a last place, where an
//! item of the three lists comes from, why someone was absent at a spot check, how the
//! supervision office follows a key task, how a village leader reports, and which end of a
//! ranking a pay band counts from.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::words::{UnknownWord, words};

words! {
    /// What a unit is.
    pub enum UnitKind ("unit kind") {
        /// 本镇: the township itself, as the city ranks it on its indicators.
        Township = "township",
        /// 村: a village, ranked each quarter by the departments.
        Village = "village",
        /// 部门、办事处: a department or office of the township.
        Department = "department",
        /// 督查室: the supervision office, which follows the key tasks.
        SupervisionOffice = "supervision_office",
    }
}

impl UnitKind {
    /// Its name in Chinese.
    pub fn name_zh(self) -> &'static str {
        match self {
            UnitKind::Township => "本镇",
            UnitKind::Village => "村",
            UnitKind::Department => "部门",
            UnitKind::SupervisionOffice => "督查室",
        }
    }
}

words! {
    /// What follows a last place (倒数第一) under the policy, in the order the rules derive them.
    pub enum ConsequenceKind ("last-place consequence") {
        /// 由镇长视情况作出决定: the mayor decides what follows.
        MayorDecision = "mayor_decision",
        /// 副职领导上台作表态发言: the responsible vice-leader's statement at a meeting.
        Statement = "statement",
        /// 连续两次倒数第一，上台作检查和分管的业务干部一起: a self-criticism at a meeting by the
        /// vice-leader together with the business cadres.
        SelfCriticism = "self_criticism",
    }
}

impl ConsequenceKind {
    /// Its name in Chinese.
    pub fn name_zh(self) -> &'static str {
        match self {
            ConsequenceKind::MayorDecision => "镇长作出决定",
            ConsequenceKind::Statement => "上台作表态发言",
            ConsequenceKind::SelfCriticism => "上台作检查",
        }
    }
}

words! {
    /// Where an item of the three lists (问题、整改、责任三张清单) comes from.
    pub enum ItemSource ("source of a three-lists item") {
        /// A last place in the city's ranking: opened by the rules.
        LastPlace = "last_place",
        /// A finding of the supervision office or an inspection tour: opened by the rules.
        Inspection = "inspection",
        /// An absence found at a spot check.
        SpotCheck = "spot_check",
        /// A person's own self-examination (查找问题、剖析原因、制定整改措施).
        SelfExamination = "self_examination",
        /// Feedback from above (上级反馈, 回头看).
        FeedbackFromAbove = "feedback_from_above",
    }
}

impl ItemSource {
    /// Its name in Chinese.
    pub fn name_zh(self) -> &'static str {
        match self {
            ItemSource::LastPlace => "考核排名倒数第一",
            ItemSource::Inspection => "督查巡查发现",
            ItemSource::SpotCheck => "暗访抽查",
            ItemSource::SelfExamination => "自我检查",
            ItemSource::FeedbackFromAbove => "上级反馈（回头看）",
        }
    }

    /// Whether the rules open items of this source themselves, as the consequence of an act,
    /// so that no person opens one.
    pub fn derived(self) -> bool {
        matches!(self, ItemSource::LastPlace | ItemSource::Inspection)
    }
}

words! {
    /// Why a person was away from their post at a spot check.
    pub enum AbsenceReason ("reason for an absence") {
        /// 下村: work in a village.
        VillageWork = "village_work",
        /// 下企业: work at a firm.
        FirmWork = "firm_work",
        /// 其他公务: other official business.
        OfficialBusiness = "official_business",
    }
}

impl AbsenceReason {
    /// Its name in Chinese.
    pub fn name_zh(self) -> &'static str {
        match self {
            AbsenceReason::VillageWork => "下村",
            AbsenceReason::FirmWork => "下企业",
            AbsenceReason::OfficialBusiness => "其他公务",
        }
    }
}

words! {
    /// How the supervision office follows a key task.
    pub enum Oversight ("kind of follow-up") {
        /// 督查: the supervision office's follow-up.
        Supervision = "supervision",
        /// 巡查: an inspection tour.
        Inspection = "inspection",
    }
}

impl Oversight {
    /// Its name in Chinese.
    pub fn name_zh(self) -> &'static str {
        match self {
            Oversight::Supervision => "督查",
            Oversight::Inspection => "巡查",
        }
    }
}

words! {
    /// How a village leader reports on the quarter's work (述职).
    pub enum ReportForm ("form of report") {
        /// 会上述职: in person at the meeting.
        Oral = "oral",
        /// 书面述职: in writing.
        Written = "written",
    }
}

impl ReportForm {
    /// Its name in Chinese.
    pub fn name_zh(self) -> &'static str {
        match self {
            ReportForm::Oral => "会上述职",
            ReportForm::Written => "书面述职",
        }
    }
}

words! {
    /// Which end of the village ranking a pay band counts its places from.
    pub enum RankEnd ("end of a ranking") {
        /// From the first place down.
        Top = "top",
        /// From the last place up.
        Bottom = "bottom",
    }
}
