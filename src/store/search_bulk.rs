//! The search index built for many subjects at once, after a bulk load:
//! each table filled by one INSERT ... SELECT in key order (so the B-trees
//! grow at their end), with the same entries `index_subject` writes one
//! subject at a time. Two SQL functions bring the Rust rules in: pinyin
//! initials and the Han grams of a name.

use super::import::report_time;
use super::search_index::{ID_TAIL_STARTS, grams};
use crate::search::pinyin;
use rusqlite::Connection;
use rusqlite::functions::FunctionFlags;
use std::time::Instant;

/// Which subjects to index.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    All,
    /// The subjects listed in temp.import_touched (subject_id).
    Touched,
}

impl Scope {
    /// A condition on `s.id` (s: the subject being indexed).
    fn filter(self) -> &'static str {
        match self {
            Scope::All => "1",
            Scope::Touched => "s.id IN (SELECT subject_id FROM temp.import_touched)",
        }
    }
}

fn register(conn: &Connection) -> rusqlite::Result<()> {
    let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC;
    conn.create_scalar_function("zx_initials", 1, flags, |ctx| {
        Ok(pinyin::initials(&ctx.get::<String>(0)?))
    })?;
    conn.create_scalar_function("zx_grams", 1, flags, |ctx| {
        let grams = grams(&ctx.get::<String>(0)?);
        serde_json::to_string(&grams).map_err(|e| rusqlite::Error::UserFunctionError(Box::new(e)))
    })
}

/// The terms of a subject: (term, field), fields as in search_index::Field.
const TERMS: &str = "
    SELECT s.name AS term, s.id AS subject_id, 1 AS field FROM subject s WHERE {scope}
    UNION ALL SELECT replace(s.name_pinyin, ' ', ''), s.id, 2 FROM subject s WHERE {scope}
    UNION ALL SELECT zx_initials(s.name_pinyin), s.id, 3 FROM subject s WHERE {scope}
    UNION ALL SELECT s.id_number, s.id, 4 FROM subject s WHERE {scope}
    UNION ALL {tails}
    UNION ALL SELECT e.case_number, s.id, 5 FROM subject s
        JOIN case_debtor d ON d.subject_id = s.id JOIN enforcement_case e ON e.id = d.case_id WHERE {scope}
    UNION ALL SELECT replace(replace(p.number, '-', ''), ' ', ''), s.id, 6 FROM subject s
        JOIN phone p ON p.subject_id = s.id WHERE {scope}
    UNION ALL SELECT a.name, s.id, 7 FROM subject s JOIN alias a ON a.subject_id = s.id WHERE {scope}
    UNION ALL SELECT replace(a.name_pinyin, ' ', ''), s.id, 2 FROM subject s
        JOIN alias a ON a.subject_id = s.id WHERE {scope}";

const GRAMS: &str = "
    SELECT j.value AS gram, s.id AS subject_id FROM subject s, json_each(zx_grams(s.name)) j WHERE {scope}
    UNION ALL SELECT j.value, s.id FROM subject s JOIN alias a ON a.subject_id = s.id,
        json_each(zx_grams(a.name)) j WHERE {scope}";

const HAYSTACK: &str = "
    SELECT s.id, s.name || ' | ' || replace(s.name_pinyin, ' ', '') || ' | ' || s.id_number
        || coalesce((SELECT ' | ' || group_concat(e.case_number, ' | ') FROM case_debtor d
                     JOIN enforcement_case e ON e.id = d.case_id WHERE d.subject_id = s.id), '')
        || coalesce((SELECT ' | ' || group_concat(replace(replace(p.number, '-', ''), ' ', ''), ' | ')
                     FROM phone p WHERE p.subject_id = s.id), '')
        || coalesce((SELECT ' | ' || group_concat(a.name, ' | ') FROM alias a WHERE a.subject_id = s.id), '')
    FROM subject s WHERE {scope} ORDER BY s.id";

/// The terms schema version 6 added: ID-number tails (field 8, from each
/// of `{starts}`, a JSON array) and the pinyin from the second syllable on
/// (field 9).
const TAILS: &str = "
    SELECT substr(s.id_number, t.value + 1), s.id, 8 FROM subject s, json_each('{starts}') t
        WHERE length(s.id_number) = 18 AND {scope}
    UNION ALL SELECT replace(substr(s.name_pinyin, instr(s.name_pinyin, ' ') + 1), ' ', ''), s.id, 9
        FROM subject s WHERE instr(s.name_pinyin, ' ') > 0 AND {scope}";

fn tails_sql(filter: &str) -> String {
    let starts = serde_json::to_string(&ID_TAIL_STARTS).unwrap_or_else(|_| "[]".into());
    TAILS
        .replace("{starts}", &starts)
        .replace("{scope}", filter)
}

fn terms_sql(filter: &str) -> String {
    TERMS
        .replace("{tails}", &tails_sql(filter))
        .replace("{scope}", filter)
}

/// Adds the terms of schema version 6 for every subject: a store made
/// before it has the others already.
pub fn add_version_6_terms(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute(
        &format!(
            "INSERT OR IGNORE INTO search_term (term, subject_id, field)
             SELECT * FROM ({}) ORDER BY 1, 2, 3",
            tails_sql("1")
        ),
        [],
    )?;
    Ok(())
}

/// Rewrites the index entries of the subjects in scope, inside the
/// caller's transaction.
pub fn index_set(conn: &Connection, scope: Scope) -> rusqlite::Result<()> {
    register(conn)?;
    let filter = scope.filter();
    match scope {
        // The by-subject indexes are built once at the end: filled row by
        // row in term order they would be written in random order.
        Scope::All => conn.execute_batch(
            "DELETE FROM search_term; DELETE FROM name_gram; DELETE FROM subject_fts;
             DROP INDEX IF EXISTS search_term_by_subject; DROP INDEX IF EXISTS name_gram_by_subject;",
        )?,
        Scope::Touched => conn.execute_batch(
            "DELETE FROM search_term WHERE subject_id IN (SELECT subject_id FROM temp.import_touched);
             DELETE FROM name_gram WHERE subject_id IN (SELECT subject_id FROM temp.import_touched);
             DELETE FROM subject_fts WHERE rowid IN (SELECT subject_id FROM temp.import_touched);",
        )?,
    }
    let started = Instant::now();
    conn.execute(
        &format!(
            "INSERT OR IGNORE INTO search_term (term, subject_id, field)
             SELECT term, subject_id, field FROM ({}) WHERE term <> '' ORDER BY term, subject_id, field",
            terms_sql(filter)
        ),
        [],
    )?;
    report_time("search index: terms", started);
    let started = Instant::now();
    conn.execute(
        &format!(
            "INSERT OR IGNORE INTO name_gram (gram, subject_id)
             SELECT gram, subject_id FROM ({}) ORDER BY gram, subject_id",
            GRAMS.replace("{scope}", filter)
        ),
        [],
    )?;
    report_time("search index: name grams", started);
    let started = Instant::now();
    conn.execute(
        &format!(
            "INSERT INTO subject_fts (rowid, haystack) {}",
            HAYSTACK.replace("{scope}", filter)
        ),
        [],
    )?;
    report_time("search index: trigrams", started);
    if scope == Scope::All {
        let started = Instant::now();
        conn.execute_batch(
            "CREATE INDEX search_term_by_subject ON search_term (subject_id);
             CREATE INDEX name_gram_by_subject ON name_gram (subject_id);",
        )?;
        report_time("search index: by-subject indexes", started);
    }
    Ok(())
}
