//! `zhixing demo`: a deterministic store with realistic data, and the four
//! cases the article tells.

mod cases;
pub mod generate_csv;
pub mod names;
mod stories;
mod story_writer;

use crate::store::seed::{NewCase, SeedWriter};
use crate::store::{AuditEntry, Store, search_bulk};
use chrono::{Datelike, NaiveDate};
use fastrand::Rng;
use std::collections::HashMap;

#[derive(Debug, Clone, Copy)]
pub struct DemoOptions {
    pub subjects: usize,
    pub seed: u64,
    /// "Today" for the data: listings, deadlines and ages are relative to it.
    pub as_of: NaiveDate,
}

/// The courts of the demo, keyed by code.
pub struct Courts {
    pub ids: HashMap<&'static str, i64>,
    pub names: HashMap<&'static str, &'static str>,
}

impl Courts {
    pub fn id(&self, code: &str) -> i64 {
        self.ids.get(code).copied().unwrap_or_default()
    }
    pub fn name(&self, code: &str) -> &'static str {
        self.names.get(code).copied().unwrap_or("")
    }

    /// An open enforcement case (执) of court `code`, filed on `filed`,
    /// numbered as the court numbers them: （2024）豫0185执3001号.
    pub fn open_case(
        &self,
        w: &mut SeedWriter,
        code: &str,
        filed: NaiveDate,
        seq: i64,
        applicant: &str,
        basis: &str,
    ) -> rusqlite::Result<i64> {
        w.case(&NewCase {
            case_number: &format!("（{}）{code}执{seq}号", filed.year()),
            court_id: self.id(code),
            year: i64::from(filed.year()),
            case_type: "执",
            sequence: seq,
            applicant,
            basis: Some(basis),
            filed_on: &filed.to_string(),
            status: "open",
        })
    }
}

/// (code, name, level, higher court code)
pub(crate) const COURTS: [(&str, &str, &str, Option<&str>); 20] = [
    ("最高法", "最高人民法院", "supreme", None),
    ("豫", "河南省高级人民法院", "high", Some("最高法")),
    ("豫01", "郑州市中级人民法院", "intermediate", Some("豫")),
    ("豫0185", "登封市人民法院", "basic", Some("豫01")),
    ("豫0102", "郑州市中原区人民法院", "basic", Some("豫01")),
    ("京", "北京市高级人民法院", "high", Some("最高法")),
    ("京03", "北京市第三中级人民法院", "intermediate", Some("京")),
    ("京0105", "北京市朝阳区人民法院", "basic", Some("京03")),
    ("浙", "浙江省高级人民法院", "high", Some("最高法")),
    ("浙01", "杭州市中级人民法院", "intermediate", Some("浙")),
    ("浙0106", "杭州市西湖区人民法院", "basic", Some("浙01")),
    ("桂", "广西壮族自治区高级人民法院", "high", Some("最高法")),
    ("桂01", "南宁市中级人民法院", "intermediate", Some("桂")),
    ("桂0103", "南宁市青秀区人民法院", "basic", Some("桂01")),
    ("粤", "广东省高级人民法院", "high", Some("最高法")),
    ("粤0305", "深圳市南山区人民法院", "basic", Some("粤")),
    ("苏", "江苏省高级人民法院", "high", Some("最高法")),
    ("苏0102", "南京市玄武区人民法院", "basic", Some("苏")),
    ("川", "四川省高级人民法院", "high", Some("最高法")),
    ("川0104", "成都市锦江区人民法院", "basic", Some("川")),
];

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct DemoSummary {
    pub subjects: usize,
    pub cases: usize,
    pub listings: usize,
}

/// Fills an empty store. One transaction: the demo is all there or not at all.
pub fn generate(store: &mut Store, opts: DemoOptions) -> crate::store::Result<DemoSummary> {
    if !store.is_empty()? {
        return Err(crate::store::StoreError::Rule(format!(
            "{}: the store already holds subjects; the demo is built only into an empty store",
            store.path().display()
        )));
    }
    let site = store.site()?;
    let now = format!("{}T09:00:00+08:00", opts.as_of);
    let tx = store.conn_mut().transaction()?;
    let mut w = SeedWriter::new(&tx, site, now);
    let courts = insert_courts(&mut w)?;
    let officer = insert_officers(&mut w, courts.id("豫0185"))?;
    let mut rng = Rng::with_seed(opts.seed);
    let mut summary = stories::insert(&mut w, &courts, officer, opts.as_of)?;
    let mut generator = cases::Generator::new(&mut w, &courts, officer, opts.as_of);
    while summary.subjects < opts.subjects {
        let s = generator.subject(&mut rng)?;
        summary.subjects += 1;
        summary.cases += s.cases;
        summary.listings += s.listings;
    }
    w.audit(&AuditEntry {
        officer_id: Some(officer),
        act: "demo-generated".into(),
        detail: Some(format!(
            "{} subjects, seed {}, as of {}",
            summary.subjects, opts.seed, opts.as_of
        )),
        ..Default::default()
    })?;
    w.mark_demo(opts.as_of)?;
    // Indexed in the same transaction: the store is searchable, or empty.
    search_bulk::index_set(&tx, search_bulk::Scope::All)?;
    tx.commit()?;
    Ok(summary)
}

/// The PIN of every demo officer: shown on the demo's sign-in screen.
pub const DEMO_PIN: &str = "246810";

/// The demo's officers, one of each role; acts are recorded under "demo",
/// a supervisor, and "wang", a second supervisor, can approve its requests.
fn insert_officers(w: &mut SeedWriter, court: i64) -> rusqlite::Result<i64> {
    let demo = w.officer("demo", "陈明 (demo officer)", "supervisor", Some(court))?;
    w.officer_pin(demo, DEMO_PIN)?;
    for (login, name, role) in [
        ("wang", "王立新", "supervisor"),
        ("li", "李执行", "officer"),
        ("zhao", "赵书记员", "clerk"),
        ("admin", "孙管理员", "admin"),
    ] {
        let id = w.officer(login, name, role, Some(court))?;
        w.officer_pin(id, DEMO_PIN)?;
    }
    Ok(demo)
}

fn insert_courts(w: &mut SeedWriter) -> rusqlite::Result<Courts> {
    let mut courts = Courts {
        ids: HashMap::new(),
        names: HashMap::new(),
    };
    for (code, name, level, higher) in COURTS {
        let higher_id = higher.map(|h| courts.id(h));
        let id = w.court(code, name, level, higher_id)?;
        courts.ids.insert(code, id);
        courts.names.insert(code, name);
    }
    Ok(courts)
}
