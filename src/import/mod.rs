//! `zhixing import`: files in import format 1 (import-format.md) into the
//! store. Streams each file line by line, checks every row, stages the good
//! ones on disk, checks across rows, then merges all files in one
//! transaction: all or nothing, or with `--skip-invalid` the good rows and a
//! rejects file for the rest.

pub mod columns;
pub mod csv;
pub mod decode;
pub mod harness;
pub mod jsonl;

mod read;
pub mod row;
mod row_case;
mod stage;

pub use decode::Encoding;

use crate::domain::roles::Power;
use crate::store::Store;
use crate::store::import::{ImportCounts, MergeOptions, report_time};
use chrono::NaiveDate;
use std::path::PathBuf;

#[derive(Debug, Clone)]
pub struct ImportOptions {
    /// Force an encoding instead of detecting it.
    pub encoding: Option<Encoding>,
    /// Write the good rows, and the failing ones to `rejects`.
    pub skip_invalid: bool,
    pub rejects: Option<PathBuf>,
    pub dry_run: bool,
    pub officer_id: Option<i64>,
    pub today: NaiveDate,
    /// ISO time of the import.
    pub now: String,
    /// Draw a progress line on stderr.
    pub progress: bool,
}

/// One line of the report: `FILE:LINE: column: problem`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    pub file: String,
    pub line: u64,
    pub column: String,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}: {}: {}",
            self.file, self.line, self.column, self.message
        )
    }
}

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct FileReport {
    pub file: String,
    pub format: String,
    pub encoding: String,
    pub sha256: String,
    pub rows: u64,
    pub rejected: u64,
    pub warnings: Vec<String>,
    /// How long reading, checking and staging the file took: the raw
    /// load the benchmarks compare with `sqlite3 .import`.
    #[serde(skip)]
    pub read_seconds: f64,
}

/// What happened: the files read, every problem, and what the merge did
/// (None when nothing was written because of the problems).
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Report {
    pub files: Vec<FileReport>,
    pub problems: Vec<Problem>,
    /// A problem with a whole file (encoding, quoting, header): no row of it
    /// can be trusted, so nothing is written even with --skip-invalid.
    pub fatal: bool,
    pub dry_run: bool,
    pub counts: Option<ImportCounts>,
}

impl Report {
    /// Whether the store was (or, in a dry run, would be) written.
    pub fn written(&self) -> bool {
        self.counts.is_some()
    }
}

/// Imports the files; Err only for failures of the store or the file
/// system, never for bad input (that is in the report).
pub fn run(
    store: &mut Store,
    files: &[PathBuf],
    opts: &ImportOptions,
) -> crate::store::Result<Report> {
    if !opts.dry_run {
        store.authorize(opts.officer_id, Power::Import, &opts.now)?;
    }
    store.import_begin()?;
    let result = run_staged(store, files, opts).map_err(|e| disk_full(store, e));
    store.import_end()?;
    result
}

/// A full disk, said so with what to do: the merge is one transaction and
/// the staging is temporary, so nothing of the import is in the store.
fn disk_full(store: &Store, e: crate::store::StoreError) -> crate::store::StoreError {
    if !e.is_disk_full() {
        return e;
    }
    crate::store::StoreError::DiskFull {
        path: store.path().to_path_buf(),
        what: "nothing of this import was written and the store is as it was. Free space \
               (a first import needs about ten times its file's size, on the store's disk \
               and the one for temporary files) and import again"
            .into(),
    }
}

fn run_staged(
    store: &mut Store,
    files: &[PathBuf],
    opts: &ImportOptions,
) -> crate::store::Result<Report> {
    let mut report = Report {
        dry_run: opts.dry_run,
        ..Default::default()
    };
    let mut rejects = stage::Rejects::default();
    let size = files
        .iter()
        .filter_map(|f| std::fs::metadata(f).ok())
        .map(|m| m.len())
        .sum();
    let steps = crate::progress::Steps::new(opts.progress, size);
    for (number, path) in files.iter().enumerate() {
        let started = std::time::Instant::now();
        let mut file = read::read_file(store, number as u32, path, opts, &mut rejects)?;
        report_time("read, check and stage", started);
        file.report.read_seconds = started.elapsed().as_secs_f64();
        report.fatal |= file.fatal;
        report.problems.extend(file.problems);
        report.files.push(file.report);
    }
    steps.show("checks across rows");
    let started = std::time::Instant::now();
    let conflicts = store.import_conflicts()?;
    report_time("checks across rows", started);
    stage::add_conflicts(store, &mut report, &mut rejects, conflicts)?;
    if report.fatal || (!report.problems.is_empty() && !opts.skip_invalid) {
        return Ok(report);
    }
    if let Some(path) = &opts.rejects
        && !opts.dry_run
    {
        rejects
            .write(path)
            .map_err(|e| crate::store::StoreError::Rule(format!("{}: {e}", path.display())))?;
    }
    let merge = MergeOptions {
        dry_run: opts.dry_run,
        officer_id: opts.officer_id,
        now: opts.now.clone(),
        today: opts.today.to_string(),
        files: report
            .files
            .iter()
            .map(|f| (f.file.clone(), f.sha256.clone(), f.rows, f.rejected))
            .collect(),
    };
    report.counts = Some(store.import_merge(&merge, &|step| steps.show(step))?);
    Ok(report)
}
