//! The search index tables: kept in step with the subject tables, and read
//! by the search engine for candidates. Three indexes, one per query shape:
//! B-tree prefixes (search_term), one- and two-character grams of names
//! (name_gram) and trigram substrings (subject_fts).

use super::{Result, Store};
use crate::search::pinyin;
use rusqlite::{Connection, OptionalExtension, params};

/// What a search term was made from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Field {
    Name = 1,
    Pinyin = 2,
    Initials = 3,
    IdNumber = 4,
    CaseNumber = 5,
    Phone = 6,
    Alias = 7,
    /// An ID number from one of `ID_TAIL_STARTS` on.
    IdTail = 8,
    /// The pinyin of a name from its second syllable on: the given name.
    PinyinTail = 9,
}

/// Where the ID-number tails start (0-based): the birth date, its month,
/// its day, the last four characters. Digits typed from there on are a
/// prefix scan; other middles fall to the trigram index.
pub const ID_TAIL_STARTS: [usize; 4] = [6, 10, 12, 14];

/// The tails of an 18-character ID number (none for other lengths).
pub fn id_tails(id_number: &str) -> Vec<&str> {
    if id_number.len() != 18 || !id_number.is_ascii() {
        return Vec::new();
    }
    ID_TAIL_STARTS.iter().map(|&i| &id_number[i..]).collect()
}

impl Field {
    pub fn from_code(code: u8) -> Option<Field> {
        use Field::*;
        [
            Name, Pinyin, Initials, IdNumber, CaseNumber, Phone, Alias, IdTail, PinyinTail,
        ]
        .into_iter()
        .find(|f| *f as u8 == code)
    }
}

/// A candidate: which subject, and the text it matched on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub subject_id: i64,
    pub field: Option<Field>,
    pub text: String,
}

/// Everything a subject is found by.
struct Searchable {
    name: String,
    pinyin: String,
    id_number: String,
    aliases: Vec<(String, String)>,
    phones: Vec<String>,
    cases: Vec<String>,
}

/// Name, spaced pinyin and ID number of a subject.
fn name_fields(conn: &Connection, id: i64) -> rusqlite::Result<Option<(String, String, String)>> {
    let mut stmt =
        conn.prepare_cached("SELECT name, name_pinyin, id_number FROM subject WHERE id = ?1")?;
    stmt.query_row([id], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .optional()
}

fn load(conn: &Connection, id: i64) -> rusqlite::Result<Option<Searchable>> {
    let Some((name, pinyin, id_number)) = name_fields(conn, id)? else {
        return Ok(None);
    };
    let list = |sql: &str| -> rusqlite::Result<Vec<String>> {
        let mut stmt = conn.prepare_cached(sql)?;
        stmt.query_map([id], |r| r.get(0))?.collect()
    };
    // Found as typed without separators: 0371-62871135 as 037162871135.
    let phones = list("SELECT number FROM phone WHERE subject_id = ?1")?
        .into_iter()
        .map(|p| p.replace(['-', ' '], ""))
        .collect();
    let cases = list(
        "SELECT e.case_number FROM case_debtor cd JOIN enforcement_case e ON e.id = cd.case_id WHERE cd.subject_id = ?1",
    )?;
    let mut stmt =
        conn.prepare_cached("SELECT name, name_pinyin FROM alias WHERE subject_id = ?1")?;
    let aliases = stmt
        .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    Ok(Some(Searchable {
        name,
        pinyin,
        id_number,
        aliases,
        phones,
        cases,
    }))
}

/// Rewrites one subject's entries; call inside the transaction that changed it.
pub fn index_subject(conn: &Connection, id: i64) -> rusqlite::Result<()> {
    conn.prepare_cached("DELETE FROM search_term WHERE subject_id = ?1")?
        .execute([id])?;
    conn.prepare_cached("DELETE FROM name_gram WHERE subject_id = ?1")?
        .execute([id])?;
    conn.prepare_cached("DELETE FROM subject_fts WHERE rowid = ?1")?
        .execute([id])?;
    let Some(s) = load(conn, id)? else {
        return Ok(());
    };
    let mut term = conn.prepare_cached(
        "INSERT OR IGNORE INTO search_term (term, subject_id, field) VALUES (?1, ?2, ?3)",
    )?;
    let mut put = |text: &str, field: Field| {
        if text.is_empty() {
            return Ok(());
        }
        term.execute(params![text, id, field as u8]).map(|_| ())
    };
    put(&s.name, Field::Name)?;
    put(&pinyin::joined(&s.pinyin), Field::Pinyin)?;
    put(&pinyin::initials(&s.pinyin), Field::Initials)?;
    put(&pinyin::from_second_syllable(&s.pinyin), Field::PinyinTail)?;
    put(&s.id_number, Field::IdNumber)?;
    for tail in id_tails(&s.id_number) {
        put(tail, Field::IdTail)?;
    }
    for c in &s.cases {
        put(c, Field::CaseNumber)?;
    }
    for p in &s.phones {
        put(p, Field::Phone)?;
    }
    for (alias, alias_pinyin) in &s.aliases {
        put(alias, Field::Alias)?;
        put(&pinyin::joined(alias_pinyin), Field::Pinyin)?;
    }
    let mut gram =
        conn.prepare_cached("INSERT OR IGNORE INTO name_gram (gram, subject_id) VALUES (?1, ?2)")?;
    for name in std::iter::once(&s.name).chain(s.aliases.iter().map(|a| &a.0)) {
        for g in grams(name) {
            gram.execute(params![g, id])?;
        }
    }
    conn.prepare_cached("INSERT INTO subject_fts (rowid, haystack) VALUES (?1, ?2)")?
        .execute(params![id, haystack(&s)])?;
    Ok(())
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

fn haystack(s: &Searchable) -> String {
    let mut parts = vec![
        s.name.clone(),
        pinyin::joined(&s.pinyin),
        s.id_number.clone(),
    ];
    parts.extend(s.cases.iter().cloned());
    parts.extend(s.phones.iter().cloned());
    parts.extend(s.aliases.iter().map(|a| a.0.clone()));
    parts.join(" | ")
}

/// The index keeps no positions (detail=none keeps it small), so a query is
/// the AND of its trigrams; hits are then confirmed with instr. Trigrams at
/// every third position and the last one cover the whole text.
fn trigram_query(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut starts: Vec<usize> = (0..chars.len().saturating_sub(2)).step_by(3).collect();
    if let Some(last) = chars.len().checked_sub(3)
        && starts.last() != Some(&last)
    {
        starts.push(last);
    }
    starts
        .into_iter()
        .map(|i| {
            format!(
                "\"{}\"",
                chars[i..i + 3]
                    .iter()
                    .collect::<String>()
                    .replace('"', "\"\"")
            )
        })
        .collect::<Vec<_>>()
        .join(" AND ")
}

impl Store {
    /// Terms starting with `prefix` in the given fields, at most `limit`.
    pub fn prefix_candidates(
        &self,
        prefix: &str,
        fields: &[Field],
        limit: usize,
    ) -> Result<Vec<Candidate>> {
        let upper = format!("{prefix}\u{10FFFF}");
        let mut stmt = self.conn.prepare_cached(
            "SELECT subject_id, field, term FROM search_term WHERE term >= ?1 AND term < ?2 LIMIT ?3",
        )?;
        // Read more than asked, since other fields share the key range.
        let scan = limit * 4;
        let mut out = Vec::new();
        let mut rows = stmt.query(params![prefix, upper, scan as i64])?;
        while let Some(r) = rows.next()? {
            let field = Field::from_code(r.get(1)?);
            if field.is_some_and(|f| fields.contains(&f)) {
                out.push(Candidate {
                    subject_id: r.get(0)?,
                    field,
                    text: r.get(2)?,
                });
                if out.len() == limit {
                    break;
                }
            }
        }
        Ok(out)
    }

    /// Subjects whose name holds this one- or two-character gram, with
    /// their names (what they are ranked on).
    pub fn gram_candidates(&self, gram: &str, limit: usize) -> Result<Vec<Candidate>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT g.subject_id, s.name FROM name_gram g JOIN subject s ON s.id = g.subject_id
             WHERE g.gram = ?1 LIMIT ?2",
        )?;
        unplaced(&mut stmt, params![gram, limit as i64])
    }

    /// Subjects with `text` (three characters or more) anywhere in what they
    /// are found by. The trigram index keeps no positions, so the hits are
    /// confirmed with instr.
    pub fn substring_candidates(&self, text: &str, limit: usize) -> Result<Vec<Candidate>> {
        if text.chars().count() < 3 {
            return Ok(Vec::new());
        }
        let phrase = trigram_query(text);
        let mut stmt = self.conn.prepare_cached(
            "SELECT rowid, haystack FROM subject_fts WHERE subject_fts MATCH ?1
               AND instr(lower(haystack), lower(?2)) > 0 LIMIT ?3",
        )?;
        unplaced(&mut stmt, params![phrase, text, limit as i64])
    }
}

/// Candidates found somewhere inside a text (no term field): rows of
/// (subject id, that text).
fn unplaced(
    stmt: &mut rusqlite::Statement,
    params: impl rusqlite::Params,
) -> Result<Vec<Candidate>> {
    let rows = stmt.query_map(params, |r| {
        Ok(Candidate {
            subject_id: r.get(0)?,
            field: None,
            text: r.get(1)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}
