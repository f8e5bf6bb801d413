//! The search index of a load into an empty store, made on the second
//! core while the merge goes on. The merge's transaction holds the store's
//! only write lock, so a helper thread with its own connection makes the
//! entries in a scratch database beside the store (the index's tables as
//! the store defines them), from the subjects' sources, which the merge
//! hands over as soon as they are final; the merge meanwhile goes on with
//! obligations, listings, restrictions and standing. It then copies the
//! finished tables in: SQLite copies a whole table into an empty one of
//! the same shape record by record, in key order, without sorting (its
//! transfer optimisation), a fraction of what making the entries costs.
//! The name grams are made last, by whichever side is free first: the
//! merge, when it is done before the helper, makes them in the store
//! itself instead of waiting.

use super::{IMPORT_CACHE_KIB, report_time};
use crate::store::search_bulk::{self, Entries, Scope};
use rusqlite::{Connection, InterruptHandle, OpenFlags, params};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The scratch database's name on the merge's connection.
const SCHEMA: &str = "search_build";
/// The index's tables (the trigram table's shadow tables come with it).
const TABLES: &str = "'indexed_subject', 'search_term', 'name_gram', 'subject_fts'";
/// Sources handed over at a time, and batches in flight: a few MB at most.
const BATCH: usize = 4096;
const IN_FLIGHT: usize = 4;
/// Between the store's file name and the importing process's number.
const SCRATCH_INFIX: &str = "-search-build-";

type Batch = Vec<(i64, String)>;

/// One import's scratch database and its helper thread.
pub struct SearchBuild {
    path: PathBuf,
    /// The helper's connection, made with the file and moved to the
    /// helper: the file is never opened again by its name.
    scratch: Option<Connection>,
    helper: Option<Helper>,
    /// Set by the side that makes the name grams.
    grams_taken: Arc<AtomicBool>,
    /// Whether the merge took them, once it has tried.
    grams_here: Option<bool>,
}

struct Helper {
    thread: JoinHandle<rusqlite::Result<()>>,
    interrupt: InterruptHandle,
}

impl SearchBuild {
    /// Whether a load into the empty store at `store` builds its index
    /// this way: with a second core to run on, unless
    /// ZHIXING_IMPORT_ONE_CORE is set (to compare the two ways).
    pub fn wanted(store: &Path) -> bool {
        let cores = std::thread::available_parallelism().map_or(1, usize::from);
        cores > 1
            && store.to_str().is_some()
            && std::env::var_os("ZHIXING_IMPORT_ONE_CORE").is_none()
    }

    /// Makes this import's scratch database beside the store at `store`
    /// (its own name: two imports may start on one empty store, and one of
    /// them will wait for the other's lock and stop), with the index's
    /// tables as the store defines them, so that they copy back whole; and
    /// attaches it to `conn`, which must be outside a transaction (SQLite
    /// attaches only there).
    pub fn attach(conn: &Connection, store: &Path) -> rusqlite::Result<SearchBuild> {
        let mut build = SearchBuild {
            path: scratch_path(store, std::process::id()),
            scratch: None,
            helper: None,
            grams_taken: Arc::new(AtomicBool::new(false)),
            grams_here: None,
        };
        let ddl = texts(
            conn,
            &format!("SELECT sql FROM main.sqlite_schema WHERE name IN ({TABLES}) ORDER BY name"),
        )?;
        let scratch = build.scratch.insert(open(&build.path)?);
        scratch.execute_batch(&ddl.join(";\n"))?;
        conn.execute(
            &format!("ATTACH DATABASE ?1 AS {SCHEMA}"),
            [build.path.to_string_lossy()],
        )?;
        Ok(build)
    }

    /// Once nothing a subject is found by will change (subjects, phones,
    /// cases and debtors are in): keeps the sources in the store and hands
    /// them to the helper, which makes the entries from them.
    pub fn start(&mut self, conn: &Connection) -> rusqlite::Result<()> {
        search_bulk::remove(conn, Scope::All)?;
        search_bulk::write_sources(conn, Scope::All)?;
        // A statement of the merge that read the scratch database (a
        // schema-wide PRAGMA, say) would hold it until the commit, and the
        // helper could never write: refused here rather than waited on.
        if conn.transaction_state(Some(SCHEMA))? != rusqlite::TransactionState::None {
            return Err(rusqlite::Error::UserFunctionError(
                "the merge holds the search index's scratch database".into(),
            ));
        }
        let Some(scratch) = self.scratch.take() else {
            return Err(not_ready());
        };
        let interrupt = scratch.get_interrupt_handle();
        let (sender, receiver) = sync_channel(IN_FLIGHT);
        let grams_taken = Arc::clone(&self.grams_taken);
        let thread = std::thread::Builder::new()
            .name("search index".into())
            .spawn(move || build(scratch, receiver, &grams_taken))
            .map_err(|e| rusqlite::Error::UserFunctionError(Box::new(e)))?;
        self.helper = Some(Helper { thread, interrupt });
        let started = Instant::now();
        if !hand_over(conn, sender)? {
            // The helper stopped early: its error says why.
            return self.join();
        }
        report_time("search index: sources handed to the second core", started);
        Ok(())
    }

    /// Makes the name grams in the store unless the helper has begun them,
    /// waits for the helper, then puts its entries in the store in place
    /// of the empty index.
    pub fn finish(&mut self, conn: &Connection) -> rusqlite::Result<()> {
        if self.helper.is_none() {
            return Err(not_ready());
        }
        let grams_here = self.take_grams();
        if grams_here {
            search_bulk::register(conn)?;
            search_bulk::write(conn, Scope::All, Entries::NameGrams, "search index")?;
        }
        let started = Instant::now();
        self.join()?;
        report_time("search index: waited for the second core", started);
        let started = Instant::now();
        copy_in(conn, !grams_here)?;
        report_time("search index: copied in", started);
        Ok(())
    }

    /// Whether the merge makes the name grams: the helper has not begun
    /// them (decided once).
    fn take_grams(&mut self) -> bool {
        let taken = &self.grams_taken;
        *self.grams_here.get_or_insert_with(|| take(taken))
    }

    /// After the merge's transaction: stops the helper should it still
    /// run (the merge failed), detaches the scratch database and deletes it.
    pub fn close(mut self, conn: &Connection) {
        self.abandon();
        let _ = conn.execute_batch(&format!("DETACH DATABASE {SCHEMA}"));
    }

    fn join(&mut self) -> rusqlite::Result<()> {
        let Some(helper) = self.helper.take() else {
            return Ok(());
        };
        helper.thread.join().unwrap_or_else(|_| {
            Err(rusqlite::Error::UserFunctionError(
                "the search index's helper thread panicked".into(),
            ))
        })
    }

    /// Interrupts the helper's statements until it ends: an interrupt
    /// between two statements would be lost.
    fn abandon(&mut self) {
        if let Some(helper) = self.helper.take() {
            while !helper.thread.is_finished() {
                helper.interrupt.interrupt();
                std::thread::sleep(Duration::from_millis(5));
            }
            let _ = helper.thread.join();
        }
    }
}

impl Drop for SearchBuild {
    fn drop(&mut self) {
        self.abandon();
        remove_files(&self.path);
    }
}

fn not_ready() -> rusqlite::Error {
    rusqlite::Error::UserFunctionError("the search index's helper was not started".into())
}

/// Beside the store, as SQLite's own -journal and -wal files are, named
/// by the importing process.
fn scratch_path(store: &Path, pid: u32) -> PathBuf {
    let mut name = store.as_os_str().to_owned();
    name.push(format!("{SCRATCH_INFIX}{pid}"));
    PathBuf::from(name)
}

fn remove_files(path: &Path) {
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
fn open(path: &Path) -> rusqlite::Result<Connection> {
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

/// Sends the store's sources to the helper in batches; false when the
/// helper stopped taking them.
fn hand_over(conn: &Connection, sender: SyncSender<Batch>) -> rusqlite::Result<bool> {
    let mut stmt =
        conn.prepare("SELECT subject_id, source FROM main.indexed_subject ORDER BY subject_id")?;
    let mut rows = stmt.query([])?;
    let mut batch = Vec::with_capacity(BATCH);
    while let Some(row) = rows.next()? {
        batch.push((row.get(0)?, row.get(1)?));
        if batch.len() == BATCH {
            let full = std::mem::replace(&mut batch, Vec::with_capacity(BATCH));
            if sender.send(full).is_err() {
                return Ok(false);
            }
        }
    }
    Ok(batch.is_empty() || sender.send(batch).is_ok())
}

/// Whether this side takes a step the other may have taken first.
fn take(taken: &AtomicBool) -> bool {
    !taken.swap(true, Ordering::AcqRel)
}

/// The helper: keeps the sources it is handed, then makes the entries
/// from them with the same statements as an index built in place (the
/// name grams unless the merge has taken them).
fn build(
    scratch: Connection,
    sources: Receiver<Batch>,
    grams_taken: &AtomicBool,
) -> rusqlite::Result<()> {
    search_bulk::register(&scratch)?;
    let tx = scratch.unchecked_transaction()?;
    let started = Instant::now();
    {
        let mut insert =
            tx.prepare("INSERT INTO indexed_subject (subject_id, source) VALUES (?1, ?2)")?;
        for batch in sources {
            for (id, source) in batch {
                insert.execute(params![id, source])?;
            }
        }
    }
    report_time("search index, second core: sources kept", started);
    let label = "search index, second core";
    search_bulk::write(&tx, Scope::All, Entries::Terms, label)?;
    search_bulk::write(&tx, Scope::All, Entries::Trigrams, label)?;
    if take(grams_taken) {
        search_bulk::write(&tx, Scope::All, Entries::NameGrams, label)?;
    }
    tx.commit()
}

/// The helper's tables into the store's, whole (the name grams when the
/// helper made them). The trigram table is made anew first: a connection
/// keeps the structure of an FTS5 index it has read and would not see one
/// written under it.
fn copy_in(conn: &Connection, with_grams: bool) -> rusqlite::Result<()> {
    let fts: String = conn.query_row(
        "SELECT sql FROM main.sqlite_schema WHERE name = 'subject_fts'",
        [],
        |r| r.get(0),
    )?;
    conn.execute_batch(&format!("DROP TABLE main.subject_fts; {fts};"))?;
    let mut tables = texts(
        conn,
        "SELECT name FROM main.sqlite_schema WHERE type = 'table' AND name GLOB 'subject_fts_*'",
    )?;
    tables.push("search_term".into());
    if with_grams {
        tables.push("name_gram".into());
    }
    for table in tables {
        conn.execute_batch(&format!(
            "DELETE FROM main.{table}; INSERT INTO main.{table} SELECT * FROM {SCHEMA}.{table};"
        ))?;
    }
    Ok(())
}

/// The one text column `sql` yields, row by row.
fn texts(conn: &Connection, sql: &str) -> rusqlite::Result<Vec<String>> {
    conn.prepare(sql)?.query_map([], |r| r.get(0))?.collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    fn name_grams(conn: &Connection) -> Vec<(String, i64)> {
        conn.prepare("SELECT gram, subject_id FROM main.name_gram ORDER BY 1, 2")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    }

    /// The merge makes the name grams when it takes them before the helper
    /// begins them, else the helper: the same entries as built in place.
    #[test]
    fn the_name_grams_are_the_same_whichever_side_makes_them() {
        for merge_first in [true, false] {
            let dir = tempfile::tempdir().unwrap();
            let path = dir.path().join("store.db");
            let store = Store::open(&path).unwrap();
            let conn = store.conn();
            conn.execute_batch(
                "INSERT INTO subject (kind, name, name_pinyin, id_number, sex, birth_date, created_at, updated_at)
                 VALUES ('person', '张三', 'zhang san', '110105194912310021', 'male', '1949-12-31', 'now', 'now'),
                        ('person', '李四海', 'li si hai', '11010519500101002X', 'female', '1950-01-01', 'now', 'now'),
                        ('entity', '登封市嵩山建筑工程有限公司', '', '914101854BQ1JJ5809', NULL, NULL, 'now', 'now');",
            )
            .unwrap();
            let mut build = SearchBuild::attach(conn, &path).unwrap();
            if merge_first {
                assert!(build.take_grams());
            }
            conn.execute_batch("BEGIN").unwrap();
            build.start(conn).unwrap();
            if !merge_first {
                while !build.helper.as_ref().unwrap().thread.is_finished() {
                    std::thread::sleep(Duration::from_millis(1));
                }
            }
            build.finish(conn).unwrap();
            assert_eq!(build.grams_here, Some(merge_first));
            let made = name_grams(conn);
            assert_eq!(made.len(), 3 + 5 + 13 + 12, "{made:?}");
            search_bulk::index_set(conn, Scope::All).unwrap();
            assert_eq!(made, name_grams(conn));
            conn.execute_batch("COMMIT").unwrap();
            build.close(conn);
        }
    }
}
