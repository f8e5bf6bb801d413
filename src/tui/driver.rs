//! Drives the TUI without a terminal or threads: the same `update` and the
//! same worker `execute`, run one after the other. Tests, snapshots and
//! screenshots use it; the live program uses the threaded loop in `app`.

use super::app::{AppOptions, initial_state};
use super::keymap::{Chord, Keymap};
use super::state::State;
use super::update::{Msg, start, update};
use super::views;
use super::worker::{Request, execute_at};
use crate::store::Store;
use chrono::NaiveDate;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;

pub struct Driver {
    pub store: Store,
    pub state: State,
}

impl Driver {
    /// Signed in as the demo's officer.
    pub fn new(store: Store, today: NaiveDate) -> Driver {
        Driver::with_options(store, &AppOptions::signed_in("demo", today))
    }

    pub fn with_options(store: Store, options: &AppOptions) -> Driver {
        let mut state = initial_state(&store, Keymap::defaults(), &[], options)
            .unwrap_or_else(|e| panic!("reading the store: {e}"));
        // The file name alone, so screens do not depend on a temporary folder.
        if let Some(name) = store.path().file_name() {
            state.store_label = name.to_string_lossy().into_owned();
        }
        let mut driver = Driver { store, state };
        if driver.state.sign_in.is_none() {
            let first = start(&mut driver.state);
            driver.serve(first);
        }
        driver
    }

    /// As the event loop does when no key came for the idle limit.
    pub fn idle(&mut self) -> &mut Self {
        let out = update(&mut self.state, Msg::Idle);
        self.serve(out);
        self
    }

    fn serve(&mut self, mut requests: Vec<Request>) {
        while let Some(request) = requests.pop() {
            let reply = execute_at(
                &mut self.store,
                &request,
                self.state.today,
                Some("10:00:00+08:00"),
            );
            requests.extend(update(&mut self.state, Msg::Reply(reply)));
        }
    }

    /// Presses keys written as in a keymap ("j", "enter", "shift-tab").
    pub fn keys(&mut self, keys: &[&str]) -> &mut Self {
        for k in keys {
            let chord = Chord::parse(k).unwrap_or_else(|e| panic!("test key {k}: {e}"));
            let out = update(&mut self.state, Msg::Key(chord));
            self.serve(out);
        }
        self
    }

    /// Types text into the search box, one key per character.
    pub fn type_text(&mut self, text: &str) -> &mut Self {
        for c in text.chars() {
            let key = if c == ' ' {
                "space".to_string()
            } else {
                c.to_string()
            };
            self.keys(&[key.as_str()]);
        }
        self
    }

    pub fn render(&self, width: u16, height: u16) -> Buffer {
        let mut terminal =
            Terminal::new(TestBackend::new(width, height)).unwrap_or_else(|e| panic!("{e}"));
        terminal
            .draw(|f| views::draw(f, &self.state))
            .unwrap_or_else(|e| panic!("{e}"));
        terminal.backend().buffer().clone()
    }

    /// The screen as text, wide characters once.
    pub fn screen(&self, width: u16, height: u16) -> String {
        buffer_text(&self.render(width, height))
    }
}

pub fn buffer_text(buffer: &Buffer) -> String {
    let mut out = String::new();
    for y in 0..buffer.area.height {
        let mut line = String::new();
        let mut skip = 0;
        for x in 0..buffer.area.width {
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let symbol = buffer[(x, y)].symbol();
            skip = unicode_width::UnicodeWidthStr::width(symbol).saturating_sub(1);
            line.push_str(symbol);
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// A walk through every view an officer meets, calling `shot` at each with
/// its name: the snapshot tests and the screenshots take the same walk.
pub fn tour(d: &mut Driver, mut shot: impl FnMut(&str, &Driver)) {
    shot("list", d);
    d.keys(&["f"]);
    shot("list-filter-listed", d);
    d.keys(&["f", "f", "f", "f"]);
    let searches = [
        ("search-han", "沈国"),
        ("search-pinyin-initials", "wgq"),
        ("search-id-digits", "0185"),
        ("search-phone", "13857110342"),
        ("search-no-match", "nothing-like-this"),
    ];
    for (name, query) in searches {
        d.keys(&["/"]).type_text(query);
        shot(name, d);
        d.keys(&["esc"]);
    }
    d.keys(&["/"]).type_text("鲁宏业").keys(&["enter", "enter"]);
    for tab in [
        "cases",
        "listings",
        "restrictions",
        "objections",
        "notices",
        "history",
    ] {
        shot(&format!("detail-{tab}"), d);
        d.keys(&["tab"]);
    }
    // A supervisor reveals the full ID number (recorded).
    d.keys(&["I"]);
    shot("detail-revealed", d);
    // Back to the list, clear the last search, find the breeding farm.
    d.keys(&["q", "esc", "/"])
        .type_text("嵩阳生态")
        .keys(&["enter", "enter", "tab", "tab", "tab"]);
    shot("detail-objection-pending", d);
    acts_tour(d, &mut shot);
    d.keys(&["S"]);
    shot("sync-state", d);
    d.keys(&["q", "?"]);
    shot("help", d);
    d.keys(&["esc"]);
}

/// Every act form and confirm view, on the breeding farm of the demo (whose
/// objection is pending). It writes a payment, a restriction order and the
/// objection's rejection, so the reversal and reconsideration forms open.
fn acts_tour(d: &mut Driver, shot: &mut impl FnMut(&str, &Driver)) {
    d.keys(&["p"]);
    shot("form-payment", d);
    d.keys(&["tab"]).type_text("1,000");
    d.keys(&["tab", "tab", "tab"]).type_text("DF-2026-0001");
    d.keys(&["enter"]);
    shot("confirm-payment", d);
    d.keys(&["y"]);
    shot("done-payment", d);
    d.keys(&["p", "right", "enter"]);
    shot("form-reversal", d);
    d.keys(&["tab"]).type_text("receipt issued twice");
    d.keys(&["enter"]);
    shot("confirm-reversal", d);
    d.keys(&["n", "esc", "b"]);
    shot("form-list", d);
    d.keys(&["tab", "right", "right", "tab"])
        .type_text("（2026）豫0185执1234号之二");
    d.keys(&["enter"]);
    shot("confirm-list", d);
    d.keys(&["n", "esc", "l", "tab", "right", "right"]);
    shot("form-lift", d);
    d.keys(&["enter"]);
    shot("confirm-lift", d);
    // Not performance: the lifting waits for a second officer's approval.
    d.keys(&["y", "r"]);
    shot("form-menu-restrictions", d);
    d.keys(&["enter", "tab", "right", "tab"])
        .type_text("（2026）豫0185执恢12号限消令");
    shot("form-order", d);
    d.keys(&["enter"]);
    shot("confirm-order", d);
    d.keys(&["y", "r", "right", "enter"]);
    shot("form-lift-item", d);
    d.keys(&["enter"]);
    shot("confirm-lift-item", d);
    d.keys(&["n", "esc", "r", "right", "right", "enter"]);
    shot("form-expense", d);
    d.keys(&["tab"])
        .type_text("flight to Beijing for the owner's surgery");
    d.keys(&["enter"]);
    shot("confirm-expense", d);
    d.keys(&["n", "esc", "o", "enter"]);
    shot("form-objection", d);
    d.keys(&["enter"]);
    shot("refused-objection", d);
    d.keys(&["esc", "o", "right", "enter", "tab", "tab"])
        .type_text("查封财产不足以清偿债务");
    shot("form-decision", d);
    d.keys(&["enter"]);
    shot("confirm-decision", d);
    d.keys(&["y", "o", "right", "right", "enter"]);
    shot("form-reconsideration", d);
    d.keys(&["enter"]);
    shot("confirm-reconsideration", d);
    d.keys(&["n", "esc", "n"]);
    shot("form-notice", d);
    d.keys(&["enter"]);
    shot("confirm-notice", d);
    d.keys(&["n", "esc", "q", "esc", "d"]);
    shot("queue-deadlines", d);
    d.keys(&["N", "f"]);
    shot("queue-notices", d);
    d.keys(&["X"]).type_text("sent by hand at the counter");
    shot("form-cancel-notices", d);
    d.keys(&["enter"]);
    shot("confirm-cancel-notices", d);
    d.keys(&["n", "esc", "q"]);
    approvals_tour(d, shot);
}

/// The lifting asked for above, in the approvals queue: its own asker may
/// not approve it; after the idle lock a second supervisor signs in and does.
fn approvals_tour(d: &mut Driver, shot: &mut impl FnMut(&str, &Driver)) {
    d.keys(&["A"]);
    shot("queue-approvals", d);
    d.keys(&["a"]);
    shot("refused-own-approval", d);
    d.keys(&["esc"]).idle();
    shot("lock-screen", d);
    d.keys(&["tab", "ctrl-u"])
        .type_text("wang")
        .keys(&["enter"]);
    d.type_text(crate::demo::DEMO_PIN)
        .keys(&["enter", "A", "r"]);
    shot("form-reject", d);
    d.keys(&["esc", "a"]);
    shot("confirm-approve", d);
    d.keys(&["y"]);
    shot("done-approve", d);
    d.keys(&["q"]);
}
