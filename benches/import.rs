//! The importer on a file from the generator: `cargo bench --bench import`.
//! Measures, in one run: sqlite3's own `.import` of the same file into a bare
//! table (the reference, when sqlite3 is installed), the first import into
//! an empty store (validated, merged, searchable at the end) and its raw
//! load (reading, checking and staging the rows), a re-import of
//! the same file (nothing changes), a further file of new subjects (one in
//! a hundred more) into the full store, the store's size and the process's
//! peak memory. And two floors under any first import, from the store the
//! first import made: SQLite writing its legal rows alone, and copying the
//! whole store (VACUUM INTO).
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
use zhixing::store::{LEGAL_TABLES, Store};

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

/// A floor under any first import of the file: SQLite writing the legal
/// rows (every table the seals cover: those the import fills, its officer)
/// the first import made, as they stand, into tables made from the
/// store's own definitions (keys and CHECKs), and nothing else: no reading
/// or checking of the file, no secondary index, seal, change number,
/// standing or search index, the journal off. Seconds and rows written.
fn legal_rows_floor(store_db: &Path, dir: &Path) -> (f64, i64) {
    let db = dir.join("legal-rows-floor.db");
    let _ = std::fs::remove_file(&db);
    let conn = rusqlite::Connection::open(&db).expect("floor store");
    conn.execute_batch(
        "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA foreign_keys = OFF;",
    )
    .expect("pragmas");
    conn.execute(
        "ATTACH DATABASE ?1 AS src",
        [store_db.to_str().expect("path")],
    )
    .expect("attach");
    for (_, table) in LEGAL_TABLES {
        let sql: String = conn
            .query_row(
                "SELECT sql FROM src.sqlite_schema WHERE type = 'table' AND name = ?1",
                [table],
                |r| r.get(0),
            )
            .expect("definition");
        conn.execute_batch(&sql).expect("table");
    }
    let started = Instant::now();
    conn.execute_batch("BEGIN").expect("begin");
    let mut rows = 0;
    for (_, table) in LEGAL_TABLES {
        let sql = format!("INSERT INTO main.{table} SELECT * FROM src.{table}");
        rows += conn.execute(&sql, []).expect("copy") as i64;
    }
    conn.execute_batch("COMMIT").expect("commit");
    let seconds = started.elapsed().as_secs_f64();
    drop(conn);
    let _ = std::fs::remove_file(&db);
    (seconds, rows)
}

/// A floor under any import that makes this store: SQLite copying the
/// whole store as it stands (every table and index, cell by cell in key
/// order: nothing read from the file, checked, sorted or computed) into a
/// new file with VACUUM INTO. Seconds.
fn whole_store_floor(store_db: &Path, dir: &Path) -> f64 {
    let copy = dir.join("whole-store-floor.db");
    let _ = std::fs::remove_file(&copy);
    let conn = rusqlite::Connection::open(store_db).expect("the store");
    let started = Instant::now();
    conn.execute("VACUUM INTO ?1", [copy.to_str().expect("path")])
        .expect("vacuum into");
    let seconds = started.elapsed().as_secs_f64();
    let _ = std::fs::remove_file(&copy);
    seconds
}

/// One import of `file` by `admin`, and its seconds.
fn timed_import(store: &mut Store, file: &Path, admin: i64) -> (Report, f64) {
    let started = Instant::now();
    let report = run(store, &[file.to_path_buf()], &common::import_options(admin)).expect("import");
    (report, started.elapsed().as_secs_f64())
}

/// What one run measured (seconds unless named otherwise).
#[derive(Default)]
struct Figures {
    subjects: usize,
    rows: u64,
    gen_s: f64,
    reference: Option<f64>,
    first_s: f64,
    raw_s: f64,
    floor_s: f64,
    legal_rows: i64,
    whole_s: f64,
    second_s: f64,
    more: usize,
    further_rows: u64,
    further_s: f64,
    size_mb: f64,
}

/// The generator's file of `subjects`, its rows and the seconds it took.
fn generate(dir: &Path, subjects: usize) -> (PathBuf, u64, f64) {
    let file = dir.join(format!("caseload-{subjects}.csv"));
    let mut out = std::io::BufWriter::new(std::fs::File::create(&file).expect("csv"));
    let started = Instant::now();
    let opts = GenOptions {
        subjects,
        seed: 1,
        as_of: common::today(),
    };
    let rows = write(&mut out, opts).expect("gen");
    drop(out);
    (file, rows, started.elapsed().as_secs_f64())
}

/// The first import into an empty store, the floors under it, the
/// re-import and the further file, each checked; fills `f`.
fn imports(dir: &Path, file: &Path, f: &mut Figures) {
    let db = dir.join(format!("import-{}.db", f.subjects));
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", db.display()));
    }
    let mut store = Store::open(&db).expect("store");
    let admin = common::first_admin(&mut store);
    let (first, first_s) = timed_import(&mut store, file, admin);
    eprintln!("first import: {first_s:.1} s");
    let shown = first.problems.len().min(5);
    assert!(first.problems.is_empty(), "{:?}", &first.problems[..shown]);
    (f.first_s, f.raw_s) = (first_s, first.files[0].read_seconds);
    (f.floor_s, f.legal_rows) = legal_rows_floor(&db, dir);
    f.whole_s = whole_store_floor(&db, dir);
    let (second, second_s) = timed_import(&mut store, file, admin);
    let counts = second.counts.expect("written");
    assert!(
        !counts.changed(),
        "the re-import changed the store: {counts:?}"
    );
    f.second_s = second_s;
    f.more = (f.subjects / 100).max(1);
    let further = dir.join(format!("caseload-{}-further.csv", f.subjects));
    f.further_rows = further_file(&further, f.subjects, f.rows, f.more);
    let (third, further_s) = timed_import(&mut store, &further, admin);
    let added = third.counts.expect("written");
    assert!(
        added.subjects_added > 0 && added.cases_added > 0 && added.cases_updated == 0,
        "the further file adds subjects and cases: {added:?}"
    );
    f.further_s = further_s;
    let found =
        zhixing::search::search(&store, "wang", zhixing::store::Filter::All, common::today())
            .expect("search");
    assert!(!found.hits.is_empty(), "searchable at the end");
    drop(store);
    f.size_mb = std::fs::metadata(&db).map_or(0.0, |m| m.len() as f64 / 1e6);
}

impl Figures {
    fn print(&self) {
        let rows = self.rows as f64;
        let rate = |seconds: f64| rows / seconds;
        println!(
            "import of {} rows ({} subjects), seconds:",
            self.rows, self.subjects
        );
        println!("  generate the file            {:>8.2}", self.gen_s);
        match self.reference {
            Some(r) => println!(
                "  sqlite3 .import (reference)  {r:>8.2}   {:>9.0} rows/s",
                rate(r)
            ),
            None => println!("  sqlite3 .import (reference)  not measured (no sqlite3)"),
        }
        let line = |what: &str, seconds: f64, rate: f64, after: &str| {
            println!("  {what:<28} {seconds:>8.2}   {rate:>9.0} rows/s{after}");
        };
        line(
            "first import, empty store",
            self.first_s,
            rate(self.first_s),
            "",
        );
        line(
            "  of which the raw load",
            self.raw_s,
            rate(self.raw_s),
            " (read, check, stage)",
        );
        let legal = format!(" ({} rows written, nothing else)", self.legal_rows);
        line(
            "floor: its legal rows alone",
            self.floor_s,
            rate(self.floor_s),
            &legal,
        );
        let whole = " (VACUUM INTO, every table and index)";
        line(
            "floor: the store, copied",
            self.whole_s,
            rate(self.whole_s),
            whole,
        );
        line(
            "re-import, nothing changes",
            self.second_s,
            rate(self.second_s),
            "",
        );
        let further = format!(" ({} new subjects, {} rows)", self.more, self.further_rows);
        let further_rate = self.further_rows as f64 / self.further_s;
        line(
            "a further file, 1 % more",
            self.further_s,
            further_rate,
            &further,
        );
        println!("  store size                   {:>8.0} MB", self.size_mb);
        println!(
            "  peak memory of the process   {:>8.0} MB",
            common::memory_mb("VmHWM:")
        );
    }
}

fn main() {
    let bench = common::benching();
    let subjects = common::bench_subjects(bench, 2_000);
    let dir = common::work_dir(bench);
    let (file, rows, gen_s) = generate(&dir, subjects);
    let reference = sqlite3_import(&file, &dir);
    eprintln!("generated {rows} rows in {gen_s:.1} s; sqlite3 .import: {reference:?} s");
    let mut figures = Figures {
        subjects,
        rows,
        gen_s,
        reference,
        ..Figures::default()
    };
    imports(&dir, &file, &mut figures);
    figures.print();
    if !bench {
        let _ = std::fs::remove_dir_all(&dir);
    }
}
