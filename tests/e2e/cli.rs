//! The inspector's commands on a real data directory: init, checkpoint, export, verify.

use crate::support::{append, checkpoint, export, ledger, run};

#[test]
fn init_checkpoint_export_and_verify_a_ledger() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("ledger");
    let key = ledger(&data, 12);
    let dir = data.to_str().unwrap();

    let (code, stdout, _) = run(&["verify", dir]);
    assert_eq!(code, 0, "{stdout}");
    assert!(
        stdout.contains("ok    hash chain            12 links"),
        "{stdout}"
    );
    assert!(
        stdout.contains("--    checkpoint signature  no checkpoint stored yet"),
        "{stdout}"
    );
    assert!(stdout.contains("verified: 13 events"), "{stdout}");

    let saved = checkpoint(&data, "saved.checkpoint");
    let text = std::fs::read_to_string(&saved).unwrap();
    assert!(text.starts_with("kaohe.test/shifanzhen\n13\n"), "{text}");
    assert!(text.contains("\n\n— kaohe.test/shifanzhen "), "{text}");

    append(&data, 5);
    let export = export(&data, "ledger.jsonl");
    let contents = std::fs::read_to_string(&export).unwrap();
    assert_eq!(contents.lines().count(), 19);
    assert!(
        contents
            .lines()
            .last()
            .unwrap()
            .starts_with("{\"checkpoint\":\"kaohe.test/shifanzhen\\n18\\n")
    );

    for path in [dir, export.to_str().unwrap()] {
        let (code, stdout, _) = run(&[
            "verify",
            path,
            "--checkpoint",
            saved.to_str().unwrap(),
            "--key",
            &key,
        ]);
        assert_eq!(code, 0, "{stdout}");
        assert!(
            stdout.contains("ok    saved checkpoint      size 13"),
            "{stdout}"
        );
        assert!(stdout.contains("(the trusted key)"), "{stdout}");
        // One thread or several, the same report.
        for threads in ["1", "3"] {
            let (_, threaded, _) = run(&[
                "verify",
                path,
                "--checkpoint",
                saved.to_str().unwrap(),
                "--key",
                &key,
                "--threads",
                threads,
            ]);
            assert_eq!(threaded, stdout, "--threads {threads}");
        }
        // A data directory also has its file's pages checked, an export its file's lines.
        let checks = 12;
        assert_eq!(
            stdout.lines().filter(|line| line.starts_with("ok")).count(),
            checks,
            "{stdout}"
        );
    }
}

#[test]
fn the_signing_key_is_owner_only_and_init_refuses_to_overwrite() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("ledger");
    ledger(&data, 0);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(data.join("ledger.key"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let (code, _, stderr) = run(&["init", "--data", data.to_str().unwrap(), "--org", "x"]);
    assert_eq!(code, 2);
    assert!(stderr.contains("already holds a ledger"), "{stderr}");
}

#[test]
fn bad_arguments_get_clear_errors_and_write_nothing() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("ledger");
    for (option, value, said) in [
        ("--origin", "has space", "origin"),
        ("--time-zone", "Mars/Olympus", "unknown time zone"),
        // The IANA name spelled otherwise: an outside verifier's case-sensitive lookup would fail.
        (
            "--time-zone",
            "asia/shanghai",
            "not spelled as the IANA time zone database spells it: Asia/Shanghai",
        ),
    ] {
        let (code, _, stderr) = run(&[
            "init",
            "--data",
            data.to_str().unwrap(),
            "--org",
            "示范镇",
            option,
            value,
        ]);
        assert_eq!(code, 2, "{option} {value}");
        assert!(stderr.contains(said), "{stderr}");
        // Refused, it writes neither a key nor a ledger.
        assert!(!data.join("ledger.key").exists() && !data.join("ledger.redb").exists());
    }
    let (code, _, stderr) = run(&["verify", root.path().join("nothing").to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(stderr.contains("cannot open"), "{stderr}");
    let (code, _, stderr) = run(&["checkpoint", "--data", root.path().to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(stderr.contains("kaohe init"), "{stderr}");
}

#[test]
fn a_failed_verification_names_the_event_and_exits_1() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("ledger");
    ledger(&data, 6);
    let export = export(&data, "ledger.jsonl");
    let mut lines: Vec<String> = std::fs::read_to_string(&export)
        .unwrap()
        .lines()
        .map(str::to_owned)
        .collect();
    lines[3] = lines[3].replace("走访", "走过");
    std::fs::write(&export, lines.join("\n") + "\n").unwrap();
    let (code, stdout, _) = run(&["verify", export.to_str().unwrap()]);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains("FAIL  hash chain            event 3:"),
        "{stdout}"
    );
    assert!(stdout.contains("NOT VERIFIED: event 3:"), "{stdout}");
}

#[test]
fn every_command_says_what_it_does_and_shows_an_example() {
    let (code, top, _) = crate::support::run(&["--help"]);
    assert_eq!(code, 0);
    assert!(top.contains("Getting started:"), "{top}");
    let commands: Vec<String> = top
        .lines()
        .skip_while(|line| !line.starts_with("Commands:"))
        .skip(1)
        .take_while(|line| line.starts_with("  "))
        .map(|line| line.split_whitespace().next().unwrap().to_owned())
        .filter(|command| command != "help")
        .collect();
    assert!(commands.len() >= 12, "{commands:?}");
    let mut paths: Vec<Vec<String>> = commands
        .iter()
        .map(|command| vec![command.clone()])
        .collect();
    for group in ["token", "prove"] {
        let (_, help, _) = crate::support::run(&[group, "--help"]);
        for line in help
            .lines()
            .skip_while(|line| !line.starts_with("Commands:"))
            .skip(1)
            .take_while(|line| line.starts_with("  "))
        {
            let sub = line.split_whitespace().next().unwrap();
            if sub != "help" {
                paths.push(vec![group.to_owned(), sub.to_owned()]);
            }
        }
    }
    for path in paths {
        let mut args: Vec<&str> = path.iter().map(String::as_str).collect();
        args.push("--help");
        let (code, help, _) = crate::support::run(&args);
        assert_eq!(code, 0, "{path:?}");
        assert!(
            help.contains("Example:") || help.contains("Examples:"),
            "{path:?} shows no example:\n{help}"
        );
        assert!(
            help.lines().next().is_some_and(|line| line.len() > 20),
            "{path:?} does not say what it does:\n{help}"
        );
    }
}

#[test]
fn a_saved_checkpoint_file_is_read_exactly_as_kaohe_checkpoint_wrote_it() {
    let root = tempfile::tempdir().unwrap();
    let data = root.path().join("ledger");
    ledger(&data, 2);
    let saved = checkpoint(&data, "saved.checkpoint");
    let dir = data.to_str().unwrap();
    let (code, stdout, _) = run(&["verify", dir, "--checkpoint", saved.to_str().unwrap()]);
    assert_eq!(code, 0, "{stdout}");
    // The same note with CR LF line endings, as an editor on another system might save it.
    let text = std::fs::read_to_string(&saved).unwrap();
    let converted = root.path().join("converted.checkpoint");
    std::fs::write(&converted, text.replace('\n', "\r\n")).unwrap();
    let (code, stdout, _) = run(&["verify", dir, "--checkpoint", converted.to_str().unwrap()]);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains(
            "FAIL  saved checkpoint      line 1 of the checkpoint file ends with a carriage return"
        ),
        "{stdout}"
    );
    assert!(
        stdout.contains("--    hash chain            not run"),
        "{stdout}"
    );
}
