//! The codemap of docs/ARCHITECTURE.md names every crate, every file and folder at the top of
//! the repository, every folder of `tests/` and every page of `docs/`.

use crate::root;

/// What the repository holds that the map leaves out: version control, build output, and the
/// demo's data directory when a run left one.
const UNMAPPED: &[&str] = &[".git", ".gitignore", "target", "kaohe-demo"];

/// The codemap: the lines of the first fenced block after `## Codemap`.
fn codemap() -> Vec<String> {
    let map = std::fs::read_to_string(root().join("docs/ARCHITECTURE.md")).unwrap();
    let section = map
        .split("\n## Codemap\n")
        .nth(1)
        .expect("ARCHITECTURE.md has a Codemap section");
    let block = section
        .split("```")
        .nth(1)
        .expect("the codemap is a fenced block");
    block.lines().map(str::to_owned).collect()
}

/// Where a codemap line's description begins: an indentation this deep continues one.
const DESCRIPTION_INDENT: usize = 10;

/// The names the codemap gives at the start of its lines (`crates/kaohe-store/` is given as
/// `kaohe-store/` under `crates/`), with the description of each.
fn entries() -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = Vec::new();
    let mut parent = String::new();
    for line in codemap() {
        let indent = line.len() - line.trim_start().len();
        // A description goes on under its name, far to the right.
        if line.trim().is_empty() || indent >= DESCRIPTION_INDENT {
            if let Some((_, description)) = found.last_mut() {
                description.push(' ');
                description.push_str(line.trim());
            }
            continue;
        }
        let indented = line.starts_with(' ');
        let mut parts = line.trim().splitn(2, ' ');
        let name = parts.next().unwrap().to_owned();
        let description = parts.next().unwrap_or_default().trim().to_owned();
        if indented {
            found.push((format!("{parent}{name}"), description));
        } else {
            if name.ends_with('/') {
                parent = name.clone();
            }
            found.push((name, description));
        }
    }
    found
}

fn names(folder: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(folder)
        .unwrap()
        .map(|entry| {
            let entry = entry.unwrap();
            let name = entry.file_name().into_string().unwrap();
            if entry.path().is_dir() {
                format!("{name}/")
            } else {
                name
            }
        })
        .collect();
    names.sort();
    names
}

#[test]
fn the_codemap_names_everything_at_the_top_and_every_crate() {
    let mapped: Vec<String> = entries().into_iter().map(|(name, _)| name).collect();
    let mut missing = Vec::new();
    for name in names(root()) {
        if !UNMAPPED.contains(&name.trim_end_matches('/')) && !mapped.contains(&name) {
            // A folder may be mapped by what it holds (`tests/e2e/`), not as itself.
            if !mapped.iter().any(|entry| entry.starts_with(&name)) {
                missing.push(name);
            }
        }
    }
    for folder in ["crates", "tests"] {
        for name in names(&root().join(folder)) {
            let path = format!("{folder}/{name}");
            if name.ends_with('/') && !mapped.contains(&path) {
                missing.push(path);
            }
        }
    }
    assert!(
        missing.is_empty(),
        "the codemap of docs/ARCHITECTURE.md leaves out {missing:?}"
    );
}

#[test]
fn the_codemap_names_every_page_of_the_docs() {
    let (_, docs) = entries()
        .into_iter()
        .find(|(name, _)| name == "docs/")
        .expect("the codemap maps docs/");
    for page in names(&root().join("docs")) {
        assert!(
            docs.contains(&page),
            "the codemap's docs/ line leaves out {page}"
        );
    }
}
