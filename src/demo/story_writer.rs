//! What the demo's stories are written with: people, companies, cases,
//! listings and notices as an officer's store holds them (stories.rs).

use super::Courts;
use crate::domain::ident::resident_id_check;
use crate::domain::status::consumption_items;
use crate::search::pinyin;
use crate::store::seed::{NewListing, NewNotice, NewSubject, SeedWriter};
use chrono::{Days, Months, NaiveDate};

type R<T> = rusqlite::Result<T>;

pub(super) struct StoryWriter<'a, 'b, 'c> {
    pub(super) w: &'a mut SeedWriter<'c>,
    pub(super) courts: &'b Courts,
    pub(super) officer: i64,
    pub(super) as_of: NaiveDate,
}

impl StoryWriter<'_, '_, '_> {
    pub(super) fn ago(&self, days: u64) -> NaiveDate {
        self.as_of - Days::new(days)
    }

    pub(super) fn person(
        &mut self,
        name: &str,
        region: &str,
        birth: &str,
        seq: &str,
        address: &str,
        phone: &str,
    ) -> R<i64> {
        let first17 = format!("{region}{}{seq}", birth.replace('-', ""));
        let id_number = format!("{first17}{}", resident_id_check(&first17));
        let male = seq.as_bytes()[2] % 2 == 1;
        let id = self.w.subject(&NewSubject {
            kind: "person",
            name,
            name_pinyin: &pinyin::spaced(name),
            id_number: &id_number,
            id_warning: false,
            sex: Some(if male { "male" } else { "female" }),
            birth_date: Some(birth.to_string()),
            address: Some(address),
        })?;
        self.w.phone(id, phone, "china-mobile")?;
        Ok(id)
    }

    pub(super) fn entity(&mut self, name: &str, code: &str, pilot: bool, address: &str) -> R<i64> {
        self.w.subject(&NewSubject {
            kind: "entity",
            name,
            name_pinyin: &pinyin::spaced(name),
            id_number: code,
            id_warning: pilot,
            sex: None,
            birth_date: None,
            address: Some(address),
        })
    }

    pub(super) fn case(
        &mut self,
        court: &str,
        filed: NaiveDate,
        seq: i64,
        applicant: &str,
        basis: &str,
        debtors: &[i64],
    ) -> R<i64> {
        let id = self
            .courts
            .open_case(self.w, court, filed, seq, applicant, basis)?;
        for d in debtors {
            self.w.debtor(id, *d)?;
        }
        Ok(id)
    }

    // Seed data reads like a table: positional arguments, one call per fact.
    #[allow(clippy::too_many_arguments)]
    /// A listing with its nine consumption restrictions on `bound` (the
    /// debtor, and an entity's responsible persons).
    pub(super) fn list(
        &mut self,
        subject: i64,
        case: i64,
        ground: u8,
        decided: NaiveDate,
        no: &str,
        lifted: Option<(&str, NaiveDate)>,
        bound: &[i64],
    ) -> R<i64> {
        let years = (ground != 1).then_some(2u8);
        let listing = self.w.listing(
            &NewListing {
                subject_id: subject,
                case_id: case,
                ground,
                decision_no: no,
                decided_on: &decided.to_string(),
                period_years: years,
                expires_on: years
                    .and_then(|y| decided.checked_add_months(Months::new(12 * u32::from(y))))
                    .map(|d| d.to_string()),
                published_on: Some(&decided.to_string()),
                lifted: lifted.map(|(r, d)| (r, d.to_string())),
            },
            Some(self.officer),
        )?;
        let lift = lifted.map(|(_, d)| d.to_string());
        for who in bound {
            for item in consumption_items() {
                let l = lift.as_deref().map(|d| ("basis-lifted", d));
                self.w.restriction(
                    *who,
                    item.code,
                    (Some(listing), None),
                    &decided.to_string(),
                    l,
                )?;
            }
        }
        self.audit(
            subject,
            "list",
            "listing",
            listing,
            &format!("listed on ground {ground}, decision {no}"),
        )?;
        Ok(listing)
    }

    #[allow(clippy::too_many_arguments)]
    pub(super) fn notice(
        &mut self,
        subject: i64,
        listing: i64,
        channel: &str,
        purpose: &str,
        to: &str,
        body: &str,
        state: &str,
        on: NaiveDate,
    ) -> R<i64> {
        let batch = if state == "queued" {
            None
        } else {
            Some(self.w.notice_batch(channel, &on.to_string(), 1)?)
        };
        let at = format!("{on}T10:00:00+08:00");
        self.w.notice(
            &NewNotice {
                subject_id: subject,
                listing_id: Some(listing),
                channel,
                purpose,
                recipient: to,
                body,
                state,
                batch_id: batch,
                at: &at,
            },
            Some(self.officer),
        )
    }

    pub(super) fn audit(
        &mut self,
        subject: i64,
        act: &str,
        entity: &str,
        id: i64,
        detail: &str,
    ) -> R<i64> {
        self.w
            .audit_act(self.officer, subject, act, (entity, id), detail)
    }
}
