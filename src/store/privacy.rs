//! ID numbers are shown masked (first 6 and last 4) everywhere; a
//! supervisor may reveal one, and every reveal is on the record.

use super::Store;
use super::acts::{ActResult, refuse};
use super::audit::AuditEntry;
use crate::domain::roles::Power;
use rusqlite::OptionalExtension;

impl Store {
    /// The full ID number of a subject, for an officer whose role allows
    /// it; the reveal (or the refusal) is written to the audit log.
    pub fn reveal_id(
        &mut self,
        officer_id: Option<i64>,
        subject_id: i64,
        now: &str,
    ) -> ActResult<String> {
        let officer = self.authorize(officer_id, Power::RevealId, now)?;
        let id_number: Option<String> = self
            .conn()
            .query_row(
                "SELECT id_number FROM subject WHERE id = ?1",
                [subject_id],
                |r| r.get(0),
            )
            .optional()?;
        let Some(id_number) = id_number else {
            return refuse(format!("subject {subject_id} is not in the store"));
        };
        // Not the subject's own history (a reveal changes nothing of
        // theirs, and would make open forms stale): named as the entity.
        let entry = AuditEntry {
            officer_id: Some(officer.id),
            act: "id-revealed".into(),
            entity: Some("subject".into()),
            entity_id: Some(subject_id),
            detail: Some("full ID number shown".into()),
            ..Default::default()
        };
        self.append_audit(&entry, now)?;
        Ok(id_number)
    }
}
