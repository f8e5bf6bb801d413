//! `zhixing sync apply`: another office's file, in one transaction or not
//! at all. Each row is new (inserted), the same (left), or another version
//! of a row held here (the domain decides which stands, domain::merge);
//! where both offices changed it, that is a conflict, reported and written
//! to the audit log with how it was settled.

use super::file::{self, Header};
use super::merger::{Merger, RowsError, each_row};
use crate::domain::money::group_thousands;
use crate::store::audit::{AuditEntry, append};
use crate::store::{Result, Store, StoreError};
use crate::words::count;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};
use std::collections::HashMap;
use std::io::{BufRead, Read};

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SyncConflict {
    pub table: String,
    pub key: String,
    pub rule: String,
    /// "this site's version" or "site N's version".
    pub kept: String,
}

#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Applied {
    pub from_site: i64,
    pub inserted: i64,
    pub updated: i64,
    pub unchanged: i64,
    pub conflicts: Vec<SyncConflict>,
    /// When the same file was applied before (and nothing changed now).
    pub already_applied_at: Option<String>,
}

/// Rows merged between two reports of where the merge is.
const ROWS_PER_STEP: u64 = 100_000;

impl Store {
    /// Applies another office's file: all of it in one transaction, or
    /// nothing (a refusal says why). The same file a second time changes
    /// nothing.
    pub fn sync_apply(
        &mut self,
        bytes: &[u8],
        file: &str,
        officer_id: Option<i64>,
        now: &str,
    ) -> Result<Applied> {
        self.sync_apply_from(bytes, file, officer_id, now, &|_| {})
    }

    /// `sync_apply` of a file read from `input` as its rows are merged (a
    /// court's whole store, sent to a new field office, is millions of
    /// rows and gigabytes): the transaction commits only once the file
    /// has been read to its end and found whole and unaltered. `step` is
    /// told where it is: every 100,000 rows, the search index, the commit.
    pub fn sync_apply_from(
        &mut self,
        mut input: impl BufRead,
        file: &str,
        officer_id: Option<i64>,
        now: &str,
        step: &dyn Fn(&str),
    ) -> Result<Applied> {
        let header = file::read_header(&mut input).map_err(|e| refused(file, e))?;
        let site = self.site()?;
        check_addressed(&header, site, file)?;
        if let Some(at) = self
            .conn()
            .query_row(
                "SELECT applied_at FROM sync_applied WHERE sha256 = ?1",
                [&header.sha256],
                |r| r.get(0),
            )
            .optional()?
        {
            return Ok(Applied {
                from_site: header.from_site,
                already_applied_at: Some(at),
                ..Default::default()
            });
        }
        // A new office's store filled from the court's file is written
        // straight into the file, as a first import is: a log as big as
        // the store would be written twice.
        let direct = self.is_empty()? && self.write_directly()?;
        let applied = self.merge_file(input, &header, file, officer_id, now, step);
        if direct {
            self.back_to_wal();
        }
        applied
    }

    /// The file's changeset merged in one transaction, committed once the
    /// whole file has checked out.
    fn merge_file(
        &mut self,
        input: impl BufRead,
        header: &Header,
        file: &str,
        officer_id: Option<i64>,
        now: &str,
        step: &dyn Fn(&str),
    ) -> Result<Applied> {
        let site = self.site()?;
        let mut body = file::Body::new(input, header);
        let tx = self
            .conn_mut()
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        // Rows arrive table by table; references are checked at the commit.
        tx.execute_batch("PRAGMA defer_foreign_keys = ON")?;
        let merged = merge_all(&tx, header, &mut body, step);
        // A file cut short or altered is refused as such, whatever its
        // rows did; the transaction is dropped, so nothing stays.
        body.finish(header).map_err(|e| refused(file, e))?;
        let applied = merged.map_err(|e| match e {
            RowsError::Unreadable(e) => refused(file, format!("its changes cannot be read ({e})")),
            RowsError::Merge(e) => e,
        })?;
        record_apply(&tx, site, header, file, &applied, officer_id, now)?;
        step("writing to disk");
        tx.commit()?;
        Ok(applied)
    }
}

/// Every row of the file merged as it is read, the subjects it touched
/// indexed for search, and the conflicts settled.
fn merge_all(
    tx: &Connection,
    header: &Header,
    body: &mut dyn Read,
    step: &dyn Fn(&str),
) -> std::result::Result<Applied, RowsError> {
    let sent_to_sender: i64 = tx
        .query_row(
            "SELECT exported_through FROM sync_peer WHERE site = ?1",
            [header.from_site],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or(0);
    let mut merger = Merger {
        conn: tx,
        from_site: header.from_site,
        sent_to_sender,
        columns: HashMap::new(),
        touched: Default::default(),
        out: Applied {
            from_site: header.from_site,
            ..Default::default()
        },
    };
    let total: i64 = header.counts.values().sum();
    let mut merged = 0u64;
    each_row(body, |row| {
        if merged % ROWS_PER_STEP == 0 {
            step(&format!(
                "merging {} of {}",
                group_thousands(merged),
                count(total, "row")
            ));
        }
        merged += 1;
        merger.row(row)
    })?;
    // Searchable when the command returns, as after an import.
    step(&format!(
        "search index of {}",
        count(merger.touched.len(), "subject")
    ));
    for subject in &merger.touched {
        crate::store::search_index::index_subject(tx, *subject)?;
    }
    let mut applied = merger.out;
    step("settling conflicts");
    applied.conflicts.extend(super::settle::after_merge(tx)?);
    Ok(applied)
}

fn check_addressed(header: &Header, site: i64, file: &str) -> Result<()> {
    if header.to_site != site {
        let to = header.to_site;
        return Err(refused(
            file,
            format!("it was made for site {to}, and this store is site {site}"),
        ));
    }
    if header.from_site == site {
        return Err(refused(
            file,
            format!("it was made by this site ({site}) itself"),
        ));
    }
    Ok(())
}

/// A file refused whole, saying why and that nothing of it stays.
fn refused(file: &str, why: impl std::fmt::Display) -> StoreError {
    StoreError::Refused(format!("{file}: {why}; nothing was applied"))
}

fn record_apply(
    conn: &Connection,
    site: i64,
    header: &Header,
    file: &str,
    applied: &Applied,
    officer_id: Option<i64>,
    now: &str,
) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO sync_applied (sha256, from_site, applied_at) VALUES (?1, ?2, ?3)",
        params![header.sha256, header.from_site, now],
    )?;
    conn.execute(
        "INSERT INTO sync_peer (site, last_apply_at, last_apply_file) VALUES (?1, ?2, ?3)
         ON CONFLICT (site) DO UPDATE SET last_apply_at = excluded.last_apply_at,
             last_apply_file = excluded.last_apply_file",
        params![header.from_site, now, file],
    )?;
    let entry = AuditEntry {
        officer_id,
        act: "sync-applied".into(),
        after_json: Some(
            serde_json::json!({"file": file, "header": header, "result": applied}).to_string(),
        ),
        detail: Some(format!(
            "{file} from site {}: {} new, {} updated, {} the same, {}",
            header.from_site,
            applied.inserted,
            applied.updated,
            applied.unchanged,
            count(applied.conflicts.len(), "conflict")
        )),
        ..Default::default()
    };
    append(conn, site, now, &entry).map(|_| ())
}
