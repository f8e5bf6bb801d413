//! Bulk row writers for the demo generator and (later) the importer. Each
//! writes one row inside the caller's transaction, with keys from this
//! site's range. Legal acts by officers go through their own functions,
//! which also check the rules and write the audit row.

use super::ids::IdAllocator;
use rusqlite::{Connection, params};
use std::collections::HashMap;

const TEMPLATES: &str = include_str!("../../data/notice-templates.toml");

#[derive(serde::Deserialize)]
struct TemplateFile {
    template: Vec<TemplateDef>,
}

#[derive(serde::Deserialize)]
struct TemplateDef {
    code: String,
    channel: String,
    purpose: String,
    zh: TemplateText,
    en: TemplateText,
}

#[derive(serde::Deserialize)]
struct TemplateText {
    title: String,
    body: String,
}

/// How many template rows (code and language) this program ships.
pub fn shipped_template_count() -> i64 {
    toml::from_str::<TemplateFile>(TEMPLATES).map_or(0, |f| 2 * f.template.len() as i64)
}

/// The shipped notice templates, Chinese and English; a template the store
/// already holds (by code and language) is left as the court edited it.
pub fn insert_default_templates(conn: &Connection) -> rusqlite::Result<()> {
    let file: TemplateFile = toml::from_str(TEMPLATES)
        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
    let mut stmt = conn.prepare(
        "INSERT OR IGNORE INTO notice_template (code, channel, purpose, language, title, body)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?;
    for t in &file.template {
        for (lang, text) in [("zh", &t.zh), ("en", &t.en)] {
            stmt.execute(params![
                t.code, t.channel, t.purpose, lang, text.title, text.body
            ])?;
        }
    }
    Ok(())
}

pub struct NewSubject<'a> {
    pub kind: &'a str,
    pub name: &'a str,
    pub name_pinyin: &'a str,
    pub id_number: &'a str,
    pub id_warning: bool,
    pub sex: Option<&'a str>,
    pub birth_date: Option<String>,
    pub address: Option<&'a str>,
}

pub struct NewCase<'a> {
    pub case_number: &'a str,
    pub court_id: i64,
    pub year: i64,
    pub case_type: &'a str,
    pub sequence: i64,
    pub applicant: &'a str,
    pub basis: Option<&'a str>,
    pub filed_on: &'a str,
    pub status: &'a str,
}

pub struct NewListing<'a> {
    pub subject_id: i64,
    pub case_id: i64,
    pub ground: u8,
    pub decision_no: &'a str,
    pub decided_on: &'a str,
    pub period_years: Option<u8>,
    pub expires_on: Option<String>,
    pub published_on: Option<&'a str>,
    pub lifted: Option<(&'a str, String)>,
}

pub struct NewNotice<'a> {
    pub subject_id: i64,
    pub listing_id: Option<i64>,
    pub channel: &'a str,
    pub purpose: &'a str,
    pub recipient: &'a str,
    pub body: &'a str,
    pub state: &'a str,
    pub batch_id: Option<i64>,
    pub at: &'a str,
}

/// Writes rows with keys from one site's range, counting keys in memory.
pub struct SeedWriter<'c> {
    conn: &'c Connection,
    site: i64,
    now: String,
    ids: HashMap<&'static str, IdAllocator>,
}

impl<'c> SeedWriter<'c> {
    pub fn new(conn: &'c Connection, site: i64, now: String) -> SeedWriter<'c> {
        SeedWriter {
            conn,
            site,
            now,
            ids: HashMap::new(),
        }
    }

    fn next(&mut self, table: &'static str) -> rusqlite::Result<i64> {
        if !self.ids.contains_key(table) {
            let alloc = IdAllocator::for_table(self.conn, table, self.site)?;
            self.ids.insert(table, alloc);
        }
        Ok(self.ids.get_mut(table).map_or(0, IdAllocator::next_id))
    }

    fn exec(&self, sql: &str, p: impl rusqlite::Params) -> rusqlite::Result<()> {
        self.conn.prepare_cached(sql)?.execute(p).map(|_| ())
    }

    pub fn court(
        &mut self,
        code: &str,
        name: &str,
        level: &str,
        higher: Option<i64>,
    ) -> rusqlite::Result<i64> {
        let id = self.next("court")?;
        self.exec(
            "INSERT INTO court (id, code, name, level, higher_court_id) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![id, code, name, level, higher],
        )?;
        Ok(id)
    }

    pub fn officer(
        &mut self,
        login: &str,
        name: &str,
        role: &str,
        court: Option<i64>,
    ) -> rusqlite::Result<i64> {
        let id = self.next("officer")?;
        self.exec(
            "INSERT INTO officer (id, login, name, role, court_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![id, login, name, role, court, self.now],
        )?;
        Ok(id)
    }

    /// Gives an officer a PIN (kept as its argon2 hash only).
    pub fn officer_pin(&mut self, officer: i64, pin: &str) -> rusqlite::Result<()> {
        let hash = super::pin::hash_pin(pin)
            .map_err(|e| rusqlite::Error::ToSqlConversionFailure(e.into()))?;
        self.exec(
            "UPDATE officer SET pin_hash = ?2 WHERE id = ?1",
            params![officer, hash],
        )?;
        Ok(())
    }

    pub fn subject(&mut self, s: &NewSubject) -> rusqlite::Result<i64> {
        let id = self.next("subject")?;
        self.exec(
            "INSERT INTO subject (id, kind, name, name_pinyin, id_number, id_warning, sex, birth_date,
                                  address, created_at, updated_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10)",
            params![id, s.kind, s.name, s.name_pinyin, s.id_number, s.id_warning, s.sex, s.birth_date, s.address, self.now],
        )?;
        Ok(id)
    }

    pub fn phone(&mut self, subject_id: i64, number: &str, carrier: &str) -> rusqlite::Result<i64> {
        let id = self.next("phone")?;
        self.exec(
            "INSERT INTO phone (id, subject_id, number, carrier) VALUES (?1, ?2, ?3, ?4)",
            params![id, subject_id, number, carrier],
        )?;
        Ok(id)
    }

    pub fn alias(&mut self, subject_id: i64, name: &str, pinyin: &str) -> rusqlite::Result<i64> {
        let id = self.next("alias")?;
        self.exec(
            "INSERT INTO alias (id, subject_id, name, name_pinyin) VALUES (?1, ?2, ?3, ?4)",
            params![id, subject_id, name, pinyin],
        )?;
        Ok(id)
    }

    pub fn responsible(
        &mut self,
        entity_id: i64,
        person_id: i64,
        role: &str,
    ) -> rusqlite::Result<i64> {
        let id = self.next("responsible_person")?;
        self.exec(
            "INSERT INTO responsible_person (id, entity_id, person_id, role) VALUES (?1, ?2, ?3, ?4)",
            params![id, entity_id, person_id, role],
        )?;
        Ok(id)
    }

    pub fn case(&mut self, c: &NewCase) -> rusqlite::Result<i64> {
        let id = self.next("enforcement_case")?;
        self.exec(
            "INSERT INTO enforcement_case (id, case_number, court_id, year, case_type, sequence,
                                           applicant, basis, filed_on, status)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                id,
                c.case_number,
                c.court_id,
                c.year,
                c.case_type,
                c.sequence,
                c.applicant,
                c.basis,
                c.filed_on,
                c.status
            ],
        )?;
        Ok(id)
    }

    pub fn debtor(&mut self, case_id: i64, subject_id: i64) -> rusqlite::Result<()> {
        self.exec(
            "INSERT INTO case_debtor (case_id, subject_id) VALUES (?1, ?2)",
            params![case_id, subject_id],
        )
    }

    pub fn obligation(
        &mut self,
        case_id: i64,
        subject_id: i64,
        what: &str,
        fen: Option<i64>,
    ) -> rusqlite::Result<i64> {
        let id = self.next("obligation")?;
        self.exec(
            "INSERT INTO obligation (id, case_id, subject_id, description, amount_fen) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![id, case_id, subject_id, what, fen],
        )?;
        Ok(id)
    }

    pub fn payment(
        &mut self,
        obligation: i64,
        fen: i64,
        on: &str,
        method: &str,
        receipt: &str,
        by: Option<i64>,
    ) -> rusqlite::Result<i64> {
        let id = self.next("payment")?;
        self.exec(
            "INSERT INTO payment (id, obligation_id, kind, amount_fen, paid_on, method, receipt_no, recorded_by, recorded_at)
             VALUES (?1, ?2, 'payment', ?3, ?4, ?5, ?6, ?7, ?8)",
            params![id, obligation, fen, on, method, receipt, by, self.now],
        )?;
        Ok(id)
    }

    pub fn listing(&mut self, l: &NewListing, by: Option<i64>) -> rusqlite::Result<i64> {
        let id = self.next("listing")?;
        let (status, reason, lifted_on) = match &l.lifted {
            Some((reason, on)) => {
                let status = if *reason == "wrongly-listed" {
                    "revoked"
                } else {
                    "lifted"
                };
                (status, Some(*reason), Some(on.as_str()))
            }
            None => ("active", None, None),
        };
        self.exec(
            "INSERT INTO listing (id, subject_id, case_id, ground, decision_no, decided_on, period_years,
                                  expires_on, published_on, status, lifted_reason, lifted_on, lifted_by,
                                  listed_by, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?13, ?14)",
            params![id, l.subject_id, l.case_id, l.ground, l.decision_no, l.decided_on, l.period_years,
                    l.expires_on, l.published_on, status, reason, lifted_on, by, self.now],
        )?;
        Ok(id)
    }

    pub fn restriction_order(
        &mut self,
        subject_id: i64,
        case_id: i64,
        decision_no: &str,
        on: &str,
        by: Option<i64>,
    ) -> rusqlite::Result<i64> {
        let id = self.next("restriction_order")?;
        self.exec(
            "INSERT INTO restriction_order (id, subject_id, case_id, decision_no, decided_on, ordered_by, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![id, subject_id, case_id, decision_no, on, by, self.now],
        )?;
        Ok(id)
    }

    /// `basis` is (listing id, order id), exactly one set; `lifted` is (reason, date).
    pub fn restriction(
        &mut self,
        subject_id: i64,
        code: &str,
        basis: (Option<i64>, Option<i64>),
        on: &str,
        lifted: Option<(&str, &str)>,
    ) -> rusqlite::Result<i64> {
        let id = self.next("restriction")?;
        let status = if lifted.is_some() { "lifted" } else { "active" };
        self.exec(
            "INSERT INTO restriction (id, subject_id, code, listing_id, order_id, imposed_on, status,
                                      lifted_on, lifted_reason, created_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![id, subject_id, code, basis.0, basis.1, on, status, lifted.map(|l| l.1), lifted.map(|l| l.0), self.now],
        )?;
        Ok(id)
    }

    pub fn objection(
        &mut self,
        listing_id: i64,
        subject_id: i64,
        kind: &str,
        court_id: i64,
        filed_on: &str,
        due_on: &str,
    ) -> rusqlite::Result<i64> {
        let id = self.next("objection")?;
        self.exec(
            "INSERT INTO objection (id, listing_id, subject_id, kind, level, court_id, filed_on, due_on, created_at)
             VALUES (?1, ?2, ?3, ?4, 'enforcing-court', ?5, ?6, ?7, ?8)",
            params![id, listing_id, subject_id, kind, court_id, filed_on, due_on, self.now],
        )?;
        Ok(id)
    }

    pub fn notice_batch(&mut self, channel: &str, at: &str, count: i64) -> rusqlite::Result<i64> {
        let id = self.next("notice_batch")?;
        self.exec(
            "INSERT INTO notice_batch (id, channel, created_at, count) VALUES (?1, ?2, ?3, ?4)",
            params![id, channel, at, count],
        )?;
        Ok(id)
    }

    pub fn notice(&mut self, n: &NewNotice, by: Option<i64>) -> rusqlite::Result<i64> {
        let id = self.next("notice")?;
        self.exec(
            "INSERT INTO notice (id, subject_id, listing_id, channel, purpose, recipient, body, state,
                                 batch_id, queued_at, queued_by, state_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?10)",
            params![id, n.subject_id, n.listing_id, n.channel, n.purpose, n.recipient, n.body, n.state,
                    n.batch_id, n.at, by],
        )?;
        Ok(id)
    }

    pub fn deadline(
        &mut self,
        subject_id: i64,
        kind: &str,
        listing_id: Option<i64>,
        due_on: &str,
    ) -> rusqlite::Result<i64> {
        let id = self.next("deadline")?;
        self.exec(
            "INSERT INTO deadline (id, subject_id, kind, listing_id, due_on, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![id, subject_id, kind, listing_id, due_on, self.now],
        )?;
        Ok(id)
    }

    /// Marks the store as built by `zhixing demo`, which may replace it.
    pub fn mark_demo(&self, as_of: chrono::NaiveDate) -> rusqlite::Result<()> {
        self.exec(
            "INSERT OR REPLACE INTO store_meta (key, value) VALUES ('demo', ?1)",
            [as_of.to_string()],
        )
    }

    /// One audit row about an act on a subject's record: (table, key) of what changed.
    pub fn audit_act(
        &mut self,
        officer: i64,
        subject: i64,
        act: &str,
        entity: (&str, i64),
        detail: &str,
    ) -> rusqlite::Result<i64> {
        self.audit(&super::AuditEntry {
            officer_id: Some(officer),
            act: act.into(),
            subject_id: Some(subject),
            entity: Some(entity.0.into()),
            entity_id: Some(entity.1),
            detail: Some(detail.into()),
            ..Default::default()
        })
    }

    pub fn audit(&mut self, entry: &super::AuditEntry) -> rusqlite::Result<i64> {
        super::audit::append(self.conn, self.site, &self.now, entry)
    }
}
