//! Indexes dropped and made again from the SQL the store itself holds,
//! in the same transaction (a rollback brings them back): a bulk write
//! then sorts each index once instead of filling it row by row.

use rusqlite::Connection;

/// Drops every index of `table`, returning the SQL that makes them again.
pub(super) fn drop_indexes_of(conn: &Connection, table: &str) -> rusqlite::Result<Vec<String>> {
    let names: Vec<String> = conn
        .prepare(
            "SELECT name FROM main.sqlite_schema
             WHERE type = 'index' AND tbl_name = ?1 AND sql IS NOT NULL",
        )?
        .query_map([table], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    drop_named(conn, &names)
}

/// Drops the indexes named, returning the SQL that makes them again.
pub(super) fn drop_named(conn: &Connection, names: &[&str]) -> rusqlite::Result<Vec<String>> {
    let names = serde_json::to_string(names).unwrap_or_else(|_| "[]".into());
    let held: Vec<(String, String)> = conn
        .prepare(
            "SELECT name, sql FROM main.sqlite_schema
             WHERE type = 'index' AND name IN (SELECT value FROM json_each(?1))",
        )?
        .query_map([names], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    for (name, _) in &held {
        conn.execute_batch(&format!("DROP INDEX main.{name}"))?;
    }
    Ok(held.into_iter().map(|(_, sql)| sql).collect())
}

/// Makes the dropped indexes again.
pub(super) fn rebuild(conn: &Connection, sql: &[String]) -> rusqlite::Result<()> {
    sql.iter().try_for_each(|s| conn.execute_batch(s))
}
