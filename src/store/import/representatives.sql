INSERT INTO responsible_person (id, entity_id, person_id, role)
SELECT :base + row_number() OVER (ORDER BY e.id, p.id) - 1, e.id, p.id, 'legal-representative'
FROM (SELECT DISTINCT id_number, rep_id FROM temp.import_row WHERE rep_id IS NOT NULL) r
JOIN subject e ON e.id_number = r.id_number
JOIN subject p ON p.id_number = r.rep_id
WHERE NOT EXISTS (SELECT 1 FROM responsible_person x
                  WHERE x.entity_id = e.id AND x.person_id = p.id AND x.role = 'legal-representative')
