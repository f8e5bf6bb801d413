-- A listed debtor is restricted: the nine consumption items and any codes
-- the rows give, on the debtor and an entity's responsible persons, for
-- each listing this import added. The codes rows name are found from the
-- few rows that name any, through the row link; each listing's items are
-- then its consumption items and those, so that no product of listings,
-- rows and items is sorted to drop its repeats. Keys follow the listings,
-- then the items, then the persons, as the join yields them.
INSERT INTO restriction (id, subject_id, code, listing_id, imposed_on, imposed_by, created_at)
WITH named AS MATERIALIZED (
         SELECT DISTINCT n.id AS listing_id, n.decided_on, j.value AS code
         FROM temp.import_row r CROSS JOIN temp.import_link k ON k.row = r.rowid
         CROSS JOIN json_each(r.restrictions) j
         CROSS JOIN temp.import_new_listing n INDEXED BY import_new_listing_key
           ON n.subject_id = k.subject_id AND n.case_id = k.case_id AND n.decided_on = r.listed_on
         WHERE r.listed_on IS NOT NULL AND r.restrictions <> '[]'
           AND j.value IN (SELECT code FROM restriction_catalog WHERE grp <> 'consumption')),
     items AS (
         SELECT n.id AS listing_id, n.decided_on, k.code
         FROM temp.import_new_listing n CROSS JOIN restriction_catalog k WHERE k.grp = 'consumption'
         UNION ALL
         SELECT listing_id, decided_on, code FROM named),
     who AS MATERIALIZED (
         SELECT id AS listing_id, subject_id FROM temp.import_new_listing
         UNION
         SELECT n.id, rp.person_id FROM temp.import_new_listing n
         JOIN responsible_person rp ON rp.entity_id = n.subject_id)
SELECT zx_next_key(),
       w.subject_id, i.code, i.listing_id, i.decided_on, :by, :now
FROM items i CROSS JOIN who w ON w.listing_id = i.listing_id
