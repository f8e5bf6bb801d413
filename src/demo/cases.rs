//! The bulk of the demo: ordinary debtors with cases, payments, listings,
//! restrictions, objections, notices and running clocks.

use super::Courts;
use super::names::{self, REGIONS, pick};
use crate::domain::calendar::WorkCalendar;
use crate::domain::status::consumption_items;
use crate::search::pinyin;
use crate::store::seed::{NewListing, NewNotice, NewSubject, SeedWriter};
use chrono::{Datelike, Days, Months, NaiveDate};
use fastrand::Rng;
use std::collections::{HashMap, HashSet};

const APPLICANTS: [&str; 8] = [
    "中国农业银行股份有限公司登封支行",
    "登封市嵩山农村商业银行",
    "中国建设银行股份有限公司郑州分行",
    "河南中原建工集团有限公司",
    "王秀兰",
    "李建国",
    "郑州宏达商贸有限公司",
    "中国工商银行股份有限公司北京朝阳支行",
];
const OBLIGATIONS: [&str; 4] = [
    "偿还借款本金及利息",
    "支付货款",
    "支付工程款",
    "支付劳动报酬",
];

pub struct Made {
    pub cases: usize,
    pub listings: usize,
}

pub struct Generator<'w, 'c> {
    w: &'w mut SeedWriter<'c>,
    courts: &'w Courts,
    officer: i64,
    as_of: NaiveDate,
    calendar: WorkCalendar,
    ids: HashSet<String>,
    sequences: HashMap<(String, i32), i64>,
    receipts: u64,
}

impl<'w, 'c> Generator<'w, 'c> {
    pub fn new(
        w: &'w mut SeedWriter<'c>,
        courts: &'w Courts,
        officer: i64,
        as_of: NaiveDate,
    ) -> Self {
        let calendar = WorkCalendar::shipped();
        Generator {
            w,
            courts,
            officer,
            as_of,
            calendar,
            ids: HashSet::new(),
            sequences: HashMap::new(),
            receipts: 0,
        }
    }

    /// One debtor (an entity brings its legal representative along).
    pub fn subject(&mut self, rng: &mut Rng) -> rusqlite::Result<Made> {
        let region = if rng.u8(..10) < 4 {
            REGIONS[0]
        } else {
            pick(rng, &REGIONS)
        };
        let entity = rng.u8(..5) == 0;
        let id = if entity {
            self.entity(rng, region)?
        } else {
            self.person(rng, region)?
        };
        let mut made = Made {
            cases: 0,
            listings: 0,
        };
        let n_cases = if rng.u8(..5) == 0 { 2 } else { 1 };
        for _ in 0..n_cases {
            made.listings += self.case(rng, id, region.2)?;
            made.cases += 1;
        }
        Ok(made)
    }

    fn unique_id(&mut self, mut make: impl FnMut() -> String) -> String {
        loop {
            let id = make();
            if self.ids.insert(id.clone()) {
                return id;
            }
        }
    }

    fn person(&mut self, rng: &mut Rng, region: (&str, &str, &str)) -> rusqlite::Result<i64> {
        let name = names::person_name(rng);
        let birth = names::adult_birth(rng, self.as_of);
        let male = rng.bool();
        let id_number = self.unique_id(|| names::resident_id(rng, region.0, birth, male));
        let address = names::address(rng, region.1);
        let id = self.w.subject(&NewSubject {
            kind: "person",
            name: &name,
            name_pinyin: &pinyin::spaced(&name),
            id_number: &id_number,
            id_warning: false,
            sex: Some(if male { "male" } else { "female" }),
            birth_date: Some(birth.to_string()),
            address: Some(&address),
        })?;
        for _ in 0..rng.u8(1..3) {
            let (number, carrier) = names::phone(rng);
            self.w.phone(id, &number, carrier)?;
        }
        Ok(id)
    }

    fn entity(&mut self, rng: &mut Rng, region: (&str, &str, &str)) -> rusqlite::Result<i64> {
        let name = names::entity_name(rng, region.1);
        let code = self.unique_id(|| names::uscc(rng, region.0));
        let address = names::address(rng, region.1);
        let id = self.w.subject(&NewSubject {
            kind: "entity",
            name: &name,
            name_pinyin: &pinyin::spaced(&name),
            id_number: &code,
            id_warning: false,
            sex: None,
            birth_date: None,
            address: Some(&address),
        })?;
        let (number, carrier) = names::phone(rng);
        self.w.phone(id, &number, carrier)?;
        let rep = self.person(rng, region)?;
        self.w.responsible(id, rep, "legal-representative")?;
        Ok(id)
    }

    fn next_sequence(&mut self, court: &str, year: i32) -> i64 {
        let seq = self
            .sequences
            .entry((court.to_string(), year))
            .or_insert(3000);
        *seq += 1;
        *seq
    }

    /// A case with one obligation; returns how many listings it made.
    fn case(&mut self, rng: &mut Rng, subject: i64, court: &str) -> rusqlite::Result<usize> {
        let year = self.as_of.year() - rng.i32(0..5);
        let filed =
            NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(self.as_of) + Days::new(rng.u64(0..360));
        let filed = filed.min(self.as_of - Days::new(30));
        let seq = self.next_sequence(court, filed.year());
        let basis = format!(
            "（{}）{court}民初{}号民事判决书",
            filed.year() - 1,
            rng.u16(100..9000)
        );
        let applicant = pick(rng, &APPLICANTS);
        let case_id = self
            .courts
            .open_case(self.w, court, filed, seq, applicant, &basis)?;
        self.w.debtor(case_id, subject)?;
        let amount = 10_i64.pow(rng.u32(6..9)) * i64::from(rng.u16(1..10))
            + i64::from(rng.u16(0..100)) * 100;
        let obligation =
            self.w
                .obligation(case_id, subject, pick(rng, &OBLIGATIONS), Some(amount))?;
        let paid = match rng.u8(..20) {
            0..=2 => amount,
            3..=10 => amount / 100 * i64::from(rng.u8(5..80)),
            _ => 0,
        };
        if paid > 0 {
            self.receipts += 1;
            let on = (filed + Days::new(rng.u64(20..200))).min(self.as_of);
            let receipt = format!("DEMO-{:07}", self.receipts);
            self.w.payment(
                obligation,
                paid,
                &on.to_string(),
                pick(
                    rng,
                    &["transfer", "cash", "wage-deduction", "seized-assets"],
                ),
                &receipt,
                Some(self.officer),
            )?;
        }
        let listed = rng.u8(..100) < 40;
        if listed && filed + Days::new(60) < self.as_of {
            self.listing(
                rng,
                subject,
                case_id,
                court,
                filed,
                paid == amount,
                amount - paid,
            )?;
            return Ok(1);
        }
        if paid < amount && rng.u8(..100) < 12 {
            self.order(rng, subject, case_id, court, filed)?;
        }
        Ok(0)
    }

    #[allow(clippy::too_many_arguments)]
    fn listing(
        &mut self,
        rng: &mut Rng,
        subject: i64,
        case_id: i64,
        court: &str,
        filed: NaiveDate,
        performed: bool,
        owed: i64,
    ) -> rusqlite::Result<()> {
        let decided = (filed + Days::new(rng.u64(60..400))).min(self.as_of - Days::new(1));
        let ground = pick(rng, &[1, 1, 1, 1, 1, 4, 4, 5, 2, 3, 6]);
        let years = (ground != 1).then(|| if rng.u8(..10) == 0 { rng.u8(3..6) } else { 2 });
        let expires =
            years.and_then(|y| decided.checked_add_months(Months::new(12 * u32::from(y))));
        let lifted = match expires {
            Some(e) if e <= self.as_of => Some(("period-ended", e)),
            _ if performed && rng.u8(..4) > 0 => Some((
                "performed",
                (decided + Days::new(rng.u64(10..200))).min(self.as_of),
            )),
            _ if rng.u8(..30) == 0 => Some((
                "applicant-request",
                (decided + Days::new(90)).min(self.as_of),
            )),
            _ => None,
        };
        let decision_no = format!(
            "（{}）{court}执{}号之一",
            decided.year(),
            rng.u16(3000..9999)
        );
        let listing = self.w.listing(
            &NewListing {
                subject_id: subject,
                case_id,
                ground,
                decision_no: &decision_no,
                decided_on: &decided.to_string(),
                period_years: years,
                expires_on: expires.map(|e| e.to_string()),
                published_on: Some(&decided.to_string()),
                lifted: lifted.map(|(r, on)| (r, on.to_string())),
            },
            Some(self.officer),
        )?;
        let detail = format!("listed on ground {ground}, decision {decision_no}");
        self.w
            .audit_act(self.officer, subject, "list", ("listing", listing), &detail)?;
        let lift = lifted.map(|(_, on)| ("basis-lifted", on.to_string()));
        for item in consumption_items() {
            self.w.restriction(
                subject,
                item.code,
                (Some(listing), None),
                &decided.to_string(),
                lift.as_ref().map(|(r, d)| (*r, d.as_str())),
            )?;
        }
        if let Some((reason, on)) = lifted {
            let detail = format!("lifted on {on}: {reason}");
            self.w.audit_act(
                self.officer,
                subject,
                "lift-listing",
                ("listing", listing),
                &detail,
            )?;
        } else {
            self.active_extras(rng, subject, listing, court, decided, performed, owed)?;
        }
        Ok(())
    }

    /// Notices, objections and clocks of a listing still in force.
    #[allow(clippy::too_many_arguments)]
    fn active_extras(
        &mut self,
        rng: &mut Rng,
        subject: i64,
        listing: i64,
        court: &str,
        decided: NaiveDate,
        performed: bool,
        owed: i64,
    ) -> rusqlite::Result<()> {
        let court_name = self.courts.name(court);
        let body =
            format!("您好，您拨打的机主已被{court_name}列为失信被执行人，请敦促其履行法定义务。");
        let sent = rng.u8(..10) < 7;
        let batch = if sent {
            Some(self.w.notice_batch("call", &decided.to_string(), 1)?)
        } else {
            None
        };
        self.w.notice(
            &NewNotice {
                subject_id: subject,
                listing_id: Some(listing),
                channel: "call",
                purpose: "call-message",
                recipient: "all numbers on the ID",
                body: &body,
                state: if sent { "sent" } else { "queued" },
                batch_id: batch,
                at: &format!("{decided}T10:00:00+08:00"),
            },
            Some(self.officer),
        )?;
        if performed || owed == 0 {
            let due = self
                .calendar
                .add_working_days(self.as_of - Days::new(rng.u64(0..6)), 3);
            self.w.deadline(
                subject,
                "deletion-after-performance",
                Some(listing),
                &due.to_string(),
            )?;
        } else if rng.u8(..100) < 8 {
            let filed = self.as_of - Days::new(rng.u64(0..20));
            let due = filed + Days::new(15);
            let kind = pick(
                rng,
                &[
                    "should-not-be-listed",
                    "information-wrong",
                    "should-be-deleted",
                ],
            );
            self.w.objection(
                listing,
                subject,
                kind,
                self.courts.id(court),
                &filed.to_string(),
                &due.to_string(),
            )?;
        }
        Ok(())
    }

    fn order(
        &mut self,
        rng: &mut Rng,
        subject: i64,
        case_id: i64,
        court: &str,
        filed: NaiveDate,
    ) -> rusqlite::Result<()> {
        let on = (filed + Days::new(rng.u64(30..120))).min(self.as_of);
        let decision_no = format!(
            "（{}）{court}执{}号限制消费令",
            on.year(),
            rng.u16(3000..9999)
        );
        let order = self.w.restriction_order(
            subject,
            case_id,
            &decision_no,
            &on.to_string(),
            Some(self.officer),
        )?;
        for item in consumption_items().take(rng.usize(3..10)) {
            self.w.restriction(
                subject,
                item.code,
                (None, Some(order)),
                &on.to_string(),
                None,
            )?;
        }
        Ok(())
    }
}
