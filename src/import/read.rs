//! One file, line by line: decode, assemble rows (CSV or JSON Lines), check
//! each, stage the good ones in batches, report the rest. Reading and
//! checking run on a thread of their own while the caller's thread stages
//! the batches: on two cores the two halves overlap.

use super::columns::{Header, RawRow, parse_header};
use super::csv::{RecordBuilder, quote};
use super::decode::{DecodeError, Lines};
use super::stage::{Rejects, to_stage};
use super::{FileReport, ImportOptions, Problem, jsonl, row};
use crate::progress::Progress;
use crate::store::import::StageRow;
use crate::store::{Store, StoreError};
use std::io::BufReader;
use std::path::Path;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

/// Rows staged per transaction on the temporary table.
const BATCH: usize = 10_000;
/// Batches checked and waiting to be staged, at most: bounds the memory
/// whatever the file's size.
const WAITING_BATCHES: usize = 2;

pub struct FileResult {
    pub report: FileReport,
    pub problems: Vec<Problem>,
    pub fatal: bool,
}

/// The staging side has stopped (its own error says why): stop reading.
struct StagingStopped;

struct Reader<'a> {
    number: u32,
    name: String,
    opts: &'a ImportOptions,
    rejects: &'a mut Rejects,
    result: FileResult,
    batch: Vec<StageRow>,
    staging: SyncSender<Vec<StageRow>>,
    progress: Progress,
}

pub fn read_file(
    store: &mut Store,
    number: u32,
    path: &Path,
    opts: &ImportOptions,
    rejects: &mut Rejects,
) -> crate::store::Result<FileResult> {
    let (staging, batches) = sync_channel(WAITING_BATCHES);
    std::thread::scope(|scope| {
        let reading = std::thread::Builder::new()
            .name("import-read".into())
            .spawn_scoped(scope, move || {
                read_checked(number, path, opts, rejects, staging)
            })
            .map_err(|e| {
                let path = path.display();
                StoreError::Rule(format!("{path}: cannot start a thread to read it ({e})"))
            })?;
        let staged = stage_all(store, batches);
        let result = reading
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        staged.map(|()| result)
    })
}

/// Stages each batch as it arrives; on a failure the receiver is dropped,
/// which stops the reader at its next batch.
fn stage_all(store: &mut Store, batches: Receiver<Vec<StageRow>>) -> crate::store::Result<()> {
    batches
        .into_iter()
        .try_for_each(|batch| store.import_stage(&batch))
}

fn read_checked(
    number: u32,
    path: &Path,
    opts: &ImportOptions,
    rejects: &mut Rejects,
    staging: SyncSender<Vec<StageRow>>,
) -> FileResult {
    let name = path.display().to_string();
    let json = matches!(
        path.extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .as_deref(),
        Some("jsonl" | "ndjson")
    );
    let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let mut r = Reader {
        number,
        name: name.clone(),
        opts,
        rejects,
        result: FileResult {
            report: FileReport {
                file: name,
                format: if json { "jsonl" } else { "csv" }.into(),
                ..Default::default()
            },
            problems: Vec::new(),
            fatal: false,
        },
        batch: Vec::with_capacity(BATCH),
        staging,
        progress: Progress::new(opts.progress, size),
    };
    if path.is_dir() {
        r.fatal(1, "file", "is a folder; name the files in it to import");
        return r.result;
    }
    let file = match std::fs::File::open(path) {
        Ok(f) => f,
        Err(e) => {
            r.fatal(1, "file", format!("cannot be opened: {e}"));
            return r.result;
        }
    };
    let lines = match Lines::new(BufReader::with_capacity(1 << 16, file), opts.encoding) {
        Ok(l) => l,
        Err(e) => {
            r.decode_failed(e);
            return r.result;
        }
    };
    r.result.report.encoding = lines.encoding.name().into();
    // Stopped staging: the caller reports the store's error, not this.
    let _ = if json {
        r.read_jsonl(lines)
    } else {
        r.read_csv(lines)
    }
    .and_then(|()| r.flush());
    r.progress.done();
    r.result
}

impl Reader<'_> {
    fn problem(&mut self, line: u64, column: &str, message: impl Into<String>) {
        self.result.problems.push(Problem {
            file: self.name.clone(),
            line,
            column: column.into(),
            message: message.into(),
        });
    }

    fn fatal(&mut self, line: u64, column: &str, message: impl Into<String>) {
        self.problem(line, column, message);
        self.result.fatal = true;
    }

    fn decode_failed(&mut self, e: DecodeError) {
        let line = match &e {
            DecodeError::Binary { line, .. }
            | DecodeError::Unknown { line, .. }
            | DecodeError::Invalid { line, .. } => *line,
            DecodeError::Io(_) => 1,
        };
        self.fatal(line, "encoding", e.to_string());
    }

    fn next<R: std::io::BufRead>(&mut self, lines: &mut Lines<R>) -> Option<(u64, String)> {
        match lines.next_line() {
            Ok(Some(l)) => {
                self.progress.tick(lines.offset);
                Some(l)
            }
            Ok(None) => None,
            Err(e) => {
                self.decode_failed(e);
                None
            }
        }
    }

    fn read_csv<R: std::io::BufRead>(&mut self, mut lines: Lines<R>) -> Result<(), StagingStopped> {
        let mut builder = RecordBuilder::default();
        let mut header: Option<Header> = None;
        let mut last_line = 0;
        while let Some((line_no, text)) = self.next(&mut lines) {
            last_line = line_no;
            if !builder.in_quoted_field() && text.trim().is_empty() {
                continue;
            }
            let record = match builder.push_line(line_no, &text) {
                Ok(Some(record)) => record,
                Ok(None) => continue,
                Err(e) => {
                    self.fatal(e.line(), "quoting", e.message());
                    return Ok(());
                }
            };
            match &header {
                None => match parse_header(&record.1) {
                    Ok(h) => {
                        self.rejects.set_header(&h.names);
                        header = Some(h);
                    }
                    Err(problems) => {
                        for (column, message) in problems {
                            self.fatal(record.0, &column, message);
                        }
                        return Ok(());
                    }
                },
                Some(h) => {
                    let h = h.clone();
                    self.csv_row(&h, record.0, record.1)?;
                }
            }
        }
        if let Err(e) = builder.finish() {
            self.fatal(e.line(), "quoting", e.message());
        }
        self.result.report.sha256 = lines.digest();
        if self.result.fatal {
            return Ok(());
        }
        match header {
            None => self.fatal(
                1,
                "file",
                "the file is empty; its first row must name the columns",
            ),
            Some(_) if self.result.report.rows == 0 => self.fatal(
                last_line.max(1),
                "file",
                "there are no rows after the header: nothing to import",
            ),
            Some(_) => {}
        }
        Ok(())
    }

    fn csv_row(
        &mut self,
        h: &Header,
        line: u64,
        mut cells: Vec<String>,
    ) -> Result<(), StagingStopped> {
        self.result.report.rows += 1;
        // The row as written goes to the rejects file only with --skip-invalid.
        let original = if self.opts.skip_invalid {
            cells.iter().map(|c| quote(c)).collect::<Vec<_>>().join(",")
        } else {
            String::new()
        };
        if cells.len() != h.width {
            let message = format!(
                "has {} fields, the header {}: a missing or extra comma, or a line cut short",
                cells.len(),
                h.width
            );
            self.reject(line, vec![("row".into(), message)], original, false);
            return Ok(());
        }
        let mut raw = RawRow::new(line);
        for (i, column) in &h.positions {
            raw.set_owned(*column, std::mem::take(&mut cells[*i]));
        }
        self.check(raw, original, false)
    }

    fn read_jsonl<R: std::io::BufRead>(
        &mut self,
        mut lines: Lines<R>,
    ) -> Result<(), StagingStopped> {
        let mut any = false;
        while let Some((line_no, text)) = self.next(&mut lines) {
            if text.trim().is_empty() {
                continue;
            }
            any = true;
            match jsonl::rows(line_no, &text) {
                Ok(rows) => {
                    for raw in rows {
                        self.result.report.rows += 1;
                        self.check(raw, text.clone(), true)?;
                    }
                }
                Err(problems) => {
                    self.result.report.rows += 1;
                    let problems = problems
                        .into_iter()
                        .map(|p| (p.column, p.message))
                        .collect();
                    self.reject(line_no, problems, text, true);
                }
            }
        }
        self.result.report.sha256 = lines.digest();
        if !any && !self.result.fatal {
            self.fatal(1, "file", "the file is empty: no subject to import");
        }
        Ok(())
    }

    fn check(&mut self, raw: RawRow, original: String, json: bool) -> Result<(), StagingStopped> {
        match row::check(&raw, self.opts.today) {
            Ok(checked) => {
                for w in &checked.warnings {
                    self.result
                        .report
                        .warnings
                        .push(format!("{}:{}: {w}", self.name, raw.line));
                }
                self.batch.push(to_stage(self.number, checked, original));
                if self.batch.len() >= BATCH {
                    self.flush()?;
                }
            }
            Err(problems) => {
                let problems = problems
                    .into_iter()
                    .map(|p| (p.column, p.message))
                    .collect();
                self.reject(raw.line, problems, original, json);
            }
        }
        Ok(())
    }

    fn reject(&mut self, line: u64, problems: Vec<(String, String)>, original: String, json: bool) {
        self.result.report.rejected += 1;
        let summary = problems
            .iter()
            .map(|(c, m)| format!("{c}: {m}"))
            .collect::<Vec<_>>()
            .join("; ");
        for (column, message) in problems {
            self.problem(line, &column, message);
        }
        self.rejects.add(summary, original, json);
    }

    fn flush(&mut self) -> Result<(), StagingStopped> {
        if !self.batch.is_empty() {
            let full = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH));
            self.staging.send(full).map_err(|_| StagingStopped)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::generate_csv::{GenOptions, write};
    use chrono::NaiveDate;

    /// A store that cannot stage (here: no staging table) stops the
    /// reading thread, which by then waits on a full queue: the store's
    /// error comes back instead of a hang.
    #[test]
    fn a_staging_failure_stops_the_reading_thread() {
        let dir = tempfile::tempdir().unwrap();
        let csv = dir.path().join("rows.csv");
        let today = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        let mut out = std::io::BufWriter::new(std::fs::File::create(&csv).unwrap());
        let options = GenOptions {
            subjects: 30_000,
            seed: 1,
            as_of: today,
        };
        let rows = write(&mut out, options).unwrap();
        drop(out);
        assert!(rows as usize > (WAITING_BATCHES + 2) * BATCH, "{rows} rows");
        let mut store = Store::open(&dir.path().join("s.db")).unwrap();
        let opts = ImportOptions {
            encoding: None,
            skip_invalid: false,
            rejects: None,
            dry_run: true,
            officer_id: None,
            today,
            now: "2026-11-27T10:00:00+08:00".into(),
            progress: false,
        };
        let failed = read_file(&mut store, 0, &csv, &opts, &mut Rejects::default());
        let message = failed.err().expect("staging fails").to_string();
        assert!(message.contains("import_row"), "{message}");
    }
}
