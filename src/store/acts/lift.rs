//! Lifting a listing, and what follows: its restrictions, its notices, its
//! clocks. Payments that complete a case and upheld objections lift through
//! here too.

use super::context::{Context, ListingFacts};
use super::effects::Effect;
use super::notice;
use super::{Act, ActRequest, ActResult, Plan, refuse};
use crate::domain::listing::LiftReason;
use crate::words::count;
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet};

pub fn plan_lift(cx: &Context, request: &ActRequest) -> ActResult<Plan> {
    let (listing_id, reason, on, act) = match &request.act {
        Act::Lift {
            listing_id,
            reason,
            on,
        } => (*listing_id, *reason, *on, "lift-listing"),
        Act::Expire { listing_id } => (
            *listing_id,
            LiftReason::PeriodEnded,
            cx.today,
            "period-ended",
        ),
        _ => unreachable!("dispatched by act"),
    };
    let listing = active_listing(cx, listing_id)?;
    if on > cx.today {
        return refuse(format!("the lifting date {on} is in the future"));
    }
    if on < listing.decided_on {
        return refuse(format!(
            "the lifting date {on} is before the listing decision of {}",
            listing.decided_on
        ));
    }
    if reason == LiftReason::PeriodEnded {
        match listing.expires_on {
            None => {
                return refuse(
                    "this listing (ground 1) has no fixed period; choose the deletion ground that applies",
                );
            }
            Some(end) if end > on => {
                return refuse(format!(
                    "the listing's period runs until {end}; it has not ended"
                ));
            }
            Some(_) => {}
        }
    }
    let subject = notice::subject(cx, listing.subject_id)?;
    let verb = if reason == LiftReason::WronglyListed {
        "Revoke"
    } else {
        "Lift"
    };
    let mut plan = Plan::new(
        request,
        act,
        format!(
            "{verb} the listing of {} ({})",
            subject.name,
            cx.listing_label(listing.id)?
        ),
        Some(subject.id),
    );
    let lifting = Lifting {
        listings: vec![listing.id],
        orders: Vec::new(),
    };
    lift_listing_effects(cx, &mut plan, &listing, reason, on, &lifting)?;
    Ok(plan)
}

pub fn active_listing(cx: &Context, listing_id: i64) -> ActResult<ListingFacts> {
    let Some(listing) = cx.listing(listing_id)? else {
        return refuse(format!("listing {listing_id} is not in the store"));
    };
    if listing.status != "active" {
        return refuse(format!(
            "the listing {} is already {}; its record is kept as it is",
            cx.listing_label(listing.id)?,
            listing.status
        ));
    }
    Ok(listing)
}

/// Every basis one act lifts, so a restriction still resting on another
/// basis is named as staying.
pub struct Lifting {
    pub listings: Vec<i64>,
    pub orders: Vec<i64>,
}

impl Lifting {
    fn covers(&self, listing: Option<i64>, order: Option<i64>) -> bool {
        listing.is_some_and(|l| self.listings.contains(&l))
            || order.is_some_and(|o| self.orders.contains(&o))
    }
}

/// Lifts one listing: the listing row, the restrictions resting on it, its
/// notices not yet handed to a channel, a lifting notice on every channel
/// that carried it, and the clocks that ran on it.
pub fn lift_listing_effects(
    cx: &Context,
    plan: &mut Plan,
    listing: &ListingFacts,
    reason: LiftReason,
    on: NaiveDate,
    lifting: &Lifting,
) -> ActResult<()> {
    let verb = if reason == LiftReason::WronglyListed {
        "Revoke"
    } else {
        "Lift"
    };
    plan.push(
        Effect::LiftListing {
            listing_id: listing.id,
            reason: reason.code().into(),
            on,
        },
        format!(
            "{verb} listing {} on {on}: {}",
            cx.listing_label(listing.id)?,
            reason.describe()
        ),
    );
    let item_reason = if reason == LiftReason::Performed {
        "performed"
    } else {
        "basis-lifted"
    };
    lift_restrictions(cx, plan, (Some(listing.id), None), item_reason, on, lifting)?;
    let case = notice::case(cx, listing.case_id)?;
    let subject = notice::subject(cx, listing.subject_id)?;
    notice::withdraw_listing_notices(cx, plan, listing.id, &subject, &case, lifting)?;
    for (deadline_id, kind) in cx.open_deadlines(listing.id)? {
        plan.push(
            Effect::CloseDeadline { deadline_id },
            format!(
                "Close the {} deadline: met by this act",
                kind.replace('-', " ")
            ),
        );
    }
    Ok(())
}

/// Lifts the restrictions resting on one basis, one line per person; notes
/// each item a person stays restricted on through another basis.
pub fn lift_restrictions(
    cx: &Context,
    plan: &mut Plan,
    basis: (Option<i64>, Option<i64>),
    reason: &str,
    on: NaiveDate,
    lifting: &Lifting,
) -> ActResult<()> {
    let rows = cx.restrictions_on(basis)?;
    let people: BTreeSet<i64> = rows.iter().map(|r| r.subject_id).collect();
    for person in people {
        let name = notice::subject(cx, person)?.name;
        let mine: Vec<_> = rows.iter().filter(|r| r.subject_id == person).collect();
        for r in &mine {
            plan.effects.push(Effect::LiftRestriction {
                restriction_id: r.id,
                reason: reason.into(),
                on,
            });
        }
        plan.changes.push(format!(
            "Lift {} on {name}",
            count(mine.len(), "restriction item")
        ));
        let mut staying: BTreeMap<String, usize> = BTreeMap::new();
        for r in &mine {
            let others = cx.active_restrictions(person, &r.code)?;
            if let Some(other) = others
                .iter()
                .find(|o| !lifting.covers(o.listing_id, o.order_id))
            {
                *staying
                    .entry(basis_label(cx, other.listing_id, other.order_id)?)
                    .or_default() += 1;
            }
        }
        for (basis, items) in staying {
            plan.notes.push(format!(
                "{name} stays restricted on {}: still imposed by {basis}",
                count(items, "item")
            ));
        }
    }
    Ok(())
}

pub(super) fn basis_label(
    cx: &Context,
    listing: Option<i64>,
    order: Option<i64>,
) -> ActResult<String> {
    if let Some(l) = listing {
        return Ok(format!("listing {}", cx.listing_label(l)?));
    }
    let order = order.unwrap_or_default();
    let label = cx
        .order_facts(order)?
        .map_or_else(|| order.to_string(), |(no, _, _)| no);
    Ok(format!("restriction order {label}"))
}
