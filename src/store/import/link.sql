-- Each staged row's subject and case, looked up once, after both are in.
-- Each lookup walks the staged rows in the order of its key (the staging
-- indexes the checks across rows made), so it follows the store's unique
-- index from start to end instead of jumping about it: four to eight
-- times faster (BENCHMARKS.md, Import). The statements after this join by
-- row.
DROP TABLE IF EXISTS temp.import_link;
CREATE TEMP TABLE import_link (
    row        INTEGER PRIMARY KEY,
    subject_id INTEGER NOT NULL,
    case_id    INTEGER NOT NULL
);
WITH by_subject AS MATERIALIZED (
         SELECT r.rowid AS row, s.id AS subject_id
         FROM temp.import_row r INDEXED BY import_row_by_id
         CROSS JOIN main.subject s ON s.id_number = r.id_number),
     by_case AS MATERIALIZED (
         SELECT r.rowid AS row, e.id AS case_id
         FROM temp.import_row r INDEXED BY import_row_by_case
         CROSS JOIN main.enforcement_case e ON e.case_number = r.case_number)
INSERT INTO temp.import_link (row, subject_id, case_id)
SELECT s.row, s.subject_id, c.case_id FROM by_subject s JOIN by_case c ON c.row = s.row
ORDER BY s.row;

-- The first row of each obligation (case, debtor, description).
DROP TABLE IF EXISTS temp.import_obligation;
CREATE TEMP TABLE import_obligation AS
SELECT case_id, subject_id, obligation, amount_fen, paid_fen, file, line
FROM (SELECT k.case_id, k.subject_id, r.obligation, r.amount_fen, r.paid_fen, r.file, r.line,
             row_number() OVER (PARTITION BY k.case_id, k.subject_id, r.obligation
                                ORDER BY r.file, r.line) AS n
      FROM temp.import_row r JOIN temp.import_link k ON k.row = r.rowid)
WHERE n = 1;
