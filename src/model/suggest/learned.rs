//! "Learning from the analyst", after the string-matching recommender of `INCEpTION`: once a string
//! is tagged, every other place it occurs is worth proposing with the same label.
//!
//! Only whole-word occurrences count, so tagging "Putin" proposes "Putin's" but not the
//! inside of "Putinism":
//!
//! ```text
//!   Putin met Putin's aides; Putinism
//!   [───]     [───]           (no)
//! ```
//!
//! Scripts written without spaces (Chinese, Japanese) have no visible word boundaries, so
//! there the check is left out at the CJK side.

use std::ops::Range;

use super::text::is_word_char;

/// Every exact occurrence of `needle` in `text` that starts and ends on a word boundary, as
/// half-open char ranges, in text order. The caller drops the occurrence it already tagged.
///
/// A boundary is only required where the needle itself starts or ends with a word char:
/// tagging `"“Yes,”` needs no boundary after its closing mark. An empty needle finds nothing.
/// One forward pass: the char offset of each match is counted from the previous match.
#[must_use]
pub fn occurrences(text: &str, needle: &str) -> Vec<Range<usize>> {
    if needle.is_empty() {
        return Vec::new();
    }
    let needle_chars = needle.chars().count();
    let starts_word = needle.chars().next().is_some_and(is_word_char);
    let ends_word = needle.chars().next_back().is_some_and(is_word_char);
    let mut out = Vec::new();
    let mut counted_byte = 0;
    let mut counted_chars = 0;
    // A match of a UTF-8 needle in UTF-8 text starts and ends on char boundaries.
    for at in memchr::memmem::find_iter(text.as_bytes(), needle.as_bytes()) {
        let end = at + needle.len();
        let before = text.get(..at).and_then(|s| s.chars().next_back());
        let after = text.get(end..).and_then(|s| s.chars().next());
        if (starts_word && before.is_some_and(is_word_char))
            || (ends_word && after.is_some_and(is_word_char))
        {
            continue;
        }
        counted_chars += text.get(counted_byte..at).map_or(0, |s| s.chars().count());
        counted_byte = at;
        out.push(counted_chars..counted_chars + needle_chars);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_words_only() {
        let text = "Putin met Putin's aides; Putinism grew. Putin";
        assert_eq!(occurrences(text, "Putin"), vec![0..5, 10..15, 40..45]);
    }

    #[test]
    fn offsets_are_chars() {
        let text = "«Zürich» und Zürich";
        assert_eq!(occurrences(text, "Zürich"), vec![1..7, 13..19]);
    }

    #[test]
    fn needle_with_punctuation_at_its_edges() {
        assert_eq!(
            occurrences("a “Yes,” b “Yes,”c", "“Yes,”"),
            vec![2..8, 11..17]
        );
    }

    #[test]
    fn cjk_needs_no_spaces() {
        assert_eq!(occurrences("東京都と東京", "東京"), vec![0..2, 4..6]);
    }

    #[test]
    fn empty_needle_finds_nothing() {
        assert!(occurrences("abc", "").is_empty());
    }
}
