//! Indexes built after a load into an empty store, instead of filled as
//! it goes.
//!
//! Filled row by row, an index whose order is not the rows' key order is
//! written all over its B-tree; built after the load it is one sort.
//! Indexes no statement of the merge reads through are made at its end;
//! the unique indexes of ID numbers and case numbers, which the statements
//! after those tables' inserts match through, right after each insert.
//! Each is made again from the SQL the store itself holds, in the same
//! transaction, so the schema ends as it began (and a rollback brings
//! them back).

use crate::store::indexes::{drop_named, rebuild};
use rusqlite::Connection;

/// Not read by the merge's statements (restriction_order_by_subject and
/// restriction_by_order are: orders are matched through them).
const DEFERRED: [&str; 6] = [
    "phone_by_number",
    "obligation_by_subject",
    "listing_by_status",
    "listing_active_expiry",
    "restriction_by_subject",
    "restriction_by_listing",
];

/// Drops the deferred indexes, returning the SQL that makes them again.
pub fn drop_indexes(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    drop_named(conn, &DEFERRED)
}

/// Runs `insert` (a table's first rows, into an empty store) without the
/// unique indexes `names`, which are made again right after it: the
/// statements after it match through them. A duplicate the insert let in
/// fails the index as it would have failed the insert.
pub fn index_after<T>(
    conn: &Connection,
    names: &[&str],
    insert: impl FnOnce() -> rusqlite::Result<T>,
) -> rusqlite::Result<T> {
    let sql = drop_named(conn, names)?;
    let inserted = insert()?;
    let started = std::time::Instant::now();
    rebuild(conn, &sql)?;
    super::report_time(&format!("  {} made after", names.join(", ")), started);
    Ok(inserted)
}
