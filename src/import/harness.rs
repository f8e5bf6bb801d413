//! Every reading and checking step of the importer on arbitrary bytes,
//! without a store: the fuzz target (fuzz/) and the property tests drive
//! the importer through here. Whatever the bytes, each step answers (a row,
//! or problems naming where); none may panic or loop.

use super::columns::{Header, RawRow, parse_header};
use super::csv::RecordBuilder;
use super::decode::Lines;
use super::{jsonl, row};
use chrono::NaiveDate;

/// Decodes, splits into records, reads the header and checks every row
/// (as CSV, and each line as JSON Lines too). Returns how many rows passed.
pub fn read_and_check(bytes: &[u8], today: NaiveDate) -> usize {
    let Ok(mut lines) = Lines::new(bytes, None) else {
        return 0;
    };
    let mut builder = RecordBuilder::default();
    let mut header: Option<Header> = None;
    let mut passed = 0;
    while let Ok(Some((line_no, text))) = lines.next_line() {
        if let Ok(rows) = jsonl::rows(line_no, &text) {
            passed += rows.iter().filter(|r| row::check(r, today).is_ok()).count();
        }
        let Ok(Some((line, cells))) = builder.push_line(line_no, &text) else {
            continue;
        };
        match &header {
            None => header = parse_header(&cells).ok(),
            Some(h) if cells.len() == h.width => {
                let mut raw = RawRow::new(line);
                for (i, column) in &h.positions {
                    raw.set(*column, &cells[*i]);
                }
                passed += usize::from(row::check(&raw, today).is_ok());
            }
            Some(_) => {}
        }
    }
    let _ = builder.finish();
    let _ = lines.digest();
    passed
}
