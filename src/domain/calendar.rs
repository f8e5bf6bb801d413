//! Working days on China's calendar, which is data: the State Council moves
//! holidays and make-up working weekends every year.

use chrono::{Datelike, Days, NaiveDate, Weekday};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayKind {
    Holiday,
    Workday,
}

impl DayKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DayKind::Holiday => "holiday",
            DayKind::Workday => "workday",
        }
    }

    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "holiday" => Some(DayKind::Holiday),
            "workday" => Some(DayKind::Workday),
            _ => None,
        }
    }
}

/// One exception to the weekday/weekend rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CalendarDay {
    pub day: NaiveDate,
    pub kind: DayKind,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("calendar line {line}: {problem}")]
pub struct CalendarError {
    pub line: usize,
    pub problem: String,
}

/// The calendar shipped with the program (2025 and 2026).
pub const SHIPPED_CALENDAR: &str = include_str!("../../data/calendar-cn.csv");

/// Parses `date,kind,name` lines with a header.
pub fn parse_calendar_csv(text: &str) -> Result<Vec<CalendarDay>, CalendarError> {
    let mut days = Vec::new();
    for (index, raw) in text.lines().enumerate() {
        let line = index + 1;
        let raw = raw.trim_start_matches('\u{feff}').trim();
        if raw.is_empty() || (line == 1 && raw.starts_with("date")) {
            continue;
        }
        let mut parts = raw.splitn(3, ',');
        let (Some(date), Some(kind)) = (parts.next(), parts.next()) else {
            return Err(CalendarError {
                line,
                problem: "expected date,kind,name".into(),
            });
        };
        let day =
            NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d").map_err(|_| CalendarError {
                line,
                problem: format!("'{date}' is not a YYYY-MM-DD date"),
            })?;
        let kind = DayKind::parse(kind.trim()).ok_or_else(|| CalendarError {
            line,
            problem: format!("kind '{kind}' must be holiday or workday"),
        })?;
        let name = parts.next().unwrap_or("").trim().to_string();
        days.push(CalendarDay { day, kind, name });
    }
    Ok(days)
}

/// Working-day arithmetic over the stored exceptions.
#[derive(Debug, Clone, Default)]
pub struct WorkCalendar {
    exceptions: BTreeMap<NaiveDate, DayKind>,
}

impl WorkCalendar {
    pub fn new(days: impl IntoIterator<Item = CalendarDay>) -> Self {
        WorkCalendar {
            exceptions: days.into_iter().map(|d| (d.day, d.kind)).collect(),
        }
    }

    pub fn shipped() -> Self {
        Self::new(parse_calendar_csv(SHIPPED_CALENDAR).unwrap_or_default())
    }

    pub fn is_working_day(&self, day: NaiveDate) -> bool {
        match self.exceptions.get(&day) {
            Some(DayKind::Holiday) => false,
            Some(DayKind::Workday) => true,
            None => !matches!(day.weekday(), Weekday::Sat | Weekday::Sun),
        }
    }

    /// Whether the calendar holds the State Council's schedule for that year;
    /// without it, holidays of that year are unknown and deadlines are only
    /// weekday-based.
    pub fn covers_year(&self, year: i32) -> bool {
        self.exceptions.keys().any(|d| d.year() == year)
    }

    /// The day `n` working days after `start` (the start day itself not counted).
    pub fn add_working_days(&self, start: NaiveDate, n: u32) -> NaiveDate {
        let mut day = start;
        let mut left = n;
        while left > 0 {
            day = day + Days::new(1);
            if self.is_working_day(day) {
                left -= 1;
            }
        }
        day
    }
}

/// Calendar-day deadlines (15 days to review an objection, 10 to ask for
/// reconsideration) count every day.
pub fn add_calendar_days(start: NaiveDate, n: u32) -> NaiveDate {
    start + Days::new(u64::from(n))
}

/// The statutory clocks, in one place.
pub mod deadlines {
    /// Deletion after performance, correction after an upheld objection (Arts. 9-10).
    pub const DELETION_WORKING_DAYS: u32 = 3;
    /// The enforcing court reviews an objection within 15 days (Art. 11).
    pub const OBJECTION_REVIEW_DAYS: u32 = 15;
    /// Reconsideration may be asked within 10 days of service of a rejection.
    pub const RECONSIDERATION_WINDOW_DAYS: u32 = 10;
    /// The higher court decides a reconsideration within 15 days.
    pub const RECONSIDERATION_DECISION_DAYS: u32 = 15;
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn shipped_calendar_parses() {
        let days = parse_calendar_csv(SHIPPED_CALENDAR).unwrap();
        assert!(days.len() > 60);
        let cal = WorkCalendar::shipped();
        assert!(cal.covers_year(2025) && cal.covers_year(2026));
        assert!(!cal.is_working_day(d(2025, 10, 1)), "National Day");
        assert!(cal.is_working_day(d(2025, 9, 28)), "a make-up Sunday");
    }

    #[test]
    fn three_working_days_skip_weekends() {
        let cal = WorkCalendar::shipped();
        // Thursday 2026-11-26 + 3 working days = Tuesday 2026-12-01.
        assert_eq!(cal.add_working_days(d(2026, 11, 26), 3), d(2026, 12, 1));
    }

    #[test]
    fn three_working_days_skip_the_national_day_week() {
        let cal = WorkCalendar::shipped();
        // Tuesday 2025-09-30: Oct 1-8 are holidays, Sat Oct 11 is a make-up working day.
        assert_eq!(cal.add_working_days(d(2025, 9, 30), 1), d(2025, 10, 9));
        assert_eq!(cal.add_working_days(d(2025, 9, 30), 3), d(2025, 10, 11));
    }

    #[test]
    fn spring_festival_make_up_sunday_counts() {
        let cal = WorkCalendar::shipped();
        // Friday 2025-01-24: Sat 25 rest, Sun 26 make-up workday, Mon 27 workday,
        // Jan 28 - Feb 4 holidays, Wed Feb 5 workday.
        assert_eq!(cal.add_working_days(d(2025, 1, 24), 1), d(2025, 1, 26));
        assert_eq!(cal.add_working_days(d(2025, 1, 24), 3), d(2025, 2, 5));
    }

    #[test]
    fn calendar_days_count_everything() {
        assert_eq!(
            add_calendar_days(d(2026, 2, 10), deadlines::OBJECTION_REVIEW_DAYS),
            d(2026, 2, 25)
        );
        assert_eq!(
            add_calendar_days(d(2026, 12, 28), deadlines::RECONSIDERATION_WINDOW_DAYS),
            d(2027, 1, 7)
        );
    }

    #[test]
    fn bad_calendar_lines_are_named() {
        let err = parse_calendar_csv("date,kind,name\n2026-02-30,holiday,x\n").unwrap_err();
        assert_eq!(err.line, 2);
        let err = parse_calendar_csv("date,kind,name\n2026-02-03,rest,x\n").unwrap_err();
        assert!(err.problem.contains("holiday or workday"));
    }
}
