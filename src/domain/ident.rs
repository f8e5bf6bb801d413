//! Resident ID numbers (GB 11643-1999) and Unified Social Credit Codes
//! (GB 32100-2015): check characters, and what a resident ID tells.

use chrono::NaiveDate;
use std::fmt;

/// Why an identifier was refused, in words a clerk can act on.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error("must be 18 characters, found {0}")]
    Length(usize),
    #[error("character {position} ('{found}') is not allowed here")]
    BadCharacter { position: usize, found: char },
    #[error("birth date {0} inside the ID number does not exist")]
    BadBirthDate(String),
    #[error("check character is '{found}' but should be '{expected}'")]
    CheckCharacter { found: char, expected: char },
}

const ID_WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK: &[u8; 11] = b"10X98765432";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sex {
    Male,
    Female,
}

impl Sex {
    pub fn as_str(self) -> &'static str {
        match self {
            Sex::Male => "male",
            Sex::Female => "female",
        }
    }
}

/// A valid 18-digit resident ID number.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ResidentId(String);

impl ResidentId {
    /// Parses and validates; a lower-case `x` is accepted and stored upper case.
    pub fn parse(text: &str) -> Result<Self, IdError> {
        let id = text.trim().to_ascii_uppercase();
        let chars: Vec<char> = id.chars().collect();
        if chars.len() != 18 {
            return Err(IdError::Length(chars.len()));
        }
        for (i, &c) in chars.iter().enumerate() {
            let ok = c.is_ascii_digit() || (i == 17 && c == 'X');
            if !ok {
                return Err(IdError::BadCharacter {
                    position: i + 1,
                    found: c,
                });
            }
        }
        let birth = &id[6..14];
        if super::dates::parse_compact(birth).is_none() {
            return Err(IdError::BadBirthDate(birth.to_string()));
        }
        let expected = resident_id_check(&id[..17]);
        if chars[17] != expected {
            return Err(IdError::CheckCharacter {
                found: chars[17],
                expected,
            });
        }
        Ok(ResidentId(id))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn birth_date(&self) -> NaiveDate {
        // parse() proved these eight digits are a date
        super::dates::parse_compact(&self.0[6..14]).unwrap_or_default()
    }

    /// The sequence digit: odd for men, even for women.
    pub fn sex(&self) -> Sex {
        let digit = self.0.as_bytes()[16] - b'0';
        if digit % 2 == 1 {
            Sex::Male
        } else {
            Sex::Female
        }
    }

    /// Full years of age on `day`.
    pub fn age_on(&self, day: NaiveDate) -> u32 {
        age_on(self.birth_date(), day)
    }
}

impl fmt::Display for ResidentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Full years between a birth date and a day (0 if the day is earlier).
pub fn age_on(birth: NaiveDate, day: NaiveDate) -> u32 {
    day.years_since(birth).unwrap_or(0)
}

/// The ISO 7064 MOD 11-2 check character for the first 17 digits.
pub fn resident_id_check(first17: &str) -> char {
    let sum: u32 = first17
        .bytes()
        .zip(ID_WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    char::from(ID_CHECK[(sum % 11) as usize])
}

const USCC_ALPHABET: &str = "0123456789ABCDEFGHJKLMNPQRTUWXY";
const USCC_WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// A Unified Social Credit Code, with a note when it is a pilot-era code
/// whose check character does not verify (real, so warned about, not refused).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Uscc {
    code: String,
    pub pilot_era: bool,
}

impl Uscc {
    pub fn parse(text: &str) -> Result<Self, IdError> {
        let code = text.trim().to_ascii_uppercase();
        let chars: Vec<char> = code.chars().collect();
        if chars.len() != 18 {
            return Err(IdError::Length(chars.len()));
        }
        for (i, &c) in chars.iter().enumerate() {
            if !USCC_ALPHABET.contains(c) {
                return Err(IdError::BadCharacter {
                    position: i + 1,
                    found: c,
                });
            }
        }
        let expected = uscc_check(&code[..17]);
        let pilot_era = chars[17] != expected;
        Ok(Uscc { code, pilot_era })
    }

    /// Like `parse`, but a failed check character is an error.
    pub fn parse_strict(text: &str) -> Result<Self, IdError> {
        let uscc = Self::parse(text)?;
        if uscc.pilot_era {
            let expected = uscc_check(&uscc.code[..17]);
            let found = uscc.code.chars().last().unwrap_or(' ');
            return Err(IdError::CheckCharacter { found, expected });
        }
        Ok(uscc)
    }

    pub fn as_str(&self) -> &str {
        &self.code
    }
}

/// The GB 32100-2015 check character for the first 17 characters, which must
/// come from the USCC alphabet.
pub fn uscc_check(first17: &str) -> char {
    let sum: u32 = first17
        .chars()
        .zip(USCC_WEIGHTS)
        .map(|(c, w)| USCC_ALPHABET.find(c).unwrap_or(0) as u32 * w)
        .sum();
    let index = (31 - sum % 31) % 31;
    USCC_ALPHABET.chars().nth(index as usize).unwrap_or('0')
}

/// Masks an ID for display: first 6 and last 4 shown.
pub fn mask_id(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() <= 10 {
        return "*".repeat(chars.len());
    }
    let hidden = chars.len() - 10;
    let mut out: String = chars[..6].iter().collect();
    out.push_str(&"*".repeat(hidden));
    out.extend(&chars[chars.len() - 4..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn published_resident_ids_verify() {
        for id in [
            "11010519491231002X",
            "440524188001010014",
            "360426199101010071",
            "34052419800101001X",
        ] {
            assert!(ResidentId::parse(id).is_ok(), "{id}");
        }
    }

    #[test]
    fn sex_and_birth_come_from_the_id() {
        let id = ResidentId::parse("11010519491231002X").unwrap();
        assert_eq!(
            id.birth_date(),
            NaiveDate::from_ymd_opt(1949, 12, 31).unwrap()
        );
        assert_eq!(id.sex(), Sex::Female);
        let id = ResidentId::parse("360426199101010071").unwrap();
        assert_eq!(id.sex(), Sex::Male);
        assert_eq!(id.age_on(NaiveDate::from_ymd_opt(2009, 1, 1).unwrap()), 18);
        assert_eq!(
            id.age_on(NaiveDate::from_ymd_opt(2008, 12, 31).unwrap()),
            17
        );
    }

    #[test]
    fn wrong_check_character_names_the_expected_one() {
        assert_eq!(
            ResidentId::parse("110105194912310021"),
            Err(IdError::CheckCharacter {
                found: '1',
                expected: 'X'
            })
        );
    }

    #[test]
    fn bad_ids_say_why() {
        assert_eq!(ResidentId::parse("1101051949"), Err(IdError::Length(10)));
        assert_eq!(
            ResidentId::parse("11010519491331002X"),
            Err(IdError::BadBirthDate("19491331".into()))
        );
        assert!(matches!(
            ResidentId::parse("1101051949123100AX"),
            Err(IdError::BadCharacter {
                position: 17,
                found: 'A'
            })
        ));
        assert!(ResidentId::parse("11010519491231002x").is_ok());
    }

    #[test]
    fn published_usccs_verify_and_pilot_codes_warn() {
        for code in ["91110000600037341L", "91350100M000100Y43"] {
            let uscc = Uscc::parse(code).unwrap();
            assert!(!uscc.pilot_era, "{code}");
        }
        let pilot = Uscc::parse("91350100M0001TGQXM").unwrap();
        assert!(pilot.pilot_era);
        assert!(Uscc::parse_strict("91350100M0001TGQXM").is_err());
        assert!(matches!(
            Uscc::parse("91110000600037341I"),
            Err(IdError::BadCharacter {
                position: 18,
                found: 'I'
            })
        ));
    }

    #[test]
    fn masking_keeps_six_and_four() {
        assert_eq!(mask_id("11010519491231002X"), "110105********002X");
    }

    proptest! {
        #[test]
        fn any_17_digits_with_their_check_verify(digits in "[0-9]{6}", days in 0i64..40000, seq in "[0-9]{3}") {
            let birth = NaiveDate::from_ymd_opt(1920, 1, 1).unwrap() + chrono::Days::new(days as u64);
            let first17 = format!("{digits}{}{seq}", birth.format("%Y%m%d"));
            let id = format!("{first17}{}", resident_id_check(&first17));
            prop_assert!(ResidentId::parse(&id).is_ok());
            // Any other last character fails.
            for c in "0123456789X".chars().filter(|&c| c != resident_id_check(&first17)) {
                let wrong = format!("{first17}{c}");
                prop_assert!(ResidentId::parse(&wrong).is_err());
            }
        }

        #[test]
        fn a_single_changed_digit_is_caught(digits in "[0-9]{17}", pos in 0usize..17, delta in 1u8..10) {
            let check = resident_id_check(&digits);
            let mut bytes = digits.into_bytes();
            bytes[pos] = b'0' + (bytes[pos] - b'0' + delta) % 10;
            let changed = String::from_utf8(bytes).unwrap();
            prop_assert_ne!(resident_id_check(&changed), check);
        }

        #[test]
        fn uscc_with_its_check_is_not_pilot(body in "[0-9A-HJ-NPQRTUWXY]{17}") {
            let code = format!("{body}{}", uscc_check(&body));
            let parsed = Uscc::parse(&code).unwrap();
            prop_assert!(!parsed.pilot_era);
        }
    }
}
