//! A load into an empty store makes its search index on the second core,
//! in a scratch database beside the store, and copies it in: the store
//! ends exactly as when the index is made in place, the copied trigram
//! index passes FTS5's own check and answers the same queries, and the
//! scratch database is gone afterwards, whether the merge succeeded or not.

mod common;

use common::import_files::dump;
use common::{bin, column, court_store, generate_file, table_rows};
use rusqlite::Connection;
use std::path::{Path, PathBuf};

/// `zhixing import FILE` with the timings on; `one_core` asks for the
/// index to be made in place. Returns the exit status and stderr.
fn import(db: &Path, file: &Path, one_core: bool) -> (i32, String) {
    let mut command = std::process::Command::new(bin());
    command
        .args([
            "--db",
            db.to_str().unwrap(),
            "--today",
            "2026-11-27",
            "import",
        ])
        .arg(file)
        .env("ZHIXING_OFFICER", "admin")
        .env("ZHIXING_TIMING", "1")
        .env_remove("ZHIXING_IMPORT_ONE_CORE");
    if one_core {
        command.env("ZHIXING_IMPORT_ONE_CORE", "1");
    }
    let out = command.output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    (out.status.code().unwrap_or(-1), err)
}

fn generated(dir: &Path, subjects: &str) -> PathBuf {
    let file = dir.join("caseload.csv");
    generate_file(&file, &["--subjects", subjects, "--seed", "11"]);
    file
}

fn two_cores() -> bool {
    std::thread::available_parallelism().map_or(1, usize::from) > 1
}

/// Whatever is in `dir` besides the store and the inputs: a scratch
/// database left behind would show here.
fn leftovers(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("search-build") || n.ends_with("-journal"))
        .collect();
    names.sort();
    names
}

/// The trigram index's own consistency check (FTS5 'integrity-check').
fn fts_check(db: &Path) {
    let c = Connection::open(db).unwrap();
    c.execute(
        "INSERT INTO subject_fts (subject_fts) VALUES ('integrity-check')",
        [],
    )
    .unwrap();
}

/// FTS5's merge settings for the writes to come: a bulk build leaves the
/// segments unmerged until its end, and must not leave them so.
const FTS5_DEFAULTS: [(&str, i64); 2] = [("automerge", 4), ("crisismerge", 16)];

fn merge_settings(db: &Path) -> Vec<(String, i64)> {
    Connection::open(db)
        .unwrap()
        .prepare("SELECT k, v FROM subject_fts_config WHERE k LIKE '%merge' ORDER BY k")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// Every row of the index's tables, the trigram index's own (shadow)
/// tables included: the copy is the very index made in place.
fn index_rows(db: &Path) -> Vec<String> {
    let c = Connection::open(db).unwrap();
    let tables: Vec<String> = column(
        &c,
        "SELECT name FROM sqlite_schema WHERE type = 'table'
           AND (name GLOB 'subject_fts_*' OR name IN ('search_term', 'name_gram', 'indexed_subject'))
         ORDER BY name",
    );
    assert_eq!(tables.len(), 8, "{tables:?}");
    tables.iter().flat_map(|t| table_rows(&c, t)).collect()
}

/// `zhixing search QUERY --json`: its exit status (1: nothing found) and
/// what it printed.
fn search(db: &Path, query: &str) -> (Option<i32>, String) {
    let out = std::process::Command::new(bin())
        .args([
            "--db",
            db.to_str().unwrap(),
            "search",
            query,
            "--limit",
            "50",
            "--json",
        ])
        .output()
        .unwrap();
    let printed = String::from_utf8_lossy(&out.stdout).into_owned();
    (out.status.code(), printed)
}

#[test]
fn the_index_made_on_the_second_core_is_the_index_made_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let file = generated(dir.path(), "3000");
    let helped = court_store(dir.path(), "helped.db");
    let in_place = court_store(dir.path(), "in-place.db");
    let (code, err) = import(&helped, &file, false);
    assert_eq!(code, 0, "{err}");
    if two_cores() {
        for step in ["name grams", "terms", "trigrams"] {
            let made_there = format!("search index, second core: {step}");
            assert!(err.contains(&made_there), "{err}");
        }
        assert!(err.contains("search index: copied in"), "{err}");
    }
    let (code, err) = import(&in_place, &file, true);
    assert_eq!(code, 0, "{err}");
    assert!(!err.contains("second core"), "{err}");

    assert_eq!(index_rows(&helped), index_rows(&in_place));
    fts_check(&helped);
    let defaults = FTS5_DEFAULTS.map(|(k, v)| (k.to_string(), v));
    assert_eq!(merge_settings(&helped), defaults);
    for query in [
        "李",
        "王芳",
        "zhang",
        "zw",
        "0185",
        "执1",
        "1385",
        "nothing-here",
    ] {
        assert_eq!(search(&helped, query), search(&in_place, query), "{query}");
    }
    assert_eq!(leftovers(dir.path()), Vec::<String>::new());

    // The store takes further imports and acts' writes to the copied index.
    let further = dir.path().join("further.csv");
    generate_file(&further, &["--subjects", "200", "--seed", "12"]);
    assert_eq!(import(&helped, &further, false).0, 0);
    assert_eq!(import(&in_place, &further, false).0, 0);
    assert_eq!(index_rows(&helped), index_rows(&in_place));
    fts_check(&helped);
}

#[test]
fn a_merge_that_fails_while_the_helper_works_leaves_the_store_as_it_was() {
    let dir = tempfile::tempdir().unwrap();
    let file = generated(dir.path(), "2000");
    let db = court_store(dir.path(), "court.db");
    // A restriction code the store's catalog no longer holds (edited by
    // hand): the merge fails on it, after the sources were handed over.
    Connection::open(&db)
        .unwrap()
        .execute("DELETE FROM restriction_catalog WHERE code = 'vehicle'", [])
        .unwrap();
    let before = dump(&db, true);
    let (code, err) = import(&db, &file, false);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("FOREIGN KEY constraint failed"), "{err}");
    if two_cores() {
        assert!(
            err.contains("search index, second core: sources kept"),
            "{err}"
        );
    }
    assert_eq!(dump(&db, true), before);
    assert_eq!(leftovers(dir.path()), Vec::<String>::new());
}

#[test]
fn a_killed_imports_scratch_database_goes_with_the_next_import() {
    let dir = tempfile::tempdir().unwrap();
    let file = generated(dir.path(), "50");
    let db = court_store(dir.path(), "court.db");
    // Process 999999999 cannot exist (Linux numbers them below 2^22); this
    // test's own process does, and its import would still be running.
    let killed = dir.path().join("court.db-search-build-999999999");
    let running = dir
        .path()
        .join(format!("court.db-search-build-{}", std::process::id()));
    std::fs::write(&running, "an import still running").unwrap();
    // The first import into the empty store, then one into a store that
    // holds a caseload (its index made in place, with no scratch of its own).
    for _ in 0..2 {
        std::fs::write(&killed, "left by a killed import").unwrap();
        let (code, err) = import(&db, &file, false);
        assert_eq!(code, 0, "{err}");
        if Path::new("/proc/self").exists() {
            assert!(!killed.exists());
        }
        assert!(running.exists());
    }
}
