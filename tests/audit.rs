//! The audit log's hash chain: it holds through every kind of write, and a
//! row changed, removed or added behind the program's back (with the
//! sqlite3 shell, say) is named by `zhixing audit verify`.

mod common;

use common::{demo_store, zhixing};
use std::path::Path;

fn verify(db: &Path) -> (i32, String) {
    let r = zhixing(db, &["audit", "verify"]);
    (r.code, r.out)
}

fn seqs(c: &rusqlite::Connection) -> Vec<i64> {
    common::column(c, "SELECT seq FROM audit_log ORDER BY seq")
}

#[test]
fn the_chain_holds_through_the_demo_acts_and_imports() {
    let (dir, mut store) = demo_store(200);
    let (rows, breaks) = store.verify_audit().unwrap();
    assert!(rows > 100 && breaks.is_empty(), "{rows} {breaks:?}");
    let entry = zhixing::store::AuditEntry {
        act: "test".into(),
        detail: Some("one more".into()),
        ..Default::default()
    };
    store
        .append_audit(&entry, "2026-11-27T10:00:00+08:00")
        .unwrap();
    drop(store);
    let good = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import/good.csv");
    let db = dir.path().join("demo.db");
    let r = zhixing(&db, &["import", good.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.err);
    let (code, text) = verify(&db);
    assert_eq!(code, 0, "{text}");
    assert!(text.contains("the hash chain holds"), "{text}");
}

#[test]
fn a_row_changed_removed_or_added_outside_zhixing_is_named() {
    let (dir, store) = demo_store(100);
    drop(store);
    let db = dir.path().join("demo.db");
    let c = rusqlite::Connection::open(&db).unwrap();
    let all = seqs(&c);
    let (changed, removed, after_removed) = (all[3], all[10], all[11]);
    // What someone with the sqlite3 shell could do.
    c.execute_batch("DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete;")
        .unwrap();
    c.execute(
        "UPDATE audit_log SET detail = 'nothing happened' WHERE seq = ?1",
        [changed],
    )
    .unwrap();
    c.execute("DELETE FROM audit_log WHERE seq = ?1", [removed])
        .unwrap();
    c.execute(
        "INSERT INTO audit_log (seq, at, act, detail) VALUES (?1, '2026-11-27T03:00:00+08:00', 'list-dishonest', 'slipped in')",
        [all[all.len() - 1] + 1],
    )
    .unwrap();
    // ... and puts the triggers back, so the schema looks untouched.
    c.execute_batch(
        "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
         BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
         CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
         BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;",
    )
    .unwrap();
    drop(c);
    let (code, text) = verify(&db);
    assert_eq!(code, 1, "{text}");
    assert!(
        text.contains(&format!(
            "seq {changed}: its content does not match its hash"
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "seq {after_removed}: it does not follow the row before it"
        )),
        "{text}"
    );
    assert!(
        text.contains(&format!(
            "seq {}: its content does not match its hash",
            all[all.len() - 1] + 1
        )),
        "{text}"
    );
    assert!(text.contains("the hash chain breaks at 3 rows"), "{text}");
}

#[test]
fn an_older_stores_log_is_chained_by_the_upgrade_and_stays_append_only() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("old.db");
    {
        let c = rusqlite::Connection::open(&db).unwrap();
        zhixing::store::create_at_version(&c, 3).unwrap();
        for i in 1..=5i64 {
            c.execute(
                "INSERT INTO audit_log (seq, at, act, detail) VALUES (?1, '2026-11-01T09:00:00+08:00', 'import', ?2)",
                rusqlite::params![(1i64 << 40) + i, format!("entry {i}")],
            )
            .unwrap();
        }
    }
    let store = zhixing::store::Store::open(&db).unwrap();
    assert_eq!(store.opened, zhixing::store::Opened::Upgraded { from: 3 });
    let (rows, breaks) = store.verify_audit().unwrap();
    assert_eq!(
        (rows, breaks.len()),
        (6, 0),
        "the five, and the upgrade's own"
    );
    let last: String = store
        .conn()
        .query_row(
            "SELECT act FROM audit_log ORDER BY seq DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(last, "store-upgraded");
    let refused = store
        .conn()
        .execute("UPDATE audit_log SET detail = 'x'", []);
    assert!(refused.unwrap_err().to_string().contains("append-only"));
}

#[test]
fn a_store_whose_schema_was_edited_is_refused_and_left_as_it_was() {
    let (dir, store) = demo_store(50);
    drop(store);
    let db = dir.path().join("demo.db");
    let edits = [
        (
            "DROP TRIGGER audit_log_no_delete",
            "the trigger audit_log_no_delete is missing",
        ),
        (
            "CREATE TABLE notes (x TEXT)",
            "an unknown table notes was added",
        ),
        (
            "DROP INDEX listing_by_subject; CREATE INDEX listing_by_subject ON listing (case_id)",
            "the index listing_by_subject was changed",
        ),
    ];
    for (edit, named) in edits {
        let copy = dir.path().join("edited.db");
        std::fs::copy(&db, &copy).unwrap();
        rusqlite::Connection::open(&copy)
            .unwrap()
            .execute_batch(edit)
            .unwrap();
        let before = std::fs::read(&copy).unwrap();
        let err = zhixing::store::Store::open(&copy).err().expect("refused");
        let text = err.to_string();
        assert!(
            text.contains("the store's schema was changed outside zhixing"),
            "{text}"
        );
        assert!(text.contains(named), "{edit}: {text}");
        assert_eq!(
            std::fs::read(&copy).unwrap(),
            before,
            "{edit}: the file was written"
        );
        let _ = std::fs::remove_file(&copy);
    }
}

#[test]
fn a_store_whose_log_was_cut_is_refused_and_left_as_it_was() {
    let (dir, store) = demo_store(50);
    drop(store);
    let db = dir.path().join("demo.db");
    let c = rusqlite::Connection::open(&db).unwrap();
    let all = seqs(&c);
    // The newest entries deleted with the sqlite3 shell, the trigger put back.
    c.execute_batch(
        "DROP TRIGGER audit_log_no_delete;
         DELETE FROM audit_log WHERE seq > (SELECT max(seq) - 2 FROM audit_log);
         CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
         BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;",
    )
    .unwrap();
    drop(c);
    let before = common::file_digest(&db);
    let r = common::zhixing(&db, &["search", "沈国华"]);
    assert_eq!(r.code, 2);
    let last = all[all.len() - 1];
    assert!(
        r.err.contains(&format!(
            "the store's audit log was cut outside zhixing (site 1: the log ends at seq {} but its last entry was seq {last})",
            all[all.len() - 3]
        )),
        "{}",
        r.err
    );
    assert!(r.err.contains("it was left as it is"), "{}", r.err);
    assert_eq!(common::file_digest(&db), before);
}

#[test]
fn audit_show_reads_the_log_by_subject_officer_and_day() {
    let (dir, mut store) = demo_store(60);
    let shen: i64 = store
        .conn()
        .query_row("SELECT id FROM subject WHERE name = '沈国华'", [], |r| {
            r.get(0)
        })
        .unwrap();
    let wang = store.officer_by_login("wang").unwrap().unwrap();
    store
        .reveal_id(Some(wang.id), shen, "2026-11-28T08:30:00+08:00")
        .unwrap();
    drop(store);
    let db = dir.path().join("demo.db");
    let r = common::zhixing_as(
        None,
        &db,
        &["audit", "show", "--subject", "330106197102110510"],
    );
    assert_eq!(r.code, 0, "{}", r.err);
    let lines: Vec<&str> = r.out.lines().collect();
    assert!(
        lines.iter().any(|l| l.contains("\tdemo\tlist\t")),
        "{}",
        r.out
    );
    let last = lines.last().unwrap();
    assert!(
        last.ends_with("\t2026-11-28T08:30:00+08:00\twang\tid-revealed\tfull ID number shown"),
        "the reveal is on the subject's record: {last}"
    );
    // --officer typed filters; the environment's officer does not.
    let by_wang = common::zhixing_as(None, &db, &["--officer", "wang", "audit", "show"]);
    assert_eq!(by_wang.out.lines().count(), 1, "{}", by_wang.out);
    let everyone = common::zhixing_as(Some("wang"), &db, &["audit", "show"]);
    assert!(everyone.out.lines().count() > 10);
    let since = common::zhixing_as(
        None,
        &db,
        &["audit", "show", "--since", "2026-11-28", "--json"],
    );
    let row: serde_json::Value = serde_json::from_str(since.out.trim()).unwrap();
    assert_eq!(row["act"], "id-revealed");
    assert_eq!(row["officer_login"], "wang");
    let r = common::zhixing_as(
        None,
        &db,
        &["audit", "show", "--subject", "110101190001011234"],
    );
    assert_eq!(r.code, 2);
    assert!(
        r.err.contains("no subject has the ID number or key"),
        "{}",
        r.err
    );
}

#[test]
fn rows_changed_added_or_deleted_behind_the_programs_back_are_named_with_table_and_key() {
    let (dir, store) = demo_store(100);
    drop(store);
    let db = dir.path().join("demo.db");
    let (code, text) = verify(&db);
    assert_eq!(code, 0, "{text}");
    assert!(
        text.contains("every row is as the log recorded it"),
        "{text}"
    );
    // What someone with the sqlite3 shell could do: no trigger stops these.
    let c = rusqlite::Connection::open(&db).unwrap();
    let one = |sql: &str| -> i64 { c.query_row(sql, [], |r| r.get(0)).unwrap() };
    let listing = one("SELECT min(id) FROM listing WHERE status = 'active'");
    let deadline = one("SELECT max(id) FROM deadline");
    let clerk = one("SELECT id FROM officer WHERE login = 'zhao'");
    let obligation = one(
        "SELECT min(o.id) FROM obligation o WHERE o.amount_fen > 100 + coalesce(
             (SELECT sum(amount_fen) FROM payment p WHERE p.obligation_id = o.id), 0)",
    );
    c.execute_batch(&format!(
        "UPDATE listing SET decision_no = '(forged)' WHERE id = {listing};
         DELETE FROM deadline WHERE id = {deadline};
         UPDATE officer SET role = 'admin' WHERE id = {clerk};
         INSERT INTO payment (id, obligation_id, kind, amount_fen, paid_on, method, recorded_at)
         VALUES (1099511700000, {obligation}, 'payment', 100, '2026-11-01', 'cash', '2026-11-01');"
    ))
    .unwrap();
    drop(c);
    let (code, text) = verify(&db);
    assert_eq!(code, 1, "{text}");
    for line in [
        format!("listing {listing}: changed outside zhixing"),
        format!("deadline {deadline}: deleted outside zhixing"),
        format!("officer {clerk}: changed outside zhixing"),
        "payment 1099511700000: added outside zhixing".to_string(),
        "legal tables: 4 rows or records differ from the log".to_string(),
        // The deleted deadline and the forged payment change what the
        // list should show; the kept status was not told.
        "list status: 2 subjects shown with a status their rows do not give".to_string(),
    ] {
        assert!(text.contains(&line), "{line} in:\n{text}");
    }
    assert!(
        text.contains("the hash chain holds"),
        "the log itself is intact: {text}"
    );
}

#[test]
fn a_row_and_its_seal_changed_together_still_show_against_the_log() {
    let (dir, store) = demo_store(60);
    drop(store);
    let db = dir.path().join("demo.db");
    let c = rusqlite::Connection::open(&db).unwrap();
    // The seal of the deleted row goes too, so row and seals agree...
    c.execute_batch(
        "UPDATE row_record SET seal = NULL WHERE tbl = 18 AND key = (SELECT max(id) FROM deadline);
         DELETE FROM deadline WHERE id = (SELECT max(id) FROM deadline);",
    )
    .unwrap();
    drop(c);
    let (code, text) = verify(&db);
    assert_eq!(code, 1, "{text}");
    // ...but not with their digest, nor with the log's newest entry.
    assert!(
        text.contains("deadline: its seal records were edited outside zhixing"),
        "{text}"
    );
    assert!(
        text.contains("deadline: the log's newest entry (seq"),
        "{text}"
    );
}
