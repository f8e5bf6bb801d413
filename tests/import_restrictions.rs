//! The restrictions an import imposes, item by item: a listing restricts
//! the debtor and an entity's legal representative with the nine
//! consumption items and every further code its rows name, each once
//! however many rows name it; a row restricted without a listing rests on
//! one order per debtor and case, with the codes its rows name.

mod common;

use common::import_files::{dump, import_counts};
use common::{column, court_store};
use rusqlite::Connection;
use zhixing::demo::generate_csv::HEADER;

const ENTITY: &str = "91110000600037341L";
const REPRESENTATIVE: &str = "11010519491231002X";
const PERSON: &str = "440524188001010014";

/// Two rows of one listed entity naming overlapping codes (one of them a
/// consumption item), two rows of one person restricted without a listing.
fn caseload() -> String {
    let entity = format!(
        "entity,登封市嵩阳建材有限公司,{ENTITY},0371-62871135,河南省登封市工业园区,韦国强,{REPRESENTATIVE},豫0185,登封市人民法院,（2025）豫0185执2号,2025-04-01,张三,,"
    );
    let person = format!(
        "person,沈国华,{PERSON},13857110342,浙江省杭州市,,,浙0106,杭州市西湖区人民法院,(2024)浙0106执2077号,2024-05-10,杭州银行,,"
    );
    [
        HEADER.to_string(),
        format!("{entity}货款,5000,,2025-06-01,2,,bonds"),
        format!("{entity}违约金,1000,,2025-06-01,2,,bonds;procurement;premium-travel"),
        format!("{person}偿还借款,320000,,,,,vehicle;tourism"),
        format!("{person}利息,1000,,,,,vehicle"),
    ]
    .join("\n")
        + "\n"
}

/// The codes of `id_number`'s restrictions on a listing (or on an order),
/// sorted, with repeats kept so that a doubled item shows.
fn codes(conn: &Connection, id_number: &str, on_listing: bool) -> Vec<String> {
    let basis = if on_listing { "listing_id" } else { "order_id" };
    column(
        conn,
        &format!(
            "SELECT r.code FROM restriction r JOIN subject s ON s.id = r.subject_id
             WHERE s.id_number = '{id_number}' AND r.{basis} IS NOT NULL ORDER BY r.code"
        ),
    )
}

#[test]
fn an_import_restricts_each_listed_debtor_and_representative_once_per_item() {
    let dir = tempfile::tempdir().unwrap();
    let db = court_store(dir.path(), "court.db");
    let file = dir.path().join("restricted.csv");
    std::fs::write(&file, caseload()).unwrap();
    let counts = import_counts(&db, file.to_str().unwrap());
    assert_eq!(counts["listings_added"], 1);
    assert_eq!(counts["restrictions_added"], 2 * 11 + 2);

    let conn = Connection::open(&db).unwrap();
    let listed = [
        "bonds",
        "high-speed-rail",
        "premium-insurance",
        "premium-office",
        "premium-travel",
        "private-school",
        "procurement",
        "real-estate",
        "star-hotel",
        "tourism",
        "vehicle",
    ];
    assert_eq!(codes(&conn, ENTITY, true), listed, "the listed entity");
    assert_eq!(
        codes(&conn, REPRESENTATIVE, true),
        listed,
        "its legal representative"
    );
    assert!(codes(&conn, PERSON, true).is_empty());

    let orders: Vec<String> = column(
        &conn,
        &format!(
            "SELECT o.decision_no FROM restriction_order o JOIN subject s ON s.id = o.subject_id
             WHERE s.id_number = '{PERSON}'"
        ),
    );
    assert_eq!(orders, ["(import) （2024）浙0106执2077号"]);
    assert_eq!(codes(&conn, PERSON, false), ["tourism", "vehicle"]);
    assert!(codes(&conn, ENTITY, false).is_empty());

    // The same file again imposes nothing more.
    let before = dump(&db, false);
    let counts = import_counts(&db, file.to_str().unwrap());
    assert_eq!(counts["restrictions_added"], 0);
    assert_eq!(dump(&db, false), before);
}
