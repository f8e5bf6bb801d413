-- The first row (by file and line) of each ID number and of each case
-- number, as row numbers. Picked along the staging indexes, which hold the
-- key, the file and the line: no whole row is read at random or sorted
-- (a window over whole rows did both). Rows are staged in file and line
-- order, so the steps after read the picked rows in their own order.
DROP TABLE IF EXISTS temp.import_first_of_id;
CREATE TEMP TABLE import_first_of_id (row INTEGER PRIMARY KEY);
INSERT INTO temp.import_first_of_id
SELECT row FROM (SELECT rowid AS row,
                        row_number() OVER (PARTITION BY id_number ORDER BY file, line) AS n
                 FROM temp.import_row INDEXED BY import_row_by_id)
WHERE n = 1 ORDER BY row;
DROP TABLE IF EXISTS temp.import_first_of_case;
CREATE TEMP TABLE import_first_of_case (row INTEGER PRIMARY KEY);
INSERT INTO temp.import_first_of_case
SELECT row FROM (SELECT rowid AS row,
                        row_number() OVER (PARTITION BY case_number ORDER BY file, line) AS n
                 FROM temp.import_row INDEXED BY import_row_by_case)
WHERE n = 1 ORDER BY row;

-- The cases of the import, one row each: the facts of each case's first
-- row (the cases' insert and the update of known cases read them).
DROP TABLE IF EXISTS temp.import_case;
CREATE TEMP TABLE import_case (
    row INTEGER PRIMARY KEY, case_number TEXT NOT NULL, court_code TEXT NOT NULL,
    case_year INTEGER NOT NULL, case_type TEXT NOT NULL, case_seq INTEGER NOT NULL,
    applicant TEXT NOT NULL, basis TEXT, filed_on TEXT NOT NULL);
INSERT INTO temp.import_case
SELECT f.row, r.case_number, r.court_code, r.case_year, r.case_type, r.case_seq, r.applicant,
       r.basis, r.filed_on
FROM temp.import_first_of_case f CROSS JOIN temp.import_row r ON r.rowid = f.row;
DROP TABLE temp.import_first_of_case;

-- The subjects of the import, one row each: the first row naming a debtor,
-- then legal representatives not also debtors.
DROP TABLE IF EXISTS temp.import_subject;
CREATE TEMP TABLE import_subject AS
SELECT r.id_number, r.kind, r.name, r.name_pinyin, r.id_warning, r.sex, r.birth_date, r.address,
       r.file, r.line
FROM temp.import_first_of_id f CROSS JOIN temp.import_row r ON r.rowid = f.row;
INSERT INTO temp.import_subject
SELECT r.rep_id, 'person', r.rep_name, r.rep_pinyin, 0, r.rep_sex, r.rep_birth, NULL, r.file, r.line
FROM (SELECT row FROM (SELECT rowid AS row,
                              row_number() OVER (PARTITION BY rep_id ORDER BY file, line) AS n
                       FROM temp.import_row WHERE rep_id IS NOT NULL)
      WHERE n = 1 ORDER BY row) f
CROSS JOIN temp.import_row r ON r.rowid = f.row
WHERE r.rep_id NOT IN (SELECT id_number FROM temp.import_subject);
DROP TABLE temp.import_first_of_id;
CREATE UNIQUE INDEX temp.import_subject_id ON import_subject (id_number);

-- Subjects whose search entries must be rebuilt after the load.
DROP TABLE IF EXISTS temp.import_touched;
CREATE TEMP TABLE import_touched (subject_id INTEGER PRIMARY KEY);
