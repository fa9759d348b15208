//! A disk that fills up: the append that needs room the disk lacks is answered with a full
//! disk (`StorageError::DiskFull`), told apart from any other I/O error, and loses nothing
//! acknowledged; once there is room and the file is opened again, appends go on.

use kaohe_store::fault::{IoFault, Operation, Persistence, SimulatedDisk};
use kaohe_store::{AppendError, Expect, StorageError, Store};
use kaohe_testkit::{ScriptedClock, genesis};

use crate::workload::{entry, options};

/// The most appends tried before the disk must have run out of room.
const APPENDS_MAX: u64 = 10_000;

/// A new ledger on a simulated disk, the clock at the start of 2 January.
fn new_ledger() -> (ScriptedClock, SimulatedDisk, Store) {
    let clock = ScriptedClock::at("2026-01-02T00:00:00Z");
    let disk = SimulatedDisk::new();
    let store = Store::create_with_backend(disk.clone(), &genesis(), options(&clock)).unwrap();
    (clock, disk, store)
}

/// Append entries until one fails; returns how many were acknowledged and the failure.
fn append_until_refused(store: &Store, first: u64) -> (u64, AppendError) {
    for n in first..first + APPENDS_MAX {
        let day = 1 + (n % 28) as i8;
        if let Err(error) = store.append(entry(n, "p001", day), Expect::Any) {
            return (n - first, error);
        }
    }
    panic!("{APPENDS_MAX} appends and the disk never filled");
}

#[test]
fn a_full_disk_is_reported_as_full_and_loses_nothing_acknowledged() {
    let (clock, disk, store) = new_ledger();
    // No room beyond what the file holds now: the first append that grows it fails.
    disk.fill_at(disk.live_image().len() as u64);
    let (acked, error) = append_until_refused(&store, 1000);
    let full = matches!(&error, AppendError::Storage(StorageError::DiskFull(_)));
    assert!(full, "expected a full disk, got {error:?}");
    let io = std::error::Error::source(&error)
        .and_then(std::error::Error::source)
        .and_then(|cause| cause.downcast_ref::<std::io::Error>())
        .map(std::io::Error::kind);
    assert_eq!(io, Some(std::io::ErrorKind::StorageFull), "{error:?}");
    // redb stops after an I/O error: the next append is refused as such, not as a full disk.
    let after = store.append(entry(999, "p001", 1), Expect::Any);
    assert!(
        matches!(after, Err(AppendError::Storage(StorageError::Stopped))),
        "{after:?}"
    );
    drop(store);

    // Restarted with room: every acknowledged event is there and appends go on.
    disk.lift_faults();
    let reopened = Store::open_with_backend(
        SimulatedDisk::from_image(disk.live_image()),
        options(&clock),
    )
    .unwrap();
    let size = reopened.head().unwrap().size;
    assert!(
        size > acked,
        "{size} events, {acked} acknowledged appends after event 0"
    );
    reopened.append(entry(999, "p001", 1), Expect::Any).unwrap();
    kaohe_engine::verified_events(&reopened.snapshot().unwrap()).unwrap();
    eprintln!("full disk: {acked} appends before the disk filled; reported as a full disk");
}

#[test]
fn another_io_error_is_not_a_full_disk() {
    let (_, disk, store) = new_ledger();
    disk.fail(IoFault {
        operation: Operation::Sync,
        at: disk.calls(Operation::Sync) + 1,
        persistence: Persistence::Forever,
    });
    let refused = store.append(entry(1000, "p001", 1), Expect::Any);
    assert!(
        matches!(refused, Err(AppendError::Storage(StorageError::Io(_)))),
        "{refused:?}"
    );
}
