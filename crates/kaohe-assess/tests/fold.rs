//! Every event type folds through its own function: the payload is read as the type's struct,
//! so a payload of another shape is an `ApplyError` naming the type, never a panic, and every
//! valid example payload of `schemas/examples.json` is read (what it refers to may be missing
//! from the bare ledger here, which is an `ApplyError` about the reference, not the payload).

use kaohe_assess::state::ApplyError;
use kaohe_assess::{EventType, Fact, State};
use kaohe_ledger::genesis::default_policy;
use serde_json::{Value, json};
use uuid::Uuid;

const TIME: &str = "2026-03-02T09:00:00+08:00";

/// A state holding event 0 alone.
fn created() -> State {
    let payload = json!({
        "format_version": 1,
        "organisation": "示范镇",
        "origin": "kaohe.test/fold",
        "public_key": "unused",
        "time_zone": "Asia/Shanghai",
        "policy": default_policy("2026-01-01"),
    });
    let mut state = State::default();
    state
        .apply(&fact(EventType::LedgerCreated, &payload))
        .unwrap();
    state
}

fn fact(event_type: EventType, payload: &Value) -> Fact<'_> {
    Fact {
        id: Uuid::from_u128(0x0193_6d4a_7b2c_7d3e_8f40_1234_5678_9abc),
        event_type: Ok(event_type),
        payload_version: 1,
        business_time: TIME,
        actor_person: "office",
        payload: kaohe_assess::state::Payload::Value(payload),
        caused_by: &[],
    }
}

/// Whether an error is the payload failing to read as its struct (serde's words), rather than
/// something the payload refers to.
fn is_shape_error(error: &ApplyError) -> bool {
    [
        "missing field",
        "unknown field",
        "invalid type",
        "invalid value",
        "unknown variant",
        "invalid length",
    ]
    .iter()
    .any(|start| error.message.starts_with(start))
}

#[test]
fn a_payload_of_another_shape_is_an_error_naming_its_type() {
    for event_type in EventType::ALL {
        if *event_type == EventType::LedgerCreated {
            continue;
        }
        let mut state = created();
        let error = state
            .apply(&fact(*event_type, &json!({"not": "a payload"})))
            .expect_err("a payload of another shape folds");
        assert_eq!(error.event_type, event_type.as_str());
        assert!(is_shape_error(&error), "{event_type}: {}", error.message);
    }
}

#[test]
fn every_valid_example_payload_is_read_as_its_type() {
    let examples: Value = serde_json::from_str(include_str!("../../../schemas/examples.json"))
        .expect("examples.json is JSON");
    for event_type in EventType::ALL {
        if *event_type == EventType::LedgerCreated {
            continue;
        }
        let valid = examples[event_type.as_str()]["valid"]
            .as_array()
            .unwrap_or_else(|| panic!("{event_type} has no examples"));
        for example in valid {
            let mut state = created();
            if let Err(error) = state.apply(&fact(*event_type, &example["payload"])) {
                assert!(
                    !is_shape_error(&error),
                    "{event_type}, {}: {}",
                    example["why"],
                    error.message
                );
            }
        }
    }
}
