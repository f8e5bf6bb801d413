//! The merge's last steps: each subject's kept standing, the search
//! index, and the import's audit entry.

use super::{ImportCounts, Merge, MergeOptions};
use crate::store::audit::{AuditEntry, append};
use crate::store::import::report_time;
use crate::store::import::search_build::SearchBuild;
use crate::store::search_bulk::{self, Scope};
use crate::store::standing;
use rusqlite::Connection;
use std::time::Instant;

/// The steps after the rows are in: the indexes a first load dropped,
/// each subject's standing, and (unless a dry run) the search index and
/// the audit entry.
pub(super) fn close(
    m: &Merge,
    c: &ImportCounts,
    deferred: &[String],
    build: Option<&mut SearchBuild>,
) -> rusqlite::Result<()> {
    (m.phase)("indexes");
    let started = Instant::now();
    crate::store::indexes::rebuild(m.conn, deferred)?;
    report_time("deferred indexes", started);
    (m.phase)("each subject's status");
    let started = Instant::now();
    recompute_standing(m.conn, m.empty, c)?;
    crate::store::install_triggers(m.conn)?;
    report_time("subjects' standing", started);
    if !m.opts.dry_run {
        (m.phase)("search index");
        let started = Instant::now();
        reindex(m.conn, m.empty, build)?;
        report_time("search index", started);
        audit(m.conn, m.site, m.opts, c)?;
    }
    Ok(())
}

/// The standing of every subject the import may have changed: those of
/// its rows, their responsible persons (restricted with an entity) and the
/// other debtors of its cases (whose court may have changed); every
/// subject's, in one pass, when that is a good part of the store.
fn recompute_standing(
    conn: &Connection,
    was_empty: bool,
    counts: &ImportCounts,
) -> rusqlite::Result<()> {
    if !counts.changed() {
        return Ok(());
    }
    if was_empty || a_good_part(conn, "temp.import_subject")? {
        return standing::recompute_all(conn);
    }
    standing::recompute(
        conn,
        "SELECT s.id AS sid FROM subject s WHERE s.id_number IN (SELECT id_number FROM temp.import_subject)
         UNION SELECT rp.person_id FROM responsible_person rp JOIN subject s ON s.id = rp.entity_id
          WHERE s.id_number IN (SELECT id_number FROM temp.import_subject)
         UNION SELECT cd.subject_id FROM case_debtor cd JOIN enforcement_case e ON e.id = cd.case_id
          WHERE e.case_number IN (SELECT case_number FROM temp.import_row)",
    )
}

/// The index is rebuilt after the load: whole when the store was empty
/// (on the second core, when `build` was started), else for the subjects
/// the import added or changed.
fn reindex(
    conn: &Connection,
    was_empty: bool,
    build: Option<&mut SearchBuild>,
) -> rusqlite::Result<()> {
    if let Some(build) = build {
        return build.finish(conn);
    }
    if was_empty || a_good_part(conn, "temp.import_touched")? {
        return search_bulk::index_set(conn, Scope::All);
    }
    let any: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM temp.import_touched)",
        [],
        |r| r.get(0),
    )?;
    if any {
        search_bulk::index_set(conn, Scope::Touched)?;
    }
    Ok(())
}

/// Whether the subjects listed in `table` are more than a quarter of the
/// store's: rewriting that many one by one costs more than all at once.
fn a_good_part(conn: &Connection, table: &str) -> rusqlite::Result<bool> {
    conn.query_row(
        &format!("SELECT (SELECT count(*) FROM {table}) * 4 > (SELECT count(*) FROM subject)"),
        [],
        |r| r.get(0),
    )
}

fn audit(
    conn: &Connection,
    site: i64,
    opts: &MergeOptions,
    c: &ImportCounts,
) -> rusqlite::Result<()> {
    let files: Vec<serde_json::Value> = opts
        .files
        .iter()
        .map(|(name, sha, rows, rejected)| {
            serde_json::json!({"file": name, "sha256": sha, "rows": rows, "rejected": rejected})
        })
        .collect();
    let after = serde_json::json!({"files": files, "counts": c});
    let names: Vec<&str> = opts.files.iter().map(|f| f.0.as_str()).collect();
    let entry = AuditEntry {
        officer_id: opts.officer_id,
        act: "import".into(),
        after_json: Some(after.to_string()),
        detail: Some(format!(
            "import of {}: {}",
            names.join(", "),
            crate::words::count(c.rows, "row")
        )),
        ..Default::default()
    };
    append(conn, site, &opts.now, &entry)?;
    Ok(())
}
