//! PINs are kept only as argon2id hashes in the PHC string format (salt and
//! parameters inside), so a stolen store does not give them away.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};

/// A fresh salt from the operating system and the hash, as stored.
pub fn hash_pin(pin: &str) -> Result<String, String> {
    let mut salt = [0u8; 16];
    getrandom::getrandom(&mut salt).map_err(|e| format!("no random salt: {e}"))?;
    let salt = SaltString::encode_b64(&salt).map_err(|e| e.to_string())?;
    Argon2::default()
        .hash_password(pin.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

/// Whether `pin` is the one `stored` was made from. A malformed stored
/// hash matches nothing.
pub fn pin_matches(pin: &str, stored: &str) -> bool {
    PasswordHash::new(stored).is_ok_and(|h| {
        Argon2::default()
            .verify_password(pin.as_bytes(), &h)
            .is_ok()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_matches_its_pin_only() {
        let stored = hash_pin("250871").unwrap();
        assert!(stored.starts_with("$argon2id$"));
        assert!(!stored.contains("250871"));
        assert!(pin_matches("250871", &stored));
        assert!(!pin_matches("250872", &stored));
        assert!(!pin_matches("250871", "not a hash"));
        assert_ne!(
            stored,
            hash_pin("250871").unwrap(),
            "each hash has its own salt"
        );
    }
}
