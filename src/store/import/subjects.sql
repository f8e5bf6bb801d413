-- New subjects, keyed in the order of their first rows (prepare.sql
-- numbered them so; zx_next_key() counts them as they are read).
INSERT INTO subject (id, kind, name, name_pinyin, id_number, id_warning, sex, birth_date, address,
                     created_at, updated_at)
SELECT zx_next_key(),
       i.kind, i.name, i.name_pinyin, i.id_number, i.id_warning, i.sex, i.birth_date, i.address,
       :now, :now
FROM temp.import_subject i
-- matched against the store:
WHERE NOT EXISTS (SELECT 1 FROM subject s WHERE s.id_number = i.id_number)
