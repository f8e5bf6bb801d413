//! The search engine against a brute-force reference: on a demo store, for
//! random queries made from its subjects (one to three characters of a
//! name, the start, middle and end of an ID number, a phone number, a
//! name's pinyin whole or from the given name), every subject the
//! reference finds by reading every row is among the engine's results,
//! whenever the reference finds no more than a page of them.

mod common;

use common::{demo_store, today};
use std::collections::BTreeSet;
use zhixing::store::Filter;

/// Every subject whose name, alias, ID number, phone or pinyin holds `q`.
fn anywhere(c: &rusqlite::Connection, q: &str) -> BTreeSet<i64> {
    ids(
        c,
        "SELECT id FROM subject WHERE instr(name, ?1) OR instr(id_number, ?1)
            OR instr(replace(name_pinyin, ' ', ''), ?1)
         UNION SELECT subject_id FROM alias WHERE instr(name, ?1)
         UNION SELECT subject_id FROM phone WHERE instr(replace(replace(number, '-', ''), ' ', ''), ?1)",
        q,
    )
}

/// Every subject with `q` at the start of a field the engine keeps as a
/// prefix term for this kind of query: ID numbers from the start, the birth
/// date, month, day and last four; phones; pinyin whole, from the second
/// syllable, or as initials (computed here from the stored pinyin).
fn at_a_start(c: &rusqlite::Connection, q: &str) -> BTreeSet<i64> {
    let mut found = ids(
        c,
        "SELECT id FROM subject WHERE substr(id_number, 1, length(?1)) = ?1
            OR (length(id_number) = 18 AND (substr(id_number, 7, length(?1)) = ?1
                OR substr(id_number, 11, length(?1)) = ?1 OR substr(id_number, 13, length(?1)) = ?1
                OR substr(id_number, 15, length(?1)) = ?1))
            OR substr(replace(name_pinyin, ' ', ''), 1, length(?1)) = ?1
            OR (instr(name_pinyin, ' ') > 0 AND substr(replace(substr(name_pinyin,
                instr(name_pinyin, ' ') + 1), ' ', ''), 1, length(?1)) = ?1)
         UNION SELECT subject_id FROM phone
         WHERE substr(replace(replace(number, '-', ''), ' ', ''), 1, length(?1)) = ?1
         UNION SELECT subject_id FROM alias WHERE substr(replace(name_pinyin, ' ', ''), 1, length(?1)) = ?1",
        q,
    );
    let mut stmt = c.prepare("SELECT id, name_pinyin FROM subject").unwrap();
    let initials = stmt
        .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))
        .unwrap()
        .map(Result::unwrap)
        .filter(|(_, p)| zhixing::search::pinyin::initials(p).starts_with(q))
        .map(|(id, _)| id);
    found.extend(initials);
    found
}

fn ids(c: &rusqlite::Connection, sql: &str, q: &str) -> BTreeSet<i64> {
    c.prepare(sql)
        .unwrap()
        .query_map([q], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// What the engine must find, read from every row: for Han, the subjects
/// holding the query anywhere; for digits and pinyin, those with it at the
/// start of a kept field, and only when there are none, anywhere.
fn reference(c: &rusqlite::Connection, q: &str) -> BTreeSet<i64> {
    if !q.is_ascii() {
        return anywhere(c, q);
    }
    let started = at_a_start(c, q);
    if started.is_empty() {
        anywhere(c, q)
    } else {
        started
    }
}

#[test]
fn the_engine_finds_what_reading_every_row_finds() {
    let (_dir, store) = demo_store(1500);
    let c = store.conn();
    let subjects: Vec<(String, String, Option<String>, String)> = c
        .prepare(
            "SELECT s.name, s.id_number, (SELECT number FROM phone WHERE subject_id = s.id LIMIT 1),
                    s.name_pinyin
             FROM subject s",
        )
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    let mut rng = fastrand::Rng::with_seed(20261128);
    let (mut compared, mut skipped) = (0, 0);
    for _ in 0..300 {
        let (name, id_number, phone, spaced) = &subjects[rng.usize(..subjects.len())];
        let chars: Vec<char> = name.chars().collect();
        let query = match rng.u8(0..7) {
            0 => {
                let len = rng.usize(1..=chars.len().min(3));
                let at = rng.usize(0..=chars.len() - len);
                chars[at..at + len].iter().collect()
            }
            1 => id_number[id_number.len() - 6..].to_string(),
            2 => id_number[..10].to_string(),
            3 => id_number[6..14].to_string(),
            4 => zhixing::search::pinyin::joined(spaced),
            5 => zhixing::search::pinyin::from_second_syllable(spaced),
            _ => match phone {
                Some(p) => p.replace(['-', ' '], ""),
                None => continue,
            },
        };
        if query.is_empty()
            || !query
                .chars()
                .all(|ch| !ch.is_ascii() || ch.is_ascii_alphanumeric())
        {
            continue;
        }
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
