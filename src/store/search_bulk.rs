//! The search index built for many subjects at once, after a bulk load:
//! each table filled by one INSERT ... SELECT in key order (so the B-trees
//! grow at their end), with the same entries `index_subject` writes one
//! subject at a time: each subject's source is written first, and SQL
//! functions make its entries with the rules of search_source.rs.

use super::import::report_time;
use super::search_index;
use super::search_source::{self, SOURCE_SQL, Searchable};
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
    /// A condition on the subject id `column`.
    fn filter(self, column: &str) -> String {
        match self {
            Scope::All => "1".into(),
            Scope::Touched => format!("{column} IN (SELECT subject_id FROM temp.import_touched)"),
        }
    }
}

/// zx_terms(source): a subject's terms, each as its field's code (one
/// digit, 1 to 9) and the term, `1张三`: TERMS takes them apart (a JSON
/// array of pairs cost a parse per pair there, a fifth of the step);
/// zx_grams(source): its name grams; zx_name_grams(name): one name's;
/// zx_haystack(source): its trigram text; zx_readable(source): whether it
/// is a source at all.
pub(crate) fn register(conn: &Connection) -> rusqlite::Result<()> {
    let flags = FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC;
    conn.create_scalar_function("zx_terms", 1, flags, |ctx| {
        let terms: Vec<String> = source(ctx)?
            .terms()
            .into_iter()
            .map(|(field, term)| format!("{}{term}", field as u8))
            .collect();
        search_source::to_json(&terms)
    })?;
    conn.create_scalar_function("zx_grams", 1, flags, |ctx| {
        search_source::to_json(&source(ctx)?.grams())
    })?;
    conn.create_scalar_function("zx_name_grams", 1, flags, |ctx| {
        search_source::to_json(&search_source::grams(&ctx.get::<String>(0)?))
    })?;
    conn.create_scalar_function("zx_haystack", 1, flags, |ctx| Ok(source(ctx)?.haystack()))?;
    conn.create_scalar_function("zx_readable", 1, flags, |ctx| Ok(source(ctx).is_ok()))
}

fn source(ctx: &rusqlite::functions::Context) -> rusqlite::Result<Searchable> {
    search_source::parse(ctx.get_raw(0).as_str().map_err(rusqlite::Error::from)?)
}

/// The entries of the indexed subjects in scope (x: indexed_subject).
const TERMS: &str = "SELECT substr(t.value, 2), x.subject_id, unicode(t.value) - unicode('0')
    FROM indexed_subject x, json_each(zx_terms(x.source)) t WHERE {scope}";
const GRAMS: &str = "SELECT g.value, x.subject_id
    FROM indexed_subject x, json_each(zx_grams(x.source)) g WHERE {scope}";

/// Rewrites the index entries of the subjects in scope, inside the
/// caller's transaction.
pub fn index_set(conn: &Connection, scope: Scope) -> rusqlite::Result<()> {
    register(conn)?;
    let started = Instant::now();
    remove(conn, scope)?;
    report_time("search index: old entries removed", started);
    write_sources(conn, scope, None)?;
    write_entries(conn, scope, "search index")
}

/// Keeps the source of each subject in scope (indexed_subject), made from
/// its tables; its old one must have been removed. With `through`, each
/// source passes through the SQL function of that name (called with the
/// subject's key and its source, returning the source) as it is written.
pub(crate) fn write_sources(
    conn: &Connection,
    scope: Scope,
    through: Option<&str>,
) -> rusqlite::Result<()> {
    let started = Instant::now();
    let source = match through {
        None => SOURCE_SQL.to_string(),
        Some(f) => format!("{f}(s.id, {SOURCE_SQL})"),
    };
    conn.execute(
        &format!(
            "INSERT INTO indexed_subject (subject_id, source)
             SELECT s.id, {source} FROM subject s WHERE {} ORDER BY s.id",
            scope.filter("s.id")
        ),
        [],
    )?;
    report_time("search index: sources", started);
    Ok(())
}

/// The three kinds of entries made from kept sources, each by one
/// INSERT ... SELECT.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Entries {
    Terms,
    NameGrams,
    Trigrams,
}

impl Entries {
    fn what(self) -> &'static str {
        match self {
            Entries::Terms => "terms",
            Entries::NameGrams => "name grams",
            Entries::Trigrams => "trigrams",
        }
    }

    /// The statement that makes them for the indexed subjects `indexed`
    /// (a condition on x.subject_id).
    fn insert(self, indexed: &str) -> String {
        match self {
            Entries::Terms => format!(
                "INSERT OR IGNORE INTO search_term (term, subject_id, field) {} ORDER BY 1, 2, 3",
                TERMS.replace("{scope}", indexed)
            ),
            Entries::NameGrams => format!(
                "INSERT OR IGNORE INTO name_gram (gram, subject_id) {} ORDER BY 1, 2",
                GRAMS.replace("{scope}", indexed)
            ),
            Entries::Trigrams => format!(
                "INSERT INTO subject_fts (rowid, haystack)
                 SELECT x.subject_id, zx_haystack(x.source) FROM indexed_subject x WHERE {indexed}
                 ORDER BY x.subject_id"
            ),
        }
    }
}

/// Makes the terms, grams and trigram entries of the subjects in scope
/// from their kept sources (the functions of `register` must be there);
/// `label` names the steps in the timings.
pub(crate) fn write_entries(conn: &Connection, scope: Scope, label: &str) -> rusqlite::Result<()> {
    [Entries::Terms, Entries::NameGrams, Entries::Trigrams]
        .into_iter()
        .try_for_each(|entries| write(conn, scope, entries, label))
}

/// Makes one kind of entries of the subjects in scope.
pub(crate) fn write(
    conn: &Connection,
    scope: Scope,
    entries: Entries,
    label: &str,
) -> rusqlite::Result<()> {
    let started = Instant::now();
    let merged_once = entries == Entries::Trigrams && scope == Scope::All;
    if merged_once {
        conn.execute_batch(TRIGRAMS_UNMERGED)?;
    }
    conn.execute(&entries.insert(&scope.filter("x.subject_id")), [])?;
    if merged_once {
        conn.execute_batch(TRIGRAMS_MERGED)?;
    }
    report_time(&format!("{label}: {}", entries.what()), started);
    Ok(())
}

/// The name grams of the subjects and aliases `names` lists (subject_id,
/// name; a subject on as many rows as it has names), as `Entries::NameGrams`
/// makes them from sources: a load into an empty store makes them once
/// the names are in, before the rest of a source is.
pub(crate) fn write_grams_of_names(
    conn: &Connection,
    names: &str,
    label: &str,
) -> rusqlite::Result<()> {
    let started = Instant::now();
    conn.execute(
        &format!(
            "INSERT OR IGNORE INTO name_gram (gram, subject_id)
             SELECT g.value, x.subject_id FROM {names} x, json_each(zx_name_grams(x.name)) g
             ORDER BY 1, 2"
        ),
        [],
    )?;
    report_time(&format!("{label}: name grams"), started);
    Ok(())
}

/// Every subject's trigrams at once: FTS5 writes its in-memory entries out
/// as a segment every megabyte and by default merges segments four at a
/// time as they come, so each entry is rewritten once per level; here the
/// segments are left to pile up (a merge of a thousand when they reach it,
/// well under FTS5's limit of 2000 segments) and merged into one at the
/// end, most entries rewritten once: a quarter less time on a million
/// subjects, and one segment for queries to read.
const TRIGRAMS_UNMERGED: &str = "
    INSERT INTO subject_fts (subject_fts, rank) VALUES ('automerge', 0);
    INSERT INTO subject_fts (subject_fts, rank) VALUES ('crisismerge', 1000);";
/// Then the merge, and the defaults back for the writes to come one
/// subject at a time (the settings are kept in the table).
const TRIGRAMS_MERGED: &str = "
    INSERT INTO subject_fts (subject_fts) VALUES ('optimize');
    INSERT INTO subject_fts (subject_fts, rank) VALUES ('automerge', 4);
    INSERT INTO subject_fts (subject_fts, rank) VALUES ('crisismerge', 16);";

/// Removes the entries of the subjects in scope, by their keys.
pub(crate) fn remove(conn: &Connection, scope: Scope) -> rusqlite::Result<()> {
    if scope == Scope::All {
        return conn.execute_batch(
            "DELETE FROM search_term; DELETE FROM name_gram; DELETE FROM subject_fts;
             DELETE FROM indexed_subject;",
        );
    }
    let indexed = scope.filter("x.subject_id");
    remove_unreadable(conn, &indexed)?;
    conn.execute_batch(&format!(
        "DELETE FROM search_term WHERE (term, subject_id, field) IN ({terms});
         DELETE FROM name_gram WHERE (gram, subject_id) IN ({grams});
         DELETE FROM subject_fts WHERE {fts};
         DELETE FROM indexed_subject WHERE {subjects};",
        terms = TERMS.replace("{scope}", &indexed),
        grams = GRAMS.replace("{scope}", &indexed),
        fts = scope.filter("rowid"),
        subjects = scope.filter("subject_id"),
    ))
}

/// Removes, by a scan of the term and gram tables, the entries of subjects
/// in scope whose kept source cannot be read (edited by another program):
/// their entries cannot be named by their keys, and the functions above
/// would stop the import at them.
fn remove_unreadable(conn: &Connection, indexed: &str) -> rusqlite::Result<()> {
    let unreadable: Vec<i64> = conn
        .prepare(&format!(
            "SELECT x.subject_id FROM indexed_subject x WHERE {indexed} AND NOT zx_readable(x.source)"
        ))?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    if unreadable.is_empty() {
        return Ok(());
    }
    search_index::remove_by_scan(conn, &unreadable)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    /// Twice as many segments as FTS5 holds (a one-byte hash: a segment
    /// per subject; crisis merges at its limit would fail here): the bulk
    /// build still ends as a sound index that finds the subjects by their
    /// trigrams, with FTS5's defaults back.
    #[test]
    fn a_bulk_build_past_the_crisis_merge_ends_as_one_sound_index() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("store.db")).unwrap();
        let conn = store.conn();
        conn.execute_batch(
            "WITH RECURSIVE n(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM n WHERE x < 4100)
             INSERT INTO subject (kind, name, name_pinyin, id_number, sex, birth_date, created_at, updated_at)
             SELECT 'person', '张三', 'zhang san', printf('1101051949%08d', x), 'male', '1949-12-31', 'now', 'now'
             FROM n;
             INSERT INTO subject_fts (subject_fts, rank) VALUES ('hashsize', 1);",
        )
        .unwrap();
        index_set(conn, Scope::All).unwrap();
        conn.execute(
            "INSERT INTO subject_fts (subject_fts) VALUES ('integrity-check')",
            [],
        )
        .unwrap();
        let found = |query: &str| -> Vec<String> {
            conn.prepare(
                "SELECT s.id_number FROM subject_fts f JOIN subject s ON s.id = f.rowid
                 WHERE subject_fts MATCH ?1",
            )
            .unwrap()
            .query_map([query], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect()
        };
        assert_eq!(found("\"110\" AND \"051\"").len(), 4100);
        assert_eq!(found("\"123\" AND \"234\""), ["110105194900001234"]);
        let settings: Vec<(String, i64)> = conn
            .prepare("SELECT k, v FROM subject_fts_config WHERE k LIKE '%merge' ORDER BY k")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        assert_eq!(
            settings,
            [
                ("automerge".to_string(), 4),
                ("crisismerge".to_string(), 16)
            ]
        );
    }
}
