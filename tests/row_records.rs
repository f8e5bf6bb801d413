//! Version 10 keeps a row's seal and its change number in one record
//! (row_record) instead of two tables: an upgraded store holds each key's
//! seal and number as the two tables held them, and the triggers keep both
//! in the one record (a number only for a change).

use rusqlite::Connection;
use rusqlite::types::Value;
use zhixing::store::{Opened, Store};

fn records(c: &Connection) -> Vec<(i64, Value, Option<i64>, i64)> {
    c.prepare("SELECT tbl, key, seal, n FROM row_record ORDER BY tbl, key")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
        .unwrap()
        .map(Result::unwrap)
        .collect()
}

/// The change number of court `id`'s record.
fn number(c: &Connection, id: i64) -> i64 {
    c.query_row(
        "SELECT n FROM row_record WHERE tbl = 1 AND key = ?1",
        [id],
        |r| r.get(0),
    )
    .unwrap()
}

#[test]
fn an_upgrade_puts_each_rows_seal_and_change_number_in_one_record() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("v9.db");
    {
        let c = Connection::open(&path).unwrap();
        zhixing::store::create_at_version(&c, 9).unwrap();
        c.execute_batch(
            // A court sealed and numbered; a subject sealed before the
            // change clock began (version 5); a debtor pair deleted since
            // (its number stays); an audit row (numbered, never sealed).
            "INSERT INTO row_seal (tbl, key, seal) VALUES (1, 5, 111), (3, 70, 222);
             INSERT INTO sync_change (tbl, key, n)
               VALUES (1, 5, 7), (8, '90/71', 9), (0, 1099511627777, 10);
             UPDATE sync_clock SET n = 10;",
        )
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    assert_eq!(store.opened, Opened::Upgraded { from: 9 });
    let c = store.conn();
    assert_eq!(
        records(c),
        vec![
            (0, Value::Integer(1_099_511_627_777), None, 10),
            (1, Value::Integer(5), Some(111), 7),
            (3, Value::Integer(70), Some(222), 0),
            (8, Value::Text("90/71".into()), None, 9),
        ]
    );
    let gone: i64 = c
        .query_row(
            "SELECT count(*) FROM sqlite_schema WHERE name IN ('row_seal', 'sync_change', 'sync_change_by_n')",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(gone, 0);
    // Rows written after the upgrade are sealed and numbered in one record.
    c.execute(
        "INSERT INTO court (id, code, name, level) VALUES (6, '豫0186', '某某法院', 'basic')",
        [],
    )
    .unwrap();
    let (seal, n): (Option<i64>, i64) = c
        .query_row(
            "SELECT seal, n FROM row_record WHERE tbl = 1 AND key = 6",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert!(seal.is_some());
    assert_eq!(n, 11);
    // A row deleted keeps its record's number, without its seal.
    c.execute("DELETE FROM court WHERE id = 6", []).unwrap();
    let after: (Option<i64>, i64) = c
        .query_row(
            "SELECT seal, n FROM row_record WHERE tbl = 1 AND key = 6",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(after, (None, 11));
    // An update that writes the values the row held takes no number; one
    // that changes a value takes the next.
    c.execute_batch(
        "INSERT INTO court (id, code, name, level) VALUES (7, '豫0187', '某某法院', 'basic');
         UPDATE court SET name = name, higher_court_id = NULL WHERE id = 7;",
    )
    .unwrap();
    assert_eq!(number(c, 7), 12);
    c.execute("UPDATE court SET name = '另一法院' WHERE id = 7", [])
        .unwrap();
    assert_eq!(number(c, 7), 13);
    drop(store);
    assert_eq!(Store::open(&path).unwrap().opened, Opened::Existing);
}
