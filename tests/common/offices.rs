//! Three offices for the sync tests: a court with its caseload, officers,
//! a queued call message and a pending objection, and two field offices
//! made from its files (`zhixing init --site N --from FILE`).

use super::{PIN, court_store, zhixing};
use std::path::Path;
use zhixing::domain::Fen;
use zhixing::domain::codes::{ObjectionKind, PaymentMethod};
use zhixing::domain::roles::Role;
use zhixing::store::acts::{Act, ActError, ActRequest, Actor, Recipients};
use zhixing::store::officers::NewOfficer;
use zhixing::store::sync::Applied;
use zhixing::store::{LEGAL_TABLES, Store};

pub const NOW: &str = "2026-11-27T10:00:00+08:00";

pub fn today() -> chrono::NaiveDate {
    super::today()
}

pub fn officer(store: &Store, login: &str) -> i64 {
    store.officer_by_login(login).unwrap().unwrap().id
}

pub fn act(store: &mut Store, login: &str, act: Act) {
    try_act(store, login, act).unwrap();
}

/// Plans and applies an act as the officer; a refusal is returned.
pub fn try_act(store: &mut Store, login: &str, act: Act) -> Result<(), ActError> {
    let request = ActRequest { act, seen: None };
    let plan = store.plan(&request, today())?;
    let actor = Actor {
        officer_id: Some(officer(store, login)),
        now: NOW.into(),
        today: today(),
    };
    store.apply(&plan, &actor).map(|_| ())
}

pub fn one(store: &Store, sql: &str) -> i64 {
    store.conn().query_row(sql, [], |r| r.get(0)).unwrap()
}

/// Exports from `from` to `to`'s site and applies it there.
pub fn exchange(dir: &Path, from: &mut Store, to: &mut Store, name: &str) -> Applied {
    let exported = from.sync_export(to.site().unwrap(), None, NOW).unwrap();
    let file = dir.join(name);
    std::fs::write(&file, &exported.bytes).unwrap();
    from.sync_record_export(&exported.header, name, None, NOW)
        .unwrap();
    to.sync_apply(&exported.bytes, name, None, NOW).unwrap()
}

/// Every row of every legal table, in key order.
pub fn legal_state(store: &Store) -> Vec<String> {
    LEGAL_TABLES
        .iter()
        .flat_map(|(_, t)| super::table_rows(store.conn(), t))
        .collect()
}

pub struct Offices {
    pub dir: tempfile::TempDir,
    pub court: Store,
    pub a: Store,
    pub b: Store,
}

/// The court with its caseload, officers, a queued call message and a
/// pending objection; two field offices made from its files.
pub fn offices() -> Offices {
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
            .sync_record_export(&exported.header, "court", None, NOW)
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

pub fn pay(store: &mut Store, yuan: &str, receipt: &str) {
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

pub fn decide(store: &mut Store, upheld: bool, reason: &str) {
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
