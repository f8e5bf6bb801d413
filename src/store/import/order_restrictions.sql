INSERT INTO restriction (id, subject_id, code, order_id, imposed_on, imposed_by, created_at)
SELECT :base + row_number() OVER (ORDER BY w.order_id, w.code) - 1, w.subject_id, w.code, w.order_id,
       w.decided_on, :by, :now
FROM (SELECT DISTINCT o.id AS order_id, o.subject_id, o.decided_on, j.value AS code
      FROM temp.import_row r, json_each(r.restrictions) j
      JOIN subject s ON s.id_number = r.id_number
      JOIN enforcement_case e ON e.case_number = r.case_number
      JOIN restriction_order o ON o.subject_id = s.id AND o.case_id = e.id
                              AND o.decision_no = '(import) ' || r.case_number
      WHERE r.listed_on IS NULL
        AND NOT EXISTS (SELECT 1 FROM restriction x WHERE x.order_id = o.id AND x.code = j.value)) w
