//! Listing as dishonest and lifting a listing, with the restrictions and
//! notices that follow from each.

use super::context::{CaseFacts, Context, SubjectFacts};
use super::effects::{Basis, Effect, Ref};
use super::notice;
use super::{Act, ActRequest, ActResult, Plan, PlanOption, refuse};
use crate::domain::listing::{Ground, ListingRequest, Period, check_listing};
use crate::domain::status::consumption_items;
use chrono::NaiveDate;

pub fn plan_listing(cx: &Context, request: &ActRequest) -> ActResult<Plan> {
    let Act::List {
        subject_id,
        case_id,
        ground,
        decision_no,
        decided_on,
        years,
        exclusions_confirmed,
        notify,
    } = &request.act
    else {
        unreachable!("dispatched by act")
    };
    let subject = notice::subject(cx, *subject_id)?;
    let case = notice::case(cx, *case_id)?;
    let terms = Terms {
        ground: *ground,
        decision_no: decision_no.trim(),
        decided_on: *decided_on,
        years: *years,
        exclusions_confirmed: *exclusions_confirmed,
    };
    let (ground, period, expires_on) = check_terms(cx, &subject, &case, &terms)?;
    let mut plan = Plan::new(
        request,
        "list-dishonest",
        format!("List {} as dishonest in {}", subject.name, case.number),
        Some(subject.id),
    );
    let period_words = match period {
        Period::UntilDeleted => "no fixed period: until a deletion ground applies".to_string(),
        Period::Years(y) => format!(
            "{y} years, ending {}",
            expires_on.map_or_else(String::new, |d| d.to_string())
        ),
    };
    plan.push(
        Effect::Listing {
            subject_id: subject.id,
            case_id: case.id,
            ground: ground.number(),
            decision_no: terms.decision_no.to_string(),
            decided_on: *decided_on,
            period_years: match period {
                Period::Years(y) => Some(y),
                Period::UntilDeleted => None,
            },
            expires_on,
        },
        format!(
            "List {} on ground {} ({}), decision {} of {}; {period_words}",
            subject.name,
            ground.number(),
            ground.description(),
            terms.decision_no,
            decided_on
        ),
    );
    restrict_all(
        cx,
        &mut plan,
        subject.id,
        &subject.name,
        &subject.kind,
        *decided_on,
    )?;
    plan.option = Some(PlanOption {
        label: "queue the service of the decision and the SMS warning".into(),
        on: *notify,
    });
    if *notify {
        queue_listing_notices(cx, &mut plan, &subject, &case)?;
    }
    Ok(plan)
}

/// What the officer typed about the listing decision.
struct Terms<'a> {
    ground: u8,
    decision_no: &'a str,
    decided_on: NaiveDate,
    years: Option<u8>,
    exclusions_confirmed: bool,
}

/// Arts. 1-4 and the case: the ground, the period and its end, or why not.
fn check_terms(
    cx: &Context,
    subject: &SubjectFacts,
    case: &CaseFacts,
    terms: &Terms,
) -> ActResult<(Ground, Period, Option<NaiveDate>)> {
    if !cx.is_debtor(case.id, subject.id)? {
        return refuse(format!(
            "{} is not a debtor in case {}",
            subject.name, case.number
        ));
    }
    if cx.unperformed(subject.id, case.id)? == 0 {
        return refuse(format!(
            "{} has performed every obligation in {}: a debtor who performed is not listed",
            subject.name, case.number
        ));
    }
    let Some(ground) = Ground::new(terms.ground) else {
        return refuse(format!(
            "ground {} does not exist: Art. 1 has grounds 1 to 6",
            terms.ground
        ));
    };
    if terms.decision_no.is_empty() {
        return refuse("the decision number is missing: copy it from the signed decision");
    }
    let rules = ListingRequest {
        ground,
        years: terms.years,
        decided_on: terms.decided_on,
        birth_date: subject.birth_date,
        exclusions_confirmed: terms.exclusions_confirmed,
    };
    let (period, expires_on) =
        check_listing(&rules, cx.today).map_err(|e| super::ActError::Refused(e.to_string()))?;
    let active = cx.active_listings(subject.id, Some(case.id))?;
    if let Some(same) = active.iter().find(|l| l.ground == ground.number()) {
        return refuse(format!(
            "{} is already listed on ground {} in this case ({}); lift that listing first or list on another ground",
            subject.name,
            same.ground,
            cx.listing_label(same.id)?
        ));
    }
    Ok((ground, period, expires_on))
}

/// The service of the decision, and the SMS warning before the call message.
fn queue_listing_notices(
    cx: &Context,
    plan: &mut Plan,
    subject: &SubjectFacts,
    case: &CaseFacts,
) -> ActResult<()> {
    let deadline = crate::domain::calendar::add_calendar_days(cx.today, 3);
    for (code, recipients) in [
        ("service-listing", vec![notice::address_of(subject)]),
        ("sms-warning", notice::reachable(cx, subject, "sms")?),
    ] {
        notice::queue_for(
            cx,
            plan,
            code,
            subject,
            case,
            Some(Ref::New),
            &recipients,
            deadline,
        )?;
    }
    Ok(())
}

/// A listed debtor must be restricted: every consumption item, on the
/// debtor and, for an entity, on its responsible persons.
fn restrict_all(
    cx: &Context,
    plan: &mut Plan,
    subject_id: i64,
    name: &str,
    kind: &str,
    on: NaiveDate,
) -> ActResult<()> {
    let items: Vec<_> = consumption_items().collect();
    for (person, shown_as) in bound_by(cx, subject_id, name, kind)? {
        for item in &items {
            plan.effects.push(Effect::Restrict {
                subject_id: person,
                code: item.code.to_string(),
                basis: Basis::Listing(Ref::New),
                on,
            });
        }
        plan.changes.push(format!(
            "Restrict {shown_as}: all {} consumption items (flights, high-speed rail, star hotels, ...)",
            items.len()
        ));
    }
    Ok(())
}

/// Whom a restriction binds: the debtor and, for an entity, its responsible
/// persons, each as the plan names them ("name (role)").
pub(super) fn bound_by(
    cx: &Context,
    subject_id: i64,
    name: &str,
    kind: &str,
) -> ActResult<Vec<(i64, String)>> {
    let mut bound = vec![(subject_id, name.to_string())];
    if kind == "entity" {
        for (person, person_name, role) in cx.responsible_persons(subject_id)? {
            bound.push((person, format!("{person_name} ({role})")));
        }
    }
    Ok(bound)
}
