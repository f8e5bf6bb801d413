//! Restriction orders without listing, lifting one item, and the necessary
//! expenses a court allows despite a restriction.

use super::context::{Context, RestrictionFacts};
use super::effects::{Basis, Effect, Ref};
use super::lift::basis_label;
use super::listing::bound_by;
use super::notice;
use super::{Act, ActRequest, ActResult, Plan, refuse};
use crate::domain::codes::RestrictionLift;
use crate::domain::status::restriction_item;
use chrono::NaiveDate;

pub fn plan_order(cx: &Context, request: &ActRequest) -> ActResult<Plan> {
    let Act::ImposeOrder {
        subject_id,
        case_id,
        codes,
        decision_no,
        decided_on,
    } = &request.act
    else {
        unreachable!("dispatched by act")
    };
    let subject = notice::subject(cx, *subject_id)?;
    let case = notice::case(cx, *case_id)?;
    if !cx.is_debtor(case.id, subject.id)? {
        return refuse(format!(
            "{} is not a debtor in case {}",
            subject.name, case.number
        ));
    }
    check_order(codes, decision_no, *decided_on, cx.today)?;
    let mut plan = Plan::new(
        request,
        "restriction-order",
        format!(
            "Restriction order {} for {} in {}",
            decision_no.trim(),
            subject.name,
            case.number
        ),
        Some(subject.id),
    );
    plan.push(
        Effect::Order {
            subject_id: subject.id,
            case_id: case.id,
            decision_no: decision_no.trim().into(),
            decided_on: *decided_on,
        },
        format!(
            "Record restriction order {} of {decided_on} (no listing)",
            decision_no.trim()
        ),
    );
    let bound = bound_by(cx, subject.id, &subject.name, &subject.kind)?;
    for (person, name) in bound {
        for code in codes {
            let words = restriction_item(code).map_or(code.as_str(), |i| i.name_en);
            plan.push(
                Effect::Restrict {
                    subject_id: person,
                    code: code.clone(),
                    basis: Basis::Order(Ref::New),
                    on: *decided_on,
                },
                format!("Restrict {name}: {words}"),
            );
        }
    }
    Ok(plan)
}

/// The order's own terms: known items, its number, a date not ahead.
fn check_order(
    codes: &[String],
    decision_no: &str,
    decided_on: NaiveDate,
    today: NaiveDate,
) -> ActResult<()> {
    if codes.is_empty() {
        return refuse("choose at least one item to restrict");
    }
    if let Some(unknown) = codes.iter().find(|c| restriction_item(c).is_none()) {
        return refuse(format!(
            "\"{unknown}\" is not an item of the restriction catalog"
        ));
    }
    if decision_no.trim().is_empty() {
        return refuse("the order's decision number is missing: copy it from the signed order");
    }
    if decided_on > today {
        return refuse(format!("the order date {decided_on} is in the future"));
    }
    Ok(())
}

fn active_restriction(cx: &Context, id: i64) -> ActResult<RestrictionFacts> {
    match cx.restriction(id)? {
        Some(r) if r.status == "active" => Ok(r),
        Some(r) => refuse(format!(
            "the {} restriction is already {}",
            r.code, r.status
        )),
        None => refuse(format!("restriction {id} is not in the store")),
    }
}

pub fn plan_lift_item(cx: &Context, request: &ActRequest) -> ActResult<Plan> {
    let Act::LiftRestriction {
        restriction_id,
        reason,
        on,
    } = &request.act
    else {
        unreachable!("dispatched by act")
    };
    let r = active_restriction(cx, *restriction_id)?;
    let subject = notice::subject(cx, r.subject_id)?;
    if let Some(listing) = r.listing_id {
        return refuse(format!(
            "a listed debtor must be restricted: this item rests on listing {}; lift the listing instead",
            cx.listing_label(listing)?
        ));
    }
    if *on > cx.today {
        return refuse(format!("the lifting date {on} is in the future"));
    }
    let order_id = r.order_id.unwrap_or_default();
    let Some((order_no, case_id, order_subject)) = cx.order_facts(order_id)? else {
        return refuse("the restriction's order is missing from the store");
    };
    if *reason == RestrictionLift::Performed {
        check_performed(cx, order_subject, case_id)?;
    }
    let item = restriction_item(&r.code).map_or(r.code.as_str(), |i| i.name_en);
    let mut plan = Plan::new(
        request,
        "lift-restriction",
        format!("Lift \"{item}\" for {} (order {order_no})", subject.name),
        Some(subject.id),
    );
    let on_order = cx.restrictions_on((None, Some(order_id)))?;
    let same_item: Vec<_> = on_order.iter().filter(|o| o.code == r.code).collect();
    for row in &same_item {
        let name = notice::subject(cx, row.subject_id)?.name;
        plan.push(
            Effect::LiftRestriction {
                restriction_id: row.id,
                reason: reason.code().into(),
                on: *on,
            },
            format!("Lift \"{item}\" on {name} on {on}: {}", reason.describe()),
        );
    }
    if on_order.len() == same_item.len() {
        plan.push(
            Effect::LiftOrder { order_id },
            format!("Close restriction order {order_no}: no item remains"),
        );
    }
    for other in cx.active_restrictions(r.subject_id, &r.code)? {
        if other.order_id != Some(order_id) {
            plan.notes.push(format!(
                "{} stays restricted on \"{item}\": still imposed by {}",
                subject.name,
                basis_label(cx, other.listing_id, other.order_id)?
            ));
        }
    }
    Ok(plan)
}

/// "Performed" lifts an order's item only once the debtor owes nothing in
/// the order's case.
fn check_performed(cx: &Context, subject_id: i64, case_id: i64) -> ActResult<()> {
    if cx.unperformed(subject_id, case_id)? == 0 {
        return Ok(());
    }
    let case = notice::case(cx, case_id)?;
    refuse(format!(
        "the obligations in {} are not fully performed ({} yuan outstanding): choose another reason",
        case.number,
        cx.outstanding(subject_id, Some(case_id))?
    ))
}

pub fn plan_expense(cx: &Context, request: &ActRequest) -> ActResult<Plan> {
    let Act::NecessaryExpense {
        restriction_id,
        description,
        amount,
        approved_on,
    } = &request.act
    else {
        unreachable!("dispatched by act")
    };
    let r = active_restriction(cx, *restriction_id)?;
    if description.trim().is_empty() {
        return refuse("describe the expense the court allows (what, where, when)");
    }
    if amount.is_some_and(|a| a.0 <= 0) {
        return refuse("the amount must be more than zero, or left empty");
    }
    if *approved_on > cx.today {
        return refuse(format!("the approval date {approved_on} is in the future"));
    }
    let subject = notice::subject(cx, r.subject_id)?;
    let item = restriction_item(&r.code).map_or(r.code.as_str(), |i| i.name_en);
    let mut plan = Plan::new(
        request,
        "necessary-expense",
        format!(
            "Allow a necessary expense for {} despite \"{item}\"",
            subject.name
        ),
        Some(subject.id),
    );
    let amount_words = amount.map_or_else(String::new, |a| format!(", {a} yuan"));
    plan.push(
        Effect::Expense {
            restriction_id: r.id,
            description: description.trim().into(),
            amount_fen: amount.map(|a| a.0),
            on: *approved_on,
        },
        format!(
            "Record the court's approval of {approved_on}: {}{amount_words}; the restriction stays",
            description.trim()
        ),
    );
    Ok(plan)
}
