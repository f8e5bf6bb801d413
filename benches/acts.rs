//! The officer acts' transactions on a large store: `cargo bench --bench
//! acts`. Each act is planned, then applied (the timed part: the IMMEDIATE
//! transaction that re-plans, writes the rows and the audit row, and
//! commits). A reference measured in the same run: the smallest write
//! transaction, one audit row alone.
//!
//! ZHIXING_BENCH_SUBJECTS (default 1,000,000) sets the store's size; the
//! store is built once by the demo generator under target/bench/ and reused.
//! ZHIXING_BENCH_STORE names an existing store to act on instead, such as
//! the search benchmark's (`zhixing gen`'s file, imported): at ten million
//! subjects that is the only affordable way to a store of that size.
//! Run as a test (`cargo test --all-targets`) it only checks, on a small
//! store, that every act it times succeeds.

mod common;

use common::today;
use std::time::{Duration, Instant};
use zhixing::demo::{DemoOptions, generate};
use zhixing::domain::Fen;
use zhixing::domain::codes::{ObjectionKind, PaymentMethod};
use zhixing::domain::listing::LiftReason;
use zhixing::store::acts::{Act, ActRequest, Actor, Recipients};
use zhixing::store::{AuditEntry, Store};

fn store_of(subjects: usize, dir: &std::path::Path) -> Store {
    if let Some(path) = std::env::var_os("ZHIXING_BENCH_STORE") {
        let store = Store::open(std::path::Path::new(&path)).expect("open ZHIXING_BENCH_STORE");
        assert!(
            !store.is_empty().expect("read"),
            "ZHIXING_BENCH_STORE holds no caseload"
        );
        return store;
    }
    std::fs::create_dir_all(dir).expect("bench folder");
    let path = dir.join(format!("acts-{subjects}.db"));
    let mut store = Store::open(&path).expect("open the bench store");
    if store.is_empty().expect("read") {
        let started = Instant::now();
        let opts = DemoOptions {
            subjects,
            seed: 7,
            as_of: today(),
        };
        generate(&mut store, opts).expect("generate");
        eprintln!(
            "built {} in {:.0} s",
            path.display(),
            started.elapsed().as_secs_f64()
        );
    }
    store
}

/// Keys to act on, drawn from the store (bench code reads it directly).
fn keys(store: &Store, sql: &str, n: usize) -> Vec<i64> {
    let mut stmt = store.conn().prepare(sql).expect("query");
    stmt.query_map([n as i64], |r| r.get(0))
        .expect("rows")
        .map(|r| r.expect("key"))
        .collect()
}

struct Timing {
    name: &'static str,
    samples: Vec<Duration>,
}

impl Timing {
    fn quantile(&self, q: f64) -> f64 {
        let mut s: Vec<f64> = self
            .samples
            .iter()
            .map(|d| d.as_secs_f64() * 1000.0)
            .collect();
        s.sort_by(f64::total_cmp);
        s.get(((s.len() as f64 - 1.0) * q).round() as usize)
            .copied()
            .unwrap_or(f64::NAN)
    }
}

/// The demo's supervisor (or, in an imported store, its admin): every act
/// here is within that role (the liftings timed are for performance,
/// which need no approval).
fn actor(store: &Store) -> Actor {
    let officer = ["demo", "admin"]
        .into_iter()
        .find_map(|login| store.officer_by_login(login).expect("read officers"))
        .map(|o| o.id);
    Actor {
        officer_id: officer,
        now: format!("{}T10:00:00+08:00", today()),
        today: today(),
    }
}

/// Plans and applies each act, timing the application.
fn time_acts(store: &mut Store, name: &'static str, acts: Vec<Act>) -> Timing {
    let mut samples = Vec::with_capacity(acts.len());
    for act in acts {
        // An act that waits for approval writes only the request: not
        // what this row of the table claims to time.
        assert!(!act.needs_approval(), "{name}");
        let request = ActRequest { act, seen: None };
        let plan = store
            .plan(&request, today())
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        let started = Instant::now();
        store
            .apply(&plan, &actor(store))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        samples.push(started.elapsed());
    }
    Timing { name, samples }
}

fn reference(store: &mut Store, n: usize) -> Timing {
    let mut samples = Vec::with_capacity(n);
    for _ in 0..n {
        let started = Instant::now();
        store
            .append_audit(
                &AuditEntry {
                    act: "bench-reference".into(),
                    ..Default::default()
                },
                &actor(store).now,
            )
            .expect("audit row");
        samples.push(started.elapsed());
    }
    Timing {
        name: "reference: one audit row in its own transaction",
        samples,
    }
}

fn main() {
    let bench = common::benching();
    let subjects = common::bench_subjects(bench, 3_000);
    let n = if bench { 200 } else { 5 };
    let dir = common::work_dir(bench);
    let mut store = store_of(subjects, &dir);
    let subjects: i64 = store
        .conn()
        .query_row("SELECT count(*) FROM subject", [], |r| r.get(0))
        .expect("count");
    let results = run(&mut store, n);
    println!("acts on a store of {subjects} subjects, {n} of each, milliseconds:");
    println!(
        "{:<52} {:>8} {:>8} {:>8} {:>9}",
        "act", "median", "p90", "max", "x ref"
    );
    let reference_median = results[0].quantile(0.5);
    for t in &results {
        println!(
            "{:<52} {:>8.3} {:>8.3} {:>8.3} {:>9.1}",
            t.name,
            t.quantile(0.5),
            t.quantile(0.9),
            t.quantile(1.0),
            t.quantile(0.5) / reference_median
        );
    }
    if !bench {
        let _ = std::fs::remove_dir_all(&dir);
    }
}

fn run(store: &mut Store, n: usize) -> Vec<Timing> {
    let mut out = vec![reference(store, n)];
    let owing = keys(
        store,
        "SELECT o.id FROM obligation o WHERE o.amount_fen > 100000 + coalesce((SELECT sum(amount_fen)
           FROM payment p WHERE p.obligation_id = o.id), 0) ORDER BY random() LIMIT ?1",
        n,
    );
    let payments = owing
        .iter()
        .enumerate()
        .map(|(i, o)| Act::RecordPayment {
            obligation_id: *o,
            amount: Fen(100),
            paid_on: today(),
            method: PaymentMethod::Cash,
            receipt_no: format!("BENCH-{}-{i}", std::process::id()),
            lift_if_complete: true,
        })
        .collect();
    out.push(time_acts(store, "record-payment", payments));
    out.extend(listing_acts(store, n));
    out
}

fn pairs(store: &Store, sql: &str, n: usize) -> Vec<(i64, i64)> {
    let mut stmt = store.conn().prepare(sql).expect("query");
    stmt.query_map([n as i64], |r| Ok((r.get(0)?, r.get(1)?)))
        .expect("rows")
        .map(|r| r.expect("pair"))
        .collect()
}

fn listing_acts(store: &mut Store, n: usize) -> Vec<Timing> {
    let debtors = pairs(
        store,
        "SELECT d.subject_id, d.case_id FROM case_debtor d
           JOIN subject s ON s.id = d.subject_id JOIN enforcement_case e ON e.id = d.case_id
          WHERE e.status = 'open' AND s.kind = 'person' AND s.birth_date < '2000-01-01'
            AND NOT EXISTS (SELECT 1 FROM listing l WHERE l.subject_id = d.subject_id AND l.status = 'active')
            AND EXISTS (SELECT 1 FROM phone ph WHERE ph.subject_id = d.subject_id)
            AND EXISTS (SELECT 1 FROM obligation o WHERE o.subject_id = d.subject_id AND o.case_id = d.case_id
                        AND o.amount_fen IS NOT NULL AND NOT EXISTS (SELECT 1 FROM payment p WHERE p.obligation_id = o.id))
          ORDER BY random() LIMIT ?1",
        n,
    );
    let listings = debtors
        .iter()
        .map(|(subject_id, case_id)| Act::List {
            subject_id: *subject_id,
            case_id: *case_id,
            ground: 2,
            decision_no: format!("BENCH-{subject_id}"),
            decided_on: today(),
            years: None,
            exclusions_confirmed: true,
            notify: true,
        })
        .collect();
    let mut out = vec![time_acts(
        store,
        "list-dishonest (9 restrictions, 2+ notices)",
        listings,
    )];
    let listed: Vec<i64> = debtors.iter().map(|d| d.0).collect();
    let new_listings = |store: &Store| -> Vec<i64> {
        listed
            .iter()
            .filter_map(|s| {
                store
                    .conn()
                    .query_row(
                        "SELECT id FROM listing WHERE subject_id = ?1 AND status = 'active'",
                        [s],
                        |r| r.get(0),
                    )
                    .ok()
            })
            .collect()
    };
    let sms = store
        .conn()
        .query_row(
            "SELECT id FROM notice_template WHERE code = 'call-message' AND language = 'zh'",
            [],
            |r| r.get(0),
        )
        .expect("template");
    let notices = listed
        .iter()
        .map(|s| Act::QueueNotice {
            subject_id: *s,
            template_id: sms,
            recipients: Recipients::All,
        })
        .collect();
    out.push(time_acts(
        store,
        "queue-notice (call message, every phone)",
        notices,
    ));
    let objections = new_listings(store)
        .into_iter()
        .map(|l| Act::FileObjection {
            listing_id: l,
            kind: ObjectionKind::InformationWrong,
            filed_on: today(),
        })
        .collect();
    out.push(time_acts(store, "file-objection", objections));
    let lifts = new_listings(store)
        .into_iter()
        .map(|l| Act::Lift {
            listing_id: l,
            reason: LiftReason::Performed,
            on: today(),
        })
        .collect();
    out.push(time_acts(
        store,
        "lift-listing (restrictions, notices, clocks)",
        lifts,
    ));
    out
}
