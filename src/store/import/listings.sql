-- New listings, the first row of each (debtor, case, ground, date), keyed
-- in the order of those rows (link.sql lists them).
INSERT INTO listing (id, subject_id, case_id, ground, decision_no, decided_on, period_years, expires_on,
                     listed_by, created_at)
SELECT zx_next_key(), i.subject_id, i.case_id, i.ground,
       '(import) ' || i.case_number, i.listed_on, i.years, i.expires_on, :by, :now
FROM temp.import_listing i
-- matched against the store:
WHERE NOT EXISTS (SELECT 1 FROM listing l
                  WHERE l.subject_id = i.subject_id AND l.case_id = i.case_id
                    AND l.ground = i.ground AND l.decided_on = i.listed_on)
