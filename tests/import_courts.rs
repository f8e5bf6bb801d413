//! The courts an import names: a court new to the store must be named on
//! at least one of its rows, in any file; every row of a court nobody
//! names is refused (each would fail the merge), and a court whose rows
//! were all refused is not added.

mod common;

use common::fixture::resident_id;
use common::import_files::dump;
use common::{column, court_store, zhixing};
use std::path::{Path, PathBuf};

const HEADER: &str = "kind,name,id_number,court_code,court_name,case_number,filed_on,applicant,\
                      obligation,amount";

/// A person's row: case `seq` of `court`, the court named or not.
fn row(name: &str, birth: &str, court: &str, court_name: &str, seq: u32) -> String {
    let id = resident_id(&format!("410185{birth}001"));
    format!(
        "person,{name},{id},{court},{court_name},（2025）{court}执{seq}号,2025-03-01,王秀兰,借款本金,1000"
    )
}

fn write(dir: &Path, file: &str, rows: &[String]) -> PathBuf {
    let path = dir.join(file);
    std::fs::write(&path, format!("{HEADER}\n{}\n", rows.join("\n"))).unwrap();
    path
}

fn courts(db: &Path) -> Vec<String> {
    let c = rusqlite::Connection::open(db).unwrap();
    column(&c, "SELECT code || ' ' || name FROM court ORDER BY code")
}

const UNNAMED: &str = "court_name: court 豫0999 is not in the store yet: give its name (court_name) on at least one row";

#[test]
fn every_row_of_a_new_court_nobody_names_is_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let db = court_store(dir.path(), "court.db");
    let file = write(
        dir.path(),
        "unnamed.csv",
        &[
            row("韦国强", "19800101", "豫0999", "", 1),
            row("李英芳", "19810202", "豫0185", "登封市人民法院", 2),
            row("张芳", "19820303", "豫0999", "", 3),
        ],
    );
    let before = dump(&db, true);
    let r = zhixing(&db, &["import", file.to_str().unwrap()]);
    assert_eq!(r.code, 1, "{}", r.err);
    let path = file.display();
    assert!(
        r.err.contains(&format!("{path}:2: {UNNAMED}\n")),
        "{}",
        r.err
    );
    assert!(
        r.err.contains(&format!("{path}:4: {UNNAMED}\n")),
        "{}",
        r.err
    );
    assert!(!r.err.contains(&format!("{path}:3:")), "{}", r.err);
    assert_eq!(dump(&db, true), before);
}

#[test]
fn with_skip_invalid_an_unnamed_courts_rows_are_rejected_and_the_rest_loads() {
    let dir = tempfile::tempdir().unwrap();
    let db = court_store(dir.path(), "court.db");
    let file = write(
        dir.path(),
        "unnamed.csv",
        &[
            row("韦国强", "19800101", "豫0999", "", 1),
            row("李英芳", "19810202", "豫0185", "登封市人民法院", 2),
            row("张芳", "19820303", "豫0999", "", 3),
        ],
    );
    let rejects = dir.path().join("rejects.csv");
    let r = zhixing(
        &db,
        &[
            "import",
            "--skip-invalid",
            "--rejects",
            rejects.to_str().unwrap(),
            file.to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, 0, "{}", r.err);
    let rejected = std::fs::read_to_string(&rejects).unwrap();
    let lines: Vec<&str> = rejected.lines().collect();
    assert_eq!(lines.len(), 3, "{rejected}");
    assert!(lines[1].starts_with(&format!("{UNNAMED},person,韦国强,")));
    assert!(lines[2].starts_with(&format!("{UNNAMED},person,张芳,")));
    assert_eq!(courts(&db), ["豫0185 登封市人民法院"]);
    let c = rusqlite::Connection::open(&db).unwrap();
    assert_eq!(column::<String>(&c, "SELECT name FROM subject"), ["李英芳"]);
}

#[test]
fn a_court_named_on_a_later_row_or_in_a_later_file_is_added_with_that_name() {
    let dir = tempfile::tempdir().unwrap();
    let db = court_store(dir.path(), "court.db");
    let first = write(
        dir.path(),
        "first.csv",
        &[
            row("韦国强", "19800101", "豫0999", "", 1),
            row("李英芳", "19810202", "豫0998", "", 2),
            row("张芳", "19820303", "豫0999", "某县人民法院", 3),
        ],
    );
    let second = write(
        dir.path(),
        "second.csv",
        &[row("王秀兰", "19830404", "豫0998", "某市人民法院", 4)],
    );
    let r = zhixing(
        &db,
        &["import", first.to_str().unwrap(), second.to_str().unwrap()],
    );
    assert_eq!(r.code, 0, "{}", r.err);
    assert_eq!(courts(&db), ["豫0998 某市人民法院", "豫0999 某县人民法院"]);
}

#[test]
fn a_court_whose_only_row_was_rejected_is_not_added() {
    let dir = tempfile::tempdir().unwrap();
    let db = court_store(dir.path(), "court.db");
    // The second row gives the first row's ID number another name.
    let file = write(
        dir.path(),
        "two-names.csv",
        &[
            row("韦国强", "19800101", "豫0185", "登封市人民法院", 1),
            row("韦国华", "19800101", "豫0998", "某市人民法院", 2),
        ],
    );
    let rejects = dir.path().join("rejects.csv");
    let r = zhixing(
        &db,
        &[
            "import",
            "--skip-invalid",
            "--rejects",
            rejects.to_str().unwrap(),
            file.to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, 0, "{}", r.err);
    assert!(
        std::fs::read_to_string(&rejects)
            .unwrap()
            .contains("the same ID number is given the name 韦国强"),
    );
    assert_eq!(courts(&db), ["豫0185 登封市人民法院"]);
}
