//! Officer acts. Each act is first planned: checked against the rules, its
//! effects listed in words for the confirm view. Applying it opens one
//! IMMEDIATE transaction, plans again from what the store holds now, refuses
//! if that differs from what the officer confirmed (another officer acted
//! meanwhile), writes the effects and exactly one audit row, and commits.

mod authority;
mod context;
mod effects;
mod lift;
mod listing;
mod notice;
mod objection;
mod payment;
mod restriction;

pub use effects::{Basis, Effect, NoticeDraft, Ref};
pub use notice::Recipients;

use super::{Store, StoreError};
use crate::domain::Fen;
use crate::domain::codes::{ObjectionKind, PaymentMethod, RestrictionLift};
use crate::domain::listing::LiftReason;
use chrono::NaiveDate;
use rusqlite::{Connection, TransactionBehavior};

#[derive(Debug, thiserror::Error)]
pub enum ActError {
    /// A rule refuses the act; the message says which and why.
    #[error("{0}")]
    Refused(String),
    #[error(
        "the record changed meanwhile (another officer acted on it) and has been reloaded: check it and try again"
    )]
    Stale,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<rusqlite::Error> for ActError {
    fn from(e: rusqlite::Error) -> Self {
        ActError::Store(StoreError::Query(e))
    }
}

pub type ActResult<T> = Result<T, ActError>;

impl From<ActError> for StoreError {
    fn from(e: ActError) -> Self {
        match e {
            ActError::Store(e) => e,
            other => StoreError::Refused(other.to_string()),
        }
    }
}

pub(crate) fn refuse<T>(message: impl Into<String>) -> ActResult<T> {
    Err(ActError::Refused(message.into()))
}

/// The time written to rows and the audit log, on the program's day (the
/// hidden --today moves it for tests and demos), with the local clock's
/// time of day and zone.
pub fn now_on(today: NaiveDate) -> String {
    format!("{today}T{}", chrono::Local::now().format("%H:%M:%S%:z"))
}

/// Who acts, and when.
#[derive(Debug, Clone)]
pub struct Actor {
    /// None only for the program's own acts (a period ending).
    pub officer_id: Option<i64>,
    /// ISO time with zone, as written to the rows and the audit log.
    pub now: String,
    pub today: NaiveDate,
}

/// What the officer asks for, in the store's keys.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Act {
    RecordPayment {
        obligation_id: i64,
        amount: Fen,
        paid_on: NaiveDate,
        method: PaymentMethod,
        receipt_no: String,
        /// When the payment completes the case: lift what rests on it now.
        lift_if_complete: bool,
    },
    ReversePayment {
        payment_id: i64,
        reason: String,
        on: NaiveDate,
    },
    List {
        subject_id: i64,
        case_id: i64,
        ground: u8,
        decision_no: String,
        decided_on: NaiveDate,
        /// None: the ground's own period (none for ground 1, else 2 years).
        years: Option<u8>,
        exclusions_confirmed: bool,
        /// Queue the service notice and the SMS warning.
        notify: bool,
    },
    Lift {
        listing_id: i64,
        reason: LiftReason,
        on: NaiveDate,
    },
    ImposeOrder {
        subject_id: i64,
        case_id: i64,
        codes: Vec<String>,
        decision_no: String,
        decided_on: NaiveDate,
    },
    LiftRestriction {
        restriction_id: i64,
        reason: RestrictionLift,
        on: NaiveDate,
    },
    NecessaryExpense {
        restriction_id: i64,
        description: String,
        amount: Option<Fen>,
        approved_on: NaiveDate,
    },
    FileObjection {
        listing_id: i64,
        kind: ObjectionKind,
        filed_on: NaiveDate,
    },
    DecideObjection {
        objection_id: i64,
        upheld: bool,
        reason: String,
        decided_on: NaiveDate,
        /// Upheld "should not be listed": revoke the listing in the same act.
        revoke_now: bool,
    },
    FileReconsideration {
        objection_id: i64,
        filed_on: NaiveDate,
    },
    QueueNotice {
        subject_id: i64,
        template_id: i64,
        recipients: Recipients,
    },
    CancelNotices {
        notice_ids: Vec<i64>,
        reason: String,
    },
    /// The program lifts a fixed-period listing whose period has ended.
    Expire { listing_id: i64 },
    /// A supervisor approves (the waiting act takes effect) or rejects a
    /// request for approval.
    DecideApproval {
        approval_id: i64,
        approve: bool,
        reason: String,
    },
}

/// The act, and what the officer's screen showed of the subject: the
/// revision (count of its audit rows) the form was built from.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ActRequest {
    pub act: Act,
    pub seen: Option<Seen>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Seen {
    pub subject_id: i64,
    pub revision: i64,
}

/// A choice the confirm view offers (lift on completion, queue notices, ...).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanOption {
    pub label: String,
    pub on: bool,
}

/// What an act will do, checked and described, not yet written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    pub request: ActRequest,
    /// The audit log's name for the act.
    pub act: &'static str,
    pub title: String,
    /// The subject acted on (None for a bulk act over several).
    pub subject_id: Option<i64>,
    /// Every change, in words, in the order it is written.
    pub changes: Vec<String>,
    /// What stays as it is, and why.
    pub notes: Vec<String>,
    pub option: Option<PlanOption>,
    pub effects: Vec<Effect>,
}

impl Plan {
    fn new(
        request: &ActRequest,
        act: &'static str,
        title: String,
        subject_id: Option<i64>,
    ) -> Plan {
        Plan {
            request: request.clone(),
            act,
            title,
            subject_id,
            changes: Vec::new(),
            notes: Vec::new(),
            option: None,
            effects: Vec::new(),
        }
    }

    fn push(&mut self, effect: Effect, words: impl Into<String>) {
        self.effects.push(effect);
        self.changes.push(words.into());
    }

    /// The same request with the offered option switched.
    pub fn toggled(&self) -> ActRequest {
        let mut request = self.request.clone();
        let on = !self.option.as_ref().is_some_and(|o| o.on);
        match &mut request.act {
            Act::RecordPayment {
                lift_if_complete, ..
            } => *lift_if_complete = on,
            Act::List { notify, .. } => *notify = on,
            Act::DecideObjection { revoke_now, .. } => *revoke_now = on,
            _ => {}
        }
        request
    }
}

/// What an applied act left behind.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Applied {
    pub audit_seq: i64,
    pub title: String,
}

impl Store {
    /// Checks an act and lists what it would change; writes nothing.
    pub fn plan(&self, request: &ActRequest, today: NaiveDate) -> ActResult<Plan> {
        plan_in(self.conn(), request, today)
    }

    /// Checks the officer may do the act (a refusal is recorded), then
    /// plans it: what the workstation asks before the confirm view.
    pub fn plan_for(
        &self,
        request: &ActRequest,
        officer_id: Option<i64>,
        today: NaiveDate,
    ) -> ActResult<Plan> {
        authorize_act(self.conn(), &request.act, officer_id, &now_on(today))?;
        plan_in(self.conn(), request, today)
    }

    /// Writes a confirmed plan: one transaction, one audit row. The
    /// officer's role is checked first; a refusal is recorded.
    pub fn apply(&mut self, confirmed: &Plan, actor: &Actor) -> ActResult<Applied> {
        authorize_act(
            self.conn(),
            &confirmed.request.act,
            actor.officer_id,
            &actor.now,
        )?;
        let site = self.site()?;
        let tx = self
            .conn_mut()
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let fresh = plan_in(&tx, &confirmed.request, actor.today)?;
        if fresh != *confirmed {
            return Err(ActError::Stale);
        }
        // The kept status once per subject at the end, not after each of
        // the dozen rows a listing writes.
        let deferral = super::standing::defer(&tx)?;
        let written = effects::execute(&tx, site, actor, &fresh.effects)?;
        deferral.flush()?;
        let entry = super::AuditEntry {
            officer_id: actor.officer_id,
            act: fresh.act.into(),
            subject_id: fresh.subject_id,
            entity: written.primary.map(|p| p.0.to_string()),
            entity_id: written.primary.map(|p| p.1),
            before_json: Some(written.before.to_string()),
            after_json: Some(written.after.to_string()),
            detail: Some(fresh.title.clone()),
        };
        let audit_seq = super::audit::append(&tx, site, &actor.now, &entry)?;
        tx.commit()?;
        Ok(Applied {
            audit_seq,
            title: fresh.title,
        })
    }

    /// How many acts the subject's record has seen: a form built from an
    /// older revision is stale.
    pub fn revision(&self, subject_id: i64) -> super::Result<i64> {
        Ok(context::revision(self.conn(), subject_id)?)
    }
}

/// The program's own liftings (a period ending) need no officer; every
/// other act needs one whose role covers it, and a decision on a request
/// for approval needs a second officer.
fn authorize_act(
    conn: &Connection,
    act: &Act,
    officer_id: Option<i64>,
    now: &str,
) -> ActResult<()> {
    if matches!(act, Act::Expire { .. }) && officer_id.is_none() {
        return Ok(());
    }
    let (needed, what) = act.authority();
    super::officers::authorize(conn, officer_id, what, needed, now)?;
    authority::check_second_officer(conn, act, officer_id)
}

fn plan_in(conn: &Connection, request: &ActRequest, today: NaiveDate) -> ActResult<Plan> {
    if let Some(seen) = request.seen
        && context::revision(conn, seen.subject_id)? != seen.revision
    {
        return Err(ActError::Stale);
    }
    let cx = context::Context::new(conn, today)?;
    authority::as_request_for_approval(plan_act(&cx, request)?)
}

/// The act's own plan, as it takes effect (approved, where it needs that).
fn plan_act(cx: &context::Context, request: &ActRequest) -> ActResult<Plan> {
    match &request.act {
        Act::RecordPayment { .. } => payment::plan_payment(cx, request),
        Act::ReversePayment { .. } => payment::plan_reversal(cx, request),
        Act::List { .. } => listing::plan_listing(cx, request),
        Act::Lift { .. } | Act::Expire { .. } => lift::plan_lift(cx, request),
        Act::ImposeOrder { .. } => restriction::plan_order(cx, request),
        Act::LiftRestriction { .. } => restriction::plan_lift_item(cx, request),
        Act::NecessaryExpense { .. } => restriction::plan_expense(cx, request),
        Act::FileObjection { .. } | Act::FileReconsideration { .. } => {
            objection::plan_filing(cx, request)
        }
        Act::DecideObjection { .. } => objection::plan_decision(cx, request),
        Act::QueueNotice { .. } => notice::plan_queue(cx, request),
        Act::CancelNotices { .. } => notice::plan_cancel(cx, request),
        Act::DecideApproval { .. } => authority::plan_decision(cx, request),
    }
}

/// Listings `expire_each` reads at a time: a store may hold hundreds of
/// thousands that ended (a court's whole caseload, imported), and their ids
/// need not all be held at once.
const EXPIRY_BATCH: usize = 1_000;

impl Store {
    /// Active fixed-period listings whose period has ended by `today`.
    pub fn ended_listings(&self, today: NaiveDate) -> super::Result<Vec<i64>> {
        Ok(context::ended_listings(self.conn(), today)?)
    }

    /// Lifts, with reason "period ended", every fixed-period listing whose
    /// period has ended: one act (and one audit row) per listing.
    pub fn expire_listings(&mut self, actor: &Actor) -> ActResult<Vec<Applied>> {
        let mut applied = Vec::new();
        self.expire_each(actor, |a| applied.push(a))?;
        Ok(applied)
    }

    /// As `expire_listings`, handing each lifting to `lifted` as it is
    /// made instead of holding them all; returns how many.
    pub fn expire_each(
        &mut self,
        actor: &Actor,
        mut lifted: impl FnMut(Applied),
    ) -> ActResult<usize> {
        let mut count = 0;
        loop {
            let (batch, more) = self.expire_some_listings(actor, EXPIRY_BATCH)?;
            count += batch.len();
            batch.into_iter().for_each(&mut lifted);
            if !more {
                return Ok(count);
            }
        }
    }

    /// Lifts at most `limit` of the listings whose period has ended, those
    /// that ended first first, and says whether more remain: the TUI lifts
    /// them a few at a time in its worker, between the officer's requests.
    pub fn expire_some_listings(
        &mut self,
        actor: &Actor,
        limit: usize,
    ) -> ActResult<(Vec<Applied>, bool)> {
        let mut due = context::ended_listings_first(self.conn(), actor.today, limit + 1)?;
        let more = due.len() > limit;
        due.truncate(limit);
        let mut applied = Vec::with_capacity(due.len());
        for listing_id in due {
            let request = ActRequest {
                act: Act::Expire { listing_id },
                seen: None,
            };
            let plan = self.plan(&request, actor.today)?;
            applied.push(self.apply(&plan, actor)?);
        }
        Ok((applied, more))
    }
}
