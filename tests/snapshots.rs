//! Snapshots of every view at 80x24 and 120x40, drawn by the real view code
//! from states reached through the real update and store.

mod common;

use common::{demo_store, today};
use ratatui::style::Color;
use zhixing::store::Store;
use zhixing::tui::driver::{Driver, tour};

const SIZES: [(u16, u16); 2] = [(80, 24), (120, 40)];

fn snap(d: &Driver, name: &str) {
    for (w, h) in SIZES {
        insta::assert_snapshot!(format!("{name}-{w}x{h}"), d.screen(w, h));
    }
}

#[test]
fn every_view_on_the_tour() {
    let (_dir, store) = demo_store(300);
    let mut d = Driver::new(store, today());
    let mut names = Vec::new();
    tour(&mut d, |name, d| {
        snap(d, name);
        names.push(name.to_string());
        let screen = d.screen(120, 40);
        // Each stop shows what it is named for, not an empty search.
        let expect = match name {
            "detail-objection-pending" => "information-wrong",
            "detail-listings" => "ground 1",
            "search-han" | "search-phone" => "沈国华",
            "search-pinyin-initials" => "韦国强",
            "search-no-match" => "No subject matches",
            "confirm-payment" => "49,000.00 yuan then remain",
            "confirm-reversal" => "receipt issued twice",
            "confirm-list" => "Restrict 郭建伟 (legal-representative)",
            "confirm-lift-item" => "Close restriction order",
            "confirm-expense" => "owner's surgery",
            "refused-objection" => "already pending",
            "confirm-reconsideration" => "at 郑州市中级人民法院",
            "confirm-lift" => "Lift 9 restriction items on 郭建伟",
            "confirm-order" => "Record restriction order",
            "confirm-decision" => "reconsideration until",
            "confirm-notice" => "登封市人民法院列为失信被执行人",
            "confirm-cancel-notices" => "Cancel 32 queued call-message notices",
            "form-reversal" => "DF-2026-0001",
            "form-lift-item" => "Lift a restriction item",
            "form-reconsideration" => "Rejection",
            "queue-deadlines" => "Deadlines",
            "queue-notices" => "state: queued",
            "help" => "Keys: up/down scroll",
            "detail-revealed" => "Full ID number shown; the reveal is recorded",
            "queue-approvals" => "陈明 (demo",
            "refused-own-approval" => "a second officer must decide this request",
            "lock-screen" => "The screen locked",
            "form-reject" => "Reject a request",
            "confirm-approve" => "Mark the request approved (asked by 陈明",
            "done-approve" => "Done: Approve: Lift the listing",
            "sync-state" => "No file was exchanged with another office yet",
            _ => "",
        };
        assert!(
            screen.contains(expect),
            "{name} should show {expect}:\n{screen}"
        );
    });
    assert_eq!(names.len(), 51, "{names:?}");
}

#[test]
fn welcome_and_small_terminals() {
    let (_dir, store) = demo_store(30);
    let d = Driver::new(store, today());
    insta::assert_snapshot!("too-small-50x12", d.screen(50, 12));

    let dir = tempfile::tempdir().unwrap();
    let mut empty = Store::open(&dir.path().join("new.db")).unwrap();
    let admin = zhixing::store::officers::NewOfficer {
        login: "admin",
        name: "孙管理员",
        role: zhixing::domain::roles::Role::Admin,
        pin: common::PIN,
    };
    empty
        .create_first_admin(&admin, "2026-11-27T09:00:00+08:00")
        .unwrap();
    let options = zhixing::tui::app::AppOptions::signed_in("admin", today());
    let d = Driver::with_options(empty, &options);
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

#[test]
fn sign_in_and_lock() {
    let (_dir, store) = demo_store(30);
    let options = zhixing::tui::app::AppOptions {
        today: today(),
        keymap_file: None,
        monochrome: false,
        officer: None,
        signed_in_as: None,
    };
    let mut d = Driver::with_options(store, &options);
    d.type_text("demo").keys(&["enter"]).type_text("2468");
    insta::assert_snapshot!("sign-in-80x24", d.screen(80, 24));
    d.type_text("10").keys(&["enter"]).idle();
    insta::assert_snapshot!("locked-80x24", d.screen(80, 24));
}
