//! The update logic of acts: a key opens a form, submit asks the worker for
//! a plan, the confirm view shows it, yes asks the worker to write it.

use super::action::Action;
use super::form::{self, Form, FormKind};
use super::keymap::Chord;
use super::state::{ConfirmState, Overlay, Screen, State};
use super::worker::{ActFailure, Reply, Request};
use crate::domain::roles::refusal;
use crate::store::acts::Applied;
use crate::words;

/// The form (or menu of forms) a detail key opens.
fn kind_for(action: Action, has_reversible: bool) -> Option<FormKind> {
    Some(match action {
        Action::RecordPayment if has_reversible => {
            FormKind::Menu(vec![FormKind::Payment, FormKind::Reversal])
        }
        Action::RecordPayment => FormKind::Payment,
        Action::ListDishonest => FormKind::List,
        Action::LiftListing => FormKind::Lift,
        Action::Restrictions => {
            FormKind::Menu(vec![FormKind::Order, FormKind::LiftItem, FormKind::Expense])
        }
        Action::Objections => FormKind::Menu(vec![
            FormKind::Objection,
            FormKind::Decision,
            FormKind::Reconsideration,
        ]),
        Action::QueueNotice => FormKind::Notice,
        _ => return None,
    })
}

pub(super) fn message(state: &mut State, title: &str, body: impl Into<String>) {
    state.overlay = Some(Overlay::Message {
        title: title.into(),
        body: body.into(),
    });
}

/// Whether the signed-in officer's role covers the act; if not, the
/// officer is told which role it needs and the refusal is recorded.
pub(super) fn role_covers(state: &mut State, kind: &FormKind) -> Result<(), Vec<Request>> {
    let Some(officer) = &state.officer else {
        return Err(Vec::new());
    };
    let needed = kind.needs();
    if officer.role.covers(needed) {
        return Ok(());
    }
    let what = kind.title();
    let words = refusal(&format!("“{what}”"), needed, officer.role);
    let record = Request::Refusal {
        officer_id: officer.id,
        what,
        needed,
    };
    message(state, "Not within your role", words);
    Err(vec![record])
}

/// A detail key that starts an act.
pub fn open_act(state: &mut State, action: Action) -> Vec<Request> {
    let Some(detail) = state.detail.as_ref().and_then(|d| d.data.as_ref()) else {
        return Vec::new();
    };
    let has_reversible = detail
        .cases
        .iter()
        .flat_map(|c| &c.obligations)
        .flat_map(|o| &o.payments)
        .any(|p| p.kind == "payment" && !p.reversed);
    match kind_for(action, has_reversible) {
        Some(kind) => open_kind(state, kind),
        None => Vec::new(),
    }
}

/// Keys while a form is open.
pub fn form_action(state: &mut State, action: Action) -> Vec<Request> {
    let Some(form) = state.form.as_mut() else {
        return Vec::new();
    };
    if form.busy && action != Action::Cancel {
        return Vec::new();
    }
    match action {
        Action::NextField | Action::Down => form.move_focus(true),
        Action::PrevField | Action::Up => form.move_focus(false),
        Action::NextChoice => form.step_choice(true),
        Action::PrevChoice => form.step_choice(false),
        Action::Cancel | Action::Back => state.form = None,
        Action::Submit => return submit(state),
        _ => {}
    }
    Vec::new()
}

/// A key with no binding in a form: text, or space on a choice.
pub fn form_key(state: &mut State, chord: Chord) {
    if let Some(form) = state.form.as_mut().filter(|f| !f.busy) {
        form.edit(chord);
    }
}

fn submit(state: &mut State) -> Vec<Request> {
    let Some(form) = state.form.as_mut() else {
        return Vec::new();
    };
    if let FormKind::Menu(kinds) = &form.kind {
        let index: usize = form.fields[0].value().parse().unwrap_or(0);
        let chosen = kinds
            .get(index)
            .cloned()
            .unwrap_or(FormKind::Menu(Vec::new()));
        state.form = None;
        return open_kind(state, chosen);
    }
    let officer_id = state.officer.as_ref().map(|o| o.id);
    match form::to_request(form) {
        Ok(request) => {
            form.busy = true;
            form.error = None;
            vec![Request::Plan {
                request,
                officer_id,
            }]
        }
        Err(why) => {
            form.error = Some(why);
            Vec::new()
        }
    }
}

/// The form of `kind` over the subject on screen, or why not: the officer's
/// role (recorded as a refused attempt) or nothing to act on.
fn open_kind(state: &mut State, kind: FormKind) -> Vec<Request> {
    let Some(detail) = state.detail.as_ref().and_then(|d| d.data.as_ref()) else {
        return Vec::new();
    };
    let opened = form::open(kind.clone(), detail, state.today);
    if let Err(out) = role_covers(state, &kind) {
        return out;
    }
    match opened {
        Ok(form) => state.form = Some(form),
        Err(why) => message(state, "Nothing to act on", why),
    }
    Vec::new()
}

/// Keys while the confirm view is open.
pub fn confirm_action(state: &mut State, action: Action) -> Vec<Request> {
    let Some(confirm) = state.confirm.as_mut() else {
        return Vec::new();
    };
    if confirm.busy {
        return Vec::new();
    }
    match action {
        Action::Confirm => {
            confirm.busy = true;
            vec![Request::Apply {
                plan: confirm.plan.clone(),
                officer_id: state.officer.as_ref().map(|o| o.id),
            }]
        }
        Action::ToggleOption if confirm.plan.option.is_some() => {
            confirm.busy = true;
            vec![Request::Plan {
                request: confirm.plan.toggled(),
                officer_id: state.officer.as_ref().map(|o| o.id),
            }]
        }
        // Back to the form, to correct it.
        Action::Cancel | Action::Back => {
            state.confirm = None;
            Vec::new()
        }
        _ => Vec::new(),
    }
}

/// The worker's answer to a plan or a write.
pub fn act_reply(state: &mut State, reply: Reply) -> Vec<Request> {
    match reply {
        Reply::Planned(Ok(plan)) => {
            if let Some(form) = state.form.as_mut() {
                form.busy = false;
            }
            state.confirm = Some(ConfirmState { plan, busy: false });
            Vec::new()
        }
        Reply::Planned(Err(failure)) | Reply::Applied(Err(failure)) => failed(state, failure),
        Reply::Applied(Ok(applied)) => done(state, applied),
        _ => Vec::new(),
    }
}

fn failed(state: &mut State, failure: ActFailure) -> Vec<Request> {
    match failure {
        ActFailure::Refused(why) => {
            // Back to the form with the reason; the officer corrects it.
            state.confirm = None;
            match state.form.as_mut() {
                Some(form) => {
                    form.busy = false;
                    form.error = Some(why);
                }
                None => message(state, "Refused", why),
            }
            Vec::new()
        }
        ActFailure::Stale => {
            state.confirm = None;
            state.form = None;
            message(
                state,
                "Changed meanwhile",
                "Another officer acted on this subject while the form was open. The record has been reloaded: check it and act again.",
            );
            reload_after_act(state)
        }
        ActFailure::Failed(why) => {
            state.confirm = None;
            if let Some(form) = state.form.as_mut() {
                form.busy = false;
            }
            // The footer holds a line; the reason, whole, is in the message.
            state.error = Some(format!("The act was not written: {why}"));
            message(state, "The act was not written", why);
            Vec::new()
        }
    }
}

fn done(state: &mut State, applied: Applied) -> Vec<Request> {
    state.confirm = None;
    state.form = None;
    state.status = Some(format!("Done: {}", applied.title));
    reload_after_act(state)
}

/// A batch of listings whose period ended was lifted: ask for the next
/// while more remain; at the end, say how many and show their new status.
pub fn expired(state: &mut State, lifted: Result<(usize, bool), String>) -> Vec<Request> {
    match lifted {
        Ok((count, more)) => {
            state.expiry.lifted += count;
            if more {
                return vec![Request::ExpireSome];
            }
            state.expiry.running = false;
            if state.expiry.lifted == 0 {
                return Vec::new();
            }
            let lifted = state.expiry.lifted;
            state.status = Some(format!(
                "{} whose period ended {} lifted, their lifting notices queued (see the history)",
                words::count(lifted, "listing"),
                words::was(lifted)
            ));
            reload_after_act(state)
        }
        Err(why) => {
            state.expiry.running = false;
            let title = "Lifting listings whose period ended failed";
            state.error = Some(format!("{title}: {why}"));
            message(state, title, why);
            Vec::new()
        }
    }
}

/// What an act may have changed on screen: the subject, the list's status
/// flags, the queues.
fn reload_after_act(state: &mut State) -> Vec<Request> {
    let mut out = Vec::new();
    if let Some(d) = &state.detail {
        out.push(Request::Detail {
            subject_id: d.subject_id,
        });
    }
    let keys: Vec<i64> = state.list.rows.iter().map(|r| r.row.id).collect();
    if !keys.is_empty() {
        out.push(Request::Refresh {
            generation: state.list.generation,
            keys,
        });
    }
    if matches!(
        state.screen,
        Screen::Deadlines | Screen::Notices | Screen::Approvals | Screen::Sync
    ) {
        out.extend(super::queues::reload(state));
    }
    out
}

/// Opens the cancel form for queued notices (from the notices queue).
pub fn cancel_notices(state: &mut State, ids: Vec<i64>) -> Vec<Request> {
    if ids.is_empty() {
        message(
            state,
            "Nothing to cancel",
            "Only queued notices can be cancelled; none is selected or shown.",
        );
        return Vec::new();
    }
    let n = ids.len();
    let kind = FormKind::CancelNotices { ids };
    if let Err(out) = role_covers(state, &kind) {
        return out;
    }
    let title = format!("{} · {}", kind.title(), words::count(n, "notice"));
    let form = Form::new(
        kind,
        title,
        vec![form::Field::text(
            "Reason",
            "why they must not go out (kept on the record)",
            "",
        )],
    );
    state.form = Some(form);
    Vec::new()
}
