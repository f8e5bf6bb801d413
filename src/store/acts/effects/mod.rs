//! The rows an act writes, and the before and after of each for the audit
//! row. Nothing here decides anything: the planners did.

mod write;

use super::Actor;
use chrono::NaiveDate;
use rusqlite::{Connection, OptionalExtension};
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
    /// The act waits for a supervisor: only the request is written.
    RequestApproval {
        act: String,
        subject_id: Option<i64>,
        title: String,
        request_json: String,
    },
    DecideApproval {
        approval_id: i64,
        approved: bool,
        reason: String,
    },
}

/// The rows an act touched, keyed "table/id", before and after.
pub struct Written {
    pub before: Value,
    pub after: Value,
    /// The first row the act wrote: the audit row names it.
    pub primary: Option<(&'static str, i64)>,
}

pub fn execute(
    conn: &Connection,
    site: i64,
    actor: &Actor,
    effects: &[Effect],
) -> rusqlite::Result<Written> {
    let mut w = write::Writer {
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

/// One row as a JSON object of all its columns. `table` is one of the
/// program's own table names.
pub fn row_json(conn: &Connection, table: &str, id: i64) -> rusqlite::Result<Value> {
    let columns = crate::store::seal::columns(conn, table)?;
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
