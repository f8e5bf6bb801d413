//! Keymaps: one TOML table per mode, key chords to action names. Loaded
//! strictly: an unknown action, an unparsable key, a duplicate, or a key that
//! is both a binding and the prefix of a sequence is an error naming the
//! file, the mode and the key; the caller then runs on the defaults.

use super::action::Action;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

pub const DEFAULT_KEYMAP: &str = include_str!("../../keymaps/default.toml");

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Mode {
    Global,
    List,
    Search,
    Detail,
    Queue,
    Form,
    Confirm,
}

impl Mode {
    pub const ALL: [Mode; 7] = [
        Mode::Global,
        Mode::List,
        Mode::Search,
        Mode::Detail,
        Mode::Queue,
        Mode::Form,
        Mode::Confirm,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Mode::Global => "global",
            Mode::List => "list",
            Mode::Search => "search",
            Mode::Detail => "detail",
            Mode::Queue => "queue",
            Mode::Form => "form",
            Mode::Confirm => "confirm",
        }
    }

    fn from_name(name: &str) -> Option<Mode> {
        Mode::ALL.into_iter().find(|m| m.name() == name)
    }
}

/// One key press with its modifiers (shift only for non-character keys).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Chord {
    pub code: KeyCodeKey,
    pub ctrl: bool,
    pub alt: bool,
    pub shift: bool,
}

/// The part of a KeyCode a keymap can name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyCodeKey {
    Char(char),
    Named(&'static str),
}

const NAMED: [&str; 14] = [
    "enter",
    "esc",
    "tab",
    "backspace",
    "up",
    "down",
    "left",
    "right",
    "home",
    "end",
    "pageup",
    "pagedown",
    "delete",
    "space",
];

impl Chord {
    pub fn parse(text: &str) -> Result<Chord, String> {
        let mut chord = Chord {
            code: KeyCodeKey::Named(""),
            ctrl: false,
            alt: false,
            shift: false,
        };
        let mut rest = text;
        loop {
            if let Some(r) = rest.strip_prefix("ctrl-") {
                chord.ctrl = true;
                rest = r;
            } else if let Some(r) = rest.strip_prefix("alt-") {
                chord.alt = true;
                rest = r;
            } else if let Some(r) = rest.strip_prefix("shift-") {
                chord.shift = true;
                rest = r;
            } else {
                break;
            }
        }
        let mut chars = rest.chars();
        chord.code = match (chars.next(), chars.next()) {
            (Some(c), None) if !c.is_whitespace() => KeyCodeKey::Char(c),
            _ => match NAMED.iter().find(|n| **n == rest) {
                Some(n) => KeyCodeKey::Named(n),
                None => {
                    return Err(format!(
                        "'{text}' is not a key (try 'q', 'G', 'ctrl-d', 'shift-tab', 'pagedown')"
                    ));
                }
            },
        };
        if let KeyCodeKey::Char(c) = chord.code {
            // "shift-g" and "G" are the same key.
            if chord.shift && c.is_ascii_alphabetic() {
                chord.code = KeyCodeKey::Char(c.to_ascii_uppercase());
            }
            chord.shift = false;
        }
        Ok(chord)
    }

    pub fn from_event(key: KeyEvent) -> Option<Chord> {
        let m = key.modifiers;
        let code = match key.code {
            KeyCode::Char(' ') => KeyCodeKey::Named("space"),
            KeyCode::Char(c) => KeyCodeKey::Char(if m.contains(KeyModifiers::CONTROL) {
                c.to_ascii_lowercase()
            } else {
                c
            }),
            KeyCode::BackTab => {
                return Some(Chord {
                    code: KeyCodeKey::Named("tab"),
                    ctrl: false,
                    alt: false,
                    shift: true,
                });
            }
            other => KeyCodeKey::Named(NAMED.iter().find(|n| named_code(n) == Some(other))?),
        };
        let is_char = matches!(code, KeyCodeKey::Char(_));
        Some(Chord {
            code,
            ctrl: m.contains(KeyModifiers::CONTROL),
            alt: m.contains(KeyModifiers::ALT),
            shift: !is_char && m.contains(KeyModifiers::SHIFT),
        })
    }
}

fn named_code(name: &str) -> Option<KeyCode> {
    Some(match name {
        "enter" => KeyCode::Enter,
        "esc" => KeyCode::Esc,
        "tab" => KeyCode::Tab,
        "backspace" => KeyCode::Backspace,
        "up" => KeyCode::Up,
        "down" => KeyCode::Down,
        "left" => KeyCode::Left,
        "right" => KeyCode::Right,
        "home" => KeyCode::Home,
        "end" => KeyCode::End,
        "pageup" => KeyCode::PageUp,
        "pagedown" => KeyCode::PageDown,
        "delete" => KeyCode::Delete,
        _ => return None,
    })
}

impl fmt::Display for Chord {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            f.write_str("ctrl-")?;
        }
        if self.alt {
            f.write_str("alt-")?;
        }
        if self.shift {
            f.write_str("shift-")?;
        }
        match self.code {
            KeyCodeKey::Char(c) => write!(f, "{c}"),
            KeyCodeKey::Named(n) => f.write_str(n),
        }
    }
}

pub type Sequence = Vec<Chord>;

pub fn sequence_text(seq: &[Chord]) -> String {
    seq.iter()
        .map(Chord::to_string)
        .collect::<Vec<_>>()
        .join(" ")
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: [{mode}] \"{key}\": {problem}")]
pub struct KeymapError {
    pub file: String,
    pub mode: String,
    pub key: String,
    pub problem: String,
}

/// The resolved bindings of every mode.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Keymap {
    pub modes: BTreeMap<Mode, BTreeMap<Sequence, Action>>,
}

/// Where the bindings of `what` come from, and the file name for errors.
pub struct Source<'a> {
    pub file: &'a str,
    pub text: &'a str,
}

impl Keymap {
    /// The embedded defaults; they are tested to load cleanly.
    pub fn defaults() -> Keymap {
        Keymap::load(&[Source {
            file: "keymaps/default.toml",
            text: DEFAULT_KEYMAP,
        }])
        .unwrap_or_default()
    }

    /// Loads the sources in order, each overriding the ones before key by key.
    pub fn load(sources: &[Source]) -> Result<Keymap, Vec<KeymapError>> {
        let mut map = Keymap::default();
        let mut errors = Vec::new();
        for source in sources {
            map.apply(source, &mut errors);
        }
        map.check_prefixes(sources.last().map_or("", |s| s.file), &mut errors);
        if errors.is_empty() {
            Ok(map)
        } else {
            Err(errors)
        }
    }

    fn apply(&mut self, source: &Source, errors: &mut Vec<KeymapError>) {
        let err = |mode: &str, key: &str, problem: String| KeymapError {
            file: source.file.into(),
            mode: mode.into(),
            key: key.into(),
            problem,
        };
        let table: toml::Table = match toml::from_str(source.text) {
            Ok(t) => t,
            Err(e) => {
                return errors.push(err("-", "-", format!("not valid TOML: {}", e.message())));
            }
        };
        for (mode_name, bindings) in table {
            let Some(mode) = Mode::from_name(&mode_name) else {
                errors.push(err(
                    &mode_name,
                    "-",
                    format!("unknown mode (modes: {})", mode_names()),
                ));
                continue;
            };
            let Some(bindings) = bindings.as_table() else {
                errors.push(err(
                    &mode_name,
                    "-",
                    "should be a table of key = \"action\"".into(),
                ));
                continue;
            };
            let mut seen_here: BTreeMap<Sequence, String> = BTreeMap::new();
            for (key, value) in bindings {
                let seq: Result<Sequence, String> = key
                    .split(' ')
                    .filter(|k| !k.is_empty())
                    .map(Chord::parse)
                    .collect();
                let seq = match seq {
                    Ok(s) if !s.is_empty() => s,
                    Ok(_) => {
                        errors.push(err(&mode_name, key, "empty key".into()));
                        continue;
                    }
                    Err(problem) => {
                        errors.push(err(&mode_name, key, problem));
                        continue;
                    }
                };
                let Some(action) = value.as_str().and_then(Action::from_name) else {
                    errors.push(err(
                        &mode_name,
                        key,
                        format!("unknown action {value} (press ? in zhixing for the list)"),
                    ));
                    continue;
                };
                if let Some(first) = seen_here.insert(seq.clone(), key.clone()) {
                    errors.push(err(&mode_name, key, format!("the same key as \"{first}\"")));
                    continue;
                }
                let bound = self.modes.entry(mode).or_default();
                if action == Action::Noop {
                    bound.remove(&seq);
                } else {
                    bound.insert(seq, action);
                }
            }
        }
    }

    fn check_prefixes(&self, file: &str, errors: &mut Vec<KeymapError>) {
        for (mode, bindings) in &self.modes {
            for seq in bindings.keys().filter(|s| s.len() > 1) {
                for n in 1..seq.len() {
                    if bindings.contains_key(&seq[..n]) {
                        errors.push(KeymapError {
                            file: file.into(),
                            mode: mode.name().into(),
                            key: sequence_text(&seq[..n]),
                            problem: format!(
                                "is bound and also starts the sequence \"{}\"",
                                sequence_text(seq)
                            ),
                        });
                    }
                }
            }
        }
    }

    /// Loads the defaults and the user's file over them; on any error, the
    /// defaults alone and the errors to show.
    pub fn with_user_file(path: Option<&Path>) -> (Keymap, Vec<KeymapError>) {
        let Some(path) = path.filter(|p| p.exists()) else {
            return (Keymap::defaults(), Vec::new());
        };
        let file = path.display().to_string();
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                let problem = format!("cannot read: {e}");
                return (
                    Keymap::defaults(),
                    vec![KeymapError {
                        file,
                        mode: "-".into(),
                        key: "-".into(),
                        problem,
                    }],
                );
            }
        };
        let sources = [
            Source {
                file: "keymaps/default.toml",
                text: DEFAULT_KEYMAP,
            },
            Source {
                file: &file,
                text: &text,
            },
        ];
        match Keymap::load(&sources) {
            Ok(map) => (map, Vec::new()),
            Err(errors) => (Keymap::defaults(), errors),
        }
    }

    /// What a sequence does in a mode: an action, a prefix of one, or nothing.
    pub fn lookup(&self, mode: Mode, seq: &[Chord]) -> Lookup {
        for m in [mode, Mode::Global] {
            if m == Mode::Global
                && matches!(mode, Mode::Search | Mode::Form)
                && seq.len() == 1
                && is_text(seq[0])
            {
                // While typing, a plain character is text, not a global binding.
                continue;
            }
            let Some(bindings) = self.modes.get(&m) else {
                continue;
            };
            if let Some(a) = bindings.get(seq) {
                return Lookup::Action(*a);
            }
            if bindings
                .keys()
                .any(|k| k.len() > seq.len() && k.starts_with(seq))
            {
                return Lookup::Prefix;
            }
        }
        Lookup::None
    }

    /// The keys bound to an action in a mode, for help and hints.
    pub fn keys_for(&self, mode: Mode, action: Action) -> Vec<String> {
        self.modes
            .get(&mode)
            .map(|b| {
                b.iter()
                    .filter(|(_, a)| **a == action)
                    .map(|(k, _)| sequence_text(k))
                    .collect()
            })
            .unwrap_or_default()
    }
}

fn mode_names() -> String {
    Mode::ALL
        .iter()
        .map(|m| m.name())
        .collect::<Vec<_>>()
        .join(", ")
}

/// A plain character that types itself.
pub fn is_text(chord: Chord) -> bool {
    matches!(chord.code, KeyCodeKey::Char(_)) && !chord.ctrl && !chord.alt
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lookup {
    Action(Action),
    Prefix,
    None,
}
