//! Every keymap file in keymaps/ loads without conflicts; broken user files
//! are reported by file, mode and key, and the defaults run.

use zhixing::tui::action::Action;
use zhixing::tui::keymap::{Chord, DEFAULT_KEYMAP, Keymap, Lookup, Mode, Source};

#[test]
fn every_shipped_keymap_is_conflict_free() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("keymaps");
    let mut checked = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        let file = path.display().to_string();
        // Presets are overrides of the defaults, as a user file would be.
        let result = Keymap::load(&[
            Source {
                file: "default.toml",
                text: DEFAULT_KEYMAP,
            },
            Source {
                file: &file,
                text: &text,
            },
        ]);
        assert!(result.is_ok(), "{file}: {:?}", result.err());
        checked += 1;
    }
    assert!(checked >= 2);
}

#[test]
fn the_documented_default_bindings_hold() {
    let map = Keymap::defaults();
    let key = |mode, k: &str| map.lookup(mode, &[Chord::parse(k).unwrap()]);
    assert_eq!(key(Mode::List, "?"), Lookup::Action(Action::Help));
    assert_eq!(key(Mode::List, "ctrl-c"), Lookup::Action(Action::Quit));
    assert_eq!(key(Mode::List, "q"), Lookup::Action(Action::Back));
    assert_eq!(key(Mode::List, "G"), Lookup::Action(Action::Bottom));
    assert_eq!(key(Mode::List, "shift-g"), Lookup::Action(Action::Bottom));
    assert_eq!(key(Mode::List, "N"), Lookup::Action(Action::Notices));
    assert_eq!(key(Mode::List, "d"), Lookup::Action(Action::Deadlines));
    assert_eq!(
        key(Mode::Detail, "shift-tab"),
        Lookup::Action(Action::PrevTab)
    );
    assert_eq!(
        key(Mode::Detail, "b"),
        Lookup::Action(Action::ListDishonest)
    );
    assert_eq!(key(Mode::Confirm, "y"), Lookup::Action(Action::Confirm));
    assert_eq!(key(Mode::Form, "enter"), Lookup::Action(Action::Submit));
    // While typing, letters are text, but ctrl-c still quits.
    assert_eq!(key(Mode::Search, "q"), Lookup::None);
    assert_eq!(key(Mode::Search, "ctrl-c"), Lookup::Action(Action::Quit));
}

fn user(text: &str) -> Result<Keymap, Vec<zhixing::tui::keymap::KeymapError>> {
    Keymap::load(&[
        Source {
            file: "default.toml",
            text: DEFAULT_KEYMAP,
        },
        Source {
            file: "/home/o/keymap.toml",
            text,
        },
    ])
}

#[test]
fn a_user_file_overrides_key_by_key_and_noop_unbinds() {
    let map = user("[list]\n\"x\" = \"open\"\n\"enter\" = \"noop\"\n").unwrap();
    let key = |k: &str| map.lookup(Mode::List, &[Chord::parse(k).unwrap()]);
    assert_eq!(key("x"), Lookup::Action(Action::Open));
    assert_eq!(key("enter"), Lookup::None);
    assert_eq!(
        key("j"),
        Lookup::Action(Action::Down),
        "untouched keys keep their defaults"
    );
    assert_eq!(map.keys_for(Mode::List, Action::Open), vec!["x"]);
}

#[test]
fn sequences_work_and_a_bound_prefix_is_a_conflict() {
    let map = user("[list]\n\"g\" = \"noop\"\n\"g g\" = \"top\"\n").unwrap();
    let g = Chord::parse("g").unwrap();
    assert_eq!(map.lookup(Mode::List, &[g]), Lookup::Prefix);
    assert_eq!(map.lookup(Mode::List, &[g, g]), Lookup::Action(Action::Top));
    let errors = user("[list]\n\"g g\" = \"top\"\n").unwrap_err();
    assert_eq!(errors[0].mode, "list");
    assert_eq!(errors[0].key, "g");
    assert!(
        errors[0]
            .to_string()
            .contains("also starts the sequence \"g g\""),
        "{}",
        errors[0]
    );
}

#[test]
fn broken_user_files_name_file_mode_and_key() {
    let errors = user("[list]\n\"j\" = \"fly\"\n\"ctrl-\" = \"down\"\n\"G\" = \"top\"\n\"shift-g\" = \"bottom\"\n[lsit]\n\"x\" = \"open\"\n").unwrap_err();
    let text: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
    assert!(
        text.iter()
            .any(|e| e.contains("/home/o/keymap.toml: [list] \"j\": unknown action \"fly\"")),
        "{text:?}"
    );
    assert!(
        text.iter()
            .any(|e| e.contains("[list] \"ctrl-\": 'ctrl-' is not a key")),
        "{text:?}"
    );
    assert!(
        text.iter()
            .any(|e| e.contains("[list] \"shift-g\": the same key as \"G\"")),
        "{text:?}"
    );
    assert!(
        text.iter()
            .any(|e| e.contains("[lsit] \"-\": unknown mode")),
        "{text:?}"
    );
    let errors = user("[list\n").unwrap_err();
    assert!(errors[0].to_string().contains("not valid TOML"));
}

#[test]
fn with_a_broken_user_file_the_defaults_run() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keymap.toml");
    std::fs::write(&path, "[list]\n\"j\" = \"fly\"\n").unwrap();
    let (map, errors) = Keymap::with_user_file(Some(&path));
    assert_eq!(errors.len(), 1);
    assert_eq!(map, Keymap::defaults());
}
