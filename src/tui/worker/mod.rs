//! The database thread: it owns the store; requests and replies travel over
//! channels. The list's counts go on to a second thread with a read-only
//! connection of its own. The newest list request wins: older ones still
//! queued are dropped unanswered, and `update` drops stale replies by
//! generation.

mod acts;

pub use acts::Pin;

use crate::domain::roles::Role;
use crate::search::{self, SearchResult};
use crate::store::acts::{ActError, ActRequest, Applied, Plan};
use crate::store::officers::Officer;
use crate::store::queues::{ApprovalRow, DeadlineRow, NoticeFilter, NoticeRow};
use crate::store::read::PageAt;
use crate::store::{Filter, Store, SubjectDetail, SubjectRow};
use chrono::NaiveDate;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, Sender, channel};

pub const PAGE_SIZE: usize = 100;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Request {
    Page {
        generation: u64,
        filter: Filter,
        at: PageAt,
    },
    Search {
        generation: u64,
        query: String,
        filter: Filter,
    },
    Count {
        generation: u64,
        filter: Filter,
    },
    Detail {
        subject_id: i64,
    },
    /// Check an act (and the officer's role) and describe it for the
    /// confirm view.
    Plan {
        request: ActRequest,
        officer_id: Option<i64>,
    },
    /// Write a confirmed act.
    Apply {
        plan: Box<Plan>,
        officer_id: Option<i64>,
    },
    Deadlines {
        kind: Option<&'static str>,
    },
    Notices {
        filter: NoticeFilter,
    },
    Approvals,
    Sync,
    /// Check a login and PIN (argon2: slow on purpose, so off the UI thread).
    SignIn {
        login: String,
        pin: Pin,
    },
    /// Record that the officer was refused an act their role does not cover.
    Refusal {
        officer_id: i64,
        what: &'static str,
        needed: Role,
    },
    /// A subject's full ID number, for a supervisor; the reveal is recorded.
    RevealId {
        officer_id: i64,
        subject_id: i64,
    },
    /// Lift some of the listings whose period ended (as the system, not
    /// the officer); the update asks again while more remain.
    ExpireSome,
    /// The rows on screen again, after an act changed their status.
    Refresh {
        generation: u64,
        keys: Vec<i64>,
    },
}

/// Why an act did not happen, as the screen tells it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActFailure {
    Refused(String),
    Stale,
    Failed(String),
}

impl From<ActError> for ActFailure {
    fn from(e: ActError) -> Self {
        match e {
            ActError::Refused(m) => ActFailure::Refused(m),
            ActError::Stale => ActFailure::Stale,
            ActError::Store(e) => ActFailure::Failed(e.to_string()),
        }
    }
}

#[derive(Debug, Clone)]
pub enum Reply {
    Page {
        generation: u64,
        at: PageAt,
        rows: Vec<SubjectRow>,
        more: bool,
    },
    Search {
        generation: u64,
        result: SearchResult,
    },
    Count {
        generation: u64,
        count: i64,
    },
    Detail {
        subject_id: i64,
        detail: Option<Box<SubjectDetail>>,
    },
    SignedIn(Result<Officer, String>),
    Planned(Result<Box<Plan>, ActFailure>),
    Applied(Result<Applied, ActFailure>),
    Deadlines {
        kind: Option<&'static str>,
        rows: Vec<DeadlineRow>,
    },
    Approvals(Vec<ApprovalRow>),
    Sync(crate::tui::state::SyncState),
    Notices {
        filter: NoticeFilter,
        rows: Vec<NoticeRow>,
    },
    Refreshed {
        generation: u64,
        rows: Vec<SubjectRow>,
    },
    Failed {
        what: String,
        message: String,
    },
    /// Listings whose period ended lifted by one `ExpireSome`, and whether
    /// more remain.
    Expired(Result<(usize, bool), String>),
    /// Done; nothing to show.
    Nothing,
    Revealed {
        subject_id: i64,
        id_number: Result<String, String>,
    },
}

/// Answers one request; the same function serves the thread and the tests.
pub fn execute(store: &mut Store, request: &Request, today: NaiveDate) -> Reply {
    execute_at(store, request, today, None)
}

/// As `execute`, with acts stamped at a fixed time of day (HH:MM:SS+zone)
/// when one is given, so tests and screenshots do not follow the clock.
pub fn execute_at(
    store: &mut Store,
    request: &Request,
    today: NaiveDate,
    time_of_day: Option<&str>,
) -> Reply {
    if let Some(reply) = acts::execute(store, request, today, time_of_day) {
        return reply;
    }
    let result = match request {
        Request::Page {
            generation,
            filter,
            at,
        } => page(store, *filter, *at, today).map(|(rows, more)| Reply::Page {
            generation: *generation,
            at: *at,
            rows,
            more,
        }),
        Request::Search {
            generation,
            query,
            filter,
        } => search::search(store, query, *filter, today).map(|result| Reply::Search {
            generation: *generation,
            result,
        }),
        Request::Count { generation, filter } => {
            store
                .count_filtered(*filter, today)
                .map(|count| Reply::Count {
                    generation: *generation,
                    count,
                })
        }
        Request::Detail { subject_id } => {
            store
                .subject_detail(*subject_id, today)
                .map(|d| Reply::Detail {
                    subject_id: *subject_id,
                    detail: d.map(Box::new),
                })
        }
        Request::Deadlines { kind } => store
            .deadline_queue(today, *kind)
            .map(|rows| Reply::Deadlines { kind: *kind, rows }),
        Request::Approvals => store.approval_queue().map(Reply::Approvals),
        Request::Sync => sync_state(store).map(Reply::Sync),
        Request::Notices { filter } => store.notice_queue(*filter).map(|rows| Reply::Notices {
            filter: *filter,
            rows,
        }),
        Request::Refresh { generation, keys } => {
            store.rows_for(keys, today).map(|rows| Reply::Refreshed {
                generation: *generation,
                rows,
            })
        }
        Request::Plan { .. }
        | Request::Apply { .. }
        | Request::SignIn { .. }
        | Request::RevealId { .. }
        | Request::Refusal { .. }
        | Request::ExpireSome => unreachable!("answered above"),
    };
    result.unwrap_or_else(|e| Reply::Failed {
        what: describe(request),
        message: e.to_string(),
    })
}

fn describe(request: &Request) -> String {
    match request {
        Request::Page { .. } => "reading the list".into(),
        Request::Search { query, .. } => format!("searching for \"{query}\""),
        Request::Count { .. } => "counting".into(),
        Request::Detail { .. } => "reading the subject".into(),
        Request::Plan { .. } | Request::Apply { .. } | Request::Refusal { .. } => "acting".into(),
        Request::SignIn { .. } => "signing in".into(),
        Request::RevealId { .. } => "revealing the ID number".into(),
        Request::Deadlines { .. } => "reading the deadlines".into(),
        Request::Approvals => "reading the approvals".into(),
        Request::Sync => "reading the sync state".into(),
        Request::Notices { .. } => "reading the notices".into(),
        Request::Refresh { .. } => "refreshing the list".into(),
        Request::ExpireSome => "lifting listings whose period ended".into(),
    }
}

fn page(
    store: &Store,
    filter: Filter,
    at: PageAt,
    today: NaiveDate,
) -> crate::store::Result<(Vec<SubjectRow>, bool)> {
    let mut keys = store.page_keys(filter, at, PAGE_SIZE + 1, today)?;
    let more = keys.len() > PAGE_SIZE;
    if more {
        // The extra key tells there is more; drop it on the far side.
        match at {
            PageAt::Before(_) | PageAt::Last => {
                keys.remove(0);
            }
            _ => {
                keys.pop();
            }
        }
    }
    Ok((store.rows_for(&keys, today)?, more))
}

/// Keeps only the newest of each kind of read among those waiting; acts and
/// queue reads are all kept, in order, ahead of the reads.
pub fn collapse(mut waiting: Vec<Request>) -> Vec<Request> {
    let (mut out, reads): (Vec<Request>, Vec<Request>) = waiting.drain(..).partition(|r| {
        !matches!(
            r,
            Request::Page { .. }
                | Request::Search { .. }
                | Request::Detail { .. }
                | Request::Count { .. }
        )
    });
    out.extend(collapse_reads(reads));
    out
}

fn collapse_reads(mut waiting: Vec<Request>) -> Vec<Request> {
    let newest_list = waiting
        .iter()
        .rposition(|r| matches!(r, Request::Page { .. } | Request::Search { .. }));
    let newest_detail = waiting
        .iter()
        .rposition(|r| matches!(r, Request::Detail { .. }));
    let newest_count = waiting
        .iter()
        .rposition(|r| matches!(r, Request::Count { .. }));
    let mut out = Vec::new();
    // List first (the officer is typing), then detail, then the slow count.
    for i in [newest_list, newest_detail, newest_count]
        .into_iter()
        .flatten()
    {
        out.push(std::mem::replace(
            &mut waiting[i],
            Request::Detail { subject_id: 0 },
        ));
    }
    out
}

/// Starts the thread; replies go through `deliver`. Counts go on to a
/// thread of their own with a reader connection, when the store gives one:
/// counting millions takes up to a tenth of a second, and on the store's
/// thread it held up the keystroke or page asked for after it.
pub fn spawn(
    store: Store,
    today: NaiveDate,
    deliver: impl Fn(Reply) -> bool + Send + Sync + 'static,
) -> Sender<Request> {
    let deliver = Arc::new(deliver);
    let counter = store
        .open_reader()
        .ok()
        .map(|reader| serve("zhixing-count", reader, today, Arc::clone(&deliver), None));
    serve("zhixing-store", store, today, deliver, counter)
}

/// A thread answering requests on `store`, the newest of each kind of
/// read among those waiting (`collapse`); counts are sent on to `counts`
/// when there is such a thread.
fn serve<F>(
    name: &str,
    mut store: Store,
    today: NaiveDate,
    deliver: Arc<F>,
    counts: Option<Sender<Request>>,
) -> Sender<Request>
where
    F: Fn(Reply) -> bool + Send + Sync + 'static,
{
    let (tx, rx): (Sender<Request>, Receiver<Request>) = channel();
    std::thread::Builder::new()
        .name(name.into())
        .spawn(move || {
            while let Ok(first) = rx.recv() {
                let mut waiting = vec![first];
                waiting.extend(rx.try_iter());
                for request in collapse(waiting) {
                    let Some(request) = kept_here(counts.as_ref(), request) else {
                        continue;
                    };
                    if !deliver(execute(&mut store, &request, today)) {
                        return;
                    }
                }
            }
        })
        .ok();
    tx
}

/// The request back when this thread answers it; None when it is a count
/// that the counting thread took.
fn kept_here(counts: Option<&Sender<Request>>, request: Request) -> Option<Request> {
    match (counts, request) {
        (Some(counts), count @ Request::Count { .. }) => counts.send(count).err().map(|e| e.0),
        (_, request) => Some(request),
    }
}

fn sync_state(store: &Store) -> crate::store::Result<crate::tui::state::SyncState> {
    Ok(crate::tui::state::SyncState {
        site: store.site()?,
        clock: store.sync_clock()?,
        peers: store.sync_peers()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_newest_list_request_survives() {
        let waiting = vec![
            Request::Search {
                generation: 1,
                query: "z".into(),
                filter: Filter::All,
            },
            Request::Detail { subject_id: 7 },
            Request::Search {
                generation: 2,
                query: "zh".into(),
                filter: Filter::All,
            },
            Request::Count {
                generation: 2,
                filter: Filter::All,
            },
        ];
        let out = collapse(waiting);
        assert_eq!(out.len(), 3);
        assert_eq!(
            out[0],
            Request::Search {
                generation: 2,
                query: "zh".into(),
                filter: Filter::All
            }
        );
        assert_eq!(out[1], Request::Detail { subject_id: 7 });
        assert!(matches!(out[2], Request::Count { .. }));
    }
}
