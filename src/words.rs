//! Counts in words, for every message that states one: "1 notice",
//! "2 notices", "12,345 notices", rather than "1 notice(s)".

use crate::domain::money::group_thousands;

/// `n` and its noun, the noun's last word in the plural unless `n` is
/// one; thousands grouped.
pub fn count(n: impl TryInto<u64>, noun: &str) -> String {
    let n = n.try_into().unwrap_or(0);
    if n == 1 {
        format!("1 {noun}")
    } else {
        format!("{} {}", group_thousands(n), plural(noun))
    }
}

/// "was" for one, "were" for any other count.
pub fn was(n: impl TryInto<u64>) -> &'static str {
    match n.try_into() {
        Ok(1) => "was",
        _ => "were",
    }
}

/// The plural of the English nouns zhixing's messages count (regular
/// ones: "entry", "process", "batch").
pub fn plural(noun: &str) -> String {
    let sibilant = ["s", "x", "z", "ch", "sh"]
        .iter()
        .any(|e| noun.ends_with(e));
    if sibilant {
        return format!("{noun}es");
    }
    let mut chars = noun.chars().rev();
    if let (Some('y'), Some(before)) = (chars.next(), chars.next())
        && !"aeiou".contains(before)
    {
        return format!("{}ies", &noun[..noun.len() - 1]);
    }
    format!("{noun}s")
}

#[cfg(test)]
mod tests {
    use super::{count, plural, was};

    #[test]
    fn counts_read_as_words() {
        assert_eq!(count(0, "notice"), "0 notices");
        assert_eq!(count(1, "notice"), "1 notice");
        assert_eq!(count(2usize, "restriction item"), "2 restriction items");
        assert_eq!(count(239_212i64, "restriction"), "239,212 restrictions");
        assert_eq!(count(1u64, "call-message notice"), "1 call-message notice");
        assert_eq!(was(1), "was");
        assert_eq!(was(0), "were");
        assert_eq!(was(3usize), "were");
    }

    #[test]
    fn plurals_follow_the_spelling() {
        assert_eq!(plural("entry"), "entries");
        assert_eq!(plural("day"), "days");
        assert_eq!(plural("batch"), "batches");
        assert_eq!(plural("process"), "processes");
        assert_eq!(plural("change"), "changes");
    }
}
