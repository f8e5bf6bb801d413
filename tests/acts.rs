//! Officer acts on a real store: each rule, each refusal (which must leave
//! the store exactly as it was), and the invariants after every act.

mod common;

use common::fixture::{Fixture, d, fixture};
use common::today;
use zhixing::domain::Fen;
use zhixing::domain::codes::{ObjectionKind, RestrictionLift};
use zhixing::domain::listing::LiftReason;
use zhixing::store::acts::{Act, ActError, ActRequest, Recipients, Seen};

fn refused(result: Result<impl std::fmt::Debug, ActError>) -> String {
    match result {
        Err(ActError::Refused(message)) => message,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// A refusal names the problem and leaves every row as it was.
fn assert_refused(f: &mut Fixture, act: Act, expected: &str) {
    let before = f.snapshot();
    let message = refused(f.act(act));
    assert!(message.contains(expected), "{message:?} lacks {expected:?}");
    assert_eq!(f.snapshot(), before, "a refused act changed the store");
}

fn audit_rows(f: &Fixture) -> i64 {
    f.count("SELECT count(*) FROM audit_log")
}

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

fn case2_of(f: &Fixture) -> i64 {
    f.case2
}

/// Marks a notice as handed to its channel, as `zhixing export` will.
fn export(f: &Fixture, purpose: &str) {
    f.conn()
        .execute_batch(&format!(
            "INSERT INTO notice_batch (id, channel, created_at, count) VALUES (999, 'call', '2026-11-26', 1);
             UPDATE notice SET state = 'exported', batch_id = 999 WHERE purpose = '{purpose}' AND state = 'queued';"
        ))
        .unwrap();
}

fn queue_call_message(f: &mut Fixture, subject_id: i64) {
    let template: i64 =
        f.count("SELECT id FROM notice_template WHERE code = 'call-message' AND language = 'zh'");
    f.act(Act::QueueNotice {
        subject_id,
        template_id: template,
        recipients: Recipients::All,
    })
    .unwrap();
}

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
    assert!(
        plan.changes
            .iter()
            .any(|c| c.contains("completes 韦国强's obligations")),
        "{:?}",
        plan.changes
    );
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
    let queue = f.store.deadline_queue(today()).unwrap();
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
    assert!(
        plan.notes
            .iter()
            .any(|n| n.contains("stays restricted on 9 item(s): still imposed by listing")),
        "{:?}",
        plan.notes
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

#[test]
fn objections_run_their_course_and_the_listing_stays_during_reconsideration() {
    let mut f = fixture();
    f.list(f.adult, f.case1, 2).unwrap();
    let listing = f.active_listing(f.case1);
    let file = Act::FileObjection {
        listing_id: listing,
        kind: ObjectionKind::ShouldNotBeListed,
        filed_on: d(2026, 11, 21),
    };
    f.act(file.clone()).unwrap();
    assert_refused(&mut f, file, "already pending");
    let objection = f.count("SELECT id FROM objection");
    let due: String = f
        .conn()
        .query_row("SELECT due_on FROM objection", [], |r| r.get(0))
        .unwrap();
    assert_eq!(due, "2026-12-06", "15 days");
    let decide = |upheld: bool, reason: &str, id| Act::DecideObjection {
        objection_id: id,
        upheld,
        reason: reason.into(),
        decided_on: if upheld { today() } else { d(2026, 11, 25) },
        revoke_now: true,
    };
    assert_refused(&mut f, decide(false, "", objection), "states its reasons");
    f.act(decide(
        false,
        "the debtor's transfers of assets are proven",
        objection,
    ))
    .unwrap();
    let by: String = f
        .conn()
        .query_row("SELECT reconsider_by FROM objection", [], |r| r.get(0))
        .unwrap();
    assert_eq!(by, "2026-12-05", "10 days");
    assert_eq!(f.count("SELECT count(*) FROM notice WHERE template_id IN (SELECT id FROM notice_template WHERE code = 'objection-rejected')"), 1);
    f.act(Act::FileReconsideration {
        objection_id: objection,
        filed_on: d(2026, 11, 26),
    })
    .unwrap();
    let (level, court): (String, String) = f
        .conn()
        .query_row(
            "SELECT o.level, c.name FROM objection o JOIN court c ON c.id = o.court_id WHERE o.reconsideration_of IS NOT NULL",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(
        (level.as_str(), court.as_str()),
        ("higher-court", "河南省郑州市中级人民法院")
    );
    assert_eq!(
        f.count(&format!(
            "SELECT count(*) FROM listing WHERE id = {listing} AND status = 'active'"
        )),
        1
    );
    let second = f.count("SELECT id FROM objection WHERE reconsideration_of IS NOT NULL");
    f.act(decide(true, "", second)).unwrap();
    f.approve_pending().unwrap();
    let status: String = f
        .conn()
        .query_row("SELECT status FROM listing WHERE id = ?1", [listing], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(status, "revoked");
    assert_eq!(
        f.count("SELECT count(*) FROM restriction WHERE status = 'active'"),
        0
    );
    f.assert_invariants();
}

#[test]
fn an_upheld_objection_without_revoking_opens_the_correction_deadline() {
    let mut f = fixture();
    f.list(f.adult, f.case1, 2).unwrap();
    let listing = f.active_listing(f.case1);
    f.act(Act::FileObjection {
        listing_id: listing,
        kind: ObjectionKind::InformationWrong,
        filed_on: today(),
    })
    .unwrap();
    let objection = f.count("SELECT id FROM objection");
    f.act(Act::DecideObjection {
        objection_id: objection,
        upheld: true,
        reason: String::new(),
        decided_on: today(),
        revoke_now: false,
    })
    .unwrap();
    let due: String = f
        .conn()
        .query_row(
            "SELECT due_on FROM deadline WHERE kind = 'correction-after-objection'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(due, "2026-12-02");
    f.assert_invariants();
}

#[test]
fn call_messages_need_an_active_listing() {
    let mut f = fixture();
    let adult = f.adult;
    let template =
        f.count("SELECT id FROM notice_template WHERE code = 'call-message' AND language = 'zh'");
    assert_refused(
        &mut f,
        Act::QueueNotice {
            subject_id: adult,
            template_id: template,
            recipients: Recipients::All,
        },
        "needs an active listing",
    );
    f.list(f.adult, f.case1, 2).unwrap();
    let plan = f
        .plan(Act::QueueNotice {
            subject_id: f.adult,
            template_id: template,
            recipients: Recipients::One("13900139000".into()),
        })
        .unwrap();
    assert!(
        plan.notes[0].contains("登封市人民法院列为失信被执行人"),
        "{:?}",
        plan.notes
    );
    f.store.apply(&plan, &f.actor()).unwrap();
    assert_refused(
        &mut f,
        Act::QueueNotice {
            subject_id: adult,
            template_id: template,
            recipients: Recipients::One("13900139000".into()),
        },
        "already has this notice queued",
    );
    let queued: Vec<i64> = common::column(
        f.conn(),
        "SELECT id FROM notice WHERE state = 'queued' ORDER BY id",
    );
    f.act(Act::CancelNotices {
        notice_ids: queued.clone(),
        reason: "served in person instead".into(),
    })
    .unwrap();
    assert_eq!(
        f.count("SELECT count(*) FROM notice WHERE state = 'queued'"),
        0
    );
    assert_refused(
        &mut f,
        Act::CancelNotices {
            notice_ids: queued,
            reason: "again".into(),
        },
        "only a queued notice",
    );
    f.assert_invariants();
}

#[test]
fn listings_whose_period_ended_are_lifted_once() {
    let mut f = fixture();
    f.act(Act::List {
        subject_id: f.adult,
        case_id: f.case1,
        ground: 2,
        decision_no: "（2024）豫0185执1号之一".into(),
        decided_on: d(2024, 11, 1),
        years: None,
        exclusions_confirmed: true,
        notify: false,
    })
    .unwrap();
    let adult = f.adult;
    queue_call_message(&mut f, adult);
    export(&f, "call-message");
    let actor = f.actor();
    let applied = f.store.expire_listings(&actor).unwrap();
    assert_eq!(applied.len(), 1);
    assert_eq!(
        f.count("SELECT count(*) FROM listing WHERE lifted_reason = 'period-ended'"),
        1
    );
    assert_eq!(
        f.count("SELECT count(*) FROM notice WHERE purpose = 'lifting' AND state = 'queued'"),
        2
    );
    assert!(
        f.store.expire_listings(&actor).unwrap().is_empty(),
        "nothing left to expire"
    );
    f.assert_invariants();
}

#[test]
fn a_stale_view_is_refused_and_nothing_is_lost() {
    let mut f = fixture();
    let revision = f.store.revision(f.adult).unwrap();
    let request = ActRequest {
        act: Act::Lift {
            listing_id: 0,
            reason: LiftReason::Performed,
            on: today(),
        },
        seen: Some(Seen {
            subject_id: f.adult,
            revision,
        }),
    };
    f.pay(f.obligation1, "10", "R-001", true).unwrap();
    assert!(matches!(
        f.store.plan(&request, today()),
        Err(ActError::Stale)
    ));
    // Another process pays between the plan and the confirmation.
    let plan = f
        .plan(Act::RecordPayment {
            obligation_id: f.obligation1,
            amount: Fen::parse_yuan("190").unwrap(),
            paid_on: today(),
            method: zhixing::domain::codes::PaymentMethod::Cash,
            receipt_no: "R-002".into(),
            lift_if_complete: true,
        })
        .unwrap();
    let mut other = zhixing::store::Store::open(f.store.path()).unwrap();
    let other_plan = other
        .plan(
            &ActRequest {
                act: Act::RecordPayment {
                    obligation_id: f.obligation1,
                    amount: Fen::parse_yuan("9800").unwrap(),
                    paid_on: today(),
                    method: zhixing::domain::codes::PaymentMethod::Cash,
                    receipt_no: "R-003".into(),
                    lift_if_complete: true,
                },
                seen: None,
            },
            today(),
        )
        .unwrap();
    other.apply(&other_plan, &f.actor()).unwrap();
    let before = f.snapshot();
    let result = f.store.apply(&plan, &f.actor());
    // The same payment would now complete the case: not what was confirmed.
    assert!(matches!(result, Err(ActError::Stale)), "{result:?}");
    assert_eq!(f.snapshot(), before, "the stale act wrote nothing");
    assert_eq!(
        f.count("SELECT count(*) FROM payment"),
        2,
        "both earlier payments kept"
    );
    f.assert_invariants();
}

#[test]
fn the_call_message_stays_while_another_listing_is_active() {
    let mut f = fixture();
    f.list(f.adult, f.case1, 2).unwrap();
    let adult = f.adult;
    queue_call_message(&mut f, adult);
    export(&f, "call-message");
    f.list(f.adult, f.case2, 4).unwrap();
    let first = f.active_listing(f.case1);
    let plan = f
        .plan(Act::Lift {
            listing_id: first,
            reason: LiftReason::NoAssetsFound,
            on: today(),
        })
        .unwrap();
    assert!(
        plan.notes
            .iter()
            .any(|n| n.contains("call message on 13800138000 stays")),
        "{:?}",
        plan.notes
    );
    f.store.apply(&plan, &f.actor()).unwrap();
    assert_eq!(
        f.count("SELECT count(*) FROM notice WHERE purpose = 'lifting'"),
        0
    );
    f.assert_invariants();
}
