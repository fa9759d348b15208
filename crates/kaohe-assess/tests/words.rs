//! The event types the rules know are the event types the schemas describe: one payload
//! schema file per type in `schemas/payloads/`, and one branch per type in the bundled
//! `schemas/event.schema.json`.

use std::collections::BTreeSet;
use std::path::Path;

use kaohe_assess::EventType;
use serde_json::Value;

fn schemas() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../../schemas"))
}

fn known() -> BTreeSet<String> {
    EventType::ALL
        .iter()
        .map(|event_type| event_type.as_str().to_owned())
        .collect()
}

#[test]
fn every_event_type_has_a_payload_schema_and_every_schema_a_type() {
    let files: BTreeSet<String> = std::fs::read_dir(schemas().join("payloads"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .map(|name| {
            name.strip_suffix(".v1.schema.json")
                .unwrap_or_else(|| panic!("{name} is not a v1 payload schema"))
                .to_owned()
        })
        .collect();
    assert_eq!(files, known());
}

#[test]
fn the_bundled_event_schema_lists_exactly_the_known_types() {
    let text = std::fs::read_to_string(schemas().join("event.schema.json")).unwrap();
    let bundle: Value = serde_json::from_str(&text).unwrap();
    let listed: Vec<String> = bundle["anyOf"]
        .as_array()
        .unwrap()
        .iter()
        .map(|branch| {
            branch["properties"]["type"]["const"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect();
    let distinct: BTreeSet<String> = listed.iter().cloned().collect();
    assert_eq!(distinct.len(), listed.len(), "a type is listed twice");
    assert_eq!(distinct, known());
}

#[test]
fn every_type_reads_back_from_its_stored_word() {
    for event_type in EventType::ALL {
        assert_eq!(event_type.as_str().parse::<EventType>(), Ok(*event_type));
        assert!(!event_type.name_zh().is_empty());
    }
    assert!("entry_deleted".parse::<EventType>().is_err());
}
