//! The importer's SQL. Checked rows are staged in a temporary table (on
//! disk, so memory does not grow with the file); checks that span rows run
//! there; then one IMMEDIATE transaction merges the staging table into the
//! store with set-based statements, matching what exists instead of
//! appending, rebuilds the search index of the subjects it touched, and
//! writes one audit entry per file.

mod courts;
mod deferred;
mod hand_over;
mod merge;
mod scratch;
mod search_build;
mod stage;

pub use merge::{ImportCounts, MergeOptions};
use search_build::SearchBuild;
pub use stage::{Conflict, StageRow};

use super::{Result, Store};
use std::time::Instant;

/// With ZHIXING_TIMING set, each phase of an import prints its time to
/// stderr (for the benchmarks; see BENCHMARKS.md), and the most memory
/// SQLite held since the line before (for a phase reported after its
/// parts, such as the whole search index, that is its last part only):
/// its page cache and its sorts' buffers are most of the process's.
pub fn report_time(what: &str, since: Instant) {
    if std::env::var_os("ZHIXING_TIMING").is_some() {
        // SAFETY: reads and resets a process-wide counter; no pointers.
        let peak = unsafe { rusqlite::ffi::sqlite3_memory_highwater(1) };
        eprintln!(
            "{:>8.3}s {:>5} MB {what}",
            since.elapsed().as_secs_f64(),
            peak >> 20
        );
    }
}

/// With ZHIXING_PLAN set, a merge statement's query plan goes to stderr
/// before it runs: a whole table read where the file names a few of its
/// rows shows there before a big store makes it slow.
pub fn report_plan(conn: &rusqlite::Connection, sql: &str) -> rusqlite::Result<()> {
    if std::env::var_os("ZHIXING_PLAN").is_none() {
        return Ok(());
    }
    let mut plan = conn.prepare(&format!("EXPLAIN QUERY PLAN {sql}"))?;
    for i in 1..=plan.parameter_count() {
        plan.raw_bind_parameter(i, 0)?;
    }
    let mut rows = plan.raw_query();
    while let Some(row) = rows.next()? {
        eprintln!("  plan: {}", row.get::<_, String>(3)?);
    }
    Ok(())
}

/// A first load checks its rows' references once, after the merge, in one
/// pass over each table, instead of SQLite looking up each row's parents
/// as it is written (foreign keys off): its rows are all the store's, and
/// a million subjects' rows make some 30 million such look-ups (4.8
/// million restrictions: 11 s as written, 2.8 s checked after). Fails, as
/// SQLite fails such a row, when a row refers to one that is not there,
/// naming the first few.
fn references_hold(conn: &rusqlite::Connection) -> rusqlite::Result<()> {
    let started = Instant::now();
    let broken: Vec<String> = conn
        .prepare(
            "SELECT format('%s row %d refers to a missing %s row', \"table\", rowid, parent)
             FROM pragma_foreign_key_check LIMIT 3",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    report_time("references checked", started);
    if broken.is_empty() {
        return Ok(());
    }
    Err(rusqlite::Error::SqliteFailure(
        rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_CONSTRAINT_FOREIGNKEY),
        Some(format!(
            "FOREIGN KEY constraint failed: {}",
            broken.join("; ")
        )),
    ))
}

/// The page cache during an import, in KiB (negative: a size). SQLite
/// sizes each sort's buffer, one per core, by the page cache, and a
/// statement keeps its sorts' buffers until it ends (the subjects'
/// standing groups seven tables at once): with the workstation's 64 MB, an
/// import's peak memory grew with the file as its sorts filled their
/// buffers (264 MB at a million subjects, 507 MB at ten million). The
/// merge's writes go mostly to the ends of its B-trees, and sorts of
/// smaller runs were no slower (BENCHMARKS.md, Import, session 9).
pub(crate) const IMPORT_CACHE_KIB: i64 = -8_192;

impl Store {
    /// A fresh staging table for an import, and the import's page cache.
    pub fn import_begin(&mut self) -> Result<()> {
        self.conn()
            .pragma_update(None, "cache_size", IMPORT_CACHE_KIB)?;
        stage::create(self.conn())?;
        Ok(())
    }

    /// Stages checked rows, in one transaction on the temporary table.
    pub fn import_stage(&mut self, rows: &[StageRow]) -> Result<()> {
        let tx = self.conn_mut().transaction()?;
        stage::insert(&tx, rows)?;
        tx.commit()?;
        Ok(())
    }

    /// Problems that only show across rows: one ID number with two names or
    /// kinds, a case with two filing dates or applicants, a new court
    /// without its name.
    pub fn import_conflicts(&self) -> Result<Vec<Conflict>> {
        Ok(stage::conflicts(self.conn())?)
    }

    /// Drops staged rows (by file and line) that were rejected, returning
    /// each as it was in the file.
    pub fn import_discard(&mut self, rows: &[(u32, u64)]) -> Result<Vec<(u32, u64, String)>> {
        let tx = self.conn_mut().transaction()?;
        let originals = stage::discard(&tx, rows)?;
        tx.commit()?;
        Ok(originals)
    }

    /// Merges the staged rows: one transaction, or (dry run) the same work
    /// rolled back, so the counts say exactly what would change. `phase` is
    /// told the name of each step as it begins.
    pub fn import_merge(
        &mut self,
        opts: &MergeOptions,
        phase: &dyn Fn(&str),
    ) -> Result<ImportCounts> {
        let site = self.site()?;
        scratch::remove_abandoned(self.path());
        let fresh = !opts.dry_run && self.is_empty()?;
        let direct = fresh && self.write_directly()?;
        let mut build = None;
        if fresh && SearchBuild::wanted(self.path()) {
            build = Some(SearchBuild::attach(self.conn(), self.path())?);
        }
        if fresh {
            // Foreign keys can change only outside a transaction.
            self.conn().pragma_update(None, "foreign_keys", "OFF")?;
        }
        let result: Result<ImportCounts> = (|| {
            let tx = self
                .conn_mut()
                .transaction_with_behavior(rusqlite::TransactionBehavior::Deferred)?;
            // The store's write lock now, as BEGIN IMMEDIATE would take it,
            // but not the scratch database's, which the helper writes.
            tx.execute_batch("DELETE FROM main.store_meta WHERE 0")?;
            let counts = merge::run(&tx, site, opts, build.as_mut(), phase)?;
            if fresh {
                phase("checking references");
                references_hold(&tx)?;
            }
            if opts.dry_run {
                tx.rollback()?;
            } else {
                phase("writing to disk");
                tx.commit()?;
            }
            Ok(counts)
        })();
        if let Some(build) = build {
            build.close(self.conn());
        }
        if direct {
            self.back_to_wal();
        }
        let restored = match fresh {
            true => self.conn().pragma_update(None, "foreign_keys", "ON"),
            false => Ok(()),
        };
        let counts = result?;
        restored?;
        Ok(counts)
    }

    /// A first load into an empty store writes its pages straight into the
    /// file (rollback journal) instead of into the write-ahead log: a log
    /// as big as the store, copied into it afterwards, would need twice
    /// the store's size on disk (80 GB for ten million subjects) and twice
    /// the writing. Only when no other connection has the store open
    /// (SQLite refuses the switch otherwise); synchronous=FULL while it
    /// lasts, as the rollback journal needs for safety on power loss. A
    /// kill midway leaves a hot journal that the next open rolls back.
    pub(crate) fn write_directly(&mut self) -> Result<bool> {
        let mode = self
            .conn()
            .query_row("PRAGMA journal_mode = DELETE", [], |r| {
                r.get::<_, String>(0)
            });
        if !matches!(mode.as_deref(), Ok("delete")) {
            return Ok(false);
        }
        self.conn().pragma_update(None, "synchronous", "FULL")?;
        Ok(true)
    }

    /// Back to the write-ahead log after a direct load. Should another
    /// connection have opened the store meanwhile, the switch waits for
    /// the next open (every open asks for WAL).
    pub(crate) fn back_to_wal(&mut self) {
        let _ = self
            .conn()
            .query_row("PRAGMA journal_mode = WAL", [], |r| r.get::<_, String>(0));
        let _ = self.conn().pragma_update(None, "synchronous", "NORMAL");
    }

    /// Drops the staging table; the workstation's page cache again.
    pub fn import_end(&mut self) -> Result<()> {
        self.conn().execute_batch(
            "DROP TABLE IF EXISTS temp.import_row; DROP TABLE IF EXISTS temp.import_court",
        )?;
        self.conn()
            .pragma_update(None, "cache_size", super::CACHE_KIB)?;
        Ok(())
    }
}
