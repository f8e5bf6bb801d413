//! Dates written as digits, read without chrono's format interpreter: an
//! import reads several per row, millions of rows.

use chrono::NaiveDate;

/// `YYYY-MM-DD` as chrono's `%Y-%m-%d` reads it; the common exact form
/// directly, anything else (one-digit months, signs) through chrono.
pub fn parse_iso(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    if b.len() == 10 && b[4] == b'-' && b[7] == b'-' {
        if let (Some(year), Some(month), Some(day)) =
            (digits(&b[..4]), digits(&b[5..7]), digits(&b[8..]))
        {
            return NaiveDate::from_ymd_opt(year as i32, month, day);
        }
    }
    NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()
}

/// Eight digits `YYYYMMDD` (the birth date inside a resident ID).
pub fn parse_compact(text: &str) -> Option<NaiveDate> {
    let b = text.as_bytes();
    if b.len() != 8 {
        return None;
    }
    let (year, month, day) = (digits(&b[..4])?, digits(&b[4..6])?, digits(&b[6..])?);
    NaiveDate::from_ymd_opt(year as i32, month, day)
}

/// `YYYY-MM-DD`, as chrono's Display writes a date of years 0 to 9999,
/// without its formatter.
pub fn iso(date: NaiveDate) -> String {
    use chrono::Datelike;
    let year = date.year();
    if !(0..=9999).contains(&year) {
        return date.to_string();
    }
    let mut out = String::with_capacity(10);
    for (n, width) in [(year as u32, 4), (date.month(), 2), (date.day(), 2)] {
        if !out.is_empty() {
            out.push('-');
        }
        for place in (0..width).rev() {
            out.push(char::from(b'0' + (n / 10u32.pow(place) % 10) as u8));
        }
    }
    out
}

fn digits(bytes: &[u8]) -> Option<u32> {
    bytes.iter().try_fold(0u32, |n, b| {
        b.is_ascii_digit().then(|| n * 10 + u32::from(b - b'0'))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn exact_and_other_forms() {
        assert_eq!(
            parse_iso("2024-02-29"),
            NaiveDate::from_ymd_opt(2024, 2, 29)
        );
        assert_eq!(parse_iso("2023-02-29"), None);
        assert_eq!(parse_iso("2024-1-5"), NaiveDate::from_ymd_opt(2024, 1, 5));
        assert_eq!(parse_iso("2024-01-0x"), None);
        assert_eq!(
            parse_compact("19900101"),
            NaiveDate::from_ymd_opt(1990, 1, 1)
        );
        assert_eq!(parse_compact("19901301"), None);
        assert_eq!(parse_compact("1990011"), None);
    }

    proptest! {
        /// The same answer as chrono's format interpreter, on digit-shaped
        /// text of every kind.
        #[test]
        fn agrees_with_chrono(text in "[0-9+ -]{0,3}[0-9]{1,4}-[0-9]{1,2}-[0-9]{1,3}") {
            prop_assert_eq!(parse_iso(&text), NaiveDate::parse_from_str(&text, "%Y-%m-%d").ok());
        }

        #[test]
        fn iso_agrees_with_chrono(days in -1_000_000i32..4_000_000) {
            let date = NaiveDate::from_num_days_from_ce_opt(days).unwrap();
            prop_assert_eq!(iso(date), date.to_string());
        }

        #[test]
        fn compact_agrees_with_chrono(text in "[0-9]{8}") {
            prop_assert_eq!(parse_compact(&text), NaiveDate::parse_from_str(&text, "%Y%m%d").ok());
        }
    }
}
