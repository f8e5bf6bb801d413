//! Signing in to the workstation and the idle lock, through the same update
//! logic and worker as the terminal (tui::driver).

mod common;

use common::{PIN, demo_store, today};
use zhixing::tui::app::AppOptions;
use zhixing::tui::driver::Driver;

fn signing_in(login: Option<&str>) -> (tempfile::TempDir, Driver) {
    let (dir, store) = demo_store(80);
    let options = AppOptions {
        today: today(),
        keymap_file: None,
        monochrome: false,
        officer: login.map(str::to_string),
        signed_in_as: None,
    };
    (dir, Driver::with_options(store, &options))
}

fn audit_acts(d: &Driver) -> Vec<String> {
    common::column(
        d.store.conn(),
        "SELECT act FROM audit_log WHERE act LIKE 'sign%' ORDER BY seq",
    )
}

#[test]
fn nothing_of_the_store_shows_before_an_officer_signs_in() {
    let (_dir, mut d) = signing_in(None);
    let screen = d.screen(100, 30);
    assert!(
        screen.contains("Sign in with your login and PIN."),
        "{screen}"
    );
    assert!(!screen.contains("Filter:"), "{screen}");
    assert!(d.state.list.rows.is_empty(), "the list is not even loaded");
    assert!(
        screen.contains("the PIN 246810"),
        "the demo's hint: {screen}"
    );
    // Keys do nothing but type: "q" is a letter of the login here.
    d.type_text("dqemo");
    assert!(!d.state.quit);
    d.keys(&["backspace", "backspace", "backspace", "backspace"]);
    d.type_text("emo");
    assert_eq!(d.state.sign_in.as_ref().unwrap().login, "demo");
    d.keys(&["enter"]).type_text("111111").keys(&["enter"]);
    let screen = d.screen(100, 30);
    assert!(
        screen.contains("that login and PIN do not match an active officer"),
        "{screen}"
    );
    assert!(!screen.contains("111111"), "the PIN is never drawn");
    assert!(d.state.sign_in.as_ref().unwrap().pin.is_empty(), "nor kept");
    d.type_text(PIN).keys(&["enter"]);
    assert!(d.state.sign_in.is_none());
    let screen = d.screen(100, 30);
    assert!(
        screen.contains("陈明 (demo officer) (supervisor)"),
        "{screen}"
    );
    assert!(
        !d.state.list.rows.is_empty(),
        "the list loads after the sign-in"
    );
    assert_eq!(audit_acts(&d), ["sign-in-refused", "signed-in"]);
}

#[test]
fn an_unknown_login_gets_the_same_answer_as_a_wrong_pin() {
    let (_dir, mut d) = signing_in(Some("nobody"));
    d.type_text(PIN).keys(&["enter"]);
    let error = d.state.sign_in.as_ref().unwrap().error.clone().unwrap();
    assert_eq!(error, "that login and PIN do not match an active officer");
    assert!(audit_acts(&d).is_empty(), "no officer to record it against");
}

#[test]
fn the_idle_lock_hides_the_screen_and_the_same_officer_resumes_where_they_were() {
    let (_dir, mut d) = signing_in(Some("demo"));
    d.type_text(PIN).keys(&["enter"]);
    d.keys(&["/"])
        .type_text("shenguohua")
        .keys(&["enter", "enter"]);
    assert!(d.screen(100, 30).contains("沈国华"));
    d.idle();
    let screen = d.screen(100, 30);
    assert!(
        screen.contains("The screen locked after 10 minutes"),
        "{screen}"
    );
    assert!(!screen.contains("沈国华"), "{screen}");
    d.type_text(PIN).keys(&["enter"]);
    let screen = d.screen(100, 30);
    assert!(
        screen.contains("沈国华"),
        "back on the detail view: {screen}"
    );
}

#[test]
fn another_officer_unlocking_starts_from_the_list_under_their_own_name() {
    let (_dir, mut d) = signing_in(Some("demo"));
    d.type_text(PIN).keys(&["enter"]);
    d.keys(&["/"])
        .type_text("shenguohua")
        .keys(&["enter", "enter", "p"]);
    assert!(d.state.form.is_some() || d.state.overlay.is_some());
    d.idle();
    // Tab to the login, replace it, then the PIN.
    d.keys(&["tab", "ctrl-u"])
        .type_text("zhao")
        .keys(&["enter"])
        .type_text(PIN);
    d.keys(&["enter"]);
    assert!(d.state.form.is_none() && d.state.detail.is_none());
    let screen = d.screen(100, 30);
    assert!(screen.contains("赵书记员 (clerk)"), "{screen}");
    assert!(screen.contains("Filter:"), "{screen}");
}
