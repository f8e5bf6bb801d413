//! Two processes acting on one store at once, thousands of acts: every act
//! is applied or reported failed, none is lost, and the audit chain holds.

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
