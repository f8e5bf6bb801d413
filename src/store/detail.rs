//! Everything about one subject, for the detail view.

use super::read::SubjectRow;
use super::{Result, Store};
use crate::domain::Fen;
use chrono::NaiveDate;
use rusqlite::{Row, params};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubjectDetail {
    pub row: SubjectRow,
    pub sex: Option<String>,
    pub birth_date: Option<String>,
    pub address: Option<String>,
    pub id_warning: bool,
    pub phones: Vec<String>,
    pub aliases: Vec<String>,
    /// (role, name, id number) of an entity's responsible persons, or of the
    /// entities a person answers for.
    pub links: Vec<(String, String, String)>,
    pub cases: Vec<CaseView>,
    pub listings: Vec<ListingView>,
    pub restrictions: Vec<RestrictionView>,
    pub objections: Vec<ObjectionView>,
    pub notices: Vec<NoticeView>,
    pub history: Vec<HistoryView>,
    /// Acts recorded on this subject so far: a form built from an older
    /// revision is refused as stale.
    pub revision: i64,
    /// The notice templates the notice form offers.
    pub templates: Vec<TemplateView>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateView {
    pub id: i64,
    pub code: String,
    pub channel: String,
    pub language: String,
    pub title: String,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseView {
    pub id: i64,
    pub case_number: String,
    pub court: String,
    pub applicant: String,
    pub basis: Option<String>,
    pub filed_on: String,
    pub status: String,
    pub obligations: Vec<ObligationView>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObligationView {
    pub id: i64,
    pub description: String,
    pub amount: Option<Fen>,
    pub paid: Fen,
    pub payments: Vec<PaymentView>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaymentView {
    pub id: i64,
    /// Reversed by a later entry.
    pub reversed: bool,
    pub kind: String,
    pub amount: Fen,
    pub paid_on: String,
    pub method: Option<String>,
    pub receipt_no: Option<String>,
    pub reason: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListingView {
    pub id: i64,
    pub case_number: String,
    pub ground: u8,
    pub decision_no: String,
    pub decided_on: String,
    pub period_years: Option<u8>,
    pub expires_on: Option<String>,
    pub status: String,
    pub lifted_reason: Option<String>,
    pub lifted_on: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestrictionView {
    pub id: i64,
    /// Imposed by a listing (lifted with it), not by an order.
    pub on_listing: bool,
    pub code: String,
    pub name_en: String,
    pub basis: String,
    pub imposed_on: String,
    pub status: String,
    pub lifted_reason: Option<String>,
    pub lifted_on: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ObjectionView {
    pub id: i64,
    pub reconsider_by: Option<String>,
    /// A reconsideration of this objection was filed.
    pub reconsidered: bool,
    pub kind: String,
    pub level: String,
    pub filed_on: String,
    pub due_on: String,
    pub status: String,
    pub decided_on: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeView {
    pub id: i64,
    pub channel: String,
    pub purpose: String,
    pub recipient: String,
    pub state: String,
    pub state_at: String,
    pub body: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryView {
    pub at: String,
    pub officer: Option<String>,
    pub act: String,
    pub detail: Option<String>,
}

fn strings(store: &Store, sql: &str, key: i64) -> Result<Vec<String>> {
    let mut stmt = store.conn.prepare_cached(sql)?;
    Ok(stmt
        .query_map([key], |r| r.get(0))?
        .collect::<Result<_, _>>()?)
}

fn rows<T>(
    store: &Store,
    sql: &str,
    key: i64,
    f: impl FnMut(&Row) -> rusqlite::Result<T>,
) -> Result<Vec<T>> {
    let mut stmt = store.conn.prepare_cached(sql)?;
    Ok(stmt.query_map([key], f)?.collect::<Result<_, _>>()?)
}

impl Store {
    pub fn subject_detail(&self, key: i64, today: NaiveDate) -> Result<Option<SubjectDetail>> {
        let Some(row) = self.subject_row(key, today)? else {
            return Ok(None);
        };
        let (sex, birth_date, address, id_warning) = self
            .conn
            .prepare_cached(
                "SELECT sex, birth_date, address, id_warning FROM subject WHERE id = ?1",
            )?
            .query_row([key], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
        Ok(Some(SubjectDetail {
            phones: strings(
                self,
                "SELECT number FROM phone WHERE subject_id = ?1 ORDER BY id",
                key,
            )?,
            aliases: strings(
                self,
                "SELECT name FROM alias WHERE subject_id = ?1 ORDER BY id",
                key,
            )?,
            links: self.links(key)?,
            cases: self.cases(key)?,
            listings: self.listings(key)?,
            restrictions: self.restrictions(key)?,
            objections: self.objections(key)?,
            notices: self.notices(key)?,
            history: self.history(key)?,
            revision: self.revision(key)?,
            templates: self.templates()?,
            row,
            sex,
            birth_date,
            address,
            id_warning,
        }))
    }

    fn links(&self, key: i64) -> Result<Vec<(String, String, String)>> {
        rows(
            self,
            "SELECT rp.role, p.name, p.id_number FROM responsible_person rp JOIN subject p ON p.id = rp.person_id
              WHERE rp.entity_id = ?1
             UNION ALL
             SELECT rp.role, e.name, e.id_number FROM responsible_person rp JOIN subject e ON e.id = rp.entity_id
              WHERE rp.person_id = ?1",
            key,
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
    }

    fn cases(&self, key: i64) -> Result<Vec<CaseView>> {
        let mut cases = rows(
            self,
            "SELECT e.id, e.case_number, c.name, e.applicant, e.basis, e.filed_on, e.status
               FROM case_debtor cd JOIN enforcement_case e ON e.id = cd.case_id JOIN court c ON c.id = e.court_id
              WHERE cd.subject_id = ?1 ORDER BY e.filed_on DESC, e.id",
            key,
            |r| {
                Ok((r.get::<_, i64>(0)?, CaseView {
                    id: r.get(0)?,
                    case_number: r.get(1)?,
                    court: r.get(2)?,
                    applicant: r.get(3)?,
                    basis: r.get(4)?,
                    filed_on: r.get(5)?,
                    status: r.get(6)?,
                    obligations: Vec::new(),
                }))
            },
        )?;
        for (case_id, case) in &mut cases {
            case.obligations = self.obligations(*case_id, key)?;
        }
        Ok(cases.into_iter().map(|(_, c)| c).collect())
    }

    fn obligations(&self, case_id: i64, subject_id: i64) -> Result<Vec<ObligationView>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, description, amount_fen FROM obligation WHERE case_id = ?1 AND subject_id = ?2 ORDER BY id",
        )?;
        let list: Vec<(i64, String, Option<i64>)> = stmt
            .query_map(params![case_id, subject_id], |r| {
                Ok((r.get(0)?, r.get(1)?, r.get(2)?))
            })?
            .collect::<Result<_, _>>()?;
        let mut out = Vec::with_capacity(list.len());
        for (id, description, amount) in list {
            let payments = rows(
                self,
                "SELECT kind, amount_fen, paid_on, method, receipt_no, reason, id,
                        EXISTS (SELECT 1 FROM payment r WHERE r.reverses_id = p.id)
                   FROM payment p WHERE obligation_id = ?1 ORDER BY paid_on, id",
                id,
                |r| {
                    Ok(PaymentView {
                        kind: r.get(0)?,
                        amount: Fen(r.get(1)?),
                        paid_on: r.get(2)?,
                        method: r.get(3)?,
                        receipt_no: r.get(4)?,
                        reason: r.get(5)?,
                        id: r.get(6)?,
                        reversed: r.get(7)?,
                    })
                },
            )?;
            let paid = payments
                .iter()
                .map(|p| {
                    if p.kind == "payment" {
                        p.amount
                    } else {
                        Fen(-p.amount.0)
                    }
                })
                .fold(Fen::ZERO, |a, b| a + b);
            out.push(ObligationView {
                id,
                description,
                amount: amount.map(Fen),
                paid,
                payments,
            });
        }
        Ok(out)
    }

    fn listings(&self, key: i64) -> Result<Vec<ListingView>> {
        rows(
            self,
            "SELECT e.case_number, l.ground, l.decision_no, l.decided_on, l.period_years, l.expires_on,
                    l.status, l.lifted_reason, l.lifted_on, l.id
               FROM listing l JOIN enforcement_case e ON e.id = l.case_id
              WHERE l.subject_id = ?1 ORDER BY l.status = 'active' DESC, l.decided_on DESC",
            key,
            |r| {
                Ok(ListingView {
                    case_number: r.get(0)?,
                    ground: r.get(1)?,
                    decision_no: r.get(2)?,
                    decided_on: r.get(3)?,
                    period_years: r.get(4)?,
                    expires_on: r.get(5)?,
                    status: r.get(6)?,
                    lifted_reason: r.get(7)?,
                    lifted_on: r.get(8)?,
                    id: r.get(9)?,
                })
            },
        )
    }

    fn restrictions(&self, key: i64) -> Result<Vec<RestrictionView>> {
        rows(
            self,
            "SELECT r.code, k.name_en,
                    CASE WHEN r.listing_id IS NOT NULL
                         THEN 'listing ' || (SELECT decision_no FROM listing WHERE id = r.listing_id)
                         ELSE 'order ' || (SELECT decision_no FROM restriction_order WHERE id = r.order_id) END,
                    r.imposed_on, r.status, r.lifted_reason, r.lifted_on, r.id, r.listing_id IS NOT NULL
               FROM restriction r JOIN restriction_catalog k ON k.code = r.code
              WHERE r.subject_id = ?1 ORDER BY r.status = 'active' DESC, r.imposed_on DESC, k.ordinal",
            key,
            |r| {
                Ok(RestrictionView {
                    code: r.get(0)?,
                    name_en: r.get(1)?,
                    basis: r.get(2)?,
                    imposed_on: r.get(3)?,
                    status: r.get(4)?,
                    lifted_reason: r.get(5)?,
                    lifted_on: r.get(6)?,
                    id: r.get(7)?,
                    on_listing: r.get(8)?,
                })
            },
        )
    }

    fn objections(&self, key: i64) -> Result<Vec<ObjectionView>> {
        rows(
            self,
            "SELECT kind, level, filed_on, due_on, status, decided_on, id, reconsider_by,
                    EXISTS (SELECT 1 FROM objection r WHERE r.reconsideration_of = o.id)
               FROM objection o WHERE subject_id = ?1 ORDER BY filed_on DESC, id DESC",
            key,
            |r| {
                Ok(ObjectionView {
                    kind: r.get(0)?,
                    level: r.get(1)?,
                    filed_on: r.get(2)?,
                    due_on: r.get(3)?,
                    status: r.get(4)?,
                    decided_on: r.get(5)?,
                    id: r.get(6)?,
                    reconsider_by: r.get(7)?,
                    reconsidered: r.get(8)?,
                })
            },
        )
    }

    fn notices(&self, key: i64) -> Result<Vec<NoticeView>> {
        rows(
            self,
            "SELECT channel, purpose, recipient, state, state_at, body, id FROM notice
              WHERE subject_id = ?1 ORDER BY queued_at DESC, id DESC",
            key,
            |r| {
                Ok(NoticeView {
                    channel: r.get(0)?,
                    purpose: r.get(1)?,
                    recipient: r.get(2)?,
                    state: r.get(3)?,
                    state_at: r.get(4)?,
                    body: r.get(5)?,
                    id: r.get(6)?,
                })
            },
        )
    }

    /// The newest entries of the audit log about the subject, as `zhixing
    /// audit show --subject` reads them.
    fn history(&self, key: i64) -> Result<Vec<HistoryView>> {
        let filter = super::audit_log::AuditFilter {
            subject_id: Some(key),
            newest_first: true,
            limit: Some(200),
            ..Default::default()
        };
        Ok(self
            .audit_entries(&filter)?
            .into_iter()
            .map(|a| HistoryView {
                at: a.at,
                officer: a.officer,
                act: a.act,
                detail: a.detail,
            })
            .collect())
    }

    fn templates(&self) -> Result<Vec<TemplateView>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, code, channel, language, title, body FROM notice_template ORDER BY code, language DESC",
        )?;
        Ok(stmt
            .query_map([], |r| {
                Ok(TemplateView {
                    id: r.get(0)?,
                    code: r.get(1)?,
                    channel: r.get(2)?,
                    language: r.get(3)?,
                    title: r.get(4)?,
                    body: r.get(5)?,
                })
            })?
            .collect::<Result<_, _>>()?)
    }
}
