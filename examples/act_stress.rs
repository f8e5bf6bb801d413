//! Records payments of one fen, one act after another, on a store another
//! process is writing too: tests/concurrent_acts.rs runs two of these at
//! once. Prints "applied N failed M"; each failure is also printed with its
//! reason, so none is silent.
//!
//!     act_stress STORE RECEIPT-PREFIX COUNT

use chrono::NaiveDate;
use zhixing::domain::Fen;
use zhixing::domain::codes::PaymentMethod;
use zhixing::store::Store;
use zhixing::store::acts::{Act, ActRequest, Actor};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, path, prefix, count] = &args[..] else {
        eprintln!("usage: act_stress STORE RECEIPT-PREFIX COUNT");
        std::process::exit(2);
    };
    let count: usize = count.parse().unwrap_or(0);
    let today = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap_or_default();
    let mut store = Store::open(std::path::Path::new(path)).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(2)
    });
    let obligations: Vec<i64> = store
        .conn()
        .prepare(
            "SELECT o.id FROM obligation o WHERE o.amount_fen > 100000 + coalesce((
                 SELECT sum(CASE p.kind WHEN 'payment' THEN p.amount_fen ELSE -p.amount_fen END)
                 FROM payment p WHERE p.obligation_id = o.id), 0)
             ORDER BY o.id",
        )
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect())
        .unwrap_or_default();
    let actor = Actor {
        officer_id: None,
        now: "2026-11-27T10:00:00+08:00".into(),
        today,
    };
    let (mut applied, mut failed) = (0, 0);
    for i in 0..count {
        let request = ActRequest {
            act: Act::RecordPayment {
                obligation_id: obligations[i % obligations.len().max(1)],
                amount: Fen(1),
                paid_on: today,
                method: PaymentMethod::Cash,
                receipt_no: format!("{prefix}-{i}"),
                lift_if_complete: true,
            },
            seen: None,
        };
        let result = store
            .plan(&request, today)
            .and_then(|plan| store.apply(&plan, &actor));
        match result {
            Ok(_) => applied += 1,
            Err(e) => {
                failed += 1;
                eprintln!("{prefix}-{i}: {e}");
            }
        }
    }
    println!("applied {applied} failed {failed}");
}
