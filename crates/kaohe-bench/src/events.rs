//! Realistic generated ledgers: event 0, the roster of a township, then daily `entry_written`
//! records in Chinese, sealed with the ledger's own API into exactly the bytes an export holds.

use jiff::civil::{Date, date};
use kaohe_ledger::Hash;
use kaohe_ledger::event::{Actor, EventDraft};
use kaohe_ledger::genesis::{LedgerCreated, default_policy};
use kaohe_ledger::note::{Checkpoint, SignerKey};
use serde_json::json;
use uuid::Uuid;

/// The generated ledger's origin (and key name).
pub const ORIGIN: &str = "kaohe.bench/shifanzhen";
/// The staff who keep daily records, p001..p092 as in the demo township.
const STAFF: u64 = 92;
const FIRST_DAY: Date = date(2026, 1, 1);

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
];

/// A small deterministic generator, so that a size always gives the same ledger.
pub struct Lcg(pub u64);

impl Lcg {
    /// The next 53 random bits.
    pub fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 11
    }

    /// A number below `bound`.
    pub fn below(&mut self, bound: u64) -> u64 {
        self.next() % bound
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len() as u64) as usize]
    }

    /// A UUIDv7 at `millis`, random in its other bits.
    pub fn uuid_v7(&mut self, millis: u64) -> Uuid {
        let mut bytes = [0u8; 10];
        bytes[..8].copy_from_slice(&self.next().to_le_bytes());
        bytes[8..].copy_from_slice(&(self.next() as u16).to_le_bytes());
        uuid::Builder::from_unix_timestamp_millis(millis, &bytes).into_uuid()
    }
}

/// Makes the drafts of a township's ledger, in order: the roster first, then each working
/// day's entries by every member of staff.
pub struct Township {
    random: Lcg,
    /// The drafts made so far (event 0 is not among them).
    made: u64,
}

/// Milliseconds since the Unix epoch of 2026-01-01T08:00:00+08:00, the ledger's start.
const START_MILLIS: u64 = 1_767_225_600_000;

impl Township {
    /// A township whose drafts follow from `seed`.
    pub fn new(seed: u64) -> Township {
        Township {
            random: Lcg(seed),
            made: 0,
        }
    }

    /// The signing key of the generated ledger.
    pub fn key() -> SignerKey {
        SignerKey::from_seed(ORIGIN, [42; 32]).expect("a valid key name")
    }

    /// Event 0.
    pub fn genesis() -> EventDraft {
        let key = Township::key();
        LedgerCreated {
            id: Uuid::now_v7(),
            organisation: "示范镇",
            key: &key.verifier(),
            time_zone: "Asia/Shanghai",
            policy: default_policy("2026-01-01"),
            business_time: "2026-01-01T08:00:00+08:00",
            person_id: "p021",
        }
        .draft()
    }

    /// A township whose roster is registered already: every draft is an entry.
    pub fn entries_only(seed: u64) -> Township {
        Township {
            random: Lcg(seed),
            made: STAFF,
        }
    }

    /// The next draft: a registration while the roster is incomplete, then entries.
    pub fn next_draft(&mut self) -> EventDraft {
        let index = self.made;
        self.made += 1;
        if index < STAFF {
            let person = format!("p{:03}", index + 1);
            let name = format!("{}{}", self.random.pick(SURNAMES), self.random.pick(GIVEN));
            return EventDraft {
                id: self.random.uuid_v7(START_MILLIS + index),
                event_type: "person_registered".into(),
                payload_version: 1,
                business_time: "2026-01-01T09:00:00+08:00".into(),
                actor: Actor {
                    person_id: "p021".into(),
                    role: "office".into(),
                },
                payload: json!({"person_id": person, "name": name}),
                caused_by: Vec::new(),
            };
        }
        let entry = index - STAFF;
        let person = format!("p{:03}", entry % STAFF + 1);
        // Five working days a week: day n of the ledger's working calendar.
        let working_day = entry / STAFF;
        let day = FIRST_DAY
            .checked_add(jiff::Span::new().days((working_day / 5 * 7 + working_day % 5) as i64))
            .expect("a date within range");
        let village = self.random.pick(VILLAGES);
        let did = self.random.pick(DID).replace("{v}", village);
        // A third of the days, the second line is left empty, as in real records.
        let learned = if self.random.below(3) == 0 {
            String::new()
        } else {
            self.random.pick(LEARNED).to_owned()
        };
        let millis = START_MILLIS + (working_day * 86_400_000) + 36_000_000 + entry % STAFF;
        EventDraft {
            id: self.random.uuid_v7(millis),
            event_type: "entry_written".into(),
            payload_version: 1,
            business_time: format!("{day}T18:{:02}:00+08:00", entry % 60),
            actor: Actor {
                person_id: person.clone(),
                role: "cadre".into(),
            },
            payload: json!({"person_id": person, "date": day.to_string(), "did": did, "learned": learned}),
            caused_by: Vec::new(),
        }
    }
}

/// The two lines of `count` generated entries: the same texts the library's drafts carry.
pub fn entry_lines(seed: u64, count: usize) -> Vec<(String, String)> {
    let mut township = Township::entries_only(seed);
    (0..count)
        .map(|_| {
            let draft = township.next_draft();
            (
                draft.payload["did"].as_str().unwrap_or_default().to_owned(),
                draft.payload["learned"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
            )
        })
        .collect()
}

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙", "马", "朱", "胡", "郭",
];
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明",
];

/// A sealed ledger held in memory: the exact bytes of each event, as an export holds them.
pub struct Export {
    /// Each event's canonical bytes, event 0 first.
    pub events: Vec<Vec<u8>>,
    /// The signed checkpoint of the whole ledger.
    pub checkpoint: String,
    /// The export file: every event and a line feed, then the checkpoint line.
    pub file: Vec<u8>,
}

/// The recording time of event `position`, in the form the store writes (milliseconds, the
/// organisation's offset): one event every 10 ms from the ledger's start.
fn recorded_time(position: u64) -> String {
    let millis = START_MILLIS as i64 + position as i64 * 10;
    jiff::Timestamp::from_millisecond(millis)
        .expect("a time within range")
        .to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::offset(8)))
        .strftime("%Y-%m-%dT%H:%M:%S%.3f%:z")
        .to_string()
}

impl Export {
    /// Seal a ledger of `size` events (at least 1) from a township of `seed`.
    pub fn generate(size: u64, seed: u64) -> Export {
        let mut township = Township::new(seed);
        let mut events = Vec::with_capacity(size as usize);
        let mut previous = Hash::ZERO;
        let mut tree = kaohe_ledger::merkle::Frontier::new();
        for position in 0..size {
            let draft = if position == 0 {
                Township::genesis()
            } else {
                township.next_draft()
            };
            let sealed = draft
                .seal(position, &previous, &recorded_time(position))
                .expect("a generated draft seals");
            previous = sealed.leaf;
            tree.push(sealed.leaf, |_, _, _| {});
            events.push(sealed.bytes);
        }
        let checkpoint = Checkpoint {
            origin: ORIGIN.into(),
            size,
            root: tree.root(),
        }
        .sign(&Township::key())
        .expect("the checkpoint signs");
        let mut file = Vec::with_capacity(events.iter().map(|event| event.len() + 1).sum());
        for event in &events {
            file.extend_from_slice(event);
            file.push(b'\n');
        }
        file.extend_from_slice(&kaohe_ledger::verify::export_checkpoint_line(&checkpoint));
        file.push(b'\n');
        Export {
            events,
            checkpoint,
            file,
        }
    }

    /// The canonical bytes of all events.
    pub fn bytes(&self) -> u64 {
        self.events.iter().map(|event| event.len() as u64).sum()
    }
}
