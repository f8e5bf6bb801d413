-- New listings, the first row of each (debtor, case, ground, date), keyed
-- as the window groups them.
INSERT INTO listing (id, subject_id, case_id, ground, decision_no, decided_on, period_years, expires_on,
                     listed_by, created_at)
SELECT zx_next_key(), r.subject_id, r.case_id, r.ground,
       '(import) ' || r.case_number, r.listed_on, r.years, r.expires_on, :by, :now
FROM (SELECT k.subject_id, k.case_id, r.case_number, r.ground, r.listed_on, r.years, r.expires_on,
             r.file, r.line,
             row_number() OVER (PARTITION BY k.subject_id, k.case_id, r.ground, r.listed_on
                                ORDER BY r.file, r.line) AS n
      FROM temp.import_row r JOIN temp.import_link k ON k.row = r.rowid
      WHERE r.listed_on IS NOT NULL) r
WHERE r.n = 1
-- matched against the store:
  AND NOT EXISTS (SELECT 1 FROM listing l WHERE l.subject_id = r.subject_id AND l.case_id = r.case_id
                  AND l.ground = r.ground AND l.decided_on = r.listed_on)
