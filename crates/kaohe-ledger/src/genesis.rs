//! Event 0: the `ledger_created` draft that names the organisation, origin, key, time zone and
//! policy, and the rule for the time zone's name.

use serde_json::{Value, json};
use uuid::Uuid;

use crate::event::{Actor, EventDraft, FORMAT_VERSION};
use crate::note::VerifierKey;

/// Why a time zone name is refused.
#[derive(Clone, Debug, thiserror::Error, PartialEq, Eq)]
pub enum TimeZoneError {
    /// The IANA time zone database has no zone or link of that name, in any spelling.
    #[error(
        "unknown time zone {0}: a time zone is named as in the IANA time zone database, such as Asia/Shanghai"
    )]
    Unknown(String),
    /// The database has the name, but spelled otherwise (names are case-sensitive).
    #[error(
        "time zone {given} is not spelled as the IANA time zone database spells it: {canonical}"
    )]
    Misspelled {
        /// The name as given.
        given: String,
        /// The name as the database spells it.
        canonical: String,
    },
}

/// The time zone named `name`: a zone or link of the IANA time zone database this build
/// carries (the release FORMAT.md section 1 names), spelled exactly as the database spells it.
///
/// The database's own lookup ignores case, so `asia/shanghai` would find Asia/Shanghai; an
/// outside verifier looking the name up case-sensitively would not, so the spelling is
/// compared too, and only the database's spelling is accepted.
pub fn time_zone(name: &str) -> Result<jiff::tz::TimeZone, TimeZoneError> {
    let zone = jiff::tz::TimeZone::get(name).map_err(|_| TimeZoneError::Unknown(name.into()))?;
    match zone.iana_name() {
        Some(canonical) if canonical == name => Ok(zone),
        Some(canonical) => Err(TimeZoneError::Misspelled {
            given: name.into(),
            canonical: canonical.into(),
        }),
        None => Err(TimeZoneError::Unknown(name.into())),
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::note::SignerKey;

    #[test]
    fn time_zones_are_iana_names_spelled_exactly() {
        for name in [
            "Asia/Shanghai",
            "UTC",
            "Etc/GMT-8",
            "PRC",
            "America/Argentina/Buenos_Aires",
        ] {
            assert_eq!(time_zone(name).unwrap().iana_name(), Some(name));
        }
        assert_eq!(
            time_zone("asia/shanghai").unwrap_err(),
            TimeZoneError::Misspelled {
                given: "asia/shanghai".into(),
                canonical: "Asia/Shanghai".into()
            }
        );
        assert!(matches!(
            time_zone("utc"),
            Err(TimeZoneError::Misspelled { .. })
        ));
        for name in [
            "Asia/Beijing",
            "",
            "localtime",
            "posixrules",
            "+08:00",
            "Asia/Shanghai ",
        ] {
            assert_eq!(
                time_zone(name).unwrap_err(),
                TimeZoneError::Unknown(name.into()),
                "{name:?}"
            );
        }
    }

    #[test]
    fn the_draft_carries_the_id_and_time_it_was_given() {
        let key = SignerKey::from_seed("kaohe.test/genesis", [1; 32]).unwrap();
        let id = Uuid::parse_str("01936d4a-7b2c-7d3e-8f40-123456789abc").unwrap();
        let draft = LedgerCreated {
            id,
            organisation: "示范镇",
            key: &key.verifier(),
            time_zone: "Asia/Shanghai",
            policy: default_policy("2026-01-01"),
            business_time: "2026-01-01T08:00:00+08:00",
            person_id: "office",
        }
        .draft();
        assert_eq!(draft.id, id);
        assert_eq!(draft.business_time, "2026-01-01T08:00:00+08:00");
        assert_eq!(draft.check(), Ok(()));
    }
}
