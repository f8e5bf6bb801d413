//! The real binary in a real terminal: tmux runs a shell, the test types
//! into it and reads the screen.

mod common;

use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

/// The shell line that runs the built binary on `db`, on the tests' day.
fn zhixing_line(db: &Path, args: &str) -> String {
    let line = format!(
        "{} --db {} --today 2026-11-27 {args}",
        common::bin().display(),
        db.display()
    );
    line.trim_end().to_string()
}

struct Tmux {
    socket: String,
}

impl Tmux {
    fn start(dir: &Path) -> Tmux {
        let socket = format!(
            "zhixing-e2e-{}-{}",
            std::process::id(),
            dir.file_name().unwrap().to_string_lossy()
        );
        let t = Tmux { socket };
        let ok = Command::new("tmux")
            .args([
                "-L",
                &t.socket,
                "-f",
                "/dev/null",
                "new-session",
                "-d",
                "-x",
                "100",
                "-y",
                "30",
            ])
            .args([
                "env",
                "PS1=READY$ ",
                "TERM=xterm-256color",
                "bash",
                "--norc",
                "--noprofile",
            ])
            .status()
            .expect("tmux must be installed (apt-get install tmux)");
        assert!(ok.success());
        t.wait_for("READY$", "the shell prompt");
        t
    }

    fn tmux(&self, args: &[&str]) -> String {
        let out = Command::new("tmux")
            .args(["-L", &self.socket])
            .args(args)
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn keys(&self, keys: &[&str]) {
        self.tmux(&[&["send-keys", "-t", "0"][..], keys].concat());
    }

    fn text(&self, text: &str) {
        self.tmux(&["send-keys", "-t", "0", "-l", text]);
    }

    fn screen(&self) -> String {
        self.tmux(&["capture-pane", "-p", "-t", "0"])
    }

    fn flag(&self, name: &str) -> String {
        self.tmux(&["display-message", "-p", "-t", "0", &format!("#{{{name}}}")])
            .trim()
            .to_string()
    }

    fn wait_for(&self, needle: &str, what: &str) -> String {
        self.wait_for_all(&[needle], what)
    }

    /// The screen once two captures in a row agree (a frame fully painted).
    fn settled(&self) -> String {
        let mut last = self.screen();
        loop {
            std::thread::sleep(Duration::from_millis(150));
            let now = self.screen();
            if now == last {
                return now;
            }
            last = now;
        }
    }

    /// Waits until every needle is on one capture: a capture can catch a
    /// frame half painted.
    fn wait_for_all(&self, needles: &[&str], what: &str) -> String {
        let needle = needles.join(" + ");
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if needles.iter().all(|n| screen.contains(n)) {
                return screen;
            }
            assert!(
                start.elapsed() < Duration::from_secs(60),
                "waited for {what} ({needle}); the screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    /// The terminal is back to normal: main screen, cursor shown, not raw.
    fn assert_restored(&self, dir: &Path, tag: &str) {
        // The prompt from before the program is still on screen: wait for
        // the shell to be the foreground process again.
        let start = Instant::now();
        while self.flag("pane_current_command") != "bash" {
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "{tag}: the program did not end"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        assert_eq!(
            self.flag("alternate_on"),
            "0",
            "{tag}: back on the main screen"
        );
        assert_eq!(self.flag("cursor_flag"), "1", "{tag}: cursor visible");
        let stty = dir.join(format!("stty-{tag}.txt"));
        self.text(&format!("clear; stty -a > {}", stty.display()));
        self.keys(&["Enter"]);
        let start = Instant::now();
        while !stty.exists() || std::fs::read_to_string(&stty).unwrap().is_empty() {
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "stty did not run"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
        let modes = std::fs::read_to_string(&stty).unwrap();
        let set: Vec<&str> = modes.split_whitespace().collect();
        for mode in ["icanon", "echo", "isig"] {
            assert!(
                set.contains(&mode),
                "{tag}: raw mode is off ({mode} set): {modes}"
            );
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .status();
    }
}

#[test]
fn an_officer_finds_a_debtor_sees_the_listing_and_quits_cleanly() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let t = Tmux::start(dir.path());
    t.text(&zhixing_line(&db, "demo --subjects 500"));
    t.keys(&["Enter"]);
    t.wait_for("Filter:", "the list");
    assert_eq!(t.flag("alternate_on"), "1");

    t.keys(&["/"]);
    t.text("shenguohua");
    t.wait_for_all(&["1 result", "沈国华", "LISTED"], "the search result");
    t.keys(&["Enter"]);
    t.keys(&["Enter"]);
    t.wait_for("Listings (1)", "the detail view");
    t.keys(&["Tab"]);
    t.wait_for_all(
        &["ground 1", "active", "（2024）浙0106执2077号之一"],
        "the listings tab",
    );

    t.keys(&["q"]);
    t.wait_for("Filter:", "back in the list");
    // Escape and q sent together read as alt-q, as in any terminal.
    t.keys(&["Escape"]);
    t.wait_for("press / and type", "the search cleared");
    t.keys(&["q"]);
    t.assert_restored(dir.path(), "quit");

    // Ctrl-C quits from anywhere, also while typing a search.
    let open = zhixing_line(&db, "");
    t.text(&open);
    t.keys(&["Enter"]);
    // Opened again (not by `demo`), the store asks who is there.
    let screen = t.wait_for("Sign in with your login and PIN", "the sign-in box");
    assert!(
        !screen.contains("沈国华"),
        "nothing of the store before sign-in: {screen}"
    );
    t.text("demo");
    t.keys(&["Enter"]);
    t.text("999999");
    t.keys(&["Enter"]);
    t.wait_for("that login and PIN do not match", "a wrong PIN refused");
    t.text("246810");
    t.keys(&["Enter"]);
    t.wait_for("Filter:", "the list again");
    t.keys(&["/"]);
    t.text("zh");
    t.keys(&["C-c"]);
    t.assert_restored(dir.path(), "ctrl-c");

    // Idle, the screen locks and shows nothing of the store; the PIN
    // unlocks it where the officer was.
    t.text(&format!("ZHIXING_IDLE_LOCK_SECS=2 {open} --officer demo"));
    t.keys(&["Enter"]);
    t.wait_for(
        "Sign in with your login and PIN",
        "the sign-in box, login given",
    );
    t.text("246810");
    t.keys(&["Enter"]);
    t.wait_for("Filter:", "the list a third time");
    t.keys(&["/"]);
    t.text("shenguohua");
    t.wait_for("1 result", "the search before the lock");
    t.wait_for("The screen locked after 10 minutes", "the lock");
    let screen = t.settled();
    assert!(
        !screen.contains("沈国华"),
        "the lock hides the store: {screen}"
    );
    t.text("246810");
    t.keys(&["Enter"]);
    t.wait_for("1 result", "back where the officer was");
    // SIGTERM from outside restores the terminal too.
    let killed = Command::new("pkill")
        .args(["-TERM", "-f", &format!("zhixing --db {}", db.display())])
        .status()
        .unwrap();
    assert!(killed.success());
    t.assert_restored(dir.path(), "sigterm");
}

#[test]
fn a_payment_that_completes_the_case_lifts_the_listing_in_a_real_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let t = Tmux::start(dir.path());
    t.text(&zhixing_line(&db, "demo --subjects 300"));
    t.keys(&["Enter"]);
    t.wait_for("Filter:", "the list");
    t.keys(&["/"]);
    t.text("shenguohua");
    t.wait_for("1 result", "the listed debtor");
    t.keys(&["Enter"]);
    t.keys(&["Enter"]);
    t.wait_for("remaining 275,000.00", "what is still owed");
    // p offers a payment or a reversal (he has paid before): take the payment.
    t.keys(&["p"]);
    t.wait_for("Choose the act", "the menu");
    t.keys(&["Enter"]);
    t.wait_for("Record a payment", "the payment form");
    t.keys(&["Tab"]);
    t.text("275,000");
    t.keys(&["Tab", "Tab", "Tab"]);
    t.text("ZJ-2026-0009");
    t.keys(&["Enter"]);
    // A capture can catch a frame half painted: wait for each part.
    t.wait_for("completes 沈国华's obligations", "the confirm view");
    t.wait_for("[x] lift the listings", "the offered lifting");
    t.wait_for(
        "Queue the lifting notice (call) to 13857110342",
        "the lifting notice in the confirm view",
    );
    t.keys(&["y"]);
    t.wait_for("Done: Record a payment", "the act written");
    t.keys(&["Tab"]);
    // "performed" is also the case's new status on the first tab: wait for
    // the listings tab's own word.
    t.wait_for_all(&["lifted", "performed"], "the listing lifted");
    t.keys(&["q"]);
    t.wait_for("Filter:", "the list");
    t.keys(&["Escape"]);
    t.wait_for("press / and type", "the search cleared");
    t.keys(&["N"]);
    t.wait_for_all(&["lifting", "13857110342"], "the lifting notices queued");
    t.keys(&["d"]);
    t.wait_for_all(&["Deadlines", "Due", "Subject"], "the deadlines queue");
    let screen = t.settled();
    assert!(
        !screen.contains("沈国华"),
        "no deletion clock left running: {screen}"
    );
    t.keys(&["q"]);
    t.wait_for("Filter:", "the list");
    t.keys(&["q"]);
    t.assert_restored(dir.path(), "after-acts");

    let conn = rusqlite::Connection::open(&db).unwrap();
    let one = |sql: &str| -> i64 { conn.query_row(sql, [], |r| r.get(0)).unwrap() };
    let of_shen = "(SELECT id FROM subject WHERE name = '沈国华')";
    assert_eq!(
        one(&format!(
            "SELECT count(*) FROM listing WHERE subject_id = {of_shen} AND status = 'lifted' AND lifted_reason = 'performed'"
        )),
        1
    );
    assert_eq!(
        one(&format!(
            "SELECT count(*) FROM restriction WHERE subject_id = {of_shen} AND status = 'active'"
        )),
        0
    );
    assert_eq!(
        one(&format!(
            "SELECT count(*) FROM notice WHERE subject_id = {of_shen} AND purpose = 'lifting' AND state = 'queued'"
        )),
        2,
        "the call message is withdrawn and the SMS channel told"
    );
    assert_eq!(
        one(&format!(
            "SELECT count(*) FROM audit_log a JOIN officer o ON o.id = a.officer_id
             WHERE a.act = 'record-payment' AND o.login = 'demo' AND a.subject_id = {of_shen}
               AND a.after_json LIKE '%ZJ-2026-0009%'"
        )),
        1,
        "one audit row names the officer and the payment"
    );
}

#[test]
fn a_panic_inside_the_tui_restores_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let t = Tmux::start(dir.path());
    t.text(&format!(
        "ZHIXING_PANIC_ON_KEY=F {}; echo EXITED=$?",
        zhixing_line(&db, "demo --subjects 100")
    ));
    t.keys(&["Enter"]);
    t.wait_for("Filter:", "the list");
    assert_eq!(t.flag("alternate_on"), "1");
    t.keys(&["F"]);
    // The prompt's READY$ is already on screen: wait for the exit itself.
    let screen = t.wait_for("EXITED=101", "the program to end with a panic");
    assert!(
        screen.contains("panic requested by ZHIXING_PANIC_ON_KEY"),
        "{screen}"
    );
    assert!(
        !screen.contains("Filter:"),
        "the message is on the main screen: {screen}"
    );
    t.assert_restored(dir.path(), "panic");
}

#[test]
fn a_new_stores_first_run_makes_its_admin_on_the_terminal() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("court.db");
    let t = Tmux::start(dir.path());
    let open = zhixing_line(&db, "");
    t.text(&open);
    t.keys(&["Enter"]);
    t.wait_for("this store has no officers yet", "the first-run question");
    t.wait_for("Admin's login", "the login prompt");
    t.text("admin");
    t.keys(&["Enter"]);
    t.wait_for("Admin's full name", "the name prompt");
    t.text("孙管理员");
    t.keys(&["Enter"]);
    t.wait_for("PIN for admin:", "the PIN prompt");
    t.text("246810");
    t.keys(&["Enter"]);
    let screen = t.wait_for("PIN for admin again:", "the PIN asked twice");
    assert!(
        !screen.contains("246810"),
        "the PIN is not echoed: {screen}"
    );
    t.text("246810");
    t.keys(&["Enter"]);
    // Signed in as the new admin, on the empty store's welcome.
    let screen = t.wait_for("This store is empty.", "the welcome screen");
    assert!(screen.contains("孙管理员 (admin)"), "{screen}");
    t.keys(&["q"]);
    t.assert_restored(dir.path(), "first-run");
    let conn = rusqlite::Connection::open(&db).unwrap();
    let (role, hash): (String, String) = conn
        .query_row(
            "SELECT role, pin_hash FROM officer WHERE login = 'admin'",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .unwrap();
    assert_eq!(role, "admin");
    assert!(hash.starts_with("$argon2id$"));
    // Opened again, the store asks who is there.
    t.text(&open);
    t.keys(&["Enter"]);
    t.wait_for("Sign in with your login and PIN", "the sign-in box");
    t.keys(&["C-c"]);
    t.assert_restored(dir.path(), "sign-in-quit");
}

#[test]
fn listings_whose_period_ended_are_lifted_after_the_first_frame() {
    let dir = tempfile::tempdir().unwrap();
    let db = common::court_store(dir.path(), "court.db");
    let caseload = dir.path().join("caseload.csv");
    let caseload = caseload.to_str().unwrap();
    let r = common::zhixing(&db, &["gen", "--subjects", "10000", "--out", caseload]);
    assert_eq!(r.code, 0, "{}", r.err);
    let r = common::zhixing(&db, &["import", caseload]);
    assert_eq!(r.code, 0, "{}", r.err);
    let ended_sql =
        "SELECT count(*) FROM listing WHERE status = 'active' AND expires_on <= '2026-11-27'";
    let ended = common::count(&db, ended_sql);
    assert!(ended > 100, "the caseload holds ended listings: {ended}");
    let t = Tmux::start(dir.path());
    t.text(&zhixing_line(&db, "--officer admin"));
    t.keys(&["Enter"]);
    t.wait_for("PIN", "the sign-in box");
    t.text(common::PIN);
    t.keys(&["Enter"]);
    // The list is on screen while the listings are lifted behind it.
    t.wait_for_all(
        &["Filter:", "lifting ended listings:"],
        "the list, with the lifting under way",
    );
    t.wait_for(
        &format!(
            "{} whose period ended {} lifted",
            zhixing::words::count(ended, "listing"),
            zhixing::words::was(ended)
        ),
        "the end of the lifting",
    );
    t.keys(&["q"]);
    t.assert_restored(dir.path(), "expiry");
    assert_eq!(common::count(&db, ended_sql), 0);
}
