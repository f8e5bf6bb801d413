//! Shared by the harnesses that load a store from the generator's file.
#![allow(dead_code)]

use chrono::NaiveDate;
use std::path::{Path, PathBuf};
use std::time::Duration;
use zhixing::demo::generate_csv::{GenOptions, write};
use zhixing::domain::roles::Role;
use zhixing::import::{ImportOptions, run};
use zhixing::store::Store;
use zhixing::store::officers::NewOfficer;

/// Whether cargo runs the harness as a benchmark (`cargo bench`) rather
/// than as a test of it (`cargo test --all-targets`).
pub fn benching() -> bool {
    std::env::args().any(|a| a == "--bench")
}

/// The store's size: ZHIXING_BENCH_SUBJECTS (a million unless set) when
/// benching, `as_test` when run as a test.
pub fn bench_subjects(bench: bool, as_test: usize) -> usize {
    match (bench, std::env::var("ZHIXING_BENCH_SUBJECTS")) {
        (true, Ok(n)) => n.parse().expect("ZHIXING_BENCH_SUBJECTS is a number"),
        (true, Err(_)) => 1_000_000,
        (false, _) => as_test,
    }
}

/// Where a harness keeps its files: target/bench when benching (stores are
/// reused from there), else a new temporary folder, kept for the harness to
/// remove.
pub fn work_dir(bench: bool) -> PathBuf {
    let dir = if bench {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench")
    } else {
        tempfile::tempdir().expect("temp dir").keep()
    };
    std::fs::create_dir_all(&dir).expect("bench folder");
    dir
}

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 27).unwrap_or_default()
}

/// The first admin of a new store, who runs the import.
pub fn first_admin(store: &mut Store) -> i64 {
    let admin = NewOfficer {
        login: "admin",
        name: "bench",
        role: Role::Admin,
        pin: "246810",
    };
    store
        .create_first_admin(&admin, "2026-11-27T09:00:00+08:00")
        .expect("the first admin")
        .id
}

pub fn import_options(officer_id: i64) -> ImportOptions {
    ImportOptions {
        encoding: None,
        skip_invalid: false,
        rejects: None,
        dry_run: false,
        officer_id: Some(officer_id),
        today: today(),
        now: "2026-11-27T10:00:00+08:00".into(),
        progress: false,
    }
}

/// A line of /proc/self/status, in MB: VmRSS (now) or VmHWM (peak).
pub fn memory_mb(field: &str) -> f64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1)?.parse::<f64>().ok())
        })
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

/// The `q` quantile (0 to 1) of samples sorted ascending; NaN for none.
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    sorted
        .get(((sorted.len() as f64 - 1.0) * q).round() as usize)
        .copied()
        .unwrap_or(f64::NAN)
}

pub fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The store of `subjects`, made from the generator's file by the importer.
pub fn build(db: &Path, subjects: usize) {
    let csv = db.with_extension("csv");
    let mut out = std::io::BufWriter::new(std::fs::File::create(&csv).expect("csv"));
    let opts = GenOptions {
        subjects,
        seed: 1,
        as_of: today(),
    };
    write(&mut out, opts).expect("gen");
    drop(out);
    let mut store = Store::open(db).expect("store");
    let admin = first_admin(&mut store);
    let opts = import_options(admin);
    let report = run(&mut store, std::slice::from_ref(&csv), &opts).expect("import");
    assert!(report.problems.is_empty(), "{:?}", report.problems.first());
    let _ = std::fs::remove_file(&csv);
}
