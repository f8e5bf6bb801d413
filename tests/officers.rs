//! Officers from the command line: a new store's first admin, officers
//! managed by admins only, PINs kept as argon2 hashes, writing commands
//! refused without an officer or beyond the officer's role.

mod common;

use common::{PIN, count, court_store, zhixing, zhixing_as};
use std::path::Path;

fn pin_file(dir: &Path, name: &str, pin: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, format!("{pin}\n")).unwrap();
    path.to_str().unwrap().to_string()
}

fn add(db: &Path, by: &str, login: &str, role: &str, pin: &str) -> common::Run {
    let dir = db.parent().unwrap();
    let file = pin_file(dir, &format!("{login}.pin"), pin);
    zhixing_as(
        Some(by),
        db,
        &[
            "officer",
            "add",
            login,
            "--name",
            "测试",
            "--role",
            role,
            "--pin-file",
            &file,
        ],
    )
}

#[test]
fn init_makes_a_store_with_its_first_admin_and_never_touches_an_existing_file() {
    let dir = tempfile::tempdir().unwrap();
    let db = court_store(dir.path(), "court.db");
    let r = zhixing(&db, &["officer", "list"]);
    assert_eq!(r.out.trim(), "admin\t孙管理员\tadmin\tactive", "{}", r.err);
    let before = std::fs::read(&db).unwrap();
    let file = pin_file(dir.path(), "p", PIN);
    let again = zhixing(&db, &["init", "--name", "x", "--pin-file", &file]);
    assert_eq!(again.code, 2);
    assert!(
        again.err.contains("a file is already there"),
        "{}",
        again.err
    );
    assert_eq!(std::fs::read(&db).unwrap(), before);
    // A weak PIN is refused and leaves no half-made store behind.
    let weak = dir.path().join("weak.db");
    let file = pin_file(dir.path(), "weak.pin", "123456");
    let r = zhixing(&weak, &["init", "--name", "x", "--pin-file", &file]);
    assert_eq!(r.code, 2);
    assert!(
        r.err
            .contains("PIN: that PIN is among the first ones guessed"),
        "{}",
        r.err
    );
    assert!(!weak.exists());
    let r = zhixing_as(None, &weak, &["init", "--name", "x", "--pin-file", &file]);
    assert!(
        r.err
            .contains("name the store's first admin with --officer"),
        "{}",
        r.err
    );
    // The site number is kept in every key the store makes.
    let field = dir.path().join("field.db");
    let file = pin_file(dir.path(), "f.pin", PIN);
    let r = zhixing(
        &field,
        &["init", "--site", "7", "--name", "x", "--pin-file", &file],
    );
    assert_eq!(r.code, 0, "{}", r.err);
    assert_eq!(count(&field, "SELECT id >> 40 FROM officer"), 7);
}

#[test]
fn admins_manage_officers_and_pins_are_kept_only_as_argon2_hashes() {
    let dir = tempfile::tempdir().unwrap();
    let db = court_store(dir.path(), "court.db");
    assert_eq!(add(&db, "admin", "li", "officer", "731904").code, 0);
    assert_eq!(add(&db, "admin", "zhao", "clerk", "550217").code, 0);
    let r = add(&db, "li", "wu", "supervisor", "884213");
    assert_eq!(r.code, 2);
    assert!(
        r.err.contains(
            "managing officers needs the admin role or higher; you hold the officer role"
        ),
        "{}",
        r.err
    );
    assert_eq!(
        count(&db, "SELECT count(*) FROM audit_log WHERE act = 'refused'"),
        1,
        "the refusal is on the record"
    );
    let r = add(&db, "admin", "li", "clerk", "731904");
    assert!(r.err.contains("login: \"li\" is taken"), "{}", r.err);
    // Only hashes are stored; the PIN is nowhere in the file or the log.
    let hashes = count(
        &db,
        "SELECT count(*) FROM officer WHERE pin_hash LIKE '$argon2id$%'",
    );
    assert_eq!(hashes, 3);
    let bytes = std::fs::read(&db).unwrap();
    let has = |needle: &str| bytes.windows(needle.len()).any(|w| w == needle.as_bytes());
    assert!(!has("731904") && !has("550217"));
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM audit_log WHERE after_json LIKE '%argon2%'"
        ),
        0
    );
    // A PIN is set by its officer, or by an admin.
    let file = pin_file(dir.path(), "new.pin", "402915");
    let r = zhixing_as(
        Some("zhao"),
        &db,
        &["officer", "set-pin", "li", "--pin-file", &file],
    );
    assert!(r.err.contains("needs the admin role"), "{}", r.err);
    let r = zhixing_as(
        Some("zhao"),
        &db,
        &["officer", "set-pin", "--pin-file", &file],
    );
    assert_eq!(r.code, 0, "{}", r.err);
    // Disabling: refused for the last admin, recorded for the others.
    let r = zhixing(&db, &["officer", "disable", "admin"]);
    assert!(
        r.err.contains("the last active admin cannot be disabled"),
        "{}",
        r.err
    );
    let r = zhixing(&db, &["officer", "disable", "zhao"]);
    assert_eq!(r.code, 0, "{}", r.err);
    let r = zhixing(&db, &["officer", "list"]);
    assert!(r.out.contains("zhao\t测试\tclerk\tdisabled"), "{}", r.out);
    let r = zhixing_as(
        Some("zhao"),
        &db,
        &["officer", "set-pin", "--pin-file", &file],
    );
    assert!(
        r.err.contains("no active officer has the login \"zhao\""),
        "{}",
        r.err
    );
    let conn = rusqlite::Connection::open(&db).unwrap();
    let acts: Vec<String> = common::column(&conn, "SELECT act FROM audit_log ORDER BY seq");
    assert_eq!(
        acts,
        [
            "officer-added",
            "officer-added",
            "officer-added",
            "refused",
            "refused",
            "pin-set",
            "officer-disabled"
        ]
    );
}

#[test]
fn writing_commands_need_an_officer_whose_role_covers_them() {
    let dir = tempfile::tempdir().unwrap();
    let db = court_store(dir.path(), "court.db");
    assert_eq!(add(&db, "admin", "zhao", "clerk", "550217").code, 0);
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import");
    let good = fixtures.join("good.csv");
    let good = good.to_str().unwrap();
    let r = zhixing_as(None, &db, &["import", good]);
    assert_eq!(r.code, 2);
    assert!(
        r.err.contains(
            "this command writes to the store, so it runs as an officer: give --officer LOGIN"
        ),
        "{}",
        r.err
    );
    let r = zhixing_as(None, &db, &["import", "--dry-run", good]);
    assert_eq!(r.code, 0, "a dry run writes nothing: {}", r.err);
    let r = zhixing_as(Some("zhao"), &db, &["import", good]);
    assert!(
        r.err.contains(
            "importing the caseload needs the officer role or higher; you hold the clerk role"
        ),
        "{}",
        r.err
    );
    assert_eq!(count(&db, "SELECT count(*) FROM subject"), 0);
    assert_eq!(zhixing(&db, &["import", good]).code, 0);
    for args in [&["expire"][..], &["export", "notices", "--channel", "call"]] {
        let r = zhixing_as(None, &db, args);
        assert!(r.err.contains("runs as an officer"), "{args:?}: {}", r.err);
    }
    let r = zhixing_as(Some("zhao"), &db, &["export", "public-list"]);
    assert!(
        r.err
            .contains("exporting the public list needs the supervisor role"),
        "{}",
        r.err
    );
    // The restriction feed is masked unless a supervisor reveals it.
    let r = zhixing_as(None, &db, &["export", "restrictions", "--full"]);
    assert_eq!(r.code, 0, "{}", r.err);
    assert!(r.out.contains("110105********002X"), "{}", r.out);
    assert!(!r.out.contains("11010519491231002X"), "{}", r.out);
    let r = zhixing_as(
        Some("zhao"),
        &db,
        &["export", "restrictions", "--full", "--reveal"],
    );
    assert!(
        r.err
            .contains("exporting full ID numbers needs the supervisor role"),
        "{}",
        r.err
    );
    let r = zhixing(&db, &["export", "restrictions", "--full", "--reveal"]);
    assert!(r.out.contains("11010519491231002X"), "{}", r.out);
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM audit_log WHERE act = 'exported' AND detail LIKE 'restrictions with full ID numbers%'"
        ),
        1
    );
}
