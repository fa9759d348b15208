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
        "scores_given" => format!(
            "{} 月评分 {}：思想品德 {}、工作能力 {}、纪律考勤 {}、联片驻村 {}、线上工作 {}（十分制的十分之一）",
            payload["month"].as_str().unwrap_or_default(),
            payload["cadre_id"].as_str().unwrap_or_default(),
            payload["scores"]["ideology"],
            payload["scores"]["ability"],
            payload["scores"]["discipline"],
            payload["scores"]["liaison"],
            payload["scores"]["line_work"]
        ),
        "decision_published" => format!(
            "公示 {} 季度评定结果",
            payload["quarter"].as_str().unwrap_or_default()
        ),
        "appeal_filed" => format!(
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
        "appeal_answered" => format!(
            "镇党委答复复评申请：{}。{}",
            if payload["outcome"] == "overturned" {
                "撤销原评定"
            } else {
                "维持原评定"
            },
            payload["reasons"].as_str().unwrap_or_default()
        ),
        "sanction_imposed" => format!(
            "{} 季度 {}：{}",
            payload["quarter"].as_str().unwrap_or_default(),
            payload["person_id"].as_str().unwrap_or_default(),
            sanction_name(payload["sanction"].as_str().unwrap_or_default())
        ),
        "sheet_displayed" => format!(
            "抽选展示 {} 的 {} 旬工作记录表",
            payload["person_id"].as_str().unwrap_or_default(),
            payload["period"].as_str().unwrap_or_default()
        ),
        "sanction_revoked" => "因复评撤销原评定，撤销相应奖惩".to_owned(),
        "talk_held" => format!(
            "{} 与 {} 谈话：{}",
            payload["held_on"].as_str().unwrap_or_default(),
            payload["person_id"].as_str().unwrap_or_default(),
            payload["summary"].as_str().unwrap_or_default()
        ),
        "rectification_planned" => format!(
            "{} 提交整改方案：{}",
            payload["person_id"].as_str().unwrap_or_default(),
            payload["plan"].as_str().unwrap_or_default()
        ),
        "token_issued" => format!(
            "为 {} 签发访问令牌 {}",
            payload["person_id"].as_str().unwrap_or_default(),
            payload["token_id"].as_str().unwrap_or_default()
        ),
        "token_revoked" => format!(
            "吊销 {} 的访问令牌 {}：{}",
            payload["person_id"].as_str().unwrap_or_default(),
            payload["token_id"].as_str().unwrap_or_default(),
            payload["reason"].as_str().unwrap_or_default()
        ),
        "rectification_completed" => format!(
            "确认 {} 整改完成：{}",
            payload["person_id"].as_str().unwrap_or_default(),
            payload["summary"].as_str().unwrap_or_default()
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

/// A sanction's name in Chinese.
pub fn sanction_name(sanction: &str) -> &str {
    match sanction {
        "commendation" => "通报表扬",
        "quarterly_bonus_uplift" => "季度奖金上浮",
        "year_end_bonus_uplift" => "年终奖金上浮",
        "talk" => "主要领导谈话",
        "admonishment" => "告诫",
        "rectification" => "限期整改",
        "public_criticism" => "通报批评",
        "basic_salary_only" => "只发基本工资",
        "bonuses_withheld" => "扣发全年季度奖和年终奖",
        other => other,
    }
}

/// A role's name in Chinese.
pub fn role_name(role: &str) -> &str {
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
