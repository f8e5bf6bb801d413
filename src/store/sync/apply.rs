//! `zhixing sync apply`: another office's file, in one transaction or not
//! at all. Each row is new (inserted), the same (left), or another version
//! of a row held here (the domain decides which stands, domain::merge);
//! where both offices changed it, that is a conflict, reported and written
//! to the audit log with how it was settled.

use super::file::{self, Header};
use super::synced_tables;
use crate::domain::merge::{self, Pick, Row};
use crate::store::audit::{AuditEntry, append};
use crate::store::{Result, Store, StoreError};
use rusqlite::fallible_streaming_iterator::FallibleStreamingIterator;
use rusqlite::session::ChangesetIter;
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params, params_from_iter};
use std::collections::HashMap;

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

/// A changed row as the file carries it.
struct Incoming {
    table: String,
    values: Vec<Value>,
}

/// Every row of the changeset (its inserts: an export records nothing else).
fn rows_of(body: &[u8]) -> rusqlite::Result<Vec<Incoming>> {
    let mut reader: &[u8] = body;
    let input: &mut dyn std::io::Read = &mut reader;
    let mut iter = ChangesetIter::start_strm(&input)?;
    let mut rows = Vec::new();
    while let Some(item) = iter.next()? {
        let op = item.op()?;
        let table = op.table_name().to_string();
        let values = (0..op.number_of_columns() as usize)
            .map(|i| {
                let v = item.new_value(i)?;
                Value::try_from(v).map_err(|e| {
                    rusqlite::Error::FromSqlConversionFailure(i, v.data_type(), Box::new(e))
                })
            })
            .collect::<rusqlite::Result<_>>()?;
        rows.push(Incoming { table, values });
    }
    Ok(rows)
}

fn columns(conn: &Connection, table: &str) -> rusqlite::Result<Vec<String>> {
    conn.prepare(&format!(
        "SELECT name FROM pragma_table_info('{table}') ORDER BY cid"
    ))?
    .query_map([], |r| r.get(0))?
    .collect()
}

fn json(value: &Value) -> serde_json::Value {
    match value {
        Value::Null => serde_json::Value::Null,
        Value::Integer(i) => (*i).into(),
        Value::Real(f) => (*f).into(),
        Value::Text(t) => t.clone().into(),
        Value::Blob(b) => format!("{b:?}").into(),
    }
}

fn as_row(cols: &[String], values: &[Value]) -> Row {
    cols.iter().cloned().zip(values.iter().map(json)).collect()
}

/// The WHERE clause finding a row by its key, and the key's values.
fn key_of(table: &str, cols: &[String], values: &[Value]) -> (String, Vec<Value>, String) {
    let at = |name: &str| {
        cols.iter()
            .position(|c| c == name)
            .map_or(Value::Null, |i| values[i].clone())
    };
    let (clause, key) = match table {
        "audit_log" => ("seq = ?1", vec![at("seq")]),
        "case_debtor" => (
            "case_id = ?1 AND subject_id = ?2",
            vec![at("case_id"), at("subject_id")],
        ),
        _ => ("id = ?1", vec![at("id")]),
    };
    let text = key
        .iter()
        .map(|v| match v {
            Value::Integer(i) => i.to_string(),
            other => format!("{other:?}"),
        })
        .collect::<Vec<_>>()
        .join("/");
    (clause.to_string(), key, text)
}

/// The applying side of one file, inside its transaction.
struct Merger<'c> {
    conn: &'c Connection,
    from_site: i64,
    /// This store's changes the sender has already been sent.
    sent_to_sender: i64,
    columns: HashMap<String, Vec<String>>,
    /// Subjects whose search terms may have changed.
    touched: std::collections::BTreeSet<i64>,
    out: Applied,
}

impl Merger<'_> {
    fn refuse<T>(&self, why: String) -> Result<T> {
        Err(StoreError::Refused(format!("{why}; nothing was applied")))
    }

    fn row(&mut self, row: Incoming) -> Result<()> {
        let Some((no, table)) = synced_tables().find(|(_, t)| *t == row.table) else {
            return self.refuse(format!(
                "the file holds rows of \"{}\", which is not synced",
                row.table
            ));
        };
        if !self.columns.contains_key(table) {
            self.columns
                .insert(table.to_string(), columns(self.conn, table)?);
        }
        let cols = self.columns[table].clone();
        if cols.len() != row.values.len() {
            return self.refuse(format!(
                "{table} has {} columns in the file and {} here: the offices run different versions",
                row.values.len(),
                cols.len()
            ));
        }
        self.note_subject(table, &cols, &row.values);
        let (clause, key, key_text) = key_of(table, &cols, &row.values);
        let local: Option<Vec<Value>> = self
            .conn
            .prepare_cached(&format!("SELECT * FROM {table} WHERE {clause}"))?
            .query_row(params_from_iter(&key), |r| {
                (0..cols.len()).map(|i| r.get::<_, Value>(i)).collect()
            })
            .optional()?;
        match local {
            None if table == "officer" => {
                self.check_login_free(&cols, &row.values)?;
                self.insert(table, &cols, &row.values)
            }
            None => self.insert(table, &cols, &row.values),
            Some(local) if local == row.values => {
                self.out.unchanged += 1;
                Ok(())
            }
            Some(local) => self.settle(
                no,
                table,
                &cols,
                &local,
                &row.values,
                &clause,
                &key,
                key_text,
            ),
        }
    }

    /// The subject a row adds search terms to (name, alias, phone, case).
    fn note_subject(&mut self, table: &str, cols: &[String], values: &[Value]) {
        let column = match table {
            "subject" => "id",
            "alias" | "phone" | "case_debtor" => "subject_id",
            _ => return,
        };
        if let Some(Value::Integer(id)) = cols.iter().position(|c| c == column).map(|i| &values[i])
        {
            self.touched.insert(*id);
        }
    }

    /// Logins are unique across the offices: a field office's store is
    /// made from the court's file (`zhixing init --from`), not with its own
    /// admin, so an officer arriving under a login held here by another is
    /// a setup error, not a conflict to settle.
    fn check_login_free(&self, cols: &[String], values: &[Value]) -> Result<()> {
        let at = |name: &str| {
            cols.iter()
                .position(|c| c == name)
                .map(|i| values[i].clone())
        };
        let (Some(Value::Text(login)), Some(Value::Integer(id))) = (at("login"), at("id")) else {
            return Ok(());
        };
        let holder: Option<i64> = self
            .conn
            .query_row("SELECT id FROM officer WHERE login = ?1", [&login], |r| {
                r.get(0)
            })
            .optional()?;
        match holder {
            Some(other) if other != id => self.refuse(format!(
                "the login \"{login}\" is officer {other} here and officer {id} at site {}: logins are unique across offices (make a field office's store with `zhixing init --site N --from FILE`)",
                self.from_site
            )),
            _ => Ok(()),
        }
    }

    fn insert(&mut self, table: &str, cols: &[String], values: &[Value]) -> Result<()> {
        let marks: Vec<String> = (1..=cols.len()).map(|i| format!("?{i}")).collect();
        self.conn
            .prepare_cached(&format!(
                "INSERT INTO {table} ({}) VALUES ({})",
                cols.join(", "),
                marks.join(", ")
            ))?
            .execute(params_from_iter(values))?;
        self.out.inserted += 1;
        Ok(())
    }

    /// Two versions of one row: the domain's rule decides; it is a
    /// conflict when this office changed the row after it last sent it.
    #[allow(clippy::too_many_arguments)]
    fn settle(
        &mut self,
        no: i64,
        table: &str,
        cols: &[String],
        local: &[Value],
        incoming: &[Value],
        clause: &str,
        key: &[Value],
        key_text: String,
    ) -> Result<()> {
        if table == "audit_log" {
            return self.refuse(format!(
                "audit entry seq {key_text} in the file differs from the one this store holds: one of them was altered"
            ));
        }
        let decision = merge::decide(table, &as_row(cols, local), &as_row(cols, incoming));
        let unseen = self.changed_since_sent(no, table, key)?;
        let kept_incoming = decision.pick == Pick::Incoming && table != "payment";
        if kept_incoming {
            let sets: Vec<String> = cols
                .iter()
                .enumerate()
                .map(|(i, c)| format!("{c} = ?{}", i + 1))
                .collect();
            let shift = cols.len();
            let clause = renumber(clause, shift);
            let mut all: Vec<Value> = incoming.to_vec();
            all.extend_from_slice(key);
            self.conn
                .prepare_cached(&format!(
                    "UPDATE {table} SET {} WHERE {clause}",
                    sets.join(", ")
                ))?
                .execute(params_from_iter(&all))?;
            self.out.updated += 1;
        } else {
            self.out.unchanged += 1;
        }
        if unseen {
            let kept = if kept_incoming {
                format!("site {}'s version", self.from_site)
            } else {
                "this site's version".to_string()
            };
            self.out.conflicts.push(SyncConflict {
                table: table.to_string(),
                key: key_text,
                rule: decision.rule.to_string(),
                kept,
            });
        }
        Ok(())
    }

    /// Whether this office changed the row after its last export to the
    /// sender (so the sender's version was made without knowing ours).
    fn changed_since_sent(&self, no: i64, table: &str, key: &[Value]) -> Result<bool> {
        let key_value = match (table, key) {
            ("case_debtor", [Value::Integer(c), Value::Integer(s)]) => {
                Value::Text(format!("{c}/{s}"))
            }
            (_, [one, ..]) => one.clone(),
            _ => Value::Null,
        };
        let n: Option<i64> = self
            .conn
            .prepare_cached("SELECT n FROM sync_change WHERE tbl = ?1 AND key = +?2")?
            .query_row(params![no, key_value], |r| r.get(0))
            .optional()?;
        Ok(n.is_some_and(|n| n > self.sent_to_sender))
    }
}

/// `id = ?1 AND x = ?2` with its placeholders moved past the SET values.
fn renumber(clause: &str, shift: usize) -> String {
    let mut out = clause.to_string();
    for i in (1..=2).rev() {
        out = out.replace(&format!("?{i}"), &format!("?{}", i + shift));
    }
    out
}

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
        let (header, body) = file::read(bytes)
            .map_err(|e| StoreError::Refused(format!("{file}: {e}; nothing was applied")))?;
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
        let rows = rows_of(body).map_err(|e| {
            StoreError::Refused(format!(
                "{file}: its changes cannot be read ({e}); nothing was applied"
            ))
        })?;
        let tx = self
            .conn_mut()
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        // Rows arrive table by table; references are checked at the commit.
        tx.execute_batch("PRAGMA defer_foreign_keys = ON")?;
        let sent_to_sender: i64 = tx
            .query_row(
                "SELECT exported_through FROM sync_peer WHERE site = ?1",
                [header.from_site],
                |r| r.get(0),
            )
            .optional()?
            .unwrap_or(0);
        let mut merger = Merger {
            conn: &tx,
            from_site: header.from_site,
            sent_to_sender,
            columns: HashMap::new(),
            touched: Default::default(),
            out: Applied {
                from_site: header.from_site,
                ..Default::default()
            },
        };
        for row in rows {
            merger.row(row)?;
        }
        // Searchable when the command returns, as after an import.
        for subject in &merger.touched {
            crate::store::search_index::index_subject(&tx, *subject)?;
        }
        let mut applied = merger.out;
        applied.conflicts.extend(overpaid(&tx)?);
        record_apply(&tx, site, &header, file, &applied, officer_id, now)?;
        tx.commit()?;
        Ok(applied)
    }
}

fn check_addressed(header: &Header, site: i64, file: &str) -> Result<()> {
    if header.to_site != site {
        return Err(StoreError::Refused(format!(
            "{file}: it was made for site {}, and this store is site {site}; nothing was applied",
            header.to_site
        )));
    }
    if header.from_site == site {
        return Err(StoreError::Refused(format!(
            "{file}: it was made by this site ({site}) itself; nothing was applied"
        )));
    }
    Ok(())
}

/// Obligations whose payments, from two offices, now exceed them: both
/// payments stand (each was made), and the excess is reported.
fn overpaid(conn: &Connection) -> rusqlite::Result<Vec<SyncConflict>> {
    conn.prepare(
        "SELECT o.id, coalesce(sum(CASE p.kind WHEN 'payment' THEN p.amount_fen ELSE -p.amount_fen END), 0) - o.amount_fen
         FROM obligation o JOIN payment p ON p.obligation_id = o.id
         WHERE o.amount_fen IS NOT NULL GROUP BY o.id
         HAVING coalesce(sum(CASE p.kind WHEN 'payment' THEN p.amount_fen ELSE -p.amount_fen END), 0) > o.amount_fen",
    )?
    .query_map([], |r| {
        let (id, excess): (i64, i64) = (r.get(0)?, r.get(1)?);
        Ok(SyncConflict {
            table: "obligation".into(),
            key: id.to_string(),
            rule: format!(
                "two payments are two payments: both stand, and together they exceed the obligation by {} yuan, due back to the debtor",
                crate::domain::Fen(excess)
            ),
            kept: "both payments".into(),
        })
    })?
    .collect()
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
            "{file} from site {}: {} new, {} updated, {} the same, {} conflict(s)",
            header.from_site,
            applied.inserted,
            applied.updated,
            applied.unchanged,
            applied.conflicts.len()
        )),
        ..Default::default()
    };
    append(conn, site, now, &entry).map(|_| ())
}
