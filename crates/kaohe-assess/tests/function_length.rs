//! One function, one screen: no function in the rules crate's sources is longer than
//! `FUNCTION_LINES_MAX` lines, so each rule can be read whole.

use std::path::{Path, PathBuf};

/// The longest a function may be, from its `fn` line to its closing brace.
const FUNCTION_LINES_MAX: usize = 150;

fn sources(folder: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(folder).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            sources(&path, found);
        } else if path.extension().is_some_and(|extension| extension == "rs") {
            found.push(path);
        }
    }
}

/// Whether `line` starts a function item (not a call, a type or a comment).
fn starts_function(line: &str) -> bool {
    let mut words = line.split_whitespace().peekable();
    while let Some(word) = words.peek() {
        if word.starts_with("pub") || ["const", "async", "unsafe", "extern"].contains(word) {
            words.next();
        } else {
            break;
        }
    }
    words.next() == Some("fn")
}

/// (start line, length) of every function in `text` longer than the limit. rustfmt puts a
/// function's closing brace alone on a line at the indentation of its `fn`.
fn long_functions(text: &str) -> Vec<(usize, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut long = Vec::new();
    for (start, line) in lines.iter().enumerate() {
        // A function on one line (`fn f() {}`) is short.
        if !starts_function(line) || line.trim_end().ends_with('}') {
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        let closing = format!("{}}}", " ".repeat(indent));
        // A declaration without a body (in a trait) ends its signature with a semicolon.
        let signature_end = lines[start..]
            .iter()
            .find(|line| line.trim_end().ends_with('{') || line.trim_end().ends_with(';'));
        if signature_end.is_none_or(|line| line.trim_end().ends_with(';')) {
            continue;
        }
        let Some(end) = lines[start..]
            .iter()
            .position(|line| line.trim_end() == closing)
        else {
            continue;
        };
        let length = end + 1;
        if length > FUNCTION_LINES_MAX {
            long.push((start + 1, length));
        }
    }
    long
}

#[test]
fn no_function_of_the_rules_is_longer_than_a_screen() {
    let mut found = Vec::new();
    sources(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut found,
    );
    assert!(found.len() > 10, "the sources were not found");
    let mut offenders = Vec::new();
    for path in found {
        let text = std::fs::read_to_string(&path).unwrap();
        for (line, length) in long_functions(&text) {
            offenders.push(format!("{}:{line}: {length} lines", path.display()));
        }
    }
    assert!(
        offenders.is_empty(),
        "functions longer than {FUNCTION_LINES_MAX} lines:\n{}",
        offenders.join("\n")
    );
}

#[test]
fn the_scan_measures_functions() {
    let body = "    let x = 1;\n".repeat(FUNCTION_LINES_MAX);
    let long = format!("pub fn long() {{\n{body}}}\n\nfn short() {{}}\n");
    assert_eq!(long_functions(&long), [(1, FUNCTION_LINES_MAX + 2)]);
    let nested = format!("impl A {{\n    pub(crate) fn inner() {{\n{body}    }}\n}}\n");
    assert_eq!(long_functions(&nested), [(2, FUNCTION_LINES_MAX + 2)]);
    assert!(long_functions("fn f() {\n    g();\n}\n").is_empty());
}
