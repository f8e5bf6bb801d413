//! One file's rows against this store: each is new, the same, or another
//! version of a row held here, settled by the domain (domain::merge).

use super::SyncConflict;
use super::apply::Applied;
use super::synced_tables;
use crate::domain::merge::{self, Pick, Row};
use crate::store::{Result, StoreError};
use rusqlite::fallible_streaming_iterator::FallibleStreamingIterator;
use rusqlite::session::{ChangesetItem, ChangesetIter};
use rusqlite::types::Value;
use rusqlite::{Connection, OptionalExtension, params, params_from_iter};
use std::collections::HashMap;
use std::io::Read;
use std::rc::Rc;

/// A changed row as the file carries it.
pub struct Incoming {
    table: String,
    values: Vec<Value>,
}

/// Why a file's rows could not all be merged.
pub enum RowsError {
    /// The changeset itself could not be read.
    Unreadable(rusqlite::Error),
    /// A row was refused, or the store failed.
    Merge(StoreError),
}

impl From<StoreError> for RowsError {
    fn from(e: StoreError) -> RowsError {
        RowsError::Merge(e)
    }
}

impl From<rusqlite::Error> for RowsError {
    fn from(e: rusqlite::Error) -> RowsError {
        RowsError::Merge(e.into())
    }
}

/// Every row of the changeset read from `input` (its inserts: an export
/// records nothing else), handed to `each` as it is read: a file of
/// millions of rows is never held whole.
pub fn each_row(
    input: &mut dyn Read,
    mut each: impl FnMut(Incoming) -> Result<()>,
) -> std::result::Result<(), RowsError> {
    let mut iter = ChangesetIter::start_strm(&input).map_err(RowsError::Unreadable)?;
    while let Some(item) = iter.next().map_err(RowsError::Unreadable)? {
        each(incoming(item).map_err(RowsError::Unreadable)?)?;
    }
    Ok(())
}

fn incoming(item: &ChangesetItem) -> rusqlite::Result<Incoming> {
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
    Ok(Incoming { table, values })
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

/// How a row is found by its key.
struct RowKey {
    /// `id = ?1`, or the two columns of case_debtor.
    clause: &'static str,
    values: Vec<Value>,
    /// The key as reports name it ("case/subject" for case_debtor).
    text: String,
}

/// A row's table: its number in the seals and sync, name and columns.
struct Target<'a> {
    no: i64,
    table: &'static str,
    cols: &'a [String],
}

/// The WHERE clause finding a row by its key, and the key's values.
fn key_of(table: &str, cols: &[String], values: &[Value]) -> RowKey {
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
    RowKey {
        clause,
        values: key,
        text,
    }
}

/// The applying side of one file, inside its transaction.
pub struct Merger<'c> {
    pub conn: &'c Connection,
    pub from_site: i64,
    /// This store's changes the sender has already been sent.
    pub sent_to_sender: i64,
    /// Each table's columns, read once per file (shared, not copied per row).
    pub columns: HashMap<&'static str, Rc<[String]>>,
    /// Subjects whose search terms may have changed.
    pub touched: std::collections::BTreeSet<i64>,
    pub out: Applied,
}

impl Merger<'_> {
    fn refuse<T>(&self, why: String) -> Result<T> {
        Err(StoreError::Refused(format!("{why}; nothing was applied")))
    }

    pub fn row(&mut self, row: Incoming) -> Result<()> {
        let Some((no, table)) = synced_tables().find(|(_, t)| *t == row.table) else {
            return self.refuse(format!(
                "the file holds rows of \"{}\", which is not synced",
                row.table
            ));
        };
        if !self.columns.contains_key(table) {
            let read = crate::store::seal::columns(self.conn, table)?;
            self.columns.insert(table, read.into());
        }
        let cols = Rc::clone(&self.columns[table]);
        if cols.len() != row.values.len() {
            return self.refuse(format!(
                "{table} has {} columns in the file and {} here: the offices run different versions",
                row.values.len(),
                cols.len()
            ));
        }
        self.note_subject(table, &cols, &row.values);
        let key = key_of(table, &cols, &row.values);
        let local: Option<Vec<Value>> = self
            .conn
            .prepare_cached(&format!("SELECT * FROM {table} WHERE {}", key.clause))?
            .query_row(params_from_iter(&key.values), |r| {
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
            Some(local) => {
                let target = Target {
                    no,
                    table,
                    cols: &cols,
                };
                self.settle(&target, key, &local, &row.values)
            }
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
    fn settle(
        &mut self,
        target: &Target,
        key: RowKey,
        local: &[Value],
        incoming: &[Value],
    ) -> Result<()> {
        let Target { no, table, cols } = *target;
        if table == "audit_log" {
            return self.refuse(format!(
                "audit entry seq {} in the file differs from the one this store holds: one of them was altered",
                key.text
            ));
        }
        let decision = merge::decide(table, &as_row(cols, local), &as_row(cols, incoming));
        let unseen = self.changed_since_sent(no, table, &key.values)?;
        // A payment row is never edited (the schema refuses it): two
        // versions of one can only come from an altered store, and the one
        // held here stays, reported.
        let kept_incoming = decision.pick == Pick::Incoming && table != "payment";
        if kept_incoming {
            let sets: Vec<String> = cols
                .iter()
                .enumerate()
                .map(|(i, c)| format!("{c} = ?{}", i + 1))
                .collect();
            let shift = cols.len();
            let clause = renumber(key.clause, shift);
            let mut all: Vec<Value> = incoming.to_vec();
            all.extend_from_slice(&key.values);
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
                key: key.text,
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
            .prepare_cached("SELECT n FROM row_record WHERE tbl = ?1 AND key = +?2")?
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
