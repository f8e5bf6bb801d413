//! What an import changes in rows the store already holds (none when it
//! was empty): renamed subjects and new addresses, the subjects whose
//! search entries change, cases' facts and obligations' amounts.

use super::{AddedKeys, ImportCounts, Merge};

/// Renames and new addresses of subjects the store holds.
pub(super) fn known_subjects(m: &Merge, c: &mut ImportCounts) -> rusqlite::Result<()> {
    // A renamed subject is found by its new name, and by the old one, kept
    // as an alias (a former name). The import's subjects are walked in ID
    // number order and the store's looked up along its own index (`+` keeps
    // the planner from the other way round: a scan of every subject the
    // store holds, for a file of a few).
    m.exec(
        "INSERT OR IGNORE INTO temp.import_touched SELECT s.id FROM subject s
         JOIN temp.import_subject i INDEXED BY import_subject_id
           ON s.id_number = +i.id_number WHERE s.name <> i.name",
    )?;
    // A name the subject already had is kept once: a skipped row would
    // leave a key unused among those the seals are written for.
    m.insert(
        "alias",
        "INSERT INTO alias (id, subject_id, name, name_pinyin)
        SELECT zx_next_key(), s.id, s.name, s.name_pinyin
        FROM subject s JOIN temp.import_subject i INDEXED BY import_subject_id
          ON s.id_number = +i.id_number
        WHERE s.name <> i.name
          AND NOT EXISTS (SELECT 1 FROM alias a WHERE a.subject_id = s.id AND a.name = s.name)",
    )?;
    c.subjects_updated = m.exec(
        "UPDATE subject SET name = i.name, name_pinyin = i.name_pinyin,
                address = coalesce(i.address, subject.address), updated_at = :now
         FROM temp.import_subject i INDEXED BY import_subject_id
         WHERE subject.id_number = +i.id_number
           AND (subject.name <> i.name OR (i.address IS NOT NULL AND subject.address IS NOT i.address))",
    )?;
    Ok(())
}

/// The subjects whose search entries change: new ones, and known ones
/// with a new phone (run before the phones go in).
pub(super) fn touched_by_new_rows(m: &Merge, added: AddedKeys) -> rusqlite::Result<()> {
    m.conn.execute(
        "INSERT OR IGNORE INTO temp.import_touched SELECT id FROM subject WHERE id BETWEEN ?1 AND ?2",
        [added.first, added.last],
    )?;
    m.exec(
        "INSERT OR IGNORE INTO temp.import_touched SELECT s.id
         FROM (SELECT DISTINCT r.id_number, j.value AS number FROM temp.import_row r, json_each(r.phones) j) p
         JOIN subject s ON s.id_number = p.id_number
         WHERE NOT EXISTS (SELECT 1 FROM phone x WHERE x.subject_id = s.id AND x.number = p.number)",
    )?;
    Ok(())
}

/// Known cases whose facts the file changes.
pub(super) fn changed_cases(m: &Merge) -> rusqlite::Result<i64> {
    let updated = m.exec(
        "UPDATE enforcement_case SET applicant = i.applicant, basis = coalesce(i.basis, enforcement_case.basis),
                filed_on = i.filed_on
         FROM temp.import_case i
         WHERE enforcement_case.case_number = i.case_number
           AND (enforcement_case.applicant <> i.applicant OR enforcement_case.filed_on <> i.filed_on
                OR (i.basis IS NOT NULL AND enforcement_case.basis IS NOT i.basis))",
    )?;
    Ok(updated)
}

/// Known obligations whose amount the file changes.
pub(super) fn changed_obligations(m: &Merge) -> rusqlite::Result<i64> {
    m.exec(
        "UPDATE obligation SET amount_fen = i.amount_fen FROM temp.import_obligation i
         WHERE obligation.case_id = i.case_id AND obligation.subject_id = i.subject_id
           AND obligation.description = i.obligation AND obligation.amount_fen IS NOT i.amount_fen",
    )
}
