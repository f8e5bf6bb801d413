//! The subject search: route a query by its shape to an index, bound the
//! candidates, rank them with fuzzy-matcher, and say which characters matched.

pub mod pinyin;
mod query;

pub use query::{Shape, classify};

use crate::store::search_index::{Candidate, Field};
use crate::store::{Filter, Result, Store, SubjectRow};
use chrono::NaiveDate;
use fuzzy_matcher::FuzzyMatcher;
use fuzzy_matcher::skim::SkimMatcherV2;
use std::collections::HashMap;

/// Candidates read from the indexes for one query, at most.
pub const CANDIDATE_LIMIT: usize = 400;
/// Results shown for one query.
pub const RESULT_LIMIT: usize = 50;

/// Where the query matched, for highlighting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Matched {
    /// Character positions in the name.
    Name(Vec<usize>),
    /// Character positions in the ID number.
    IdNumber(Vec<usize>),
    /// Some other text the subject is found by (case number, phone, alias).
    Other { text: String, positions: Vec<usize> },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hit {
    pub row: SubjectRow,
    pub score: i64,
    pub matched: Matched,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchResult {
    pub hits: Vec<Hit>,
    /// More candidates than were ranked: the list shows "50+".
    pub more: bool,
}

/// Runs one query, the same way for the TUI and `zhixing search`.
pub fn search(store: &Store, text: &str, filter: Filter, today: NaiveDate) -> Result<SearchResult> {
    let shape = classify(text);
    let candidates = gather(store, &shape)?;
    let more = candidates.len() >= CANDIDATE_LIMIT;
    let mut scored = rank(store, &shape, candidates)?;
    scored.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut hits = Vec::new();
    for (id, score, matched) in scored {
        let Some(row) = store.subject_row(id, today)? else {
            continue;
        };
        if passes(&row, filter) {
            hits.push(Hit {
                row,
                score,
                matched,
            });
            if hits.len() == RESULT_LIMIT {
                return Ok(SearchResult { hits, more: true });
            }
        }
    }
    Ok(SearchResult { hits, more })
}

fn passes(row: &SubjectRow, filter: Filter) -> bool {
    match filter {
        Filter::All => true,
        Filter::Listed => row.status.listed,
        Filter::Restricted => row.status.restricted,
        Filter::ObjectionPending => row.status.objection_pending,
        Filter::DeadlineDue => row.status.deadline_running,
    }
}

/// Candidates from the index the shape calls for, deduplicated, bounded.
fn gather(store: &Store, shape: &Shape) -> Result<Vec<Candidate>> {
    let limit = CANDIDATE_LIMIT;
    let mut out = match shape {
        Shape::Empty => Vec::new(),
        Shape::Han(q) => {
            let mut c = store.prefix_candidates(q, &[Field::Name, Field::Alias], limit)?;
            if q.chars().count() <= 2 {
                let ids = store.gram_candidates(q, limit)?;
                c.extend(ids.into_iter().map(|id| Candidate {
                    subject_id: id,
                    field: None,
                    text: String::new(),
                }));
            } else {
                c.extend(store.substring_candidates(q, limit)?);
            }
            c
        }
        Shape::Pinyin(q) => {
            let mut c = store.prefix_candidates(q, &[Field::Pinyin, Field::Initials], limit)?;
            c.extend(store.substring_candidates(q, limit)?);
            c
        }
        Shape::Digits(q) => {
            let mut c = store.prefix_candidates(q, &[Field::IdNumber, Field::Phone], limit)?;
            c.extend(store.substring_candidates(q, limit)?);
            c
        }
        Shape::CaseNumber(q) => {
            let mut c = store.prefix_candidates(q, &[Field::CaseNumber], limit)?;
            c.extend(store.substring_candidates(q, limit)?);
            c
        }
        Shape::Code(q) => {
            let mut c = store.prefix_candidates(q, &[Field::IdNumber], limit)?;
            c.extend(store.substring_candidates(q, limit)?);
            c
        }
    };
    let mut seen = HashMap::new();
    out.retain(|c| seen.insert(c.subject_id, ()).is_none());
    out.truncate(limit);
    Ok(out)
}

/// Scores each candidate on the fields its shape is about.
fn rank(
    store: &Store,
    shape: &Shape,
    candidates: Vec<Candidate>,
) -> Result<Vec<(i64, i64, Matched)>> {
    let matcher = SkimMatcherV2::default();
    let q = shape.text();
    let mut out = Vec::with_capacity(candidates.len());
    for c in candidates {
        let Some((name, spaced, id_number)) = store.search_fields(c.subject_id)? else {
            continue;
        };
        let mut best: Option<(i64, Matched)> = None;
        let mut consider = |score: Option<(i64, Vec<usize>)>,
                            make: &dyn Fn(Vec<usize>) -> Matched| {
            if let Some((s, pos)) = score
                && best.as_ref().is_none_or(|b| s > b.0)
            {
                best = Some((s, make(pos)));
            }
        };
        let fuzzy = |text: &str| matcher.fuzzy_indices(text, q);
        match shape {
            Shape::Han(_) => consider(fuzzy(&name), &|p| Matched::Name(p)),
            Shape::Pinyin(_) => {
                let joined = pinyin::joined(&spaced);
                let map = |p: Vec<usize>| {
                    Matched::Name(pinyin::joined_to_name_positions(&name, &spaced, &p))
                };
                consider(fuzzy(&joined), &map);
                let initials = pinyin::initials(&spaced);
                // Initials are typed deliberately: an exact prefix ranks high.
                let init = fuzzy(&initials)
                    .map(|(s, p)| (s + if initials.starts_with(q) { 40 } else { 0 }, p));
                consider(init, &|p| Matched::Name(p));
            }
            Shape::Digits(_) | Shape::Code(_) => {
                consider(fuzzy(&id_number), &|p| Matched::IdNumber(p))
            }
            Shape::CaseNumber(_) | Shape::Empty => {}
        }
        // Matches on other texts (case numbers, phones, aliases) rank too.
        if let Some(other) = other_text(&c, q) {
            let text = other.clone();
            consider(fuzzy(&other), &move |p| Matched::Other {
                text: text.clone(),
                positions: p,
            });
        }
        if let Some((score, matched)) = best {
            out.push((c.subject_id, score, matched));
        }
    }
    Ok(out)
}

/// The text a candidate was found by, when it is not the name or ID itself.
fn other_text(c: &Candidate, q: &str) -> Option<String> {
    match c.field {
        Some(Field::CaseNumber | Field::Phone | Field::Alias) => Some(c.text.clone()),
        Some(_) => None,
        // A substring hit: the part of the haystack that holds the query.
        None if !c.text.is_empty() => {
            let lower = q.to_lowercase();
            c.text
                .split(" | ")
                .skip(3)
                .find(|part| part.to_lowercase().contains(&lower))
                .map(str::to_string)
        }
        None => None,
    }
}

impl Store {
    /// Name, spaced pinyin and ID number of a subject.
    pub fn search_fields(&self, id: i64) -> Result<Option<(String, String, String)>> {
        use rusqlite::OptionalExtension;
        let mut stmt = self
            .conn()
            .prepare_cached("SELECT name, name_pinyin, id_number FROM subject WHERE id = ?1")?;
        Ok(stmt
            .query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
            .optional()?)
    }
}
