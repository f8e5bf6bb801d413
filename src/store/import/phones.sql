INSERT INTO phone (id, subject_id, number)
SELECT :base + row_number() OVER (ORDER BY s.id, p.number) - 1, s.id, p.number
FROM (SELECT DISTINCT r.id_number, j.value AS number FROM temp.import_row r, json_each(r.phones) j) p
JOIN subject s ON s.id_number = p.id_number
WHERE NOT EXISTS (SELECT 1 FROM phone x WHERE x.subject_id = s.id AND x.number = p.number)
