//! What a merge leaves to settle across rows: the consequences of a
//! decision that did not stand, and payments from two offices that together
//! exceed their obligation. Each finding is reported like a conflict; the
//! rows changed get values every office computes alike, so the offices
//! still converge.

use super::SyncConflict;
use rusqlite::Connection;

/// Everything to settle after the rows of a file are in.
pub fn after_merge(conn: &Connection) -> rusqlite::Result<Vec<SyncConflict>> {
    let mut found = losing_decisions(conn)?;
    found.extend(overpaid(conn)?);
    Ok(found)
}

/// Two offices decided one objection differently and one decision stands:
/// the correction clock of an upheld decision that did not stand is
/// cancelled, and so is the queued rejection notice of a rejection that
/// did not stand (dated the decision's day, the same at every office).
fn losing_decisions(conn: &Connection) -> rusqlite::Result<Vec<SyncConflict>> {
    let clocks: Vec<i64> = conn
        .prepare(
            "SELECT d.id FROM deadline d JOIN objection o ON o.id = d.objection_id
             WHERE d.state = 'open' AND d.kind = 'correction-after-objection' AND o.status <> 'upheld'",
        )?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    conn.execute(
        "UPDATE deadline SET state = 'cancelled',
             closed_at = (SELECT o.decided_on FROM objection o WHERE o.id = deadline.objection_id)
         WHERE state = 'open' AND kind = 'correction-after-objection'
           AND objection_id IN (SELECT id FROM objection WHERE status <> 'upheld')",
        [],
    )?;
    let notices: Vec<i64> = conn
        .prepare(&format!("SELECT n.id {REJECTION_NOTICES}"))?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    for id in &notices {
        conn.execute(
            "UPDATE notice SET state = 'cancelled',
                 cancel_reason = 'the rejection did not stand: another office upheld the objection',
                 state_at = (SELECT max(o.decided_on) FROM objection o
                             WHERE o.listing_id = notice.listing_id AND o.status = 'upheld')
             WHERE id = ?1",
            [id],
        )?;
    }
    let clock = |id: i64| SyncConflict {
        table: "deadline".into(),
        key: id.to_string(),
        rule: "the correction clock of an upheld decision that did not stand is cancelled".into(),
        kept: "cancelled".into(),
    };
    let notice = |id: i64| SyncConflict {
        table: "notice".into(),
        key: id.to_string(),
        rule: "the rejection notice of a rejection that did not stand is never sent".into(),
        kept: "cancelled".into(),
    };
    Ok(clocks
        .into_iter()
        .map(clock)
        .chain(notices.into_iter().map(notice))
        .collect())
}

/// Queued rejection notices on listings whose objections, where decided,
/// were all upheld.
const REJECTION_NOTICES: &str = "
    FROM notice n JOIN notice_template t ON t.id = n.template_id
    WHERE n.state = 'queued' AND t.code = 'objection-rejected'
      AND n.listing_id IN (SELECT listing_id FROM objection GROUP BY listing_id
                           HAVING sum(status = 'rejected') = 0 AND sum(status = 'upheld') > 0)";

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
