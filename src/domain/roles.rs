//! Who may do what. Each role includes every power of the roles below it:
//! a clerk views, records payments and queues notices; an officer also
//! lists, lifts, restricts and records objections and decisions; a
//! supervisor also reveals full ID numbers, exports the public list and
//! approves what needs a second officer; an admin also manages officers.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    Clerk,
    Officer,
    Supervisor,
    Admin,
}

impl Role {
    pub const ALL: [Role; 4] = [Role::Clerk, Role::Officer, Role::Supervisor, Role::Admin];

    pub fn code(self) -> &'static str {
        match self {
            Role::Clerk => "clerk",
            Role::Officer => "officer",
            Role::Supervisor => "supervisor",
            Role::Admin => "admin",
        }
    }

    pub fn from_code(code: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.code() == code)
    }

    /// Whether this role may do what `needed` may.
    pub fn covers(self, needed: Role) -> bool {
        self >= needed
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// What an officer may be refused, beyond the acts themselves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Power {
    /// See a full ID number instead of its first 6 and last 4 characters.
    RevealId,
    ExportPublicList,
    /// Hand full ID numbers to another body in an export.
    ExportUnmasked,
    /// Load the court's caseload.
    Import,
    /// Decide a request that needs a second officer.
    Approve,
    /// Apply another office's work to this store.
    SyncApply,
    ManageOfficers,
}

impl Power {
    pub fn needs(self) -> Role {
        match self {
            Power::Import | Power::SyncApply => Role::Officer,
            Power::RevealId | Power::ExportPublicList | Power::ExportUnmasked | Power::Approve => {
                Role::Supervisor
            }
            Power::ManageOfficers => Role::Admin,
        }
    }

    /// In words, for a refusal: "revealing a full ID number needs ...".
    pub fn describe(self) -> &'static str {
        match self {
            Power::RevealId => "revealing a full ID number",
            Power::ExportPublicList => "exporting the public list",
            Power::ExportUnmasked => "exporting full ID numbers",
            Power::Import => "importing the caseload",
            Power::SyncApply => "applying another office's work",
            Power::Approve => "approving a request",
            Power::ManageOfficers => "managing officers",
        }
    }
}

/// The words of a refusal for want of a role.
pub fn refusal(what: &str, needed: Role, held: Role) -> String {
    format!("{what} needs the {needed} role or higher; you hold the {held} role")
}

/// A PIN an officer may choose: 6 to 32 characters, not all the same and
/// not a straight run of digits (123456, 654321), which are guessed first.
pub fn check_pin(pin: &str) -> Result<(), String> {
    let n = pin.chars().count();
    if !(6..=32).contains(&n) {
        return Err(format!("a PIN has 6 to 32 characters; this one has {n}"));
    }
    if pin.chars().any(char::is_control) {
        return Err("a PIN cannot hold control characters".into());
    }
    let bytes = pin.as_bytes();
    let same = bytes.iter().all(|b| *b == bytes[0]);
    let run = |step: i16| {
        bytes.iter().all(u8::is_ascii_digit)
            && bytes.windows(2).all(|w| w[1] as i16 - w[0] as i16 == step)
    };
    if same || run(1) || run(-1) {
        return Err("that PIN is among the first ones guessed; choose another".into());
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_include_the_ones_below() {
        assert!(Role::Admin.covers(Role::Supervisor));
        assert!(Role::Officer.covers(Role::Clerk));
        assert!(!Role::Clerk.covers(Role::Officer));
        assert!(!Role::Officer.covers(Power::RevealId.needs()));
        assert!(Role::Supervisor.covers(Power::Approve.needs()));
        assert!(!Role::Supervisor.covers(Power::ManageOfficers.needs()));
    }

    #[test]
    fn codes_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::from_code(r.code()), Some(r));
        }
        assert_eq!(Role::from_code("judge"), None);
    }

    #[test]
    fn weak_pins_are_refused() {
        assert!(check_pin("12345").is_err());
        assert!(check_pin("123456").is_err());
        assert!(check_pin("987654").is_err());
        assert!(check_pin("000000").is_err());
        assert!(check_pin("250871").is_ok());
        assert!(check_pin("河南登封").is_err());
        assert!(check_pin("河南登封执行局").is_ok());
    }
}
