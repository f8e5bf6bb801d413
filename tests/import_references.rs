//! A first load into an empty store writes with foreign keys off and
//! checks every row's references once, after the merge: a broken one still
//! fails the import and leaves the store as it was, and the store's
//! connection has its foreign keys on again either way. Restrictions,
//! whose values are copied from checked rows, are written without SQLite
//! evaluating their CHECKs again: they hold all the same, and the CHECKs
//! are on again after.

mod common;

use common::import_files::{dump, fixture};
use rusqlite::Connection;
use zhixing::import::ImportOptions;
use zhixing::store::Store;

fn import(store: &mut Store, file: &str) -> Result<i64, String> {
    let admin = store.officer_by_login("admin").unwrap().unwrap();
    let opts = ImportOptions {
        encoding: None,
        skip_invalid: false,
        rejects: None,
        dry_run: false,
        officer_id: Some(admin.id),
        today: common::today(),
        now: "2026-11-27T10:00:00+08:00".into(),
        progress: false,
    };
    zhixing::import::run(store, &[fixture(file)], &opts)
        .map(|report| report.counts.expect("merged").restrictions_added)
        .map_err(|e| e.to_string())
}

fn foreign_keys_on(store: &Store) -> bool {
    store
        .conn()
        .pragma_query_value(None, "foreign_keys", |r| r.get(0))
        .unwrap()
}

#[test]
fn a_first_load_with_a_broken_reference_fails_and_foreign_keys_are_on_again() {
    let dir = tempfile::tempdir().unwrap();
    let db = common::court_store(dir.path(), "court.db");
    // The catalog edited by hand: a restriction order of the good file
    // names an item no longer there.
    let catalog = Connection::open(&db).unwrap();
    let kept: String = catalog
        .query_row(
            "SELECT json_array(code, grp, name_zh, name_en, ordinal)
             FROM restriction_catalog WHERE code = 'premium-travel'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    catalog
        .execute(
            "DELETE FROM restriction_catalog WHERE code = 'premium-travel'",
            [],
        )
        .unwrap();
    drop(catalog);
    let before = dump(&db, true);
    let mut store = Store::open(&db).unwrap();
    let err = import(&mut store, "good.csv").unwrap_err();
    assert!(
        err.contains("FOREIGN KEY constraint failed: restriction row ")
            && err.contains(" refers to a missing restriction_catalog row"),
        "{err}"
    );
    assert!(foreign_keys_on(&store));
    drop(store);
    assert_eq!(dump(&db, true), before);

    Connection::open(&db)
        .unwrap()
        .execute(
            "INSERT INTO restriction_catalog (code, grp, name_zh, name_en, ordinal)
             SELECT j ->> 0, j ->> 1, j ->> 2, j ->> 3, j ->> 4 FROM (SELECT ?1 AS j)",
            [kept],
        )
        .unwrap();
    let mut store = Store::open(&db).unwrap();
    assert!(import(&mut store, "good.csv").unwrap() > 0);
    assert!(foreign_keys_on(&store));
    let broken: i64 = store
        .conn()
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(broken, 0);
}

#[test]
fn restrictions_written_without_their_checks_hold_them_and_the_checks_are_on_again() {
    let dir = tempfile::tempdir().unwrap();
    let db = common::court_store(dir.path(), "court.db");
    let mut store = Store::open(&db).unwrap();
    assert!(import(&mut store, "good.csv").unwrap() > 0);
    let conn = store.conn();
    let ignored: bool = conn
        .pragma_query_value(None, "ignore_check_constraints", |r| r.get(0))
        .unwrap();
    assert!(!ignored);
    // integrity_check evaluates every CHECK of every row.
    let problems: Vec<String> = common::column(conn, "PRAGMA integrity_check");
    assert_eq!(problems, ["ok"]);
    let refused = conn
        .execute(
            "UPDATE restriction SET imposed_on = '2025-02-30' WHERE id = (SELECT min(id) FROM restriction)",
            [],
        )
        .unwrap_err();
    assert!(
        refused.to_string().contains("CHECK constraint failed"),
        "{refused}"
    );
}
