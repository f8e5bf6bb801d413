//! Officer acts on a real store, continued (acts.rs): objections and
//! their deadlines, call messages, expiry and stale views.

mod common;

use common::acting::{assert_mentions, assert_refused, export, queue_call_message};
use common::fixture::{d, fixture};
use common::today;
use zhixing::domain::Fen;
use zhixing::domain::codes::ObjectionKind;
use zhixing::domain::listing::LiftReason;
use zhixing::store::acts::{Act, ActError, ActRequest, Recipients, Seen};

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
    assert_mentions(&plan.notes, "call message on 13800138000 stays");
    f.store.apply(&plan, &f.actor()).unwrap();
    assert_eq!(
        f.count("SELECT count(*) FROM notice WHERE purpose = 'lifting'"),
        0
    );
    f.assert_invariants();
}
