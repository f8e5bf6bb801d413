//! The built binary, run as a script would: output, exit status, and the
//! store afterwards.

mod common;

use common::{bin, file_digest};
use std::process::Command;

fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(bin())
        .args(args)
        .env_remove("ZHIXING_DB")
        .env("ZHIXING_OFFICER", "admin")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into(),
        String::from_utf8_lossy(&out.stderr).into(),
    )
}

#[test]
fn demo_builds_a_store_that_search_reads() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let db = db.to_str().unwrap();
    let (code, _, err) = run(&[
        "--db",
        db,
        "--today",
        "2026-11-27",
        "demo",
        "--subjects",
        "400",
        "--no-tui",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("400 subjects"), "{err}");
    let (code, out, _) = run(&[
        "--db",
        db,
        "--today",
        "2026-11-27",
        "search",
        "shen guo hua",
    ]);
    assert_eq!(code, 0);
    assert!(
        out.starts_with(
            "沈国华\tperson\t330106********0510\t杭州市西湖区人民法院\t275,000.00\tlisted"
        ),
        "{out}"
    );
    let (code, out, _) = run(&["--db", db, "search", "(2024)浙0106执2077号", "--json"]);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(out.lines().next().unwrap()).unwrap();
    assert_eq!(v["name"], "沈国华");
    assert_eq!(
        v["id_number"], "330106********0510",
        "ID numbers are masked"
    );
    let (code, out, err) = run(&["--db", db, "search", "zzzzqqqq", "--timing"]);
    assert_eq!(
        (code, out.as_str()),
        (1, ""),
        "no match is exit 1 with no output"
    );
    assert!(err.contains("0 results in"), "{err}");
    let (code, out, err) = run(&["--db", db, "search", "  "]);
    assert_eq!((code, out.as_str()), (2, ""), "an empty query is a mistake");
    assert!(err.contains("the query is empty"), "{err}");
    // The same seed builds the same store; an existing demo store is replaced.
    let (code, _, err) = run(&[
        "--db",
        db,
        "--today",
        "2026-11-27",
        "demo",
        "--subjects",
        "400",
        "--no-tui",
    ]);
    assert_eq!(code, 0, "{err}");
}

#[test]
fn the_demo_never_overwrites_a_real_store() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("court.db");
    {
        let mut store = zhixing::store::Store::open(&db).unwrap();
        zhixing::demo::generate(
            &mut store,
            zhixing::demo::DemoOptions {
                subjects: 10,
                seed: 3,
                as_of: common::today(),
            },
        )
        .unwrap();
        store
            .conn()
            .execute("DELETE FROM store_meta WHERE key = 'demo'", [])
            .unwrap();
        store
            .conn()
            .execute_batch("PRAGMA wal_checkpoint(TRUNCATE)")
            .unwrap();
    }
    let before = file_digest(&db);
    let (code, _, err) = run(&["--db", db.to_str().unwrap(), "demo", "--no-tui"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("not a demo store; the demo never overwrites it"),
        "{err}"
    );
    assert_eq!(file_digest(&db), before);
}

#[test]
fn bad_stores_get_clear_messages_and_are_left_alone() {
    let dir = tempfile::tempdir().unwrap();
    let letter = dir.path().join("letter.txt");
    std::fs::write(&letter, "Dear court,\n").unwrap();
    let (code, _, err) = run(&["--db", letter.to_str().unwrap(), "search", "x"]);
    assert_eq!(code, 2);
    assert!(
        err.contains(
            "letter.txt: not a zhixing store (not a SQLite database); the file was left untouched"
        ),
        "{err}"
    );
    assert_eq!(std::fs::read_to_string(&letter).unwrap(), "Dear court,\n");

    let missing = dir.path().join("missing.db");
    let (code, _, err) = run(&["--db", missing.to_str().unwrap(), "search", "x"]);
    assert_eq!(code, 2);
    assert!(err.contains("no store there"), "{err}");
    assert!(!missing.exists(), "a search never creates a store");
}

#[test]
fn a_path_that_cannot_be_used_is_named_plainly_and_nothing_is_written() {
    let dir = tempfile::tempdir().unwrap();
    let db = common::court_store(dir.path(), "court.db");
    let before = file_digest(&db);
    let out = dir.path().join("missing").join("list.csv");
    let r = common::zhixing(
        &db,
        &["export", "public-list", "--out", out.to_str().unwrap()],
    );
    assert_eq!(r.code, 2, "{}", r.err);
    let folder = dir.path().join("missing");
    let expected = format!(
        "cannot write {}: the folder {} does not exist",
        out.display(),
        folder.display()
    );
    // The whole message: no temporary file's name after it.
    assert_eq!(r.err.trim_end(), format!("zhixing: {expected}"));

    let r = common::zhixing(&db, &["import", dir.path().to_str().unwrap()]);
    assert_eq!(r.code, 1, "{}", r.err);
    let expected = format!(
        "{}:1: file: is a folder; name the files in it to import",
        dir.path().display()
    );
    assert!(r.err.contains(&expected), "{}", r.err);
    assert_eq!(file_digest(&db), before, "the store is as it was");
}

#[test]
fn the_workstation_needs_a_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("z.db");
    let (code, _, err) = run(&["--db", db.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert!(err.contains("needs a terminal"), "{err}");
}

#[test]
fn help_lists_the_subcommands() {
    let (code, out, _) = run(&["--help"]);
    assert_eq!(code, 0);
    for word in ["demo", "search", "--db", "ZHIXING_DB"] {
        assert!(out.contains(word), "{word} in {out}");
    }
}

#[test]
fn expire_lifts_listings_whose_period_ended_once_and_dry_run_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let db = db.to_str().unwrap();
    let (code, _, err) = run(&[
        "--db",
        db,
        "--today",
        "2026-11-27",
        "demo",
        "--subjects",
        "300",
        "--no-tui",
    ]);
    assert_eq!(code, 0, "{err}");
    let active_fixed = |db: &str| -> i64 {
        let c = rusqlite::Connection::open(db).unwrap();
        c.query_row(
            "SELECT count(*) FROM listing WHERE status = 'active' AND expires_on <= '2028-12-31'",
            [],
            |r| r.get(0),
        )
        .unwrap()
    };
    let due = active_fixed(db);
    assert!(due > 0, "the demo has fixed-period listings");
    let before = file_digest(std::path::Path::new(db));
    let (code, out, err) = run(&["--db", db, "--today", "2028-12-31", "expire", "--dry-run"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out.lines()
            .filter(|l| l.starts_with("would lift: "))
            .count() as i64,
        due
    );
    assert!(err.contains("nothing was written"), "{err}");
    assert_eq!(
        file_digest(std::path::Path::new(db)),
        before,
        "a dry run leaves the file as it was"
    );
    let (code, out, err) = run(&["--db", db, "--today", "2028-12-31", "expire"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out.lines().filter(|l| l.starts_with("lifted: ")).count() as i64,
        due
    );
    assert_eq!(active_fixed(db), 0);
    let c = rusqlite::Connection::open(db).unwrap();
    let audited: i64 = c
        .query_row(
            "SELECT count(*) FROM audit_log WHERE act = 'period-ended'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(audited, due, "one audit row per listing");
    let (code, out, _) = run(&["--db", db, "--today", "2028-12-31", "expire"]);
    assert_eq!(code, 0);
    assert!(out.is_empty(), "nothing left to lift: {out}");
    let (code, _, err) = run(&["--db", db, "--officer", "nobody", "expire"]);
    assert_eq!(code, 2);
    assert!(
        err.contains("no active officer has the login \"nobody\""),
        "{err}"
    );
}

/// Opening an older store says first that it is being upgraded (on a big
/// store that takes minutes), then works as usual.
#[test]
fn an_older_store_is_announced_before_its_upgrade() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v4.db");
    let c = rusqlite::Connection::open(&db).unwrap();
    zhixing::store::create_at_version(&c, 4).unwrap();
    drop(c);
    let r = common::zhixing(&db, &["audit", "verify"]);
    assert_eq!(r.code, 0, "{}{}", r.out, r.err);
    let expected = format!(
        "upgrading the store from schema version 4 to {}",
        zhixing::store::SCHEMA_VERSION
    );
    assert!(r.err.contains(&expected), "{}", r.err);
    let again = common::zhixing(&db, &["audit", "verify"]);
    assert!(!again.err.contains("upgrading"), "{}", again.err);
}

/// Through a pseudo-terminal (util-linux `script`), as an officer runs it:
/// each step of the merge after the reading, then the report on a clean
/// line. (The reading's bar is drawn from 200 ms on; this file takes less.)
#[test]
fn on_a_terminal_an_import_shows_each_step_after_reading() {
    let dir = tempfile::tempdir().unwrap();
    let db = common::court_store(dir.path(), "court.db");
    let file = dir.path().join("caseload.csv");
    common::generate_file(&file, &["--subjects", "4000"]);
    assert!(std::fs::metadata(&file).unwrap().len() > 1 << 20);
    let args = format!(
        "--officer admin --today 2026-11-27 import {}",
        file.display()
    );
    let shown = common::through_a_terminal(&db, &args);
    let steps = [
        "checks across rows…",
        "courts and subjects…",
        "cases, debtors and phones…",
        "obligations and payments…",
        "listings and restrictions…",
        "indexes…",
        "each subject's status…",
        "search index…",
        "checking references…",
        "writing to disk…",
        "\r\x1b[K",
    ];
    let from = common::shown_in_order(&shown, &steps);
    assert!(shown[from..].contains("rows read"), "{shown:?}");
}

/// An export whose reader goes away (`| head`) ends quietly with the status
/// of a tool killed by SIGPIPE; a notice batch it was writing is not marked.
#[test]
fn an_export_whose_reader_goes_away_ends_quietly_and_marks_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let db_arg = db.to_str().unwrap();
    let (code, _, err) = run(&["--db", db_arg, "demo", "--subjects", "400", "--no-tui"]);
    assert_eq!(code, 0, "{err}");
    let exported = || {
        let conn = rusqlite::Connection::open(&db).unwrap();
        let count = |sql| conn.query_row(sql, [], |r| r.get::<_, i64>(0)).unwrap();
        (
            count("SELECT count(*) FROM notice WHERE state = 'exported'"),
            count("SELECT count(*) FROM notice_batch"),
            count("SELECT count(*) FROM notice WHERE state = 'queued' AND channel = 'call'"),
        )
    };
    let before = exported();
    assert!(before.2 > 0, "queued call notices to export");
    for what in [
        &["export", "public-list"][..],
        &["export", "notices", "--channel", "call"][..],
    ] {
        let mut child = Command::new(bin())
            .args(["--db", db_arg, "--officer", "demo"])
            .args(what)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take()); // the reader is gone before a byte is written
        let out = child.wait_with_output().unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(141), "{what:?}: {err}");
        assert_eq!(err, "", "{what:?}");
    }
    assert_eq!(exported(), before, "no notice marked exported, no batch");
}

/// `audit verify` on a big store runs for minutes: on a terminal it shows
/// which check it is at, then clears the line before its report.
#[test]
fn on_a_terminal_audit_verify_shows_each_check_then_its_report() {
    let dir = tempfile::tempdir().unwrap();
    let db = common::court_store(dir.path(), "court.db");
    let shown = common::through_a_terminal(&db, "audit verify");
    let steps = [
        "the audit log's hash chain… (audit verify running",
        "the rows of court (1 of 19)…",
        "the rows of restriction (13 of 19)…",
        "the rows of approval (19 of 19)…",
        "each subject's list status…",
        "\r\x1b[K",
        "audit log: ",
        "legal tables: every row is as the log recorded it",
        "list status: every subject's matches their rows",
    ];
    common::shown_in_order(&shown, &steps);
}
