//! Reads for the subject list: pages by key, filters, and the row a list shows.

use super::{Result, Store};
use crate::domain::Fen;
use crate::domain::status::{StatusFacts, SubjectStatus};
use chrono::{Days, NaiveDate};
use rusqlite::params;

/// The list filters, in the order `f` cycles through them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub enum Filter {
    #[default]
    All,
    Listed,
    Restricted,
    ObjectionPending,
    DeadlineDue,
}

/// A clock is "due" from this many days before its date.
pub const DUE_WITHIN_DAYS: u64 = 7;

impl Filter {
    pub const ALL: [Filter; 5] = [
        Filter::All,
        Filter::Listed,
        Filter::Restricted,
        Filter::ObjectionPending,
        Filter::DeadlineDue,
    ];

    pub fn next(self) -> Filter {
        let i = Self::ALL.iter().position(|f| *f == self).unwrap_or(0);
        Self::ALL[(i + 1) % Self::ALL.len()]
    }

    pub fn label(self) -> &'static str {
        match self {
            Filter::All => "all",
            Filter::Listed => "listed",
            Filter::Restricted => "restricted",
            Filter::ObjectionPending => "objection pending",
            Filter::DeadlineDue => "deadline due",
        }
    }

    /// Whether a subject with this status passes: the same rule as `source`,
    /// for lists that were not read through it (search results).
    pub fn admits(self, status: &SubjectStatus) -> bool {
        match self {
            Filter::All => true,
            Filter::Listed => status.listed,
            Filter::Restricted => status.restricted,
            Filter::ObjectionPending => status.objection_pending,
            Filter::DeadlineDue => status.deadline_running,
        }
    }

    /// `source` compares clocks with `:due`.
    fn needs_due(self) -> bool {
        self == Filter::DeadlineDue
    }

    /// The keys of the subjects passing the filter, as `sid`: each
    /// filter but "all" from the kept standing (store/standing.rs),
    /// through a partial index of the subjects it admits, so a page is a
    /// range of that index (schema version 12).
    fn source(self) -> &'static str {
        match self {
            Filter::All => "SELECT id AS sid FROM subject",
            Filter::Listed => {
                "SELECT subject_id AS sid FROM subject_standing INDEXED BY standing_listed
                 WHERE active_listings > 0"
            }
            Filter::Restricted => {
                "SELECT subject_id AS sid FROM subject_standing INDEXED BY standing_restricted
                 WHERE active_restrictions > 0"
            }
            Filter::ObjectionPending => {
                "SELECT subject_id AS sid FROM subject_standing INDEXED BY standing_objection
                 WHERE pending_objections > 0"
            }
            // Counted through the index of the clocks; its pages are read
            // by store/due_pages.rs.
            Filter::DeadlineDue => super::due_pages::BY_DATE,
        }
    }
}

/// Which page of keys to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageAt {
    First,
    After(i64),
    Before(i64),
    Last,
}

impl PageAt {
    /// Every page is "keys beyond a bound" (comparison, order, key); the
    /// first and last pages start from the ends of the key space.
    pub(super) fn bound(self) -> (&'static str, &'static str, i64) {
        match self {
            PageAt::First => (">", "ASC", i64::MIN),
            PageAt::After(k) => (">", "ASC", k),
            PageAt::Before(k) => ("<", "DESC", k),
            PageAt::Last => ("<", "DESC", i64::MAX),
        }
    }
}

/// One line of the subject list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubjectRow {
    pub id: i64,
    pub kind: String,
    pub name: String,
    pub name_pinyin: String,
    pub id_number: String,
    pub court: Option<String>,
    pub outstanding: Fen,
    pub status: SubjectStatus,
}

impl Store {
    /// Keys of one page of the filtered list, always in ascending order.
    pub fn page_keys(
        &self,
        filter: Filter,
        at: PageAt,
        limit: usize,
        today: NaiveDate,
    ) -> Result<Vec<i64>> {
        match filter {
            Filter::DeadlineDue => self.due_page(at, limit, today),
            _ => self.keys_from(filter.source(), None, at, limit),
        }
    }

    /// A page of the keys `source` gives as `sid`, beyond the bound `at`.
    pub(super) fn keys_from(
        &self,
        source: &str,
        due: Option<&str>,
        at: PageAt,
        limit: usize,
    ) -> Result<Vec<i64>> {
        let (op, order, key) = at.bound();
        let sql = format!(
            "SELECT sid FROM ({source}) WHERE sid {op} :key ORDER BY sid {order} LIMIT :limit"
        );
        let limit = limit as i64;
        let mut params: Vec<(&str, &dyn rusqlite::ToSql)> =
            vec![(":key", &key), (":limit", &limit)];
        if let Some(due) = &due {
            params.push((":due", due));
        }
        let mut keys: Vec<i64> = self
            .conn
            .prepare_cached(&sql)?
            .query_map(params.as_slice(), |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        if order == "DESC" {
            keys.reverse();
        }
        Ok(keys)
    }

    /// How many subjects pass the filter; slow on big stores, so the TUI asks
    /// for it in the background.
    pub fn count_filtered(&self, filter: Filter, today: NaiveDate) -> Result<i64> {
        let sql = format!("SELECT count(*) FROM ({})", filter.source());
        let due = due_horizon(today);
        let params: &[(&str, &dyn rusqlite::ToSql)] = if filter.needs_due() {
            &[(":due", &due)]
        } else {
            &[]
        };
        Ok(self
            .conn
            .prepare_cached(&sql)?
            .query_row(params, |r| r.get(0))?)
    }

    /// The list rows for these keys, in the same order; unknown keys are
    /// skipped. One statement: each subject's row, its kept standing
    /// (store/standing.rs) and its court.
    pub fn rows_for(&self, keys: &[i64], today: NaiveDate) -> Result<Vec<SubjectRow>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT s.id, s.kind, s.name, s.name_pinyin, s.id_number, c.name,
                    coalesce(k.active_listings, 0), coalesce(k.active_restrictions, 0),
                    coalesce(k.pending_objections, 0), coalesce(k.next_due_on <= ?2, 0),
                    coalesce(k.monetary_obligations, 0),
                    coalesce(k.owed_fen, 0) - coalesce(k.paid_fen, 0)
             FROM json_each(?1) j JOIN subject s ON s.id = j.value
             LEFT JOIN subject_standing k ON k.subject_id = s.id
             LEFT JOIN court c ON c.id = k.court_id
             ORDER BY j.key",
        )?;
        let keys = serde_json::to_string(keys).unwrap_or_else(|_| "[]".into());
        let rows = stmt.query_map(params![keys, due_horizon(today)], |r| {
            let facts = StatusFacts {
                active_listings: r.get(6)?,
                active_restrictions: r.get(7)?,
                pending_objections: r.get(8)?,
                // 1 or 0: the kept row holds the earliest clock, not a count.
                open_deadlines: r.get(9)?,
                monetary_obligations: r.get(10)?,
                outstanding: Fen(r.get(11)?),
            };
            Ok(SubjectRow {
                id: r.get(0)?,
                kind: r.get(1)?,
                name: r.get(2)?,
                name_pinyin: r.get(3)?,
                id_number: r.get(4)?,
                court: r.get(5)?,
                outstanding: facts.outstanding,
                status: SubjectStatus::derive(&facts),
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// One subject's list row.
    pub fn subject_row(&self, key: i64, today: NaiveDate) -> Result<Option<SubjectRow>> {
        Ok(self.rows_for(&[key], today)?.pop())
    }
}

pub(super) fn due_horizon(today: NaiveDate) -> String {
    (today + Days::new(DUE_WITHIN_DAYS)).to_string()
}
