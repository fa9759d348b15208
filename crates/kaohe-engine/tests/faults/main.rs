//! The storage fault suites: the ledger on a simulated disk that loses power at every sync
//! point of a scripted workload (`crash`), fails reads, writes and syncs at every point
//! (`io_errors`), and fills up (`full_disk`). Each prints what it ran. A quick slice runs by
//! default; set `KAOHE_FAULTS_FULL=1` for every point with every variant.

mod crash;
mod full_disk;
mod io_errors;
mod workload;

/// Whether the full suites run (`KAOHE_FAULTS_FULL=1`), rather than the quick slice.
pub fn full() -> bool {
    std::env::var("KAOHE_FAULTS_FULL").is_ok_and(|value| value == "1")
}

/// Fails the suite if it collected any failure, listing every one, a line each.
pub fn assert_none(failures: &[String]) {
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
