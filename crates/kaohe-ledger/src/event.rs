//! The event envelope: drafts as clients submit them, sealed events as the ledger stores them,
//! and the checks every stored event passes.

use serde_json::{Map, Value, json};
use uuid::Uuid;

use crate::canonical::{
    CanonicalError, object_to_canonical_without, parse_canonical, to_canonical,
};
use crate::hash::{Hash, content_digest, leaf_hash};
use crate::schema::validate_event;

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
        validate_event(&provisional).map_err(EventError::Schema)?;
        instant(&provisional, "business_time")?;
        let bytes = to_canonical(&provisional)?.len();
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

/// Check stored bytes as a verifier does: canonical JSON, no floats, the whole-event schema,
/// a UUIDv7 id; then read the envelope fields.
pub fn parse_event(bytes: &[u8]) -> Result<ParsedEvent, EventError> {
    if bytes.len() > EVENT_BYTES_MAX {
        return Err(EventError::TooLarge {
            bytes: bytes.len(),
            max: EVENT_BYTES_MAX,
        });
    }
    let value = parse_canonical(bytes)?;
    reject_floats(&value, &mut String::new())?;
    validate_event(&value).map_err(EventError::Schema)?;
    // The schema guarantees every field below exists with the right form.
    let id = Uuid::parse_str(value["id"].as_str().expect("schema: id")).expect("schema: uuid");
    let recorded_time = instant(&value, "recorded_time")?;
    instant(&value, "business_time")?;
    let caused_by = value["caused_by"]
        .as_array()
        .expect("schema: caused_by")
        .iter()
        .map(|id| Uuid::parse_str(id.as_str().expect("schema: id")).expect("schema: uuid"))
        .collect();
    Ok(ParsedEvent {
        position: value["position"].as_u64().expect("schema: position"),
        id,
        event_type: value["type"].as_str().expect("schema: type").to_owned(),
        previous_hash: Hash::from_hex(value["previous_hash"].as_str().expect("schema: hash"))
            .expect("schema: hash form"),
        recorded_time,
        caused_by,
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
fn instant(value: &Value, field: &str) -> Result<jiff::Timestamp, EventError> {
    let text = value[field].as_str().expect("schema: times are strings");
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
