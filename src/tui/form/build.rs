//! Each form's fields, with choices taken from the subject on screen.

use super::{Field, Form, FormKind};
use crate::domain::Fen;
use crate::domain::codes::{ObjectionKind, PaymentMethod, RestrictionLift, Vocabulary};
use crate::domain::listing::{Ground, LiftReason};
use crate::domain::status::{RESTRICTION_CATALOG, consumption_items};
use crate::store::SubjectDetail;
use chrono::NaiveDate;

type Options = Vec<(String, String)>;

/// The form for `kind` over the subject, or why there is nothing to act on.
pub fn open(kind: FormKind, detail: &SubjectDetail, today: NaiveDate) -> Result<Form, String> {
    let day = today.to_string();
    let fields = match &kind {
        FormKind::Menu(kinds) => vec![Field::choice(
            "Act",
            kinds
                .iter()
                .enumerate()
                .map(|(i, k)| (k.title().to_string(), i.to_string()))
                .collect(),
        )],
        FormKind::Payment | FormKind::Reversal => money_fields(&kind, detail, day)?,
        FormKind::List
        | FormKind::Lift
        | FormKind::Order
        | FormKind::LiftItem
        | FormKind::Expense => standing_fields(&kind, detail, day)?,
        FormKind::Objection | FormKind::Decision | FormKind::Reconsideration | FormKind::Notice => {
            procedure_fields(&kind, detail, day)?
        }
        FormKind::CancelNotices { .. } => {
            return Err("queued notices are cancelled from the notices queue".into());
        }
        FormKind::Approve | FormKind::RejectApproval { .. } => {
            return Err("requests are decided from the approvals queue".into());
        }
    };
    let mut form = Form::new(
        kind.clone(),
        format!("{} · {}", kind.title(), detail.row.name),
        fields,
    );
    form.subject = Some((detail.row.id, detail.revision));
    Ok(form)
}

/// Payments and their reversal.
fn money_fields(
    kind: &FormKind,
    detail: &SubjectDetail,
    day: String,
) -> Result<Vec<Field>, String> {
    let name = &detail.row.name;
    Ok(match kind {
        FormKind::Payment => vec![
            Field::choice(
                "Obligation",
                need(owed(detail), || {
                    format!("{name} owes nothing: no obligation has an amount outstanding")
                })?,
            ),
            Field::text("Amount", "yuan, exact to the fen: 1200 or 1,200.50", ""),
            Field::text("Paid on", "YYYY-MM-DD", day),
            Field::choice("Method", vocabulary::<PaymentMethod>()),
            Field::text("Receipt", "the receipt number (unique)", ""),
        ],
        FormKind::Reversal => vec![
            Field::choice(
                "Payment",
                need(reversible(detail), || {
                    format!("{name} has no payment that could be reversed")
                })?,
            ),
            Field::text(
                "Reason",
                "why the payment was wrong (kept on the record)",
                "",
            ),
            Field::text("Reversed on", "YYYY-MM-DD", day),
        ],
        _ => Vec::new(),
    })
}

/// Listing, lifting and restrictions.
fn standing_fields(
    kind: &FormKind,
    detail: &SubjectDetail,
    day: String,
) -> Result<Vec<Field>, String> {
    let name = &detail.row.name;
    Ok(match kind {
        FormKind::List => vec![
            Field::choice(
                "Case",
                need(cases(detail), || format!("{name} is a debtor in no case"))?,
            ),
            Field::choice("Ground", grounds()),
            Field::text("Decision no.", "as on the signed decision", ""),
            Field::text("Decided on", "YYYY-MM-DD", day),
            Field::text(
                "Years",
                "empty: by the ground (none for 1, else 2); 3-5 if extended",
                "",
            ),
            Field::choice(
                "Art. 3 check",
                vec![
                    ("not confirmed".into(), "no".into()),
                    (
                        "confirmed: no exclusion applies (ground 1)".into(),
                        "yes".into(),
                    ),
                ],
            ),
        ],
        FormKind::Lift => vec![
            Field::choice(
                "Listing",
                need(active_listings(detail), || {
                    format!("{name} has no active listing to lift")
                })?,
            ),
            Field::choice("Reason", vocabulary::<LiftReason>()),
            Field::text("Lifted on", "YYYY-MM-DD", day),
        ],
        FormKind::Order => vec![
            Field::choice(
                "Case",
                need(cases(detail), || format!("{name} is a debtor in no case"))?,
            ),
            Field::choice("Items", items()),
            Field::text("Order no.", "as on the signed order", ""),
            Field::text("Ordered on", "YYYY-MM-DD", day),
        ],
        FormKind::LiftItem => vec![
            Field::choice(
                "Restriction",
                need(restrictions(detail, false), || {
                    format!(
                        "{name} has no restriction imposed by an order; restrictions of a listing are lifted with the listing"
                    )
                })?,
            ),
            Field::choice("Reason", vocabulary::<RestrictionLift>()),
            Field::text("Lifted on", "YYYY-MM-DD", day),
        ],
        FormKind::Expense => vec![
            Field::choice(
                "Restriction",
                need(restrictions(detail, true), || {
                    format!("{name} has no active restriction")
                })?,
            ),
            Field::text(
                "Expense",
                "what the court allows: e.g. flight to Beijing for treatment",
                "",
            ),
            Field::text("Amount", "yuan, or empty", ""),
            Field::text("Approved on", "YYYY-MM-DD", day),
        ],
        _ => Vec::new(),
    })
}

/// Objections and notices.
fn procedure_fields(
    kind: &FormKind,
    detail: &SubjectDetail,
    day: String,
) -> Result<Vec<Field>, String> {
    let name = &detail.row.name;
    Ok(match kind {
        FormKind::Objection => vec![
            Field::choice(
                "Listing",
                need(active_listings(detail), || {
                    format!("{name} has no active listing to object to")
                })?,
            ),
            Field::choice("Objection", vocabulary::<ObjectionKind>()),
            Field::text("Filed on", "YYYY-MM-DD", day),
        ],
        FormKind::Decision => vec![
            Field::choice(
                "Objection",
                need(objections(detail, |o| o.status == "pending"), || {
                    format!("{name} has no pending objection")
                })?,
            ),
            Field::choice(
                "Decision",
                vec![
                    ("rejected".into(), "rejected".into()),
                    ("upheld".into(), "upheld".into()),
                ],
            ),
            Field::text("Reasons", "required for a rejection", ""),
            Field::text("Decided on", "YYYY-MM-DD", day),
        ],
        FormKind::Reconsideration => vec![
            Field::choice(
                "Rejection",
                need(
                    objections(detail, |o| {
                        o.status == "rejected" && o.level == "enforcing-court" && !o.reconsidered
                    }),
                    || format!("{name} has no rejected objection open to reconsideration"),
                )?,
            ),
            Field::text("Filed on", "YYYY-MM-DD", day),
        ],
        FormKind::Notice => vec![
            Field::choice(
                "Template",
                detail
                    .templates
                    .iter()
                    .map(|t| {
                        (
                            format!("{} · {} · {}", t.title, t.channel, t.language),
                            t.id.to_string(),
                        )
                    })
                    .collect(),
            ),
            Field::choice("To", recipients(detail)),
        ],
        _ => Vec::new(),
    })
}

/// Every value of a vocabulary, in words, submitting its code.
fn vocabulary<T: Vocabulary>() -> Options {
    T::VALUES
        .iter()
        .map(|v| (v.describe().to_string(), v.code().to_string()))
        .collect()
}

fn need(options: Options, empty: impl FnOnce() -> String) -> Result<Options, String> {
    if options.is_empty() {
        Err(empty())
    } else {
        Ok(options)
    }
}

fn owed(detail: &SubjectDetail) -> Options {
    let mut out = Vec::new();
    for case in &detail.cases {
        for ob in &case.obligations {
            if let Some(amount) = ob.amount.filter(|a| *a > ob.paid) {
                let owed = Fen(amount.0 - ob.paid.0);
                out.push((
                    format!("{} {} · {owed} owed", case.case_number, ob.description),
                    ob.id.to_string(),
                ));
            }
        }
    }
    out
}

fn reversible(detail: &SubjectDetail) -> Options {
    let mut out = Vec::new();
    for case in &detail.cases {
        for ob in &case.obligations {
            for p in ob
                .payments
                .iter()
                .filter(|p| p.kind == "payment" && !p.reversed)
            {
                let receipt = p.receipt_no.as_deref().unwrap_or("-");
                out.push((
                    format!(
                        "{} {} yuan, receipt {receipt} ({})",
                        p.paid_on, p.amount, case.case_number
                    ),
                    p.id.to_string(),
                ));
            }
        }
    }
    out
}

fn cases(detail: &SubjectDetail) -> Options {
    detail
        .cases
        .iter()
        .map(|c| {
            (
                format!("{} ({})", c.case_number, c.status),
                c.id.to_string(),
            )
        })
        .collect()
}

fn grounds() -> Options {
    (1..=6)
        .filter_map(Ground::new)
        .map(|g| {
            (
                format!("{} {}", g.number(), g.description()),
                g.number().to_string(),
            )
        })
        .collect()
}

fn items() -> Options {
    let n = consumption_items().count();
    let mut out = vec![(
        format!("all {n} consumption items"),
        "consumption".to_string(),
    )];
    out.extend(
        RESTRICTION_CATALOG
            .iter()
            .map(|i| (i.name_en.to_string(), i.code.to_string())),
    );
    out
}

fn active_listings(detail: &SubjectDetail) -> Options {
    detail
        .listings
        .iter()
        .filter(|l| l.status == "active")
        .map(|l| {
            (
                format!("{} ground {} · {}", l.case_number, l.ground, l.decision_no),
                l.id.to_string(),
            )
        })
        .collect()
}

fn restrictions(detail: &SubjectDetail, with_listing: bool) -> Options {
    detail
        .restrictions
        .iter()
        .filter(|r| r.status == "active" && (with_listing || !r.on_listing))
        .map(|r| (format!("{} · {}", r.name_en, r.basis), r.id.to_string()))
        .collect()
}

fn objections(
    detail: &SubjectDetail,
    keep: impl Fn(&crate::store::ObjectionView) -> bool,
) -> Options {
    detail
        .objections
        .iter()
        .filter(|o| keep(o))
        .map(|o| {
            (
                format!("{} · filed {} · {}", o.kind, o.filed_on, o.level),
                o.id.to_string(),
            )
        })
        .collect()
}

fn recipients(detail: &SubjectDetail) -> Options {
    let mut out = vec![(
        "every phone or address the channel reaches".to_string(),
        String::new(),
    )];
    out.extend(
        detail
            .phones
            .iter()
            .map(|p| (format!("phone {p}"), p.clone())),
    );
    if let Some(address) = &detail.address {
        out.push((format!("address {address}"), address.clone()));
    }
    out
}
