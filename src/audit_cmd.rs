//! `zhixing audit show`: the log's entries, filtered, as text or JSON.

use anyhow::bail;
use chrono::NaiveDate;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use zhixing::store::audit_log::AuditFilter;

pub fn show(
    path: &Path,
    subject: Option<&str>,
    officer: Option<String>,
    since: Option<NaiveDate>,
    json: bool,
) -> anyhow::Result<ExitCode> {
    let store = crate::commands::open_existing(path)?;
    let subject_id = match subject {
        None => None,
        Some(text) => match store.subject_key(text)? {
            Some(key) => Some(key),
            None => bail!("no subject has the ID number or key \"{text}\""),
        },
    };
    if let Some(login) = &officer
        && !store.officers()?.iter().any(|o| &o.login == login)
    {
        bail!("no officer has the login \"{login}\"");
    }
    let filter = AuditFilter {
        subject_id,
        officer,
        since,
        ..Default::default()
    };
    let rows = store.audit_entries(&filter)?;
    let mut out = std::io::stdout().lock();
    for row in &rows {
        let line = if json {
            serde_json::to_string(row)?
        } else {
            let who = row.officer_login.as_deref().unwrap_or("(zhixing)");
            let what = row.detail.as_deref().unwrap_or("");
            format!("{}\t{}\t{who}\t{}\t{what}", row.seq, row.at, row.act)
        };
        if writeln!(out, "{line}").is_err() {
            break; // the reader went away (| head)
        }
    }
    eprintln!(
        "{} entr{}",
        rows.len(),
        if rows.len() == 1 { "y" } else { "ies" }
    );
    Ok(ExitCode::SUCCESS)
}
