//! Who may do what: every command and view endpoint, sent by every person of the township in
//! turn. A person not allowed gets 403 with a reason and the ledger does not change; a person
//! allowed is never refused for who they are. An unexpected success or an unexpected refusal
//! fails the test.

mod support;

use axum::http::Method;
use kaohe_testkit::server::Answer;
use serde_json::json;
use support::{Town, decide_first_quarter, people, sanction_of, town};

const OVERSEERS: [&str; 5] = ["s01", "m01", "w01", "i01", "office"];

/// Send the request as everyone; only `allowed` may. The refused go first, so that the
/// request is still valid when the allowed send it. With `each_creates`, every allowed person
/// records their own (an entry each); otherwise the first allowed records it and the others
/// may meet a rule about the thing now recorded, but not a refusal of who they are.
fn check(
    town: &Town,
    at: &str,
    method: Method,
    path: &str,
    body: Option<serde_json::Value>,
    allowed: &[&str],
    each_creates: bool,
) -> Vec<Answer> {
    town.at(at);
    let body = body.map(|body| body.to_string());
    for person in people() {
        if allowed.contains(&person) {
            continue;
        }
        let before = town.size();
        let answer = town.send(method.clone(), path, Some(person), body.as_deref());
        assert_eq!(
            answer.status,
            403,
            "{method} {path} by {person}: expected a refusal, got {} {}",
            answer.status,
            String::from_utf8_lossy(&answer.body)
        );
        assert!(
            answer.code().is_some(),
            "{path} by {person}: no problem code"
        );
        assert!(
            !answer.json()["detail"]
                .as_str()
                .unwrap_or_default()
                .is_empty(),
            "{path} by {person}: a refusal says why"
        );
        assert_eq!(
            town.size(),
            before,
            "{path} by {person}: a refusal appended"
        );
    }
    let mut answers = Vec::new();
    for (index, person) in allowed.iter().enumerate() {
        let answer = town.send(method.clone(), path, Some(person), body.as_deref());
        let text = String::from_utf8_lossy(&answer.body).into_owned();
        if index == 0 || each_creates {
            assert!(
                (200..300).contains(&answer.status),
                "{method} {path} by {person}: expected success, got {} {text}",
                answer.status
            );
        } else {
            assert!(
                ![401, 403].contains(&answer.status),
                "{method} {path} by {person}: refused for who they are: {text}"
            );
        }
        answers.push(answer);
    }
    answers
}

fn id_of(answer: &Answer, index: usize) -> String {
    answer.json()["events"][index]["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

#[test]
fn every_command_is_allowed_to_exactly_the_people_the_rules_name() {
    let town = town();
    let cadres = ["p001", "p002", "p003"];
    // 一记
    check(
        &town,
        "2026-04-01T09:00:00+08:00",
        Method::POST,
        "/v1/entries",
        Some(json!({"date": "2026-04-01", "did": "参加镇党委理论学习", "learned": "做好记录"})),
        &cadres,
        true,
    );
    check(
        &town,
        "2026-04-01T09:05:00+08:00",
        Method::POST,
        &format!("/v1/entries/{}/amendments", town.ids["e1"]),
        Some(json!({"did": "到东风村走访低保户四户", "learned": "", "reason": "户数笔误"})),
        &["p001"],
        false,
    );
    check(
        &town,
        "2026-04-01T09:10:00+08:00",
        Method::POST,
        "/v1/sheets",
        Some(json!({"period": "2026-03-2"})),
        &cadres,
        true,
    );
    check(
        &town,
        "2026-04-01T09:15:00+08:00",
        Method::POST,
        "/v1/sheets/p001/2026-03-3/reading",
        Some(json!({"comment": "记录详实"})),
        &["l01"],
        false,
    );
    check(
        &town,
        "2026-04-01T09:20:00+08:00",
        Method::POST,
        "/v1/sheets/p001/2026-03-3/display",
        Some(json!({"note": "记录规范，供学习"})),
        &["office"],
        false,
    );
    // 三评
    check(
        &town,
        "2026-04-01T09:25:00+08:00",
        Method::POST,
        "/v1/opinions",
        Some(json!({"cadre_id": "p003", "month": "2026-04", "opinion": "驻村扎实"})),
        &["c02"],
        false,
    );
    check(
        &town,
        "2026-04-01T09:30:00+08:00",
        Method::POST,
        "/v1/nominations",
        Some(json!({
            "month": "2026-03", "kind": "best", "cadre_id": "p003", "reason": "走访多",
            "cited_ids": [town.ids["f3"], town.ids["o3"]]
        })),
        &["l02"],
        false,
    );
    let proposals = check(
        &town,
        "2026-04-02T09:00:00+08:00",
        Method::POST,
        "/v1/quarters/2026-Q1/proposals",
        Some(json!({"best": ["p001", "p003"], "worst": ["p002"]})),
        &["m01", "s01"],
        true,
    );
    // The latest proposal is the secretary's: only the mayor may co-sign it.
    let cosigned = check(
        &town,
        "2026-04-02T10:00:00+08:00",
        Method::POST,
        "/v1/quarters/2026-Q1/cosignature",
        Some(json!({"proposal_id": id_of(&proposals[1], 0)})),
        &["m01"],
        false,
    );
    let events = cosigned[0].json()["events"].as_array().unwrap().clone();
    assert_eq!(
        events.len(),
        1 + 3 + 3 + 3,
        "two best and one worst, three sanctions each"
    );
    check(
        &town,
        "2026-04-02T11:00:00+08:00",
        Method::POST,
        "/v1/quarters/2026-Q1/publication",
        Some(json!({"notice": "经镇党委研究，现予公示。"})),
        &["office"],
        false,
    );
    let appeal = check(
        &town,
        "2026-04-03T09:00:00+08:00",
        Method::POST,
        "/v1/appeals",
        Some(
            json!({"quarter": "2026-Q1", "person_id": "p002", "kind": "worst", "grounds": "一月外出培训"}),
        ),
        &["p002"],
        false,
    );
    check(
        &town,
        "2026-04-05T09:00:00+08:00",
        Method::POST,
        &format!("/v1/appeals/{}/answer", id_of(&appeal[0], 0)),
        Some(json!({"outcome": "upheld", "reasons": "评定依据充分"})),
        &["w01"],
        false,
    );
    // 三奖惩: the worst worker's talk, plan and completion.
    let sanction = |name: &str| sanction_of(&town, "p002", name);
    check(
        &town,
        "2026-04-06T09:00:00+08:00",
        Method::POST,
        &format!("/v1/sanctions/{}/talk", sanction("talk")),
        Some(json!({"held_on": "2026-04-06", "summary": "指出问题，本人接受"})),
        &["s01", "m01"],
        false,
    );
    check(
        &town,
        "2026-04-07T09:00:00+08:00",
        Method::POST,
        &format!("/v1/sanctions/{}/plan", sanction("rectification")),
        Some(json!({"plan": "每周下村三次"})),
        &["p002"],
        false,
    );
    check(
        &town,
        "2026-04-28T09:00:00+08:00",
        Method::POST,
        &format!("/v1/sanctions/{}/completion", sanction("rectification")),
        Some(json!({"summary": "台账补齐"})),
        &["l01"],
        false,
    );
    // The office.
    for (path, body) in [
        ("/v1/people", json!({"person_id": "n01", "name": "新同志"})),
        (
            "/v1/people/n01/roles",
            json!({"role": "cadre", "from": "2026-05-01"}),
        ),
        (
            "/v1/people/n01/supervision",
            json!({"leader_id": "l01", "from": "2026-05-01"}),
        ),
        (
            "/v1/people/n01/area",
            json!({"area": "东片", "chief_id": "c01", "from": "2026-05-01"}),
        ),
    ] {
        check(
            &town,
            "2026-04-28T10:00:00+08:00",
            Method::POST,
            path,
            Some(body),
            &["office"],
            false,
        );
    }
    let mut policy: serde_json::Value = kaohe_ledger::genesis::default_policy("2026-05-01");
    policy["version"] = json!(2);
    policy["scoring"] = json!({
        "score_max_tenths": 1000,
        "weights_bp": {"ideology": 2000, "ability": 3000, "discipline": 2000, "liaison": 1500, "line_work": 1500},
        "tie_break": "discipline_then_ability"
    });
    check(
        &town,
        "2026-04-28T10:05:00+08:00",
        Method::POST,
        "/v1/policies",
        Some(json!({"policy": policy})),
        &["office"],
        false,
    );
    check(
        &town,
        "2026-04-28T10:06:00+08:00",
        Method::POST,
        "/v1/calendars",
        Some(
            json!({"year": 2027, "holidays": [{"name": "春节", "first": "2027-02-05", "last": "2027-02-08"}],
                    "source": "全国年节及纪念日放假办法"}),
        ),
        &["office"],
        false,
    );
    let issued = check(
        &town,
        "2026-04-28T10:10:00+08:00",
        Method::POST,
        "/v1/tokens",
        Some(json!({"person_id": "n01"})),
        &["office"],
        false,
    );
    let token_id = issued[0].json()["token_id"].as_str().unwrap().to_owned();
    // The service chooses the token's id by the engine's clock, the clock of the act.
    let (seconds, _) = uuid::Uuid::parse_str(&token_id)
        .unwrap()
        .get_timestamp()
        .unwrap()
        .to_unix();
    let act: jiff::Timestamp = "2026-04-28T10:10:00+08:00".parse().unwrap();
    assert_eq!(seconds as i64, act.as_second());
    check(
        &town,
        "2026-04-28T10:15:00+08:00",
        Method::POST,
        &format!("/v1/tokens/{token_id}/revocation"),
        Some(json!({"reason": "发错对象"})),
        &["office"],
        false,
    );
    // Numeric scoring from May.
    check(
        &town,
        "2026-06-01T09:00:00+08:00",
        Method::POST,
        "/v1/scores",
        Some(json!({"month": "2026-05", "cadre_id": "p001", "scores": {
            "ideology": 900, "ability": 850, "discipline": 880, "liaison": 800, "line_work": 870
        }})),
        &["l01"],
        false,
    );
}

#[test]
fn every_view_is_read_by_exactly_the_people_it_is_for() {
    let town = town();
    // A decided and published quarter to read about.
    town.at("2026-04-02T09:00:00+08:00");
    let (proposal, cosigned) = decide_first_quarter(&town);
    let everyone = people();
    let with = |extra: &[&'static str]| -> Vec<&'static str> {
        let mut allowed: Vec<&str> = extra.to_vec();
        allowed.extend(OVERSEERS);
        allowed
    };
    let worst_sanction = &cosigned[4];
    let cases: Vec<(String, Vec<&str>)> = vec![
        ("/v1/me".into(), everyone.clone()),
        ("/v1/people".into(), everyone.clone()),
        ("/v1/quarters/2026-Q1/notice".into(), everyone.clone()),
        ("/v1/leaders/l01/months/2026-03".into(), with(&["l01"])),
        ("/v1/quarters/2026-Q1/board".into(), with(&["l01", "l02"])),
        ("/v1/people/p002/years/2026".into(), with(&["p002", "l01"])),
        ("/v1/appeals".into(), with(&[])),
        ("/v1/pay/2026".into(), with(&[])),
        ("/v1/quarters/2026-Q1/replay".into(), with(&[])),
        ("/v1/ledger/events?limit=5".into(), with(&[])),
        ("/v1/ledger/events/3".into(), with(&[])),
        (format!("/v1/ledger/events/by-id/{proposal}"), with(&[])),
        ("/v1/ledger/proofs/inclusion?position=3".into(), with(&[])),
        ("/v1/ledger/proofs/consistency?from=3".into(), with(&[])),
        ("/v1/ledger/export".into(), with(&[])),
    ];
    for (path, allowed) in &cases {
        let answers = check(
            &town,
            "2026-04-03T09:00:00+08:00",
            Method::GET,
            path,
            None,
            allowed,
            true,
        );
        assert!(answers.iter().all(|answer| answer.status == 200), "{path}");
        // Without a token, or with a wrong one: 401, and the problem says how to sign in.
        let anonymous = town.get(path, None);
        assert_eq!(anonymous.status, 401, "{path}");
        assert_eq!(
            anonymous.code().as_deref(),
            Some("unauthenticated"),
            "{path}"
        );
        let mut forged = town.tokens["i01"].clone();
        let secret_at = forged.rfind('.').unwrap() + 1;
        let first = forged.as_bytes()[secret_at];
        forged.replace_range(secret_at..=secret_at, if first == b'A' { "B" } else { "A" });
        let request = axum::http::Request::get(path.as_str())
            .header("authorization", format!("Bearer {forged}"))
            .body(axum::body::Body::empty())
            .unwrap();
        let answer = town.raw(request);
        assert_eq!(answer.status, 401, "{path}");
        assert_eq!(answer.code().as_deref(), Some("invalid_token"), "{path}");
    }
    // The head and the checkpoint are public.
    for path in ["/v1/ledger/head", "/v1/ledger/checkpoint"] {
        assert_eq!(town.get(path, None).status, 200, "{path}");
    }
    // What each sees is theirs: a leader's month lists their own supervisees only.
    let month = town
        .get("/v1/leaders/l02/months/2026-03", Some("l02"))
        .json();
    let supervisees: Vec<&str> = month["supervisees"]
        .as_array()
        .unwrap()
        .iter()
        .map(|supervisee| supervisee["person_id"].as_str().unwrap())
        .collect();
    assert_eq!(supervisees, ["p003"]);
    // A person reads the explanation of their own sanction; someone else's does not exist
    // for them.
    let about_p001 = &cosigned[1];
    assert_eq!(
        town.get(&format!("/v1/explain/{about_p001}"), Some("p002"))
            .status,
        404
    );
    for person in people() {
        let expected = if with(&["p002"]).contains(&person) {
            200
        } else {
            404
        };
        let answer = town.get(&format!("/v1/explain/{worst_sanction}"), Some(person));
        assert_eq!(answer.status, expected, "{person}");
    }
    assert_eq!(
        town.get(&format!("/v1/explain/{about_p001}"), Some("p001"))
            .status,
        200
    );
}

#[test]
fn a_revoked_token_signs_no_one_in() {
    let town = town();
    assert_eq!(town.get("/v1/me", Some("p001")).status, 200);
    let token_id = town.state.engine.read(|state| {
        state
            .tokens
            .iter()
            .find(|(_, token)| token.person_id == "p001")
            .map(|(id, _)| *id)
            .unwrap()
    });
    let engine = town.state.engine.clone();
    town.runtime
        .block_on(engine.revoke_token("office", token_id, "离职"))
        .unwrap();
    let answer = town.get("/v1/me", Some("p001"));
    assert_eq!(answer.status, 401);
    assert_eq!(answer.code().as_deref(), Some("invalid_token"));
}

/// Issue 13, holes 1 and 2: an explanation shows only what its reader may read (the read
/// matrix of docs/ARCHITECTURE.md), whoever the `person` parameter names, and an event the
/// reader may not read is 404 as if it did not exist; a quarterly proposal is for the
/// overseers alone, also as a step of the explanation of one's own nomination.
#[test]
fn explanations_walk_the_read_matrix_for_every_role() {
    let town = town();
    town.at("2026-04-02T09:00:00+08:00");
    let proposal = town.must(
        "s01",
        kaohe_assess::Command::ProposeDecision(kaohe_assess::commands::ProposeDecision {
            quarter: "2026-Q1".parse().unwrap(),
            best: vec!["p001".into()],
            worst: vec!["p002".into()],
        }),
    )[0];
    let nomination_of = |cadre: &str| {
        town.state.engine.read(|state| {
            state
                .nominations
                .iter()
                .find(|(_, nomination)| nomination.cadre_id == cadre)
                .map(|(id, _)| *id)
                .unwrap()
        })
    };
    let overseers_and = |extra: &[&'static str]| -> Vec<&'static str> {
        let mut allowed: Vec<&str> = extra.to_vec();
        allowed.extend(OVERSEERS);
        allowed
    };
    // Each event, and who may read it: p001's entry (p001 and l01, their supervising
    // leader), c01's opinion on p001 (and its author), l01's nomination of p001, and the
    // proposal (the overseers only).
    let cases = [
        (town.ids["e1"], overseers_and(&["p001", "l01"])),
        (town.ids["o1"], overseers_and(&["p001", "l01", "c01"])),
        (nomination_of("p001"), overseers_and(&["p001", "l01"])),
        (nomination_of("p002"), overseers_and(&["p002", "l01"])),
        (proposal, overseers_and(&[])),
    ];
    for (event, allowed) in &cases {
        for reader in people() {
            let expected = if allowed.contains(&reader) { 200 } else { 404 };
            for path in [
                format!("/v1/explain/{event}"),
                format!("/v1/explain/{event}?person={reader}"),
                format!("/explain/{event}?person={reader}"),
            ] {
                let answer = town.get(&path, Some(reader));
                assert_eq!(answer.status, expected, "{path} by {reader}");
            }
        }
    }
    // Explaining one's own nomination while the quarter is undecided lists neither the
    // proposal nor anything about the other nominee.
    let own = town.get(
        &format!("/v1/explain/{}", nomination_of("p001")),
        Some("p001"),
    );
    assert_eq!(own.status, 200);
    let steps = own.json()["steps"].as_array().unwrap().clone();
    assert!(!steps.is_empty());
    for step in &steps {
        let id = step["id"].as_str().unwrap();
        assert_ne!(step["event_type"], "decision_proposed", "{step}");
        assert_ne!(id, nomination_of("p002").to_string(), "{step}");
        assert_ne!(id, town.ids["f2"].to_string(), "{step}");
    }
}
