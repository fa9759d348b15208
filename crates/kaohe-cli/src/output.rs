//! One line per check, the same layout for every command that verifies.

/// Print a check that passed.
pub fn passed(check: &str, detail: &str) {
    println!("ok    {check:<21} {detail}");
}

/// Print a check that failed.
pub fn failed(check: &str, detail: &str) {
    println!("FAIL  {check:<21} {detail}");
}

/// Print a check that was not run, and why.
pub fn skipped(check: &str, detail: &str) {
    println!("--    {check:<21} {detail}");
}
