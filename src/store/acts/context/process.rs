//! What the planners read about procedure: notices, templates, clocks and
//! objections.

use super::{Context, date, opt_date};
use chrono::NaiveDate;
use rusqlite::{OptionalExtension, Row, params};

const OBJECTION_COLUMNS: &str =
    "SELECT id, listing_id, kind, level, status, filed_on, due_on, reconsider_by FROM objection";

fn objection_row(r: &Row) -> rusqlite::Result<ObjectionFacts> {
    Ok(ObjectionFacts {
        id: r.get(0)?,
        listing_id: r.get(1)?,
        kind: r.get(2)?,
        level: r.get(3)?,
        status: r.get(4)?,
        filed_on: date(r.get(5)?)?,
        due_on: date(r.get(6)?)?,
        reconsider_by: opt_date(r.get(7)?)?,
    })
}

#[derive(Debug, Clone)]
pub struct ObjectionFacts {
    pub id: i64,
    pub listing_id: i64,
    pub kind: String,
    pub level: String,
    pub status: String,
    pub filed_on: NaiveDate,
    pub due_on: NaiveDate,
    pub reconsider_by: Option<NaiveDate>,
}

#[derive(Debug, Clone)]
pub struct NoticeFacts {
    pub subject_id: i64,
    pub channel: String,
    pub purpose: String,
    pub recipient: String,
    pub state: String,
}

#[derive(Debug, Clone)]
pub struct Template {
    pub id: i64,
    pub channel: String,
    pub purpose: String,
    pub title: String,
    pub body: String,
}

fn template_row(r: &Row) -> rusqlite::Result<Template> {
    Ok(Template {
        id: r.get(0)?,
        channel: r.get(1)?,
        purpose: r.get(2)?,
        title: r.get(3)?,
        body: r.get(4)?,
    })
}

impl Context<'_> {
    /// Notices of a listing in the given states: (id, channel, purpose, recipient).
    pub fn listing_notices(
        &self,
        listing_id: i64,
        states: &[&str],
    ) -> rusqlite::Result<Vec<(i64, String, String, String)>> {
        let mut out = Vec::new();
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, channel, purpose, recipient FROM notice
             WHERE listing_id = ?1 AND +state = ?2 ORDER BY id",
        )?;
        for state in states {
            let rows = stmt.query_map(params![listing_id, state], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?;
            for row in rows {
                out.push(row?);
            }
        }
        out.sort_unstable();
        Ok(out)
    }

    /// Open deadlines on a listing: (id, kind).
    pub fn open_deadlines(&self, listing_id: i64) -> rusqlite::Result<Vec<(i64, String)>> {
        self.conn
            .prepare_cached(
                "SELECT id, kind FROM deadline WHERE listing_id = ?1 AND +state = 'open' ORDER BY id",
            )?
            .query_map([listing_id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect()
    }

    pub fn phones(&self, subject_id: i64) -> rusqlite::Result<Vec<String>> {
        self.conn
            .prepare_cached("SELECT number FROM phone WHERE subject_id = ?1 ORDER BY id")?
            .query_map([subject_id], |r| r.get(0))?
            .collect()
    }

    /// A template by code and language: (id, channel, purpose, title, body).
    pub fn template_by_code(
        &self,
        code: &str,
        language: &str,
    ) -> rusqlite::Result<Option<Template>> {
        self.conn
            .prepare_cached(
                "SELECT id, channel, purpose, title, body FROM notice_template
                 WHERE code = ?1 AND language = ?2",
            )?
            .query_row([code, language], template_row)
            .optional()
    }

    pub fn template(&self, id: i64) -> rusqlite::Result<Option<Template>> {
        self.conn
            .prepare_cached(
                "SELECT id, channel, purpose, title, body FROM notice_template WHERE id = ?1",
            )?
            .query_row([id], template_row)
            .optional()
    }

    /// The subject's earliest open case, else its earliest case.
    pub fn first_case(&self, subject_id: i64) -> rusqlite::Result<Option<i64>> {
        self.conn
            .prepare_cached(
                "SELECT e.id FROM case_debtor d JOIN enforcement_case e ON e.id = d.case_id
                 WHERE d.subject_id = ?1 ORDER BY e.status <> 'open', e.filed_on, e.id LIMIT 1",
            )?
            .query_row([subject_id], |r| r.get(0))
            .optional()
    }

    /// Whether the same notice already waits in the queue.
    pub fn queued_same(
        &self,
        subject_id: i64,
        channel: &str,
        purpose: &str,
        recipient: &str,
    ) -> rusqlite::Result<bool> {
        self.conn
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM notice WHERE subject_id = ?1 AND +channel = ?2
                 AND purpose = ?3 AND recipient = ?4 AND +state = 'queued')",
            )?
            .query_row(params![subject_id, channel, purpose, recipient], |r| {
                r.get(0)
            })
    }

    pub fn notice(&self, id: i64) -> rusqlite::Result<Option<NoticeFacts>> {
        self.conn
            .prepare_cached(
                "SELECT subject_id, channel, purpose, recipient, state FROM notice WHERE id = ?1",
            )?
            .query_row([id], |r| {
                Ok(NoticeFacts {
                    subject_id: r.get(0)?,
                    channel: r.get(1)?,
                    purpose: r.get(2)?,
                    recipient: r.get(3)?,
                    state: r.get(4)?,
                })
            })
            .optional()
    }

    pub fn objection(&self, id: i64) -> rusqlite::Result<Option<ObjectionFacts>> {
        self.conn
            .prepare_cached(&format!("{OBJECTION_COLUMNS} WHERE id = ?1"))?
            .query_row([id], objection_row)
            .optional()
    }

    pub fn pending_objection(&self, listing_id: i64) -> rusqlite::Result<Option<ObjectionFacts>> {
        self.conn
            .prepare_cached(&format!(
                "{OBJECTION_COLUMNS} WHERE listing_id = ?1 AND +status = 'pending' LIMIT 1"
            ))?
            .query_row([listing_id], objection_row)
            .optional()
    }

    /// The filing date of the reconsideration of an objection, if any.
    pub fn reconsideration_of(&self, objection_id: i64) -> rusqlite::Result<Option<String>> {
        self.conn
            .prepare_cached("SELECT filed_on FROM objection WHERE reconsideration_of = ?1")?
            .query_row([objection_id], |r| r.get(0))
            .optional()
    }
}
