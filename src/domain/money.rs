//! Exact money: integer fen (1 yuan = 100 fen), never floating point.

use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    #[error("no amount given")]
    Empty,
    #[error(
        "'{0}' is not an amount in yuan (digits, optional thousands commas, at most 2 decimals)"
    )]
    NotAnAmount(String),
    #[error("'{0}' has more than two decimals: amounts are exact to the fen")]
    TooPrecise(String),
    #[error("'{0}' is negative: amounts are never below zero")]
    Negative(String),
    #[error("'{0}' is too large")]
    TooLarge(String),
}

/// An amount of money in fen.
#[derive(
    Debug,
    Clone,
    Copy,
    Default,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    serde::Serialize,
    serde::Deserialize,
)]
#[serde(transparent)]
pub struct Fen(pub i64);

impl Fen {
    pub const ZERO: Fen = Fen(0);

    /// Parses yuan as typed by a clerk: `78000`, `78,000.5`, `78000.50`.
    /// Refuses exponents, signs, and anything finer than a fen.
    pub fn parse_yuan(text: &str) -> Result<Fen, MoneyError> {
        let t = text.trim();
        if t.is_empty() {
            return Err(MoneyError::Empty);
        }
        if t.starts_with('-') {
            return Err(MoneyError::Negative(t.into()));
        }
        let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
        if t.contains('.') && frac.is_empty() || !valid_whole(whole) {
            return Err(MoneyError::NotAnAmount(t.into()));
        }
        if !frac.bytes().all(|b| b.is_ascii_digit()) {
            return Err(MoneyError::NotAnAmount(t.into()));
        }
        if frac.len() > 2 {
            return Err(MoneyError::TooPrecise(t.into()));
        }
        // Checked above: whole is digits and commas, frac at most two digits.
        let fen = whole
            .bytes()
            .filter(|&b| b != b',')
            .chain(frac.bytes().chain(b"00".iter().copied()).take(2))
            .try_fold(0i64, |n, b| {
                n.checked_mul(10)?.checked_add(i64::from(b - b'0'))
            });
        fen.map(Fen).ok_or_else(|| MoneyError::TooLarge(t.into()))
    }

    pub fn yuan_text(self) -> String {
        self.to_string()
    }
}

/// Digits, with optional commas that group exactly three digits.
fn valid_whole(whole: &str) -> bool {
    if whole.is_empty() || !whole.bytes().all(|b| b.is_ascii_digit() || b == b',') {
        return false;
    }
    if !whole.contains(',') {
        return true;
    }
    let groups: Vec<&str> = whole.split(',').collect();
    let first_ok = (1..=3).contains(&groups[0].len());
    first_ok && groups[1..].iter().all(|g| g.len() == 3)
}

impl fmt::Display for Fen {
    /// `78,000.50`: thousands grouped, always two decimals.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        write!(f, "{sign}{}.{:02}", group_thousands(abs / 100), abs % 100)
    }
}

/// `1234567` as `1,234,567`: for yuan and for counts alike.
pub fn group_thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(c);
    }
    grouped
}

impl std::ops::Add for Fen {
    type Output = Fen;
    fn add(self, rhs: Fen) -> Fen {
        Fen(self.0 + rhs.0)
    }
}

impl std::ops::Sub for Fen {
    type Output = Fen;
    fn sub(self, rhs: Fen) -> Fen {
        Fen(self.0 - rhs.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn accepted_forms() {
        assert_eq!(Fen::parse_yuan("78000"), Ok(Fen(7_800_000)));
        assert_eq!(Fen::parse_yuan("78,000.5"), Ok(Fen(7_800_050)));
        assert_eq!(Fen::parse_yuan("78000.50"), Ok(Fen(7_800_050)));
        assert_eq!(Fen::parse_yuan(" 0.01 "), Ok(Fen(1)));
        assert_eq!(Fen::parse_yuan("1,234,567.89"), Ok(Fen(123_456_789)));
    }

    #[test]
    fn refused_forms() {
        assert!(matches!(
            Fen::parse_yuan("1e5"),
            Err(MoneyError::NotAnAmount(_))
        ));
        assert!(matches!(
            Fen::parse_yuan("-1"),
            Err(MoneyError::Negative(_))
        ));
        assert!(matches!(
            Fen::parse_yuan("0.001"),
            Err(MoneyError::TooPrecise(_))
        ));
        assert!(matches!(
            Fen::parse_yuan("78000.505"),
            Err(MoneyError::TooPrecise(_))
        ));
        assert!(matches!(Fen::parse_yuan(""), Err(MoneyError::Empty)));
        for bad in [
            "1.", ".5", "1,00", "12,3456", "+5", "５", "1 000", "NaN", "inf",
        ] {
            assert!(Fen::parse_yuan(bad).is_err(), "{bad}");
        }
        assert!(matches!(
            Fen::parse_yuan("99999999999999999999"),
            Err(MoneyError::TooLarge(_))
        ));
    }

    #[test]
    fn formatting_groups_thousands() {
        assert_eq!(Fen(7_800_050).to_string(), "78,000.50");
        assert_eq!(Fen(5).to_string(), "0.05");
        assert_eq!(Fen(100_000_000).to_string(), "1,000,000.00");
        assert_eq!(Fen(-12_345).to_string(), "-123.45");
        assert_eq!(group_thousands(10_000_000), "10,000,000");
        assert_eq!(group_thousands(999), "999");
    }

    proptest! {
        #[test]
        fn format_then_parse_is_identity(fen in 0i64..1_000_000_000_000) {
            prop_assert_eq!(Fen::parse_yuan(&Fen(fen).to_string()), Ok(Fen(fen)));
        }

        #[test]
        fn plain_decimal_round_trips(yuan in 0u64..10_000_000_000, cents in 0u32..100) {
            let text = format!("{yuan}.{cents:02}");
            prop_assert_eq!(Fen::parse_yuan(&text), Ok(Fen(yuan as i64 * 100 + i64::from(cents))));
        }

        #[test]
        fn parse_never_panics(text in "\\PC{0,30}") {
            let _ = Fen::parse_yuan(&text);
        }
    }
}
