//! The disclaimer suggester: passages that limit the text's standing or the author's
//! responsibility (risk warnings, "not investment advice", "for information only", "the views
//! are the author's own", "past performance…", "consult your doctor"), each as one span over
//! the whole passage, starting at its heading when it has one.
//!
//! ```text
//!   [Risk Warning and Disclaimer: This article … is for reference only. … at your own risk.]
//!   [Forward-Looking Statements⏎This press release contains … except as required by law.]
//!   … the company said. [This article is not investment advice.]
//! ```
//!
//! A passage is found from cues, read sentence by sentence with quoted words left out (a
//! source quoted saying "past performance is no guarantee" is not the article's disclaimer):
//! strong cues (a negated "advice", "for informational purposes", "at your own risk", a heading
//! such as "Disclaimer:") start one; weak cues ("risk", "consult", "accuracy", "this article")
//! only carry it on through the sentences and paragraphs that follow.

use std::ops::Range;
use std::sync::OnceLock;

use self::phrases::{
    ANCHORS, CONSULT_VERBS, LOSS_PHRASES, PROFESSIONALS, STRONG_PHRASES, WEAK_CJK, WEAK_PHRASES,
};
use super::text::{filled_paragraphs, is_cjk, sentences};

mod phrases;

/// Most words a heading may have ("Risk Warning and Disclaimer").
const MAX_HEADING_WORDS: usize = 6;
/// Paragraphs at the top of an article where a disclaimer may stand.
const EDGE_PARAGRAPHS_TOP: usize = 2;
/// Paragraphs at the end of an article where a disclaimer may stand.
const EDGE_PARAGRAPHS_END: usize = 3;
/// Most sentences of a paragraph that continues a passage on weak cues alone.
const MAX_WEAK_CONTINUATION: usize = 4;
/// Most chars of a heading.
const HEADING_CHARS: usize = 60;
/// How far before "advice" (bytes) a negation still negates it.
const NEGATION_REACH: usize = 100;

/// How strongly a sentence or heading says "disclaimer".
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Cue {
    /// Nothing of a disclaimer.
    None,
    /// Disclaimer vocabulary that ordinary articles use too: carries a passage on.
    Weak,
    /// "Consult your doctor": a disclaimer at the top or the end of an article, advice to the
    /// reader in its body. Settled into `Weak` or `Strong` by position.
    Advice,
    /// Wording only a disclaimer uses: starts a passage.
    Strong,
}

/// A heading that opens a paragraph: "Disclaimer:", "Editor's note:".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Heading {
    /// No heading.
    None,
    /// "Note", "Notice", "Important": a disclaimer only if the passage has cues.
    Weak,
    /// "Disclaimer", "Disclosure", "Risk warning", "Forward-looking statements".
    Strong,
}

/// What the suggester knows about one paragraph.
#[derive(Debug)]
struct Paragraph {
    range: Range<usize>,
    /// A heading at its start, followed by a colon and more text.
    inline_heading: Heading,
    /// The whole paragraph is a heading (a short line without a full stop).
    heading_line: Heading,
    /// Each sentence with its cue (one sentence without a cue when not `detailed`).
    sentences: Vec<(Range<usize>, Cue)>,
    /// Read sentence by sentence (only paragraphs with an anchor word, or after a passage).
    detailed: bool,
}

impl Paragraph {
    fn strongest(&self) -> Cue {
        self.sentences
            .iter()
            .map(|(_, cue)| *cue)
            .max()
            .unwrap_or(Cue::None)
    }

    /// Decides what "consult your doctor" is here: part of a disclaimer near the top or end
    /// of the article, advice to the reader in its body.
    fn settle_advice(&mut self, near_edge: bool) {
        for (_, cue) in &mut self.sentences {
            if *cue == Cue::Advice {
                *cue = if near_edge { Cue::Strong } else { Cue::Weak };
            }
        }
    }

    fn starts_with_heading(&self) -> bool {
        self.inline_heading != Heading::None || self.heading_line != Heading::None
    }
}

/// Byte ranges of the disclaimer passages in `text`, sorted. `quotes` are the quotations
/// (sorted byte ranges), whose words are not read as cues.
pub(crate) fn find(text: &str, quotes: &[Range<usize>]) -> Vec<Range<usize>> {
    // One pass over the whole text finds the few paragraphs worth reading closely.
    let anchors: Option<Vec<usize>> =
        anchor_regex().map(|re| re.find_iter(text.as_bytes()).map(|m| m.start()).collect());
    // Blank lines are left out, so the paragraph after a heading is the next one read.
    let ranges: Vec<Range<usize>> = filled_paragraphs(text).collect();
    let count = ranges.len();
    let near_edge = |i: usize| i < EDGE_PARAGRAPHS_TOP || i + EDGE_PARAGRAPHS_END >= count;
    let mut paras: Vec<Paragraph> = ranges
        .into_iter()
        .enumerate()
        .map(|(index, range)| {
            let candidate = anchors.as_ref().is_none_or(|anchors| {
                let i = anchors.partition_point(|&a| a < range.start);
                anchors.get(i).is_some_and(|&a| a < range.end)
            });
            let mut para = read_paragraph(text, range, quotes, candidate);
            para.settle_advice(near_edge(index));
            para
        })
        .collect();
    let mut out: Vec<Range<usize>> = Vec::new();
    let mut i = 0;
    while i < paras.len() {
        let Some((start, mut end, reaches_end, mut last)) = passage_at(&paras, i) else {
            i += 1;
            continue;
        };
        if reaches_end {
            // A passage that fills its paragraph may go on in the next ones.
            while let Some(next) = paras.get_mut(last + 1) {
                if !next.detailed {
                    *next = read_paragraph(text, next.range.clone(), quotes, true);
                    next.settle_advice(true);
                }
                if !continues_passage(text, next) {
                    break;
                }
                end = next.range.end;
                last += 1;
            }
        }
        if start < end {
            out.push(start..end);
        }
        i = last + 1;
    }
    out
}

/// The passage that starts in paragraph `i`, if any: `(start, end, ends_with_paragraph,
/// index of its last paragraph)`.
fn passage_at(paras: &[Paragraph], i: usize) -> Option<(usize, usize, bool, usize)> {
    let para = paras.get(i)?;
    if para.sentences.is_empty() {
        return None;
    }
    // A heading on its own line, then the passage.
    if para.heading_line != Heading::None {
        let next = paras.get(i + 1)?;
        // "Disclaimer" on its own line heads whatever follows; "Important" needs cues.
        let wanted = if para.heading_line == Heading::Strong {
            Cue::None
        } else {
            Cue::Strong
        };
        if next.inline_heading == Heading::None && next.strongest() >= wanted {
            return Some((para.range.start, next.range.end, true, i + 1));
        }
        return None;
    }
    // "Disclaimer: …" or "Editor's note: …" at the start of the paragraph.
    match para.inline_heading {
        Heading::Strong => return Some((para.range.start, para.range.end, true, i)),
        Heading::Weak if para.strongest() >= Cue::Weak => {
            return Some((para.range.start, para.range.end, true, i));
        }
        _ => {}
    }
    // No heading: from the first strong sentence (and the weak ones just before it).
    let first_strong = para.sentences.iter().position(|(_, c)| *c == Cue::Strong)?;
    let mut first = first_strong;
    while first > 0
        && para
            .sentences
            .get(first - 1)
            .is_some_and(|(_, c)| *c >= Cue::Weak)
    {
        first -= 1;
    }
    let start = para.sentences.get(first)?.0.start;
    // Up to the last cue sentence, allowing one sentence without a cue between two with one:
    // a disclaimer may share its paragraph with the article's own sentences.
    let mut last = first_strong;
    let mut k = first_strong + 1;
    while let Some((_, cue)) = para.sentences.get(k) {
        if *cue >= Cue::Weak {
            last = k;
        } else if para
            .sentences
            .get(k + 1)
            .is_none_or(|(_, c)| *c == Cue::None)
        {
            break;
        }
        k += 1;
    }
    let end = para.sentences.get(last)?.0.end;
    let reaches_end = last + 1 == para.sentences.len();
    Some((
        start,
        if reaches_end { para.range.end } else { end },
        reaches_end,
        i,
    ))
}

/// True when paragraph `next`, following a passage, is more of it.
fn continues_passage(text: &str, next: &Paragraph) -> bool {
    if next.starts_with_heading() || next.sentences.is_empty() {
        return false;
    }
    // A headline ("Crypto risk rises") is the article starting, not more disclaimer.
    let body = text.get(next.range.clone()).unwrap_or_default().trim_end();
    if !body.ends_with(['.', '!', '?', '…', '。', ')']) {
        return false;
    }
    let first_is_strong = next
        .sentences
        .first()
        .is_some_and(|(_, c)| *c == Cue::Strong);
    // Every sentence must speak of risk, advice or responsibility: an article paragraph
    // that mentions "risk" once is not more disclaimer.
    let all_cued = next.sentences.iter().all(|(_, c)| *c >= Cue::Weak);
    first_is_strong || (all_cued && next.sentences.len() <= MAX_WEAK_CONTINUATION)
}

/// Reads headings and cues of one paragraph; only a `candidate` (one with an anchor word)
/// is read sentence by sentence.
fn read_paragraph(
    text: &str,
    range: Range<usize>,
    quotes: &[Range<usize>],
    candidate: bool,
) -> Paragraph {
    let body = text.get(range.clone()).unwrap_or_default();
    let heading_line = heading_line(body);
    let inline_heading = inline_heading(body);
    let headed = heading_line != Heading::None || inline_heading != Heading::None;
    if !(candidate || headed) || body.trim().is_empty() {
        let sentences = if body.trim().is_empty() {
            Vec::new()
        } else {
            vec![(range.clone(), Cue::None)]
        };
        return Paragraph {
            range,
            inline_heading: Heading::None,
            heading_line: Heading::None,
            sentences,
            detailed: false,
        };
    }
    let sentences = sentences(text, &range, quotes)
        .into_iter()
        .map(|r| {
            let cue = sentence_cue(&unquoted_lowercase(text, &r, quotes));
            (r, cue)
        })
        .collect();
    Paragraph {
        heading_line,
        inline_heading,
        range,
        sentences,
        detailed: true,
    }
}

/// The sentence lowercased, curly apostrophes made straight, quoted words left out.
fn unquoted_lowercase(text: &str, sentence: &Range<usize>, quotes: &[Range<usize>]) -> String {
    let mut out = String::new();
    let mut at = sentence.start;
    let first = quotes.partition_point(|q| q.end <= sentence.start);
    for q in quotes.get(first..).unwrap_or_default() {
        if q.start >= sentence.end {
            break;
        }
        if let Some(part) = text.get(at..q.start.max(at)) {
            out.push_str(part);
        }
        out.push(' ');
        at = at.max(q.end);
    }
    if let Some(part) = text.get(at.min(sentence.end)..sentence.end) {
        out.push_str(part);
    }
    out.to_lowercase().replace('’', "'")
}

/// The anchors as one case-insensitive pattern, built once (`None` only if it failed to
/// build, which a unit test rules out; every paragraph is then read closely).
fn anchor_regex() -> Option<&'static regex::bytes::Regex> {
    static ANCHOR: OnceLock<Option<regex::bytes::Regex>> = OnceLock::new();
    ANCHOR
        .get_or_init(|| {
            let pattern = ANCHORS
                .iter()
                .map(|a| regex::escape(a))
                .collect::<Vec<_>>()
                .join("|");
            // ASCII-only case folding keeps the pattern a fast multi-literal search; every
            // anchor is ASCII.
            regex::bytes::RegexBuilder::new(&pattern)
                .case_insensitive(true)
                .unicode(false)
                .build()
                .ok()
        })
        .as_ref()
}

/// The heading words before the first colon of `body`, if they look like a heading.
fn heading_words(body: &str) -> Option<String> {
    // A heading is short: look for its colon among the first chars only.
    let colon = body
        .char_indices()
        .take(HEADING_CHARS)
        .find(|&(_, c)| matches!(c, ':' | '：'))
        .map(|(i, _)| i)?;
    let head = body.get(..colon)?.trim();
    let words = head.split_whitespace().count();
    if head.is_empty() || words > MAX_HEADING_WORDS || head.ends_with(['.', '!', '?']) {
        return None;
    }
    Some(head.to_lowercase().replace('’', "'"))
}

/// How strongly heading words (lowercase) say "disclaimer".
fn heading_kind(head: &str) -> Heading {
    const STRONG: &[&str] = &[
        "免责",
        "免責",
        "风险提示",
        "風險提示",
        "リスク",
        "注意事項",
        "ご注意",
        "sponsored",
        "advertisement",
        "advertorial",
        "paid post",
        "disclaimer",
        "disclosure",
        "warning",
        "risk",
        "caution",
        "legal notice",
        "forward-looking",
        "forward looking",
        "safe harbor",
        "important information",
    ];
    const WEAK: &[&str] = &["note", "notice", "important", "声明", "提示", "注意"];
    if STRONG.iter().any(|k| head.contains(k)) {
        Heading::Strong
    } else if WEAK.iter().any(|k| head.contains(k)) {
        Heading::Weak
    } else {
        Heading::None
    }
}

/// "Disclaimer: …" at the start of a paragraph with more text after the colon.
fn inline_heading(body: &str) -> Heading {
    let Some(head) = heading_words(body) else {
        return Heading::None;
    };
    let after = body
        .split_once([':', '：'])
        .map_or("", |(_, rest)| rest.trim());
    // Two words, or a few chars of a script written without spaces.
    if after.split_whitespace().count() < 2 && after.chars().filter(|&c| is_cjk(c)).count() < 4 {
        return Heading::None;
    }
    heading_kind(&head)
}

/// The whole paragraph is a heading: a short line without a full stop ("Disclaimer",
/// "Forward-Looking Statements", "Important information:").
fn heading_line(body: &str) -> Heading {
    if body.len() > HEADING_CHARS * 4 {
        return Heading::None;
    }
    let line = body.trim().trim_end_matches([':', '：']).trim();
    if line.is_empty()
        || line.split_whitespace().count() > MAX_HEADING_WORDS
        || line.ends_with(['.', '!', '?', ',', '。'])
        || line.contains([':', '：'])
    {
        return Heading::None;
    }
    let lower = line.to_lowercase();
    match heading_kind(&lower) {
        // "Risk" or "Warning" alone in a section title ("Risks to the outlook") is a
        // subheading of the article, not a disclaimer's heading.
        Heading::Strong
            if [
                "disclaimer",
                "disclosure",
                "forward",
                "safe harbor",
                "legal notice",
                "important information",
                "risk warning",
                "免责",
                "免責",
                "风险提示",
                "風險提示",
            ]
            .iter()
            .any(|k| lower.contains(k)) =>
        {
            Heading::Strong
        }
        Heading::None => Heading::None,
        _ => Heading::Weak,
    }
}

/// How strongly one sentence (lowercase, quotes left out) says "disclaimer".
fn sentence_cue(s: &str) -> Cue {
    let Some(cues) = cue_regexes() else {
        return slow_sentence_cue(s);
    };
    if cues.strong.is_match(s) || negated_advice(s) {
        Cue::Strong
    } else if consult_the_reader(s) {
        Cue::Advice
    } else if cues.weak.is_match(s) {
        Cue::Weak
    } else {
        Cue::None
    }
}

/// [`sentence_cue`] without regexes, should they fail to build (a unit test rules it out).
fn slow_sentence_cue(s: &str) -> Cue {
    if STRONG_PHRASES.iter().any(|p| s.contains(p))
        || LOSS_PHRASES.iter().any(|p| s.contains(p))
        || negated_advice(s)
    {
        Cue::Strong
    } else if consult_the_reader(s) {
        Cue::Advice
    } else if WEAK_PHRASES.iter().any(|p| contains_word_start(s, p))
        || WEAK_CJK.iter().any(|p| s.contains(p))
    {
        Cue::Weak
    } else {
        Cue::None
    }
}

/// The cue phrases compiled into two multi-literal searches.
struct CueRegexes {
    /// Any strong or loss phrase.
    strong: regex::Regex,
    /// Any weak phrase at the start of a word.
    weak: regex::Regex,
}

/// The cue regexes, built once (`None` only if they failed to build).
fn cue_regexes() -> Option<&'static CueRegexes> {
    static CUES: OnceLock<Option<CueRegexes>> = OnceLock::new();
    CUES.get_or_init(|| {
        let alternation = |phrases: &[&str]| {
            phrases
                .iter()
                .map(|p| regex::escape(p))
                .collect::<Vec<_>>()
                .join("|")
        };
        let strong = format!(
            "{}|{}",
            alternation(STRONG_PHRASES),
            alternation(LOSS_PHRASES)
        );
        // An ASCII word boundary: the sentences are lowercase and the phrases ASCII.
        let weak = format!(
            r"(?-u:\b)(?:{})|{}",
            alternation(WEAK_PHRASES),
            alternation(WEAK_CJK)
        );
        Some(CueRegexes {
            strong: regex::Regex::new(&strong).ok()?,
            weak: regex::Regex::new(&weak).ok()?,
        })
    })
    .as_ref()
}

/// "… is not investment advice", "nothing here should be read as tax advice".
fn negated_advice(s: &str) -> bool {
    s.match_indices("advice").any(|(at, _)| {
        let from = at.saturating_sub(NEGATION_REACH);
        let from = (from..=at).find(|&i| s.is_char_boundary(i)).unwrap_or(at);
        let before = s.get(from..at).unwrap_or_default();
        [
            " not ", "nothing", "none", " no ", "n't ", " never ", " nor ", "neither",
        ]
        .iter()
        .any(|n| before.contains(n))
            && !before.contains("said")
    })
}

/// "Consult your doctor", "speak to a qualified adviser": advice to the reader, not a report
/// of advice given to someone else.
fn consult_the_reader(s: &str) -> bool {
    let asks = CONSULT_VERBS.iter().any(|v| s.contains(v));
    if !asks || !PROFESSIONALS.iter().any(|p| contains_word(s, p)) {
        return false;
    }
    let trimmed = s.trim_start();
    contains_word(s, "you")
        || contains_word(s, "your")
        || contains_word(s, "we recommend")
        || [
            "always", "please", "consult", "speak", "talk", "seek", "check", "do not", "don't",
            "before",
        ]
        .iter()
        .any(|w| trimmed.starts_with(w))
}

/// True when `prefix` occurs in `s` at the start of a word ("lose" in "lose", "losing" no,
/// "closed" no).
fn contains_word_start(s: &str, prefix: &str) -> bool {
    s.match_indices(prefix).any(|(at, _)| {
        !s.get(..at)
            .and_then(|b| b.chars().next_back())
            .is_some_and(char::is_alphanumeric)
    })
}

/// True when `word` occurs in `s` between non-word chars.
fn contains_word(s: &str, word: &str) -> bool {
    s.match_indices(word).any(|(at, _)| {
        let before = s.get(..at).and_then(|b| b.chars().next_back());
        let after = s.get(at + word.len()..).and_then(|a| a.chars().next());
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

#[cfg(test)]
mod tests;
