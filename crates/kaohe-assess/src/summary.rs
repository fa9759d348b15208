//! One line in Chinese for each event, as the pages and explanations show it, in the
//! township's words (docs/GLOSSARY.md): days as 2026年3月2日, periods as 2026年3月上旬,
//! quarters as 2026年第一季度, the policy a judgment follows as 按考核办法第N版.

use serde_json::Value;

use crate::period::{Month, Period, Quarter, date_zh};
use crate::words::{EventType, Kind, Role, SanctionKind};

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
        | EventType::TokenRevoked
        | EventType::CalendarRecorded => describe_roster(event_type, payload),
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
            "{} 自{}起任 {}",
            payload["person_id"].as_str().unwrap_or_default(),
            day_zh(&payload["from"]),
            word_zh(&payload["role"], Role::name_zh)
        ),
        EventType::SupervisionAssigned => format!(
            "{} 自{}起由 {} 分管",
            payload["cadre_id"].as_str().unwrap_or_default(),
            day_zh(&payload["from"]),
            payload["leader_id"].as_str().unwrap_or_default()
        ),
        EventType::AreaAssigned => format!(
            "{} 自{}起属{}（片长 {}）",
            payload["cadre_id"].as_str().unwrap_or_default(),
            day_zh(&payload["from"]),
            payload["area"].as_str().unwrap_or_default(),
            payload["chief_id"].as_str().unwrap_or_default()
        ),
        EventType::PolicyAdopted => format!("通过第 {} 版考核办法", payload["policy"]["version"]),
        EventType::TokenIssued => format!(
            "为 {} 签发访问令牌 {}",
            payload["person_id"].as_str().unwrap_or_default(),
            payload["token_id"].as_str().unwrap_or_default()
        ),
        EventType::CalendarRecorded => format!(
            "记录{}年节假日安排（{} 个假日、{} 个调休上班日），依据：{}",
            payload["year"],
            payload["holidays"].as_array().map_or(0, Vec::len),
            payload["working_days"].as_array().map_or(0, Vec::len),
            payload["source"].as_str().unwrap_or_default()
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
            day_zh(&payload["date"]),
            payload["did"].as_str().unwrap_or_default()
        ),
        EventType::EntryAmended => format!(
            "更正工作记录：{}",
            payload["reason"].as_str().unwrap_or_default()
        ),
        EventType::SheetSubmitted => format!(
            "{} 上交{}工作记录表（{} 条）",
            payload["person_id"].as_str().unwrap_or_default(),
            word(&payload["period"], Period::name_zh),
            payload["entry_ids"].as_array().map_or(0, Vec::len)
        ),
        EventType::SheetRead => format!(
            "阅看 {} {}的记录表{}",
            payload["person_id"].as_str().unwrap_or_default(),
            word(&payload["period"], Period::name_zh),
            match payload["comment"].as_str().unwrap_or_default() {
                "" => String::new(),
                comment => format!("：{comment}"),
            }
        ),
        EventType::SheetDisplayed => format!(
            "抽选展示 {} {}的工作记录表",
            payload["person_id"].as_str().unwrap_or_default(),
            word(&payload["period"], Period::name_zh)
        ),
        other => other.name_zh().to_owned(),
    }
}

/// Opinions, nominations, scores and decisions.
fn describe_ratings(event_type: EventType, payload: &Value) -> String {
    match event_type {
        EventType::OpinionGiven => format!(
            "片长对 {} {}的意见：{}",
            payload["cadre_id"].as_str().unwrap_or_default(),
            word(&payload["month"], Month::name_zh),
            payload["opinion"].as_str().unwrap_or_default()
        ),
        EventType::NominationMade => format!(
            "{}月度评议{}：{}（{}）{}",
            word(&payload["month"], Month::name_zh),
            word(&payload["kind"], Kind::name_zh),
            payload["cadre_id"].as_str().unwrap_or_default(),
            payload["reason"].as_str().unwrap_or_default(),
            policy_zh(payload)
        ),
        EventType::DecisionProposed => format!(
            "提出{}的季度评议方案：最佳工作者 {}，最差工作者 {}{}",
            word(&payload["quarter"], Quarter::name_zh),
            join_ids(&payload["best"]),
            join_ids(&payload["worst"]),
            policy_zh(payload)
        ),
        EventType::DecisionCosigned => format!(
            "会签{}的季度评议方案，决定生效",
            word(&payload["quarter"], Quarter::name_zh)
        ),
        EventType::ScoresGiven => format!(
            "{}评分 {}：思想品德 {}、工作能力 {}、纪律考勤 {}、联片驻村 {}、线上工作 {}{}",
            word(&payload["month"], Month::name_zh),
            payload["cadre_id"].as_str().unwrap_or_default(),
            points(&payload["scores"]["ideology"]),
            points(&payload["scores"]["ability"]),
            points(&payload["scores"]["discipline"]),
            points(&payload["scores"]["liaison"]),
            points(&payload["scores"]["line_work"]),
            policy_zh(payload)
        ),
        EventType::DecisionPublished => format!(
            "发布{}通报表扬",
            word(&payload["quarter"], Quarter::name_zh)
        ),
        other => other.name_zh().to_owned(),
    }
}

/// Appeals, sanctions and follow-ups.
fn describe_consequences(event_type: EventType, payload: &Value) -> String {
    match event_type {
        EventType::AppealFiled => format!(
            "对{} {} 的{}评定提出复评申请：{}",
            word(&payload["quarter"], Quarter::name_zh),
            payload["person_id"].as_str().unwrap_or_default(),
            word(&payload["kind"], Kind::name_zh),
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
            "{} {}：{}{}",
            word(&payload["quarter"], Quarter::name_zh),
            payload["person_id"].as_str().unwrap_or_default(),
            word_zh(&payload["sanction"], SanctionKind::name_zh),
            policy_zh(payload)
        ),
        EventType::SanctionRevoked => "因复评撤销原评定，撤销相应奖惩".to_owned(),
        EventType::TalkHeld => format!(
            "{}与 {} 谈话：{}",
            day_zh(&payload["held_on"]),
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

/// A day of the payload in Chinese, or its text if it is no day.
fn day_zh(value: &Value) -> String {
    let text = value.as_str().unwrap_or_default();
    text.parse().map_or_else(|_| text.to_owned(), date_zh)
}

/// A period, month or quarter of the payload in Chinese, or its text if it is none.
fn word<T: std::str::FromStr, R: ToString>(value: &Value, name: fn(T) -> R) -> String {
    let text = value.as_str().unwrap_or_default();
    text.parse::<T>()
        .map_or_else(|_| text.to_owned(), |parsed| name(parsed).to_string())
}

/// The policy version a judgment names: （按考核办法第N版）, or nothing.
fn policy_zh(payload: &Value) -> String {
    payload["policy_version"]
        .as_u64()
        .map(|version| format!("（按考核办法第{version}版）"))
        .unwrap_or_default()
}

/// A score kept in tenths of a point, in points: 85.5分.
fn points(value: &Value) -> String {
    match value.as_u64() {
        Some(tenths) => format!("{}.{}分", tenths / 10, tenths % 10),
        None => value.to_string(),
    }
}

/// The Chinese name of a stored word, or the text itself if it is no such word.
fn word_zh<T: std::str::FromStr + Copy>(value: &Value, name: fn(T) -> &'static str) -> String {
    let text = value.as_str().unwrap_or_default();
    text.parse::<T>()
        .map_or_else(|_| text.to_owned(), |word| name(word).to_owned())
}
