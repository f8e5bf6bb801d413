//! Random sequences of acts, valid and invalid, on a real store: after every
//! step the invariants hold, a refused act changed nothing, and an applied
//! act left exactly one audit row.

mod common;

use chrono::Days;
use common::fixture::{Fixture, fixture};
use common::today;
use proptest::prelude::*;
use zhixing::domain::Fen;
use zhixing::domain::codes::{ObjectionKind, PaymentMethod, RestrictionLift};
use zhixing::domain::listing::LiftReason;
use zhixing::store::acts::{Act, ActError, Recipients};

#[derive(Debug, Clone)]
enum Step {
    Pay {
        obligation: usize,
        yuan: u32,
        lift: bool,
    },
    Reverse {
        pick: usize,
    },
    List {
        pair: usize,
        ground: u8,
        years: Option<u8>,
        days_ago: u64,
    },
    Lift {
        pick: usize,
        reason: usize,
    },
    Order {
        pair: usize,
        code: usize,
    },
    LiftItem {
        pick: usize,
        reason: usize,
    },
    File {
        pick: usize,
        kind: usize,
    },
    Decide {
        pick: usize,
        upheld: bool,
        revoke: bool,
    },
    Reconsider {
        pick: usize,
    },
    Queue {
        subject: usize,
        template: usize,
    },
    Cancel {
        pick: usize,
    },
    Expire,
}

fn step() -> impl Strategy<Value = Step> {
    let pay =
        (0..3usize, 1..12_000u32, any::<bool>()).prop_map(|(obligation, yuan, lift)| Step::Pay {
            obligation,
            yuan,
            lift,
        });
    let list = (0..5usize, 0..8u8, proptest::option::of(1..7u8), 0..1200u64).prop_map(
        |(pair, ground, years, days_ago)| Step::List {
            pair,
            ground,
            years,
            days_ago,
        },
    );
    prop_oneof![
        3 => pay,
        1 => (0..4usize).prop_map(|pick| Step::Reverse { pick }),
        3 => list,
        2 => (0..3usize, 0..9usize).prop_map(|(pick, reason)| Step::Lift { pick, reason }),
        1 => (0..5usize, 0..15usize).prop_map(|(pair, code)| Step::Order { pair, code }),
        1 => (0..6usize, 0..4usize).prop_map(|(pick, reason)| Step::LiftItem { pick, reason }),
        2 => (0..3usize, 0..3usize).prop_map(|(pick, kind)| Step::File { pick, kind }),
        2 => (0..3usize, any::<bool>(), any::<bool>())
            .prop_map(|(pick, upheld, revoke)| Step::Decide { pick, upheld, revoke }),
        1 => (0..3usize).prop_map(|pick| Step::Reconsider { pick }),
        2 => (0..3usize, 0..18usize).prop_map(|(subject, template)| Step::Queue { subject, template }),
        1 => (0..5usize).prop_map(|pick| Step::Cancel { pick }),
        1 => Just(Step::Expire),
    ]
}

fn ids(f: &Fixture, sql: &str) -> Vec<i64> {
    common::column(f.conn(), sql)
}

/// One of a query's rows (by `n`, wrapping), or a key that does not exist
/// when there is none.
fn nth(f: &Fixture, sql: &str, n: usize) -> i64 {
    let rows = ids(f, sql);
    if rows.is_empty() {
        -1
    } else {
        rows[n % rows.len()]
    }
}

fn act_for(f: &Fixture, s: &Step) -> Option<Act> {
    let subjects = [f.adult, f.minor, f.company];
    // Debtor and case, mostly matching; the last pair is not a debtor.
    let pairs = [
        (f.adult, f.case1),
        (f.adult, f.case2),
        (f.minor, f.minor_case),
        (f.company, f.company_case),
        (f.company, f.case1),
    ];
    let obligations = [f.obligation1, f.obligation2, f.company_obligation];
    Some(match *s {
        Step::Pay {
            obligation,
            yuan,
            lift,
        } => Act::RecordPayment {
            obligation_id: obligations[obligation],
            amount: Fen(i64::from(yuan) * 100),
            paid_on: today(),
            method: PaymentMethod::Transfer,
            receipt_no: format!("R-{}", f.count("SELECT count(*) FROM payment")),
            lift_if_complete: lift,
        },
        Step::Reverse { pick } => Act::ReversePayment {
            payment_id: nth(
                f,
                "SELECT id FROM payment WHERE kind = 'payment' ORDER BY id",
                pick,
            ),
            reason: "wrong receipt".into(),
            on: today(),
        },
        Step::List {
            pair,
            ground,
            years,
            days_ago,
        } => Act::List {
            subject_id: pairs[pair].0,
            case_id: pairs[pair].1,
            ground,
            decision_no: format!("D-{}", f.count("SELECT count(*) FROM listing")),
            decided_on: today() - Days::new(days_ago),
            years,
            exclusions_confirmed: true,
            notify: days_ago % 2 == 0,
        },
        Step::Lift { pick, reason } => Act::Lift {
            listing_id: nth(f, "SELECT id FROM listing ORDER BY id", pick),
            reason: LiftReason::ALL[reason],
            on: today(),
        },
        Step::Order { pair, code } => Act::ImposeOrder {
            subject_id: pairs[pair].0,
            case_id: pairs[pair].1,
            codes: vec![
                zhixing::domain::status::RESTRICTION_CATALOG[code]
                    .code
                    .to_string(),
            ],
            decision_no: "O-1".into(),
            decided_on: today(),
        },
        Step::LiftItem { pick, reason } => Act::LiftRestriction {
            restriction_id: nth(
                f,
                "SELECT id FROM restriction WHERE status = 'active' ORDER BY id DESC",
                pick,
            ),
            reason: RestrictionLift::ALL[reason],
            on: today(),
        },
        Step::File { pick, kind } => Act::FileObjection {
            listing_id: nth(f, "SELECT id FROM listing ORDER BY id", pick),
            kind: ObjectionKind::ALL[kind],
            filed_on: today(),
        },
        Step::Decide {
            pick,
            upheld,
            revoke,
        } => Act::DecideObjection {
            objection_id: nth(f, "SELECT id FROM objection ORDER BY id", pick),
            upheld,
            reason: if upheld {
                String::new()
            } else {
                "not proven".into()
            },
            decided_on: today(),
            revoke_now: revoke,
        },
        Step::Reconsider { pick } => Act::FileReconsideration {
            objection_id: nth(f, "SELECT id FROM objection ORDER BY id", pick),
            filed_on: today(),
        },
        Step::Queue { subject, template } => Act::QueueNotice {
            subject_id: subjects[subject],
            template_id: nth(f, "SELECT id FROM notice_template ORDER BY id", template),
            recipients: Recipients::All,
        },
        Step::Cancel { pick } => Act::CancelNotices {
            notice_ids: vec![nth(f, "SELECT id FROM notice ORDER BY id", pick)],
            reason: "by hand".into(),
        },
        Step::Expire => return None,
    })
}

fn audit_rows(f: &Fixture) -> i64 {
    f.count("SELECT count(*) FROM audit_log")
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn no_sequence_of_acts_breaks_an_invariant(steps in proptest::collection::vec(step(), 1..24)) {
        let mut f = fixture();
        for s in &steps {
            let before = f.snapshot();
            let audit = audit_rows(&f);
            match act_for(&f, s) {
                None => {
                    let actor = f.actor();
                    let lifted = f.store.expire_listings(&actor).unwrap().len() as i64;
                    prop_assert_eq!(audit_rows(&f), audit + lifted);
                }
                Some(act) => match f.act(act) {
                    Ok(_) => prop_assert_eq!(audit_rows(&f), audit + 1, "{:?}", s),
                    Err(ActError::Refused(_)) => prop_assert_eq!(f.snapshot(), before, "{:?}", s),
                    Err(e) => prop_assert!(false, "{:?} failed: {}", s, e),
                },
            }
            f.assert_invariants();
        }
    }
}
