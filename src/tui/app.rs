//! The event loop: keys, worker replies and signals arrive on one channel;
//! the screen is redrawn only after something changed.

use super::keymap::{Chord, Keymap, KeymapError};
use super::signin;
use super::state::{Overlay, State};
use super::update::{Msg, start, update};
use super::views;
use super::worker::{self, Reply, Request};
use crate::store::{Opened, Store};
use chrono::NaiveDate;
use crossterm::event::{self, Event, KeyEventKind};
use std::path::PathBuf;
use std::sync::mpsc::{RecvTimeoutError, Sender, channel};
use std::time::{Duration, Instant};

enum AppEvent {
    Key(Chord),
    Reply(Reply),
    Resize,
    Terminate,
}

pub struct AppOptions {
    pub today: NaiveDate,
    pub keymap_file: Option<PathBuf>,
    pub monochrome: bool,
    /// The login the sign-in box starts with.
    pub officer: Option<String>,
    /// Start signed in as this officer, without the sign-in box: the
    /// demo's officer, and the officer who just made a new store.
    pub signed_in_as: Option<String>,
}

impl AppOptions {
    /// Signed in as `login` from the start, with the default keymap and
    /// colours: the demo, and the tests and harnesses that drive the TUI.
    pub fn signed_in(login: &str, today: NaiveDate) -> AppOptions {
        AppOptions {
            today,
            keymap_file: None,
            monochrome: false,
            officer: None,
            signed_in_as: Some(login.into()),
        }
    }
}

/// Builds the first state: keymap (with any errors to show), labels, flags.
pub fn initial_state(
    store: &Store,
    keymap: Keymap,
    errors: &[KeymapError],
    opts: &AppOptions,
) -> crate::store::Result<State> {
    let mut state = State::new(keymap, opts.today, store.path().display().to_string());
    state.monochrome = opts.monochrome;
    state.empty_store = store.is_empty()?;
    let mut notes = Vec::new();
    if !errors.is_empty() {
        notes.push("Your keymap has errors; zhixing runs on the default keys:".to_string());
        notes.extend(errors.iter().map(|e| format!("• {e}")));
    }
    if store.is_demo()? {
        state.sign_in_hint = Some(format!(
            "Demo store: the officers demo, wang (supervisors), li (officer), zhao (clerk) and admin all have the PIN {}",
            crate::demo::DEMO_PIN
        ));
    }
    let auto = match &opts.signed_in_as {
        Some(login) => store.officer_by_login(login)?,
        None => None,
    };
    match auto {
        Some(o) => state.officer = Some(o),
        None => signin::begin(&mut state, opts.officer.as_deref()),
    }
    if let Opened::Upgraded { from } = store.opened {
        notes.push(format!(
            "The store was upgraded from schema version {from} to {}.",
            crate::store::SCHEMA_VERSION
        ));
    }
    if !notes.is_empty() {
        state.overlay = Some(Overlay::Message {
            title: "Please note".into(),
            body: notes.join("\n"),
        });
    }
    Ok(state)
}

/// Runs the TUI until the officer quits. The terminal is restored on every
/// way out: normal exit, error, panic (ratatui's hook) and SIGTERM.
pub fn run(store: Store, opts: AppOptions) -> anyhow::Result<()> {
    let (keymap, errors) = Keymap::with_user_file(opts.keymap_file.as_deref());
    let mut state = initial_state(&store, keymap, &errors, &opts)?;
    let (tx, rx) = channel::<AppEvent>();
    let replies = tx.clone();
    let requests = worker::spawn(store, opts.today, move |r| {
        replies.send(AppEvent::Reply(r)).is_ok()
    });
    spawn_signal_listener(tx.clone())?;
    let mut terminal = ratatui::init();
    let _guard = RestoreGuard;
    spawn_input_reader(tx);
    if state.sign_in.is_none() {
        send_all(&requests, start(&mut state));
    }
    terminal.draw(|f| views::draw(f, &state))?;
    let panic_key = panic_key();
    let idle_limit = idle_limit();
    let mut last_key = Instant::now();
    loop {
        let ev = match rx.recv_timeout(idle_limit.saturating_sub(last_key.elapsed())) {
            Ok(ev) => ev,
            Err(RecvTimeoutError::Timeout) => {
                update(&mut state, Msg::Idle);
                last_key = Instant::now();
                terminal.draw(|f| views::draw(f, &state))?;
                continue;
            }
            Err(RecvTimeoutError::Disconnected) => break,
        };
        if matches!(ev, AppEvent::Key(_)) {
            last_key = Instant::now();
        }
        let out = match ev {
            AppEvent::Key(chord) if Some(chord) == panic_key => {
                panic!("panic requested by ZHIXING_PANIC_ON_KEY")
            }
            AppEvent::Key(chord) => update(&mut state, Msg::Key(chord)),
            AppEvent::Reply(reply) => update(&mut state, Msg::Reply(reply)),
            AppEvent::Resize => Vec::new(),
            AppEvent::Terminate => break,
        };
        send_all(&requests, out);
        if state.quit {
            break;
        }
        // Keys typed faster than frames are applied before the next draw.
        terminal.draw(|f| views::draw(f, &state))?;
    }
    Ok(())
}

/// Ten minutes; ZHIXING_IDLE_LOCK_SECS shortens it for tests.
fn idle_limit() -> Duration {
    std::env::var("ZHIXING_IDLE_LOCK_SECS")
        .ok()
        .and_then(|s| s.parse().ok())
        .map_or(signin::IDLE_LOCK, Duration::from_secs)
}

/// A test hook: with ZHIXING_PANIC_ON_KEY set to a key ("F"), that key
/// makes the TUI panic, so tests can prove the terminal is restored after a
/// panic. Unset in normal use.
fn panic_key() -> Option<Chord> {
    std::env::var("ZHIXING_PANIC_ON_KEY")
        .ok()
        .and_then(|k| Chord::parse(&k).ok())
}

struct RestoreGuard;

impl Drop for RestoreGuard {
    fn drop(&mut self) {
        ratatui::restore();
    }
}

fn send_all(requests: &Sender<Request>, out: Vec<Request>) {
    for r in out {
        // The worker only stops when the program does.
        let _ = requests.send(r);
    }
}

fn spawn_input_reader(tx: Sender<AppEvent>) {
    std::thread::spawn(move || {
        loop {
            let ev = match event::read() {
                Ok(Event::Key(k)) if k.kind != KeyEventKind::Release => {
                    Chord::from_event(k).map(AppEvent::Key)
                }
                Ok(Event::Resize(..)) => Some(AppEvent::Resize),
                Ok(_) => None,
                Err(_) => Some(AppEvent::Terminate),
            };
            if let Some(ev) = ev
                && tx.send(ev).is_err()
            {
                return;
            }
        }
    });
}

fn spawn_signal_listener(tx: Sender<AppEvent>) -> std::io::Result<()> {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
    let mut signals = signal_hook::iterator::Signals::new([SIGTERM, SIGINT, SIGHUP])?;
    std::thread::spawn(move || {
        if signals.forever().next().is_some() {
            let _ = tx.send(AppEvent::Terminate);
        }
    });
    Ok(())
}
