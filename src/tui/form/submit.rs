//! A filled form into a typed act. Each refusal names the field.

use super::{Form, FormKind};
use crate::domain::Fen;
use crate::domain::codes::{ObjectionKind, PaymentMethod, RestrictionLift};
use crate::domain::listing::LiftReason;
use crate::domain::status::consumption_items;
use crate::store::acts::{Act, ActRequest, Recipients, Seen};
use chrono::NaiveDate;

/// The act the form asks for; None for a menu (the caller opens its choice).
pub fn to_request(form: &Form) -> Result<ActRequest, String> {
    let f = Fields(form);
    let act = match &form.kind {
        FormKind::Menu(_) => return Err("choose an act".into()),
        FormKind::Payment => Act::RecordPayment {
            obligation_id: f.key("Obligation")?,
            amount: f
                .money("Amount")?
                .ok_or("Amount: type the amount paid, in yuan")?,
            paid_on: f.date("Paid on")?,
            method: f.code("Method", PaymentMethod::from_code)?,
            receipt_no: f.required("Receipt")?,
            lift_if_complete: true,
        },
        FormKind::Reversal => Act::ReversePayment {
            payment_id: f.key("Payment")?,
            reason: f.required("Reason")?,
            on: f.date("Reversed on")?,
        },
        FormKind::List => Act::List {
            subject_id: f.subject()?,
            case_id: f.key("Case")?,
            ground: f.number("Ground")?.ok_or("Ground: choose one")?,
            decision_no: f.required("Decision no.")?,
            decided_on: f.date("Decided on")?,
            years: f.number("Years")?,
            exclusions_confirmed: f.value("Art. 3 check") == "yes",
            notify: true,
        },
        FormKind::Lift => Act::Lift {
            listing_id: f.key("Listing")?,
            reason: f.code("Reason", LiftReason::from_code)?,
            on: f.date("Lifted on")?,
        },
        FormKind::Order => Act::ImposeOrder {
            subject_id: f.subject()?,
            case_id: f.key("Case")?,
            codes: match f.value("Items") {
                "consumption" => consumption_items().map(|i| i.code.to_string()).collect(),
                code => vec![code.to_string()],
            },
            decision_no: f.required("Order no.")?,
            decided_on: f.date("Ordered on")?,
        },
        FormKind::LiftItem => Act::LiftRestriction {
            restriction_id: f.key("Restriction")?,
            reason: f.code("Reason", RestrictionLift::from_code)?,
            on: f.date("Lifted on")?,
        },
        FormKind::Expense => Act::NecessaryExpense {
            restriction_id: f.key("Restriction")?,
            description: f.required("Expense")?,
            amount: f.money("Amount")?,
            approved_on: f.date("Approved on")?,
        },
        FormKind::Objection => Act::FileObjection {
            listing_id: f.key("Listing")?,
            kind: f.code("Objection", ObjectionKind::from_code)?,
            filed_on: f.date("Filed on")?,
        },
        FormKind::Decision => Act::DecideObjection {
            objection_id: f.key("Objection")?,
            upheld: f.value("Decision") == "upheld",
            reason: f.value("Reasons").to_string(),
            decided_on: f.date("Decided on")?,
            revoke_now: true,
        },
        FormKind::Reconsideration => Act::FileReconsideration {
            objection_id: f.key("Rejection")?,
            filed_on: f.date("Filed on")?,
        },
        FormKind::Notice => Act::QueueNotice {
            subject_id: f.subject()?,
            template_id: f.key("Template")?,
            recipients: match f.value("To") {
                "" => Recipients::All,
                one => Recipients::One(one.to_string()),
            },
        },
        FormKind::CancelNotices { ids } => Act::CancelNotices {
            notice_ids: ids.clone(),
            reason: f.required("Reason")?,
        },
        FormKind::Approve => return Err("approving needs no form".into()),
        FormKind::RejectApproval { id } => Act::DecideApproval {
            approval_id: *id,
            approve: false,
            reason: f.required("Reason")?,
        },
    };
    let seen = match form.kind {
        FormKind::CancelNotices { .. } | FormKind::RejectApproval { .. } => None,
        _ => form.subject.map(|(subject_id, revision)| Seen {
            subject_id,
            revision,
        }),
    };
    Ok(ActRequest { act, seen })
}

struct Fields<'a>(&'a Form);

impl Fields<'_> {
    fn value(&self, label: &str) -> &str {
        self.0.field(label).map_or("", |f| f.value())
    }

    fn subject(&self) -> Result<i64, String> {
        self.0
            .subject
            .map(|s| s.0)
            .ok_or_else(|| "no subject is open".to_string())
    }

    fn key(&self, label: &str) -> Result<i64, String> {
        self.value(label)
            .parse()
            .map_err(|_| format!("{label}: choose one"))
    }

    fn required(&self, label: &str) -> Result<String, String> {
        match self.value(label) {
            "" => Err(format!("{label}: this field is required")),
            text => Ok(text.to_string()),
        }
    }

    fn date(&self, label: &str) -> Result<NaiveDate, String> {
        let text = self.value(label);
        NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
            format!("{label}: \"{text}\" is not a date; write YYYY-MM-DD, e.g. 2026-11-27")
        })
    }

    fn money(&self, label: &str) -> Result<Option<Fen>, String> {
        match self.value(label) {
            "" => Ok(None),
            text => Fen::parse_yuan(text)
                .map(Some)
                .map_err(|e| format!("{label}: {e}")),
        }
    }

    fn number(&self, label: &str) -> Result<Option<u8>, String> {
        match self.value(label) {
            "" => Ok(None),
            text => text
                .parse()
                .map(Some)
                .map_err(|_| format!("{label}: \"{text}\" is not a whole number")),
        }
    }

    fn code<T>(&self, label: &str, parse: impl Fn(&str) -> Option<T>) -> Result<T, String> {
        parse(self.value(label)).ok_or_else(|| format!("{label}: choose one"))
    }
}
