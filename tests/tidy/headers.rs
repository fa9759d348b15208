//! Every source file opens with a `//!` line saying what it is for.

use crate::rust_files;

#[test]
fn every_source_file_says_what_it_is_for() {
    let sources = rust_files();
    assert!(sources.len() > 100, "the sources were not found");
    let missing: Vec<&str> = sources
        .iter()
        .filter(|source| !source.text.starts_with("//!"))
        .map(|source| source.path.as_str())
        .collect();
    assert!(
        missing.is_empty(),
        "these files do not open with a `//!` line:\n{}",
        missing.join("\n")
    );
}
