//! One line in Chinese for each event of the units' part, as `summary::describe` shows it on
//! the pages and in explanations.

use serde_json::Value;

use crate::period::Quarter;
use crate::units::text::{percent, points, quarter_zh};
use crate::units::words::{
    AbsenceReason, ConsequenceKind, ItemSource, Oversight, ReportForm, UnitKind,
};
use crate::words::EventType;

fn text(value: &Value) -> &str {
    value.as_str().unwrap_or_default()
}

fn quarter(value: &Value) -> String {
    text(value)
        .parse::<Quarter>()
        .map_or_else(|_| text(value).to_owned(), quarter_zh)
}

fn word<T: std::str::FromStr + Copy>(value: &Value, name: fn(T) -> &'static str) -> String {
    text(value)
        .parse::<T>()
        .map_or_else(|_| text(value).to_owned(), |word| name(word).to_owned())
}

fn list(value: &Value) -> String {
    value
        .as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(Value::as_str)
                .collect::<Vec<_>>()
                .join("、")
        })
        .unwrap_or_default()
}

fn tenths(value: &Value) -> String {
    value
        .as_u64()
        .map_or_else(String::new, |tenths| points(tenths as u32))
}

/// Describe an event of the units' part from its type and payload.
pub fn describe(event_type: EventType, payload: &Value) -> String {
    match event_type {
        EventType::UnitRegistered => format!(
            "登记单位 {}：{}（{}）",
            text(&payload["unit_id"]),
            text(&payload["name"]),
            word(&payload["kind"], UnitKind::name_zh)
        ),
        EventType::UnitLeaderAssigned => format!(
            "{} 自 {} 起负责 {}",
            text(&payload["person_id"]),
            text(&payload["from"]),
            text(&payload["unit_id"])
        ),
        EventType::IndicatorAssigned => format!(
            "指标 {} 自 {} 起由 {} 分管，业务干部 {}",
            text(&payload["indicator_id"]),
            text(&payload["from"]),
            text(&payload["leader_id"]),
            list(&payload["cadre_ids"])
        ),
        EventType::CityScoresRecorded => format!(
            "录入{}指标 {} 全市考核得分：本镇 {} 分，另有 {} 个乡镇（{}）",
            quarter(&payload["quarter"]),
            text(&payload["indicator_id"]),
            tenths(&payload["score_tenths"]),
            payload["peers"].as_array().map_or(0, Vec::len),
            text(&payload["document"]["title"])
        ),
        EventType::LastPlaceConsequenceDue => format!(
            "{}指标 {} 倒数第一：{}（{}，{} 前）",
            quarter(&payload["quarter"]),
            text(&payload["indicator_id"]),
            word(&payload["consequence"], ConsequenceKind::name_zh),
            list(&payload["person_ids"]),
            text(&payload["due_on"])
        ),
        EventType::LastPlaceConsequenceFulfilled => format!(
            "{} 完成倒数第一的后续事项：{}",
            text(&payload["held_on"]),
            text(&payload["summary"])
        ),
        EventType::VillageScoresGiven => format!(
            "{} 按细则 {} 为 {} 个村赋分（{}）",
            quarter(&payload["quarter"]),
            text(&payload["criterion_id"]),
            payload["scores"].as_array().map_or(0, Vec::len),
            text(&payload["document"]["title"])
        ),
        EventType::VillageRankingPublished => format!(
            "公示{}村级考核排名（{} 个村，台账第 {} 条事件时）",
            quarter(&payload["quarter"]),
            payload["ranking"].as_array().map_or(0, Vec::len),
            payload["ledger_size"]
        ),
        EventType::VillagePayAdjusted => format!(
            "{} {}排名第 {} 名，村干部绩效 {}",
            text(&payload["village_id"]),
            quarter(&payload["quarter"]),
            payload["rank"],
            payload["adjustment_bp"]
                .as_i64()
                .map_or_else(String::new, |bp| percent(bp as i32))
        ),
        EventType::VillageReportGiven => format!(
            "{} {}{}：{}",
            text(&payload["village_id"]),
            quarter(&payload["quarter"]),
            word(&payload["form"], ReportForm::name_zh),
            text(&payload["summary"])
        ),
        _ => describe_more(event_type, payload),
    }
}

/// Spot checks, key tasks and the three lists.
fn describe_more(event_type: EventType, payload: &Value) -> String {
    match event_type {
        EventType::SpotCheckRecorded => format!(
            "{} {}暗访抽查：在岗 {} 人，不在岗 {} 人（{}）",
            text(&payload["checked_on"]),
            text(&payload["checked_by"]),
            payload["present"].as_array().map_or(0, Vec::len),
            payload["absent"].as_array().map_or(0, Vec::len),
            list(&payload["absent"])
        ),
        EventType::AbsenceJustified => format!(
            "{} 说明离岗情况：{}，{}",
            text(&payload["person_id"]),
            word(&payload["reason"], AbsenceReason::name_zh),
            text(&payload["explanation"])
        ),
        EventType::AbsenceReviewed => format!(
            "分管领导{} {} 的离岗说明{}",
            if payload["accepted"] == true {
                "认可"
            } else {
                "不认可"
            },
            text(&payload["person_id"]),
            match text(&payload["comment"]) {
                "" => String::new(),
                comment => format!("：{comment}"),
            }
        ),
        EventType::KeyTaskRegistered => format!(
            "登记重点工作 {}：{}（{} 分线负责，{} 牵头）",
            text(&payload["task_id"]),
            text(&payload["title"]),
            text(&payload["leader_id"]),
            text(&payload["unit_id"])
        ),
        EventType::KeyTaskProgressReported => format!(
            "重点工作 {} 进展{}：{}",
            text(&payload["task_id"]),
            payload["milestone"]
                .as_u64()
                .map_or_else(String::new, |number| format!("（完成第 {number} 个节点）")),
            text(&payload["summary"])
        ),
        EventType::KeyTaskFollowedUp => format!(
            "{} {}重点工作 {}：{}",
            text(&payload["held_on"]),
            word(&payload["kind"], Oversight::name_zh),
            text(&payload["task_id"]),
            text(&payload["note"])
        ),
        EventType::KeyTasksReviewed => format!(
            "{} 对 {} 年 {} 项重点工作逐项点评",
            text(&payload["held_on"]),
            payload["year"],
            payload["comments"].as_array().map_or(0, Vec::len)
        ),
        EventType::ListItemOpened => format!(
            "列入三张清单（{}）：{}，责任人 {}，{} 前整改",
            word(&payload["source"], ItemSource::name_zh),
            text(&payload["problem"]),
            text(&payload["person_id"]),
            text(&payload["due_on"])
        ),
        EventType::ListItemAnalysed => format!(
            "剖析原因：{}；整改措施：{}",
            text(&payload["cause"]),
            text(&payload["measure"])
        ),
        EventType::ListItemClosed => format!("整改销号：{}", text(&payload["summary"])),
        EventType::ListItemVerified => format!("核验销号：{}", text(&payload["comment"])),
        EventType::ListItemReopened => format!(
            "问题再次发现，重新整改（{} 前）：{}",
            text(&payload["due_on"]),
            text(&payload["finding"])
        ),
        other => other.name_zh().to_owned(),
    }
}
