//! What the planners read: one small query per fact, inside the caller's
//! transaction when applying.

use crate::domain::Fen;
use crate::domain::calendar::{CalendarDay, DayKind, WorkCalendar};
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, Row, params};

pub fn revision(conn: &Connection, subject_id: i64) -> rusqlite::Result<i64> {
    conn.prepare_cached("SELECT count(*) FROM audit_log WHERE subject_id = ?1")?
        .query_row([subject_id], |r| r.get(0))
}

/// Active fixed-period listings whose period ended on or before `today`.
pub fn ended_listings(conn: &Connection, today: NaiveDate) -> rusqlite::Result<Vec<i64>> {
    conn.prepare_cached(
        "SELECT id FROM listing WHERE status = 'active' AND expires_on <= ?1 ORDER BY expires_on, id",
    )?
    .query_map([today], |r| r.get(0))?
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

#[derive(Debug, Clone)]
pub struct RestrictionFacts {
    pub id: i64,
    pub subject_id: i64,
    pub code: String,
    pub listing_id: Option<i64>,
    pub order_id: Option<i64>,
    pub status: String,
}

fn date(text: String) -> rusqlite::Result<NaiveDate> {
    text.parse().map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
    })
}

fn opt_date(text: Option<String>) -> rusqlite::Result<Option<NaiveDate>> {
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

fn restriction_row(r: &Row) -> rusqlite::Result<RestrictionFacts> {
    Ok(RestrictionFacts {
        id: r.get(0)?,
        subject_id: r.get(1)?,
        code: r.get(2)?,
        listing_id: r.get(3)?,
        order_id: r.get(4)?,
        status: r.get(5)?,
    })
}

const RESTRICTION_COLUMNS: &str =
    "SELECT id, subject_id, code, listing_id, order_id, status FROM restriction";

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

    pub fn restriction(&self, id: i64) -> rusqlite::Result<Option<RestrictionFacts>> {
        self.conn
            .prepare_cached(&format!("{RESTRICTION_COLUMNS} WHERE id = ?1"))?
            .query_row([id], restriction_row)
            .optional()
    }

    /// Active restrictions resting on a listing or an order.
    pub fn restrictions_on(
        &self,
        basis: (Option<i64>, Option<i64>),
    ) -> rusqlite::Result<Vec<RestrictionFacts>> {
        self.conn
            .prepare_cached(&format!(
                "{RESTRICTION_COLUMNS} WHERE status = 'active'
                 AND ((?1 IS NOT NULL AND listing_id = ?1) OR (?2 IS NOT NULL AND order_id = ?2))
                 ORDER BY subject_id, code, id"
            ))?
            .query_map(params![basis.0, basis.1], restriction_row)?
            .collect()
    }

    /// Active restrictions of a subject on one item.
    pub fn active_restrictions(
        &self,
        subject_id: i64,
        code: &str,
    ) -> rusqlite::Result<Vec<RestrictionFacts>> {
        self.conn
            .prepare_cached(&format!(
                "{RESTRICTION_COLUMNS} WHERE subject_id = ?1 AND code = ?2 AND status = 'active' ORDER BY id"
            ))?
            .query_map(params![subject_id, code], restriction_row)?
            .collect()
    }

    /// Active restriction orders of a subject on a case: (id, decision number).
    pub fn active_orders(
        &self,
        subject_id: i64,
        case_id: i64,
    ) -> rusqlite::Result<Vec<(i64, String)>> {
        self.conn
            .prepare_cached(
                "SELECT id, decision_no FROM restriction_order
                 WHERE subject_id = ?1 AND case_id = ?2 AND status = 'active' ORDER BY id",
            )?
            .query_map([subject_id, case_id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect()
    }

    /// A restriction order: (decision number, case, subject).
    pub fn order_facts(&self, order_id: i64) -> rusqlite::Result<Option<(String, i64, i64)>> {
        self.conn
            .prepare_cached(
                "SELECT decision_no, case_id, subject_id FROM restriction_order WHERE id = ?1",
            )?
            .query_row([order_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()
    }

    pub fn listing_label(&self, listing_id: i64) -> rusqlite::Result<String> {
        self.conn
            .prepare_cached(
                "SELECT l.decision_no || ' (' || e.case_number || ')' FROM listing l
                 JOIN enforcement_case e ON e.id = l.case_id WHERE l.id = ?1",
            )?
            .query_row([listing_id], |r| r.get(0))
    }

    /// The amount outstanding of a subject, on one case or all of them.
    pub fn outstanding(&self, subject_id: i64, case_id: Option<i64>) -> rusqlite::Result<Fen> {
        let fen: i64 = self
            .conn
            .prepare_cached(
                "SELECT coalesce(sum(o.amount_fen - coalesce((
                     SELECT sum(CASE p.kind WHEN 'payment' THEN p.amount_fen ELSE -p.amount_fen END)
                     FROM payment p WHERE p.obligation_id = o.id), 0)), 0)
                 FROM obligation o
                 WHERE o.subject_id = ?1 AND o.amount_fen IS NOT NULL AND (?2 IS NULL OR o.case_id = ?2)",
            )?
            .query_row(params![subject_id, case_id], |r| r.get(0))?;
        Ok(Fen(fen))
    }

    /// Obligations of one debtor in one case still not performed.
    pub fn unperformed(&self, subject_id: i64, case_id: i64) -> rusqlite::Result<i64> {
        self.conn
            .prepare_cached(
                "SELECT count(*) FROM obligation o
                 WHERE o.subject_id = ?1 AND o.case_id = ?2 AND CASE
                     WHEN o.amount_fen IS NULL THEN o.performed_on IS NULL
                     ELSE o.amount_fen > coalesce((
                         SELECT sum(CASE p.kind WHEN 'payment' THEN p.amount_fen ELSE -p.amount_fen END)
                         FROM payment p WHERE p.obligation_id = o.id), 0) END",
            )?
            .query_row([subject_id, case_id], |r| r.get(0))
    }

    /// Debtors of a case other than this one who still owe something.
    pub fn other_debtors_unperformed(
        &self,
        subject_id: i64,
        case_id: i64,
    ) -> rusqlite::Result<i64> {
        let others: Vec<i64> = self
            .conn
            .prepare_cached(
                "SELECT subject_id FROM case_debtor WHERE case_id = ?1 AND subject_id <> ?2",
            )?
            .query_map([case_id, subject_id], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        let mut owing = 0;
        for other in others {
            if self.unperformed(other, case_id)? > 0 {
                owing += 1;
            }
        }
        Ok(owing)
    }

    /// Notices of a listing in the given states: (id, channel, purpose, recipient).
    pub fn listing_notices(
        &self,
        listing_id: i64,
        states: &[&str],
    ) -> rusqlite::Result<Vec<(i64, String, String, String)>> {
        let mut out = Vec::new();
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, channel, purpose, recipient FROM notice
             WHERE listing_id = ?1 AND state = ?2 ORDER BY id",
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
                "SELECT id, kind FROM deadline WHERE listing_id = ?1 AND state = 'open' ORDER BY id",
            )?
            .query_map([listing_id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect()
    }

    /// An entity's responsible persons: (person id, name, role).
    pub fn responsible_persons(
        &self,
        entity_id: i64,
    ) -> rusqlite::Result<Vec<(i64, String, String)>> {
        self.conn
            .prepare_cached(
                "SELECT r.person_id, s.name, r.role FROM responsible_person r
                 JOIN subject s ON s.id = r.person_id WHERE r.entity_id = ?1 ORDER BY r.id",
            )?
            .query_map([entity_id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))?
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
}

impl Context<'_> {
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
                "SELECT EXISTS (SELECT 1 FROM notice WHERE subject_id = ?1 AND channel = ?2
                 AND purpose = ?3 AND recipient = ?4 AND state = 'queued')",
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
}

impl Context<'_> {
    pub fn obligation(&self, id: i64) -> rusqlite::Result<Option<ObligationFacts>> {
        self.conn
            .prepare_cached(
                "SELECT o.id, o.case_id, o.subject_id, o.description, o.amount_fen, coalesce((
                     SELECT sum(CASE p.kind WHEN 'payment' THEN p.amount_fen ELSE -p.amount_fen END)
                     FROM payment p WHERE p.obligation_id = o.id), 0)
                 FROM obligation o WHERE o.id = ?1",
            )?
            .query_row([id], |r| {
                Ok(ObligationFacts {
                    id: r.get(0)?,
                    case_id: r.get(1)?,
                    subject_id: r.get(2)?,
                    description: r.get(3)?,
                    amount: r.get::<_, Option<i64>>(4)?.map(Fen),
                    paid: Fen(r.get(5)?),
                })
            })
            .optional()
    }

    /// Who already holds a receipt number, in words.
    pub fn receipt_owner(&self, receipt: &str) -> rusqlite::Result<Option<String>> {
        self.conn
            .prepare_cached(
                "SELECT s.name, e.case_number, p.paid_on, p.amount_fen FROM payment p
                 JOIN obligation o ON o.id = p.obligation_id
                 JOIN subject s ON s.id = o.subject_id
                 JOIN enforcement_case e ON e.id = o.case_id WHERE p.receipt_no = ?1",
            )?
            .query_row([receipt], |r| {
                Ok(format!(
                    "{} yuan paid by {} on {} in {}",
                    Fen(r.get(3)?),
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, String>(1)?
                ))
            })
            .optional()
    }

    pub fn payment(&self, id: i64) -> rusqlite::Result<Option<PaymentFacts>> {
        self.conn
            .prepare_cached(
                "SELECT p.id, p.obligation_id, p.kind, p.amount_fen, p.paid_on, p.receipt_no,
                        (SELECT r.paid_on FROM payment r WHERE r.reverses_id = p.id)
                 FROM payment p WHERE p.id = ?1",
            )?
            .query_row([id], |r| {
                Ok(PaymentFacts {
                    id: r.get(0)?,
                    obligation_id: r.get(1)?,
                    kind: r.get(2)?,
                    amount: Fen(r.get(3)?),
                    paid_on: r.get(4)?,
                    receipt_no: r.get(5)?,
                    reversed_on: r.get(6)?,
                })
            })
            .optional()
    }
}

impl Context<'_> {
    pub fn objection(&self, id: i64) -> rusqlite::Result<Option<ObjectionFacts>> {
        self.conn
            .prepare_cached(&format!("{OBJECTION_COLUMNS} WHERE id = ?1"))?
            .query_row([id], objection_row)
            .optional()
    }

    pub fn pending_objection(&self, listing_id: i64) -> rusqlite::Result<Option<ObjectionFacts>> {
        self.conn
            .prepare_cached(&format!(
                "{OBJECTION_COLUMNS} WHERE listing_id = ?1 AND status = 'pending' LIMIT 1"
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
pub struct ObligationFacts {
    pub id: i64,
    pub case_id: i64,
    pub subject_id: i64,
    pub description: String,
    pub amount: Option<Fen>,
    pub paid: Fen,
}

#[derive(Debug, Clone)]
pub struct PaymentFacts {
    pub id: i64,
    pub obligation_id: i64,
    pub kind: String,
    pub amount: Fen,
    pub paid_on: String,
    pub receipt_no: Option<String>,
    pub reversed_on: Option<String>,
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
