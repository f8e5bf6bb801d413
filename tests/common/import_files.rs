//! The import tests' helpers: the fixture files of tests/fixtures/import,
//! the binary run among them, and a store's whole content.

use super::Run;
use std::path::{Path, PathBuf};

/// A file of tests/fixtures/import (the folder itself for "").
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/import")
        .join(name)
}

/// The binary on `db`, run in the fixtures folder (files by bare name).
pub fn zhixing(db: &Path, args: &[&str]) -> Run {
    super::zhixing_in(Some(&fixture("")), db, args)
}

/// Every row of every table (the audit log too, unless left out), in key
/// order: the store's whole content, to prove what changed.
pub fn dump(db: &Path, with_audit: bool) -> Vec<String> {
    let c = rusqlite::Connection::open(db).unwrap();
    let tables: Vec<String> = super::column(
        &c,
        "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
           AND name NOT LIKE 'subject_fts%' ORDER BY name",
    );
    tables
        .iter()
        // The log and its bookkeeping (heads, the sync clock, the log
        // rows' change numbers) grow with every import, whatever it changed.
        .filter(|t| with_audit || !["audit_log", "audit_head", "sync_clock"].contains(&t.as_str()))
        .flat_map(|t| super::table_rows(&c, t))
        .filter(|row| with_audit || !row.starts_with(LOG_ROWS_RECORDS))
        .collect()
}

/// How `table_rows` shows the records of the audit log's rows (table 0).
const LOG_ROWS_RECORDS: &str = "row_record|Integer(0)|";

/// A store that already holds the good file.
pub fn loaded() -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = super::court_store(dir.path(), "court.db");
    let r = zhixing(&db, &["import", "good.csv"]);
    assert_eq!(r.code, 0, "{}", r.err);
    (dir, db)
}

/// `zhixing import FILE --json` (a path, or a fixture's bare name), which
/// must succeed: what the merge counted.
pub fn import_counts(db: &Path, file: &str) -> serde_json::Value {
    let r = zhixing(db, &["import", file, "--json"]);
    assert_eq!(r.code, 0, "{}", r.err);
    let summary: serde_json::Value = serde_json::from_str(&r.out).unwrap();
    summary["counts"].clone()
}
