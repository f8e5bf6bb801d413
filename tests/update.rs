//! Update tests: key sequences through the real update and worker code over
//! a seeded store.

mod common;

use common::{demo_store, today};
use zhixing::store::Filter;
use zhixing::tui::driver::Driver;
use zhixing::tui::state::{Overlay, Screen, Tab};
use zhixing::tui::update::{Msg, update};
use zhixing::tui::worker::{Reply, Request, execute};

fn driver(subjects: usize) -> (tempfile::TempDir, Driver) {
    let (dir, store) = demo_store(subjects);
    (dir, Driver::new(store, today()))
}

#[test]
fn typing_a_search_ranks_the_debtor_first_and_enter_opens_them() {
    let (_dir, mut d) = driver(300);
    d.keys(&["/"]).type_text("shen guo");
    assert!(d.state.list.typing);
    assert_eq!(d.state.list.rows[0].row.name, "沈国华");
    d.keys(&["enter", "enter"]);
    assert_eq!(d.state.screen, Screen::Detail);
    let detail = d.state.detail.as_ref().unwrap().data.as_ref().unwrap();
    assert_eq!(detail.listings[0].status, "active");
    d.keys(&["tab"]);
    assert_eq!(d.state.detail.as_ref().unwrap().tab, Tab::Listings);
    d.keys(&["shift-tab", "shift-tab"]);
    assert_eq!(d.state.detail.as_ref().unwrap().tab, Tab::History);
    d.keys(&["q"]);
    assert_eq!(d.state.screen, Screen::List);
    assert!(!d.state.quit);
}

#[test]
fn backspace_and_escape_edit_and_clear_the_search() {
    let (_dir, mut d) = driver(200);
    let browsing = d.state.list.rows.len();
    d.keys(&["/"]).type_text("wgqx");
    assert!(d.state.list.rows.is_empty(), "nothing matches wgqx");
    d.keys(&["backspace"]);
    assert_eq!(d.state.list.query, "wgq");
    assert_eq!(d.state.list.rows[0].row.name, "韦国强");
    d.keys(&["esc"]);
    assert!(d.state.list.query.is_empty() && !d.state.list.typing);
    assert_eq!(d.state.list.rows.len(), browsing);
}

#[test]
fn q_types_into_the_search_and_quits_from_the_list() {
    let (_dir, mut d) = driver(50);
    d.keys(&["/", "q"]);
    assert_eq!(d.state.list.query, "q");
    assert!(!d.state.quit);
    d.keys(&["esc", "q"]);
    assert!(d.state.quit);
}

#[test]
fn filters_show_only_matching_subjects() {
    let (_dir, mut d) = driver(400);
    d.keys(&["f"]);
    assert_eq!(d.state.list.filter, Filter::Listed);
    assert!(!d.state.list.rows.is_empty());
    assert!(d.state.list.rows.iter().all(|r| r.row.status.listed));
    d.keys(&["f", "f"]);
    assert_eq!(d.state.list.filter, Filter::ObjectionPending);
    assert!(
        d.state
            .list
            .rows
            .iter()
            .all(|r| r.row.status.objection_pending)
    );
    d.keys(&["f"]);
    assert!(
        d.state
            .list
            .rows
            .iter()
            .all(|r| r.row.status.deadline_running)
    );
    // A filter also applies to search results.
    d.keys(&["f", "f", "/"]).type_text("wgq");
    assert!(d.state.list.rows.iter().all(|r| r.row.status.listed));
    assert!(
        d.state.list.rows.iter().all(|r| r.row.name != "韦国强"),
        "lifted, so not listed"
    );
}

#[test]
fn browsing_pages_through_the_whole_store_by_key() {
    let (_dir, mut d) = driver(450);
    let total = d.store.subject_count().unwrap() as usize;
    assert_eq!(d.state.list.count, Some(total as i64));
    let mut seen = std::collections::BTreeSet::new();
    for _ in 0..total + 5 {
        seen.insert(d.state.list.selected_row().unwrap().row.id);
        d.keys(&["j"]);
    }
    assert_eq!(
        seen.len(),
        total,
        "every subject reached with j, pages fetched near the edge"
    );
    d.keys(&["g"]);
    assert_eq!(d.state.list.selected, 0);
    let first = d.state.list.rows[0].row.id;
    d.keys(&["G"]);
    let last = d.state.list.selected_row().unwrap().row.id;
    assert!(last > first);
    assert_eq!(last, *seen.iter().max().unwrap());
}

#[test]
fn stale_search_replies_are_dropped() {
    let (_dir, mut d) = driver(100);
    let old = Request::Search {
        generation: d.state.list.generation,
        query: "zhang".into(),
        filter: Filter::All,
    };
    let stale = execute(&mut d.store, &old, today());
    d.keys(&["/"]).type_text("wgq");
    let before = d.state.list.rows.clone();
    update(&mut d.state, Msg::Reply(stale));
    assert_eq!(
        d.state.list.rows, before,
        "an answer to an older query never replaces a newer one"
    );
    assert!(matches!(
        execute(&mut d.store, &Request::Detail { subject_id: -1 }, today()),
        Reply::Detail { detail: None, .. }
    ));
}

#[test]
fn an_act_with_nothing_to_act_on_says_why_and_help_opens_and_closes() {
    let (_dir, mut d) = driver(50);
    // 韦国强 performed and his listing was lifted: nothing to lift.
    d.keys(&["/"])
        .type_text("韦国强")
        .keys(&["enter", "enter", "l"]);
    assert!(
        matches!(&d.state.overlay, Some(Overlay::Message { title, body })
            if title == "Nothing to act on" && body.contains("no active listing")),
        "{:?}",
        d.state.overlay
    );
    d.keys(&["esc"]);
    assert!(d.state.overlay.is_none());
    assert_eq!(
        d.state.screen,
        Screen::Detail,
        "esc closed only the message"
    );
    d.keys(&["?"]);
    assert_eq!(d.state.overlay, Some(Overlay::Help));
    d.keys(&["j", "j"]);
    assert_eq!(d.state.help_scroll, 2);
    d.keys(&["?"]);
    assert!(d.state.overlay.is_none());
    d.keys(&["ctrl-c"]);
    assert!(d.state.quit);
}

#[test]
fn keymap_errors_show_on_screen_until_closed_and_the_defaults_run() {
    use zhixing::tui::app::{AppOptions, initial_state};
    use zhixing::tui::keymap::{Chord, Keymap};
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("keymap.toml");
    std::fs::write(&file, "[list]\n\"j\" = \"fly\"\n").unwrap();
    let (keymap, errors) = Keymap::with_user_file(Some(&file));
    let (_store_dir, store) = demo_store(20);
    let options = AppOptions::signed_in("demo", today());
    let state = initial_state(&store, keymap, &errors, &options).unwrap();
    let mut driver = Driver { store, state };
    let screen = driver.screen(100, 30);
    assert!(screen.contains("Your keymap has errors"), "{screen}");
    assert!(
        screen.contains("[list] \"j\": unknown action \"fly\""),
        "{screen}"
    );
    update(&mut driver.state, Msg::Key(Chord::parse("esc").unwrap()));
    assert!(driver.state.overlay.is_none(), "esc closes the note");
    assert!(!driver.screen(100, 30).contains("Your keymap has errors"));
    assert_eq!(driver.state.keymap, Keymap::defaults());
}

#[test]
fn a_failed_request_is_shown_on_the_footer_until_the_next_key() {
    let (_dir, mut d) = driver(20);
    let failed = Reply::Failed {
        what: "reading the list".into(),
        message: "disk I/O error".into(),
    };
    update(&mut d.state, Msg::Reply(failed));
    assert!(
        d.screen(80, 24)
            .contains("Failed reading the list: disk I/O error")
    );
    d.keys(&["j"]);
    assert!(d.state.error.is_none());
    assert!(!d.screen(80, 24).contains("Failed reading"));
}

#[test]
fn a_write_that_fails_shows_its_whole_reason() {
    let (_dir, mut d) = driver(20);
    let why = "disk I/O error while writing the payment row of obligation 1204 (the store's disk may be full)";
    let failure = zhixing::tui::worker::ActFailure::Failed(why.into());
    update(&mut d.state, Msg::Reply(Reply::Applied(Err(failure))));
    let screen = d.screen(80, 24);
    assert!(screen.contains("The act was not written"), "{screen}");
    // The footer cuts it; the message shows it whole, wrapped in its box.
    for part in [
        "disk I/O error while writing the payment row of obligation 1204 (the",
        // Its left border stands, though a Han name behind it reaches
        // into that column.
        "│store's disk may be full)",
    ] {
        assert!(screen.contains(part), "{part:?} not on {screen}");
    }
    d.keys(&["esc"]);
    assert!(d.state.overlay.is_none());
}

/// A count runs on a thread and connection of its own: while one is held
/// (its reply not yet taken), the page asked for after it is answered.
/// Counted on the store's thread, the page would wait for the count.
#[test]
fn a_count_in_progress_holds_up_no_page() {
    use std::sync::Mutex;
    use std::sync::mpsc::channel;
    use std::time::Duration;
    use zhixing::store::read::PageAt;
    let (_dir, store) = demo_store(200);
    let expected = store.count_filtered(Filter::All, today()).unwrap();
    let (seen, replies) = channel();
    let (release, held) = channel::<()>();
    let held = Mutex::new(held);
    let requests = zhixing::tui::worker::spawn(store, today(), move |reply| {
        if matches!(reply, Reply::Count { .. }) {
            let _ = held.lock().unwrap().recv_timeout(Duration::from_secs(10));
        }
        seen.send(reply).is_ok()
    });
    let count = Request::Count {
        generation: 1,
        filter: Filter::All,
    };
    requests.send(count).unwrap();
    // The count is taken up on its own, and held in its delivery.
    std::thread::sleep(Duration::from_millis(200));
    let page = Request::Page {
        generation: 1,
        filter: Filter::All,
        at: PageAt::First,
    };
    requests.send(page).unwrap();
    let first = replies.recv_timeout(Duration::from_secs(5));
    assert!(
        matches!(first, Ok(Reply::Page { ref rows, .. }) if !rows.is_empty()),
        "the page waited for the count: {first:?}"
    );
    release.send(()).unwrap();
    match replies.recv_timeout(Duration::from_secs(5)) {
        Ok(Reply::Count { count, .. }) => assert_eq!(count, expected),
        other => panic!("no count: {other:?}"),
    }
}
