-- The items of the imported orders: each row's codes on its debtor and
-- case's order. Walks the import's rows (with their link), not the
-- store's orders: a further file into a big store reads only its own.
INSERT INTO restriction (id, subject_id, code, order_id, imposed_on, imposed_by, created_at)
SELECT zx_next_key(), w.subject_id, w.code, w.order_id,
       w.decided_on, :by, :now
FROM (SELECT DISTINCT o.id AS order_id, o.subject_id, o.decided_on, j.value AS code
      FROM temp.import_row r CROSS JOIN temp.import_link k ON k.row = r.rowid
      CROSS JOIN json_each(r.restrictions) j
      CROSS JOIN restriction_order o ON o.subject_id = k.subject_id AND o.case_id = k.case_id
                                    AND o.decision_no = '(import) ' || r.case_number
      WHERE r.listed_on IS NULL AND r.restrictions <> '[]'
        AND NOT EXISTS (SELECT 1 FROM restriction x WHERE x.order_id = o.id AND x.code = j.value)) w
