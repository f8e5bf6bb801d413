//! The courts an import names, kept as the rows are staged: a few hundred
//! at most, where the staged rows are millions. The check that a new court
//! is named, the insert of new courts and their link to higher courts read
//! this small table instead of grouping every staged row by court (three
//! passes over the staging table: 3 s at a million rows).

use super::stage::{Conflict, StageRow};
use rusqlite::{Connection, params};
use std::collections::BTreeMap;

pub fn create(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(
        "DROP TABLE IF EXISTS temp.import_court;
         CREATE TEMP TABLE import_court (
             code TEXT PRIMARY KEY, name TEXT,
             file INTEGER NOT NULL, line INTEGER NOT NULL
         ) WITHOUT ROWID;",
    )
}

/// Notes the courts of a batch of rows, staged in file and line order:
/// each court's first row stays the one first noted, and its name is the
/// greatest given on any row (as a grouping of the rows would pick it).
pub fn note(conn: &Connection, rows: &[StageRow]) -> rusqlite::Result<()> {
    let mut courts: BTreeMap<&str, (Option<&str>, u32, u64)> = BTreeMap::new();
    for r in rows {
        let court = courts
            .entry(&r.court_code)
            .or_insert((None, r.file, r.line));
        court.0 = greater(court.0, r.court_name.as_deref());
    }
    let mut upsert = conn.prepare_cached(
        "INSERT INTO temp.import_court (code, name, file, line) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT (code) DO UPDATE SET name = CASE
             WHEN name IS NULL THEN excluded.name
             WHEN excluded.name IS NULL THEN name
             ELSE max(name, excluded.name) END",
    )?;
    for (code, (name, file, line)) in courts {
        upsert.execute(params![code, name, file, line as i64])?;
    }
    Ok(())
}

fn greater<'a>(a: Option<&'a str>, b: Option<&'a str>) -> Option<&'a str> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

/// Notes the courts again from the staged rows, after rows were dropped.
pub fn recount(conn: &Connection) -> rusqlite::Result<()> {
    // A row's place as one number, so that one grouping keeps the first.
    conn.execute_batch(
        "DELETE FROM temp.import_court;
         INSERT INTO temp.import_court (code, name, file, line)
         SELECT court_code, name, place >> 32, place & 4294967295
         FROM (SELECT court_code, max(court_name) AS name, min((file << 32) + line) AS place
               FROM temp.import_row GROUP BY court_code);",
    )
}

/// Every row naming a court the store does not know and no row names.
pub fn unnamed(conn: &Connection) -> rusqlite::Result<Vec<Conflict>> {
    let unnamed: Vec<String> = conn
        .prepare(
            "SELECT code FROM temp.import_court i
             WHERE name IS NULL AND NOT EXISTS (SELECT 1 FROM main.court c WHERE c.code = i.code)",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    if unnamed.is_empty() {
        return Ok(Vec::new());
    }
    // Rare: only then are the staged rows read, for every row of those
    // courts (each would fail the merge).
    let mut stmt = conn.prepare(
        "SELECT file, line, court_code FROM temp.import_row
         WHERE court_code IN (SELECT value FROM json_each(?1)) ORDER BY file, line",
    )?;
    let codes = serde_json::to_string(&unnamed).expect("a list of strings is JSON");
    let rows = stmt.query_map([codes], |r| {
        Ok(Conflict {
            file: r.get(0)?,
            line: r.get::<_, i64>(1)? as u64,
            column: "court_name".into(),
            message: format!(
                "court {} is not in the store yet: give its name (court_name) on at least one row",
                r.get::<_, String>(2)?
            ),
        })
    });
    rows?.collect()
}
