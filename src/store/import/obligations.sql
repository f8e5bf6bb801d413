-- New obligations, keyed as import_obligation lists them (in the order of
-- their first rows).
INSERT INTO obligation (id, case_id, subject_id, description, amount_fen)
SELECT zx_next_key(), i.case_id, i.subject_id, i.obligation, i.amount_fen
FROM temp.import_obligation i
-- matched against the store:
WHERE NOT EXISTS (SELECT 1 FROM obligation o
                  WHERE o.case_id = i.case_id AND o.subject_id = i.subject_id AND o.description = i.obligation)
