//! Snapshots of every view at 80x24 and 120x40, drawn by the real view code
//! from states reached through the real update and store.

mod common;

use common::{demo_store, today};
use ratatui::style::Color;
use zhixing::store::Store;
use zhixing::tui::driver::Driver;

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

fn snap(d: &Driver, name: &str) {
    for (w, h) in SIZES {
        insta::assert_snapshot!(format!("{name}-{w}x{h}"), d.screen(w, h));
    }
}

#[test]
fn list_views() {
    let (_dir, store) = demo_store(300);
    let mut d = Driver::new(store, today());
    snap(&d, "list");
    d.keys(&["f"]);
    snap(&d, "list-filter-listed");
    d.keys(&["f", "f", "f", "f", "/"]).type_text("沈国");
    snap(&d, "search-han");
    d.keys(&["esc", "/"]).type_text("wgq");
    snap(&d, "search-pinyin-initials");
    d.keys(&["esc", "/"]).type_text("13857110342");
    snap(&d, "search-phone");
    d.keys(&["esc", "/"]).type_text("nothing-like-this");
    snap(&d, "search-no-match");
}

#[test]
fn detail_views() {
    let (_dir, store) = demo_store(100);
    let mut d = Driver::new(store, today());
    d.keys(&["/"]).type_text("鲁宏业").keys(&["enter", "enter"]);
    for tab in [
        "cases",
        "listings",
        "restrictions",
        "objections",
        "notices",
        "history",
    ] {
        snap(&d, &format!("detail-{tab}"));
        d.keys(&["tab"]);
    }
    d.keys(&["q", "/"])
        .type_text("嵩阳生态")
        .keys(&["enter", "enter", "tab", "tab", "tab"]);
    snap(&d, "detail-objection-pending");
}

#[test]
fn overlays_welcome_and_small_terminals() {
    let (_dir, store) = demo_store(30);
    let mut d = Driver::new(store, today());
    d.keys(&["?"]);
    snap(&d, "help");
    d.keys(&["esc", "enter", "b"]);
    snap(&d, "not-yet-available");
    insta::assert_snapshot!("too-small-50x12", d.screen(50, 12));

    let dir = tempfile::tempdir().unwrap();
    let empty = Store::open(&dir.path().join("new.db")).unwrap();
    let d = Driver::new(empty, today());
    let screen = d.screen(80, 24);
    assert!(screen.contains("This store is empty."));
    insta::assert_snapshot!(
        "welcome-80x24",
        screen.replace(&dir.path().display().to_string(), "<tmp>")
    );
}

#[test]
fn no_color_draws_without_colours() {
    let (_dir, store) = demo_store(50);
    let mut d = Driver::new(store, today());
    d.state.monochrome = true;
    d.keys(&["/"]).type_text("wgq");
    for buffer in [d.render(80, 24), d.render(120, 40)] {
        for cell in buffer.content() {
            assert_eq!(
                (cell.fg, cell.bg),
                (Color::Reset, Color::Reset),
                "NO_COLOR screen uses no colour"
            );
        }
    }
}

#[test]
fn double_width_names_keep_columns_aligned() {
    let (_dir, store) = demo_store(200);
    let d = Driver::new(store, today());
    let screen = d.screen(120, 40);
    // The ID column starts at the same display column on every row.
    let columns: Vec<usize> = screen
        .lines()
        .filter(|l| l.contains("****"))
        .map(|l| {
            let before = &l[..l.find("****").unwrap()];
            unicode_width::UnicodeWidthStr::width(before)
        })
        .collect();
    assert!(columns.len() > 20);
    assert!(columns.windows(2).all(|w| w[0] == w[1]), "{columns:?}");
}
