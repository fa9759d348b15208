//! Fuzz target `schema`: the schema checks compiled from `schemas/` at build time against the
//! `jsonschema` crate reading the committed `event.schema.json` with format checks on.
//!
//! The input's first byte picks an event type and whether the rest is a whole event or a
//! payload put into a valid envelope of that type; the rest is read as JSON. For every event
//! that has a canonical form and no floating-point number (those are refused before the schema
//! is read), the compiled checks must accept it exactly when the crate does.

#![no_main]

use std::sync::LazyLock;

use kaohe_ledger::Hash;
use kaohe_ledger::canonical::to_canonical;
use kaohe_ledger::event::{Actor, EventDraft, EventError, parse_event};
use kaohe_ledger::schema::{EVENT_TYPES, schema_file, validate_event};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use uuid::Uuid;

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

static ORACLE: LazyLock<jsonschema::Validator> = LazyLock::new(|| {
    jsonschema::options()
        .should_validate_formats(true)
        .with_retriever(NoRetrieval)
        .build(&schema_file("event.schema.json"))
        .expect("event.schema.json compiles")
});

fn event_around(event_type: &str, payload: Value) -> Value {
    EventDraft {
        id: Uuid::parse_str("01936d4a-7b2c-7d3e-8f40-123456789abc").unwrap(),
        event_type: event_type.into(),
        payload_version: 1,
        business_time: "2026-03-02T09:00:00+08:00".into(),
        actor: Actor {
            person_id: "p001".into(),
            role: "cadre".into(),
        },
        payload,
        caused_by: Vec::new(),
    }
    .to_value(1, &Hash::ZERO, "2026-03-02T09:00:01.000+08:00")
}

fuzz_target!(|data: &[u8]| {
    let Some((&choice, rest)) = data.split_first() else {
        return;
    };
    let Ok(value) = serde_json::from_slice::<Value>(rest) else {
        return;
    };
    let event = if choice & 0x80 != 0 {
        value
    } else {
        let (event_type, _, _) = EVENT_TYPES[usize::from(choice) % EVENT_TYPES.len()];
        event_around(event_type, value)
    };
    let Ok(bytes) = to_canonical(&event) else {
        return;
    };
    if matches!(parse_event(&bytes), Err(EventError::FloatNotAllowed { .. })) {
        return;
    }
    let compiled = validate_event(&event);
    assert_eq!(
        compiled.is_ok(),
        ORACLE.is_valid(&event),
        "{event}: compiled {compiled:?}"
    );
});
