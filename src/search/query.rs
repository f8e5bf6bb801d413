//! What a query looks like decides which index serves it.

/// The shape of a query, its text normalised for that shape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Shape {
    Empty,
    /// Han characters: a name or part of one.
    Han(String),
    /// Latin letters: pinyin, with spaces removed, lower case.
    Pinyin(String),
    /// Digits (and a final X): an ID number or a phone, any part.
    Digits(String),
    /// Has brackets or 执: a case number, brackets made full-width.
    CaseNumber(String),
    /// Letters and digits: a USCC, upper case.
    Code(String),
}

impl Shape {
    pub fn text(&self) -> &str {
        match self {
            Shape::Empty => "",
            Shape::Han(t)
            | Shape::Pinyin(t)
            | Shape::Digits(t)
            | Shape::CaseNumber(t)
            | Shape::Code(t) => t,
        }
    }
}

pub fn classify(raw: &str) -> Shape {
    let t = raw.trim();
    if t.is_empty() {
        return Shape::Empty;
    }
    if t.contains(['(', ')', '（', '）', '执', '号']) {
        return Shape::CaseNumber(t.replace('(', "（").replace(')', "）").replace(' ', ""));
    }
    if t.chars()
        .all(|c| c.is_ascii_alphabetic() || c == ' ' || c == '\'')
    {
        let joined: String = t.chars().filter(|c| c.is_ascii_alphabetic()).collect();
        return Shape::Pinyin(joined.to_ascii_lowercase());
    }
    let compact: String = t.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    let digits_and_x = compact.chars().enumerate().all(|(i, c)| {
        c.is_ascii_digit()
            || (matches!(c, 'x' | 'X') && i + 1 == compact.len() && i > 0)
            || (c == '+' && i == 0)
    });
    if digits_and_x {
        return Shape::Digits(compact.to_ascii_uppercase());
    }
    if compact.chars().all(|c| c.is_ascii_alphanumeric()) {
        return Shape::Code(compact.to_ascii_uppercase());
    }
    Shape::Han(t.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes() {
        assert_eq!(classify("  "), Shape::Empty);
        assert_eq!(classify("张"), Shape::Han("张".into()));
        assert_eq!(classify("zhang San"), Shape::Pinyin("zhangsan".into()));
        assert_eq!(classify("zs"), Shape::Pinyin("zs".into()));
        assert_eq!(classify("4101851990"), Shape::Digits("4101851990".into()));
        assert_eq!(classify("002x"), Shape::Digits("002X".into()));
        assert_eq!(
            classify("138 0013 8000"),
            Shape::Digits("13800138000".into())
        );
        assert_eq!(
            classify("(2019)豫0185执1234号"),
            Shape::CaseNumber("（2019）豫0185执1234号".into())
        );
        assert_eq!(classify("执1234"), Shape::CaseNumber("执1234".into()));
        assert_eq!(classify("91350100m"), Shape::Code("91350100M".into()));
    }
}
