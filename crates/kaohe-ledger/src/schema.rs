//! The JSON Schemas of `schemas/`, embedded, and the checks compiled from them at build time
//! (`build.rs`): the whole-event schema that validates every event, and the parts it is
//! bundled from. No schema is interpreted at run time: each event type's payload is checked by
//! the code written from its schema, each pattern by an automaton. The tests below hold the
//! compiled checks to the `jsonschema` crate's judgement.

use serde_json::Value;

use crate::scan::{Place, Tape};

/// The base URI of every schema's `$id`. The `.invalid` name never resolves: nothing is fetched.
pub const SCHEMA_BASE: &str = "https://kaohe.invalid/schemas/";

/// Every schema file under `schemas/`, by path, as committed.
pub const SCHEMA_FILES: &[(&str, &str)] = &[
    (
        "common.schema.json",
        include_str!("../../../schemas/common.schema.json"),
    ),
    (
        "envelope.schema.json",
        include_str!("../../../schemas/envelope.schema.json"),
    ),
    (
        "policy.schema.json",
        include_str!("../../../schemas/policy.schema.json"),
    ),
    (
        "payloads/ledger_created.v1.schema.json",
        include_str!("../../../schemas/payloads/ledger_created.v1.schema.json"),
    ),
    (
        "payloads/entry_written.v1.schema.json",
        include_str!("../../../schemas/payloads/entry_written.v1.schema.json"),
    ),
    (
        "payloads/policy_adopted.v1.schema.json",
        include_str!("../../../schemas/payloads/policy_adopted.v1.schema.json"),
    ),
    (
        "payloads/person_registered.v1.schema.json",
        include_str!("../../../schemas/payloads/person_registered.v1.schema.json"),
    ),
    (
        "payloads/role_assigned.v1.schema.json",
        include_str!("../../../schemas/payloads/role_assigned.v1.schema.json"),
    ),
    (
        "payloads/supervision_assigned.v1.schema.json",
        include_str!("../../../schemas/payloads/supervision_assigned.v1.schema.json"),
    ),
    (
        "payloads/area_assigned.v1.schema.json",
        include_str!("../../../schemas/payloads/area_assigned.v1.schema.json"),
    ),
    (
        "payloads/sheet_submitted.v1.schema.json",
        include_str!("../../../schemas/payloads/sheet_submitted.v1.schema.json"),
    ),
    (
        "payloads/sheet_read.v1.schema.json",
        include_str!("../../../schemas/payloads/sheet_read.v1.schema.json"),
    ),
    (
        "payloads/entry_amended.v1.schema.json",
        include_str!("../../../schemas/payloads/entry_amended.v1.schema.json"),
    ),
    (
        "payloads/opinion_given.v1.schema.json",
        include_str!("../../../schemas/payloads/opinion_given.v1.schema.json"),
    ),
    (
        "payloads/nomination_made.v1.schema.json",
        include_str!("../../../schemas/payloads/nomination_made.v1.schema.json"),
    ),
    (
        "payloads/decision_proposed.v1.schema.json",
        include_str!("../../../schemas/payloads/decision_proposed.v1.schema.json"),
    ),
    (
        "payloads/decision_cosigned.v1.schema.json",
        include_str!("../../../schemas/payloads/decision_cosigned.v1.schema.json"),
    ),
    (
        "payloads/decision_published.v1.schema.json",
        include_str!("../../../schemas/payloads/decision_published.v1.schema.json"),
    ),
    (
        "payloads/appeal_filed.v1.schema.json",
        include_str!("../../../schemas/payloads/appeal_filed.v1.schema.json"),
    ),
    (
        "payloads/appeal_answered.v1.schema.json",
        include_str!("../../../schemas/payloads/appeal_answered.v1.schema.json"),
    ),
    (
        "payloads/sanction_imposed.v1.schema.json",
        include_str!("../../../schemas/payloads/sanction_imposed.v1.schema.json"),
    ),
    (
        "payloads/sanction_revoked.v1.schema.json",
        include_str!("../../../schemas/payloads/sanction_revoked.v1.schema.json"),
    ),
    (
        "payloads/scores_given.v1.schema.json",
        include_str!("../../../schemas/payloads/scores_given.v1.schema.json"),
    ),
    (
        "payloads/sheet_displayed.v1.schema.json",
        include_str!("../../../schemas/payloads/sheet_displayed.v1.schema.json"),
    ),
    (
        "payloads/talk_held.v1.schema.json",
        include_str!("../../../schemas/payloads/talk_held.v1.schema.json"),
    ),
    (
        "payloads/rectification_planned.v1.schema.json",
        include_str!("../../../schemas/payloads/rectification_planned.v1.schema.json"),
    ),
    (
        "payloads/rectification_completed.v1.schema.json",
        include_str!("../../../schemas/payloads/rectification_completed.v1.schema.json"),
    ),
    (
        "payloads/token_issued.v1.schema.json",
        include_str!("../../../schemas/payloads/token_issued.v1.schema.json"),
    ),
    (
        "payloads/token_revoked.v1.schema.json",
        include_str!("../../../schemas/payloads/token_revoked.v1.schema.json"),
    ),
    (
        "payloads/calendar_recorded.v1.schema.json",
        include_str!("../../../schemas/payloads/calendar_recorded.v1.schema.json"),
    ),
    (
        "event.schema.json",
        include_str!("../../../schemas/event.schema.json"),
    ),
    (
        "payloads/unit_registered.v1.schema.json",
        include_str!("../../../schemas/payloads/unit_registered.v1.schema.json"),
    ),
    (
        "payloads/unit_leader_assigned.v1.schema.json",
        include_str!("../../../schemas/payloads/unit_leader_assigned.v1.schema.json"),
    ),
    (
        "payloads/indicator_assigned.v1.schema.json",
        include_str!("../../../schemas/payloads/indicator_assigned.v1.schema.json"),
    ),
    (
        "payloads/city_scores_recorded.v1.schema.json",
        include_str!("../../../schemas/payloads/city_scores_recorded.v1.schema.json"),
    ),
    (
        "payloads/last_place_consequence_due.v1.schema.json",
        include_str!("../../../schemas/payloads/last_place_consequence_due.v1.schema.json"),
    ),
    (
        "payloads/last_place_consequence_fulfilled.v1.schema.json",
        include_str!("../../../schemas/payloads/last_place_consequence_fulfilled.v1.schema.json"),
    ),
    (
        "payloads/village_scores_given.v1.schema.json",
        include_str!("../../../schemas/payloads/village_scores_given.v1.schema.json"),
    ),
    (
        "payloads/village_ranking_published.v1.schema.json",
        include_str!("../../../schemas/payloads/village_ranking_published.v1.schema.json"),
    ),
    (
        "payloads/village_pay_adjusted.v1.schema.json",
        include_str!("../../../schemas/payloads/village_pay_adjusted.v1.schema.json"),
    ),
    (
        "payloads/village_report_given.v1.schema.json",
        include_str!("../../../schemas/payloads/village_report_given.v1.schema.json"),
    ),
    (
        "payloads/spot_check_recorded.v1.schema.json",
        include_str!("../../../schemas/payloads/spot_check_recorded.v1.schema.json"),
    ),
    (
        "payloads/absence_justified.v1.schema.json",
        include_str!("../../../schemas/payloads/absence_justified.v1.schema.json"),
    ),
    (
        "payloads/absence_reviewed.v1.schema.json",
        include_str!("../../../schemas/payloads/absence_reviewed.v1.schema.json"),
    ),
    (
        "payloads/key_task_registered.v1.schema.json",
        include_str!("../../../schemas/payloads/key_task_registered.v1.schema.json"),
    ),
    (
        "payloads/key_task_progress_reported.v1.schema.json",
        include_str!("../../../schemas/payloads/key_task_progress_reported.v1.schema.json"),
    ),
    (
        "payloads/key_task_followed_up.v1.schema.json",
        include_str!("../../../schemas/payloads/key_task_followed_up.v1.schema.json"),
    ),
    (
        "payloads/key_tasks_reviewed.v1.schema.json",
        include_str!("../../../schemas/payloads/key_tasks_reviewed.v1.schema.json"),
    ),
    (
        "payloads/list_item_opened.v1.schema.json",
        include_str!("../../../schemas/payloads/list_item_opened.v1.schema.json"),
    ),
    (
        "payloads/list_item_analysed.v1.schema.json",
        include_str!("../../../schemas/payloads/list_item_analysed.v1.schema.json"),
    ),
    (
        "payloads/list_item_closed.v1.schema.json",
        include_str!("../../../schemas/payloads/list_item_closed.v1.schema.json"),
    ),
    (
        "payloads/list_item_verified.v1.schema.json",
        include_str!("../../../schemas/payloads/list_item_verified.v1.schema.json"),
    ),
    (
        "payloads/list_item_reopened.v1.schema.json",
        include_str!("../../../schemas/payloads/list_item_reopened.v1.schema.json"),
    ),
];

/// The event types and payload versions this build knows, each with its payload schema file.
pub const EVENT_TYPES: &[(&str, u32, &str)] = &[
    (
        "ledger_created",
        1,
        "payloads/ledger_created.v1.schema.json",
    ),
    ("entry_written", 1, "payloads/entry_written.v1.schema.json"),
    (
        "policy_adopted",
        1,
        "payloads/policy_adopted.v1.schema.json",
    ),
    (
        "person_registered",
        1,
        "payloads/person_registered.v1.schema.json",
    ),
    ("role_assigned", 1, "payloads/role_assigned.v1.schema.json"),
    (
        "supervision_assigned",
        1,
        "payloads/supervision_assigned.v1.schema.json",
    ),
    ("area_assigned", 1, "payloads/area_assigned.v1.schema.json"),
    (
        "sheet_submitted",
        1,
        "payloads/sheet_submitted.v1.schema.json",
    ),
    ("sheet_read", 1, "payloads/sheet_read.v1.schema.json"),
    ("entry_amended", 1, "payloads/entry_amended.v1.schema.json"),
    ("opinion_given", 1, "payloads/opinion_given.v1.schema.json"),
    (
        "nomination_made",
        1,
        "payloads/nomination_made.v1.schema.json",
    ),
    (
        "decision_proposed",
        1,
        "payloads/decision_proposed.v1.schema.json",
    ),
    (
        "decision_cosigned",
        1,
        "payloads/decision_cosigned.v1.schema.json",
    ),
    (
        "decision_published",
        1,
        "payloads/decision_published.v1.schema.json",
    ),
    ("appeal_filed", 1, "payloads/appeal_filed.v1.schema.json"),
    (
        "appeal_answered",
        1,
        "payloads/appeal_answered.v1.schema.json",
    ),
    (
        "sanction_imposed",
        1,
        "payloads/sanction_imposed.v1.schema.json",
    ),
    (
        "sanction_revoked",
        1,
        "payloads/sanction_revoked.v1.schema.json",
    ),
    ("scores_given", 1, "payloads/scores_given.v1.schema.json"),
    (
        "sheet_displayed",
        1,
        "payloads/sheet_displayed.v1.schema.json",
    ),
    ("talk_held", 1, "payloads/talk_held.v1.schema.json"),
    (
        "rectification_planned",
        1,
        "payloads/rectification_planned.v1.schema.json",
    ),
    (
        "rectification_completed",
        1,
        "payloads/rectification_completed.v1.schema.json",
    ),
    ("token_issued", 1, "payloads/token_issued.v1.schema.json"),
    ("token_revoked", 1, "payloads/token_revoked.v1.schema.json"),
    (
        "unit_registered",
        1,
        "payloads/unit_registered.v1.schema.json",
    ),
    (
        "unit_leader_assigned",
        1,
        "payloads/unit_leader_assigned.v1.schema.json",
    ),
    (
        "indicator_assigned",
        1,
        "payloads/indicator_assigned.v1.schema.json",
    ),
    (
        "city_scores_recorded",
        1,
        "payloads/city_scores_recorded.v1.schema.json",
    ),
    (
        "last_place_consequence_due",
        1,
        "payloads/last_place_consequence_due.v1.schema.json",
    ),
    (
        "last_place_consequence_fulfilled",
        1,
        "payloads/last_place_consequence_fulfilled.v1.schema.json",
    ),
    (
        "village_scores_given",
        1,
        "payloads/village_scores_given.v1.schema.json",
    ),
    (
        "village_ranking_published",
        1,
        "payloads/village_ranking_published.v1.schema.json",
    ),
    (
        "village_pay_adjusted",
        1,
        "payloads/village_pay_adjusted.v1.schema.json",
    ),
    (
        "village_report_given",
        1,
        "payloads/village_report_given.v1.schema.json",
    ),
    (
        "spot_check_recorded",
        1,
        "payloads/spot_check_recorded.v1.schema.json",
    ),
    (
        "absence_justified",
        1,
        "payloads/absence_justified.v1.schema.json",
    ),
    (
        "absence_reviewed",
        1,
        "payloads/absence_reviewed.v1.schema.json",
    ),
    (
        "key_task_registered",
        1,
        "payloads/key_task_registered.v1.schema.json",
    ),
    (
        "key_task_progress_reported",
        1,
        "payloads/key_task_progress_reported.v1.schema.json",
    ),
    (
        "key_task_followed_up",
        1,
        "payloads/key_task_followed_up.v1.schema.json",
    ),
    (
        "key_tasks_reviewed",
        1,
        "payloads/key_tasks_reviewed.v1.schema.json",
    ),
    (
        "list_item_opened",
        1,
        "payloads/list_item_opened.v1.schema.json",
    ),
    (
        "list_item_analysed",
        1,
        "payloads/list_item_analysed.v1.schema.json",
    ),
    (
        "list_item_closed",
        1,
        "payloads/list_item_closed.v1.schema.json",
    ),
    (
        "list_item_verified",
        1,
        "payloads/list_item_verified.v1.schema.json",
    ),
    (
        "list_item_reopened",
        1,
        "payloads/list_item_reopened.v1.schema.json",
    ),
    (
        "calendar_recorded",
        1,
        "payloads/calendar_recorded.v1.schema.json",
    ),
];

/// Parse one embedded schema file.
pub fn schema_file(path: &str) -> Value {
    let (_, contents) = SCHEMA_FILES
        .iter()
        .find(|(name, _)| *name == path)
        .unwrap_or_else(|| panic!("no embedded schema {path}"));
    serde_json::from_str(contents).expect("embedded schemas are valid JSON")
}

/// Bundle the top of `event.schema.json` with every other schema file, each whole under
/// `$defs` keyed by its path, as committed in `schemas/event.schema.json` (a test keeps the
/// two equal). Each embedded file keeps its `$id`, so references between files resolve
/// inside the one document (a JSON Schema 2020-12 compound document).
pub fn bundle_event_schema() -> Value {
    let mut top = schema_file("event.schema.json");
    let object = top.as_object_mut().expect("event.schema.json is an object");
    let mut defs = serde_json::Map::new();
    for (path, _) in SCHEMA_FILES {
        if *path != "event.schema.json" {
            defs.insert((*path).to_owned(), schema_file(path));
        }
    }
    object.insert("$defs".into(), Value::Object(defs));
    top
}

/// The checks `build.rs` writes from `schemas/`: one function per schema and definition, one
/// automaton per pattern.
mod compiled {
    use crate::scan::{
        Checker, Kind, Place, Refusal, Tape, is_valid_date, is_valid_date_time, refuse,
    };

    include!(concat!(env!("OUT_DIR"), "/compiled_schema.rs"));
}

/// Check a scanned event against `event.schema.json`: its envelope, then the payload of its
/// type and version. The error names the place and the rule, in kaohe's words (FORMAT.md 8):
/// the first fault in the order of the event's members.
pub(crate) fn check_tape(tape: &Tape<'_>) -> Result<(), String> {
    (compiled::CHECK_ENVELOPE)(tape, 0, &Place::Root).map_err(|refusal| refusal.message(""))?;
    // The envelope's schema requires both members, a string and an integer.
    let event_type = tape.member(0, b"type").expect("schema: type");
    let version = tape
        .member(0, b"payload_version")
        .expect("schema: payload_version");
    let payload = tape.member(0, b"payload").expect("schema: payload");
    let version = tape.int(version);
    match compiled::payload_checker(tape.raw(event_type), version) {
        None => Err(format!(
            "/type: no event type {:?} with payload version {version}",
            tape.raw_str(event_type)
        )),
        Some(check) => {
            check(tape, payload, &Place::Root).map_err(|refusal| refusal.message("/payload"))
        }
    }
}

/// Check a whole event against `event.schema.json`; the error names the place and the rule.
/// The event is checked in its canonical form, as it is stored: an event that has none (an
/// integer beyond ±(2^53 − 1)) or holds a floating-point number is refused as such.
pub fn validate_event(event: &Value) -> Result<(), String> {
    let bytes = crate::canonical::to_canonical(event).map_err(|error| error.to_string())?;
    let tape = Tape::scan(&bytes)
        .ok_or_else(|| "/: events hold integers only, not floating-point numbers".to_owned())?;
    check_tape(&tape)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The `jsonschema` crate's judgement of the committed schemas, and its refusals in
    /// kaohe's words as the checks made them before they were compiled: the oracle the
    /// compiled checks are held to.
    mod oracle {
        use std::sync::LazyLock;

        use serde_json::Value;

        use super::super::{EVENT_TYPES, schema_file};

        /// Refuses every retrieval: the whole-event schema embeds everything it refers to.
        struct NoRetrieval;

        impl jsonschema::Retrieve for NoRetrieval {
            fn retrieve(
                &self,
                uri: &jsonschema::Uri<String>,
            ) -> Result<Value, Box<dyn std::error::Error + Send + Sync>> {
                Err(format!("schema {} is not embedded", uri.as_str()).into())
            }
        }

        pub fn build(schema: &Value) -> jsonschema::Validator {
            jsonschema::options()
                .should_validate_formats(true)
                .with_retriever(NoRetrieval)
                .build(schema)
                .expect("the schema compiles")
        }

        /// The whole-event validator.
        pub static EVENT_VALIDATOR: LazyLock<jsonschema::Validator> =
            LazyLock::new(|| build(&schema_file("event.schema.json")));

        /// The envelope alone, and each payload schema alone.
        static PARTS: LazyLock<Vec<(&'static str, u64, jsonschema::Validator)>> =
            LazyLock::new(|| {
                let part = |reference: &str| {
                    let mut schema = schema_file("event.schema.json");
                    let object = schema.as_object_mut().unwrap();
                    object.remove("anyOf");
                    object.insert("$ref".into(), Value::String(reference.into()));
                    build(&schema)
                };
                let mut validators = vec![("", 0, part("envelope.schema.json"))];
                for (event_type, version, path) in EVENT_TYPES {
                    validators.push((*event_type, u64::from(*version), part(path)));
                }
                validators
            });

        fn explain(prefix: &str, error: &jsonschema::ValidationError<'_>) -> String {
            let place = format!("{prefix}{}", error.instance_path());
            let place = if place.is_empty() {
                "/".to_string()
            } else {
                place
            };
            let subject = match error.instance().as_ref() {
                Value::Object(_) | Value::Array(_) => String::new(),
                scalar => {
                    let mut text = scalar.to_string();
                    if let Some((cut, _)) = text.char_indices().nth(60) {
                        text.truncate(cut);
                        text.push('…');
                    }
                    text + " "
                }
            };
            let mut text = format!("{place}: {subject}{}", rule_broken(error.kind()));
            if let Some((cut, _)) = text.char_indices().nth(300) {
                text.truncate(cut);
                text.push('…');
            }
            text
        }

        fn rule_broken(kind: &jsonschema::error::ValidationErrorKind) -> String {
            use jsonschema::error::{TypeKind, ValidationErrorKind as Kind};
            let json_type = |json_type: jsonschema::JsonType| match json_type {
                jsonschema::JsonType::Null => "null",
                jsonschema::JsonType::Boolean => "true or false",
                jsonschema::JsonType::Integer => "an integer",
                jsonschema::JsonType::Number => "a number",
                jsonschema::JsonType::String => "a string",
                jsonschema::JsonType::Array => "an array",
                jsonschema::JsonType::Object => "an object",
            };
            match kind {
                Kind::Type {
                    kind: TypeKind::Single(single),
                } => format!("must be {}", json_type(*single)),
                Kind::Type {
                    kind: TypeKind::Multiple(types),
                } => format!(
                    "must be {}",
                    types.iter().map(json_type).collect::<Vec<_>>().join(" or ")
                ),
                Kind::Required { property } => format!("has no member {property}"),
                Kind::AdditionalProperties { unexpected } => {
                    format!("has members it may not have: {}", unexpected.join(", "))
                }
                Kind::Pattern { pattern } => format!("does not have the form {pattern}"),
                Kind::Format { format } => match format.as_str() {
                    "date" => "is not a day of the calendar (RFC 3339 full-date)".into(),
                    "date-time" => "is not an RFC 3339 date-time".into(),
                    other => format!("is not a {other}"),
                },
                Kind::Constant { expected_value } => format!("must be {expected_value}"),
                Kind::Enum { options } => match options.as_array() {
                    Some(options) => format!(
                        "must be one of {}",
                        options
                            .iter()
                            .map(Value::to_string)
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                    None => format!("must be one of {options}"),
                },
                Kind::Minimum { limit } => format!("must be at least {limit}"),
                Kind::Maximum { limit } => format!("must be at most {limit}"),
                Kind::MinLength { limit } => format!("must have at least {limit} characters"),
                Kind::MaxLength { limit } => format!("must have at most {limit} characters"),
                Kind::MinItems { limit } => format!("must have at least {limit} items"),
                Kind::MaxItems { limit } => format!("must have at most {limit} items"),
                Kind::UniqueItems => "holds the same item twice".into(),
                Kind::Not { .. } => "must not hold a line feed".into(),
                Kind::AnyOf { .. } | Kind::OneOfNotValid { .. } => {
                    "has none of the forms allowed here".into()
                }
                Kind::OneOfMultipleValid { .. } => {
                    "has more than one of the forms allowed here".into()
                }
                other => format!("breaks the schema's {} rule", other.keyword()),
            }
        }

        /// The oracle's verdict, and for a refusal its words and how many errors the part
        /// that refused has (the words are comparable only when it has one).
        pub fn validate(event: &Value) -> Result<(), (String, usize)> {
            if EVENT_VALIDATOR.is_valid(event) {
                return Ok(());
            }
            let parts = &*PARTS;
            if let Err(error) = parts[0].2.validate(event) {
                return Err((explain("", &error), parts[0].2.iter_errors(event).count()));
            }
            let event_type = event["type"].as_str().unwrap_or_default();
            let version = event["payload_version"].as_u64().unwrap_or_default();
            match parts[1..]
                .iter()
                .find(|(known, known_version, _)| *known == event_type && *known_version == version)
            {
                None => Err((
                    format!("/type: no event type {event_type:?} with payload version {version}"),
                    1,
                )),
                Some((_, _, validator)) => match validator.validate(&event["payload"]) {
                    Err(error) => Err((
                        explain("/payload", &error),
                        validator.iter_errors(&event["payload"]).count(),
                    )),
                    Ok(()) => Err(("/: has none of the forms allowed here".into(), 2)),
                },
            }
        }
    }

    /// Every way to alter one value of `event` that the mutation tests try: each string,
    /// number and literal replaced, each member removed, a member added, each array changed.
    fn mutations(event: &Value) -> Vec<Value> {
        fn places(value: &Value, place: String, found: &mut Vec<String>) {
            found.push(place.clone());
            match value {
                Value::Object(members) => {
                    for (name, member) in members {
                        places(member, format!("{place}/{name}"), found);
                    }
                }
                Value::Array(items) => {
                    for (index, item) in items.iter().enumerate() {
                        places(item, format!("{place}/{index}"), found);
                    }
                }
                _ => {}
            }
        }
        let mut found = Vec::new();
        places(event, String::new(), &mut found);
        let mut altered = Vec::new();
        let mut with = |place: &str, replacement: Value| {
            let mut copy = event.clone();
            *copy.pointer_mut(place).unwrap() = replacement;
            altered.push(copy);
        };
        for place in &found {
            let value = event.pointer(place).unwrap().clone();
            let mut replacements = vec![
                Value::Null,
                Value::Bool(true),
                serde_json::json!(0),
                serde_json::json!(-1),
                serde_json::json!(1),
                serde_json::json!(65536),
                serde_json::json!(9007199254740991u64),
                serde_json::json!(""),
                serde_json::json!("x"),
                serde_json::json!("p001"),
                serde_json::json!("2026-02-29"),
                serde_json::json!("2024-02-29"),
                serde_json::json!("2026-13-01"),
                serde_json::json!("2026-03"),
                serde_json::json!("2026-Q5"),
                serde_json::json!("2026-03-4"),
                serde_json::json!("2026-03-02T24:00:00+08:00"),
                serde_json::json!("2026-03-02T09:00:00.123+08:00"),
                serde_json::json!("2026-02-30T09:00:00Z"),
                serde_json::json!("0f5b3b9e-2c1d-4e8f-9a6b-1c2d3e4f5a6b"),
                serde_json::json!("01936D4A-7B2C-7D3E-8F40-123456789ABC"),
                serde_json::json!("长".repeat(2001)),
                serde_json::json!([]),
                serde_json::json!({}),
            ];
            match &value {
                Value::String(text) => {
                    replacements.push(Value::String(format!("{text}\n")));
                    replacements.push(Value::String(format!("{text}0")));
                    replacements.push(Value::String(text.chars().skip(1).collect()));
                    replacements.push(Value::String(text.to_uppercase()));
                    replacements.push(Value::String(format!("\"{text}")));
                }
                Value::Number(number) if number.is_i64() => {
                    let number = number.as_i64().unwrap();
                    replacements.push(serde_json::json!(number + 1));
                    replacements.push(serde_json::json!(number - 1));
                    replacements.push(Value::String(number.to_string()));
                }
                Value::Object(members) => {
                    for name in members.keys() {
                        let mut less = value.clone();
                        less.as_object_mut().unwrap().remove(name);
                        replacements.push(less);
                    }
                    let mut more = value.clone();
                    more.as_object_mut()
                        .unwrap()
                        .insert("extra".into(), serde_json::json!(1));
                    replacements.push(more);
                }
                Value::Array(items) => {
                    let mut twice = items.clone();
                    if let Some(first) = items.first() {
                        twice.push(first.clone());
                    }
                    replacements.push(Value::Array(twice));
                    let mut more = items.clone();
                    more.push(serde_json::json!("x"));
                    replacements.push(Value::Array(more));
                }
                _ => {}
            }
            for replacement in replacements {
                with(place, replacement);
            }
        }
        altered
    }

    /// The compiled checks accept and refuse exactly what the `jsonschema` crate does, on
    /// every example of `schemas/examples.json` and on every single mutation of each; where
    /// the crate finds one fault, they say it in the same words.
    #[test]
    fn compiled_checks_judge_as_the_schema_crate_does() {
        let examples: Value =
            serde_json::from_str(include_str!("../../../schemas/examples.json")).unwrap();
        let (mut judged, mut worded) = (0, 0);
        for (event_type, version, _) in EVENT_TYPES {
            for kind in ["valid", "invalid"] {
                for example in examples[examples_key(event_type, *version)][kind]
                    .as_array()
                    .unwrap()
                {
                    let event =
                        crate::event::example_event(event_type, *version, &example["payload"]);
                    for altered in std::iter::once(event.clone()).chain(mutations(&event)) {
                        // An event without a canonical form, or with a floating-point number, is
                        // refused before its schema is read.
                        let bytes = crate::canonical::to_canonical(&altered);
                        if bytes.is_err()
                            || crate::event::parse_event(&bytes.unwrap()).is_err_and(|error| {
                                matches!(error, crate::event::EventError::FloatNotAllowed { .. })
                            })
                        {
                            continue;
                        }
                        let compiled = validate_event(&altered);
                        let expected = oracle::validate(&altered);
                        assert_eq!(
                            compiled.is_ok(),
                            expected.is_ok(),
                            "{altered}: compiled {compiled:?}, jsonschema {expected:?}"
                        );
                        judged += 1;
                        if let (Err(message), Err((words, 1))) = (&compiled, &expected) {
                            assert_eq!(message, words, "{altered}");
                            worded += 1;
                        }
                    }
                }
            }
        }
        assert!(judged > 20_000 && worded > 5_000, "{judged} {worded}");
    }

    #[test]
    fn committed_event_schema_is_the_bundle_of_its_parts() {
        let bundled = bundle_event_schema();
        let committed = schema_file("event.schema.json");
        if bundled != committed && std::env::var_os("KAOHE_UPDATE_SCHEMAS").is_some() {
            let path = concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../../schemas/event.schema.json"
            );
            let text = serde_json::to_string_pretty(&bundled).unwrap() + "\n";
            std::fs::write(path, text).unwrap();
            return;
        }
        assert_eq!(
            bundled, committed,
            "schemas/event.schema.json is stale: run KAOHE_UPDATE_SCHEMAS=1 cargo test -p kaohe-ledger"
        );
    }

    #[test]
    fn every_event_type_has_a_payload_schema_and_a_branch_in_the_event_schema() {
        let top = schema_file("event.schema.json");
        let branches = top["anyOf"].as_array().unwrap();
        assert_eq!(branches.len(), EVENT_TYPES.len());
        for (event_type, version, path) in EVENT_TYPES {
            schema_file(path);
            assert!(branches.iter().any(|branch| {
                branch["properties"]["type"]["const"] == *event_type
                    && branch["properties"]["payload_version"]["const"] == *version
                    && branch["properties"]["payload"]["$ref"] == *path
            }));
        }
    }

    #[test]
    fn refusals_are_in_kaohes_words() {
        let event = crate::event::example_event(
            "entry_written",
            1,
            &serde_json::json!({"person_id": "p001", "date": "2026-03-02", "did": "值班", "learned": ""}),
        );
        let refusal = |change: &dyn Fn(&mut Value)| {
            let mut altered = event.clone();
            change(&mut altered);
            validate_event(&altered).unwrap_err()
        };
        type Case<'a> = (&'a dyn Fn(&mut Value), &'a str);
        let cases: [Case; 12] = [
            (
                &|e| e["payload"]["date"] = "2026-02-30".into(),
                "/payload/date: \"2026-02-30\" is not a day of the calendar (RFC 3339 full-date)",
            ),
            (
                &|e| e["payload"]["person_id"] = "p001\n".into(),
                "/payload/person_id: \"p001\\n\" does not have the form ^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$",
            ),
            (
                &|e| e["previous_hash"] = "ABC".into(),
                "/previous_hash: \"ABC\" does not have the form ^[0-9a-f]{64}$",
            ),
            (
                &|e| {
                    e["payload"].as_object_mut().unwrap().remove("learned");
                },
                "/payload: has no member \"learned\"",
            ),
            (
                &|e| e["payload"]["extra"] = 1.into(),
                "/payload: has members it may not have: extra",
            ),
            (
                &|e| e["extra"] = 1.into(),
                "/: has members it may not have: extra",
            ),
            (
                &|e| e["position"] = "1".into(),
                "/position: \"1\" must be an integer",
            ),
            (
                &|e| e["actor"]["role"] = "emperor".into(),
                "/actor/role: \"emperor\" must be one of \"cadre\", \"area_chief\", \"supervising_leader\", \"party_secretary\", \"mayor\", \"party_committee\", \"office\", \"discipline_inspector\", \"system\", \"unit_leader\"",
            ),
            (
                &|e| e["payload_version"] = 0.into(),
                "/payload_version: 0 must be at least 1",
            ),
            (
                &|e| e["payload"]["did"] = "长".repeat(2001).into(),
                "/payload/did: ",
            ),
            (
                &|e| {
                    let id = e["id"].clone();
                    e["caused_by"] = serde_json::json!([id, id]);
                },
                "/caused_by: holds the same item twice",
            ),
            (
                &|e| e["type"] = "entry_erased".into(),
                "/type: no event type \"entry_erased\" with payload version 1",
            ),
        ];
        for (change, expected) in cases {
            let message = refusal(change);
            if expected.ends_with(": ") {
                assert!(message.starts_with(expected), "{message}");
                assert!(
                    message.ends_with("长… must have at most 2000 characters"),
                    "{message}"
                );
            } else {
                assert_eq!(message, expected);
            }
        }
    }

    #[test]
    fn refusals_name_the_place_and_the_rule() {
        let event = crate::event::example_event(
            "entry_written",
            1,
            &serde_json::json!({"person_id": "p001", "date": "2026-02-30", "did": "值班", "learned": ""}),
        );
        let message = validate_event(&event).unwrap_err();
        assert!(message.starts_with("/payload/date: "), "{message}");
        let mut unknown = event.clone();
        unknown["type"] = "entry_erased".into();
        let message = validate_event(&unknown).unwrap_err();
        assert!(message.starts_with("/type: no event type"), "{message}");
        let mut envelope = event.clone();
        envelope["previous_hash"] = "ABC".into();
        let message = validate_event(&envelope).unwrap_err();
        assert!(message.starts_with("/previous_hash: "), "{message}");
        let mut long = event;
        long["payload"]["did"] = serde_json::json!("长".repeat(3000));
        assert!(validate_event(&long).unwrap_err().chars().count() <= 301);
    }

    /// Every object of `schema` that has a `pattern`, with where it is.
    fn patterned<'a>(schema: &'a Value, place: String, found: &mut Vec<(String, &'a Value)>) {
        match schema {
            Value::Object(members) => {
                if members.contains_key("pattern") {
                    found.push((place.clone(), schema));
                }
                for (name, member) in members {
                    patterned(member, format!("{place}/{name}"), found);
                }
            }
            Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    patterned(item, format!("{place}/{index}"), found);
                }
            }
            _ => {}
        }
    }

    #[test]
    fn every_pattern_is_anchored_and_refuses_a_line_feed_besides() {
        let newline = serde_json::json!({"pattern": "\\n"});
        for (path, _) in SCHEMA_FILES {
            let schema = schema_file(path);
            let mut found = Vec::new();
            patterned(&schema, (*path).to_owned(), &mut found);
            for (place, object) in found {
                if *object == newline {
                    continue;
                }
                let pattern = object["pattern"].as_str().unwrap();
                assert!(
                    pattern.starts_with('^') && pattern.ends_with('$'),
                    "{place}: {pattern}"
                );
                assert_eq!(object["not"], newline, "{place}: no line feed refusal");
            }
        }
    }

    /// The committed event schema as an engine reads it whose `$` also matches before a final
    /// line feed (Python's `re`, PCRE, Perl): every pattern's closing `$` made `\n?$`.
    fn as_a_lax_engine_reads_it(schema: &mut Value) {
        match schema {
            Value::Object(members) => {
                if let Some(Value::String(pattern)) = members.get_mut("pattern")
                    && let Some(body) = pattern.strip_suffix('$')
                {
                    *pattern = format!("{body}\\n?$");
                }
                members.values_mut().for_each(as_a_lax_engine_reads_it);
            }
            Value::Array(items) => items.iter_mut().for_each(as_a_lax_engine_reads_it),
            _ => {}
        }
    }

    /// Every string in `value`, as a JSON pointer.
    fn strings(value: &Value, place: String, found: &mut Vec<String>) {
        match value {
            Value::String(_) => found.push(place),
            Value::Object(members) => {
                for (name, member) in members {
                    strings(member, format!("{place}/{name}"), found);
                }
            }
            Value::Array(items) => {
                for (index, item) in items.iter().enumerate() {
                    strings(item, format!("{place}/{index}"), found);
                }
            }
            _ => {}
        }
    }

    #[test]
    fn an_engine_whose_dollar_admits_a_final_line_feed_judges_alike() {
        let mut lax = schema_file("event.schema.json");
        as_a_lax_engine_reads_it(&mut lax);
        let lax = oracle::build(&lax);
        let examples: Value =
            serde_json::from_str(include_str!("../../../schemas/examples.json")).unwrap();
        let mut refused = 0;
        for (event_type, version, _) in EVENT_TYPES {
            let valid = &examples[examples_key(event_type, *version)]["valid"][0]["payload"];
            let event = crate::event::example_event(event_type, *version, valid);
            let mut places = Vec::new();
            strings(&event, String::new(), &mut places);
            for place in places {
                let mut altered = event.clone();
                let text = altered.pointer_mut(&place).unwrap();
                *text = Value::String(format!("{}\n", text.as_str().unwrap()));
                let strict = oracle::EVENT_VALIDATOR.is_valid(&altered);
                assert_eq!(lax.is_valid(&altered), strict, "{event_type} {place}");
                assert_eq!(
                    validate_event(&altered).is_ok(),
                    strict,
                    "{event_type} {place}"
                );
                refused += usize::from(!strict);
            }
        }
        // The patterned members (ids, times, hashes, periods, ...) were all tried.
        assert!(refused > 100, "{refused}");
    }

    /// The group of `schemas/examples.json` of a type's payload version: the type's name for
    /// version 1, `type.vN` for a later version.
    fn examples_key(event_type: &str, version: u32) -> String {
        if version == 1 {
            event_type.to_owned()
        } else {
            format!("{event_type}.v{version}")
        }
    }

    #[test]
    fn schema_examples_are_judged_as_labelled() {
        let examples: Value =
            serde_json::from_str(include_str!("../../../schemas/examples.json")).unwrap();
        let mut count = 0;
        for (event_type, version, _) in EVENT_TYPES {
            let group = &examples[examples_key(event_type, *version)];
            let valid = group["valid"].as_array().unwrap();
            let invalid = group["invalid"].as_array().unwrap();
            assert!(
                valid.len() >= 3 && invalid.len() >= 3,
                "{event_type} needs 3 + 3 examples"
            );
            for example in valid {
                let event = crate::event::example_event(event_type, *version, &example["payload"]);
                assert_eq!(validate_event(&event), Ok(()), "{}", example["why"]);
                count += 1;
            }
            for example in invalid {
                let event = crate::event::example_event(event_type, *version, &example["payload"]);
                assert!(
                    validate_event(&event).is_err(),
                    "accepted: {}",
                    example["why"]
                );
                count += 1;
            }
        }
        assert!(count >= 12);
    }
}
