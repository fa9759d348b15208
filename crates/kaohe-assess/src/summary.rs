//! One line in Chinese for each event, as the pages and explanations show it.

use serde_json::Value;

/// Describe an event (its whole JSON) in one line.
pub fn describe(event: &Value) -> String {
    let payload = &event["payload"];
    match event["type"].as_str().unwrap_or_default() {
        "ledger_created" => format!(
            "建立台账：{}",
            payload["organisation"].as_str().unwrap_or_default()
        ),
        "entry_written" => format!(
            "{} 的工作记录（{}）：{}",
            payload["person_id"].as_str().unwrap_or_default(),
            payload["date"].as_str().unwrap_or_default(),
            payload["did"].as_str().unwrap_or_default()
        ),
        "person_registered" => format!(
            "登记人员 {}：{}",
            payload["person_id"].as_str().unwrap_or_default(),
            payload["name"].as_str().unwrap_or_default()
        ),
        "role_assigned" => format!(
            "{} 自 {} 起任 {}",
            payload["person_id"].as_str().unwrap_or_default(),
            payload["from"].as_str().unwrap_or_default(),
            role_name(payload["role"].as_str().unwrap_or_default())
        ),
        "supervision_assigned" => format!(
            "{} 自 {} 起由 {} 分管",
            payload["cadre_id"].as_str().unwrap_or_default(),
            payload["from"].as_str().unwrap_or_default(),
            payload["leader_id"].as_str().unwrap_or_default()
        ),
        "area_assigned" => format!(
            "{} 自 {} 起属{}（片长 {}）",
            payload["cadre_id"].as_str().unwrap_or_default(),
            payload["from"].as_str().unwrap_or_default(),
            payload["area"].as_str().unwrap_or_default(),
            payload["chief_id"].as_str().unwrap_or_default()
        ),
        "entry_amended" => format!(
            "更正工作记录：{}",
            payload["reason"].as_str().unwrap_or_default()
        ),
        "sheet_submitted" => format!(
            "{} 上交 {} 旬工作记录表（{} 条）",
            payload["person_id"].as_str().unwrap_or_default(),
            payload["period"].as_str().unwrap_or_default(),
            payload["entry_ids"].as_array().map_or(0, Vec::len)
        ),
        "sheet_read" => format!(
            "阅看 {} 的 {} 旬记录表{}",
            payload["person_id"].as_str().unwrap_or_default(),
            payload["period"].as_str().unwrap_or_default(),
            match payload["comment"].as_str().unwrap_or_default() {
                "" => String::new(),
                comment => format!("：{comment}"),
            }
        ),
        "opinion_given" => format!(
            "片长对 {} 的 {} 月意见：{}",
            payload["cadre_id"].as_str().unwrap_or_default(),
            payload["month"].as_str().unwrap_or_default(),
            payload["opinion"].as_str().unwrap_or_default()
        ),
        "nomination_made" => format!(
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
        "decision_proposed" => format!(
            "提出 {} 季度评定：最好 {}，最差 {}",
            payload["quarter"].as_str().unwrap_or_default(),
            join_ids(&payload["best"]),
            join_ids(&payload["worst"])
        ),
        "decision_cosigned" => format!(
            "会签 {} 季度评定，决定生效",
            payload["quarter"].as_str().unwrap_or_default()
        ),
        "policy_adopted" => format!("通过第 {} 版考核办法", payload["policy"]["version"]),
        other => other.to_owned(),
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

fn role_name(role: &str) -> &str {
    match role {
        "cadre" => "机关干部",
        "area_chief" => "片长",
        "supervising_leader" => "分管领导",
        "party_secretary" => "党委书记",
        "mayor" => "镇长",
        "party_committee" => "镇党委",
        "office" => "党政办",
        "discipline_inspector" => "纪检",
        other => other,
    }
}
