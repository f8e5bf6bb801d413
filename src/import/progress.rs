//! The progress line an import draws on a terminal: how much of a file is
//! read, then which step of the merge is running.

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

/// The step an import is at after reading, on the progress line, with the
/// seconds since it began: a big first import merges for a minute or more
/// after its file is read.
pub struct Steps {
    on: bool,
    started: Instant,
}

impl Steps {
    /// Shown where reading shows its progress: on a terminal, for input of
    /// more than a megabyte.
    pub fn new(wanted: bool, size: u64) -> Steps {
        Steps {
            on: wanted && std::io::stderr().is_terminal() && size > 1 << 20,
            started: Instant::now(),
        }
    }

    pub fn show(&self, step: &str) {
        if self.on {
            let seconds = self.started.elapsed().as_secs();
            eprint!("\r\x1b[K  {step}… (import running {seconds} s)");
        }
    }
}

/// The line is cleared however the import ends, so that its report or
/// error starts on a clean line.
impl Drop for Steps {
    fn drop(&mut self) {
        if self.on {
            eprint!("\r\x1b[K");
        }
    }
}
