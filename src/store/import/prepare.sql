-- The subjects of the import, one row each: the first row naming a debtor
-- (by file and line), then legal representatives not also debtors.
DROP TABLE IF EXISTS temp.import_subject;
CREATE TEMP TABLE import_subject AS
SELECT id_number, kind, name, name_pinyin, id_warning, sex, birth_date, address, file, line
FROM (SELECT *, row_number() OVER (PARTITION BY id_number ORDER BY file, line) AS n
      FROM temp.import_row)
WHERE n = 1;
INSERT INTO temp.import_subject
SELECT rep_id, 'person', rep_name, rep_pinyin, 0, rep_sex, rep_birth, NULL, file, line
FROM (SELECT *, row_number() OVER (PARTITION BY rep_id ORDER BY file, line) AS n
      FROM temp.import_row WHERE rep_id IS NOT NULL)
WHERE n = 1 AND rep_id NOT IN (SELECT id_number FROM temp.import_subject);
CREATE UNIQUE INDEX temp.import_subject_id ON import_subject (id_number);

-- Subjects whose search entries must be rebuilt after the load.
DROP TABLE IF EXISTS temp.import_touched;
CREATE TEMP TABLE import_touched (subject_id INTEGER PRIMARY KEY);
