//! Recording a payment, and reversing a wrong one by a new entry.

use super::context::{CaseFacts, Context, ListingFacts, PaymentFacts, SubjectFacts};
use super::effects::Effect;
use super::lift::{Lifting, lift_listing_effects, lift_restrictions};
use super::notice;
use super::{Act, ActRequest, ActResult, Plan, PlanOption, refuse};
use crate::domain::Fen;
use crate::domain::calendar::deadlines::DELETION_WORKING_DAYS;
use crate::domain::listing::LiftReason;
use chrono::NaiveDate;

pub fn plan_payment(cx: &Context, request: &ActRequest) -> ActResult<Plan> {
    let Act::RecordPayment {
        obligation_id,
        amount,
        paid_on,
        method,
        receipt_no,
        lift_if_complete,
    } = &request.act
    else {
        unreachable!("dispatched by act")
    };
    let Some(ob) = cx.obligation(*obligation_id)? else {
        return refuse(format!("obligation {obligation_id} is not in the store"));
    };
    let case = notice::case(cx, ob.case_id)?;
    let Some(total) = ob.amount else {
        return refuse(format!(
            "\"{}\" is not a monetary obligation: record its performance, not a payment",
            ob.description
        ));
    };
    let remaining = Fen(total.0 - ob.paid.0);
    if amount.0 <= 0 {
        return refuse("the amount must be more than zero");
    }
    if *amount > remaining {
        return refuse(format!(
            "{} yuan is more than the {} yuan that remains of \"{}\" in {}",
            amount, remaining, ob.description, case.number
        ));
    }
    let receipt = receipt_no.trim();
    check_date_and_receipt(cx, *paid_on, receipt)?;
    let subject = notice::subject(cx, ob.subject_id)?;
    let mut plan = Plan::new(
        request,
        "record-payment",
        format!(
            "Record a payment of {amount} yuan by {} in {}",
            subject.name, case.number
        ),
        Some(subject.id),
    );
    plan.push(
        Effect::Payment {
            obligation_id: ob.id,
            amount_fen: amount.0,
            paid_on: *paid_on,
            method: method.code().into(),
            receipt_no: receipt.into(),
        },
        format!(
            "Record {amount} yuan paid on {paid_on} by {}, receipt {receipt}, on \"{}\": {} yuan then remain",
            method.describe(),
            ob.description,
            Fen(remaining.0 - amount.0)
        ),
    );
    let completes = *amount == remaining && cx.unperformed(subject.id, case.id)? == 1;
    if completes {
        completed(cx, &mut plan, &subject, &case, *lift_if_complete)?;
    }
    Ok(plan)
}

/// Only a payment not yet reversed is reversed, with a reason, on a day
/// not ahead of today.
fn check_reversal(
    p: &PaymentFacts,
    reason: &str,
    on: NaiveDate,
    today: NaiveDate,
) -> ActResult<()> {
    if p.kind != "payment" {
        return refuse("a reversal cannot itself be reversed: record a new payment instead");
    }
    if let Some(when) = &p.reversed_on {
        return refuse(format!(
            "receipt {} was already reversed on {when}; a payment is reversed at most once",
            p.receipt_no.as_deref().unwrap_or("-")
        ));
    }
    if reason.trim().is_empty() {
        return refuse("give the reason for the reversal: it stays on the record");
    }
    if on > today {
        return refuse(format!("the reversal date {on} is in the future"));
    }
    Ok(())
}

/// A payment is dated no later than today and carries a receipt number
/// not recorded before.
fn check_date_and_receipt(cx: &Context, paid_on: NaiveDate, receipt: &str) -> ActResult<()> {
    if paid_on > cx.today {
        return refuse(format!("the payment date {paid_on} is in the future"));
    }
    if receipt.is_empty() {
        return refuse("the receipt number is missing: every payment carries one");
    }
    if let Some(earlier) = cx.receipt_owner(receipt)? {
        return refuse(format!("receipt {receipt} is already recorded: {earlier}"));
    }
    Ok(())
}

/// The payment performs every obligation of the debtor in the case: offer to
/// lift what rests on the case, or else start the 3-working-day clock.
fn completed(
    cx: &Context,
    plan: &mut Plan,
    subject: &SubjectFacts,
    case: &CaseFacts,
    lift: bool,
) -> ActResult<()> {
    plan.changes.push(format!(
        "This payment completes {}'s obligations in {}",
        subject.name, case.number
    ));
    if cx.other_debtors_unperformed(subject.id, case.id)? == 0 && case.status == "open" {
        plan.push(
            Effect::CaseStatus {
                case_id: case.id,
                status: "performed".into(),
            },
            format!("Mark {} performed", case.number),
        );
    }
    let resting = Resting {
        listings: cx.active_listings(subject.id, Some(case.id))?,
        orders: cx.active_orders(subject.id, case.id)?,
    };
    if resting.listings.is_empty() && resting.orders.is_empty() {
        return Ok(());
    }
    plan.option = Some(PlanOption {
        label: "lift the listings and restrictions resting on this case now and queue the lifting notices".into(),
        on: lift,
    });
    if lift {
        lift_now(cx, plan, &resting)
    } else {
        delete_later(cx, plan, subject, &resting)
    }
}

/// What rests on a case: its active listings and restriction orders.
struct Resting {
    listings: Vec<ListingFacts>,
    /// (order id, decision number)
    orders: Vec<(i64, String)>,
}

fn lift_now(cx: &Context, plan: &mut Plan, resting: &Resting) -> ActResult<()> {
    let lifting = Lifting {
        listings: resting.listings.iter().map(|l| l.id).collect(),
        orders: resting.orders.iter().map(|o| o.0).collect(),
    };
    for listing in &resting.listings {
        lift_listing_effects(cx, plan, listing, LiftReason::Performed, cx.today, &lifting)?;
    }
    for (order_id, decision_no) in &resting.orders {
        let basis = (None, Some(*order_id));
        lift_restrictions(cx, plan, basis, "performed", cx.today, &lifting)?;
        plan.push(
            Effect::LiftOrder {
                order_id: *order_id,
            },
            format!("Close restriction order {decision_no}: performed"),
        );
    }
    Ok(())
}

/// Declined: each listing must be deleted within 3 working days (Art. 10).
fn delete_later(
    cx: &Context,
    plan: &mut Plan,
    subject: &SubjectFacts,
    resting: &Resting,
) -> ActResult<()> {
    let due = cx
        .calendar
        .add_working_days(cx.today, DELETION_WORKING_DAYS);
    for listing in &resting.listings {
        plan.push(
            Effect::Deadline {
                subject_id: subject.id,
                kind: "deletion-after-performance".into(),
                listing_id: Some(listing.id),
                objection_id: None,
                due_on: due,
            },
            format!(
                "Not lifted now: listing {} must be deleted by {due} (3 working days, Art. 10); the deadline enters the deadlines queue",
                cx.listing_label(listing.id)?
            ),
        );
    }
    for (_, decision_no) in &resting.orders {
        plan.notes.push(format!(
            "Restriction order {decision_no} stays until lifted: full performance requires lifting it promptly"
        ));
    }
    Ok(())
}

pub fn plan_reversal(cx: &Context, request: &ActRequest) -> ActResult<Plan> {
    let Act::ReversePayment {
        payment_id,
        reason,
        on,
    } = &request.act
    else {
        unreachable!("dispatched by act")
    };
    let Some(p) = cx.payment(*payment_id)? else {
        return refuse(format!("payment {payment_id} is not in the store"));
    };
    check_reversal(&p, reason, *on, cx.today)?;
    let Some(ob) = cx.obligation(p.obligation_id)? else {
        return refuse("the payment's obligation is missing from the store");
    };
    let case = notice::case(cx, ob.case_id)?;
    let subject = notice::subject(cx, ob.subject_id)?;
    let mut plan = Plan::new(
        request,
        "reverse-payment",
        format!(
            "Reverse the payment of {} yuan by {} ({})",
            p.amount, subject.name, case.number
        ),
        Some(subject.id),
    );
    plan.push(
        Effect::Reversal {
            payment_id: p.id,
            obligation_id: ob.id,
            amount_fen: p.amount.0,
            on: *on,
            reason: reason.trim().into(),
        },
        format!(
            "Reverse {} yuan (receipt {}, paid {}): {}; the original entry stays",
            p.amount,
            p.receipt_no.as_deref().unwrap_or("-"),
            p.paid_on,
            reason.trim()
        ),
    );
    if case.status == "performed" {
        plan.push(
            Effect::CaseStatus {
                case_id: case.id,
                status: "open".into(),
            },
            format!("Reopen {}: it is no longer fully performed", case.number),
        );
        plan.notes.push(
            "Listings lifted for performance stay lifted: a new listing needs a new decision"
                .into(),
        );
    }
    Ok(plan)
}
