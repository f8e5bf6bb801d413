//! The logic of the TUI: a message in, the state changed, requests out.
//! No terminal and no store here, so it is tested directly.

use super::action::Action;
use super::keymap::{Chord, KeyCodeKey, Lookup, is_text};
use super::state::{DetailState, ListRow, Overlay, Screen, State, Tab};
use super::worker::{PAGE_SIZE, Reply, Request};
use super::{acts, queues, signin, supervise};
use crate::store::read::PageAt;

#[derive(Debug)]
pub enum Msg {
    Key(Chord),
    Reply(Reply),
    /// No key for the idle limit: lock the screen.
    Idle,
}

/// Rows kept in the browsing window before the far end is dropped.
const WINDOW: usize = 6 * PAGE_SIZE;
/// Fetch the next page when the selection comes this close to the edge.
const NEAR_EDGE: usize = 20;
/// Rows a page-up or page-down moves.
const PAGE_STEP: usize = 15;

/// The first requests: a page of the list and its count, then (once per
/// run) the lifting of listings whose period ended, which the worker, taking
/// requests in order, starts only after the page.
pub fn start(state: &mut State) -> Vec<Request> {
    let mut out = reload(state);
    if !state.expiry.running {
        state.expiry.running = true;
        out.push(Request::ExpireSome);
    }
    out
}

pub fn update(state: &mut State, msg: Msg) -> Vec<Request> {
    match msg {
        Msg::Idle => {
            signin::lock(state);
            Vec::new()
        }
        Msg::Key(chord) if state.sign_in.is_some() => signin::key(state, chord),
        Msg::Reply(reply @ Reply::SignedIn(_)) => signin::reply(state, reply),
        Msg::Key(chord) => {
            // An error or a status stays on the footer until the next key.
            state.error = None;
            state.status = None;
            key(state, chord)
        }
        Msg::Reply(reply @ (Reply::Planned(_) | Reply::Applied(_))) => {
            acts::act_reply(state, reply)
        }
        Msg::Reply(Reply::Expired(lifted)) => acts::expired(state, lifted),
        Msg::Reply(
            reply @ (Reply::Deadlines { .. }
            | Reply::Notices { .. }
            | Reply::Approvals(_)
            | Reply::Sync(_)),
        ) => {
            queues::reply(state, reply);
            Vec::new()
        }
        Msg::Reply(reply) => {
            reply_in(state, reply);
            edge_fetch(state)
        }
    }
}

fn key(state: &mut State, chord: Chord) -> Vec<Request> {
    state.pending_keys.push(chord);
    let mode = state.mode();
    match state.keymap.lookup(mode, &state.pending_keys) {
        Lookup::Action(action) => {
            state.pending_keys.clear();
            act(state, action)
        }
        Lookup::Prefix => Vec::new(),
        Lookup::None => {
            let single = state.pending_keys.len() == 1;
            state.pending_keys.clear();
            if single && state.form.is_some() && state.confirm.is_none() && state.overlay.is_none()
            {
                acts::form_key(state, chord);
                return Vec::new();
            }
            if single && state.list.typing && state.overlay.is_none() {
                return edit_query(state, chord);
            }
            Vec::new()
        }
    }
}

fn edit_query(state: &mut State, chord: Chord) -> Vec<Request> {
    match chord.code {
        KeyCodeKey::Char(c) if is_text(chord) => state.list.query.push(c),
        KeyCodeKey::Named("space") => state.list.query.push(' '),
        KeyCodeKey::Named("backspace") => {
            state.list.query.pop();
        }
        KeyCodeKey::Char('u') if chord.ctrl => state.list.query.clear(),
        _ => return Vec::new(),
    }
    reload(state)
}

/// Starts the list over for the current query and filter.
fn reload(state: &mut State) -> Vec<Request> {
    let list = &mut state.list;
    list.generation += 1;
    list.loading = true;
    list.count = None;
    let generation = list.generation;
    if list.searching() {
        vec![Request::Search {
            generation,
            query: list.query.clone(),
            filter: list.filter,
        }]
    } else {
        vec![
            Request::Page {
                generation,
                filter: list.filter,
                at: PageAt::First,
            },
            Request::Count {
                generation,
                filter: list.filter,
            },
        ]
    }
}

fn act(state: &mut State, action: Action) -> Vec<Request> {
    if state.overlay.is_some() && action != Action::Quit {
        overlay_action(state, action);
        return Vec::new();
    }
    if action == Action::Quit {
        state.quit = true;
        return Vec::new();
    }
    // A form or confirm view takes every key, help's too (its own keys show).
    if state.confirm.is_some() {
        return acts::confirm_action(state, action);
    }
    if state.form.is_some() {
        return acts::form_action(state, action);
    }
    if action == Action::Help {
        state.overlay = Some(Overlay::Help);
        state.help_scroll = 0;
        return Vec::new();
    }
    if matches!(
        state.screen,
        Screen::Deadlines | Screen::Notices | Screen::Approvals | Screen::Sync
    ) {
        return queues::action(state, action);
    }
    browse(state, action)
}

/// Keys while help or a message is open: help scrolls; a close-like key
/// closes it; any other key is ignored.
fn overlay_action(state: &mut State, action: Action) {
    if state.overlay == Some(Overlay::Help) && matches!(action, Action::Down | Action::Up) {
        let step = if action == Action::Down { 1 } else { -1 };
        state.help_scroll = state.help_scroll.saturating_add_signed(step);
        return;
    }
    if matches!(
        action,
        Action::Help | Action::Back | Action::Cancel | Action::Confirm
    ) {
        state.overlay = None;
    }
}

/// Keys on the list and a subject's detail.
fn browse(state: &mut State, action: Action) -> Vec<Request> {
    match action {
        Action::Back | Action::Cancel => return back(state, action == Action::Back),
        Action::Search => state.list.typing = true,
        Action::AcceptSearch => state.list.typing = false,
        Action::ClearSearch => {
            state.list.typing = false;
            if state.list.searching() {
                state.list.query.clear();
                return reload(state);
            }
        }
        Action::Down
        | Action::Up
        | Action::Top
        | Action::Bottom
        | Action::PageDown
        | Action::PageUp => {
            return movement(state, action);
        }
        Action::Open => return open(state),
        Action::NextFilter => {
            state.list.filter = state.list.filter.next();
            return reload(state);
        }
        Action::NextTab | Action::PrevTab => {
            if let Some(d) = &mut state.detail {
                d.tab = d.tab.step(action == Action::NextTab);
                d.scroll = 0;
            }
        }
        Action::Deadlines => return queues::open(state, Screen::Deadlines),
        Action::Notices => return queues::open(state, Screen::Notices),
        Action::Approvals => return queues::open(state, Screen::Approvals),
        Action::SyncState => return queues::open(state, Screen::Sync),
        Action::RevealId => return supervise::reveal_id(state),
        Action::RecordPayment
        | Action::ListDishonest
        | Action::LiftListing
        | Action::Restrictions
        | Action::Objections
        | Action::QueueNotice => return acts::open_act(state, action),
        _ => {}
    }
    Vec::new()
}

fn back(state: &mut State, quit_from_list: bool) -> Vec<Request> {
    match state.screen {
        Screen::Detail => {
            let from = state.detail.take().map_or(Screen::List, |d| d.from);
            state.screen = from;
            if from != Screen::List {
                return queues::reload(state);
            }
        }
        Screen::Deadlines | Screen::Notices | Screen::Approvals | Screen::Sync => {
            state.screen = Screen::List
        }
        Screen::List if state.list.searching() && !quit_from_list => {
            state.list.query.clear();
            state.list.typing = false;
            return reload(state);
        }
        Screen::List => state.quit = quit_from_list,
    }
    Vec::new()
}

fn open(state: &mut State) -> Vec<Request> {
    let Some(row) = state.list.selected_row() else {
        return Vec::new();
    };
    let subject_id = row.row.id;
    state.list.typing = false;
    state.screen = Screen::Detail;
    state.detail = Some(DetailState {
        subject_id,
        data: None,
        tab: Tab::Cases,
        scroll: 0,
        from: Screen::List,
        revealed: None,
    });
    vec![Request::Detail { subject_id }]
}

fn movement(state: &mut State, action: Action) -> Vec<Request> {
    if state.screen == Screen::Detail {
        if let Some(d) = &mut state.detail {
            d.scroll = match action {
                Action::Down => d.scroll.saturating_add(1),
                Action::Up => d.scroll.saturating_sub(1),
                _ => d.scroll,
            };
        }
        return Vec::new();
    }
    let list = &mut state.list;
    let last = list.rows.len().saturating_sub(1);
    match action {
        Action::Down => list.selected = (list.selected + 1).min(last),
        Action::Up => list.selected = list.selected.saturating_sub(1),
        Action::PageDown => list.selected = (list.selected + PAGE_STEP).min(last),
        Action::PageUp => list.selected = list.selected.saturating_sub(PAGE_STEP),
        Action::Top if list.more_before => return jump(state, PageAt::First),
        Action::Top => list.selected = 0,
        Action::Bottom if list.more_after => return jump(state, PageAt::Last),
        Action::Bottom => list.selected = last,
        _ => {}
    }
    edge_fetch(state)
}

fn jump(state: &mut State, at: PageAt) -> Vec<Request> {
    state.list.loading = true;
    vec![Request::Page {
        generation: state.list.generation,
        filter: state.list.filter,
        at,
    }]
}

/// Asks for the next page when browsing comes near the window's edge.
fn edge_fetch(state: &mut State) -> Vec<Request> {
    let list = &state.list;
    if list.loading || list.searching() || list.rows.is_empty() {
        return Vec::new();
    }
    let at = if list.more_after && list.selected + NEAR_EDGE >= list.rows.len() {
        PageAt::After(list.rows[list.rows.len() - 1].row.id)
    } else if list.more_before && list.selected < NEAR_EDGE {
        PageAt::Before(list.rows[0].row.id)
    } else {
        return Vec::new();
    };
    jump(state, at)
}

fn reply_in(state: &mut State, reply: Reply) {
    let list = &mut state.list;
    match reply {
        Reply::Page { generation, .. } | Reply::Search { generation, .. }
            if generation != list.generation => {}
        Reply::Page { at, rows, more, .. } => {
            list.loading = false;
            let rows: Vec<ListRow> = rows
                .into_iter()
                .map(|row| ListRow { row, matched: None })
                .collect();
            place_page(list, at, rows, more);
        }
        Reply::Search { result, .. } => {
            list.loading = false;
            list.search_more = result.more;
            list.rows = result
                .hits
                .into_iter()
                .map(|h| ListRow {
                    row: h.row,
                    matched: Some(h.matched),
                })
                .collect();
            list.selected = 0;
            list.more_before = false;
            list.more_after = false;
        }
        Reply::Count { generation, count } if generation == list.generation => {
            list.count = Some(count);
        }
        Reply::Detail { subject_id, detail } => {
            if let Some(d) = state.detail.as_mut().filter(|d| d.subject_id == subject_id) {
                match detail {
                    Some(detail) => d.data = Some(*detail),
                    None => state.error = Some("That subject is no longer in the store.".into()),
                }
            }
        }
        Reply::Revealed {
            subject_id,
            id_number,
        } => match id_number {
            Ok(full) => {
                if let Some(d) = state.detail.as_mut().filter(|d| d.subject_id == subject_id) {
                    d.revealed = Some(full);
                    state.status = Some("Full ID number shown; the reveal is recorded".into());
                }
            }
            Err(why) => state.error = Some(why),
        },
        Reply::Refreshed { generation, rows } if generation == list.generation => {
            for fresh in rows {
                if let Some(shown) = list.rows.iter_mut().find(|r| r.row.id == fresh.id) {
                    shown.row = fresh;
                }
            }
        }
        Reply::Failed { what, message } => {
            list.loading = false;
            state.queue.loading = false;
            state.error = Some(format!("Failed {what}: {message}"));
        }
        _ => {}
    }
}

fn place_page(list: &mut super::state::ListState, at: PageAt, rows: Vec<ListRow>, more: bool) {
    match at {
        PageAt::First => {
            list.rows = rows;
            list.selected = 0;
            list.more_before = false;
            list.more_after = more;
        }
        PageAt::Last => {
            list.rows = rows;
            list.selected = list.rows.len().saturating_sub(1);
            list.more_before = more;
            list.more_after = false;
        }
        PageAt::After(_) => {
            list.rows.extend(rows);
            list.more_after = more;
            if list.rows.len() > WINDOW {
                let drop = list.rows.len() - WINDOW;
                list.rows.drain(..drop);
                list.selected = list.selected.saturating_sub(drop);
                list.more_before = true;
            }
        }
        PageAt::Before(_) => {
            let added = rows.len();
            list.rows.splice(0..0, rows);
            list.selected += added;
            list.more_before = more;
            if list.rows.len() > WINDOW {
                list.rows.truncate(WINDOW);
                list.more_after = true;
            }
        }
    }
}
