//! Acts under faults: two processes acting on one store at once, thousands
//! of acts (every act applied or reported failed, none lost, the audit chain
//! holds); a process killed (SIGKILL) in the middle of its acts (each act
//! whole, with its audit row, or absent).

mod common;

use common::demo_store;
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// The example program (examples/act_stress.rs), built beside the test
/// binaries by `cargo test --all-targets` (or `cargo build --examples`).
fn stress_bin() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let debug = exe.parent().and_then(|deps| deps.parent()).unwrap();
    debug.join("examples").join("act_stress")
}

#[test]
fn two_processes_lose_no_act() {
    let (dir, store) = demo_store(300);
    drop(store);
    let db = dir.path().join("demo.db");
    let per_process = 1500;
    let bin = stress_bin();
    assert!(
        bin.exists(),
        "{} is built by cargo test --all-targets",
        bin.display()
    );
    let children: Vec<_> = ["A", "B"]
        .iter()
        .map(|prefix| {
            Command::new(&bin)
                .args([db.to_str().unwrap(), prefix, &per_process.to_string()])
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
        let failures = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{prefix}: {failures}");
        let numbers: Vec<usize> = text
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
        assert_eq!(
            failures.lines().count(),
            failed,
            "{prefix}: each failure is reported"
        );
        // The only failures are acts whose plan the other process changed
        // between the plan and the write: refused as stale, never lost.
        for line in failures.lines() {
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
        let mut child = Command::new(stress_bin())
            .args([db.to_str().unwrap(), &prefix, "100000"])
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
    }
}
