//! The event envelope: drafts as clients submit them, sealed events as the ledger stores them,
//! and the checks every stored event passes.

use serde_json::{Map, Value, json};
use uuid::Uuid;

use crate::canonical::{
    CanonicalError, object_to_canonical_without, parse_canonical, to_canonical,
};
use crate::hash::{Hash, content_digest, leaf_hash};
use crate::scan::{Kind, Tape};
use crate::schema::check_tape;

/// The ledger format version this build writes and reads (see docs/FORMAT.md).
pub const FORMAT_VERSION: u64 = 1;
/// The most bytes one event may take in canonical form.
pub const EVENT_BYTES_MAX: usize = 64 * 1024;

/// Who acted, and in which role.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    /// The person's roster id.
    pub person_id: String,
    /// The role they acted in (see `common.schema.json#/$defs/role`).
    pub role: String,
}

/// An event as a client submits it: everything but the position, the previous hash and the
/// recording time, which the ledger assigns when it appends.
#[derive(Clone, Debug, PartialEq)]
pub struct EventDraft {
    /// The client's UUIDv7 for the event; a retry with the same id is answered, not appended.
    pub id: Uuid,
    /// The event type.
    pub event_type: String,
    /// The payload schema version.
    pub payload_version: u64,
    /// When the act happened (RFC 3339 with offset).
    pub business_time: String,
    /// Who acted.
    pub actor: Actor,
    /// The typed payload.
    pub payload: Value,
    /// Ids of earlier events this one follows from.
    pub caused_by: Vec<Uuid>,
}

/// Why an event, or a draft, is refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq, Clone)]
pub enum EventError {
    /// The bytes are not the canonical JSON of what they parse to, or do not parse.
    #[error("{0}")]
    Canonical(#[from] CanonicalError),
    /// A number with a fraction or exponent: events hold integers only.
    #[error("{path}: events hold integers only, not floating-point numbers")]
    FloatNotAllowed {
        /// Where the number is (JSON pointer).
        path: String,
    },
    /// The event does not validate against `schemas/event.schema.json`.
    #[error("schema: {0}")]
    Schema(String),
    /// The event is larger than `EVENT_BYTES_MAX` in canonical form.
    #[error("the event takes {bytes} bytes, more than the limit of {max}")]
    TooLarge {
        /// Its canonical size.
        bytes: usize,
        /// The limit.
        max: usize,
    },
    /// The id is not a UUID version 7.
    #[error("event id {0} is not a UUID version 7")]
    NotUuidV7(Uuid),
}

impl EventDraft {
    /// The content object: what a retried append must repeat exactly (all but id, position,
    /// previous hash and recording time).
    pub fn content(&self) -> Value {
        json!({
            "type": self.event_type,
            "payload_version": self.payload_version,
            "business_time": self.business_time,
            "actor": {"person_id": self.actor.person_id, "role": self.actor.role},
            "payload": self.payload,
            "caused_by": self.caused_by.iter().map(|id| id.to_string()).collect::<Vec<_>>(),
        })
    }

    /// The digest of the content object's canonical bytes, kept to answer retries.
    pub fn content_digest(&self) -> Result<Hash, EventError> {
        Ok(content_digest(&to_canonical(&self.content())?))
    }

    /// The event as it will stand at `position` after `previous`, recorded at `recorded_time`.
    pub fn to_value(&self, position: u64, previous: &Hash, recorded_time: &str) -> Value {
        let mut value = self.content();
        let object = value.as_object_mut().expect("content is an object");
        object.insert("position".into(), json!(position));
        object.insert("id".into(), json!(self.id.to_string()));
        object.insert("recorded_time".into(), json!(recorded_time));
        object.insert("previous_hash".into(), json!(previous.to_hex()));
        value
    }

    /// Check a draft before it reaches the writer: the id, integers only, the schema (on the
    /// event as it would stand, with placeholder position, link and recording time, which are
    /// valid whatever the writer assigns), the business time as an instant a verifier reads,
    /// and the size with room for the writer's fields. A draft that passes seals into an event
    /// that `parse_event` accepts.
    pub fn check(&self) -> Result<(), EventError> {
        if self.id.get_version_num() != 7 {
            return Err(EventError::NotUuidV7(self.id));
        }
        let provisional =
            self.to_value(PLACEHOLDER_POSITION, &Hash::ZERO, PLACEHOLDER_RECORDED_TIME);
        reject_floats(&provisional, &mut String::new())?;
        let canonical = to_canonical(&provisional)?;
        // The size is checked last, as it was before the checks were compiled.
        check_any_size(&canonical)?;
        let bytes = canonical.len();
        if bytes > EVENT_BYTES_MAX {
            return Err(EventError::TooLarge {
                bytes,
                max: EVENT_BYTES_MAX,
            });
        }
        Ok(())
    }

    /// Seal a checked draft: the canonical bytes and leaf hash of the event at `position`.
    pub fn seal(
        &self,
        position: u64,
        previous: &Hash,
        recorded_time: &str,
    ) -> Result<SealedEvent, EventError> {
        let value = self.to_value(position, previous, recorded_time);
        let bytes = to_canonical(&value)?;
        if bytes.len() > EVENT_BYTES_MAX {
            return Err(EventError::TooLarge {
                bytes: bytes.len(),
                max: EVENT_BYTES_MAX,
            });
        }
        // Pair assertion: what the writer stores passes the same checks a verifier applies.
        debug_assert_eq!(
            parse_event(&bytes).map(|event| event.position),
            Ok(position)
        );
        let leaf = leaf_hash(&bytes);
        Ok(SealedEvent {
            position,
            id: self.id,
            bytes,
            leaf,
        })
    }

    /// Read a draft from its JSON form (the envelope fields a client sends).
    pub fn from_json(value: &Value) -> Result<EventDraft, String> {
        let object = value.as_object().ok_or("a draft is a JSON object")?;
        for key in object.keys() {
            if !DRAFT_FIELDS.contains(&key.as_str()) {
                return Err(format!("unknown field {key:?} in a draft"));
            }
        }
        let text = |name: &str| -> Result<String, String> {
            object
                .get(name)
                .and_then(Value::as_str)
                .map(str::to_owned)
                .ok_or_else(|| format!("field {name:?} must be a string"))
        };
        let id = Uuid::parse_str(&text("id")?).map_err(|error| format!("id: {error}"))?;
        let actor = object.get("actor").ok_or("field \"actor\" is missing")?;
        let caused_by = match object.get("caused_by") {
            None => Vec::new(),
            Some(Value::Array(ids)) => ids
                .iter()
                .map(|id| {
                    id.as_str()
                        .and_then(|id| Uuid::parse_str(id).ok())
                        .ok_or_else(|| format!("caused_by: {id} is not a UUID"))
                })
                .collect::<Result<_, _>>()?,
            Some(_) => return Err("caused_by must be an array of ids".into()),
        };
        Ok(EventDraft {
            id,
            event_type: text("type")?,
            payload_version: object
                .get("payload_version")
                .and_then(Value::as_u64)
                .ok_or("field \"payload_version\" must be a positive integer")?,
            business_time: text("business_time")?,
            actor: Actor {
                person_id: actor["person_id"]
                    .as_str()
                    .ok_or("actor.person_id must be a string")?
                    .into(),
                role: actor["role"]
                    .as_str()
                    .ok_or("actor.role must be a string")?
                    .into(),
            },
            payload: object
                .get("payload")
                .cloned()
                .ok_or("field \"payload\" is missing")?,
            caused_by,
        })
    }
}

const DRAFT_FIELDS: &[&str] = &[
    "id",
    "type",
    "payload_version",
    "business_time",
    "actor",
    "payload",
    "caused_by",
];
const PLACEHOLDER_POSITION: u64 = 0;
const PLACEHOLDER_RECORDED_TIME: &str = "2000-01-01T00:00:00.000+00:00";

/// An event ready to store: its position, id, canonical bytes and leaf hash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SealedEvent {
    /// Its position.
    pub position: u64,
    /// Its id.
    pub id: Uuid,
    /// Its canonical bytes, exactly as stored, hashed and exported.
    pub bytes: Vec<u8>,
    /// Its leaf hash.
    pub leaf: Hash,
}

/// A stored event, read back and checked: canonical form, integers only, schema.
#[derive(Clone, Debug, PartialEq)]
pub struct ParsedEvent {
    /// The whole event.
    pub value: Value,
    /// Its position field.
    pub position: u64,
    /// Its id field.
    pub id: Uuid,
    /// Its type field.
    pub event_type: String,
    /// Its previous_hash field.
    pub previous_hash: Hash,
    /// Its recorded_time field, as an instant.
    pub recorded_time: jiff::Timestamp,
    /// Its caused_by ids.
    pub caused_by: Vec<Uuid>,
}

impl ParsedEvent {
    /// The payload object.
    pub fn payload(&self) -> &Map<String, Value> {
        self.value["payload"]
            .as_object()
            .expect("the schema makes the payload an object")
    }

    /// The content digest a retried append is compared with.
    pub fn content_digest(&self) -> Hash {
        let object = self.value.as_object().expect("events are objects");
        // Written without the four fields in place, rather than from a copy of the event
        // with them removed: copying the event cost more than writing it.
        let content = object_to_canonical_without(
            object,
            &["position", "id", "recorded_time", "previous_hash"],
        )
        .expect("a parsed event re-serialises");
        content_digest(&content)
    }
}

/// A stored event's bytes, checked as a verifier checks them (canonical JSON, integers only,
/// the whole-event schema, times a verifier reads), with its envelope read in place: no
/// `serde_json::Value` is built, so verification and the fold read each field once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckedEvent<'a> {
    /// The event's canonical bytes.
    pub bytes: &'a [u8],
    /// Its position field.
    pub position: u64,
    /// Its id field.
    pub id: Uuid,
    /// Its type field.
    pub event_type: &'a str,
    /// Its payload_version field.
    pub payload_version: u64,
    /// Its previous_hash field.
    pub previous_hash: Hash,
    /// Its recorded_time field, as an instant.
    pub recorded_time: jiff::Timestamp,
    /// Its recorded_time field as written.
    pub recorded_time_text: &'a str,
    /// Its business_time field as written.
    pub business_time: &'a str,
    /// Who acted.
    pub actor_person: &'a str,
    /// In which role.
    pub actor_role: &'a str,
    /// The payload's canonical JSON.
    pub payload: &'a str,
    /// Its caused_by ids.
    pub caused_by: Vec<Uuid>,
    /// Where the members a retry need not repeat stand in `bytes`: the id member, and the
    /// run from position to recorded_time (members are in sorted order).
    pub(crate) sealing_members: [(u32, u32); 2],
}

impl CheckedEvent<'_> {
    /// The content digest a retried append is compared with: the digest of the event's
    /// canonical bytes less its id, position, previous hash and recording time, which in
    /// canonical form are the same bytes with those members cut out.
    pub fn content_digest(&self) -> Hash {
        let [(id_start, id_end), (run_start, run_end)] = self.sealing_members;
        let mut content = Vec::with_capacity(self.bytes.len());
        content.extend_from_slice(&self.bytes[..id_start as usize]);
        content.extend_from_slice(&self.bytes[id_end as usize..run_start as usize]);
        content.extend_from_slice(&self.bytes[run_end as usize..]);
        content_digest(&content)
    }
}

/// Check stored bytes as a verifier does, in one pass over the bytes: canonical JSON, no
/// floats, the whole-event schema (compiled from `schemas/`), a UUIDv7 id, times a verifier
/// reads; then read the envelope fields in place. A refused event is refused with the same
/// words as before the checks were compiled: the canonical checks' own, then the schema's.
pub fn check_event(bytes: &[u8]) -> Result<CheckedEvent<'_>, EventError> {
    if bytes.len() > EVENT_BYTES_MAX {
        return Err(EventError::TooLarge {
            bytes: bytes.len(),
            max: EVENT_BYTES_MAX,
        });
    }
    check_any_size(bytes)
}

/// `check_event` without the size limit.
fn check_any_size(bytes: &[u8]) -> Result<CheckedEvent<'_>, EventError> {
    let Some(tape) = Tape::scan(bytes) else {
        return Err(not_canonical(bytes));
    };
    check_tape(&tape).map_err(EventError::Schema)?;
    // The schema closes the envelope and requires every member, so a valid event has exactly
    // these members, in this (canonical, sorted) order, each in the form its schema gives,
    // without escapes: each is read once, by its place.
    let mut members = [(0usize, 0usize); ENVELOPE.len()];
    for (slot, (key, value)) in members.iter_mut().zip(tape.members(0)) {
        *slot = (key, value);
    }
    debug_assert!(
        members
            .iter()
            .zip(ENVELOPE)
            .all(|((key, _), name)| tape.raw(*key) == name.as_bytes())
    );
    let [
        (_, actor),
        (_, business_time),
        (_, caused_by),
        (id_key, id),
        (_, payload),
        (_, payload_version),
        (position_key, position),
        (_, previous_hash),
        (_, recorded_at),
        (_, event_type),
    ] = members;
    let uuid = |text: &str| Uuid::try_parse(text).expect("schema: uuid");
    let recorded_time_text = tape.raw_str(recorded_at);
    let recorded_time = recorded_instant(recorded_time_text)?;
    let business_time = tape.raw_str(business_time);
    if business_time.starts_with("9999-") {
        // Only times in the last year of the calendar may lie beyond the last instant.
        instant(business_time, "business_time")?;
    }
    let caused_by = tape
        .items(caused_by)
        .map(|item| uuid(tape.raw_str(item)))
        .collect();
    let actor_member = |name: &[u8]| {
        let (_, value) = tape
            .members(actor)
            .find(|(key, _)| tape.raw(*key) == name)
            .expect("schema: actor");
        tape.raw_str(value)
    };
    debug_assert_eq!(tape.kind(payload), Kind::Object);
    Ok(CheckedEvent {
        bytes,
        position: tape.int(position) as u64,
        id: uuid(tape.raw_str(id)),
        event_type: tape.raw_str(event_type),
        payload_version: tape.int(payload_version) as u64,
        previous_hash: Hash::from_hex(tape.raw_str(previous_hash)).expect("schema: hash form"),
        recorded_time,
        recorded_time_text,
        business_time,
        actor_person: actor_member(b"person_id"),
        actor_role: actor_member(b"role"),
        payload: tape.json_str(payload),
        caused_by,
        // Each cut takes the comma before the member: the id follows caused_by, and position
        // follows payload_version, so neither is the first member.
        sealing_members: [
            (tape.json_span(id_key).0 - 1, tape.json_span(id).1),
            (
                tape.json_span(position_key).0 - 1,
                tape.json_span(recorded_at).1,
            ),
        ],
    })
}

/// The members of every event, in canonical order.
const ENVELOPE: [&str; 10] = [
    "actor",
    "business_time",
    "caused_by",
    "id",
    "payload",
    "payload_version",
    "position",
    "previous_hash",
    "recorded_time",
    "type",
];

/// A recording time as the schema fixes its form (`YYYY-MM-DDTHH:MM:SS.mmm±hh:mm`), read as
/// an instant by arithmetic on its digits; a time in the last year of the calendar is read
/// by jiff, which knows the last instant.
fn recorded_instant(text: &str) -> Result<jiff::Timestamp, EventError> {
    let bytes = text.as_bytes();
    let number = |range: std::ops::Range<usize>| {
        bytes[range]
            .iter()
            .fold(0i64, |value, digit| value * 10 + i64::from(digit - b'0'))
    };
    let year = number(0..4);
    if year == 9999 || bytes.len() != 29 {
        return instant(text, "recorded_time");
    }
    let days = days_from_civil(year, number(5..7), number(8..10));
    let offset =
        (number(24..26) * 3600 + number(27..29) * 60) * if bytes[23] == b'-' { -1 } else { 1 };
    let seconds =
        days * 86_400 + number(11..13) * 3600 + number(14..16) * 60 + number(17..19) - offset;
    let timestamp = jiff::Timestamp::new(seconds, (number(20..23) * 1_000_000) as i32)
        .expect("a time before the last year of the calendar is an instant");
    debug_assert_eq!(text.parse::<jiff::Timestamp>().ok(), Some(timestamp));
    Ok(timestamp)
}

/// Days from 1970-01-01 to a date of the proleptic Gregorian calendar (H. Hinnant's
/// `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// Why bytes the scanner refused are not canonical JSON with integers only, in the words of
/// the canonical checks (which parse into a `Value`: this runs only for refused events).
fn not_canonical(bytes: &[u8]) -> EventError {
    match parse_canonical(bytes) {
        Err(error) => error.into(),
        Ok(value) => match reject_floats(&value, &mut String::new()) {
            Err(error) => error,
            // The scanner accepts every canonical event without floats (a test holds it to
            // `parse_canonical`); should they ever disagree, the event is still refused.
            Ok(()) => CanonicalError::NotCanonical { offset: 0 }.into(),
        },
    }
}

/// Check stored bytes as a verifier does (`check_event`), then read the whole event into a
/// `Value` for the readers that want one (explanations, summaries, reports).
pub fn parse_event(bytes: &[u8]) -> Result<ParsedEvent, EventError> {
    let checked = check_event(bytes)?;
    let value: Value = serde_json::from_slice(bytes).expect("a checked event parses");
    Ok(ParsedEvent {
        position: checked.position,
        id: checked.id,
        event_type: checked.event_type.to_owned(),
        previous_hash: checked.previous_hash,
        recorded_time: checked.recorded_time,
        caused_by: checked.caused_by,
        value,
    })
}

/// The last instant a time field may state (the limit of `jiff::Timestamp`).
pub const INSTANT_MAX: &str = "9999-12-30T22:00:00.999999999Z";

/// A time field of a schema-valid event, read as an instant.
///
/// The schema's pattern and `date-time` format admit times beyond the last instant this reads
/// ([`INSTANT_MAX`]), such as `9999-12-31T23:59:59Z`; a verifier refuses those, so a draft is
/// checked the same way before it is appended. The schema leaves no other way for a time to
/// fail here.
fn instant(text: &str, field: &str) -> Result<jiff::Timestamp, EventError> {
    text.parse::<jiff::Timestamp>().map_err(|_| {
        EventError::Schema(format!(
            "/{field}: {text} lies after {INSTANT_MAX}, the last instant a time may state"
        ))
    })
}

fn reject_floats(value: &Value, path: &mut String) -> Result<(), EventError> {
    // Every event passes this check, and almost none fails it: look for a float first, and
    // build the JSON pointer to it only when there is one (building it for every member
    // cost a fifth of reading an event).
    if !has_float(value) {
        return Ok(());
    }
    locate_float(value, path)
}

fn has_float(value: &Value) -> bool {
    match value {
        Value::Number(number) => !number.is_i64() && !number.is_u64(),
        Value::Array(items) => items.iter().any(has_float),
        Value::Object(members) => members.values().any(has_float),
        _ => false,
    }
}

fn locate_float(value: &Value, path: &mut String) -> Result<(), EventError> {
    match value {
        Value::Number(number) if !number.is_i64() && !number.is_u64() => {
            Err(EventError::FloatNotAllowed {
                path: if path.is_empty() {
                    "/".into()
                } else {
                    path.clone()
                },
            })
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                let length = path.len();
                path.push_str(&format!("/{index}"));
                locate_float(item, path)?;
                path.truncate(length);
            }
            Ok(())
        }
        Value::Object(members) => {
            for (key, item) in members {
                let length = path.len();
                path.push('/');
                path.push_str(&key.replace('~', "~0").replace('/', "~1"));
                locate_float(item, path)?;
                path.truncate(length);
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

/// An event of `event_type` with payload version `version` around `payload`, with a valid
/// envelope: for schema examples.
#[cfg(test)]
pub(crate) fn example_event(event_type: &str, version: u32, payload: &Value) -> Value {
    EventDraft {
        id: Uuid::parse_str("01936d4a-7b2c-7d3e-8f40-123456789abc").unwrap(),
        event_type: event_type.into(),
        payload_version: u64::from(version),
        business_time: "2026-03-02T09:00:00+08:00".into(),
        actor: Actor {
            person_id: "p001".into(),
            role: "cadre".into(),
        },
        payload: payload.clone(),
        caused_by: Vec::new(),
    }
    .to_value(1, &Hash::ZERO, "2026-03-02T09:00:01.000+08:00")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry_draft() -> EventDraft {
        EventDraft {
            id: Uuid::now_v7(),
            event_type: "entry_written".into(),
            payload_version: 1,
            business_time: "2026-03-02T18:00:00+08:00".into(),
            actor: Actor {
                person_id: "p001".into(),
                role: "cadre".into(),
            },
            payload: json!({"person_id": "p001", "date": "2026-03-02", "did": "走访张村三户低保户", "learned": "核实了两户收入变化"}),
            caused_by: Vec::new(),
        }
    }

    #[test]
    fn a_sealed_draft_parses_back_with_its_fields() {
        let draft = entry_draft();
        draft.check().unwrap();
        let previous = leaf_hash(b"before");
        let sealed = draft
            .seal(7, &previous, "2026-03-02T18:00:01.250+08:00")
            .unwrap();
        let parsed = parse_event(&sealed.bytes).unwrap();
        assert_eq!(parsed.position, 7);
        assert_eq!(parsed.id, draft.id);
        assert_eq!(parsed.previous_hash, previous);
        assert_eq!(parsed.content_digest(), draft.content_digest().unwrap());
        // Read in place, without a Value: the same fields and the same content digest.
        let checked = check_event(&sealed.bytes).unwrap();
        assert_eq!(
            (checked.position, checked.id, checked.previous_hash),
            (7, draft.id, previous)
        );
        assert_eq!(checked.recorded_time, parsed.recorded_time);
        assert_eq!(checked.content_digest(), draft.content_digest().unwrap());
        assert_eq!(
            (checked.event_type, checked.actor_person, checked.actor_role),
            ("entry_written", "p001", "cadre")
        );
        assert_eq!(
            serde_json::from_str::<Value>(checked.payload).unwrap(),
            draft.payload
        );
        let mut caused = draft.clone();
        caused.caused_by = vec![Uuid::now_v7(), Uuid::now_v7()];
        let sealed = caused
            .seal(3, &previous, "2026-03-02T18:00:01.250+08:00")
            .unwrap();
        let checked = check_event(&sealed.bytes).unwrap();
        assert_eq!(checked.caused_by, caused.caused_by);
        assert_eq!(checked.content_digest(), caused.content_digest().unwrap());
        assert_eq!(
            EventDraft::from_json(&draft.to_value(0, &Hash::ZERO, "x")),
            Err("unknown field \"position\" in a draft".into())
        );
    }

    #[test]
    fn drafts_with_floats_bad_ids_or_schema_violations_are_refused() {
        let mut draft = entry_draft();
        draft.payload["did"] = json!(1.5);
        assert_eq!(
            draft.check(),
            Err(EventError::FloatNotAllowed {
                path: "/payload/did".into()
            })
        );
        let mut draft = entry_draft();
        draft.id = Uuid::parse_str("0f5b3b9e-2c1d-4e8f-9a6b-1c2d3e4f5a6b").unwrap();
        assert!(matches!(draft.check(), Err(EventError::NotUuidV7(_))));
        let mut draft = entry_draft();
        draft.payload["extra"] = json!("x");
        assert!(matches!(draft.check(), Err(EventError::Schema(_))));
        let mut draft = entry_draft();
        draft.payload["date"] = json!("2026-02-30");
        assert!(matches!(draft.check(), Err(EventError::Schema(_))));
        let mut draft = entry_draft();
        draft.business_time = "2026-03-02 18:00:00".into();
        assert!(matches!(draft.check(), Err(EventError::Schema(_))));
        let mut draft = entry_draft();
        draft.event_type = "entry_erased".into();
        assert!(matches!(draft.check(), Err(EventError::Schema(_))));
        let mut draft = entry_draft();
        draft.payload_version = 2;
        assert!(matches!(draft.check(), Err(EventError::Schema(_))));
        let mut draft = entry_draft();
        draft.actor.role = "emperor".into();
        assert!(matches!(draft.check(), Err(EventError::Schema(_))));
        let mut draft = entry_draft();
        draft.payload["did"] = json!("长".repeat(1999));
        draft.payload["learned"] = json!("长".repeat(1999));
        assert!(draft.check().is_ok());
        draft.payload["person_id"] = json!(9007199254740992u64);
        assert!(matches!(
            draft.check(),
            Err(EventError::Canonical(_)) | Err(EventError::Schema(_))
        ));
    }

    #[test]
    fn drafts_whose_time_a_verifier_cannot_read_are_refused() {
        // The schema's date-time format admits this time, but it lies beyond the last instant
        // parse_event reads (9999-12-30T22:00:00.999999999Z): appending it would store an
        // event that every later verification refuses.
        let mut draft = entry_draft();
        draft.business_time = "9999-12-31T23:59:59Z".into();
        let value = draft.to_value(1, &Hash::ZERO, "2026-03-02T18:00:01.250+08:00");
        let bytes = to_canonical(&value).unwrap();
        assert!(matches!(parse_event(&bytes), Err(EventError::Schema(_))));
        assert!(matches!(
            draft.check(),
            Err(EventError::Schema(message)) if message.starts_with("/business_time: ")
        ));
        draft.business_time = "9999-12-30T22:00:00Z".into();
        assert_eq!(draft.check(), Ok(()));
    }

    #[test]
    fn recording_times_are_read_as_jiff_reads_them() {
        for text in [
            "2026-03-02T18:00:01.250+08:00",
            "2026-03-02T18:00:01.250-08:30",
            "1970-01-01T00:00:00.000+00:00",
            "0000-01-01T00:00:00.000+23:59",
            "0000-03-01T00:00:00.001-23:59",
            "2024-02-29T23:59:59.999+05:45",
            "2100-03-01T12:00:00.000-00:00",
            "9998-12-31T23:59:59.999-23:59",
            "9999-12-30T21:00:00.000-01:00",
            "1969-12-31T23:59:59.999+00:00",
        ] {
            assert_eq!(
                recorded_instant(text).ok(),
                text.parse::<jiff::Timestamp>().ok(),
                "{text}"
            );
        }
        assert!(recorded_instant("9999-12-31T23:00:00.000+00:00").is_err());
    }

    #[test]
    fn oversized_events_are_refused() {
        let mut draft = entry_draft();
        draft.caused_by = (0..64).map(|_| Uuid::now_v7()).collect();
        draft.payload["did"] = json!("长".repeat(2000));
        draft.payload["learned"] = json!("长".repeat(2000));
        assert!(draft.check().is_ok());
        let bytes = vec![b' '; EVENT_BYTES_MAX + 1];
        assert!(matches!(
            parse_event(&bytes),
            Err(EventError::TooLarge { .. })
        ));
    }

    #[test]
    fn stored_bytes_must_be_canonical() {
        let sealed = entry_draft()
            .seal(0, &Hash::ZERO, "2026-03-02T18:00:01.250+08:00")
            .unwrap();
        let mut spaced = sealed.bytes.clone();
        spaced.insert(1, b' ');
        assert!(matches!(
            parse_event(&spaced),
            Err(EventError::Canonical(_))
        ));
    }
}
