-- New cases, keyed in the order of their first rows.
INSERT INTO enforcement_case (id, case_number, court_id, year, case_type, sequence, applicant, basis,
                              filed_on, status)
SELECT zx_next_key(), i.case_number, c.id, i.case_year, i.case_type, i.case_seq, i.applicant,
       i.basis, i.filed_on, 'open'
FROM temp.import_case i
CROSS JOIN court c ON c.code = i.court_code
-- matched against the store:
WHERE NOT EXISTS (SELECT 1 FROM enforcement_case e WHERE e.case_number = i.case_number)
