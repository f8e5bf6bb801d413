//! Everything the views draw from. Changed only by `update`.

use super::form::Form;
use super::keymap::{Chord, Keymap, Mode};
use crate::search::Matched;
use crate::store::acts::Plan;
use crate::store::queues::{ApprovalRow, DeadlineRow, NoticeFilter, NoticeRow};
use crate::store::{Filter, SubjectDetail, SubjectRow};
use chrono::NaiveDate;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Screen {
    List,
    Detail,
    Deadlines,
    Notices,
    Approvals,
    Sync,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tab {
    Cases,
    Listings,
    Restrictions,
    Objections,
    Notices,
    History,
}

impl Tab {
    pub const ALL: [Tab; 6] = [
        Tab::Cases,
        Tab::Listings,
        Tab::Restrictions,
        Tab::Objections,
        Tab::Notices,
        Tab::History,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Tab::Cases => "Cases",
            Tab::Listings => "Listings",
            Tab::Restrictions => "Restrictions",
            Tab::Objections => "Objections",
            Tab::Notices => "Notices",
            Tab::History => "History",
        }
    }

    pub fn step(self, forward: bool) -> Tab {
        let i = Tab::ALL.iter().position(|t| *t == self).unwrap_or(0);
        let n = Tab::ALL.len();
        Tab::ALL[if forward {
            (i + 1) % n
        } else {
            (i + n - 1) % n
        }]
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListRow {
    pub row: SubjectRow,
    pub matched: Option<Matched>,
}

/// The subject list: a window of rows over the filtered store, or the
/// ranked results of a search.
#[derive(Debug, Clone, Default)]
pub struct ListState {
    pub query: String,
    pub typing: bool,
    pub filter: Filter,
    pub rows: Vec<ListRow>,
    pub selected: usize,
    /// Rows beyond the window, in key order (browsing only).
    pub more_before: bool,
    pub more_after: bool,
    /// A request is out; its answer carries this generation.
    pub generation: u64,
    pub loading: bool,
    /// The background count, once it arrives.
    pub count: Option<i64>,
    /// A search had more candidates than it ranked.
    pub search_more: bool,
}

impl ListState {
    pub fn searching(&self) -> bool {
        !self.query.trim().is_empty()
    }

    pub fn selected_row(&self) -> Option<&ListRow> {
        self.rows.get(self.selected)
    }
}

#[derive(Debug, Clone)]
pub struct DetailState {
    pub subject_id: i64,
    pub data: Option<SubjectDetail>,
    pub tab: Tab,
    pub scroll: u16,
    /// Where back leads: the list or the queue the subject was opened from.
    pub from: Screen,
    /// The full ID number, once a supervisor revealed it (recorded).
    pub revealed: Option<String>,
}

/// The confirm view: the checked plan, waiting for the officer's yes.
#[derive(Debug, Clone)]
pub struct ConfirmState {
    pub plan: Box<Plan>,
    /// A request is out (a toggled option being re-planned, or the write).
    pub busy: bool,
}

/// This store's exchanges with other offices.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyncState {
    pub site: i64,
    pub clock: i64,
    pub peers: Vec<crate::store::sync::PeerState>,
}

/// The deadlines and notices queues.
#[derive(Debug, Clone, Default)]
pub struct QueueState {
    pub deadlines: Vec<DeadlineRow>,
    /// The kind of clock the deadlines queue shows (None: every kind).
    pub deadline_kind: Option<&'static str>,
    pub notices: Vec<NoticeRow>,
    pub notice_filter: NoticeFilter,
    pub approvals: Vec<ApprovalRow>,
    pub sync: Option<SyncState>,
    pub selected: usize,
    pub loading: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overlay {
    Help,
    Message { title: String, body: String },
}

/// The sign-in box, at start and when the screen is locked.
#[derive(Debug, Clone, Default)]
pub struct SignInState {
    pub login: String,
    /// Never drawn: the box shows one dot per character.
    pub pin: String,
    pub on_pin: bool,
    pub error: Option<String>,
    /// The PIN is being checked (argon2 takes a moment, in the worker).
    pub busy: bool,
    /// Locked after idling, rather than a fresh start.
    pub locked: bool,
}

/// Listings whose period ended are lifted after the first frame, a few per
/// request to the worker, between the officer's own requests: a store may
/// hold hundreds of thousands of them after a caseload is imported.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Expiry {
    pub running: bool,
    /// Lifted so far in this run of the TUI.
    pub lifted: usize,
}

pub struct State {
    pub screen: Screen,
    pub overlay: Option<Overlay>,
    /// How far the help overlay is scrolled.
    pub help_scroll: u16,
    pub list: ListState,
    pub detail: Option<DetailState>,
    pub form: Option<Form>,
    pub confirm: Option<ConfirmState>,
    pub queue: QueueState,
    /// The officer signed in (None until the first sign-in): acts are
    /// recorded under them, and their role decides what is offered.
    pub officer: Option<crate::store::officers::Officer>,
    /// Shown instead of everything else until an officer signs in.
    pub sign_in: Option<SignInState>,
    /// A line under the sign-in box (the demo's PIN).
    pub sign_in_hint: Option<String>,
    pub keymap: Keymap,
    pub pending_keys: Vec<Chord>,
    pub today: NaiveDate,
    /// Shown in the header: the store's file.
    pub store_label: String,
    /// A new, empty store: the welcome screen explains what to do.
    pub empty_store: bool,
    pub error: Option<String>,
    /// What the last act did, on the footer until the next key.
    pub status: Option<String>,
    /// The lifting of listings whose period ended, in the worker.
    pub expiry: Expiry,
    pub quit: bool,
    pub monochrome: bool,
}

impl State {
    pub fn new(keymap: Keymap, today: NaiveDate, store_label: String) -> State {
        State {
            screen: Screen::List,
            overlay: None,
            help_scroll: 0,
            list: ListState::default(),
            detail: None,
            form: None,
            confirm: None,
            queue: QueueState::default(),
            officer: None,
            sign_in: None,
            sign_in_hint: None,
            keymap,
            pending_keys: Vec::new(),
            today,
            store_label,
            empty_store: false,
            error: None,
            status: None,
            expiry: Expiry::default(),
            quit: false,
            monochrome: false,
        }
    }

    /// The keymap mode the state is in.
    pub fn mode(&self) -> Mode {
        // Under an overlay the screen's keys still resolve (to scroll or
        // close it), but typing does not.
        if self.confirm.is_some() {
            return Mode::Confirm;
        }
        if self.form.is_some() {
            return Mode::Form;
        }
        match (self.screen, &self.overlay) {
            (Screen::List, None) if self.list.typing => Mode::Search,
            (Screen::List, _) => Mode::List,
            (Screen::Detail, _) => Mode::Detail,
            (Screen::Deadlines | Screen::Notices | Screen::Approvals | Screen::Sync, _) => {
                Mode::Queue
            }
        }
    }
}
