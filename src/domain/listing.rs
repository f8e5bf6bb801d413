//! Listing as dishonest: grounds (Art. 1), exclusions (Art. 3), periods
//! (Art. 2), minors (Art. 4), and the reasons a listing ends (Arts. 9-10).

use super::ident::age_on;
use chrono::{Months, NaiveDate};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Ground(u8);

impl Ground {
    pub fn new(n: u8) -> Option<Ground> {
        (1..=6).contains(&n).then_some(Ground(n))
    }

    pub fn number(self) -> u8 {
        self.0
    }

    pub fn description(self) -> &'static str {
        match self.0 {
            1 => "able to perform but refuses",
            2 => "obstructs enforcement by forgery, violence or threats",
            3 => "evades enforcement by sham litigation or hiding assets",
            4 => "violates the property-reporting system",
            5 => "violates a consumption-restriction order",
            _ => "refuses to perform a settlement agreement",
        }
    }

    pub fn description_zh(self) -> &'static str {
        match self.0 {
            1 => "有履行能力而拒不履行",
            2 => "以伪造证据、暴力、威胁等方法妨碍、抗拒执行",
            3 => "以虚假诉讼、虚假仲裁或者以隐匿、转移财产等方法规避执行",
            4 => "违反财产报告制度",
            5 => "违反限制消费令",
            _ => "无正当理由拒不履行执行和解协议",
        }
    }
}

impl fmt::Display for Ground {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ground {}", self.0)
    }
}

/// The Art. 3 circumstances in which ground 1 may not be used; the officer
/// confirms each one does not apply.
pub const GROUND1_EXCLUSIONS: [&str; 3] = [
    "adequate security has been given",
    "assets already sealed, seized or frozen cover the debt",
    "the debtor is later in the order of performance",
];

/// The listing period: none for ground 1, otherwise 2 years, or 3 to 5 when
/// extended for serious circumstances.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    UntilDeleted,
    Years(u8),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ListingError {
    #[error(
        "a minor may never be listed: born {birth}, {age} years old on the decision date {decided_on}"
    )]
    Minor {
        birth: NaiveDate,
        age: u32,
        decided_on: NaiveDate,
    },
    #[error("ground 1 has no fixed period: it lasts until a deletion ground applies")]
    PeriodOnGroundOne,
    #[error(
        "a listing on ground {ground} lasts 2 years, or 3 to 5 when extended; {years} is not allowed"
    )]
    BadPeriod { ground: u8, years: u8 },
    #[error("ground 1 needs the officer to confirm that none of the Art. 3 exclusions applies")]
    ExclusionsNotConfirmed,
    #[error("the decision date {0} is in the future")]
    FutureDecision(NaiveDate),
}

/// The period for a ground, from the years asked for (None = default).
pub fn period_for(ground: Ground, years: Option<u8>) -> Result<Period, ListingError> {
    match (ground.0, years) {
        (1, None) => Ok(Period::UntilDeleted),
        (1, Some(_)) => Err(ListingError::PeriodOnGroundOne),
        (_, None) => Ok(Period::Years(2)),
        (_, Some(y @ 2..=5)) => Ok(Period::Years(y)),
        (g, Some(y)) => Err(ListingError::BadPeriod {
            ground: g,
            years: y,
        }),
    }
}

/// The day a fixed-period listing ends (None for ground 1).
pub fn expiry(decided_on: NaiveDate, period: Period) -> Option<NaiveDate> {
    match period {
        Period::UntilDeleted => None,
        Period::Years(y) => decided_on.checked_add_months(Months::new(12 * u32::from(y))),
    }
}

/// What the officer asks for.
#[derive(Debug, Clone)]
pub struct ListingRequest {
    pub ground: Ground,
    pub years: Option<u8>,
    pub decided_on: NaiveDate,
    /// None for an entity.
    pub birth_date: Option<NaiveDate>,
    /// For ground 1: the officer has confirmed no Art. 3 exclusion applies.
    pub exclusions_confirmed: bool,
}

/// Checks a listing against Arts. 1-4 and returns its period and expiry.
pub fn check_listing(
    req: &ListingRequest,
    today: NaiveDate,
) -> Result<(Period, Option<NaiveDate>), ListingError> {
    if req.decided_on > today {
        return Err(ListingError::FutureDecision(req.decided_on));
    }
    if let Some(birth) = req.birth_date {
        let age = age_on(birth, req.decided_on);
        if age < 18 {
            return Err(ListingError::Minor {
                birth,
                age,
                decided_on: req.decided_on,
            });
        }
    }
    if req.ground.0 == 1 && !req.exclusions_confirmed {
        return Err(ListingError::ExclusionsNotConfirmed);
    }
    let period = period_for(req.ground, req.years)?;
    Ok((period, expiry(req.decided_on, period)))
}

/// Why a listing ends: the deletion grounds of Art. 10, the end of a fixed
/// period, and revocation of a wrong listing under Art. 9.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum LiftReason {
    Performed,
    SettlementPerformed,
    ApplicantRequest,
    NoAssetsFound,
    Suspended,
    NotToEnforce,
    EnforcementTerminated,
    PeriodEnded,
    WronglyListed,
}

impl LiftReason {
    pub const ALL: [LiftReason; 9] = [
        LiftReason::Performed,
        LiftReason::SettlementPerformed,
        LiftReason::ApplicantRequest,
        LiftReason::NoAssetsFound,
        LiftReason::Suspended,
        LiftReason::NotToEnforce,
        LiftReason::EnforcementTerminated,
        LiftReason::PeriodEnded,
        LiftReason::WronglyListed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            LiftReason::Performed => "performed",
            LiftReason::SettlementPerformed => "settlement-performed",
            LiftReason::ApplicantRequest => "applicant-request",
            LiftReason::NoAssetsFound => "no-assets-found",
            LiftReason::Suspended => "suspended",
            LiftReason::NotToEnforce => "not-to-enforce",
            LiftReason::EnforcementTerminated => "enforcement-terminated",
            LiftReason::PeriodEnded => "period-ended",
            LiftReason::WronglyListed => "wrongly-listed",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.code() == code)
    }

    pub fn describe(self) -> &'static str {
        match self {
            LiftReason::Performed => "obligation performed or fully enforced",
            LiftReason::SettlementPerformed => "settlement agreement performed",
            LiftReason::ApplicantRequest => "applicant asked in writing, court agreed",
            LiftReason::NoAssetsFound => "round terminated; two asset searches found nothing",
            LiftReason::Suspended => "suspended for trial supervision or bankruptcy",
            LiftReason::NotToEnforce => "court ruled not to enforce",
            LiftReason::EnforcementTerminated => "court ruled to terminate enforcement",
            LiftReason::PeriodEnded => "fixed period ended",
            LiftReason::WronglyListed => "wrongly listed: revoked (Art. 9)",
        }
    }
}

impl super::codes::Vocabulary for LiftReason {
    const VALUES: &'static [LiftReason] = &LiftReason::ALL;
    fn code(self) -> &'static str {
        LiftReason::code(self)
    }
    fn describe(self) -> &'static str {
        LiftReason::describe(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn request(ground: u8, years: Option<u8>, birth: Option<NaiveDate>) -> ListingRequest {
        ListingRequest {
            ground: Ground::new(ground).unwrap(),
            years,
            decided_on: d(2026, 3, 1),
            birth_date: birth,
            exclusions_confirmed: true,
        }
    }

    #[test]
    fn grounds_are_one_to_six() {
        assert!(Ground::new(0).is_none() && Ground::new(7).is_none());
        assert_eq!(Ground::new(6).unwrap().number(), 6);
    }

    #[test]
    fn periods_by_ground() {
        let g = |n| Ground::new(n).unwrap();
        assert_eq!(period_for(g(1), None), Ok(Period::UntilDeleted));
        assert_eq!(
            period_for(g(1), Some(2)),
            Err(ListingError::PeriodOnGroundOne)
        );
        assert_eq!(period_for(g(2), None), Ok(Period::Years(2)));
        assert_eq!(period_for(g(3), Some(5)), Ok(Period::Years(5)));
        assert_eq!(
            period_for(g(4), Some(6)),
            Err(ListingError::BadPeriod {
                ground: 4,
                years: 6
            })
        );
        assert_eq!(
            period_for(g(5), Some(1)),
            Err(ListingError::BadPeriod {
                ground: 5,
                years: 1
            })
        );
    }

    #[test]
    fn expiry_is_the_anniversary() {
        assert_eq!(expiry(d(2026, 3, 1), Period::Years(2)), Some(d(2028, 3, 1)));
        assert_eq!(
            expiry(d(2024, 2, 29), Period::Years(2)),
            Some(d(2026, 2, 28))
        );
        assert_eq!(expiry(d(2026, 3, 1), Period::UntilDeleted), None);
    }

    #[test]
    fn minors_are_refused_with_their_birth_date() {
        // 18 on 2026-03-02: one day short on the decision date.
        let err =
            check_listing(&request(2, None, Some(d(2008, 3, 2))), d(2026, 11, 27)).unwrap_err();
        assert_eq!(
            err,
            ListingError::Minor {
                birth: d(2008, 3, 2),
                age: 17,
                decided_on: d(2026, 3, 1)
            }
        );
        assert!(err.to_string().contains("2008-03-02"));
        assert!(check_listing(&request(2, None, Some(d(2008, 3, 1))), d(2026, 11, 27)).is_ok());
    }

    #[test]
    fn ground_one_needs_the_exclusions_confirmed() {
        let mut req = request(1, None, None);
        req.exclusions_confirmed = false;
        assert_eq!(
            check_listing(&req, d(2026, 11, 27)),
            Err(ListingError::ExclusionsNotConfirmed)
        );
        req.exclusions_confirmed = true;
        assert_eq!(
            check_listing(&req, d(2026, 11, 27)),
            Ok((Period::UntilDeleted, None))
        );
    }

    #[test]
    fn future_decisions_are_refused() {
        let req = request(2, None, None);
        assert_eq!(
            check_listing(&req, d(2026, 2, 28)),
            Err(ListingError::FutureDecision(d(2026, 3, 1)))
        );
    }

    #[test]
    fn lift_reason_codes_round_trip() {
        for r in LiftReason::ALL {
            assert_eq!(LiftReason::from_code(r.code()), Some(r));
        }
    }
}
