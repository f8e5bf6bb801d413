//! The subject list at scale:
//! `ZHIXING_BENCH_STORE=PATH cargo bench --bench list` (a store such as
//! the search benchmark's, under target/bench/).
//!
//! Times the worker's answer to a page request (the keys and their rows,
//! as the TUI asks for them) for every filter: the first page, the next,
//! one from the middle of the key space and the last. For "deadline due"
//! also each way of reading it wholly (store/due_pages.rs, `DueScan`);
//! and for the filters schema version 12 changed, the first page's keys
//! and the count against the queries version 11 read them with.
//! The reference, in the same run, is the unfiltered first page.
//! Run as a test (`cargo test --all-targets`) it builds a store of 2,000
//! subjects and checks that every filter's pages are read and that both
//! ways of reading "deadline due" give the same pages.

mod common;

use common::{ms, quantile, today};
use std::path::PathBuf;
use std::time::Instant;
use zhixing::store::read::{Filter, PageAt};
use zhixing::store::{DueScan, Store, SubjectRow};
use zhixing::tui::worker::{PAGE_SIZE, Reply, Request, execute};

/// The filters as schema version 11 read them, from the legal rows: the
/// subjects with an active listing or a pending objection gathered with
/// DISTINCT, and those with a clock due as a union, both sorted for each
/// page. `:due` is the horizon.
const BEFORE_V12: [(Filter, &str); 3] = [
    (
        Filter::Listed,
        "SELECT DISTINCT subject_id AS sid FROM listing WHERE status = 'active'",
    ),
    (
        Filter::ObjectionPending,
        "SELECT DISTINCT subject_id AS sid FROM objection WHERE status = 'pending'",
    ),
    (
        Filter::DeadlineDue,
        "SELECT subject_id AS sid FROM deadline WHERE state = 'open' AND due_on <= :due
         UNION SELECT subject_id FROM objection WHERE status = 'pending' AND due_on <= :due
         UNION SELECT subject_id FROM listing WHERE status = 'active' AND expires_on <= :due",
    ),
];

/// The worker's page of `filter` at `at`: its rows, timed.
fn page(store: &mut Store, filter: Filter, at: PageAt) -> (f64, Vec<SubjectRow>) {
    let request = Request::Page {
        generation: 1,
        filter,
        at,
    };
    let started = Instant::now();
    let reply = execute(store, &request, today());
    let took = ms(started.elapsed());
    let Reply::Page { rows, .. } = reply else {
        panic!("{filter:?} at {at:?}: {reply:?}");
    };
    (took, rows)
}

/// Median and largest of `samples` runs of `run` (milliseconds).
fn timed(samples: usize, mut run: impl FnMut() -> f64) -> (f64, f64) {
    let mut took: Vec<f64> = (0..samples).map(|_| run()).collect();
    took.sort_by(f64::total_cmp);
    (quantile(&took, 0.5), quantile(&took, 1.0))
}

/// The places a page is read from: the first, the next, the middle of
/// the key space, the last.
fn places(store: &mut Store, filter: Filter) -> Vec<(&'static str, PageAt)> {
    let (_, first) = page(store, filter, PageAt::First);
    let mut places = vec![("first", PageAt::First)];
    if let Some(last_shown) = first.last() {
        places.push(("next", PageAt::After(last_shown.id)));
    }
    let middle: i64 = store
        .conn()
        .query_row("SELECT max(id) / 2 FROM subject", [], |r| r.get(0))
        .expect("middle");
    places.push(("middle", PageAt::After(middle)));
    places.push(("last", PageAt::Last));
    places
}

fn print(what: &str, (p50, max): (f64, f64), reference: f64) {
    println!("{what:<34} {p50:>9.3} {max:>9.3} {:>8.1}", p50 / reference);
}

/// Each filter's pages, against the unfiltered first page.
fn filters(store: &mut Store, samples: usize) {
    // Once before the reference: the store's first pages come from disk.
    timed(samples, || page(store, Filter::All, PageAt::First).0);
    let reference = timed(samples, || page(store, Filter::All, PageAt::First).0).0;
    println!(
        "{:<34} {:>9} {:>9} {:>8}",
        "page (keys and rows)", "p50 ms", "max ms", "/ ref"
    );
    for filter in Filter::ALL {
        for (place, at) in places(store, filter) {
            let figures = timed(samples, || page(store, filter, at).0);
            print(&format!("{}, {place}", filter.label()), figures, reference);
        }
    }
    deadline_due(store, samples, reference);
}

/// "Deadline due" read wholly each way.
fn deadline_due(store: &mut Store, samples: usize, reference: f64) {
    let due = store
        .count_filtered(Filter::DeadlineDue, today())
        .expect("count");
    println!("deadline due: {due} subjects due");
    for scan in [DueScan::ByDate, DueScan::ByKey] {
        let figures = timed(samples, || {
            let started = Instant::now();
            let keys = store
                .due_page_keys(scan, PageAt::First, PAGE_SIZE + 1, today())
                .expect("keys");
            assert_eq!(keys.len() as i64, due.min(PAGE_SIZE as i64 + 1));
            ms(started.elapsed())
        });
        print(&format!("  keys, {scan:?}, first"), figures, reference);
    }
}

/// The first page's keys and the count of the filters schema version 12
/// changed, now and as version 11 read them (medians, milliseconds).
fn against_v11(store: &mut Store, samples: usize) {
    println!(
        "{:<20} {:>10} {:>10} {:>10} {:>10}",
        "keys of a page", "page now", "page v11", "count now", "count v11"
    );
    let horizon = format!("'{}'", today() + chrono::Days::new(7));
    for (filter, old) in BEFORE_V12 {
        let old = old.replace(":due", &horizon);
        let limit = PAGE_SIZE + 1;
        let now = timed(samples, || {
            let started = Instant::now();
            let keys = store.page_keys(filter, PageAt::First, limit, today());
            keys.expect("page");
            ms(started.elapsed())
        });
        let sql = format!("SELECT sid FROM ({old}) ORDER BY sid LIMIT {limit}");
        let then = timed(samples.min(5), || run_timed(store, &sql));
        let count_now = timed(samples.min(5), || {
            let started = Instant::now();
            store.count_filtered(filter, today()).expect("count");
            ms(started.elapsed())
        });
        let sql = format!("SELECT count(*) FROM ({old})");
        let count_then = timed(samples.min(5), || run_timed(store, &sql));
        println!(
            "{:<20} {:>10.3} {:>10.3} {:>10.3} {:>10.3}",
            filter.label(),
            now.0,
            then.0,
            count_now.0,
            count_then.0
        );
    }
}

/// Milliseconds to read every row of `sql`.
fn run_timed(store: &Store, sql: &str) -> f64 {
    let started = Instant::now();
    let mut stmt = store.conn().prepare_cached(sql).expect("sql");
    let rows = stmt.query_map([], |_| Ok(())).expect("rows").count();
    assert!(rows > 0 || sql.contains("objection"), "{sql}: no rows");
    ms(started.elapsed())
}

/// The test run: every filter's pages as the worker answers them (the
/// store's keys, in order, each admitted by the filter), both scans alike.
fn check(store: &mut Store) {
    for filter in Filter::ALL {
        for (place, at) in places(store, filter) {
            let (_, rows) = page(store, filter, at);
            let shown: Vec<i64> = rows.iter().map(|r| r.id).collect();
            let keys = store.page_keys(filter, at, PAGE_SIZE, today());
            assert_eq!(shown, keys.expect("keys"), "{filter:?} {place}");
            // The generated caseload has no objections; every other filter
            // admits someone.
            if place == "first" && filter != Filter::ObjectionPending {
                assert!(!shown.is_empty(), "{filter:?}: an empty first page");
            }
            let admitted = shown.iter().all(|&id| {
                let row = store.subject_row(id, today()).expect("row");
                row.is_some_and(|r| filter.admits(&r.status))
            });
            assert!(
                admitted,
                "{filter:?} {place}: a row the filter does not admit"
            );
        }
    }
    for at in [PageAt::First, PageAt::Last] {
        let by_date = store.due_page_keys(DueScan::ByDate, at, 50, today());
        let by_key = store.due_page_keys(DueScan::ByKey, at, 50, today());
        let by_date = by_date.expect("by date");
        assert!(!by_date.is_empty(), "subjects due");
        assert_eq!(by_date, by_key.expect("by key"), "{at:?}");
    }
}

fn main() {
    let bench = common::benching();
    let (_dir, db) = match std::env::var("ZHIXING_BENCH_STORE") {
        Ok(path) if bench => (None, PathBuf::from(path)),
        _ => {
            let dir = tempfile::tempdir().expect("temp dir");
            let db = dir.path().join("list.db");
            common::build(&db, 2_000);
            (Some(dir), db)
        }
    };
    let mut store = Store::open(&db).expect("open the store");
    if bench {
        filters(&mut store, 30);
        against_v11(&mut store, 30);
    } else {
        check(&mut store);
    }
}
