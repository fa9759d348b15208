//! `kaohe seed-demo`: a realistic demo township built through the same rules a user's
//! commands go through, deterministic for a seed.
//!
//! 示范镇 has 92 staff (p001–p092), all keeping daily records and rated but the two principal
//! leaders who decide the quarters, p009 the party secretary (who also reads the leaders' own
//! sheets, without rating them) and p010 the mayor; p001–p008 are the supervising leaders,
//! p011 the party committee's member for appeals, p012–p019 the chiefs of eight areas, p020
//! the discipline inspector. The year 2026 and the start of 2027 are played day by day:
//! entries on working days (a few days missed), ten-day sheets handed in (a few late), read by
//! the leaders, a few entries amended, one cadre moved to another leader mid-quarter,
//! area chiefs' opinions and each leader's best and worst at every month end, four quarterly
//! decisions proposed by the secretary and co-signed by the mayor with the sanctions they
//! bring (one cadre, p027, reaching three consecutive worst quarters) and their follow-ups
//! (the secretary's talks, the rectification plans and their completion, p027's late), a
//! policy change to
//! numeric scoring from July (leaders score every supervisee; a few override the scores with a
//! reason), the first quarter's
//! publication and two appeals (one overturned, with its sanctions revoked; one upheld but
//! answered a day late, a visible breach), and each month end sealed by a signed checkpoint. Ids, recording times and the demo's key all follow from the seed,
//! so the same seed gives the same ledger, byte for byte.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use anyhow::{Context, Result, anyhow};
use jiff::civil::{Date, date};
use kaohe_assess::commands::{
    AdoptPolicy, AmendEntry, AnswerAppeal, AssignArea, AssignRole, AssignSupervision,
    CompleteRectification, CosignDecision, FileAppeal, GiveOpinion, GiveScores, Nominate,
    PlanRectification, ProposeDecision, PublishDecision, ReadSheet, RecordCalendar, RecordTalk,
    RegisterPerson, SubmitSheet, WriteEntry,
};
use kaohe_assess::payload::Holiday;
use kaohe_assess::period::{Month, Period};
use kaohe_assess::state::Kind;
use kaohe_assess::views::EventPayloads;
use kaohe_assess::{Act, Command, State};
use kaohe_assess::{Outcome, Role, SanctionKind};
use kaohe_engine::{Engine, ExecuteError, Submitted};
use kaohe_ledger::genesis::{LedgerCreated, default_policy};
use kaohe_ledger::note::SignerKey;
use kaohe_store::{Clock, Store, StoreOptions};
use uuid::Uuid;

use crate::data_dir::{self, KEY_FILE, ledger_path, write_private_file};

/// The demo's origin (and key name).
pub const DEMO_ORIGIN: &str = "kaohe.demo/shifanzhen";
/// The staff on the establishment.
const STAFF: u32 = 92;
/// The supervising leaders who rate their supervisees each month, p001 to p008. The party
/// secretary reads the leaders' own sheets but does not rate them.
const LEADERS: u32 = 8;
/// The first and last day played.
const FIRST_DAY: Date = date(2026, 1, 1);
const LAST_DAY: Date = date(2027, 1, 20);
/// The cadre whose leader names them worst every month, and who does not appeal: the demo's
/// case of three consecutive worst quarters.
const STRUGGLING: &str = "p027";
const AREAS: &[&str] = &[
    "东片",
    "西片",
    "南片",
    "北片",
    "中片",
    "山区片",
    "河谷片",
    "集镇片",
];
const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
    "何", "林", "罗", "高", "梁", "郑", "谢", "宋", "唐", "韩", "冯", "邓", "曹", "彭",
];
const GIVEN_NAMES: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
    "超", "秀英", "霞", "平", "刚", "桂英", "建华", "文", "华", "红", "玉兰", "志强", "海燕",
    "春梅", "晓东", "国庆", "丽华", "建军", "小红", "永刚", "雪梅", "德明", "宏伟", "翠花",
];
const VILLAGES: &[&str] = &[
    "东风村",
    "红星村",
    "新华村",
    "向阳村",
    "团结村",
    "石桥村",
    "柳湾村",
    "杨家坪村",
];
const DID: &[&str] = &[
    "到{v}走访低保户三户，核实家庭收入和住房情况",
    "参加镇党委理论学习中心组学习，做好会议记录",
    "在{v}开展森林防火宣传，发放宣传资料六十余份",
    "协调{v}两户村民宅基地纠纷，现场调解达成一致",
    "整理本期工作台账，报送分管领导审阅",
    "陪同县农业农村局检查{v}高标准农田建设进度",
    "在便民服务中心窗口值班，办理社保认证十二件",
    "到{v}督查人居环境整治，发现问题四处并拍照留存",
    "起草镇安全生产月度通报初稿",
    "参加{v}党员大会，宣讲惠农政策",
    "核对{v}医保缴费名单，补录漏登人员",
    "对接县交通局，汇报{v}通组公路项目进展",
];
const LEARNED: &[&str] = &[
    "掌握了低保动态管理的新要求",
    "群众最关心饮水问题，已记下并汇报",
    "学会用系统导出业务台账，提高了效率",
    "调解前先听双方意见，效果更好",
    "明确了农田项目验收的几个关键环节",
    "整改问题要限时销号，下周回访",
    "",
];

/// A small deterministic generator.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 11
    }
    /// True with the given chance in a thousand.
    fn chance(&mut self, per_mille: u64) -> bool {
        self.next() % 1000 < per_mille
    }
    fn below(&mut self, bound: u64) -> u64 {
        self.next() % bound
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }
}

/// Everyone keeps a daily record and is rated but the two principal leaders, the secretary
/// (p009) and the mayor (p010), who make the quarterly decision.
fn keeps_records(number: u32) -> bool {
    !matches!(number, 9 | 10)
}

fn person(number: u32) -> String {
    format!("p{number:03}")
}

fn at(day: Date, hour: i8, minute: i8) -> jiff::Zoned {
    day.at(hour, minute, 0, 0)
        .in_tz("Asia/Shanghai")
        .expect("Asia/Shanghai is bundled")
}

/// The time the demo township is served at: 09:00 on the morning after its last day.
pub fn demo_now() -> jiff::Timestamp {
    at(LAST_DAY.tomorrow().expect("a date"), 9, 0).timestamp()
}

/// Plays the township through the engine, as the server takes commands: each command is
/// decided against the engine's live state and its events (the act and what the rules derive)
/// queued as one batch that lands whole at the head it was decided for, or not at all. A day's
/// batches are queued without waiting for each commit, then awaited together; all are
/// recorded at the time set by `record_at`.
struct Township {
    engine: Engine,
    /// The recording clock of the store (and the engine).
    clock: Arc<AtomicI64>,
    /// The commands queued since the last flush, not yet known to be durable.
    pending: Vec<Submitted>,
    /// The events of those commands.
    pending_events: usize,
    random: Lcg,
}

impl Township {
    /// Read the live state: everything decided so far.
    fn state<R>(&self, read: impl FnOnce(&State) -> R) -> R {
        self.engine.read(read)
    }

    /// Whether `day` is a working day by the calendar the office recorded.
    fn working(&self, day: Date) -> bool {
        self.state(|state| state.is_working_day(day))
    }

    /// The first working day from `day` on.
    fn next_working(&self, mut day: Date) -> Date {
        while !self.working(day) {
            day = day.tomorrow().expect("the demo's years have a tomorrow");
        }
        day
    }

    /// Record what is done from now until the next flush at `time`.
    fn record_at(&mut self, time: &jiff::Zoned) {
        // A batch still queued would be sealed at whichever time the writer reads.
        assert!(
            self.pending.is_empty(),
            "flush before the recording time moves"
        );
        self.clock
            .store(time.timestamp().as_millisecond(), Ordering::SeqCst);
    }

    fn act(&mut self, person: &str, time: &jiff::Zoned, command: Command) -> Result<Vec<Uuid>> {
        let mut bytes = [0u8; 10];
        bytes[..8].copy_from_slice(&self.random.next().to_le_bytes());
        bytes[8..].copy_from_slice(&(self.pending_events as u16).to_le_bytes());
        let millis = time.timestamp().as_millisecond() as u64;
        let id = uuid::Builder::from_unix_timestamp_millis(millis, &bytes).into_uuid();
        let act = Act {
            person_id: person.into(),
            time: time.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string(),
        };
        let refused = |error| match error {
            ExecuteError::Refused(refusal) => {
                anyhow!("the demo's {command:?} by {person} was refused: {refusal}")
            }
            other => {
                anyhow::Error::new(other).context(format!("the demo's {command:?} by {person}"))
            }
        };
        let submitted = self.engine.submit(&act, &command, id).map_err(refused)?;
        let ids = submitted.ids().collect();
        self.pending_events += submitted.len();
        self.pending.push(submitted);
        Ok(ids)
    }

    /// Wait until every command queued is durable.
    fn flush(&mut self) -> Result<()> {
        for submitted in self.pending.drain(..) {
            submitted.wait_blocking()?;
        }
        self.pending_events = 0;
        Ok(())
    }
}

/// Build the demo ledger for `seed` in `data` (which must hold none), showing progress.
pub fn build(data: &Path, seed: u64) -> Result<()> {
    std::fs::create_dir_all(data).with_context(|| format!("cannot create {}", data.display()))?;
    let result = play(data, seed);
    if result.is_err() {
        // Leave nothing half-made behind.
        let _ = std::fs::remove_file(ledger_path(data));
        let _ = std::fs::remove_file(data.join(KEY_FILE));
    }
    result
}

fn play(data: &Path, seed: u64) -> Result<()> {
    let mut random = Lcg(seed ^ 0x6b61_6f68_655f_6465);
    // A demo key follows from the seed, so that the demo is reproducible; it guards nothing.
    let mut key_seed = [0u8; 32];
    for chunk in key_seed.chunks_mut(8) {
        chunk.copy_from_slice(&random.next().to_le_bytes());
    }
    let key = SignerKey::from_seed(DEMO_ORIGIN, key_seed)?;
    write_private_file(&data.join(KEY_FILE), &format!("{}\n", key.to_text()))?;
    let start = at(FIRST_DAY, 8, 30);
    let clock = Arc::new(AtomicI64::new(start.timestamp().as_millisecond()));
    let reading = Arc::clone(&clock);
    // The seeder's clock: the store reads it for each event's recording time; the time of
    // each act is the seeder's own, passed with the act.
    let demo_clock: Clock = Arc::new(move || {
        jiff::Timestamp::from_millisecond(reading.load(Ordering::SeqCst)).expect("a demo time")
    });
    let options = StoreOptions {
        clock: Arc::clone(&demo_clock),
        ..StoreOptions::default()
    };
    let genesis = LedgerCreated {
        id: uuid::Builder::from_unix_timestamp_millis(
            start.timestamp().as_millisecond() as u64,
            &[0; 10],
        )
        .into_uuid(),
        organisation: "示范镇",
        key: &key.verifier(),
        time_zone: "Asia/Shanghai",
        policy: default_policy("2026-01-01"),
        business_time: &start.strftime("%Y-%m-%dT%H:%M:%S%:z").to_string(),
        person_id: "office",
    }
    .draft();
    let store = Store::create(&ledger_path(data), &genesis, options)?;
    let mut town = Township {
        engine: Engine::open(store.clone(), demo_clock)?,
        clock,
        pending: Vec::new(),
        pending_events: 0,
        random,
    };

    roster(&mut town)?;
    calendars(&mut town)?;
    let days: Vec<Date> = FIRST_DAY
        .series(jiff::Span::new().days(1))
        .take_while(|day| *day <= LAST_DAY)
        .collect();
    let progress = crate::output::progress(days.len() as u64, "building the demo township");
    // When each cadre hands in each sheet: the first working day from the period's last day,
    // and for a few, days after the due date.
    let mut planned: Vec<(Date, String, Period)> = Vec::new();
    let mut amend_on: Vec<(Date, Uuid)> = Vec::new();
    let mut read_on: Vec<(Date, String, Period)> = Vec::new();
    for day in &days {
        let day = *day;
        // What is done today is recorded at the end of the day.
        town.record_at(&at(day, 23, 0));
        // Leaders read yesterday's sheets in the morning.
        let reads: Vec<_> = read_on
            .iter()
            .filter(|(on, _, _)| *on == day)
            .cloned()
            .collect();
        for (index, (_, cadre, period)) in reads.iter().enumerate() {
            let leader = town
                .state(|state| {
                    state
                        .supervisor_on(cadre, period.last_day())
                        .map(str::to_owned)
                })
                .expect("supervised");
            let comment = if town.random.chance(300) {
                "记录详实，继续保持"
            } else {
                ""
            };
            let time = at(day, 9, 30 + (index % 29) as i8);
            town.act(
                &leader,
                &time,
                Command::ReadSheet(ReadSheet {
                    person_id: cadre.clone(),
                    period: *period,
                    comment: comment.into(),
                }),
            )?;
        }
        read_on.retain(|(on, _, _)| *on != day);
        if day == date(2026, 2, 16) {
            // p030 moves to another leader mid-quarter; the sheet of 11–20 February is the new
            // leader's to read.
            let leader = town
                .state(|state| state.supervisor_on("p030", day).map(str::to_owned))
                .expect("supervised");
            let next = if leader == "p001" { "p002" } else { "p001" };
            town.act(
                "office",
                &at(day, 8, 40),
                Command::AssignSupervision(AssignSupervision {
                    person_id: "p030".into(),
                    leader_id: next.into(),
                    from: day,
                }),
            )?;
        }
        let amends: Vec<_> = amend_on
            .iter()
            .filter(|(on, _)| *on == day)
            .cloned()
            .collect();
        for (_, entry_id) in amends {
            let entry = town.state(|state| state.entries[&entry_id].clone());
            // The state keeps no texts: the lines are read from the ledger.
            let written = town.engine.payloads().payload(entry_id).unwrap_or_default();
            let line = |member: &str| written[member].as_str().unwrap_or_default().to_owned();
            town.act(
                &entry.person_id,
                &at(day, 10, 0),
                Command::AmendEntry(AmendEntry {
                    entry_id,
                    did: format!("{}（更正：户数应为四户）", line("did")),
                    learned: line("learned"),
                    reason: "填写时户数笔误，据走访记录更正".into(),
                }),
            )?;
        }
        if town.working(day) {
            for number in (1..=STAFF).filter(|number| keeps_records(*number)) {
                if town.random.chance(15) {
                    continue; // A missed day stays missing: the ledger shows it.
                }
                let cadre = person(number);
                let village = VILLAGES[(number as usize) % VILLAGES.len()];
                let did = town.random.pick(DID).replace("{v}", village);
                let learned = town.random.pick(LEARNED).to_owned();
                let time = at(day, 17, (number % 60) as i8);
                let ids = town.act(
                    &cadre,
                    &time,
                    Command::WriteEntry(WriteEntry {
                        date: day,
                        did,
                        learned,
                    }),
                )?;
                if town.random.chance(8) {
                    amend_on.push((
                        day.checked_add(jiff::Span::new().days(2)).expect("a date"),
                        ids[0],
                    ));
                }
            }
        }
        // Sheets of periods ending today are planned now.
        if Period::of(day).last_day() == day {
            let period = Period::of(day);
            let due = town.state(|state| state.sheet_due_on(period));
            for number in (1..=STAFF).filter(|number| keeps_records(*number)) {
                // A period ending in a long holiday is handed in on its last day, from home,
                // rather than late after the holiday.
                let on_time = if town.next_working(day) > due {
                    day
                } else {
                    town.next_working(day)
                };
                let submit = if town.random.chance(60) {
                    on_time
                        .checked_add(jiff::Span::new().days(4 + town.random.below(3) as i64))
                        .expect("a date")
                } else {
                    on_time
                };
                planned.push((submit, person(number), period));
            }
        }
        if day.day() == 1 && day > FIRST_DAY {
            opinions(&mut town, Month::of(day.yesterday().expect("a date")), day)?;
        }
        if day == date(2026, 6, 15) {
            adopt_scoring(&mut town, day)?;
        }
        if day.day() == 2 && day > FIRST_DAY {
            let month = Month::of(day.first_of_month().yesterday().expect("a date"));
            score(&mut town, month, day)?;
        }
        if day.day() == 3 && day > FIRST_DAY {
            let month = Month::of(day.checked_sub(jiff::Span::new().days(3)).expect("a date"));
            nominations(&mut town, month, day)?;
        }
        if day.day() == 8 && [1, 4, 7, 10].contains(&day.month()) && day > FIRST_DAY {
            let ended = Month::of(day.first_of_month().yesterday().expect("a date")).quarter();
            if ended.last_day() >= FIRST_DAY {
                decision(&mut town, ended, day)?;
            }
        }
        appeals(&mut town, day)?;
        if town.working(day) {
            follow_ups(&mut town, day)?;
        }
        let due: Vec<_> = planned
            .iter()
            .filter(|(on, _, _)| *on == day)
            .cloned()
            .collect();
        for (index, (_, cadre, period)) in due.into_iter().enumerate() {
            let time = at(day, 19, (index % 60) as i8);
            town.act(&cadre, &time, Command::SubmitSheet(SubmitSheet { period }))?;
            if !town.random.chance(40) {
                let read = town.next_working(day.tomorrow().expect("a date"));
                read_on.push((read, cadre, period));
            }
        }
        planned.retain(|(on, _, _)| *on != day);
        town.flush()?;
        let month_ends = day.tomorrow().is_ok_and(|next| next.month() != day.month());
        if month_ends {
            // Month ends are sealed by a signed checkpoint (LEDGER.md).
            let snapshot = store.snapshot()?;
            let text =
                data_dir::sign_checkpoint(&key, store.genesis(), &snapshot, snapshot.size())?;
            store.put_checkpoint(snapshot.size(), text)?;
        }
        progress.inc(1);
    }
    progress.finish_and_clear();
    let size = store.head()?.size;
    town.state(|state| {
        println!(
            "built the demo township 示范镇 (seed {seed}): {size} events, {} entries, {} sheets ({} late), {} nominations, {} quarterly decisions",
            state.entries.len(),
            state.sheets.len(),
            state.sheets.values().filter(|sheet| sheet.late()).count(),
            state.nominations.len(),
            state.decisions.len()
        )
    });
    Ok(())
}

/// The office records the working-day calendars: 2026 from the State Council's notice of
/// 4 November 2025; 2027's statutory holidays alone, the notice not yet published, to be
/// replaced when it is.
fn calendars(town: &mut Township) -> Result<()> {
    let span = |name: &str, first: Date, last: Date| Holiday {
        name: name.into(),
        first,
        last,
    };
    let year_2026 = RecordCalendar {
        year: 2026,
        holidays: vec![
            span("元旦", date(2026, 1, 1), date(2026, 1, 3)),
            span("春节", date(2026, 2, 15), date(2026, 2, 23)),
            span("清明节", date(2026, 4, 4), date(2026, 4, 6)),
            span("劳动节", date(2026, 5, 1), date(2026, 5, 5)),
            span("端午节", date(2026, 6, 19), date(2026, 6, 21)),
            span("中秋节", date(2026, 9, 25), date(2026, 9, 27)),
            span("国庆节", date(2026, 10, 1), date(2026, 10, 7)),
        ],
        working_days: vec![
            date(2026, 1, 4),
            date(2026, 2, 14),
            date(2026, 2, 28),
            date(2026, 5, 9),
            date(2026, 9, 20),
            date(2026, 10, 10),
        ],
        source: "国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日）".into(),
    };
    let year_2027 = RecordCalendar {
        year: 2027,
        holidays: vec![
            span("元旦", date(2027, 1, 1), date(2027, 1, 1)),
            span("春节", date(2027, 2, 5), date(2027, 2, 8)),
            span("清明节", date(2027, 4, 5), date(2027, 4, 5)),
            span("劳动节", date(2027, 5, 1), date(2027, 5, 2)),
            span("端午节", date(2027, 6, 9), date(2027, 6, 9)),
            span("中秋节", date(2027, 9, 15), date(2027, 9, 15)),
            span("国庆节", date(2027, 10, 1), date(2027, 10, 3)),
        ],
        working_days: Vec::new(),
        source: "《全国年节及纪念日放假办法》（2024年修订）规定的2027年法定节假日，不含调休；国务院办公厅2027年节假日安排的通知公布后，以通知替换".into(),
    };
    let time = at(FIRST_DAY, 9, 10);
    town.record_at(&at(FIRST_DAY, 9, 40));
    for calendar in [year_2026, year_2027] {
        town.act("office", &time, Command::RecordCalendar(calendar))?;
    }
    town.flush()
}

/// Register the staff, give the roles, and assign supervision and areas.
fn roster(town: &mut Township) -> Result<()> {
    let mut names = Vec::new();
    while names.len() < STAFF as usize {
        let name = format!(
            "{}{}",
            town.random.pick(SURNAMES),
            town.random.pick(GIVEN_NAMES)
        );
        if !names.contains(&name) {
            names.push(name);
        }
    }
    let time = at(FIRST_DAY, 9, 0);
    town.record_at(&at(FIRST_DAY, 9, 30));
    for (index, name) in names.iter().enumerate() {
        town.act(
            "office",
            &time,
            Command::RegisterPerson(RegisterPerson {
                person_id: person(index as u32 + 1),
                name: name.clone(),
            }),
        )?;
    }
    let give = |town: &mut Township, number: u32, role: Role| {
        town.act(
            "office",
            &time,
            Command::AssignRole(AssignRole {
                person_id: person(number),
                role: role.to_string(),
                from: FIRST_DAY,
                until: None,
            }),
        )
    };
    for number in (1..=STAFF).filter(|number| keeps_records(*number)) {
        give(town, number, Role::Cadre)?;
    }
    for number in 1..=8 {
        give(town, number, Role::SupervisingLeader)?;
    }
    give(town, 9, Role::PartySecretary)?;
    give(town, 9, Role::SupervisingLeader)?;
    give(town, 10, Role::Mayor)?;
    give(town, 11, Role::PartyCommittee)?;
    for number in 12..=19 {
        give(town, number, Role::AreaChief)?;
    }
    give(town, 20, Role::DisciplineInspector)?;
    for number in (1..=STAFF).filter(|number| keeps_records(*number)) {
        // The leaders' sheets are read by the secretary; everyone else is supervised in turn
        // by the eight.
        let leader = if number <= LEADERS {
            9
        } else {
            1 + (number - 11) % LEADERS
        };
        town.act(
            "office",
            &time,
            Command::AssignSupervision(AssignSupervision {
                person_id: person(number),
                leader_id: person(leader),
                from: FIRST_DAY,
            }),
        )?;
        let area = ((number - 1) % 8) as usize;
        town.act(
            "office",
            &time,
            Command::AssignArea(AssignArea {
                person_id: person(number),
                area: AREAS[area].into(),
                chief_id: person(12 + area as u32),
                from: FIRST_DAY,
            }),
        )?;
    }
    town.flush()
}

/// The entries of `cadre` in `month`.
fn entries_of(state: &State, cadre: &str, month: Month) -> Vec<Uuid> {
    state
        .entry_days
        .range((cadre.to_owned(), month.first_day())..=(cadre.to_owned(), month.last_day()))
        .map(|(_, id)| *id)
        .collect()
}

/// Each area chief gives opinions on three cadres of the area for the month just ended.
fn opinions(town: &mut Township, month: Month, day: Date) -> Result<()> {
    const OPINIONS: &[&str] = &[
        "驻村期间吃住在村，群众反映好",
        "工作主动，矛盾调解有办法",
        "下村次数偏少，群众有意见",
        "台账规范，材料报送及时",
        "对片区情况熟悉，配合积极",
    ];
    for chief in 12..=19u32 {
        let chief = person(chief);
        let area: Vec<String> = town.state(|state| {
            state
                .people
                .keys()
                .filter(|cadre| state.chief_on(cadre, month.last_day()) == Some(chief.as_str()))
                .cloned()
                .collect()
        });
        for index in 0..3 {
            let cadre = area[town.random.below(area.len() as u64) as usize].clone();
            let opinion = town.random.pick(OPINIONS).to_owned();
            let time = at(day, 16, index * 5);
            town.act(
                &chief,
                &time,
                Command::GiveOpinion(GiveOpinion {
                    cadre_id: cadre,
                    month,
                    opinion,
                }),
            )?;
        }
    }
    Ok(())
}

/// Each leader names the best and the worst of the month, citing their records.
fn nominations(town: &mut Township, month: Month, day: Date) -> Result<()> {
    for (index, leader) in (1..=LEADERS).map(person).enumerate() {
        let mut cadres = town.state(|state| state.supervisees(&leader, month));
        cadres.retain(|cadre| town.state(|state| entries_of(state, cadre, month)).len() >= 2);
        if cadres.len() < 2 {
            continue;
        }
        // A few cadres of each leader tend to be named worst again, as happens; one always is.
        let mut worst = if cadres.iter().any(|cadre| cadre == STRUGGLING) {
            STRUGGLING.to_owned()
        } else {
            cadres[(town.random.below(3) as usize).min(cadres.len() - 1)].clone()
        };
        let mut best = worst.clone();
        while best == worst {
            best = cadres[town.random.below(cadres.len() as u64) as usize].clone();
        }
        // Under numeric scoring the scores name the best and the worst; now and then a leader
        // names someone else and must say why, which replay reports for review.
        let mut overrides = [None, None];
        if let (Some(scored_best), Some(scored_worst)) = town.state(|state| {
            (
                state.scored_choice(&leader, month, Kind::Best),
                state.scored_choice(&leader, month, Kind::Worst),
            )
        }) {
            worst = scored_worst;
            best = scored_best;
            if town.random.chance(150) {
                let other = cadres[town.random.below(cadres.len() as u64) as usize].clone();
                if other != best && other != worst {
                    best = other;
                    overrides[0] = Some("评分未能反映其本月在防汛一线的突出表现".to_owned());
                }
            }
        }
        let [best_override, worst_override] = overrides;
        for (kind, cadre, reason, override_reason) in [
            (
                Kind::Best,
                best,
                "本月工作记录详实，走访群众多，片长评价好",
                best_override,
            ),
            (
                Kind::Worst,
                worst,
                "本月记录简单重复，下村次数少，片长反映群众有意见",
                worst_override,
            ),
        ] {
            let entries = town.state(|state| entries_of(state, &cadre, month));
            let mut cited: Vec<Uuid> = entries.iter().rev().take(2).copied().collect();
            cited.extend(town.state(|state| {
                state
                    .opinions
                    .iter()
                    .filter(|(_, opinion)| opinion.cadre_id == cadre && opinion.month == month)
                    .map(|(id, _)| *id)
                    .collect::<Vec<_>>()
            }));
            let time = at(day, 10, (index * 5) as i8);
            town.act(
                &leader,
                &time,
                Command::Nominate(Nominate {
                    month,
                    kind,
                    cadre_id: cadre,
                    reason: reason.into(),
                    cited_ids: cited,
                    override_reason,
                }),
            )?;
        }
    }
    Ok(())
}

/// The most often nominated people of a pool, the earliest nomination breaking ties.
fn most_nominated(
    state: &State,
    quarter: kaohe_assess::period::Quarter,
    kind: Kind,
    count: u32,
    avoid: &[String],
) -> Vec<String> {
    let mut counts: Vec<(String, usize)> = Vec::new();
    for (_, nomination) in state.pool(quarter, kind) {
        if avoid.contains(&nomination.cadre_id) {
            continue;
        }
        match counts
            .iter_mut()
            .find(|(cadre, _)| *cadre == nomination.cadre_id)
        {
            Some((_, count)) => *count += 1,
            None => counts.push((nomination.cadre_id.clone(), 1)),
        }
    }
    counts.sort_by_key(|(_, count)| std::cmp::Reverse(*count));
    counts
        .into_iter()
        .take(count as usize)
        .map(|(cadre, _)| cadre)
        .collect()
}

/// The secretary proposes a quarter's decision; the mayor co-signs it the next day.
fn decision(town: &mut Township, quarter: kaohe_assess::period::Quarter, day: Date) -> Result<()> {
    let (worst, best) = town.state(|state| {
        let policy = state.policy_on(quarter.last_day()).expect("a policy");
        let worst = most_nominated(state, quarter, Kind::Worst, policy.quarter_worst_count, &[]);
        let best = most_nominated(
            state,
            quarter,
            Kind::Best,
            policy.quarter_best_count,
            &worst,
        );
        (worst, best)
    });
    let proposal = town.act(
        "p009",
        &at(day, 9, 0),
        Command::ProposeDecision(ProposeDecision {
            quarter,
            best,
            worst,
        }),
    )?[0];
    let next = day.tomorrow().expect("a date");
    town.act(
        "p010",
        &at(next, 9, 0),
        Command::CosignDecision(CosignDecision {
            quarter,
            proposal_id: proposal,
        }),
    )?;
    Ok(())
}

/// Publication and appeals of the first quarter: the first worst worker's appeal (other than
/// the struggling cadre, who does not appeal) is overturned in time, the second's upheld a day
/// after its deadline.
fn appeals(town: &mut Township, day: Date) -> Result<()> {
    let quarter = Month::of(date(2026, 3, 1)).quarter();
    let Some(mut worst) = town.state(|state| {
        let decision = state.decisions.get(&quarter)?;
        Some(state.proposals[&decision.proposal_id].worst.clone())
    }) else {
        return Ok(());
    };
    worst.retain(|person| person != STRUGGLING);
    if day == date(2026, 4, 10) {
        town.act(
            "office",
            &at(day, 9, 0),
            Command::PublishDecision(PublishDecision {
                quarter,
                notice: "经镇党委研究，评定第一季度最好工作人员、最差工作人员，现予公示。如有异议，请于7日内向镇党委提出复评申请。".into(),
            }),
        )?;
    }
    if day == date(2026, 4, 13) {
        for (index, person) in worst.iter().take(2).enumerate() {
            let grounds = if index == 0 {
                "一月在县委党校参加培训两周，下村次数少有正当理由，请求复评。"
            } else {
                "评定依据的记录只取了两天，不能反映全季度工作，请求复评。"
            };
            town.act(
                person,
                &at(day, 10, index as i8),
                Command::FileAppeal(FileAppeal {
                    quarter,
                    person_id: person.clone(),
                    kind: Kind::Worst,
                    grounds: grounds.into(),
                }),
            )?;
        }
    }
    let answers: Vec<(uuid::Uuid, usize)> = town.state(|state| {
        state
            .appeals
            .iter()
            .filter(|(_, appeal)| appeal.quarter == quarter && appeal.answer.is_none())
            .map(|(id, appeal)| {
                (
                    *id,
                    worst
                        .iter()
                        .position(|person| *person == appeal.person_id)
                        .unwrap_or(0),
                )
            })
            .collect()
    });
    for (appeal_id, index) in answers {
        let (answer_day, outcome, reasons) = if index == 0 {
            (
                date(2026, 4, 16),
                Outcome::Overturned,
                "经核实，申请人一月参加县委党校培训属实，下村次数少有正当理由，撤销其最差评定。",
            )
        } else {
            (
                date(2026, 4, 19),
                Outcome::Upheld,
                "经复核，评定依据充分，维持原评定。",
            )
        };
        if day == answer_day {
            town.act(
                "p011",
                &at(day, 15, 0),
                Command::AnswerAppeal(AnswerAppeal {
                    appeal_id,
                    outcome,
                    reasons: reasons.into(),
                }),
            )?;
        }
    }
    Ok(())
}

/// The office adopts policy 2: numeric scoring on the five dimensions from 1 July.
fn adopt_scoring(town: &mut Township, day: Date) -> Result<()> {
    let mut policy = town.state(|state| state.policies.latest().expect("a policy").clone());
    policy.version += 1;
    policy.effective_date = date(2026, 7, 1);
    policy.scoring = Some(serde_json::from_value(serde_json::json!({
        "score_max_tenths": 1000,
        "weights_bp": {"ideology": 2000, "ability": 3000, "discipline": 2000, "liaison": 1500, "line_work": 1500},
        "tie_break": "discipline_then_ability"
    }))?);
    town.act(
        "office",
        &at(day, 9, 0),
        Command::AdoptPolicy(AdoptPolicy { policy }),
    )?;
    Ok(())
}

/// Under numeric scoring, each leader scores every supervisee with records that month.
fn score(town: &mut Township, month: Month, day: Date) -> Result<()> {
    if town.state(|state| {
        state
            .policy_on(month.last_day())
            .is_none_or(|policy| policy.scoring.is_none())
    }) {
        return Ok(());
    }
    for (index, leader) in (1..=LEADERS).map(person).enumerate() {
        for cadre in town.state(|state| state.supervisees(&leader, month)) {
            if town.state(|state| entries_of(state, &cadre, month).is_empty()) {
                continue;
            }
            let (low, spread) = if cadre == STRUGGLING {
                (400, 100)
            } else {
                (600, 350)
            };
            let mut one = || low + town.random.below(spread) as u32;
            let scores = kaohe_assess::payload::Scores {
                ideology: one(),
                ability: one(),
                discipline: one(),
                liaison: one(),
                line_work: one(),
            };
            town.act(
                &leader,
                &at(day, 9, (index * 5) as i8),
                Command::GiveScores(GiveScores {
                    month,
                    cadre_id: cadre,
                    scores,
                }),
            )?;
        }
    }
    Ok(())
}

/// The follow-ups of the worst workers' sanctions: the secretary's talk three days after the
/// decision, the cadre's rectification plan after five, and the supervising leader's
/// confirmation after 25 (after 35 for the struggling cadre, whose rectification is late).
fn follow_ups(town: &mut Township, day: Date) -> Result<()> {
    let mut acts: Vec<(String, Command)> = Vec::new();
    let sanctions = town.state(|state| state.sanctions.clone());
    for (id, sanction) in &sanctions {
        if sanction.revoked_by.is_some() {
            continue;
        }
        let days = i64::from(
            sanction
                .imposed_on
                .until(day)
                .expect("dates within range")
                .get_days(),
        );
        match sanction.sanction {
            SanctionKind::Talk if sanction.talk_held.is_none() && days >= 3 => acts.push((
                "p009".into(),
                Command::RecordTalk(RecordTalk {
                    sanction_id: *id,
                    held_on: day,
                    summary: "指出本季度工作记录简单、下村次数少等问题，本人表示接受，将按期整改。"
                        .into(),
                }),
            )),
            SanctionKind::Rectification if sanction.plan.is_none() && days >= 5 => acts.push((
                sanction.person_id.clone(),
                Command::PlanRectification(PlanRectification {
                    sanction_id: *id,
                    plan: "一、每周下村不少于三次，走访情况写入工作记录；二、工作记录写明做了什么、解决了什么问题；三、一个月内补齐驻村台账。"
                        .into(),
                }),
            )),
            SanctionKind::Rectification if sanction.plan.is_some() && sanction.completed.is_none() => {
                let after = if sanction.person_id == STRUGGLING { 35 } else { 25 };
                if days >= after {
                    let leader = town
                        .state(|state| {
                            state
                                .supervisor_on(&sanction.person_id, day)
                                .map(str::to_owned)
                        })
                        .expect("supervised");
                    acts.push((
                        leader,
                        Command::CompleteRectification(CompleteRectification {
                            sanction_id: *id,
                            summary: "经核查，整改方案所列事项已完成，驻村台账已补齐。".into(),
                        }),
                    ));
                }
            }
            _ => {}
        }
    }
    for (index, (person, command)) in acts.into_iter().enumerate() {
        town.act(&person, &at(day, 11, (index % 60) as i8), command)?;
    }
    Ok(())
}
