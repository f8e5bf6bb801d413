//! The import killed (SIGKILL) at random moments: each time the store opens,
//! passes `PRAGMA integrity_check`, and holds all of the file or none of it.

mod common;

use common::{bin, zhixing};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// (subjects, obligations, audit rows) of a store, after checking it.
fn state(db: &Path) -> (i64, i64, i64) {
    let store = zhixing::store::Store::open(db).expect("the store opens after the kill");
    assert!(
        store.integrity_ok().unwrap(),
        "integrity_check after the kill"
    );
    let tampered = store.verify_state().unwrap();
    assert!(
        tampered.is_empty(),
        "every row as the log recorded it: {tampered:?}"
    );
    let c = store.conn();
    let n = |sql: &str| -> i64 { c.query_row(sql, [], |r| r.get(0)).unwrap() };
    (
        n("SELECT count(*) FROM subject"),
        n("SELECT count(*) FROM obligation"),
        n("SELECT count(*) FROM audit_log WHERE act = 'import'"),
    )
}

fn copy_store(from: &Path, to: &Path) {
    for suffix in ["", "-wal", "-shm"] {
        let src = format!("{}{suffix}", from.display());
        let dst = format!("{}{suffix}", to.display());
        let _ = std::fs::remove_file(&dst);
        if Path::new(&src).exists() {
            std::fs::copy(&src, &dst).unwrap();
        }
    }
}

#[test]
fn an_import_killed_at_any_moment_leaves_all_of_the_file_or_none() {
    kill_at_random(true);
}

/// The first load into an empty store writes past the write-ahead log,
/// with a rollback journal: killed, it is rolled back on the next open.
#[test]
fn a_first_load_killed_at_any_moment_leaves_an_empty_store_or_all_of_it() {
    kill_at_random(false);
}

/// 20 rounds: the import killed at a random moment of its usual time, on a
/// copy of a store holding one earlier import (`earlier`) or nothing.
fn kill_at_random(earlier: bool) {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("caseload.csv");
    common::generate_file(&file, &["--subjects", "2500"]);
    // The store before: one earlier import, so "none" is not "empty"; or
    // a new store.
    let base = common::court_store(dir.path(), "base.db");
    if earlier {
        let good = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import/good.csv");
        assert_eq!(zhixing(&base, &["import", good.to_str().unwrap()]).code, 0);
    }
    let none = state(&base);
    // The whole file, imported undisturbed, and how long that takes.
    let full_db = dir.path().join("full.db");
    copy_store(&base, &full_db);
    let started = Instant::now();
    assert_eq!(
        zhixing(&full_db, &["import", file.to_str().unwrap()]).code,
        0
    );
    let took = started.elapsed();
    let all = state(&full_db);
    assert!(all.0 > none.0 + 2000);

    let mut rng = fastrand::Rng::with_seed(20261127);
    let mut outcomes = (0, 0);
    for round in 0..20 {
        let db = dir.path().join(format!("kill-{round}.db"));
        copy_store(&base, &db);
        // Kill anywhere from the start to past the usual end.
        let wait = Duration::from_micros(rng.u64(0..took.as_micros() as u64 * 13 / 10));
        let mut child = Command::new(bin())
            .args([
                "--db",
                db.to_str().unwrap(),
                "--today",
                "2026-11-27",
                "--officer",
                "admin",
                "import",
                file.to_str().unwrap(),
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(wait);
        let _ = child.kill();
        let _ = child.wait();
        let after = state(&db);
        let mode: String = rusqlite::Connection::open(&db)
            .unwrap()
            .query_row("PRAGMA journal_mode", [], |r| r.get(0))
            .unwrap();
        assert_eq!(
            mode, "wal",
            "round {round}: the store is back in WAL mode once opened"
        );
        if after == none {
            outcomes.0 += 1;
        } else {
            assert_eq!(
                after, all,
                "round {round}, killed after {wait:?}: part of the file"
            );
            outcomes.1 += 1;
        }
    }
    eprintln!(
        "none of it {} times, all of it {} times (an import takes {took:?})",
        outcomes.0, outcomes.1
    );
    assert!(outcomes.0 > 0, "some kills must land before the commit");
}
