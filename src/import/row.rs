//! One row of the import checked against import-format.md, into typed
//! values. Pure: no store, no file.

use super::columns::{Column, RawRow};
use super::row_case::{check_case, check_listing_cells, check_money, check_restrictions};
use crate::domain::{CaseNumber, Fen, ResidentId, Uscc};
use chrono::NaiveDate;

/// A problem with one cell, in words a clerk can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: u64,
    pub column: String,
    pub message: String,
}

/// A listing decision carried by a row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowListing {
    pub decided_on: NaiveDate,
    pub ground: u8,
    pub years: Option<u8>,
    pub expires_on: Option<NaiveDate>,
}

/// A valid row: one obligation of one debtor in one case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRow {
    pub line: u64,
    pub kind: &'static str,
    pub name: String,
    pub id_number: String,
    /// A pilot-era USCC whose check character does not verify.
    pub id_warning: bool,
    pub sex: Option<&'static str>,
    pub birth_date: Option<NaiveDate>,
    pub phones: Vec<String>,
    pub address: Option<String>,
    pub legal_rep: Option<(String, ResidentId)>,
    pub court_code: String,
    pub court_name: Option<String>,
    pub case: CaseNumber,
    pub filed_on: NaiveDate,
    pub applicant: String,
    pub basis: Option<String>,
    pub obligation: String,
    pub amount: Option<Fen>,
    pub paid: Fen,
    pub listing: Option<RowListing>,
    pub restrictions: Vec<&'static str>,
    pub warnings: Vec<String>,
}

pub(super) struct Checker<'a> {
    pub raw: &'a RawRow,
    pub today: NaiveDate,
    pub problems: Vec<Problem>,
}

impl<'a> Checker<'a> {
    /// A cell's text, borrowed from the row rather than from the checker,
    /// so problems can be noted while it is held.
    pub fn cell(&self, column: Column) -> Option<&'a str> {
        self.raw.get(column)
    }

    pub fn fail(&mut self, column: Column, message: impl Into<String>) {
        self.problems.push(Problem {
            line: self.raw.line,
            column: column.name().into(),
            message: message.into(),
        });
    }

    pub fn text(&mut self, column: Column) -> Option<String> {
        let value = self.raw.get(column).map(str::to_string);
        if value.is_none() && column.required() {
            self.fail(column, "is empty; every row needs it");
        }
        value
    }

    pub fn date(&mut self, column: Column) -> Option<NaiveDate> {
        let text = self.cell(column)?;
        match crate::domain::dates::parse_iso(text) {
            Some(d) if d > self.today => {
                self.fail(
                    column,
                    format!("{text} is in the future (today is {})", self.today),
                );
                None
            }
            Some(d) => Some(d),
            None => {
                self.fail(
                    column,
                    format!("\"{text}\" is not a date that exists; write YYYY-MM-DD"),
                );
                None
            }
        }
    }

    pub fn money(&mut self, column: Column) -> Option<Fen> {
        match Fen::parse_yuan(self.cell(column)?) {
            Ok(f) => Some(f),
            Err(e) => {
                self.fail(column, e.to_string());
                None
            }
        }
    }
}

/// Checks one row; every problem is reported, not only the first.
pub fn check(raw: &RawRow, today: NaiveDate) -> Result<ImportRow, Vec<Problem>> {
    let mut c = Checker {
        raw,
        today,
        problems: Vec::new(),
    };
    let subject = check_subject(&mut c);
    let case = check_case(&mut c);
    let money = check_money(&mut c);
    let listing = check_listing_cells(&mut c, subject.as_ref().and_then(|s| s.birth_date));
    let restrictions = check_restrictions(&mut c);
    match (subject, case, money, listing) {
        (Some(s), Some(k), Some(m), Some(l)) if c.problems.is_empty() => Ok(ImportRow {
            line: raw.line,
            kind: s.kind,
            name: s.name,
            id_number: s.id_number,
            id_warning: s.id_warning,
            sex: s.sex,
            birth_date: s.birth_date,
            phones: s.phones,
            address: s.address,
            legal_rep: s.legal_rep,
            court_code: k.court_code,
            court_name: k.court_name,
            case: k.case,
            filed_on: k.filed_on,
            applicant: k.applicant,
            basis: k.basis,
            obligation: m.obligation,
            amount: m.amount,
            paid: m.paid,
            listing: l,
            restrictions,
            warnings: s.warnings,
        }),
        _ => Err(c.problems),
    }
}

struct SubjectCells {
    kind: &'static str,
    name: String,
    id_number: String,
    id_warning: bool,
    sex: Option<&'static str>,
    birth_date: Option<NaiveDate>,
    phones: Vec<String>,
    address: Option<String>,
    legal_rep: Option<(String, ResidentId)>,
    warnings: Vec<String>,
}

fn check_subject(c: &mut Checker) -> Option<SubjectCells> {
    let kind = match c.text(Column::Kind).as_deref() {
        Some("person") => Some("person"),
        Some("entity") => Some("entity"),
        Some(other) => {
            c.fail(
                Column::Kind,
                format!("\"{other}\" is neither person nor entity"),
            );
            None
        }
        None => None,
    };
    let name = c.text(Column::Name);
    if name.as_ref().is_some_and(|n| n.chars().count() > 200) {
        c.fail(Column::Name, "is longer than 200 characters");
    }
    let id_text = c.text(Column::IdNumber);
    let phones = check_phones(c);
    let legal_rep = check_legal_rep(c, kind);
    let (kind, name, id_text) = (kind?, name?, id_text?);
    let mut s = SubjectCells {
        kind,
        name,
        id_number: String::new(),
        id_warning: false,
        sex: None,
        birth_date: None,
        phones,
        address: c.raw.get(Column::Address).map(str::to_string),
        legal_rep,
        warnings: Vec::new(),
    };
    if kind == "person" {
        match ResidentId::parse(&id_text) {
            Ok(id) => {
                s.id_number = id.as_str().to_string();
                s.sex = Some(id.sex().as_str());
                s.birth_date = Some(id.birth_date());
            }
            Err(e) => c.fail(Column::IdNumber, format!("{id_text}: {e}")),
        }
    } else {
        match Uscc::parse(&id_text) {
            Ok(code) => {
                s.id_number = code.as_str().to_string();
                s.id_warning = code.pilot_era;
                if code.pilot_era {
                    s.warnings.push(format!(
                        "{id_text}: the check character does not verify; imported as a pilot-era code"
                    ));
                }
            }
            Err(e) => c.fail(Column::IdNumber, format!("{id_text}: {e}")),
        }
    }
    (!s.id_number.is_empty()).then_some(s)
}

fn check_phones(c: &mut Checker) -> Vec<String> {
    let Some(text) = c.cell(Column::Phones) else {
        return Vec::new();
    };
    let mut phones = Vec::new();
    for p in text.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        let ok = (5..=20).contains(&p.len())
            && p.bytes()
                .all(|b| b.is_ascii_digit() || b == b'+' || b == b'-');
        if ok {
            phones.push(p.to_string());
        } else {
            c.fail(
                Column::Phones,
                format!("\"{p}\" is not a phone number (5 to 20 digits, + or -)"),
            );
        }
    }
    phones
}

fn check_legal_rep(c: &mut Checker, kind: Option<&str>) -> Option<(String, ResidentId)> {
    let (name, id) = (c.cell(Column::LegalRepName), c.cell(Column::LegalRepId));
    match (name, id) {
        (None, None) => None,
        (Some(_), Some(_)) | (Some(_), None) | (None, Some(_)) if kind == Some("person") => {
            c.fail(
                Column::LegalRepName,
                "only an entity has a legal representative",
            );
            None
        }
        (Some(name), Some(id)) => match ResidentId::parse(id) {
            Ok(id) => Some((name.to_string(), id)),
            Err(e) => {
                c.fail(Column::LegalRepId, format!("{id}: {e}"));
                None
            }
        },
        (Some(_), None) => {
            c.fail(
                Column::LegalRepId,
                "is empty; give the legal representative's resident ID",
            );
            None
        }
        (None, Some(_)) => {
            c.fail(
                Column::LegalRepName,
                "is empty; give the legal representative's name",
            );
            None
        }
    }
}
