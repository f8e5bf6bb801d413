INSERT INTO enforcement_case (id, case_number, court_id, year, case_type, sequence, applicant, basis,
                              filed_on, status)
SELECT :base + row_number() OVER (ORDER BY f.row) - 1, r.case_number, c.id, r.case_year,
       r.case_type, r.case_seq, r.applicant, r.basis, r.filed_on, 'open'
FROM temp.import_first_of_case f
CROSS JOIN temp.import_row r ON r.rowid = f.row
JOIN court c ON c.code = r.court_code
WHERE NOT EXISTS (SELECT 1 FROM enforcement_case e WHERE e.case_number = r.case_number)
