//! Pinyin of names: what an officer types when the IME is off.

use pinyin::ToPinyin;
use std::borrow::Cow;

/// Syllables, one per character: Han characters become their plain pinyin,
/// other letters and digits are kept lower-cased, everything else dropped.
pub fn syllables(name: &str) -> impl Iterator<Item = Cow<'static, str>> + '_ {
    name.chars()
        .zip(name.to_pinyin())
        .filter_map(|(c, p)| match p {
            Some(p) => Some(Cow::Borrowed(p.plain())),
            None if c.is_ascii_alphanumeric() => {
                Some(Cow::Owned(c.to_ascii_lowercase().to_string()))
            }
            None => None,
        })
}

/// `zhang san feng`: the form stored with the subject.
pub fn spaced(name: &str) -> String {
    // Into one string, not a string per syllable: the importer computes
    // this for every row.
    let mut out = String::with_capacity(name.len() * 2);
    for syllable in syllables(name) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&syllable);
    }
    out
}

/// `zhangsanfeng`, from the stored spaced form.
pub fn joined(spaced: &str) -> String {
    spaced.split(' ').collect()
}

/// `sanfeng`, from the stored spaced form: the given name's pinyin (empty
/// for a single syllable).
pub fn from_second_syllable(spaced: &str) -> String {
    spaced
        .split_once(' ')
        .map_or(String::new(), |(_, rest)| joined(rest))
}

/// `zsf`, from the stored spaced form.
pub fn initials(spaced: &str) -> String {
    spaced.split(' ').filter_map(|s| s.chars().next()).collect()
}

/// Maps positions in the joined pinyin to positions of the name's characters,
/// so a pinyin match highlights the Han characters it came from. Names with
/// characters that have no syllable map to nothing.
pub fn joined_to_name_positions(
    name: &str,
    spaced: &str,
    joined_positions: &[usize],
) -> Vec<usize> {
    let syllables: Vec<&str> = spaced.split(' ').collect();
    if syllables.len() != name.chars().count() {
        return Vec::new();
    }
    let mut owner = Vec::new();
    for (i, s) in syllables.iter().enumerate() {
        owner.extend(std::iter::repeat_n(i, s.chars().count()));
    }
    let mut out: Vec<usize> = joined_positions
        .iter()
        .filter_map(|&p| owner.get(p).copied())
        .collect();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_become_syllables() {
        assert_eq!(spaced("张三丰"), "zhang san feng");
        assert_eq!(joined("zhang san feng"), "zhangsanfeng");
        assert_eq!(initials("zhang san feng"), "zsf");
        assert_eq!(spaced("ABC建设有限公司").split(' ').count(), 9);
        // The stored form: each character's syllable as a string, joined.
        let one_string_each = |name: &str| -> String {
            let strings: Vec<String> = syllables(name).map(|s| s.into_owned()).collect();
            strings.join(" ")
        };
        for name in ["张三丰", "ABC建设有限公司", "A·B 王", "", "·"] {
            assert_eq!(spaced(name), one_string_each(name), "{name}");
        }
    }

    #[test]
    fn pinyin_positions_map_back_to_characters() {
        // "sanf" in "zhangsanfeng" covers 三 and 丰.
        let positions: Vec<usize> = (5..9).collect();
        assert_eq!(
            joined_to_name_positions("张三丰", "zhang san feng", &positions),
            vec![1, 2]
        );
    }
}
