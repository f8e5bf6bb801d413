//! The store: every line of SQL lives under this module.
//!
//! One SQLite file per office. `Store::open` refuses anything that is not a
//! zhixing store, or is from a newer zhixing, before writing a single byte.

/// SQL: what has been paid on the obligation aliased `o`, payments less
/// reversals (zero when none), for `concat!` into the store's queries.
/// Defined before the modules below so that all of them see it.
macro_rules! paid_on_o {
    () => {
        "coalesce((SELECT sum(CASE p.kind WHEN 'payment' THEN p.amount_fen ELSE -p.amount_fen END)
                   FROM payment p WHERE p.obligation_id = o.id), 0)"
    };
}

pub mod acts;
mod audit;
pub mod audit_log;
mod bulk_record;
mod detail;
mod due_pages;
pub mod export;
pub mod feeds;
mod ids;
pub mod import;
mod indexes;
pub mod officers;
mod pin;
mod privacy;
pub mod queues;
pub mod read;
mod schema;
mod seal;
pub mod search_bulk;
pub mod sync;
pub use seal::{LEGAL_TABLES, Tampered};
pub mod search_index;
pub mod search_source;
pub mod seed;
mod shape;
pub mod standing;

pub use audit::{AuditEntry, ChainBreak};
pub use detail::*;
pub use due_pages::DueScan;
pub use ids::IdAllocator;
pub use read::{Filter, SubjectRow};
pub use schema::{APPLICATION_ID, SCHEMA_VERSION, create as create_at_version};

use rusqlite::{Connection, OpenFlags, OptionalExtension};
use std::io::Read;
use std::path::{Path, PathBuf};
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{path}: the folder {parent} does not exist; create it first or choose another path")]
    NoFolder { path: PathBuf, parent: PathBuf },
    #[error("{path}: cannot read the file ({reason})")]
    Unreadable { path: PathBuf, reason: String },
    #[error(
        "{path}: the file is read-only; zhixing writes to its store (check the file's permissions)"
    )]
    ReadOnly { path: PathBuf },
    #[error("{path}: not a zhixing store ({reason}); the file was left untouched")]
    Foreign { path: PathBuf, reason: String },
    #[error(
        "{path}: this store was written by a newer zhixing (schema version {found}, this program knows up to {known}); update zhixing to open it"
    )]
    TooNew {
        path: PathBuf,
        found: i64,
        known: i64,
    },
    #[error(
        "{path}: the store's schema was changed outside zhixing ({what}); it was left as it is: restore it from a backup"
    )]
    Tampered { path: PathBuf, what: String },
    #[error(
        "{path}: the store's audit log was cut outside zhixing ({what}); it was left as it is: restore it from a backup"
    )]
    AuditCut { path: PathBuf, what: String },
    /// An officer may not do this (the refusal is on the record).
    #[error("{0}")]
    Refused(String),
    #[error("{path}: the store is locked by another program; close it and try again")]
    Locked { path: PathBuf },
    #[error("{path}: the disk is full; {what}")]
    DiskFull { path: PathBuf, what: String },
    #[error("{path}: {source}")]
    Sqlite {
        path: PathBuf,
        source: rusqlite::Error,
    },
    #[error("store: {0}")]
    Query(#[from] rusqlite::Error),
    /// Writing a file the store makes (a sync file and its scratch copy).
    #[error("writing the file: {0}")]
    Write(#[from] std::io::Error),
    #[error("{0}")]
    Rule(String),
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

impl StoreError {
    /// Whether SQLite found no room left to write (the store's disk, or
    /// the one its temporary files are on).
    pub fn is_disk_full(&self) -> bool {
        let (StoreError::Query(e) | StoreError::Sqlite { source: e, .. }) = self else {
            return false;
        };
        e.sqlite_error_code() == Some(rusqlite::ErrorCode::DiskFull)
    }
}

/// What `open` found at the path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Opened {
    Created,
    Existing,
    Upgraded { from: i64 },
}

pub struct Store {
    conn: Connection,
    path: PathBuf,
    pub opened: Opened,
}

/// The local site number of the store on this connection.
pub(crate) fn site_of(conn: &Connection) -> rusqlite::Result<i64> {
    let site: Option<i64> = conn
        .query_row("SELECT site_no FROM site WHERE is_local = 1", [], |r| {
            r.get(0)
        })
        .optional()?;
    Ok(site.unwrap_or(1))
}

const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

impl Store {
    /// Opens the store at `path`, creating it (in an existing folder) if missing.
    pub fn open(path: &Path) -> Result<Store> {
        let exists = path.exists();
        if exists {
            check_existing_file(path)?;
        } else if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty())
            && !parent.is_dir()
        {
            return Err(StoreError::NoFolder {
                path: path.into(),
                parent: parent.into(),
            });
        }
        let flags = OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| wrap(path, e))?;
        conn.busy_timeout(Duration::from_secs(5))
            .map_err(|e| wrap(path, e))?;
        // The seal functions first: an upgrade seals the rows already held.
        seal::register(&conn).map_err(|e| wrap(path, e))?;
        let opened = schema::prepare(&conn, path)?;
        configure(&conn).map_err(|e| wrap(path, e))?;
        install_triggers(&conn).map_err(|e| wrap(path, e))?;
        Ok(Store {
            conn,
            path: path.into(),
            opened,
        })
    }

    /// A second connection to this store, read-only, for reads that take
    /// long (the list's counts) beside the one that writes: in WAL mode
    /// neither waits for the other. Its page cache is small: what it
    /// reads is scanned once.
    pub fn open_reader(&self) -> Result<Store> {
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        let path = &self.path;
        let conn = Connection::open_with_flags(path, flags).map_err(|e| wrap(path, e))?;
        conn.busy_timeout(Duration::from_secs(5))
            .map_err(|e| wrap(path, e))?;
        conn.pragma_update(None, "cache_size", READER_CACHE_KIB)
            .map_err(|e| wrap(path, e))?;
        Ok(Store {
            conn,
            path: path.clone(),
            opened: Opened::Existing,
        })
    }

    /// The schema version of the zhixing store at `path`, read without
    /// changing anything; None when there is no zhixing store there.
    pub fn version_at(path: &Path) -> Option<i64> {
        let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).ok()?;
        let app: i32 = conn
            .pragma_query_value(None, "application_id", |r| r.get(0))
            .ok()?;
        if app != schema::APPLICATION_ID {
            return None;
        }
        conn.pragma_query_value(None, "user_version", |r| r.get(0))
            .ok()
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    pub(crate) fn conn_mut(&mut self) -> &mut Connection {
        &mut self.conn
    }

    /// The office's site number, the high bits of every key this store makes.
    pub fn site(&self) -> Result<i64> {
        Ok(site_of(&self.conn)?)
    }

    /// Sets the site number of a new store, before it holds any row of its
    /// own: keys already made would carry the old number.
    pub fn set_site(&mut self, site: i64) -> Result<()> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let used: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM officer) OR EXISTS (SELECT 1 FROM subject)
                 OR EXISTS (SELECT 1 FROM audit_log)",
            [],
            |r| r.get(0),
        )?;
        if used {
            return Err(StoreError::Refused(
                "the site number is set when a store is made, before it holds anything".into(),
            ));
        }
        tx.execute("UPDATE site SET site_no = ?1 WHERE is_local = 1", [site])?;
        tx.commit()?;
        Ok(())
    }

    /// Whether `zhixing demo` built this store (so it may replace it).
    pub fn is_demo(&self) -> Result<bool> {
        let n: i64 = self.conn.query_row(
            "SELECT count(*) FROM store_meta WHERE key = 'demo'",
            [],
            |r| r.get(0),
        )?;
        Ok(n > 0)
    }

    /// No subjects yet: one index step, where a count reads every row.
    /// No subjects and no cases.
    pub fn is_empty(&self) -> Result<bool> {
        Ok(holds_no_caseload(&self.conn)?)
    }

    pub fn subject_count(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT count(*) FROM subject", [], |r| r.get(0))?)
    }

    pub fn integrity_ok(&self) -> Result<bool> {
        let result: String = self
            .conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))?;
        Ok(result == "ok")
    }
}

fn wrap(path: &Path, e: rusqlite::Error) -> StoreError {
    if let rusqlite::Error::SqliteFailure(f, _) = &e {
        match f.code {
            rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked => {
                return StoreError::Locked { path: path.into() };
            }
            rusqlite::ErrorCode::NotADatabase => {
                return StoreError::Foreign {
                    path: path.into(),
                    reason: "not a SQLite database".into(),
                };
            }
            rusqlite::ErrorCode::ReadOnly => return StoreError::ReadOnly { path: path.into() },
            _ => {}
        }
    }
    StoreError::Sqlite {
        path: path.into(),
        source: e,
    }
}

/// Reads the header without SQLite, so a foreign file is never touched.
fn check_existing_file(path: &Path) -> Result<()> {
    let unreadable = |e: std::io::Error| StoreError::Unreadable {
        path: path.into(),
        reason: e.to_string(),
    };
    let meta = std::fs::metadata(path).map_err(unreadable)?;
    if meta.is_dir() {
        return Err(StoreError::Foreign {
            path: path.into(),
            reason: "it is a folder".into(),
        });
    }
    let mut header = [0u8; 16];
    let read = std::fs::File::open(path)
        .and_then(|mut file| file.read(&mut header))
        .map_err(unreadable)?;
    if meta.len() > 0 && (read < 16 || &header != SQLITE_MAGIC) {
        return Err(StoreError::Foreign {
            path: path.into(),
            reason: "not a SQLite database".into(),
        });
    }
    if meta.permissions().readonly() || std::fs::OpenOptions::new().write(true).open(path).is_err()
    {
        return Err(StoreError::ReadOnly { path: path.into() });
    }
    Ok(())
}

/// The TEMP triggers zhixing's own connections keep: row seals, the sync
/// change clock, each subject's kept status. Made on every open, and again
/// after an import that suspended some of them for its bulk load.
pub(crate) fn install_triggers(conn: &Connection) -> rusqlite::Result<()> {
    seal::install_triggers(conn)?;
    sync::install_triggers(conn)?;
    standing::install_triggers(conn)
}

/// A store with no subjects and no cases (officers and the reference data
/// aside): nothing an import would match against.
pub(crate) fn holds_no_caseload(conn: &Connection) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT NOT EXISTS (SELECT 1 FROM subject) AND NOT EXISTS (SELECT 1 FROM enforcement_case)",
        [],
        |r| r.get(0),
    )
}

/// The page cache, in KiB (negative: a size, not pages).
pub(crate) const CACHE_KIB: i64 = -65_536;

/// The page cache of a reader connection (`open_reader`), in KiB.
const READER_CACHE_KIB: i64 = -2_048;

/// Statements kept prepared per connection. An act alone runs some sixty
/// distinct statements (its plan's reads, each table's insert with its
/// triggers, key allocation, the audit row); with rusqlite's default of 16
/// each act parsed most of them again.
const PREPARED_STATEMENTS: usize = 256;

/// Helper threads SQLite's sorter may use: one per further core, at most 3.
fn sorter_threads() -> i64 {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    cores.saturating_sub(1).min(3) as i64
}

fn configure(conn: &Connection) -> rusqlite::Result<()> {
    conn.set_prepared_statement_cache_capacity(PREPARED_STATEMENTS);
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "cache_size", CACHE_KIB)?;
    // Large sorts (an import's ORDER BY and CREATE INDEX) merge on the
    // other cores too.
    conn.pragma_update(None, "threads", sorter_threads())?;
    // The import stages on disk. Set here, once: changing it later drops
    // every TEMP object, the seal triggers with them.
    conn.pragma_update(None, "temp_store", "FILE")?;
    Ok(())
}
