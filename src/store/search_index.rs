//! The search index tables: kept in step with the subject tables, and read
//! by the search engine for candidates. Three indexes, one per query shape:
//! B-tree prefixes (search_term), one- and two-character grams of names
//! (name_gram) and trigram substrings (subject_fts). What each subject
//! was indexed by is kept beside them (indexed_subject, search_source.rs).

use super::search_source::{self, LastIndexed, Searchable};
use super::{Result, Store};
use rusqlite::{Connection, params};

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

/// Rewrites one subject's entries; call inside the transaction that changed
/// it. The old entries are removed by their keys, made again from what the
/// subject was last indexed by.
pub fn index_subject(conn: &Connection, id: i64) -> rusqlite::Result<()> {
    let new = search_source::load(conn, id)?;
    match search_source::indexed(conn, id)? {
        LastIndexed::By(old) if Some(&old) == new.as_ref() => return Ok(()),
        LastIndexed::By(old) => remove(conn, id, &old)?,
        LastIndexed::Unreadable => remove_by_scan(conn, &[id])?,
        LastIndexed::Never => {}
    }
    if let Some(new) = new {
        add(conn, id, &new)?;
    }
    Ok(())
}

/// Removes subjects' entries without knowing them: one scan of the term
/// and gram tables (no index by subject), for kept sources that cannot be
/// read. Rare; slow on a large store, but the subjects stay workable.
pub(super) fn remove_by_scan(conn: &Connection, ids: &[i64]) -> rusqlite::Result<()> {
    let ids = search_source::to_json(&ids)?;
    for sql in [
        "DELETE FROM search_term WHERE subject_id IN (SELECT value FROM json_each(?1))",
        "DELETE FROM name_gram WHERE subject_id IN (SELECT value FROM json_each(?1))",
        "DELETE FROM subject_fts WHERE rowid IN (SELECT value FROM json_each(?1))",
        "DELETE FROM indexed_subject WHERE subject_id IN (SELECT value FROM json_each(?1))",
    ] {
        conn.prepare_cached(sql)?.execute([&ids])?;
    }
    Ok(())
}

fn remove(conn: &Connection, id: i64, old: &Searchable) -> rusqlite::Result<()> {
    each_entry(
        conn,
        id,
        old,
        "DELETE FROM search_term WHERE term = ?1 AND subject_id = ?2 AND field = ?3",
        "DELETE FROM name_gram WHERE gram = ?1 AND subject_id = ?2",
    )?;
    conn.prepare_cached("DELETE FROM subject_fts WHERE rowid = ?1")?
        .execute([id])?;
    conn.prepare_cached("DELETE FROM indexed_subject WHERE subject_id = ?1")?
        .execute([id])?;
    Ok(())
}

fn add(conn: &Connection, id: i64, new: &Searchable) -> rusqlite::Result<()> {
    each_entry(
        conn,
        id,
        new,
        "INSERT OR IGNORE INTO search_term (term, subject_id, field) VALUES (?1, ?2, ?3)",
        "INSERT OR IGNORE INTO name_gram (gram, subject_id) VALUES (?1, ?2)",
    )?;
    conn.prepare_cached("INSERT INTO subject_fts (rowid, haystack) VALUES (?1, ?2)")?
        .execute(params![id, new.haystack()])?;
    conn.prepare_cached("INSERT INTO indexed_subject (subject_id, source) VALUES (?1, ?2)")?
        .execute(params![id, search_source::to_json(new)?])?;
    Ok(())
}

/// Runs `term_sql` (term, subject, field) for each of the source's terms
/// and `gram_sql` (gram, subject) for each of its name grams.
fn each_entry(
    conn: &Connection,
    id: i64,
    source: &Searchable,
    term_sql: &str,
    gram_sql: &str,
) -> rusqlite::Result<()> {
    let mut term = conn.prepare_cached(term_sql)?;
    for (field, text) in source.terms() {
        term.execute(params![text, id, field as u8])?;
    }
    let mut gram = conn.prepare_cached(gram_sql)?;
    for g in source.grams() {
        gram.execute(params![g, id])?;
    }
    Ok(())
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
