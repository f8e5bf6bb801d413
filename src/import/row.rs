//! One row of the import checked against import-format.md, into typed
//! values. Pure: no store, no file.

use super::columns::{Column, RawRow};
use crate::domain::listing::{Ground, ListingRequest, check_listing, period_for};
use crate::domain::status::restriction_item;
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

struct Checker<'a> {
    raw: &'a RawRow,
    today: NaiveDate,
    problems: Vec<Problem>,
}

impl Checker<'_> {
    fn fail(&mut self, column: Column, message: impl Into<String>) {
        self.problems.push(Problem {
            line: self.raw.line,
            column: column.name().into(),
            message: message.into(),
        });
    }

    fn text(&mut self, column: Column) -> Option<String> {
        let value = self.raw.get(column).map(str::to_string);
        if value.is_none() && column.required() {
            self.fail(column, "is empty; every row needs it");
        }
        value
    }

    fn date(&mut self, column: Column) -> Option<NaiveDate> {
        let text = self.raw.get(column)?.to_string();
        match NaiveDate::parse_from_str(&text, "%Y-%m-%d") {
            Ok(d) if d > self.today => {
                self.fail(
                    column,
                    format!("{text} is in the future (today is {})", self.today),
                );
                None
            }
            Ok(d) => Some(d),
            Err(_) => {
                self.fail(
                    column,
                    format!("\"{text}\" is not a date that exists; write YYYY-MM-DD"),
                );
                None
            }
        }
    }

    fn money(&mut self, column: Column) -> Option<Fen> {
        let text = self.raw.get(column)?.to_string();
        match Fen::parse_yuan(&text) {
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
    let Some(text) = c.raw.get(Column::Phones).map(str::to_string) else {
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
    let name = c.raw.get(Column::LegalRepName).map(str::to_string);
    let id = c.raw.get(Column::LegalRepId).map(str::to_string);
    match (name, id) {
        (None, None) => None,
        (Some(_), Some(_)) | (Some(_), None) | (None, Some(_)) if kind == Some("person") => {
            c.fail(
                Column::LegalRepName,
                "only an entity has a legal representative",
            );
            None
        }
        (Some(name), Some(id)) => match ResidentId::parse(&id) {
            Ok(id) => Some((name, id)),
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

struct CaseCells {
    court_code: String,
    court_name: Option<String>,
    case: CaseNumber,
    filed_on: NaiveDate,
    applicant: String,
    basis: Option<String>,
}

fn check_case(c: &mut Checker) -> Option<CaseCells> {
    let court_code = c.text(Column::CourtCode);
    let number = c.text(Column::CaseNumber);
    let filed_on = c.date(Column::FiledOn);
    let applicant = c.text(Column::Applicant);
    if c.raw.get(Column::FiledOn).is_none() {
        // Reported by text() only for non-date columns.
        c.fail(Column::FiledOn, "is empty; every row needs it");
    }
    let case = match number.as_deref().map(CaseNumber::parse) {
        Some(Ok(case)) => Some(case),
        Some(Err(e)) => {
            c.fail(Column::CaseNumber, e.to_string());
            None
        }
        None => None,
    };
    let court_code = court_code?;
    if let Some(k) = &case
        && k.court_code != court_code
    {
        c.fail(
            Column::CourtCode,
            format!(
                "is {court_code}, but the case number names court {}",
                k.court_code
            ),
        );
    }
    if let (Some(k), Some(f)) = (&case, filed_on)
        && i32::from(k.year) != chrono::Datelike::year(&f)
    {
        c.fail(
            Column::FiledOn,
            format!("{f} is not in {}, the year in the case number", k.year),
        );
    }
    Some(CaseCells {
        court_code,
        court_name: c.raw.get(Column::CourtName).map(str::to_string),
        case: case?,
        filed_on: filed_on?,
        applicant: applicant?,
        basis: c.raw.get(Column::Basis).map(str::to_string),
    })
}

struct MoneyCells {
    obligation: String,
    amount: Option<Fen>,
    paid: Fen,
}

fn check_money(c: &mut Checker) -> Option<MoneyCells> {
    let obligation = c.text(Column::Obligation);
    let amount = c.money(Column::Amount);
    let paid = c.money(Column::Paid);
    let bad_amount = c.raw.get(Column::Amount).is_some() && amount.is_none();
    let bad_paid = c.raw.get(Column::Paid).is_some() && paid.is_none();
    if amount == Some(Fen::ZERO) {
        c.fail(
            Column::Amount,
            "is 0; leave it empty for an obligation that is not money",
        );
    }
    match (amount, paid) {
        (Some(a), Some(p)) if p > a => {
            c.fail(
                Column::Paid,
                format!("{p} yuan is more than the amount, {a} yuan"),
            );
        }
        (None, Some(p)) if !bad_amount && p > Fen::ZERO => {
            c.fail(Column::Paid, "is given, but the obligation has no amount");
        }
        _ => {}
    }
    if bad_amount || bad_paid {
        return None;
    }
    Some(MoneyCells {
        obligation: obligation?,
        amount,
        paid: paid.unwrap_or(Fen::ZERO),
    })
}

/// The listing cells; Some(None) when the row carries no listing.
fn check_listing_cells(c: &mut Checker, birth: Option<NaiveDate>) -> Option<Option<RowListing>> {
    let on = c.date(Column::ListedOn);
    let ground_text = c.raw.get(Column::ListingGround).map(str::to_string);
    let years_text = c.raw.get(Column::ListingYears).map(str::to_string);
    let listed = c.raw.get(Column::ListedOn).is_some();
    if !listed {
        if ground_text.is_some() || years_text.is_some() {
            c.fail(
                Column::ListedOn,
                "is empty, but a listing ground or period is given",
            );
            return None;
        }
        return Some(None);
    }
    let Some(ground_text) = ground_text else {
        c.fail(
            Column::ListingGround,
            "is empty; a listing needs its ground, 1 to 6",
        );
        return None;
    };
    let Some(ground) = ground_text.parse::<u8>().ok().and_then(Ground::new) else {
        c.fail(
            Column::ListingGround,
            format!("\"{ground_text}\" is not a ground: 1 to 6 (Art. 1)"),
        );
        return None;
    };
    let years = match years_text.as_deref().map(str::parse::<u8>) {
        None => None,
        Some(Ok(y)) => Some(y),
        Some(Err(_)) => {
            c.fail(
                Column::ListingYears,
                format!(
                    "\"{}\" is not a whole number",
                    years_text.unwrap_or_default()
                ),
            );
            return None;
        }
    };
    if let Err(e) = period_for(ground, years) {
        c.fail(Column::ListingYears, e.to_string());
        return None;
    }
    let decided_on = on?;
    let request = ListingRequest {
        ground,
        years,
        decided_on,
        birth_date: birth,
        exclusions_confirmed: true,
    };
    match check_listing(&request, c.today) {
        Ok((period, expires_on)) => Some(Some(RowListing {
            decided_on,
            ground: ground.number(),
            years: match period {
                crate::domain::listing::Period::Years(y) => Some(y),
                crate::domain::listing::Period::UntilDeleted => None,
            },
            expires_on,
        })),
        Err(e) => {
            c.fail(Column::ListedOn, e.to_string());
            None
        }
    }
}

fn check_restrictions(c: &mut Checker) -> Vec<&'static str> {
    let Some(text) = c.raw.get(Column::Restrictions).map(str::to_string) else {
        return Vec::new();
    };
    let mut codes = Vec::new();
    for code in text.split(';').map(str::trim).filter(|s| !s.is_empty()) {
        match restriction_item(code) {
            Some(item) if !codes.contains(&item.code) => codes.push(item.code),
            Some(_) => {}
            None => c.fail(
                Column::Restrictions,
                format!("\"{code}\" is not a restriction code (premium-travel, star-hotel, ... see the import format)"),
            ),
        }
    }
    codes
}
