//! The test support crate stays out of the product: in every package of the workspace (and in
//! the root package, which builds the `kaohe` binary) it is named only under
//! `[dev-dependencies]`, so no binary or library that ships links it.

use std::path::{Path, PathBuf};

fn root() -> &'static Path {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../.."))
}

/// The manifests of the root package and of every crate under `crates/`.
fn manifests() -> Vec<PathBuf> {
    let mut found = vec![root().join("Cargo.toml")];
    for entry in std::fs::read_dir(root().join("crates")).unwrap() {
        let manifest = entry.unwrap().path().join("Cargo.toml");
        if manifest.exists() {
            found.push(manifest);
        }
    }
    found
}

/// The sections of `text` that name `kaohe-testkit` as a dependency: `[dependencies]`,
/// `[dev-dependencies]`, `[target.'cfg(..)'.build-dependencies]` and the like, or
/// `[dependencies.kaohe-testkit]` written as a table of its own.
fn sections_naming_the_testkit(text: &str) -> Vec<String> {
    let mut section = String::new();
    let mut found = Vec::new();
    for line in text.lines().map(str::trim) {
        if let Some(header) = line
            .strip_prefix('[')
            .and_then(|line| line.strip_suffix(']'))
        {
            section = header.trim_matches(['[', ']']).to_owned();
            if let Some(table) = section.strip_suffix(".kaohe-testkit") {
                found.push(table.to_owned());
            }
        } else if line.starts_with("kaohe-testkit") {
            found.push(section.clone());
        }
    }
    found
}

#[test]
fn only_dev_dependencies_name_the_testkit() {
    let mut named = 0;
    for manifest in manifests() {
        let text = std::fs::read_to_string(&manifest).unwrap();
        for section in sections_naming_the_testkit(&text) {
            let kind = section.rsplit('.').next().unwrap_or_default();
            // The workspace declares it once, for members to refer to.
            if section == "workspace.dependencies" {
                continue;
            }
            assert_eq!(
                kind,
                "dev-dependencies",
                "{} names kaohe-testkit in [{section}]",
                manifest.display()
            );
            named += 1;
        }
    }
    assert!(
        named > 0,
        "no package uses the testkit: is the check reading the manifests?"
    );
}

#[test]
fn the_check_sees_every_way_a_manifest_names_a_dependency() {
    let text = "[dependencies]\nkaohe-testkit.workspace = true\n\
                [dev-dependencies]\nkaohe-testkit = { workspace = true }\n\
                [target.'cfg(unix)'.dependencies]\nkaohe-testkit = \"0.1\"\n\
                [build-dependencies.kaohe-testkit]\npath = \"x\"\n";
    assert_eq!(
        sections_naming_the_testkit(text),
        [
            "dependencies",
            "dev-dependencies",
            "target.'cfg(unix)'.dependencies",
            "build-dependencies"
        ]
    );
}
