INSERT INTO listing (id, subject_id, case_id, ground, decision_no, decided_on, period_years, expires_on,
                     listed_by, created_at)
SELECT :base + row_number() OVER (ORDER BY r.file, r.line) - 1, s.id, e.id, r.ground,
       '(import) ' || r.case_number, r.listed_on, r.years, r.expires_on, :by, :now
FROM (SELECT *, row_number() OVER (PARTITION BY id_number, case_number, ground, listed_on
                                   ORDER BY file, line) AS n
      FROM temp.import_row WHERE listed_on IS NOT NULL) r
JOIN subject s ON s.id_number = r.id_number
JOIN enforcement_case e ON e.case_number = r.case_number
WHERE r.n = 1 AND NOT EXISTS (SELECT 1 FROM listing l WHERE l.subject_id = s.id AND l.case_id = e.id
                                AND l.ground = r.ground AND l.decided_on = r.listed_on)
