//! The verification rules of docs/FORMAT.md that a ledger can break while every hash and
//! signature still holds: ledgers built in memory, signed with their own key, each breaking one
//! rule, and the verdict each one gets.

use jiff::civil::date;
use kaohe_ledger::Hash;
use kaohe_ledger::canonical::to_canonical;
use kaohe_ledger::event::EventDraft;
use kaohe_ledger::hash::leaf_hash;
use kaohe_ledger::merkle::MemoryTree;
use kaohe_ledger::note::{Checkpoint, SignerKey};
use kaohe_ledger::verify::{
    Anchors, Check, Failure, Report, checkpoint_file_text, export_checkpoint_line,
    verify_export_bytes,
};
use kaohe_testkit::{Genesis, ORIGIN, entry_saying, fixed_id, signer};

fn key() -> SignerKey {
    signer()
}

/// Event 0 of the township's ledger, in `time_zone`.
fn genesis(time_zone: &str) -> EventDraft {
    Genesis {
        time_zone,
        ..Genesis::default()
    }
    .draft()
}

/// Entry `n`, of 2 March, recorded (below) a second after the one before.
fn entry(n: u64) -> EventDraft {
    entry_saying(
        fixed_id(n),
        "p001",
        date(2026, 3, 2),
        &format!("走访第{n}户"),
        "",
    )
}

/// The recording time the store writes for event `n` of a ledger in Asia/Shanghai.
fn recorded(n: usize) -> String {
    format!("2026-03-02T18:00:{n:02}.000+08:00")
}

/// Seal `drafts` in order, event `n` recorded at `recorded_at(n)`, into their canonical bytes,
/// linked and hashed as a writer would, but without the writer's checks: the ledgers here
/// break rules on purpose.
fn seal(drafts: &[EventDraft], recorded_at: impl Fn(usize) -> String) -> Vec<Vec<u8>> {
    let mut previous = Hash::ZERO;
    drafts
        .iter()
        .enumerate()
        .map(|(position, draft)| {
            let value = draft.to_value(position as u64, &previous, &recorded_at(position));
            let bytes = to_canonical(&value).unwrap();
            previous = leaf_hash(&bytes);
            bytes
        })
        .collect()
}

/// The checkpoint note the ledger's key signs for `events`.
fn signed_note(events: &[Vec<u8>]) -> String {
    let mut tree = MemoryTree::new();
    for event in events {
        tree.push(leaf_hash(event));
    }
    Checkpoint {
        origin: ORIGIN.into(),
        size: events.len() as u64,
        root: tree.root(),
    }
    .sign(&key())
    .unwrap()
}

/// The export of `events`: one per line, then the checkpoint line the key signs for them.
fn export(events: &[Vec<u8>]) -> Vec<u8> {
    let mut bytes = Vec::new();
    for event in events {
        bytes.extend_from_slice(event);
        bytes.push(b'\n');
    }
    bytes.extend_from_slice(&export_checkpoint_line(&signed_note(events)));
    bytes.push(b'\n');
    bytes
}

fn verify(bytes: &[u8]) -> Result<Report, Failure> {
    verify_export_bytes(bytes, Anchors::default()).1
}

/// A ledger of event 0 and `entries` entries, in Asia/Shanghai, as the store writes it.
fn ledger(entries: u64) -> Vec<Vec<u8>> {
    let mut drafts = vec![genesis("Asia/Shanghai")];
    drafts.extend((1..=entries).map(entry));
    seal(&drafts, recorded)
}

#[test]
fn a_ledger_as_kaohe_writes_it_verifies() {
    let report = verify(&export(&ledger(4))).unwrap();
    assert_eq!(report.verified.size, 5);
    assert_eq!(report.verified.genesis.time_zone, "Asia/Shanghai");
}

#[test]
fn the_time_zone_must_be_spelled_as_the_iana_database_spells_it() {
    let events = seal(&[genesis("asia/shanghai"), entry(1)], recorded);
    let failure = verify(&export(&events)).unwrap_err();
    assert_eq!((failure.check, failure.event), (Check::Genesis, Some(0)));
    assert_eq!(
        failure.message,
        "time zone asia/shanghai is not spelled as the IANA time zone database spells it: Asia/Shanghai"
    );
    let events = seal(&[genesis("Asia/Beijing"), entry(1)], recorded);
    let failure = verify(&export(&events)).unwrap_err();
    assert_eq!((failure.check, failure.event), (Check::Genesis, Some(0)));
    assert!(
        failure
            .message
            .starts_with("unknown time zone Asia/Beijing"),
        "{failure}"
    );
}

#[test]
fn recording_times_are_written_as_the_writer_writes_them() {
    let events = |third: &str| {
        let drafts = [genesis("Asia/Shanghai"), entry(1), entry(2), entry(3)];
        let third = third.to_owned();
        seal(
            &drafts,
            move |n| {
                if n == 2 { third.clone() } else { recorded(n) }
            },
        )
    };
    // The same instant as the writer writes it verifies; every other spelling is refused.
    verify(&export(&events("2026-03-02T18:00:02.000+08:00"))).unwrap();
    for (spelling, rule) in [
        ("2026-03-02T10:00:02.000Z", "event schema"),
        ("2026-03-02T10:00:02.000+00:00", "offset"),
        ("2026-03-02T19:00:02.000+09:00", "offset"),
        ("2026-03-02T18:00:02.000000000+08:00", "event schema"),
        ("2026-03-02T18:00:02+08:00", "event schema"),
        ("2026-03-02T18:00:02.0+08:00", "event schema"),
        ("2026-03-02t18:00:02.000+08:00", "event schema"),
    ] {
        let failure = verify(&export(&events(spelling))).unwrap_err();
        assert_eq!(failure.event, Some(2), "{spelling}: {failure}");
        if rule == "offset" {
            assert_eq!(failure.check, Check::RecordedTimes, "{spelling}: {failure}");
            assert_eq!(
                failure.message,
                format!(
                    "recorded_time {spelling} is not written in the organisation's time zone Asia/Shanghai, whose offset at that instant is +08:00"
                )
            );
        } else {
            assert_eq!(failure.check, Check::Schema, "{spelling}: {failure}");
            assert!(
                failure.message.starts_with("schema: /recorded_time: "),
                "{spelling}: {failure}"
            );
        }
    }
}

#[test]
fn a_zero_offset_is_written_plus_zero() {
    let drafts = [genesis("UTC"), entry(1)];
    let at = |sign: &'static str| move |n: usize| format!("2026-03-02T10:00:{n:02}.000{sign}00:00");
    verify(&export(&seal(&drafts, at("+")))).unwrap();
    let failure = verify(&export(&seal(&drafts, at("-")))).unwrap_err();
    assert_eq!(
        (failure.check, failure.event),
        (Check::RecordedTimes, Some(0))
    );
}

#[test]
fn business_times_are_rfc_3339_with_an_offset_and_no_leap_second() {
    let with = |business_time: &str| {
        let mut third = entry(2);
        third.business_time = business_time.into();
        export(&seal(
            &[genesis("Asia/Shanghai"), entry(1), third],
            recorded,
        ))
    };
    for accepted in [
        "2026-03-02T18:00:00+08:00",
        "2026-03-02T10:00:00Z",
        "2026-03-02T05:00:00.123456789-05:00",
        "2026-03-02T18:00:00.5+08:00",
        "2026-03-02T10:00:00-00:00",
    ] {
        verify(&with(accepted)).unwrap_or_else(|failure| panic!("{accepted}: {failure}"));
    }
    for refused in [
        "2026-03-02T23:59:60Z",
        "2026-03-02t10:00:00z",
        "2026-03-02T10:00:00.1234567891Z",
        "2026-03-02T10:00:00",
        "2026-03-02T10:00Z",
        "2026-02-30T10:00:00Z",
        "2026-03-02T24:00:00Z",
        "2026-03-02T10:00:00+24:00",
        "9999-12-31T23:59:59Z",
    ] {
        let failure = verify(&with(refused)).unwrap_err();
        assert_eq!(
            (failure.check, failure.event),
            (Check::Schema, Some(2)),
            "{refused}: {failure}"
        );
        assert!(
            failure.message.starts_with("schema: /business_time: "),
            "{refused}: {failure}"
        );
    }
}

/// The lines of an export, without their line feeds.
fn lines(bytes: &[u8]) -> Vec<Vec<u8>> {
    let mut lines: Vec<Vec<u8>> = bytes.split(|b| *b == b'\n').map(<[u8]>::to_vec).collect();
    assert_eq!(lines.pop(), Some(Vec::new()));
    lines
}

fn join(lines: &[Vec<u8>], ending: &[u8]) -> Vec<u8> {
    lines
        .iter()
        .flat_map(|line| [line.as_slice(), ending].concat())
        .collect()
}

#[test]
fn faults_of_the_export_file_are_named_as_such() {
    let good = export(&ledger(2));
    let original = lines(&good);
    let checkpoint_line = original[3].clone();
    let with_bom = [b"\xef\xbb\xbf".as_slice(), &good].concat();
    let mut cut = good.clone();
    cut.pop();
    let extra_event = join(&[&original[..], &original[1..2]].concat(), b"\n");
    let blank_inside = join(
        &[&original[..2], &[Vec::new()], &original[2..]].concat(),
        b"\n",
    );
    let mut damaged_checkpoint = original.clone();
    damaged_checkpoint[3].truncate(40);
    // (what was done, the bytes, the event named, the verdict)
    let cases: Vec<(&str, Vec<u8>, Option<u64>, String)> = vec![
        (
            "an empty file",
            Vec::new(),
            None,
            "the export is empty: it has no lines".into(),
        ),
        (
            "the last line feed cut off",
            cut,
            None,
            "line 4, the last, does not end with a line feed: the export was cut short".into(),
        ),
        (
            "a byte order mark",
            with_bom,
            Some(0),
            "the export starts with a byte order mark (EF BB BF): an export has none".into(),
        ),
        (
            "CR LF line endings",
            join(&original, b"\r\n"),
            Some(0),
            "line 1 ends with a carriage return: an export's lines end with a line feed alone, not CR LF".into(),
        ),
        (
            "an empty line among the events",
            blank_inside,
            Some(2),
            "line 3 is empty: an export has no empty lines".into(),
        ),
        (
            "an event after the checkpoint line",
            extra_event,
            Some(3),
            "line 4 is a checkpoint line, but line 5 follows it: the checkpoint line must be the last line".into(),
        ),
        (
            "an empty line after the checkpoint line",
            [good.as_slice(), b"\n"].concat(),
            Some(3),
            "line 4 is a checkpoint line, but line 5 follows it: the checkpoint line must be the last line".into(),
        ),
        (
            "no checkpoint line",
            join(&original[..3], b"\n"),
            None,
            "line 3, the last, is not a checkpoint line: the export was truncated, or its checkpoint line removed".into(),
        ),
        (
            "a damaged checkpoint line",
            join(&damaged_checkpoint, b"\n"),
            None,
            "line 4, the last, is a damaged checkpoint line: it is not the canonical JSON of an object whose one member is checkpoint, a string".into(),
        ),
        (
            "a checkpoint line alone",
            join(&[checkpoint_line], b"\n"),
            None,
            "the export has no events: its only line is a checkpoint line".into(),
        ),
    ];
    for (what, bytes, event, message) in cases {
        let failure = verify(&bytes).expect_err(what);
        assert_eq!(
            failure,
            Failure {
                check: Check::ExportFile,
                event,
                message
            },
            "{what}"
        );
    }
}

/// `events` with the last one's previous_hash replaced by `previous`, re-serialised
/// canonically: an edit of one link.
fn with_last_link(events: &[Vec<u8>], previous: &Hash) -> Vec<Vec<u8>> {
    let mut events = events.to_vec();
    let last = events.last_mut().unwrap();
    let mut value: serde_json::Value = serde_json::from_slice(last).unwrap();
    value["previous_hash"] = previous.to_hex().into();
    *last = to_canonical(&value).unwrap();
    events
}

/// An export of `events` whose checkpoint line carries `note`.
fn export_with_note(events: &[Vec<u8>], note: &str) -> Vec<u8> {
    let mut lines = events.to_vec();
    lines.push(export_checkpoint_line(note));
    join(&lines, b"\n")
}

#[test]
fn a_checkpoint_whose_signature_fails_is_never_cited() {
    let events = ledger(4);
    // A checkpoint for more events than the export holds, signed by a stranger under the
    // ledger's name: its size is nobody's word, and the verdict must not cite it.
    let stranger = SignerKey::from_seed(ORIGIN, [9; 32]).unwrap();
    let mut tree = MemoryTree::new();
    for event in &events {
        tree.push(leaf_hash(event));
    }
    let forged = Checkpoint {
        origin: ORIGIN.into(),
        size: 9,
        root: tree.root(),
    }
    .sign(&stranger)
    .unwrap();
    let failure = verify(&export_with_note(&events, &forged)).unwrap_err();
    assert_eq!((failure.check, failure.event), (Check::MerkleRoot, None));
    assert!(
        failure
            .message
            .starts_with("not signed by this ledger's key"),
        "{failure}"
    );
    assert!(!failure.message.contains("9 events"), "{failure}");
    // Signed by the key, the same size is the key's word, and is cited.
    let signed = Checkpoint {
        origin: ORIGIN.into(),
        size: 9,
        root: tree.root(),
    }
    .sign(&key())
    .unwrap();
    let failure = verify(&export_with_note(&events, &signed)).unwrap_err();
    assert_eq!(
        failure.message,
        "the export's checkpoint is signed for 9 events, but the export holds 5: events were removed or added"
    );
}

#[test]
fn only_a_signed_root_pins_a_break_at_the_last_link() {
    let events = ledger(4);
    let claimed = leaf_hash(b"not event 3");
    let altered = with_last_link(&events, &claimed);
    // The root of the ledger whose event 3 is the one event 4 now names.
    let mut tree = MemoryTree::new();
    for event in &events[..3] {
        tree.push(leaf_hash(event));
    }
    tree.push(claimed);
    tree.push(leaf_hash(&altered[4]));
    let alternative = Checkpoint {
        origin: ORIGIN.into(),
        size: 5,
        root: tree.root(),
    };
    // Under the ledger's key, that root says event 3 was changed after event 4 was written.
    let failure = verify(&export_with_note(
        &altered,
        &alternative.sign(&key()).unwrap(),
    ))
    .unwrap_err();
    assert_eq!((failure.check, failure.event), (Check::HashChain, Some(3)));
    assert!(
        failure.message.ends_with("event 3 was altered"),
        "{failure}"
    );
    // The genuine checkpoint's root is not that one: event 4's link itself was altered.
    let failure = verify(&export_with_note(&altered, &signed_note(&events))).unwrap_err();
    assert_eq!((failure.check, failure.event), (Check::HashChain, Some(4)));
    assert!(
        failure.message.ends_with("event 4 was altered"),
        "{failure}"
    );
    // The same root under a stranger's signature is nobody's word: the break stays unpinned.
    let stranger = SignerKey::from_seed(ORIGIN, [9; 32]).unwrap();
    let failure = verify(&export_with_note(
        &altered,
        &alternative.sign(&stranger).unwrap(),
    ))
    .unwrap_err();
    assert_eq!((failure.check, failure.event), (Check::HashChain, Some(4)));
    assert_eq!(
        failure.message,
        "previous_hash is not the hash of event 3: event 3 or event 4 was altered"
    );
}

#[test]
fn a_checkpoint_file_is_the_note_exactly() {
    let note = signed_note(&ledger(2));
    assert_eq!(checkpoint_file_text(note.as_bytes()), Ok(note.as_str()));
    let refused = |bytes: &[u8]| {
        let failure = checkpoint_file_text(bytes).unwrap_err();
        assert_eq!(
            (failure.check, failure.event),
            (Check::SavedCheckpoint, None)
        );
        failure.message
    };
    assert_eq!(refused(b""), "the checkpoint file is empty");
    assert_eq!(
        refused(note.replace('\n', "\r\n").as_bytes()),
        "line 1 of the checkpoint file ends with a carriage return: a checkpoint file's lines end with a line feed alone, not CR LF"
    );
    assert_eq!(
        refused(note.trim_end().as_bytes()),
        "the checkpoint file does not end with a line feed: it was cut short"
    );
    assert_eq!(
        refused(format!("{note}\n").as_bytes()),
        "the checkpoint file has an empty line at its end: it ends with its last signature line"
    );
    assert_eq!(
        refused(format!("\u{feff}{note}").as_bytes()),
        "the checkpoint file starts with a byte order mark (EF BB BF): a checkpoint file has none"
    );
    assert_eq!(
        refused(&[note.as_bytes(), b"\xff\n"].concat()),
        format!(
            "the checkpoint file is not UTF-8 text (at byte {})",
            note.len()
        )
    );
    assert_eq!(
        refused(&vec![b'x'; (1 << 20) + 1]),
        "the checkpoint file is larger than any checkpoint (1048576 bytes)"
    );
}

#[test]
fn event_0_names_its_key_with_the_key_id_of_its_bytes() {
    let text = key().verifier().to_text();
    let (name, rest) = text.split_once('+').unwrap();
    let (key_id, data) = rest.split_once('+').unwrap();
    // Another id of the same form: the schema's pattern admits it, the key's bytes do not.
    let other_id = format!("{:08x}", u32::from_str_radix(key_id, 16).unwrap() ^ 1);
    let mut first = genesis("Asia/Shanghai");
    first.payload["public_key"] = format!("{name}+{other_id}+{data}").into();
    let events = seal(&[first, entry(1)], recorded);
    let failure = verify(&export(&events)).unwrap_err();
    assert_eq!((failure.check, failure.event), (Check::Genesis, Some(0)));
    assert_eq!(
        failure.message,
        format!(
            "public_key: key text for \"{name}\" states key id {other_id}, but the key's id is {key_id}"
        )
    );
}
