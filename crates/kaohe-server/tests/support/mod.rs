//! The township behind the service, for the API and page tests: the served roster (one person
//! of each role, with a second leader and chief), everyone's bearer token and March's records,
//! the clock at 2026-04-01T08:00 (`kaohe_testkit::server::Town`); the same with its first
//! quarter decided, published and appealed; and every page there is to look at.

#![allow(dead_code)]

use kaohe_assess::Command;
use kaohe_assess::commands::{CosignDecision, FileAppeal, ProposeDecision, PublishDecision};
use kaohe_assess::state::Kind;
use kaohe_server::Limits;
use kaohe_testkit::server::runtime;
use kaohe_testkit::{EngineTown, Roster};
use uuid::Uuid;

pub use kaohe_testkit::server::Town;

/// Everyone in the township, the office last.
pub fn people() -> Vec<&'static str> {
    Roster::served().ids()
}

/// The township, with the clock at 2026-04-01T08:00: the roster, everyone's token, March's
/// records of three cadres, their March sheets, the area chiefs' opinions and l01's
/// nominations of March.
pub fn town() -> Town {
    town_with(Limits::default())
}

/// [`town`], served with `limits`.
pub fn town_with(limits: Limits) -> Town {
    let roster = Roster::served();
    let mut town = EngineTown::in_temp_dir();
    let runtime = runtime();
    runtime.block_on(async {
        town.enrol(&roster).await;
        town.issue_tokens(&roster.ids()).await;
        town.march(&roster).await;
    });
    Town::serve_on(town, limits, runtime)
}

/// The first quarter decided now (p001 best, p002 worst) and published: s01 proposes, m01
/// co-signs, the office publishes. Returns the proposal's id, and the ids of the co-signature
/// and the sanctions it brings.
pub fn decide_first_quarter(town: &Town) -> (Uuid, Vec<Uuid>) {
    let quarter = "2026-Q1".parse().unwrap();
    let proposal = town.must(
        "s01",
        Command::ProposeDecision(ProposeDecision {
            quarter,
            best: vec!["p001".into()],
            worst: vec!["p002".into()],
        }),
    );
    let cosigned = town.must(
        "m01",
        Command::CosignDecision(CosignDecision {
            quarter,
            proposal_id: proposal[0],
        }),
    );
    town.must(
        "office",
        Command::PublishDecision(PublishDecision {
            quarter,
            notice: "现予公示".into(),
        }),
    );
    (proposal[0], cosigned)
}

/// The township, its first quarter decided and published on 2 April and p002's appeal
/// against the worst filed on 3 April.
pub fn decided() -> Town {
    let mut town = town();
    town.at("2026-04-02T09:00:00+08:00");
    let (_, cosigned) = decide_first_quarter(&town);
    town.ids.insert("cosign", cosigned[0]);
    town.at("2026-04-03T09:00:00+08:00");
    town.must(
        "p002",
        Command::FileAppeal(FileAppeal {
            quarter: "2026-Q1".parse().unwrap(),
            person_id: "p002".into(),
            kind: Kind::Worst,
            grounds: "一月外出培训".into(),
        }),
    );
    town
}

/// The id of `person`'s sanction of the kind `name` (`talk`, `rectification`, ...).
pub fn sanction_of(town: &Town, person: &str, name: &str) -> Uuid {
    town.state.engine.read(|state| {
        state
            .sanctions
            .iter()
            .find(|(_, sanction)| {
                sanction.person_id == person && sanction.sanction.as_str() == name
            })
            .map(|(id, _)| *id)
            .unwrap_or_else(|| panic!("{person} has no {name}"))
    })
}

/// Every page, with the township decided, published and appealed.
pub fn pages(town: &Town) -> Vec<String> {
    let mut pages: Vec<String> = [
        "/",
        "/signin",
        "/record",
        "/record?month=2026-03",
        "/leader/2026-03",
        "/chief/2026-03",
        "/decide/2026-Q1",
        "/quarters/2026-Q1",
        "/quarters/2026-Q1/notice",
        "/quarters/2026-Q1/replay",
        "/appeals",
        "/people/p001/2026",
        "/people/p002/2026",
        "/sheets/p001/2026-03-3",
        "/people",
        "/people?q=%E7%8E%8B&role=cadre",
        "/ledger",
        "/ledger?page=1",
        "/ledger/events/3",
        "/ledger/checkpoint",
        "/exports/quarters/2026-Q1.xlsx",
        "/exports/quarters/2026-Q1/rankings.csv",
        "/exports/years/2026.xlsx",
        "/exports/years/2026/pay.csv",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    pages.push(format!("/explain/{}?person=p002", town.ids["cosign"]));
    pages.push(format!("/explain/{}", town.ids["e1"]));
    pages
}
