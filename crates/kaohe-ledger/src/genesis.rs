//! Event 0: the `ledger_created` draft that names the organisation, origin, key and policy.

use serde_json::{Value, json};
use uuid::Uuid;

use crate::event::{Actor, EventDraft, FORMAT_VERSION};
use crate::note::VerifierKey;

/// The first policy of a new ledger: the scheme's own figures (DOMAIN.md), free judgment,
/// calendar days, effective from `effective_date` (YYYY-MM-DD).
pub fn default_policy(effective_date: &str) -> Value {
    json!({
        "version": 1,
        "effective_date": effective_date,
        "entry_chars_max": 200,
        "sheet_due_days": 3,
        "leader_best_count": 1,
        "leader_worst_count": 1,
        "nomination_due_days": 5,
        "quarter_best_count": 5,
        "quarter_worst_count": 3,
        "appeal_filing_days": 7,
        "appeal_answer_days": 5,
        "appeal_day_kind": "calendar",
        "appeal_standing": "rated_person",
        "best_quarterly_bonus_bp": 2000,
        "best_year_end_bonus_bp": 2000,
        "consecutive_worst_count": 3,
        "rectification_days": 30,
        "scoring": null
    })
}

/// What event 0 states. The caller chooses the id and the time, as for every other event:
/// this crate never reads the clock.
#[derive(Clone, Debug)]
pub struct LedgerCreated<'a> {
    /// Event 0's id, a UUID version 7.
    pub id: Uuid,
    /// The organisation's name.
    pub organisation: &'a str,
    /// The ledger's checkpoint verifier key; its name is the origin.
    pub key: &'a VerifierKey,
    /// The IANA time zone.
    pub time_zone: &'a str,
    /// The first policy.
    pub policy: Value,
    /// When the ledger starts, RFC 3339 with offset.
    pub business_time: &'a str,
    /// The office member creating it.
    pub person_id: &'a str,
}

impl LedgerCreated<'_> {
    /// The draft of event 0.
    pub fn draft(&self) -> EventDraft {
        EventDraft {
            id: self.id,
            event_type: "ledger_created".into(),
            payload_version: 1,
            business_time: self.business_time.into(),
            actor: Actor {
                person_id: self.person_id.into(),
                role: "office".into(),
            },
            payload: json!({
                "format_version": FORMAT_VERSION,
                "organisation": self.organisation,
                "origin": self.key.name(),
                "public_key": self.key.to_text(),
                "time_zone": self.time_zone,
                "policy": self.policy,
            }),
            caused_by: Vec::new(),
        }
    }
}
