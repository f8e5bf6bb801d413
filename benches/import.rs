//! The importer on a file from the generator: `cargo bench --bench import`.
//! Measures, in one run: sqlite3's own `.import` of the same file into a bare
//! table (the reference, when sqlite3 is installed), the first import into
//! an empty store (validated, merged, searchable at the end) and its raw
//! load (reading, checking and staging the rows), a re-import of
//! the same file (nothing changes), a further file of new subjects (one in
//! a hundred more) into the full store, the store's size and the process's
//! peak memory.
//!
//! ZHIXING_BENCH_SUBJECTS (default 1,000,000) sets the file's size. Run as a
//! test (`cargo test --all-targets`) it only checks, on a small file, that
//! the first import loads every row and the second changes nothing.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;
use zhixing::demo::generate_csv::{GenOptions, write};
use zhixing::import::{Report, run};
use zhixing::store::Store;

fn sqlite3_import(file: &Path, dir: &Path) -> Option<f64> {
    let db = dir.join("sqlite3-reference.db");
    let _ = std::fs::remove_file(&db);
    let started = Instant::now();
    let status = Command::new("sqlite3")
        .arg(&db)
        .args([".mode csv", &format!(".import {} t", file.display())])
        .status()
        .ok()?;
    let seconds = started.elapsed().as_secs_f64();
    let _ = std::fs::remove_file(&db);
    status.success().then_some(seconds)
}

/// Drops the first `skip` lines after the header: the generator's file
/// for more subjects, less the rows of the first ones, is a further file
/// whose subjects and cases are all new (the same seed draws the same
/// first subjects; case numbers and ID numbers continue from them).
struct SkipLines<W> {
    out: W,
    header_done: bool,
    skip: u64,
}

impl<W: std::io::Write> std::io::Write for SkipLines<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let mut rest = buf;
        while !rest.is_empty() && (!self.header_done || self.skip > 0) {
            let end = rest.iter().position(|&b| b == b'\n').map(|i| i + 1);
            let (line, after) = rest.split_at(end.unwrap_or(rest.len()));
            if !self.header_done {
                self.out.write_all(line)?;
                self.header_done = end.is_some();
            } else if end.is_some() {
                self.skip -= 1;
            }
            rest = after;
        }
        self.out.write_all(rest)?;
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.out.flush()
    }
}

/// Writes the further file of `more` new subjects after the first
/// `subjects` (whose file had `rows` rows); returns its rows.
fn further_file(file: &Path, subjects: usize, rows: u64, more: usize) -> u64 {
    let out = std::io::BufWriter::new(std::fs::File::create(file).expect("csv"));
    let mut skipping = SkipLines {
        out,
        header_done: false,
        skip: rows,
    };
    let all = write(
        &mut skipping,
        GenOptions {
            subjects: subjects + more,
            seed: 1,
            as_of: common::today(),
        },
    )
    .expect("gen");
    std::io::Write::flush(&mut skipping).expect("flush");
    all - rows
}

/// One import of `file` by `admin`, and its seconds.
fn timed_import(store: &mut Store, file: &Path, admin: i64) -> (Report, f64) {
    let started = Instant::now();
    let report = run(store, &[file.to_path_buf()], &common::import_options(admin)).expect("import");
    (report, started.elapsed().as_secs_f64())
}

fn main() {
    let bench = std::env::args().any(|a| a == "--bench");
    let subjects: usize = match (bench, std::env::var("ZHIXING_BENCH_SUBJECTS")) {
        (true, Ok(n)) => n.parse().expect("ZHIXING_BENCH_SUBJECTS is a number"),
        (true, Err(_)) => 1_000_000,
        (false, _) => 2_000,
    };
    let dir: PathBuf = if bench {
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/bench")
    } else {
        tempfile::tempdir().expect("temp dir").keep()
    };
    std::fs::create_dir_all(&dir).expect("bench folder");
    let file = dir.join(format!("caseload-{subjects}.csv"));
    let mut out = std::io::BufWriter::new(std::fs::File::create(&file).expect("csv"));
    let started = Instant::now();
    let rows = write(
        &mut out,
        GenOptions {
            subjects,
            seed: 1,
            as_of: common::today(),
        },
    )
    .expect("gen");
    drop(out);
    let gen_s = started.elapsed().as_secs_f64();
    let reference = sqlite3_import(&file, &dir);
    eprintln!("generated {rows} rows in {gen_s:.1} s; sqlite3 .import: {reference:?} s");

    let db = dir.join(format!("import-{subjects}.db"));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
    let mut store = Store::open(&db).expect("store");
    let admin = common::first_admin(&mut store);
    let (first, first_s) = timed_import(&mut store, &file, admin);
    eprintln!("first import: {first_s:.1} s");
    assert!(
        first.problems.is_empty(),
        "{:?}",
        &first.problems[..first.problems.len().min(5)]
    );
    let (second, second_s) = timed_import(&mut store, &file, admin);
    let counts = second.counts.expect("written");
    assert!(
        !counts.changed(),
        "the re-import changed the store: {counts:?}"
    );
    let more = (subjects / 100).max(1);
    let further = dir.join(format!("caseload-{subjects}-further.csv"));
    let further_rows = further_file(&further, subjects, rows, more);
    let (third, further_s) = timed_import(&mut store, &further, admin);
    let added = third.counts.expect("written");
    assert!(
        added.subjects_added > 0 && added.cases_added > 0 && added.cases_updated == 0,
        "the further file adds subjects and cases: {added:?}"
    );
    let found =
        zhixing::search::search(&store, "wang", zhixing::store::Filter::All, common::today())
            .expect("search");
    assert!(!found.hits.is_empty(), "searchable at the end");
    drop(store);
    let size_mb = std::fs::metadata(&db).map_or(0.0, |m| m.len() as f64 / 1e6);

    println!("import of {rows} rows ({subjects} subjects), seconds:");
    println!("  generate the file            {gen_s:>8.2}");
    match reference {
        Some(r) => println!(
            "  sqlite3 .import (reference)  {r:>8.2}   {:>9.0} rows/s",
            rows as f64 / r
        ),
        None => println!("  sqlite3 .import (reference)  not measured (no sqlite3)"),
    }
    let raw_s = first.files[0].read_seconds;
    println!(
        "  first import, empty store    {first_s:>8.2}   {:>9.0} rows/s",
        rows as f64 / first_s
    );
    println!(
        "    of which the raw load      {raw_s:>8.2}   {:>9.0} rows/s (read, check, stage)",
        rows as f64 / raw_s
    );
    println!(
        "  re-import, nothing changes   {second_s:>8.2}   {:>9.0} rows/s",
        rows as f64 / second_s
    );
    println!(
        "  a further file, 1 % more     {further_s:>8.2}   {:>9.0} rows/s ({more} new subjects, {further_rows} rows)",
        further_rows as f64 / further_s
    );
    println!("  store size                   {size_mb:>8.0} MB");
    println!(
        "  peak memory of the process   {:>8.0} MB",
        common::memory_mb("VmHWM:")
    );
    if !bench {
        let _ = std::fs::remove_dir_all(&dir);
    }
}
