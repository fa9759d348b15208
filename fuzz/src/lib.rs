//! Fixtures shared by the fuzz targets: a small real ledger and a fork of it under one fixed
//! signing key, every checkpoint signed for them, the exports and proof bundles they give, and
//! the mutations the structured targets apply to them.
//!
//! The key is the only one that signs anything here, and a fuzzer holds no key. So whatever a
//! verifier accepts under that key must be one of the statements signed below; anything else
//! it accepts is a forgery. The targets assert exactly that.

use std::sync::LazyLock;

use kaohe_ledger::Hash;
use kaohe_ledger::bundle::ProofBundle;
use kaohe_ledger::event::{Actor, EventDraft};
use kaohe_ledger::merkle::{self, MemoryTree};
use kaohe_ledger::note::{Checkpoint, SignerKey, VerifierKey};
use kaohe_ledger::verify::{Failure, Report, export_checkpoint_line, parse_export_checkpoint_line};
use kaohe_testkit::Genesis;
use libfuzzer_sys::arbitrary::{Result, Unstructured};
use serde_json::json;
use uuid::Uuid;

/// The ledger's origin, which is also its key's name.
pub const ORIGIN: &str = "kaohe.fuzz/ledger";
/// A second key that cosigns some notes; verifiers must ignore its signature lines.
pub const WITNESS: &str = "kaohe.fuzz/witness";
/// How many events the two ledgers share before they fork.
pub const FORK_AT: u64 = 2;

/// One ledger: its events' canonical bytes, their leaf hashes and the tree over them.
pub struct Ledger {
    /// Each event's canonical bytes, position by position.
    pub events: Vec<Vec<u8>>,
    /// Each event's leaf hash.
    pub leaves: Vec<Hash>,
    /// The perfect-subtree nodes over the leaf hashes.
    pub tree: MemoryTree,
}

impl Ledger {
    /// The number of events.
    pub fn size(&self) -> u64 {
        self.events.len() as u64
    }

    /// The Merkle root of the first `size` events (`size` at most the ledger's size).
    pub fn root_at(&self, size: u64) -> Hash {
        assert!(size <= self.size());
        let Ok(root) = merkle::root(&self.tree, size);
        root
    }
}

/// A checkpoint signed by the ledger's key, with the ledger it was signed for.
pub struct SignedCheckpoint {
    /// Which of [`Fixture::ledgers`] it belongs to (the first one, for the shared prefix).
    pub ledger: usize,
    /// The checkpoint.
    pub checkpoint: Checkpoint,
    /// The signed note, as the ledger's key alone signs it.
    pub note: String,
}

/// An export the key vouches for: the first `size` events of a ledger and its checkpoint line.
pub struct SignedExport {
    /// Which of [`Fixture::ledgers`] it was cut from.
    pub ledger: usize,
    /// Which of [`Fixture::checkpoints`] closes it.
    pub checkpoint: usize,
    /// The whole export file.
    pub bytes: Vec<u8>,
}

/// Everything the targets share, built once per process.
pub struct Fixture {
    /// The ledger's signing key (fixed seed).
    pub signer: SignerKey,
    /// Its verifier key, named after the origin.
    pub key: VerifierKey,
    /// A second key that cosigns some notes.
    pub witness: SignerKey,
    /// Ledger A, and ledger B that shares A's first [`FORK_AT`] events and then differs.
    pub ledgers: Vec<Ledger>,
    /// Every checkpoint the key ever signed here.
    pub checkpoints: Vec<SignedCheckpoint>,
    /// One export per signed checkpoint.
    pub exports: Vec<SignedExport>,
    /// Notes with more than one signature line: the witness's line after the key's, or before.
    pub cosigned_notes: Vec<String>,
}

/// The shared fixture, built on first use.
pub fn fixture() -> &'static Fixture {
    static FIXTURE: LazyLock<Fixture> = LazyLock::new(Fixture::build);
    &FIXTURE
}

fn fixed_id(n: u8) -> Uuid {
    Uuid::parse_str(&format!("01936d4a-7b2c-7d3e-8f40-0000000000{n:02x}")).expect("a fixed UUIDv7")
}

fn draft(n: u8, event_type: &str, actor: (&str, &str), payload: serde_json::Value) -> EventDraft {
    EventDraft {
        id: fixed_id(n),
        event_type: event_type.into(),
        payload_version: 1,
        business_time: format!("2026-01-{:02}T09:00:00+08:00", 1 + n % 28),
        actor: Actor {
            person_id: actor.0.into(),
            role: actor.1.into(),
        },
        payload,
        caused_by: Vec::new(),
    }
}

fn seal_all(drafts: &[EventDraft]) -> Ledger {
    for draft in drafts {
        draft.check().expect("fixture drafts are valid");
    }
    let sealed = kaohe_testkit::seal_all(drafts, |position| {
        format!("2026-01-01T08:00:{position:02}.000+08:00")
    });
    let leaves: Vec<Hash> = sealed.iter().map(|sealed| sealed.leaf).collect();
    let mut tree = MemoryTree::new();
    for leaf in &leaves {
        tree.push(*leaf);
    }
    Ledger {
        events: sealed.into_iter().map(|sealed| sealed.bytes).collect(),
        leaves,
        tree,
    }
}

impl Fixture {
    fn build() -> Fixture {
        let signer = SignerKey::from_seed(ORIGIN, [0x5e; 32]).expect("fixture key");
        let key = signer.verifier();
        let witness = SignerKey::from_seed(WITNESS, [0x3c; 32]).expect("witness key");

        // A fixed id for event 0 keeps every run, and every crash input, reproducible.
        let genesis = Genesis {
            id: fixed_id(0),
            key: key.clone(),
            person_id: "o001",
            ..Genesis::default()
        }
        .draft();
        let office = ("o001", "office");
        let cadre = ("p001", "cadre");
        let registered = draft(
            1,
            "person_registered",
            office,
            json!({"person_id": "p001", "name": "张三"}),
        );
        let mut a = vec![genesis.clone(), registered.clone()];
        a.push(draft(
            2,
            "role_assigned",
            office,
            json!({"person_id": "p001", "role": "cadre", "from": "2026-01-01", "until": null}),
        ));
        a.push(draft(
            3,
            "entry_written",
            cadre,
            json!({"person_id": "p001", "date": "2026-01-03", "did": "走访张村三户低保户", "learned": "核实了两户收入变化"}),
        ));
        let mut amended = draft(
            4,
            "entry_amended",
            cadre,
            json!({"entry_id": fixed_id(3).to_string(), "did": "走访李村三户低保户", "learned": "核实了两户收入变化", "reason": "村名写错"}),
        );
        amended.caused_by = vec![fixed_id(3)];
        a.push(amended);

        let mut b = vec![genesis, registered];
        b.push(draft(
            0x12,
            "person_registered",
            office,
            json!({"person_id": "p002", "name": "李四"}),
        ));
        b.push(draft(
            0x13,
            "entry_written",
            cadre,
            json!({"person_id": "p001", "date": "2026-01-04", "did": "参加镇里例会", "learned": ""}),
        ));
        let ledgers = vec![seal_all(&a), seal_all(&b)];
        assert_eq!(
            ledgers[0].root_at(FORK_AT),
            ledgers[1].root_at(FORK_AT),
            "the ledgers share their first events"
        );

        let mut checkpoints = Vec::new();
        for (ledger, size) in [(0, 1), (0, 2), (0, 3), (0, 5), (1, 4)] {
            let checkpoint = Checkpoint {
                origin: ORIGIN.into(),
                size,
                root: ledgers[ledger].root_at(size),
            };
            let note = checkpoint.sign(&signer).expect("fixture checkpoint signs");
            checkpoints.push(SignedCheckpoint {
                ledger,
                checkpoint,
                note,
            });
        }
        let exports = checkpoints
            .iter()
            .enumerate()
            .map(|(index, signed)| {
                let mut bytes = Vec::new();
                for event in &ledgers[signed.ledger].events[..signed.checkpoint.size as usize] {
                    bytes.extend_from_slice(event);
                    bytes.push(b'\n');
                }
                bytes.extend(export_checkpoint_line(&signed.note));
                bytes.push(b'\n');
                SignedExport {
                    ledger: signed.ledger,
                    checkpoint: index,
                    bytes,
                }
            })
            .collect();

        // The same checkpoint with the witness's signature line after, and before, the key's.
        let full = &checkpoints[3];
        let witness_note = full
            .checkpoint
            .sign(&witness)
            .expect("witness signs the checkpoint");
        let witness_line = witness_note
            .rsplit_once("\n\n")
            .map(|(_, line)| line)
            .expect("a signed note has a signature line");
        let (body, own_line) = full.note.rsplit_once("\n\n").expect("a signed note");
        let cosigned_notes = vec![
            format!("{body}\n\n{own_line}{witness_line}"),
            format!("{body}\n\n{witness_line}{own_line}"),
        ];

        Fixture {
            signer,
            key,
            witness,
            ledgers,
            checkpoints,
            exports,
            cosigned_notes,
        }
    }

    /// Whether the key signed exactly this checkpoint.
    pub fn is_signed(&self, checkpoint: &Checkpoint) -> bool {
        self.checkpoints
            .iter()
            .any(|signed| signed.checkpoint == *checkpoint)
    }

    /// Whether `checkpoint` states a true prefix of ledger `ledger`.
    pub fn states_prefix_of(&self, ledger: usize, checkpoint: &Checkpoint) -> bool {
        let ledger = &self.ledgers[ledger];
        checkpoint.origin == ORIGIN
            && checkpoint.size <= ledger.size()
            && ledger.root_at(checkpoint.size) == checkpoint.root
    }

    /// Asserts that an export a verifier accepted under the fixture key is one the key vouches
    /// for: its event lines are exactly those of a signed export, its last line opens to that
    /// export's checkpoint, and it extends the saved checkpoint, if one was given.
    ///
    /// The checkpoint line is compared by what it opens to, not byte for byte: signature lines
    /// by other keys may be added to a signed note, and verifiers must ignore them (C2SP
    /// signed-note; docs/FORMAT.md 5.2). The events and the signed body cannot change.
    pub fn assert_vouched_export(&self, bytes: &[u8], saved: Option<&Checkpoint>, report: &Report) {
        let lines: Vec<&[u8]> = bytes.split(|byte| *byte == b'\n').collect();
        let (Some((last, rest)), true) = (lines.split_last(), bytes.ends_with(b"\n")) else {
            panic!("accepted an export that does not end with a newline");
        };
        assert!(last.is_empty());
        let (checkpoint_line, events) = rest.split_last().expect("accepted an empty export");
        let note = parse_export_checkpoint_line(checkpoint_line)
            .expect("accepted an export whose last line is not a checkpoint line");
        let opened = Checkpoint::open(&note, &self.key)
            .expect("accepted an export whose checkpoint does not open with the key");
        let vouched = self.exports.iter().any(|export| {
            let signed = &self.checkpoints[export.checkpoint];
            let ledger = &self.ledgers[export.ledger];
            signed.checkpoint == opened
                && events.len() as u64 == signed.checkpoint.size
                && events
                    .iter()
                    .zip(&ledger.events)
                    .all(|(line, event)| line == event)
                && saved.is_none_or(|saved| {
                    saved.size <= signed.checkpoint.size
                        && self.states_prefix_of(export.ledger, saved)
                })
        });
        assert!(
            vouched,
            "accepted forgery: an export the key never vouched for (saved checkpoint {saved:?}):\n{}",
            String::from_utf8_lossy(bytes)
        );
        assert_eq!(report.verified.size, opened.size);
        assert_eq!(report.verified.root, opened.root);
        assert_eq!(report.own.as_ref(), Some(&opened));
    }

    /// Every inclusion bundle the fixture can prove: each event of each signed export.
    pub fn inclusion_bundles(&self) -> Vec<ProofBundle> {
        let mut bundles = Vec::new();
        for signed in &self.checkpoints {
            let ledger = &self.ledgers[signed.ledger];
            let size = signed.checkpoint.size;
            for position in 0..size {
                let path = merkle::inclusion_proof(&ledger.tree, position, size)
                    .expect("the position is in the tree");
                bundles.push(ProofBundle::Inclusion {
                    position,
                    size,
                    event: String::from_utf8(ledger.events[position as usize].clone())
                        .expect("events are UTF-8"),
                    path: path.iter().map(Hash::to_hex).collect(),
                    checkpoint: signed.note.clone(),
                });
            }
        }
        bundles
    }

    /// Every consistency bundle between two checkpoints of the same ledger.
    pub fn consistency_bundles(&self) -> Vec<ProofBundle> {
        let mut bundles = Vec::new();
        for to in &self.checkpoints {
            let ledger = &self.ledgers[to.ledger];
            for from in &self.checkpoints {
                if from.checkpoint.size > to.checkpoint.size
                    || !self.states_prefix_of(to.ledger, &from.checkpoint)
                {
                    continue;
                }
                let path = merkle::consistency_proof(
                    &ledger.tree,
                    from.checkpoint.size,
                    to.checkpoint.size,
                )
                .expect("the sizes are in the tree");
                bundles.push(ProofBundle::Consistency {
                    from_size: from.checkpoint.size,
                    to_size: to.checkpoint.size,
                    path: path.iter().map(Hash::to_hex).collect(),
                    from_checkpoint: from.note.clone(),
                    to_checkpoint: to.note.clone(),
                });
            }
        }
        bundles
    }
}

/// The failure a verifier gave, for messages.
pub fn describe(failure: &Failure) -> String {
    format!(
        "{:?} at {:?}: {}",
        failure.check, failure.event, failure.message
    )
}

/// A text split into lines, each keeping its `\n` (the last may have none).
pub fn split_lines(bytes: &[u8]) -> Vec<Vec<u8>> {
    bytes
        .split_inclusive(|byte| *byte == b'\n')
        .map(<[u8]>::to_vec)
        .collect()
}

/// Bytes a mutation likes to write: the separators and escapes of the formats under test.
const INTERESTING_BYTES: &[u8] = b"\n\"\\ +-=/0129aAfz{}[]:,.\x00\x7f\xe2\x80\x94\xff";

/// What one mutation did, so a target can tell a single in-place byte change from the rest.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Edit {
    /// One byte at this offset was replaced by another; no line ended or began.
    ByteInPlace(usize),
    /// Anything else.
    Other,
}

/// Apply one fuzzer-chosen mutation to `bytes`: a bit flip, a byte set, bytes inserted or
/// deleted, a truncation, or a line deleted, repeated, swapped, moved, or taken from `pool`.
pub fn mutate(u: &mut Unstructured<'_>, bytes: &mut Vec<u8>, pool: &[Vec<u8>]) -> Result<Edit> {
    let choice = u.int_in_range(0..=12u8)?;
    if bytes.is_empty() && choice <= 4 {
        let count = u.int_in_range(1..=16)?;
        bytes.extend(u.bytes(count)?);
        return Ok(Edit::Other);
    }
    match choice {
        0..=2 => {
            let at = u.choose_index(bytes.len())?;
            let old = bytes[at];
            let new = match choice {
                0 => old ^ (1 << u.int_in_range(0..=7u8)?),
                1 => *u.choose(INTERESTING_BYTES)?,
                _ => u.arbitrary::<u8>()?,
            };
            bytes[at] = new;
            if new != old && new != b'\n' && old != b'\n' {
                return Ok(Edit::ByteInPlace(at));
            }
        }
        3 => {
            let at = u.int_in_range(0..=bytes.len())?;
            let count = u.int_in_range(1..=16)?;
            let inserted = if u.arbitrary::<bool>()? {
                u.bytes(count)?.to_vec()
            } else {
                let source = u.choose(pool)?;
                let start = u.choose_index(source.len().max(1))?.min(source.len());
                source[start..(start + count).min(source.len())].to_vec()
            };
            bytes.splice(at..at, inserted);
        }
        4 => {
            let at = u.choose_index(bytes.len())?;
            let end = (at + u.int_in_range(1..=32)?).min(bytes.len());
            bytes.drain(at..end);
        }
        5 => {
            let at = u.int_in_range(0..=bytes.len())?;
            bytes.truncate(at);
        }
        _ => {
            let mut lines = split_lines(bytes);
            if lines.is_empty() {
                lines.push(Vec::new());
            }
            let i = u.choose_index(lines.len())?;
            match choice {
                6 => {
                    lines.remove(i);
                }
                7 => {
                    let to = u.int_in_range(0..=lines.len())?;
                    let line = lines[i].clone();
                    lines.insert(to, line);
                }
                8 => {
                    let j = u.choose_index(lines.len())?;
                    lines.swap(i, j);
                }
                9 => {
                    let line = lines.remove(i);
                    let to = u.int_in_range(0..=lines.len())?;
                    lines.insert(to, line);
                }
                10 => {
                    let to = u.int_in_range(0..=lines.len())?;
                    lines.insert(to, u.choose(pool)?.clone());
                }
                11 => lines[i] = u.choose(pool)?.clone(),
                _ => {
                    // Drop a line's newline, joining it to the next.
                    if lines[i].last() == Some(&b'\n') {
                        lines[i].pop();
                    }
                }
            }
            *bytes = lines.concat();
        }
    }
    Ok(Edit::Other)
}

/// Free text as a caller may send it: empty, long, short, or anything.
pub fn any_text(u: &mut Unstructured<'_>) -> Result<String> {
    Ok(match u.int_in_range(0..=5u8)? {
        0 => String::new(),
        1 => "到红星村督查人居环境整治".repeat(usize::from(u.int_in_range(1..=40u8)?)),
        2 => "依据记录".to_string(),
        _ => u.arbitrary::<String>()?,
    })
}

/// The seed inputs of each target, by file name under `corpus/<target>/`: valid inputs built
/// from the fixture, and a few invalid ones near them. `cargo test` checks the committed files;
/// `KAOHE_WRITE_SEEDS=1 cargo test` writes them.
pub fn seeds() -> Vec<(&'static str, String, Vec<u8>)> {
    let fixture = fixture();
    let mut seeds: Vec<(&'static str, String, Vec<u8>)> = Vec::new();
    let mut add = |target: &'static str, name: &str, bytes: Vec<u8>| {
        seeds.push((target, format!("seed-{name}"), bytes));
    };

    for (index, export) in fixture.exports.iter().enumerate() {
        let size = fixture.checkpoints[export.checkpoint].checkpoint.size;
        let ledger = ["a", "b"][export.ledger];
        add(
            "export",
            &format!("valid-{index}-{ledger}{size}"),
            export.bytes.clone(),
        );
    }
    let full = &fixture.exports[3].bytes;
    let lines = split_lines(full);
    let mut cosigned = lines[..lines.len() - 1].concat();
    cosigned.extend(export_checkpoint_line(&fixture.cosigned_notes[0]));
    cosigned.push(b'\n');
    add("export", "valid-cosigned", cosigned);
    add("export", "invalid-empty", Vec::new());
    add(
        "export",
        "invalid-no-final-newline",
        full[..full.len() - 1].to_vec(),
    );
    add(
        "export",
        "invalid-checkpoint-only",
        lines[lines.len() - 1].clone(),
    );
    let mut swapped = lines.clone();
    swapped.swap(1, 2);
    add("export", "invalid-swapped", swapped.concat());
    let mut removed = lines.clone();
    removed.remove(2);
    add("export", "invalid-removed", removed.concat());
    let mut flipped = full.clone();
    flipped[lines[0].len() + 40] ^= 1;
    add("export", "invalid-flipped", flipped);

    let mut events: Vec<&Vec<u8>> = fixture
        .ledgers
        .iter()
        .flat_map(|ledger| &ledger.events)
        .collect();
    events.sort();
    events.dedup();
    for (index, event) in events.into_iter().enumerate() {
        add("canonical", &format!("event-{index}"), event.clone());
    }
    let draft = serde_json::json!({
        "id": "01936d4a-7b2c-7d3e-8f40-0000000000aa",
        "type": "entry_written",
        "payload_version": 1,
        "business_time": "2026-01-05T18:00:00+08:00",
        "actor": {"person_id": "p001", "role": "cadre"},
        "payload": {"person_id": "p001", "date": "2026-01-05", "did": "值班", "learned": ""},
        "caused_by": []
    });
    add(
        "canonical",
        "draft",
        kaohe_ledger::canonical::to_canonical(&draft).expect("a draft is canonicalisable"),
    );
    for (name, text) in [
        (
            "values",
            r#"[null,true,false,0,-1,1.5,1e+21,9007199254740991,"\u001f\n"]"#,
        ),
        ("object", r#"{"":0,"a":{"b":[]},"b":"\"\\"}"#),
        ("sorted-utf16", "{\"\u{1f600}\":1,\"\u{fb33}\":2}"),
        ("not-canonical-space", r#"{"a": 1}"#),
        ("not-canonical-order", r#"{"b":1,"a":2}"#),
        ("not-canonical-number", "[1.0,1E2,-0]"),
        ("duplicate-name", r#"{"a":1,"a":2}"#),
        ("out-of-range", "9007199254740992"),
    ] {
        add("canonical", name, text.as_bytes().to_vec());
    }

    for (index, signed) in fixture.checkpoints.iter().enumerate() {
        add(
            "note",
            &format!("checkpoint-{index}"),
            signed.note.clone().into_bytes(),
        );
    }
    for (index, note) in fixture.cosigned_notes.iter().enumerate() {
        add(
            "note",
            &format!("cosigned-{index}"),
            note.clone().into_bytes(),
        );
    }
    let body = fixture.checkpoints[3].checkpoint.body();
    add("note", "body", body.clone().into_bytes());
    add("note", "verifier-key", fixture.key.to_text().into_bytes());
    add("note", "signer-key", fixture.signer.to_text().into_bytes());
    add(
        "note",
        "invalid-no-signature",
        format!("{body}\n").into_bytes(),
    );
    add(
        "note",
        "invalid-leading-zero",
        fixture.checkpoints[3]
            .note
            .replacen("\n5\n", "\n05\n", 1)
            .into_bytes(),
    );

    let inclusion = fixture.inclusion_bundles();
    let consistency = fixture.consistency_bundles();
    let json = |bundle: &ProofBundle| bundle.to_file().expect("a fixture bundle has a spelling");
    for (index, bundle) in inclusion.iter().enumerate().step_by(4) {
        add("proof", &format!("inclusion-{index}"), json(bundle));
    }
    for (index, bundle) in consistency.iter().enumerate().step_by(3) {
        add("proof", &format!("consistency-{index}"), json(bundle));
    }
    let mut wrong = inclusion[inclusion.len() - 1].clone();
    if let ProofBundle::Inclusion { position, .. } = &mut wrong {
        *position -= 1;
    }
    add("proof", "invalid-position", json(&wrong));
    let mut wrong = consistency[consistency.len() - 1].clone();
    if let ProofBundle::Consistency { path, .. } = &mut wrong {
        path.reverse();
    }
    add("proof", "invalid-path", json(&wrong));

    // `rules`, `model` and `api` read their input as a script of choices, so any bytes are a
    // script; these give the search a few long ones to start from: every choice in turn, and
    // runs of one choice (for `rules`, mostly entries and nominations; for `model`, appends
    // with faults and restarts between them).
    let every: Vec<u8> = (0..=255u8).collect();
    let interleaved: Vec<u8> = (0..512u32).map(|n| (n * 37 % 251) as u8).collect();
    for target in ["rules", "model", "api"] {
        add(target, "every-byte", every.clone());
        add(target, "interleaved", interleaved.clone());
    }
    add("rules", "entries", [1, 48, 1, 5, 0, 200, 3].repeat(40));
    add(
        "rules",
        "nominations",
        [8, 40, 4, 0, 11, 1, 9, 2, 2].repeat(40),
    );
    add("model", "appends", [24, 0, 2, 3, 1].repeat(30));
    add(
        "model",
        "appends-faults-restarts",
        [24, 1, 3, 2, 4, 1, 2, 0, 5, 2, 7].repeat(20),
    );
    seeds
}

#[cfg(test)]
mod tests {
    use super::*;
    use kaohe_ledger::verify::{Anchors, verify_export_bytes};

    #[test]
    fn every_signed_export_verifies_and_is_vouched_for() {
        let fixture = fixture();
        let saved_choices = std::iter::once(None).chain(fixture.checkpoints.iter().map(Some));
        for saved in saved_choices {
            for export in &fixture.exports {
                let anchors = Anchors {
                    saved: saved.map(|signed| signed.note.clone()),
                    trusted: Some(fixture.key.clone()),
                    ..Anchors::default()
                };
                let saved = saved.map(|signed| &signed.checkpoint);
                let (_, result) = verify_export_bytes(&export.bytes, anchors);
                let extends =
                    saved.is_none_or(|saved| fixture.states_prefix_of(export.ledger, saved));
                let size = fixture.checkpoints[export.checkpoint].checkpoint.size;
                assert_eq!(
                    result.is_ok(),
                    extends && saved.is_none_or(|saved| saved.size <= size),
                    "{saved:?} {result:?}"
                );
                if let Ok(report) = result {
                    fixture.assert_vouched_export(&export.bytes, saved, &report);
                }
            }
        }
    }

    #[test]
    fn every_fixture_bundle_verifies() {
        let fixture = fixture();
        let bundles = [fixture.inclusion_bundles(), fixture.consistency_bundles()].concat();
        assert!(bundles.len() > 20);
        for bundle in bundles {
            bundle
                .verify(&fixture.key)
                .expect("a fixture bundle verifies");
        }
    }

    #[test]
    fn committed_seeds_are_current() {
        let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
        let write = std::env::var_os("KAOHE_WRITE_SEEDS").is_some();
        let mut stale = Vec::new();
        for (target, name, bytes) in seeds() {
            let path = corpus.join(target).join(&name);
            if std::fs::read(&path).ok().as_ref() == Some(&bytes) {
                continue;
            }
            if write {
                std::fs::create_dir_all(path.parent().expect("a directory")).unwrap();
                std::fs::write(&path, &bytes).unwrap();
            } else {
                stale.push(path.display().to_string());
            }
        }
        assert!(
            stale.is_empty(),
            "stale seeds (run KAOHE_WRITE_SEEDS=1 cargo test in fuzz/): {stale:?}"
        );
    }

    #[test]
    fn cosigned_notes_open_to_the_same_checkpoint() {
        let fixture = fixture();
        for note in &fixture.cosigned_notes {
            let opened = Checkpoint::open(note, &fixture.key).expect("cosigned note opens");
            assert_eq!(opened, fixture.checkpoints[3].checkpoint);
        }
    }
}
