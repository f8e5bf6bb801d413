INSERT INTO enforcement_case (id, case_number, court_id, year, case_type, sequence, applicant, basis,
                              filed_on, status)
SELECT :base + row_number() OVER (ORDER BY r.file, r.line) - 1, r.case_number, c.id, r.case_year,
       r.case_type, r.case_seq, r.applicant, r.basis, r.filed_on, 'open'
FROM (SELECT *, row_number() OVER (PARTITION BY case_number ORDER BY file, line) AS n
      FROM temp.import_row) r
JOIN court c ON c.code = r.court_code
WHERE r.n = 1 AND NOT EXISTS (SELECT 1 FROM enforcement_case e WHERE e.case_number = r.case_number)
