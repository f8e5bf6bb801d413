//! `zhixing gen`: a realistic, deterministic CSV in import format 1, as
//! large as asked, for benchmarks and tests. The same names, IDs, courts
//! and proportions as the demo, written row by row (memory holds only the
//! IDs already used, as 8-byte hashes, and the case counters).

use super::COURTS;
use super::names::{self, REGIONS, pick};
use crate::domain::Fen;
use crate::domain::status::RESTRICTION_CATALOG;
use crate::import::csv::quote;
use chrono::{Datelike, Days, NaiveDate};
use fastrand::Rng;
use std::collections::{HashMap, HashSet};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::io::Write;

pub const HEADER: &str = "kind,name,id_number,phones,address,legal_rep_name,legal_rep_id,court_code,court_name,case_number,filed_on,applicant,basis,obligation,amount,paid,listed_on,listing_ground,listing_years,restrictions";

const APPLICANTS: [&str; 6] = [
    "中国农业银行股份有限公司登封支行",
    "登封市嵩山农村商业银行",
    "河南中原建工集团有限公司",
    "王秀兰",
    "郑州宏达商贸有限公司",
    "中国工商银行股份有限公司北京朝阳支行",
];
const OBLIGATIONS: [&str; 5] = [
    "偿还借款本金",
    "支付利息",
    "支付货款",
    "支付工程款",
    "支付劳动报酬",
];

#[derive(Debug, Clone, Copy)]
pub struct GenOptions {
    pub subjects: usize,
    pub seed: u64,
    pub as_of: NaiveDate,
}

/// The subject a row belongs to, written on each of its rows.
struct Debtor {
    kind: &'static str,
    name: String,
    id: String,
    phones: String,
    address: String,
    rep: Option<(String, String)>,
}

pub struct Gen {
    rng: Rng,
    as_of: NaiveDate,
    used: HashSet<u64>,
    sequences: HashMap<(&'static str, i32), u32>,
}

/// Writes the header and `opts.subjects` subjects' rows; returns the rows.
pub fn write(out: &mut (impl Write + ?Sized), opts: GenOptions) -> std::io::Result<u64> {
    let mut g = Gen {
        rng: Rng::with_seed(opts.seed),
        as_of: opts.as_of,
        used: HashSet::with_capacity(opts.subjects + opts.subjects / 4),
        sequences: HashMap::new(),
    };
    writeln!(out, "{HEADER}")?;
    let mut rows = 0;
    for _ in 0..opts.subjects {
        rows += g.subject(out)?;
    }
    Ok(rows)
}

fn hash(text: &str) -> u64 {
    let mut h = DefaultHasher::new();
    text.hash(&mut h);
    h.finish()
}

impl Gen {
    fn unique(&mut self, mut make: impl FnMut(&mut Rng) -> String) -> String {
        loop {
            let id = make(&mut self.rng);
            if self.used.insert(hash(&id)) {
                return id;
            }
        }
    }

    /// Born 25 to 75 years ago: an adult on every listing date generated.
    fn person(&mut self, region: &str) -> (String, String, NaiveDate) {
        let name = names::person_name(&mut self.rng);
        let birth = self.as_of - Days::new(self.rng.u64(25 * 365..75 * 365));
        let male = self.rng.bool();
        let id = self.unique(|rng| names::resident_id(rng, region, birth, male));
        (name, id, birth)
    }

    fn debtor(&mut self, region: (&str, &str, &str)) -> Debtor {
        let address = names::address(&mut self.rng, region.1);
        if self.rng.u8(..5) == 0 {
            let name = names::entity_name(&mut self.rng, region.1);
            let id = self.unique(|rng| names::uscc(rng, region.0));
            let (rep_name, rep_id, _) = self.person(region.0);
            return Debtor {
                kind: "entity",
                name,
                id,
                phones: names::phone(&mut self.rng).0,
                address,
                rep: Some((rep_name, rep_id)),
            };
        }
        let (name, id, _) = self.person(region.0);
        let phones: Vec<String> = (0..self.rng.u8(1..3))
            .map(|_| names::phone(&mut self.rng).0)
            .collect();
        Debtor {
            kind: "person",
            name,
            id,
            phones: phones.join(";"),
            address,
            rep: None,
        }
    }

    fn subject(&mut self, out: &mut (impl Write + ?Sized)) -> std::io::Result<u64> {
        let region = if self.rng.u8(..10) < 4 {
            REGIONS[0]
        } else {
            pick(&mut self.rng, &REGIONS)
        };
        let d = self.debtor(region);
        let court = region.2;
        let court_name = COURTS.iter().find(|c| c.0 == court).map_or("", |c| c.1);
        let mut rows = 0;
        for _ in 0..if self.rng.u8(..5) == 0 { 2 } else { 1 } {
            rows += self.case(out, &d, court, court_name)?;
        }
        Ok(rows)
    }

    fn case(
        &mut self,
        out: &mut (impl Write + ?Sized),
        d: &Debtor,
        court: &'static str,
        court_name: &str,
    ) -> std::io::Result<u64> {
        let filed = self.as_of - Days::new(self.rng.u64(30..6 * 365));
        let seq = self.sequences.entry((court, filed.year())).or_insert(3000);
        *seq += 1;
        let number = format!("（{}）{court}执{}号", filed.year(), seq);
        let applicant = pick(&mut self.rng, &APPLICANTS);
        let basis = format!(
            "（{}）{court}民初{}号民事判决书",
            filed.year() - 1,
            self.rng.u32(100..9000)
        );
        let listing = self.listing(filed);
        let restrictions = self.restrictions(listing.is_some());
        let mut rows = 0;
        for what in self.obligations() {
            let (amount, paid) = what.1;
            let cells = [
                d.kind.to_string(),
                d.name.clone(),
                d.id.clone(),
                d.phones.clone(),
                d.address.clone(),
                d.rep.as_ref().map_or(String::new(), |r| r.0.clone()),
                d.rep.as_ref().map_or(String::new(), |r| r.1.clone()),
                court.to_string(),
                court_name.to_string(),
                number.clone(),
                filed.to_string(),
                applicant.to_string(),
                basis.clone(),
                what.0.to_string(),
                amount,
                paid,
                listing.as_ref().map_or(String::new(), |l| l.0.to_string()),
                listing.as_ref().map_or(String::new(), |l| l.1.to_string()),
                listing
                    .as_ref()
                    .and_then(|l| l.2)
                    .map_or(String::new(), |y| y.to_string()),
                restrictions.clone(),
            ];
            let line: Vec<String> = cells.iter().map(|c| quote(c)).collect();
            writeln!(out, "{}", line.join(","))?;
            rows += 1;
        }
        Ok(rows)
    }

    /// One or two obligations: (text, (amount, paid)) in yuan, some not money.
    fn obligations(&mut self) -> Vec<(&'static str, (String, String))> {
        let n = if self.rng.u8(..4) == 0 { 2 } else { 1 };
        let mut out = Vec::new();
        let mut texts = OBLIGATIONS.to_vec();
        self.rng.shuffle(&mut texts);
        for text in texts.into_iter().take(n) {
            if self.rng.u8(..30) == 0 {
                out.push(("腾退房屋", (String::new(), String::new())));
                break;
            }
            let fen = i64::from(self.rng.u32(5_000..50_000_000)) * 10;
            let paid = if self.rng.u8(..10) < 3 {
                fen * i64::from(self.rng.u8(1..9)) / 10
            } else {
                0
            };
            let paid_text = if paid > 0 {
                Fen(paid).yuan_text()
            } else {
                String::new()
            };
            out.push((text, (Fen(fen).yuan_text(), paid_text)));
        }
        out
    }

    /// A listing in about a third of the cases: (date, ground, years).
    fn listing(&mut self, filed: NaiveDate) -> Option<(NaiveDate, u8, Option<u8>)> {
        if self.rng.u8(..100) >= 35 {
            return None;
        }
        let span = (self.as_of - filed).num_days().max(1) as u64;
        let on = filed + Days::new(self.rng.u64(..span));
        let ground = if self.rng.u8(..100) < 45 {
            1
        } else {
            self.rng.u8(2..7)
        };
        let years = match ground {
            1 => None,
            _ if self.rng.u8(..10) == 0 => Some(self.rng.u8(3..6)),
            _ => Some(2),
        };
        Some((on, ground, years))
    }

    /// Joint-punishment bars for some listed debtors; a restriction order
    /// for a few debtors who are not listed.
    fn restrictions(&mut self, listed: bool) -> String {
        let (chance, group) = if listed {
            (15, "joint-punishment")
        } else {
            (10, "consumption")
        };
        if self.rng.u8(..100) >= chance {
            return String::new();
        }
        let items: Vec<&str> = RESTRICTION_CATALOG
            .iter()
            .filter(|i| i.group == group)
            .map(|i| i.code)
            .collect();
        let n = self.rng.usize(1..3.min(items.len()) + 1);
        let mut chosen: Vec<&str> = (0..n).map(|_| pick(&mut self.rng, &items)).collect();
        chosen.sort_unstable();
        chosen.dedup();
        chosen.join(";")
    }
}
