//! Tidy tests: tests that read the source tree and fail when one of the invariants
//! docs/ARCHITECTURE.md states breaks: the pure crates read no clock, randomness or IO, only
//! the store names redb, only the server serves HTTP, every source file says what it is for,
//! the codemap names every crate and what the repository holds, and every limit of the Limits
//! table is in the code with the value the table states.
//!
//! They read the files as text, so they know Rust only as far as they need: a line comment is
//! skipped, and so is an item under `#[cfg(test)]` (a crate's unit tests are not the crate).

mod boundaries;
mod codemap;
mod headers;
mod limits;

use std::path::{Path, PathBuf};

/// The repository's root: the root package's folder.
fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// A file of the repository: its path from the root, with `/` between folders, and its text.
struct Source {
    path: String,
    text: String,
}

/// Every file under `folder` (a path from the root) whose name ends with `suffix`, build
/// output and hidden folders left out.
fn files(folder: &str, suffix: &str) -> Vec<Source> {
    let mut found = Vec::new();
    walk(&root().join(folder), suffix, &mut found);
    found.sort();
    found
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path)
                .unwrap_or_else(|error| panic!("{}: {error}", path.display()));
            let relative = path.strip_prefix(root()).unwrap();
            let parts: Vec<String> = relative
                .components()
                .map(|part| part.as_os_str().to_string_lossy().into_owned())
                .collect();
            Source {
                path: parts.join("/"),
                text,
            }
        })
        .collect()
}

fn walk(folder: &Path, suffix: &str, found: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(folder) else {
        return;
    };
    for entry in entries {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy();
        if path.is_dir() {
            // Build output (the workspace's, the fuzz crate's), the fuzzer's corpora, git.
            if !(name.starts_with('.') || name == "target" || name == "corpus") {
                walk(&path, suffix, found);
            }
        } else if name.ends_with(suffix) {
            found.push(path);
        }
    }
}

/// Every Rust file of the repository.
fn rust_files() -> Vec<Source> {
    files(".", ".rs")
}

/// The lines of `text` that are code, with their numbers (from 1): line comments and items
/// under `#[cfg(test)]` left out. rustfmt puts an item's closing brace alone on a line at the
/// indentation of the item, which is how the end of a test item is found.
fn code_lines(text: &str) -> Vec<(usize, &str)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut code = Vec::new();
    let mut index = 0;
    while index < lines.len() {
        let line = lines[index];
        let trimmed = line.trim_start();
        if trimmed.starts_with("#[cfg(test)]") {
            index = end_of_item(&lines, index + 1);
            continue;
        }
        if !trimmed.starts_with("//") {
            code.push((index + 1, line));
        }
        index += 1;
    }
    code
}

/// The index of the line after the item that starts at `start` (after its attributes).
fn end_of_item(lines: &[&str], start: usize) -> usize {
    let mut first = start;
    while first < lines.len() && lines[first].trim_start().starts_with("#[") {
        first += 1;
    }
    let Some(line) = lines.get(first) else {
        return lines.len();
    };
    if line.trim_end().ends_with(';') {
        return first + 1;
    }
    let indent = line.len() - line.trim_start().len();
    let closing = format!("{}}}", " ".repeat(indent));
    lines[first..]
        .iter()
        .position(|line| line.trim_end() == closing)
        .map_or(lines.len(), |offset| first + offset + 1)
}

/// Whether `line` names `token` as code: not inside a longer identifier.
fn names(line: &str, token: &str) -> bool {
    let identifier = |c: char| c.is_alphanumeric() || c == '_';
    line.match_indices(token).any(|(at, _)| {
        let before = line[..at].chars().next_back();
        let after = line[at + token.len()..].chars().next();
        !before.is_some_and(identifier) && (token.ends_with(':') || !after.is_some_and(identifier))
    })
}

#[test]
fn the_reader_skips_comments_and_test_items() {
    let text = "\
//! A file.
use std::fs;
// std::net in a comment
fn f() {}

#[cfg(test)]
mod tests {
    use std::net;
}

#[cfg(test)]
#[allow(dead_code)]
fn helper() {
    std::env::var(\"X\");
}

#[cfg(test)]
use std::io;
fn g() {}
";
    let lines: Vec<usize> = code_lines(text).into_iter().map(|(at, _)| at).collect();
    assert_eq!(lines, [2, 4, 5, 10, 16, 19]);
    assert!(names("use std::fs;", "std::fs"));
    assert!(!names("use std::fsx;", "std::fs"));
    assert!(names("let now = Instant::now();", "Instant"));
    assert!(!names("const INSTANT_MAX: &str", "Instant"));
    assert!(!names("fn as_instant()", "Instant"));
    assert!(names("x: redb::Database", "redb::"));
    assert!(!names("let file = \"ledger.redb\";", "redb::"));
}
