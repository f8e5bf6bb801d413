//! Officer acts on a real store: each rule, each refusal (which must leave
//! the store exactly as it was), and the invariants after every act.
//! Payments and listings here; lifting and orders in acts_lifting.rs;
//! objections, call messages, expiry and stale views in acts_objections.rs.

mod common;

use common::acting::{assert_refused, audit_rows, case2_of, refused};
use common::fixture::{d, fixture};
use common::today;
use zhixing::domain::Fen;
use zhixing::store::acts::Act;

#[test]
fn a_payment_is_one_row_and_one_audit_row_with_before_and_after() {
    let mut f = fixture();
    let before = audit_rows(&f);
    f.pay(f.obligation1, "1,200.50", "R-001", true).unwrap();
    assert_eq!(audit_rows(&f), before + 1);
    let (act, officer, after): (String, i64, String) = f
        .conn()
        .query_row(
            "SELECT act, officer_id, after_json FROM audit_log ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap();
    assert_eq!((act.as_str(), officer), ("record-payment", f.officer));
    let after: serde_json::Value = serde_json::from_str(&after).unwrap();
    let row = after.as_object().unwrap().values().next().unwrap();
    assert_eq!(row["amount_fen"], 120_050);
    assert_eq!(row["receipt_no"], "R-001");
    f.assert_invariants();
}

#[test]
fn a_payment_above_what_remains_is_refused_with_the_remaining_amount() {
    let mut f = fixture();
    f.pay(f.obligation1, "9000", "R-001", true).unwrap();
    let act = Act::RecordPayment {
        obligation_id: f.obligation1,
        amount: Fen::parse_yuan("1000.01").unwrap(),
        paid_on: today(),
        method: zhixing::domain::codes::PaymentMethod::Cash,
        receipt_no: "R-002".into(),
        lift_if_complete: true,
    };
    assert_refused(&mut f, act, "more than the 1,000.00 yuan that remains");
}

#[test]
fn receipt_numbers_are_unique_and_dates_not_in_the_future() {
    let mut f = fixture();
    f.pay(f.obligation1, "100", "R-001", true).unwrap();
    let message = refused(f.pay(f.obligation2, "100", "R-001", true));
    assert!(
        message.contains("receipt R-001 is already recorded"),
        "{message}"
    );
    let act = Act::RecordPayment {
        obligation_id: f.obligation1,
        amount: Fen(100),
        paid_on: d(2026, 11, 28),
        method: zhixing::domain::codes::PaymentMethod::Cash,
        receipt_no: "R-009".into(),
        lift_if_complete: true,
    };
    assert_refused(&mut f, act, "in the future");
    let message = refused(f.pay(f.obligation1, "100", "  ", true));
    assert!(
        message.contains("the receipt number is missing"),
        "{message}"
    );
}

#[test]
fn a_reversal_is_a_new_entry_and_happens_once() {
    let mut f = fixture();
    f.pay(f.obligation1, "500", "R-001", true).unwrap();
    let payment: i64 = f.count("SELECT id FROM payment WHERE receipt_no = 'R-001'");
    let reverse = |reason: &str| Act::ReversePayment {
        payment_id: payment,
        reason: reason.into(),
        on: today(),
    };
    assert_refused(&mut f, reverse("  "), "give the reason");
    f.act(reverse("receipt belonged to another case")).unwrap();
    assert_eq!(
        f.count("SELECT count(*) FROM payment"),
        2,
        "the original stays"
    );
    assert_refused(&mut f, reverse("again"), "reversed at most once");
    // The whole amount is owed again.
    f.pay(f.obligation1, "10000", "R-002", true).unwrap();
    f.assert_invariants();
}

#[test]
fn listing_restricts_the_debtor_and_queues_service_and_sms() {
    let mut f = fixture();
    let plan = f
        .plan(Act::List {
            subject_id: f.adult,
            case_id: f.case1,
            ground: 2,
            decision_no: "（2026）豫0185执1号之一".into(),
            decided_on: d(2026, 11, 20),
            years: None,
            exclusions_confirmed: false,
            notify: true,
        })
        .unwrap();
    assert!(
        plan.changes[0].contains("2 years, ending 2028-11-20"),
        "{:?}",
        plan.changes
    );
    assert!(plan.option.as_ref().unwrap().on);
    f.list(f.adult, f.case1, 2).unwrap();
    let listing = f.active_listing(f.case1);
    assert_eq!(
        f.count(&format!(
            "SELECT count(*) FROM restriction WHERE listing_id = {listing} AND status = 'active'"
        )),
        9
    );
    assert_eq!(
        f.count("SELECT count(*) FROM notice WHERE purpose = 'sms-warning' AND state = 'queued'"),
        2,
        "one SMS per phone"
    );
    assert_eq!(
        f.count("SELECT count(*) FROM notice WHERE purpose = 'service'"),
        1
    );
    let again = refused(f.list(f.adult, f.case1, 2));
    assert!(again.contains("already listed on ground 2"), "{again}");
    f.assert_invariants();
}

#[test]
fn an_entity_listing_binds_its_responsible_persons() {
    let mut f = fixture();
    f.list(f.company, f.company_case, 3).unwrap();
    assert_eq!(
        f.count(&format!(
            "SELECT count(*) FROM restriction WHERE subject_id = {} AND status = 'active'",
            f.adult
        )),
        9,
        "the legal representative is restricted too"
    );
    f.assert_invariants();
}

#[test]
fn minors_ground_one_and_periods_are_checked() {
    let mut f = fixture();
    let list = |subject_id, case_id, ground, years, confirmed| Act::List {
        subject_id,
        case_id,
        ground,
        decision_no: "D-1".into(),
        decided_on: d(2026, 11, 20),
        years,
        exclusions_confirmed: confirmed,
        notify: false,
    };
    let (minor, minor_case, adult, case1) = (f.minor, f.minor_case, f.adult, f.case1);
    assert_refused(
        &mut f,
        list(minor, minor_case, 2, None, true),
        "born 2010-03-05",
    );
    assert_refused(
        &mut f,
        list(adult, case1, 1, None, false),
        "Art. 3 exclusions",
    );
    assert_refused(
        &mut f,
        list(adult, case1, 1, Some(3), true),
        "no fixed period",
    );
    assert_refused(
        &mut f,
        list(adult, case1, 2, Some(6), true),
        "6 is not allowed",
    );
    assert_refused(
        &mut f,
        list(adult, minor_case, 2, None, true),
        "not a debtor",
    );
    f.act(list(adult, case1, 1, None, true)).unwrap();
    f.act(list(adult, case2_of(&f), 4, Some(5), true)).unwrap();
    f.assert_invariants();
}
