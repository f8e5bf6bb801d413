//! Rows an import inserts, sealed and clocked set by set.
//!
//! Every row zhixing writes to a legal table gets its seal (store/seal.rs)
//! and the next number of the change clock (store/sync): per row, by TEMP
//! triggers. An import inserts each table's new rows with one INSERT ...
//! SELECT whose keys count up from the table's next free key; for those,
//! the import drops the insert triggers and, right after each statement,
//! seals and clocks the keys it added in three statements. The
//! seals, digests and clock end as the triggers would leave them (the
//! clock numbers the rows in key order rather than insertion order, which
//! nothing reads). The update triggers stay: a row updated later in the
//! same import is already sealed.

use super::seal::{LEGAL_TABLES, digest_of_keys, seal_expr};
use rusqlite::{Connection, params};

/// The tables an import inserts into by key range (case_debtor, keyed by
/// its two columns, keeps its triggers).
fn by_key(table: &str) -> bool {
    table != "case_debtor"
}

/// Drops the insert triggers of seals and clock on the tables inserted by
/// key; `store::install_triggers` (or the transaction's rollback) brings
/// them back.
pub fn suspend(conn: &Connection) -> rusqlite::Result<()> {
    let mut sql = String::new();
    for (_, table) in LEGAL_TABLES.into_iter().filter(|(_, t)| by_key(t)) {
        sql.push_str(&format!(
            "DROP TRIGGER IF EXISTS temp.zx_seal_insert_{table};
             DROP TRIGGER IF EXISTS temp.zx_sync_insert_{table};"
        ));
    }
    conn.execute_batch(&sql)
}

/// Seals and clocks the rows of `table` with keys `first` to `last`: the
/// rows the statement just run inserted. (Bounded on both sides: rows from
/// another office have keys above this site's.)
pub fn record_inserted(
    conn: &Connection,
    table: &str,
    first: i64,
    last: i64,
) -> rusqlite::Result<()> {
    let Some(no) = LEGAL_TABLES
        .iter()
        .find(|(_, t)| *t == table)
        .map(|(n, _)| *n)
    else {
        return Ok(());
    };
    let seal = seal_expr(conn, no, table, "t")?;
    conn.execute(
        &format!(
            "INSERT INTO main.row_seal (tbl, key, seal)
             SELECT {no}, t.id, {seal} FROM main.{table} t WHERE t.id BETWEEN ?1 AND ?2 ORDER BY t.id"
        ),
        [first, last],
    )?;
    let (count, xor) = digest_of_keys(conn, no, first, last)?;
    conn.execute(
        "UPDATE main.table_seal SET n = n + ?2, x = zx_xor(x, ?3) WHERE tbl = ?1",
        params![no, count, xor],
    )?;
    conn.execute(
        &format!(
            "INSERT OR REPLACE INTO main.sync_change (tbl, key, n)
             SELECT {no}, t.id, (SELECT n FROM main.sync_clock) + row_number() OVER (ORDER BY t.id)
             FROM main.{table} t WHERE t.id BETWEEN ?1 AND ?2"
        ),
        [first, last],
    )?;
    conn.execute("UPDATE main.sync_clock SET n = n + ?1", [count])?;
    Ok(())
}
