//! Search at scale: `ZHIXING_BENCH_SUBJECTS=1000000 cargo bench --bench search`.
//!
//! Builds (once, under target/bench/) or reuses a store of N subjects made
//! from `zhixing gen`'s file by the importer, then reports in one run:
//! keystroke to the first 50 ranked results for every query class, through
//! the TUI's own worker (routing, candidates, ranking); the first query of
//! each class on a freshly opened store; start-up to the first frame with
//! data; the process's resident memory; and, for comparison on the same
//! store, a `LIKE '%q%'` scan and a whole-set fuzzy-matcher scan.
//! With ZHIXING_BENCH_DROP_CACHES set (Linux, root) the operating system's
//! file cache is emptied before the start-up and before each class's cold
//! query, so those read the store from the disk.
//! `cargo test --all-targets` runs it on 100,000 subjects as a correctness
//! check (not timing): each query finds the subject it was made from where
//! it must, and a query that matches nothing finds nothing.

mod common;

use common::{ms, quantile};
use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;
use std::path::Path;
use std::time::{Duration, Instant};
use zhixing::store::{Filter, Store};
use zhixing::tui::app::{AppOptions, initial_state};
use zhixing::tui::keymap::Keymap;
use zhixing::tui::update::{Msg, start, update};
use zhixing::tui::worker::{Reply, Request, execute};

/// A subject the queries are made from.
struct Sample {
    id: i64,
    name: String,
    pinyin: String,
    id_number: String,
    phone: Option<String>,
    case_number: Option<String>,
}

/// The classes of targets.md, each a query made from a sample, and
/// whether that subject must be among the first 50 results.
type Class = (&'static str, fn(&Sample, usize) -> Option<String>, bool);

const CLASSES: [Class; 12] = [
    (
        "1 Han character",
        |s, _| s.name.chars().next().map(String::from),
        false,
    ),
    (
        "2 Han characters",
        |s, _| Some(s.name.chars().take(2).collect()),
        false,
    ),
    ("full name", |s, _| Some(s.name.clone()), false),
    ("pinyin with spaces", |s, _| Some(s.pinyin.clone()), false),
    (
        "pinyin without spaces",
        |s, _| Some(s.pinyin.replace(' ', "")),
        false,
    ),
    (
        "pinyin initials",
        |s, _| Some(zhixing::search::pinyin::initials(&s.pinyin)),
        false,
    ),
    (
        "ID-number prefix (10)",
        |s, _| s.id_number.get(..10).map(String::from),
        false,
    ),
    (
        "ID digits, middle (8)",
        |s, _| s.id_number.get(6..14).map(String::from),
        false,
    ),
    (
        "ID digits, end (6)",
        |s, _| s.id_number.get(12..).map(String::from),
        true,
    ),
    ("case number", |s, _| s.case_number.clone(), true),
    ("phone number", |s, _| s.phone.clone(), true),
    ("matches nothing", |_, i| Some(format!("xqzvk{i}")), false),
];

fn samples(store: &Store, n: usize) -> Vec<Sample> {
    let conn = store.conn();
    let (lo, hi): (i64, i64) = conn
        .query_row("SELECT min(id), max(id) FROM subject", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .expect("subjects");
    let mut rng = fastrand::Rng::with_seed(20261127);
    let mut out = Vec::new();
    let mut stmt = conn
        .prepare(
            "SELECT s.id, s.name, s.name_pinyin, s.id_number,
                    (SELECT number FROM phone WHERE subject_id = s.id LIMIT 1),
                    (SELECT e.case_number FROM case_debtor d JOIN enforcement_case e ON e.id = d.case_id
                     WHERE d.subject_id = s.id LIMIT 1)
             FROM subject s WHERE s.id >= ?1 AND s.kind = 'person' ORDER BY s.id LIMIT 1",
        )
        .expect("sample query");
    while out.len() < n {
        let at = rng.i64(lo..=hi);
        if let Ok(s) = stmt.query_row([at], |r| {
            Ok(Sample {
                id: r.get(0)?,
                name: r.get(1)?,
                pinyin: r.get(2)?,
                id_number: r.get(3)?,
                phone: r.get(4)?,
                case_number: r.get(5)?,
            })
        }) {
            out.push(s);
        }
    }
    out
}

/// One keystroke's work as the TUI does it: the worker's answer to a search.
fn search(store: &mut Store, query: &str) -> (Duration, Vec<i64>) {
    let request = Request::Search {
        generation: 1,
        query: query.to_string(),
        filter: Filter::All,
    };
    let started = Instant::now();
    let reply = execute(store, &request, common::today());
    let took = started.elapsed();
    let Reply::Search { result, .. } = reply else {
        panic!("search for {query}: {reply:?}");
    };
    (took, result.hits.iter().map(|h| h.row.id).collect())
}

/// Empties the operating system's file cache (Linux, as root), so that a
/// "cold" figure reads the store from the disk, as after a reboot.
fn drop_file_cache() {
    let synced = std::process::Command::new("sync").status();
    assert!(synced.is_ok_and(|s| s.success()), "sync");
    std::fs::write("/proc/sys/vm/drop_caches", "3\n")
        .expect("ZHIXING_BENCH_DROP_CACHES needs root on Linux (/proc/sys/vm/drop_caches)");
}

/// Store opened to the first frame with rows: the worker's first page,
/// drawn headless (the count arrives later, off this path).
fn startup(db: &Path) -> Duration {
    let started = Instant::now();
    let store = Store::open(db).expect("open");
    let options = AppOptions::signed_in("admin", common::today());
    let mut state = initial_state(&store, Keymap::defaults(), &[], &options).expect("state");
    let mut store = store;
    let page = start(&mut state)
        .into_iter()
        .find(|r| matches!(r, Request::Page { .. }))
        .expect("a first page");
    let reply = execute(&mut store, &page, common::today());
    update(&mut state, Msg::Reply(reply));
    let backend = ratatui::backend::TestBackend::new(120, 40);
    let mut terminal = ratatui::Terminal::new(backend).expect("terminal");
    terminal
        .draw(|f| zhixing::tui::views::draw(f, &state))
        .expect("frame");
    assert!(!state.list.rows.is_empty(), "the first frame shows rows");
    started.elapsed()
}

fn main() {
    let bench = common::benching();
    let subjects: usize = std::env::var("ZHIXING_BENCH_SUBJECTS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(if bench { 1_000_000 } else { 100_000 });
    let per_class = if bench { 200 } else { 20 };
    let dir = common::work_dir(bench);
    // The import benchmark's store is the same file's store: reuse it.
    let imported = dir.join(format!("import-{subjects}.db"));
    let db = if bench && imported.exists() {
        imported
    } else {
        dir.join(format!("search-{subjects}.db"))
    };
    if !db.exists() {
        let started = Instant::now();
        common::build(&db, subjects);
        eprintln!(
            "built {} in {:.0} s",
            db.display(),
            started.elapsed().as_secs_f64()
        );
    }
    let drop_caches = std::env::var_os("ZHIXING_BENCH_DROP_CACHES").is_some();
    if drop_caches {
        drop_file_cache();
    }
    let startup = startup(&db);
    let mut store = Store::open(&db).expect("open");
    let picked = samples(&store, per_class);
    println!(
        "search on a store of {subjects} subjects, {per_class} queries per class, milliseconds:"
    );
    println!(
        "{:<24} {:>8} {:>8} {:>8} {:>9} {:>7}",
        "class", "p50", "p99", "max", "cold", "found"
    );
    for (name, make, must_find) in CLASSES {
        let queries: Vec<(i64, String)> = picked
            .iter()
            .enumerate()
            .filter_map(|(i, s)| make(s, i).map(|q| (s.id, q)))
            .collect();
        // Cold: the class's first query on a store opened just for it
        // (and, when asked, with the operating system's file cache empty).
        if drop_caches {
            drop_file_cache();
        }
        let mut fresh = Store::open(&db).expect("open");
        let cold = queries
            .first()
            .map_or(f64::NAN, |(_, q)| ms(search(&mut fresh, q).0));
        drop(fresh);
        let mut samples = Vec::new();
        let mut found = 0;
        for (id, q) in &queries {
            let (took, hits) = search(&mut store, q);
            samples.push(ms(took));
            found += usize::from(hits.contains(id));
            if must_find && !bench {
                assert!(
                    hits.contains(id),
                    "{name}: \"{q}\" does not find subject {id}"
                );
            }
            if name == "matches nothing" {
                assert!(hits.is_empty(), "\"{q}\" found {hits:?}");
            }
        }
        samples.sort_by(f64::total_cmp);
        println!(
            "{name:<24} {:>8.3} {:>8.3} {:>8.3} {cold:>9.3} {:>6.0}%",
            quantile(&samples, 0.5),
            quantile(&samples, 0.99),
            quantile(&samples, 1.0),
            100.0 * found as f64 / queries.len().max(1) as f64
        );
    }
    println!(
        "start-up to the first frame with data: {:.1} ms",
        ms(startup)
    );
    // Before the comparisons, which hold every name in memory. A store
    // built by this same run leaves the import's memory in the figure:
    // run again to reuse the store.
    println!(
        "resident memory of this process: {:.0} MB",
        common::memory_mb("VmRSS:")
    );
    comparisons(&store, &picked);
    after_reload(&db, &store, &picked[0].name);
    if !bench {
        let _ = std::fs::remove_dir_all(&dir);
    }
}

/// A keystroke right after the list reloads (its page and its count, as
/// when the officer turns to the listed subjects): through the
/// TUI's worker, from sending the search to its answer, once the page is
/// in. Beside it, the count then the search on one connection, as the
/// worker answered them before counts had a thread of their own.
fn after_reload(db: &Path, store: &Store, query: &str) {
    let (seen, replies) = std::sync::mpsc::channel();
    let worker = Store::open(db).expect("open");
    let requests =
        zhixing::tui::worker::spawn(worker, common::today(), move |r| seen.send(r).is_ok());
    let mut now = Vec::new();
    // Replies come in any order: the count has its own thread.
    let mut counted = 0;
    let wait_for = |wanted: fn(&Reply) -> bool, counted: &mut u64| loop {
        let reply = replies.recv().expect("reply");
        *counted += u64::from(matches!(reply, Reply::Count { .. }));
        if wanted(&reply) {
            return;
        }
    };
    let filter = Filter::Listed;
    for generation in 1..=20 {
        let at = zhixing::store::read::PageAt::First;
        requests
            .send(Request::Page {
                generation,
                filter,
                at,
            })
            .expect("page");
        requests
            .send(Request::Count { generation, filter })
            .expect("count");
        wait_for(|r| matches!(r, Reply::Page { .. }), &mut counted);
        let started = Instant::now();
        let query = query.to_string();
        requests
            .send(Request::Search {
                generation,
                query,
                filter,
            })
            .expect("search");
        wait_for(|r| matches!(r, Reply::Search { .. }), &mut counted);
        now.push(ms(started.elapsed()));
        while counted < generation {
            wait_for(|r| matches!(r, Reply::Count { .. }), &mut counted);
        }
    }
    let mut before = Vec::new();
    let mut store = Store::open(store.path()).expect("open");
    for generation in 1..=20 {
        let started = Instant::now();
        let query = query.to_string();
        let search = Request::Search {
            generation,
            query,
            filter,
        };
        for request in [Request::Count { generation, filter }, search] {
            execute(&mut store, &request, common::today());
        }
        before.push(ms(started.elapsed()));
    }
    now.sort_by(f64::total_cmp);
    before.sort_by(f64::total_cmp);
    println!(
        "keystroke right after a reload: p50 {:.3} ms, max {:.3} (the count then the search on one connection: p50 {:.3} ms)",
        quantile(&now, 0.5),
        quantile(&now, 1.0),
        quantile(&before, 0.5)
    );
}

/// The scans an index avoids, on the same store: LIKE over every name, and
/// fuzzy-matcher over every name held in memory.
fn comparisons(store: &Store, picked: &[Sample]) {
    let two: String = picked[0].name.chars().take(2).collect();
    let mut like = store
        .conn()
        .prepare("SELECT id FROM subject WHERE name LIKE '%' || ?1 || '%' LIMIT 50")
        .expect("like");
    for q in [two.as_str(), "xqzvk"] {
        let started = Instant::now();
        let n = like
            .query_map([q], |r| r.get::<_, i64>(0))
            .expect("scan")
            .count();
        println!(
            "LIKE '%{q}%' LIMIT 50: {:.1} ms ({n} rows)",
            ms(started.elapsed())
        );
    }
    let started = Instant::now();
    let names: Vec<(i64, String)> = store
        .conn()
        .prepare("SELECT id, name_pinyin FROM subject")
        .expect("names")
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("names")
        .map(|r| r.expect("name"))
        .collect();
    let load = ms(started.elapsed());
    let matcher = SkimMatcherV2::default();
    let query = picked[0].pinyin.replace(' ', "");
    let started = Instant::now();
    let mut scored: Vec<(i64, i64)> = names
        .iter()
        .filter_map(|(id, n)| matcher.fuzzy_match(n, &query).map(|s| (s, *id)))
        .collect();
    scored.sort_unstable_by(|a, b| b.cmp(a));
    scored.truncate(50);
    println!(
        "whole-set fuzzy-matcher over {} pinyin names, \"{query}\": {:.1} ms (loading them: {load:.0} ms)",
        names.len(),
        ms(started.elapsed())
    );
}
