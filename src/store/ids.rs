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
        let max: Option<i64> = conn
            .prepare_cached(&sql)?
            .query_row([lo, hi], |r| r.get(0))?;
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

    #[test]
    fn each_site_counts_on_in_its_own_range() {
        let c = Connection::open_in_memory().unwrap();
        c.execute_batch("CREATE TABLE t (id INTEGER PRIMARY KEY)")
            .unwrap();
        let next = |site| IdAllocator::for_table(&c, "t", site).unwrap().next_id();
        assert_eq!(next(1), site_base(1) + 1, "an empty table starts the range");
        c.execute(
            "INSERT INTO t VALUES (?1), (?2)",
            [site_base(1) + 7, site_base(2) + 3],
        )
        .unwrap();
        let mut one = IdAllocator::for_table(&c, "t", 1).unwrap();
        assert_eq!(
            (one.next_id(), one.next_id()),
            (site_base(1) + 8, site_base(1) + 9)
        );
        assert_eq!(
            next(2),
            site_base(2) + 4,
            "another site's rows do not move this one"
        );
        assert_eq!(next(3), site_base(3) + 1);
    }
}
