//! What leaves the store for the carriers, printers, enforcing bodies and
//! the public: notice batches (and the carriers' receipts), the restriction
//! feed, the public list. Rows come in a stable order.

use super::audit::{AuditEntry, append};
use super::ids::IdAllocator;
use super::{Result, Store, StoreError};
use crate::words::count;
use rusqlite::{Connection, Transaction, TransactionBehavior, params};

/// One notice handed to a channel.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ExportedNotice {
    pub batch: i64,
    pub notice: i64,
    pub channel: String,
    pub purpose: String,
    pub recipient: String,
    pub subject: String,
    pub body: String,
}

/// A batch being handed over: the rows, and the transaction that marks
/// them exported, committed only once the file is safely written.
pub struct NoticeBatch<'s> {
    tx: Transaction<'s>,
    /// None when no notice was left to hand over: no batch is recorded.
    pub batch_id: Option<i64>,
    pub notices: Vec<ExportedNotice>,
    /// Queued notices of lifted listings, cancelled instead of exported.
    pub cancelled: usize,
}

impl NoticeBatch<'_> {
    pub fn commit(self) -> Result<()> {
        self.tx.commit()?;
        Ok(())
    }
}

/// Queued notices that may go out: a notice of a listing goes out only
/// while the listing is active, except the notice of its lifting.
const SENDABLE: &str = "n.listing_id IS NULL OR n.purpose = 'lifting'
     OR EXISTS (SELECT 1 FROM listing l WHERE l.id = n.listing_id AND l.status = 'active')";

impl Store {
    /// Marks every sendable queued notice of a channel as exported in a new
    /// batch; the caller writes the file, then commits.
    pub fn export_notices(
        &mut self,
        channel: &str,
        file_name: &str,
        officer_id: Option<i64>,
        now: &str,
    ) -> Result<NoticeBatch<'_>> {
        let site = self.site()?;
        let tx = self
            .conn_mut()
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let cancelled = cancel_unsendable(&tx, channel, now)?;
        let queued: i64 = tx.query_row(
            "SELECT count(*) FROM notice WHERE state = 'queued' AND channel = ?1",
            [channel],
            |r| r.get(0),
        )?;
        if queued == 0 {
            if cancelled > 0 {
                let entry = AuditEntry {
                    officer_id,
                    act: "export-notices".into(),
                    detail: Some(format!(
                        "no {channel} notice to export; {cancelled} cancelled"
                    )),
                    ..Default::default()
                };
                append(&tx, site, now, &entry)?;
            }
            return Ok(NoticeBatch {
                tx,
                batch_id: None,
                notices: Vec::new(),
                cancelled,
            });
        }
        let (batch_id, n) = batch_the_queued(&tx, site, channel, file_name, now)?;
        let notices = batch_rows(&tx, batch_id)?;
        let entry = AuditEntry {
            officer_id,
            act: "export-notices".into(),
            entity: Some("notice_batch".into()),
            entity_id: Some(batch_id),
            detail: Some(format!(
                "{} to {file_name}; {cancelled} cancelled",
                count(n, &format!("{channel} notice"))
            )),
            ..Default::default()
        };
        append(&tx, site, now, &entry)?;
        Ok(NoticeBatch {
            tx,
            batch_id: Some(batch_id),
            notices,
            cancelled,
        })
    }

    /// The notices of an earlier batch, to write its file again.
    pub fn notice_batch(&self, batch_id: i64) -> Result<Vec<ExportedNotice>> {
        Ok(batch_rows(self.conn(), batch_id)?)
    }

    /// Marks notices sent or failed from a carrier's answer: all or none.
    /// Each receipt is (line, batch, notice, sent, reason).
    pub fn apply_receipts(
        &mut self,
        receipts: &[(u64, i64, i64, bool, Option<String>)],
        officer_id: Option<i64>,
        now: &str,
    ) -> Result<std::result::Result<usize, Vec<(u64, String)>>> {
        let site = self.site()?;
        let tx = self
            .conn_mut()
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let mut problems = Vec::new();
        let mut changed = 0;
        for (line, batch, notice, sent, reason) in receipts {
            match receipt(&tx, *batch, *notice, *sent, reason.as_deref(), now)? {
                Ok(n) => changed += n,
                Err(why) => problems.push((*line, why)),
            }
        }
        if !problems.is_empty() {
            return Ok(Err(problems));
        }
        let entry = AuditEntry {
            officer_id,
            act: "notice-receipts".into(),
            detail: Some(format!(
                "{}, {} marked",
                count(receipts.len(), "receipt"),
                count(changed, "notice")
            )),
            ..Default::default()
        };
        append(&tx, site, now, &entry)?;
        tx.commit()?;
        Ok(Ok(changed))
    }
}

fn batch_rows(conn: &Connection, batch_id: i64) -> rusqlite::Result<Vec<ExportedNotice>> {
    let mut stmt = conn.prepare_cached(
        "SELECT n.batch_id, n.id, n.channel, n.purpose, n.recipient, s.name, n.body
         FROM notice n JOIN subject s ON s.id = n.subject_id
         WHERE n.batch_id = ?1 ORDER BY n.id",
    )?;
    let rows = stmt.query_map([batch_id], |r| {
        Ok(ExportedNotice {
            batch: r.get(0)?,
            notice: r.get(1)?,
            channel: r.get(2)?,
            purpose: r.get(3)?,
            recipient: r.get(4)?,
            subject: r.get(5)?,
            body: r.get(6)?,
        })
    })?;
    rows.collect()
}

/// One receipt: Ok(1) marked, Ok(0) already in that state, Err why not.
fn receipt(
    conn: &Connection,
    batch: i64,
    notice: i64,
    sent: bool,
    reason: Option<&str>,
    now: &str,
) -> Result<std::result::Result<usize, String>> {
    let row: Option<(Option<i64>, String)> = conn
        .prepare_cached("SELECT batch_id, state FROM notice WHERE id = ?1")?
        .query_row([notice], |r| Ok((r.get(0)?, r.get(1)?)))
        .map(Some)
        .or_else(|e| match e {
            rusqlite::Error::QueryReturnedNoRows => Ok(None),
            e => Err(StoreError::Query(e)),
        })?;
    let target = if sent { "sent" } else { "failed" };
    let Some((in_batch, state)) = row else {
        return Ok(Err(format!("notice {notice} is not in the store")));
    };
    if in_batch != Some(batch) {
        return Ok(Err(format!("notice {notice} is not in batch {batch}")));
    }
    match state.as_str() {
        s if s == target => Ok(Ok(0)),
        "exported" => {
            let failure = if sent {
                None
            } else {
                Some(reason.unwrap_or("no reason given"))
            };
            conn.prepare_cached(
                "UPDATE notice SET state = ?2, failure_reason = ?3, state_at = ?4 WHERE id = ?1",
            )?
            .execute(params![notice, target, failure, now])?;
            Ok(Ok(1))
        }
        other => Ok(Err(format!(
            "notice {notice} is already {other}; it cannot become {target}"
        ))),
    }
}

/// Cancels the channel's queued notices that may no longer go out (their
/// listing was lifted meanwhile); how many.
fn cancel_unsendable(tx: &Transaction, channel: &str, now: &str) -> rusqlite::Result<usize> {
    tx.execute(
        &format!(
            "UPDATE notice SET state = 'cancelled', state_at = ?2,
                    cancel_reason = 'its listing was lifted before it was handed to the channel'
             WHERE id IN (SELECT n.id FROM notice n WHERE n.state = 'queued' AND n.channel = ?1
                          AND NOT ({SENDABLE}))"
        ),
        params![channel, now],
    )
}

/// A new batch holding every queued notice of the channel, now exported:
/// its id and how many it holds.
fn batch_the_queued(
    tx: &Transaction,
    site: i64,
    channel: &str,
    file_name: &str,
    now: &str,
) -> Result<(i64, usize)> {
    let batch_id = IdAllocator::for_table(tx, "notice_batch", site)?.next_id();
    tx.execute(
        "INSERT INTO notice_batch (id, channel, created_at, file_name, count) VALUES (?1, ?2, ?3, ?4, 0)",
        params![batch_id, channel, now, file_name],
    )?;
    let n = tx.execute(
        "UPDATE notice SET state = 'exported', batch_id = ?1, state_at = ?2
         WHERE state = 'queued' AND channel = ?3",
        params![batch_id, now, channel],
    )?;
    tx.execute(
        "UPDATE notice_batch SET count = ?2 WHERE id = ?1",
        params![batch_id, n as i64],
    )?;
    Ok((batch_id, n))
}
