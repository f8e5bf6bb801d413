//! The update logic of the deadlines, notices and approvals queues.

use super::action::Action;
use super::state::{DetailState, Screen, State, Tab};
use super::worker::{Reply, Request};
use crate::store::queues::{CHANNELS, DEADLINE_KINDS, NOTICE_STATES};

const PAGE_STEP: usize = 15;

pub fn open(state: &mut State, screen: Screen) -> Vec<Request> {
    state.screen = screen;
    state.list.typing = false;
    state.queue.selected = 0;
    reload(state)
}

pub fn reload(state: &mut State) -> Vec<Request> {
    state.queue.loading = true;
    match state.screen {
        Screen::Deadlines => vec![Request::Deadlines {
            kind: state.queue.deadline_kind,
        }],
        Screen::Notices => vec![Request::Notices {
            filter: state.queue.notice_filter,
        }],
        Screen::Approvals => vec![Request::Approvals],
        Screen::Sync => vec![Request::Sync],
        _ => Vec::new(),
    }
}

fn rows(state: &State) -> usize {
    match state.screen {
        Screen::Deadlines => state.queue.deadlines.len(),
        Screen::Approvals => state.queue.approvals.len(),
        Screen::Sync => state.queue.sync.as_ref().map_or(0, |s| s.peers.len()),
        _ => state.queue.notices.len(),
    }
}

/// The next value of a cycle that starts and ends with "all" (None).
fn cycle(values: &[&'static str], current: Option<&'static str>) -> Option<&'static str> {
    match current.and_then(|c| values.iter().position(|v| *v == c)) {
        None => values.first().copied(),
        Some(i) => values.get(i + 1).copied(),
    }
}

pub fn action(state: &mut State, action: Action) -> Vec<Request> {
    let last = rows(state).saturating_sub(1);
    let q = &mut state.queue;
    match action {
        Action::Down => q.selected = (q.selected + 1).min(last),
        Action::Up => q.selected = q.selected.saturating_sub(1),
        Action::PageDown => q.selected = (q.selected + PAGE_STEP).min(last),
        Action::PageUp => q.selected = q.selected.saturating_sub(PAGE_STEP),
        Action::Top => q.selected = 0,
        Action::Bottom => q.selected = last,
        Action::Deadlines => return open(state, Screen::Deadlines),
        Action::Notices => return open(state, Screen::Notices),
        Action::Approvals => return open(state, Screen::Approvals),
        Action::SyncState => return open(state, Screen::Sync),
        Action::Approve | Action::Reject if state.screen == Screen::Approvals => {
            let Some(id) = q.approvals.get(q.selected).map(|a| a.id) else {
                return Vec::new();
            };
            return super::supervise::decide_approval(state, id, action == Action::Approve);
        }
        Action::NextFilter if state.screen == Screen::Deadlines => {
            q.deadline_kind = cycle(&DEADLINE_KINDS, q.deadline_kind);
            q.selected = 0;
            return reload(state);
        }
        Action::NextFilter if state.screen == Screen::Notices => {
            q.notice_filter.state = cycle(&NOTICE_STATES, q.notice_filter.state);
            q.selected = 0;
            return reload(state);
        }
        Action::NextChannel if state.screen == Screen::Notices => {
            q.notice_filter.channel = cycle(&CHANNELS, q.notice_filter.channel);
            q.selected = 0;
            return reload(state);
        }
        Action::CancelNotice if state.screen == Screen::Notices => {
            let ids = q
                .notices
                .get(q.selected)
                .filter(|n| n.state == "queued")
                .map(|n| vec![n.id])
                .unwrap_or_default();
            return super::acts::cancel_notices(state, ids);
        }
        Action::CancelShown if state.screen == Screen::Notices => {
            let ids = q
                .notices
                .iter()
                .filter(|n| n.state == "queued")
                .map(|n| n.id)
                .collect();
            return super::acts::cancel_notices(state, ids);
        }
        Action::Open => return open_subject(state),
        Action::Back | Action::Cancel => {
            state.screen = Screen::List;
        }
        _ => {}
    }
    Vec::new()
}

fn open_subject(state: &mut State) -> Vec<Request> {
    let subject_id = match state.screen {
        Screen::Deadlines => state
            .queue
            .deadlines
            .get(state.queue.selected)
            .map(|r| r.subject_id),
        Screen::Approvals => state
            .queue
            .approvals
            .get(state.queue.selected)
            .and_then(|r| r.subject_id),
        Screen::Sync => None,
        _ => state
            .queue
            .notices
            .get(state.queue.selected)
            .map(|r| r.subject_id),
    };
    let Some(subject_id) = subject_id else {
        return Vec::new();
    };
    let tab = if state.screen == Screen::Notices {
        Tab::Notices
    } else {
        Tab::Listings
    };
    state.detail = Some(DetailState {
        subject_id,
        data: None,
        tab,
        scroll: 0,
        from: state.screen,
        revealed: None,
    });
    state.screen = Screen::Detail;
    vec![Request::Detail { subject_id }]
}

pub fn reply(state: &mut State, reply: Reply) {
    let q = &mut state.queue;
    match reply {
        Reply::Deadlines { kind, rows } if kind == q.deadline_kind => {
            q.deadlines = rows;
            q.loading = false;
        }
        Reply::Approvals(rows) => {
            q.approvals = rows;
            q.loading = false;
        }
        Reply::Sync(sync) => {
            q.sync = Some(sync);
            q.loading = false;
        }
        Reply::Notices { filter, rows } if filter == q.notice_filter => {
            q.notices = rows;
            q.loading = false;
        }
        _ => return,
    }
    let last = rows(state).saturating_sub(1);
    state.queue.selected = state.queue.selected.min(last);
}
