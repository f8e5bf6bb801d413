-- Restrictions without a listing rest on one imported order per debtor and case.
INSERT INTO restriction_order (id, subject_id, case_id, decision_no, decided_on, ordered_by, created_at)
SELECT :base + row_number() OVER (ORDER BY s.id, e.id) - 1, s.id, e.id, '(import) ' || r.case_number,
       min(r.filed_on), :by, :now
FROM temp.import_row r
JOIN subject s ON s.id_number = r.id_number
JOIN enforcement_case e ON e.case_number = r.case_number
WHERE r.listed_on IS NULL AND r.restrictions <> '[]'
  AND NOT EXISTS (SELECT 1 FROM restriction_order o WHERE o.subject_id = s.id AND o.case_id = e.id
                    AND o.decision_no = '(import) ' || r.case_number)
GROUP BY s.id, e.id
