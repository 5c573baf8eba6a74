//! Finding text in an article: every match of a literal string, as char ranges, for the
//! find bar and the corpus search.
//!
//! Case-insensitive search uses Unicode simple case folding on the original text (through
//! `regex`), so it never lowercases a copy of the article and offsets never drift on text
//! whose lower case has a different length (`İ`).

use super::offset::{CharOffset, CharRange};

/// Every non-overlapping match of `needle` in `text`, in order, as char ranges.
#[must_use]
pub fn find_all(text: &str, needle: &str, case_sensitive: bool) -> Vec<CharRange> {
    if needle.is_empty() {
        return Vec::new();
    }
    let Ok(pattern) = regex::RegexBuilder::new(&regex::escape(needle))
        .case_insensitive(!case_sensitive)
        .build()
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    // Byte offsets to char offsets in one forward pass over the text.
    let mut byte = 0;
    let mut chars = 0;
    for m in pattern.find_iter(text) {
        chars += text.get(byte..m.start()).map_or(0, |s| s.chars().count());
        let len = m.as_str().chars().count();
        out.push(CharRange::at(CharOffset(chars), len));
        chars += len;
        byte = m.end();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spans(text: &str, needle: &str, cs: bool) -> Vec<(usize, usize)> {
        find_all(text, needle, cs)
            .into_iter()
            .map(|r| (r.start().get(), r.end().get()))
            .collect()
    }

    #[test]
    fn matches_are_char_ranges_and_case_insensitive_by_default() {
        let text = "Putin — ПУТИН, путин and Putin's 🇺🇦 putin";
        assert_eq!(spans(text, "putin", false), [(0, 5), (25, 30), (36, 41)]);
        assert_eq!(spans(text, "путин", false), [(8, 13), (15, 20)]);
        assert_eq!(spans(text, "putin", true), [(36, 41)]);
        assert!(spans(text, "", false).is_empty());
        assert_eq!(
            spans("a.b a+b", ".", false),
            [(1, 2)],
            "the needle is literal"
        );
    }
}
