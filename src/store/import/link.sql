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
