//! What the planners read: one small query per fact, inside the caller's
//! transaction when applying.
//!
//! A `+` before a column (`+status = 'active'`) keeps SQLite from choosing
//! that column's index: on a million subjects the status index would walk
//! every active row where the key's own index finds a handful.

use crate::domain::calendar::{CalendarDay, DayKind, WorkCalendar};
use chrono::NaiveDate;
mod process;
mod standing;

pub use process::*;
pub use standing::*;

use rusqlite::{Connection, OptionalExtension, Row, params};

pub fn revision(conn: &Connection, subject_id: i64) -> rusqlite::Result<i64> {
    conn.prepare_cached("SELECT count(*) FROM audit_log WHERE subject_id = ?1")?
        .query_row([subject_id], |r| r.get(0))
}

/// Active fixed-period listings whose period ended on or before `today`.
pub fn ended_listings(conn: &Connection, today: NaiveDate) -> rusqlite::Result<Vec<i64>> {
    ended_listings_first(conn, today, usize::MAX)
}

/// The first `limit` of `ended_listings`.
pub fn ended_listings_first(
    conn: &Connection,
    today: NaiveDate,
    limit: usize,
) -> rusqlite::Result<Vec<i64>> {
    conn.prepare_cached(
        // Named: left to itself, SQLite read every active listing through
        // the index by status and sorted them (0.7 s a call at ten million).
        "SELECT id FROM listing INDEXED BY listing_active_expiry
         WHERE status = 'active' AND expires_on <= ?1
         ORDER BY expires_on, id LIMIT ?2",
    )?
    .query_map(
        params![today, i64::try_from(limit).unwrap_or(i64::MAX)],
        |r| r.get(0),
    )?
    .collect()
}

pub struct Context<'c> {
    pub conn: &'c Connection,
    pub today: NaiveDate,
    pub calendar: WorkCalendar,
}

#[derive(Debug, Clone)]
pub struct SubjectFacts {
    pub id: i64,
    pub kind: String,
    pub name: String,
    pub birth_date: Option<NaiveDate>,
    pub address: Option<String>,
}

#[derive(Debug, Clone)]
pub struct CaseFacts {
    pub id: i64,
    pub number: String,
    pub court_id: i64,
    pub court: String,
    pub higher_court_id: Option<i64>,
    pub status: String,
}

#[derive(Debug, Clone)]
pub struct ListingFacts {
    pub id: i64,
    pub subject_id: i64,
    pub case_id: i64,
    pub ground: u8,
    pub decided_on: NaiveDate,
    pub expires_on: Option<NaiveDate>,
    pub status: String,
}

pub(super) fn date(text: String) -> rusqlite::Result<NaiveDate> {
    text.parse().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
    })
}

pub(super) fn opt_date(text: Option<String>) -> rusqlite::Result<Option<NaiveDate>> {
    text.map(date).transpose()
}

fn listing_row(r: &Row) -> rusqlite::Result<ListingFacts> {
    Ok(ListingFacts {
        id: r.get(0)?,
        subject_id: r.get(1)?,
        case_id: r.get(2)?,
        ground: r.get(3)?,
        decided_on: date(r.get(4)?)?,
        expires_on: opt_date(r.get(5)?)?,
        status: r.get(6)?,
    })
}

const LISTING_COLUMNS: &str =
    "SELECT id, subject_id, case_id, ground, decided_on, expires_on, status FROM listing";

impl<'c> Context<'c> {
    pub fn new(conn: &'c Connection, today: NaiveDate) -> rusqlite::Result<Context<'c>> {
        let mut stmt = conn.prepare_cached("SELECT day, kind, name FROM calendar_day")?;
        let days = stmt
            .query_map([], |r| {
                Ok(CalendarDay {
                    day: date(r.get(0)?)?,
                    kind: DayKind::parse(&r.get::<_, String>(1)?).unwrap_or(DayKind::Holiday),
                    name: r.get(2)?,
                })
            })?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Context {
            conn,
            today,
            calendar: WorkCalendar::new(days),
        })
    }

    pub fn subject(&self, id: i64) -> rusqlite::Result<Option<SubjectFacts>> {
        self.conn
            .prepare_cached(
                "SELECT id, kind, name, birth_date, address FROM subject WHERE id = ?1",
            )?
            .query_row([id], |r| {
                Ok(SubjectFacts {
                    id: r.get(0)?,
                    kind: r.get(1)?,
                    name: r.get(2)?,
                    birth_date: opt_date(r.get(3)?)?,
                    address: r.get(4)?,
                })
            })
            .optional()
    }

    pub fn case(&self, id: i64) -> rusqlite::Result<Option<CaseFacts>> {
        self.conn
            .prepare_cached(
                "SELECT e.id, e.case_number, c.id, c.name, c.higher_court_id, e.status
                 FROM enforcement_case e JOIN court c ON c.id = e.court_id WHERE e.id = ?1",
            )?
            .query_row([id], |r| {
                Ok(CaseFacts {
                    id: r.get(0)?,
                    number: r.get(1)?,
                    court_id: r.get(2)?,
                    court: r.get(3)?,
                    higher_court_id: r.get(4)?,
                    status: r.get(5)?,
                })
            })
            .optional()
    }

    pub fn court_name(&self, id: i64) -> rusqlite::Result<String> {
        self.conn
            .prepare_cached("SELECT name FROM court WHERE id = ?1")?
            .query_row([id], |r| r.get(0))
    }

    pub fn is_debtor(&self, case_id: i64, subject_id: i64) -> rusqlite::Result<bool> {
        self.conn
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM case_debtor WHERE case_id = ?1 AND subject_id = ?2)",
            )?
            .query_row([case_id, subject_id], |r| r.get(0))
    }

    pub fn listing(&self, id: i64) -> rusqlite::Result<Option<ListingFacts>> {
        self.conn
            .prepare_cached(&format!("{LISTING_COLUMNS} WHERE id = ?1"))?
            .query_row([id], listing_row)
            .optional()
    }

    /// Active listings of a subject, optionally only those on one case.
    pub fn active_listings(
        &self,
        subject_id: i64,
        case_id: Option<i64>,
    ) -> rusqlite::Result<Vec<ListingFacts>> {
        self.conn
            .prepare_cached(&format!(
                "{LISTING_COLUMNS} WHERE subject_id = ?1 AND status = 'active'
                 AND (?2 IS NULL OR case_id = ?2) ORDER BY decided_on, id"
            ))?
            .query_map(params![subject_id, case_id], listing_row)?
            .collect()
    }

    pub fn listing_label(&self, listing_id: i64) -> rusqlite::Result<String> {
        self.conn
            .prepare_cached(
                "SELECT l.decision_no || ' (' || e.case_number || ')' FROM listing l
                 JOIN enforcement_case e ON e.id = l.case_id WHERE l.id = ?1",
            )?
            .query_row([listing_id], |r| r.get(0))
    }
}
