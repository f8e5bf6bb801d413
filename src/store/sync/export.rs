//! `zhixing sync export`: the rows changed since the last export to a peer,
//! as a changeset recorded by SQLite's session extension.

use super::file::{self, Header};
use super::{sync_key, synced_tables};
use crate::store::audit::{AuditEntry, append};
use crate::store::{Result, Store, StoreError};
use crate::words::count;
use rusqlite::session::Session;
use rusqlite::{Connection, TransactionBehavior, params};
use std::collections::BTreeMap;
use std::io::{BufWriter, Seek, Write};

/// A file made for a peer, not yet recorded as sent.
#[derive(Debug, Clone)]
pub struct Exported {
    pub header: Header,
    pub bytes: Vec<u8>,
}

/// `CREATE TABLE outbox.T` with main.T's columns, in order, and its
/// primary key, without the constraints (the scratch copy holds only the
/// rows that travel).
fn scratch_table(conn: &Connection, table: &str) -> rusqlite::Result<String> {
    let mut stmt = conn.prepare(&format!(
        "SELECT name, pk FROM pragma_table_info('{table}', 'main') ORDER BY cid"
    ))?;
    let cols: Vec<(String, i64)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    let mut pk: Vec<&(String, i64)> = cols.iter().filter(|c| c.1 > 0).collect();
    pk.sort_by_key(|c| c.1);
    let names: Vec<String> = cols.iter().map(|c| format!("\"{}\"", c.0)).collect();
    let keys: Vec<String> = pk.iter().map(|c| format!("\"{}\"", c.0)).collect();
    Ok(format!(
        "CREATE TABLE outbox.{table} ({}, PRIMARY KEY ({}))",
        names.join(", "),
        keys.join(", ")
    ))
}

/// Copies the changed rows into the scratch database while a session
/// records them; writes the changeset to `body` and returns the rows per
/// table.
fn record_changes(
    conn: &Connection,
    since: i64,
    through: i64,
    body: &mut dyn Write,
) -> rusqlite::Result<BTreeMap<String, i64>> {
    for (_, table) in synced_tables() {
        conn.execute_batch(&scratch_table(conn, table)?)?;
    }
    let mut session = Session::new_with_name(conn, "outbox")?;
    session.attach::<&str>(None)?;
    let mut counts = BTreeMap::new();
    for (no, table) in synced_tables() {
        let key = sync_key(table, "t");
        let n = conn.execute(
            &format!(
                "INSERT INTO outbox.{table} SELECT * FROM main.{table} t
                 WHERE {key} IN (SELECT key FROM main.row_record
                                 WHERE tbl = ?1 AND n > ?2 AND n <= ?3)"
            ),
            params![no, since, through],
        )?;
        if n > 0 {
            counts.insert(table.to_string(), n as i64);
        }
    }
    session.changeset_strm(body)?;
    Ok(counts)
}

impl Store {
    /// The file for `to_site`, in memory (`sync_export_into` writes it
    /// out without holding it).
    pub fn sync_export(&self, to_site: i64, since: Option<i64>, now: &str) -> Result<Exported> {
        let mut bytes = Vec::new();
        let header = self.sync_export_into(to_site, since, now, &mut bytes)?;
        Ok(Exported { header, bytes })
    }

    /// Writes the file for `to_site` to `out`: every row changed after
    /// `since` (by default the mark of the last export to that peer). The
    /// changeset goes to a temporary file first (the header, written
    /// before it, carries its length and digest). Nothing is recorded
    /// until `sync_record_export`, once the file is safely written.
    pub fn sync_export_into(
        &self,
        to_site: i64,
        since: Option<i64>,
        now: &str,
        out: &mut dyn Write,
    ) -> Result<Header> {
        let from_site = self.site()?;
        if to_site == from_site {
            return Err(StoreError::Refused(format!(
                "site {to_site} is this store's own site: export to another office"
            )));
        }
        let conn = self.conn();
        let since = match since {
            Some(s) => s,
            None => conn
                .query_row(
                    "SELECT exported_through FROM sync_peer WHERE site = ?1",
                    [to_site],
                    |r| r.get(0),
                )
                .or_else(|_| Ok::<i64, rusqlite::Error>(0))?,
        };
        let through = self.sync_clock()?;
        let mut body = BufWriter::new(tempfile::tempfile()?);
        conn.execute_batch("ATTACH '' AS outbox")?;
        let recorded = record_changes(conn, since, through, &mut body);
        conn.execute_batch("DETACH outbox")?;
        let counts = recorded?;
        let mut body = body.into_inner().map_err(|e| e.into_error())?;
        let len = body.stream_position()?;
        let header = Header {
            from_site,
            to_site,
            since,
            through,
            counts,
            bytes: 0,
            made_at: now.to_string(),
            sha256: String::new(),
        };
        Ok(file::write_from(header, &mut body, len, out)?)
    }

    /// Records that the file reached its place: the peer's mark moves on,
    /// and the export is an audit entry.
    pub fn sync_record_export(
        &mut self,
        h: &Header,
        file: &str,
        officer_id: Option<i64>,
        now: &str,
    ) -> Result<()> {
        let site = self.site()?;
        let tx = self
            .conn_mut()
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            "INSERT INTO sync_peer (site, exported_through, last_export_at, last_export_file)
             VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (site) DO UPDATE SET exported_through = max(exported_through, excluded.exported_through),
                 last_export_at = excluded.last_export_at, last_export_file = excluded.last_export_file",
            params![h.to_site, h.through, now, file],
        )?;
        let rows: i64 = h.counts.values().sum();
        let entry = AuditEntry {
            officer_id,
            act: "sync-exported".into(),
            after_json: Some(serde_json::to_string(h).unwrap_or_default()),
            detail: Some(format!(
                "{} for site {} in {file} (changes {}..{})",
                count(rows, "row"),
                h.to_site,
                h.since,
                h.through
            )),
            ..Default::default()
        };
        append(&tx, site, now, &entry)?;
        tx.commit()?;
        Ok(())
    }
}
