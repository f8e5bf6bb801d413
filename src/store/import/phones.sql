-- The subjects' new phone numbers (after the row link: each row's subject
-- is known by key, and the numbers are matched in key order).
INSERT INTO phone (id, subject_id, number)
SELECT zx_next_key(), p.subject_id, p.number
FROM (SELECT DISTINCT k.subject_id, j.value AS number
      FROM temp.import_row r JOIN temp.import_link k ON k.row = r.rowid, json_each(r.phones) j) p
-- matched against the store:
WHERE NOT EXISTS (SELECT 1 FROM phone x WHERE x.subject_id = p.subject_id AND x.number = p.number)
