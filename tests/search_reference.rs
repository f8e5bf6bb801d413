//! The search engine against a brute-force reference: on a demo store, for
//! random queries made from its subjects (one to three characters of a
//! name, the end of an ID number, a phone number), every subject the
//! reference finds by reading every row is among the engine's results,
//! whenever the reference finds no more than a page of them.

mod common;

use common::{demo_store, today};
use std::collections::BTreeSet;
use zhixing::store::Filter;

/// Every subject whose name, alias, ID number or phone holds `q`.
fn reference(c: &rusqlite::Connection, q: &str) -> BTreeSet<i64> {
    c.prepare(
        "SELECT id FROM subject WHERE instr(name, ?1) OR instr(id_number, ?1)
         UNION SELECT subject_id FROM alias WHERE instr(name, ?1)
         UNION SELECT subject_id FROM phone WHERE instr(replace(replace(number, '-', ''), ' ', ''), ?1)",
    )
    .unwrap()
    .query_map([q], |r| r.get(0))
    .unwrap()
    .map(Result::unwrap)
    .collect()
}

#[test]
fn the_engine_finds_what_reading_every_row_finds() {
    let (_dir, store) = demo_store(1500);
    let c = store.conn();
    let subjects: Vec<(String, String, Option<String>)> = c
        .prepare(
            "SELECT s.name, s.id_number, (SELECT number FROM phone WHERE subject_id = s.id LIMIT 1)
             FROM subject s",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut rng = fastrand::Rng::with_seed(20261128);
    let (mut compared, mut skipped) = (0, 0);
    for _ in 0..300 {
        let (name, id_number, phone) = &subjects[rng.usize(..subjects.len())];
        let chars: Vec<char> = name.chars().collect();
        let query = match rng.u8(0..4) {
            0 => {
                let len = rng.usize(1..=chars.len().min(3));
                let at = rng.usize(0..=chars.len() - len);
                chars[at..at + len].iter().collect()
            }
            1 => id_number[id_number.len() - 6..].to_string(),
            2 => id_number[..10].to_string(),
            _ => match phone {
                Some(p) => p.replace(['-', ' '], ""),
                None => continue,
            },
        };
        let want = reference(c, &query);
        if want.len() > 50 {
            skipped += 1;
            continue;
        }
        let got: BTreeSet<i64> = zhixing::search::search(&store, &query, Filter::All, today())
            .unwrap()
            .hits
            .iter()
            .map(|h| h.row.id)
            .collect();
        let missing: Vec<&i64> = want.difference(&got).collect();
        assert!(
            missing.is_empty(),
            "\"{query}\": the engine misses {missing:?}"
        );
        compared += 1;
    }
    assert!(compared > 200, "{compared} compared, {skipped} too common");
}
