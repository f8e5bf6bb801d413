//! Case numbers: `（2019）豫0185执1234号`, with ASCII or full-width brackets.

use std::fmt;

/// The enforcement case types (domain.md).
pub const CASE_TYPES: [&str; 6] = ["执恢", "执保", "执异", "执复", "执监", "执"];

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CaseNumberError {
    #[error("'{0}' should start with the year in brackets, like （2019）")]
    NoYear(String),
    #[error("'{0}' has a year that is not four digits")]
    BadYear(String),
    #[error("'{0}' has no court code (province character and digits, like 豫0185)")]
    NoCourt(String),
    #[error("'{0}' has no enforcement case type (执, 执恢, 执保, 执异, 执复 or 执监)")]
    NoType(String),
    #[error("'{0}' should end with the sequence number and 号, like 1234号")]
    NoSequence(String),
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CaseNumber {
    pub year: u16,
    /// `豫0185`; the province character alone (`豫`) is the high court.
    pub court_code: String,
    pub case_type: String,
    pub sequence: u32,
}

impl CaseNumber {
    pub fn parse(text: &str) -> Result<Self, CaseNumberError> {
        let err = || text.trim().to_string();
        let t = text.trim().replace('(', "（").replace(')', "）");
        let rest = t
            .strip_prefix('（')
            .ok_or_else(|| CaseNumberError::NoYear(err()))?;
        let (year, rest) = rest
            .split_once('）')
            .ok_or_else(|| CaseNumberError::NoYear(err()))?;
        if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
            return Err(CaseNumberError::BadYear(err()));
        }
        let year: u16 = year.parse().map_err(|_| CaseNumberError::BadYear(err()))?;
        let type_start = rest
            .find('执')
            .ok_or_else(|| CaseNumberError::NoType(err()))?;
        let court_code = &rest[..type_start];
        if !valid_court_code(court_code) {
            return Err(CaseNumberError::NoCourt(err()));
        }
        let after_court = &rest[type_start..];
        let case_type = CASE_TYPES
            .iter()
            .find(|t| after_court.starts_with(*t))
            .ok_or_else(|| CaseNumberError::NoType(err()))?;
        let tail = &after_court[case_type.len()..];
        let digits = tail
            .strip_suffix('号')
            .ok_or_else(|| CaseNumberError::NoSequence(err()))?;
        if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
            return Err(CaseNumberError::NoSequence(err()));
        }
        let sequence: u32 = digits
            .parse()
            .map_err(|_| CaseNumberError::NoSequence(err()))?;
        if sequence == 0 {
            return Err(CaseNumberError::NoSequence(err()));
        }
        Ok(CaseNumber {
            year,
            court_code: court_code.to_string(),
            case_type: case_type.to_string(),
            sequence,
        })
    }
}

/// A court code is one Han character (the province) and up to four digits.
pub fn valid_court_code(code: &str) -> bool {
    let mut chars = code.chars();
    let Some(first) = chars.next() else {
        return false;
    };
    let digits: String = chars.collect();
    !first.is_ascii() && digits.len() <= 4 && digits.bytes().all(|b| b.is_ascii_digit())
}

impl fmt::Display for CaseNumber {
    /// The standard form, full-width brackets.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "（{}）{}{}{}号",
            self.year, self.court_code, self.case_type, self.sequence
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_both_bracket_styles() {
        let a = CaseNumber::parse("(2019)豫0185执1234号").unwrap();
        let b = CaseNumber::parse("（2019）豫0185执1234号").unwrap();
        assert_eq!(a, b);
        assert_eq!(a.year, 2019);
        assert_eq!(a.court_code, "豫0185");
        assert_eq!(a.case_type, "执");
        assert_eq!(a.sequence, 1234);
        assert_eq!(a.to_string(), "（2019）豫0185执1234号");
    }

    #[test]
    fn longer_types_win_over_plain_enforcement() {
        assert_eq!(
            CaseNumber::parse("(2021)京执复12号").unwrap().case_type,
            "执复"
        );
        assert_eq!(
            CaseNumber::parse("(2020)浙0110执恢7号").unwrap().case_type,
            "执恢"
        );
        assert_eq!(
            CaseNumber::parse("(2020)浙0110执恢7号").unwrap().court_code,
            "浙0110"
        );
    }

    #[test]
    fn refusals_name_the_part() {
        assert!(matches!(
            CaseNumber::parse("2019豫0185执1234号"),
            Err(CaseNumberError::NoYear(_))
        ));
        assert!(matches!(
            CaseNumber::parse("(19)豫0185执1234号"),
            Err(CaseNumberError::BadYear(_))
        ));
        assert!(matches!(
            CaseNumber::parse("(2019)0185执1234号"),
            Err(CaseNumberError::NoCourt(_))
        ));
        assert!(matches!(
            CaseNumber::parse("(2019)豫0185民1234号"),
            Err(CaseNumberError::NoType(_))
        ));
        assert!(matches!(
            CaseNumber::parse("(2019)豫0185执1234"),
            Err(CaseNumberError::NoSequence(_))
        ));
        assert!(matches!(
            CaseNumber::parse("(2019)豫0185执号"),
            Err(CaseNumberError::NoSequence(_))
        ));
        assert!(matches!(
            CaseNumber::parse("(2019)豫0185执0号"),
            Err(CaseNumberError::NoSequence(_))
        ));
    }
}
