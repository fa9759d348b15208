//! A simulated disk for tests of crashes and I/O errors (the `fault-injection` feature): a
//! redb storage backend in memory that keeps what was made durable apart from what was
//! written since the last sync, loses or tears the unsynced writes at a chosen sync as a power
//! loss would, fails chosen reads, writes or syncs, and can be made full.
//!
//! Model: every write and every change of length goes to the live image at once (what the
//! program reads back, as from the operating system's page cache) and into the list of
//! operations since the last sync. A sync makes the live image durable. A crash at sync `n`
//! happens as that sync begins: the operations since the last sync reach the platter only as
//! the chosen [`Damage`] lets them, in an image of its own, and from then on every call fails,
//! as it would in a process whose machine lost power. Damage is drawn from a seed, so a
//! failing case can be replayed.

use std::fmt;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};

/// What a power loss does to the writes made since the last sync.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Damage {
    /// None of them reached the disk.
    DropAll,
    /// The first few reached the disk, in the order they were made, the rest did not.
    KeepPrefix,
    /// Any of them, in any order: each reached the disk or not, as a disk that reorders
    /// writes between syncs may leave them.
    KeepSubset,
    /// The writes before one reached the disk, that one only in part (a torn write: a prefix
    /// of its bytes, cut at any byte), and none after it.
    TearOne,
    /// All of them reached the disk (the operating system flushed them just before the power
    /// went).
    KeepAll,
}

impl Damage {
    /// Every kind of damage.
    pub const ALL: [Damage; 5] = [
        Damage::DropAll,
        Damage::KeepPrefix,
        Damage::KeepSubset,
        Damage::TearOne,
        Damage::KeepAll,
    ];

    /// A short name for reports.
    pub fn name(self) -> &'static str {
        match self {
            Damage::DropAll => "drop-all",
            Damage::KeepPrefix => "keep-prefix",
            Damage::KeepSubset => "keep-subset",
            Damage::TearOne => "tear-one",
            Damage::KeepAll => "keep-all",
        }
    }
}

/// A kind of call to the disk that can be made to fail.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Operation {
    /// Reading bytes.
    Read,
    /// Writing bytes.
    Write,
    /// Changing the length of the file.
    SetLen,
    /// Syncing.
    Sync,
}

impl Operation {
    /// Every kind of call.
    pub const ALL: [Operation; 4] = [
        Operation::Read,
        Operation::Write,
        Operation::SetLen,
        Operation::Sync,
    ];

    /// A short name for reports.
    pub fn name(self) -> &'static str {
        match self {
            Operation::Read => "read",
            Operation::Write => "write",
            Operation::SetLen => "set-len",
            Operation::Sync => "sync",
        }
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// How long an injected failure lasts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Persistence {
    /// Only the chosen call fails.
    Once,
    /// The chosen call and every later call of its kind fail, until the faults are lifted.
    Forever,
}

/// A failure to inject: the `at`-th call (counting from 1) of `operation` fails, then as
/// `persistence` says.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct IoFault {
    /// The kind of call.
    pub operation: Operation,
    /// Which call of that kind, counting from 1 since the disk was made.
    pub at: u64,
    /// Whether later calls fail too.
    pub persistence: Persistence,
}

/// One change to the file since the last sync.
#[derive(Clone, Debug)]
enum Pending {
    Write { offset: u64, data: Vec<u8> },
    SetLen(u64),
}

#[derive(Debug, Default)]
struct DiskState {
    /// What survives a power loss.
    durable: Vec<u8>,
    /// What reads see.
    live: Vec<u8>,
    /// What was done since the last sync, in order.
    pending: Vec<Pending>,
    /// Calls of each kind so far (`Operation::index`), failed ones included.
    calls: [u64; 4],
    /// The sync at which the power fails, with the damage and its seed.
    crash: Option<(u64, Damage, u64)>,
    /// What the disk held after the power failed.
    crash_image: Option<Vec<u8>>,
    faults: Vec<IoFault>,
    /// The most bytes the file may hold: a write or a change of length beyond it fails as on
    /// a full disk.
    capacity: Option<u64>,
    /// Failures injected so far.
    failures: u64,
    /// The next sync waits until released.
    hold: bool,
    /// Failures injected before the hold was set.
    failures_before_hold: u64,
    /// A sync is waiting on the hold.
    held: bool,
}

impl DiskState {
    fn dead(&self) -> bool {
        self.crash_image.is_some()
    }

    /// Count a call of `operation` and fail it if the disk is dead or a fault says so.
    fn call(&mut self, operation: Operation) -> Result<(), std::io::Error> {
        if self.dead() {
            return Err(std::io::Error::other(
                "simulated power loss: the disk is gone",
            ));
        }
        self.calls[operation.index()] += 1;
        let count = self.calls[operation.index()];
        let failing = self.faults.iter().any(|fault| {
            fault.operation == operation
                && match fault.persistence {
                    Persistence::Once => count == fault.at,
                    Persistence::Forever => count >= fault.at,
                }
        });
        if failing {
            self.failures += 1;
            return Err(std::io::Error::other(format!(
                "simulated I/O error: {} {count}",
                operation.name()
            )));
        }
        Ok(())
    }

    /// Fail, as a full disk does, a change that would make the file longer than the capacity.
    fn room_for(&mut self, length: u64) -> Result<(), std::io::Error> {
        if self.capacity.is_some_and(|capacity| length > capacity) {
            self.failures += 1;
            return Err(std::io::Error::from(std::io::ErrorKind::StorageFull));
        }
        Ok(())
    }
}

/// The simulated disk. Clones share one disk: keep one to look at it while redb holds another.
#[derive(Clone, Default)]
pub struct SimulatedDisk {
    shared: Arc<(Mutex<DiskState>, Condvar)>,
}

impl fmt::Debug for SimulatedDisk {
    fn fmt(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        let state = self.state();
        formatter
            .debug_struct("SimulatedDisk")
            .field("live_bytes", &state.live.len())
            .field("pending", &state.pending.len())
            .field("calls", &state.calls)
            .field("dead", &state.dead())
            .finish()
    }
}

impl SimulatedDisk {
    /// An empty disk.
    pub fn new() -> SimulatedDisk {
        SimulatedDisk::default()
    }

    /// A disk holding `image`, all of it durable, with no calls counted yet.
    pub fn from_image(image: Vec<u8>) -> SimulatedDisk {
        let disk = SimulatedDisk::new();
        {
            let mut state = disk.state();
            state.live.clone_from(&image);
            state.durable = image;
        }
        disk
    }

    /// Count a call and fail it as `DiskState::call` says, waking anyone waiting on a hold
    /// when it fails.
    fn call(&self, state: &mut DiskState, operation: Operation) -> Result<(), std::io::Error> {
        let result = state.call(operation);
        if result.is_err() {
            self.shared.1.notify_all();
        }
        result
    }

    fn state(&self) -> MutexGuard<'_, DiskState> {
        self.shared
            .0
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Lose power as sync number `sync` (counting from 1 since the disk was made) begins,
    /// with `damage` done to the writes since the sync before, drawn from `seed`.
    pub fn crash_at_sync(&self, sync: u64, damage: Damage, seed: u64) {
        self.state().crash = Some((sync, damage, seed));
    }

    /// Inject `fault`.
    pub fn fail(&self, fault: IoFault) {
        self.state().faults.push(fault);
    }

    /// Stop injecting failures: the calls from now on succeed (a dead disk stays dead), and
    /// the disk has room again.
    pub fn lift_faults(&self) {
        let mut state = self.state();
        state.faults.clear();
        state.capacity = None;
    }

    /// Fill the disk: from now on, a write or a change of length that would make the file
    /// longer than `bytes` fails with `ErrorKind::StorageFull`, as on a full disk.
    pub fn fill_at(&self, bytes: u64) {
        self.state().capacity = Some(bytes);
    }

    /// Calls of `operation` so far, failed ones included.
    pub fn calls(&self, operation: Operation) -> u64 {
        self.state().calls[operation.index()]
    }

    /// Failures injected so far.
    pub fn failures(&self) -> u64 {
        self.state().failures
    }

    /// Whether the power failed.
    pub fn crashed(&self) -> bool {
        self.state().dead()
    }

    /// What the disk held once the power failed, if it did.
    pub fn crash_image(&self) -> Option<Vec<u8>> {
        self.state().crash_image.clone()
    }

    /// What reads see now (what a process restarted without a power loss would find).
    pub fn live_image(&self) -> Vec<u8> {
        self.state().live.clone()
    }

    /// What the last successful sync made durable.
    pub fn durable_image(&self) -> Vec<u8> {
        self.state().durable.clone()
    }

    /// What the disk would hold if the power failed now, with `damage` drawn from `seed`.
    pub fn image_after_power_loss(&self, damage: Damage, seed: u64) -> Vec<u8> {
        let state = self.state();
        damaged_image(&state.durable, &state.pending, damage, seed)
    }

    /// Make the next sync wait until the returned hold is released (or dropped): while the
    /// writer waits inside a commit, appends queue up behind it and share the next commit.
    pub fn hold_next_sync(&self) -> SyncHold {
        let mut state = self.state();
        state.hold = true;
        state.failures_before_hold = state.failures;
        drop(state);
        SyncHold {
            disk: self.clone(),
            released: false,
        }
    }
}

/// A sync kept waiting; see [`SimulatedDisk::hold_next_sync`].
pub struct SyncHold {
    disk: SimulatedDisk,
    released: bool,
}

impl SyncHold {
    /// Wait until a sync is waiting on the hold, for at most `limit`; false if the power
    /// failed or a call failed first, after which none may come, or if no sync came in time
    /// (a commit that never syncs).
    pub fn wait_until_held(&self, limit: std::time::Duration) -> bool {
        let deadline = std::time::Instant::now() + limit;
        let (lock, condition) = &*self.disk.shared;
        let mut state = lock.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        while !state.held && !state.dead() && state.failures == state.failures_before_hold {
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            if left.is_zero() {
                return false;
            }
            state = condition
                .wait_timeout(state, left)
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .0;
        }
        state.held
    }

    /// Let the waiting sync go on.
    pub fn release(mut self) {
        self.release_inner();
    }

    fn release_inner(&mut self) {
        if self.released {
            return;
        }
        self.released = true;
        let (lock, condition) = &*self.disk.shared;
        let mut state = lock.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        state.hold = false;
        condition.notify_all();
    }
}

impl Drop for SyncHold {
    fn drop(&mut self) {
        self.release_inner();
    }
}

/// A small deterministic generator (SplitMix64).
struct Draw(u64);

impl Draw {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `low..high` (`low` when the range is empty).
    fn between(&mut self, low: usize, high: usize) -> usize {
        if high <= low + 1 {
            return low;
        }
        low + (self.next() % (high - low) as u64) as usize
    }
}

fn apply(image: &mut Vec<u8>, operation: &Pending) {
    match operation {
        Pending::Write { offset, data } => write_at(image, *offset, data),
        Pending::SetLen(length) => image.resize(to_usize(*length), 0),
    }
}

fn write_at(image: &mut Vec<u8>, offset: u64, data: &[u8]) {
    let offset = to_usize(offset);
    if image.len() < offset + data.len() {
        image.resize(offset + data.len(), 0);
    }
    image[offset..offset + data.len()].copy_from_slice(data);
}

fn to_usize(value: u64) -> usize {
    usize::try_from(value).expect("a simulated disk fits in memory")
}

/// The durable image once `pending` met `damage`.
fn damaged_image(durable: &[u8], pending: &[Pending], damage: Damage, seed: u64) -> Vec<u8> {
    let mut image = durable.to_vec();
    let mut draw = Draw(seed);
    match damage {
        Damage::DropAll => {}
        Damage::KeepAll => pending.iter().for_each(|one| apply(&mut image, one)),
        Damage::KeepPrefix => {
            // Strictly between none and all, where there is room for that.
            let kept = draw.between(1, pending.len()).min(pending.len());
            pending[..kept]
                .iter()
                .for_each(|one| apply(&mut image, one));
        }
        Damage::KeepSubset => {
            for one in pending {
                if draw.next() & 1 == 1 {
                    apply(&mut image, one);
                }
            }
        }
        Damage::TearOne => {
            let writes: Vec<usize> = pending
                .iter()
                .enumerate()
                .filter(|(_, one)| matches!(one, Pending::Write { data, .. } if !data.is_empty()))
                .map(|(index, _)| index)
                .collect();
            if writes.is_empty() {
                return image;
            }
            let torn = writes[draw.between(0, writes.len())];
            pending[..torn]
                .iter()
                .for_each(|one| apply(&mut image, one));
            if let Pending::Write { offset, data } = &pending[torn] {
                let kept = draw.between(1, data.len());
                write_at(&mut image, *offset, &data[..kept]);
            }
        }
    }
    image
}

impl redb::StorageBackend for SimulatedDisk {
    fn len(&self) -> Result<u64, std::io::Error> {
        let state = self.state();
        if state.dead() {
            return Err(std::io::Error::other(
                "simulated power loss: the disk is gone",
            ));
        }
        Ok(state.live.len() as u64)
    }

    fn read(&self, offset: u64, out: &mut [u8]) -> Result<(), std::io::Error> {
        let mut state = self.state();
        self.call(&mut state, Operation::Read)?;
        let offset = to_usize(offset);
        if offset + out.len() > state.live.len() {
            return Err(std::io::Error::from(std::io::ErrorKind::UnexpectedEof));
        }
        out.copy_from_slice(&state.live[offset..offset + out.len()]);
        Ok(())
    }

    fn set_len(&self, len: u64) -> Result<(), std::io::Error> {
        let mut state = self.state();
        self.call(&mut state, Operation::SetLen)?;
        if let Err(error) = state.room_for(len) {
            self.shared.1.notify_all();
            return Err(error);
        }
        state.live.resize(to_usize(len), 0);
        state.pending.push(Pending::SetLen(len));
        Ok(())
    }

    fn sync_data(&self) -> Result<(), std::io::Error> {
        let (lock, condition) = &*self.shared;
        let mut state = lock.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        self.call(&mut state, Operation::Sync)?;
        let sync = state.calls[Operation::Sync.index()];
        if let Some((at, damage, seed)) = state.crash
            && at == sync
        {
            let image = damaged_image(&state.durable, &state.pending, damage, seed);
            state.crash_image = Some(image);
            condition.notify_all();
            return Err(std::io::Error::other(format!(
                "simulated power loss at sync {sync}"
            )));
        }
        if state.hold {
            state.held = true;
            condition.notify_all();
            while state.hold {
                state = condition
                    .wait(state)
                    .unwrap_or_else(|poisoned| poisoned.into_inner());
            }
            state.held = false;
        }
        state.durable = state.live.clone();
        state.pending.clear();
        Ok(())
    }

    fn write(&self, offset: u64, data: &[u8]) -> Result<(), std::io::Error> {
        let mut state = self.state();
        self.call(&mut state, Operation::Write)?;
        let end = offset + data.len() as u64;
        if let Err(error) = state.room_for(end) {
            self.shared.1.notify_all();
            return Err(error);
        }
        write_at(&mut state.live, offset, data);
        state.pending.push(Pending::Write {
            offset,
            data: data.to_vec(),
        });
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use redb::StorageBackend;

    fn disk_with_pending() -> SimulatedDisk {
        let disk = SimulatedDisk::from_image(vec![0; 8]);
        disk.write(0, &[1, 1]).unwrap();
        disk.write(2, &[2, 2]).unwrap();
        disk.write(4, &[3, 3, 3, 3]).unwrap();
        disk
    }

    #[test]
    fn a_sync_makes_the_live_image_durable() {
        let disk = disk_with_pending();
        assert_eq!(disk.durable_image(), vec![0; 8]);
        disk.sync_data().unwrap();
        assert_eq!(disk.durable_image(), vec![1, 1, 2, 2, 3, 3, 3, 3]);
        assert_eq!(disk.durable_image(), disk.live_image());
    }

    #[test]
    fn each_damage_keeps_what_it_says() {
        let disk = disk_with_pending();
        assert_eq!(disk.image_after_power_loss(Damage::DropAll, 1), vec![0; 8]);
        assert_eq!(
            disk.image_after_power_loss(Damage::KeepAll, 1),
            vec![1, 1, 2, 2, 3, 3, 3, 3]
        );
        for seed in 0..64 {
            let prefix = disk.image_after_power_loss(Damage::KeepPrefix, seed);
            assert!(
                [vec![1, 1, 0, 0, 0, 0, 0, 0], vec![1, 1, 2, 2, 0, 0, 0, 0]].contains(&prefix),
                "{prefix:?}"
            );
            let subset = disk.image_after_power_loss(Damage::KeepSubset, seed);
            assert!(
                subset.chunks(2).all(|pair| pair[0] == pair[1]),
                "{subset:?}"
            );
            // A torn write: a strict prefix of all the bytes written, nothing after it.
            let torn = disk.image_after_power_loss(Damage::TearOne, seed);
            let full = [1, 1, 2, 2, 3, 3, 3, 3];
            let kept = torn.iter().position(|byte| *byte == 0).unwrap_or(8);
            assert!(
                kept > 0
                    && kept < 8
                    && torn[..kept] == full[..kept]
                    && torn[kept..].iter().all(|byte| *byte == 0),
                "{torn:?}"
            );
        }
        // The same seed, the same damage.
        assert_eq!(
            disk.image_after_power_loss(Damage::KeepSubset, 7),
            disk.image_after_power_loss(Damage::KeepSubset, 7)
        );
    }

    #[test]
    fn with_nothing_unsynced_every_damage_leaves_the_durable_image() {
        let disk = SimulatedDisk::from_image(vec![4; 8]);
        for damage in Damage::ALL {
            assert_eq!(disk.image_after_power_loss(damage, 3), vec![4; 8]);
        }
    }

    #[test]
    fn a_crash_at_a_sync_keeps_its_image_and_kills_the_disk() {
        let disk = disk_with_pending();
        disk.crash_at_sync(1, Damage::DropAll, 0);
        assert!(disk.sync_data().is_err());
        assert!(disk.crashed());
        assert_eq!(disk.crash_image(), Some(vec![0; 8]));
        assert!(disk.write(0, &[9]).is_err());
        let mut byte = [0u8];
        assert!(disk.read(0, &mut byte).is_err());
        assert!(disk.len().is_err());
    }

    #[test]
    fn a_fault_fails_its_call_once_or_from_then_on() {
        let disk = SimulatedDisk::from_image(vec![0; 4]);
        disk.fail(IoFault {
            operation: Operation::Write,
            at: 2,
            persistence: Persistence::Once,
        });
        disk.fail(IoFault {
            operation: Operation::Sync,
            at: 1,
            persistence: Persistence::Forever,
        });
        assert!(disk.write(0, &[1]).is_ok());
        assert!(disk.write(1, &[1]).is_err());
        assert!(disk.write(2, &[1]).is_ok());
        assert!(disk.sync_data().is_err());
        assert!(disk.sync_data().is_err());
        assert_eq!(disk.durable_image(), vec![0; 4]);
        assert_eq!(disk.live_image(), vec![1, 0, 1, 0]);
        disk.lift_faults();
        assert!(disk.sync_data().is_ok());
        assert_eq!(disk.durable_image(), vec![1, 0, 1, 0]);
        assert_eq!(disk.failures(), 3);
    }

    #[test]
    fn a_full_disk_fails_what_would_grow_the_file_with_storage_full() {
        let disk = SimulatedDisk::from_image(vec![0; 4]);
        disk.fill_at(6);
        assert!(disk.write(0, &[1, 1, 1, 1, 1, 1]).is_ok());
        let error = disk.write(4, &[2, 2, 2]).unwrap_err();
        assert_eq!(error.kind(), std::io::ErrorKind::StorageFull);
        assert_eq!(
            disk.set_len(7).unwrap_err().kind(),
            std::io::ErrorKind::StorageFull
        );
        assert!(disk.set_len(2).is_ok());
        assert_eq!(disk.failures(), 2);
        disk.lift_faults();
        assert!(disk.set_len(64).is_ok());
    }

    #[test]
    fn a_held_sync_waits_for_its_release() {
        let disk = SimulatedDisk::from_image(vec![0; 4]);
        let hold = disk.hold_next_sync();
        let syncing = {
            let disk = disk.clone();
            std::thread::spawn(move || disk.sync_data())
        };
        assert!(hold.wait_until_held(std::time::Duration::from_secs(30)));
        hold.release();
        syncing.join().unwrap().unwrap();
        // Released holds do not hold the next sync.
        disk.sync_data().unwrap();
    }
}
