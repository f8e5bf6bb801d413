//! The scratch database a load into an empty store makes its search index
//! in (search_build.rs): where it lies, how it is opened, and how the
//! scratch databases of killed imports are cleared away.

use super::IMPORT_CACHE_KIB;
use rusqlite::{Connection, OpenFlags};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// Between the store's file name and the importing process's number.
const SCRATCH_INFIX: &str = "-search-build-";

/// Beside the store, as SQLite's own -journal and -wal files are, named
/// by the importing process.
pub(super) fn scratch_path(store: &Path, pid: u32) -> PathBuf {
    let mut name = store.as_os_str().to_owned();
    name.push(format!("{SCRATCH_INFIX}{pid}"));
    PathBuf::from(name)
}

pub(super) fn remove_files(path: &Path) {
    let _ = std::fs::remove_file(path);
}

/// Deletes the scratch databases of imports into the store at `store`
/// that were killed: those of processes no longer running (known where
/// /proc tells; elsewhere they stay, for the officer to delete). Run by
/// every import, whether or not it makes its index on the second core.
pub fn remove_abandoned(store: &Path) {
    let proc = Path::new("/proc");
    let Some(name) = store.file_name().filter(|_| proc.join("self").exists()) else {
        return;
    };
    let dir = store
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let prefix = format!("{}{SCRATCH_INFIX}", name.to_string_lossy());
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = file
            .strip_prefix(&prefix)
            .and_then(|p| p.parse::<u32>().ok())
        else {
            continue;
        };
        if !proc.join(pid.to_string()).exists() {
            remove_files(&entry.path());
        }
    }
}

/// A connection to the scratch database: disposable, so no journal and no
/// syncing; the import's page cache; its sorts on its own core.
pub(super) fn open(path: &Path) -> rusqlite::Result<Connection> {
    let conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )?;
    // Only this connection writes it: waiting for a lock would be a bug.
    conn.busy_timeout(Duration::ZERO)?;
    conn.execute_batch(&format!(
        "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
         PRAGMA cache_size = {IMPORT_CACHE_KIB}; PRAGMA threads = 0;"
    ))?;
    Ok(conn)
}
