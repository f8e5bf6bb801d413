//! What the planners read about money and standing: obligations,
//! payments, restrictions and orders.

use super::Context;
use crate::domain::Fen;
use rusqlite::{OptionalExtension, Row, params};

#[derive(Debug, Clone)]
pub struct RestrictionFacts {
    pub id: i64,
    pub subject_id: i64,
    pub code: String,
    pub listing_id: Option<i64>,
    pub order_id: Option<i64>,
    pub status: String,
}

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

impl Context<'_> {
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
        // One query per basis column, so each uses its own partial index.
        let (column, key) = match basis {
            (Some(listing), _) => ("listing_id", listing),
            (None, Some(order)) => ("order_id", order),
            (None, None) => return Ok(Vec::new()),
        };
        self.conn
            .prepare_cached(&format!(
                "{RESTRICTION_COLUMNS} WHERE {column} = ?1 AND +status = 'active'
                 ORDER BY subject_id, code, id"
            ))?
            .query_map([key], restriction_row)?
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

    /// The amount outstanding of a subject, on one case or all of them.
    pub fn outstanding(&self, subject_id: i64, case_id: Option<i64>) -> rusqlite::Result<Fen> {
        let fen: i64 = self
            .conn
            .prepare_cached(concat!(
                "SELECT coalesce(sum(o.amount_fen - ",
                paid_on_o!(),
                "), 0) FROM obligation o
                 WHERE o.subject_id = ?1 AND o.amount_fen IS NOT NULL AND (?2 IS NULL OR o.case_id = ?2)",
            ))?
            .query_row(params![subject_id, case_id], |r| r.get(0))?;
        Ok(Fen(fen))
    }

    /// Obligations of one debtor in one case still not performed.
    pub fn unperformed(&self, subject_id: i64, case_id: i64) -> rusqlite::Result<i64> {
        self.conn
            .prepare_cached(concat!(
                "SELECT count(*) FROM obligation o
                 WHERE o.subject_id = ?1 AND o.case_id = ?2 AND CASE
                     WHEN o.amount_fen IS NULL THEN o.performed_on IS NULL
                     ELSE o.amount_fen > ",
                paid_on_o!(),
                " END",
            ))?
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

    pub fn obligation(&self, id: i64) -> rusqlite::Result<Option<ObligationFacts>> {
        self.conn
            .prepare_cached(concat!(
                "SELECT o.id, o.case_id, o.subject_id, o.description, o.amount_fen, ",
                paid_on_o!(),
                " FROM obligation o WHERE o.id = ?1",
            ))?
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
