-- The first row (by file and line) of each case number (and, below, of
-- each ID number), as row numbers. Picked along the staging indexes,
-- which hold the key, the file and the line: no whole row is read at
-- random or sorted (a window over whole rows did both). Rows are staged
-- in file and line order, so the steps after read the picked rows in
-- their own order.
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
-- and legal representatives not also debtors, keyed by their first rows
-- (twice the row; one more for the row's representative) so that the
-- subjects' insert reads them in that order, and neither it nor this
-- statement sorts them (a window numbering them sorted all). The keys
-- are listed first, the debtors' then the representatives', each in
-- their order, so that the subjects are read from the staged rows and
-- written in one pass: read in the representatives' ID order, a tenth of
-- the staged rows were fetched from all over, and their subjects written
-- all over the table (70 s at ten million; 48 s now). Whether a
-- representative is a debtor is asked of the staging's ID index in the
-- representatives' order (as their window gives them): a NOT IN over the
-- debtors built an index of every debtor first (64 s at ten million).
DROP TABLE IF EXISTS temp.import_first_of_id;
CREATE TEMP TABLE import_first_of_id (key INTEGER PRIMARY KEY, id_number TEXT NOT NULL);
INSERT INTO temp.import_first_of_id
SELECT row * 2, id_number
FROM (SELECT rowid AS row, id_number,
             row_number() OVER (PARTITION BY id_number ORDER BY file, line) AS n
      FROM temp.import_row INDEXED BY import_row_by_id)
WHERE n = 1 ORDER BY row;
INSERT INTO temp.import_first_of_id
SELECT row * 2 + 1, rep_id
FROM (SELECT rowid AS row, rep_id, row_number() OVER (PARTITION BY rep_id ORDER BY file, line) AS n
      FROM temp.import_row WHERE rep_id IS NOT NULL)
WHERE n = 1
  AND NOT EXISTS (SELECT 1 FROM temp.import_row d INDEXED BY import_row_by_id WHERE d.id_number = rep_id)
ORDER BY row;
DROP TABLE IF EXISTS temp.import_subject;
CREATE TEMP TABLE import_subject (
    id_number TEXT NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL, name_pinyin TEXT NOT NULL,
    id_warning INTEGER NOT NULL, sex TEXT, birth_date TEXT, address TEXT,
    file INTEGER NOT NULL, line INTEGER NOT NULL);
INSERT INTO temp.import_subject (rowid, id_number, kind, name, name_pinyin, id_warning, sex,
                                 birth_date, address, file, line)
SELECT f.key, f.id_number,
       CASE f.key & 1 WHEN 0 THEN r.kind ELSE 'person' END,
       CASE f.key & 1 WHEN 0 THEN r.name ELSE r.rep_name END,
       CASE f.key & 1 WHEN 0 THEN r.name_pinyin ELSE r.rep_pinyin END,
       CASE f.key & 1 WHEN 0 THEN r.id_warning ELSE 0 END,
       CASE f.key & 1 WHEN 0 THEN r.sex ELSE r.rep_sex END,
       CASE f.key & 1 WHEN 0 THEN r.birth_date ELSE r.rep_birth END,
       CASE f.key & 1 WHEN 0 THEN r.address END,
       r.file, r.line
FROM temp.import_first_of_id f
CROSS JOIN temp.import_row r ON r.rowid = f.key >> 1;
DROP TABLE temp.import_first_of_id;
CREATE UNIQUE INDEX temp.import_subject_id ON import_subject (id_number);

-- Subjects whose search entries must be rebuilt after the load.
DROP TABLE IF EXISTS temp.import_touched;
CREATE TEMP TABLE import_touched (subject_id INTEGER PRIMARY KEY);
