//! Keys unique across offices: the site number in the high bits.

use rusqlite::Connection;

/// Bits left for a site's own sequence: 2^40 rows per table per site.
pub const SITE_SHIFT: u32 = 40;

/// The first key of a site's range.
pub fn site_base(site: i64) -> i64 {
    site << SITE_SHIFT
}

/// Hands out keys for one table at one site; for bulk loads it is asked once
/// and then counts in memory inside the caller's transaction.
#[derive(Debug, Clone)]
pub struct IdAllocator {
    next: i64,
}

impl IdAllocator {
    /// The next free key of `table` in this site's range. `table` is one of
    /// the program's own table names, never user input.
    pub fn for_table(conn: &Connection, table: &str, site: i64) -> rusqlite::Result<IdAllocator> {
        let lo = site_base(site);
        let hi = site_base(site + 1) - 1;
        let key = if table == "audit_log" { "seq" } else { "id" };
        let sql = format!("SELECT max({key}) FROM {table} WHERE {key} BETWEEN ?1 AND ?2");
        let max: Option<i64> = conn.query_row(&sql, [lo, hi], |r| r.get(0))?;
        Ok(IdAllocator {
            next: max.map_or(lo + 1, |m| m + 1),
        })
    }

    pub fn next_id(&mut self) -> i64 {
        let id = self.next;
        self.next += 1;
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sites_have_disjoint_ranges() {
        assert!(site_base(2) > site_base(1) + (1 << 39));
        assert_eq!(site_base(1) >> SITE_SHIFT, 1);
    }
}
