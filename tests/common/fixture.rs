//! A small store with known people, cases and keys, for the acts tests.

use chrono::NaiveDate;
use rusqlite::Connection;
use zhixing::domain::Fen;
use zhixing::domain::ident::resident_id_check;
use zhixing::store::Store;
use zhixing::store::acts::{Act, ActError, ActRequest, Actor, Applied, Plan};
use zhixing::store::seed::{NewCase, NewSubject, SeedWriter};

pub struct Fixture {
    pub dir: tempfile::TempDir,
    pub store: Store,
    pub officer: i64,
    /// A second officer who may approve what needs approval.
    pub supervisor: i64,
    pub clerk: i64,
    /// An adult with two phones and an address.
    pub adult: i64,
    /// Born 2010-03-05: a minor on every date these tests use.
    pub minor: i64,
    /// A company whose legal representative is `adult`.
    pub company: i64,
    /// adult's cases: 10,000.00 and 5,000.00 yuan owed.
    pub case1: i64,
    pub case2: i64,
    pub minor_case: i64,
    pub company_case: i64,
    pub obligation1: i64,
    pub obligation2: i64,
    pub company_obligation: i64,
}

pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

pub fn resident_id(first17: &str) -> String {
    format!("{first17}{}", resident_id_check(first17))
}

fn person<'a>(name: &'a str, pinyin: &'a str, id: &'a str, birth: &str) -> NewSubject<'a> {
    NewSubject {
        kind: "person",
        name,
        name_pinyin: pinyin,
        id_number: id,
        id_warning: false,
        sex: Some("male"),
        birth_date: Some(birth.into()),
        address: Some("河南省登封市嵩阳路1号"),
    }
}

fn case(w: &mut SeedWriter, number: &str, court: i64, seq: i64) -> i64 {
    w.case(&NewCase {
        case_number: number,
        court_id: court,
        year: 2025,
        case_type: "执",
        sequence: seq,
        applicant: "登封市农村信用合作联社",
        basis: Some("登封市人民法院（2024）豫0185民初100号民事判决书"),
        filed_on: "2025-03-01",
        status: "open",
    })
    .unwrap()
}

pub fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("acts.db")).unwrap();
    let tx = store.conn().unchecked_transaction().unwrap();
    let mut w = SeedWriter::new(&tx, 1, "2026-11-01T09:00:00+08:00".into());
    let high = w.court("豫", "河南省高级人民法院", "high", None).unwrap();
    let mid = w
        .court(
            "豫01",
            "河南省郑州市中级人民法院",
            "intermediate",
            Some(high),
        )
        .unwrap();
    let court = w
        .court("豫0185", "登封市人民法院", "basic", Some(mid))
        .unwrap();
    let officer = w.officer("li", "李执行", "officer", Some(court)).unwrap();
    let supervisor = w
        .officer("wang", "王庭长", "supervisor", Some(court))
        .unwrap();
    let clerk = w.officer("zhao", "赵书记员", "clerk", Some(court)).unwrap();
    let adult_id = resident_id("41018519800101001");
    let adult = w
        .subject(&person("韦国强", "wei guo qiang", &adult_id, "1980-01-01"))
        .unwrap();
    w.phone(adult, "13800138000", "china-mobile").unwrap();
    w.phone(adult, "13900139000", "china-unicom").unwrap();
    let minor_id = resident_id("41018520100305001");
    let minor = w
        .subject(&person("韦小明", "wei xiao ming", &minor_id, "2010-03-05"))
        .unwrap();
    let company = w
        .subject(&NewSubject {
            kind: "entity",
            name: "登封市嵩阳建材有限公司",
            name_pinyin: "",
            id_number: "91110000600037341L",
            id_warning: false,
            sex: None,
            birth_date: None,
            address: Some("河南省登封市工业园区"),
        })
        .unwrap();
    w.responsible(company, adult, "legal-representative")
        .unwrap();
    let case1 = case(&mut w, "（2025）豫0185执1号", court, 1);
    let case2 = case(&mut w, "（2025）豫0185执2号", court, 2);
    let minor_case = case(&mut w, "（2025）豫0185执3号", court, 3);
    let company_case = case(&mut w, "（2025）豫0185执4号", court, 4);
    for (c, s) in [
        (case1, adult),
        (case2, adult),
        (minor_case, minor),
        (company_case, company),
    ] {
        w.debtor(c, s).unwrap();
    }
    let obligation1 = w
        .obligation(case1, adult, "借款本金及利息", Some(1_000_000))
        .unwrap();
    let obligation2 = w.obligation(case2, adult, "货款", Some(500_000)).unwrap();
    w.obligation(minor_case, minor, "赔偿款", Some(10_000))
        .unwrap();
    let company_obligation = w
        .obligation(company_case, company, "货款", Some(2_000_000))
        .unwrap();
    drop(w);
    tx.commit().unwrap();
    Fixture {
        dir,
        store,
        officer,
        supervisor,
        clerk,
        adult,
        minor,
        company,
        case1,
        case2,
        minor_case,
        company_case,
        obligation1,
        obligation2,
        company_obligation,
    }
}

impl Fixture {
    pub fn actor(&self) -> Actor {
        Actor {
            officer_id: Some(self.officer),
            now: "2026-11-27T10:00:00+08:00".into(),
            today: super::today(),
        }
    }

    pub fn plan(&self, act: Act) -> Result<Plan, ActError> {
        self.store
            .plan(&ActRequest { act, seen: None }, super::today())
    }

    /// Plans and applies, as the confirm view does when the officer says yes.
    pub fn act(&mut self, act: Act) -> Result<Applied, ActError> {
        let plan = self.plan(act)?;
        let actor = self.actor();
        self.store.apply(&plan, &actor)
    }

    /// As `act`, by another officer.
    pub fn act_as(&mut self, officer_id: i64, act: Act) -> Result<Applied, ActError> {
        let plan = self.plan(act)?;
        let actor = Actor {
            officer_id: Some(officer_id),
            ..self.actor()
        };
        self.store.apply(&plan, &actor)
    }

    /// The supervisor approves the newest request waiting for approval.
    pub fn approve_pending(&mut self) -> Result<Applied, ActError> {
        let approval_id = self.count("SELECT max(id) FROM approval WHERE state = 'pending'");
        let act = Act::DecideApproval {
            approval_id,
            approve: true,
            reason: String::new(),
        };
        self.act_as(self.supervisor, act)
    }

    pub fn conn(&self) -> &Connection {
        self.store.conn()
    }

    pub fn count(&self, sql: &str) -> i64 {
        self.conn().query_row(sql, [], |r| r.get(0)).unwrap()
    }

    pub fn pay(
        &mut self,
        obligation_id: i64,
        yuan: &str,
        receipt: &str,
        lift: bool,
    ) -> Result<Applied, ActError> {
        self.act(Act::RecordPayment {
            obligation_id,
            amount: Fen::parse_yuan(yuan).unwrap(),
            paid_on: super::today(),
            method: zhixing::domain::codes::PaymentMethod::Transfer,
            receipt_no: receipt.into(),
            lift_if_complete: lift,
        })
    }

    pub fn list(&mut self, subject_id: i64, case_id: i64, ground: u8) -> Result<Applied, ActError> {
        self.act(Act::List {
            subject_id,
            case_id,
            ground,
            decision_no: format!("（2026）豫0185执{}号之一", case_id & 0xffff),
            decided_on: d(2026, 11, 20),
            years: None,
            exclusions_confirmed: true,
            notify: true,
        })
    }

    pub fn active_listing(&self, case_id: i64) -> i64 {
        self.conn()
            .query_row(
                "SELECT id FROM listing WHERE case_id = ?1 AND status = 'active'",
                [case_id],
                |r| r.get(0),
            )
            .unwrap()
    }

    /// Every row of the legal tables, to prove a refused act wrote nothing.
    pub fn snapshot(&self) -> Vec<String> {
        let mut out = Vec::new();
        for table in [
            "payment",
            "listing",
            "restriction",
            "restriction_order",
            "notice",
            "deadline",
            "objection",
            "necessary_expense",
            "approval",
            "officer",
            "audit_log",
            "enforcement_case",
        ] {
            out.extend(super::table_rows(self.conn(), table));
        }
        out
    }

    /// The invariants of issue 3, checked with plain SQL.
    pub fn assert_invariants(&self) {
        // Every row is as the log recorded it, and the chain holds.
        let tampered = self.store.verify_state().unwrap();
        assert!(tampered.is_empty(), "{tampered:?}");
        let drifted = self.store.verify_standing().unwrap();
        assert!(drifted.is_empty(), "the list's status: {drifted:?}");
        let (_, breaks) = self.store.verify_audit().unwrap();
        assert!(breaks.is_empty(), "{breaks:?}");
        let broken = [
            (
                "an active restriction without an active basis",
                "SELECT count(*) FROM restriction r WHERE r.status = 'active' AND NOT EXISTS (
                     SELECT 1 FROM listing l WHERE l.id = r.listing_id AND l.status = 'active'
                     UNION ALL SELECT 1 FROM restriction_order o WHERE o.id = r.order_id AND o.status = 'active')",
            ),
            (
                "a queued call message for a subject with no active listing",
                "SELECT count(*) FROM notice n WHERE n.channel = 'call' AND n.purpose = 'call-message'
                   AND n.state = 'queued' AND NOT EXISTS (
                     SELECT 1 FROM listing l WHERE l.subject_id = n.subject_id AND l.status = 'active')",
            ),
            (
                "a queued notice for a lifted listing (other than its lifting notice)",
                "SELECT count(*) FROM notice n JOIN listing l ON l.id = n.listing_id
                  WHERE n.state = 'queued' AND n.purpose <> 'lifting' AND l.status <> 'active'",
            ),
            (
                "payments above an obligation",
                "SELECT count(*) FROM obligation o WHERE o.amount_fen < (
                     SELECT coalesce(sum(CASE kind WHEN 'payment' THEN amount_fen ELSE -amount_fen END), 0)
                     FROM payment p WHERE p.obligation_id = o.id)",
            ),
            (
                "a reversal above its payment",
                "SELECT count(*) FROM payment r JOIN payment p ON p.id = r.reverses_id WHERE r.amount_fen > p.amount_fen",
            ),
            (
                "a listing of a minor",
                "SELECT count(*) FROM listing l JOIN subject s ON s.id = l.subject_id
                  WHERE s.birth_date IS NOT NULL AND date(s.birth_date, '+18 years') > l.decided_on",
            ),
            (
                "a period on ground 1 or longer than 5 years",
                "SELECT count(*) FROM listing WHERE (ground = 1 AND period_years IS NOT NULL)
                     OR period_years > 5 OR expires_on > date(decided_on, '+5 years')",
            ),
            (
                "an active listing without the consumption restrictions",
                "SELECT count(*) FROM listing l WHERE l.status = 'active' AND (
                     SELECT count(*) FROM restriction r WHERE r.listing_id = l.id AND r.subject_id = l.subject_id
                       AND r.status = 'active') < 9",
            ),
            (
                "a row written by an act missing from every audit row's after-image",
                // Every payment, listing, restriction and notice of the
                // fixture is written by an act (the seed writes none).
                "SELECT count(*) FROM (
                     SELECT 'payment/' || id AS k FROM payment
                     UNION ALL SELECT 'listing/' || id FROM listing
                     UNION ALL SELECT 'restriction/' || id FROM restriction
                     UNION ALL SELECT 'notice/' || id FROM notice) w
                 WHERE NOT EXISTS (SELECT 1 FROM audit_log a
                                   WHERE instr(a.after_json, '\"' || w.k || '\"') > 0)",
            ),
        ];
        for (what, sql) in broken {
            assert_eq!(self.count(sql), 0, "invariant broken: {what}");
        }
    }
}
