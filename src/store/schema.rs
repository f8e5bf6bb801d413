//! Schema versions: schema.sql is split into sections, one per version; a
//! new store gets all of them, an older store the ones it lacks.

use super::{Opened, Result, StoreError, wrap};
use crate::domain::calendar::{SHIPPED_CALENDAR, parse_calendar_csv};
use crate::domain::status::RESTRICTION_CATALOG;
use rusqlite::{Connection, params};
use std::path::Path;

/// 'ZHIX' in the file header: how a zhixing store is told from other SQLite files.
pub const APPLICATION_ID: i32 = 0x5A48_4958;
pub const SCHEMA_VERSION: i64 = 12;

const SCHEMA: &str = include_str!("../../schema.sql");
const SECTION_MARK: &str =
    "-- ---------------------------------------------------------------- version ";

/// The SQL that takes a store from `version - 1` to `version`.
pub fn section(version: i64) -> &'static str {
    let mut parts = SCHEMA.split(SECTION_MARK);
    let first = parts.next().unwrap_or("");
    if version == 1 {
        return first;
    }
    parts
        .find(|p| p.split_whitespace().next() == Some(&version.to_string()))
        // The rest of the marker line is the version number itself.
        .and_then(|p| p.split_once('\n'))
        .map_or("", |(_, sql)| sql)
}

/// Checks what is at the path and brings it to the current version.
pub(super) fn prepare(conn: &Connection, path: &Path) -> Result<Opened> {
    let app_id: i32 = conn
        .pragma_query_value(None, "application_id", |r| r.get(0))
        .map_err(|e| wrap(path, e))?;
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(|e| wrap(path, e))?;
    let objects: i64 = conn
        .query_row("SELECT count(*) FROM sqlite_schema", [], |r| r.get(0))
        .map_err(|e| wrap(path, e))?;
    if app_id == 0 && objects == 0 {
        create(conn, SCHEMA_VERSION).map_err(|e| wrap(path, e))?;
        return Ok(Opened::Created);
    }
    if app_id != APPLICATION_ID {
        let reason = if app_id == 0 {
            format!("a SQLite database of another program, with {objects} tables and indexes")
        } else {
            format!("a SQLite database of another program (application id {app_id:#x})")
        };
        return Err(StoreError::Foreign {
            path: path.into(),
            reason,
        });
    }
    if version > SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            path: path.into(),
            found: version,
            known: SCHEMA_VERSION,
        });
    }
    if version < 1 {
        return Err(StoreError::Foreign {
            path: path.into(),
            reason: "its schema version is missing".into(),
        });
    }
    check_shape(conn, path, version)?;
    if version >= 5
        && let Some(what) = super::audit::cut_at_head(conn).map_err(|e| wrap(path, e))?
    {
        return Err(StoreError::AuditCut {
            path: path.into(),
            what,
        });
    }
    if version == SCHEMA_VERSION {
        add_new_templates(conn).map_err(|e| wrap(path, e))?;
        return Ok(Opened::Existing);
    }
    upgrade(conn, version).map_err(|e| wrap(path, e))?;
    Ok(Opened::Upgraded { from: version })
}

/// Refuses a store whose schema differs from what its version should have.
fn check_shape(conn: &Connection, path: &Path, version: i64) -> Result<()> {
    let found = super::shape::differences(conn, version).map_err(|e| wrap(path, e))?;
    if found.is_empty() {
        return Ok(());
    }
    Err(StoreError::Tampered {
        path: path.into(),
        what: found.join("; "),
    })
}

/// Creates a store at `version`: the current one for a new store; an older
/// one only to test the upgrade path.
pub fn create(conn: &Connection, version: i64) -> rusqlite::Result<()> {
    conn.execute_batch("BEGIN IMMEDIATE")?;
    let result = (|| {
        for v in 1..=version {
            conn.execute_batch(section(v))?;
        }
        seed_reference_data(conn)?;
        conn.pragma_update(None, "application_id", APPLICATION_ID)?;
        conn.pragma_update(None, "user_version", version)
    })();
    finish(conn, result)
}

/// Foreign keys are off while the sections run (SQLite can change that
/// only outside a transaction): a section that makes a table anew drops the
/// old one while other tables' rows still refer to it (version 8).
fn upgrade(conn: &Connection, from: i64) -> rusqlite::Result<()> {
    conn.pragma_update(None, "foreign_keys", "OFF")?;
    conn.execute_batch("BEGIN IMMEDIATE")?;
    let result = (|| {
        for v in from + 1..=SCHEMA_VERSION {
            conn.execute_batch(section(v))?;
            backfill(conn, v)?;
        }
        conn.pragma_update(None, "user_version", SCHEMA_VERSION)
    })();
    let finished = finish(conn, result);
    let restored = conn.pragma_update(None, "foreign_keys", "ON");
    finished.and(restored)
}

/// Fills what a version's new tables derive from rows an older store already
/// holds, in the same transaction as the schema change.
fn backfill(conn: &Connection, version: i64) -> rusqlite::Result<()> {
    match version {
        // Versions 2, 3 and 6 changed the search index: version 7 builds
        // it anew, whatever version the store comes from.
        4 => super::audit::backfill_chain(conn),
        5 => {
            super::audit::backfill_heads(conn)?;
            super::seal::backfill(conn)?;
            // The seals' first digest goes on the record (and into the chain).
            let entry = super::audit::AuditEntry {
                act: "store-upgraded".into(),
                detail: Some("schema version 5: approvals, row seals".into()),
                ..Default::default()
            };
            let now = chrono::Local::now()
                .format("%Y-%m-%dT%H:%M:%S%:z")
                .to_string();
            super::audit::append(conn, super::site_of(conn)?, &now, &entry).map(|_| ())
        }
        6 => super::standing::recompute_all(conn),
        7 => super::search_bulk::index_set(conn, super::search_bulk::Scope::All),
        9 => schema_edited_in_place(conn),
        _ => Ok(()),
    }
}

/// A section that edits tables' SQL in place (writable_schema) raises the
/// schema version by hand, as SQLite asks: other connections to the store
/// then read the schema again instead of keeping the old text.
fn schema_edited_in_place(conn: &Connection) -> rusqlite::Result<()> {
    let version: i64 = conn.pragma_query_value(None, "schema_version", |r| r.get(0))?;
    conn.pragma_update(None, "schema_version", version + 1)
}

fn finish(conn: &Connection, result: rusqlite::Result<()>) -> rusqlite::Result<()> {
    match result {
        Ok(()) => conn.execute_batch("COMMIT"),
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK");
            Err(e)
        }
    }
}

/// A template shipped after the store was made (one per code and language).
fn add_new_templates(conn: &Connection) -> rusqlite::Result<()> {
    let held: i64 = conn.query_row("SELECT count(*) FROM notice_template", [], |r| r.get(0))?;
    if held < super::seed::shipped_template_count() {
        super::seed::insert_default_templates(conn)?;
    }
    Ok(())
}

/// The rows every store starts with: its site, the restriction catalog, the
/// shipped holiday calendar.
fn seed_reference_data(conn: &Connection) -> rusqlite::Result<()> {
    let now = chrono::Utc::now().to_rfc3339();
    conn.execute(
        "INSERT INTO store_meta (key, value) VALUES ('created_at', ?1), ('import_format', '1')",
        [&now],
    )?;
    conn.execute(
        "INSERT INTO site (site_no, name, is_local) VALUES (1, 'this office', 1)",
        [],
    )?;
    let mut item = conn.prepare(
        "INSERT INTO restriction_catalog (code, grp, name_zh, name_en, ordinal) VALUES (?1, ?2, ?3, ?4, ?5)",
    )?;
    for (i, r) in RESTRICTION_CATALOG.iter().enumerate() {
        item.execute(params![r.code, r.group, r.name_zh, r.name_en, i as i64 + 1])?;
    }
    let mut day = conn.prepare("INSERT INTO calendar_day (day, kind, name) VALUES (?1, ?2, ?3)")?;
    for d in parse_calendar_csv(SHIPPED_CALENDAR).unwrap_or_default() {
        day.execute(params![d.day.to_string(), d.kind.as_str(), d.name])?;
    }
    super::seed::insert_default_templates(conn)
}
