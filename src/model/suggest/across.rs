//! Learning across a corpus: a text the analyst confirmed in one document is proposed, with
//! the same label, wherever it occurs in the others (`INCEpTION`'s string-matching
//! recommender, corpus-wide). A text rejected for a label in any document is never proposed
//! for that label by this learner, in any document: a rejection is the analyst saying "this
//! text is not a Quote", and proposals are cheap to lose.
//!
//! Thousands of documents and hundreds of thousands of learned texts rule out searching
//! for each text in turn. Texts are cut into tokens (a run of word chars, or one other
//! non-space char) and indexed by a hash of their first [`KEY_TOKENS`] tokens (all of them
//! when shorter); a document is read once, and at each token start the hashes of the next
//! one, two and three tokens are looked up, and the few texts found are compared in full:
//!
//! ```text
//!   learned:   Quote "no way", Claim "rose 3% in May"
//!   keys:      hash("no way"), hash("rose 3%")          ("3%" is two tokens: "3", "%")
//!   document:  "Prices rose 3% in May; no way."
//!               at "rose": hash("rose"), hash("rose 3"), hash("rose 3%") → Claim candidate,
//!               compared in full: a match at chars 7..21
//! ```
//!
//! An occurrence counts only on word boundaries, exactly as [`super::occurrences`] decides
//! (tagging "Putin" proposes "Putin's", not the inside of "Putinism").

use std::collections::{HashMap, HashSet};
use std::hash::{Hash, Hasher};
use std::ops::Range;

use super::text::{bytes_to_chars, is_word_char};
use crate::model::{Project, Status};

/// Tokens hashed to index a learned text.
pub const KEY_TOKENS: usize = 3;

/// True when tagging `text` teaches anything: two chars or more, with a letter or digit
/// (the single-article learner uses the same guard).
#[must_use]
pub fn teaches(text: &str) -> bool {
    text.chars().nth(1).is_some() && text.chars().any(char::is_alphanumeric)
}

/// What one project teaches: its confirmed texts and its rejected texts, each with its
/// label's name (ids differ between projects; names are what a corpus shares).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Lessons {
    /// (label, text) of every confirmed span whose text [`teaches`], trimmed.
    pub confirmed: Vec<(String, String)>,
    /// (label, text) of every rejected suggestion, trimmed.
    pub rejected: Vec<(String, String)>,
}

impl Lessons {
    /// The lessons of `project`.
    #[must_use]
    pub fn of(project: &Project) -> Self {
        let mut lessons = Self::default();
        for span in project.spans() {
            let list = match span.status {
                Status::Confirmed => &mut lessons.confirmed,
                Status::Rejected => &mut lessons.rejected,
                Status::NeedsReview | Status::Suggested => continue,
            };
            let text = project.span_text(span).trim();
            if span.status == Status::Confirmed && !teaches(text) {
                continue;
            }
            list.push((
                project.labels().name(span.label).to_owned(),
                text.to_owned(),
            ));
        }
        lessons
    }
}

/// One learned text.
#[derive(Clone, Debug)]
struct Pattern {
    /// Position in [`Learned::labels`].
    label: u16,
    text: Box<str>,
    /// How many tokens its key hashes (at most [`KEY_TOKENS`]).
    key_tokens: u8,
}

/// One place a learned text occurs in a document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Found<'a> {
    /// Char range, half-open, in the text searched.
    pub range: Range<usize>,
    /// The label it was confirmed with.
    pub label: &'a str,
}

/// Texts confirmed anywhere in a corpus, per label, minus those rejected anywhere.
#[derive(Clone, Debug, Default)]
pub struct Learned {
    labels: Vec<String>,
    patterns: Vec<Pattern>,
    /// Pattern positions by the hash of their key tokens.
    by_key: HashMap<u64, Vec<u32>>,
    /// (label position, text) rejected somewhere.
    rejected: HashSet<(u16, Box<str>)>,
}

impl Learned {
    /// Everything `lessons` teach, from every document.
    #[must_use]
    pub fn from_lessons<'a>(lessons: impl IntoIterator<Item = &'a Lessons>) -> Self {
        let mut learned = Self::default();
        for l in lessons {
            learned.add(l);
        }
        learned
    }

    /// Take in one document's lessons.
    pub fn add(&mut self, lessons: &Lessons) {
        for (label, text) in &lessons.confirmed {
            self.learn(label, text);
        }
        for (label, text) in &lessons.rejected {
            self.reject(label, text);
        }
    }

    /// Learn that `text` is a `label` (the analyst confirmed it). Returns false when it
    /// teaches nothing new (too short, or known already).
    pub fn learn(&mut self, label: &str, text: &str) -> bool {
        let text = text.trim();
        if !teaches(text) {
            return false;
        }
        let Some(label) = self.label_slot(label) else {
            return false;
        };
        let tokens = tokens(text);
        let key_tokens = tokens.len().min(KEY_TOKENS);
        let Some(last) = key_tokens.checked_sub(1).and_then(|i| tokens.get(i)) else {
            return false;
        };
        let key = hash(text.get(..last.end).unwrap_or(text));
        let Ok(at) = u32::try_from(self.patterns.len()) else {
            return false;
        };
        let slot = self.by_key.entry(key).or_default();
        let patterns = &self.patterns;
        if slot.iter().any(|&p| {
            patterns
                .get(p as usize)
                .is_some_and(|p| p.label == label && *p.text == *text)
        }) {
            return false;
        }
        slot.push(at);
        self.patterns.push(Pattern {
            label,
            text: text.into(),
            key_tokens: key_tokens as u8,
        });
        true
    }

    /// Learn that `text` is not a `label` (the analyst rejected it somewhere): it is never
    /// proposed for that label again, even where it was confirmed.
    pub fn reject(&mut self, label: &str, text: &str) {
        if let Some(label) = self.label_slot(label) {
            self.rejected.insert((label, text.trim().into()));
        }
    }

    /// True when `text` was rejected for `label` somewhere.
    #[must_use]
    pub fn is_rejected(&self, label: &str, text: &str) -> bool {
        self.labels
            .iter()
            .position(|l| l == label)
            .and_then(|l| u16::try_from(l).ok())
            .is_some_and(|l| self.rejected.contains(&(l, text.trim().into())))
    }

    /// Number of texts learned (per label; rejected ones included).
    #[must_use]
    pub fn len(&self) -> usize {
        self.patterns.len()
    }

    /// True when nothing was learned.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// Every whole-word occurrence in `text` of every learned text that was not rejected
    /// for its label, sorted by range then label. One pass over `text`.
    #[must_use]
    pub fn find(&self, text: &str) -> Vec<Found<'_>> {
        if self.patterns.is_empty() {
            return Vec::new();
        }
        let tokens = tokens(text);
        let mut hits: Vec<(Range<usize>, u16)> = Vec::new();
        // Where each pattern's last occurrence ended: occurrences of one text never
        // overlap (in "...", ".." occurs once, as `str::match_indices` finds it).
        let mut last_end: HashMap<u32, usize> = HashMap::new();
        for (t, first) in tokens.iter().enumerate() {
            for k in 1..=KEY_TOKENS {
                let Some(last) = tokens.get(t + k - 1) else {
                    break;
                };
                let Some(key_text) = text.get(first.start..last.end) else {
                    break;
                };
                let Some(candidates) = self.by_key.get(&hash(key_text)) else {
                    continue;
                };
                for (at, p) in candidates
                    .iter()
                    .filter_map(|&at| Some((at, self.patterns.get(at as usize)?)))
                {
                    if usize::from(p.key_tokens) != k
                        || last_end.get(&at).is_some_and(|&e| first.start < e)
                    {
                        continue;
                    }
                    let end = first.start + p.text.len();
                    if text.get(first.start..end) != Some(&*p.text)
                        || (!self.rejected.is_empty()
                            && self.rejected.contains(&(p.label, p.text.clone())))
                    {
                        continue;
                    }
                    let ends_word = p.text.chars().next_back().is_some_and(is_word_char);
                    let after = text.get(end..).and_then(|s| s.chars().next());
                    if ends_word && after.is_some_and(is_word_char) {
                        continue;
                    }
                    last_end.insert(at, end);
                    hits.push((first.start..end, p.label));
                }
            }
        }
        let byte_ranges: Vec<Range<usize>> = hits.iter().map(|(r, _)| r.clone()).collect();
        let mut out: Vec<Found<'_>> = bytes_to_chars(text, &byte_ranges)
            .into_iter()
            .zip(hits.iter().map(|(_, l)| *l))
            .filter_map(|(range, label)| {
                let label = self.labels.get(usize::from(label))?;
                Some(Found { range, label })
            })
            .collect();
        out.sort_unstable_by(|a, b| {
            (a.range.start, a.range.end, a.label).cmp(&(b.range.start, b.range.end, b.label))
        });
        out.dedup();
        out
    }

    /// The position of `label` in `labels`, added when new.
    fn label_slot(&mut self, label: &str) -> Option<u16> {
        let at = if let Some(at) = self.labels.iter().position(|l| l == label) {
            at
        } else {
            self.labels.push(label.to_owned());
            self.labels.len() - 1
        };
        u16::try_from(at).ok()
    }
}

/// The byte ranges of `text`'s tokens: runs of word chars, and every other char that is
/// not whitespace on its own. A learned text (trimmed) starts and ends on token bounds, and
/// its whole-word occurrences start on token starts of the document: the first char of a
/// word-char run, or any other non-space char (chars of scripts written without spaces are
/// not word chars, so each is a token, as [`super::occurrences`] treats them).
fn tokens(text: &str) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    let mut word: Option<usize> = None;
    for (at, c) in text.char_indices() {
        if is_word_char(c) {
            word.get_or_insert(at);
            continue;
        }
        if let Some(start) = word.take() {
            out.push(start..at);
        }
        if !c.is_whitespace() {
            out.push(at..at + c.len_utf8());
        }
    }
    if let Some(start) = word {
        out.push(start..text.len());
    }
    out
}

/// A fast, stable hash of a key's bytes (FNV-1a through std's `Hasher` interface would add
/// nothing: the keys are short and trusted to be ours).
fn hash(text: &str) -> u64 {
    let mut h = Fnv(0xcbf2_9ce4_8422_2325);
    text.hash(&mut h);
    h.finish()
}

/// FNV-1a, 64 bits.
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::notation::parse;

    fn texts<'a>(text: &'a str, found: &[Found<'_>]) -> Vec<(String, &'a str)> {
        found
            .iter()
            .map(|f| {
                let start = text.char_indices().nth(f.range.start).map_or(0, |(b, _)| b);
                let end = text
                    .char_indices()
                    .nth(f.range.end)
                    .map_or(text.len(), |(b, _)| b);
                (f.label.to_owned(), text.get(start..end).unwrap_or(""))
            })
            .collect()
    }

    #[test]
    fn finds_learned_texts_on_word_boundaries_only() {
        let mut learned = Learned::default();
        assert!(learned.learn("Claim", "Putin"));
        assert!(learned.learn("Claim", "rose 3% in May"));
        assert!(learned.learn("Quote", "no way"));
        assert!(!learned.learn("Quote", "no way"), "known already");
        assert!(!learned.learn("Quote", "a"), "too short to teach");
        let text = "Putin met Putin's aides; Putinism grew. Prices rose 3% in May; no way.";
        let got = texts(text, &learned.find(text));
        assert_eq!(
            got,
            [
                ("Claim".to_owned(), "Putin"),
                ("Claim".to_owned(), "Putin"),
                ("Claim".to_owned(), "rose 3% in May"),
                ("Quote".to_owned(), "no way"),
            ]
        );
    }

    #[test]
    fn offsets_are_chars_and_cjk_needs_no_spaces() {
        let mut learned = Learned::default();
        learned.learn("Place", "Zürich");
        learned.learn("Place", "東京");
        let text = "«Zürich» und Zürichsee; 東京都と東京";
        let found = learned.find(text);
        let ranges: Vec<_> = found.iter().map(|f| f.range.clone()).collect();
        assert_eq!(ranges, [1..7, 24..26, 28..30]);
    }

    #[test]
    fn a_text_rejected_anywhere_is_not_proposed_for_that_label() {
        let mut learned = Learned::default();
        learned.learn("Quote", "no way");
        learned.learn("Claim", "no way");
        learned.reject("Quote", " no way ");
        let found = learned.find("He said no way.");
        let labels: Vec<_> = found.iter().map(|f| f.label).collect();
        assert_eq!(labels, ["Claim"]);
        assert!(learned.is_rejected("Quote", "no way"));
    }

    #[test]
    fn lessons_are_confirmed_and_rejected_texts_by_label_name()
    -> Result<(), Box<dyn std::error::Error>> {
        let p =
            parse("[Claim:Taxes rose] by [Quote?:three] [Quote-:no way] [Claim:x] [Claim!:May]")?;
        let lessons = Lessons::of(&p);
        assert_eq!(
            lessons.confirmed,
            [("Claim".to_owned(), "Taxes rose".to_owned())]
        );
        assert_eq!(
            lessons.rejected,
            [("Quote".to_owned(), "no way".to_owned())]
        );
        Ok(())
    }

    /// The places of `needle` in `text` by brute force: every char position where it
    /// starts, on a word boundary at each end where the needle has a word char, leftmost
    /// first, never overlapping an earlier one.
    fn naive(text: &str, needle: &str) -> Vec<Range<usize>> {
        let chars: Vec<char> = text.chars().collect();
        let n: Vec<char> = needle.chars().collect();
        let starts_word = n.first().copied().is_some_and(is_word_char);
        let ends_word = n.last().copied().is_some_and(is_word_char);
        let mut out: Vec<Range<usize>> = Vec::new();
        let mut i = 0;
        while i + n.len() <= chars.len() {
            let end = i + n.len();
            let before = i.checked_sub(1).and_then(|b| chars.get(b)).copied();
            let after = chars.get(end).copied();
            if chars.get(i..end) == Some(n.as_slice())
                && !(starts_word && before.is_some_and(is_word_char))
                && !(ends_word && after.is_some_and(is_word_char))
            {
                out.push(i..end);
                i = end;
            } else {
                i += 1;
            }
        }
        out
    }

    #[test]
    fn occurrences_of_one_text_never_overlap() {
        let mut learned = Learned::default();
        learned.learn("L", "东东");
        learned.learn("L", "a.a");
        let ranges: Vec<_> = learned
            .find("东东东 ba.a.a")
            .into_iter()
            .map(|f| f.range)
            .collect();
        assert_eq!(ranges, [0..2, 7..10]);
    }

    proptest::proptest! {
        /// On any text, the learner finds exactly what a brute-force search for each
        /// learned text finds.
        #[test]
        fn same_places_as_searching_each_text(
            text in "[ab .,“”'’\n東é]{0,80}",
            needles in proptest::collection::vec("[ab .,“”'’東é]{1,7}", 1..5),
        ) {
            let mut learned = Learned::default();
            let mut expected: Vec<(Range<usize>, String)> = Vec::new();
            for needle in &needles {
                let needle = needle.trim();
                if learned.learn("L", needle) {
                    expected.extend(naive(&text, needle).into_iter().map(|r| (r, "L".to_owned())));
                }
            }
            expected.sort_by(|a, b| (a.0.start, a.0.end, &a.1).cmp(&(b.0.start, b.0.end, &b.1)));
            expected.dedup();
            let got: Vec<(Range<usize>, String)> = learned
                .find(&text)
                .into_iter()
                .map(|f| (f.range, f.label.to_owned()))
                .collect();
            proptest::prop_assert_eq!(got, expected);
        }
    }
}
