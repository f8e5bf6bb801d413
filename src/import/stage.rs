//! Checked rows into the staging form, the rejects file, and the problems
//! found across rows.

use super::csv::quote;
use super::row::ImportRow;
use super::{Problem, Report};
use crate::domain::dates::iso;
use crate::search::pinyin;
use crate::store::Store;
use crate::store::import::{Conflict, StageRow};
use std::io::Write;
use std::path::Path;

/// The staging form of a checked row, taking its texts over.
pub fn to_stage(file: u32, r: ImportRow, original: String) -> StageRow {
    let json_list = |items: &[&str]| serde_json::to_string(items).unwrap_or_else(|_| "[]".into());
    let phones: Vec<&str> = r.phones.iter().map(String::as_str).collect();
    let (rep_name, rep_id) = r
        .legal_rep
        .map_or((None, None), |(n, id)| (Some(n), Some(id)));
    let listing = r.listing.as_ref();
    StageRow {
        file,
        line: r.line,
        kind: r.kind.into(),
        name_pinyin: pinyin::spaced(&r.name),
        name: r.name,
        id_number: r.id_number,
        id_warning: r.id_warning,
        sex: r.sex.map(str::to_string),
        birth_date: r.birth_date.map(iso),
        phones: json_list(&phones),
        address: r.address,
        rep_pinyin: rep_name.as_deref().map(pinyin::spaced),
        rep_sex: rep_id.as_ref().map(|id| id.sex().as_str().to_string()),
        rep_birth: rep_id.as_ref().map(|id| iso(id.birth_date())),
        rep_id: rep_id.map(|id| id.as_str().to_string()),
        rep_name,
        court_code: r.court_code,
        court_name: r.court_name,
        case_number: r.case.to_string(),
        case_year: i64::from(r.case.year),
        case_type: r.case.case_type,
        case_seq: i64::from(r.case.sequence),
        filed_on: iso(r.filed_on),
        applicant: r.applicant,
        basis: r.basis,
        obligation: r.obligation,
        amount_fen: r.amount.map(|a| a.0),
        paid_fen: r.paid.0,
        listed_on: listing.map(|l| iso(l.decided_on)),
        ground: listing.map(|l| i64::from(l.ground)),
        years: listing.and_then(|l| l.years).map(i64::from),
        expires_on: listing.and_then(|l| l.expires_on).map(iso),
        restrictions: json_list(&r.restrictions),
        original,
    }
}

/// The failing rows, unchanged, each after a leading error: CSV with the
/// header of the first CSV file read, or JSON Lines with an "error" key.
#[derive(Debug, Default)]
pub struct Rejects {
    header: Option<String>,
    rows: Vec<(String, String, bool)>,
}

impl Rejects {
    pub fn set_header(&mut self, names: &[String]) {
        if self.header.is_none() {
            self.header = Some(names.iter().map(|n| quote(n)).collect::<Vec<_>>().join(","));
        }
    }

    pub fn add(&mut self, error: String, original: String, json: bool) {
        self.rows.push((error, original, json));
    }

    /// Written to a temporary file and renamed: a reader never sees half.
    pub fn write(&self, path: &Path) -> std::io::Result<()> {
        let folder = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let mut tmp = tempfile::NamedTempFile::new_in(folder)?;
        if let Some(header) = &self.header {
            writeln!(tmp, "error,{header}")?;
        }
        for (error, original, json) in &self.rows {
            if *json {
                let rest = original.trim_start().strip_prefix('{').unwrap_or(original);
                let sep = if rest.trim_start().starts_with('}') {
                    ""
                } else {
                    ","
                };
                writeln!(
                    tmp,
                    "{{\"error\":{}{sep}{rest}",
                    serde_json::Value::from(error.as_str())
                )?;
            } else {
                writeln!(tmp, "{},{original}", quote(error))?;
            }
        }
        tmp.flush()?;
        tmp.persist(path).map_err(|e| e.error)?;
        Ok(())
    }
}

/// Problems across rows join the report; with --skip-invalid their rows
/// leave the staging table for the rejects file.
pub fn add_conflicts(
    store: &mut Store,
    report: &mut Report,
    rejects: &mut Rejects,
    conflicts: Vec<Conflict>,
) -> crate::store::Result<()> {
    if conflicts.is_empty() {
        return Ok(());
    }
    let mut lines = Vec::new();
    for c in &conflicts {
        let file = &report.files[c.file as usize];
        report.problems.push(Problem {
            file: file.file.clone(),
            line: c.line,
            column: c.column.clone(),
            message: c.message.clone(),
        });
        lines.push((c.file, c.line));
    }
    lines.dedup();
    for (file, line, original) in store.import_discard(&lines)? {
        let report_file = &mut report.files[file as usize];
        report_file.rejected += 1;
        let why: Vec<String> = conflicts
            .iter()
            .filter(|c| c.file == file && c.line == line)
            .map(|c| format!("{}: {}", c.column, c.message))
            .collect();
        rejects.add(why.join("; "), original, report_file.format == "jsonl");
    }
    Ok(())
}
