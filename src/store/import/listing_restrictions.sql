-- A listed debtor is restricted: the nine consumption items and any codes
-- the rows give, on the debtor and an entity's responsible persons, for
-- each listing this import added.
INSERT INTO restriction (id, subject_id, code, listing_id, imposed_on, imposed_by, created_at)
SELECT :base + row_number() OVER (ORDER BY w.listing_id, w.subject_id, w.code) - 1,
       w.subject_id, w.code, w.listing_id, w.decided_on, :by, :now
FROM (SELECT DISTINCT n.id AS listing_id, n.decided_on, who.subject_id, k.code
      FROM temp.import_new_listing n
      JOIN subject s ON s.id = n.subject_id
      JOIN enforcement_case e ON e.id = n.case_id
      JOIN temp.import_row r ON r.id_number = s.id_number AND r.case_number = e.case_number
                            AND r.listed_on = n.decided_on
      JOIN (SELECT n2.id AS listing_id, n2.subject_id FROM temp.import_new_listing n2
            UNION ALL
            SELECT n3.id, rp.person_id FROM temp.import_new_listing n3
            JOIN responsible_person rp ON rp.entity_id = n3.subject_id) who ON who.listing_id = n.id
      JOIN restriction_catalog k
        ON k.grp = 'consumption' OR k.code IN (SELECT value FROM json_each(r.restrictions))) w
