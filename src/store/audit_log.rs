//! Reading the audit log: `zhixing audit show` and the detail view's
//! history tab ask the same question of it.

use super::{Result, Store};
use chrono::NaiveDate;
use rusqlite::OptionalExtension;
use rusqlite::types::Value;

#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// Entries about this subject: its acts, and reads of it (a reveal).
    pub subject_id: Option<i64>,
    /// Entries by the officer with this login.
    pub officer: Option<String>,
    /// Entries on or after this day.
    pub since: Option<NaiveDate>,
    pub newest_first: bool,
    pub limit: Option<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AuditRow {
    pub seq: i64,
    pub at: String,
    pub officer_login: Option<String>,
    pub officer: Option<String>,
    pub act: String,
    pub subject_id: Option<i64>,
    pub entity: Option<String>,
    pub entity_id: Option<i64>,
    pub detail: Option<String>,
}

impl Store {
    /// A subject's key from its ID number (any case of the check
    /// character) or from the key itself.
    pub fn subject_key(&self, id_or_key: &str) -> Result<Option<i64>> {
        let text = id_or_key.trim().to_uppercase();
        let key: Option<i64> = self
            .conn()
            .query_row(
                "SELECT id FROM subject WHERE id_number = ?1
                 UNION ALL SELECT id FROM subject WHERE id = CAST(?1 AS INTEGER) AND ?1 GLOB '[0-9]*'
                 LIMIT 1",
                [&text],
                |r| r.get(0),
            )
            .optional()?;
        Ok(key)
    }

    /// The entries the filter asks for, by sequence.
    pub fn audit_entries(&self, filter: &AuditFilter) -> Result<Vec<AuditRow>> {
        let mut clauses = Vec::new();
        let mut values: Vec<Value> = Vec::new();
        if let Some(subject) = filter.subject_id {
            values.push(Value::Integer(subject));
            let n = values.len();
            // Two indexed lookups; an OR would read the whole log.
            clauses.push(format!(
                "a.seq IN (SELECT seq FROM audit_log WHERE subject_id = ?{n}
                           UNION SELECT seq FROM audit_log WHERE entity = 'subject' AND entity_id = ?{n})"
            ));
        }
        if let Some(login) = &filter.officer {
            values.push(Value::Text(login.clone()));
            clauses.push(format!("o.login = ?{}", values.len()));
        }
        if let Some(since) = filter.since {
            values.push(Value::Text(since.to_string()));
            clauses.push(format!("a.at >= ?{}", values.len()));
        }
        let mut sql = String::from(
            "SELECT a.seq, a.at, o.login, o.name, a.act, a.subject_id, a.entity, a.entity_id, a.detail
             FROM audit_log a LEFT JOIN officer o ON o.id = a.officer_id",
        );
        if !clauses.is_empty() {
            sql.push_str(" WHERE ");
            sql.push_str(&clauses.join(" AND "));
        }
        sql.push_str(if filter.newest_first {
            " ORDER BY a.seq DESC"
        } else {
            " ORDER BY a.seq"
        });
        if let Some(limit) = filter.limit {
            sql.push_str(&format!(" LIMIT {limit}"));
        }
        let mut stmt = self.conn().prepare_cached(&sql)?;
        let rows = stmt
            .query_map(rusqlite::params_from_iter(values), |r| {
                Ok(AuditRow {
                    seq: r.get(0)?,
                    at: r.get(1)?,
                    officer_login: r.get(2)?,
                    officer: r.get(3)?,
                    act: r.get(4)?,
                    subject_id: r.get(5)?,
                    entity: r.get(6)?,
                    entity_id: r.get(7)?,
                    detail: r.get(8)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }
}
