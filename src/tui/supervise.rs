//! A supervisor's keys: deciding requests in the approvals queue, and
//! revealing a full ID number (recorded).

use super::acts::{message, role_covers};
use super::form::{self, Form, FormKind};
use super::state::State;
use super::worker::Request;
use crate::domain::roles::{Power, refusal};
use crate::store::acts::{Act, ActRequest};

/// Approve: straight to the confirm view, which shows what the waiting act
/// will do now. Reject: a form for the reason.
pub fn decide_approval(state: &mut State, approval_id: i64, approve: bool) -> Vec<Request> {
    let kind = if approve {
        FormKind::Approve
    } else {
        FormKind::RejectApproval { id: approval_id }
    };
    if let Err(out) = role_covers(state, &kind) {
        return out;
    }
    if !approve {
        let title = kind.title().to_string();
        let reason = form::Field::text(
            "Reason",
            "why it is rejected (the requesting officer reads it)",
            "",
        );
        state.form = Some(Form::new(kind, title, vec![reason]));
        return Vec::new();
    }
    vec![Request::Plan {
        request: ActRequest {
            act: Act::DecideApproval {
                approval_id,
                approve: true,
                reason: String::new(),
            },
            seen: None,
        },
        officer_id: state.officer.as_ref().map(|o| o.id),
    }]
}

/// Asks the worker for the subject's full ID number, which records the
/// reveal; refused (and recorded) below a supervisor.
pub fn reveal_id(state: &mut State) -> Vec<Request> {
    let (Some(officer), Some(detail)) = (&state.officer, &state.detail) else {
        return Vec::new();
    };
    let power = Power::RevealId;
    if !officer.role.covers(power.needs()) {
        let record = Request::Refusal {
            officer_id: officer.id,
            what: power.describe(),
            needed: power.needs(),
        };
        let words = refusal(power.describe(), power.needs(), officer.role);
        message(state, "Not within your role", words);
        return vec![record];
    }
    vec![Request::RevealId {
        officer_id: officer.id,
        subject_id: detail.subject_id,
    }]
}
