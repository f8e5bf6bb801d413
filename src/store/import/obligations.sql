INSERT INTO obligation (id, case_id, subject_id, description, amount_fen)
SELECT :base + row_number() OVER (ORDER BY r.file, r.line) - 1, e.id, s.id, r.obligation, r.amount_fen
FROM (SELECT *, row_number() OVER (PARTITION BY case_number, id_number, obligation
                                   ORDER BY file, line) AS n
      FROM temp.import_row) r
JOIN subject s ON s.id_number = r.id_number
JOIN enforcement_case e ON e.case_number = r.case_number
WHERE r.n = 1 AND NOT EXISTS (SELECT 1 FROM obligation o
                              WHERE o.case_id = e.id AND o.subject_id = s.id AND o.description = r.obligation)
