//! Every page, as every person of the township: no server error, no form of a role the person
//! does not hold, no script, nothing addressed outside the server; the forms the rules refuse
//! show the rule in words; every form makes its command, and one that does not is refused
//! before the rules; the exports open as UTF-8 with a byte-order mark and the workbook reads
//! back to the same rows.

mod support;

use axum::body::Body;
use axum::http::Request;
use kaohe_assess::Command;
use kaohe_assess::commands::AdoptPolicy;
use kaohe_testkit::server::Answer;
use support::{Town, decided, pages, people, sanction_of};

/// The session cookie of `person`.
fn cookie(town: &Town, person: &str) -> String {
    format!("kaohe_session={}", town.tokens[person])
}

fn page(town: &Town, path: &str, person: &str) -> Answer {
    let request = Request::get(path)
        .header("cookie", cookie(town, person))
        .body(Body::empty())
        .unwrap();
    town.raw(request)
}

/// Post the form `body` to `path`, signed in as `person` by the session cookie.
fn form(town: &Town, path: &str, person: &str, body: &str) -> Answer {
    let request = Request::post(path)
        .header("cookie", cookie(town, person))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from(body.to_owned()))
        .unwrap();
    town.raw(request)
}

/// The roles named by every `data-role` of the page's forms.
fn form_roles(html: &str) -> Vec<(String, Vec<String>)> {
    let mut forms = Vec::new();
    for (index, _) in html.match_indices("<form") {
        let tag = &html[index..index + html[index..].find('>').unwrap()];
        let roles = tag
            .split("data-role=\"")
            .nth(1)
            .map(|rest| rest[..rest.find('"').unwrap()].to_owned())
            .unwrap_or_default();
        forms.push((
            tag.to_owned(),
            roles.split_whitespace().map(str::to_owned).collect(),
        ));
    }
    forms
}

#[test]
fn every_page_as_every_person_shows_only_their_forms_and_nothing_from_outside() {
    let town = decided();
    let mut shown = 0;
    for person in people() {
        let role = kaohe_testkit::person(person).role.as_str();
        for path in pages(&town) {
            let answer = page(&town, &path, person);
            assert!(
                answer.status < 500,
                "{path} as {person}: {} {}",
                answer.status,
                String::from_utf8_lossy(&answer.body)
            );
            if !answer.content_type.starts_with("text/html") {
                continue;
            }
            let html = String::from_utf8(answer.body).unwrap();
            assert!(html.contains("<html lang=\"zh-CN\">"), "{path} as {person}");
            assert!(!html.contains("<script"), "{path} as {person}: a script");
            for scheme in ["http://", "https://", "//cdn", "url(http"] {
                assert!(
                    !html.contains(scheme),
                    "{path} as {person}: {scheme} in the page"
                );
            }
            for (tag, roles) in form_roles(&html) {
                assert!(
                    !roles.is_empty(),
                    "{path} as {person}: a form without data-role: {tag}"
                );
                assert!(
                    roles
                        .iter()
                        .any(|form_role| form_role == "any" || form_role == role),
                    "{path} as {person} ({role}) shows a form for {roles:?}: {tag}"
                );
            }
            if answer.status == 200 {
                shown += 1;
            }
        }
    }
    assert!(shown > 80, "{shown} pages shown");
    // Signed out, a page asks to sign in and comes back.
    let answer = town.get("/record", None);
    assert_eq!(answer.status, 303);
}

/// A page's text, asserting the status.
fn body(answer: &Answer, status: u16, what: &str) -> String {
    let text = String::from_utf8_lossy(&answer.body).into_owned();
    assert_eq!(answer.status, status, "{what}: {text}");
    text
}

#[test]
fn a_leader_reads_a_sheet_from_its_page_and_reads_the_rest_at_once() {
    let town = support::town();
    let sheet = "/sheets/p001/2026-03-3";
    // The leader sees the entries, the area chief's opinion beside them, and 阅看.
    let text = body(&page(&town, sheet, "l01"), 200, "the leader's sheet");
    assert!(text.contains("3月31日到东风村走访低保户三户"), "{text}");
    assert!(text.contains("群众反映较好"), "{text}");
    assert!(text.contains("id=\"read-sheet\""), "{text}");
    // The person and an overseer read it without the form; anyone else finds no such sheet.
    for person in ["p001", "office", "s01"] {
        let text = body(&page(&town, sheet, person), 200, person);
        assert!(!text.contains("id=\"read-sheet\""), "{person}");
    }
    for person in ["p002", "p003", "l02", "c02"] {
        body(&page(&town, sheet, person), 404, person);
        let answer = form(&town, &format!("{sheet}/read"), person, "comment=");
        body(&answer, 404, person);
    }
    body(
        &page(&town, "/sheets/p999/2026-03-3", "office"),
        404,
        "nobody",
    );
    body(
        &page(&town, "/sheets/p001/2026-13-3", "l01"),
        400,
        "no such period",
    );

    // 阅看 with a comment, back to the sheet, which now names the reader.
    let answer = form(&town, &format!("{sheet}/read"), "l01", "comment=记录完整");
    assert_eq!(
        answer.status,
        303,
        "{}",
        String::from_utf8_lossy(&answer.body)
    );
    let text = body(&page(&town, sheet, "l01"), 200, "read");
    assert!(text.contains("已阅：记录完整"), "{text}");

    // The month page offers the rest (p002's sheet) at once, then no more.
    let month = body(&page(&town, "/leader/2026-03", "l01"), 200, "month");
    assert!(month.contains("有 1 份记录表待阅看"), "{month}");
    assert!(month.contains("href=\"/sheets/p002/2026-03-3\""), "{month}");
    let answer = form(&town, "/leader/2026-03/read-all", "l01", "");
    assert_eq!(
        answer.status,
        303,
        "{}",
        String::from_utf8_lossy(&answer.body)
    );
    let month = body(&page(&town, "/leader/2026-03", "l01"), 200, "month");
    assert!(!month.contains("待阅看"), "{month}");
    let text = body(&page(&town, "/sheets/p002/2026-03-3", "l01"), 200, "p002");
    assert!(text.contains("已阅"), "{text}");
    // Reading all is the leader's: a cadre is refused.
    body(
        &form(&town, "/leader/2026-03/read-all", "p001", ""),
        403,
        "cadre",
    );
}

/// The names in the directory's table, in order.
fn directory(town: &Town, query: &str) -> Vec<String> {
    let text = body(&page(town, &format!("/people{query}"), "p003"), 200, query);
    let table = &text[text.find("id=\"people\"").expect("the table")..];
    table
        .split("<td><a href=\"/people/")
        .skip(1)
        .map(|row| row[row.find('>').unwrap() + 1..row.find("</a>").unwrap()].to_owned())
        .collect()
}

#[test]
fn the_staff_directory_finds_people_by_name_role_area_and_leader() {
    let town = support::town();
    assert_eq!(directory(&town, "").len(), people().len());
    assert_eq!(directory(&town, "?q=%E7%8E%8B"), ["王强", "王芳"]);
    assert_eq!(directory(&town, "?role=supervising_leader").len(), 2);
    assert_eq!(directory(&town, "?area=%E4%B8%9C%E7%89%87").len(), 2);
    assert_eq!(directory(&town, "?leader=l02"), ["王芳"]);
    assert_eq!(
        directory(&town, "?leader=l01&q=%E7%8E%8B"),
        Vec::<String>::new()
    );
    let text = body(&page(&town, "/people?leader=l02", "p001"), 200, "row");
    assert!(text.contains("西片（片长 "), "{text}");
    body(
        &page(&town, "/people?role=king", "p001"),
        400,
        "no such role",
    );
    let long = "%E7%8E%8B".repeat(41);
    body(
        &page(&town, &format!("/people?q={long}"), "p001"),
        400,
        "too long",
    );
}

#[test]
fn every_page_of_a_period_links_the_period_before_and_after() {
    let town = decided();
    for (path, person, before, after) in [
        (
            "/people/p001/2026",
            "p001",
            "/people/p001/2025",
            "/people/p001/2027",
        ),
        (
            "/quarters/2026-Q1",
            "s01",
            "/quarters/2025-Q4",
            "/quarters/2026-Q2",
        ),
        (
            "/quarters/2026-Q4",
            "s01",
            "/quarters/2026-Q3",
            "/quarters/2027-Q1",
        ),
        (
            "/quarters/2026-Q1/replay",
            "i01",
            "/quarters/2025-Q4/replay",
            "/quarters/2026-Q2/replay",
        ),
        (
            "/decide/2026-Q1",
            "m01",
            "/decide/2025-Q4",
            "/decide/2026-Q2",
        ),
        (
            "/leader/2026-01",
            "l01",
            "/leader/2025-12",
            "/leader/2026-02",
        ),
        ("/chief/2026-12", "c01", "/chief/2026-11", "/chief/2027-01"),
    ] {
        let text = body(&page(&town, path, person), 200, path);
        for link in [before, after] {
            assert!(
                text.contains(&format!("href=\"{link}\"")),
                "{path} links {link}"
            );
        }
    }
}

#[test]
fn an_error_page_keeps_the_signed_in_header_and_speaks_chinese() {
    let town = support::town();
    for (path, status) in [
        ("/people/p002/2026", 403),
        ("/no/such/page", 404),
        ("/quarters/2026-Q9", 400),
        ("/leader/2026-13", 400),
        ("/sheets/p002/2026-03-3", 404),
    ] {
        let text = body(&page(&town, path, "p001"), status, path);
        assert!(text.contains("张伟"), "{path}: the signed-in name\n{text}");
        assert!(text.contains("href=\"/record\""), "{path}: the navigation");
        assert!(text.contains("退出"), "{path}: sign-out");
        let message = &text[text.find("id=\"error\">").expect("the message") + 11..];
        let message = &message[..message.find("</p>").unwrap()];
        // What the person typed may be quoted (in “ ”); the words around it are Chinese.
        let words: String = message
            .split('“')
            .map(|part| part.split_once('”').map_or(part, |(_, after)| after))
            .collect();
        assert!(
            !words.chars().any(|c| c.is_ascii_alphabetic()),
            "{path}: English in {message}"
        );
    }
    // Signed out, the same page offers to sign in.
    let request = Request::get("/no/such/page").body(Body::empty()).unwrap();
    let text = body(&town.raw(request), 404, "signed out");
    assert!(text.contains("href=\"/signin\""), "{text}");
}

#[test]
fn a_form_sent_twice_records_one_event() {
    let town = support::town();
    let text = body(&page(&town, "/record?month=2026-03", "p001"), 200, "record");
    let ids: Vec<uuid::Uuid> = text
        .split("name=\"request_id\" value=\"")
        .skip(1)
        .map(|rest| rest[..36].parse().expect("a request id"))
        .collect();
    assert!(ids.len() >= 2, "every form carries a request id: {ids:?}");
    assert!(ids.iter().all(|id| id.get_version_num() == 7));
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "each form its own id");

    let form_body = format!(
        "request_id={}&date=2026-04-01&did=%E8%B5%B0%E8%AE%BF&learned=",
        ids[0]
    );
    let before = town.size();
    for _ in 0..2 {
        let answer = form(&town, "/record/entries", "p001", &form_body);
        assert_eq!(
            answer.status,
            303,
            "{}",
            String::from_utf8_lossy(&answer.body)
        );
    }
    assert_eq!(town.size(), before + 1, "the second send is a retry");
}

#[test]
fn a_refused_correction_comes_back_with_what_was_typed() {
    let town = support::town();
    let long = "很".repeat(400);
    let encoded: String = long.bytes().map(|byte| format!("%{byte:02X}")).collect();
    let answer = form(
        &town,
        &format!("/record/entries/{}/amend", town.ids["e1"]),
        "p001",
        &format!("did={encoded}&learned=&reason=%E8%A1%A5%E5%85%85%E7%BB%86%E8%8A%82"),
    );
    let text = body(&answer, 422, "too long");
    assert!(text.contains("未记录"), "the rule in words");
    assert!(
        text.contains(&format!("value=\"{long}\"")),
        "the typed line kept"
    );
    assert!(text.contains("value=\"补充细节\""), "the reason kept");
    assert!(text.contains("<details open>"), "the correction shown open");
}

/// The to-do list of `person`'s home: each item's words and deadline.
fn todo_of(town: &Town, person: &str) -> Vec<String> {
    let text = body(&page(town, "/", person), 200, person);
    let Some(start) = text.find("id=\"todo\"") else {
        return Vec::new();
    };
    let list = &text[start..start + text[start..].find("</ul>").unwrap()];
    list.split("<li")
        .skip(1)
        .map(|item| {
            let mut words = String::new();
            let mut inside = false;
            for c in item[item.find('>').unwrap() + 1..].chars() {
                match c {
                    '<' => inside = true,
                    '>' => inside = false,
                    c if !inside => words.push(c),
                    _ => {}
                }
            }
            words.trim().to_owned()
        })
        .collect()
}

#[test]
fn home_is_a_to_do_list_of_what_the_rules_hold_each_person_to() {
    let town = decided();
    let has = |person: &str, words: &[&str]| {
        let list = todo_of(&town, person);
        assert!(
            list.iter()
                .any(|item| words.iter().all(|word| item.contains(word))),
            "{person}: no item with {words:?} in {list:?}"
        );
        list
    };
    // A cadre: the sheets not handed in, late first, then today's entry and the appeal window.
    let p001 = has("p001", &["填写今天的工作记录"]);
    assert!(p001[0].contains("已逾期"), "late first: {p001:?}");
    has("p001", &["申请复评", "前"]);
    // The worst worker who appealed: the plan of the rectification, not the appeal again.
    let p002 = has("p002", &["整改方案", "前"]);
    assert!(
        !p002.iter().any(|item| item.contains("申请复评")),
        "{p002:?}"
    );
    // Leaders: sheets to read; the one who has not nominated, the nomination.
    let l01 = has("l01", &["阅看", "2 份"]);
    assert!(
        !l01.iter().any(|item| item.contains("最佳、最差")),
        "{l01:?}"
    );
    has("l02", &["提出", "最佳、最差人选"]);
    // The committee answers the appeal, the principals hold the talk: people by name.
    has("w01", &["答复 李娜 的复评申请"]);
    has("s01", &["与 李娜 谈话"]);
    has("m01", &["与 李娜 谈话"]);
    // Nothing left for the office (published) or the chiefs (opinions given).
    for person in ["office", "c01", "c02", "i01"] {
        assert_eq!(todo_of(&town, person), Vec::<String>::new(), "{person}");
    }
    for person in people() {
        for item in todo_of(&town, person) {
            assert!(!item.contains("p00"), "{person}: an id in {item}");
        }
    }
}

#[test]
fn co_signing_is_previewed_and_done_only_once_confirmed() {
    let town = support::town();
    let proposal = town.must(
        "s01",
        Command::ProposeDecision(kaohe_assess::commands::ProposeDecision {
            quarter: "2026-Q1".parse().unwrap(),
            best: vec!["p001".into()],
            worst: vec!["p002".into()],
        }),
    )[0];
    let before = town.size();
    let sent = format!("proposal_id={proposal}&request_id={}", uuid::Uuid::now_v7());
    let text = body(
        &form(&town, "/decide/2026-Q1/cosign", "m01", &sent),
        200,
        "preview",
    );
    assert_eq!(
        town.size(),
        before,
        "nothing recorded before the confirmation"
    );
    assert!(text.contains("请确认"), "{text}");
    assert!(
        text.contains("最佳工作者：张伟") && text.contains("最差工作者：李娜"),
        "{text}"
    );
    assert!(
        text.contains(&format!("name=\"proposal_id\" value=\"{proposal}\"")),
        "the fields kept"
    );
    let answer = form(
        &town,
        "/decide/2026-Q1/cosign",
        "m01",
        &format!("{sent}&confirmed=1"),
    );
    assert_eq!(
        answer.status,
        303,
        "{}",
        String::from_utf8_lossy(&answer.body)
    );
    assert!(town.size() > before, "recorded once confirmed");
}

#[test]
fn a_page_is_refused_to_whom_it_is_not_for() {
    let town = decided();
    for (path, person) in [
        ("/record", "l01"),
        ("/leader/2026-03", "p001"),
        ("/chief/2026-03", "p001"),
        ("/decide/2026-Q1", "w01"),
        ("/quarters/2026-Q1", "p001"),
        ("/quarters/2026-Q1/replay", "l01"),
        ("/appeals", "p002"),
        ("/people/p002/2026", "p001"),
        ("/people/p003/2026", "l01"),
        ("/ledger", "p001"),
        ("/ledger/events/3", "l02"),
        ("/exports/quarters/2026-Q1.xlsx", "l01"),
    ] {
        let answer = page(&town, path, person);
        assert_eq!(answer.status, 403, "{path} as {person}");
        assert!(
            String::from_utf8_lossy(&answer.body).contains("无权查看"),
            "{path}"
        );
    }
    // The explanation of a judgment is for its subject too; another person's does not exist
    // for a reader who may not read it.
    let path = format!("/explain/{}?person=p002", town.ids["cosign"]);
    assert_eq!(page(&town, &path, "p002").status, 200);
    let sanction = format!("/explain/{}", sanction_of(&town, "p002", "talk"));
    assert_eq!(page(&town, &sanction, "p002").status, 200);
    assert_eq!(page(&town, &sanction, "p001").status, 404);
}

#[test]
fn a_refused_form_shows_the_rule_in_words_and_records_nothing() {
    let town = decided();
    town.at("2026-04-05T09:00:00+08:00");
    let before = town.size();
    let post = |path: &str, person: &str, body: &str| form(&town, path, person, body);
    for (path, person, body, words) in [
        (
            "/record/entries",
            "p001",
            "date=2026-04-09&did=x&learned=",
            "不能预先填写2026年4月9日的记录",
        ),
        (
            "/record/entries",
            "p001",
            "date=2026-03-31&did=x&learned=",
            "2026年3月31日 已有工作记录",
        ),
        (
            "/record/sheets",
            "p001",
            "period=2026-03-3&confirmed=1",
            "已上交",
        ),
        (
            "/leader/2026-03/nominate",
            "l01",
            "kind=best&cadre_id=p001&reason=x&confirmed=1",
            "同一人不能既评最佳又评最差",
        ),
        (
            "/decide/2026-Q1/propose",
            "s01",
            "best=p001&worst=p002",
            "评定已生效",
        ),
        (
            "/quarters/2026-Q1/publish",
            "office",
            "notice=x&confirmed=1",
            "已经发布",
        ),
        (
            "/appeals",
            "p001",
            "quarter=2026-Q1&kind=worst&person_id=p002&grounds=x",
            "只有被评定人本人可以申请复评",
        ),
    ] {
        let answer = post(path, person, body);
        let html = String::from_utf8_lossy(&answer.body).into_owned();
        assert!(
            (400..500).contains(&answer.status),
            "{path}: {} {html}",
            answer.status
        );
        assert!(html.contains("未记录："), "{path}: no refusal shown");
        assert!(html.contains(words), "{path}: not {words:?} in the notice");
    }
    // The entry form keeps what was typed.
    let answer = post(
        "/record/entries",
        "p001",
        "date=2026-04-09&did=%E8%B5%B0%E8%AE%BF&learned=",
    );
    assert!(String::from_utf8_lossy(&answer.body).contains("value=\"走访\""));
    assert_eq!(town.size(), before);

    // A form from another site is refused whatever the cookie.
    let request = Request::post("/record/entries")
        .header("cookie", cookie(&town, "p001"))
        .header("origin", "http://evil.invalid")
        .header("host", "127.0.0.1:8620")
        .header("content-type", "application/x-www-form-urlencoded")
        .body(Body::from("date=2026-04-05&did=x"))
        .unwrap();
    assert_eq!(town.raw(request).status, 403);
    assert_eq!(town.size(), before);

    // One accepted: back to the page with the event's number.
    let answer = post(
        "/record/entries",
        "p001",
        "date=2026-04-05&did=%E5%80%BC%E7%8F%AD&learned=",
    );
    assert_eq!(answer.status, 303);
    assert_eq!(town.size(), before + 1);
}

#[test]
fn every_form_makes_its_command_and_a_malformed_one_is_refused_before_the_rules() {
    let town = decided();
    let post = |path: &str, person: &str, body: &str| form(&town, path, person, body);
    let sanction = |name: &str| sanction_of(&town, "p002", name);
    let (talk, rectification) = (sanction("talk"), sanction("rectification"));
    // Numeric scoring from May, for the scores form.
    town.at("2026-04-28T10:00:00+08:00");
    let mut policy = kaohe_ledger::genesis::default_policy("2026-05-01");
    policy["version"] = serde_json::json!(2);
    policy["scoring"] = serde_json::json!({
        "score_max_tenths": 1000,
        "weights_bp": {"ideology": 2000, "ability": 3000, "discipline": 2000, "liaison": 1500, "line_work": 1500},
        "tie_break": "discipline_then_ability"
    });
    town.must(
        "office",
        Command::AdoptPolicy(AdoptPolicy {
            policy: serde_json::from_value(policy).unwrap(),
        }),
    );
    let entry = town.ids["e1"];
    let malformed = [
        // A path parameter that names nothing, a date, a list and a score that are not.
        (
            "/record/entries/not-an-id/amend".to_owned(),
            "p001",
            "did=x&reason=y",
            400,
        ),
        (
            format!("/sanctions/{talk}/talk"),
            "s01",
            "held_on=2026-04-31&summary=x",
            422,
        ),
        (
            "/leader/2026-03/nominate".to_owned(),
            "l01",
            "kind=best&cadre_id=p001&reason=x&cited_ids=not-an-id",
            422,
        ),
        (
            "/leader/2026-05/scores".to_owned(),
            "l01",
            "cadre_id=p001&scores.ideology=8.55&scores.ability=8&scores.discipline=8&scores.liaison=8&scores.line_work=8",
            422,
        ),
        (
            "/leader/2026-13/scores".to_owned(),
            "l01",
            "cadre_id=p001",
            400,
        ),
    ];
    let before = town.size();
    for (path, person, body, status) in malformed {
        let answer = post(&path, person, body);
        assert_eq!(
            answer.status,
            status,
            "{path}: {}",
            String::from_utf8_lossy(&answer.body)
        );
        assert!(answer.content_type.starts_with("text/html"), "{path}");
    }
    assert_eq!(town.size(), before);
    for (time, path, person, body) in [
        (
            "2026-04-06T09:00:00+08:00",
            format!("/record/entries/{entry}/amend"),
            "p001",
            "did=%E8%B5%B0%E8%AE%BF%E5%9B%9B%E6%88%B7&learned=&reason=%E7%AC%94%E8%AF%AF",
        ),
        (
            "2026-04-06T09:05:00+08:00",
            "/chief/2026-04/opinions".to_owned(),
            "c01",
            "cadre_id=p001&opinion=%E5%A5%BD",
        ),
        (
            "2026-04-06T09:10:00+08:00",
            format!("/sanctions/{talk}/talk"),
            "s01",
            "held_on=2026-04-06&summary=%E8%B0%88%E8%AF%9D",
        ),
        (
            "2026-04-07T09:00:00+08:00",
            format!("/sanctions/{rectification}/plan"),
            "p002",
            "plan=%E6%AF%8F%E5%91%A8%E4%B8%8B%E6%9D%91",
        ),
        (
            "2026-04-28T09:00:00+08:00",
            format!("/sanctions/{rectification}/completion"),
            "l01",
            "summary=%E5%AE%8C%E6%88%90",
        ),
        (
            "2026-06-01T09:00:00+08:00",
            "/leader/2026-05/scores".to_owned(),
            "l01",
            "cadre_id=p001&scores.ideology=8.5&scores.ability=9&scores.discipline=8.8&scores.liaison=8&scores.line_work=8.7",
        ),
    ] {
        town.at(time);
        let before = town.size();
        let answer = post(&path, person, body);
        assert_eq!(
            answer.status,
            303,
            "{path} by {person}: {}",
            String::from_utf8_lossy(&answer.body)
        );
        assert_eq!(town.size(), before + 1, "{path}");
    }
    // The scores were given in points and recorded in tenths.
    let scores = town.state.engine.read(|state| {
        state
            .scores
            .iter()
            .find(|((_, month, cadre), _)| month.to_string() == "2026-05" && cadre == "p001")
            .map(|(_, scores)| *scores)
            .unwrap()
    });
    assert_eq!(
        [
            scores.ideology,
            scores.ability,
            scores.discipline,
            scores.liaison,
            scores.line_work
        ],
        [85, 90, 88, 80, 87]
    );
    // The form for the cadre not yet scored states the scale and each dimension's weight, as
    // the policy in force has them, and the highest score a field takes.
    let text = String::from_utf8(page(&town, "/leader/2026-05", "l01").body).unwrap();
    for shown in [
        "按考核办法第2版：每项满分 100 分",
        "思想品德（权重 20%）",
        "工作能力（权重 30%）",
        "线上工作（权重 15%）",
        "max=\"100\" name=\"scores.liaison\"",
    ] {
        assert!(text.contains(shown), "{shown} missing: {text}");
    }
}

#[test]
fn exports_open_as_utf8_with_bom_and_the_workbook_reads_back_to_the_same_rows() {
    use calamine::{Data, Reader, Xlsx};
    let town = decided();
    let workbook = page(&town, "/exports/quarters/2026-Q1.xlsx", "office");
    assert_eq!(workbook.status, 200);
    assert!(workbook.content_type.contains("spreadsheetml"));
    let mut xlsx: Xlsx<_> = Xlsx::new(std::io::Cursor::new(workbook.body)).unwrap();
    let sheets = xlsx.sheet_names().to_vec();
    assert_eq!(sheets, ["提名排名", "评定结果", "奖惩", "绩效影响"]);
    for (table, sheet) in ["rankings", "designations", "sanctions", "pay"]
        .iter()
        .zip(&sheets)
    {
        let csv = page(
            &town,
            &format!("/exports/quarters/2026-Q1/{table}.csv"),
            "office",
        );
        assert_eq!(csv.status, 200);
        assert!(csv.content_type.starts_with("text/csv"));
        assert_eq!(
            &csv.body[..3],
            b"\xEF\xBB\xBF",
            "{table}: no byte-order mark"
        );
        let text = std::str::from_utf8(&csv.body[3..]).expect("UTF-8");
        let rows: Vec<Vec<String>> = csv::Reader::from_reader(text.as_bytes())
            .records()
            .map(|record| record.unwrap().iter().map(str::to_owned).collect())
            .collect();
        assert!(!rows.is_empty(), "{table} is empty");
        let range = xlsx.worksheet_range(sheet).unwrap();
        let read_back: Vec<Vec<String>> = range
            .rows()
            .skip(1)
            .map(|row| {
                row.iter()
                    .map(|cell| match cell {
                        Data::Float(number) if number.fract() == 0.0 => {
                            format!("{}", *number as i64)
                        }
                        Data::Int(number) => number.to_string(),
                        // A day is a real date in the workbook: Excel's serial day count.
                        Data::DateTime(day) => jiff::civil::date(1899, 12, 30)
                            .checked_add(jiff::Span::new().days(day.as_f64() as i64))
                            .unwrap()
                            .to_string(),
                        Data::Empty => String::new(),
                        other => other.to_string(),
                    })
                    .collect()
            })
            .collect();
        assert_eq!(read_back, rows, "{table}");
    }
    // The designations say who was named and how it stands; the appeal is under way.
    let csv = page(
        &town,
        "/exports/quarters/2026-Q1/designations.csv",
        "office",
    );
    let text = String::from_utf8(csv.body).unwrap();
    assert!(
        text.contains("2026年第一季度,最差,p002,李娜,有效,复评中"),
        "{text}"
    );
}

#[test]
fn workbooks_keep_the_header_in_view_filter_every_column_and_list_everyone_s_pay() {
    use std::io::Read;
    let town = decided();
    let workbook = page(&town, "/exports/years/2026.xlsx", "office");
    assert_eq!(workbook.status, 200);
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(workbook.body)).unwrap();
    for sheet in 1..=4 {
        let mut xml = String::new();
        zip.by_name(&format!("xl/worksheets/sheet{sheet}.xml"))
            .unwrap()
            .read_to_string(&mut xml)
            .unwrap();
        assert!(
            xml.contains("ySplit=\"1\"") && xml.contains("state=\"frozen\""),
            "sheet {sheet}: the header row is not frozen"
        );
        assert!(
            xml.contains("<autoFilter ref=\"A1:"),
            "sheet {sheet}: no filter"
        );
        assert!(xml.contains("<cols>"), "sheet {sheet}: no column widths");
    }
    // The pay table lists every cadre of the year, sanctioned or not.
    let pay = page(&town, "/exports/years/2026/pay.csv", "office");
    let text = String::from_utf8(pay.body).unwrap();
    for cadre in ["p001", "p002", "p003"] {
        assert!(
            text.contains(&format!(",{cadre},")),
            "{cadre} missing: {text}"
        );
    }
    // Leaders are named, not numbered, in the rankings.
    let rankings = page(&town, "/exports/quarters/2026-Q1/rankings.csv", "office");
    let text = String::from_utf8(rankings.body).unwrap();
    assert!(!text.contains("l01"), "{text}");
}

#[test]
fn exports_are_named_in_the_township_s_words_as_well_as_in_ascii() {
    let town = decided();
    let named = |path: &str| {
        let answer = page(&town, path, "office");
        assert_eq!(answer.status, 200, "{path}");
        answer.headers["content-disposition"]
            .to_str()
            .unwrap()
            .to_owned()
    };
    let encoded = |text: &str| {
        text.bytes()
            .map(|byte| {
                if byte.is_ascii_alphanumeric() || b"-._".contains(&byte) {
                    (byte as char).to_string()
                } else {
                    format!("%{byte:02X}")
                }
            })
            .collect::<String>()
    };
    for (path, ascii, zh) in [
        (
            "/exports/quarters/2026-Q1.xlsx",
            "kaohe-2026-Q1.xlsx",
            "示范镇2026年第一季度考核.xlsx",
        ),
        (
            "/exports/quarters/2026-Q1/designations.csv",
            "kaohe-2026-Q1-designations.csv",
            "示范镇2026年第一季度评定结果.csv",
        ),
        (
            "/exports/years/2026.xlsx",
            "kaohe-2026.xlsx",
            "示范镇2026年度考核.xlsx",
        ),
        (
            "/exports/years/2026/pay.csv",
            "kaohe-2026-pay.csv",
            "示范镇2026年度绩效影响.csv",
        ),
    ] {
        assert_eq!(
            named(path),
            format!(
                "attachment; filename=\"{ascii}\"; filename*=UTF-8''{}",
                encoded(zh)
            ),
            "{path}"
        );
    }
}

/// The text a reader sees: the page without its tags (attributes, links and form values keep
/// ids and address forms, which nobody reads).
fn visible_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' if in_tag => {
                in_tag = false;
                text.push(' ');
            }
            _ if !in_tag => text.push(c),
            _ => {}
        }
    }
    text
}

/// What in `text` is written for machines rather than the township: a person's roster id, a
/// UUID, a date, month or quarter in its address form (2026-03-02, 2026-03, 2026-Q1).
fn machine_words(text: &str, ids: &[&str]) -> Vec<String> {
    let bytes = text.as_bytes();
    let word = |at: usize| bytes.get(at).is_some_and(u8::is_ascii_alphanumeric);
    let mut found = Vec::new();
    for id in ids {
        for (at, _) in text.match_indices(id) {
            if !word(at.wrapping_sub(1)) && !word(at + id.len()) {
                found.push((*id).to_owned());
            }
        }
    }
    for at in 0..bytes.len() {
        let digits = |from: usize, count: usize| {
            (from..from + count).all(|i| bytes.get(i).is_some_and(u8::is_ascii_digit))
        };
        if at > 0 && bytes[at - 1].is_ascii_alphanumeric() {
            continue;
        }
        if digits(at, 4)
            && bytes.get(at + 4) == Some(&b'-')
            && (digits(at + 5, 2) || bytes.get(at + 5) == Some(&b'Q'))
        {
            found
                .push(String::from_utf8_lossy(&bytes[at..(at + 10).min(bytes.len())]).into_owned());
        }
        let uuid = bytes.len() >= at + 36
            && (0..36).all(|i| match i {
                8 | 13 | 18 | 23 => bytes[at + i] == b'-',
                _ => bytes[at + i].is_ascii_hexdigit(),
            });
        if uuid {
            found.push(String::from_utf8_lossy(&bytes[at..at + 36]).into_owned());
        }
    }
    found
}

#[test]
fn no_page_outside_the_ledger_explorer_names_anyone_by_id_or_writes_a_date_for_machines() {
    let town = decided();
    let ids = people();
    let mut read = 0;
    let mut shown = Vec::new();
    for person in people() {
        for path in pages(&town) {
            if path.starts_with("/ledger") {
                continue;
            }
            let answer = page(&town, &path, person);
            if answer.status != 200 || !answer.content_type.starts_with("text/html") {
                continue;
            }
            let html = String::from_utf8(answer.body).unwrap();
            let found = machine_words(&visible_text(&html), &ids);
            if !found.is_empty() {
                let text = visible_text(&html);
                let around: Vec<String> = found
                    .iter()
                    .map(|word| {
                        let at = text.find(word.as_str()).unwrap_or(0);
                        text[text.floor_char_boundary(at.saturating_sub(30))
                            ..text.ceil_char_boundary((at + 40).min(text.len()))]
                            .split_whitespace()
                            .collect::<Vec<_>>()
                            .join(" ")
                    })
                    .collect();
                shown.push(format!("{path} as {person} shows {around:?}"));
            }
            read += 1;
        }
    }
    assert!(shown.is_empty(), "{}", shown.join("\n"));
    assert!(read > 60, "{read} pages read");
}

#[test]
fn the_office_prints_sign_in_slips_whose_qr_code_signs_the_person_in() {
    let town = support::town();
    let body = "person_id=p001&person_id=l01";
    // Only the office issues slips.
    assert_eq!(form(&town, "/people/slips", "p001", body).status, 403);
    // First a preview, recording nothing.
    let before = town.size();
    let preview = form(&town, "/people/slips", "office", body);
    let text = String::from_utf8(preview.body).unwrap();
    assert_eq!(preview.status, 200, "{text}");
    assert!(
        text.contains("请确认") && text.contains("为 2 人签发新的登录凭条"),
        "{text}"
    );
    assert_eq!(town.size(), before);
    // Confirmed: a token each, shown once, with its QR code.
    let slips = form(
        &town,
        "/people/slips",
        "office",
        &format!("{body}&confirmed=1"),
    );
    let text = String::from_utf8(slips.body).unwrap();
    assert_eq!(slips.status, 200, "{text}");
    assert_eq!(town.size(), before + 2);
    let tokens: Vec<&str> = text
        .split("<p class=\"mono token\">")
        .skip(1)
        .map(|rest| &rest[..rest.find('<').unwrap()])
        .collect();
    assert_eq!(tokens.len(), 2, "{text}");
    for token in tokens {
        // The QR code is the sign-in link with this token, drawn on the server.
        let link = format!("http://127.0.0.1/signin?token={token}");
        let svg = qrcode::QrCode::new(link.as_bytes())
            .unwrap()
            .render::<qrcode::render::svg::Color<'_>>()
            .min_dimensions(160, 160)
            .build();
        use base64::Engine as _;
        let image = format!(
            "data:image/svg+xml;base64,{}",
            base64::engine::general_purpose::STANDARD.encode(svg)
        );
        assert!(text.contains(&image), "no QR code of {link}");
        // And the link signs in.
        let signed_in = town.get(&format!("/signin?token={token}"), None);
        assert_eq!(signed_in.status, 303);
        assert!(
            signed_in.headers["set-cookie"]
                .to_str()
                .unwrap()
                .contains(token)
        );
    }
    assert!(text.contains("张伟"), "{text}");
    // Nobody, or too many, is refused before anything is issued.
    assert_eq!(
        form(&town, "/people/slips", "office", "confirmed=1").status,
        422
    );
    assert_eq!(
        form(
            &town,
            "/people/slips",
            "office",
            "person_id=p999&confirmed=1"
        )
        .status,
        404
    );
    assert_eq!(town.size(), before + 2);
}
