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
    out
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
