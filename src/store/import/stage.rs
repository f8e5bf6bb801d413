//! The staging table and the checks that span rows.

use rusqlite::{Connection, params};

/// One checked row, as the staging table holds it: money in fen, dates as
/// ISO text, phones and restriction codes as JSON arrays, and the row as it
/// was in the file (for the rejects file).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StageRow {
    pub file: u32,
    pub line: u64,
    pub kind: String,
    pub name: String,
    pub name_pinyin: String,
    pub id_number: String,
    pub id_warning: bool,
    pub sex: Option<String>,
    pub birth_date: Option<String>,
    pub phones: String,
    pub address: Option<String>,
    pub rep_name: Option<String>,
    pub rep_pinyin: Option<String>,
    pub rep_id: Option<String>,
    pub rep_sex: Option<String>,
    pub rep_birth: Option<String>,
    pub court_code: String,
    pub court_name: Option<String>,
    pub case_number: String,
    pub case_year: i64,
    pub case_type: String,
    pub case_seq: i64,
    pub filed_on: String,
    pub applicant: String,
    pub basis: Option<String>,
    pub obligation: String,
    pub amount_fen: Option<i64>,
    pub paid_fen: i64,
    pub listed_on: Option<String>,
    pub ground: Option<i64>,
    pub years: Option<i64>,
    pub expires_on: Option<String>,
    pub restrictions: String,
    pub original: String,
}

/// A problem found across rows, at one row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conflict {
    pub file: u32,
    pub line: u64,
    pub column: String,
    pub message: String,
}

pub fn create(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(
        "DROP TABLE IF EXISTS temp.import_row;
         CREATE TEMP TABLE import_row (
             file INTEGER NOT NULL, line INTEGER NOT NULL,
             kind TEXT NOT NULL, name TEXT NOT NULL, name_pinyin TEXT NOT NULL,
             id_number TEXT NOT NULL, id_warning INTEGER NOT NULL,
             sex TEXT, birth_date TEXT, phones TEXT NOT NULL, address TEXT,
             rep_name TEXT, rep_pinyin TEXT, rep_id TEXT, rep_sex TEXT, rep_birth TEXT,
             court_code TEXT NOT NULL, court_name TEXT,
             case_number TEXT NOT NULL, case_year INTEGER NOT NULL, case_type TEXT NOT NULL,
             case_seq INTEGER NOT NULL, filed_on TEXT NOT NULL, applicant TEXT NOT NULL, basis TEXT,
             obligation TEXT NOT NULL, amount_fen INTEGER, paid_fen INTEGER NOT NULL,
             listed_on TEXT, ground INTEGER, years INTEGER, expires_on TEXT,
             restrictions TEXT NOT NULL, original TEXT NOT NULL
         );",
    )?;
    super::courts::create(conn)
}

pub fn insert(conn: &Connection, rows: &[StageRow]) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare_cached(
        "INSERT INTO temp.import_row VALUES (
             ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18,
             ?19, ?20, ?21, ?22, ?23, ?24, ?25, ?26, ?27, ?28, ?29, ?30, ?31, ?32, ?33, ?34)",
    )?;
    for r in rows {
        stmt.execute(params![
            r.file,
            r.line as i64,
            r.kind,
            r.name,
            r.name_pinyin,
            r.id_number,
            r.id_warning,
            r.sex,
            r.birth_date,
            r.phones,
            r.address,
            r.rep_name,
            r.rep_pinyin,
            r.rep_id,
            r.rep_sex,
            r.rep_birth,
            r.court_code,
            r.court_name,
            r.case_number,
            r.case_year,
            r.case_type,
            r.case_seq,
            r.filed_on,
            r.applicant,
            r.basis,
            r.obligation,
            r.amount_fen,
            r.paid_fen,
            r.listed_on,
            r.ground,
            r.years,
            r.expires_on,
            r.restrictions,
            r.original
        ])?;
    }
    super::courts::note(conn, rows)
}

/// Removes rows and returns each as it was in the file. The index by line
/// is made here, for the few imports that reject rows across rows.
pub fn discard(
    conn: &Connection,
    rows: &[(u32, u64)],
) -> rusqlite::Result<Vec<(u32, u64, String)>> {
    conn.execute_batch(
        "CREATE INDEX IF NOT EXISTS temp.import_row_by_line ON import_row (file, line)",
    )?;
    let mut out = Vec::new();
    let mut read = conn.prepare_cached(
        "SELECT DISTINCT original FROM temp.import_row WHERE file = ?1 AND line = ?2",
    )?;
    let mut delete =
        conn.prepare_cached("DELETE FROM temp.import_row WHERE file = ?1 AND line = ?2")?;
    for (file, line) in rows {
        let originals: Vec<String> = read
            .query_map(params![file, *line as i64], |r| r.get(0))?
            .collect::<rusqlite::Result<_>>()?;
        for o in originals {
            out.push((*file, *line, o));
        }
        delete.execute(params![file, *line as i64])?;
    }
    super::courts::recount(conn)?;
    Ok(out)
}

/// Each check names the rows that disagree with the first row giving the
/// value (the earliest file and line), and says what that row gave.
const CHECKS: [(&str, &str, &str); 5] = [
    (
        "name",
        "id_number",
        "the same ID number is given the name {first} on line {line0} of file {file0}",
    ),
    (
        "kind",
        "id_number",
        "the same ID number is a {first} on line {line0} of file {file0}",
    ),
    (
        "rep_id",
        "id_number",
        "the same entity has the legal representative {first} on line {line0} of file {file0}",
    ),
    (
        "filed_on",
        "case_number",
        "the same case was filed on {first} on line {line0} of file {file0}",
    ),
    (
        "applicant",
        "case_number",
        "the same case has the applicant {first} on line {line0} of file {file0}",
    ),
];

/// Indexes for the checks and the merge, built once all rows are staged:
/// every "first row per key" then walks an index instead of sorting. Each
/// also holds the values its key must agree on, so the search for keys
/// given two values walks it alone (below).
pub fn index(conn: &Connection) -> rusqlite::Result<()> {
    conn.execute_batch(
        "CREATE INDEX temp.import_row_by_id
             ON import_row (id_number, file, line, name, kind, rep_id);
         CREATE INDEX temp.import_row_by_case
             ON import_row (case_number, file, line, filed_on, applicant);",
    )
}

/// Keys given more than one value anywhere in the files, so the detailed
/// checks below only look at those few keys: two walks of the staging
/// indexes, which hold the values (a grouping of the staged rows sorted
/// them all again: 4.4 s against 1.9 at a million rows, the indexes 0.5 s
/// slower to build).
const SUSPECT_KEYS: &str = "
    DROP TABLE IF EXISTS temp.import_suspect;
    CREATE TEMP TABLE import_suspect (k TEXT PRIMARY KEY) WITHOUT ROWID;
    INSERT INTO temp.import_suspect
        SELECT id_number FROM temp.import_row INDEXED BY import_row_by_id GROUP BY id_number
        HAVING min(name) <> max(name) OR min(kind) <> max(kind) OR min(rep_id) <> max(rep_id);
    INSERT OR IGNORE INTO temp.import_suspect
        SELECT case_number FROM temp.import_row INDEXED BY import_row_by_case GROUP BY case_number
        HAVING min(filed_on) <> max(filed_on) OR min(applicant) <> max(applicant);";

pub fn conflicts(conn: &Connection) -> rusqlite::Result<Vec<Conflict>> {
    index(conn)?;
    conn.execute_batch(SUSPECT_KEYS)?;
    let mut out = Vec::new();
    for (column, key, message) in CHECKS {
        // The first row per key, then every row that differs from it.
        let sql = format!(
            "WITH first AS (
                 SELECT {key} AS k, {column} AS v, file, line,
                        row_number() OVER (PARTITION BY {key} ORDER BY file, line) AS n
                 FROM temp.import_row
                 WHERE {column} IS NOT NULL AND {key} IN (SELECT k FROM temp.import_suspect))
             SELECT r.file, r.line, f.v, f.file, f.line
             FROM temp.import_row r JOIN first f ON f.k = r.{key} AND f.n = 1
             WHERE r.{column} IS NOT NULL AND r.{column} IS NOT f.v
             ORDER BY r.file, r.line"
        );
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, u32>(0)?,
                r.get::<_, i64>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, u32>(3)?,
                r.get::<_, i64>(4)?,
            ))
        })?;
        for row in rows {
            let (file, line, first, file0, line0) = row?;
            out.push(Conflict {
                file,
                line: line as u64,
                column: if column == "rep_id" {
                    "legal_rep_id"
                } else {
                    column
                }
                .to_string(),
                message: message
                    .replace("{first}", &first)
                    .replace("{line0}", &line0.to_string())
                    .replace("{file0}", &(file0 + 1).to_string()),
            });
        }
    }
    out.extend(super::courts::unnamed(conn)?);
    // Nothing contradicts an empty store: three passes over the rows saved.
    if !crate::store::holds_no_caseload(conn)? {
        out.extend(against_the_store(conn)?);
    }
    out.sort_by_key(|c| (c.file, c.line));
    Ok(out)
}

/// Rows that contradict what the store already holds: a subject of the
/// other kind, an amount below what was paid, a payment that went down.
const AGAINST_STORE: [(&str, &str); 3] = [
    (
        "kind",
        "SELECT r.file, r.line, 'the store holds this ID number as a ' || s.kind || ', ' || s.name
         FROM temp.import_row r JOIN main.subject s ON s.id_number = r.id_number
         WHERE s.kind <> r.kind",
    ),
    (
        "amount",
        concat!(
            "SELECT r.file, r.line, 'is below the ' || printf('%.2f', paid / 100.0)
                || ' yuan already recorded as paid on this obligation'
         FROM (SELECT r.file, r.line, r.amount_fen, ",
            paid_on_o!(),
            " AS paid
               FROM temp.import_row r JOIN main.subject s ON s.id_number = r.id_number
               JOIN main.enforcement_case e ON e.case_number = r.case_number
               JOIN main.obligation o ON o.case_id = e.id AND o.subject_id = s.id
                                      AND o.description = r.obligation) r
         WHERE r.amount_fen IS NOT NULL AND r.amount_fen < r.paid"
        ),
    ),
    (
        "paid",
        "SELECT r.file, r.line, 'is less than the ' || printf('%.2f', before / 100.0)
                || ' yuan an earlier import recorded; a payment is never taken back by an import'
                || ' (record a reversal in zhixing)'
         FROM (SELECT r.file, r.line, r.paid_fen, (SELECT coalesce(sum(p.amount_fen), 0) FROM main.payment p
                   WHERE p.obligation_id = o.id AND p.method = 'before-import') AS before
               FROM temp.import_row r JOIN main.subject s ON s.id_number = r.id_number
               JOIN main.enforcement_case e ON e.case_number = r.case_number
               JOIN main.obligation o ON o.case_id = e.id AND o.subject_id = s.id
                                      AND o.description = r.obligation) r
         WHERE r.paid_fen < r.before",
    ),
];

fn against_the_store(conn: &Connection) -> rusqlite::Result<Vec<Conflict>> {
    let mut out = Vec::new();
    for (column, sql) in AGAINST_STORE {
        let mut stmt = conn.prepare(sql)?;
        let rows = stmt.query_map([], |r| {
            Ok(Conflict {
                file: r.get(0)?,
                line: r.get::<_, i64>(1)? as u64,
                column: column.into(),
                message: r.get(2)?,
            })
        })?;
        for row in rows {
            out.push(row?);
        }
    }
    Ok(out)
}
