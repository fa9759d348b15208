//! The event types the rules know are the event types the schemas describe: one payload
//! schema file per type and payload version in `schemas/payloads/` (versions 1 to the one the
//! rules write now), one branch per type and version in the bundled `schemas/event.schema.json`,
//! one entry per type and version in the ledger crate's `EVENT_TYPES` (with its schema file
//! embedded in `SCHEMA_FILES`), one group of examples per type and version in
//! `schemas/examples.json` (named `type` for version 1, `type.vN` after), and one row per type
//! and version in the event types of `docs/FORMAT.md`.

use std::collections::BTreeSet;
use std::path::Path;

use kaohe_assess::EventType;
use kaohe_ledger::schema::{EVENT_TYPES, SCHEMA_FILES};
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

/// Every (type, payload version) the rules read: versions 1 to the one they write.
fn versions() -> BTreeSet<(String, u64)> {
    EventType::ALL
        .iter()
        .flat_map(|event_type| {
            (1..=event_type.payload_version())
                .map(|version| (event_type.as_str().to_owned(), version))
        })
        .collect()
}

#[test]
fn every_event_type_has_a_payload_schema_and_every_schema_a_type() {
    let files: BTreeSet<(String, u64)> = std::fs::read_dir(schemas().join("payloads"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().into_string().unwrap())
        .map(|name| {
            let (event_type, version) = name
                .strip_suffix(".schema.json")
                .and_then(|stem| stem.rsplit_once(".v"))
                .unwrap_or_else(|| panic!("{name} is not a payload schema's name"));
            (event_type.to_owned(), version.parse().unwrap())
        })
        .collect();
    assert_eq!(files, versions());
}

#[test]
fn the_bundled_event_schema_lists_exactly_the_known_types() {
    let text = std::fs::read_to_string(schemas().join("event.schema.json")).unwrap();
    let bundle: Value = serde_json::from_str(&text).unwrap();
    let listed: Vec<(String, u64)> = bundle["anyOf"]
        .as_array()
        .unwrap()
        .iter()
        .map(|branch| {
            let properties = &branch["properties"];
            (
                properties["type"]["const"].as_str().unwrap().to_owned(),
                properties["payload_version"]["const"].as_u64().unwrap(),
            )
        })
        .collect();
    let distinct: BTreeSet<(String, u64)> = listed.iter().cloned().collect();
    assert_eq!(distinct.len(), listed.len(), "a type is listed twice");
    assert_eq!(distinct, versions());
}

#[test]
fn the_ledger_crate_knows_exactly_the_types_the_rules_know() {
    let listed: Vec<(String, u64)> = EVENT_TYPES
        .iter()
        .map(|(event_type, version, _)| ((*event_type).to_owned(), u64::from(*version)))
        .collect();
    let distinct: BTreeSet<(String, u64)> = listed.iter().cloned().collect();
    assert_eq!(distinct.len(), listed.len(), "a type is listed twice");
    assert_eq!(distinct, versions());
    let embedded: BTreeSet<&str> = SCHEMA_FILES.iter().map(|(path, _)| *path).collect();
    for (event_type, version, path) in EVENT_TYPES {
        assert_eq!(
            *path,
            format!("payloads/{event_type}.v{version}.schema.json")
        );
        assert!(embedded.contains(path), "{path} is not embedded");
    }
    // Every schema file is embedded, and nothing else is.
    let mut on_disk: BTreeSet<String> = ["common", "envelope", "policy", "event"]
        .iter()
        .map(|name| format!("{name}.schema.json"))
        .collect();
    for entry in std::fs::read_dir(schemas().join("payloads")).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        on_disk.insert(format!("payloads/{name}"));
    }
    let embedded: BTreeSet<String> = embedded.into_iter().map(str::to_owned).collect();
    assert_eq!(embedded, on_disk);
}

#[test]
fn the_examples_and_the_format_name_exactly_the_known_types() {
    let text = std::fs::read_to_string(schemas().join("examples.json")).unwrap();
    let examples: Value = serde_json::from_str(&text).unwrap();
    let grouped: BTreeSet<String> = examples.as_object().unwrap().keys().cloned().collect();
    let groups: BTreeSet<String> = versions()
        .into_iter()
        .map(|(event_type, version)| match version {
            1 => event_type,
            _ => format!("{event_type}.v{version}"),
        })
        .collect();
    assert_eq!(grouped, groups, "schemas/examples.json");
    // The rows of FORMAT.md's table of event types: `| `type` | version | payload |`.
    let format =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/FORMAT.md"))
            .unwrap();
    let table = format
        .split("| type | payload version | payload |")
        .nth(1)
        .expect("FORMAT.md has the table of event types");
    let rows: Vec<(String, u64)> = table
        .lines()
        .skip(2)
        .take_while(|line| line.starts_with('|'))
        .map(|line| {
            let cells: Vec<&str> = line.split('|').collect();
            (
                cells[1].trim().trim_matches('`').to_owned(),
                cells[2].trim().parse().unwrap(),
            )
        })
        .collect();
    let distinct: BTreeSet<(String, u64)> = rows.iter().cloned().collect();
    assert_eq!(distinct.len(), rows.len(), "FORMAT.md lists a type twice");
    assert_eq!(distinct, versions(), "docs/FORMAT.md");
    assert!(
        versions()
            .iter()
            .all(|(event_type, _)| known().contains(event_type))
    );
}

#[test]
fn every_type_reads_back_from_its_stored_word() {
    for event_type in EventType::ALL {
        assert_eq!(event_type.as_str().parse::<EventType>(), Ok(*event_type));
        assert!(!event_type.name_zh().is_empty());
    }
    assert!("entry_deleted".parse::<EventType>().is_err());
}
