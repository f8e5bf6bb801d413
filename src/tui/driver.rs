//! Drives the TUI without a terminal or threads: the same `update` and the
//! same worker `execute`, run one after the other. Tests, snapshots and
//! screenshots use it; the live program uses the threaded loop in `app`.

use super::keymap::{Chord, Keymap};
use super::state::State;
use super::update::{Msg, start, update};
use super::views;
use super::worker::{Request, execute};
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
    pub fn new(store: Store, today: NaiveDate) -> Driver {
        let label = store
            .path()
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut state = State::new(Keymap::defaults(), today, label);
        state.empty_store = store.subject_count().unwrap_or(0) == 0;
        let mut driver = Driver { store, state };
        let first = start(&mut driver.state);
        driver.serve(first);
        driver
    }

    fn serve(&mut self, mut requests: Vec<Request>) {
        while let Some(request) = requests.pop() {
            let reply = execute(&self.store, &request, self.state.today);
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
