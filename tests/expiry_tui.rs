//! Listings whose period ended are lifted by the TUI after its first
//! frame, a few per request to the worker, between the officer's own
//! requests: after a caseload is imported a store may hold hundreds of
//! thousands of them, and lifting them all before the first frame kept
//! the screen blank for minutes at ten million subjects.

mod common;

use chrono::NaiveDate;
use common::demo_store;
use zhixing::tui::app::{AppOptions, initial_state};
use zhixing::tui::driver::Driver;
use zhixing::tui::keymap::Keymap;
use zhixing::tui::update::{Msg, start, update};
use zhixing::tui::worker::{Reply, Request};

/// Two years after the demo's day: many of its fixed periods have ended.
fn later() -> NaiveDate {
    NaiveDate::from_ymd_opt(2028, 12, 31).unwrap()
}

#[test]
fn the_first_page_is_asked_for_before_any_listing_is_lifted() {
    let (_dir, store) = demo_store(100);
    let options = AppOptions::signed_in("demo", later());
    let mut state = initial_state(&store, Keymap::defaults(), &[], &options).unwrap();
    let asked = start(&mut state);
    // The worker answers in order: the page (and its count) come first.
    assert!(
        matches!(asked.first(), Some(Request::Page { .. })),
        "{asked:?}"
    );
    assert!(
        matches!(asked.last(), Some(Request::ExpireSome)),
        "{asked:?}"
    );
    assert!(state.expiry.running);

    // While more remain, each answer asks for the next few; a second start
    // (another officer unlocking) does not start a second sweep.
    let next = update(&mut state, Msg::Reply(Reply::Expired(Ok((4, true)))));
    assert!(matches!(next.as_slice(), [Request::ExpireSome]), "{next:?}");
    assert!(
        !start(&mut state)
            .iter()
            .any(|r| matches!(r, Request::ExpireSome))
    );
    let done = update(&mut state, Msg::Reply(Reply::Expired(Ok((3, false)))));
    assert!(!state.expiry.running);
    assert_eq!(state.expiry.lifted, 7);
    assert!(!done.iter().any(|r| matches!(r, Request::ExpireSome)));

    // A failure stops the sweep and says why.
    state.expiry.running = true;
    update(
        &mut state,
        Msg::Reply(Reply::Expired(Err("disk full".into()))),
    );
    assert!(!state.expiry.running);
    let error = state.error.clone().unwrap_or_default();
    assert!(error.contains("disk full"), "{error}");
}

#[test]
fn the_tui_lifts_every_ended_listing_and_says_how_many() {
    let (_dir, store) = demo_store(300);
    let ended = store.ended_listings(later()).unwrap();
    assert!(
        ended.len() > 16,
        "more than one request's worth: {}",
        ended.len()
    );
    let period_ended = |store: &zhixing::store::Store| -> i64 {
        store
            .conn()
            .query_row(
                "SELECT count(*) FROM listing WHERE lifted_reason = 'period-ended'",
                [],
                |r| r.get(0),
            )
            .unwrap()
    };
    let before = period_ended(&store);
    let d = Driver::new(store, later());
    assert!(!d.state.expiry.running);
    assert_eq!(d.state.expiry.lifted, ended.len());
    assert!(d.store.ended_listings(later()).unwrap().is_empty());
    let lifted = period_ended(&d.store) - before;
    assert_eq!(lifted as usize, ended.len(), "one lifting per listing");
    let status = d.state.status.clone().unwrap_or_default();
    assert!(
        status.contains(&format!(
            "{} whose period ended {} lifted",
            zhixing::words::count(ended.len(), "listing"),
            zhixing::words::was(ended.len())
        )),
        "{status}"
    );
    assert!(d.screen(120, 40).contains("whose period ended were lifted"));
    // The page on screen shows the subjects as they now stand.
    for row in &d.state.list.rows {
        let fresh = d.store.subject_row(row.row.id, later()).unwrap().unwrap();
        assert_eq!(row.row.status, fresh.status, "subject {}", row.row.id);
    }
}

#[test]
fn the_header_counts_the_lifting_even_on_a_narrow_terminal() {
    let (_dir, store) = demo_store(30);
    let mut d = Driver::new(store, common::today());
    // The demo's store label is short; a court's path often is not.
    d.state.store_label = "/srv/courts/dengfeng/enforcement/zhixing-store.db".into();
    d.state.expiry.running = true;
    d.state.expiry.lifted = 1_234;
    for (width, height) in [(80, 24), (120, 40)] {
        let screen = d.screen(width, height);
        let header = screen.lines().next().unwrap_or_default();
        assert!(
            header.ends_with("lifting ended listings: 1234"),
            "{width}x{height}: {header}"
        );
        assert!(header.starts_with(" 执行 zhixing"), "{header}");
        // What it covers is cut where it begins, and says so.
        if width == 80 {
            assert!(
                header.contains("/srv/courts/dengfeng/enforcement/z… lifting ended"),
                "{header}"
            );
        }
    }
    d.state.expiry.running = false;
    let header = d
        .screen(80, 24)
        .lines()
        .next()
        .unwrap_or_default()
        .to_string();
    assert!(!header.contains("lifting"), "{header}");
}
