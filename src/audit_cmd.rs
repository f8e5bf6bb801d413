//! `zhixing audit show`: the log's entries, filtered, as text or JSON;
//! `zhixing audit verify`: the chain, every legal row and every status.

use anyhow::bail;
use chrono::NaiveDate;
use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use zhixing::domain::money::group_thousands;
use zhixing::progress::Steps;
use zhixing::store::audit_log::AuditFilter;
use zhixing::store::{ChainBreak, Tampered};
use zhixing::words::count;

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

/// `zhixing audit verify`: the chain, row by row. Every check runs before
/// anything is printed: on a terminal the step line shows meanwhile (a
/// big store takes minutes).
pub fn verify(path: &Path) -> anyhow::Result<ExitCode> {
    let store = crate::commands::open_existing(path)?;
    let steps = Steps::on_terminal("audit verify");
    steps.show("the audit log's hash chain");
    let (rows, breaks) = store.verify_audit()?;
    let tampered =
        store.verify_state_showing(&|table| steps.show(&format!("the rows of {table}")))?;
    steps.show("each subject's list status");
    let drifted = store.verify_standing()?;
    drop(steps);
    print_chain(rows, &breaks);
    print_tampered(&tampered);
    print_drifted(&drifted);
    Ok(
        if breaks.is_empty() && tampered.is_empty() && drifted.is_empty() {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        },
    )
}

fn print_chain(rows: usize, breaks: &[ChainBreak]) {
    for b in breaks {
        println!("audit_log seq {}: {}", b.seq, b.problem);
    }
    if breaks.is_empty() {
        println!("audit log: {}; the hash chain holds", count(rows, "row"));
    } else {
        println!(
            "audit log: {}; the hash chain breaks at {}",
            count(rows, "row"),
            count(breaks.len(), "row")
        );
    }
}

fn print_tampered(tampered: &[Tampered]) {
    for t in tampered {
        match &t.key {
            Some(key) => println!("{} {key}: {}", t.table, t.problem),
            None => println!("{}: {}", t.table, t.problem),
        }
    }
    if tampered.is_empty() {
        println!("legal tables: every row is as the log recorded it");
    } else {
        println!(
            "legal tables: {} from the log",
            match tampered.len() {
                1 => "1 row or record differs".to_string(),
                n => format!("{} rows or records differ", group_thousands(n as u64)),
            }
        );
    }
}

fn print_drifted(drifted: &[Tampered]) {
    for t in drifted {
        println!(
            "{} {}: {}",
            t.table,
            t.key.as_deref().unwrap_or("..."),
            t.problem
        );
    }
    if drifted.is_empty() {
        println!("list status: every subject's matches their rows");
    } else {
        println!(
            "list status: {} shown with a status their rows do not give",
            count(drifted.len(), "subject")
        );
    }
}
