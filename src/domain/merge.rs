//! When two offices hold different versions of one row, the domain decides
//! which stands, never the last writer: a lifted listing stays lifted (a
//! new listing is a new row), a cancelled notice is never sent, a decided
//! objection or approval is not decided again, a disabled officer stays
//! disabled. The rule is symmetric, so every office reaches the same row
//! whatever order the files arrive in. (Two payments never meet here:
//! each is its own row.)

use serde_json::Value;
use std::collections::BTreeMap;

/// A row by column name.
pub type Row = BTreeMap<String, Value>;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pick {
    Local,
    Incoming,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub pick: Pick,
    /// The rule that decided, in words for the report.
    pub rule: &'static str,
}

fn text<'a>(row: &'a Row, column: &str) -> &'a str {
    row.get(column).and_then(Value::as_str).unwrap_or("")
}

/// How far along its course a row is: the further one stands.
fn progress(table: &str, row: &Row) -> (u8, &'static str) {
    match table {
        "listing" | "restriction" | "restriction_order" => (
            u8::from(text(row, "status") != "active"),
            "a lifted listing or restriction stays lifted",
        ),
        "notice" => (
            match text(row, "state") {
                "queued" => 0,
                "cancelled" => 1,
                "exported" => 2,
                _ => 3,
            },
            "a cancelled notice is never sent; one already handed over stays handed over",
        ),
        "objection" => (
            u8::from(text(row, "status") != "pending"),
            "an objection decided at one site is not decided again",
        ),
        "approval" => (
            u8::from(text(row, "state") != "pending"),
            "a request decided at one site is not decided again",
        ),
        "deadline" => (
            u8::from(text(row, "state") != "open"),
            "a deadline met stays met",
        ),
        "enforcement_case" => (
            u8::from(text(row, "status") != "open"),
            "a case performed or ended stays so",
        ),
        "officer" => (
            u8::from(row.get("active").and_then(Value::as_i64) == Some(0)),
            "a disabled officer stays disabled",
        ),
        _ => (0, "the newer record stands"),
    }
}

/// Which version of a row stands.
pub fn decide(table: &str, local: &Row, incoming: &Row) -> Decision {
    let (l, rule) = progress(table, local);
    let (i, _) = progress(table, incoming);
    if l != i {
        let pick = if i > l { Pick::Incoming } else { Pick::Local };
        return Decision { pick, rule };
    }
    // As far along at both sites: the newer record where rows say when
    // they changed, else one chosen the same way everywhere.
    let (lu, iu) = (text(local, "updated_at"), text(incoming, "updated_at"));
    let pick = if lu != iu {
        if iu > lu { Pick::Incoming } else { Pick::Local }
    } else if canonical(incoming) < canonical(local) {
        Pick::Incoming
    } else {
        Pick::Local
    };
    let rule = if l > 0 {
        "decided at both sites: one decision kept, the same at every site"
    } else {
        rule
    };
    Decision { pick, rule }
}

fn canonical(row: &Row) -> String {
    serde_json::to_string(row).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(pairs: &[(&str, Value)]) -> Row {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }

    #[test]
    fn lifted_stays_lifted_and_cancelled_is_never_sent_whichever_side_holds_it() {
        let active = row(&[("status", "active".into())]);
        let lifted = row(&[("status", "lifted".into())]);
        assert_eq!(decide("listing", &active, &lifted).pick, Pick::Incoming);
        assert_eq!(decide("listing", &lifted, &active).pick, Pick::Local);
        let queued = row(&[("state", "queued".into())]);
        let cancelled = row(&[("state", "cancelled".into())]);
        assert_eq!(decide("notice", &queued, &cancelled).pick, Pick::Incoming);
        assert_eq!(decide("notice", &cancelled, &queued).pick, Pick::Local);
    }

    #[test]
    fn two_decisions_resolve_to_the_same_one_at_both_sites() {
        let upheld = row(&[("status", "upheld".into()), ("decided_by", 7.into())]);
        let rejected = row(&[("status", "rejected".into()), ("decided_by", 9.into())]);
        let here = decide("objection", &upheld, &rejected);
        let there = decide("objection", &rejected, &upheld);
        let kept_here = if here.pick == Pick::Local {
            &upheld
        } else {
            &rejected
        };
        let kept_there = if there.pick == Pick::Local {
            &rejected
        } else {
            &upheld
        };
        assert_eq!(kept_here, kept_there);
        assert!(here.rule.contains("decided at both sites"));
    }

    #[test]
    fn otherwise_the_newer_record_stands() {
        let old = row(&[
            ("name", "沈国华".into()),
            ("updated_at", "2026-11-01".into()),
        ]);
        let new = row(&[
            ("name", "沈国樺".into()),
            ("updated_at", "2026-11-20".into()),
        ]);
        assert_eq!(decide("subject", &old, &new).pick, Pick::Incoming);
        assert_eq!(decide("subject", &new, &old).pick, Pick::Local);
    }
}
