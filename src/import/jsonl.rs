//! JSON Lines: one subject per line, with `cases`, each with `obligations`.
//! Each obligation becomes one row, the same as a CSV row.

use super::columns::{Column, RawRow};
use serde_json::{Map, Value};

/// A line that is not a subject object, or a key that is not known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JsonProblem {
    pub line: u64,
    pub column: String,
    pub message: String,
}

const SUBJECT_KEYS: [Column; 7] = [
    Column::Kind,
    Column::Name,
    Column::IdNumber,
    Column::Phones,
    Column::Address,
    Column::LegalRepName,
    Column::LegalRepId,
];
const CASE_KEYS: [Column; 10] = [
    Column::CourtCode,
    Column::CourtName,
    Column::CaseNumber,
    Column::FiledOn,
    Column::Applicant,
    Column::Basis,
    Column::ListedOn,
    Column::ListingGround,
    Column::ListingYears,
    Column::Restrictions,
];
const OBLIGATION_KEYS: [Column; 3] = [Column::Obligation, Column::Amount, Column::Paid];

struct Reader {
    line: u64,
    problems: Vec<JsonProblem>,
}

impl Reader {
    fn fail(&mut self, column: &str, message: impl Into<String>) {
        self.problems.push(JsonProblem {
            line: self.line,
            column: column.into(),
            message: message.into(),
        });
    }

    /// Copies the known keys of one object into the row; any other key is
    /// an error, except the one holding the next level down.
    fn copy(
        &mut self,
        object: &Map<String, Value>,
        keys: &[Column],
        nested: &str,
        row: &mut RawRow,
    ) {
        for (key, value) in object {
            if key == nested {
                continue;
            }
            let Some(column) = keys.iter().find(|c| c.name() == key) else {
                self.fail(
                    key,
                    format!("unknown key here; known keys are {}", names(keys, nested)),
                );
                continue;
            };
            match text(*column, value) {
                Ok(Some(t)) => row.set(*column, &t),
                Ok(None) => {}
                Err(why) => self.fail(key, why),
            }
        }
    }

    fn array<'v>(&mut self, object: &'v Map<String, Value>, key: &str) -> &'v [Value] {
        match object.get(key) {
            Some(Value::Array(items)) if !items.is_empty() => items,
            Some(Value::Array(_)) | None => {
                self.fail(
                    key,
                    "is missing or empty: every subject has a case and every case an obligation",
                );
                &[]
            }
            Some(_) => {
                self.fail(key, "must be an array of objects");
                &[]
            }
        }
    }
}

fn names(keys: &[Column], nested: &str) -> String {
    let mut all: Vec<&str> = keys.iter().map(|c| c.name()).collect();
    if !nested.is_empty() {
        all.push(nested);
    }
    all.join(", ")
}

/// A JSON value as the text a CSV cell would hold. Amounts must be strings,
/// so that no float ever touches money.
fn text(column: Column, value: &Value) -> Result<Option<String>, String> {
    match value {
        Value::Null => Ok(None),
        Value::String(s) => Ok(Some(s.clone())),
        Value::Number(_) if matches!(column, Column::Amount | Column::Paid) => Err(format!(
            "write amounts as strings in yuan, like \"78000.50\", not as the number {value}"
        )),
        Value::Number(n) => Ok(Some(n.to_string())),
        Value::Array(items) if matches!(column, Column::Phones | Column::Restrictions) => {
            let parts: Option<Vec<&str>> = items.iter().map(Value::as_str).collect();
            parts
                .map(|p| Some(p.join(";")))
                .ok_or_else(|| "must be a list of strings".to_string())
        }
        _ => Err(format!("must be a string, not {value}")),
    }
}

/// The rows of one line: one per obligation.
pub fn rows(line: u64, text_line: &str) -> Result<Vec<RawRow>, Vec<JsonProblem>> {
    let mut r = Reader {
        line,
        problems: Vec::new(),
    };
    let subject = match serde_json::from_str::<Value>(text_line) {
        Ok(Value::Object(o)) => o,
        Ok(_) => {
            r.fail("line", "is not a JSON object (one subject per line)");
            return Err(r.problems);
        }
        Err(e) => {
            r.fail("line", format!("is not valid JSON: {e}"));
            return Err(r.problems);
        }
    };
    let mut base = RawRow::new(line);
    base.original = vec![text_line.to_string()];
    r.copy(&subject, &SUBJECT_KEYS, "cases", &mut base);
    let mut out = Vec::new();
    for case in r.array(&subject, "cases") {
        let Value::Object(case) = case else {
            r.fail("cases", "must hold objects");
            continue;
        };
        let mut with_case = base.clone();
        r.copy(case, &CASE_KEYS, "obligations", &mut with_case);
        for obligation in r.array(case, "obligations") {
            let Value::Object(obligation) = obligation else {
                r.fail("obligations", "must hold objects");
                continue;
            };
            let mut row = with_case.clone();
            r.copy(obligation, &OBLIGATION_KEYS, "", &mut row);
            out.push(row);
        }
    }
    if r.problems.is_empty() {
        Ok(out)
    } else {
        Err(r.problems)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LINE: &str = r#"{"kind":"person","name":"韦国强","id_number":"11010519491231002X","phones":["13800138000"],
        "cases":[{"court_code":"豫0185","case_number":"(2025)豫0185执1号","filed_on":"2025-03-01","applicant":"某银行",
        "listed_on":"2025-06-01","listing_ground":2,
        "obligations":[{"obligation":"本金","amount":"10000"},{"obligation":"利息","amount":"1,200.50","paid":"200"}]}]}"#;

    #[test]
    fn each_obligation_is_a_row_with_the_subject_and_case() {
        let rows = rows(7, &LINE.replace('\n', "")).unwrap();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[1].line, 7);
        assert_eq!(rows[1].get(Column::Name), Some("韦国强"));
        assert_eq!(rows[1].get(Column::Paid), Some("200"));
        assert_eq!(rows[0].get(Column::ListingGround), Some("2"));
        assert_eq!(rows[0].get(Column::Phones), Some("13800138000"));
    }

    #[test]
    fn numbers_for_money_and_unknown_keys_are_refused() {
        let line = LINE
            .replace('\n', "")
            .replace("\"10000\"", "10000")
            .replace("\"applicant\"", "\"aplicant\"");
        let problems = rows(3, &line).unwrap_err();
        let text = format!("{problems:?}");
        assert!(text.contains("write amounts as strings"), "{text}");
        assert!(text.contains("aplicant"), "{text}");
    }

    #[test]
    fn a_line_that_is_not_an_object_is_named() {
        let problems = rows(2, "[1,2]").unwrap_err();
        assert_eq!(problems[0].line, 2);
        assert!(problems[0].message.contains("not a JSON object"));
    }
}
