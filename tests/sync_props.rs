//! Random acts at random offices, files exchanged in a random order: once
//! every office has passed on everything, all three hold the same legal
//! state and every audit log verifies.

mod common;

use common::offices::{exchange, legal_state, offices, one, today, try_act};
use proptest::prelude::*;
use zhixing::domain::Fen;
use zhixing::domain::codes::PaymentMethod;
use zhixing::store::Store;
use zhixing::store::acts::{Act, Recipients};

#[derive(Debug, Clone)]
enum Step {
    Pay { fen: i64 },
    QueueCall { subject: usize },
    CancelQueued,
    Decide { upheld: bool },
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        (1i64..400_000).prop_map(|fen| Step::Pay { fen }),
        (0usize..3).prop_map(|subject| Step::QueueCall { subject }),
        Just(Step::CancelQueued),
        any::<bool>().prop_map(|upheld| Step::Decide { upheld }),
    ]
}

/// One act as the office's officers would do it; a refusal is fine.
/// Whether it was written.
fn play(store: &mut Store, n: usize, step: &Step) -> bool {
    let id = |sql: &str| -> Option<i64> { store.conn().query_row(sql, [], |r| r.get(0)).ok() };
    let act = match step {
        Step::Pay { fen } => {
            id("SELECT min(id) FROM obligation WHERE amount_fen IS NOT NULL").map(|o| {
                Act::RecordPayment {
                    obligation_id: o,
                    amount: Fen(*fen),
                    paid_on: today(),
                    method: PaymentMethod::Cash,
                    receipt_no: format!("R-{}-{n}", store.site().unwrap()),
                    lift_if_complete: false,
                }
            })
        }
        Step::QueueCall { subject } => {
            let s = id(&format!(
                "SELECT id FROM subject ORDER BY id LIMIT 1 OFFSET {subject}"
            ));
            let t = id(
                "SELECT id FROM notice_template WHERE code = 'call-message' AND language = 'zh'",
            );
            s.zip(t).map(|(subject_id, template_id)| Act::QueueNotice {
                subject_id,
                template_id,
                recipients: Recipients::All,
            })
        }
        Step::CancelQueued => {
            id("SELECT min(id) FROM notice WHERE state = 'queued'").map(|n| Act::CancelNotices {
                notice_ids: vec![n],
                reason: "test".into(),
            })
        }
        Step::Decide { upheld } => id("SELECT min(id) FROM objection WHERE status = 'pending'")
            .map(|o| Act::DecideObjection {
                objection_id: o,
                upheld: *upheld,
                reason: if *upheld {
                    String::new()
                } else {
                    "不成立".into()
                },
                decided_on: today(),
                revoke_now: false,
            }),
    };
    act.is_some_and(|act| try_act(store, "li", act).is_ok())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    #[test]
    fn any_acts_in_any_merge_order_end_in_one_state(
        steps in proptest::collection::vec((0usize..3, step()), 1..12),
        order in proptest::collection::vec((0usize..2, any::<bool>()), 0..6),
    ) {
        let mut o = offices();
        let mut paid = 0;
        let dir = o.dir.path().to_path_buf();
        for (n, (site, step)) in steps.iter().enumerate() {
            let store = match site { 0 => &mut o.court, 1 => &mut o.a, _ => &mut o.b };
            let written = play(store, n, step);
            paid += usize::from(written && matches!(step, Step::Pay { .. }));
        }
        // Some exchanges in a random order, then every office passes on
        // everything (twice round, so the court relays each office's work).
        let mut files = 0;
        let mut pass = |o: &mut common::offices::Offices, office: usize, to_court: bool| {
            files += 1;
            let name = format!("f{files}");
            let (court, other) = match office { 0 => (&mut o.court, &mut o.a), _ => (&mut o.court, &mut o.b) };
            if to_court { exchange(&dir, other, court, &name); } else { exchange(&dir, court, other, &name); }
        };
        for (office, to_court) in &order {
            pass(&mut o, *office, *to_court);
        }
        for _ in 0..2 {
            for office in 0..2 {
                pass(&mut o, office, true);
                pass(&mut o, office, false);
            }
        }
        let state = legal_state(&o.court);
        prop_assert_eq!(legal_state(&o.a), state.clone());
        prop_assert_eq!(legal_state(&o.b), state);
        for store in [&o.court, &o.a, &o.b] {
            prop_assert!(store.verify_audit().unwrap().1.is_empty());
            let tampered = store.verify_state().unwrap();
            prop_assert!(tampered.is_empty(), "{:?}", tampered);
            let drifted = store.verify_standing().unwrap();
            prop_assert!(drifted.is_empty(), "{:?}", drifted);
        }
        // Two payments are two payments: every one written at any office
        // is in the merged state, once.
        prop_assert_eq!(one(&o.court, "SELECT count(*) FROM payment WHERE receipt_no LIKE 'R-%'"), paid as i64);
    }
}
