//! Word lists of the suggesters, and one table that tells in a single hash lookup which lists
//! a word is in (the claim suggester looks up every word of a 5 MB text).
//!
//! Words are compared lowercased, with curly apostrophes made straight. The lists are kept
//! sorted for review; a unit test checks it.

use std::collections::HashMap;
use std::sync::OnceLock;

/// Verbs that attribute direct speech ("…," said X).
pub(crate) const SPEECH_VERBS: u32 = 1 << 0;
const SPEECH_VERBS_WORDS: &[&str] = &[
    "according",
    "acknowledged",
    "added",
    "adds",
    "admitted",
    "agreed",
    "announced",
    "argued",
    "argues",
    "asked",
    "asks",
    "called",
    "cautioned",
    "claimed",
    "complained",
    "conceded",
    "concluded",
    "continued",
    "countered",
    "declared",
    "described",
    "emphasised",
    "emphasized",
    "explained",
    "explains",
    "insisted",
    "insists",
    "joked",
    "laughed",
    "noted",
    "notes",
    "observed",
    "pointed",
    "posted",
    "predicted",
    "quipped",
    "quoted",
    "quoting",
    "recalled",
    "recounted",
    "remarked",
    "replied",
    "responded",
    "said",
    "say",
    "says",
    "shouted",
    "sighed",
    "stated",
    "stressed",
    "suggested",
    "tells",
    "told",
    "tweeted",
    "urged",
    "warned",
    "warns",
    "writes",
    "wrote",
];

/// Verbs that report a statement someone made (an attributed statement is checkable).
pub(crate) const REPORT_VERBS: u32 = 1 << 1;
const REPORT_VERBS_WORDS: &[&str] = &[
    "according",
    "acknowledged",
    "acknowledges",
    "admits",
    "admitted",
    "alleged",
    "announced",
    "announces",
    "claimed",
    "confirmed",
    "confirms",
    "denied",
    "denies",
    "disclosed",
    "estimate",
    "estimated",
    "filed",
    "found",
    "informed",
    "insist",
    "insisted",
    "insists",
    "published",
    "reported",
    "reports",
    "revealed",
    "said",
    "say",
    "says",
    "showed",
    "shows",
    "stated",
    "stress",
    "stressed",
    "tells",
    "testified",
    "told",
    "warned",
    "warns",
    "wrote",
];

/// Verbs of decisions and events a fact-checker can look up.
pub(crate) const DECISION_VERBS: u32 = 1 << 2;
const DECISION_VERBS_WORDS: &[&str] = &[
    "acquired",
    "added",
    "adds",
    "adopted",
    "agreed",
    "allowed",
    "appointed",
    "approved",
    "approves",
    "arrested",
    "arrived",
    "attacked",
    "awarded",
    "banned",
    "began",
    "blocked",
    "canceled",
    "cancelled",
    "charged",
    "closed",
    "committed",
    "completed",
    "convicted",
    "cut",
    "decided",
    "declined",
    "decreased",
    "died",
    "dismissed",
    "dropped",
    "earmarks",
    "elected",
    "employs",
    "enacted",
    "ended",
    "fell",
    "fined",
    "fired",
    "gained",
    "hired",
    "imposed",
    "increased",
    "injured",
    "introduced",
    "invaded",
    "jumped",
    "killed",
    "launched",
    "lost",
    "lowered",
    "met",
    "opened",
    "ordered",
    "passed",
    "plunged",
    "raised",
    "reached",
    "recorded",
    "reduced",
    "rejected",
    "released",
    "removed",
    "resigned",
    "rose",
    "seized",
    "sentenced",
    "shipped",
    "signed",
    "slipped",
    "started",
    "sued",
    "surged",
    "totaled",
    "totalled",
    "traveled",
    "travelled",
    "tumbled",
    "vetoed",
    "visited",
    "voted",
    "withdrew",
    "won",
];

/// Irregular past forms and participles (regular ones end in "-ed").
pub(crate) const IRREGULAR_PAST: u32 = 1 << 3;
const IRREGULAR_PAST_WORDS: &[&str] = &[
    "became", "been", "began", "begun", "bought", "broke", "brought", "built", "came", "caught",
    "chose", "chosen", "cut", "dealt", "did", "done", "drew", "driven", "drove", "fallen", "fed",
    "fell", "felt", "fled", "fought", "found", "froze", "gave", "given", "gone", "got", "grew",
    "grown", "had", "held", "hit", "hung", "kept", "knew", "known", "laid", "led", "left", "lent",
    "lit", "lost", "made", "meant", "met", "paid", "put", "ran", "risen", "rose", "said", "saw",
    "seen", "sent", "set", "shot", "shown", "sold", "sought", "spent", "spoke", "spoken", "stood",
    "struck", "stuck", "taken", "threw", "told", "took", "upheld", "was", "went", "were",
    "withdrew", "withheld", "won", "written", "wrote",
];

/// Past auxiliaries and copulas: past, but not an event by themselves.
pub(crate) const AUXILIARIES: u32 = 1 << 4;
const AUXILIARIES_WORDS: &[&str] = &["been", "did", "done", "got", "had", "was", "were"];

/// Words ending in "-ed" that are not past forms.
pub(crate) const ED_NON_VERBS: u32 = 1 << 5;
const ED_NON_VERBS_WORDS: &[&str] = &[
    "bed", "beloved", "bred", "breed", "creed", "deed", "embed", "exceed", "feed", "greed",
    "hundred", "indeed", "kindred", "naked", "need", "proceed", "red", "reed", "sacred", "seed",
    "shed", "shred", "sled", "sped", "speed", "steed", "succeed", "tweed", "united", "wed", "weed",
    "wicked",
];

/// Finite verbs other than past forms that show a clause has its own verb.
pub(crate) const FINITE_VERBS: u32 = 1 << 6;
const FINITE_VERBS_WORDS: &[&str] = &[
    "am", "are", "aren't", "believe", "can", "can't", "could", "did", "didn't", "do", "does",
    "doesn't", "don't", "expect", "expects", "goes", "had", "hadn't", "has", "hasn't", "have",
    "haven't", "is", "isn't", "may", "might", "must", "remain", "remains", "say", "says", "should",
    "think", "thinks", "was", "wasn't", "were", "weren't", "will", "won't", "would",
];

/// Modals, hedges and forecast words: the writer is not stating a fact.
pub(crate) const HEDGES: u32 = 1 << 7;
const HEDGES_WORDS: &[&str] = &[
    "apparently",
    "arguably",
    "believe",
    "believes",
    "clearly",
    "could",
    "expect",
    "expected",
    "expects",
    "fear",
    "feared",
    "fears",
    "forecast",
    "forecasts",
    "fortunately",
    "guess",
    "hope",
    "hopefully",
    "hopes",
    "i'll",
    "ideally",
    "it'll",
    "likely",
    "may",
    "maybe",
    "might",
    "must",
    "naturally",
    "obviously",
    "ought",
    "perhaps",
    "possibly",
    "predict",
    "predicts",
    "probably",
    "sadly",
    "seem",
    "seemed",
    "seems",
    "shall",
    "should",
    "should've",
    "surely",
    "suspect",
    "suspected",
    "thankfully",
    "they'll",
    "unfortunately",
    "unlikely",
    "we'll",
    "will",
    "would",
    "would've",
];

/// The writer speaking ("US", the country, is told apart by its capitals).
pub(crate) const FIRST_PERSON: u32 = 1 << 8;
const FIRST_PERSON_WORDS: &[&str] = &[
    "i", "i'd", "i'm", "i've", "me", "my", "our", "us", "we", "we're",
];

/// Evaluative words: the writer judging, not reporting.
pub(crate) const SUBJECTIVE: u32 = 1 << 9;
const SUBJECTIVE_WORDS: &[&str] = &[
    "absurd",
    "alarming",
    "awful",
    "bold",
    "brilliant",
    "completely",
    "controversial",
    "crucial",
    "disappointing",
    "encouraging",
    "extremely",
    "failure",
    "finally",
    "greatly",
    "hardly",
    "importantly",
    "incredibly",
    "merely",
    "mistake",
    "quaint",
    "really",
    "remarkably",
    "ridiculous",
    "shocking",
    "simply",
    "sobering",
    "surprisingly",
    "terrible",
    "totally",
    "truly",
    "unacceptable",
    "utterly",
    "wonderful",
    "worrying",
];

/// Number words that state a count ("seven hours", "a million").
pub(crate) const COUNT_WORDS: u32 = 1 << 10;
const COUNT_WORDS_WORDS: &[&str] = &[
    "billion",
    "billions",
    "doubled",
    "dozen",
    "dozens",
    "eight",
    "eighteen",
    "eighty",
    "eleven",
    "fifteen",
    "fifty",
    "five",
    "forty",
    "four",
    "fourteen",
    "halved",
    "hundred",
    "hundreds",
    "million",
    "millions",
    "nine",
    "nineteen",
    "ninety",
    "seven",
    "seventeen",
    "seventy",
    "six",
    "sixteen",
    "sixty",
    "ten",
    "thirteen",
    "thirty",
    "thousand",
    "thousands",
    "three",
    "trillion",
    "tripled",
    "twelve",
    "twenty",
];

/// Number words that analysis uses too ("the two leaders", "half").
pub(crate) const SMALL_NUMBER_WORDS: u32 = 1 << 11;
const SMALL_NUMBER_WORDS_WORDS: &[&str] = &["double", "half", "percent", "twice", "two"];

/// Months, written out or abbreviated (compared lowercased; capitals checked apart).
pub(crate) const MONTHS: u32 = 1 << 12;
const MONTHS_WORDS: &[&str] = &[
    "apr",
    "april",
    "aug",
    "august",
    "dec",
    "december",
    "feb",
    "february",
    "jan",
    "january",
    "jul",
    "july",
    "jun",
    "june",
    "mar",
    "march",
    "may",
    "nov",
    "november",
    "oct",
    "october",
    "sep",
    "sept",
    "september",
];

/// Weekdays, also in the possessive.
pub(crate) const WEEKDAYS: u32 = 1 << 13;
const WEEKDAYS_WORDS: &[&str] = &[
    "friday",
    "friday's",
    "monday",
    "monday's",
    "saturday",
    "saturday's",
    "sunday",
    "sunday's",
    "thursday",
    "thursday's",
    "tuesday",
    "tuesday's",
    "wednesday",
    "wednesday's",
];

/// Words that cannot start a new subject after ", and" (prepositions, adverbs).
pub(crate) const FUNCTION_WORDS: u32 = 1 << 14;
const FUNCTION_WORDS_WORDS: &[&str] = &[
    "after",
    "again",
    "also",
    "at",
    "before",
    "by",
    "even",
    "for",
    "from",
    "if",
    "in",
    "into",
    "later",
    "not",
    "now",
    "of",
    "on",
    "since",
    "so",
    "still",
    "then",
    "therefore",
    "thus",
    "to",
    "until",
    "when",
    "with",
    "without",
];

/// Words that end with a full stop without ending a sentence (lowercased, without the stop).
pub(crate) const ABBREVIATIONS: u32 = 1 << 15;
const ABBREVIATIONS_WORDS: &[&str] = &[
    "a.m", "approx", "apr", "aug", "ave", "blvd", "bros", "capt", "co", "col", "corp", "dec",
    "dept", "dr", "e.g", "e.u", "est", "etc", "feb", "fig", "ft", "gen", "gov", "hon", "i.e",
    "inc", "jan", "jr", "jul", "jun", "lt", "ltd", "mar", "mr", "mrs", "ms", "mt", "nov", "oct",
    "p.m", "plc", "prof", "rd", "rep", "rev", "sen", "sep", "sept", "sgt", "sr", "st", "u.k",
    "u.n", "u.s", "vol", "vs",
];

/// Every list with its flag.
const LISTS: [(u32, &[&str]); 16] = [
    (SPEECH_VERBS, SPEECH_VERBS_WORDS),
    (REPORT_VERBS, REPORT_VERBS_WORDS),
    (DECISION_VERBS, DECISION_VERBS_WORDS),
    (IRREGULAR_PAST, IRREGULAR_PAST_WORDS),
    (AUXILIARIES, AUXILIARIES_WORDS),
    (ED_NON_VERBS, ED_NON_VERBS_WORDS),
    (FINITE_VERBS, FINITE_VERBS_WORDS),
    (HEDGES, HEDGES_WORDS),
    (FIRST_PERSON, FIRST_PERSON_WORDS),
    (SUBJECTIVE, SUBJECTIVE_WORDS),
    (COUNT_WORDS, COUNT_WORDS_WORDS),
    (SMALL_NUMBER_WORDS, SMALL_NUMBER_WORDS_WORDS),
    (MONTHS, MONTHS_WORDS),
    (WEEKDAYS, WEEKDAYS_WORDS),
    (FUNCTION_WORDS, FUNCTION_WORDS_WORDS),
    (ABBREVIATIONS, ABBREVIATIONS_WORDS),
];

/// The flags of the lists `word` (lowercase) is in; 0 for none.
pub(crate) fn kinds(word: &str) -> u32 {
    static TABLE: OnceLock<HashMap<&'static str, u32>> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut table: HashMap<&'static str, u32> = HashMap::new();
        for (flag, words) in LISTS {
            for &w in words {
                *table.entry(w).or_default() |= flag;
            }
        }
        table
    });
    table.get(word).copied().unwrap_or(0)
}

/// True when `word` (lowercase) is in the list `kind`.
pub(crate) fn is(word: &str, kind: u32) -> bool {
    kinds(word) & kind != 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_sorted_and_lowercase() {
        for (_, list) in LISTS {
            assert!(list.windows(2).all(|w| w.first() < w.last()), "{list:?}");
            assert!(list.iter().all(|w| w.to_lowercase() == *w), "{list:?}");
        }
    }

    #[test]
    fn lookup() {
        assert!(is("might", HEDGES));
        assert!(!is("mighty", HEDGES));
        assert!(is("said", SPEECH_VERBS) && is("said", IRREGULAR_PAST));
        assert_eq!(kinds("zebra"), 0);
    }
}
