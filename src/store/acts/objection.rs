//! Objections to a listing and their reconsideration (Arts. 11-12). The
//! listing stays in force while either is pending.

use super::context::{CaseFacts, Context, ListingFacts, ObjectionFacts, SubjectFacts};
use super::effects::{Effect, Ref};
use super::lift::{Lifting, active_listing, lift_listing_effects};
use super::notice;
use super::{Act, ActRequest, ActResult, Plan, PlanOption, refuse};
use crate::domain::calendar::add_calendar_days;
use crate::domain::calendar::deadlines::{
    DELETION_WORKING_DAYS, OBJECTION_REVIEW_DAYS, RECONSIDERATION_DECISION_DAYS,
    RECONSIDERATION_WINDOW_DAYS,
};
use crate::domain::codes::ObjectionKind;
use crate::domain::listing::LiftReason;
use chrono::NaiveDate;

pub fn plan_filing(cx: &Context, request: &ActRequest) -> ActResult<Plan> {
    match &request.act {
        Act::FileObjection {
            listing_id,
            kind,
            filed_on,
        } => file_objection(cx, request, *listing_id, *kind, *filed_on),
        Act::FileReconsideration {
            objection_id,
            filed_on,
        } => file_reconsideration(cx, request, *objection_id, *filed_on),
        _ => unreachable!("dispatched by act"),
    }
}

fn file_objection(
    cx: &Context,
    request: &ActRequest,
    listing_id: i64,
    kind: ObjectionKind,
    filed_on: NaiveDate,
) -> ActResult<Plan> {
    let listing = active_listing(cx, listing_id)?;
    if filed_on > cx.today {
        return refuse(format!("the filing date {filed_on} is in the future"));
    }
    if let Some(pending) = cx.pending_objection(listing.id)? {
        return refuse(format!(
            "an objection to this listing is already pending (filed {}, due {}): decide it first",
            pending.filed_on, pending.due_on
        ));
    }
    let case = notice::case(cx, listing.case_id)?;
    let subject = notice::subject(cx, listing.subject_id)?;
    let due = add_calendar_days(filed_on, OBJECTION_REVIEW_DAYS);
    let mut plan = Plan::new(
        request,
        "file-objection",
        format!(
            "File {}'s objection to the listing in {}",
            subject.name, case.number
        ),
        Some(subject.id),
    );
    plan.push(
        Effect::Objection {
            listing_id: listing.id,
            subject_id: subject.id,
            kind: kind.code().into(),
            reconsideration_of: None,
            court_id: case.court_id,
            filed_on,
            due_on: due,
        },
        format!(
            "File the objection \"{}\" of {filed_on}: {} decides it by {due} (15 days, Art. 11)",
            kind.describe(),
            case.court
        ),
    );
    plan.notes
        .push("The listing stays in force while the objection is reviewed".into());
    Ok(plan)
}

fn file_reconsideration(
    cx: &Context,
    request: &ActRequest,
    objection_id: i64,
    filed_on: NaiveDate,
) -> ActResult<Plan> {
    let Some(first) = cx.objection(objection_id)? else {
        return refuse(format!("objection {objection_id} is not in the store"));
    };
    if first.level != "enforcing-court" || first.status != "rejected" {
        return refuse("reconsideration is asked of a rejection by the enforcing court");
    }
    if let Some(already) = cx.reconsideration_of(first.id)? {
        return refuse(format!(
            "reconsideration of this rejection was already filed on {already}"
        ));
    }
    if filed_on > cx.today {
        return refuse(format!("the filing date {filed_on} is in the future"));
    }
    if let Some(by) = first.reconsider_by
        && filed_on > by
    {
        return refuse(format!(
            "the 10-day window for reconsideration closed on {by}; the request of {filed_on} is late"
        ));
    }
    let listing = active_listing(cx, first.listing_id)?;
    let case = notice::case(cx, listing.case_id)?;
    let Some(higher) = case.higher_court_id else {
        return refuse(format!("no higher court is recorded for {}", case.court));
    };
    let subject = notice::subject(cx, listing.subject_id)?;
    let due = add_calendar_days(filed_on, RECONSIDERATION_DECISION_DAYS);
    let mut plan = Plan::new(
        request,
        "file-reconsideration",
        format!(
            "File {}'s request for reconsideration ({})",
            subject.name, case.number
        ),
        Some(subject.id),
    );
    plan.push(
        Effect::Objection {
            listing_id: listing.id,
            subject_id: subject.id,
            kind: first.kind.clone(),
            reconsideration_of: Some(first.id),
            court_id: higher,
            filed_on,
            due_on: due,
        },
        format!(
            "File the reconsideration of {filed_on} at {}: decided by {due} (15 days)",
            cx.court_name(higher)?
        ),
    );
    plan.notes
        .push("The listing stays in force during reconsideration (Art. 12)".into());
    Ok(plan)
}

pub fn plan_decision(cx: &Context, request: &ActRequest) -> ActResult<Plan> {
    let Act::DecideObjection {
        objection_id,
        upheld,
        reason,
        decided_on,
        revoke_now,
    } = &request.act
    else {
        unreachable!("dispatched by act")
    };
    let Some(ob) = cx.objection(*objection_id)? else {
        return refuse(format!("objection {objection_id} is not in the store"));
    };
    if ob.status != "pending" {
        return refuse(format!("this objection was already decided: {}", ob.status));
    }
    if *decided_on > cx.today || *decided_on < ob.filed_on {
        return refuse(format!(
            "the decision date {decided_on} must fall between the filing ({}) and today",
            ob.filed_on
        ));
    }
    if !upheld && reason.trim().is_empty() {
        return refuse("a rejection states its reasons: write them in the reason field");
    }
    let listing = active_listing(cx, ob.listing_id)?;
    let d = Decided {
        case: notice::case(cx, listing.case_id)?,
        subject: notice::subject(cx, listing.subject_id)?,
        what: if ob.level == "enforcing-court" {
            "objection"
        } else {
            "reconsideration"
        },
        on: *decided_on,
        ob,
        listing,
    };
    let verdict = if *upheld { "Uphold" } else { "Reject" };
    let mut plan = Plan::new(
        request,
        "decide-objection",
        format!(
            "{verdict} {}'s {} ({})",
            d.subject.name, d.what, d.case.number
        ),
        Some(d.subject.id),
    );
    if *upheld {
        upheld_effects(cx, &mut plan, &d, *revoke_now)?;
    } else {
        rejected_effects(cx, &mut plan, &d, reason.trim())?;
    }
    Ok(plan)
}

/// The objection being decided, with what the decision touches.
struct Decided {
    ob: ObjectionFacts,
    listing: ListingFacts,
    case: CaseFacts,
    subject: SubjectFacts,
    /// "objection" or "reconsideration".
    what: &'static str,
    on: NaiveDate,
}

/// Upheld: the listing is revoked now (when it should not have been made),
/// or corrected within 3 working days.
fn upheld_effects(cx: &Context, plan: &mut Plan, d: &Decided, revoke_now: bool) -> ActResult<()> {
    let correction_due = cx.calendar.add_working_days(d.on, DELETION_WORKING_DAYS);
    plan.push(
        Effect::Decision {
            objection_id: d.ob.id,
            upheld: true,
            reason: String::new(),
            on: d.on,
            correction_due_on: Some(correction_due),
            reconsider_by: None,
        },
        format!("Record the decision of {}: the {} is upheld", d.on, d.what),
    );
    let revocable = d.ob.kind == ObjectionKind::ShouldNotBeListed.code();
    if revocable {
        plan.option = Some(PlanOption {
            label: "revoke the listing now (wrongly listed, Art. 9)".into(),
            on: revoke_now,
        });
    }
    if revocable && revoke_now {
        let lifting = Lifting {
            listings: vec![d.listing.id],
            orders: Vec::new(),
        };
        return lift_listing_effects(
            cx,
            plan,
            &d.listing,
            LiftReason::WronglyListed,
            d.on,
            &lifting,
        );
    }
    plan.push(
        Effect::Deadline {
            subject_id: d.subject.id,
            kind: "correction-after-objection".into(),
            listing_id: Some(d.listing.id),
            objection_id: Some(Ref::Id(d.ob.id)),
            due_on: correction_due,
        },
        format!(
            "The listing must be corrected or revoked by {correction_due} (3 working days); the deadline enters the queue"
        ),
    );
    Ok(())
}

/// Rejected with reasons: the rejection is served; a first rejection opens
/// the 10-day window for reconsideration. The listing stays in force.
fn rejected_effects(cx: &Context, plan: &mut Plan, d: &Decided, reason: &str) -> ActResult<()> {
    let reconsider_by =
        (d.what == "objection").then(|| add_calendar_days(d.on, RECONSIDERATION_WINDOW_DAYS));
    plan.push(
        Effect::Decision {
            objection_id: d.ob.id,
            upheld: false,
            reason: reason.into(),
            on: d.on,
            correction_due_on: None,
            reconsider_by,
        },
        format!(
            "Record the decision of {}: the {} is rejected",
            d.on, d.what
        ),
    );
    match reconsider_by {
        Some(by) => plan.changes.push(format!(
            "{} may ask the higher court for reconsideration until {by} (10 days)",
            d.subject.name
        )),
        None => plan
            .notes
            .push("The higher court's decision is final".into()),
    }
    notice::queue_for(
        cx,
        plan,
        "objection-rejected",
        &d.subject,
        &d.case,
        Some(Ref::Id(d.listing.id)),
        &[notice::address_of(&d.subject)],
        reconsider_by.unwrap_or(d.on),
    )?;
    plan.notes.push("The listing stays in force".into());
    Ok(())
}
