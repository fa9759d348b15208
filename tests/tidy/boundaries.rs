//! The boundaries between the crates: the pure crates read no clock, randomness or IO; only
//! the store names redb; only the server serves HTTP, and the HTTP clients are the ones the
//! map names.

use crate::{Source, code_lines, files, names, rust_files};

/// The crates that take values and return values (docs/ARCHITECTURE.md, "Architecture
/// Invariants"): the format and the rules.
const PURE_CRATES: &[&str] = &["crates/kaohe-ledger", "crates/kaohe-assess"];

/// What a pure crate's code never names, and why.
const IMPURE: &[(&str, &str)] = &[
    ("SystemTime", "reads the clock"),
    ("Instant", "reads the clock"),
    ("Timestamp::now", "reads the clock"),
    ("Zoned::now", "reads the clock"),
    ("now_v1", "reads the clock"),
    ("now_v6", "reads the clock"),
    ("now_v7", "reads the clock"),
    ("TimeZone::system", "reads the machine's time zone"),
    ("new_v4", "draws random bits"),
    ("getrandom", "draws random bits"),
    ("rand::", "draws random bits"),
    ("OsRng", "draws random bits"),
    ("thread_rng", "draws random bits"),
    ("std::fs", "touches the disk"),
    ("std::net", "touches the network"),
    ("std::io", "does IO"),
    ("std::env", "reads the environment"),
    ("std::process", "runs processes"),
    ("tokio", "does IO"),
    ("redb", "touches the disk"),
];

/// The dependencies a pure crate never has: what would read a clock, draw random bits or do
/// IO for it.
const IMPURE_DEPENDENCIES: &[&str] = &[
    "getrandom",
    "rand",
    "tokio",
    "redb",
    "axum",
    "hyper",
    "hyper-util",
];

/// Where redb is named outside kaohe-store, each with why; nothing else may name it.
const REDB_ELSEWHERE: &[(&str, &str)] = &[
    (
        "crates/kaohe-bench/src/baseline.rs",
        "the benchmark's raw redb baseline, which writes its own files, never a ledger's",
    ),
    (
        "tests/e2e/readers.rs",
        "shows that redb's own read-only open refuses a file its writer never closed, the case \
         the readers must repair in memory",
    ),
    (
        "tests/e2e/tamper.rs",
        "rewrites an event's bytes through redb, past the store's API, as an attacker would",
    ),
];

/// The manifests and sections that may depend on redb: the workspace's version, the store,
/// the bench's baseline, and the root package's tests (for `tests/e2e/tamper.rs`).
const REDB_DEPENDENTS: &[(&str, &str)] = &[
    ("Cargo.toml", "workspace.dependencies"),
    ("Cargo.toml", "dev-dependencies"),
    ("crates/kaohe-store/Cargo.toml", "dependencies"),
    ("crates/kaohe-bench/Cargo.toml", "dependencies"),
];

/// What serves HTTP: a server loop, a server connection, a listening TCP socket.
const SERVING: &[&str] = &[
    "axum::serve",
    "serve_connection",
    "hyper::server",
    "hyper_util::server",
    "TcpListener",
];

/// The code outside tests that makes HTTP requests, as the map says: the mirror follows a
/// served ledger, and the bench's row 9 posts to the service over loopback.
const HTTP_CLIENTS: &[&str] = &[
    "crates/kaohe-bench/src/http.rs",
    "crates/kaohe-cli/src/mirror.rs",
];

/// Every place in `sources` whose code names one of `tokens`, as `path:line: token`.
fn naming<'a>(sources: &'a [Source], tokens: &[&'a str]) -> Vec<(&'a str, String)> {
    let mut found = Vec::new();
    for source in sources {
        for (number, line) in code_lines(&source.text) {
            for token in tokens {
                if names(line, token) {
                    found.push((
                        source.path.as_str(),
                        format!("{}:{number}: {token}", source.path),
                    ));
                }
            }
        }
    }
    found
}

/// Whether `path` is one of these tidy tests, which name the words they look for.
fn is_tidy(path: &str) -> bool {
    path.starts_with("tests/tidy/")
}

/// Whether `path` is a test: a crate's `tests/`, the root package's end-to-end tests.
fn is_test(path: &str) -> bool {
    path.starts_with("tests/") || path.contains("/tests/")
}

#[test]
fn the_pure_crates_read_no_clock_randomness_or_io() {
    let mut offences = Vec::new();
    for krate in PURE_CRATES {
        let sources = files(&format!("{krate}/src"), ".rs");
        assert!(sources.len() > 5, "{krate}: the sources were not found");
        let tokens: Vec<&str> = IMPURE.iter().map(|(token, _)| *token).collect();
        for (_, place) in naming(&sources, &tokens) {
            let token = place.rsplit(": ").next().unwrap();
            let why = IMPURE.iter().find(|(name, _)| *name == token).unwrap().1;
            offences.push(format!("{place} ({why})"));
        }
    }
    assert!(
        offences.is_empty(),
        "the pure crates take the time and any randomness as arguments and do no IO:\n{}",
        offences.join("\n")
    );
}

#[test]
fn the_pure_crates_depend_on_nothing_that_does_io() {
    for krate in PURE_CRATES {
        let manifest =
            std::fs::read_to_string(crate::root().join(krate).join("Cargo.toml")).unwrap();
        for (section, dependency) in dependencies(&manifest) {
            assert!(
                section != "dependencies" || !IMPURE_DEPENDENCIES.contains(&dependency.as_str()),
                "{krate} depends on {dependency}"
            );
        }
    }
}

#[test]
fn only_the_store_names_redb() {
    let sources: Vec<Source> = rust_files()
        .into_iter()
        .filter(|source| !source.path.starts_with("crates/kaohe-store/") && !is_tidy(&source.path))
        .collect();
    let found = naming(&sources, &["redb::", "use redb"]);
    let mut offences = Vec::new();
    for (path, place) in &found {
        if !REDB_ELSEWHERE.iter().any(|(allowed, _)| allowed == path) {
            offences.push(place.clone());
        }
    }
    assert!(
        offences.is_empty(),
        "only kaohe-store names redb (or add the file to REDB_ELSEWHERE, saying why):\n{}",
        offences.join("\n")
    );
    // The exceptions stay true: each still names redb.
    for (allowed, why) in REDB_ELSEWHERE {
        assert!(
            found.iter().any(|(path, _)| path == allowed),
            "{allowed} no longer names redb ({why}): take it off the list"
        );
    }
}

#[test]
fn only_the_store_and_the_named_exceptions_depend_on_redb() {
    let mut found = Vec::new();
    for manifest in files(".", "Cargo.toml") {
        for (section, dependency) in dependencies(&manifest.text) {
            if dependency == "redb" {
                found.push((manifest.path.clone(), section));
            }
        }
    }
    let mut expected: Vec<(String, String)> = REDB_DEPENDENTS
        .iter()
        .map(|(path, section)| ((*path).to_owned(), (*section).to_owned()))
        .collect();
    found.sort();
    expected.sort();
    assert_eq!(found, expected);
}

#[test]
fn only_the_server_serves_http() {
    let sources: Vec<Source> = rust_files()
        .into_iter()
        .filter(|source| !source.path.starts_with("crates/kaohe-server/") && !is_tidy(&source.path))
        .collect();
    let offences: Vec<String> = naming(&sources, SERVING)
        .into_iter()
        .map(|(_, place)| place)
        .collect();
    assert!(
        offences.is_empty(),
        "only kaohe-server serves HTTP (others call kaohe_server::serve):\n{}",
        offences.join("\n")
    );
    // The server does serve: the check looks for the right words.
    let server = files("crates/kaohe-server/src", ".rs");
    assert!(!naming(&server, &["axum::serve"]).is_empty());
}

#[test]
fn the_http_clients_are_the_ones_the_map_names() {
    let sources: Vec<Source> = rust_files()
        .into_iter()
        .filter(|source| !is_test(&source.path) && !source.path.starts_with("fuzz/"))
        .collect();
    let mut clients: Vec<&str> = naming(&sources, &["hyper_util::client", "hyper::client"])
        .into_iter()
        .map(|(path, _)| path)
        .collect();
    clients.dedup();
    assert_eq!(clients, HTTP_CLIENTS);
}

/// Every dependency a manifest declares, as (section, name): `[dependencies]`,
/// `[dev-dependencies]`, `[workspace.dependencies]` and the like.
fn dependencies(manifest: &str) -> Vec<(String, String)> {
    let mut section = String::new();
    let mut found = Vec::new();
    for line in manifest.lines().map(str::trim) {
        if let Some(name) = line
            .strip_prefix('[')
            .and_then(|rest| rest.strip_suffix(']'))
        {
            section = name.to_owned();
        } else if section.ends_with("dependencies")
            && let Some((key, _)) = line.split_once('=')
            && !line.starts_with('#')
        {
            let name = key.trim().split('.').next().unwrap_or_default();
            found.push((section.clone(), name.to_owned()));
        }
    }
    found
}

#[test]
fn the_manifest_reader_finds_dependencies_by_section() {
    let manifest = "[package]\nname = \"x\"\n\n[dependencies]\nredb.workspace = true\n\
                    tokio = { version = \"1\" }\n# redb = \"4\"\n\n[dev-dependencies]\nredb = \"4\"\n";
    assert_eq!(
        dependencies(manifest),
        [
            ("dependencies".to_owned(), "redb".to_owned()),
            ("dependencies".to_owned(), "tokio".to_owned()),
            ("dev-dependencies".to_owned(), "redb".to_owned()),
        ]
    );
}
