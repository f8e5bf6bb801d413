//! The audit log: one row for every act, append-only (the schema refuses
//! UPDATE and DELETE on it).

use super::ids::IdAllocator;
use rusqlite::{Connection, params};

#[derive(Debug, Clone, Default)]
pub struct AuditEntry {
    pub officer_id: Option<i64>,
    pub act: String,
    pub subject_id: Option<i64>,
    pub entity: Option<String>,
    pub entity_id: Option<i64>,
    pub before_json: Option<String>,
    pub after_json: Option<String>,
    pub detail: Option<String>,
}

/// Appends one entry inside the caller's transaction.
pub fn append(conn: &Connection, site: i64, at: &str, entry: &AuditEntry) -> rusqlite::Result<i64> {
    let seq = IdAllocator::for_table(conn, "audit_log", site)?.next_id();
    conn.prepare_cached(
        "INSERT INTO audit_log (seq, at, officer_id, act, subject_id, entity, entity_id,
                                before_json, after_json, detail)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
        seq,
        at,
        entry.officer_id,
        entry.act,
        entry.subject_id,
        entry.entity,
        entry.entity_id,
        entry.before_json,
        entry.after_json,
        entry.detail
    ])?;
    Ok(seq)
}

impl super::Store {
    /// One audit entry in its own transaction, for acts that are not a
    /// change of rows (an import's summary, a refusal, ...).
    pub fn append_audit(&mut self, entry: &AuditEntry, at: &str) -> super::Result<i64> {
        let site = self.site()?;
        let tx = self
            .conn_mut()
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let seq = append(&tx, site, at, entry)?;
        tx.commit()?;
        Ok(seq)
    }
}
