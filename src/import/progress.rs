//! The progress line an import draws on a terminal.

use std::io::IsTerminal;
use std::time::{Duration, Instant};

/// A progress line on a terminal, redrawn at most five times a second.
pub struct Progress {
    on: bool,
    size: u64,
    last: Instant,
}

impl Progress {
    pub fn new(wanted: bool, size: u64) -> Progress {
        Progress {
            on: wanted && std::io::stderr().is_terminal() && size > 1 << 20,
            size,
            last: Instant::now(),
        }
    }

    pub fn tick(&mut self, offset: u64) {
        if self.on && self.last.elapsed() > Duration::from_millis(200) {
            self.last = Instant::now();
            let pct = offset * 100 / self.size.max(1);
            let bar = "#".repeat((pct / 4) as usize);
            eprint!("\r  reading [{bar:<25}] {pct:>3}%");
        }
    }

    pub fn done(&self) {
        if self.on {
            eprint!("\r{:<45}\r", "");
        }
    }
}
