//! Fuzz target `export`: bytes into the export verifier, read two ways.
//!
//! 1. As an export file, verified with no anchors and with the fixture key trusted: it must
//!    not panic or hang, and if it is accepted it must be an export the fixture key vouched
//!    for (the fuzzer holds no key, so anything else accepted is a forgery).
//! 2. As a script of mutations applied to a valid signed export (a bit flipped, bytes inserted
//!    or deleted, lines deleted, repeated, swapped, moved or taken from another signed export,
//!    a truncation), verified with the key trusted and, at the fuzzer's choice, a saved
//!    checkpoint: whatever is accepted must still be an export the key vouched for that
//!    extends the saved checkpoint, and a single byte changed in place inside event `i` must
//!    be refused and reported at event `i` (docs/FORMAT.md 8, "pinning the altered event").

#![no_main]

use kaohe_fuzz::{Edit, Fixture, describe, fixture, mutate, split_lines};
use kaohe_ledger::note::Checkpoint;
use kaohe_ledger::verify::{Anchors, verify_export_bytes};
use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let fixture = fixture();
    as_export(fixture, data);
    let _ = as_mutations(fixture, &mut Unstructured::new(data));
});

fn as_export(fixture: &Fixture, data: &[u8]) {
    let (_, untrusted) = verify_export_bytes(data, Anchors::default());
    let trusted = Anchors {
        trusted: Some(fixture.key.clone()),
        ..Anchors::default()
    };
    let (_, with_key) = verify_export_bytes(data, trusted);
    if let Ok(report) = &untrusted {
        // Event 0 names the key that must sign the checkpoint; only the fixture key signs.
        assert_eq!(report.verified.genesis.verifier_key, fixture.key);
        fixture.assert_vouched_export(data, None, report);
    }
    assert_eq!(untrusted.is_ok(), with_key.is_ok());
}

fn as_mutations(fixture: &Fixture, u: &mut Unstructured<'_>) -> Result<()> {
    let base = u.choose(&fixture.exports)?;
    let saved: Option<&Checkpoint> = if u.arbitrary::<bool>()? {
        Some(&u.choose(&fixture.checkpoints)?.checkpoint)
    } else {
        None
    };
    // Lines of every signed export and the cosigned notes' checkpoint lines, to splice in.
    let mut pool: Vec<Vec<u8>> = fixture
        .exports
        .iter()
        .flat_map(|export| split_lines(&export.bytes))
        .collect();
    for note in &fixture.cosigned_notes {
        let mut line = kaohe_ledger::verify::export_checkpoint_line(note);
        line.push(b'\n');
        pool.push(line);
    }
    let mut bytes = base.bytes.clone();
    let mut edits = Vec::new();
    for _ in 0..u.int_in_range(1..=4u8)? {
        edits.push(mutate(u, &mut bytes, &pool)?);
    }
    let anchors = Anchors {
        trusted: Some(fixture.key.clone()),
        saved: saved.map(|checkpoint| {
            fixture
                .checkpoints
                .iter()
                .find(|signed| signed.checkpoint == *checkpoint)
                .expect("a signed checkpoint")
                .note
                .clone()
        }),
        ..Anchors::default()
    };
    let (_, result) = verify_export_bytes(&bytes, anchors);
    match result {
        Ok(report) => fixture.assert_vouched_export(&bytes, saved, &report),
        Err(failure) => {
            // One byte changed in place inside an event line is pinned to that event.
            if let [Edit::ByteInPlace(at)] = edits[..] {
                let lines = split_lines(&base.bytes);
                let mut start = 0;
                for (index, line) in lines.iter().enumerate() {
                    if at < start + line.len() {
                        if index + 1 < lines.len() {
                            assert_eq!(
                                failure.event,
                                Some(index as u64),
                                "a byte changed at offset {at} in event {index} was reported as {}",
                                describe(&failure)
                            );
                        }
                        break;
                    }
                    start += line.len();
                }
            }
        }
    }
    Ok(())
}
