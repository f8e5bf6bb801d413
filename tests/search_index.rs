//! The search index built set by set after a bulk load holds exactly what
//! building it one subject at a time holds.

mod common;

use common::demo_store;
use rusqlite::Connection;
use zhixing::store::search_bulk::{Scope, index_set};
use zhixing::store::search_index::index_subject;

/// Every entry of the three index tables; a haystack as its sorted parts
/// (the order of a subject's cases and phones inside it does not matter).
fn entries(c: &Connection) -> Vec<String> {
    let mut out = Vec::new();
    let mut terms = c
        .prepare("SELECT term, subject_id, field FROM search_term ORDER BY 1, 2, 3")
        .unwrap();
    let rows = terms.query_map([], |r| {
        Ok(format!(
            "term {}|{}|{}",
            r.get::<_, String>(0)?,
            r.get::<_, i64>(1)?,
            r.get::<_, i64>(2)?
        ))
    });
    out.extend(rows.unwrap().map(Result::unwrap));
    let mut grams = c
        .prepare("SELECT gram, subject_id FROM name_gram ORDER BY 1, 2")
        .unwrap();
    let rows = grams.query_map([], |r| {
        Ok(format!(
            "gram {}|{}",
            r.get::<_, String>(0)?,
            r.get::<_, i64>(1)?
        ))
    });
    out.extend(rows.unwrap().map(Result::unwrap));
    let mut fts = c
        .prepare("SELECT rowid, haystack FROM subject_fts ORDER BY rowid")
        .unwrap();
    let rows = fts.query_map([], |r| {
        let mut parts: Vec<String> = r
            .get::<_, String>(1)?
            .split(" | ")
            .map(str::to_string)
            .collect();
        parts.sort();
        Ok(format!("fts {}|{}", r.get::<_, i64>(0)?, parts.join("|")))
    });
    out.extend(rows.unwrap().map(Result::unwrap));
    let sources: Vec<String> = common::column(
        c,
        "SELECT subject_id || ' ' || source FROM indexed_subject ORDER BY subject_id",
    );
    out.extend(sources.into_iter().map(|s| format!("source {s}")));
    out
}

/// The index holds what rebuilding it whole from the subjects' tables makes.
fn assert_as_rebuilt_whole(c: &Connection) {
    let kept = entries(c);
    index_set(c, Scope::All).unwrap();
    assert_eq!(kept, entries(c));
}

/// Empties the index, what each subject was indexed by included.
fn clear(c: &Connection) {
    c.execute_batch(
        "DELETE FROM search_term; DELETE FROM name_gram; DELETE FROM subject_fts;
         DELETE FROM indexed_subject;",
    )
    .unwrap();
}

/// Renames one subject, gives a second a new phone and takes a third's
/// away, gives a fourth an alias and moves a fifth's case to another
/// number: every kind of entry gains and loses. Returns their ids.
fn change_five_subjects(c: &Connection) -> Vec<i64> {
    let ids: Vec<i64> = common::column(
        c,
        "SELECT s.id FROM subject s WHERE EXISTS (SELECT 1 FROM phone p WHERE p.subject_id = s.id)
           AND EXISTS (SELECT 1 FROM case_debtor d WHERE d.subject_id = s.id) ORDER BY s.id LIMIT 5",
    );
    assert_eq!(ids.len(), 5);
    c.execute_batch(&format!(
        "UPDATE subject SET name = '欧阳明辉', name_pinyin = 'ou yang ming hui' WHERE id = {a};
         INSERT INTO phone (id, subject_id, number) VALUES (9000011, {b}, '0371-62870000');
         DELETE FROM phone WHERE subject_id = {c};
         INSERT INTO alias (id, subject_id, name, name_pinyin) VALUES (9000012, {d}, '韦国刚', 'wei guo gang');
         UPDATE enforcement_case SET case_number = '（2026）豫0185执9999号'
          WHERE id = (SELECT min(case_id) FROM case_debtor WHERE subject_id = {e});",
        a = ids[0],
        b = ids[1],
        c = ids[2],
        d = ids[3],
        e = ids[4],
    ))
    .unwrap();
    ids
}

#[test]
fn a_changed_subject_loses_its_old_entries_one_at_a_time() {
    let (_dir, store) = demo_store(300);
    let c = store.conn();
    let before = entries(c);
    for id in change_five_subjects(c) {
        index_subject(c, id).unwrap();
    }
    assert_ne!(before, entries(c), "the changes change the index");
    assert_as_rebuilt_whole(c);
}

#[test]
fn a_changed_subject_loses_its_old_entries_in_a_set() {
    let (_dir, store) = demo_store(300);
    let c = store.conn();
    let changed = change_five_subjects(c);
    touch(c, &changed);
    index_set(c, Scope::Touched).unwrap();
    assert_as_rebuilt_whole(c);
}

/// Lists subjects as an import's touched set.
fn touch(c: &Connection, ids: &[i64]) {
    c.execute_batch(&format!(
        "CREATE TEMP TABLE IF NOT EXISTS import_touched (subject_id INTEGER PRIMARY KEY);
         INSERT INTO temp.import_touched VALUES ({});",
        ids.iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join("), (")
    ))
    .unwrap();
}

/// Changes five subjects, then spoils the kept source of the renamed one
/// (not JSON) and of one unchanged subject (JSON of another shape), as a
/// program other than zhixing might. Returns the six ids.
fn change_five_and_spoil_two(c: &Connection) -> Vec<i64> {
    let mut ids = change_five_subjects(c);
    let unchanged: i64 = c
        .query_row("SELECT max(subject_id) FROM indexed_subject", [], |r| {
            r.get(0)
        })
        .unwrap();
    c.execute_batch(&format!(
        "UPDATE indexed_subject SET source = 'not a source' WHERE subject_id = {renamed};
         UPDATE indexed_subject SET source = '{{\"name\": 7}}' WHERE subject_id = {unchanged};",
        renamed = ids[0]
    ))
    .unwrap();
    ids.push(unchanged);
    ids
}

#[test]
fn an_unreadable_kept_source_is_replaced_one_subject_at_a_time() {
    let (_dir, store) = demo_store(300);
    let c = store.conn();
    for id in change_five_and_spoil_two(c) {
        index_subject(c, id).unwrap();
    }
    assert_as_rebuilt_whole(c);
}

#[test]
fn an_unreadable_kept_source_is_replaced_in_a_set() {
    let (_dir, store) = demo_store(300);
    let c = store.conn();
    let ids = change_five_and_spoil_two(c);
    touch(c, &ids);
    index_set(c, Scope::Touched).unwrap();
    assert_as_rebuilt_whole(c);
}

#[test]
fn the_bulk_index_equals_the_one_subject_at_a_time_index() {
    let (_dir, store) = demo_store(400);
    let c = store.conn();
    // A landline with a dash, an alias and a second case, to cover each rule.
    c.execute_batch(
        "INSERT INTO phone (id, subject_id, number) SELECT 9000001, min(id), '0371-62871135' FROM subject;
         INSERT INTO alias (id, subject_id, name, name_pinyin) SELECT 9000002, min(id), '韦国刚', 'wei guo gang' FROM subject;",
    )
    .unwrap();
    index_set(c, Scope::All).unwrap();
    let bulk = entries(c);
    clear(c);
    let ids: Vec<i64> = common::column(c, "SELECT id FROM subject");
    for id in &ids {
        index_subject(c, *id).unwrap();
    }
    let one_by_one = entries(c);
    assert_eq!(bulk.len(), one_by_one.len());
    assert_eq!(bulk, one_by_one);
    assert!(
        bulk.iter().any(|e| e.starts_with("term 037162871135|")),
        "phones without separators"
    );
    assert!(
        bulk.iter().any(|e| e.starts_with("gram 国刚|")),
        "alias grams"
    );
}
