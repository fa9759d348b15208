//! Power loss at every sync point of the workload, with every kind of damage to the writes
//! not yet synced; then power loss again at every sync point of the recovery (reopening,
//! retrying the step that failed, closing). After each, the ledger must open with every
//! acknowledged event, no step half there, and verify; resumed, the workload must end with
//! exactly the ledger a run without a crash leaves.

use std::time::Instant;

use kaohe_store::fault::{Damage, Operation, SimulatedDisk};

use crate::workload::{CLOSE, Outcome, Reference, Run, STEPS, check_disk, resume};
use crate::{assert_none, full};

/// In the quick slice, a crash point takes one damage, in turn, so every point and every
/// damage are run; the recovery of one cycle in this many is crashed too.
const QUICK_RECOVERY_EVERY: u64 = 4;

fn seed(sync: u64, damage: usize, recovery_sync: u64) -> u64 {
    sync * 1_000_003 + damage as u64 * 7919 + recovery_sync
}

#[derive(Default)]
struct Counts {
    cycles: u64,
    recovery_points: u64,
    recovery_cycles: u64,
    answers_lost: u64,
    creates_refused: u64,
    acked_lost: u64,
}

#[test]
fn acknowledged_events_survive_power_loss_at_every_sync_and_during_recovery() {
    let started = Instant::now();
    let full = full();
    let reference = Reference::record();
    let syncs = reference.syncs();
    let mut counts = Counts::default();
    let mut failures: Vec<String> = Vec::new();
    for sync in 1..=syncs {
        for (index, damage) in Damage::ALL.into_iter().enumerate() {
            if !full && (sync as usize + index) % Damage::ALL.len() != 0 {
                continue;
            }
            let label = format!("power lost at sync {sync} ({})", damage.name());
            let mut run = Run::new(SimulatedDisk::new());
            run.disk.crash_at_sync(sync, damage, seed(sync, index, 0));
            run.steps(0, STEPS.len());
            let Some(image) = run.disk.crash_image() else {
                failures.push(format!(
                    "{label}: the workload made fewer syncs than before"
                ));
                continue;
            };
            let outcome = run.outcome.clone();
            drop(run);
            counts.cycles += 1;
            // Closing reports nothing (redb's clean shutdown runs in a drop), so a crash
            // there leaves every step answered; any other crash fails a step.
            if outcome.failed.is_none() && !closing(&reference, sync) {
                failures.push(format!("{label}: every step was answered after the crash"));
                continue;
            }
            let disk = SimulatedDisk::from_image(image.clone());
            match check_disk(&disk, &reference, &outcome) {
                Err(error) => {
                    counts.acked_lost += u64::from(error.contains("lost"));
                    failures.push(format!("{label}: {error}"));
                    continue;
                }
                Ok(None) => counts.creates_refused += 1,
                Ok(Some(size)) => {
                    let acked = outcome.acked.len() as u64;
                    counts.answers_lost += u64::from(size > acked);
                }
            }
            if let Err(error) = resume(disk, &outcome, &reference) {
                failures.push(format!("{label}, then resumed: {error}"));
            }
            if full || sync % QUICK_RECOVERY_EVERY == 0 {
                let damages: Vec<(usize, Damage)> = if full {
                    Damage::ALL.into_iter().enumerate().collect()
                } else {
                    vec![(index, damage)]
                };
                crash_recovery(
                    &image,
                    &outcome,
                    &reference,
                    &damages,
                    (sync, &label),
                    &mut counts,
                    &mut failures,
                );
            }
        }
    }
    eprintln!(
        "crash ({} run): {syncs} sync points x {} damages; {} crash cycles, {} acknowledged \
         events lost; {} answers lost for steps that did land; {} crashes during creation \
         left no ledger; recovery: {} sync points crashed, {} recovery crash cycles; {:.1} s",
        if full { "full" } else { "quick" },
        Damage::ALL.len(),
        counts.cycles,
        counts.acked_lost,
        counts.answers_lost,
        counts.creates_refused,
        counts.recovery_points,
        counts.recovery_cycles,
        started.elapsed().as_secs_f64(),
    );
    assert_none(&failures);
    assert!(counts.cycles >= syncs, "too few crash cycles ran");
}

/// Whether `sync` is one of those closing the store makes.
fn closing(reference: &Reference, sync: u64) -> bool {
    sync > reference.syncs_before_close
}

/// Crash again at every sync of the recovery from `image`: reopening, retrying the step that
/// failed, and closing.
fn crash_recovery(
    image: &[u8],
    outcome: &Outcome,
    reference: &Reference,
    damages: &[(usize, Damage)],
    (sync, label): (u64, &str),
    counts: &mut Counts,
    failures: &mut Vec<String>,
) {
    let failed = outcome.failed.as_ref().map_or(CLOSE, |(step, _)| *step);
    let recover = |run: &mut Run| {
        if run.open().is_ok() {
            // Retrying creation is the open itself.
            if failed != 0 && failed != CLOSE {
                run.steps(failed, failed + 1);
            }
            run.steps(CLOSE, CLOSE + 1);
        }
    };
    let mut probe = Run::new(SimulatedDisk::from_image(image.to_vec()));
    if probe.open().is_err() {
        // A crash during creation that left no ledger: there is nothing to recover.
        return;
    }
    probe = Run::new(SimulatedDisk::from_image(image.to_vec()));
    recover(&mut probe);
    let recovery_syncs = probe.disk.calls(Operation::Sync);
    drop(probe);
    for recovery_sync in 1..=recovery_syncs {
        counts.recovery_points += 1;
        for (index, damage) in damages {
            let mut run = Run::new(SimulatedDisk::from_image(image.to_vec()));
            run.disk
                .crash_at_sync(recovery_sync, *damage, seed(sync, *index, recovery_sync));
            recover(&mut run);
            let Some(second) = run.disk.crash_image() else {
                failures.push(format!(
                    "{label}, recovery crash at sync {recovery_sync}: no such sync"
                ));
                continue;
            };
            let mut both = outcome.clone();
            both.acked.extend(run.outcome.acked.iter().copied());
            both.checkpoints
                .extend(run.outcome.checkpoints.iter().copied());
            both.failed = Some((failed, "crashed during recovery".into()));
            drop(run);
            counts.recovery_cycles += 1;
            if let Err(error) = check_disk(&SimulatedDisk::from_image(second), reference, &both) {
                counts.acked_lost += u64::from(error.contains("lost"));
                failures.push(format!(
                    "{label}, power lost again at recovery sync {recovery_sync} ({}): {error}",
                    damage.name()
                ));
            }
        }
    }
}
