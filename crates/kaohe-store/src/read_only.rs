//! Reading a ledger file without changing a byte of it: redb's read-only database, and, for a
//! file that redb would repair before reading (one a writer did not close, after a crash or a
//! kill), the same repair made on a copy-on-write view whose writes stay in memory.
//!
//! An inspector hashes the evidence file before and after a check; the two hashes must be
//! equal, and the check must work on a copy no one may write (`chmod -R a-w`). Opening a redb
//! file for writing does neither: it takes the writer's lock, may repair the allocator state,
//! and records a clean shutdown when it closes.

use std::collections::HashMap;
use std::fs::File;
use std::io;
use std::ops::Bound;
use std::path::Path;
use std::sync::Mutex;

use redb::StorageBackend;
use redb::backends::FileBackend;

/// The unit in which writes are kept: a block is read from the file the first time a write
/// touches it, and kept whole in memory from then on.
const BLOCK_BYTES: u64 = 4096;

/// A file seen through a copy-on-write layer: reads come from the file unless a write changed
/// those bytes; writes, changes of length and syncs stay in memory and end with the view.
///
/// It holds a shared lock over the whole file while it lives, as redb's read-only database
/// does, so a writer cannot open the file under it, and it cannot be opened while a writer
/// holds it.
#[derive(Debug)]
pub(crate) struct CopyOnWrite {
    file: FileBackend,
    changes: Mutex<Changes>,
}

#[derive(Debug, Default)]
struct Changes {
    /// The blocks written to, whole, by index.
    blocks: HashMap<u64, Box<[u8]>>,
    /// The length the view has now.
    length: u64,
    /// Bytes of the file at or after this offset read as zeros: the view was shortened below
    /// it at some point, and a view that grows again is zero-filled, as a file is.
    file_visible: u64,
}

/// Why a file cannot be read through the copy-on-write view.
#[derive(Debug)]
pub(crate) enum CopyOnWriteError {
    /// A writer holds the file.
    InUse,
    /// The file could not be opened or read.
    Io(io::Error),
}

impl CopyOnWrite {
    /// The file at `path`, opened for reading only.
    pub(crate) fn open(path: &Path) -> Result<CopyOnWrite, CopyOnWriteError> {
        let file = File::open(path).map_err(CopyOnWriteError::Io)?;
        let file_length = file.metadata().map_err(CopyOnWriteError::Io)?.len();
        let file = FileBackend::new(file).map_err(|error| {
            CopyOnWriteError::Io(io::Error::other(format!("the file backend: {error}")))
        })?;
        match file.try_lock_shared_range(Bound::Unbounded, Bound::Unbounded) {
            Ok(true) => {}
            Ok(false) => return Err(CopyOnWriteError::InUse),
            Err(error) => {
                return Err(CopyOnWriteError::Io(io::Error::other(format!(
                    "locking the file: {error:?}"
                ))));
            }
        }
        Ok(CopyOnWrite {
            file,
            changes: Mutex::new(Changes {
                blocks: HashMap::new(),
                length: file_length,
                file_visible: file_length,
            }),
        })
    }

    fn changes(&self) -> std::sync::MutexGuard<'_, Changes> {
        self.changes
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Bytes of the file as the view shows them where no write changed them: the file's own
    /// up to `visible`, zeros after.
    fn read_unchanged(&self, visible: u64, offset: u64, out: &mut [u8]) -> io::Result<()> {
        let from_file = visible.saturating_sub(offset).min(out.len() as u64) as usize;
        if from_file > 0 {
            self.file.read(offset, &mut out[..from_file])?;
        }
        out[from_file..].fill(0);
        Ok(())
    }
}

impl StorageBackend for CopyOnWrite {
    fn len(&self) -> Result<u64, io::Error> {
        Ok(self.changes().length)
    }

    fn read(&self, offset: u64, out: &mut [u8]) -> Result<(), io::Error> {
        let changes = self.changes();
        let end = offset
            .checked_add(out.len() as u64)
            .filter(|end| *end <= changes.length)
            .ok_or_else(|| io::Error::from(io::ErrorKind::UnexpectedEof))?;
        if changes.blocks.is_empty() && changes.file_visible >= end {
            // Nothing written yet: the common case of a clean file, straight from the file.
            drop(changes);
            return self.file.read(offset, out);
        }
        let mut at = offset;
        while at < end {
            let block = at / BLOCK_BYTES;
            let within = (at % BLOCK_BYTES) as usize;
            let take = (BLOCK_BYTES - within as u64).min(end - at) as usize;
            let into = &mut out[(at - offset) as usize..][..take];
            match changes.blocks.get(&block) {
                Some(bytes) => into.copy_from_slice(&bytes[within..within + take]),
                None => self.read_unchanged(changes.file_visible, at, into)?,
            }
            at += take as u64;
        }
        Ok(())
    }

    fn set_len(&self, length: u64) -> Result<(), io::Error> {
        let mut changes = self.changes();
        if length < changes.length {
            changes.file_visible = changes.file_visible.min(length);
            // Bytes past the new end read as zeros if the view grows again.
            let first_gone = length.div_ceil(BLOCK_BYTES);
            changes.blocks.retain(|block, _| *block < first_gone);
            let within = (length % BLOCK_BYTES) as usize;
            if within > 0
                && let Some(bytes) = changes.blocks.get_mut(&(length / BLOCK_BYTES))
            {
                bytes[within..].fill(0);
            }
        }
        changes.length = length;
        Ok(())
    }

    fn sync_data(&self) -> Result<(), io::Error> {
        // Nothing reaches the file: there is nothing to make durable.
        Ok(())
    }

    fn write(&self, offset: u64, data: &[u8]) -> Result<(), io::Error> {
        let mut changes = self.changes();
        let end = offset
            .checked_add(data.len() as u64)
            .ok_or_else(|| io::Error::from(io::ErrorKind::InvalidInput))?;
        let mut at = offset;
        while at < end {
            let block = at / BLOCK_BYTES;
            let within = (at % BLOCK_BYTES) as usize;
            let take = (BLOCK_BYTES - within as u64).min(end - at) as usize;
            if !changes.blocks.contains_key(&block) {
                let mut bytes = vec![0u8; BLOCK_BYTES as usize].into_boxed_slice();
                let start = block * BLOCK_BYTES;
                self.read_unchanged(changes.file_visible, start, &mut bytes)?;
                changes.blocks.insert(block, bytes);
            }
            let bytes = changes.blocks.get_mut(&block).expect("inserted above");
            bytes[within..within + take].copy_from_slice(&data[(at - offset) as usize..][..take]);
            at += take as u64;
        }
        changes.length = changes.length.max(end);
        Ok(())
    }

    fn close(&self) -> Result<(), io::Error> {
        // Dropping the file releases its lock; nothing was written to it.
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view_of(bytes: &[u8]) -> (tempfile::TempDir, CopyOnWrite) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("file");
        std::fs::write(&path, bytes).unwrap();
        let view = CopyOnWrite::open(&path).unwrap();
        (dir, view)
    }

    fn read(view: &CopyOnWrite, offset: u64, length: usize) -> Vec<u8> {
        let mut out = vec![0xAA; length];
        view.read(offset, &mut out).unwrap();
        out
    }

    #[test]
    fn writes_are_seen_by_the_view_and_never_reach_the_file() {
        let original: Vec<u8> = (0..10_000u32).map(|i| (i % 251) as u8).collect();
        let (dir, view) = view_of(&original);
        view.write(4090, &[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]).unwrap();
        let mut expected = original.clone();
        expected[4090..4100].copy_from_slice(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
        assert_eq!(read(&view, 0, 10_000), expected);
        assert_eq!(read(&view, 4095, 3), expected[4095..4098]);
        // Growing the view fills with zeros; shortening and growing again does too.
        view.write(12_000, &[7]).unwrap();
        assert_eq!(view.len().unwrap(), 12_001);
        assert_eq!(read(&view, 9_999, 3), [expected[9_999], 0, 0]);
        view.set_len(5_000).unwrap();
        view.set_len(9_000).unwrap();
        assert_eq!(read(&view, 4_999, 2), [expected[4_999], 0]);
        assert_eq!(read(&view, 8_000, 1000), vec![0; 1000]);
        let mut beyond = [0u8; 2];
        assert!(view.read(8_999, &mut beyond).is_err());
        view.sync_data().unwrap();
        drop(view);
        assert_eq!(std::fs::read(dir.path().join("file")).unwrap(), original);
    }
}
