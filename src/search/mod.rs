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
use std::collections::HashSet;

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
    let capped = candidates.len() >= CANDIDATE_LIMIT;
    let mut scored = rank(store, &shape, candidates)?;
    scored.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    let mut hits = Vec::new();
    for (id, score, matched) in scored {
        let Some(row) = store.subject_row(id, today)? else {
            continue;
        };
        if filter.admits(&row.status) {
            hits.push(Hit {
                row,
                score,
                matched,
            });
            // One beyond the limit tells there are more.
            if hits.len() > RESULT_LIMIT {
                hits.truncate(RESULT_LIMIT);
                return Ok(SearchResult { hits, more: true });
            }
        }
    }
    Ok(SearchResult { hits, more: capped })
}

/// Candidates from the indexes the shape calls for, deduplicated, bounded:
/// prefixes of the shape's fields, then substrings anywhere (one and two Han
/// characters from their own gram index, since trigrams need three).
fn gather(store: &Store, shape: &Shape) -> Result<Vec<Candidate>> {
    let limit = CANDIDATE_LIMIT;
    let fields: &[Field] = match shape {
        Shape::Empty => return Ok(Vec::new()),
        Shape::Han(_) => &[Field::Name, Field::Alias],
        Shape::Pinyin(_) => &[Field::Pinyin, Field::Initials],
        Shape::Digits(_) => &[Field::IdNumber, Field::Phone],
        Shape::CaseNumber(_) => &[Field::CaseNumber],
        Shape::Code(_) => &[Field::IdNumber],
    };
    let q = shape.text();
    let mut out = store.prefix_candidates(q, fields, limit)?;
    if matches!(shape, Shape::Han(_)) && q.chars().count() <= 2 {
        let ids = store.gram_candidates(q, limit)?;
        out.extend(ids.into_iter().map(|id| Candidate {
            subject_id: id,
            field: None,
            text: String::new(),
        }));
    } else {
        out.extend(store.substring_candidates(q, limit)?);
    }
    let mut seen = HashSet::new();
    out.retain(|c| seen.insert(c.subject_id));
    out.truncate(limit);
    Ok(out)
}

/// Scores each candidate on the fields its shape is about, keeping the best
/// match of each (the first of equals).
fn rank(
    store: &Store,
    shape: &Shape,
    candidates: Vec<Candidate>,
) -> Result<Vec<(i64, i64, Matched)>> {
    let matcher = SkimMatcherV2::default();
    let q = shape.text();
    let fuzzy = |text: &str| matcher.fuzzy_indices(text, q);
    let mut out = Vec::with_capacity(candidates.len());
    for c in candidates {
        let Some((name, spaced, id_number)) = store.search_fields(c.subject_id)? else {
            continue;
        };
        let mut options: Vec<Option<(i64, Matched)>> = Vec::new();
        match shape {
            Shape::Han(_) => options.push(fuzzy(&name).map(|(s, p)| (s, Matched::Name(p)))),
            Shape::Pinyin(_) => {
                let on_name = |p: Vec<usize>| {
                    Matched::Name(pinyin::joined_to_name_positions(&name, &spaced, &p))
                };
                options.push(fuzzy(&pinyin::joined(&spaced)).map(|(s, p)| (s, on_name(p))));
                let initials = pinyin::initials(&spaced);
                // Initials are typed deliberately: an exact prefix ranks high.
                let bonus = if initials.starts_with(q) { 40 } else { 0 };
                options.push(fuzzy(&initials).map(|(s, p)| (s + bonus, Matched::Name(p))));
            }
            Shape::Digits(_) | Shape::Code(_) => {
                options.push(fuzzy(&id_number).map(|(s, p)| (s, Matched::IdNumber(p))));
            }
            Shape::CaseNumber(_) | Shape::Empty => {}
        }
        // Matches on other texts (case numbers, phones, aliases) rank too.
        if let Some(text) = other_text(&c, q) {
            let scored = fuzzy(&text);
            options.push(scored.map(|(s, positions)| (s, Matched::Other { text, positions })));
        }
        let best = options
            .into_iter()
            .flatten()
            .reduce(|a, b| if b.0 > a.0 { b } else { a });
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
