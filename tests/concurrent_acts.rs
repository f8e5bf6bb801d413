//! Acts under faults: two processes acting on one store at once, thousands
//! of acts (every act applied or reported failed, none lost, the audit chain
//! holds); a process killed (SIGKILL) in the middle of its acts (each act
//! whole, with its audit row, or absent).

mod common;

use common::demo_store;
use std::process::{Command, Stdio};
use zhixing::domain::Fen;
use zhixing::domain::codes::PaymentMethod;
use zhixing::store::acts::{Act, ActRequest, Actor};

/// This test binary again, running only `stress_child`, which records
/// payments of one fen on the store named in ZHIXING_STRESS
/// ("path,receipt-prefix,count").
fn stress(db: &std::path::Path, prefix: &str, count: usize) -> Command {
    let mut c = Command::new(std::env::current_exe().unwrap());
    c.args(["stress_child", "--exact", "--nocapture", "--test-threads=1"])
        .env(
            "ZHIXING_STRESS",
            format!("{},{prefix},{count}", db.display()),
        );
    c
}

/// The worker the tests above start as separate processes; a no-op when
/// run as an ordinary test. Prints "STRESS applied N failed M" and one
/// "STRESS-FAIL" line per failed act, so no failure is silent.
#[test]
fn stress_child() {
    let Ok(spec) = std::env::var("ZHIXING_STRESS") else {
        return;
    };
    let parts: Vec<&str> = spec.split(',').collect();
    let (path, prefix, count) = (parts[0], parts[1], parts[2].parse::<usize>().unwrap());
    let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
    let mut store = zhixing::store::Store::open(std::path::Path::new(path)).unwrap();
    let obligations: Vec<i64> = common::column(
        store.conn(),
        "SELECT o.id FROM obligation o WHERE o.amount_fen > 100000 + coalesce((
             SELECT sum(CASE p.kind WHEN 'payment' THEN p.amount_fen ELSE -p.amount_fen END)
             FROM payment p WHERE p.obligation_id = o.id), 0)
         ORDER BY o.id",
    );
    // A clerk: recording payments is within a clerk's role.
    let clerk: i64 = store
        .conn()
        .query_row("SELECT id FROM officer WHERE login = 'zhao'", [], |r| {
            r.get(0)
        })
        .unwrap();
    let actor = Actor {
        officer_id: Some(clerk),
        now: "2026-11-27T10:00:00+08:00".into(),
        today,
    };
    let (mut applied, mut failed) = (0, 0);
    for i in 0..count {
        let request = ActRequest {
            act: Act::RecordPayment {
                obligation_id: obligations[i % obligations.len()],
                amount: Fen(1),
                paid_on: today,
                method: PaymentMethod::Cash,
                receipt_no: format!("{prefix}-{i}"),
                lift_if_complete: true,
            },
            seen: None,
        };
        match store
            .plan(&request, today)
            .and_then(|plan| store.apply(&plan, &actor))
        {
            Ok(_) => applied += 1,
            Err(e) => {
                failed += 1;
                eprintln!("STRESS-FAIL {prefix}-{i}: {e}");
            }
        }
    }
    // libtest prints "test stress_child ..." on the same line first.
    println!("STRESS applied {applied} failed {failed}");
}

#[test]
fn two_processes_lose_no_act() {
    let (dir, store) = demo_store(300);
    drop(store);
    let db = dir.path().join("demo.db");
    let per_process = 5000;
    let children: Vec<_> = ["A", "B"]
        .iter()
        .map(|prefix| {
            stress(&db, prefix, per_process)
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let store = zhixing::store::Store::open(&db).unwrap();
    for (child, prefix) in children.into_iter().zip(["A", "B"]) {
        let out = child.wait_with_output().unwrap();
        let text = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{prefix}: {stderr}");
        let summary = text
            .lines()
            .find_map(|l| l.split_once("STRESS applied").map(|(_, rest)| rest))
            .expect("the worker's summary");
        let numbers: Vec<usize> = summary
            .split_whitespace()
            .filter_map(|w| w.parse().ok())
            .collect();
        let (applied, failed) = (numbers[0], numbers[1]);
        eprintln!("{prefix}: {applied} applied, {failed} reported failed");
        assert_eq!(
            applied + failed,
            per_process,
            "{prefix}: every act is accounted for"
        );
        let failures: Vec<&str> = stderr
            .lines()
            .filter(|l| l.starts_with("STRESS-FAIL"))
            .collect();
        assert_eq!(failures.len(), failed, "{prefix}: each failure is reported");
        // The only failures are acts whose plan the other process changed
        // between the plan and the write: refused as stale, never lost.
        for line in &failures {
            assert!(line.contains("changed meanwhile"), "{prefix}: {line}");
        }
        let written: i64 = store
            .conn()
            .query_row(
                "SELECT count(*) FROM payment WHERE receipt_no LIKE ?1 || '-%'",
                [prefix],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(
            written as usize, applied,
            "{prefix}: what was reported applied is in the store, nothing more"
        );
        let audited: i64 = store
            .conn()
            .query_row(
                "SELECT count(*) FROM audit_log WHERE act = 'record-payment' AND after_json LIKE '%\"' || ?1 || '-%'",
                [prefix],
                |r| r.get(0),
            )
            .unwrap();
        assert_eq!(
            audited as usize, applied,
            "{prefix}: one audit row per applied act"
        );
    }
    let (_, breaks) = store.verify_audit().unwrap();
    assert!(breaks.is_empty(), "{breaks:?}");
    let tampered = store.verify_state().unwrap();
    assert!(
        tampered.is_empty(),
        "every row as the log recorded it: {tampered:?}"
    );
    assert!(store.integrity_ok().unwrap());
}

#[test]
fn an_act_killed_at_any_moment_is_whole_or_absent() {
    let (dir, store) = demo_store(200);
    drop(store);
    let db = dir.path().join("demo.db");
    let mut rng = fastrand::Rng::with_seed(1127);
    for round in 0..10 {
        let prefix = format!("K{round}");
        let mut child = stress(&db, &prefix, 100_000)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(rng.u64(20..300)));
        child.kill().unwrap();
        child.wait().unwrap();
        let store = zhixing::store::Store::open(&db).expect("the store opens after the kill");
        assert!(store.integrity_ok().unwrap(), "round {round}");
        let count = |sql: &str| -> i64 {
            store
                .conn()
                .query_row(sql, [&prefix], |r| r.get(0))
                .unwrap()
        };
        let payments = count("SELECT count(*) FROM payment WHERE receipt_no LIKE ?1 || '-%'");
        let audited = count(
            "SELECT count(*) FROM audit_log WHERE act = 'record-payment' AND after_json LIKE '%\"' || ?1 || '-%'",
        );
        assert_eq!(
            payments, audited,
            "round {round}: every payment with its audit row, no half act"
        );
        eprintln!("round {round}: {payments} act(s) written before the kill");
        assert!(store.verify_audit().unwrap().1.is_empty(), "round {round}");
        let tampered = store.verify_state().unwrap();
        assert!(tampered.is_empty(), "round {round}: {tampered:?}");
    }
}
