//! The store on real SQLite files: schema, constraints, upgrade, refusals.

mod common;

use common::{demo_store, file_digest, today};
use rusqlite::{Connection, params};
use zhixing::store::{APPLICATION_ID, Opened, SCHEMA_VERSION, Store, StoreError};

#[test]
fn a_new_store_has_the_whole_schema_and_reference_data() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("new.db")).unwrap();
    assert_eq!(store.opened, Opened::Created);
    let c = store.conn();
    let version: i64 = c
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .unwrap();
    let app: i32 = c
        .pragma_query_value(None, "application_id", |r| r.get(0))
        .unwrap();
    assert_eq!((version, app), (SCHEMA_VERSION, APPLICATION_ID));
    for table in [
        "subject",
        "listing",
        "restriction",
        "objection",
        "notice",
        "calendar_day",
        "audit_log",
        "search_term",
        "subject_fts",
    ] {
        let n: i64 = c
            .query_row(
                "SELECT count(*) FROM sqlite_schema WHERE name = ?1",
                [table],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(n, 1, "{table}");
    }
    let catalog: i64 = c
        .query_row("SELECT count(*) FROM restriction_catalog", [], |r| r.get(0))
        .unwrap();
    assert_eq!(catalog, 15);
    let holidays: i64 = c
        .query_row(
            "SELECT count(*) FROM calendar_day WHERE day LIKE '2026-%'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(holidays > 30);
    let call: String = c
        .query_row(
            "SELECT body FROM notice_template WHERE code = 'call-message' AND language = 'en'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(call.contains("Please urge them to fulfil their obligations"));
    let journal: String = c
        .pragma_query_value(None, "journal_mode", |r| r.get(0))
        .unwrap();
    assert_eq!(journal, "wal");
    assert!(store.integrity_ok().unwrap());
}

fn refused(c: &Connection, sql: &str) -> String {
    c.execute_batch(sql).expect_err(sql).to_string()
}

#[test]
fn constraints_refuse_bad_rows() {
    let (_dir, store) = demo_store(50);
    let c = store.conn();
    let now = "'2026-11-27T00:00:00Z'";
    assert!(refused(c, &format!("INSERT INTO subject (kind, name, id_number, created_at, updated_at) VALUES ('company', 'x', '91350100M000100Y43', {now}, {now})")).contains("CHECK"));
    assert!(refused(c, &format!("INSERT INTO subject (kind, name, id_number, created_at, updated_at) VALUES ('entity', 'x', '123', {now}, {now})")).contains("CHECK"));
    assert!(refused(c, "INSERT INTO obligation (case_id, subject_id, description, amount_fen) SELECT case_id, subject_id, 'neg', -5 FROM case_debtor LIMIT 1").contains("CHECK"));
    // A listing on ground 1 has no period.
    assert!(refused(c, &format!("INSERT INTO listing (subject_id, case_id, ground, decision_no, decided_on, period_years, expires_on, created_at) SELECT subject_id, case_id, 1, 'x', '2026-01-01', 2, '2028-01-01', {now} FROM case_debtor LIMIT 1")).contains("CHECK"));
    assert!(refused(c, &format!("INSERT INTO listing (subject_id, case_id, ground, decision_no, decided_on, created_at) SELECT subject_id, case_id, 7, 'x', '2026-01-01', {now} FROM case_debtor LIMIT 1")).contains("CHECK"));
    assert!(refused(c, "INSERT INTO restriction (subject_id, code, order_id, imposed_on, created_at) VALUES (1, 'yacht', 1, '2026-01-01', 'x')").contains("FOREIGN KEY"));
    assert!(
        refused(
            c,
            "INSERT INTO calendar_day VALUES ('2026-02-30', 'holiday', 'x')"
        )
        .contains("CHECK")
    );
    // Payments never exceed the obligation, and are never edited.
    let (obligation, remaining): (i64, i64) = c
        .query_row(
            "SELECT id, remaining FROM (SELECT o.id, o.amount_fen - coalesce((SELECT sum(amount_fen) FROM payment
               WHERE obligation_id = o.id), 0) AS remaining FROM obligation o WHERE o.amount_fen IS NOT NULL)
              WHERE remaining > 0 LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let pay = |fen: i64, receipt: &str| {
        c.execute(
            "INSERT INTO payment (obligation_id, kind, amount_fen, paid_on, method, receipt_no, recorded_at) VALUES (?1, 'payment', ?2, '2026-11-01', 'cash', ?3, 'now')",
            params![obligation, fen, receipt],
        )
    };
    assert!(
        pay(remaining + 1, "T-1")
            .unwrap_err()
            .to_string()
            .contains("exceeds the amount outstanding")
    );
    pay(remaining, "T-2").unwrap();
    assert!(refused(c, "UPDATE payment SET amount_fen = 1").contains("never edited"));
    // The audit log is append-only.
    assert!(refused(c, "UPDATE audit_log SET act = 'x'").contains("append-only"));
    assert!(refused(c, "DELETE FROM audit_log").contains("append-only"));
}

#[test]
fn keys_carry_the_site_number() {
    let (_dir, store) = demo_store(20);
    let min: i64 = store
        .conn()
        .query_row("SELECT min(id) FROM subject", [], |r| r.get(0))
        .unwrap();
    assert_eq!(min >> 40, 1, "site 1 in the high bits");
}

#[test]
fn an_older_store_is_upgraded_and_its_subjects_become_searchable() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v1.db");
    {
        let c = Connection::open(&path).unwrap();
        zhixing::store::create_at_version(&c, 1).unwrap();
        c.execute(
            "INSERT INTO subject (kind, name, name_pinyin, id_number, sex, birth_date, created_at, updated_at)
             VALUES ('person', '沈国华', 'shen guo hua', '11010519491231002X', 'female', '1949-12-31', 'now', 'now')",
            [],
        )
        .unwrap();
        let n: i64 = c
            .query_row(
                "SELECT count(*) FROM sqlite_schema WHERE name = 'search_term'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(n, 0, "version 1 has no search index");
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(store.opened, Opened::Upgraded { from: 1 });
    let hits =
        zhixing::search::search(&store, "sgh", zhixing::store::Filter::All, today()).unwrap();
    assert_eq!(hits.hits[0].row.name, "沈国华");
    // Version 6's terms: the given name's pinyin and the ID from its birth
    // date on; and every subject's kept status.
    for query in ["guohua", "19491231", "002X"] {
        let hits =
            zhixing::search::search(&store, query, zhixing::store::Filter::All, today()).unwrap();
        assert_eq!(hits.hits.len(), 1, "{query}");
        assert_eq!(hits.hits[0].row.name, "沈国华", "{query}");
    }
    assert!(store.verify_standing().unwrap().is_empty());
    drop(store);
    assert_eq!(Store::open(&path).unwrap().opened, Opened::Existing);
}

/// Version 8 makes the subject and case tables anew (their unique numbers
/// become named indexes): rows other tables refer to keep their keys, their
/// seals still match them, and the numbers are still unique.
#[test]
fn an_upgrade_that_makes_tables_anew_keeps_their_rows_seals_and_uniqueness() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v4.db");
    {
        let c = Connection::open(&path).unwrap();
        zhixing::store::create_at_version(&c, 4).unwrap();
        c.execute_batch(
            "INSERT INTO court (id, code, name, level) VALUES (5, '豫0185', '登封市人民法院', 'basic');
             INSERT INTO subject (id, kind, name, name_pinyin, id_number, sex, birth_date, created_at, updated_at)
               VALUES (70, 'person', '沈国华', 'shen guo hua', '11010519491231002X', 'female', '1949-12-31', 'now', 'now');
             INSERT INTO subject (id, kind, name, name_pinyin, id_number, created_at, updated_at)
               VALUES (71, 'entity', '登封市嵩山建筑工程有限公司', '', '914101854BQ1JJ5809', 'now', 'now');
             INSERT INTO responsible_person (entity_id, person_id, role) VALUES (71, 70, 'legal-representative');
             INSERT INTO enforcement_case (id, case_number, court_id, year, case_type, sequence, applicant, filed_on)
               VALUES (90, '（2024）豫0185执3001号', 5, 2024, '执', 3001, '王秀兰', '2024-05-02');
             INSERT INTO case_debtor (case_id, subject_id) VALUES (90, 71);
             INSERT INTO obligation (id, case_id, subject_id, description, amount_fen)
               VALUES (3, 90, 71, '支付货款', 77460310);",
        )
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(store.opened, Opened::Upgraded { from: 4 });
    assert!(store.verify_state().unwrap().is_empty(), "seals match");
    let c = store.conn();
    let orphans: i64 = c
        .query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(orphans, 0);
    let kept: (i64, i64, i64) = c
        .query_row(
            "SELECT (SELECT id FROM subject WHERE id_number = '914101854BQ1JJ5809'),
                    (SELECT id FROM enforcement_case WHERE case_number = '（2024）豫0185执3001号'),
                    (SELECT count(*) FROM obligation o JOIN case_debtor d USING (case_id, subject_id))",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!(kept, (71, 90, 1));
    let twice = [
        "INSERT INTO subject (kind, name, id_number, created_at, updated_at)
         VALUES ('entity', '另一家公司', '914101854BQ1JJ5809', 'now', 'now')",
        "INSERT INTO enforcement_case (case_number, court_id, year, case_type, sequence, applicant, filed_on)
         VALUES ('（2024）豫0185执3001号', 5, 2024, '执', 3002, '王秀兰', '2024-05-02')",
        "INSERT INTO enforcement_case (case_number, court_id, year, case_type, sequence, applicant, filed_on)
         VALUES ('（2024）豫0185执3001号 ', 5, 2024, '执', 3001, '王秀兰', '2024-05-02')",
    ];
    for sql in twice {
        let err = c.execute(sql, []).unwrap_err().to_string();
        assert!(err.contains("UNIQUE constraint failed"), "{err}");
    }
    drop(store);
    assert_eq!(Store::open(&path).unwrap().opened, Opened::Existing);
}

/// Version 8 first made its two tables under other names and renamed
/// them, which leaves their names in quotes in the schema: such a store
/// is the same shape and opens.
#[test]
fn a_store_whose_version_8_tables_were_renamed_opens() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("renamed.db");
    drop(Store::open(&path).unwrap());
    {
        let c = Connection::open(&path).unwrap();
        c.execute_batch(
            "PRAGMA writable_schema = ON;
             UPDATE sqlite_schema SET sql = 'CREATE TABLE \"' || name || '\"' || substr(sql, length('CREATE TABLE ' || name) + 1)
             WHERE type = 'table' AND name IN ('subject', 'enforcement_case');
             PRAGMA writable_schema = OFF;",
        )
        .unwrap();
        let quoted: i64 = c
            .query_row(
                "SELECT count(*) FROM sqlite_schema
                 WHERE name IN ('subject', 'enforcement_case') AND sql LIKE 'CREATE TABLE \"%'",
                [],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(quoted, 2);
    }
    assert_eq!(Store::open(&path).unwrap().opened, Opened::Existing);
}

#[test]
fn a_store_from_a_newer_version_is_refused_and_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("newer.db");
    drop(Store::open(&path).unwrap());
    {
        let c = Connection::open(&path).unwrap();
        c.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
        c.pragma_update(None, "journal_mode", "DELETE").unwrap();
    }
    let before = file_digest(&path);
    let err = Store::open(&path).err().unwrap();
    assert!(matches!(err, StoreError::TooNew { .. }));
    assert!(err.to_string().contains("newer zhixing"), "{err}");
    assert_eq!(file_digest(&path), before);
}

#[test]
fn foreign_files_are_refused_and_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let text = dir.path().join("notes.db");
    std::fs::write(&text, "this is a letter, not a database\n".repeat(100)).unwrap();
    let before = file_digest(&text);
    let err = Store::open(&text).err().unwrap();
    assert!(
        err.to_string()
            .contains("not a zhixing store (not a SQLite database)"),
        "{err}"
    );
    assert_eq!(file_digest(&text), before);

    let other = dir.path().join("other.db");
    {
        let c = Connection::open(&other).unwrap();
        c.execute_batch("CREATE TABLE invoices (id INTEGER PRIMARY KEY, total REAL); INSERT INTO invoices VALUES (1, 2.5);").unwrap();
    }
    let before = file_digest(&other);
    let err = Store::open(&other).err().unwrap();
    assert!(err.to_string().contains("another program"), "{err}");
    assert_eq!(file_digest(&other), before);
    assert!(!dir.path().join("other.db-wal").exists());
}

#[test]
fn missing_folder_read_only_and_locked_stores_get_clear_errors() {
    let dir = tempfile::tempdir().unwrap();
    let err = Store::open(&dir.path().join("no/such/folder/z.db"))
        .err()
        .unwrap();
    assert!(err.to_string().contains("does not exist"), "{err}");

    let ro = dir.path().join("ro.db");
    drop(Store::open(&ro).unwrap());
    let mut perms = std::fs::metadata(&ro).unwrap().permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&ro, perms).unwrap();
    let err = Store::open(&ro).err().unwrap();
    assert!(err.to_string().contains("read-only"), "{err}");

    let locked = dir.path().join("locked.db");
    drop(Store::open(&locked).unwrap());
    let holder = Connection::open(&locked).unwrap();
    holder
        .execute_batch("PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE;")
        .unwrap();
    let started = std::time::Instant::now();
    let err = Store::open(&locked).err().unwrap();
    assert!(
        err.to_string().contains("locked by another program"),
        "{err}"
    );
    assert!(started.elapsed().as_secs() < 30);
    holder.execute_batch("COMMIT").unwrap();
}

#[test]
fn the_demo_holds_the_articles_cases() {
    let (_dir, store) = demo_store(100);
    let hits = |q: &str| {
        zhixing::search::search(&store, q, zhixing::store::Filter::All, today())
            .unwrap()
            .hits
    };
    let shen = &hits("沈国华")[0].row;
    assert!(shen.status.listed && shen.outstanding.0 == 27_500_000);
    let wei = &hits("韦国强")[0].row;
    assert!(
        !wei.status.listed && wei.status.performed,
        "the Guangxi debtor paid and was lifted"
    );
    let lu = store
        .subject_detail(hits("鲁宏业")[0].row.id, today())
        .unwrap()
        .unwrap();
    assert!(
        lu.restrictions
            .iter()
            .any(|r| r.code == "premium-travel" && r.status == "active")
    );
    let farm = store
        .subject_detail(hits("嵩阳生态")[0].row.id, today())
        .unwrap()
        .unwrap();
    assert!(farm.id_warning, "a pilot-era USCC is kept, with a warning");
    assert_eq!(farm.objections[0].status, "pending");
    let dengfeng: String = store
        .conn()
        .query_row("SELECT name FROM court WHERE code = '豫0185'", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(dengfeng, "登封市人民法院");
}

/// The `column IN (...)` lists of three or more values in `sql`'s checks:
/// SQLite builds a table of them again for every row written.
fn long_in_lists(sql: &str) -> Vec<String> {
    sql.match_indices(" IN (")
        .filter_map(|(at, _)| {
            let list = &sql[at + 5..];
            let list = &list[..list.find(')')?];
            (list.matches(',').count() >= 2).then(|| list.to_string())
        })
        .collect()
}

fn tables_with_long_in_lists(c: &Connection) -> Vec<(String, Vec<String>)> {
    c.prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND sql IS NOT NULL")
        .unwrap()
        .query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .map(|(name, sql)| (name, long_in_lists(&sql)))
        .filter(|(_, lists)| !lists.is_empty())
        .collect()
}

/// Version 9 writes the checks of one of three or more values as
/// comparisons, in place: a version 8 store is upgraded, other connections
/// are told the schema changed, and the checks refuse what they refused.
#[test]
fn checks_of_one_value_among_many_are_comparisons_and_still_refuse() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v8.db");
    let before: i64 = {
        let c = Connection::open(&path).unwrap();
        zhixing::store::create_at_version(&c, 8).unwrap();
        assert!(!tables_with_long_in_lists(&c).is_empty());
        c.pragma_query_value(None, "schema_version", |r| r.get(0))
            .unwrap()
    };
    let store = Store::open(&path).unwrap();
    assert_eq!(store.opened, Opened::Upgraded { from: 8 });
    let c = store.conn();
    assert_eq!(tables_with_long_in_lists(c), vec![]);
    let after: i64 = c
        .pragma_query_value(None, "schema_version", |r| r.get(0))
        .unwrap();
    assert!(after > before, "schema version {before} -> {after}");
    c.execute_batch(
        "INSERT INTO court (id, code, name, level) VALUES (5, '豫0185', '登封市人民法院', 'basic')",
    )
    .unwrap();
    let bad = [
        "INSERT INTO court (code, name, level) VALUES ('豫01', '郑州市中级人民法院', 'district')",
        "INSERT INTO enforcement_case (case_number, court_id, year, case_type, sequence, applicant, filed_on, status)
         VALUES ('（2024）豫0185执1号', 5, 2024, '执', 1, '王秀兰', '2024-05-02', 'closed')",
        "INSERT INTO enforcement_case (case_number, court_id, year, case_type, sequence, applicant, filed_on)
         VALUES ('（2024）豫0185刑1号', 5, 2024, '刑', 1, '王秀兰', '2024-05-02')",
    ];
    for sql in bad {
        assert!(refused(c, sql).contains("CHECK constraint failed"), "{sql}");
    }
    drop(store);
    assert_eq!(Store::open(&path).unwrap().opened, Opened::Existing);
    let fresh = Store::open(&dir.path().join("new.db")).unwrap();
    assert_eq!(tables_with_long_in_lists(fresh.conn()), vec![]);
}
