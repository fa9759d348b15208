//! `kaohe demo`: build a demo township ledger on first run, then serve it.
//!
//! The demo holds the township's first quarter of daily work records (一记): 92 cadres, one
//! entry a working day each, with the month ends sealed by signed checkpoints. It is built
//! through the same store API every append uses.

use std::fs;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use clap::Args;
use indicatif::{ProgressBar, ProgressStyle};
use jiff::civil::{Date, Weekday};
use kaohe_ledger::event::{Actor, EventDraft};
use kaohe_ledger::genesis::{LedgerCreated, default_policy};
use kaohe_ledger::note::SignerKey;
use kaohe_store::{Store, StoreOptions};
use serde_json::json;
use uuid::Uuid;

use crate::data_dir::{self, KEY_FILE, ledger_path, write_private_file};
use crate::serve::{DEFAULT_ADDR, serve};

/// Staff on the establishment of the reference township.
const DEMO_STAFF: u32 = 92;
/// The demo's first and last day.
const DEMO_FIRST_DAY: Date = jiff::civil::date(2026, 1, 5);
const DEMO_LAST_DAY: Date = jiff::civil::date(2026, 3, 31);
/// The Spring Festival holiday of 2026, when no records are kept.
const DEMO_HOLIDAY: (Date, Date) = (
    jiff::civil::date(2026, 2, 15),
    jiff::civil::date(2026, 2, 23),
);
/// Drafts queued at once while building.
const DEMO_BATCH: usize = 2000;

/// Arguments of `kaohe demo`.
#[derive(Args)]
pub struct DemoArgs {
    /// Where the demo ledger lives (built on first run, reused afterwards).
    #[arg(long, value_name = "DIR", default_value = "kaohe-demo")]
    pub data: PathBuf,
    /// Where to listen.
    #[arg(long, value_name = "HOST:PORT", default_value = DEFAULT_ADDR)]
    pub addr: SocketAddr,
}

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
    "整理上旬工作台账，报送分管领导审阅",
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
    "了解到群众最关心的是饮水问题，已记下并汇报",
    "学会用系统导出业务台账，提高了效率",
    "发现调解前先听双方意见效果更好",
    "明确了农田项目验收的几个关键环节",
    "整改问题要限时销号，下周回访",
    "",
];

/// A small deterministic generator: the same demo every time.
struct Lcg(u64);
impl Lcg {
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        items[((self.0 >> 33) % items.len() as u64) as usize]
    }
}

fn working_days() -> Vec<Date> {
    let mut days = Vec::new();
    let mut day = DEMO_FIRST_DAY;
    while day <= DEMO_LAST_DAY {
        let weekend = matches!(day.weekday(), Weekday::Saturday | Weekday::Sunday);
        let holiday = day >= DEMO_HOLIDAY.0 && day <= DEMO_HOLIDAY.1;
        if !weekend && !holiday {
            days.push(day);
        }
        day = day.tomorrow().expect("2026 has a tomorrow");
    }
    days
}

fn entry(random: &mut Lcg, person: u32, day: Date) -> EventDraft {
    let person_id = format!("p{person:03}");
    let village = VILLAGES[(person as usize) % VILLAGES.len()];
    EventDraft {
        id: Uuid::now_v7(),
        event_type: "entry_written".into(),
        payload_version: 1,
        business_time: format!("{day}T18:00:00+08:00"),
        actor: Actor {
            person_id: person_id.clone(),
            role: "cadre".into(),
        },
        payload: json!({
            "person_id": person_id,
            "date": day.to_string(),
            "did": random.pick(DID).replace("{v}", village),
            "learned": random.pick(LEARNED),
        }),
        caused_by: Vec::new(),
    }
}

/// Build the demo ledger in `data`; nothing is left behind if it fails.
fn build(data: &Path) -> Result<()> {
    fs::create_dir_all(data).with_context(|| format!("cannot create {}", data.display()))?;
    let result = (|| -> Result<()> {
        let mut seed = [0u8; 32];
        getrandom::fill(&mut seed).map_err(|error| anyhow::anyhow!("no OS randomness: {error}"))?;
        let key = SignerKey::from_seed("kaohe.demo/shifanzhen", seed)?;
        write_private_file(&data.join(KEY_FILE), &format!("{}\n", key.to_text()))?;
        let genesis = LedgerCreated {
            organisation: "示范镇",
            key: &key.verifier(),
            time_zone: "Asia/Shanghai",
            policy: default_policy("2026-01-01"),
            business_time: "2026-01-01T08:30:00+08:00",
            person_id: "office",
        }
        .draft();
        let store = Store::create(&ledger_path(data), &genesis, StoreOptions::default())?;
        let days = working_days();
        let progress = ProgressBar::new(days.len() as u64 * u64::from(DEMO_STAFF));
        progress.set_style(
            ProgressStyle::with_template(
                "building the demo ledger {bar:40} {pos}/{len} entries ({eta})",
            )
            .expect("a valid template"),
        );
        let mut random = Lcg(2026);
        let mut pending = Vec::with_capacity(DEMO_BATCH);
        for (index, day) in days.iter().enumerate() {
            for person in 1..=DEMO_STAFF {
                pending.push(entry(&mut random, person, *day));
            }
            let month_ends = days
                .get(index + 1)
                .is_none_or(|next| next.month() != day.month());
            if pending.len() >= DEMO_BATCH || month_ends {
                let count = pending.len() as u64;
                for result in store.append_many(pending.drain(..)) {
                    result?;
                }
                progress.inc(count);
            }
            if month_ends {
                // Month ends are sealed by a signed checkpoint (LEDGER.md).
                let snapshot = store.snapshot()?;
                let text = data_dir::sign_checkpoint(&key, &store, &snapshot, snapshot.size())?;
                store.put_checkpoint(snapshot.size(), text)?;
            }
        }
        progress.finish_and_clear();
        println!(
            "built the demo ledger of 示范镇: {} events in {} commits",
            store.head()?.size,
            store.stats().commits() + 1
        );
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(ledger_path(data));
        let _ = fs::remove_file(data.join(KEY_FILE));
    }
    result
}

/// `kaohe demo`.
pub fn run(args: &DemoArgs) -> Result<()> {
    let ledger = ledger_path(&args.data);
    if ledger.exists() {
        println!("using the demo ledger in {}", args.data.display());
    } else {
        if args.data.join(KEY_FILE).exists() {
            bail!(
                "{} holds a signing key but no ledger; remove it or choose another --data",
                args.data.display()
            );
        }
        build(&args.data)?;
    }
    serve(&args.data, args.addr)
}
