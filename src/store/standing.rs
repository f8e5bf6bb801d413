//! Each subject's standing, as the list shows it: counts of what is in force
//! against them, the earliest clock, what they owe and paid, their court.
//!
//! Kept in `subject_standing` so that a page or a search result reads one
//! row per subject. Every write zhixing makes to a row it derives from
//! recomputes that subject's row (TEMP triggers, made on each of zhixing's
//! own connections, as the seals are). An import suspends them and
//! recomputes its subjects in one statement at the end; an officer's act
//! defers them to its end (`defer`, `Deferral::flush`), since a listing alone writes
//! a dozen rows. `drift` compares the table with a fresh computation from
//! the legal rows.

use super::indexes;
use super::seal::Tampered;
use rusqlite::Connection;
use rusqlite::functions::FunctionFlags;
use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

/// The recomputation of every subject `source` yields (as `sid`).
fn upsert(source: &str) -> String {
    format!(
        "INSERT OR REPLACE INTO main.subject_standing (subject_id, {})
         SELECT x.sid, {} FROM ({source}) x WHERE x.sid IS NOT NULL;",
        COLUMNS.join(", "),
        computed_columns("x.sid")
    )
}

/// The kept columns, in the order `computed_columns` gives them.
const COLUMNS: [&str; 8] = [
    "active_listings",
    "active_restrictions",
    "pending_objections",
    "next_due_on",
    "monetary_obligations",
    "owed_fen",
    "paid_fen",
    "court_id",
];

/// The standing columns of subject `sid`, from the legal rows. The `+`
/// keeps status columns out of index choice: each count walks the
/// subject's own rows.
fn computed_columns(sid: &str) -> String {
    format!(
        "(SELECT count(*) FROM main.listing WHERE subject_id = {sid} AND +status = 'active'),
         (SELECT count(*) FROM main.restriction WHERE subject_id = {sid} AND +status = 'active'),
         (SELECT count(*) FROM main.objection WHERE subject_id = {sid} AND +status = 'pending'),
         (SELECT min(d) FROM (
              SELECT min(due_on) AS d FROM main.deadline WHERE subject_id = {sid} AND +state = 'open'
              UNION ALL SELECT min(due_on) FROM main.objection WHERE subject_id = {sid} AND +status = 'pending'
              UNION ALL SELECT min(expires_on) FROM main.listing WHERE subject_id = {sid} AND +status = 'active')),
         (SELECT count(*) FROM main.obligation WHERE subject_id = {sid} AND amount_fen IS NOT NULL),
         (SELECT coalesce(sum(amount_fen), 0) FROM main.obligation WHERE subject_id = {sid}),
         (SELECT coalesce(sum(CASE p.kind WHEN 'payment' THEN p.amount_fen ELSE -p.amount_fen END), 0)
            FROM main.obligation o JOIN main.payment p ON p.obligation_id = o.id WHERE o.subject_id = {sid}),
         (SELECT e.court_id FROM main.case_debtor cd JOIN main.enforcement_case e ON e.id = cd.case_id
           WHERE cd.subject_id = {sid} ORDER BY e.filed_on DESC, e.id DESC LIMIT 1)"
    )
}

/// (table, the subjects a changed row of it concerns, given NEW or OLD).
fn sources(row: &str) -> [(&'static str, String); 8] {
    let own = format!("SELECT {row}.subject_id AS sid");
    [
        ("listing", own.clone()),
        ("restriction", own.clone()),
        ("objection", own.clone()),
        ("deadline", own.clone()),
        ("obligation", own.clone()),
        ("case_debtor", own),
        (
            "payment",
            format!("SELECT subject_id AS sid FROM main.obligation WHERE id = {row}.obligation_id"),
        ),
        (
            "enforcement_case",
            format!("SELECT subject_id AS sid FROM main.case_debtor WHERE case_id = {row}.id"),
        ),
    ]
}

/// The subjects an act's writes concerned, while it defers (None: not
/// deferring). Held by the connection's `zx_standing_now` function, so
/// an act's transaction writes nothing extra to note them.
type Deferred = Arc<Mutex<Option<BTreeSet<i64>>>>;

/// `zx_standing_now(sid)`: 1 when the triggers are to recompute `sid` at
/// once; while an act defers, notes `sid` and gives 0. `zx_standing_defer(on)`
/// starts a deferral (1) or ends it (0), returning the noted subjects as a
/// JSON array.
fn register(conn: &Connection) -> rusqlite::Result<()> {
    let deferred: Deferred = Arc::default();
    let noting = Arc::clone(&deferred);
    conn.create_scalar_function(
        "zx_standing_now",
        1,
        FunctionFlags::SQLITE_UTF8,
        move |ctx| {
            let mut held = noting.lock().unwrap_or_else(|e| e.into_inner());
            Ok(match held.as_mut() {
                Some(noted) => {
                    noted.insert(ctx.get::<i64>(0)?);
                    0
                }
                None => 1,
            })
        },
    )?;
    conn.create_scalar_function(
        "zx_standing_defer",
        1,
        FunctionFlags::SQLITE_UTF8,
        move |ctx| {
            let mut held = deferred.lock().unwrap_or_else(|e| e.into_inner());
            let noted = std::mem::replace(&mut *held, ctx.get::<bool>(0)?.then(BTreeSet::new));
            let noted: Vec<i64> = noted.into_iter().flatten().collect();
            serde_json::to_string(&noted)
                .map_err(|e| rusqlite::Error::UserFunctionError(Box::new(e)))
        },
    )
}

/// The TEMP triggers that keep `subject_standing` on this connection's writes.
pub fn install_triggers(conn: &Connection) -> rusqlite::Result<()> {
    register(conn)?;
    let mut sql = String::new();
    for (event, row) in [("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")] {
        for (table, source) in sources(row) {
            sql.push_str(&format!(
                "CREATE TEMP TRIGGER IF NOT EXISTS zx_standing_{}_{table} AFTER {event} ON main.{table}
                 BEGIN {} END;",
                event.to_lowercase(),
                upsert(&format!(
                    "SELECT sid FROM ({source}) WHERE sid IS NOT NULL AND zx_standing_now(sid)"
                ))
            ));
        }
    }
    conn.execute_batch(&sql)
}

/// A deferral on one connection: until `flush`, each subject a write
/// concerns is noted instead of recomputed after every row. Dropped
/// without `flush` (the act failed or panicked, its transaction rolls
/// back) it ends the deferral without recomputing, so the connection's
/// next write recomputes at once again.
pub struct Deferral<'c> {
    conn: &'c Connection,
    ended: bool,
}

/// Starts a deferral, for the length of one transaction.
pub fn defer(conn: &Connection) -> rusqlite::Result<Deferral<'_>> {
    conn.prepare_cached("SELECT zx_standing_defer(1)")?
        .query_row([], |_| Ok(()))?;
    Ok(Deferral { conn, ended: false })
}

impl Deferral<'_> {
    /// The subjects noted so far, as a JSON array; ends the deferral.
    fn end(&mut self) -> rusqlite::Result<String> {
        self.ended = true;
        self.conn
            .prepare_cached("SELECT zx_standing_defer(0)")?
            .query_row([], |r| r.get(0))
    }

    /// Ends the deferral and recomputes the subjects noted, once each, in
    /// the caller's transaction (before its commit).
    pub fn flush(mut self) -> rusqlite::Result<()> {
        let noted = self.end()?;
        self.conn
            .prepare_cached(&upsert("SELECT value AS sid FROM json_each(?1)"))?
            .execute([noted])?;
        Ok(())
    }
}

impl Drop for Deferral<'_> {
    fn drop(&mut self) {
        if !self.ended {
            let _ = self.end();
        }
    }
}

/// Drops the triggers for a bulk write; `recompute` and
/// `store::install_triggers` must follow in the same transaction (a
/// rollback brings them back).
pub fn suspend_triggers(conn: &Connection) -> rusqlite::Result<()> {
    let mut sql = String::new();
    for event in ["insert", "update", "delete"] {
        for (table, _) in sources("NEW") {
            sql.push_str(&format!(
                "DROP TRIGGER IF EXISTS temp.zx_standing_{event}_{table};"
            ));
        }
    }
    conn.execute_batch(&sql)
}

/// Recomputes the standing of every subject `source` yields (as `sid`).
pub fn recompute(conn: &Connection, source: &str) -> rusqlite::Result<()> {
    conn.execute_batch(&upsert(source))
}

/// Every subject's standing from the legal tables in one pass over each
/// (grouped, not one subject at a time: three times faster for a whole
/// store), as `subject_id` and the kept columns. NOT INDEXED: the tables
/// are read in their own order and sorted, and the subjects come in key
/// order, instead of walking an index and fetching rows from all over a
/// table, which once the store outgrows the page cache is a read from disk
/// per row (a million subjects: 23-26 s walking the indexes, 6.5-7.4 s so).
const ALL_COMPUTED: &str = "
    WITH l AS (SELECT subject_id, count(*) AS n, min(expires_on) AS d FROM main.listing NOT INDEXED
               WHERE status = 'active' GROUP BY subject_id),
         r AS (SELECT subject_id, count(*) AS n FROM main.restriction
               WHERE status = 'active' GROUP BY subject_id),
         ob AS (SELECT subject_id, count(*) AS n, min(due_on) AS d FROM main.objection
                WHERE status = 'pending' GROUP BY subject_id),
         dl AS (SELECT subject_id, min(due_on) AS d FROM main.deadline
                WHERE state = 'open' GROUP BY subject_id),
         o AS (SELECT subject_id, count(amount_fen) AS n, coalesce(sum(amount_fen), 0) AS owed
               FROM main.obligation NOT INDEXED GROUP BY subject_id),
         p AS (SELECT o.subject_id,
                      sum(CASE p.kind WHEN 'payment' THEN p.amount_fen ELSE -p.amount_fen END) AS paid
               FROM main.payment p NOT INDEXED JOIN main.obligation o ON o.id = p.obligation_id
               GROUP BY o.subject_id),
         c AS (SELECT subject_id, court_id FROM (
                 SELECT cd.subject_id, e.court_id, row_number() OVER (
                     PARTITION BY cd.subject_id ORDER BY e.filed_on DESC, e.id DESC) AS rank
                 FROM main.case_debtor cd JOIN main.enforcement_case e ON e.id = cd.case_id)
               WHERE rank = 1)
    SELECT s.id AS subject_id, coalesce(l.n, 0), coalesce(r.n, 0), coalesce(ob.n, 0),
           nullif(min(coalesce(dl.d, '~'), coalesce(ob.d, '~'), coalesce(l.d, '~')), '~'),
           coalesce(o.n, 0), coalesce(o.owed, 0), coalesce(p.paid, 0), c.court_id
    FROM main.subject s NOT INDEXED
    LEFT JOIN l ON l.subject_id = s.id LEFT JOIN r ON r.subject_id = s.id
    LEFT JOIN ob ON ob.subject_id = s.id LEFT JOIN dl ON dl.subject_id = s.id
    LEFT JOIN o ON o.subject_id = s.id LEFT JOIN p ON p.subject_id = s.id
    LEFT JOIN c ON c.subject_id = s.id";

/// Recomputes every subject's standing (an import into an empty store, a
/// new schema version). The list filters' indexes are made after it, one
/// sort each, instead of filled row by row: the clocks' is in date order,
/// not the key order the rows come in.
pub fn recompute_all(conn: &Connection) -> rusqlite::Result<()> {
    let dropped = indexes::drop_indexes_of(conn, "subject_standing")?;
    conn.execute_batch(&format!(
        "DELETE FROM main.subject_standing;
         INSERT INTO main.subject_standing (subject_id, {}) {ALL_COMPUTED};",
        COLUMNS.join(", ")
    ))?;
    indexes::rebuild(conn, &dropped)
}

/// Subjects whose kept standing differs from their legal rows, at most
/// `limit` of them (empty when all agree). The fresh figures come from the
/// grouped computation, the kept ones from the per-subject triggers: each
/// checks the other. A subject that never had anything against them may
/// have no row: that reads as all zero.
pub fn drift(conn: &Connection, limit: usize) -> rusqlite::Result<Vec<i64>> {
    let kept = COLUMNS
        .iter()
        .map(|c| match *c {
            "next_due_on" | "court_id" => format!("k.{c}"),
            _ => format!("coalesce(k.{c}, 0)"),
        })
        .collect::<Vec<_>>()
        .join(", ");
    let fresh = COLUMNS
        .iter()
        .map(|c| format!("f.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "WITH f (subject_id, {columns}) AS ({ALL_COMPUTED})
         SELECT f.subject_id FROM f LEFT JOIN main.subject_standing k ON k.subject_id = f.subject_id
         WHERE ({kept}) IS NOT ({fresh})
         UNION ALL
         SELECT k.subject_id FROM main.subject_standing k
         WHERE NOT EXISTS (SELECT 1 FROM main.subject s WHERE s.id = k.subject_id)
         LIMIT {limit}",
        columns = COLUMNS.join(", "),
    );
    conn.prepare(&sql)?.query_map([], |r| r.get(0))?.collect()
}

/// Subjects with a drifted standing named before the rest are summed up.
const SHOWN: usize = 20;

/// `drift` as `audit verify` reports it.
pub fn check(conn: &Connection) -> rusqlite::Result<Vec<Tampered>> {
    let drifted = drift(conn, SHOWN + 1)?;
    let mut found: Vec<Tampered> = drifted
        .iter()
        .take(SHOWN)
        .map(|id| Tampered {
            table: "subject_standing",
            key: Some(id.to_string()),
            problem: "the status the list shows for this subject does not match their rows".into(),
        })
        .collect();
    if drifted.len() > SHOWN {
        found.push(Tampered {
            table: "subject_standing",
            key: None,
            problem: "and more subjects like the ones above".into(),
        });
    }
    Ok(found)
}
