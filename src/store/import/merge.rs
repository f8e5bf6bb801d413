//! The staged rows into the store, set by set: courts, subjects, cases,
//! phones, debtors, legal representatives, obligations, payments made
//! before the import, listings and restrictions. Each step matches what
//! exists (by ID number, court code, case number, obligation) and counts
//! what it added and what it changed. Keys come from this site's range. Once the
//! cases are in, each staged row's subject and case are looked up once
//! (link.sql) and the later steps join by row. Changes to rows the store
//! already held are in known.rs.

use super::search_build::SearchBuild;
use crate::store::bulk_record::Recorder;
use crate::store::ids::IdAllocator;
use crate::store::{bulk_record, standing};
use close::close;
use known::{changed_cases, changed_obligations, known_subjects, touched_by_new_rows};
use rusqlite::{Connection, ToSql};

mod close;
mod known;

/// What one import asks of the merge.
#[derive(Debug, Clone)]
pub struct MergeOptions {
    pub dry_run: bool,
    pub officer_id: Option<i64>,
    /// ISO time and date of the import.
    pub now: String,
    pub today: String,
    /// (file name, SHA-256, rows read, rows rejected) for the audit entry.
    pub files: Vec<(String, String, u64, u64)>,
}

/// What the merge added and changed.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ImportCounts {
    pub rows: i64,
    pub courts_added: i64,
    pub subjects_added: i64,
    pub subjects_updated: i64,
    pub phones_added: i64,
    pub cases_added: i64,
    pub cases_updated: i64,
    pub obligations_added: i64,
    pub obligations_updated: i64,
    pub payments_added: i64,
    pub listings_added: i64,
    pub restrictions_added: i64,
}

impl ImportCounts {
    /// Whether the import changed anything in the legal tables.
    pub fn changed(&self) -> bool {
        self.courts_added
            + self.subjects_added
            + self.subjects_updated
            + self.phones_added
            + self.cases_added
            + self.cases_updated
            + self.obligations_added
            + self.obligations_updated
            + self.payments_added
            + self.listings_added
            + self.restrictions_added
            > 0
    }
}

/// Where a statement's SQL goes on to match what the store already holds
/// (to the statement's end). A store that held no caseload holds nothing
/// to match, and a statement that reads the table it writes is run by
/// SQLite through a copy of every row it selects: the merge of a first
/// load runs each such statement without that part.
const MATCHED: &str = "-- matched against the store:";

struct Merge<'c> {
    conn: &'c Connection,
    site: i64,
    opts: &'c MergeOptions,
    /// Numbers the rows of a statement that keys them with zx_next_key(),
    /// and seals and clocks them.
    record: Recorder,
    /// The store held no subjects and no cases: nothing to match or
    /// update, and the search index is built whole.
    empty: bool,
    /// Told each step's name as it begins (a terminal shows it).
    phase: &'c dyn Fn(&str),
}

/// The keys one INSERT ... SELECT added: `first` to `last` (none when
/// `last` < `first`).
#[derive(Clone, Copy)]
struct AddedKeys {
    first: i64,
    last: i64,
}

impl AddedKeys {
    fn count(self) -> i64 {
        self.last - self.first + 1
    }
}

impl Merge<'_> {
    /// The next free key of a table in this site's range.
    fn base(&self, table: &str) -> rusqlite::Result<i64> {
        Ok(IdAllocator::for_table(self.conn, table, self.site)?.next_id())
    }

    /// Runs an INSERT ... SELECT whose keys count up from the table's base,
    /// and seals and clocks its rows as a set (store/bulk_record.rs).
    fn insert(&self, table: &str, sql: &str) -> rusqlite::Result<i64> {
        Ok(self.insert_keys(table, sql)?.count())
    }

    /// `insert`, returning the keys it added: exactly those, since another
    /// office's synced rows have keys above this site's.
    fn insert_keys(&self, table: &str, sql: &str) -> rusqlite::Result<AddedKeys> {
        let base = self.base(table)?;
        let added = AddedKeys {
            first: base,
            last: base + self.execute(sql, Some(base))? - 1,
        };
        if added.count() > 0 {
            let started = std::time::Instant::now();
            self.record
                .record_inserted(self.conn, table, added.first, added.last)?;
            super::report_time(&format!("  seals and change clock of {table}"), started);
        }
        Ok(added)
    }

    /// Runs `insert` without the unique indexes `names` when the store was
    /// empty (made again after it: deferred.rs), else as it is.
    fn first_load_indexed_after<T>(
        &self,
        names: &[&str],
        insert: impl FnOnce() -> rusqlite::Result<T>,
    ) -> rusqlite::Result<T> {
        if self.empty {
            super::deferred::index_after(self.conn, names, insert)
        } else {
            insert()
        }
    }

    fn exec(&self, sql: &str) -> rusqlite::Result<i64> {
        self.execute(sql, None)
    }

    fn execute(&self, sql: &str, base: Option<i64>) -> rusqlite::Result<i64> {
        let started = std::time::Instant::now();
        let result = self.execute_inner(sql, base);
        super::report_time(first_line(sql), started);
        result
    }

    /// Binds the named values a statement uses (:base, :now, :today, :by);
    /// a statement keying its rows with zx_next_key() counts from :base.
    fn execute_inner(&self, sql: &str, base: Option<i64>) -> rusqlite::Result<i64> {
        let sql = match sql.split_once(MATCHED) {
            Some((unmatched, _)) if self.empty => unmatched,
            _ => sql,
        };
        super::report_plan(self.conn, sql)?;
        let mut stmt = self.conn.prepare(sql)?;
        let values: [(&str, &dyn ToSql); 4] = [
            (":base", &base),
            (":now", &self.opts.now),
            (":today", &self.opts.today),
            (":by", &self.opts.officer_id),
        ];
        for (name, value) in values {
            if let Some(i) = stmt.parameter_index(name)? {
                stmt.raw_bind_parameter(i, value)?;
            }
        }
        let inserted = match base {
            Some(first) if sql.contains("zx_next_key()") => {
                self.record.keys.insert_from(first, || stmt.raw_execute())?
            }
            _ => stmt.raw_execute()?,
        };
        Ok(inserted as i64)
    }
}

/// Merges the staged rows; `build`, when the store was empty, makes the
/// search index on the second core (search_build.rs).
pub fn run(
    conn: &Connection,
    site: i64,
    opts: &MergeOptions,
    build: Option<&mut SearchBuild>,
    phase: &dyn Fn(&str),
) -> rusqlite::Result<ImportCounts> {
    let was_empty = crate::store::holds_no_caseload(conn)?;
    let m = Merge {
        conn,
        site,
        opts,
        record: Recorder::register(conn)?,
        empty: was_empty,
        phase,
    };
    timed_batch(conn, include_str!("prepare.sql"))?;
    // A listing alone writes a dozen rows: the standing of the import's
    // subjects is computed once, after the rows are in.
    standing::suspend_triggers(conn)?;
    bulk_record::suspend(conn)?;
    let mut c = ImportCounts {
        rows: conn.query_row("SELECT count(*) FROM temp.import_row", [], |r| r.get(0))?,
        ..Default::default()
    };
    phase("courts and subjects");
    courts(&m, &mut c)?;
    let deferred = if was_empty {
        super::deferred::drop_indexes(conn)?
    } else {
        Vec::new()
    };
    subjects(&m, &mut c)?;
    // The names are final: the helper makes their grams meanwhile.
    let mut build = build.filter(|_| was_empty);
    if let Some(build) = build.as_mut() {
        build.start(conn)?;
    }
    cases(&m, &mut c)?;
    link(&m)?;
    c.phones_added = m.insert("phone", include_str!("phones.sql"))?;
    debtors(&m)?;
    // Nothing a subject is found by changes after this: what follows is
    // what the index does not read, so that the helper starts early.
    if let Some(build) = build.as_mut() {
        build.hand_over_sources(conn)?;
    }
    m.insert("responsible_person", include_str!("representatives.sql"))?;
    timed_batch(conn, include_str!("firsts.sql"))?;
    debts(&m, &mut c)?;
    listings(&m, &mut c)?;
    close(&m, &c, &deferred, build)?;
    drop_merge_tables(conn)?;
    Ok(c)
}

/// New courts, each linked to the court above it by its code.
fn courts(m: &Merge, c: &mut ImportCounts) -> rusqlite::Result<()> {
    c.courts_added = m.insert("court", include_str!("courts.sql"))?;
    m.exec(
        "UPDATE court SET higher_court_id = (SELECT p.id FROM court p
            WHERE p.code = substr(court.code, 1, CASE length(court.code) WHEN 5 THEN 3 ELSE 1 END))
            WHERE higher_court_id IS NULL AND length(code) > 1
              AND code IN (SELECT code FROM temp.import_court)",
    )?;
    Ok(())
}

/// The merge's own working tables (the staged rows go in `import_end`).
fn drop_merge_tables(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(
        "DROP TABLE IF EXISTS temp.import_subject; DROP TABLE IF EXISTS temp.import_touched;
         DROP TABLE IF EXISTS temp.import_case;
         DROP TABLE IF EXISTS temp.import_new_listing;
         DROP TABLE IF EXISTS temp.import_new_debtor;
         DROP TABLE IF EXISTS temp.import_link; DROP TABLE IF EXISTS temp.import_obligation;
         DROP TABLE IF EXISTS temp.import_listing;",
    )
}

fn subjects(m: &Merge, c: &mut ImportCounts) -> rusqlite::Result<()> {
    if !m.empty {
        known_subjects(m, c)?;
    }
    let added = m.first_load_indexed_after(&["subject_by_id_number"], || {
        m.insert_keys("subject", include_str!("subjects.sql"))
    })?;
    c.subjects_added = added.count();
    if !m.empty {
        touched_by_new_rows(m, added)?;
    }
    Ok(())
}

fn cases(m: &Merge, c: &mut ImportCounts) -> rusqlite::Result<()> {
    (m.phase)("cases, debtors and phones");
    c.cases_added = m.first_load_indexed_after(&["case_by_number", "case_by_sequence"], || {
        m.insert("enforcement_case", include_str!("cases.sql"))
    })?;
    if !m.empty {
        c.cases_updated = changed_cases(m)?;
    }
    Ok(())
}

/// Each staged row's subject and case, once both are in (link.sql).
fn link(m: &Merge) -> rusqlite::Result<()> {
    let started = std::time::Instant::now();
    timed_batch(m.conn, include_str!("link.sql"))?;
    super::report_time("each row's subject and case", started);
    Ok(())
}

/// The obligations of the cases' debtors and what was paid on them.
fn debts(m: &Merge, c: &mut ImportCounts) -> rusqlite::Result<()> {
    (m.phase)("obligations and payments");
    c.obligations_added = m.insert("obligation", include_str!("obligations.sql"))?;
    if !m.empty {
        c.obligations_updated = changed_obligations(m)?;
    }
    c.payments_added = m.insert("payment", include_str!("payments.sql"))?;
    Ok(())
}

/// Links the cases to their debtors: the new pairs are listed first, so
/// that they can be sealed and clocked as a set. A known subject who
/// becomes a debtor is touched: found by the case number from now on.
fn debtors(m: &Merge) -> rusqlite::Result<()> {
    m.exec(
        "CREATE TEMP TABLE import_new_debtor AS
         SELECT DISTINCT k.case_id, k.subject_id FROM temp.import_link k
         WHERE NOT EXISTS (SELECT 1 FROM case_debtor d WHERE d.case_id = k.case_id AND d.subject_id = k.subject_id)",
    )?;
    if !m.empty {
        m.exec("INSERT OR IGNORE INTO temp.import_touched SELECT subject_id FROM temp.import_new_debtor")?;
    }
    m.exec(
        "INSERT INTO case_debtor (case_id, subject_id)
         SELECT case_id, subject_id FROM temp.import_new_debtor ORDER BY case_id, subject_id",
    )?;
    let started = std::time::Instant::now();
    m.record
        .record_inserted_debtors(m.conn, "temp.import_new_debtor")?;
    super::report_time("  seals and change clock of case_debtor", started);
    Ok(())
}

fn listings(m: &Merge, c: &mut ImportCounts) -> rusqlite::Result<()> {
    (m.phase)("listings and restrictions");
    let added = m.insert_keys("listing", include_str!("listings.sql"))?;
    c.listings_added = added.count();
    m.conn.execute(
        "CREATE TEMP TABLE import_new_listing AS
         SELECT id, subject_id, case_id, decided_on FROM listing WHERE id BETWEEN ?1 AND ?2",
        [added.first, added.last],
    )?;
    m.exec(
        "CREATE INDEX temp.import_new_listing_key
         ON import_new_listing (subject_id, case_id, decided_on)",
    )?;
    c.restrictions_added = derived_rows(m.conn, || {
        m.insert("restriction", include_str!("listing_restrictions.sql"))
    })?;
    m.insert("restriction_order", include_str!("orders.sql"))?;
    c.restrictions_added += derived_rows(m.conn, || {
        m.insert("restriction", include_str!("order_restrictions.sql"))
    })?;
    Ok(())
}

/// Runs `insert`, whose rows' checked values are all copied from rows
/// already in (a listing's or order's date, which passed the same CHECK)
/// or are constants the CHECKs allow (active, never lifted, one basis),
/// with SQLite's CHECK constraints off: a dozen restrictions per listing
/// otherwise parse its date a dozen times again. Foreign keys and NOT
/// NULL still hold (the first are checked after a first load), and the
/// CHECKs are back on whatever the insert returned.
fn derived_rows<T>(
    conn: &Connection,
    insert: impl FnOnce() -> rusqlite::Result<T>,
) -> rusqlite::Result<T> {
    conn.pragma_update(None, "ignore_check_constraints", true)?;
    let result = insert();
    conn.pragma_update(None, "ignore_check_constraints", false)?;
    result
}

/// What names a statement in the timings: its first line of code.
fn first_line(sql: &str) -> &str {
    sql.lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with("--"))
        .unwrap_or("")
}

/// Runs each statement of `sql` in turn, timing each (ZHIXING_TIMING).
fn timed_batch(conn: &Connection, sql: &str) -> rusqlite::Result<()> {
    use rusqlite::fallible_iterator::FallibleIterator as _;
    let mut batch = rusqlite::Batch::new(conn, sql);
    while let Some(mut stmt) = batch.next()? {
        let started = std::time::Instant::now();
        super::report_plan(conn, &stmt.expanded_sql().unwrap_or_default())?;
        stmt.raw_execute()?;
        super::report_time(
            first_line(&stmt.expanded_sql().unwrap_or_default()),
            started,
        );
    }
    Ok(())
}
