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

/// Candidates taken from the second-choice indexes (substrings, grams)
/// when the prefix terms do not serve (see `gather`): they rank below
/// prefix matches, so a few more than a page is plenty.
pub const SECONDARY_LIMIT: usize = 2 * RESULT_LIMIT;

/// Runs one query, the same way for the TUI and `zhixing search`.
///
/// Candidates carry the text they were found by, so ranking reads nothing;
/// then the rows of the best are read in one statement, and only those
/// get their highlights.
pub fn search(store: &Store, text: &str, filter: Filter, today: NaiveDate) -> Result<SearchResult> {
    let shape = classify(text);
    let (candidates, more) = gather(store, &shape)?;
    let mut scored = score(&shape, candidates);
    scored.sort_by(|a, b| b.score.cmp(&a.score).then(a.id.cmp(&b.id)));
    let mut hits = Vec::new();
    // Read in pages until the filter has admitted one beyond the limit.
    for page in scored.chunks(RESULT_LIMIT + 1) {
        let ids: Vec<i64> = page.iter().map(|s| s.id).collect();
        for row in store.rows_for(&ids, today)? {
            let Some(scored) = page.iter().find(|s| s.id == row.id) else {
                continue;
            };
            if !filter.admits(&row.status) {
                continue;
            }
            let matched = highlight(&shape, &row, &scored.candidate);
            hits.push(Hit {
                row,
                score: scored.score,
                matched,
            });
            if hits.len() > RESULT_LIMIT {
                hits.truncate(RESULT_LIMIT);
                return Ok(SearchResult { hits, more: true });
            }
        }
    }
    Ok(SearchResult { hits, more })
}

/// A candidate with its score.
struct Scored {
    id: i64,
    score: i64,
    candidate: Candidate,
}

/// Candidates from the indexes the shape calls for, deduplicated, bounded,
/// and whether there were more: prefixes of the shape's fields first; then,
/// for Han when those do not fill the limit and for the other shapes when
/// they found nothing, substrings anywhere (one and two Han characters from
/// their own gram index, since trigrams need three).
fn gather(store: &Store, shape: &Shape) -> Result<(Vec<Candidate>, bool)> {
    let fields: &[Field] = match shape {
        Shape::Empty => return Ok((Vec::new(), false)),
        Shape::Han(_) => &[Field::Name, Field::Alias],
        Shape::Pinyin(_) => &[Field::Pinyin, Field::Initials, Field::PinyinTail],
        Shape::Digits(_) => &[Field::IdNumber, Field::Phone, Field::IdTail],
        Shape::CaseNumber(_) => &[Field::CaseNumber],
        Shape::Code(_) => &[Field::IdNumber, Field::IdTail],
    };
    let q = shape.text();
    let mut out = store.prefix_candidates(q, fields, CANDIDATE_LIMIT)?;
    if out.len() >= CANDIDATE_LIMIT {
        return Ok((dedup(out), true));
    }
    // Beyond names, a substring anywhere is looked for only when no field
    // starts with the query: the trigram lists of digits and Latin letters
    // are long (a second per query at ten million subjects), and the
    // prefix terms already hold an ID from its birth date, month, day and
    // last four, and a name's pinyin from its given name.
    if !matches!(shape, Shape::Han(_)) && !out.is_empty() {
        return Ok((dedup(out), false));
    }
    let secondary = if matches!(shape, Shape::Han(_)) && q.chars().count() <= 2 {
        store.gram_candidates(q, SECONDARY_LIMIT)?
    } else {
        store.substring_candidates(q, SECONDARY_LIMIT)?
    };
    let more = secondary.len() >= SECONDARY_LIMIT;
    out.extend(secondary);
    Ok((dedup(out), more))
}

fn dedup(mut candidates: Vec<Candidate>) -> Vec<Candidate> {
    let mut seen = HashSet::new();
    candidates.retain(|c| seen.insert(c.subject_id));
    candidates
}

/// Scores each candidate on the text it was found by.
fn score(shape: &Shape, candidates: Vec<Candidate>) -> Vec<Scored> {
    let matcher = SkimMatcherV2::default();
    let q = shape.text();
    candidates
        .into_iter()
        .filter_map(|c| {
            let text = found_text(&c, q);
            let mut score = matcher.fuzzy_match(text, q)?;
            // Initials are typed deliberately: an exact prefix ranks high.
            if c.field == Some(Field::Initials) && text.starts_with(q) {
                score += INITIALS_BONUS;
            }
            Some(Scored {
                id: c.subject_id,
                score,
                candidate: c,
            })
        })
        .collect()
}

const INITIALS_BONUS: i64 = 40;

/// The text a candidate is scored on: its term, or the part of a
/// substring hit's haystack that holds the query.
fn found_text<'c>(c: &'c Candidate, q: &str) -> &'c str {
    if c.field.is_some() {
        return &c.text;
    }
    part_holding(&c.text, q, 0).unwrap_or(&c.text)
}

/// The first part of a trigram hit's haystack (name | pinyin | ID number |
/// cases, phones, aliases) from part `from` on that holds the query.
fn part_holding<'h>(haystack: &'h str, q: &str, from: usize) -> Option<&'h str> {
    let lower = q.to_lowercase();
    haystack
        .split(" | ")
        .skip(from)
        .find(|part| part.to_lowercase().contains(&lower))
}

/// Where the query matched in a result: the best match on the fields the
/// shape is about (the first of equals), or on the other text it was found by.
fn highlight(shape: &Shape, row: &SubjectRow, c: &Candidate) -> Matched {
    let matcher = SkimMatcherV2::default();
    let q = shape.text();
    let fuzzy = |text: &str| matcher.fuzzy_indices(text, q);
    let (name, spaced) = (&row.name, &row.name_pinyin);
    let mut options: Vec<Option<(i64, Matched)>> = Vec::new();
    match shape {
        Shape::Han(_) => options.push(fuzzy(name).map(|(s, p)| (s, Matched::Name(p)))),
        Shape::Pinyin(_) => {
            let on_name =
                |p: Vec<usize>| Matched::Name(pinyin::joined_to_name_positions(name, spaced, &p));
            options.push(fuzzy(&pinyin::joined(spaced)).map(|(s, p)| (s, on_name(p))));
            let initials = pinyin::initials(spaced);
            let bonus = if initials.starts_with(q) {
                INITIALS_BONUS
            } else {
                0
            };
            options.push(fuzzy(&initials).map(|(s, p)| (s + bonus, Matched::Name(p))));
        }
        Shape::Digits(_) | Shape::Code(_) => {
            options.push(fuzzy(&row.id_number).map(|(s, p)| (s, Matched::IdNumber(p))));
        }
        Shape::CaseNumber(_) | Shape::Empty => {}
    }
    // Matches on other texts (case numbers, phones, aliases) count too.
    if let Some(text) = other_text(c, q) {
        let scored = fuzzy(&text);
        options.push(scored.map(|(s, positions)| (s, Matched::Other { text, positions })));
    }
    options
        .into_iter()
        .flatten()
        .reduce(|a, b| if b.0 > a.0 { b } else { a })
        .map_or(Matched::Name(Vec::new()), |(_, m)| m)
}

/// The text a candidate was found by, when it is not the name or ID itself.
fn other_text(c: &Candidate, q: &str) -> Option<String> {
    match c.field {
        Some(Field::CaseNumber | Field::Phone | Field::Alias) => Some(c.text.clone()),
        Some(_) => None,
        // A substring hit beyond name, pinyin and ID number: the part of
        // the haystack that holds the query.
        None if !c.text.is_empty() => part_holding(&c.text, q, 3).map(str::to_string),
        None => None,
    }
}
