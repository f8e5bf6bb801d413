//! Officers as the acts need them: who is acting. (Sign-in, roles and PINs
//! come with the trust work.)

use super::{Result, Store};
use rusqlite::OptionalExtension;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Officer {
    pub id: i64,
    pub login: String,
    pub name: String,
    pub role: String,
}

impl Store {
    /// An active officer by login.
    pub fn officer_by_login(&self, login: &str) -> Result<Option<Officer>> {
        Ok(self
            .conn()
            .prepare_cached(
                "SELECT id, login, name, role FROM officer WHERE login = ?1 AND active = 1",
            )?
            .query_row([login], |r| {
                Ok(Officer {
                    id: r.get(0)?,
                    login: r.get(1)?,
                    name: r.get(2)?,
                    role: r.get(3)?,
                })
            })
            .optional()?)
    }
}
