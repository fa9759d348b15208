//! I/O errors at every point of the workload: the n-th read, write, change of length or sync
//! fails, once or from then on. The failure must reach the caller as an error; nothing
//! acknowledged may be missing when the process restarts (with the operating system's cache
//! intact, or after a power loss), the ledger must verify, the engine must not hold events the
//! ledger lacks, and the workload, resumed, must end with exactly the reference ledger.

use std::time::Instant;

use kaohe_store::fault::{Damage, IoFault, Operation, Persistence, SimulatedDisk};

use crate::workload::{CLOSE, Reference, Run, STEPS, check_disk, reference_state, resume};
use crate::{assert_none, full};

/// In the quick slice, the calls of each kind tried: this many, spread over the workload.
const QUICK_POINTS_PER_OPERATION: u64 = 12;

#[derive(Default)]
struct Counts {
    points: u64,
    surfaced: u64,
    absorbed: u64,
    restarts: u64,
    acked_lost: u64,
}

#[test]
fn every_io_error_reaches_the_caller_and_loses_nothing_acknowledged() {
    let started = Instant::now();
    let full = full();
    let reference = Reference::record();
    let mut counts = Counts::default();
    let mut failures: Vec<String> = Vec::new();
    let mut per_operation = Vec::new();
    for operation in Operation::ALL {
        let calls = reference.calls[operation as usize];
        per_operation.push(format!("{} {calls}", operation.name()));
        let stride = if full {
            1
        } else {
            calls.div_ceil(QUICK_POINTS_PER_OPERATION).max(1)
        };
        let mut at = 1;
        while at <= calls {
            for persistence in [Persistence::Once, Persistence::Forever] {
                let fault = IoFault {
                    operation,
                    at,
                    persistence,
                };
                let label = format!("{} {at} fails {persistence:?}", operation.name());
                counts.points += 1;
                if let Err(error) = fault_point(fault, &reference, &mut counts) {
                    counts.acked_lost += u64::from(error.contains("lost"));
                    failures.push(format!("{label}: {error}"));
                }
            }
            // The quick slice walks with a stride, starting at a different offset for each
            // kind of call, and always includes the last call.
            at = if at < calls && at + stride > calls {
                calls
            } else {
                at + stride
            };
        }
    }
    eprintln!(
        "io errors ({} run): calls in the workload: {}; {} fault points (each once and \
         forever); {} failures reached the caller, {} were absorbed with nothing lost; {} \
         restarts checked; {} acknowledged events lost; {:.1} s",
        if full { "full" } else { "quick" },
        per_operation.join(", "),
        counts.points,
        counts.surfaced,
        counts.absorbed,
        counts.restarts,
        counts.acked_lost,
        started.elapsed().as_secs_f64(),
    );
    assert_none(&failures);
}

fn fault_point(fault: IoFault, reference: &Reference, counts: &mut Counts) -> Result<(), String> {
    let mut run = Run::new(SimulatedDisk::new());
    run.disk.fail(fault);
    run.steps(0, STEPS.len());
    let injected = run.disk.failures();
    if injected == 0 {
        return Err("the fault was never reached".into());
    }
    let outcome = run.outcome.clone();
    match &outcome.failed {
        Some(_) => counts.surfaced += 1,
        None => {
            // redb absorbed it (a write it only makes to save memory, say): then nothing may
            // differ from a run without faults.
            counts.absorbed += 1;
        }
    }
    let live = run.disk.live_image();
    // The engine may not hold events the ledger lacks: its state must be the state of what
    // the process itself would read back after a restart.
    let engine_state = run.engine_state();
    run.disk.lift_faults();
    let restarted = SimulatedDisk::from_image(live.clone());
    let size = check_disk(&restarted, reference, &outcome)
        .map_err(|error| format!("restarted: {error}"))?;
    counts.restarts += 1;
    if let (Some(state), Some(size)) = (engine_state, size)
        && outcome
            .failed
            .as_ref()
            .is_some_and(|(step, _)| *step != CLOSE)
        && state != reference_state(reference, size)
    {
        return Err(format!(
            "after the failure the engine's state is not the state of the {size} events the \
             ledger holds: it shows events that were refused"
        ));
    }
    // The power fails after the error, before anything else is synced.
    for damage in [Damage::DropAll, Damage::KeepAll] {
        let image = run.disk.image_after_power_loss(damage, 0);
        check_disk(&SimulatedDisk::from_image(image), reference, &outcome)
            .map_err(|error| format!("power lost after the error ({}): {error}", damage.name()))?;
        counts.restarts += 1;
    }
    run.close();
    drop(run);
    resume(SimulatedDisk::from_image(live), &outcome, reference)
}
