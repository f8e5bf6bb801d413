//! What a subject is found by, and the index entries made from it. The
//! source is kept as JSON in `indexed_subject` as it was last indexed, so a
//! subject's old entries are removed by their keys when it changes (no
//! index by subject over the terms, which cost more to build after an
//! import than the terms themselves); a kept source that cannot be read
//! has its entries removed by a scan instead. One set of rules serves both
//! paths: `index_subject` one subject at a time and search_bulk through SQL
//! functions.

use super::search_index::{Field, id_tails};
use crate::search::pinyin;
use rusqlite::{Connection, OptionalExtension};
use serde::{Deserialize, Serialize};

/// Everything a subject is found by, as its tables hold it. The JSON form
/// is built by `SOURCE_SQL` too: the field names are part of the store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Searchable {
    pub name: String,
    /// Spaced, as stored: `zhang san`.
    pub pinyin: String,
    pub id_number: String,
    /// (name, spaced pinyin) of each alias.
    pub aliases: Vec<(String, String)>,
    /// As stored, separators included.
    pub phones: Vec<String>,
    pub cases: Vec<String>,
}

/// The source of subject `s`, as JSON, in the form `Searchable` reads.
pub const SOURCE_SQL: &str = "json_object(
    'name', s.name, 'pinyin', s.name_pinyin, 'id_number', s.id_number,
    'aliases', json((SELECT json_group_array(json_array(a.name, a.name_pinyin))
                     FROM alias a WHERE a.subject_id = s.id)),
    'phones', json((SELECT json_group_array(p.number) FROM phone p WHERE p.subject_id = s.id)),
    'cases', json((SELECT json_group_array(e.case_number) FROM case_debtor d
                   JOIN enforcement_case e ON e.id = d.case_id WHERE d.subject_id = s.id)))";

/// Found as typed without separators: 0371-62871135 as 037162871135.
fn phone_digits(number: &str) -> String {
    number.replace(['-', ' '], "")
}

impl Searchable {
    /// The prefix terms, empty ones left out (a pair may repeat: the
    /// index keeps it once).
    pub fn terms(&self) -> Vec<(Field, String)> {
        let mut out = vec![
            (Field::Name, self.name.clone()),
            (Field::Pinyin, pinyin::joined(&self.pinyin)),
            (Field::Initials, pinyin::initials(&self.pinyin)),
            (
                Field::PinyinTail,
                pinyin::from_second_syllable(&self.pinyin),
            ),
            (Field::IdNumber, self.id_number.clone()),
        ];
        out.extend(
            id_tails(&self.id_number)
                .into_iter()
                .map(|t| (Field::IdTail, t.to_string())),
        );
        out.extend(self.cases.iter().map(|c| (Field::CaseNumber, c.clone())));
        out.extend(self.phones.iter().map(|p| (Field::Phone, phone_digits(p))));
        for (alias, alias_pinyin) in &self.aliases {
            out.push((Field::Alias, alias.clone()));
            out.push((Field::Pinyin, pinyin::joined(alias_pinyin)));
        }
        out.retain(|(_, term)| !term.is_empty());
        out
    }

    /// The one- and two-character grams of the name and the aliases, once each.
    pub fn grams(&self) -> Vec<String> {
        let names = std::iter::once(&self.name).chain(self.aliases.iter().map(|a| &a.0));
        let mut out: Vec<String> = names.flat_map(|n| grams(n)).collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// The text the trigram index holds.
    pub fn haystack(&self) -> String {
        let mut parts = vec![
            self.name.clone(),
            pinyin::joined(&self.pinyin),
            self.id_number.clone(),
        ];
        parts.extend(self.cases.iter().cloned());
        parts.extend(self.phones.iter().map(|p| phone_digits(p)));
        parts.extend(self.aliases.iter().map(|a| a.0.clone()));
        parts.join(" | ")
    }
}

/// One- and two-character grams of the Han part of a name.
pub fn grams(name: &str) -> Vec<String> {
    let chars: Vec<char> = name.chars().filter(|c| !c.is_ascii()).collect();
    let mut out: Vec<String> = chars.iter().map(|c| c.to_string()).collect();
    out.extend(chars.windows(2).map(|w| w.iter().collect::<String>()));
    out.sort_unstable();
    out.dedup();
    out
}

/// What the subject's tables hold now (None: no such subject).
pub fn load(conn: &Connection, id: i64) -> rusqlite::Result<Option<Searchable>> {
    read_json(
        conn,
        &format!("SELECT {SOURCE_SQL} FROM subject s WHERE s.id = ?1"),
        id,
    )?
    .map(|j| parse(&j))
    .transpose()
}

/// What a subject was last indexed by, as `indexed_subject` holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LastIndexed {
    Never,
    By(Searchable),
    /// The kept source is not a source (edited by another program): its
    /// entries cannot be named by their keys.
    Unreadable,
}

/// What the subject was last indexed by.
pub fn indexed(conn: &Connection, id: i64) -> rusqlite::Result<LastIndexed> {
    let json = read_json(
        conn,
        "SELECT source FROM indexed_subject WHERE subject_id = ?1",
        id,
    )?;
    Ok(match json.map(|j| parse(&j)) {
        None => LastIndexed::Never,
        Some(Ok(source)) => LastIndexed::By(source),
        Some(Err(_)) => LastIndexed::Unreadable,
    })
}

/// The JSON a one-column query on a subject's id returns.
fn read_json(conn: &Connection, sql: &str, id: i64) -> rusqlite::Result<Option<String>> {
    conn.prepare_cached(sql)?
        .query_row([id], |r| r.get(0))
        .optional()
}

/// A source read back from its JSON.
pub fn parse(json: &str) -> rusqlite::Result<Searchable> {
    serde_json::from_str(json).map_err(|e| rusqlite::Error::UserFunctionError(Box::new(e)))
}

/// A source (or what SQL functions return) as JSON.
pub fn to_json<T: Serialize>(value: &T) -> rusqlite::Result<String> {
    serde_json::to_string(value).map_err(|e| rusqlite::Error::UserFunctionError(Box::new(e)))
}
