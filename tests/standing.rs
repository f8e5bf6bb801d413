//! The status the list shows (each subject's kept standing) against the
//! same figures counted from the legal rows, after every write path that
//! keeps it: a bulk import into an empty store, an import of a few rows
//! into a bigger one (recomputed subject by subject), changed facts, the
//! officer's acts (tests/acts_props.rs checks `verify_standing` after each)
//! and a hand edit, which `zhixing audit verify` names. Each list filter's
//! pages hold exactly the subjects whose counted status it admits.

mod common;

use chrono::{Days, NaiveDate};
use common::{count, court_store, zhixing};
use std::path::Path;
use zhixing::domain::Fen;
use zhixing::domain::status::{StatusFacts, SubjectStatus};
use zhixing::store::DueScan;
use zhixing::store::Store;
use zhixing::store::read::{DUE_WITHIN_DAYS, Filter, PageAt};

/// A subject's status counted from the legal rows, one count per fact, as
/// the list showed it before the status was kept: the reference.
fn counted_facts(store: &Store, subject: i64, today: NaiveDate) -> StatusFacts {
    let due = (today + Days::new(DUE_WITHIN_DAYS)).to_string();
    store
        .conn()
        .query_row(
            "SELECT
               (SELECT count(*) FROM listing WHERE subject_id = ?1 AND status = 'active'),
               (SELECT count(*) FROM restriction WHERE subject_id = ?1 AND status = 'active'),
               (SELECT count(*) FROM objection WHERE subject_id = ?1 AND status = 'pending'),
               (SELECT count(*) FROM deadline WHERE subject_id = ?1 AND state = 'open' AND due_on <= ?2)
             + (SELECT count(*) FROM objection WHERE subject_id = ?1 AND status = 'pending' AND due_on <= ?2)
             + (SELECT count(*) FROM listing WHERE subject_id = ?1 AND status = 'active' AND expires_on <= ?2),
               (SELECT count(*) FROM obligation WHERE subject_id = ?1 AND amount_fen IS NOT NULL),
               (SELECT coalesce(sum(amount_fen), 0) FROM obligation WHERE subject_id = ?1),
               (SELECT coalesce(sum(CASE p.kind WHEN 'payment' THEN p.amount_fen ELSE -p.amount_fen END), 0)
                  FROM obligation o JOIN payment p ON p.obligation_id = o.id WHERE o.subject_id = ?1)",
            rusqlite::params![subject, due],
            |r| {
                Ok(StatusFacts {
                    active_listings: r.get(0)?,
                    active_restrictions: r.get(1)?,
                    pending_objections: r.get(2)?,
                    open_deadlines: r.get(3)?,
                    monetary_obligations: r.get(4)?,
                    outstanding: Fen(r.get::<_, i64>(5)? - r.get::<_, i64>(6)?),
                })
            },
        )
        .unwrap()
}

/// Every subject's list row agrees with their status counted afresh.
fn assert_rows_match_their_facts(db: &Path) {
    let store = Store::open(db).unwrap();
    let today = common::today();
    let ids: Vec<i64> = common::column(store.conn(), "SELECT id FROM subject ORDER BY id");
    let rows = store.rows_for(&ids, today).unwrap();
    assert_eq!(rows.len(), ids.len());
    let mut counted = Vec::new();
    for row in rows {
        let facts = counted_facts(&store, row.id, today);
        let status = SubjectStatus::derive(&facts);
        assert_eq!(row.status, status, "subject {}", row.id);
        assert_eq!(row.outstanding, facts.outstanding, "subject {}", row.id);
        counted.push((row.id, status));
    }
    assert!(store.verify_standing().unwrap().is_empty());
    for filter in Filter::ALL {
        let admitted: Vec<i64> = counted
            .iter()
            .filter(|(_, status)| filter.admits(status))
            .map(|(id, _)| *id)
            .collect();
        assert_eq!(
            every_page(&store, filter, PageAt::First),
            admitted,
            "{filter:?}"
        );
        let mut backwards = every_page(&store, filter, PageAt::Last);
        backwards.reverse();
        assert_eq!(backwards, admitted, "{filter:?}, from the last page");
        let total = store.count_filtered(filter, today).unwrap();
        assert_eq!(total, admitted.len() as i64, "{filter:?}");
        if filter == Filter::DeadlineDue {
            assert_both_due_scans_read(&store, &admitted);
        }
    }
}

/// Both ways of reading the "deadline due" pages give the due subjects,
/// whichever the store would pick.
fn assert_both_due_scans_read(store: &Store, due: &[i64]) {
    assert!(!due.is_empty(), "the caseload has subjects due");
    for scan in [DueScan::ByDate, DueScan::ByKey] {
        let read = |at| store.due_page_keys(scan, at, 7, common::today()).unwrap();
        assert_eq!(pages_from(read, PageAt::First), due, "{scan:?}");
        let mut backwards = pages_from(read, PageAt::Last);
        backwards.reverse();
        assert_eq!(backwards, due, "{scan:?}, from the last page");
    }
}

/// The keys of every page of the filtered list, from `first` (the first
/// page or the last) page by page away from it, seven keys to a page.
fn every_page(store: &Store, filter: Filter, first: PageAt) -> Vec<i64> {
    pages_from(
        |at| store.page_keys(filter, at, 7, common::today()).unwrap(),
        first,
    )
}

/// The keys of every page `read` gives, from `first` away from it.
fn pages_from(read: impl Fn(PageAt) -> Vec<i64>, first: PageAt) -> Vec<i64> {
    let mut keys = Vec::new();
    let mut at = first;
    loop {
        let page = read(at);
        let (Some(&low), Some(&high)) = (page.first(), page.last()) else {
            return keys;
        };
        if first == PageAt::First {
            keys.extend(page);
            at = PageAt::After(high);
        } else {
            keys.extend(page.into_iter().rev());
            at = PageAt::Before(low);
        }
    }
}

fn import(db: &Path, file: &Path) {
    let r = zhixing(db, &["import", file.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.err);
}

#[test]
fn every_import_path_leaves_the_list_status_true_to_the_rows() {
    let dir = tempfile::tempdir().unwrap();
    let db = court_store(dir.path(), "court.db");
    let caseload = dir.path().join("caseload.csv");
    let r = zhixing(
        &db,
        &[
            "gen",
            "--subjects",
            "400",
            "--seed",
            "3",
            "--out",
            caseload.to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, 0, "{}", r.err);
    import(&db, &caseload);
    assert!(count(&db, "SELECT count(*) FROM subject_standing") >= 400);
    assert_rows_match_their_facts(&db);

    // A few rows into a store of hundreds: their subjects alone are
    // recomputed, the responsible persons of an entity listed with them too.
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import");
    let good = std::fs::read_to_string(fixtures.join("good.csv")).unwrap();
    let few = dir.path().join("few.csv");
    std::fs::write(&few, &good).unwrap();
    import(&db, &few);
    assert_rows_match_their_facts(&db);

    // A raised amount and more paid before the import change what is owed.
    std::fs::write(&few, good.replace("\"10,000\",200", "\"12,000\",500")).unwrap();
    import(&db, &few);
    assert_rows_match_their_facts(&db);
    let r = zhixing(&db, &["audit", "verify"]);
    assert_eq!(r.code, 0, "{}", r.out);
    assert!(
        r.out
            .contains("list status: every subject's matches their rows"),
        "{}",
        r.out
    );
}

#[test]
fn a_status_edited_by_hand_is_named_by_audit_verify() {
    let dir = tempfile::tempdir().unwrap();
    let db = court_store(dir.path(), "court.db");
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import");
    import(&db, &fixtures.join("good.csv"));
    let listed = count(
        &db,
        "SELECT subject_id FROM subject_standing WHERE active_listings > 0 LIMIT 1",
    );
    let c = rusqlite::Connection::open(&db).unwrap();
    c.execute(
        "UPDATE subject_standing SET active_listings = 0, active_restrictions = 0 WHERE subject_id = ?1",
        [listed],
    )
    .unwrap();
    drop(c);
    let r = zhixing(&db, &["audit", "verify"]);
    assert_eq!(r.code, 1, "{}", r.out);
    assert!(
        r.out.contains(&format!(
            "subject_standing {listed}: the status the list shows for this subject does not match their rows"
        )),
        "{}",
        r.out
    );
    assert!(r.out.contains("list status: 1 subject shown"), "{}", r.out);
}

/// An act recomputes its subjects once at its end (`defer`, `flush`):
/// in between the kept status waits, after it every write recomputes at
/// once again.
#[test]
fn a_deferred_status_is_recomputed_once_at_the_flush_and_then_at_once_again() {
    use zhixing::store::standing::defer;
    let dir = tempfile::tempdir().unwrap();
    let db = court_store(dir.path(), "court.db");
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import");
    import(&db, &fixtures.join("good.csv"));
    let store = Store::open(&db).unwrap();
    let conn = store.conn();
    let kept = |subject: i64| -> i64 {
        conn.query_row(
            "SELECT active_restrictions FROM subject_standing WHERE subject_id = ?1",
            [subject],
            |r| r.get(0),
        )
        .unwrap()
    };
    let (subject, before): (i64, i64) = conn
        .query_row(
            "SELECT subject_id, active_restrictions FROM subject_standing
             WHERE active_restrictions >= 3 LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    let lift_one = || {
        conn.execute(
            "UPDATE restriction SET status = 'lifted', lifted_reason = 'performed', lifted_on = '2026-11-27'
             WHERE id = (SELECT min(id) FROM restriction WHERE subject_id = ?1 AND status = 'active')",
            [subject],
        )
        .unwrap()
    };

    let deferral = defer(conn).unwrap();
    assert_eq!(lift_one(), 1);
    assert_eq!(kept(subject), before, "deferred: not yet recomputed");
    assert!(!store.verify_standing().unwrap().is_empty());
    deferral.flush().unwrap();
    assert_eq!(kept(subject), before - 1, "recomputed at the flush");

    assert_eq!(lift_one(), 1);
    assert_eq!(kept(subject), before - 2, "after the flush, at once again");
    assert!(store.verify_standing().unwrap().is_empty());

    // A deferral dropped without its flush (a failed act, rolled back)
    // still ends: the next write recomputes at once.
    drop(defer(conn).unwrap());
    assert_eq!(lift_one(), 1);
    assert_eq!(kept(subject), before - 3, "a dropped deferral has ended");
    assert!(store.verify_standing().unwrap().is_empty());
}
