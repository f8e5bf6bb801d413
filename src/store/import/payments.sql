-- What was paid before the import, as one payment for the difference with
-- what earlier imports recorded (a decrease is refused before the merge).
INSERT INTO payment (id, obligation_id, kind, amount_fen, paid_on, method, recorded_by, recorded_at)
SELECT zx_next_key(), o.id, 'payment',
       i.paid_fen - coalesce((SELECT sum(p.amount_fen) FROM payment p
                              WHERE p.obligation_id = o.id AND p.method = 'before-import'), 0),
       :today, 'before-import', :by, :now
FROM temp.import_obligation i
CROSS JOIN obligation o ON o.case_id = i.case_id AND o.subject_id = i.subject_id AND o.description = i.obligation
WHERE i.paid_fen > 0 AND i.paid_fen > coalesce((SELECT sum(p.amount_fen) FROM payment p
                                                WHERE p.obligation_id = o.id AND p.method = 'before-import'), 0)
