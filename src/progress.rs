//! What a long command shows on a terminal while it runs: an import's
//! progress through its file, then the step its merge is at; the step of
//! `audit verify`, `sync export`, `sync apply` and `init --from`.

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
            on: shown(wanted, size),
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
            clear_line();
        }
    }
}

/// The step a long command is at, on one line it redraws, with the
/// seconds since it began: a big first import merges for a minute or more
/// after its file is read, `audit verify` and the sync commands take
/// minutes on a big store.
pub struct Steps {
    on: bool,
    started: Instant,
    /// The command, as the line names it.
    command: &'static str,
}

impl Steps {
    /// Shown where reading shows its progress.
    pub fn new(wanted: bool, size: u64) -> Steps {
        Steps {
            on: shown(wanted, size),
            started: Instant::now(),
            command: "import",
        }
    }

    /// The steps of `command`, on a terminal: it takes a while on a big
    /// store whatever it is given.
    pub fn on_terminal(command: &'static str) -> Steps {
        Steps {
            on: std::io::stderr().is_terminal(),
            started: Instant::now(),
            command,
        }
    }

    pub fn show(&self, step: &str) {
        if self.on {
            let seconds = self.started.elapsed().as_secs();
            clear_line();
            eprint!("  {step}… ({} running {seconds} s)", self.command);
        }
    }
}

/// The line is cleared however the command ends, so that its report or
/// error starts on a clean line.
impl Drop for Steps {
    fn drop(&mut self) {
        if self.on {
            clear_line();
        }
    }
}

/// The line is drawn on a terminal, for input of more than a megabyte
/// (a smaller file is read and merged before a line would help).
fn shown(wanted: bool, size: u64) -> bool {
    wanted && std::io::stderr().is_terminal() && size > 1 << 20
}

/// Back to the start of the line, erasing it.
fn clear_line() {
    eprint!("\r\x1b[K");
}
