//! The audit log: one row for every act, append-only (the schema refuses
//! UPDATE and DELETE on it) and hash-chained per site: each row's hash
//! covers its content and the hash of the site's row before it, so a row
//! changed, removed or slipped in behind the program's back shows.

use super::ids::site_base;
use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};

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

/// A stored row's content, as hashed.
struct Content<'a> {
    seq: i64,
    at: &'a str,
    entry: &'a AuditEntry,
    /// The legal tables' digests after the act (rows from schema version 5 on).
    digest: Option<&'a str>,
}

/// SHA-256, in hex, of the previous hash, a newline, and the row's fields
/// as a JSON array (null for an empty field): the same bytes on every
/// machine.
fn chain_hash(prev: &str, c: &Content) -> String {
    let e = c.entry;
    let mut fields = serde_json::json!([
        c.seq,
        c.at,
        e.officer_id,
        e.act,
        e.subject_id,
        e.entity,
        e.entity_id,
        e.before_json,
        e.after_json,
        e.detail
    ]);
    // Older rows were hashed without it: the same bytes as then.
    if let (Some(digest), Some(array)) = (c.digest, fields.as_array_mut()) {
        array.push(serde_json::Value::String(digest.to_string()));
    }
    let mut h = Sha256::new();
    h.update(prev.as_bytes());
    h.update(b"\n");
    h.update(fields.to_string().as_bytes());
    crate::hex(&h.finalize())
}

/// The last row of a site's range: (seq, hash).
fn head(conn: &Connection, site: i64) -> rusqlite::Result<Option<(i64, Option<String>)>> {
    conn.prepare_cached(
        "SELECT seq, hash FROM audit_log WHERE seq BETWEEN ?1 AND ?2 ORDER BY seq DESC LIMIT 1",
    )?
    .query_row([site_base(site), site_base(site + 1) - 1], |r| {
        Ok((r.get(0)?, r.get(1)?))
    })
    .optional()
}

/// Appends one entry inside the caller's transaction.
pub fn append(conn: &Connection, site: i64, at: &str, entry: &AuditEntry) -> rusqlite::Result<i64> {
    let (seq, prev) = match head(conn, site)? {
        Some((last, hash)) => (last + 1, hash.unwrap_or_default()),
        None => (site_base(site) + 1, String::new()),
    };
    let digest = super::seal::digest_json(conn)?;
    let content = Content {
        seq,
        at,
        entry,
        digest: Some(&digest),
    };
    let hash = chain_hash(&prev, &content);
    conn.prepare_cached(
        "INSERT INTO audit_log (seq, at, officer_id, act, subject_id, entity, entity_id,
                                before_json, after_json, detail, prev_hash, hash, state_digest)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)",
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
        entry.detail,
        prev,
        hash,
        digest
    ])?;
    Ok(seq)
}

/// Where the chain does not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ChainBreak {
    pub seq: i64,
    pub problem: String,
}

/// The sites with rows in the log, found by seeking from one site's range
/// to the next.
fn sites_in_log(conn: &Connection) -> rusqlite::Result<Vec<i64>> {
    let mut sites = Vec::new();
    let mut from = i64::MIN;
    let mut next = conn.prepare_cached("SELECT min(seq) FROM audit_log WHERE seq >= ?1")?;
    while let Some(seq) = next.query_row([from], |r| r.get::<_, Option<i64>>(0))? {
        let site = seq >> super::ids::SITE_SHIFT;
        sites.push(site);
        from = site_base(site + 1);
    }
    Ok(sites)
}

/// Every stored row, in order: (seq, at, entry, prev_hash, hash).
type Stored = (i64, String, AuditEntry, Option<String>, Option<String>);

fn stored(r: &rusqlite::Row) -> rusqlite::Result<Stored> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        AuditEntry {
            officer_id: r.get(2)?,
            act: r.get(3)?,
            subject_id: r.get(4)?,
            entity: r.get(5)?,
            entity_id: r.get(6)?,
            before_json: r.get(7)?,
            after_json: r.get(8)?,
            detail: r.get(9)?,
        },
        r.get(10)?,
        r.get(11)?,
    ))
}

/// Walks every site's chain; returns the rows where it breaks and how many
/// rows it read.
pub fn verify(conn: &Connection) -> rusqlite::Result<(usize, Vec<ChainBreak>)> {
    let mut stmt = conn.prepare(
        "SELECT seq, at, officer_id, act, subject_id, entity, entity_id, before_json, after_json,
                detail, prev_hash, hash, state_digest FROM audit_log ORDER BY seq",
    )?;
    let mut rows = stmt.query([])?;
    let (mut count, mut breaks) = (0, Vec::new());
    let mut expected: Option<(i64, String)> = None;
    while let Some(r) = rows.next()? {
        let (seq, at, entry, prev, hash) = stored(r)?;
        let digest: Option<String> = r.get(12)?;
        count += 1;
        let site = seq >> super::ids::SITE_SHIFT;
        let want_prev = match &expected {
            Some((s, h)) if *s == site => h.clone(),
            _ => String::new(),
        };
        let actual = chain_hash(
            prev.as_deref().unwrap_or(""),
            &Content {
                seq,
                at: &at,
                entry: &entry,
                digest: digest.as_deref(),
            },
        );
        if hash.as_deref() != Some(actual.as_str()) {
            breaks.push(ChainBreak {
                seq,
                problem: "its content does not match its hash: the row was changed, or written outside zhixing".into(),
            });
        } else if prev.as_deref().unwrap_or("") != want_prev {
            breaks.push(ChainBreak {
                seq,
                problem:
                    "it does not follow the row before it: a row before it was removed or changed"
                        .into(),
            });
        }
        expected = Some((site, hash.unwrap_or_default()));
    }
    Ok((count, breaks))
}

/// Fills the chain of a store made before it existed (schema version 4),
/// in the upgrade's transaction.
pub fn backfill_chain(conn: &Connection) -> rusqlite::Result<()> {
    let all: Vec<Stored> = conn
        .prepare(
            "SELECT seq, at, officer_id, act, subject_id, entity, entity_id, before_json, after_json,
                    detail, prev_hash, hash FROM audit_log ORDER BY seq",
        )?
        .query_map([], stored)?
        .collect::<rusqlite::Result<_>>()?;
    // The log refuses UPDATE; the upgrade lifts that for its own step only.
    conn.execute_batch("DROP TRIGGER audit_log_no_update")?;
    let mut prev: Option<(i64, String)> = None;
    let mut set = conn.prepare("UPDATE audit_log SET prev_hash = ?2, hash = ?3 WHERE seq = ?1")?;
    for (seq, at, entry, _, _) in &all {
        let site = seq >> super::ids::SITE_SHIFT;
        let before = match &prev {
            Some((s, h)) if *s == site => h.clone(),
            _ => String::new(),
        };
        let hash = chain_hash(
            &before,
            &Content {
                seq: *seq,
                at,
                entry,
                digest: None,
            },
        );
        set.execute(params![seq, before, hash])?;
        prev = Some((site, hash));
    }
    drop(set);
    conn.execute_batch(
        "CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
         BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;",
    )
}

/// Fills each site's head from the log of a store made before heads were
/// kept (schema version 5), in the upgrade's transaction.
pub fn backfill_heads(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(&format!(
        "INSERT INTO audit_head (site, seq, hash)
         SELECT seq >> {shift}, seq, hash FROM audit_log
         WHERE seq IN (SELECT max(seq) FROM audit_log GROUP BY seq >> {shift})",
        shift = super::ids::SITE_SHIFT
    ))
}

/// Where a site's log no longer ends at the head kept beside it: rows cut
/// from its end (or the head itself removed). None when every site's log
/// ends where its head says.
pub fn cut_at_head(conn: &Connection) -> rusqlite::Result<Option<String>> {
    // One read transaction, so the heads and the log are read from the
    // same snapshot: another process may append an entry between two
    // separate reads, and its new head would look like a cut log.
    let snapshot = conn.unchecked_transaction()?;
    let found = cut_in(&snapshot)?;
    snapshot.commit()?;
    Ok(found)
}

fn cut_in(conn: &Connection) -> rusqlite::Result<Option<String>> {
    let mut kept: std::collections::BTreeMap<i64, (i64, Option<String>)> = conn
        .prepare("SELECT site, seq, hash FROM audit_head")?
        .query_map([], |r| Ok((r.get(0)?, (r.get(1)?, r.get(2)?))))?
        .collect::<rusqlite::Result<_>>()?;
    let mut problems = Vec::new();
    // Site by site through the key's index: on every open, so no scan.
    for site in sites_in_log(conn)? {
        let (last, last_hash) = head(conn, site)?.unwrap_or((0, None));
        match kept.remove(&site) {
            None => problems.push(format!(
                "site {site}: the record of its last entry is missing"
            )),
            Some((h, hash)) if h != last || hash != last_hash => problems.push(format!(
                "site {site}: the log ends at seq {last} but its last entry was seq {h}"
            )),
            Some(_) => {}
        }
    }
    for (site, (h, _)) in kept {
        problems.push(format!("site {site}: every entry up to seq {h} is missing"));
    }
    Ok((!problems.is_empty()).then(|| problems.join("; ")))
}

/// One entry in its own IMMEDIATE transaction, on a connection with none
/// open: for what is recorded whatever the caller does next (a refusal, a
/// sign-in).
pub fn append_alone(conn: &Connection, at: &str, entry: &AuditEntry) -> rusqlite::Result<i64> {
    let site = super::site_of(conn)?;
    conn.execute_batch("BEGIN IMMEDIATE")?;
    match append(conn, site, at, entry) {
        Ok(seq) => conn.execute_batch("COMMIT").map(|()| seq),
        Err(e) => {
            let _ = conn.execute_batch("ROLLBACK");
            Err(e)
        }
    }
}

impl super::Store {
    /// One audit entry in its own transaction, for acts that are not a
    /// change of rows (an import's summary, a refusal, ...).
    pub fn append_audit(&mut self, entry: &AuditEntry, at: &str) -> super::Result<i64> {
        Ok(append_alone(self.conn(), at, entry)?)
    }

    /// Checks the audit log's chain: (rows read, where it breaks).
    pub fn verify_audit(&self) -> super::Result<(usize, Vec<ChainBreak>)> {
        Ok(verify(self.conn())?)
    }

    /// Compares every row of the legal tables with what the log says it
    /// should be: rows changed, added or deleted outside zhixing.
    pub fn verify_state(&self) -> super::Result<Vec<super::seal::Tampered>> {
        self.verify_state_showing(&|_| {})
    }

    /// `verify_state`, telling `step` each table as its rows are checked.
    pub fn verify_state_showing(
        &self,
        step: &dyn Fn(&str),
    ) -> super::Result<Vec<super::seal::Tampered>> {
        Ok(super::seal::check(self.conn(), step)?)
    }

    /// Compares each subject's kept standing (the status the list shows)
    /// with their rows.
    pub fn verify_standing(&self) -> super::Result<Vec<super::seal::Tampered>> {
        Ok(super::standing::check(self.conn())?)
    }
}
