//! Three offices: a court and two field offices made from its files work
//! offline, including conflicting acts on one debtor, then exchange files
//! in different orders. Afterwards every store holds the same legal state,
//! every conflict was reported and recorded, and every audit log verifies.

mod common;

use common::offices::{NOW, Offices, act, decide, exchange, legal_state, offices, one, pay, today};
use common::{count, zhixing};
use std::path::PathBuf;
use zhixing::store::acts::Act;

#[test]
fn three_offices_reach_the_same_state_whatever_the_order_and_report_every_conflict() {
    let Offices {
        dir,
        mut court,
        mut a,
        mut b,
    } = offices();
    let dir = dir.path().to_path_buf();
    // Offline, on the same debtor at both offices: two payments, two
    // decisions on one objection; office A cancels the call message the
    // court meanwhile hands to the carrier.
    pay(&mut a, "1,000", "A-1");
    pay(&mut b, "2,000", "B-1");
    decide(&mut a, true, "");
    decide(&mut b, false, "查无错误信息");
    let call = one(&a, "SELECT id FROM notice WHERE state = 'queued'");
    act(
        &mut a,
        "zhao",
        Act::CancelNotices {
            notice_ids: vec![call],
            reason: "number no longer his".into(),
        },
    );
    let batch = court
        .export_notices("call", "carrier.csv", None, NOW)
        .unwrap();
    batch.commit().unwrap();
    // B reaches the court before A; then the court passes everything on,
    // and once more, until nothing is left to send.
    let mut conflicts = Vec::new();
    conflicts.extend(exchange(&dir, &mut b, &mut court, "b1").conflicts);
    conflicts.extend(exchange(&dir, &mut a, &mut court, "a1").conflicts);
    for round in 0..2 {
        for (office, name) in [(&mut a, "a"), (&mut b, "b")] {
            conflicts
                .extend(exchange(&dir, &mut court, office, &format!("c-{name}{round}")).conflicts);
            conflicts
                .extend(exchange(&dir, office, &mut court, &format!("{name}-c{round}")).conflicts);
        }
    }
    let state = legal_state(&court);
    assert_eq!(
        legal_state(&a),
        state,
        "office A holds what the court holds"
    );
    assert_eq!(
        legal_state(&b),
        state,
        "office B holds what the court holds"
    );
    // Two payments are two payments.
    assert_eq!(
        one(
            &court,
            "SELECT count(*) FROM payment WHERE receipt_no IN ('A-1', 'B-1')"
        ),
        2
    );
    // The objection was decided once, the same everywhere, and the clash
    // was reported with its rule.
    assert_eq!(
        one(
            &court,
            "SELECT count(*) FROM objection WHERE status = 'pending'"
        ),
        0
    );
    assert!(
        conflicts
            .iter()
            .any(|c| c.table == "objection" && c.rule.contains("decided at both sites")),
        "{conflicts:?}"
    );
    // What the decision that did not stand had set going is undone: no
    // correction clock runs without an upheld decision, and no rejection
    // notice waits when the objection was upheld.
    let status: String = court
        .conn()
        .query_row("SELECT status FROM objection", [], |r| r.get(0))
        .unwrap();
    let open_clocks = one(
        &court,
        "SELECT count(*) FROM deadline WHERE kind = 'correction-after-objection' AND state = 'open'",
    );
    let waiting_rejections = one(
        &court,
        "SELECT count(*) FROM notice n JOIN notice_template t ON t.id = n.template_id
         WHERE t.code = 'objection-rejected' AND n.state = 'queued'",
    );
    match status.as_str() {
        "upheld" => assert_eq!((open_clocks, waiting_rejections), (1, 0)),
        _ => assert_eq!((open_clocks, waiting_rejections), (0, 1)),
    }
    // The call message had gone out at the court: it stays handed over,
    // and the cancellation that came too late is reported.
    assert_eq!(
        one(
            &court,
            &format!("SELECT count(*) FROM notice WHERE id = {call} AND state = 'exported'")
        ),
        1
    );
    assert!(
        conflicts.iter().any(|c| c.table == "notice"),
        "{conflicts:?}"
    );
    // Every conflict is on the record, and every log verifies.
    for store in [&court, &a, &b] {
        let (_, breaks) = store.verify_audit().unwrap();
        assert!(breaks.is_empty(), "{breaks:?}");
        let tampered = store.verify_state().unwrap();
        assert!(tampered.is_empty(), "{tampered:?}");
    }
    let recorded = one(
        &court,
        "SELECT count(*) FROM audit_log WHERE act = 'sync-applied' AND after_json LIKE '%decided at both sites%'",
    );
    assert!(recorded >= 1);
}

#[test]
fn the_same_file_twice_changes_nothing_and_a_cut_altered_or_misaddressed_file_is_refused() {
    let Offices {
        dir, court, mut a, ..
    } = offices();
    let dir: PathBuf = dir.path().to_path_buf();
    pay(&mut a, "1,000", "A-1");
    let exported = a.sync_export(1, None, NOW).unwrap();
    let file = dir.join("a-to-court.zxs");
    std::fs::write(&file, &exported.bytes).unwrap();
    let db = court.path().to_path_buf();
    drop(court);
    let before = common::file_digest(&db);
    let bytes = exported.bytes.clone();
    let cut = dir.join("cut.zxs");
    std::fs::write(&cut, &bytes[..bytes.len() - 10]).unwrap();
    let r = zhixing(&db, &["sync", "apply", cut.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(r.err.contains("cut.zxs: it is cut short"), "{}", r.err);
    assert!(r.err.contains("nothing was applied"), "{}", r.err);
    let mut altered = bytes.clone();
    let at = altered.len() - 20;
    altered[at] ^= 0x20;
    let bad = dir.join("altered.zxs");
    std::fs::write(&bad, &altered).unwrap();
    let r = zhixing(&db, &["sync", "apply", bad.to_str().unwrap()]);
    assert!(
        r.err
            .contains("altered.zxs: it was altered after it was made"),
        "{}",
        r.err
    );
    let other = a.sync_export(3, None, NOW).unwrap();
    let misaddressed = dir.join("for-3.zxs");
    std::fs::write(&misaddressed, &other.bytes).unwrap();
    let r = zhixing(&db, &["sync", "apply", misaddressed.to_str().unwrap()]);
    assert!(
        r.err
            .contains("it was made for site 3, and this store is site 1"),
        "{}",
        r.err
    );
    assert_eq!(
        common::file_digest(&db),
        before,
        "refused files leave the store as it was"
    );
    let r = zhixing(&db, &["sync", "apply", file.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.err);
    assert!(r.err.contains("from site 2: "), "{}", r.err);
    let payments = count(&db, "SELECT count(*) FROM payment");
    let r = zhixing(&db, &["sync", "apply", file.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.err);
    assert!(r.err.contains("already applied"), "{}", r.err);
    assert_eq!(count(&db, "SELECT count(*) FROM payment"), payments);
    let r = zhixing(&db, &["sync", "status"]);
    let line = r.out.lines().find(|l| l.starts_with("site 2: ")).unwrap();
    assert!(line.contains("a-to-court.zxs)"), "{line}");
    let waiting = line.rsplit("; ").next().unwrap();
    let n: u64 = waiting
        .split(' ')
        .next()
        .unwrap()
        .replace(',', "")
        .parse()
        .unwrap();
    let said = format!("{} waiting", zhixing::words::count(n, "change"));
    assert_eq!(waiting, said, "{line}");
}

#[test]
fn the_workstation_shows_each_peer_and_what_waits_to_go() {
    let Offices { court, mut a, .. } = offices();
    pay(&mut a, "1,000", "A-1");
    drop(a);
    let mut d = zhixing::tui::driver::Driver::with_options(
        court,
        &zhixing::tui::app::AppOptions::signed_in("admin", today()),
    );
    d.keys(&["S"]);
    let screen = d.screen(120, 30);
    assert!(screen.contains("this store is site 1"), "{screen}");
    assert!(screen.contains("site 2"), "{screen}");
    assert!(screen.contains("site 3"), "{screen}");
    assert!(screen.contains("Waiting to go"), "{screen}");
    assert!(
        screen.contains("never"),
        "nothing applied from them yet: {screen}"
    );
    d.keys(&["q"]);
    assert!(d.screen(120, 30).contains("Filter:"));
}

/// An import at the court after a field office's rows arrived: the keys
/// of another site lie above this site's, and the import seals, clocks and
/// restricts only the rows it added itself.
#[test]
fn an_import_after_another_sites_rows_arrived_touches_only_its_own() {
    let mut o = offices();
    let dir = o.dir.path().to_path_buf();
    let caseload = |seed: &str| {
        let file = dir.join(format!("caseload-{seed}.csv"));
        let r = zhixing(
            &dir.join("court.db"),
            &[
                "gen",
                "--subjects",
                "150",
                "--seed",
                seed,
                "--out",
                file.to_str().unwrap(),
            ],
        );
        assert_eq!(r.code, 0, "{}", r.err);
        file
    };
    let office_file = caseload("21");
    let r = zhixing(
        &dir.join("office-2.db"),
        &["import", office_file.to_str().unwrap()],
    );
    assert_eq!(r.code, 0, "{}", r.err);
    exchange(&dir, &mut o.a, &mut o.court, "a-to-court.zxs");
    let theirs = count(&dir.join("court.db"), "SELECT count(*) FROM restriction");
    let court_file = caseload("22");
    let r = zhixing(
        &dir.join("court.db"),
        &["import", court_file.to_str().unwrap()],
    );
    assert_eq!(r.code, 0, "{}", r.err);
    let court = &o.court;
    assert!(court.verify_state().unwrap().is_empty());
    assert!(court.verify_standing().unwrap().is_empty());
    assert_eq!(
        one(
            court,
            "SELECT count(*) FROM restriction WHERE id >> 40 = 1 AND listing_id >> 40 = 2"
        ),
        0,
        "the court restricted no one on the office's listings"
    );
    assert!(count(&dir.join("court.db"), "SELECT count(*) FROM restriction") > theirs);
}

/// A court's whole store sent to a new field office is millions of rows:
/// on a terminal, the export and the new store's making show each step,
/// then clear the line for their report.
#[test]
fn on_a_terminal_a_sync_export_and_a_new_office_from_it_show_their_steps() {
    let Offices { dir, court, .. } = offices();
    let db = court.path().to_path_buf();
    drop(court);
    let file = dir.path().join("court-to-4.zxs");
    let export = format!(
        "--officer admin sync export --to {} --peer 4",
        file.display()
    );
    let shown = common::through_a_terminal(&db, &export);
    common::shown_in_order(
        &shown,
        &[
            "collecting the changes into ",
            "court-to-4.zxs… (sync export running",
            "\r\x1b[K",
            "rows for site 4",
        ],
    );
    let office = dir.path().join("office-4.db");
    let init = format!("--officer admin init --site 4 --from {}", file.display());
    let shown = common::through_a_terminal(&office, &init);
    common::shown_in_order(
        &shown,
        &[
            "merging 0 of ",
            "rows… (init running",
            "search index of ",
            "settling conflicts…",
            "writing to disk…",
            "\r\x1b[K",
            "a new store, site 4, from ",
        ],
    );
    // Filled straight into its file (no log as big as the store), it is
    // back in WAL mode for the office's workstations, and whole.
    let c = rusqlite::Connection::open(&office).unwrap();
    let mode: String = c
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    drop(c);
    let r = zhixing(&office, &["audit", "verify"]);
    assert_eq!(r.code, 0, "{}", r.out);
}
