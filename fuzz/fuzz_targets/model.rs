//! Fuzz target `model`: a script of appends, checkpoints, injected I/O errors, power losses and
//! restarts, driven against a ledger on a simulated disk (`kaohe-store`'s `fault-injection`
//! feature) and against a model of what was acknowledged.
//!
//! The model holds every event and checkpoint the store acknowledged. Whenever the process
//! restarts, after a clean stop, after an I/O error or after a power loss with any damage to the
//! unsynced writes, the ledger on the disk must open, hold every acknowledged event byte for
//! byte at its position and every acknowledged checkpoint, hold nothing that was never
//! submitted, and verify (every event, the chain, the stored checkpoints, every stored Merkle
//! node). An unanswered or failed append may have landed or not, but only whole.

#![no_main]

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;

use kaohe_ledger::Hash;
use jiff::civil::date;
use kaohe_ledger::event::EventDraft;
use kaohe_ledger::hash::leaf_hash;
use kaohe_ledger::note::Checkpoint;
use kaohe_ledger::verify::{Anchors, LedgerCheck};
use kaohe_store::fault::{Damage, IoFault, Operation, Persistence, SimulatedDisk};
use kaohe_store::{Expect, Store, StoreOptions};
use kaohe_testkit::{GENESIS_ID, entry_saying, fixed_id, genesis, signer};
use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;
use uuid::Uuid;

/// The most steps a script runs: each may commit, so this bounds an input's time.
const STEPS_MAX: u32 = 24;

fuzz_target!(|data: &[u8]| {
    let mut world = World::new();
    let _ = world.play(&mut Unstructured::new(data));
    // Whatever the script did, a power loss at the end keeps every acknowledged event.
    let image = world.disk.image_after_power_loss(Damage::DropAll, 0);
    world.restart(image);
});

/// A daily entry of `length` characters' worth of text, so that pages fill at different
/// rates.
fn entry(n: u64, length: usize) -> EventDraft {
    entry_saying(
        fixed_id(n),
        "p001",
        date(2026, 3, 2),
        &"到东风村走访低保户".repeat(1 + length % 16),
        "",
    )
}

fn options() -> StoreOptions {
    StoreOptions {
        clock: Arc::new(|| "2026-03-02T20:00:00+08:00".parse().expect("a valid time")),
        // A small cache, so that reads reach the disk and writes spill before commits.
        cache_bytes: 64 * 1024,
        ..StoreOptions::default()
    }
}

struct World {
    disk: SimulatedDisk,
    store: Option<Store>,
    /// The leaf hash of every acknowledged event, by position.
    acked: BTreeMap<u64, Hash>,
    /// The sizes of acknowledged checkpoints.
    checkpoints: Vec<u64>,
    /// Every id ever submitted.
    submitted: HashSet<Uuid>,
    next_id: u64,
}

impl World {
    fn new() -> World {
        let mut world = World {
            disk: SimulatedDisk::new(),
            store: None,
            acked: BTreeMap::new(),
            checkpoints: Vec::new(),
            submitted: HashSet::from([GENESIS_ID]),
            next_id: 1,
        };
        world.create();
        world
    }

    /// Create the ledger on a new disk, as `kaohe init` does again after a creation that was
    /// never acknowledged.
    fn create(&mut self) {
        self.disk = SimulatedDisk::new();
        if let Ok(store) = Store::create_with_backend(self.disk.clone(), &genesis(), options()) {
            let head = store.head().expect("a new ledger has a head");
            self.acked = BTreeMap::from([(0, head.last_leaf)]);
            self.store = Some(store);
        }
    }

    fn play(&mut self, u: &mut Unstructured<'_>) -> Result<()> {
        for _ in 0..u.int_in_range(1..=STEPS_MAX)? {
            match u.int_in_range(0..=7u8)? {
                0..=2 => self.append(u)?,
                3 => self.checkpoint(),
                4 => {
                    let operation = *u.choose(&Operation::ALL)?;
                    let fault = IoFault {
                        operation,
                        at: self.disk.calls(operation) + u64::from(u.int_in_range(1..=12u8)?),
                        persistence: if u.arbitrary()? {
                            Persistence::Forever
                        } else {
                            Persistence::Once
                        },
                    };
                    self.disk.fail(fault);
                }
                5 => {
                    let damage = *u.choose(&Damage::ALL)?;
                    let at = self.disk.calls(Operation::Sync) + u64::from(u.int_in_range(1..=6u8)?);
                    self.disk.crash_at_sync(at, damage, u.arbitrary()?);
                }
                6 => {
                    // The power fails now.
                    let damage = *u.choose(&Damage::ALL)?;
                    let image = self.disk.image_after_power_loss(damage, u.arbitrary()?);
                    self.restart(image);
                }
                _ => {
                    // The process stops and starts again; the machine stays up.
                    self.store = None;
                    let image = self.disk.live_image();
                    self.restart(image);
                }
            }
            if let Some(image) = self.disk.crash_image() {
                self.restart(image);
            }
        }
        Ok(())
    }

    fn append(&mut self, u: &mut Unstructured<'_>) -> Result<()> {
        let Some(store) = &self.store else {
            self.create();
            return Ok(());
        };
        let count = u.int_in_range(1..=3u8)?;
        let mut drafts = Vec::new();
        for _ in 0..count {
            let n = self.next_id;
            self.next_id += 1;
            self.submitted.insert(fixed_id(n));
            drafts.push(entry(n, u.int_in_range(0..=15usize)?));
        }
        // Now and then an append conditional on the size the model expects.
        let conditional: bool = u.arbitrary()?;
        let expect = match self.acked.keys().next_back() {
            Some(last) if conditional => Expect::Size(last + 1),
            _ => Expect::Any,
        };
        let appended = store
            .submit(drafts, expect, Vec::new())
            .and_then(|pending| pending.wait_blocking());
        if let Ok(appended) = appended {
            for event in appended {
                self.acked.insert(event.position, event.leaf);
            }
        }
        Ok(())
    }

    fn checkpoint(&mut self) {
        let Some(store) = &self.store else { return };
        let Ok(snapshot) = store.snapshot() else {
            return;
        };
        let size = snapshot.size();
        let Ok(root) = snapshot.root_at(size) else {
            return;
        };
        drop(snapshot);
        let note = Checkpoint {
            origin: store.genesis().origin.clone(),
            size,
            root,
        }
        .sign(&signer())
        .expect("the key signs");
        if store.put_checkpoint(size, note).is_ok() {
            self.checkpoints.push(size);
        }
    }

    /// Start again on `image`, what the disk held when the process stopped, and check it
    /// against the model; the model then takes what is there.
    fn restart(&mut self, image: Vec<u8>) {
        self.store = None;
        self.disk = SimulatedDisk::from_image(image);
        let store = match Store::open_with_backend(self.disk.clone(), options()) {
            Ok(store) => store,
            Err(error) => {
                assert!(
                    self.acked.is_empty(),
                    "a ledger with {} acknowledged events does not open: {error}",
                    self.acked.len()
                );
                self.create();
                return;
            }
        };
        let snapshot = store.snapshot().expect("a snapshot of the reopened ledger");
        let size = snapshot.size();
        if let Some(last) = self.acked.keys().next_back() {
            assert!(
                size > *last,
                "acknowledged events are lost: {size} events, event {last} acknowledged"
            );
        }
        let mut leaves = Vec::new();
        let mut check = {
            let mut notes: Vec<String> = snapshot
                .checkpoints()
                .expect("the checkpoints read")
                .into_iter()
                .map(|(stored, text)| {
                    assert!(stored <= size, "a checkpoint beyond the ledger");
                    text
                })
                .collect();
            LedgerCheck::new(Anchors {
                own: notes.pop(),
                stored: notes,
                ..Anchors::default()
            })
        };
        snapshot
            .for_each_event(0, |position, bytes| {
                let leaf = leaf_hash(bytes);
                if let Some(acked) = self.acked.get(&position) {
                    assert_eq!(
                        *acked, leaf,
                        "acknowledged event {position} is not the bytes acknowledged"
                    );
                }
                check.push(bytes);
                leaves.push(leaf);
                true
            })
            .expect("the reopened ledger reads");
        // The store's error whole, for the message; the verdict in kaohe's words.
        let nodes = snapshot.check_stored_nodes();
        let damage = nodes
            .as_ref()
            .map(|_| ())
            .map_err(|error| error.node_damage());
        if let Err(failure) = check.finish(Some(damage)) {
            panic!("the reopened ledger does not verify: {failure} ({nodes:?})");
        }
        for position in 0..size {
            let event = kaohe_ledger::event::parse_event(&snapshot.event(position).expect("reads"))
                .expect("a verified event parses");
            assert!(
                self.submitted.contains(&event.id),
                "event {position} was never submitted"
            );
        }
        let stored: Vec<u64> = snapshot
            .checkpoints()
            .expect("the checkpoints read")
            .into_iter()
            .map(|(stored, _)| stored)
            .collect();
        for size in &self.checkpoints {
            assert!(
                stored.contains(size),
                "the acknowledged checkpoint of size {size} is lost"
            );
        }
        drop(snapshot);
        self.acked = leaves
            .into_iter()
            .enumerate()
            .map(|(position, leaf)| (position as u64, leaf))
            .collect();
        self.checkpoints = stored;
        self.store = Some(store);
    }
}
