//! The township's ledger as the format sees it: event 0 under one fixed key and id, daily
//! entries, fixed ids, and drafts sealed in order as the store's writer seals them.

use jiff::civil::{Date, date};
use kaohe_ledger::Hash;
use kaohe_ledger::event::{Actor, EventDraft, SealedEvent};
use kaohe_ledger::genesis::{LedgerCreated, default_policy};
use kaohe_ledger::note::{SignerKey, VerifierKey};
use serde_json::json;
use uuid::Uuid;

/// The township every suite plays in.
pub const ORGANISATION: &str = "示范镇";

/// The ledger's origin, which is also the name of the key that signs its checkpoints.
pub const ORIGIN: &str = "kaohe.test/shifanzhen";

/// The seed of the township's signing key. Fixed, so that every run signs the same notes.
const KEY_SEED: [u8; 32] = [0x4b; 32];

/// The first day of the first policy, and of every role the roster gives.
pub const FIRST_DAY: &str = "2026-01-01";

/// When the ledger starts: the business time of event 0.
const STARTS_AT: &str = "2026-01-01T08:00:00+08:00";

/// The unix time, in milliseconds, of the first fixed id: 2026-01-01T00:00:00Z.
const FIXED_IDS_FROM: u64 = 1_767_225_600_000;

/// Event 0's id.
pub const GENESIS_ID: Uuid = fixed_id(0);

/// The `n`-th id a suite chooses, a UUID version 7 that is the same in every run: its time is
/// `n` milliseconds after 2026-01-01T00:00:00Z and its random bits hold `n`, so fixed ids are
/// distinct and sort in the order of `n`.
pub const fn fixed_id(n: u64) -> Uuid {
    let n_bytes = n.to_be_bytes();
    let random = [
        n_bytes[0], n_bytes[1], n_bytes[2], n_bytes[3], n_bytes[4], n_bytes[5], n_bytes[6],
        n_bytes[7], 0, 0,
    ];
    uuid::Builder::from_unix_timestamp_millis(FIXED_IDS_FROM + n, &random).into_uuid()
}

/// The key that signs the township ledger's checkpoints, named [`ORIGIN`].
pub fn signer() -> SignerKey {
    SignerKey::from_seed(ORIGIN, KEY_SEED).expect("the origin is a valid key name")
}

/// Event 0 of a township ledger. [`Genesis::default`] is the township's own; a suite that needs
/// another ledger (another key, time zone or founder) changes only that.
#[derive(Clone, Debug)]
pub struct Genesis<'a> {
    /// Event 0's id.
    pub id: Uuid,
    /// The key the ledger names; its name is the origin.
    pub key: VerifierKey,
    /// The ledger's IANA time zone.
    pub time_zone: &'a str,
    /// The office member who creates the ledger, and holds the office role from its first day.
    pub person_id: &'a str,
}

impl Default for Genesis<'_> {
    fn default() -> Self {
        Genesis {
            id: GENESIS_ID,
            key: signer().verifier(),
            time_zone: "Asia/Shanghai",
            person_id: "office",
        }
    }
}

impl Genesis<'_> {
    /// The draft of event 0: the township, the first policy from 2026-01-01, the ledger
    /// starting at 08:00 that day.
    pub fn draft(&self) -> EventDraft {
        LedgerCreated {
            id: self.id,
            organisation: ORGANISATION,
            key: &self.key,
            time_zone: self.time_zone,
            policy: default_policy(FIRST_DAY),
            business_time: STARTS_AT,
            person_id: self.person_id,
        }
        .draft()
    }
}

/// Event 0 of the township ledger: [`GENESIS_ID`], signed for by [`signer`], in Asia/Shanghai,
/// created by `office`.
pub fn genesis() -> EventDraft {
    Genesis::default().draft()
}

/// The day of March 2026 that the `n`-th daily entry is dated: the 1st to the 28th in turn.
pub fn march_day(n: u32) -> Date {
    let day = i8::try_from(1 + n % 28).expect("a day of the month");
    date(2026, 3, day)
}

/// The `n`-th daily entry of the cadre `person`, dated [`march_day`]`(n)`, in the words of a
/// working day that name `n`.
pub fn entry(id: Uuid, person: &str, n: u32) -> EventDraft {
    entry_saying(
        id,
        person,
        march_day(n),
        &format!("上午到{n}组走访低保户三户，核实家庭收入变化；下午参加镇安全生产检查"),
        "掌握了低保动态管理的新要求，检查中发现两处消防隐患已督促整改",
    )
}

/// The entry of the cadre `person` for `day`, written at 18:00 that day: what they did and
/// what they learned. It is what the rules record for a `WriteEntry`, drafted straight, for
/// suites below the rules.
pub fn entry_saying(id: Uuid, person: &str, day: Date, did: &str, learned: &str) -> EventDraft {
    EventDraft {
        id,
        event_type: "entry_written".into(),
        payload_version: 1,
        business_time: format!("{day}T18:00:00+08:00"),
        actor: Actor {
            person_id: person.into(),
            role: "cadre".into(),
        },
        payload: json!({
            "person_id": person,
            "date": day.to_string(),
            "did": did,
            "learned": learned,
        }),
        caused_by: Vec::new(),
    }
}

/// `drafts` sealed in order as the store's writer seals them, each linked to the one before,
/// event `n` recorded at `recorded_at(n)`. Panics on a draft that does not seal.
pub fn seal_all(drafts: &[EventDraft], recorded_at: impl Fn(usize) -> String) -> Vec<SealedEvent> {
    let mut previous = Hash::ZERO;
    drafts
        .iter()
        .enumerate()
        .map(|(position, draft)| {
            let sealed = draft
                .seal(position as u64, &previous, &recorded_at(position))
                .unwrap_or_else(|error| {
                    panic!("{} at {position} does not seal: {error}", draft.event_type)
                });
            previous = sealed.leaf;
            sealed
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_ids_are_distinct_version_7_ids_in_the_order_chosen() {
        let ids: Vec<Uuid> = (0..300).map(fixed_id).collect();
        assert!(ids.iter().all(|id| id.get_version_num() == 7));
        assert!(ids.windows(2).all(|pair| pair[0] < pair[1]));
        assert_eq!(GENESIS_ID, fixed_id(0));
    }

    #[test]
    fn event_0_and_entries_pass_the_ledgers_checks_and_seal() {
        let drafts = [
            genesis(),
            entry(fixed_id(1), "p001", 0),
            entry(fixed_id(2), "p001", 27),
        ];
        for draft in &drafts {
            draft.check().unwrap();
        }
        assert_eq!(drafts[1].payload["date"], "2026-03-01");
        assert_eq!(drafts[2].payload["date"], "2026-03-28");
        let sealed = seal_all(&drafts, |n| format!("2026-03-28T18:00:0{n}.000+08:00"));
        assert_eq!(sealed.len(), 3);
        assert_eq!(sealed[0].id, GENESIS_ID);
    }
}
