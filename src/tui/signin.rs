//! Signing in, and the lock after ten idle minutes. While either is shown
//! nothing of the store is: the views draw only the sign-in box, and the
//! list is loaded after the first sign-in.

use super::keymap::{Chord, KeyCodeKey, is_text};
use super::state::{SignInState, State};
use super::update::start;
use super::worker::{Pin, Reply, Request};

/// How long without a key before the screen locks.
pub const IDLE_LOCK: std::time::Duration = std::time::Duration::from_secs(10 * 60);

/// The sign-in box of a fresh start: the login filled in when one was given.
pub fn begin(state: &mut State, login: Option<&str>) {
    let login = login.unwrap_or_default().to_string();
    state.sign_in = Some(SignInState {
        on_pin: !login.is_empty(),
        login,
        ..SignInState::default()
    });
}

/// Idle too long: the screen locks for the officer signed in, who unlocks
/// it with their PIN (or another officer signs in instead).
pub fn lock(state: &mut State) {
    if state.sign_in.is_some() {
        return;
    }
    let Some(officer) = &state.officer else {
        return;
    };
    state.sign_in = Some(SignInState {
        login: officer.login.clone(),
        on_pin: true,
        locked: true,
        ..SignInState::default()
    });
}

/// A key while the sign-in box is shown. Ctrl-C quits; nothing else
/// reaches the rest of the workstation.
pub fn key(state: &mut State, chord: Chord) -> Vec<Request> {
    let Some(box_) = state.sign_in.as_mut() else {
        return Vec::new();
    };
    if box_.busy {
        return Vec::new();
    }
    let field = if box_.on_pin {
        &mut box_.pin
    } else {
        &mut box_.login
    };
    match chord.code {
        KeyCodeKey::Char('c') if chord.ctrl => state.quit = true,
        KeyCodeKey::Char('u') if chord.ctrl => field.clear(),
        KeyCodeKey::Char(c) if is_text(chord) && field.chars().count() < 64 => {
            field.push(c);
            box_.error = None;
        }
        KeyCodeKey::Named("backspace") => {
            field.pop();
        }
        KeyCodeKey::Named("tab" | "backtab" | "up" | "down") => box_.on_pin = !box_.on_pin,
        KeyCodeKey::Named("esc") => {
            box_.pin.clear();
            box_.error = None;
        }
        KeyCodeKey::Named("enter") if !box_.on_pin => box_.on_pin = true,
        KeyCodeKey::Named("enter") => return submit(box_),
        _ => {}
    }
    Vec::new()
}

fn submit(box_: &mut SignInState) -> Vec<Request> {
    if box_.login.trim().is_empty() || box_.pin.is_empty() {
        box_.error = Some("Type your login and your PIN.".into());
        return Vec::new();
    }
    box_.busy = true;
    // The PIN leaves the state as soon as it is sent.
    let pin = std::mem::take(&mut box_.pin);
    vec![Request::SignIn {
        login: box_.login.trim().to_string(),
        pin: Pin(pin),
    }]
}

/// The worker's answer. The first sign-in loads the list; another officer
/// unlocking a locked screen starts from the list, not from the form the
/// officer before left open.
pub fn reply(state: &mut State, reply: Reply) -> Vec<Request> {
    let Reply::SignedIn(result) = reply else {
        return Vec::new();
    };
    let Some(box_) = state.sign_in.as_mut() else {
        return Vec::new();
    };
    box_.busy = false;
    let officer = match result {
        Ok(o) => o,
        Err(message) => {
            box_.error = Some(message);
            return Vec::new();
        }
    };
    let first = state.officer.is_none();
    let someone_else = state.officer.as_ref().is_some_and(|o| o.id != officer.id);
    state.sign_in = None;
    state.officer = Some(officer);
    if someone_else {
        state.form = None;
        state.confirm = None;
        state.detail = None;
        state.screen = super::state::Screen::List;
    }
    if first || someone_else {
        return start(state);
    }
    Vec::new()
}
