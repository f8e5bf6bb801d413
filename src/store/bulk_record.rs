//! Rows an import inserts, sealed and clocked set by set.
//!
//! Every row zhixing writes to a legal table gets its seal (store/seal.rs)
//! and the next number of the change clock (store/sync): per row, by TEMP
//! triggers. An import inserts each table's new rows with one INSERT ...
//! SELECT: for a table keyed by id, with keys counting up from the table's
//! next free key; for case_debtor, the pairs listed beforehand in a temp
//! table. The import drops the insert triggers and, right after each
//! statement, writes the records of the rows it added (seal and change
//! number, in `row_record`) with one more. The records, digests and clock
//! end as the triggers would leave them (the clock numbers the rows in the
//! order they are read back rather than in the order they were inserted,
//! which nothing reads). The update triggers stay: a row updated later in
//! the same import is already sealed.
//!
//! Keys and change numbers are counted by `zx_next_key()` (KeyCounter),
//! in the order SQLite writes the rows; the new seals' count and XOR by
//! `zx_tally()` (SealTally) as they are written.

use super::seal::{LEGAL_TABLES, key_expr, seal_expr};
use rusqlite::functions::FunctionFlags;
use rusqlite::{Connection, Params, params};
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

/// Consecutive numbers for the rows of one INSERT ... SELECT, handed out
/// by `zx_next_key()` as SQLite produces each row, so keys rise in the
/// order the rows are written. A window's `row_number()` instead held
/// every row in a temporary table (and sorted them by its ORDER BY)
/// before the first was written: 2.2 s of a 4 s clock insert, 4.5 M rows.
#[derive(Clone)]
pub struct KeyCounter(Arc<AtomicI64>);

impl KeyCounter {
    /// Registers `zx_next_key()` on `conn`, counting with this counter
    /// (a counter registered before on the connection is replaced).
    pub fn register(conn: &Connection) -> rusqlite::Result<KeyCounter> {
        let next = Arc::new(AtomicI64::new(0));
        let counted = Arc::clone(&next);
        // Not deterministic: SQLite must call it once per row.
        let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DIRECTONLY;
        conn.create_scalar_function("zx_next_key", 0, flags, move |_| {
            Ok(counted.fetch_add(1, Ordering::Relaxed))
        })?;
        Ok(KeyCounter(next))
    }

    /// The number the next row gets.
    fn start_at(&self, first: i64) {
        self.0.store(first, Ordering::Relaxed);
    }

    /// The number after the last one handed out.
    fn next(&self) -> i64 {
        self.0.load(Ordering::Relaxed)
    }

    /// Runs `run` (an INSERT numbering its rows with `zx_next_key()`) with
    /// the count starting at `first`, returning the rows it inserted; an
    /// error should SQLite have numbered a row it did not insert, which
    /// would leave a gap among the keys.
    pub fn insert_from(
        &self,
        first: i64,
        run: impl FnOnce() -> rusqlite::Result<usize>,
    ) -> rusqlite::Result<usize> {
        self.start_at(first);
        let inserted = run()?;
        let numbered = self.next() - first;
        if numbered != inserted as i64 {
            return Err(rusqlite::Error::UserFunctionError(
                format!("zx_next_key: {numbered} keys numbered for {inserted} rows inserted")
                    .into(),
            ));
        }
        Ok(inserted)
    }
}

/// The count and XOR of the seals one INSERT ... SELECT writes, summed by
/// `zx_tally(seal)` (which returns the seal) as SQLite produces each row:
/// the table's digest grows by them without the seals being read back (a
/// second pass over every new row).
#[derive(Clone)]
struct SealTally(Arc<[AtomicI64; 2]>);

impl SealTally {
    fn register(conn: &Connection) -> rusqlite::Result<SealTally> {
        let tally = SealTally(Arc::new([AtomicI64::new(0), AtomicI64::new(0)]));
        let summed = tally.clone();
        // Not deterministic: SQLite must call it once per row.
        let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DIRECTONLY;
        conn.create_scalar_function("zx_tally", 1, flags, move |ctx| {
            let seal: i64 = ctx.get(0)?;
            summed.0[0].fetch_add(1, Ordering::Relaxed);
            summed.0[1].fetch_xor(seal, Ordering::Relaxed);
            Ok(seal)
        })?;
        Ok(tally)
    }

    /// The count and XOR summed since the last call, starting again at 0.
    fn take(&self) -> (i64, i64) {
        (
            self.0[0].swap(0, Ordering::Relaxed),
            self.0[1].swap(0, Ordering::Relaxed),
        )
    }
}

/// What the import's connection records its new rows with: the key
/// counter of its inserts and the tally of their seals.
pub struct Recorder {
    pub keys: KeyCounter,
    tally: SealTally,
}

impl Recorder {
    /// Registers `zx_next_key()` and `zx_tally()` on `conn`.
    pub fn register(conn: &Connection) -> rusqlite::Result<Recorder> {
        Ok(Recorder {
            keys: KeyCounter::register(conn)?,
            tally: SealTally::register(conn)?,
        })
    }

    /// Seals and clocks the rows of `table` with keys `first` to `last`:
    /// the rows the statement just run inserted. (Bounded on both sides:
    /// rows from another office have keys above this site's.)
    pub fn record_inserted(
        &self,
        conn: &Connection,
        table: &str,
        first: i64,
        last: i64,
    ) -> rusqlite::Result<()> {
        let Some(no) = table_no(table) else {
            return Ok(());
        };
        let rows = format!("main.{table} t WHERE t.id BETWEEN ?1 AND ?2");
        self.seal_and_clock(conn, no, table, &rows, [first, last])
    }

    /// Seals and clocks the case_debtor rows listed (case_id, subject_id)
    /// in `listed`, a temp table: the pairs the statement just run
    /// inserted.
    pub fn record_inserted_debtors(&self, conn: &Connection, listed: &str) -> rusqlite::Result<()> {
        let table = "case_debtor";
        let Some(no) = table_no(table) else {
            return Ok(());
        };
        let rows = format!(
            "main.{table} t JOIN {listed} l ON l.case_id = t.case_id AND l.subject_id = t.subject_id"
        );
        self.seal_and_clock(conn, no, table, &rows, [])
    }

    /// Writes the records of `rows` (a FROM clause naming the new rows of
    /// `table` as `t`), seal and change number, in key order, and adds
    /// the seals to the table's digest. A new row's key may have a record
    /// without a seal (a row deleted before, whose change number stays),
    /// never one with: that record is left alone and the count mismatch
    /// stops the import.
    fn seal_and_clock(
        &self,
        conn: &Connection,
        no: i64,
        table: &str,
        rows: &str,
        bound: impl Params + Copy,
    ) -> rusqlite::Result<()> {
        let seal = seal_expr(conn, no, table, "t")?;
        let key = key_expr(table, "t");
        let clock: i64 = conn.query_row("SELECT n FROM main.sync_clock", [], |r| r.get(0))?;
        self.tally.take();
        let recorded = self.keys.insert_from(clock + 1, || {
            conn.execute(
                &format!(
                    "INSERT INTO main.row_record (tbl, key, seal, n)
                     SELECT {no}, {key}, zx_tally({seal}), zx_next_key() FROM {rows} ORDER BY 2
                     ON CONFLICT (tbl, key) DO UPDATE SET seal = excluded.seal, n = excluded.n
                     WHERE row_record.seal IS NULL"
                ),
                bound,
            )
        })?;
        let (count, xor) = self.tally.take();
        if count != recorded as i64 {
            return Err(rusqlite::Error::UserFunctionError(
                format!("zx_tally: {count} seals summed for {recorded} rows sealed").into(),
            ));
        }
        conn.execute("UPDATE main.sync_clock SET n = n + ?1", [recorded as i64])?;
        add_to_digest(conn, no, count, xor)
    }
}

/// Drops the insert triggers of seals and clock on the legal tables;
/// `store::install_triggers` (or the transaction's rollback) brings them
/// back.
pub fn suspend(conn: &Connection) -> rusqlite::Result<()> {
    let mut sql = String::new();
    for (_, table) in LEGAL_TABLES {
        sql.push_str(&format!(
            "DROP TRIGGER IF EXISTS temp.zx_seal_insert_{table};
             DROP TRIGGER IF EXISTS temp.zx_sync_insert_{table};"
        ));
    }
    conn.execute_batch(&sql)
}

fn table_no(table: &str) -> Option<i64> {
    LEGAL_TABLES
        .iter()
        .find(|(_, t)| *t == table)
        .map(|(n, _)| *n)
}

fn add_to_digest(conn: &Connection, no: i64, count: i64, xor: i64) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE main.table_seal SET n = n + ?2, x = zx_xor(x, ?3) WHERE tbl = ?1",
        params![no, count, xor],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::{KeyCounter, SealTally};
    use rusqlite::Connection;

    fn table_of_ten() -> (Connection, KeyCounter) {
        let conn = Connection::open_in_memory().unwrap();
        let keys = KeyCounter::register(&conn).unwrap();
        conn.execute_batch(
            "CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER UNIQUE);
             CREATE TABLE src (v INTEGER);
             WITH RECURSIVE n(v) AS (SELECT 10 UNION ALL SELECT v - 1 FROM n WHERE v > 1)
             INSERT INTO src SELECT v FROM n;",
        )
        .unwrap();
        (conn, keys)
    }

    #[test]
    fn keys_count_up_from_the_first_in_the_order_rows_are_written() {
        let (conn, keys) = table_of_ten();
        let run = || conn.execute("INSERT INTO t SELECT zx_next_key(), v FROM src", []);
        assert_eq!(keys.insert_from(500, run).unwrap(), 10);
        assert_eq!(keys.next(), 510);
        let written: Vec<(i64, i64)> = conn
            .prepare("SELECT id, v FROM t ORDER BY id")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        let expected: Vec<(i64, i64)> = (0..10).map(|i| (500 + i, 10 - i)).collect();
        assert_eq!(written, expected);
    }

    #[test]
    fn a_key_numbered_for_a_row_not_written_is_an_error() {
        let (conn, keys) = table_of_ten();
        conn.execute("INSERT INTO t VALUES (1, 3)", []).unwrap();
        // The row with v = 3 is numbered, then ignored: a gap in the keys.
        let run = || {
            conn.execute(
                "INSERT OR IGNORE INTO t SELECT zx_next_key(), v FROM src",
                [],
            )
        };
        let err = keys.insert_from(100, run).unwrap_err().to_string();
        assert!(
            err.contains("10 keys numbered for 9 rows inserted"),
            "{err}"
        );
    }

    #[test]
    fn the_tally_counts_and_xors_the_values_it_passes_through() {
        let (conn, _) = table_of_ten();
        let tally = SealTally::register(&conn).unwrap();
        let passed: i64 = conn
            .query_row("SELECT sum(zx_tally(v * 37)) FROM src", [], |r| r.get(0))
            .unwrap();
        assert_eq!(passed, 37 * 55);
        let xor = (1..=10).fold(0, |x, v| x ^ (v * 37));
        assert_eq!(tally.take(), (10, xor));
        assert_eq!(tally.take(), (0, 0));
    }
}
