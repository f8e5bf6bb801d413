//! The exports and the carriers' receipts, through the built binary on a
//! demo store: files, states afterwards, and what must never go out.

mod common;

use common::{count, zhixing};

/// `zhixing export notices --channel call --out FILE`.
fn export_calls(db: &std::path::Path, out: &std::path::Path) -> common::Run {
    zhixing(
        db,
        &[
            "export",
            "notices",
            "--channel",
            "call",
            "--out",
            out.to_str().unwrap(),
        ],
    )
}

fn demo() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let r = zhixing(&db, &["demo", "--subjects", "300", "--no-tui"]);
    assert_eq!(r.code, 0, "{}", r.err);
    (dir, db)
}

#[test]
fn a_notice_batch_marks_what_it_hands_over_and_never_a_lifted_listings_notice() {
    let (dir, db) = demo();
    // A queued call message whose listing was lifted meanwhile (as when it
    // arrives from another office): it must not go out.
    let c = rusqlite::Connection::open(&db).unwrap();
    c.execute_batch(
        "INSERT INTO notice (id, subject_id, listing_id, channel, purpose, recipient, body, queued_at, state_at)
         SELECT 99, l.subject_id, l.id, 'call', 'call-message', '13800000000', 'stale', '2026-11-20', '2026-11-20'
         FROM listing l WHERE l.status = 'lifted' LIMIT 1;",
    )
    .unwrap();
    let queued = count(
        &db,
        "SELECT count(*) FROM notice WHERE state = 'queued' AND channel = 'call'",
    );
    let out = dir.path().join("call.csv");
    let r = export_calls(&db, &out);
    assert_eq!(r.code, 0, "{}", r.err);
    assert!(
        r.err.contains(&format!(
            "{} exported; 1 notice of lifted listings cancelled instead",
            zhixing::words::count(queued - 1, "call notice")
        )),
        "{}",
        r.err
    );
    let text = std::fs::read_to_string(&out).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "batch,notice,channel,purpose,recipient,subject,body"
    );
    assert_eq!(
        lines.len() as i64,
        queued,
        "the header and every sendable notice"
    );
    assert!(!text.contains("stale"));
    assert_eq!(
        count(&db, "SELECT state = 'cancelled' FROM notice WHERE id = 99"),
        1
    );
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM notice WHERE state = 'queued' AND channel = 'call'"
        ),
        0
    );
    let batch = count(&db, "SELECT max(id) FROM notice_batch");
    assert_eq!(
        count(
            &db,
            &format!("SELECT count FROM notice_batch WHERE id = {batch}")
        ),
        queued - 1
    );
    // Nothing left: no new batch, a file with the header alone.
    let r = export_calls(&db, &out);
    assert!(r.err.contains("nothing exported"), "{}", r.err);
    assert_eq!(std::fs::read_to_string(&out).unwrap().lines().count(), 1);
    assert_eq!(count(&db, "SELECT max(id) FROM notice_batch"), batch);
    // Only a stale notice queued: it is cancelled, still no batch.
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute_batch(
            "INSERT INTO notice (id, subject_id, listing_id, channel, purpose, recipient, body, queued_at, state_at)
             SELECT 98, l.subject_id, l.id, 'call', 'call-message', '13800000001', 'stale', '2026-11-20', '2026-11-20'
             FROM listing l WHERE l.status = 'lifted' LIMIT 1;",
        )
        .unwrap();
    let r = export_calls(&db, &out);
    assert!(
        r.err
            .contains("nothing exported; 1 notice of lifted listings cancelled instead"),
        "{}",
        r.err
    );
    assert_eq!(
        count(&db, "SELECT state = 'cancelled' FROM notice WHERE id = 98"),
        1
    );
    assert_eq!(
        count(&db, "SELECT max(id) FROM notice_batch"),
        batch,
        "no empty batch recorded"
    );
    // The same batch written again, for a file that was lost.
    let again = dir.path().join("again.csv");
    let r = zhixing(
        &db,
        &[
            "export",
            "notices",
            "--batch",
            &batch.to_string(),
            "--out",
            again.to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, 0, "{}", r.err);
    assert_eq!(std::fs::read_to_string(&again).unwrap(), text);
}

#[test]
fn receipts_mark_each_notice_once_and_refuse_what_is_not_in_the_batch() {
    let (dir, db) = demo();
    let out = dir.path().join("call.csv");
    let r = export_calls(&db, &out);
    assert_eq!(r.code, 0, "{}", r.err);
    let text = std::fs::read_to_string(&out).unwrap();
    let rows: Vec<Vec<&str>> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    assert!(rows.len() >= 2);
    let receipts = dir.path().join("receipts.csv");
    let bad = format!(
        "batch,notice,status,reason\n{},{},sent,\n{},1,sent,\n",
        rows[0][0], rows[0][1], rows[0][0]
    );
    std::fs::write(&receipts, bad).unwrap();
    let r = zhixing(&db, &["notices", "receipts", receipts.to_str().unwrap()]);
    assert_eq!(r.code, 1);
    assert!(
        r.err
            .contains("receipts.csv:3: notice: notice 1 is not in the store"),
        "{}",
        r.err
    );
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM notice WHERE state = 'sent' AND batch_id IS NOT NULL AND state_at LIKE '2026-11-27%'"
        ),
        0,
        "all or none"
    );
    let good = format!(
        "batch,notice,status,reason\n{},{},sent,\n{},{},failed,number not in service\n",
        rows[0][0], rows[0][1], rows[1][0], rows[1][1]
    );
    std::fs::write(&receipts, good).unwrap();
    let r = zhixing(&db, &["notices", "receipts", receipts.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.err);
    assert!(
        r.out.contains("2 receipts read, 2 notices marked"),
        "{}",
        r.out
    );
    assert_eq!(
        count(
            &db,
            &format!(
                "SELECT state = 'sent' FROM notice WHERE id = {}",
                rows[0][1]
            )
        ),
        1
    );
    assert_eq!(
        count(
            &db,
            &format!(
                "SELECT failure_reason = 'number not in service' FROM notice WHERE id = {}",
                rows[1][1]
            )
        ),
        1
    );
    let r = zhixing(&db, &["notices", "receipts", receipts.to_str().unwrap()]);
    assert!(
        r.out.contains("2 receipts read, 0 notices marked"),
        "the same answer twice changes nothing: {}",
        r.out
    );
}

#[test]
fn the_restriction_feed_has_every_imposition_and_lifting_since_a_date() {
    let (_dir, db) = demo();
    let all = count(&db, "SELECT count(*) FROM restriction")
        + count(
            &db,
            "SELECT count(*) FROM restriction WHERE status = 'lifted'",
        );
    let r = zhixing(
        &db,
        &["export", "restrictions", "--full", "--format", "jsonl"],
    );
    assert_eq!(r.code, 0, "{}", r.err);
    assert_eq!(r.out.lines().count() as i64, all);
    let first: serde_json::Value = serde_json::from_str(r.out.lines().next().unwrap()).unwrap();
    assert_eq!(
        first["id_number"].as_str().unwrap().len(),
        18,
        "the enforcing bodies need the full ID number"
    );
    let r = zhixing(&db, &["export", "restrictions", "--since", "2026-11-01"]);
    let since = count(
        &db,
        "SELECT (SELECT count(*) FROM restriction WHERE imposed_on >= '2026-11-01')
              + (SELECT count(*) FROM restriction WHERE status = 'lifted' AND lifted_on >= '2026-11-01')",
    );
    assert_eq!(r.out.lines().count() as i64, since + 1, "{}", r.err);
    let dates: Vec<&str> = r
        .out
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(1).unwrap())
        .collect();
    let mut sorted = dates.clone();
    sorted.sort();
    assert_eq!(dates, sorted, "oldest first, a stable order");
}

#[test]
fn the_public_list_shows_only_active_listings_with_ids_masked() {
    let (_dir, db) = demo();
    let active = count(
        &db,
        "SELECT count(*) FROM listing WHERE status = 'active' AND (expires_on IS NULL OR expires_on > '2026-11-27')",
    );
    let r = zhixing(&db, &["export", "public-list", "--format", "jsonl"]);
    assert_eq!(r.code, 0, "{}", r.err);
    assert_eq!(r.out.lines().count() as i64, active);
    for line in r.out.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let id = v["id_number"].as_str().unwrap();
        assert!(id.contains("********"), "{id}");
        assert!(!v["conduct"].as_str().unwrap().is_empty());
    }
    assert!(
        !r.out.contains("韦国强"),
        "his listing was lifted when he paid"
    );
    assert!(r.out.contains("沈国华"));
}
