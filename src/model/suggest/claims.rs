//! The claim suggester: clauses that state a check-worthy fact — an event, decision, figure,
//! date or attributed statement that could be verified — outside quotes and disclaimers.
//!
//! Each sentence is cut into clauses the way an annotator cuts them, then each clause is
//! scored on signals of verifiable facts and of opinion:
//!
//! ```text
//!   [Washington has also imposed a 25% tariff on goods imported from India], …
//!   However, this shift is still incomplete, and [Washington has not fulfilled its threat …]
//!   "It's not a matter of money," said another official.      quote + attribution: no claim
//!   I think these mandates are a mistake.                     opinion: no claim
//! ```
//!
//! Cuts: at `;`, at dashes, before ", but", ", while", ", although", ", though", ", yet",
//! before a trailing ", which" / ", who" clause, and before ", and" / ", so" / ", as" when a
//! new subject and verb follow. Direct speech is cut out with its attribution. Signals for:
//! numbers, amounts, percentages, dates, reporting and decision verbs, past tense, named
//! actors. Against: first person, hedges and modals, forecasts ("will" without a date),
//! evaluative words, questions. The word lists are in `lexicon.rs`.
//!
//! Chinese and Japanese sentences are scored whole, on figures, dates and event verbs; a
//! sentence carrying 「direct speech」 is its attribution and no claim.

use std::ops::Range;

use super::lexicon::{
    AUXILIARIES, COUNT_WORDS, DECISION_VERBS, ED_NON_VERBS, FINITE_VERBS, FIRST_PERSON,
    FUNCTION_WORDS, HEDGES, IRREGULAR_PAST, MONTHS, REPORT_VERBS, SMALL_NUMBER_WORDS, SPEECH_VERBS,
    SUBJECTIVE, WEEKDAYS, is, kinds,
};
use super::text::{is_cjk, is_quote_mark, paragraphs, sentences, trim};

/// Least score of a clause proposed as a claim.
const THRESHOLD: i32 = 3;
/// Fewest words of a claim (spaced scripts).
const MIN_WORDS: usize = 4;
/// Fewest chars of a claim in scripts without spaces.
const MIN_CJK_CHARS: usize = 8;
/// Most words of the attribution around a direct quotation ("said a senior official …").
const MAX_ATTRIBUTION_WORDS: usize = 25;

/// Byte ranges of the claims in `text`, sorted. `quotes` and `disclaimers` are sorted byte
/// ranges found by the other suggesters; no claim is proposed inside either.
pub(crate) fn find(
    text: &str,
    quotes: &[Range<usize>],
    disclaimers: &[Range<usize>],
) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    for para in paragraphs(text) {
        let Some(body) = text.get(para.clone()) else {
            continue;
        };
        if !is_prose(body) {
            continue;
        }
        // `“… again.” Ruiz told reporters.`: a sentence after direct speech may be its
        // attribution.
        let mut follows_speech = false;
        for sentence in sentences(text, &para, quotes) {
            if overlaps_any(&sentence, disclaimers) {
                follows_speech = false;
                continue;
            }
            let (found, ends_with_speech) = clauses(text, &sentence, quotes, follows_speech);
            follows_speech = ends_with_speech;
            for clause in found {
                if is_claim(text, &clause, quotes) {
                    out.push(clause);
                }
            }
        }
    }
    out
}

/// True when `r` overlaps one of the sorted `ranges`.
fn overlaps_any(r: &Range<usize>, ranges: &[Range<usize>]) -> bool {
    let i = ranges.partition_point(|x| x.end <= r.start);
    ranges.get(i).is_some_and(|x| x.start < r.end)
}

/// Running text rather than a headline, byline or dateline: it ends like a sentence, or it
/// is an item of a list ("- Revenue of $84.6 million, up 37%").
fn is_prose(body: &str) -> bool {
    let end = body
        .trim_end()
        .trim_end_matches(|c: char| is_quote_mark(c) || matches!(c, ')' | '）'));
    let start = body.trim_start();
    let bullet = ["- ", "• ", "* ", "– ", "· "]
        .iter()
        .any(|b| start.starts_with(b))
        && body.split_whitespace().count() > MIN_WORDS;
    bullet || end.ends_with(['.', '!', '?', '…', '。', '！', '？', ';'])
}

/// A quotation inside a sentence: its words and its extent with the marks.
#[derive(Clone, Debug)]
struct Quoted {
    /// The words with their marks (and any space inside the marks).
    extent: Range<usize>,
    /// Direct speech (cut out of the sentence) rather than a phrase used inside it.
    speech: bool,
}

/// The quotations of `sentence`, with their extents and kind.
fn quotations(text: &str, sentence: &Range<usize>, quotes: &[Range<usize>]) -> Vec<Quoted> {
    let first = quotes.partition_point(|q| q.end <= sentence.start);
    let mut out = Vec::new();
    for q in quotes.get(first..).unwrap_or_default() {
        if q.start >= sentence.end {
            break;
        }
        let extent = with_marks(text, q, sentence);
        let words = text.get(q.clone()).unwrap_or_default();
        let before = text
            .get(sentence.start..extent.start)
            .unwrap_or_default()
            .trim_end();
        let after = text.get(extent.end..sentence.end).unwrap_or_default();
        let speech = words
            .trim_end()
            .ends_with([',', '.', '!', '?', '…', ';', ':', '。'])
            || words.contains(". ")
            || before.is_empty()
            || before.ends_with(':')
            || (words.chars().any(is_cjk) && after.starts_with(['と', 'っ']));
        out.push(Quoted { extent, speech });
    }
    out
}

/// The quoted words `q` widened to their marks (and the spaces French puts inside them).
fn with_marks(text: &str, q: &Range<usize>, within: &Range<usize>) -> Range<usize> {
    let mut start = q.start;
    if let Some(before) = text.get(within.start..q.start) {
        let trimmed = before.trim_end();
        if let Some(mark) = trimmed.chars().next_back().filter(|&c| is_quote_mark(c)) {
            start = within.start + trimmed.len() - mark.len_utf8();
        }
    }
    let mut end = q.end;
    if let Some(after) = text.get(q.end..within.end) {
        let trimmed = after.trim_start();
        if let Some(mark) = trimmed.chars().next().filter(|&c| is_quote_mark(c)) {
            end = q.end + (after.len() - trimmed.len()) + mark.len_utf8();
        }
    }
    start..end
}

/// A stretch of a sentence between pieces of direct speech.
#[derive(Debug)]
struct Run {
    range: Range<usize>,
    /// Direct speech comes just before it.
    speech_before: bool,
    /// Direct speech comes just after it.
    speech_after: bool,
}

/// The clauses of one sentence that may state a claim, direct speech and its attribution
/// removed, the rest cut at clause boundaries; and whether the sentence ends with direct
/// speech. `follows_speech`: the sentence before ended with direct speech.
fn clauses(
    text: &str,
    sentence: &Range<usize>,
    quotes: &[Range<usize>],
    follows_speech: bool,
) -> (Vec<Range<usize>>, bool) {
    let found = quotations(text, sentence, quotes);
    let ends_with_speech = found
        .iter()
        .any(|q| q.speech && trim(text, q.extent.end..sentence.end).is_empty());
    let cjk = is_mostly_cjk(text.get(sentence.clone()).unwrap_or_default());
    if cjk && found.iter().any(|q| q.speech) {
        // 「…」と述べた: the sentence is the quotation and who said it.
        return (Vec::new(), ends_with_speech);
    }
    let mut runs: Vec<Run> = Vec::new();
    let mut at = sentence.start;
    let mut speech_before = false;
    for q in found.iter().filter(|q| q.speech) {
        if q.extent.start > at {
            runs.push(Run {
                range: at..q.extent.start,
                speech_before,
                speech_after: true,
            });
        }
        at = at.max(q.extent.end);
        speech_before = true;
    }
    if at < sentence.end {
        runs.push(Run {
            range: at..sentence.end,
            speech_before,
            speech_after: false,
        });
    }
    let embedded: Vec<Range<usize>> = found
        .iter()
        .filter(|q| !q.speech)
        .map(|q| q.extent.clone())
        .collect();
    let mut out = Vec::new();
    for (index, run) in runs.iter().enumerate() {
        if cjk {
            out.push(clean_clause(text, run.range.clone()));
            continue;
        }
        let pieces = split_clauses(text, &run.range, &embedded);
        let last = pieces.len().saturating_sub(1);
        for (i, piece) in pieces.into_iter().enumerate() {
            let words = text.get(piece.clone()).unwrap_or_default();
            // Only a piece touching the quotation can be its attribution.
            let touches = (run.speech_before && i == 0) || (run.speech_after && i == last);
            if touches && is_attribution(words) {
                continue;
            }
            if follows_speech && index == 0 && i == 0 && is_short_attribution(words) {
                continue;
            }
            out.push(piece);
        }
    }
    (out, ends_with_speech)
}

/// A sentence of its own that only says who spoke: "Ruiz told reporters after the vote."
fn is_short_attribution(piece: &str) -> bool {
    let words = lower_words(piece);
    words.len() <= 8
        && !words.iter().any(|w| w == "that")
        && words
            .iter()
            .position(|w| is(w, SPEECH_VERBS))
            .is_some_and(|p| words.len() - p <= 5)
}

/// More than a third of the letters are CJK.
fn is_mostly_cjk(s: &str) -> bool {
    let mut cjk = 0;
    let mut letters = 0;
    for c in s.chars().filter(|c| c.is_alphanumeric()) {
        letters += 1;
        if is_cjk(c) {
            cjk += 1;
        }
    }
    cjk * 3 > letters
}

/// "said one person familiar with the talks", "Mayor Ruiz told reporters": who said a quote.
fn is_attribution(piece: &str) -> bool {
    let words: Vec<String> = lower_words(piece);
    words.len() <= MAX_ATTRIBUTION_WORDS && words.iter().any(|w| is(w, SPEECH_VERBS))
}

/// Whitespace-separated words of `s`, lowercased, trimmed of punctuation, empty ones dropped.
fn lower_words(s: &str) -> Vec<String> {
    s.split_whitespace()
        .map(|w| lower(w.trim_matches(|c: char| !c.is_alphanumeric())))
        .filter(|w| !w.is_empty())
        .collect()
}

/// The punctuation a token ends with, as far as cutting clauses goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ending {
    /// A word, with or without other punctuation.
    Word,
    /// "word,"
    Comma,
    /// "word;"
    Semicolon,
    /// A dash standing between words: " - ", " — ".
    Dash,
}

/// A word of a run with its byte range in the text.
#[derive(Clone, Debug)]
struct Token {
    range: Range<usize>,
    /// Lowercased, without surrounding punctuation.
    word: String,
    /// What ends the raw token (or what it is).
    ending: Ending,
    /// Inside a quoted phrase, where no cut is made.
    quoted: bool,
}

/// Splits `run` into tokens at whitespace and at dashes between words.
fn tokens(text: &str, run: &Range<usize>, embedded: &[Range<usize>]) -> Vec<Token> {
    let mut out = Vec::new();
    let Some(body) = text.get(run.clone()) else {
        return out;
    };
    let mut start: Option<usize> = None;
    let push = |from: usize, to: usize, out: &mut Vec<Token>| {
        let Some(raw) = text.get(from..to) else {
            return;
        };
        let end_trim = raw.trim_end_matches(|c: char| is_quote_mark(c) || c == ')');
        let word = lower(raw.trim_matches(|c: char| !c.is_alphanumeric()));
        let quoted = embedded.iter().any(|q| from >= q.start && to < q.end);
        out.push(Token {
            range: from..to,
            word,
            ending: if matches!(raw, "-" | "--" | "–" | "—" | "―") {
                Ending::Dash
            } else if end_trim.ends_with([',', '，']) {
                Ending::Comma
            } else if end_trim.ends_with(';') {
                Ending::Semicolon
            } else {
                Ending::Word
            },
            quoted,
        });
    };
    for (i, c) in body.char_indices() {
        let at = run.start + i;
        if c.is_whitespace() || matches!(c, '—' | '―') {
            if let Some(s) = start.take() {
                push(s, at, &mut out);
            }
            if matches!(c, '—' | '―') {
                push(at, at + c.len_utf8(), &mut out);
            }
        } else if start.is_none() {
            start = Some(at);
        }
    }
    if let Some(s) = start {
        push(s, run.end, &mut out);
    }
    out
}

/// Cuts a run (a sentence, or what is left of it around direct speech) into clauses.
fn split_clauses(text: &str, run: &Range<usize>, embedded: &[Range<usize>]) -> Vec<Range<usize>> {
    let toks = tokens(text, run, embedded);
    let mut cuts: Vec<(usize, usize)> = Vec::new(); // (end of one clause, start of the next)
    let opens_subordinate = toks
        .first()
        .is_some_and(|t| matches!(t.word.as_str(), "while" | "although" | "though" | "whereas"));
    let mut subordinate_done = false;
    for (i, t) in toks.iter().enumerate() {
        if t.quoted {
            continue;
        }
        let next = toks.get(i + 1);
        if t.ending == Ending::Dash {
            let from = toks.get(i + 1).map_or(t.range.end, |n| n.range.start);
            cuts.push((t.range.start, from));
            continue;
        }
        let Some(next) = next else {
            continue;
        };
        if t.ending == Ending::Semicolon {
            cuts.push((t.range.end, next.range.start));
            continue;
        }
        if t.ending != Ending::Comma {
            continue;
        }
        if opens_subordinate && !subordinate_done {
            subordinate_done = true;
            cuts.push((t.range.end, next.range.start));
            continue;
        }
        let cut = match next.word.as_str() {
            "but" | "while" | "whereas" | "although" | "though" | "yet" => true,
            "which" | "who" => !is_parenthetical(&toks, i + 1),
            "and" | "so" | "as" => new_subject_follows(&toks, i + 2),
            _ => false,
        };
        if cut {
            cuts.push((t.range.end, next.range.start));
        }
    }
    let mut out = Vec::new();
    let mut start = run.start;
    for (end, next_start) in cuts {
        if end > start {
            out.push(clean_clause(text, start..end));
        }
        start = next_start.max(start);
    }
    if start < run.end {
        out.push(clean_clause(text, start..run.end));
    }
    out.retain(|r| r.start < r.end);
    out
}

/// ", which … , VERB": a relative clause set off by commas inside its sentence.
fn is_parenthetical(toks: &[Token], relative: usize) -> bool {
    let rest = toks.get(relative..).unwrap_or_default();
    let Some(close) = rest.iter().position(|t| t.ending == Ending::Comma) else {
        return false;
    };
    rest.get(close + 1).is_some_and(|t| is_verb(&t.word))
}

/// A new subject and its verb start at token `from`: ", and Washington has not …".
fn new_subject_follows(toks: &[Token], from: usize) -> bool {
    let Some(first) = toks.get(from) else {
        return false;
    };
    if is_verb(&first.word) || is(&first.word, FUNCTION_WORDS) || first.ending == Ending::Comma {
        return false;
    }
    for t in toks
        .get(from + 1..(from + 6).min(toks.len()))
        .unwrap_or_default()
    {
        if is_verb(&t.word) {
            return true;
        }
        if t.ending == Ending::Comma {
            return false;
        }
    }
    false
}

/// `range` trimmed of space, list bullets, a leading conjunction and final punctuation.
fn clean_clause(text: &str, range: Range<usize>) -> Range<usize> {
    let mut r = trim(text, range);
    let Some(s) = text.get(r.clone()) else {
        return r;
    };
    // List bullets.
    let bullet = s.len() - s.trim_start_matches(['-', '•', '*', '–', '—', ' ']).len();
    r.start += bullet;
    let s = text.get(r.clone()).unwrap_or_default();
    let first_word = s.split_whitespace().next().unwrap_or_default();
    if matches!(
        first_word.to_lowercase().as_str(),
        "and" | "but" | "or" | "so" | "yet" | "while" | "whereas" | "although" | "though" | "as"
    ) {
        r.start += first_word.len();
        r = trim(text, r);
    }
    let s = text.get(r.clone()).unwrap_or_default();
    let kept = s.trim_end_matches(|c: char| {
        matches!(c, '.' | ',' | ';' | ':' | '。' | '、' | '，') || c.is_whitespace()
    });
    r.end = r.start + kept.len();
    r
}

/// What a clause says, counted.
#[derive(Debug, Default)]
#[expect(
    clippy::struct_excessive_bools,
    reason = "independent yes/no signals, each weighed on its own in `score`"
)]
struct Signals {
    words: usize,
    lowercase_words: usize,
    numbers: usize,
    /// 2 for a count in words ("seven hours"), 1 for "two", "half".
    number_words: u8,
    date: bool,
    report: bool,
    decision: bool,
    /// A past form telling of an event (not "was", "had").
    past: bool,
    named: bool,
    hedge: bool,
    /// "will": a forecast, unless a date makes it a scheduled event.
    will: bool,
    opinion: bool,
    first_person: bool,
    subjective: bool,
    /// A finite verb or past form.
    verb: bool,
}

impl Signals {
    fn score(&self) -> i32 {
        let mut score = 0;
        if self.numbers > 0 {
            score += 2;
        }
        if self.numbers > 1 {
            score += 1;
        }
        score += i32::from(self.number_words);
        score += 2 * i32::from(self.date);
        score += 2 * i32::from(self.report);
        score += 2 * i32::from(self.decision);
        score += i32::from(self.past);
        score += i32::from(self.named);
        // An event or statement with a named actor.
        score += i32::from(self.named && (self.past || self.decision || self.report));
        // A modal or forecast verb outweighs the figures it forecasts.
        if self.hedge || (self.will && !self.date) {
            score -= 3;
        } else if self.will {
            score -= 2;
        }
        score -= 3 * i32::from(self.opinion);
        score -= 2 * i32::from(self.first_person);
        score -= i32::from(self.subjective);
        score
    }
}

/// True when the clause `range` states a check-worthy fact.
fn is_claim(text: &str, range: &Range<usize>, quotes: &[Range<usize>]) -> bool {
    let Some(clause) = text.get(range.clone()) else {
        return false;
    };
    if clause.trim_end().ends_with(['?', '？']) {
        return false;
    }
    let own = without_quoted_words(text, range, quotes);
    if is_mostly_cjk(&own) {
        return cjk_score(&own) >= THRESHOLD && own.chars().count() >= MIN_CJK_CHARS;
    }
    let signals = read_signals(&own);
    // "Solana lost 15%": three words are enough with a figure.
    let enough_words =
        signals.words >= MIN_WORDS || (signals.words + 1 >= MIN_WORDS && signals.numbers > 0);
    // A dateline ("COLUMBUS, Ohio, Oct. 28, 2025") has figures but no running words.
    let running = signals.lowercase_words >= 2 || (signals.lowercase_words == 1 && signals.verb);
    enough_words && running && signals.score() >= THRESHOLD
}

/// The clause's own words: the quoted words inside it replaced by a space.
fn without_quoted_words(text: &str, range: &Range<usize>, quotes: &[Range<usize>]) -> String {
    let mut out = String::new();
    let mut at = range.start;
    let first = quotes.partition_point(|q| q.end <= range.start);
    for q in quotes.get(first..).unwrap_or_default() {
        if q.start >= range.end {
            break;
        }
        if let Some(part) = text.get(at..q.start.max(at)) {
            out.push_str(part);
        }
        out.push(' ');
        at = at.max(q.end);
    }
    if let Some(part) = text.get(at.min(range.end)..range.end) {
        out.push_str(part);
    }
    out
}

/// Reads the signals of a clause in a spaced script.
fn read_signals(clause: &str) -> Signals {
    let mut s = Signals::default();
    // Hedges after "said" or "decided that" belong to the source, not to the writer.
    let mut reported = false;
    let mut prev = String::new();
    let mut w = String::new();
    let mut index = 0;
    for raw in clause.split_whitespace() {
        let bare = raw.trim_matches(|c: char| !c.is_alphanumeric());
        let Some(first_char) = bare.chars().next() else {
            continue;
        };
        s.words += 1;
        lower_into(bare, &mut w);
        let k = kinds(&w);
        if first_char.is_lowercase() {
            s.lowercase_words += 1;
        }
        if bare.bytes().any(|b| b.is_ascii_digit()) {
            s.numbers += 1;
        }
        if k & COUNT_WORDS != 0 {
            s.number_words = 2;
        } else if k & SMALL_NUMBER_WORDS != 0 {
            s.number_words = s.number_words.max(1);
        }
        let date = is_date_word(first_char, &w, k, &prev);
        s.date |= date;
        if first_char.is_uppercase() && index > 0 && w != "i" && !date {
            s.named = true;
        }
        s.report |= k & REPORT_VERBS != 0;
        s.decision |= k & DECISION_VERBS != 0;
        s.past |= is_past_kind(&w, k) && k & AUXILIARIES == 0;
        s.subjective |= k & SUBJECTIVE != 0;
        s.verb |= k & FINITE_VERBS != 0 || is_past_kind(&w, k);
        if !reported {
            // "May" (the month) is not "may"; "will" is kept apart, as a date makes it a
            // scheduled event rather than a forecast.
            if k & HEDGES != 0 && !date {
                if w == "will" {
                    s.will = true;
                } else {
                    s.hedge = true;
                }
            }
            // "US" is a country, "us" the writer.
            s.first_person |= bare != "US" && k & FIRST_PERSON != 0;
            s.opinion |= is_opinion_pair(&prev, &w);
        }
        if k & REPORT_VERBS != 0 || (w == "that" && (s.report || s.decision)) {
            reported = true;
        }
        std::mem::swap(&mut prev, &mut w);
        index += 1;
    }
    s
}

/// Writes `word` lowercased, curly apostrophes made straight, into `out`.
fn lower_into(word: &str, out: &mut String) {
    out.clear();
    for c in word.chars() {
        if c == '’' {
            out.push('\'');
        } else {
            out.extend(c.to_lowercase());
        }
    }
}

/// `word` lowercased, curly apostrophes made straight.
fn lower(word: &str) -> String {
    let mut out = String::with_capacity(word.len());
    lower_into(word, &mut out);
    out
}

/// Month and weekday names (capitalised: "May", not "may") and relative dates.
fn is_date_word(first_char: char, w: &str, kind: u32, prev: &str) -> bool {
    let named = first_char.is_uppercase() && kind & (MONTHS | WEEKDAYS) != 0;
    let relative = matches!(w, "yesterday" | "today" | "tonight")
        || (matches!(prev, "last" | "this" | "next" | "earlier" | "later")
            && matches!(
                w,
                "week" | "month" | "year" | "spring" | "summer" | "autumn" | "winter" | "quarter"
            ));
    named || relative
}

/// Past tense or participle (`kind`: the word's lexicon flags).
fn is_past_kind(w: &str, kind: u32) -> bool {
    kind & IRREGULAR_PAST != 0 || (w.len() >= 5 && w.ends_with("ed") && kind & ED_NON_VERBS == 0)
}

/// Finite-verb candidates: auxiliaries and past forms (present forms look too much like
/// plural nouns to count).
fn is_verb(w: &str) -> bool {
    let kind = kinds(w);
    kind & FINITE_VERBS != 0 || is_past_kind(w, kind)
}

/// Two-word markers of opinion ("I think", "in my view", "of course").
fn is_opinion_pair(prev: &str, w: &str) -> bool {
    matches!(
        (prev, w),
        (
            "i" | "we",
            "think"
                | "believe"
                | "suspect"
                | "feel"
                | "doubt"
                | "expect"
                | "guess"
                | "hope"
                | "suppose"
                | "fear"
        ) | ("my" | "our", "view" | "opinion" | "guess" | "bet" | "sense")
            | ("of", "course")
            | ("to", "me")
    )
}

/// Script-without-spaces signals (Chinese, Japanese), as substrings.
const CJK_UNITS: &[&str] = &[
    "%", "％", "円", "ドル", "万", "億", "兆", "トン", "キロ", "人", "件", "元", "倍",
];
/// Relative dates in Chinese and Japanese.
const CJK_DATES: &[&str] = &[
    "今年", "昨年", "去年", "先月", "今月", "来月", "前年", "同日", "前週", "年度", "今週", "先週",
];
/// Reporting, decision and event verbs in Chinese and Japanese.
const CJK_EVENTS: &[&str] = &[
    "発表",
    "明らかにし",
    "決定",
    "承認",
    "公表",
    "表明",
    "開始",
    "始め",
    "放出",
    "上昇",
    "下落",
    "下が",
    "上が",
    "増加",
    "減少",
    "逮捕",
    "署名",
    "可決",
    "成立",
    "合意",
    "導入",
    "販売",
    "報じ",
    "指摘し",
    "宣言",
    "辞任",
    "就任",
    "設置",
    "実施",
    "記録",
    "宣布",
    "批准",
    "通过",
    "表示",
    "公布",
    "增长",
    "下降",
    "上涨",
    "发布",
    "决定",
    "下跌",
    "收于",
    "同比",
    "环比",
    "批准",
    "签署",
    "死亡",
    "受伤",
    "宣判",
    "起诉",
];
/// Hedges, forecasts and opinions in Chinese and Japanese.
const CJK_HEDGES: &[&str] = &[
    "とみられ",
    "可能性",
    "だろう",
    "でしょう",
    "かもしれ",
    "べき",
    "思う",
    "思われ",
    "考えられ",
    "見込み",
    "予想",
    "見通し",
    "たい",
    "应该",
    "可能会",
    "也许",
    "认为",
    "预计",
    "将会",
];

/// Score of a clause in a script without spaces (Chinese, Japanese).
fn cjk_score(s: &str) -> i32 {
    let has_any = |words: &[&str]| words.iter().any(|w| s.contains(w));
    let is_digit = |c: char| c.is_ascii_digit() || ('０'..='９').contains(&c);
    let mut score = 0;
    if s.chars().any(is_digit) {
        score += 2;
    }
    let dated = s
        .chars()
        .zip(s.chars().skip(1))
        .any(|(a, b)| is_digit(a) && matches!(b, '年' | '月' | '日'));
    if dated || has_any(CJK_DATES) {
        score += 1;
    }
    if has_any(CJK_UNITS) {
        score += 1;
    }
    if has_any(CJK_EVENTS) {
        score += 2;
    }
    if has_any(CJK_HEDGES) {
        score -= 3;
    }
    score
}

#[cfg(test)]
mod tests;
