//! Officers: who may act, and as what. Managing them is itself on the
//! record: every addition, disabling and PIN change is an audit row (never
//! the PIN or its hash), and so is every refusal for want of a role.

use super::acts::{ActError, ActResult, refuse};
use super::audit::{AuditEntry, append, append_alone};
use super::pin::{hash_pin, pin_matches};
use super::{Result, Store};
use crate::domain::roles::{self, Power, Role};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Officer {
    pub id: i64,
    pub login: String,
    pub name: String,
    pub role: Role,
    pub active: bool,
    pub has_pin: bool,
}

/// An officer to add, with the PIN they will sign in with.
#[derive(Debug, Clone)]
pub struct NewOfficer<'a> {
    pub login: &'a str,
    pub name: &'a str,
    pub role: Role,
    pub pin: &'a str,
}

const COLUMNS: &str = "id, login, name, role, active, pin_hash IS NOT NULL";

fn officer_row(r: &rusqlite::Row) -> rusqlite::Result<Officer> {
    let role: String = r.get(3)?;
    Ok(Officer {
        id: r.get(0)?,
        login: r.get(1)?,
        name: r.get(2)?,
        // The schema's CHECK admits only the four codes.
        role: Role::from_code(&role).unwrap_or(Role::Clerk),
        active: r.get(4)?,
        has_pin: r.get(5)?,
    })
}

pub(crate) fn officer_by_id(conn: &Connection, id: i64) -> rusqlite::Result<Option<Officer>> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM officer WHERE id = ?1"))?
        .query_row([id], officer_row)
        .optional()
}

/// The officer as the audit row shows them: never the PIN hash.
fn officer_json(o: &Officer) -> String {
    serde_json::json!({
        "id": o.id, "login": o.login, "name": o.name, "role": o.role.code(), "active": o.active,
    })
    .to_string()
}

/// Checks that an active officer holds `needed`; a refusal is written to
/// the audit log (in its own transaction: it stays whatever the caller
/// does next) and says which role is needed.
pub(crate) fn authorize(
    conn: &Connection,
    officer_id: Option<i64>,
    what: &str,
    needed: Role,
    now: &str,
) -> ActResult<Officer> {
    let officer = match officer_id {
        Some(id) => officer_by_id(conn, id)?.filter(|o| o.active),
        None => None,
    };
    let Some(officer) = officer else {
        return refuse(format!(
            "{what} needs a signed-in officer (give --officer LOGIN or set ZHIXING_OFFICER)"
        ));
    };
    if officer.role.covers(needed) {
        return Ok(officer);
    }
    let words = roles::refusal(what, needed, officer.role);
    let entry = AuditEntry {
        officer_id: Some(officer.id),
        act: "refused".into(),
        detail: Some(words.clone()),
        ..Default::default()
    };
    append_alone(conn, now, &entry)?;
    refuse(words)
}

impl Store {
    /// An active officer by login.
    pub fn officer_by_login(&self, login: &str) -> Result<Option<Officer>> {
        Ok(self
            .conn()
            .prepare_cached(&format!(
                "SELECT {COLUMNS} FROM officer WHERE login = ?1 AND active = 1"
            ))?
            .query_row([login], officer_row)
            .optional()?)
    }

    /// Every officer, disabled ones too, by login.
    pub fn officers(&self) -> Result<Vec<Officer>> {
        Ok(self
            .conn()
            .prepare(&format!("SELECT {COLUMNS} FROM officer ORDER BY login"))?
            .query_map([], officer_row)?
            .collect::<rusqlite::Result<_>>()?)
    }

    /// Whether anyone can sign in yet: a new store has no officers.
    pub fn has_officers(&self) -> Result<bool> {
        Ok(self
            .conn()
            .query_row("SELECT EXISTS (SELECT 1 FROM officer)", [], |r| r.get(0))?)
    }

    /// Checks an officer holds a role, recording a refusal.
    pub fn authorize_role(
        &self,
        officer_id: Option<i64>,
        what: &str,
        needed: Role,
        now: &str,
    ) -> ActResult<Officer> {
        authorize(self.conn(), officer_id, what, needed, now)
    }

    /// Checks an officer's power, recording a refusal.
    pub fn authorize(
        &self,
        officer_id: Option<i64>,
        power: Power,
        now: &str,
    ) -> ActResult<Officer> {
        authorize(
            self.conn(),
            officer_id,
            power.describe(),
            power.needs(),
            now,
        )
    }

    /// The officer whose login and PIN these are. A wrong PIN, an unknown
    /// or disabled login all get the same answer (so logins cannot be
    /// probed), and the failure is recorded against a known login.
    pub fn sign_in(&self, login: &str, pin: &str, now: &str) -> ActResult<Officer> {
        let stored: Option<(i64, Option<String>)> = self
            .conn()
            .prepare_cached("SELECT id, pin_hash FROM officer WHERE login = ?1 AND active = 1")?
            .query_row([login], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let matched = stored
            .as_ref()
            .is_some_and(|(_, hash)| hash.as_deref().is_some_and(|h| pin_matches(pin, h)));
        let (act, officer_id) = match (&stored, matched) {
            (Some((id, _)), true) => ("signed-in", Some(*id)),
            (Some((id, _)), false) => ("sign-in-refused", Some(*id)),
            (None, _) => return refuse("that login and PIN do not match an active officer"),
        };
        let entry = AuditEntry {
            officer_id,
            act: act.into(),
            entity: Some("officer".into()),
            entity_id: officer_id,
            ..Default::default()
        };
        append_alone(self.conn(), now, &entry)?;
        match officer_id.filter(|_| matched) {
            Some(id) => Ok(officer_by_id(self.conn(), id)?.ok_or(ActError::Stale)?),
            None => refuse("that login and PIN do not match an active officer"),
        }
    }

    /// The first admin of a new store; refused once any officer exists.
    pub fn create_first_admin(&mut self, new: &NewOfficer, now: &str) -> ActResult<Officer> {
        if new.role != Role::Admin {
            return refuse("a store's first officer is its admin");
        }
        self.write_officer(None, new, now)
    }

    /// Adds an officer: an admin's act.
    pub fn add_officer(&mut self, by: i64, new: &NewOfficer, now: &str) -> ActResult<Officer> {
        self.authorize(Some(by), Power::ManageOfficers, now)?;
        self.write_officer(Some(by), new, now)
    }

    fn write_officer(
        &mut self,
        by: Option<i64>,
        new: &NewOfficer,
        now: &str,
    ) -> ActResult<Officer> {
        check_login(new.login)?;
        if new.name.trim().is_empty() {
            return refuse("name: give the officer's full name");
        }
        roles::check_pin(new.pin).or_else(|m| refuse(format!("PIN: {m}")))?;
        let hash = hash_pin(new.pin).map_err(ActError::Refused)?;
        let site = self.site()?;
        let tx = self
            .conn_mut()
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let any: bool = tx.query_row("SELECT EXISTS (SELECT 1 FROM officer)", [], |r| r.get(0))?;
        if by.is_none() && any {
            return refuse("this store already has officers; an admin adds new ones");
        }
        let taken: bool = tx.query_row(
            "SELECT EXISTS (SELECT 1 FROM officer WHERE login = ?1)",
            [new.login],
            |r| r.get(0),
        )?;
        if taken {
            return refuse(format!(
                "login: \"{}\" is taken (logins are never reused)",
                new.login
            ));
        }
        let id = super::ids::IdAllocator::for_table(&tx, "officer", site)?.next_id();
        tx.execute(
            "INSERT INTO officer (id, login, name, role, pin_hash, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![id, new.login, new.name.trim(), new.role.code(), hash, now],
        )?;
        let officer = officer_by_id(&tx, id)?.ok_or(ActError::Stale)?;
        let entry = AuditEntry {
            officer_id: Some(by.unwrap_or(id)),
            act: "officer-added".into(),
            entity: Some("officer".into()),
            entity_id: Some(id),
            after_json: Some(officer_json(&officer)),
            detail: Some(format!(
                "{} ({}) added as {}",
                officer.name, officer.login, officer.role
            )),
            ..Default::default()
        };
        append(&tx, site, now, &entry)?;
        tx.commit()?;
        Ok(officer)
    }
}

fn check_login(login: &str) -> ActResult<()> {
    let ok = !login.is_empty()
        && login.len() <= 64
        && login
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
    if ok {
        Ok(())
    } else {
        refuse(format!(
            "login: \"{login}\" is not a login: use 1 to 64 letters, digits, '.', '-' or '_'"
        ))
    }
}

impl Store {
    /// Disables an officer: they can no longer sign in or act; their past
    /// acts keep their name. The last active admin cannot be disabled.
    pub fn disable_officer(&mut self, by: i64, login: &str, now: &str) -> ActResult<Officer> {
        self.authorize(Some(by), Power::ManageOfficers, now)?;
        let site = self.site()?;
        let tx = self
            .conn_mut()
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        let Some(before) = officer_by_login_in(&tx, login)?.filter(|o| o.active) else {
            return refuse(format!(
                "login: no active officer has the login \"{login}\""
            ));
        };
        let admins: i64 = tx.query_row(
            "SELECT count(*) FROM officer WHERE role = 'admin' AND active = 1",
            [],
            |r| r.get(0),
        )?;
        if before.role == Role::Admin && admins == 1 {
            return refuse("the last active admin cannot be disabled: add another admin first");
        }
        tx.execute("UPDATE officer SET active = 0 WHERE id = ?1", [before.id])?;
        let after = officer_by_id(&tx, before.id)?.ok_or(ActError::Stale)?;
        let entry = AuditEntry {
            officer_id: Some(by),
            act: "officer-disabled".into(),
            entity: Some("officer".into()),
            entity_id: Some(before.id),
            before_json: Some(officer_json(&before)),
            after_json: Some(officer_json(&after)),
            detail: Some(format!("{} ({}) disabled", after.name, after.login)),
            ..Default::default()
        };
        append(&tx, site, now, &entry)?;
        tx.commit()?;
        Ok(after)
    }

    /// Sets an officer's PIN: their own, or anyone's for an admin.
    pub fn set_pin(&mut self, by: i64, login: &str, pin: &str, now: &str) -> ActResult<Officer> {
        let target = officer_by_login_in(self.conn(), login)?.filter(|o| o.active);
        let Some(target) = target else {
            return refuse(format!(
                "login: no active officer has the login \"{login}\""
            ));
        };
        if target.id != by {
            let what = "setting another officer's PIN";
            authorize(self.conn(), Some(by), what, Role::Admin, now)?;
        }
        roles::check_pin(pin).or_else(|m| refuse(format!("PIN: {m}")))?;
        let hash = hash_pin(pin).map_err(ActError::Refused)?;
        let site = self.site()?;
        let tx = self
            .conn_mut()
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        tx.execute(
            "UPDATE officer SET pin_hash = ?2 WHERE id = ?1",
            params![target.id, hash],
        )?;
        let entry = AuditEntry {
            officer_id: Some(by),
            act: "pin-set".into(),
            entity: Some("officer".into()),
            entity_id: Some(target.id),
            detail: Some(format!("PIN of {} set", target.login)),
            ..Default::default()
        };
        append(&tx, site, now, &entry)?;
        tx.commit()?;
        Ok(target)
    }
}

fn officer_by_login_in(conn: &Connection, login: &str) -> rusqlite::Result<Option<Officer>> {
    conn.prepare_cached(&format!("SELECT {COLUMNS} FROM officer WHERE login = ?1"))?
        .query_row([login], officer_row)
        .optional()
}
