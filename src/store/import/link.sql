-- Each staged row's subject and case, looked up once, after both are in.
-- Each lookup walks the staged rows in the order of its key (the staging
-- indexes the checks across rows made), so it follows the store's unique
-- index from start to end instead of jumping about it: four to eight
-- times faster (BENCHMARKS.md, Import). Each lookup's pairs are sorted
-- into row order on their own, and the two lists then read side by side:
-- joined as they came, one list was indexed by row, looked up in the
-- other's key order and the result sorted again. At ten million the link
-- and the obligations' first rows took 105 s, now 42 with the listings'.
-- The statements after this join by row.
DROP TABLE IF EXISTS temp.import_link;
DROP TABLE IF EXISTS temp.import_row_subject;
DROP TABLE IF EXISTS temp.import_row_case;
CREATE TEMP TABLE import_row_subject (row INTEGER PRIMARY KEY, subject_id INTEGER NOT NULL);
INSERT INTO temp.import_row_subject
SELECT r.rowid, s.id
FROM temp.import_row r INDEXED BY import_row_by_id
CROSS JOIN main.subject s ON s.id_number = r.id_number
ORDER BY 1;
CREATE TEMP TABLE import_row_case (row INTEGER PRIMARY KEY, case_id INTEGER NOT NULL);
INSERT INTO temp.import_row_case
SELECT r.rowid, e.id
FROM temp.import_row r INDEXED BY import_row_by_case
CROSS JOIN main.enforcement_case e ON e.case_number = r.case_number
ORDER BY 1;
CREATE TEMP TABLE import_link (
    row        INTEGER PRIMARY KEY,
    subject_id INTEGER NOT NULL,
    case_id    INTEGER NOT NULL
);
INSERT INTO temp.import_link (row, subject_id, case_id)
SELECT s.row, s.subject_id, c.case_id
FROM temp.import_row_subject s CROSS JOIN temp.import_row_case c ON c.row = s.row;
DROP TABLE temp.import_row_subject;
DROP TABLE temp.import_row_case;

-- The first row of each obligation (case, debtor, description): rows are
-- staged in file and line order, so walking them in row order and keeping
-- each obligation's first is one pass, where a window over them sorted
-- every row with its facts by obligation. Listed in row order.
DROP TABLE IF EXISTS temp.import_obligation;
CREATE TEMP TABLE import_obligation (
    case_id INTEGER NOT NULL, subject_id INTEGER NOT NULL, obligation TEXT NOT NULL,
    amount_fen INTEGER, paid_fen INTEGER, file INTEGER NOT NULL, line INTEGER NOT NULL,
    UNIQUE (case_id, subject_id, obligation));
INSERT OR IGNORE INTO temp.import_obligation
SELECT k.case_id, k.subject_id, r.obligation, r.amount_fen, r.paid_fen, r.file, r.line
FROM temp.import_row r CROSS JOIN temp.import_link k ON k.row = r.rowid
ORDER BY r.rowid;

-- The first row of each listing (debtor, case, ground, date), likewise.
DROP TABLE IF EXISTS temp.import_listing;
CREATE TEMP TABLE import_listing (
    subject_id INTEGER NOT NULL, case_id INTEGER NOT NULL, case_number TEXT NOT NULL,
    ground INTEGER NOT NULL, listed_on TEXT NOT NULL, years INTEGER, expires_on TEXT,
    UNIQUE (subject_id, case_id, ground, listed_on));
INSERT OR IGNORE INTO temp.import_listing
SELECT k.subject_id, k.case_id, r.case_number, r.ground, r.listed_on, r.years, r.expires_on
FROM temp.import_row r CROSS JOIN temp.import_link k ON k.row = r.rowid
WHERE r.listed_on IS NOT NULL
ORDER BY r.rowid;
