//! The requests that write: acts, sign-ins, recorded refusals and the
//! lifting of listings whose period ended.

use super::{Reply, Request};
use crate::store::Store;
use crate::store::acts::{Actor, now_on};
use chrono::NaiveDate;

/// Listings whose period ended lifted per request: a keystroke's search
/// waits behind at most one request, and at ten million subjects a lifting
/// took about 4 ms (the listing's restrictions, notices, clocks and status).
const EXPIRED_PER_REQUEST: usize = 4;

/// A PIN on its way to the worker; never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct Pin(pub String);

impl std::fmt::Debug for Pin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Pin(..)")
    }
}

/// Answers the writing requests; None for the others.
pub fn execute(
    store: &mut Store,
    request: &Request,
    today: NaiveDate,
    time_of_day: Option<&str>,
) -> Option<Reply> {
    let now = || match time_of_day {
        Some(time) => format!("{today}T{time}"),
        None => now_on(today),
    };
    let reply = match request {
        Request::Plan {
            request,
            officer_id,
        } => {
            let plan = store.plan_for(request, *officer_id, today);
            Reply::Planned(plan.map(Box::new).map_err(Into::into))
        }
        Request::Apply { plan, officer_id } => {
            let actor = Actor {
                officer_id: *officer_id,
                now: now(),
                today,
            };
            Reply::Applied(store.apply(plan, &actor).map_err(Into::into))
        }
        Request::SignIn { login, pin } => {
            let result = store.sign_in(login, &pin.0, &now());
            Reply::SignedIn(result.map_err(|e| e.to_string()))
        }
        Request::RevealId {
            officer_id,
            subject_id,
        } => Reply::Revealed {
            subject_id: *subject_id,
            id_number: store
                .reveal_id(Some(*officer_id), *subject_id, &now())
                .map_err(|e| e.to_string()),
        },
        Request::Refusal {
            officer_id,
            what,
            needed,
        } => {
            // The check itself writes the refusal to the audit log.
            let _ = store.authorize_role(Some(*officer_id), what, *needed, &now());
            Reply::Nothing
        }
        Request::ExpireSome => {
            let actor = Actor {
                officer_id: None,
                now: now(),
                today,
            };
            let lifted = store.expire_some_listings(&actor, EXPIRED_PER_REQUEST);
            Reply::Expired(
                lifted
                    .map(|(applied, more)| (applied.len(), more))
                    .map_err(|e| e.to_string()),
            )
        }
        _ => return None,
    };
    Some(reply)
}
