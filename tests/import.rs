//! `zhixing import` as a script runs it, on the fixture files of
//! tests/fixtures/import (one per class of input): the exact messages, the
//! exit status, and the store before and after.

mod common;

use common::import_files::{dump, fixture, loaded, zhixing};
use common::{Run, count};
use std::path::Path;

#[test]
fn each_class_of_bad_input_is_refused_with_its_message_and_the_store_unchanged() {
    let (_dir, db) = loaded();
    let cases: [(&str, &[&str]); 17] = [
        (
            "wrong-encoding.csv",
            &[
                "wrong-encoding.csv:2: encoding: line 2, byte 177: the text is neither UTF-8 nor GB18030",
            ],
        ),
        (
            "unterminated-quote.csv",
            &[
                "unterminated-quote.csv:3: quoting: field 10: a quoted field is opened here and never closed",
            ],
        ),
        (
            "truncated.csv",
            &[
                "truncated.csv:3: row: has 5 fields, the header 18: a missing or extra comma, or a line cut short",
            ],
        ),
        (
            "empty.csv",
            &["empty.csv:1: file: the file is empty; its first row must name the columns"],
        ),
        (
            "header-only.csv",
            &["header-only.csv:1: file: there are no rows after the header: nothing to import"],
        ),
        (
            "binary.csv",
            &[
                "binary.csv:1: encoding: line 1, byte 1: a NUL byte: this is a binary file, not CSV or JSON Lines",
            ],
        ),
        (
            "duplicate-column.csv",
            &["duplicate-column.csv:1: name: appears twice (columns 2 and 19)"],
        ),
        (
            "unknown-column.csv",
            &[
                "unknown-column.csv:1: aplicant: unknown column; the known columns are kind, name,",
                "unknown-column.csv:1: applicant: required column is missing",
            ],
        ),
        (
            "missing-column.csv",
            &["missing-column.csv:1: obligation: required column is missing"],
        ),
        (
            "bad-check.csv",
            &[
                "bad-check.csv:2: id_number: 110105194912310021: check character is '1' but should be 'X'",
            ],
        ),
        (
            "minor-listing.csv",
            &[
                "minor-listing.csv:2: listed_on: a minor may never be listed: born 2010-03-05, 15 years old on the decision date 2025-06-01",
            ],
        ),
        (
            "dates.csv",
            &[
                "dates.csv:2: filed_on: \"2025-02-30\" is not a date that exists; write YYYY-MM-DD",
                "dates.csv:3: filed_on: 2027-01-01 is in the future (today is 2026-11-27)",
            ],
        ),
        (
            "amounts.csv",
            &[
                "amounts.csv:2: amount: '1e5' is not an amount in yuan",
                "amounts.csv:3: amount: '-1' is negative: amounts are never below zero",
                "amounts.csv:4: amount: '0.001' has more than two decimals: amounts are exact to the fen",
                "amounts.csv:5: paid: 20,000.00 yuan is more than the amount, 10,000.00 yuan",
            ],
        ),
        (
            "codes.csv",
            &[
                "codes.csv:2: listing_ground: \"7\" is not a ground: 1 to 6 (Art. 1)",
                "codes.csv:3: restrictions: \"yacht\" is not a restriction code",
            ],
        ),
        (
            "two-names.csv",
            &[
                "two-names.csv:3: name: the same ID number is given the name 韦国强 on line 2 of file 1",
            ],
        ),
        ("quoted.csv", &[]),
        ("good.csv", &[]),
    ];
    for (file, expected) in cases {
        let before = dump(&db, true);
        let r = zhixing(&db, &["import", file]);
        if expected.is_empty() {
            assert_eq!(r.code, 0, "{file}: {}", r.err);
            continue;
        }
        assert_eq!(r.code, 1, "{file}: exit status\n{}", r.err);
        for line in expected {
            assert!(
                r.err.contains(line),
                "{file}: expected\n  {line}\nin\n{}",
                r.err
            );
        }
        assert!(r.err.contains("nothing was written"), "{file}: {}", r.err);
        assert_eq!(dump(&db, true), before, "{file}: the store changed");
    }
}

#[test]
fn the_same_content_in_any_encoding_and_line_ending_gives_the_same_store() {
    let mut dumps = Vec::new();
    for file in ["good.csv", "gb18030.csv", "bom.csv", "crlf.csv"] {
        let dir = tempfile::tempdir().unwrap();
        let db = common::court_store(dir.path(), "s.db");
        let r = zhixing(&db, &["import", file]);
        assert_eq!(r.code, 0, "{file}: {}", r.err);
        assert!(
            r.out.contains("3 rows read, 3 loaded, 0 rejected"),
            "{file}: {}",
            r.out
        );
        let c = rusqlite::Connection::open(&db).unwrap();
        let facts: Vec<String> = common::column(
            &c,
            "SELECT s.name || '|' || s.id_number || '|' || e.case_number || '|' || o.description
                    || '|' || coalesce(o.amount_fen, '') || '|' || coalesce(s.address, '')
             FROM obligation o JOIN subject s ON s.id = o.subject_id
             JOIN enforcement_case e ON e.id = o.case_id ORDER BY s.id_number",
        );
        dumps.push((file, facts));
    }
    for (file, facts) in &dumps[1..] {
        assert_eq!(facts, &dumps[0].1, "{file} differs from good.csv");
    }
    assert!(
        dumps[0]
            .1
            .iter()
            .any(|f| f
                .starts_with("沈国华|440524188001010014|（2024）浙0106执2077号|偿还借款|32000000")),
        "{:?}",
        dumps[0].1
    );
}

#[test]
fn quoted_commas_and_line_breaks_survive() {
    let dir = tempfile::tempdir().unwrap();
    let db = common::court_store(dir.path(), "s.db");
    let r = zhixing(&db, &["import", "quoted.csv"]);
    assert_eq!(r.code, 0, "{}", r.err);
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM subject WHERE address = '北京市朝阳区,\n朝阳北路101号'"
        ),
        1
    );
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM enforcement_case WHERE applicant = '张三, \"老张\"'"
        ),
        1
    );
}

/// `zhixing import FILES --skip-invalid --rejects REJECTS` on `db`.
fn import_skipping_invalid(db: &Path, files: &[&str], rejects: &Path) -> Run {
    let mut args = vec!["import"];
    args.extend_from_slice(files);
    args.extend(["--skip-invalid", "--rejects", rejects.to_str().unwrap()]);
    zhixing(db, &args)
}

#[test]
fn skip_invalid_loads_the_good_rows_and_copies_the_bad_ones_with_their_error() {
    let dir = tempfile::tempdir().unwrap();
    let db = common::court_store(dir.path(), "s.db");
    let rejects = dir.path().join("rejects.csv");
    let r = import_skipping_invalid(&db, &["amounts.csv", "good.csv"], &rejects);
    assert_eq!(r.code, 0, "{}", r.err);
    assert!(
        r.out.contains("7 rows read, 3 loaded, 4 rejected"),
        "{}",
        r.out
    );
    let text = std::fs::read_to_string(&rejects).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines[0].starts_with("error,kind,name,id_number,"),
        "{}",
        lines[0]
    );
    assert_eq!(lines.len(), 5);
    assert!(
        lines[1].starts_with("\"amount: '1e5' is not an amount in yuan"),
        "{}",
        lines[1]
    );
    assert!(
        lines[1].ends_with("借款本金,1e5,200,2025-06-01,2,,"),
        "the row unchanged: {}",
        lines[1]
    );
    assert_eq!(count(&db, "SELECT count(*) FROM subject"), 3);
}

/// A row rejected across rows (its entity named otherwise on an earlier
/// line) takes its legal representative with it: a person named only on
/// that row is not added, nor made anyone's representative.
#[test]
fn a_row_rejected_across_rows_adds_no_legal_representative() {
    let dir = tempfile::tempdir().unwrap();
    let db = common::court_store(dir.path(), "s.db");
    let header = "kind,name,id_number,legal_rep_name,legal_rep_id,court_code,court_name,\
                  case_number,filed_on,applicant,obligation,amount";
    let rows = [
        "entity,登封市嵩阳建材有限公司,91110000600037341L,韦国强,11010519491231002X,\
         豫0185,登封市人民法院,（2025）豫0185执2号,2025-04-01,张三,货款,5000",
        "entity,登封市嵩阳建材公司,91110000600037341L,胡新琪,410102198401258629,\
         豫0185,登封市人民法院,（2025）豫0185执3号,2025-04-02,张三,货款,6000",
    ];
    let file = dir.path().join("renamed-entity.csv");
    std::fs::write(&file, format!("{header}\n{}\n", rows.join("\n"))).unwrap();
    let rejects = dir.path().join("rejects.csv");
    let r = import_skipping_invalid(&db, &[file.to_str().unwrap()], &rejects);
    assert_eq!(r.code, 0, "{}", r.err);
    assert!(
        r.out.contains("2 rows read, 1 loaded, 1 rejected"),
        "{}",
        r.out
    );
    assert_eq!(count(&db, "SELECT count(*) FROM subject"), 2);
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM subject WHERE id_number = '410102198401258629'"
        ),
        0
    );
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM responsible_person r JOIN subject p ON p.id = r.person_id
             WHERE p.id_number = '11010519491231002X'"
        ),
        1
    );
    assert_eq!(count(&db, "SELECT count(*) FROM responsible_person"), 1);
}

#[test]
fn a_dry_run_reports_what_would_change_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = common::court_store(dir.path(), "s.db");
    drop(zhixing::store::Store::open(&db).unwrap());
    let before = dump(&db, true);
    let r = zhixing(&db, &["import", "good.csv", "--dry-run"]);
    assert_eq!(r.code, 0, "{}", r.err);
    assert!(r.out.contains("dry run: nothing was written"), "{}", r.out);
    assert!(
        r.out
            .contains("would add: 3 subjects, 3 cases, 3 obligations"),
        "{}",
        r.out
    );
    assert_eq!(dump(&db, true), before);
}

#[test]
fn json_lines_load_the_same_facts_and_the_store_is_searchable() {
    let dir = tempfile::tempdir().unwrap();
    let db = common::court_store(dir.path(), "s.db");
    let r = zhixing(&db, &["import", "good.jsonl"]);
    assert_eq!(r.code, 0, "{}", r.err);
    assert!(r.out.contains("2 rows read, 2 loaded"), "{}", r.out);
    // One of a kind is counted in the singular.
    assert!(
        r.out.contains(
            "added: 2 subjects, 2 cases, 2 obligations, 1 payment, 1 listing,\n       \
             11 restrictions, 2 phones, 1 court\n"
        ),
        "{}",
        r.out
    );
    let r = zhixing(&db, &["search", "wgq"]);
    assert_eq!(r.code, 0, "{}", r.err);
    assert!(
        r.out
            .starts_with("韦国强\tperson\t110105********002X\t登封市人民法院\t9,800.00\tlisted"),
        "{}",
        r.out
    );
    let r = zhixing(&db, &["search", "0371-62871135"]);
    assert!(r.out.starts_with("登封市嵩阳建材有限公司"), "{}", r.out);
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM restriction WHERE code = 'directorship'"
        ),
        1
    );
    let audit = count(
        &db,
        "SELECT count(*) FROM audit_log WHERE act = 'import' AND after_json LIKE '%sha256%'",
    );
    assert_eq!(audit, 1);
}

#[test]
fn the_audit_entry_names_the_officer_the_file_and_its_hash() {
    let dir = tempfile::tempdir().unwrap();
    let db = common::court_store(dir.path(), "s.db");
    let r = zhixing(&db, &["demo", "--subjects", "20", "--no-tui"]);
    assert_eq!(r.code, 0, "{}", r.err);
    let r = zhixing(&db, &["--officer", "demo", "import", "good.csv"]);
    assert_eq!(r.code, 0, "{}", r.err);
    let c = rusqlite::Connection::open(&db).unwrap();
    let (login, after): (String, String) = c
        .query_row(
            "SELECT o.login, a.after_json FROM audit_log a JOIN officer o ON o.id = a.officer_id
             WHERE a.act = 'import'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(login, "demo");
    let v: serde_json::Value = serde_json::from_str(&after).unwrap();
    let bytes = std::fs::read(fixture("good.csv")).unwrap();
    use sha2::Digest;
    let sha: String = sha2::Sha256::digest(&bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(v["files"][0]["file"], "good.csv");
    assert_eq!(v["files"][0]["sha256"], sha);
    assert_eq!(v["counts"]["subjects_added"], 3);
}

#[test]
fn a_pilot_era_uscc_is_imported_with_a_warning() {
    let dir = tempfile::tempdir().unwrap();
    let db = common::court_store(dir.path(), "s.db");
    let r = zhixing(&db, &["import", "pilot-uscc.csv"]);
    assert_eq!(r.code, 0, "{}", r.err);
    assert!(
        r.err.contains("warning: pilot-uscc.csv:2: 91350100M0001TGQXM: the check character does not verify; imported as a pilot-era code"),
        "{}",
        r.err
    );
    assert_eq!(
        count(
            &db,
            "SELECT id_warning FROM subject WHERE id_number = '91350100M0001TGQXM'"
        ),
        1
    );
}

/// The disk fills up during the merge (SQLite's page limit stands in for
/// the disk): the error says so and what to do, and the store is exactly
/// as it was.
#[test]
fn a_full_disk_is_named_and_the_store_is_left_as_it_was() {
    let (dir, db) = loaded();
    let before = dump(&db, true);
    let file = dir.path().join("more.csv");
    common::generate_file(&file, &["--subjects", "2000", "--seed", "7"]);
    let mut store = zhixing::store::Store::open(&db).unwrap();
    let pages: i64 = store
        .conn()
        .query_row("PRAGMA page_count", [], |r| r.get(0))
        .unwrap();
    store
        .conn()
        .pragma_update(None, "max_page_count", pages + 40)
        .unwrap();
    let admin = store.officer_by_login("admin").unwrap().unwrap();
    let opts = zhixing::import::ImportOptions {
        encoding: None,
        skip_invalid: false,
        rejects: None,
        dry_run: false,
        officer_id: Some(admin.id),
        today: common::today(),
        now: "2026-11-27T10:00:00+08:00".into(),
        progress: false,
    };
    let err = zhixing::import::run(&mut store, &[file], &opts)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(": the disk is full; nothing of this import was written and the store is as it was. Free space"),
        "{err}"
    );
    drop(store);
    assert_eq!(dump(&db, true), before);
}
