//! The queues' titles at scale: a queue reads at most QUEUE_LIMIT rows,
//! and a full one must not give its rows as the total.

mod common;

use common::{demo_store, today};
use zhixing::store::queues::{DEADLINE_KINDS, QUEUE_LIMIT};
use zhixing::tui::driver::Driver;
use zhixing::tui::state::Screen;

fn title(d: &Driver) -> String {
    let screen = d.screen(140, 40);
    screen.lines().nth(1).unwrap_or_default().trim().to_string()
}

#[test]
fn a_full_queue_says_more_are_waiting_beyond_what_it_shows() {
    let (_dir, store) = demo_store(60);
    let mut d = Driver::new(store, today());
    d.keys(&["d"]);
    assert_eq!(d.state.screen, Screen::Deadlines);
    let first = d.state.queue.deadlines[0].clone();
    assert!(first.overdue, "the demo's soonest deadline is overdue");
    d.state.queue.deadlines = vec![first.clone(); QUEUE_LIMIT - 1];
    assert_eq!(
        title(&d),
        "Deadlines kind: all  · 499 running, 499 overdue, 0 due today · soonest first"
    );
    d.state.queue.deadlines.push(first);
    assert_eq!(
        title(&d),
        "Deadlines kind: all  · 500+ running; of the soonest 500 shown, 500 overdue, 0 due today"
    );

    d.keys(&["N"]);
    assert_eq!(d.state.screen, Screen::Notices);
    let notice = d.state.queue.notices[0].clone();
    d.state.queue.notices = vec![notice; QUEUE_LIMIT];
    assert!(
        title(&d).ends_with("· the newest 500 shown; more match"),
        "{}",
        title(&d)
    );
    d.state.queue.notices.pop();
    assert!(
        title(&d).ends_with("· 499 shown, newest first"),
        "{}",
        title(&d)
    );
}

#[test]
fn the_deadlines_narrow_to_one_kind_of_clock_and_back_to_all() {
    let (_dir, store) = demo_store(60);
    let mut d = Driver::new(store, today());
    d.keys(&["d"]);
    let all = d.state.queue.deadlines.clone();
    let of = |kind: &str| -> Vec<_> { all.iter().filter(|r| r.kind == kind).cloned().collect() };
    assert!(
        of("objection-decision").len() > 1,
        "the demo has objections to decide"
    );
    assert!(
        of("deletion-after-performance").len() > 1,
        "and listings to delete"
    );
    d.keys(&["f"]);
    assert_eq!(d.state.queue.deadlines, of("objection-decision"));
    assert!(
        title(&d).starts_with("Deadlines kind: decide objection  · "),
        "{}",
        title(&d)
    );
    for _ in 1..DEADLINE_KINDS.len() {
        d.keys(&["f"]);
        let kind = d.state.queue.deadline_kind.expect("a kind");
        assert_eq!(d.state.queue.deadlines, of(kind), "{kind}");
    }
    d.keys(&["f"]);
    assert_eq!(d.state.queue.deadline_kind, None);
    assert_eq!(d.state.queue.deadlines, all);
}
