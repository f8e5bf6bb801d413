//! A store's shape: its tables, indexes and triggers, compared with what
//! schema.sql makes for its version. A store whose schema was edited outside
//! zhixing (a trigger dropped, a table added, a constraint loosened) is
//! refused before anything is written to it.

use super::schema::section;
use rusqlite::Connection;
use std::collections::BTreeMap;

/// (type, SQL with runs of blanks made single spaces), by object name.
type Shape = BTreeMap<String, (String, String)>;

fn normalise(sql: &str) -> String {
    let sql = sql.split_whitespace().collect::<Vec<_>>().join(" ");
    unquote_table_name(&sql).unwrap_or(sql)
}

/// `CREATE TABLE "subject" (` as `CREATE TABLE subject (`: SQLite quotes
/// the name of a table it renames, and version 8 first made its two tables
/// by renaming; stores made so are the same shape.
fn unquote_table_name(sql: &str) -> Option<String> {
    let rest = sql.strip_prefix("CREATE TABLE \"")?;
    let (name, tail) = rest.split_once("\" (")?;
    let plain = name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    plain.then(|| format!("CREATE TABLE {name} ({tail}"))
}

fn shape_of(conn: &Connection) -> rusqlite::Result<Shape> {
    let mut stmt = conn.prepare(
        "SELECT name, type, coalesce(sql, '') FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%'",
    )?;
    let rows = stmt.query_map([], |r| {
        Ok((
            r.get::<_, String>(0)?,
            (r.get::<_, String>(1)?, normalise(&r.get::<_, String>(2)?)),
        ))
    })?;
    rows.collect()
}

/// The shape schema.sql gives a store at `version`.
fn expected(version: i64) -> rusqlite::Result<Shape> {
    let conn = Connection::open_in_memory()?;
    for v in 1..=version {
        conn.execute_batch(section(v))?;
    }
    shape_of(&conn)
}

/// What differs, in words naming each object; empty when the shapes match.
pub fn differences(conn: &Connection, version: i64) -> rusqlite::Result<Vec<String>> {
    let want = expected(version)?;
    let have = shape_of(conn)?;
    let mut out = Vec::new();
    for (name, (kind, sql)) in &want {
        match have.get(name) {
            None => out.push(format!("the {kind} {name} is missing")),
            Some((_, actual)) if actual != sql => {
                out.push(format!("the {kind} {name} was changed"))
            }
            Some(_) => {}
        }
    }
    for (name, (kind, _)) in &have {
        if !want.contains_key(name) {
            out.push(format!("an unknown {kind} {name} was added"));
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::normalise;

    #[test]
    fn a_table_named_in_quotes_by_a_rename_is_the_same_shape() {
        assert_eq!(
            normalise("CREATE TABLE \"subject\" (\n    id INTEGER PRIMARY KEY)"),
            normalise("CREATE TABLE subject (\n  id  INTEGER PRIMARY KEY)")
        );
        assert_ne!(
            normalise("CREATE TABLE \"sub ject\" (id INTEGER)"),
            normalise("CREATE TABLE sub ject (id INTEGER)")
        );
    }
}
