//! Who may do what: roles refuse acts beyond them (and the refusal is on
//! the record), and liftings other than by performance or the end of the
//! period wait for a second officer, a supervisor.

mod common;

use common::fixture::{Fixture, fixture};
use common::today;
use zhixing::domain::listing::LiftReason;
use zhixing::store::acts::{Act, ActError};

fn refused(result: Result<impl std::fmt::Debug, ActError>) -> String {
    match result {
        Err(ActError::Refused(m)) => m,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// The last audit row: (act, officer, detail).
fn last_audit(f: &Fixture) -> (String, i64, String) {
    f.conn()
        .query_row(
            "SELECT act, officer_id, coalesce(detail, '') FROM audit_log ORDER BY seq DESC LIMIT 1",
            [],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .unwrap()
}

fn lift(listing_id: i64, reason: LiftReason) -> Act {
    Act::Lift {
        listing_id,
        reason,
        on: today(),
    }
}

#[test]
fn a_clerk_records_payments_but_is_refused_a_listing_and_the_refusal_is_recorded() {
    let mut f = fixture();
    let clerk = f.clerk;
    let pay = Act::RecordPayment {
        obligation_id: f.obligation1,
        amount: zhixing::domain::Fen(10_000),
        paid_on: today(),
        method: zhixing::domain::codes::PaymentMethod::Cash,
        receipt_no: "R-CLERK".into(),
        lift_if_complete: true,
    };
    f.act_as(clerk, pay).unwrap();
    let before = f.snapshot();
    let act = Act::List {
        subject_id: f.adult,
        case_id: f.case1,
        ground: 2,
        decision_no: "（2026）豫0185执9号之一".into(),
        decided_on: today(),
        years: None,
        exclusions_confirmed: true,
        notify: false,
    };
    let message = refused(f.act_as(clerk, act));
    assert_eq!(
        message,
        "listing a debtor needs the officer role or higher; you hold the clerk role"
    );
    let (act, officer, detail) = last_audit(&f);
    assert_eq!((act.as_str(), officer), ("refused", clerk));
    assert_eq!(detail, message);
    let after = f.snapshot();
    let added: Vec<_> = after.iter().filter(|r| !before.contains(r)).collect();
    assert_eq!(added.len(), 1, "only the refusal's audit row: {added:?}");
    assert_eq!(f.count("SELECT count(*) FROM listing"), 0);
}

#[test]
fn acts_need_an_active_officer() {
    let mut f = fixture();
    let plan = f.plan(lift(0, LiftReason::Performed));
    assert!(plan.is_err(), "no listing 0");
    let pay = Act::RecordPayment {
        obligation_id: f.obligation1,
        amount: zhixing::domain::Fen(100),
        paid_on: today(),
        method: zhixing::domain::codes::PaymentMethod::Cash,
        receipt_no: "R-NOBODY".into(),
        lift_if_complete: false,
    };
    let plan = f.plan(pay).unwrap();
    let mut nobody = f.actor();
    nobody.officer_id = None;
    let message = refused(f.store.apply(&plan, &nobody));
    assert!(message.contains("needs a signed-in officer"), "{message}");
    f.conn()
        .execute("UPDATE officer SET active = 0 WHERE id = ?1", [f.clerk])
        .unwrap();
    let message = refused(f.store.apply(&plan, &{
        let mut a = f.actor();
        a.officer_id = Some(f.clerk);
        a
    }));
    assert!(message.contains("needs a signed-in officer"), "{message}");
    assert_eq!(f.count("SELECT count(*) FROM payment"), 0);
}

#[test]
fn a_lifting_for_another_reason_waits_for_a_second_officer_who_is_a_supervisor() {
    let mut f = fixture();
    f.list(f.adult, f.case1, 2).unwrap();
    let listing = f.active_listing(f.case1);
    let applied = f.act(lift(listing, LiftReason::NoAssetsFound)).unwrap();
    assert!(
        applied.title.starts_with("Ask for approval: "),
        "{}",
        applied.title
    );
    assert_eq!(
        f.count(&format!(
            "SELECT count(*) FROM listing WHERE id = {listing} AND status = 'active'"
        )),
        1,
        "nothing changes before the approval"
    );
    assert_eq!(last_audit(&f).0, "approval-requested");
    let approval_id = f.count("SELECT id FROM approval WHERE state = 'pending'");
    let decide = |approve: bool, reason: &str| Act::DecideApproval {
        approval_id,
        approve,
        reason: reason.into(),
    };
    // The officer who asked cannot approve, nor can a clerk.
    let officer = f.officer;
    let message = refused(f.act_as(officer, decide(true, "")));
    assert!(message.contains("needs the supervisor role"), "{message}");
    let clerk = f.clerk;
    let message = refused(f.act_as(clerk, decide(true, "")));
    assert!(message.contains("you hold the clerk role"), "{message}");
    // A supervisor who asked cannot approve their own request either.
    let supervisor = f.supervisor;
    f.conn()
        .execute(
            "UPDATE approval SET requested_by = ?1 WHERE id = ?2",
            [supervisor, approval_id],
        )
        .unwrap();
    let message = refused(f.act_as(supervisor, decide(true, "")));
    assert!(
        message.contains("a second officer must decide"),
        "{message}"
    );
    f.conn()
        .execute(
            "UPDATE approval SET requested_by = ?1 WHERE id = ?2",
            [officer, approval_id],
        )
        .unwrap();
    let applied = f.act_as(supervisor, decide(true, "")).unwrap();
    assert!(applied.title.starts_with("Approve: "), "{}", applied.title);
    assert_eq!(
        f.count(&format!("SELECT count(*) FROM listing WHERE id = {listing} AND lifted_reason = 'no-assets-found'")),
        1
    );
    let (act, by, _) = last_audit(&f);
    assert_eq!((act.as_str(), by), ("lift-listing", supervisor));
    let after: String = f
        .conn()
        .query_row(
            "SELECT after_json FROM audit_log ORDER BY seq DESC LIMIT 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    let after: serde_json::Value = serde_json::from_str(&after).unwrap();
    let row = &after[format!("approval/{approval_id}")];
    assert_eq!(row["requested_by"], officer, "{after}");
    assert_eq!(row["decided_by"], supervisor, "{after}");
    let message = refused(f.act_as(supervisor, decide(true, "")));
    assert!(message.contains("already approved"), "{message}");
    f.assert_invariants();
}

#[test]
fn a_rejected_request_changes_nothing_but_itself_and_keeps_its_reason() {
    let mut f = fixture();
    f.list(f.adult, f.case1, 2).unwrap();
    let listing = f.active_listing(f.case1);
    f.act(lift(listing, LiftReason::ApplicantRequest)).unwrap();
    let approval_id = f.count("SELECT id FROM approval WHERE state = 'pending'");
    let supervisor = f.supervisor;
    let reject = |reason: &str| Act::DecideApproval {
        approval_id,
        approve: false,
        reason: reason.into(),
    };
    let message = refused(f.act_as(supervisor, reject(" ")));
    assert!(
        message.contains("give the reason for rejecting"),
        "{message}"
    );
    f.act_as(supervisor, reject("the applicant's letter is unsigned"))
        .unwrap();
    let (state, reason): (String, String) = f
        .conn()
        .query_row(
            "SELECT state, decision_reason FROM approval WHERE id = ?1",
            [approval_id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(
        (state.as_str(), reason.as_str()),
        ("rejected", "the applicant's letter is unsigned")
    );
    assert_eq!(
        f.count(&format!(
            "SELECT count(*) FROM listing WHERE id = {listing} AND status = 'active'"
        )),
        1
    );
}

#[test]
fn performance_and_the_period_ending_lift_at_once() {
    let mut f = fixture();
    f.list(f.adult, f.case1, 2).unwrap();
    let listing = f.active_listing(f.case1);
    assert!(!lift(listing, LiftReason::Performed).needs_approval());
    assert!(
        !Act::Expire {
            listing_id: listing
        }
        .needs_approval()
    );
    assert!(lift(listing, LiftReason::WronglyListed).needs_approval());
    // Paid in full: the payment lifts the listing in the same act.
    f.pay(f.obligation1, "10,000.00", "R-FULL", true).unwrap();
    assert_eq!(
        f.count(&format!(
            "SELECT count(*) FROM listing WHERE id = {listing} AND status = 'lifted'"
        )),
        1
    );
    assert_eq!(f.count("SELECT count(*) FROM approval"), 0);
}
