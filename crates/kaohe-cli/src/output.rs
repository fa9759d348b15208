//! One line per check, the same layout for every command that verifies.

/// An error and its causes on one line, each after a colon (as `{:#}` prints an
/// `anyhow::Error`).
pub fn with_causes(error: &(dyn std::error::Error + 'static)) -> String {
    anyhow::Chain::new(error)
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(": ")
}

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

/// A progress bar on standard error for long passes over a ledger; hidden when standard error
/// is not a terminal, so scripts and logs see only the result lines.
pub fn progress(total: u64, what: &str) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(total);
    bar.set_style(
        indicatif::ProgressStyle::with_template(&format!(
            "{what} {{bar:40}} {{pos}}/{{len}} ({{eta}})"
        ))
        .expect("a valid template"),
    );
    bar
}
