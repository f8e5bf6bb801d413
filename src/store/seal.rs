//! Row seals: what the log says the legal tables hold.
//!
//! Every write zhixing makes to a legal table also writes the row's seal
//! (a hash of its table, key and every column) to `row_record` (beside
//! the row's change number, store/sync/), and keeps a
//! count and XOR of the seals per table in `table_seal`; each audit row
//! carries those per-table digests inside its hash chain. The triggers
//! that do this are TEMP triggers, made on each of zhixing's own
//! connections: a row changed, added or deleted with another program
//! (the sqlite3 shell) has no fresh seal, and `zhixing audit verify` names
//! it with its table and key.

use crate::words::count;
use rusqlite::functions::FunctionFlags;
use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// The legal tables and their numbers in `row_record` (never renumbered).
pub const LEGAL_TABLES: [(i64, &str); 19] = [
    (1, "court"),
    (2, "officer"),
    (3, "subject"),
    (4, "alias"),
    (5, "phone"),
    (6, "responsible_person"),
    (7, "enforcement_case"),
    (8, "case_debtor"),
    (9, "obligation"),
    (10, "payment"),
    (11, "listing"),
    (12, "restriction_order"),
    (13, "restriction"),
    (14, "necessary_expense"),
    (15, "objection"),
    (16, "notice_batch"),
    (17, "notice"),
    (18, "deadline"),
    (19, "approval"),
];

/// A row's key as `row_record` keeps it: its id, or "case/subject" for the
/// one table keyed by two columns. `row` is NEW or OLD in a trigger.
pub fn key_expr(table: &str, row: &str) -> String {
    match table {
        "case_debtor" => format!("{row}.case_id || '/' || {row}.subject_id"),
        _ => format!("{row}.id"),
    }
}

/// 62 bits of SHA-256 over the table number, key and columns: positive,
/// so XORs of seals stay plain integers.
fn seal(table: i64, key: &str, columns: &str) -> i64 {
    // Fed in parts (the hash of "{table}\n{key}\n{columns}"): no copy of
    // the columns' text per row written.
    let mut h = Sha256::new();
    h.update(table.to_string());
    h.update(b"\n");
    h.update(key);
    h.update(b"\n");
    h.update(columns);
    let d = h.finalize();
    let mut first = [0u8; 8];
    first.copy_from_slice(&d[..8]);
    (u64::from_be_bytes(first) >> 2) as i64
}

/// zx_seal(table_no, key, json_array_of_columns) and zx_xor(a, b).
pub fn register(conn: &Connection) -> rusqlite::Result<()> {
    let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC;
    conn.create_scalar_function("zx_seal", 3, flags, |ctx| {
        let key: rusqlite::types::Value = ctx.get(1)?;
        let key = match key {
            rusqlite::types::Value::Integer(i) => i.to_string(),
            rusqlite::types::Value::Text(t) => t,
            other => format!("{other:?}"),
        };
        let columns = ctx.get_raw(2).as_str().map_err(rusqlite::Error::from)?;
        Ok(seal(ctx.get(0)?, &key, columns))
    })?;
    conn.create_scalar_function("zx_xor", 2, flags, |ctx| {
        Ok(ctx.get::<i64>(0)? ^ ctx.get::<i64>(1)?)
    })
}

/// The columns of a table, in order.
pub(crate) fn columns(conn: &Connection, table: &str) -> rusqlite::Result<Vec<String>> {
    conn.prepare_cached(&format!(
        "SELECT name FROM pragma_table_info('{table}', 'main') ORDER BY cid"
    ))?
    .query_map([], |r| r.get(0))?
    .collect()
}

/// The seal of `row` (NEW, OLD, or a table alias) of `table`, in SQL.
pub(super) fn seal_expr(
    conn: &Connection,
    no: i64,
    table: &str,
    row: &str,
) -> rusqlite::Result<String> {
    let cols: Vec<String> = columns(conn, table)?
        .iter()
        .map(|c| format!("{row}.{c}"))
        .collect();
    Ok(format!(
        "zx_seal({no}, {}, json_array({}))",
        key_expr(table, row),
        cols.join(", ")
    ))
}

/// The TEMP triggers that keep the seals on this connection's writes.
///
/// `key = +(...)`: the unary plus drops the integer affinity of the row's
/// id, which would otherwise be applied to `row_record.key` (typeless) and
/// keep SQLite from its primary key: a scan of every record per row written.
/// A deleted row's record stays, without its seal: its change number is
/// still the sync's. A new row's record takes change number 0 until the
/// change clock's trigger numbers it (either may run first).
pub fn install_triggers(conn: &Connection) -> rusqlite::Result<()> {
    let mut sql = String::new();
    for (no, table) in LEGAL_TABLES {
        let new_seal = seal_expr(conn, no, table, "NEW")?;
        let (old_key, new_key) = (key_expr(table, "OLD"), key_expr(table, "NEW"));
        let (old_match, new_match) = (format!("+({old_key})"), format!("+({new_key})"));
        let forget = format!(
            "UPDATE main.table_seal SET n = n - 1,
                 x = zx_xor(x, coalesce((SELECT seal FROM main.row_record WHERE tbl = {no} AND key = {old_match}), 0))
             WHERE tbl = {no};
             UPDATE main.row_record SET seal = NULL WHERE tbl = {no} AND key = {old_match};"
        );
        let keep = format!(
            "INSERT INTO main.row_record (tbl, key, seal, n) VALUES ({no}, {new_key}, {new_seal}, 0)
             ON CONFLICT (tbl, key) DO UPDATE SET seal = excluded.seal;
             UPDATE main.table_seal SET n = n + 1,
                 x = zx_xor(x, (SELECT seal FROM main.row_record WHERE tbl = {no} AND key = {new_match}))
             WHERE tbl = {no};"
        );
        sql.push_str(&format!(
            "CREATE TEMP TRIGGER IF NOT EXISTS zx_seal_insert_{table} AFTER INSERT ON main.{table}
             BEGIN {keep} END;
             CREATE TEMP TRIGGER IF NOT EXISTS zx_seal_update_{table} AFTER UPDATE ON main.{table}
             BEGIN {forget} {keep} END;
             CREATE TEMP TRIGGER IF NOT EXISTS zx_seal_delete_{table} AFTER DELETE ON main.{table}
             BEGIN {forget} END;"
        ));
    }
    conn.execute_batch(&sql)
}

/// Seals every row already held (a store made before seals, schema
/// version 5), in the upgrade's transaction: into `row_seal`, which held
/// the seals until version 10 (whose section moves them).
pub fn backfill(conn: &Connection) -> rusqlite::Result<()> {
    for (no, table) in LEGAL_TABLES {
        let seal = seal_expr(conn, no, table, "t")?;
        conn.execute(
            &format!(
                "INSERT INTO row_seal (tbl, key, seal) SELECT {no}, {}, {seal} FROM {table} t",
                key_expr(table, "t")
            ),
            [],
        )?;
        recount(conn, no)?;
    }
    Ok(())
}

/// Sets a table's count and XOR from its seals (version 5's `row_seal`).
fn recount(conn: &Connection, no: i64) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare_cached("SELECT seal FROM row_seal WHERE tbl = ?1")?;
    let (n, x) = count_and_xor(stmt.query([no])?)?;
    conn.execute(
        "INSERT OR REPLACE INTO table_seal (tbl, n, x) VALUES (?1, ?2, ?3)",
        params![no, n, x],
    )?;
    Ok(())
}

/// Count and XOR of the seals `row_record` holds for a table.
fn recomputed_digest(conn: &Connection, no: i64) -> rusqlite::Result<(i64, i64)> {
    let mut stmt =
        conn.prepare_cached("SELECT seal FROM row_record WHERE tbl = ?1 AND seal IS NOT NULL")?;
    count_and_xor(stmt.query([no])?)
}

/// How many seals a query yielded, and their XOR.
pub(super) fn count_and_xor(mut rows: rusqlite::Rows) -> rusqlite::Result<(i64, i64)> {
    let (mut n, mut x) = (0i64, 0i64);
    while let Some(r) = rows.next()? {
        n += 1;
        x ^= r.get::<_, i64>(0)?;
    }
    Ok((n, x))
}

/// The per-table digests as the audit rows carry them: {"table": [n, x]}.
pub fn digest_json(conn: &Connection) -> rusqlite::Result<String> {
    let mut stmt = conn.prepare_cached("SELECT tbl, n, x FROM table_seal ORDER BY tbl")?;
    let held: BTreeMap<i64, (i64, i64)> = stmt
        .query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))?
        .collect::<rusqlite::Result<_>>()?;
    let map: serde_json::Map<String, serde_json::Value> = LEGAL_TABLES
        .iter()
        .map(|(no, table)| {
            let (n, x) = held.get(no).copied().unwrap_or((0, 0));
            (table.to_string(), serde_json::json!([n, x]))
        })
        .collect();
    Ok(serde_json::Value::Object(map).to_string())
}

/// A row of a legal table that is not as zhixing left it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tampered {
    pub table: &'static str,
    /// The row's key ("case/subject" for case_debtor); None when the
    /// problem is the table's seal records as a whole.
    pub key: Option<String>,
    pub problem: String,
}

/// Reported per table before the rest are only counted.
const SHOWN_PER_TABLE: usize = 20;

/// Compares every row of every legal table with its seal, and the seals
/// with the digest the log's newest entry carries; `step` is told each
/// table as it begins ("restriction (13 of 19)").
pub fn check(conn: &Connection, step: &dyn Fn(&str)) -> rusqlite::Result<Vec<Tampered>> {
    let recorded = recorded_digests(conn)?;
    let mut found = Vec::new();
    for (no, table) in LEGAL_TABLES {
        step(&format!("{table} ({no} of {})", LEGAL_TABLES.len()));
        let mut rows = rows_against_seals(conn, no, table)?;
        if rows.len() > SHOWN_PER_TABLE {
            let more = rows.len() - SHOWN_PER_TABLE;
            rows.truncate(SHOWN_PER_TABLE);
            rows.push(Tampered {
                table,
                key: None,
                problem: format!("and {} more like the ones above", count(more, "row")),
            });
        }
        found.extend(rows);
        found.extend(digest_problems(conn, no, table, recorded.as_ref())?);
    }
    Ok(found)
}

/// Rows changed or added (no seal, or another one) and rows deleted (a
/// seal without its row).
fn rows_against_seals(
    conn: &Connection,
    no: i64,
    table: &'static str,
) -> rusqlite::Result<Vec<Tampered>> {
    let key = key_expr(table, "t");
    let seal = seal_expr(conn, no, table, "t")?;
    let sql = format!(
        "SELECT {key}, r.seal, {seal} FROM {table} t
         LEFT JOIN row_record r ON r.tbl = {no} AND r.key = +({key})"
    );
    let mut found = Vec::new();
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt.query([])?;
    while let Some(r) = rows.next()? {
        let (key, held, now): (rusqlite::types::Value, Option<i64>, i64) =
            (r.get(0)?, r.get(1)?, r.get(2)?);
        let problem = match held {
            None => "added outside zhixing: the log has no such row",
            Some(s) if s != now => {
                "changed outside zhixing: it differs from the row the log recorded"
            }
            Some(_) => continue,
        };
        found.push(Tampered {
            table,
            key: Some(key_text(key)),
            problem: problem.into(),
        });
    }
    let exists = match table {
        "case_debtor" => {
            "t.case_id || '/' || t.subject_id = r.key AND t.case_id = CAST(r.key AS INTEGER)"
        }
        _ => "t.id = r.key",
    };
    let sql = format!(
        "SELECT r.key FROM row_record r WHERE r.tbl = {no} AND r.seal IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM {table} t WHERE {exists})"
    );
    let deleted = conn
        .prepare(&sql)?
        .query_map([], |r| r.get::<_, rusqlite::types::Value>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    found.extend(deleted.into_iter().map(|key| Tampered {
        table,
        key: Some(key_text(key)),
        problem: "deleted outside zhixing: the log says it exists".into(),
    }));
    Ok(found)
}

fn key_text(key: rusqlite::types::Value) -> String {
    match key {
        rusqlite::types::Value::Integer(i) => i.to_string(),
        rusqlite::types::Value::Text(t) => t,
        other => format!("{other:?}"),
    }
}

/// The digests the newest entry of this site's log carries, with its seq.
fn recorded_digests(conn: &Connection) -> rusqlite::Result<Option<(i64, serde_json::Value)>> {
    let site = super::site_of(conn)?;
    let row: Option<(i64, Option<String>)> = conn
        .query_row(
            "SELECT a.seq, a.state_digest FROM audit_head h JOIN audit_log a ON a.seq = h.seq
             WHERE h.site = ?1",
            [site],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    Ok(row.and_then(|(seq, d)| Some((seq, serde_json::from_str(&d?).ok()?))))
}

/// The table's seal records against their kept count and XOR, and those
/// against what the log's newest entry says.
fn digest_problems(
    conn: &Connection,
    no: i64,
    table: &'static str,
    recorded: Option<&(i64, serde_json::Value)>,
) -> rusqlite::Result<Vec<Tampered>> {
    let mut found = Vec::new();
    let seals = recomputed_digest(conn, no)?;
    let kept: (i64, i64) = conn
        .query_row("SELECT n, x FROM table_seal WHERE tbl = ?1", [no], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .optional()?
        .unwrap_or((-1, -1));
    let whole = |problem: String| Tampered {
        table,
        key: None,
        problem,
    };
    if seals != kept {
        found.push(whole(format!(
            "its seal records were edited outside zhixing ({}, their digest says {})",
            count(seals.0, "seal"),
            kept.0
        )));
    }
    if let Some((seq, digest)) = recorded {
        let said = digest
            .get(table)
            .and_then(|v| Some((v.get(0)?.as_i64()?, v.get(1)?.as_i64()?)));
        if said != Some(seals) {
            let rows = said.map_or("nothing".to_string(), |s| count(s.0, "row"));
            found.push(whole(format!(
                "the log's newest entry (seq {seq}) says {rows} with other seals than the {} held now",
                seals.0
            )));
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    /// A seal is the hash of "{table}\n{key}\n{columns}": stores sealed by
    /// earlier builds must verify with this one (value from Python's hashlib).
    #[test]
    fn a_seal_is_the_hash_of_table_key_and_columns() {
        let columns = r#"[42,7,"vehicle",null]"#;
        assert_eq!(super::seal(13, "42", columns), 2_516_822_277_513_562_275);
    }
}
