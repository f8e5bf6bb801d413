//! The importer's reading and checking on arbitrary input: whatever the
//! bytes, every step returns (a row, or problems naming where), never
//! panics, never loops.

use proptest::prelude::*;
use zhixing::demo::generate_csv::HEADER;
use zhixing::import::columns::{Column, RawRow};
use zhixing::import::{jsonl, row};

fn today() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 27).unwrap()
}

/// Reads bytes as a whole file would be read: decode, records, header, rows.
fn read_all(bytes: &[u8]) {
    zhixing::import::harness::read_and_check(bytes, today());
}

/// A cell that is sometimes plausible, sometimes anything.
fn cell() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[0-9]{1,20}".prop_map(String::from),
        "[0-9X]{18}".prop_map(String::from),
        "\\(20[0-9]{2}\\)豫0185执[0-9]{1,5}号".prop_map(String::from),
        "20[0-9]{2}-[0-1][0-9]-[0-3][0-9]".prop_map(String::from),
        "[0-9,]{1,9}(\\.[0-9]{0,4})?".prop_map(String::from),
        "(person|entity|[a-z]{1,6})".prop_map(String::from),
        "[韦国强沈华登封市 ;\",\\n-]{0,12}".prop_map(String::from),
        any::<String>(),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..600)) {
        read_all(&bytes);
        let mut with_header = format!("{HEADER}\n").into_bytes();
        with_header.extend_from_slice(&bytes);
        read_all(&with_header);
    }

    #[test]
    fn rows_of_near_valid_cells_are_checked_without_panic(cells in proptest::collection::vec(cell(), 20)) {
        let mut raw = RawRow::new(2);
        for (column, value) in Column::ALL.iter().zip(&cells) {
            raw.set(*column, value);
        }
        match row::check(&raw, today()) {
            Ok(checked) => prop_assert_eq!(checked.line, 2),
            Err(problems) => {
                prop_assert!(!problems.is_empty());
                for p in problems {
                    prop_assert_eq!(p.line, 2);
                    prop_assert!(!p.message.is_empty());
                }
            }
        }
    }

    #[test]
    fn arbitrary_json_lines_never_panic(text in "[\\[\\]{}\":,0-9a-z_ 韦]{0,200}") {
        let _ = jsonl::rows(1, &text);
    }
}
