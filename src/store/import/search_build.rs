//! The search index of a load into an empty store, made on the second
//! core while the merge goes on. The merge's transaction holds the store's
//! only write lock, so a helper thread with its own connection makes the
//! entries in a scratch database beside the store (the index's tables as
//! the store defines them). It starts as soon as the subjects are in: the
//! merge hands it their names, and it makes the name grams while the merge
//! goes on with cases, phones and debtors; then the merge hands it the
//! subjects' sources, final once those are in, and the helper makes the
//! terms and trigrams from them while the merge goes on with
//! representatives, obligations, listings, restrictions and standing.
//! At the end the finished tables are copied in: SQLite copies a whole
//! table into an empty one of the same shape record by record, in key
//! order, without sorting (its transfer optimisation), a fraction of what
//! making the entries costs.

use super::hand_over::{Batch, Batches, HandOver, IN_FLIGHT};
use super::report_time;
use super::scratch::{open, remove_files, scratch_path};
use crate::store::search_bulk::{self, Entries, Scope};
use rusqlite::{Connection, InterruptHandle, params};
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The scratch database's name on the merge's connection.
const SCHEMA: &str = "search_build";
/// The index's tables (the trigram table's shadow tables come with it).
const TABLES: &str = "'indexed_subject', 'search_term', 'name_gram', 'subject_fts'";
/// The subjects' names and their aliases', as the merge hands them over.
const NAMES: &str =
    "SELECT id, name FROM main.subject UNION ALL SELECT subject_id, name FROM main.alias";
/// Where the helper keeps the names until it makes their grams.
const KEPT_NAMES: &str = "temp.gram_name";

/// One import's scratch database and its helper thread.
pub struct SearchBuild {
    path: PathBuf,
    /// The helper's connection, made with the file and moved to the
    /// helper: the file is never opened again by its name.
    scratch: Option<Connection>,
    helper: Option<Helper>,
    /// Where the sources go, from `start` until they are handed over.
    sources: Option<SyncSender<Batch>>,
    sources_handed: bool,
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
            sources: None,
            sources_handed: false,
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

    /// Once the subjects are in (their names are final): starts the
    /// helper and hands it the names, whose grams it makes at once.
    pub fn start(&mut self, conn: &Connection) -> rusqlite::Result<()> {
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
        let (names, named) = sync_channel(IN_FLIGHT);
        let (sources, sourced) = sync_channel(IN_FLIGHT);
        let thread = std::thread::Builder::new()
            .name("search index".into())
            .spawn(move || build(scratch, named, sourced))
            .map_err(|e| rusqlite::Error::UserFunctionError(Box::new(e)))?;
        self.helper = Some(Helper { thread, interrupt });
        self.sources = Some(sources);
        self.hand_over(conn, NAMES, names, "names")
    }

    /// Once nothing a subject is found by will change (subjects, phones,
    /// cases and debtors are in): keeps the sources in the store, handing
    /// each to the helper as it is written (hand_over.rs); the helper
    /// makes the terms and trigrams from them.
    pub fn hand_over_sources(&mut self, conn: &Connection) -> rusqlite::Result<()> {
        let Some(sources) = self.sources.take() else {
            return Err(not_ready());
        };
        search_bulk::remove(conn, Scope::All)?;
        let handing = HandOver::register(conn, sources)?;
        let written = search_bulk::write_sources(conn, Scope::All, Some(HandOver::FUNCTION));
        if !handing.end(conn)? {
            // The helper stopped early: its error says why.
            return self.join();
        }
        written?;
        self.sources_handed = true;
        Ok(())
    }

    /// Sends what `sql` yields to the helper; when the helper stopped
    /// taking it, its own error.
    fn hand_over(
        &mut self,
        conn: &Connection,
        sql: &str,
        to: SyncSender<Batch>,
        what: &str,
    ) -> rusqlite::Result<()> {
        let started = Instant::now();
        if !send_all(conn, sql, to)? {
            // The helper stopped early: its error says why.
            self.sources = None;
            return self.join();
        }
        report_time(
            &format!("search index: {what} handed to the second core"),
            started,
        );
        Ok(())
    }

    /// Waits for the helper, then puts its entries in the store in place
    /// of the empty index.
    pub fn finish(&mut self, conn: &Connection) -> rusqlite::Result<()> {
        if self.helper.is_none() || !self.sources_handed {
            return Err(not_ready());
        }
        let started = Instant::now();
        self.join()?;
        report_time("search index: waited for the second core", started);
        let started = Instant::now();
        copy_in(conn)?;
        report_time("search index: copied in", started);
        Ok(())
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
        // A helper waiting for sources waits no longer.
        self.sources = None;
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

/// Sends what `sql` yields (a key and a text) to the helper in batches;
/// false when the helper stopped taking them.
fn send_all(conn: &Connection, sql: &str, to: SyncSender<Batch>) -> rusqlite::Result<bool> {
    let mut stmt = conn.prepare(sql)?;
    let mut rows = stmt.query([])?;
    let mut batches = Batches::new(to);
    while let Some(row) = rows.next()? {
        if !batches.push(row.get(0)?, row.get(1)?) {
            return Ok(false);
        }
    }
    Ok(batches.finish())
}

/// The helper: keeps the names it is handed and makes their grams, then
/// keeps the sources and makes the terms and trigrams from them, with the
/// same statements as an index built in place.
fn build(
    scratch: Connection,
    names: Receiver<Batch>,
    sources: Receiver<Batch>,
) -> rusqlite::Result<()> {
    search_bulk::register(&scratch)?;
    let tx = scratch.unchecked_transaction()?;
    let label = "search index, second core";
    tx.execute_batch(&format!(
        "CREATE TABLE {KEPT_NAMES} (subject_id INTEGER NOT NULL, name TEXT NOT NULL)"
    ))?;
    let keep_name = format!("INSERT INTO {KEPT_NAMES} (subject_id, name) VALUES (?1, ?2)");
    keep(&tx, names, &keep_name, "names")?;
    search_bulk::write_grams_of_names(&tx, KEPT_NAMES, label)?;
    tx.execute_batch(&format!("DROP TABLE {KEPT_NAMES}"))?;
    let keep_source = "INSERT INTO indexed_subject (subject_id, source) VALUES (?1, ?2)";
    keep(&tx, sources, keep_source, "sources")?;
    search_bulk::write(&tx, Scope::All, Entries::Terms, label)?;
    search_bulk::write(&tx, Scope::All, Entries::Trigrams, label)?;
    tx.commit()
}

/// Writes each (key, text) handed over with `insert`, until the merge
/// stops handing over; timed from the first batch (the sources come when
/// the merge is ready to send them).
fn keep(
    conn: &Connection,
    batches: Receiver<Batch>,
    insert: &str,
    what: &str,
) -> rusqlite::Result<()> {
    let mut insert = conn.prepare(insert)?;
    let mut started = None;
    for batch in batches {
        started.get_or_insert_with(Instant::now);
        for (id, text) in batch {
            insert.execute(params![id, text])?;
        }
    }
    if let Some(started) = started {
        report_time(&format!("search index, second core: {what} kept"), started);
    }
    Ok(())
}

/// The helper's tables into the store's, whole. The trigram table is made
/// anew first: a connection keeps the structure of an FTS5 index it has
/// read and would not see one written under it.
fn copy_in(conn: &Connection) -> rusqlite::Result<()> {
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
    tables.extend(["search_term".into(), "name_gram".into()]);
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

    fn terms(conn: &Connection) -> Vec<(String, i64, i64)> {
        conn.prepare("SELECT term, subject_id, field FROM main.search_term ORDER BY 1, 2, 3")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    }

    fn name_grams(conn: &Connection) -> Vec<(String, i64)> {
        conn.prepare("SELECT gram, subject_id FROM main.name_gram ORDER BY 1, 2")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect()
    }

    /// The helper makes the name grams from the names, its terms and
    /// trigrams from the sources: the same entries as built in place,
    /// aliases' grams included.
    #[test]
    fn the_helpers_entries_are_those_made_in_place() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("store.db");
        let store = Store::open(&path).unwrap();
        let conn = store.conn();
        conn.execute_batch(
            "INSERT INTO subject (kind, name, name_pinyin, id_number, sex, birth_date, created_at, updated_at)
             VALUES ('person', '张三', 'zhang san', '110105194912310021', 'male', '1949-12-31', 'now', 'now'),
                    ('person', '李四海', 'li si hai', '11010519500101002X', 'female', '1950-01-01', 'now', 'now'),
                    ('entity', '登封市嵩山建筑工程有限公司', '', '914101854BQ1JJ5809', NULL, NULL, 'now', 'now');
             INSERT INTO alias (subject_id, name, name_pinyin) VALUES (2, '李四', 'li si');",
        )
        .unwrap();
        let mut build = SearchBuild::attach(conn, &path).unwrap();
        conn.execute_batch("BEGIN").unwrap();
        build.start(conn).unwrap();
        assert!(build.finish(conn).is_err(), "finished before the sources");
        build.hand_over_sources(conn).unwrap();
        build.finish(conn).unwrap();
        let made = (name_grams(conn), terms(conn));
        assert_eq!(made.0.len(), 3 + 5 + 13 + 12, "{:?}", made.0);
        search_bulk::index_set(conn, Scope::All).unwrap();
        assert_eq!(made, (name_grams(conn), terms(conn)));
        conn.execute_batch("COMMIT").unwrap();
        build.close(conn);
    }

    /// A merge that fails between the names and the sources drops the
    /// build: the helper, waiting for sources, ends and the scratch
    /// database goes.
    #[test]
    fn a_build_dropped_before_the_sources_ends_its_helper() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("store.db");
        let store = Store::open(&path).unwrap();
        let conn = store.conn();
        let mut build = SearchBuild::attach(conn, &path).unwrap();
        let scratch = build.path.clone();
        build.start(conn).unwrap();
        drop(build);
        assert!(!scratch.exists());
    }
}
