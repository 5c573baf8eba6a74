//! Text helpers shared by the suggesters: paragraphs, sentences, character classes, and the
//! single forward pass that turns byte ranges into char ranges.
//!
//! Everything here works in byte offsets of the whole text; only [`bytes_to_chars`] speaks
//! chars. A paragraph is a line (the text is normalised to `\n` line breaks).

use std::ops::Range;

use super::lexicon::{ABBREVIATIONS, is};

/// Byte ranges of the paragraphs (lines) of `text`, without their `\n`, empty ones included.
pub(crate) fn paragraphs(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut start = 0;
    text.split('\n').map(move |line| {
        let range = start..start + line.len();
        start = range.end + 1;
        range
    })
}

/// The paragraphs of `text` that have more than whitespace: neighbours in this list are
/// neighbours to a reader, whether or not blank lines stand between them.
pub(crate) fn filled_paragraphs(text: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    paragraphs(text).filter(|r| text.get(r.clone()).is_some_and(|p| !p.trim().is_empty()))
}

/// Char ranges for byte ranges of `text`, in the same order, counted in one forward pass.
///
/// Each byte offset should be on a char boundary; one that is not is counted as the char it
/// falls inside, so a bad range degrades instead of panicking.
pub(crate) fn bytes_to_chars(text: &str, ranges: &[Range<usize>]) -> Vec<Range<usize>> {
    // Every boundary once, sorted by byte, remembering which range end it belongs to.
    let mut points: Vec<(usize, usize)> = Vec::with_capacity(ranges.len() * 2);
    for (i, r) in ranges.iter().enumerate() {
        points.push((r.start, i * 2));
        points.push((r.end, i * 2 + 1));
    }
    points.sort_unstable();
    let bytes = text.as_bytes();
    let mut out = vec![0..0; ranges.len()];
    let mut byte = 0;
    let mut chars = 0;
    for (at, slot) in points {
        let at = at.min(bytes.len());
        if at > byte {
            chars += bytes.get(byte..at).map_or(0, count_char_starts);
            byte = at;
        }
        if let Some(r) = out.get_mut(slot / 2) {
            if slot % 2 == 0 {
                r.start = chars;
            } else {
                r.end = chars;
            }
        }
    }
    out
}

/// Number of UTF-8 sequence starts (so chars) in `bytes`.
fn count_char_starts(bytes: &[u8]) -> usize {
    bytes.iter().filter(|&&b| (b & 0xC0) != 0x80).count()
}

/// True for CJK ideographs, kana, Hangul syllables and CJK punctuation: scripts written
/// without spaces between words (Hangul does use spaces, but its syllables count alike here).
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3000}'..='\u{30FF}'   // CJK punctuation, hiragana, katakana
        | '\u{3400}'..='\u{4DBF}' // CJK extension A
        | '\u{4E00}'..='\u{9FFF}' // CJK unified ideographs
        | '\u{AC00}'..='\u{D7AF}' // Hangul syllables
        | '\u{F900}'..='\u{FAFF}' // CJK compatibility ideographs
        | '\u{FF00}'..='\u{FFEF}' // full-width forms
        | '\u{20000}'..='\u{2FFFF}')
}

/// True for chars that form words: letters and digits of spaced scripts (CJK is excluded, so
/// a word boundary can be found between a Latin name and a CJK particle).
pub(crate) fn is_word_char(c: char) -> bool {
    (c.is_alphanumeric() || c == '_') && !is_cjk(c)
}

/// Every quotation mark any suggester knows, opening or closing.
pub(crate) fn is_quote_mark(c: char) -> bool {
    matches!(
        c,
        '"' | '\''
            | '“'
            | '”'
            | '‘'
            | '’'
            | '„'
            | '‚'
            | '«'
            | '»'
            | '‹'
            | '›'
            | '「'
            | '」'
            | '『'
            | '』'
            | '〝'
            | '〞'
            | '〟'
    )
}

/// Chars that may follow a sentence's final punctuation before the space: closing quotes
/// and brackets.
fn is_sentence_closer(c: char) -> bool {
    is_quote_mark(c) || matches!(c, ')' | ']' | '）' | '】')
}

/// True when the byte at `at` (inside `para`, a paragraph of `text`) ends a sentence: a final
/// punctuation mark outside `protected` ranges, followed by closers and then a space and a
/// sentence start, or by the end of the paragraph. CJK final marks need no space.
fn sentence_end_after(text: &str, para: &Range<usize>, at: usize, c: char) -> Option<usize> {
    let rest = text.get(at + c.len_utf8()..para.end)?;
    let mut end = at + c.len_utf8();
    let mut chars = rest.chars().peekable();
    // Runs like "?!" or "..." stay in the sentence they end.
    while let Some(&n) = chars.peek() {
        if matches!(n, '.' | '!' | '?' | '…') || is_sentence_closer(n) {
            end += n.len_utf8();
            chars.next();
        } else {
            break;
        }
    }
    if matches!(c, '。' | '！' | '？') {
        return Some(end);
    }
    let next = chars.next();
    let Some(next) = next else {
        return Some(end);
    };
    if !next.is_whitespace() {
        return None;
    }
    let start = chars.find(|n| !n.is_whitespace());
    match start {
        None => Some(end),
        Some(s) if s.is_lowercase() => None,
        Some(s) => {
            if c == '.'
                && (ends_with_abbreviation(text, para.start, at)
                    || is_numbered(text, para.start, at, s))
            {
                None
            } else {
                Some(end)
            }
        }
    }
}

/// "No. 5", "Nos. 3": the number sign before a digit (a sentence may end with "no." too).
fn is_numbered(text: &str, para_start: usize, dot: usize, next: char) -> bool {
    let before = text.get(para_start..dot).unwrap_or_default();
    let word_start = before
        .char_indices()
        .rev()
        .find(|&(_, c)| !c.is_alphabetic())
        .map_or(0, |(i, c)| i + c.len_utf8());
    let word = before.get(word_start..).unwrap_or_default().to_lowercase();
    next.is_ascii_digit() && matches!(word.as_str(), "no" | "nos" | "vol" | "fig" | "p" | "pp")
}

/// True when the word before the full stop at `dot` is an abbreviation or an initial.
fn ends_with_abbreviation(text: &str, para_start: usize, dot: usize) -> bool {
    let Some(before) = text.get(para_start..dot) else {
        return false;
    };
    let word_start = before
        .char_indices()
        .rev()
        .find(|&(_, ch)| !(ch.is_alphanumeric() || ch == '.'))
        .map_or(0, |(i, ch)| i + ch.len_utf8());
    let word = before.get(word_start..).unwrap_or_default();
    let mut letters = word.chars();
    if let (Some(first), None) = (letters.next(), letters.next()) {
        // A single capital is an initial ("J. K. Rowling", "George W. Bush") when it starts
        // a name or follows one; after a common word it ends a sentence ("vitamin D.").
        let before_word = before.get(..word_start).unwrap_or_default().trim_end();
        let prev_word = before_word
            .rsplit(char::is_whitespace)
            .next()
            .unwrap_or_default();
        let starts_name = prev_word.is_empty()
            || prev_word.chars().next().is_some_and(char::is_uppercase)
            || !prev_word.chars().any(char::is_alphanumeric);
        return first.is_uppercase() && starts_name;
    }
    is(&word.to_lowercase(), ABBREVIATIONS)
}

/// Byte ranges of the sentences of paragraph `para`, trimmed of surrounding whitespace.
///
/// A sentence never ends inside one of the `protected` ranges (quoted passages), so a quote
/// of several sentences stays inside the sentence that contains it.
pub(crate) fn sentences(
    text: &str,
    para: &Range<usize>,
    protected: &[Range<usize>],
) -> Vec<Range<usize>> {
    let Some(body) = text.get(para.clone()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut start = para.start;
    let mut skip_to = para.start;
    // `protected` is sorted by start; walk it alongside.
    let first = protected.partition_point(|r| r.end <= para.start);
    let mut guard = protected.get(first..).unwrap_or_default().iter().peekable();
    for (i, c) in body.char_indices() {
        let at = para.start + i;
        if at < skip_to || !matches!(c, '.' | '!' | '?' | '…' | '。' | '！' | '？') {
            continue;
        }
        while guard.peek().is_some_and(|r| r.end <= at) {
            guard.next();
        }
        // Inside a quotation, except its very last char: a quotation's final full stop
        // ends the sentence it closes ("… over and over again." She said …).
        if guard
            .peek()
            .is_some_and(|r| r.start <= at && at + c.len_utf8() < r.end)
        {
            continue;
        }
        if let Some(end) = sentence_end_after(text, para, at, c) {
            push_trimmed(text, start..end, &mut out);
            start = end;
            skip_to = end;
        }
    }
    push_trimmed(text, start..para.end, &mut out);
    out
}

/// Pushes `range` without its leading and trailing whitespace, unless nothing is left.
fn push_trimmed(text: &str, range: Range<usize>, out: &mut Vec<Range<usize>>) {
    let trimmed = trim(text, range);
    if trimmed.start < trimmed.end {
        out.push(trimmed);
    }
}

/// `range` without leading and trailing whitespace.
pub(crate) fn trim(text: &str, range: Range<usize>) -> Range<usize> {
    let Some(s) = text.get(range.clone()) else {
        return range.start..range.start;
    };
    let lead = s.len() - s.trim_start().len();
    let trail = s.len() - s.trim_end().len();
    if lead + trail >= s.len() {
        return range.start..range.start;
    }
    range.start + lead..range.end - trail
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sentence_texts(text: &str) -> Vec<&str> {
        let para = 0..text.len();
        sentences(text, &para, &[])
            .into_iter()
            .filter_map(|r| text.get(r))
            .collect()
    }

    #[test]
    fn bytes_to_chars_counts_multibyte_chars() {
        let text = "aé“b”ç";
        // "b" is at byte 6 (a=1, é=2, “=3) and char 3.
        let got = bytes_to_chars(text, &[6..7, 0..1, 3..10]);
        assert_eq!(got, vec![3..4, 0..1, 2..5]);
    }

    #[test]
    fn bytes_to_chars_tolerates_out_of_range() {
        assert_eq!(bytes_to_chars("ab", &[1..99, 3..4]), vec![1..2, 2..2]);
    }

    #[test]
    fn paragraphs_are_lines() {
        let text = "a\n\nbc";
        let got: Vec<_> = paragraphs(text).collect();
        assert_eq!(got, vec![0..1, 2..2, 3..5]);
    }

    #[test]
    fn sentences_skip_abbreviations_and_initials() {
        assert_eq!(
            sentence_texts("Mr. Smith met Dr. J. K. Jones at 5 p.m. Eastern. Then he left."),
            vec![
                "Mr. Smith met Dr. J. K. Jones at 5 p.m. Eastern.",
                "Then he left."
            ]
        );
    }

    #[test]
    fn single_capital_after_a_common_word_ends_a_sentence() {
        assert_eq!(
            sentence_texts("They took vitamin D. A trial found no effect. George W. Bush agreed."),
            vec![
                "They took vitamin D.",
                "A trial found no effect.",
                "George W. Bush agreed."
            ]
        );
    }

    #[test]
    fn sentences_keep_closing_quotes_and_split_cjk() {
        assert_eq!(
            sentence_texts("He said \"no.\" She left."),
            vec!["He said \"no.\"", "She left."]
        );
        assert_eq!(
            sentence_texts("発表した。次は23日。"),
            vec!["発表した。", "次は23日。"]
        );
    }

    #[test]
    fn sentences_do_not_end_inside_protected_ranges() {
        let text = "\"One. Two,\" he said. Next.";
        let protected = std::slice::from_ref(&(1..10));
        let got: Vec<&str> = sentences(text, &(0..text.len()), protected)
            .into_iter()
            .filter_map(|r| text.get(r))
            .collect();
        assert_eq!(got, vec!["\"One. Two,\" he said.", "Next."]);
    }
}
