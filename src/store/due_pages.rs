//! Pages of the list's "deadline due" filter: subjects whose earliest
//! clock (open deadline, pending objection, active listing's expiry, kept
//! in their standing) falls within the week ahead.
//!
//! The date moves with the day, so no index holds the due subjects in key
//! order. Through the index of the clocks a page sorts every due subject
//! beyond its bound: quick when few are due, slow when many are (a store
//! whose expired listings are still being lifted holds hundreds of
//! thousands). Along the keys a page reads subjects until it has found a
//! page of due ones: quick when many are due. A page is read along the
//! keys first, for at most `WINDOW_PER_KEY` subjects per key it shows,
//! and through the clocks' index when that window holds too few.

use super::read::{PageAt, due_horizon};
use super::{Result, Store};
use chrono::NaiveDate;
use rusqlite::params;

/// The due subjects through the index of the clocks, as `sid`.
pub(super) const BY_DATE: &str = "SELECT subject_id AS sid
     FROM subject_standing INDEXED BY standing_due WHERE next_due_on <= :due";

/// Subjects read along the keys, per key of the page, before the index of
/// the clocks is asked instead: past that, under one subject in 64 is due
/// and the due ones are few enough to sort.
const WINDOW_PER_KEY: usize = 64;

/// The two ways of reading a page of due subjects; both give the same keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DueScan {
    /// Through the index of the clocks, sorted by key.
    ByDate,
    /// Along the keys, every subject's clock compared.
    ByKey,
}

impl Store {
    /// A page of due subjects, read along the keys while that is cheap.
    pub(super) fn due_page(&self, at: PageAt, limit: usize, today: NaiveDate) -> Result<Vec<i64>> {
        let due = due_horizon(today);
        let window = limit.saturating_mul(WINDOW_PER_KEY);
        match self.due_along_keys(at, limit, &due, Some(window))? {
            Some(keys) => Ok(keys),
            None => self.keys_from(BY_DATE, Some(&due), at, limit),
        }
    }

    /// A page of due subjects read wholly one way (tests and the list
    /// benchmark compare the two).
    pub fn due_page_keys(
        &self,
        scan: DueScan,
        at: PageAt,
        limit: usize,
        today: NaiveDate,
    ) -> Result<Vec<i64>> {
        let due = due_horizon(today);
        match scan {
            DueScan::ByDate => self.keys_from(BY_DATE, Some(&due), at, limit),
            DueScan::ByKey => Ok(self
                .due_along_keys(at, limit, &due, None)?
                .unwrap_or_default()),
        }
    }

    /// The due keys among the subjects beyond `at`, in ascending order;
    /// None when `window` subjects were read without filling the page.
    fn due_along_keys(
        &self,
        at: PageAt,
        limit: usize,
        due: &str,
        window: Option<usize>,
    ) -> Result<Option<Vec<i64>>> {
        let (op, order, key) = at.bound();
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT subject_id, coalesce(next_due_on <= ?2, 0) FROM subject_standing NOT INDEXED
             WHERE subject_id {op} ?1 ORDER BY subject_id {order} LIMIT ?3"
        ))?;
        // LIMIT -1: no limit.
        let most = window.map_or(-1, |w| i64::try_from(w).unwrap_or(i64::MAX));
        let mut rows = stmt.query(params![key, due, most])?;
        let mut keys = Vec::with_capacity(limit);
        let mut read = 0;
        while keys.len() < limit {
            let Some(row) = rows.next()? else { break };
            read += 1;
            if row.get::<_, bool>(1)? {
                keys.push(row.get(0)?);
            }
        }
        if window.is_some_and(|w| read == w) && keys.len() < limit {
            return Ok(None);
        }
        if order == "DESC" {
            keys.reverse();
        }
        Ok(Some(keys))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2,000 standings, a clock due on every 400th and one not yet due.
    fn sparse_store(dir: &std::path::Path) -> Store {
        let store = Store::open(&dir.join("store.db")).unwrap();
        store
            .conn()
            .execute_batch(
                "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 2000)
                 INSERT INTO subject_standing (subject_id, active_listings, active_restrictions,
                     pending_objections, next_due_on, monetary_obligations, owed_fen, paid_fen)
                 SELECT x, 0, 0, 0,
                        CASE WHEN x % 400 = 0 THEN '2026-11-30' WHEN x = 7 THEN '2027-06-01' END,
                        0, 0, 0
                 FROM n;",
            )
            .unwrap();
        store
    }

    /// Too few due along the keys: the window runs out and the clocks'
    /// index answers, with the same pages both ways read give.
    #[test]
    fn a_page_past_the_window_is_read_through_the_clocks() {
        let dir = tempfile::tempdir().unwrap();
        let store = sparse_store(dir.path());
        let today = NaiveDate::from_ymd_opt(2026, 11, 27).unwrap();
        let due = due_horizon(today);
        let spent = store.due_along_keys(PageAt::First, 2, &due, Some(128));
        assert_eq!(spent.unwrap(), None, "128 subjects hold none due");
        let whole = store.due_along_keys(PageAt::First, 2, &due, Some(1_000));
        assert_eq!(whole.unwrap(), Some(vec![400, 800]));
        for (at, keys) in [
            (PageAt::First, vec![400, 800]),
            (PageAt::After(800), vec![1200, 1600]),
            (PageAt::After(1600), vec![2000]),
            (PageAt::Last, vec![1600, 2000]),
            (PageAt::Before(1600), vec![800, 1200]),
        ] {
            assert_eq!(store.due_page(at, 2, today).unwrap(), keys, "{at:?}");
            for scan in [DueScan::ByDate, DueScan::ByKey] {
                let read = store.due_page_keys(scan, at, 2, today).unwrap();
                assert_eq!(read, keys, "{scan:?} {at:?}");
            }
        }
    }
}
