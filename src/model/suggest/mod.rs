//! Offline span suggesters: text in, proposed spans out.
//!
//! Each suggester is a small set of general rules, one file each, with no model server, no
//! files and no clock, so the same text always yields the same suggestions:
//!
//! - [`quotes`]: direct speech and quoted words in any common quotation style, without the marks;
//! - [`disclaimers`]: risk warnings and "not advice" passages, from their heading to their end;
//! - [`claims`]: clauses that state a check-worthy fact (figures, dates, decisions, reports);
//! - [`occurrences`]: "learning from the analyst", the other places a tagged string occurs;
//! - [`across`]: the same across a corpus: texts confirmed in one document, found in others.
//!
//! Every offset is a char offset (Unicode scalar values) into the text it was given, half-open:
//!
//! ```text
//!   text:  H e   s a i d   " n o   w a y "
//!   char:  0 1 2 3 4 5 6 7 8 9 …
//!   Quote = [9, 15)  "no way" without its marks
//! ```
//!
//! Internally the suggesters work in byte offsets (what `str` searching gives) and convert all
//! of them to char offsets in one forward pass at the end ([`text::bytes_to_chars`]), so a 5 MB
//! article costs one extra scan, not one per span.

pub mod across;
mod claims;
mod disclaimers;
mod learned;
mod lexicon;
pub mod propose;
mod quotes;
mod text;

use std::ops::Range;

pub use learned::occurrences;

/// The kind of span a suggester proposes; the names match the default label set.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SuggestLabel {
    /// A check-worthy statement of fact, as the clause that states it.
    Claim,
    /// Quoted words of a source (two words or more), without the quotation marks.
    Quote,
    /// A passage limiting the text's standing or the author's responsibility.
    Disclaimer,
}

impl SuggestLabel {
    /// Every label, in the order the suggesters run.
    pub const ALL: [Self; 3] = [Self::Claim, Self::Quote, Self::Disclaimer];

    /// The label's name as the default label set spells it ("Claim", "Quote", "Disclaimer").
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::Claim => "Claim",
            Self::Quote => "Quote",
            Self::Disclaimer => "Disclaimer",
        }
    }

    /// The label whose [`name`](Self::name) is `name`, ignoring ASCII case.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL
            .into_iter()
            .find(|label| label.name().eq_ignore_ascii_case(name.trim()))
    }
}

/// A proposed span: half-open char range (Unicode scalar values, not bytes) of the given text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Suggestion {
    /// First char of the span.
    pub start: usize,
    /// First char after the span.
    pub end: usize,
    /// What the span is proposed as.
    pub label: SuggestLabel,
}

impl Suggestion {
    /// Number of chars covered.
    #[must_use]
    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    /// True when the span covers no char (suggesters never return such spans).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The char range as a `Range`.
    #[must_use]
    pub fn range(&self) -> Range<usize> {
        self.start..self.end
    }
}

/// Which suggesters [`suggest_with`] runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SuggestOptions {
    /// Propose [`SuggestLabel::Claim`] spans.
    pub claims: bool,
    /// Propose [`SuggestLabel::Quote`] spans.
    pub quotes: bool,
    /// Propose [`SuggestLabel::Disclaimer`] spans.
    pub disclaimers: bool,
}

impl Default for SuggestOptions {
    fn default() -> Self {
        Self {
            claims: true,
            quotes: true,
            disclaimers: true,
        }
    }
}

/// All three kinds of suggestion for `text`, sorted by `(start, end, label)`.
#[must_use]
pub fn suggest(text: &str) -> Vec<Suggestion> {
    suggest_with(text, SuggestOptions::default())
}

/// The suggestions of the kinds `options` selects, sorted by `(start, end, label)`.
///
/// Quotes are always found (claims and disclaimers need to know where quoted words are), but
/// only returned when `options.quotes` is set.
#[must_use]
pub fn suggest_with(text: &str, options: SuggestOptions) -> Vec<Suggestion> {
    let quote_bytes = quotes::find(text);
    let needs_disclaimers = options.disclaimers || options.claims;
    let disclaimer_bytes = if needs_disclaimers {
        disclaimers::find(text, &quote_bytes)
    } else {
        Vec::new()
    };
    let claim_bytes = if options.claims {
        claims::find(text, &quote_bytes, &disclaimer_bytes)
    } else {
        Vec::new()
    };

    let mut labelled: Vec<(Range<usize>, SuggestLabel)> = Vec::new();
    if options.quotes {
        labelled.extend(quote_bytes.into_iter().map(|r| (r, SuggestLabel::Quote)));
    }
    if options.disclaimers {
        labelled.extend(
            disclaimer_bytes
                .into_iter()
                .map(|r| (r, SuggestLabel::Disclaimer)),
        );
    }
    labelled.extend(claim_bytes.into_iter().map(|r| (r, SuggestLabel::Claim)));
    to_suggestions(text, &labelled)
}

/// Quotes only: quoted words of two words or more, without their marks.
#[must_use]
pub fn quotes(text: &str) -> Vec<Suggestion> {
    suggest_with(
        text,
        SuggestOptions {
            claims: false,
            quotes: true,
            disclaimers: false,
        },
    )
}

/// Disclaimers only: each passage from its heading (if any) to its end.
#[must_use]
pub fn disclaimers(text: &str) -> Vec<Suggestion> {
    suggest_with(
        text,
        SuggestOptions {
            claims: false,
            quotes: false,
            disclaimers: true,
        },
    )
}

/// Claims only: the clauses that state check-worthy facts, outside quotes and disclaimers.
#[must_use]
pub fn claims(text: &str) -> Vec<Suggestion> {
    suggest_with(
        text,
        SuggestOptions {
            claims: true,
            quotes: false,
            disclaimers: false,
        },
    )
}

/// Byte ranges with labels to sorted char-offset suggestions, in one forward pass over `text`.
fn to_suggestions(text: &str, labelled: &[(Range<usize>, SuggestLabel)]) -> Vec<Suggestion> {
    let byte_ranges: Vec<Range<usize>> = labelled.iter().map(|(r, _)| r.clone()).collect();
    let char_ranges = text::bytes_to_chars(text, &byte_ranges);
    let mut out: Vec<Suggestion> = char_ranges
        .into_iter()
        .zip(labelled.iter().map(|(_, label)| *label))
        .filter(|(r, _)| r.start < r.end)
        .map(|(r, label)| Suggestion {
            start: r.start,
            end: r.end,
            label,
        })
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The text of each suggestion, for compact assertions.
    fn texts(text: &str, found: &[Suggestion]) -> Vec<(SuggestLabel, String)> {
        found
            .iter()
            .map(|s| {
                let t: String = text.chars().skip(s.start).take(s.len()).collect();
                (s.label, t)
            })
            .collect()
    }

    #[test]
    fn offsets_are_chars_not_bytes() {
        let text = "Ü “Zwei Wörter” — «deux mots» ok";
        let found = quotes(text);
        let got = texts(text, &found);
        assert_eq!(
            got,
            vec![
                (SuggestLabel::Quote, "Zwei Wörter".to_owned()),
                (SuggestLabel::Quote, "deux mots".to_owned())
            ]
        );
        assert_eq!(found.first().map(|s| s.start), Some(3));
    }

    #[test]
    fn suggest_is_sorted_and_has_every_kind() {
        let text = "The council voted 9-4 on Tuesday to approve the plan, its chair said. \
                    \"This is a great day for the city,\" she said.\n\
                    Disclaimer: This article is for information only and is not investment advice.";
        let found = suggest(text);
        let mut sorted = found.clone();
        sorted.sort();
        assert_eq!(found, sorted);
        for label in SuggestLabel::ALL {
            assert!(
                found.iter().any(|s| s.label == label),
                "no {label:?} in {found:?}"
            );
        }
    }

    #[test]
    fn empty_text_gives_nothing() {
        assert!(suggest("").is_empty());
        assert!(suggest("\n\n").is_empty());
    }

    proptest::proptest! {
        /// Whatever the text, every suggester returns sorted, non-empty, in-bounds char
        /// ranges, and `occurrences` finds only the needle.
        #[test]
        fn any_text_gives_valid_spans(
            text in "[a-zA-Z0-9 .,;:!?'\"“”‘’„«»‹›「」『』〝〟()\\-—–…%$\n。、日本語éÜ]{0,300}",
            needle in "[a-zA-Z'’ ]{1,4}",
        ) {
            let len = text.chars().count();
            let found = suggest(&text);
            let mut sorted = found.clone();
            sorted.sort();
            proptest::prop_assert_eq!(&found, &sorted);
            for s in &found {
                proptest::prop_assert!(s.start < s.end && s.end <= len, "{:?} in {:?}", s, text);
            }
            let chars: Vec<char> = text.chars().collect();
            let needle_chars: Vec<char> = needle.chars().collect();
            for r in occurrences(&text, &needle) {
                proptest::prop_assert_eq!(chars.get(r.clone()), Some(needle_chars.as_slice()));
            }
        }
    }

    #[test]
    fn label_names_round_trip() {
        for label in SuggestLabel::ALL {
            assert_eq!(SuggestLabel::from_name(label.name()), Some(label));
        }
        assert_eq!(SuggestLabel::from_name("quote"), Some(SuggestLabel::Quote));
        assert_eq!(SuggestLabel::from_name("Opinion"), None);
    }
}
