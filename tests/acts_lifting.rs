//! Officer acts on a real store, continued (acts.rs): lifting and
//! restriction orders.

mod common;

use common::acting::{assert_mentions, assert_refused, audit_rows, export, queue_call_message};
use common::fixture::{d, fixture};
use common::today;
use zhixing::domain::Fen;
use zhixing::domain::codes::RestrictionLift;
use zhixing::domain::listing::LiftReason;
use zhixing::store::acts::Act;

#[test]
fn a_payment_completing_the_case_lifts_listing_restrictions_and_notices() {
    let mut f = fixture();
    f.list(f.adult, f.case1, 2).unwrap();
    let adult = f.adult;
    queue_call_message(&mut f, adult);
    export(&f, "call-message");
    let listing = f.active_listing(f.case1);
    f.pay(f.obligation1, "4000", "R-001", true).unwrap();
    let plan = f
        .plan(Act::RecordPayment {
            obligation_id: f.obligation1,
            amount: Fen::parse_yuan("6000").unwrap(),
            paid_on: today(),
            method: zhixing::domain::codes::PaymentMethod::SeizedAssets,
            receipt_no: "R-002".into(),
            lift_if_complete: true,
        })
        .unwrap();
    assert_mentions(&plan.changes, "completes 韦国强's obligations");
    let before = audit_rows(&f);
    f.store.apply(&plan, &f.actor()).unwrap();
    assert_eq!(audit_rows(&f), before + 1, "one act, one audit row");
    let (status, reason): (String, String) = f
        .conn()
        .query_row(
            "SELECT status, lifted_reason FROM listing WHERE id = ?1",
            [listing],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!((status.as_str(), reason.as_str()), ("lifted", "performed"));
    assert_eq!(
        f.count("SELECT count(*) FROM restriction WHERE status = 'active'"),
        0
    );
    assert_eq!(
        f.count(
            "SELECT count(*) FROM notice WHERE state = 'cancelled' AND purpose = 'sms-warning'"
        ),
        2,
        "queued SMS warnings never go out"
    );
    assert_eq!(
        f.count("SELECT count(*) FROM notice WHERE purpose = 'lifting' AND channel = 'call' AND state = 'queued'"),
        2,
        "the call message is withdrawn on both numbers"
    );
    assert_eq!(
        f.count(&format!(
            "SELECT count(*) FROM enforcement_case WHERE id = {} AND status = 'performed'",
            f.case1
        )),
        1
    );
    f.assert_invariants();
}

#[test]
fn declining_the_lifting_opens_a_three_working_day_deadline() {
    let mut f = fixture();
    f.list(f.adult, f.case1, 2).unwrap();
    f.pay(f.obligation1, "10000", "R-001", false).unwrap();
    let listing = f.active_listing(f.case1);
    // Friday 2026-11-27 + 3 working days = Wednesday 2026-12-02.
    let due: String = f
        .conn()
        .query_row(
            "SELECT due_on FROM deadline WHERE kind = 'deletion-after-performance' AND listing_id = ?1",
            [listing],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(due, "2026-12-02");
    let queue = f.store.deadline_queue(today(), None).unwrap();
    assert!(
        queue
            .iter()
            .any(|r| r.kind == "deletion-after-performance" && r.due_on == "2026-12-02")
    );
    // Lifting later meets the deadline.
    f.act(Act::Lift {
        listing_id: listing,
        reason: LiftReason::Performed,
        on: today(),
    })
    .unwrap();
    assert_eq!(
        f.count("SELECT count(*) FROM deadline WHERE state = 'open'"),
        0
    );
    f.assert_invariants();
}

#[test]
fn lifting_one_listing_keeps_what_another_still_needs() {
    let mut f = fixture();
    f.list(f.adult, f.case1, 2).unwrap();
    f.list(f.adult, f.case2, 4).unwrap();
    let adult = f.adult;
    queue_call_message(&mut f, adult);
    export(&f, "call-message");
    let first = f.active_listing(f.case1);
    let plan = f
        .plan(Act::Lift {
            listing_id: first,
            reason: LiftReason::ApplicantRequest,
            on: today(),
        })
        .unwrap();
    assert_mentions(
        &plan.notes,
        "stays restricted on 9 items: still imposed by listing",
    );
    f.store.apply(&plan, &f.actor()).unwrap();
    f.approve_pending().unwrap();
    assert_eq!(
        f.count(&format!(
            "SELECT count(*) FROM restriction WHERE subject_id = {} AND status = 'active'",
            f.adult
        )),
        9,
        "still restricted through the second listing"
    );
    assert_eq!(
        f.count("SELECT count(*) FROM notice WHERE purpose = 'lifting'"),
        0,
        "the call message rests on the listing that stays: nothing to withdraw"
    );
    let lifted_by: i64 = f.count(&format!("SELECT lifted_by FROM listing WHERE id = {first}"));
    assert_eq!(
        lifted_by, f.supervisor,
        "lifted when the supervisor approved"
    );
    let asked = f.count("SELECT requested_by FROM approval WHERE state = 'approved'");
    let approved = f.count("SELECT decided_by FROM approval WHERE state = 'approved'");
    assert_eq!(
        (asked, approved),
        (f.officer, f.supervisor),
        "both officers on record"
    );
    assert_refused(
        &mut f,
        Act::Lift {
            listing_id: first,
            reason: LiftReason::Performed,
            on: today(),
        },
        "already lifted",
    );
    f.assert_invariants();
}

#[test]
fn a_restriction_order_needs_known_items_its_number_and_a_past_date() {
    let mut f = fixture();
    let order = |codes: &[&str], number: &str, on| Act::ImposeOrder {
        subject_id: f.company,
        case_id: f.company_case,
        codes: codes.iter().map(|c| c.to_string()).collect(),
        decision_no: number.into(),
        decided_on: on,
    };
    let number = "（2026）豫0185执4号限消令";
    let cases = [
        (
            order(&[], number, d(2026, 11, 2)),
            "choose at least one item",
        ),
        (
            order(&["premium-travel", "yachts"], number, d(2026, 11, 2)),
            "\"yachts\" is not an item of the restriction catalog",
        ),
        (
            order(&["premium-travel"], " ", d(2026, 11, 2)),
            "the order's decision number is missing",
        ),
        (
            order(&["premium-travel"], number, d(2026, 11, 28)),
            "the order date 2026-11-28 is in the future",
        ),
    ];
    for (act, expected) in cases {
        assert_refused(&mut f, act, expected);
    }
}

#[test]
fn a_restriction_order_binds_items_and_lifts_per_item() {
    let mut f = fixture();
    f.act(Act::ImposeOrder {
        subject_id: f.company,
        case_id: f.company_case,
        codes: vec!["premium-travel".into(), "high-speed-rail".into()],
        decision_no: "（2026）豫0185执4号限消令".into(),
        decided_on: d(2026, 11, 2),
    })
    .unwrap();
    assert_eq!(
        f.count("SELECT count(*) FROM restriction WHERE status = 'active'"),
        4,
        "company and its representative"
    );
    let flight = f.count(&format!(
        "SELECT id FROM restriction WHERE subject_id = {} AND code = 'premium-travel'",
        f.company
    ));
    let lift = |reason| Act::LiftRestriction {
        restriction_id: flight,
        reason,
        on: today(),
    };
    assert_refused(
        &mut f,
        lift(RestrictionLift::Performed),
        "not fully performed (20,000.00 yuan outstanding)",
    );
    f.act(Act::NecessaryExpense {
        restriction_id: flight,
        description: "flight to Beijing for medical treatment".into(),
        amount: Some(Fen(180_000)),
        approved_on: today(),
    })
    .unwrap();
    f.act(lift(RestrictionLift::SecurityGiven)).unwrap();
    assert_eq!(
        f.count("SELECT count(*) FROM restriction WHERE status = 'active'"),
        2
    );
    assert_eq!(
        f.count("SELECT count(*) FROM restriction_order WHERE status = 'active'"),
        1
    );
    let rail = f.count(&format!(
        "SELECT id FROM restriction WHERE subject_id = {} AND code = 'high-speed-rail'",
        f.company
    ));
    f.act(Act::LiftRestriction {
        restriction_id: rail,
        reason: RestrictionLift::ApplicantAgrees,
        on: today(),
    })
    .unwrap();
    assert_eq!(
        f.count("SELECT count(*) FROM restriction_order WHERE status = 'active'"),
        0,
        "no item left"
    );
    f.assert_invariants();
}

#[test]
fn a_listing_restriction_is_lifted_only_with_its_listing() {
    let mut f = fixture();
    f.list(f.adult, f.case1, 2).unwrap();
    let item = f.count("SELECT id FROM restriction WHERE code = 'tourism'");
    assert_refused(
        &mut f,
        Act::LiftRestriction {
            restriction_id: item,
            reason: RestrictionLift::ApplicantAgrees,
            on: today(),
        },
        "lift the listing instead",
    );
}
