//! Three offices: a court and two field offices made from its files work
//! offline, including conflicting acts on one debtor, then exchange files
//! in different orders. Afterwards every store holds the same legal state,
//! every conflict was reported and recorded, and every audit log verifies.

mod common;

use common::{PIN, count, court_store, zhixing};
use std::path::{Path, PathBuf};
use zhixing::domain::Fen;
use zhixing::domain::codes::{ObjectionKind, PaymentMethod};
use zhixing::domain::roles::Role;
use zhixing::store::Store;
use zhixing::store::acts::{Act, ActRequest, Actor, Recipients};
use zhixing::store::officers::NewOfficer;
use zhixing::store::sync::Applied;

const NOW: &str = "2026-11-27T10:00:00+08:00";

fn today() -> chrono::NaiveDate {
    common::today()
}

fn officer(store: &Store, login: &str) -> i64 {
    store.officer_by_login(login).unwrap().unwrap().id
}

fn act(store: &mut Store, login: &str, act: Act) {
    let request = ActRequest { act, seen: None };
    let plan = store.plan(&request, today()).unwrap();
    let actor = Actor {
        officer_id: Some(officer(store, login)),
        now: NOW.into(),
        today: today(),
    };
    store.apply(&plan, &actor).unwrap();
}

fn one(store: &Store, sql: &str) -> i64 {
    store.conn().query_row(sql, [], |r| r.get(0)).unwrap()
}

/// Exports from `from` to `to`'s site and applies it there.
fn exchange(dir: &Path, from: &mut Store, to: &mut Store, name: &str) -> Applied {
    let exported = from.sync_export(to.site().unwrap(), None, NOW).unwrap();
    let file = dir.join(name);
    std::fs::write(&file, &exported.bytes).unwrap();
    from.sync_record_export(&exported, name, None, NOW).unwrap();
    to.sync_apply(&exported.bytes, name, None, NOW).unwrap()
}

/// Every row of every legal table, in key order.
fn legal_state(store: &Store) -> Vec<String> {
    let tables = [
        "court",
        "officer",
        "subject",
        "alias",
        "phone",
        "responsible_person",
        "enforcement_case",
        "case_debtor",
        "obligation",
        "payment",
        "listing",
        "restriction_order",
        "restriction",
        "necessary_expense",
        "objection",
        "notice_batch",
        "notice",
        "deadline",
        "approval",
    ];
    tables
        .iter()
        .flat_map(|t| common::table_rows(store.conn(), t))
        .collect()
}

struct Offices {
    dir: tempfile::TempDir,
    court: Store,
    a: Store,
    b: Store,
}

/// The court with its caseload, officers, a queued call message and a
/// pending objection; two field offices made from its files.
fn offices() -> Offices {
    let dir = tempfile::tempdir().unwrap();
    let db = court_store(dir.path(), "court.db");
    let good = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import/good.csv");
    assert_eq!(zhixing(&db, &["import", good.to_str().unwrap()]).code, 0);
    let mut court = Store::open(&db).unwrap();
    let admin = officer(&court, "admin");
    for (login, role) in [
        ("li", Role::Officer),
        ("wang", Role::Supervisor),
        ("zhao", Role::Clerk),
    ] {
        let new = NewOfficer {
            login,
            name: login,
            role,
            pin: PIN,
        };
        court.add_officer(admin, &new, NOW).unwrap();
    }
    let wei = one(&court, "SELECT id FROM subject WHERE name = '韦国强'");
    let template = one(
        &court,
        "SELECT id FROM notice_template WHERE code = 'call-message' AND language = 'zh'",
    );
    act(
        &mut court,
        "zhao",
        Act::QueueNotice {
            subject_id: wei,
            template_id: template,
            recipients: Recipients::All,
        },
    );
    let shen_listing = one(
        &court,
        "SELECT l.id FROM listing l JOIN subject s ON s.id = l.subject_id WHERE s.name = '沈国华'",
    );
    act(
        &mut court,
        "li",
        Act::FileObjection {
            listing_id: shen_listing,
            kind: ObjectionKind::InformationWrong,
            filed_on: today(),
        },
    );
    let mut made = Vec::new();
    for site in [2, 3] {
        let exported = court.sync_export(site, None, NOW).unwrap();
        let file = dir.path().join(format!("court-to-{site}.zxs"));
        std::fs::write(&file, &exported.bytes).unwrap();
        court
            .sync_record_export(&exported, "court", None, NOW)
            .unwrap();
        let office = dir.path().join(format!("office-{site}.db"));
        let r = zhixing(
            &office,
            &[
                "init",
                "--site",
                &site.to_string(),
                "--from",
                file.to_str().unwrap(),
            ],
        );
        assert_eq!(r.code, 0, "{}", r.err);
        made.push(Store::open(&office).unwrap());
    }
    let b = made.pop().unwrap();
    let a = made.pop().unwrap();
    Offices { dir, court, a, b }
}

fn pay(store: &mut Store, yuan: &str, receipt: &str) {
    let obligation = one(
        store,
        "SELECT o.id FROM obligation o JOIN subject s ON s.id = o.subject_id WHERE s.name = '沈国华'",
    );
    act(
        store,
        "li",
        Act::RecordPayment {
            obligation_id: obligation,
            amount: Fen::parse_yuan(yuan).unwrap(),
            paid_on: today(),
            method: PaymentMethod::Cash,
            receipt_no: receipt.into(),
            lift_if_complete: false,
        },
    );
}

fn decide(store: &mut Store, upheld: bool, reason: &str) {
    let objection = one(store, "SELECT id FROM objection WHERE status = 'pending'");
    act(
        store,
        "li",
        Act::DecideObjection {
            objection_id: objection,
            upheld,
            reason: reason.into(),
            decided_on: today(),
            revoke_now: false,
        },
    );
}

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
    assert!(line.contains("change(s) waiting"), "{line}");
}

#[test]
fn the_workstation_shows_each_peer_and_what_waits_to_go() {
    let Offices { court, mut a, .. } = offices();
    pay(&mut a, "1,000", "A-1");
    drop(a);
    let mut d = zhixing::tui::driver::Driver::with_options(
        court,
        &zhixing::tui::app::AppOptions {
            today: today(),
            keymap_file: None,
            monochrome: false,
            officer: None,
            signed_in_as: Some("admin".into()),
        },
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
