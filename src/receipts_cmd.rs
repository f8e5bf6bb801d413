//! `zhixing notices receipts`: the carriers' and printers' answers about
//! exported notices, all marked or none.

use crate::cli::NoticesWhat;
use anyhow::{Context, bail};
use chrono::NaiveDate;
use std::path::Path;
use std::process::ExitCode;
use zhixing::import::csv::RecordBuilder;
use zhixing::import::decode::Lines;
use zhixing::words::count;

pub fn receipts(
    db: &Path,
    what: NoticesWhat,
    officer: Option<&str>,
    today: NaiveDate,
) -> anyhow::Result<ExitCode> {
    let NoticesWhat::Receipts { file } = what;
    let (mut store, officer_id) = crate::export_cmd::open(db, officer, None, today)?;
    let name = file.display().to_string();
    let (rows, mut problems) = read_receipts(&file)?;
    if problems.is_empty() {
        match store.apply_receipts(&rows, officer_id, &zhixing::store::acts::now_on(today))? {
            Ok(n) => {
                println!(
                    "{} read, {} marked sent or failed",
                    count(rows.len(), "receipt"),
                    count(n, "notice")
                );
                return Ok(ExitCode::SUCCESS);
            }
            Err(found) => {
                problems = found
                    .into_iter()
                    .map(|(l, m)| (l, "notice".to_string(), m))
                    .collect()
            }
        }
    }
    for (line, column, message) in &problems {
        eprintln!("{name}:{line}: {column}: {message}");
    }
    eprintln!("{}; no notice was marked", count(problems.len(), "problem"));
    Ok(ExitCode::from(1))
}

type Receipt = (u64, i64, i64, bool, Option<String>);
/// (line, column, problem)
type LineProblem = (u64, String, String);

/// The receipts file: a header `batch,notice,status,reason`, then one
/// receipt a row.
fn read_receipts(path: &Path) -> anyhow::Result<(Vec<Receipt>, Vec<LineProblem>)> {
    let shown = path.display().to_string();
    let file = std::fs::File::open(path).with_context(|| format!("cannot open {shown}"))?;
    let mut lines = Lines::new(std::io::BufReader::new(file), None)
        .map_err(|e| anyhow::anyhow!("{shown}: {e}"))?;
    let mut builder = RecordBuilder::default();
    let (mut rows, mut problems) = (Vec::new(), Vec::new());
    let mut seen_header = false;
    while let Some((line_no, text)) = lines
        .next_line()
        .map_err(|e| anyhow::anyhow!("{shown}: {e}"))?
    {
        let record = builder
            .push_line(line_no, &text)
            .map_err(|e| anyhow::anyhow!("{shown}:{}: {}", e.line(), e.message()))?;
        let Some((line, cells)) = record.filter(|(_, c)| c.iter().any(|c| !c.trim().is_empty()))
        else {
            continue;
        };
        if !seen_header {
            let names: Vec<String> = cells
                .iter()
                .map(|c| c.trim().to_ascii_lowercase())
                .collect();
            if names.len() < 3 || names[..3] != ["batch", "notice", "status"] {
                bail!("{shown}:{line}: header: must be batch,notice,status,reason");
            }
            seen_header = true;
            continue;
        }
        match receipt_row(line, &cells) {
            Ok(r) => rows.push(r),
            Err(found) => problems.extend(found),
        }
    }
    Ok((rows, problems))
}

fn receipt_row(line: u64, cells: &[String]) -> Result<Receipt, Vec<LineProblem>> {
    let cell = |i: usize| {
        cells
            .get(i)
            .map(|c| c.trim().to_string())
            .unwrap_or_default()
    };
    let number = |i: usize, what: &str| {
        cell(i).parse::<i64>().map_err(|_| {
            (
                line,
                what.to_string(),
                format!("\"{}\" is not a number", cell(i)),
            )
        })
    };
    let status = match cell(2).as_str() {
        "sent" => Ok(true),
        "failed" => Ok(false),
        other => Err((
            line,
            "status".to_string(),
            format!("\"{other}\" is neither sent nor failed"),
        )),
    };
    match (number(0, "batch"), number(1, "notice"), status) {
        (Ok(b), Ok(n), Ok(s)) => Ok((line, b, n, s, Some(cell(3)).filter(|r| !r.is_empty()))),
        (b, n, s) => Err([b.err(), n.err(), s.err()].into_iter().flatten().collect()),
    }
}
