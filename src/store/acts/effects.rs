//! The rows an act writes, and the before and after of each for the audit
//! row. Nothing here decides anything: the planners did.

use super::Actor;
use crate::store::ids::IdAllocator;
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension, ToSql, params};
use serde_json::{Map, Value};

/// A row the act refers to: one that exists, or the one of its table this
/// act creates first.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ref {
    Id(i64),
    New,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Basis {
    Listing(Ref),
    Order(Ref),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeDraft {
    pub subject_id: i64,
    pub listing_id: Option<Ref>,
    pub template_id: Option<i64>,
    pub channel: String,
    pub purpose: String,
    pub recipient: String,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    Payment {
        obligation_id: i64,
        amount_fen: i64,
        paid_on: NaiveDate,
        method: String,
        receipt_no: String,
    },
    Reversal {
        payment_id: i64,
        obligation_id: i64,
        amount_fen: i64,
        on: NaiveDate,
        reason: String,
    },
    CaseStatus {
        case_id: i64,
        status: String,
    },
    Listing {
        subject_id: i64,
        case_id: i64,
        ground: u8,
        decision_no: String,
        decided_on: NaiveDate,
        period_years: Option<u8>,
        expires_on: Option<NaiveDate>,
    },
    Order {
        subject_id: i64,
        case_id: i64,
        decision_no: String,
        decided_on: NaiveDate,
    },
    Restrict {
        subject_id: i64,
        code: String,
        basis: Basis,
        on: NaiveDate,
    },
    LiftListing {
        listing_id: i64,
        reason: String,
        on: NaiveDate,
    },
    LiftRestriction {
        restriction_id: i64,
        reason: String,
        on: NaiveDate,
    },
    LiftOrder {
        order_id: i64,
    },
    Expense {
        restriction_id: i64,
        description: String,
        amount_fen: Option<i64>,
        on: NaiveDate,
    },
    Notice(NoticeDraft),
    CancelNotice {
        notice_id: i64,
        reason: String,
    },
    Deadline {
        subject_id: i64,
        kind: String,
        listing_id: Option<i64>,
        objection_id: Option<Ref>,
        due_on: NaiveDate,
    },
    CloseDeadline {
        deadline_id: i64,
    },
    Objection {
        listing_id: i64,
        subject_id: i64,
        kind: String,
        reconsideration_of: Option<i64>,
        court_id: i64,
        filed_on: NaiveDate,
        due_on: NaiveDate,
    },
    Decision {
        objection_id: i64,
        upheld: bool,
        reason: String,
        on: NaiveDate,
        correction_due_on: Option<NaiveDate>,
        reconsider_by: Option<NaiveDate>,
    },
}

/// The rows an act touched, keyed "table/id", before and after.
pub struct Written {
    pub before: Value,
    pub after: Value,
    /// The first row the act wrote: the audit row names it.
    pub primary: Option<(&'static str, i64)>,
}

struct Writer<'c> {
    conn: &'c Connection,
    site: i64,
    actor: &'c Actor,
    created: Vec<(&'static str, i64)>,
    touched: Vec<(&'static str, i64)>,
    before: Map<String, Value>,
}

pub fn execute(
    conn: &Connection,
    site: i64,
    actor: &Actor,
    effects: &[Effect],
) -> rusqlite::Result<Written> {
    let mut w = Writer {
        conn,
        site,
        actor,
        created: Vec::new(),
        touched: Vec::new(),
        before: Map::new(),
    };
    for effect in effects {
        w.write(effect)?;
    }
    let mut after = Map::new();
    for (table, id) in &w.touched {
        after.insert(format!("{table}/{id}"), row_json(conn, table, *id)?);
    }
    Ok(Written {
        before: Value::Object(w.before),
        after: Value::Object(after),
        primary: w.touched.first().copied(),
    })
}

impl Writer<'_> {
    fn write(&mut self, effect: &Effect) -> rusqlite::Result<()> {
        match effect {
            Effect::Payment { .. } | Effect::Reversal { .. } | Effect::CaseStatus { .. } => {
                self.write_money(effect)
            }
            Effect::Listing { .. }
            | Effect::Order { .. }
            | Effect::Restrict { .. }
            | Effect::LiftListing { .. }
            | Effect::LiftRestriction { .. }
            | Effect::LiftOrder { .. }
            | Effect::Expense { .. } => self.write_standing(effect),
            _ => self.write_process(effect),
        }
    }

    fn write_money(&mut self, effect: &Effect) -> rusqlite::Result<()> {
        let (now, by) = (self.actor.now.clone(), self.actor.officer_id);
        match effect {
            Effect::Payment { obligation_id, amount_fen, paid_on, method, receipt_no } => self.insert(
                "payment",
                "INSERT INTO payment (id, obligation_id, kind, amount_fen, paid_on, method, receipt_no,
                                      recorded_by, recorded_at)
                 VALUES (?1, ?2, 'payment', ?3, ?4, ?5, ?6, ?7, ?8)",
                params![obligation_id, amount_fen, paid_on, method, receipt_no, by, now],
            ),
            Effect::Reversal { payment_id, obligation_id, amount_fen, on, reason } => self.insert(
                "payment",
                "INSERT INTO payment (id, obligation_id, kind, amount_fen, paid_on, reverses_id, reason,
                                      recorded_by, recorded_at)
                 VALUES (?1, ?2, 'reversal', ?3, ?4, ?5, ?6, ?7, ?8)",
                params![obligation_id, amount_fen, on, payment_id, reason, by, now],
            ),
            Effect::CaseStatus { case_id, status } => self.update(
                "enforcement_case",
                *case_id,
                "UPDATE enforcement_case SET status = ?2 WHERE id = ?1",
                params![case_id, status],
            ),
            _ => Ok(()),
        }
    }

    /// Listings, orders and restrictions: the debtor's legal standing.
    fn write_standing(&mut self, effect: &Effect) -> rusqlite::Result<()> {
        let (now, by) = (self.actor.now.clone(), self.actor.officer_id);
        match effect {
            Effect::Listing { subject_id, case_id, ground, decision_no, decided_on, period_years, expires_on } => self.insert(
                "listing",
                "INSERT INTO listing (id, subject_id, case_id, ground, decision_no, decided_on,
                                      period_years, expires_on, listed_by, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                params![subject_id, case_id, ground, decision_no, decided_on, period_years, expires_on, by, now],
            ),
            Effect::Order { subject_id, case_id, decision_no, decided_on } => self.insert(
                "restriction_order",
                "INSERT INTO restriction_order (id, subject_id, case_id, decision_no, decided_on,
                                                ordered_by, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![subject_id, case_id, decision_no, decided_on, by, now],
            ),
            Effect::Restrict { subject_id, code, basis, on } => {
                let (listing, order) = match basis {
                    Basis::Listing(r) => (Some(self.resolve("listing", *r)), None),
                    Basis::Order(r) => (None, Some(self.resolve("restriction_order", *r))),
                };
                self.insert(
                    "restriction",
                    "INSERT INTO restriction (id, subject_id, code, listing_id, order_id, imposed_on,
                                              imposed_by, created_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                    params![subject_id, code, listing, order, on, by, now],
                )
            }
            Effect::LiftListing { listing_id, reason, on } => self.update(
                "listing",
                *listing_id,
                "UPDATE listing SET status = CASE WHEN ?2 = 'wrongly-listed' THEN 'revoked' ELSE 'lifted' END,
                                    lifted_reason = ?2, lifted_on = ?3, lifted_by = ?4
                 WHERE id = ?1 AND status = 'active'",
                params![listing_id, reason, on, by],
            ),
            Effect::LiftRestriction { restriction_id, reason, on } => self.update(
                "restriction",
                *restriction_id,
                "UPDATE restriction SET status = 'lifted', lifted_reason = ?2, lifted_on = ?3, lifted_by = ?4
                 WHERE id = ?1 AND status = 'active'",
                params![restriction_id, reason, on, by],
            ),
            Effect::LiftOrder { order_id } => self.update(
                "restriction_order",
                *order_id,
                "UPDATE restriction_order SET status = 'lifted' WHERE id = ?1 AND status = 'active'",
                params![order_id],
            ),
            Effect::Expense { restriction_id, description, amount_fen, on } => self.insert(
                "necessary_expense",
                "INSERT INTO necessary_expense (id, restriction_id, description, amount_fen, approved_on, approved_by)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
                params![restriction_id, description, amount_fen, on, by],
            ),
            _ => Ok(()),
        }
    }

    /// Notices, clocks and objections: the procedure around the standing.
    fn write_process(&mut self, effect: &Effect) -> rusqlite::Result<()> {
        let (now, by) = (self.actor.now.clone(), self.actor.officer_id);
        match effect {
            Effect::Notice(n) => {
                let listing = n.listing_id.map(|r| self.resolve("listing", r));
                self.insert(
                    "notice",
                    "INSERT INTO notice (id, subject_id, listing_id, template_id, channel, purpose, recipient,
                                         body, queued_at, queued_by, state_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?9)",
                    params![n.subject_id, listing, n.template_id, n.channel, n.purpose, n.recipient, n.body, now, by],
                )
            }
            Effect::CancelNotice { notice_id, reason } => self.update(
                "notice",
                *notice_id,
                "UPDATE notice SET state = 'cancelled', cancel_reason = ?2, state_at = ?3
                 WHERE id = ?1 AND state = 'queued'",
                params![notice_id, reason, now],
            ),
            Effect::Deadline { subject_id, kind, listing_id, objection_id, due_on } => {
                let objection = objection_id.map(|r| self.resolve("objection", r));
                self.insert(
                    "deadline",
                    "INSERT INTO deadline (id, subject_id, kind, listing_id, objection_id, due_on, created_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                    params![subject_id, kind, listing_id, objection, due_on, now],
                )
            }
            Effect::CloseDeadline { deadline_id } => self.update(
                "deadline",
                *deadline_id,
                "UPDATE deadline SET state = 'met', closed_at = ?2 WHERE id = ?1 AND state = 'open'",
                params![deadline_id, now],
            ),
            Effect::Objection { listing_id, subject_id, kind, reconsideration_of, court_id, filed_on, due_on } => {
                let level = if reconsideration_of.is_some() { "higher-court" } else { "enforcing-court" };
                self.insert(
                    "objection",
                    "INSERT INTO objection (id, listing_id, subject_id, kind, level, reconsideration_of,
                                            court_id, filed_on, due_on, filed_by, created_at)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
                    params![listing_id, subject_id, kind, level, reconsideration_of, court_id, filed_on, due_on, by, now],
                )
            }
            Effect::Decision { objection_id, upheld, reason, on, correction_due_on, reconsider_by } => self.update(
                "objection",
                *objection_id,
                "UPDATE objection SET status = ?2, decided_on = ?3, decision_reason = ?4,
                                      correction_due_on = ?5, reconsider_by = ?6, decided_by = ?7
                 WHERE id = ?1 AND status = 'pending'",
                params![objection_id, if *upheld { "upheld" } else { "rejected" }, on, reason,
                        correction_due_on, reconsider_by, by],
            ),
            _ => Ok(()),
        }
    }

    fn resolve(&self, table: &str, r: Ref) -> i64 {
        match r {
            Ref::Id(id) => id,
            Ref::New => self
                .created
                .iter()
                .find(|(t, _)| *t == table)
                .map_or(0, |(_, id)| *id),
        }
    }

    /// Inserts one row; its new key is bound as ?1 before `rest`.
    fn insert(
        &mut self,
        table: &'static str,
        sql: &str,
        rest: &[&dyn ToSql],
    ) -> rusqlite::Result<()> {
        let id = IdAllocator::for_table(self.conn, table, self.site)?.next_id();
        let mut all: Vec<&dyn ToSql> = Vec::with_capacity(rest.len() + 1);
        all.push(&id);
        all.extend_from_slice(rest);
        self.conn.prepare_cached(sql)?.execute(&*all)?;
        self.created.push((table, id));
        self.touched.push((table, id));
        Ok(())
    }

    /// An update that must change exactly one row: a planner saw it in the
    /// state the WHERE clause names, inside this same transaction.
    fn update(
        &mut self,
        table: &'static str,
        id: i64,
        sql: &str,
        params: &[&dyn ToSql],
    ) -> rusqlite::Result<()> {
        let key = format!("{table}/{id}");
        if !self.before.contains_key(&key) {
            self.before.insert(key, row_json(self.conn, table, id)?);
            self.touched.push((table, id));
        }
        let changed = self.conn.prepare_cached(sql)?.execute(params)?;
        if changed != 1 {
            return Err(rusqlite::Error::QueryReturnedNoRows);
        }
        Ok(())
    }
}

/// One row as a JSON object of all its columns. `table` is one of the
/// program's own table names.
pub fn row_json(conn: &Connection, table: &str, id: i64) -> rusqlite::Result<Value> {
    let columns: Vec<String> = conn
        .prepare_cached(&format!("SELECT name FROM pragma_table_info('{table}')"))?
        .query_map([], |r| r.get(0))?
        .collect::<Result<_, _>>()?;
    let pairs: Vec<String> = columns.iter().map(|c| format!("'{c}', {c}")).collect();
    let sql = format!(
        "SELECT json_object({}) FROM {table} WHERE id = ?1",
        pairs.join(", ")
    );
    let text: Option<String> = conn
        .prepare_cached(&sql)?
        .query_row([id], |r| r.get(0))
        .optional()?;
    Ok(text
        .and_then(|t| serde_json::from_str(&t).ok())
        .unwrap_or(Value::Null))
}
