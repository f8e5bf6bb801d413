//! Writing each effect: one INSERT or one guarded UPDATE, the before of
//! every row kept for the audit row.

use super::{Basis, Effect, Ref, row_json};
use crate::store::acts::Actor;
use crate::store::ids::IdAllocator;
use rusqlite::{Connection, ToSql, params};
use serde_json::{Map, Value};

pub(super) struct Writer<'c> {
    pub conn: &'c Connection,
    pub site: i64,
    pub actor: &'c Actor,
    pub created: Vec<(&'static str, i64)>,
    pub touched: Vec<(&'static str, i64)>,
    pub before: Map<String, Value>,
}

impl Writer<'_> {
    pub fn write(&mut self, effect: &Effect) -> rusqlite::Result<()> {
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
            Effect::RequestApproval { act, subject_id, title, request_json } => self.insert(
                "approval",
                "INSERT INTO approval (id, act, subject_id, title, request_json, requested_by, requested_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                params![act, subject_id, title, request_json, by, now],
            ),
            Effect::DecideApproval { approval_id, approved, reason } => self.update(
                "approval",
                *approval_id,
                "UPDATE approval SET state = ?2, decided_by = ?3, decided_at = ?4, decision_reason = ?5
                 WHERE id = ?1 AND state = 'pending'",
                params![approval_id, if *approved { "approved" } else { "rejected" }, by, now,
                        Some(reason.as_str()).filter(|r| !r.is_empty())],
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
