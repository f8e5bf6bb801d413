-- Restrictions without a listing rest on one imported order per debtor and
-- case. Each row's subject and case come from the row link (link.sql):
-- looking them up by ID and case number from rows in file order jumped
-- about the store's indexes (30-36 s at ten million subjects).
INSERT INTO restriction_order (id, subject_id, case_id, decision_no, decided_on, ordered_by, created_at)
SELECT :base + row_number() OVER (ORDER BY k.subject_id, k.case_id) - 1, k.subject_id, k.case_id,
       '(import) ' || r.case_number, min(r.filed_on), :by, :now
FROM temp.import_row r CROSS JOIN temp.import_link k ON k.row = r.rowid
WHERE r.listed_on IS NULL AND r.restrictions <> '[]'
  AND NOT EXISTS (SELECT 1 FROM restriction_order o WHERE o.subject_id = k.subject_id AND o.case_id = k.case_id
                    AND o.decision_no = '(import) ' || r.case_number)
GROUP BY k.subject_id, k.case_id
