//! A data directory: the ledger file and the signing key beside it; checkpoint and export.

use std::fs::{self, File, OpenOptions};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use kaohe_ledger::note::{Checkpoint, SignerKey};
use kaohe_ledger::verify::{Genesis, export_checkpoint_line};
use kaohe_store::{LEDGER_FILE, LedgerFile, Snapshot, Store, StoreOptions};

/// The name of the signing key file inside a data directory (owner-only permissions).
pub const KEY_FILE: &str = "ledger.key";

/// The ledger file of a data directory.
pub fn ledger_path(data: &Path) -> PathBuf {
    data.join(LEDGER_FILE)
}

/// Open the ledger of a data directory.
pub fn open(data: &Path) -> Result<Store> {
    open_with(data, StoreOptions::default())
}

/// Open the ledger of a data directory with `options`.
pub fn open_with(data: &Path, options: StoreOptions) -> Result<Store> {
    Store::open(&ledger_path(data), options)
        .with_context(|| format!("cannot open the ledger in {}", data.display()))
}

/// Open the ledger of a data directory to read it only: not a byte of the file changes, and a
/// copy no one may write is read as well (the commands of an inspector).
pub fn read(data: &Path) -> Result<(LedgerFile, Genesis)> {
    let context = || format!("cannot open the ledger in {}", data.display());
    let file = LedgerFile::open(&ledger_path(data)).with_context(context)?;
    let genesis = file.genesis().with_context(context)?;
    Ok((file, genesis))
}

/// Read the signing key of a data directory and check it is the ledger's, as event 0
/// (`genesis`) names it.
pub fn signer(data: &Path, genesis: &Genesis) -> Result<SignerKey> {
    let path = data.join(KEY_FILE);
    let text = fs::read_to_string(&path).with_context(|| {
        format!(
            "cannot read the signing key {}: checkpoints are signed where the key is kept",
            path.display()
        )
    })?;
    let key = SignerKey::parse(text.trim_end()).context("the signing key file is malformed")?;
    if key.verifier() != genesis.verifier_key {
        bail!(
            "the key in {} is not the key named in event 0 of this ledger",
            path.display()
        );
    }
    Ok(key)
}

/// Write `contents` to a new file with owner-only permissions; refuses to replace one.
pub fn write_private_file(path: &Path, contents: &str) -> Result<()> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options
        .open(path)
        .with_context(|| format!("cannot create {}", path.display()))?;
    file.write_all(contents.as_bytes())?;
    file.sync_all()?;
    Ok(())
}

/// Sign a checkpoint of the snapshot's size (or a past `size`) of the ledger whose event 0 is
/// `genesis`.
pub fn sign_checkpoint(
    key: &SignerKey,
    genesis: &Genesis,
    snapshot: &Snapshot,
    size: u64,
) -> Result<String> {
    let checkpoint = Checkpoint {
        origin: genesis.origin.clone(),
        size,
        root: snapshot.root_at(size)?,
    };
    Ok(checkpoint.sign(key)?)
}

/// `kaohe checkpoint`: sign the current head, store the checkpoint, print it.
pub fn checkpoint(data: &Path) -> Result<()> {
    let store = open(data)?;
    let key = signer(data, store.genesis())?;
    let snapshot = store.snapshot()?;
    let text = sign_checkpoint(&key, store.genesis(), &snapshot, snapshot.size())?;
    store.put_checkpoint(snapshot.size(), text.clone())?;
    print!("{text}");
    eprintln!(
        "checkpoint of {} events signed by {}",
        snapshot.size(),
        key.verifier().to_text()
    );
    Ok(())
}

/// `kaohe export`: every event of one snapshot and a checkpoint of that size, written to a
/// temporary file that replaces `out` only when complete and synced. The ledger is only read:
/// the checkpoint is in the export, and `kaohe checkpoint` is the command that stores one.
pub fn export(data: &Path, out: &Path) -> Result<()> {
    let (file, genesis) = read(data)?;
    let key = signer(data, &genesis)?;
    let snapshot = file.snapshot()?;
    let size = snapshot.size();
    let text = sign_checkpoint(&key, &genesis, &snapshot, size)?;
    let directory = out
        .parent()
        .filter(|parent| !parent.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let file_name = out
        .file_name()
        .context("--out must name a file")?
        .to_string_lossy()
        .into_owned();
    let temporary = directory.join(format!(".{file_name}.partial"));
    let result = (|| -> Result<()> {
        let file = File::create(&temporary)
            .with_context(|| format!("cannot create {}", temporary.display()))?;
        let mut writer = BufWriter::with_capacity(1 << 20, file);
        let mut failure = None;
        let progress = crate::output::progress(size, "exporting events");
        snapshot.for_each_event(0, |_, bytes| {
            progress.inc(1);
            let written = writer
                .write_all(bytes)
                .and_then(|()| writer.write_all(b"\n"));
            failure = written.err();
            failure.is_none()
        })?;
        progress.finish_and_clear();
        if let Some(error) = failure {
            return Err(error.into());
        }
        writer.write_all(&export_checkpoint_line(&text))?;
        writer.write_all(b"\n")?;
        let file = writer.into_inner().map_err(|error| error.into_error())?;
        file.sync_all()?;
        fs::rename(&temporary, out)
            .with_context(|| format!("cannot move the export into place at {}", out.display()))?;
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temporary);
    }
    result?;
    eprintln!("exported {size} events to {}", out.display());
    Ok(())
}
