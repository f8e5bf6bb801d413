-- What was paid before the import, as one payment for the difference with
-- what earlier imports recorded (a decrease is refused before the merge).
INSERT INTO payment (id, obligation_id, kind, amount_fen, paid_on, method, recorded_by, recorded_at)
SELECT :base + row_number() OVER (ORDER BY o.id) - 1, o.id, 'payment',
       r.paid_fen - coalesce((SELECT sum(p.amount_fen) FROM payment p
                              WHERE p.obligation_id = o.id AND p.method = 'before-import'), 0),
       :today, 'before-import', :by, :now
FROM (SELECT *, row_number() OVER (PARTITION BY case_number, id_number, obligation
                                   ORDER BY file, line) AS n
      FROM temp.import_row) r
JOIN subject s ON s.id_number = r.id_number
JOIN enforcement_case e ON e.case_number = r.case_number
JOIN obligation o ON o.case_id = e.id AND o.subject_id = s.id AND o.description = r.obligation
WHERE r.n = 1 AND r.paid_fen > coalesce((SELECT sum(p.amount_fen) FROM payment p
                                         WHERE p.obligation_id = o.id AND p.method = 'before-import'), 0)
