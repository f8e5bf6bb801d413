//! The case, money, listing and restriction cells of a row.

use super::columns::Column;
use super::row::{Checker, RowListing};
use crate::domain::listing::{Ground, ListingRequest, check_listing, period_for};
use crate::domain::status::restriction_item;
use crate::domain::{CaseNumber, Fen};
use chrono::NaiveDate;

pub(super) struct CaseCells {
    pub court_code: String,
    pub court_name: Option<String>,
    pub case: CaseNumber,
    pub filed_on: NaiveDate,
    pub applicant: String,
    pub basis: Option<String>,
}

pub(super) fn check_case(c: &mut Checker) -> Option<CaseCells> {
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

pub(super) struct MoneyCells {
    pub obligation: String,
    pub amount: Option<Fen>,
    pub paid: Fen,
}

pub(super) fn check_money(c: &mut Checker) -> Option<MoneyCells> {
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
pub(super) fn check_listing_cells(
    c: &mut Checker,
    birth: Option<NaiveDate>,
) -> Option<Option<RowListing>> {
    let on = c.date(Column::ListedOn);
    let ground_text = c.cell(Column::ListingGround);
    let years_text = c.cell(Column::ListingYears);
    let listed = c.cell(Column::ListedOn).is_some();
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
    let (ground, years) = ground_and_years(c, ground_text, years_text)?;
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

/// The listing's ground (1 to 6) and period in years, if given, checked
/// against each other.
fn ground_and_years(
    c: &mut Checker,
    ground_text: Option<&str>,
    years_text: Option<&str>,
) -> Option<(Ground, Option<u8>)> {
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
    let years = match years_text.map(str::parse::<u8>) {
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
    Some((ground, years))
}

pub(super) fn check_restrictions(c: &mut Checker) -> Vec<&'static str> {
    let Some(text) = c.cell(Column::Restrictions) else {
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
