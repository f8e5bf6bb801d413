//! Shared by the integration tests: real stores in temporary folders.
#![allow(dead_code)]

pub mod acting;
pub mod fixture;
pub mod import_files;
pub mod offices;

use chrono::NaiveDate;
use std::path::{Path, PathBuf};
use zhixing::demo::{DemoOptions, generate};
use zhixing::store::Store;

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
}

/// A demo store of `subjects` in a fresh temporary folder.
pub fn demo_store(subjects: usize) -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let mut store = Store::open(&dir.path().join("demo.db")).unwrap();
    generate(
        &mut store,
        DemoOptions {
            subjects,
            seed: 1,
            as_of: today(),
        },
    )
    .unwrap();
    (dir, store)
}

/// A checksum of a file's bytes: proves a refused file was left untouched.
pub fn file_digest(path: &Path) -> Vec<u8> {
    std::fs::read(path).unwrap()
}

/// `zhixing gen ARGS --out FILE` as of the tests' day (so that its dates
/// pass the checks of imports run with `--today 2026-11-27`).
pub fn generate_file(file: &Path, args: &[&str]) {
    let out = std::process::Command::new(bin())
        .args(["--today", "2026-11-27", "gen"])
        .args(args)
        .arg("--out")
        .arg(file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

pub fn bin() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_zhixing"))
}

/// What a run of the built binary printed, and its exit status.
pub struct Run {
    pub code: i32,
    pub out: String,
    pub err: String,
}

/// The PIN of the stores the tests make (and of the demo's officers).
pub const PIN: &str = "246810";

/// A new court store made as a court makes one: `zhixing init`, its first
/// admin "admin" (an admin may do everything the tests ask of the CLI).
pub fn court_store(dir: &Path, file: &str) -> PathBuf {
    let db = dir.join(file);
    let pin_file = dir.join("admin.pin");
    std::fs::write(&pin_file, format!("{PIN}\n")).unwrap();
    let r = zhixing_as(
        None,
        &db,
        &[
            "--officer",
            "admin",
            "init",
            "--name",
            "孙管理员",
            "--pin-file",
            pin_file.to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, 0, "{}", r.err);
    db
}

/// The built binary on a store, on the tests' day, from the folder `dir`
/// when given (so file names in messages stay short), as the officer
/// "admin" unless the arguments name another.
pub fn zhixing_in(dir: Option<&Path>, db: &Path, args: &[&str]) -> Run {
    zhixing_run(dir, db, args, Some("admin"))
}

/// As `zhixing`, with no officer in the environment.
pub fn zhixing_as(officer: Option<&str>, db: &Path, args: &[&str]) -> Run {
    zhixing_run(None, db, args, officer)
}

fn zhixing_run(dir: Option<&Path>, db: &Path, args: &[&str], officer: Option<&str>) -> Run {
    let mut command = std::process::Command::new(bin());
    command
        .args(["--db", db.to_str().unwrap(), "--today", "2026-11-27"])
        .args(args)
        .env_remove("ZHIXING_DB")
        .env_remove("ZHIXING_OFFICER");
    if let Some(officer) = officer {
        command.env("ZHIXING_OFFICER", officer);
    }
    if let Some(dir) = dir {
        command.current_dir(dir);
    }
    let out = command.output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        out: String::from_utf8_lossy(&out.stdout).into(),
        err: String::from_utf8_lossy(&out.stderr).into(),
    }
}

pub fn zhixing(db: &Path, args: &[&str]) -> Run {
    zhixing_in(None, db, args)
}

/// Every row of a table, each value written out, in key order: to prove
/// that a refused act or import changed nothing.
pub fn table_rows(conn: &rusqlite::Connection, table: &str) -> Vec<String> {
    let mut stmt = conn
        .prepare(&format!("SELECT * FROM {table} ORDER BY 1, 2"))
        .unwrap();
    let columns = stmt.column_count();
    let mut rows = stmt.query([]).unwrap();
    let mut out = Vec::new();
    while let Some(row) = rows.next().unwrap() {
        let values: Vec<String> = (0..columns)
            .map(|i| format!("{:?}", row.get::<_, rusqlite::types::Value>(i).unwrap()))
            .collect();
        out.push(format!("{table}|{}", values.join("|")));
    }
    out
}

/// The single number a query returns, on a store's file.
pub fn count(db: &Path, sql: &str) -> i64 {
    rusqlite::Connection::open(db)
        .unwrap()
        .query_row(sql, [], |r| r.get(0))
        .unwrap()
}

/// The first column of every row a query returns.
pub fn column<T: rusqlite::types::FromSql>(conn: &rusqlite::Connection, sql: &str) -> Vec<T> {
    conn.prepare(sql)
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// What the built binary on `db` with `args` shows, run through a
/// pseudo-terminal (util-linux `script`) as an officer runs it; it must
/// succeed.
pub fn through_a_terminal(db: &Path, args: &str) -> String {
    let command = format!("{} --db {} {args}", bin().display(), db.display());
    let out = std::process::Command::new("script")
        .args(["--quiet", "--return", "--command", &command, "/dev/null"])
        .env_remove("ZHIXING_DB")
        .output()
        .unwrap();
    let shown = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "{shown}");
    shown
}

/// Asserts that `shown` holds each of `parts` after the one before,
/// returning where the last begins.
pub fn shown_in_order(shown: &str, parts: &[&str]) -> usize {
    let mut from = 0;
    for part in parts {
        let at = shown[from..].find(part);
        assert!(at.is_some(), "{part:?} not after byte {from} of {shown:?}");
        from += at.unwrap();
    }
    from
}
