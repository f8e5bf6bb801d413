//! The columns of import format version 1 (import-format.md): names,
//! whether they are required, and the header row that maps them.

use std::collections::HashMap;

macro_rules! columns {
    ($($variant:ident => $name:literal, $required:literal;)*) => {
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Column {
            $($variant,)*
        }

        impl Column {
            pub const ALL: &'static [Column] = &[$(Column::$variant,)*];

            pub fn name(self) -> &'static str {
                match self {
                    $(Column::$variant => $name,)*
                }
            }

            /// Required on every row (court_name is required only for a new court).
            pub fn required(self) -> bool {
                match self {
                    $(Column::$variant => $required,)*
                }
            }
        }
    };
}

columns! {
    Kind => "kind", true;
    Name => "name", true;
    IdNumber => "id_number", true;
    Phones => "phones", false;
    Address => "address", false;
    LegalRepName => "legal_rep_name", false;
    LegalRepId => "legal_rep_id", false;
    CourtCode => "court_code", true;
    CourtName => "court_name", false;
    CaseNumber => "case_number", true;
    FiledOn => "filed_on", true;
    Applicant => "applicant", true;
    Basis => "basis", false;
    Obligation => "obligation", true;
    Amount => "amount", false;
    Paid => "paid", false;
    ListedOn => "listed_on", false;
    ListingGround => "listing_ground", false;
    ListingYears => "listing_years", false;
    Restrictions => "restrictions", false;
}

impl Column {
    pub fn from_name(name: &str) -> Option<Column> {
        let wanted = name.trim().to_ascii_lowercase();
        Column::ALL.iter().copied().find(|c| c.name() == wanted)
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

/// One row's values by column, as text (None: the column is absent or the
/// cell empty).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawRow {
    /// The line the row starts on (1 is the header in CSV).
    pub line: u64,
    pub values: Vec<Option<String>>,
    /// The row as it was in the file, for the rejects file.
    pub original: Vec<String>,
}

impl RawRow {
    pub fn new(line: u64) -> RawRow {
        RawRow {
            line,
            values: vec![None; Column::ALL.len()],
            original: Vec::new(),
        }
    }

    pub fn get(&self, column: Column) -> Option<&str> {
        self.values[column.index()].as_deref()
    }

    pub fn set(&mut self, column: Column, value: &str) {
        let v = value.trim();
        self.values[column.index()] = (!v.is_empty()).then(|| v.to_string());
    }

    /// `set`, keeping the cell's own text when it needs no trimming.
    pub fn set_owned(&mut self, column: Column, value: String) {
        if value.trim().len() == value.len() {
            self.values[column.index()] = (!value.is_empty()).then_some(value);
        } else {
            self.set(column, &value);
        }
    }
}

/// Where each column sits in a CSV file's rows.
#[derive(Debug, Clone)]
pub struct Header {
    pub positions: Vec<(usize, Column)>,
    pub width: usize,
    pub names: Vec<String>,
}

/// A header that cannot be used: every problem, by column.
pub fn parse_header(cells: &[String]) -> Result<Header, Vec<(String, String)>> {
    let mut problems = Vec::new();
    let mut seen: HashMap<Column, usize> = HashMap::new();
    let mut positions = Vec::new();
    for (i, cell) in cells.iter().enumerate() {
        let shown = cell.trim();
        match Column::from_name(shown) {
            None if shown.is_empty() => problems.push((
                format!("column {}", i + 1),
                "the header cell is empty: every column needs a name".to_string(),
            )),
            None => problems.push((
                shown.to_string(),
                format!("unknown column; the known columns are {}", known_names()),
            )),
            Some(c) => {
                if let Some(first) = seen.insert(c, i) {
                    problems.push((
                        shown.to_string(),
                        format!("appears twice (columns {} and {})", first + 1, i + 1),
                    ));
                }
                positions.push((i, c));
            }
        }
    }
    for c in Column::ALL
        .iter()
        .filter(|c| c.required() && !seen.contains_key(c))
    {
        problems.push((
            c.name().to_string(),
            "required column is missing".to_string(),
        ));
    }
    if problems.is_empty() {
        Ok(Header {
            positions,
            width: cells.len(),
            names: cells.to_vec(),
        })
    } else {
        Err(problems)
    }
}

fn known_names() -> String {
    Column::ALL
        .iter()
        .map(|c| c.name())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cells(names: &[&str]) -> Vec<String> {
        names.iter().map(|s| s.to_string()).collect()
    }

    const REQUIRED: [&str; 8] = [
        "kind",
        "name",
        "id_number",
        "court_code",
        "case_number",
        "filed_on",
        "applicant",
        "obligation",
    ];

    #[test]
    fn names_are_case_insensitive_and_trimmed_in_any_order() {
        let mut names: Vec<&str> = REQUIRED.to_vec();
        names.reverse();
        names.push(" Amount ");
        let header = parse_header(&cells(&names)).unwrap();
        assert_eq!(header.positions.len(), 9);
        assert_eq!(header.positions[8], (8, Column::Amount));
    }

    #[test]
    fn unknown_duplicate_and_missing_columns_are_each_named() {
        let mut names = REQUIRED[1..].to_vec();
        names.push("amout");
        names.push("name");
        let problems = parse_header(&cells(&names)).unwrap_err();
        let text = format!("{problems:?}");
        assert!(
            text.contains("amout") && text.contains("unknown column"),
            "{text}"
        );
        assert!(text.contains("appears twice (columns 1 and 9)"), "{text}");
        assert!(
            text.contains("\"kind\", \"required column is missing\""),
            "{text}"
        );
    }
}
