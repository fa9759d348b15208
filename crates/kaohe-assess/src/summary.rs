//! One line in Chinese for each event, as the pages and explanations show it.

use serde_json::Value;

use crate::words::{EventType, Role, SanctionKind};

/// Describe an event (its whole JSON) in one line; an event of a type the rules do not know
/// is named by its type.
pub fn describe(event: &Value) -> String {
    let text = event["type"].as_str().unwrap_or_default();
    let Ok(event_type) = text.parse::<EventType>() else {
        return text.to_owned();
    };
    let payload = &event["payload"];
    match event_type {
        EventType::LedgerCreated
        | EventType::PersonRegistered
        | EventType::RoleAssigned
        | EventType::SupervisionAssigned
        | EventType::AreaAssigned
        | EventType::PolicyAdopted
        | EventType::TokenIssued
        | EventType::TokenRevoked => describe_roster(event_type, payload),
        EventType::EntryWritten
        | EventType::EntryAmended
        | EventType::SheetSubmitted
        | EventType::SheetRead
        | EventType::SheetDisplayed => describe_records(event_type, payload),
        EventType::OpinionGiven
        | EventType::NominationMade
        | EventType::DecisionProposed
        | EventType::DecisionCosigned
        | EventType::ScoresGiven
        | EventType::DecisionPublished => describe_ratings(event_type, payload),
        EventType::AppealFiled
        | EventType::AppealAnswered
        | EventType::SanctionImposed
        | EventType::SanctionRevoked
        | EventType::TalkHeld
        | EventType::RectificationPlanned
        | EventType::RectificationCompleted => describe_consequences(event_type, payload),
        EventType::UnitRegistered
        | EventType::UnitLeaderAssigned
        | EventType::IndicatorAssigned
        | EventType::CityScoresRecorded
        | EventType::LastPlaceConsequenceDue
        | EventType::LastPlaceConsequenceFulfilled
        | EventType::VillageScoresGiven
        | EventType::VillageRankingPublished
        | EventType::VillagePayAdjusted
        | EventType::VillageReportGiven
        | EventType::SpotCheckRecorded
        | EventType::AbsenceJustified
        | EventType::AbsenceReviewed
        | EventType::KeyTaskRegistered
        | EventType::KeyTaskProgressReported
        | EventType::KeyTaskFollowedUp
        | EventType::KeyTasksReviewed
        | EventType::ListItemOpened
        | EventType::ListItemAnalysed
        | EventType::ListItemClosed
        | EventType::ListItemVerified
        | EventType::ListItemReopened => crate::units::summary::describe(event_type, payload),
    }
}

/// The roster, roles, assignments, policies and tokens.
fn describe_roster(event_type: EventType, payload: &Value) -> String {
    match event_type {
        EventType::LedgerCreated => format!(
            "建立台账：{}",
            payload["organisation"].as_str().unwrap_or_default()
        ),
        EventType::PersonRegistered => format!(
            "登记人员 {}：{}",
            payload["person_id"].as_str().unwrap_or_default(),
            payload["name"].as_str().unwrap_or_default()
        ),
        EventType::RoleAssigned => format!(
            "{} 自 {} 起任 {}",
            payload["person_id"].as_str().unwrap_or_default(),
            payload["from"].as_str().unwrap_or_default(),
            word_zh(&payload["role"], Role::name_zh)
        ),
        EventType::SupervisionAssigned => format!(
            "{} 自 {} 起由 {} 分管",
            payload["cadre_id"].as_str().unwrap_or_default(),
            payload["from"].as_str().unwrap_or_default(),
            payload["leader_id"].as_str().unwrap_or_default()
        ),
        EventType::AreaAssigned => format!(
            "{} 自 {} 起属{}（片长 {}）",
            payload["cadre_id"].as_str().unwrap_or_default(),
            payload["from"].as_str().unwrap_or_default(),
            payload["area"].as_str().unwrap_or_default(),
            payload["chief_id"].as_str().unwrap_or_default()
        ),
        EventType::PolicyAdopted => format!("通过第 {} 版考核办法", payload["policy"]["version"]),
        EventType::TokenIssued => format!(
            "为 {} 签发访问令牌 {}",
            payload["person_id"].as_str().unwrap_or_default(),
            payload["token_id"].as_str().unwrap_or_default()
        ),
        EventType::TokenRevoked => format!(
            "吊销 {} 的访问令牌 {}：{}",
            payload["person_id"].as_str().unwrap_or_default(),
            payload["token_id"].as_str().unwrap_or_default(),
            payload["reason"].as_str().unwrap_or_default()
        ),
        other => other.name_zh().to_owned(),
    }
}

/// Entries and sheets.
fn describe_records(event_type: EventType, payload: &Value) -> String {
    match event_type {
        EventType::EntryWritten => format!(
            "{} 的工作记录（{}）：{}",
            payload["person_id"].as_str().unwrap_or_default(),
            payload["date"].as_str().unwrap_or_default(),
            payload["did"].as_str().unwrap_or_default()
        ),
        EventType::EntryAmended => format!(
            "更正工作记录：{}",
            payload["reason"].as_str().unwrap_or_default()
        ),
        EventType::SheetSubmitted => format!(
            "{} 上交 {} 旬工作记录表（{} 条）",
            payload["person_id"].as_str().unwrap_or_default(),
            payload["period"].as_str().unwrap_or_default(),
            payload["entry_ids"].as_array().map_or(0, Vec::len)
        ),
        EventType::SheetRead => format!(
            "阅看 {} 的 {} 旬记录表{}",
            payload["person_id"].as_str().unwrap_or_default(),
            payload["period"].as_str().unwrap_or_default(),
            match payload["comment"].as_str().unwrap_or_default() {
                "" => String::new(),
                comment => format!("：{comment}"),
            }
        ),
        EventType::SheetDisplayed => format!(
            "抽选展示 {} 的 {} 旬工作记录表",
            payload["person_id"].as_str().unwrap_or_default(),
            payload["period"].as_str().unwrap_or_default()
        ),
        other => other.name_zh().to_owned(),
    }
}

/// Opinions, nominations, scores and decisions.
fn describe_ratings(event_type: EventType, payload: &Value) -> String {
    match event_type {
        EventType::OpinionGiven => format!(
            "片长对 {} 的 {} 月意见：{}",
            payload["cadre_id"].as_str().unwrap_or_default(),
            payload["month"].as_str().unwrap_or_default(),
            payload["opinion"].as_str().unwrap_or_default()
        ),
        EventType::NominationMade => format!(
            "{} 月{}：{}（{}）",
            payload["month"].as_str().unwrap_or_default(),
            if payload["kind"] == "best" {
                "最好"
            } else {
                "最差"
            },
            payload["cadre_id"].as_str().unwrap_or_default(),
            payload["reason"].as_str().unwrap_or_default()
        ),
        EventType::DecisionProposed => format!(
            "提出 {} 季度评定：最好 {}，最差 {}",
            payload["quarter"].as_str().unwrap_or_default(),
            join_ids(&payload["best"]),
            join_ids(&payload["worst"])
        ),
        EventType::DecisionCosigned => format!(
            "会签 {} 季度评定，决定生效",
            payload["quarter"].as_str().unwrap_or_default()
        ),
        EventType::ScoresGiven => format!(
            "{} 月评分 {}：思想品德 {}、工作能力 {}、纪律考勤 {}、联片驻村 {}、线上工作 {}（十分制的十分之一）",
            payload["month"].as_str().unwrap_or_default(),
            payload["cadre_id"].as_str().unwrap_or_default(),
            payload["scores"]["ideology"],
            payload["scores"]["ability"],
            payload["scores"]["discipline"],
            payload["scores"]["liaison"],
            payload["scores"]["line_work"]
        ),
        EventType::DecisionPublished => format!(
            "公示 {} 季度评定结果",
            payload["quarter"].as_str().unwrap_or_default()
        ),
        other => other.name_zh().to_owned(),
    }
}

/// Appeals, sanctions and follow-ups.
fn describe_consequences(event_type: EventType, payload: &Value) -> String {
    match event_type {
        EventType::AppealFiled => format!(
            "对 {} 季度 {} 的{}评定提出复评申请：{}",
            payload["quarter"].as_str().unwrap_or_default(),
            payload["person_id"].as_str().unwrap_or_default(),
            if payload["kind"] == "best" {
                "最好"
            } else {
                "最差"
            },
            payload["grounds"].as_str().unwrap_or_default()
        ),
        EventType::AppealAnswered => format!(
            "镇党委答复复评申请：{}。{}",
            if payload["outcome"] == "overturned" {
                "撤销原评定"
            } else {
                "维持原评定"
            },
            payload["reasons"].as_str().unwrap_or_default()
        ),
        EventType::SanctionImposed => format!(
            "{} 季度 {}：{}",
            payload["quarter"].as_str().unwrap_or_default(),
            payload["person_id"].as_str().unwrap_or_default(),
            word_zh(&payload["sanction"], SanctionKind::name_zh)
        ),
        EventType::SanctionRevoked => "因复评撤销原评定，撤销相应奖惩".to_owned(),
        EventType::TalkHeld => format!(
            "{} 与 {} 谈话：{}",
            payload["held_on"].as_str().unwrap_or_default(),
            payload["person_id"].as_str().unwrap_or_default(),
            payload["summary"].as_str().unwrap_or_default()
        ),
        EventType::RectificationPlanned => format!(
            "{} 提交整改方案：{}",
            payload["person_id"].as_str().unwrap_or_default(),
            payload["plan"].as_str().unwrap_or_default()
        ),
        EventType::RectificationCompleted => format!(
            "确认 {} 整改完成：{}",
            payload["person_id"].as_str().unwrap_or_default(),
            payload["summary"].as_str().unwrap_or_default()
        ),
        other => other.name_zh().to_owned(),
    }
}

fn join_ids(ids: &Value) -> String {
    ids.as_array()
        .map(|ids| {
            ids.iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join("、")
        })
        .unwrap_or_default()
}

/// The Chinese name of a stored word, or the text itself if it is no such word.
fn word_zh<T: std::str::FromStr + Copy>(value: &Value, name: fn(T) -> &'static str) -> String {
    let text = value.as_str().unwrap_or_default();
    text.parse::<T>()
        .map_or_else(|_| text.to_owned(), |word| name(word).to_owned())
}
