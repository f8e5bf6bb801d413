//! Queueing and cancelling notices, and the lifting notices that follow a
//! listing's end.

use super::context::{CaseFacts, Context, SubjectFacts, Template};
use super::effects::{Effect, NoticeDraft, Ref};
use super::lift::Lifting;
use super::{Act, ActRequest, ActResult, Plan, refuse};
use crate::domain::calendar::add_calendar_days;
use crate::domain::notice::{Placeholders, render, takes_sms};
use crate::words::count;
use chrono::NaiveDate;
use std::collections::{BTreeMap, BTreeSet};

/// Who a queued notice goes to: every phone or address of the subject that
/// the template's channel reaches, or one of them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Recipients {
    All,
    One(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Recipient {
    Phone(String),
    Address(String),
    Public,
}

impl Recipient {
    fn text(&self) -> String {
        match self {
            Recipient::Phone(p) | Recipient::Address(p) => p.clone(),
            Recipient::Public => "public list".into(),
        }
    }
}

pub fn subject(cx: &Context, id: i64) -> ActResult<SubjectFacts> {
    match cx.subject(id)? {
        Some(s) => Ok(s),
        None => refuse(format!("subject {id} is not in the store")),
    }
}

pub fn case(cx: &Context, id: i64) -> ActResult<CaseFacts> {
    match cx.case(id)? {
        Some(c) => Ok(c),
        None => refuse(format!("case {id} is not in the store")),
    }
}

pub fn address_of(subject: &SubjectFacts) -> Recipient {
    Recipient::Address(
        subject
            .address
            .clone()
            .unwrap_or_else(|| "by hand at the court (no address on record)".into()),
    )
}

/// Queues a template (by code, Chinese) for each recipient.
#[allow(clippy::too_many_arguments)]
pub fn queue_for(
    cx: &Context,
    plan: &mut Plan,
    code: &str,
    subject: &SubjectFacts,
    case: &CaseFacts,
    listing: Option<Ref>,
    recipients: &[Recipient],
    deadline: NaiveDate,
) -> ActResult<()> {
    let Some(template) = cx.template_by_code(code, "zh")? else {
        plan.notes.push(format!(
            "No \"{code}\" template in this store: that notice is not queued"
        ));
        return Ok(());
    };
    if recipients.is_empty() {
        plan.notes.push(format!(
            "{} has no {} on record: the {} is not queued",
            subject.name,
            contact_word(&template.channel),
            template.title
        ));
        return Ok(());
    }
    let body = render(&template.body, &placeholders(cx, subject, case, deadline)?);
    for recipient in recipients {
        plan.push(
            Effect::Notice(draft(subject.id, listing, &template, recipient, &body)),
            format!(
                "Queue \"{}\" ({}) to {}",
                template.title,
                template.channel,
                recipient.text()
            ),
        );
    }
    Ok(())
}

fn draft(
    subject_id: i64,
    listing: Option<Ref>,
    t: &Template,
    to: &Recipient,
    body: &str,
) -> NoticeDraft {
    NoticeDraft {
        subject_id,
        listing_id: listing,
        template_id: Some(t.id),
        channel: t.channel.clone(),
        purpose: t.purpose.clone(),
        recipient: to.text(),
        body: body.to_string(),
    }
}

fn placeholders(
    cx: &Context,
    subject: &SubjectFacts,
    case: &CaseFacts,
    deadline: NaiveDate,
) -> ActResult<Placeholders> {
    Ok(Placeholders {
        court: case.court.clone(),
        subject: subject.name.clone(),
        case_number: case.number.clone(),
        outstanding: cx.outstanding(subject.id, Some(case.id))?.to_string(),
        deadline: deadline.to_string(),
    })
}

/// When a listing ends: cancel its notices not yet handed to a channel, and
/// tell every channel that carried it. The call message is withdrawn only
/// when no other listing of the subject stays active.
pub fn withdraw_listing_notices(
    cx: &Context,
    plan: &mut Plan,
    listing_id: i64,
    subject: &SubjectFacts,
    case: &CaseFacts,
    lifting: &Lifting,
) -> ActResult<()> {
    for (notice_id, channel, purpose, recipient) in cx.listing_notices(listing_id, &["queued"])? {
        if purpose == "lifting" {
            continue;
        }
        plan.push(
            Effect::CancelNotice {
                notice_id,
                reason: "the listing was lifted before the notice went out".into(),
            },
            format!(
                "Cancel the queued {purpose} notice ({channel}) to {recipient}: it never goes out"
            ),
        );
    }
    let still_listed = cx
        .active_listings(subject.id, None)?
        .iter()
        .any(|l| !lifting.listings.contains(&l.id));
    let carried: BTreeSet<(String, String)> = cx
        .listing_notices(listing_id, &["exported", "sent"])?
        .into_iter()
        .filter(|(_, _, purpose, _)| purpose != "lifting")
        .map(|(_, channel, _, recipient)| (channel, recipient))
        .collect();
    for (channel, recipient) in carried {
        if channel == "call" && still_listed {
            plan.notes.push(format!(
                "The call message on {recipient} stays: {} is still listed in another case",
                subject.name
            ));
            continue;
        }
        let code = if channel == "call" {
            "lifting-call"
        } else {
            "lifting"
        };
        let Some(template) = cx.template_by_code(code, "zh")? else {
            plan.notes.push(format!(
                "No \"{code}\" template in this store: no lifting notice to {recipient}"
            ));
            continue;
        };
        let body = render(&template.body, &placeholders(cx, subject, case, cx.today)?);
        let mut notice = draft(
            subject.id,
            Some(Ref::Id(listing_id)),
            &template,
            &Recipient::Phone(recipient.clone()),
            &body,
        );
        notice.channel = channel.clone();
        plan.push(
            Effect::Notice(notice),
            format!("Queue the lifting notice ({channel}) to {recipient}, who carried the listing"),
        );
    }
    Ok(())
}

pub fn plan_queue(cx: &Context, request: &ActRequest) -> ActResult<Plan> {
    let Act::QueueNotice {
        subject_id,
        template_id,
        recipients,
    } = &request.act
    else {
        unreachable!("dispatched by act")
    };
    let subject = subject(cx, *subject_id)?;
    let Some(template) = cx.template(*template_id)? else {
        return refuse(format!("notice template {template_id} is not in the store"));
    };
    let listing = cx.active_listings(subject.id, None)?.pop();
    if template.purpose == "call-message" && listing.is_none() {
        return refuse(format!(
            "a call message needs an active listing, and {} is not listed",
            subject.name
        ));
    }
    // The case the notice names: the listing's, else the subject's first.
    let case_id = match &listing {
        Some(l) => Some(l.case_id),
        None => cx.first_case(subject.id)?,
    };
    let Some(case_id) = case_id else {
        return refuse(format!("{} has no case: a notice names one", subject.name));
    };
    let case = case(cx, case_id)?;
    let chosen = chosen_recipients(cx, &subject, &template, recipients)?;
    let mut plan = Plan::new(
        request,
        "queue-notice",
        format!("Queue \"{}\" for {}", template.title, subject.name),
        Some(subject.id),
    );
    let deadline = add_calendar_days(cx.today, 3);
    let body = render(
        &template.body,
        &placeholders(cx, &subject, &case, deadline)?,
    );
    plan.notes.push(format!("Text: {body}"));
    let listing_ref = listing.as_ref().map(|l| Ref::Id(l.id));
    for recipient in chosen {
        let to = recipient.text();
        if cx.queued_same(subject.id, &template.channel, &template.purpose, &to)? {
            plan.notes
                .push(format!("Already queued for {to}: not queued twice"));
            continue;
        }
        plan.push(
            Effect::Notice(draft(subject.id, listing_ref, &template, &recipient, &body)),
            format!(
                "Queue \"{}\" ({}) to {to}",
                template.title, template.channel
            ),
        );
    }
    if plan.effects.is_empty() {
        return refuse("every chosen recipient already has this notice queued");
    }
    Ok(plan)
}

/// The recipients asked for, among those the template's channel reaches.
fn chosen_recipients(
    cx: &Context,
    subject: &SubjectFacts,
    template: &Template,
    asked: &Recipients,
) -> ActResult<Vec<Recipient>> {
    let reachable = reachable(cx, subject, &template.channel)?;
    let chosen = match asked {
        Recipients::All => reachable,
        Recipients::One(text) => match reachable.into_iter().find(|r| r.text() == *text) {
            Some(r) => vec![r],
            None => {
                return refuse(format!(
                    "{text} is not a phone or address of {}",
                    subject.name
                ));
            }
        },
    };
    if chosen.is_empty() {
        return refuse(format!(
            "{} has no {} on record: the {} channel cannot reach them",
            subject.name,
            contact_word(&template.channel),
            template.channel
        ));
    }
    Ok(chosen)
}

/// Every phone or address of the subject a channel can reach.
pub fn reachable(cx: &Context, subject: &SubjectFacts, channel: &str) -> ActResult<Vec<Recipient>> {
    Ok(match channel {
        "call" => cx
            .phones(subject.id)?
            .into_iter()
            .map(Recipient::Phone)
            .collect(),
        "sms" => cx
            .phones(subject.id)?
            .into_iter()
            .filter(|p| takes_sms(p))
            .map(Recipient::Phone)
            .collect(),
        "letter" => subject
            .address
            .clone()
            .map(Recipient::Address)
            .into_iter()
            .collect(),
        _ => vec![Recipient::Public],
    })
}

pub fn plan_cancel(cx: &Context, request: &ActRequest) -> ActResult<Plan> {
    let Act::CancelNotices { notice_ids, reason } = &request.act else {
        unreachable!("dispatched by act")
    };
    if notice_ids.is_empty() {
        return refuse("no notice chosen to cancel");
    }
    if reason.trim().is_empty() {
        return refuse("give the reason for cancelling: it stays on the record");
    }
    let mut subjects = BTreeSet::new();
    let mut plan = Plan::new(request, "cancel-notices", String::new(), None);
    // One line per kind of notice, naming whom they were for.
    let mut groups: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
    for id in notice_ids {
        let Some(n) = cx.notice(*id)? else {
            return refuse(format!("notice {id} is not in the store"));
        };
        if n.state != "queued" {
            return refuse(format!(
                "the {} notice to {} is already {}: only a queued notice can be cancelled",
                n.purpose, n.recipient, n.state
            ));
        }
        subjects.insert(n.subject_id);
        let who = format!("{} ({})", subject(cx, n.subject_id)?.name, n.recipient);
        groups.entry((n.purpose, n.channel)).or_default().push(who);
        plan.effects.push(Effect::CancelNotice {
            notice_id: *id,
            reason: reason.trim().to_string(),
        });
    }
    for ((purpose, channel), whom) in groups {
        plan.changes.push(format!(
            "Cancel {} ({channel}) for {}",
            count(whom.len(), &format!("queued {purpose} notice")),
            names_in_brief(&whom)
        ));
    }
    plan.notes
        .push(format!("Reason kept on each notice: {}", reason.trim()));
    plan.title = format!("Cancel {}", count(notice_ids.len(), "queued notice"));
    if subjects.len() == 1 {
        plan.subject_id = subjects.pop_first();
    }
    Ok(plan)
}

/// The first few names, and how many more.
fn names_in_brief(names: &[String]) -> String {
    const SHOWN: usize = 4;
    let mut text = names
        .iter()
        .take(SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join(", ");
    if names.len() > SHOWN {
        text.push_str(&format!(" and {} more", names.len() - SHOWN));
    }
    text
}

/// What a channel needs on record to reach someone.
fn contact_word(channel: &str) -> &'static str {
    match channel {
        "letter" => "address",
        "sms" => "mobile phone",
        _ => "phone",
    }
}
