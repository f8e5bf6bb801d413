-- Each entity's legal representative as the rows name them. The pairs are
-- read in the staging order (a walk along the ID index fetched every row
-- from wherever it lay) and looked up in the store twice, each time in the
-- order of the index the lookup follows.
INSERT INTO responsible_person (id, entity_id, person_id, role)
WITH named AS MATERIALIZED (
         SELECT DISTINCT id_number, rep_id FROM temp.import_row NOT INDEXED
         WHERE rep_id IS NOT NULL ORDER BY id_number),
     by_rep AS MATERIALIZED (
         SELECT e.id AS entity_id, n.rep_id FROM named n CROSS JOIN subject e ON e.id_number = n.id_number
         ORDER BY n.rep_id)
SELECT :base + row_number() OVER (ORDER BY x.entity_id, p.id) - 1, x.entity_id, p.id,
       'legal-representative'
FROM by_rep x CROSS JOIN subject p ON p.id_number = x.rep_id
-- matched against the store:
WHERE NOT EXISTS (SELECT 1 FROM responsible_person r
                  WHERE r.entity_id = x.entity_id AND r.person_id = p.id AND r.role = 'legal-representative')
