//! Who may do which act, and the acts that need a second officer: lifting a
//! listing for any reason other than full performance or the period
//! ending waits in the approvals queue until a supervisor other than the
//! requesting officer approves it.

use super::context::Context;
use super::{Act, ActRequest, ActResult, Effect, Plan, refuse};
use crate::domain::listing::LiftReason;
use crate::domain::roles::Role;
use rusqlite::{Connection, OptionalExtension};

impl Act {
    /// The least role that may do the act, and the act in a refusal's words.
    pub fn authority(&self) -> (Role, &'static str) {
        match self {
            Act::RecordPayment { .. } => (Role::Clerk, "recording a payment"),
            Act::QueueNotice { .. } => (Role::Clerk, "queueing a notice"),
            Act::CancelNotices { .. } => (Role::Clerk, "cancelling notices"),
            Act::Expire { .. } => (Role::Clerk, "lifting a listing whose period ended"),
            Act::ReversePayment { .. } => (Role::Officer, "reversing a payment"),
            Act::List { .. } => (Role::Officer, "listing a debtor"),
            Act::Lift { .. } => (Role::Officer, "lifting a listing"),
            Act::ImposeOrder { .. } => (Role::Officer, "ordering restrictions"),
            Act::LiftRestriction { .. } => (Role::Officer, "lifting a restriction"),
            Act::NecessaryExpense { .. } => (Role::Officer, "approving a necessary expense"),
            Act::FileObjection { .. } => (Role::Officer, "recording an objection"),
            Act::DecideObjection { .. } => (Role::Officer, "recording a decision"),
            Act::FileReconsideration { .. } => (Role::Officer, "recording a reconsideration"),
            Act::DecideApproval { .. } => (Role::Supervisor, "deciding a request for approval"),
        }
    }

    /// Whether the act takes effect only once a supervisor approves it.
    pub fn needs_approval(&self) -> bool {
        match self {
            Act::Lift { reason, .. } => !matches!(
                reason,
                LiftReason::Performed | LiftReason::SettlementPerformed | LiftReason::PeriodEnded
            ),
            // Revoking a listing on an upheld objection lifts it too.
            Act::DecideObjection {
                upheld, revoke_now, ..
            } => *upheld && *revoke_now,
            _ => false,
        }
    }
}

/// An act that needs approval becomes a request for it: the plan still
/// lists what the act will do, but all it writes now is the request.
pub fn as_request_for_approval(mut plan: Plan) -> ActResult<Plan> {
    if !plan.request.act.needs_approval() {
        return Ok(plan);
    }
    let mut stored = plan.request.clone();
    stored.seen = None;
    let request_json =
        serde_json::to_string(&stored).map_err(|e| super::ActError::Refused(e.to_string()))?;
    plan.effects = vec![Effect::RequestApproval {
        act: plan.act.to_string(),
        subject_id: plan.subject_id,
        title: plan.title.clone(),
        request_json,
    }];
    plan.notes.insert(
        0,
        "This needs a supervisor's approval: confirming sends it to the approvals queue, \
         and nothing above changes until another officer, a supervisor, approves it."
            .into(),
    );
    plan.title = format!("Ask for approval: {}", plan.title);
    plan.act = "approval-requested";
    Ok(plan)
}

/// A request waiting for approval, as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingApproval {
    pub id: i64,
    pub title: String,
    pub subject_id: Option<i64>,
    pub request: ActRequest,
    pub requested_by: i64,
    pub requester: String,
    pub requested_at: String,
    pub state: String,
}

pub fn approval(conn: &Connection, id: i64) -> ActResult<Option<PendingApproval>> {
    let row = conn
        .prepare_cached(
            "SELECT a.id, a.title, a.request_json, a.requested_by, o.name, a.requested_at, a.state,
                    a.subject_id
             FROM approval a JOIN officer o ON o.id = a.requested_by WHERE a.id = ?1",
        )?
        .query_row([id], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, String>(5)?,
                r.get::<_, String>(6)?,
                r.get::<_, Option<i64>>(7)?,
            ))
        })
        .optional()?;
    let Some((id, title, json, requested_by, requester, requested_at, state, subject_id)) = row
    else {
        return Ok(None);
    };
    let request = serde_json::from_str(&json).map_err(|e| {
        super::ActError::Refused(format!(
            "approval {id}: its stored request is unreadable: {e}"
        ))
    })?;
    Ok(Some(PendingApproval {
        id,
        title,
        subject_id,
        request,
        requested_by,
        requester,
        requested_at,
        state,
    }))
}

/// Approving plans the waiting act again, from the store as it is now, and
/// adds the approval's own change; rejecting only closes the request.
pub fn plan_decision(cx: &Context, request: &ActRequest) -> ActResult<Plan> {
    let Act::DecideApproval {
        approval_id,
        approve,
        reason,
    } = &request.act
    else {
        unreachable!("dispatched by act")
    };
    let Some(pending) = approval(cx.conn, *approval_id)? else {
        return refuse(format!("approval {approval_id} is not in the store"));
    };
    if pending.state != "pending" {
        return refuse(format!("this request was already {}", pending.state));
    }
    let asked = format!("asked by {} at {}", pending.requester, pending.requested_at);
    let decision = Effect::DecideApproval {
        approval_id: *approval_id,
        approved: *approve,
        reason: reason.trim().to_string(),
    };
    if !*approve {
        if reason.trim().is_empty() {
            return refuse("give the reason for rejecting: the requesting officer reads it");
        }
        let mut plan = Plan::new(request, "approval-rejected", String::new(), None);
        plan.title = format!("Reject: {}", pending.title);
        plan.subject_id = pending.subject_id;
        plan.push(
            decision,
            format!("Reject the request ({asked}): nothing else changes"),
        );
        plan.notes
            .push(format!("Reason kept on the request: {}", reason.trim()));
        return Ok(plan);
    }
    let inner = super::plan_act(cx, &pending.request)?;
    let mut plan = Plan::new(
        request,
        inner.act,
        format!("Approve: {}", inner.title),
        inner.subject_id,
    );
    plan.changes = inner.changes;
    plan.notes = inner.notes;
    plan.effects = inner.effects;
    plan.push(decision, format!("Mark the request approved ({asked})"));
    Ok(plan)
}

/// Checks, before writing, that a decision on a request comes from a
/// second officer.
pub fn check_second_officer(
    conn: &Connection,
    act: &Act,
    officer_id: Option<i64>,
) -> ActResult<()> {
    let Act::DecideApproval { approval_id, .. } = act else {
        return Ok(());
    };
    match approval(conn, *approval_id)? {
        Some(p) if Some(p.requested_by) == officer_id => {
            refuse("a second officer must decide this request: you asked for it yourself")
        }
        _ => Ok(()),
    }
}
