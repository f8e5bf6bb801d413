//! Frame render of every view: `cargo bench --bench render`.
//!
//! Takes the snapshot tests' tour of the demo store (tui::driver::tour:
//! every view an officer meets, its forms and confirm views included) and
//! at each stop times full repaints of that state at three terminal sizes:
//! the view code drawing into the frame, the diff against the screen
//! before, and the cells written to the (test) backend. Each repaint
//! starts from a cleared screen, so every cell is compared and written, as
//! after a resize or a change of view: the most a frame costs.
//!
//! The reference, measured in the same run: a full repaint with no view
//! code, every cell given one style (the terminal's own work for a frame).
//!
//! ZHIXING_BENCH_STORE names a store (such as the search benchmark's ten
//! million subjects) whose list, filtered list, search results and detail
//! are timed the same way, as its admin. A view draws only from the state
//! (the store is read by the worker, off the draw path), so what a frame
//! costs depends on what it shows, not on the store's size.
//!
//! Run as a test (`cargo test --all-targets`) it only checks, on a small
//! demo store, that every stop of the tour draws.

mod common;

use common::{ms, quantile, today};
use ratatui::backend::TestBackend;
use ratatui::style::{Color, Style};
use ratatui::widgets::Block;
use ratatui::{Frame, Terminal};
use std::time::Instant;
use zhixing::demo::{DemoOptions, generate};
use zhixing::store::{Filter, Store};
use zhixing::tui::app::AppOptions;
use zhixing::tui::driver::{Driver, tour};
use zhixing::tui::views;

/// A small terminal, a common one, and a large window on a wide screen.
const SIZES: [(u16, u16); 3] = [(80, 24), (120, 40), (240, 70)];

/// targets.md: a frame of any view in at most 2 ms.
const TARGET_MS: f64 = 2.0;

/// Full repaints of what `draw` draws, `samples` times, in milliseconds,
/// sorted.
fn repaints(size: (u16, u16), samples: usize, draw: impl Fn(&mut Frame)) -> Vec<f64> {
    let mut terminal = Terminal::new(TestBackend::new(size.0, size.1)).expect("terminal");
    let mut out = Vec::with_capacity(samples);
    for _ in 0..samples {
        // The screen before is blank: every cell is compared and written.
        terminal.clear().expect("clear");
        let started = Instant::now();
        terminal.draw(|f| draw(f)).expect("frame");
        out.push(ms(started.elapsed()));
    }
    out.sort_by(f64::total_cmp);
    out
}

/// One row of the table: the median, 99th percentile and slowest.
struct Timed {
    stop: String,
    size: (u16, u16),
    sorted: Vec<f64>,
}

impl Timed {
    fn print(&self, reference: f64) {
        let p50 = quantile(&self.sorted, 0.5);
        println!(
            "{:<32} {:>7} {:>8.3} {:>8.3} {:>8.3} {:>7.1}",
            self.stop,
            format!("{}x{}", self.size.0, self.size.1),
            p50,
            quantile(&self.sorted, 0.99),
            quantile(&self.sorted, 1.0),
            p50 / reference
        );
    }
}

/// Times the current state of `d` at every size, as `stop`.
fn time_stop(d: &Driver, stop: &str, samples: usize, timed: &mut Vec<Timed>) {
    for size in SIZES {
        let sorted = repaints(size, samples, |f| views::draw(f, &d.state));
        timed.push(Timed {
            stop: stop.to_string(),
            size,
            sorted,
        });
    }
}

fn demo_driver(subjects: usize) -> (tempfile::TempDir, Driver) {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut store = Store::open(&dir.path().join("demo.db")).expect("store");
    let options = DemoOptions {
        subjects,
        seed: 1,
        as_of: today(),
    };
    generate(&mut store, options).expect("demo");
    (dir, Driver::new(store, today()))
}

/// The list, the restricted subjects, a search and the first result's
/// detail of the store at `path`, as its admin.
fn time_store(path: &str, samples: usize, timed: &mut Vec<Timed>) {
    let store = Store::open(std::path::Path::new(path)).expect("open ZHIXING_BENCH_STORE");
    let options = AppOptions::signed_in("admin", today());
    let mut d = Driver::with_options(store, &options);
    assert!(!d.state.list.rows.is_empty(), "the store's list is empty");
    time_stop(&d, "store: list", samples, timed);
    d.keys(&["f", "f"]);
    assert_eq!(d.state.list.filter, Filter::Restricted);
    time_stop(&d, "store: list, restricted", samples, timed);
    d.keys(&["f", "f", "f", "/"]).type_text("张伟");
    assert!(d.screen(120, 40).contains("张伟"), "no result for 张伟");
    time_stop(&d, "store: search, 2 Han characters", samples, timed);
    d.keys(&["enter", "enter"]);
    assert!(
        d.state.detail.is_some(),
        "the first result's detail did not open"
    );
    time_stop(&d, "store: first result's detail", samples, timed);
}

fn main() {
    let bench = common::benching();
    let samples = if bench { 200 } else { 2 };
    let (_dir, mut d) = demo_driver(if bench { 5_000 } else { 300 });
    let mut timed = Vec::new();
    let mut stops = 0;
    tour(&mut d, |stop, d| {
        time_stop(d, stop, samples, &mut timed);
        stops += 1;
    });
    // The tour's length is pinned by the snapshot tests; a short walk
    // here would time fewer views than it claims.
    assert_eq!(stops, 51, "the tour's stops");
    if let Ok(path) = std::env::var("ZHIXING_BENCH_STORE") {
        time_store(&path, samples, &mut timed);
    }
    let fill = |f: &mut Frame| {
        f.render_widget(Block::new().style(Style::new().bg(Color::Blue)), f.area());
    };
    println!("frame render, full repaints, {samples} per view and size, milliseconds:");
    println!(
        "{:<32} {:>7} {:>8} {:>8} {:>8} {:>7}",
        "view", "size", "p50", "p99", "max", "/ ref"
    );
    let mut references = Vec::new();
    for size in SIZES {
        let sorted = repaints(size, samples, fill);
        references.push(quantile(&sorted, 0.5));
        let reference = Timed {
            stop: "reference: every cell styled".into(),
            size,
            sorted,
        };
        reference.print(quantile(&reference.sorted, 0.5));
    }
    for t in &timed {
        let i = SIZES.iter().position(|s| *s == t.size).unwrap_or(0);
        t.print(references[i]);
    }
    summarise(&timed);
}

/// The slowest median and 99th percentile over every view and size.
fn summarise(timed: &[Timed]) {
    let slowest = |q: f64| {
        timed
            .iter()
            .map(|t| (quantile(&t.sorted, q), t))
            .max_by(|a, b| a.0.total_cmp(&b.0))
            .map(|(v, t)| format!("{v:.3} ms ({}, {}x{})", t.stop, t.size.0, t.size.1))
            .unwrap_or_default()
    };
    println!(
        "{} views and sizes; slowest median {}; slowest p99 {}; target {TARGET_MS} ms",
        timed.len(),
        slowest(0.5),
        slowest(0.99)
    );
}
