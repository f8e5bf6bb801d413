//! Rows an import inserts, sealed and clocked set by set.
//!
//! Every row zhixing writes to a legal table gets its seal (store/seal.rs)
//! and the next number of the change clock (store/sync): per row, by TEMP
//! triggers. An import inserts each table's new rows with one INSERT ...
//! SELECT: for a table keyed by id, with keys counting up from the table's
//! next free key; for case_debtor, the pairs listed beforehand in a temp
//! table. The import drops the insert triggers and, right after each
//! statement, seals and clocks the rows it added in three statements. The
//! seals, digests and clock end as the triggers would leave them (the
//! clock numbers the rows in key order rather than insertion order, which
//! nothing reads). The update triggers stay: a row updated later in the
//! same import is already sealed.

use super::seal::{LEGAL_TABLES, count_and_xor, digest_of_keys, key_expr, seal_expr};
use rusqlite::{Connection, Params, params};

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

/// Seals and clocks the rows of `table` with keys `first` to `last`: the
/// rows the statement just run inserted. (Bounded on both sides: rows from
/// another office have keys above this site's.)
pub fn record_inserted(
    conn: &Connection,
    table: &str,
    first: i64,
    last: i64,
) -> rusqlite::Result<()> {
    let Some(no) = table_no(table) else {
        return Ok(());
    };
    let rows = format!("main.{table} t WHERE t.id BETWEEN ?1 AND ?2");
    seal_and_clock(conn, no, table, &rows, [first, last])?;
    let (count, xor) = digest_of_keys(conn, no, first, last)?;
    add_to_digest(conn, no, count, xor)
}

/// Seals and clocks the case_debtor rows listed (case_id, subject_id) in
/// `listed`, a temp table: the pairs the statement just run inserted.
pub fn record_inserted_debtors(conn: &Connection, listed: &str) -> rusqlite::Result<()> {
    let table = "case_debtor";
    let Some(no) = table_no(table) else {
        return Ok(());
    };
    let rows = format!(
        "main.{table} t JOIN {listed} l ON l.case_id = t.case_id AND l.subject_id = t.subject_id"
    );
    seal_and_clock(conn, no, table, &rows, [])?;
    let key = key_expr(table, "t");
    let mut stmt = conn.prepare(&format!(
        "SELECT s.seal FROM {rows} JOIN main.row_seal s ON s.tbl = {no} AND s.key = +({key})"
    ))?;
    let (count, xor) = count_and_xor(stmt.query([])?)?;
    add_to_digest(conn, no, count, xor)
}

fn table_no(table: &str) -> Option<i64> {
    LEGAL_TABLES
        .iter()
        .find(|(_, t)| *t == table)
        .map(|(n, _)| *n)
}

/// Writes the seals and change numbers of `rows` (a FROM clause naming
/// the new rows of `table` as `t`), in key order.
fn seal_and_clock(
    conn: &Connection,
    no: i64,
    table: &str,
    rows: &str,
    bound: impl Params + Copy,
) -> rusqlite::Result<()> {
    let seal = seal_expr(conn, no, table, "t")?;
    let key = key_expr(table, "t");
    conn.execute(
        &format!(
            "INSERT INTO main.row_seal (tbl, key, seal)
             SELECT {no}, {key}, {seal} FROM {rows} ORDER BY 2"
        ),
        bound,
    )?;
    let clocked = conn.execute(
        &format!(
            "INSERT OR REPLACE INTO main.sync_change (tbl, key, n)
             SELECT {no}, {key}, (SELECT n FROM main.sync_clock) + row_number() OVER (ORDER BY {key})
             FROM {rows}"
        ),
        bound,
    )?;
    conn.execute("UPDATE main.sync_clock SET n = n + ?1", [clocked as i64])?;
    Ok(())
}

fn add_to_digest(conn: &Connection, no: i64, count: i64, xor: i64) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE main.table_seal SET n = n + ?2, x = zx_xor(x, ?3) WHERE tbl = ?1",
        params![no, count, xor],
    )?;
    Ok(())
}
