//! The restriction feed for the bodies that enforce restrictions, and the
//! public list of active listings (Art. 6 fields, ID numbers masked).

use super::{Result, Store};
use crate::domain::listing::Ground;
use crate::domain::{Fen, mask_id};
use chrono::NaiveDate;
use rusqlite::params;

/// A restriction imposed or lifted, as an airline or registry needs it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RestrictionEvent {
    /// "imposed" or "lifted".
    pub event: String,
    pub effective_on: String,
    pub id_number: String,
    pub name: String,
    pub code: String,
    pub basis: String,
    pub court: String,
}

/// One line of the public list.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PublicListing {
    pub name: String,
    pub kind: String,
    /// Masked: first 6 and last 4 shown.
    pub id_number: String,
    pub sex: Option<String>,
    pub age: Option<u32>,
    pub legal_representative: Option<String>,
    pub performed: String,
    pub unperformed: String,
    pub conduct: String,
    pub basis: Option<String>,
    pub case_number: String,
    pub filed_on: String,
    pub court: String,
    pub published_on: String,
}

impl Store {
    /// Every restriction imposed or lifted on or after `since` (all of them
    /// when None), oldest first.
    pub fn restriction_events(&self, since: Option<NaiveDate>) -> Result<Vec<RestrictionEvent>> {
        let since = since.map_or_else(|| "0000-01-01".to_string(), |d| d.to_string());
        let mut stmt = self.conn().prepare(
            "SELECT * FROM (
               SELECT 'imposed' AS event, r.imposed_on AS day, r.id, s.id_number, s.name, r.code,
                      coalesce(l.decision_no, o.decision_no) AS basis, c.name AS court
               FROM restriction r JOIN subject s ON s.id = r.subject_id
               LEFT JOIN listing l ON l.id = r.listing_id LEFT JOIN restriction_order o ON o.id = r.order_id
               JOIN enforcement_case e ON e.id = coalesce(l.case_id, o.case_id) JOIN court c ON c.id = e.court_id
               WHERE r.imposed_on >= ?1
               UNION ALL
               SELECT 'lifted', r.lifted_on, r.id, s.id_number, s.name, r.code,
                      coalesce(l.decision_no, o.decision_no), c.name
               FROM restriction r JOIN subject s ON s.id = r.subject_id
               LEFT JOIN listing l ON l.id = r.listing_id LEFT JOIN restriction_order o ON o.id = r.order_id
               JOIN enforcement_case e ON e.id = coalesce(l.case_id, o.case_id) JOIN court c ON c.id = e.court_id
               WHERE r.status = 'lifted' AND r.lifted_on >= ?1)
             ORDER BY day, id, event DESC",
        )?;
        let rows = stmt.query_map(params![since], |r| {
            Ok(RestrictionEvent {
                event: r.get(0)?,
                effective_on: r.get(1)?,
                id_number: r.get(3)?,
                name: r.get(4)?,
                code: r.get(5)?,
                basis: r.get(6)?,
                court: r.get(7)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Active listings whose period has not ended, oldest decision first.
    pub fn public_list(&self, today: NaiveDate) -> Result<Vec<PublicListing>> {
        let mut stmt = self.conn().prepare(
            "SELECT s.name, s.kind, s.id_number, s.sex, s.birth_date,
                    (SELECT p.name FROM responsible_person rp JOIN subject p ON p.id = rp.person_id
                     WHERE rp.entity_id = s.id AND rp.role = 'legal-representative' ORDER BY rp.id LIMIT 1),
                    (SELECT coalesce(sum(o.amount_fen), 0) FROM obligation o
                     WHERE o.case_id = l.case_id AND o.subject_id = l.subject_id),
                    (SELECT coalesce(sum(CASE p.kind WHEN 'payment' THEN p.amount_fen ELSE -p.amount_fen END), 0)
                     FROM payment p JOIN obligation o ON o.id = p.obligation_id
                     WHERE o.case_id = l.case_id AND o.subject_id = l.subject_id),
                    l.ground, e.basis, e.case_number, e.filed_on, c.name, coalesce(l.published_on, l.decided_on)
             FROM listing l JOIN subject s ON s.id = l.subject_id
             JOIN enforcement_case e ON e.id = l.case_id JOIN court c ON c.id = e.court_id
             WHERE l.status = 'active' AND (l.expires_on IS NULL OR l.expires_on > ?1)
             ORDER BY l.decided_on, l.id",
        )?;
        let rows = stmt.query_map([today.to_string()], |r| {
            let birth: Option<String> = r.get(4)?;
            let age = birth
                .and_then(|b| b.parse::<NaiveDate>().ok())
                .map(|b| crate::domain::ident::age_on(b, today));
            let total = Fen(r.get(6)?);
            let paid = Fen(r.get(7)?);
            let ground: u8 = r.get(8)?;
            Ok(PublicListing {
                name: r.get(0)?,
                kind: r.get(1)?,
                id_number: mask_id(&r.get::<_, String>(2)?),
                sex: r.get(3)?,
                age,
                legal_representative: r.get(5)?,
                performed: paid.to_string(),
                unperformed: Fen(total.0 - paid.0).to_string(),
                conduct: Ground::new(ground)
                    .map_or("", |g| g.description_zh())
                    .to_string(),
                basis: r.get(9)?,
                case_number: r.get(10)?,
                filed_on: r.get(11)?,
                court: r.get(12)?,
                published_on: r.get(13)?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
