//! The officer's two queues: running clocks, and notices on their way out.

use super::{Result, Store};
use chrono::{Days, NaiveDate};
use rusqlite::params;

/// How far ahead the deadlines queue shows fixed-period listings ending.
pub const PERIOD_END_HORIZON_DAYS: u64 = 30;
/// Rows a queue shows at most (soonest or newest first).
pub const QUEUE_LIMIT: usize = 500;
/// The kinds of clock the deadlines queue can be narrowed to, in the order
/// its filter takes them: the court's own decisions first, the periods
/// that end (which the expiry lifts by itself) last.
pub const DEADLINE_KINDS: [&str; 6] = [
    "objection-decision",
    "reconsideration-decision",
    "reconsideration-window",
    "deletion-after-performance",
    "correction-after-objection",
    "period-end",
];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeadlineRow {
    pub due_on: String,
    /// deletion-after-performance, correction-after-objection,
    /// objection-decision, reconsideration-decision, reconsideration-window,
    /// period-end
    pub kind: String,
    pub subject_id: i64,
    pub subject: String,
    /// The case the clock runs in.
    pub case_number: String,
    /// Due before the day the queue was read, or on it: classed here,
    /// once, so that the view and the title agree with the queue.
    pub overdue: bool,
    pub due_today: bool,
}

impl DeadlineRow {
    pub fn describe(&self) -> &'static str {
        describe_kind(&self.kind)
    }
}

/// What a kind of clock asks of the court, in a few words.
pub fn describe_kind(kind: &str) -> &'static str {
    match kind {
        "deletion-after-performance" => "delete listing: performed",
        "correction-after-objection" => "correct listing: objection upheld",
        "objection-decision" => "decide objection",
        "reconsideration-decision" => "decide reconsideration",
        "reconsideration-window" => "reconsideration window ends",
        "period-end" => "listing period ends",
        _ => "deadline",
    }
}

const DEADLINES: &str = "
  SELECT q.due_on, q.kind, q.subject_id, q.case_number, s.name FROM (
    SELECT d.due_on, d.kind, d.subject_id, e.case_number FROM deadline d
    JOIN listing l ON l.id = d.listing_id JOIN enforcement_case e ON e.id = l.case_id
    WHERE d.state = 'open'
  UNION ALL
    SELECT o.due_on, CASE o.level WHEN 'enforcing-court' THEN 'objection-decision'
                                  ELSE 'reconsideration-decision' END, o.subject_id, e.case_number
    FROM objection o JOIN listing l ON l.id = o.listing_id JOIN enforcement_case e ON e.id = l.case_id
    WHERE o.status = 'pending'
  UNION ALL
    SELECT o.reconsider_by, 'reconsideration-window', o.subject_id, e.case_number
    FROM objection o JOIN listing l ON l.id = o.listing_id JOIN enforcement_case e ON e.id = l.case_id
    WHERE o.status = 'rejected' AND o.reconsider_by >= ?1 AND l.status = 'active'
      AND NOT EXISTS (SELECT 1 FROM objection r WHERE r.reconsideration_of = o.id)
  UNION ALL
    SELECT l.expires_on, 'period-end', l.subject_id, e.case_number
    FROM listing l JOIN enforcement_case e ON e.id = l.case_id
    WHERE l.status = 'active' AND l.expires_on <= ?2
  ) q JOIN subject s ON s.id = q.subject_id
  WHERE ?4 IS NULL OR q.kind = ?4
  ORDER BY q.due_on, q.subject_id LIMIT ?3";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeRow {
    pub id: i64,
    pub subject_id: i64,
    pub subject: String,
    pub channel: String,
    pub purpose: String,
    pub recipient: String,
    pub state: String,
    pub state_at: String,
    pub body: String,
}

/// Which notices the queue shows: by state and channel, None = all.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NoticeFilter {
    pub state: Option<&'static str>,
    pub channel: Option<&'static str>,
}

pub const NOTICE_STATES: [&str; 5] = ["queued", "exported", "sent", "failed", "cancelled"];
pub const CHANNELS: [&str; 4] = ["call", "sms", "letter", "publication"];

impl Store {
    /// Every running clock, or those of one kind (DEADLINE_KINDS),
    /// soonest first.
    pub fn deadline_queue(&self, today: NaiveDate, kind: Option<&str>) -> Result<Vec<DeadlineRow>> {
        let horizon = today + Days::new(PERIOD_END_HORIZON_DAYS);
        let today_text = today.to_string();
        let mut stmt = self.conn().prepare_cached(DEADLINES)?;
        let rows = stmt.query_map(params![today, horizon, QUEUE_LIMIT as i64, kind], |r| {
            let due_on: String = r.get(0)?;
            Ok(DeadlineRow {
                overdue: due_on < today_text,
                due_today: due_on == today_text,
                due_on,
                kind: r.get(1)?,
                subject_id: r.get(2)?,
                case_number: r.get(3)?,
                subject: r.get(4)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Notices newest first, filtered by state and channel.
    pub fn notice_queue(&self, filter: NoticeFilter) -> Result<Vec<NoticeRow>> {
        // With a state, walk (state, state_at); without, walk state_at.
        let by = match filter.state {
            Some(_) => "n.state = ?1",
            None => "?1 IS NULL",
        };
        let mut stmt = self.conn().prepare_cached(&format!(
            "SELECT n.id, n.subject_id, s.name, n.channel, n.purpose, n.recipient, n.state,
                    n.state_at, n.body
             FROM notice n JOIN subject s ON s.id = n.subject_id
             WHERE {by} AND (?2 IS NULL OR n.channel = ?2)
             ORDER BY n.state_at DESC, n.id DESC LIMIT ?3"
        ))?;
        let rows = stmt.query_map(
            params![filter.state, filter.channel, QUEUE_LIMIT as i64],
            |r| {
                Ok(NoticeRow {
                    id: r.get(0)?,
                    subject_id: r.get(1)?,
                    subject: r.get(2)?,
                    channel: r.get(3)?,
                    purpose: r.get(4)?,
                    recipient: r.get(5)?,
                    state: r.get(6)?,
                    state_at: r.get(7)?,
                    body: r.get(8)?,
                })
            },
        )?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

/// A request waiting for a supervisor's decision.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApprovalRow {
    pub id: i64,
    pub title: String,
    pub subject_id: Option<i64>,
    pub subject: Option<String>,
    pub requester: String,
    pub requested_at: String,
}

impl Store {
    /// The requests waiting for approval, oldest first.
    pub fn approval_queue(&self) -> Result<Vec<ApprovalRow>> {
        let mut stmt = self.conn().prepare_cached(
            "SELECT a.id, a.title, a.subject_id, s.name, o.name, a.requested_at
             FROM approval a JOIN officer o ON o.id = a.requested_by
             LEFT JOIN subject s ON s.id = a.subject_id
             WHERE a.state = 'pending' ORDER BY a.id LIMIT ?1",
        )?;
        let rows = stmt
            .query_map([QUEUE_LIMIT as i64], |r| {
                Ok(ApprovalRow {
                    id: r.get(0)?,
                    title: r.get(1)?,
                    subject_id: r.get(2)?,
                    subject: r.get(3)?,
                    requester: r.get(4)?,
                    requested_at: r.get(5)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
        Ok(rows)
    }
}
