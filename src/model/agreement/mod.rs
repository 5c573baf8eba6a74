//! Inter-annotator agreement: how far two (or more) analysts who annotated the same
//! documents agree, per label and overall, as span F1, Cohen's κ, Krippendorff's α and, for
//! groups, Fleiss' κ. Pure: plain data in, numbers out.
//!
//! # Input
//!
//! Each annotator gives one [`Document`] per document of the corpus: its length in chars and
//! its spans as half-open char ranges with a label name. Documents are aligned by position (one
//! document is a single project, many are a corpus); every annotator must agree on each
//! document's length. The `labels` argument names the labels to compare, in any order
//! (a name given twice counts once): spans of any other label are ignored and only counted in
//! [`Agreement::ignored_spans`], so passing `&["Claim"]` measures agreement on claims alone.
//! A span that is empty or reaches past its document's end is an [`AgreementError`].
//!
//! # Definitions
//!
//! For every label and overall:
//!
//! - `strict_f1`: spans equal in start, end and label match one to one (a span given twice
//!   by one annotator counts twice in |A| and can match only once);
//!   F1 = 2·matches / (|A| + |B|).
//! - `overlap_f1`: a maximum one-to-one matching (Hopcroft–Karp) between same-label spans of
//!   A and B that share at least one char; F1 = 2·matches / (|A| + |B|).
//! - `kappa`: Cohen's κ over the chars of all documents pooled (a corpus is one long text,
//!   not an average of per-document values). Per label a char is 1 when a span of
//!   that label covers it (however many do), else 0; overall a char's category is the *set* of
//!   labels covering it (the empty set, "none", when none does).
//!   `κ = (p_o − p_e) / (1 − p_e)` with `p_e` from each annotator's own marginals.
//! - `alpha`: Krippendorff's α, nominal, over the same chars and categories (every coder
//!   codes every char, so there are no missing values).
//! - Overall F1 is micro-averaged: matches and sizes are summed over labels first.
//! - A group of annotators gets every pair's [`Agreement`], plus Fleiss' κ and
//!   Krippendorff's α over all of them, per label and overall, on the same per-char categories.
//!
//! ```text
//!   chars:  0 1 2 3 4 5 6 7 8 9
//!   A:      [Claim·····)             Claim = [0, 6)
//!   B:          [Claim·····)         Claim = [2, 8)
//!   A per char: 1 1 1 1 1 1 0 0 0 0
//!   B per char: 0 0 1 1 1 1 1 1 0 0
//!   p_o = 6/10, p_e = 0.6·0.6 + 0.4·0.4 = 0.52, κ = 0.08 / 0.48 = 1/6
//! ```
//!
//! # Undefined values
//!
//! Every score is an `Option<f64>`; `None` means *undefined*, and a UI should show it as
//! "n/a", never as 0 or 1:
//!
//! - F1 is `None` when neither annotator has a span of that label (|A| + |B| = 0): there was
//!   nothing to agree or disagree on. When only one side has spans, F1 is 0.
//! - κ, Fleiss' κ and α are `None` when every annotator put every char in the same single
//!   category (`p_e = 1`, or α's expected disagreement is 0), which includes a corpus with no
//!   chars at all. This is what `sklearn.metrics.cohen_kappa_score`,
//!   `statsmodels`' `fleiss_kappa` and the `krippendorff` package do (they return NaN or
//!   refuse). In that case `p_o` is necessarily 1 too, so "perfect" would be just as defensible,
//!   but a label that nobody used carries no evidence of reliability.
//! - Zero-length documents are allowed and contribute nothing.
//!
//! # Reference values
//!
//! The tests compare every score on the fixtures in `tests/fixtures/agreement/` with values
//! that `tests/agreement_reference.py` computed from explicit per-char vectors with
//! scikit-learn, statsmodels, `krippendorff` and scipy (to 1e-9; the largest difference is
//! below 1e-15), and random corpora with a naive per-char implementation.
//!
//! # Cost
//!
//! Nothing is stored per char: each document is swept once over its span boundaries, and each
//! segment where the set of covering labels is constant adds `length × counts` to the tallies.
//! Work is O(s log s) per document of s spans (plus the size of the overlap graph for the
//! matching), so a corpus can be fed one document at a time to a [`PairTally`] or [`GroupTally`].

mod chars;
mod spans;

#[cfg(test)]
mod reference_tests;

use std::collections::{BTreeMap, HashMap};

use crate::model::CharRange;

use chars::{CharSweep, Placed};
use spans::SpanMatcher;

/// One annotator's span: a half-open char range and its label's name.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Annotation<'a> {
    /// The chars it covers; must be non-empty and inside its document.
    pub range: CharRange,
    /// The label's name, matched exactly against the `labels` being compared.
    pub label: &'a str,
}

/// One annotator's spans on one document.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Document<'a> {
    /// Length of the document in chars; every annotator must give the same.
    pub len: usize,
    /// The spans, in any order; overlapping and nested spans are fine.
    pub spans: Vec<Annotation<'a>>,
}

/// The four pairwise measures for one label or overall; `None` means undefined (see the
/// module docs for when).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Scores {
    /// F1 of exact span matches (same start, end and label).
    pub strict_f1: Option<f64>,
    /// F1 of a maximum one-to-one matching of overlapping same-label spans.
    pub overlap_f1: Option<f64>,
    /// Cohen's κ over chars.
    pub kappa: Option<f64>,
    /// Krippendorff's α (nominal) over chars.
    pub alpha: Option<f64>,
}

/// The span counts behind a pair's F1 scores.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SpanCounts {
    /// Spans of the first annotator.
    pub a: usize,
    /// Spans of the second annotator.
    pub b: usize,
    /// Exact matches (one-to-one).
    pub strict_matches: usize,
    /// Overlap matches in a maximum one-to-one matching.
    pub overlap_matches: usize,
}

impl SpanCounts {
    /// F1 of the exact matches; `None` when both sides are empty.
    #[must_use]
    pub fn strict_f1(self) -> Option<f64> {
        f1(self.strict_matches, self.a + self.b)
    }

    /// F1 of the overlap matches; `None` when both sides are empty.
    #[must_use]
    pub fn overlap_f1(self) -> Option<f64> {
        f1(self.overlap_matches, self.a + self.b)
    }

    fn add(&mut self, other: Self) {
        self.a += other.a;
        self.b += other.b;
        self.strict_matches += other.strict_matches;
        self.overlap_matches += other.overlap_matches;
    }
}

/// 2·matches / sizes, undefined for no spans at all.
fn f1(matches: usize, sizes: usize) -> Option<f64> {
    (sizes > 0).then(|| 2.0 * matches as f64 / sizes as f64)
}

/// Agreement between two annotators over a set of documents.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Agreement {
    /// Scores per compared label, by name.
    pub labels: BTreeMap<String, Scores>,
    /// Scores over all compared labels (micro-averaged F1; κ and α on label sets).
    pub overall: Scores,
    /// The span counts behind each label's F1.
    pub label_counts: BTreeMap<String, SpanCounts>,
    /// The span counts behind the overall F1 (sums over labels).
    pub overall_counts: SpanCounts,
    /// Chars compared: the sum of the documents' lengths.
    pub chars: u64,
    /// Documents compared.
    pub documents: usize,
    /// Spans of each annotator whose label was not among those compared.
    pub ignored_spans: [usize; 2],
}

/// The measures defined for a group of annotators, for one label or overall.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct GroupScores {
    /// Fleiss' κ over chars.
    pub fleiss_kappa: Option<f64>,
    /// Krippendorff's α (nominal) over chars, all annotators together.
    pub alpha: Option<f64>,
}

/// One pair of a group, by the annotators' positions in the input (`first < second`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Pair {
    /// Position of the first annotator.
    pub first: usize,
    /// Position of the second annotator.
    pub second: usize,
    /// Their agreement.
    pub agreement: Agreement,
}

/// Agreement in a group of annotators over a set of documents.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GroupAgreement {
    /// Every pair, in the order (0,1), (0,2), …, (1,2), ….
    pub pairs: Vec<Pair>,
    /// Group measures per compared label, by name.
    pub labels: BTreeMap<String, GroupScores>,
    /// Group measures over label sets.
    pub overall: GroupScores,
    /// Chars compared: the sum of the documents' lengths.
    pub chars: u64,
    /// Documents compared.
    pub documents: usize,
}

/// Why agreement cannot be computed on some input.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AgreementError {
    /// Agreement needs two annotators or more.
    #[error("agreement needs at least two annotators, got {0}")]
    TooFewAnnotators(usize),
    /// A group's document was given by a different number of annotators than the group has.
    #[error("the group has {expected} annotators, the document came from {found}")]
    AnnotatorCount {
        /// Annotators in the group.
        expected: usize,
        /// Annotators given for the document.
        found: usize,
    },
    /// The annotators were not given the same number of documents.
    #[error("annotator {annotator} has {found} documents, annotator 0 has {expected}")]
    DocumentCount {
        /// Position of the annotator whose count differs.
        annotator: usize,
        /// Annotator 0's count.
        expected: usize,
        /// This annotator's count.
        found: usize,
    },
    /// The annotators disagree on a document's length, so it cannot be the same text.
    #[error(
        "document {document}: annotator {annotator} says {found} chars, annotator 0 says {expected}"
    )]
    LengthMismatch {
        /// Position of the document.
        document: usize,
        /// Position of the annotator whose length differs.
        annotator: usize,
        /// Annotator 0's length.
        expected: usize,
        /// This annotator's length.
        found: usize,
    },
    /// A span is empty or reaches past the end of its document.
    #[error(
        "document {document}: annotator {annotator} has a {label:?} span {range} in a document of {len} chars"
    )]
    BadSpan {
        /// Position of the document.
        document: usize,
        /// Position of the annotator.
        annotator: usize,
        /// The span's label.
        label: String,
        /// The span's range.
        range: CharRange,
        /// The document's length.
        len: usize,
    },
}

/// Agreement between annotators `a` and `b` on documents aligned by position.
///
/// ```
/// use spanmark::model::CharRange;
/// use spanmark::model::agreement::{Annotation, Document, pairwise};
///
/// let span = |start, end| Annotation {
///     range: CharRange::new(start, end).unwrap_or_default(),
///     label: "Claim",
/// };
/// let a = [Document { len: 10, spans: vec![span(0, 6)] }];
/// let b = [Document { len: 10, spans: vec![span(2, 8)] }];
/// let agreement = pairwise(&["Claim"], &a, &b)?;
/// assert_eq!(agreement.overall.strict_f1, Some(0.0));
/// assert_eq!(agreement.overall.overlap_f1, Some(1.0));
/// assert!((agreement.overall.kappa.unwrap_or_default() - 1.0 / 6.0).abs() < 1e-12);
/// # Ok::<(), spanmark::model::agreement::AgreementError>(())
/// ```
pub fn pairwise(
    labels: &[&str],
    a: &[Document<'_>],
    b: &[Document<'_>],
) -> Result<Agreement, AgreementError> {
    if a.len() != b.len() {
        return Err(AgreementError::DocumentCount {
            annotator: 1,
            expected: a.len(),
            found: b.len(),
        });
    }
    let mut tally = PairTally::new(labels);
    for (doc_a, doc_b) in a.iter().zip(b) {
        tally.add(doc_a, doc_b)?;
    }
    Ok(tally.agreement())
}

/// Agreement in a group: `annotators[r]` holds annotator `r`'s documents, aligned by position.
/// Works for two annotators too (then Fleiss' κ is Scott's π).
pub fn group(
    labels: &[&str],
    annotators: &[&[Document<'_>]],
) -> Result<GroupAgreement, AgreementError> {
    let mut tally = GroupTally::new(labels, annotators.len())?;
    let expected = annotators.first().map_or(0, |docs| docs.len());
    for (annotator, docs) in annotators.iter().enumerate() {
        if docs.len() != expected {
            return Err(AgreementError::DocumentCount {
                annotator,
                expected,
                found: docs.len(),
            });
        }
    }
    let mut row = Vec::with_capacity(annotators.len());
    for document in 0..expected {
        row.clear();
        row.extend(annotators.iter().filter_map(|docs| docs.get(document)));
        tally.add(&row)?;
    }
    Ok(tally.agreement())
}

/// The compared labels: names in the order given (first occurrence), and a lookup by name.
#[derive(Clone, Debug, Default)]
struct LabelIndex {
    names: Vec<String>,
    index: HashMap<String, usize>,
}

impl LabelIndex {
    fn new(labels: &[&str]) -> Self {
        let mut names = Vec::with_capacity(labels.len());
        let mut index = HashMap::with_capacity(labels.len());
        for &name in labels {
            if !index.contains_key(name) {
                index.insert(name.to_owned(), names.len());
                names.push(name.to_owned());
            }
        }
        Self { names, index }
    }

    fn len(&self) -> usize {
        self.names.len()
    }

    /// Checks one document of every annotator and appends its spans of compared labels to
    /// `out`; returns how many spans each annotator had of other labels. On error nothing is
    /// counted anywhere (the caller's tallies are untouched).
    fn place(
        &self,
        document: usize,
        docs: &[&Document<'_>],
        out: &mut Vec<Placed>,
        ignored: &mut Vec<usize>,
    ) -> Result<usize, AgreementError> {
        out.clear();
        ignored.clear();
        let len = docs.first().map_or(0, |doc| doc.len);
        for (annotator, doc) in docs.iter().enumerate() {
            if doc.len != len {
                return Err(AgreementError::LengthMismatch {
                    document,
                    annotator,
                    expected: len,
                    found: doc.len,
                });
            }
            let mut skipped = 0;
            for span in &doc.spans {
                let (start, end) = (span.range.start().get(), span.range.end().get());
                if start >= end || end > len {
                    return Err(AgreementError::BadSpan {
                        document,
                        annotator,
                        label: span.label.to_owned(),
                        range: span.range,
                        len,
                    });
                }
                match self.index.get(span.label) {
                    Some(&label) => out.push(Placed {
                        rater: annotator,
                        label,
                        start,
                        end,
                    }),
                    None => skipped += 1,
                }
            }
            ignored.push(skipped);
        }
        Ok(len)
    }
}

/// Accumulates a pair's agreement one document at a time; [`pairwise`] in pieces.
#[derive(Debug)]
pub struct PairTally {
    labels: LabelIndex,
    chars: CharSweep,
    matcher: SpanMatcher,
    counts: Vec<SpanCounts>,
    documents: usize,
    ignored_spans: [usize; 2],
    placed: Vec<Placed>,
    skipped: Vec<usize>,
}

impl PairTally {
    /// An empty tally comparing `labels`.
    #[must_use]
    pub fn new(labels: &[&str]) -> Self {
        let labels = LabelIndex::new(labels);
        let n = labels.len();
        Self {
            chars: CharSweep::new(2, n),
            matcher: SpanMatcher::default(),
            counts: vec![SpanCounts::default(); n],
            labels,
            documents: 0,
            ignored_spans: [0; 2],
            placed: Vec::new(),
            skipped: Vec::new(),
        }
    }

    /// Adds one document as annotated by `a` and by `b`. On error the tally is unchanged.
    pub fn add(&mut self, a: &Document<'_>, b: &Document<'_>) -> Result<(), AgreementError> {
        let len =
            self.labels
                .place(self.documents, &[a, b], &mut self.placed, &mut self.skipped)?;
        self.chars.add(len, &self.placed);
        self.matcher.add(&self.placed, &mut self.counts);
        for (total, skipped) in self.ignored_spans.iter_mut().zip(&self.skipped) {
            *total += skipped;
        }
        self.documents += 1;
        Ok(())
    }

    /// The agreement over the documents added so far.
    #[must_use]
    pub fn agreement(&self) -> Agreement {
        let mut agreement = Agreement {
            chars: self.chars.units(),
            documents: self.documents,
            ignored_spans: self.ignored_spans,
            ..Agreement::default()
        };
        for (label, (name, counts)) in self.labels.names.iter().zip(&self.counts).enumerate() {
            let tally = self.chars.label_tally(label);
            agreement.labels.insert(
                name.clone(),
                Scores {
                    strict_f1: counts.strict_f1(),
                    overlap_f1: counts.overlap_f1(),
                    kappa: tally.cohen_kappa(),
                    alpha: tally.krippendorff_alpha(),
                },
            );
            agreement.label_counts.insert(name.clone(), *counts);
            agreement.overall_counts.add(*counts);
        }
        let tally = self.chars.overall_tally();
        agreement.overall = Scores {
            strict_f1: agreement.overall_counts.strict_f1(),
            overlap_f1: agreement.overall_counts.overlap_f1(),
            kappa: tally.cohen_kappa(),
            alpha: tally.krippendorff_alpha(),
        };
        agreement
    }
}

/// Accumulates a group's agreement one document at a time; [`group`] in pieces.
#[derive(Debug)]
pub struct GroupTally {
    labels: LabelIndex,
    annotators: usize,
    chars: CharSweep,
    pairs: Vec<(usize, usize, PairTally)>,
    documents: usize,
    placed: Vec<Placed>,
    skipped: Vec<usize>,
}

impl GroupTally {
    /// An empty tally comparing `labels` among `annotators` annotators (two or more).
    pub fn new(labels: &[&str], annotators: usize) -> Result<Self, AgreementError> {
        if annotators < 2 {
            return Err(AgreementError::TooFewAnnotators(annotators));
        }
        let mut pairs = Vec::with_capacity(annotators * (annotators - 1) / 2);
        for first in 0..annotators {
            for second in first + 1..annotators {
                pairs.push((first, second, PairTally::new(labels)));
            }
        }
        let labels = LabelIndex::new(labels);
        Ok(Self {
            chars: CharSweep::new(annotators, labels.len()),
            labels,
            annotators,
            pairs,
            documents: 0,
            placed: Vec::new(),
            skipped: Vec::new(),
        })
    }

    /// Adds one document, `docs[r]` as annotated by annotator `r`. On error the tally is
    /// unchanged.
    pub fn add(&mut self, docs: &[&Document<'_>]) -> Result<(), AgreementError> {
        if docs.len() != self.annotators {
            return Err(AgreementError::AnnotatorCount {
                expected: self.annotators,
                found: docs.len(),
            });
        }
        // Checking the whole document first keeps every pair's tally in step on error.
        let len = self
            .labels
            .place(self.documents, docs, &mut self.placed, &mut self.skipped)?;
        self.chars.add(len, &self.placed);
        for (first, second, tally) in &mut self.pairs {
            if let (Some(a), Some(b)) = (docs.get(*first), docs.get(*second)) {
                tally.add(a, b)?;
            }
        }
        self.documents += 1;
        Ok(())
    }

    /// The agreement over the documents added so far.
    #[must_use]
    pub fn agreement(&self) -> GroupAgreement {
        let group_scores = |tally: &chars::Tally| GroupScores {
            fleiss_kappa: tally.fleiss_kappa(),
            alpha: tally.krippendorff_alpha(),
        };
        GroupAgreement {
            pairs: self
                .pairs
                .iter()
                .map(|(first, second, tally)| Pair {
                    first: *first,
                    second: *second,
                    agreement: tally.agreement(),
                })
                .collect(),
            labels: self
                .labels
                .names
                .iter()
                .enumerate()
                .map(|(label, name)| (name.clone(), group_scores(&self.chars.label_tally(label))))
                .collect(),
            overall: group_scores(&self.chars.overall_tally()),
            chars: self.chars.units(),
            documents: self.documents,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(start: usize, end: usize, label: &str) -> Annotation<'_> {
        Annotation {
            range: CharRange::new(start, end).unwrap_or_default(),
            label,
        }
    }

    fn doc<'a>(len: usize, spans: &[Annotation<'a>]) -> Document<'a> {
        Document {
            len,
            spans: spans.to_vec(),
        }
    }

    #[test]
    fn hand_computed_tiny_example() {
        let a = [doc(10, &[span(0, 6, "Claim")])];
        let b = [doc(10, &[span(2, 8, "Claim")])];
        let Ok(agreement) = pairwise(&["Claim"], &a, &b) else {
            panic!("valid input");
        };
        let close = |x: Option<f64>, y: f64| x.is_some_and(|x| (x - y).abs() < 1e-12);
        // p_o = 0.6, p_e = 0.52, κ = 0.08 / 0.48.
        assert!(close(agreement.overall.kappa, 1.0 / 6.0));
        // 4 disagreeing chars of 10 → D_o = 8/20; n_1 = 12, n_0 = 8 → D_e = 192/380.
        assert!(close(agreement.overall.alpha, 1.0 - 0.4 * 380.0 / 192.0));
        assert_eq!(agreement.overall.strict_f1, Some(0.0));
        assert_eq!(agreement.overall.overlap_f1, Some(1.0));
        assert_eq!(agreement.chars, 10);
    }

    #[test]
    fn label_used_by_nobody_is_undefined_not_perfect() {
        let a = [doc(10, &[span(0, 6, "Claim")])];
        let Ok(agreement) = pairwise(&["Claim", "Quote"], &a, &a) else {
            panic!("valid input");
        };
        assert_eq!(agreement.labels.get("Quote"), Some(&Scores::default()));
        let claim = Scores {
            strict_f1: Some(1.0),
            overlap_f1: Some(1.0),
            kappa: Some(1.0),
            alpha: Some(1.0),
        };
        assert_eq!(agreement.labels.get("Claim"), Some(&claim));
        assert_eq!(agreement.overall, claim);
    }

    #[test]
    fn one_side_empty_gives_zero_f1_and_kappa() {
        let a = [doc(10, &[span(0, 6, "Claim")])];
        let b = [doc(10, &[])];
        let Ok(agreement) = pairwise(&["Claim"], &a, &b) else {
            panic!("valid input");
        };
        assert_eq!(agreement.overall.strict_f1, Some(0.0));
        assert_eq!(agreement.overall.overlap_f1, Some(0.0));
        assert_eq!(agreement.overall.kappa, Some(0.0));
        assert!(agreement.overall.alpha.is_some_and(|alpha| alpha < 0.0));
    }

    #[test]
    fn zero_length_documents_count_nothing() {
        let empty = [doc(0, &[]), doc(0, &[])];
        let Ok(agreement) = pairwise(&["Claim"], &empty, &empty) else {
            panic!("valid input");
        };
        assert_eq!(agreement.overall, Scores::default());
        assert_eq!((agreement.chars, agreement.documents), (0, 2));
    }

    #[test]
    fn unknown_labels_are_ignored_and_counted() {
        let a = [doc(10, &[span(0, 6, "Claim"), span(1, 2, "Other")])];
        let b = [doc(10, &[span(0, 6, "Claim")])];
        let Ok(agreement) = pairwise(&["Claim", "Claim"], &a, &b) else {
            panic!("valid input");
        };
        assert_eq!(agreement.ignored_spans, [1, 0]);
        assert_eq!(agreement.overall.kappa, Some(1.0));
        assert_eq!(agreement.labels.len(), 1);
    }

    #[test]
    fn bad_input_is_an_error() {
        let a = [doc(10, &[span(5, 11, "Claim")])];
        let b = [doc(10, &[])];
        assert!(matches!(
            pairwise(&["Claim"], &a, &b),
            Err(AgreementError::BadSpan {
                document: 0,
                annotator: 0,
                ..
            })
        ));
        let empty_span = [doc(10, &[span(4, 4, "Claim")])];
        assert!(matches!(
            pairwise(&["Claim"], &b, &empty_span),
            Err(AgreementError::BadSpan { annotator: 1, .. })
        ));
        let longer = [doc(11, &[])];
        assert!(matches!(
            pairwise(&["Claim"], &b, &longer),
            Err(AgreementError::LengthMismatch {
                expected: 10,
                found: 11,
                ..
            })
        ));
        assert!(matches!(
            pairwise(&["Claim"], &b, &[]),
            Err(AgreementError::DocumentCount {
                expected: 1,
                found: 0,
                ..
            })
        ));
        assert!(matches!(
            group(&["Claim"], &[&b]),
            Err(AgreementError::TooFewAnnotators(1))
        ));
    }

    #[test]
    fn failed_add_leaves_the_tally_unchanged() {
        let mut tally = PairTally::new(&["Claim"]);
        let good = doc(10, &[span(0, 6, "Claim")]);
        let bad = doc(10, &[span(0, 60, "Claim")]);
        assert!(tally.add(&good, &good).is_ok());
        let before = tally.agreement();
        assert!(tally.add(&good, &bad).is_err());
        assert_eq!(tally.agreement(), before);
    }
}
