//! Fuzz target `canonical`: bytes into the strict canonical-form check and the event parser.
//!
//! - `parse_canonical`: what it accepts re-serialises to exactly the same bytes.
//! - `to_canonical` of anything serde_json reads is itself accepted by `parse_canonical` and
//!   is a fixed point (integral doubles beyond 2^53 − 1 are the one documented exception:
//!   they are written, but read back as out-of-range integers).
//! - `parse_event`: never panics; what it accepts is canonical, and the draft read back from
//!   it seals, at the same position, link and recording time, to exactly the same bytes.
//! - `EventDraft::from_json` and `EventDraft::check` never panic; a checked draft seals into
//!   an event that `parse_event` accepts, with the same content digest.

#![no_main]

use kaohe_ledger::Hash;
use kaohe_ledger::canonical::{CanonicalError, parse_canonical, to_canonical};
use kaohe_ledger::event::{EventDraft, EventError, parse_event};
use kaohe_ledger::hash::leaf_hash;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

fuzz_target!(|data: &[u8]| {
    if let Ok(value) = parse_canonical(data) {
        assert_eq!(
            to_canonical(&value).as_deref(),
            Ok(data),
            "accepted bytes that are not their own canonical form"
        );
    }
    let read = serde_json::from_slice::<Value>(data).ok();
    if let Some(value) = &read
        && let Ok(canonical) = to_canonical(value)
    {
        match parse_canonical(&canonical) {
            Ok(again) => assert_eq!(to_canonical(&again).as_ref(), Ok(&canonical)),
            Err(CanonicalError::IntegerOutOfRange { .. }) => {}
            Err(error) => panic!(
                "the canonical form {:?} is refused: {error}",
                String::from_utf8_lossy(&canonical)
            ),
        }
    }
    if let Ok(event) = parse_event(data) {
        assert!(parse_canonical(data).is_ok());
        let _ = event.payload();
        let mut draft_value = event.value.clone();
        let object = draft_value.as_object_mut().expect("an event is an object");
        let recorded_time = object.remove("recorded_time").expect("recorded_time");
        object.remove("position");
        object.remove("previous_hash");
        let draft = EventDraft::from_json(&draft_value).expect("an event's envelope is a draft");
        assert_eq!(draft.content_digest(), Ok(event.content_digest()));
        let sealed = draft
            .seal(
                event.position,
                &event.previous_hash,
                recorded_time.as_str().expect("recorded_time is a string"),
            )
            .expect("an event's draft seals again");
        assert_eq!(
            sealed.bytes, data,
            "sealing the event's draft changed its bytes"
        );
        assert_eq!(sealed.leaf, leaf_hash(data));
        // The draft check may only refuse for size: its placeholder recording time can be
        // longer than the event's own.
        match draft.check() {
            Ok(()) | Err(EventError::TooLarge { .. }) => {}
            Err(error) => panic!("a stored event's draft is refused: {error}"),
        }
    }
    if let Some(value) = &read
        && let Ok(draft) = EventDraft::from_json(value)
    {
        let digest = draft.content_digest();
        if draft.check().is_ok() {
            let sealed = draft
                .seal(3, &Hash::ZERO, "2026-01-01T08:00:00.000+08:00")
                .expect("a checked draft seals");
            let event = parse_event(&sealed.bytes).expect("a checked draft seals to an event");
            assert_eq!(event.id, draft.id);
            assert_eq!(event.position, 3);
            assert_eq!(Ok(event.content_digest()), digest);
        }
    }
});
