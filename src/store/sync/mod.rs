//! Sync between offices: a field office works offline on its own store,
//! and the court's and the office's work meet by files.
//!
//! Every change to a legal row or the audit log takes the next number of
//! the store's change clock (TEMP triggers on zhixing's own connections,
//! as the seals are kept). An export to a peer copies the rows changed
//! since the last export to it into a scratch database and records those
//! inserts with SQLite's session extension: the file is a header and that
//! changeset. Applying reads the changeset row by row and decides each
//! row the domain's way (see domain::merge), in one transaction.

mod apply;
mod export;
mod file;
mod merger;
mod settle;

pub use apply::{Applied, SyncConflict};
pub use export::Exported;
pub use file::{FileError, Header};

use super::seal::{LEGAL_TABLES, key_expr};
use rusqlite::Connection;

/// The tables that travel: the legal tables and the audit log (number 0).
pub fn synced_tables() -> impl Iterator<Item = (i64, &'static str)> {
    std::iter::once((0, "audit_log")).chain(LEGAL_TABLES)
}

/// The key of a row of a synced table, in SQL, as row_record keeps it.
fn sync_key(table: &str, row: &str) -> String {
    match table {
        "audit_log" => format!("{row}.seq"),
        _ => key_expr(table, row),
    }
}

/// TEMP triggers numbering every insert and every update that changes a
/// synced row, in the row's record beside its seal (store/seal.rs; either
/// trigger may make the record first: this one leaves the seal to the
/// other).
pub fn install_triggers(conn: &Connection) -> rusqlite::Result<()> {
    let mut sql = String::new();
    for (no, table) in synced_tables() {
        let key = sync_key(table, "NEW");
        let stamp = format!(
            "UPDATE main.sync_clock SET n = n + 1;
             INSERT INTO main.row_record (tbl, key, seal, n)
             VALUES ({no}, {key}, NULL, (SELECT n FROM main.sync_clock))
             ON CONFLICT (tbl, key) DO UPDATE SET n = excluded.n;"
        );
        sql.push_str(&format!(
            "CREATE TEMP TRIGGER IF NOT EXISTS zx_sync_insert_{table} AFTER INSERT ON main.{table}
             BEGIN {stamp} END;"
        ));
        if table != "audit_log" {
            let changed = row_changed(conn, table)?;
            sql.push_str(&format!(
                "CREATE TEMP TRIGGER IF NOT EXISTS zx_sync_update_{table} AFTER UPDATE ON main.{table}
                 WHEN {changed} BEGIN {stamp} END;"
            ));
        }
    }
    conn.execute_batch(&sql)
}

/// Whether an update changed any column of the row, in SQL: an update that
/// writes the values the row held takes no change number, so the next
/// export does not carry a row its peer already has.
fn row_changed(conn: &Connection, table: &str) -> rusqlite::Result<String> {
    let same: Vec<String> = super::seal::columns(conn, table)?
        .iter()
        .map(|c| format!("OLD.{c} IS NEW.{c}"))
        .collect();
    Ok(format!("NOT ({})", same.join(" AND ")))
}

/// What the TUI and `zhixing sync status` show of one peer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeerState {
    pub site: i64,
    pub exported_through: i64,
    pub last_export_at: Option<String>,
    pub last_export_file: Option<String>,
    pub last_apply_at: Option<String>,
    pub last_apply_file: Option<String>,
    /// Rows changed here since the last export to this peer.
    pub waiting: i64,
}

impl super::Store {
    /// Every peer this store exchanged files with.
    pub fn sync_peers(&self) -> super::Result<Vec<PeerState>> {
        let mut stmt = self.conn().prepare(
            "SELECT p.site, p.exported_through, p.last_export_at, p.last_export_file,
                    p.last_apply_at, p.last_apply_file,
                    (SELECT count(*) FROM row_record c WHERE c.n > p.exported_through)
             FROM sync_peer p ORDER BY p.site",
        )?;
        let rows = stmt
            .query_map([], |r| {
                Ok(PeerState {
                    site: r.get(0)?,
                    exported_through: r.get(1)?,
                    last_export_at: r.get(2)?,
                    last_export_file: r.get(3)?,
                    last_apply_at: r.get(4)?,
                    last_apply_file: r.get(5)?,
                    waiting: r.get(6)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }

    /// The store's change clock: the mark an export runs through.
    pub fn sync_clock(&self) -> super::Result<i64> {
        Ok(self
            .conn()
            .query_row("SELECT n FROM sync_clock", [], |r| r.get(0))?)
    }
}
