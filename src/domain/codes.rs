//! The small closed vocabularies of the officer's acts, with the text codes
//! the store keeps (readable in sqlite3) and words for the screen.

/// A closed vocabulary: every value, its stored code and its words.
pub trait Vocabulary: Copy + 'static {
    const VALUES: &'static [Self];
    fn code(self) -> &'static str;
    fn describe(self) -> &'static str;
}

macro_rules! vocabulary {
    ($(#[$doc:meta])* $name:ident { $($variant:ident => $code:literal, $words:literal;)* }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        pub enum $name {
            $($variant,)*
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant,)*];

            pub fn code(self) -> &'static str {
                match self {
                    $($name::$variant => $code,)*
                }
            }

            pub fn describe(self) -> &'static str {
                match self {
                    $($name::$variant => $words,)*
                }
            }

            pub fn from_code(code: &str) -> Option<$name> {
                Self::ALL.iter().copied().find(|v| v.code() == code)
            }
        }

        impl Vocabulary for $name {
            const VALUES: &'static [$name] = $name::ALL;
            fn code(self) -> &'static str {
                $name::code(self)
            }
            fn describe(self) -> &'static str {
                $name::describe(self)
            }
        }
    };
}

vocabulary! {
    /// How a payment was made (domain.md, "Payments are facts").
    PaymentMethod {
        Cash => "cash", "cash";
        Transfer => "transfer", "bank transfer";
        WageDeduction => "wage-deduction", "deduction from wages";
        SeizedAssets => "seized-assets", "proceeds of seized assets";
    }
}

vocabulary! {
    /// Why one restriction item is lifted (2015 provisions, Art. 10).
    RestrictionLift {
        SecurityGiven => "security-given", "effective security given";
        ApplicantAgrees => "applicant-agrees", "the applicant agrees";
        Performed => "performed", "obligations fully performed";
        WronglyImposed => "wrongly-imposed", "wrongly imposed";
    }
}

vocabulary! {
    /// What a listed debtor objects to (Art. 11).
    ObjectionKind {
        ShouldNotBeListed => "should-not-be-listed", "should not be listed";
        InformationWrong => "information-wrong", "the information is wrong";
        ShouldBeDeleted => "should-be-deleted", "should already have been deleted";
    }
}

vocabulary! {
    /// Where a notice goes.
    Channel {
        Call => "call", "call message (carriers)";
        Sms => "sms", "SMS";
        Letter => "letter", "letter (service)";
        Publication => "publication", "publication";
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_round_trip() {
        for m in PaymentMethod::ALL {
            assert_eq!(PaymentMethod::from_code(m.code()), Some(*m));
        }
        for r in RestrictionLift::ALL {
            assert_eq!(RestrictionLift::from_code(r.code()), Some(*r));
        }
        for k in ObjectionKind::ALL {
            assert_eq!(ObjectionKind::from_code(k.code()), Some(*k));
        }
        for c in Channel::ALL {
            assert_eq!(Channel::from_code(c.code()), Some(*c));
        }
        assert_eq!(PaymentMethod::from_code("cheque"), None);
    }
}
