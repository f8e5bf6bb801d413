//! Importing matches what the store holds instead of appending: the same
//! file twice changes nothing, a changed fact is an update, and a known
//! subject named on a known case becomes its debtor (and is found by it).

mod common;

use common::count;
use common::import_files::{dump, fixture, import_counts, loaded, zhixing};

#[test]
fn importing_twice_changes_nothing_and_a_changed_fact_is_an_update() {
    let (dir, db) = loaded();
    let before = dump(&db, false);
    let counts = import_counts(&db, "good.csv");
    for (key, value) in counts.as_object().unwrap() {
        if key != "rows" {
            assert_eq!(value, 0, "{key} on the second import");
        }
    }
    assert_eq!(
        dump(&db, false),
        before,
        "the second import changed the store"
    );
    assert_eq!(
        count(&db, "SELECT count(*) FROM audit_log WHERE act = 'import'"),
        2,
        "each import is on the record"
    );
    // The court raises an amount and records more paid before the import.
    let text = std::fs::read_to_string(fixture("good.csv"))
        .unwrap()
        .replace("\"10,000\",200", "\"12,000\",500");
    let changed = dir.path().join("changed.csv");
    std::fs::write(&changed, text).unwrap();
    let counts = import_counts(&db, changed.to_str().unwrap());
    assert_eq!(counts["obligations_updated"], 1);
    assert_eq!(counts["payments_added"], 1);
    assert_eq!(counts["obligations_added"], 0);
    assert_eq!(
        count(
            &db,
            "SELECT amount_fen FROM obligation WHERE description = '借款本金'"
        ),
        1_200_000
    );
    assert_eq!(
        count(
            &db,
            "SELECT sum(p.amount_fen) FROM payment p JOIN obligation o ON o.id = p.obligation_id WHERE o.description = '借款本金'"
        ),
        50_000
    );
    // A payment is never taken back by an import.
    let lower = std::fs::read_to_string(&changed)
        .unwrap()
        .replace("\"12,000\",500", "\"12,000\",100");
    std::fs::write(&changed, lower).unwrap();
    let before = dump(&db, true);
    let r = zhixing(&db, &["import", changed.to_str().unwrap()]);
    assert_eq!(r.code, 1);
    assert!(
        r.err
            .contains(":2: paid: is less than the 500.00 yuan an earlier import recorded"),
        "{}",
        r.err
    );
    assert_eq!(dump(&db, true), before);
}

#[test]
fn a_known_subject_named_on_a_known_case_becomes_its_debtor_and_is_found_by_it() {
    let (dir, db) = loaded();
    let header = std::fs::read_to_string(fixture("good.csv"))
        .unwrap()
        .lines()
        .next()
        .unwrap()
        .to_string();
    // 沈国华, loaded on a case of his own, now also owes on 韦国强's case.
    let row = "person,沈国华,440524188001010014,13857110342,浙江省杭州市,豫0185,登封市人民法院,\
               (2025)豫0185执1号,2025-03-01,登封市农村信用合作联社,（2024）豫0185民初100号民事判决书,\
               连带责任,\"1,000\",,,,,";
    let file = dir.path().join("joint.csv");
    std::fs::write(&file, format!("{header}\n{row}\n")).unwrap();
    let counts = import_counts(&db, file.to_str().unwrap());
    assert_eq!(counts["obligations_added"], 1);
    assert_eq!(counts["cases_added"], 0);
    assert_eq!(counts["subjects_added"], 0);
    let his = "(SELECT id FROM subject WHERE id_number = '440524188001010014')";
    assert_eq!(
        count(
            &db,
            &format!("SELECT count(*) FROM case_debtor WHERE subject_id = {his}")
        ),
        2
    );
    // Found by the new case's number: his search entries were rebuilt.
    assert_eq!(
        count(
            &db,
            &format!(
                "SELECT count(*) FROM search_term WHERE subject_id = {his} AND field = 5
                 AND term = '（2025）豫0185执1号'"
            )
        ),
        1
    );
    // The new link is sealed and clocked like a row an officer wrote.
    let r = zhixing(&db, &["audit", "verify"]);
    assert_eq!(r.code, 0, "{}{}", r.out, r.err);
}

/// A subject renamed back to a name they had before: the former name is
/// not an alias twice, and every alias the import adds is sealed (audit
/// verify names any row whose seal is missing).
#[test]
fn a_name_taken_again_keeps_one_alias_and_every_new_alias_is_sealed() {
    let (dir, db) = loaded();
    let good = std::fs::read_to_string(fixture("good.csv")).unwrap();
    let file = |name: &str, text: String| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.to_str().unwrap().to_string()
    };
    let renamed = file("renamed.csv", good.replace("韦国强", "韦强"));
    assert_eq!(import_counts(&db, &renamed)["subjects_updated"], 1);
    assert_eq!(import_counts(&db, "good.csv")["subjects_updated"], 1);
    // 韦国强 is already an alias of the first subject; 沈国华's is new.
    let again = file(
        "again.csv",
        good.replace("韦国强", "韦强").replace("沈国华", "沈华"),
    );
    assert_eq!(import_counts(&db, &again)["subjects_updated"], 2);
    assert_eq!(
        common::column::<String>(
            &rusqlite::Connection::open(&db).unwrap(),
            "SELECT name FROM alias ORDER BY name"
        ),
        ["沈国华", "韦国强", "韦强"]
    );
    let r = zhixing(&db, &["audit", "verify"]);
    assert_eq!(r.code, 0, "{}{}", r.out, r.err);
}

/// A file that names one obligation and one listing on two lines: the
/// first line's facts are the ones kept, once.
#[test]
fn an_obligation_and_a_listing_given_twice_in_a_file_are_kept_once_as_first_given() {
    let dir = tempfile::tempdir().unwrap();
    let db = common::court_store(dir.path(), "court.db");
    let good = std::fs::read_to_string(fixture("good.csv")).unwrap();
    let header_and_first: Vec<&str> = good.lines().take(2).collect();
    let again = header_and_first[1]
        .replace("\"10,000\",200", "\"12,000\",300")
        .replace("2025-06-01,2,,", "2025-06-01,2,3,");
    let text = format!(
        "{}\n{}\n{again}\n",
        header_and_first.join("\n"),
        good.lines().nth(3).unwrap()
    );
    let file = dir.path().join("twice.csv");
    std::fs::write(&file, text).unwrap();
    let counts = import_counts(&db, file.to_str().unwrap());
    assert_eq!(counts["obligations_added"], 2);
    assert_eq!(counts["listings_added"], 2);
    assert_eq!(
        count(
            &db,
            "SELECT amount_fen FROM obligation WHERE description = '借款本金'"
        ),
        1_000_000
    );
    assert_eq!(
        count(
            &db,
            "SELECT sum(p.amount_fen) FROM payment p JOIN obligation o ON o.id = p.obligation_id WHERE o.description = '借款本金'"
        ),
        20_000
    );
    assert_eq!(
        count(
            &db,
            "SELECT count(*) FROM listing WHERE decided_on = '2025-06-01'"
        ),
        1
    );
    // The first line leaves the period to its default (2 years); the
    // second asks for 3.
    assert_eq!(
        count(
            &db,
            "SELECT period_years FROM listing WHERE decided_on = '2025-06-01'"
        ),
        2
    );
    let r = zhixing(&db, &["audit", "verify"]);
    assert_eq!(r.code, 0, "{}", r.err);
}
