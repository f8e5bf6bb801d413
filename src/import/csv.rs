//! RFC 4180 records from decoded lines: commas, double quotes around fields
//! holding commas, quotes or line breaks, quotes doubled inside them. A
//! record may span lines; its line is the one it starts on.

/// A record, or why the text is not one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CsvError {
    /// A quoted field still open at the end of the file.
    Unterminated { line: u64, field: usize },
    /// A quote in the middle of a field that does not start with one.
    StrayQuote { line: u64, field: usize },
    /// Text between a closing quote and the next comma.
    AfterQuote { line: u64, field: usize },
}

impl CsvError {
    pub fn line(&self) -> u64 {
        match self {
            CsvError::Unterminated { line, .. }
            | CsvError::StrayQuote { line, .. }
            | CsvError::AfterQuote { line, .. } => *line,
        }
    }

    pub fn message(&self) -> String {
        match self {
            CsvError::Unterminated { field, .. } => format!(
                "field {field}: a quoted field is opened here and never closed (a missing \" or a file cut short)"
            ),
            CsvError::StrayQuote { field, .. } => format!(
                "field {field}: a \" inside a field that is not quoted; quote the whole field and double the \" inside it"
            ),
            CsvError::AfterQuote { field, .. } => format!(
                "field {field}: text after the closing \"; a quoted field ends at a comma or the end of the line"
            ),
        }
    }
}

/// Assembles records from lines: feed lines in order, take records out.
#[derive(Debug, Default)]
pub struct RecordBuilder {
    cells: Vec<String>,
    cell: String,
    in_quotes: bool,
    closed: bool,
    start_line: u64,
}

impl RecordBuilder {
    /// Adds one line (without its line end). Returns the record it
    /// completes, with the line it started on.
    ///
    /// Walks the bytes: commas and quotes are ASCII, so every position
    /// they are found at is a character boundary, and the text between
    /// them is copied in runs rather than character by character.
    pub fn push_line(
        &mut self,
        line_no: u64,
        line: &str,
    ) -> Result<Option<(u64, Vec<String>)>, CsvError> {
        if !self.in_quotes {
            self.start_line = line_no;
        } else {
            self.cell.push('\n');
        }
        let bytes = line.as_bytes();
        // The start of the text not yet copied into the cell.
        let mut run = 0;
        let mut i = 0;
        while i < bytes.len() {
            let field = self.cells.len() + 1;
            if self.in_quotes {
                if bytes[i] == b'"' {
                    self.cell.push_str(&line[run..i]);
                    if bytes.get(i + 1) == Some(&b'"') {
                        self.cell.push('"');
                        i += 1;
                    } else {
                        self.in_quotes = false;
                        self.closed = true;
                    }
                    run = i + 1;
                }
                i += 1;
                continue;
            }
            match bytes[i] {
                b',' => {
                    self.cell.push_str(&line[run..i]);
                    self.cells.push(std::mem::take(&mut self.cell));
                    self.closed = false;
                    run = i + 1;
                }
                b'"' if self.cell.is_empty() && run == i && !self.closed => {
                    self.in_quotes = true;
                    run = i + 1;
                }
                b'"' => return Err(self.fail(|line| CsvError::StrayQuote { line, field })),
                _ if self.closed => {
                    return Err(self.fail(|line| CsvError::AfterQuote { line, field }));
                }
                _ => {}
            }
            i += 1;
        }
        self.cell.push_str(&line[run..]);
        if self.in_quotes {
            return Ok(None);
        }
        self.cells.push(std::mem::take(&mut self.cell));
        self.closed = false;
        // The next record most likely has as many fields.
        let next = Vec::with_capacity(self.cells.len());
        Ok(Some((
            self.start_line,
            std::mem::replace(&mut self.cells, next),
        )))
    }

    fn fail(&mut self, make: impl FnOnce(u64) -> CsvError) -> CsvError {
        let line = self.start_line;
        *self = RecordBuilder::default();
        make(line)
    }

    /// Inside a quoted field that continues on the next line.
    pub fn in_quoted_field(&self) -> bool {
        self.in_quotes
    }

    /// At the end of the file: a field still open is an error.
    pub fn finish(&self) -> Result<(), CsvError> {
        if self.in_quotes {
            return Err(CsvError::Unterminated {
                line: self.start_line,
                field: self.cells.len() + 1,
            });
        }
        Ok(())
    }
}

/// Quotes a cell for writing when it needs it.
pub fn quote(cell: &str) -> String {
    if cell.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", cell.replace('"', "\"\""))
    } else {
        cell.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn records(lines: &[&str]) -> Result<Vec<(u64, Vec<String>)>, CsvError> {
        let mut b = RecordBuilder::default();
        let mut out = Vec::new();
        for (i, l) in lines.iter().enumerate() {
            if let Some(r) = b.push_line(i as u64 + 1, l)? {
                out.push(r);
            }
        }
        b.finish()?;
        Ok(out)
    }

    #[test]
    fn quoted_commas_quotes_and_line_breaks() {
        let got = records(&["a,\"b, c\",\"say \"\"hi\"\"\"", "x,\"two", "lines\",z"]).unwrap();
        assert_eq!(
            got[0],
            (1, vec!["a".into(), "b, c".into(), "say \"hi\"".into()])
        );
        assert_eq!(
            got[1],
            (2, vec!["x".into(), "two\nlines".into(), "z".into()])
        );
    }

    #[test]
    fn empty_fields_and_trailing_comma() {
        assert_eq!(records(&["a,,\"\","]).unwrap()[0].1, vec!["a", "", "", ""]);
    }

    #[test]
    fn an_unterminated_quote_names_its_line() {
        let err = records(&["h1,h2", "a,\"open", "b,c"]).unwrap_err();
        assert_eq!(err, CsvError::Unterminated { line: 2, field: 2 });
        assert!(err.message().contains("never closed"));
    }

    #[test]
    fn stray_and_trailing_quotes_are_refused() {
        assert_eq!(
            records(&["a,b\"c"]).unwrap_err(),
            CsvError::StrayQuote { line: 1, field: 2 }
        );
        assert_eq!(
            records(&["\"a\"b,c"]).unwrap_err(),
            CsvError::AfterQuote { line: 1, field: 1 }
        );
    }

    proptest! {
        #[test]
        fn quote_then_parse_round_trips(cells in proptest::collection::vec("[a-z,\"\n 执行]{0,8}", 1..6)) {
            let line: Vec<String> = cells.iter().map(|c| quote(c)).collect();
            let text = line.join(",");
            let lines: Vec<&str> = text.split('\n').collect();
            let got = records(&lines).unwrap();
            prop_assert_eq!(got.len(), 1);
            prop_assert_eq!(&got[0].1, &cells);
        }
    }
}
