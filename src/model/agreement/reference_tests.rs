//! Tests of the agreement module against values computed elsewhere: the fixtures in
//! `tests/fixtures/agreement/` with the numbers that `tests/agreement_reference.py` got from
//! scikit-learn, statsmodels, krippendorff and scipy (`expected.tsv`); random inputs checked
//! against a naive per-char implementation; and the corpus-scale speed test.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::time::{Duration, Instant};

use proptest::prelude::*;

use super::*;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/agreement");

/// How close a score must be to the reference value.
const TOLERANCE: f64 = 1e-9;

/// A span line of a fixture: (annotator, start, end, label).
type SpanLine = (usize, usize, usize, String);

/// A score's place in `expected.tsv`: (fixture, first, second, label, measure).
type Key = (String, String, String, String, String);

/// A fixture file: `labels`, `annotators`, then `doc LEN` lines each followed by
/// `annotator START END LABEL` lines (tab-separated; `#` starts a comment line).
#[derive(Debug, Default)]
struct Fixture {
    labels: Vec<String>,
    annotators: Vec<String>,
    /// Per document: its length and its spans.
    docs: Vec<(usize, Vec<SpanLine>)>,
}

fn number(field: Option<&str>, line: &str) -> usize {
    let Some(Ok(n)) = field.map(str::parse) else {
        panic!("bad number in fixture line {line:?}");
    };
    n
}

impl Fixture {
    fn read(name: &str) -> Self {
        let path = format!("{FIXTURES}/{name}.tsv");
        let Ok(text) = std::fs::read_to_string(&path) else {
            panic!("cannot read {path}");
        };
        let mut fixture = Self::default();
        for line in text.lines() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let mut fields = line.split('\t');
            match fields.next() {
                Some("labels") => fixture.labels = fields.map(str::to_owned).collect(),
                Some("annotators") => fixture.annotators = fields.map(str::to_owned).collect(),
                Some("doc") => fixture.docs.push((number(fields.next(), line), Vec::new())),
                Some(who) => {
                    let Some(annotator) = fixture.annotators.iter().position(|a| a == who) else {
                        panic!("unknown annotator in {line:?}");
                    };
                    let start = number(fields.next(), line);
                    let end = number(fields.next(), line);
                    let (Some(label), Some((_, spans))) = (fields.next(), fixture.docs.last_mut())
                    else {
                        panic!("bad span line {line:?}");
                    };
                    spans.push((annotator, start, end, label.to_owned()));
                }
                None => {}
            }
        }
        fixture
    }

    fn labels(&self) -> Vec<&str> {
        self.labels.iter().map(String::as_str).collect()
    }

    fn documents(&self, annotator: usize) -> Vec<Document<'_>> {
        self.docs
            .iter()
            .map(|(len, spans)| Document {
                len: *len,
                spans: spans
                    .iter()
                    .filter(|span| span.0 == annotator)
                    .map(|(_, start, end, label)| Annotation {
                        range: CharRange::new(*start, *end).unwrap_or_default(),
                        label,
                    })
                    .collect(),
            })
            .collect()
    }
}

/// `expected.tsv`: (fixture, first, second, label, measure) → value, `None` for "nan".
fn expected() -> BTreeMap<Key, Option<f64>> {
    let path = format!("{FIXTURES}/expected.tsv");
    let Ok(text) = std::fs::read_to_string(&path) else {
        panic!("cannot read {path}");
    };
    let mut values = BTreeMap::new();
    for line in text.lines().skip(1) {
        let fields: Vec<&str> = line.split('\t').collect();
        let [fixture, first, second, label, measure, value] = fields.as_slice() else {
            panic!("bad line {line:?}");
        };
        let value = if *value == "nan" {
            None
        } else {
            let Ok(v) = value.parse::<f64>() else {
                panic!("bad value in {line:?}");
            };
            Some(v)
        };
        let key = [fixture, first, second, label, measure].map(|s| (*s).to_owned());
        let [fixture, first, second, label, measure] = key;
        values.insert((fixture, first, second, label, measure), value);
    }
    values
}

/// Every score of one fixture, keyed like `expected.tsv`.
fn computed(name: &str) -> BTreeMap<Key, Option<f64>> {
    let fixture = Fixture::read(name);
    let labels = fixture.labels();
    let docs: Vec<Vec<Document<'_>>> = (0..fixture.annotators.len())
        .map(|a| fixture.documents(a))
        .collect();
    let refs: Vec<&[Document<'_>]> = docs.iter().map(Vec::as_slice).collect();
    let Ok(result) = group(&labels, &refs) else {
        panic!("{name}: group failed");
    };
    let mut values = BTreeMap::new();
    let mut put = |first: &str, second: &str, label: &str, measure: &str, value: Option<f64>| {
        let key = [name, first, second, label, measure].map(str::to_owned);
        let [fixture, first, second, label, measure] = key;
        values.insert((fixture, first, second, label, measure), value);
    };
    for pair in &result.pairs {
        let (Some(first), Some(second)) = (
            fixture.annotators.get(pair.first),
            fixture.annotators.get(pair.second),
        ) else {
            panic!("{name}: pair out of range");
        };
        let by_label = pair.agreement.labels.iter().map(|(l, s)| (l.as_str(), s));
        for (label, scores) in by_label.chain([("overall", &pair.agreement.overall)]) {
            put(first, second, label, "strict_f1", scores.strict_f1);
            put(first, second, label, "overlap_f1", scores.overlap_f1);
            put(first, second, label, "kappa", scores.kappa);
            put(first, second, label, "alpha", scores.alpha);
        }
    }
    let by_label = result.labels.iter().map(|(l, s)| (l.as_str(), s));
    for (label, scores) in by_label.chain([("overall", &result.overall)]) {
        put("*", "*", label, "fleiss_kappa", scores.fleiss_kappa);
        put("*", "*", label, "alpha", scores.alpha);
    }
    values
}

/// Compares one fixture with the reference values; returns the largest difference.
fn check_fixture(name: &str) -> f64 {
    let expected: BTreeMap<_, _> = expected()
        .into_iter()
        .filter(|(key, _)| key.0 == name)
        .collect();
    let computed = computed(name);
    assert!(!expected.is_empty(), "{name}: no reference values");
    assert_eq!(
        computed.keys().collect::<Vec<_>>(),
        expected.keys().collect::<Vec<_>>(),
        "{name}: the same scores are computed and referenced"
    );
    let mut worst = 0.0_f64;
    for (key, want) in &expected {
        let got = computed.get(key).copied().flatten();
        match (got, want) {
            (Some(got), Some(want)) => {
                let diff = (got - want).abs();
                assert!(diff < TOLERANCE, "{key:?}: got {got}, reference {want}");
                worst = worst.max(diff);
            }
            (None, None) => {}
            _ => panic!("{key:?}: got {got:?}, reference {want:?}"),
        }
    }
    println!(
        "{name}: {} scores, largest difference {worst:e}",
        expected.len()
    );
    worst
}

#[test]
fn tiny_matches_the_hand_computed_reference() {
    check_fixture("tiny");
}

#[test]
fn identical_annotations_score_one_and_unused_labels_are_undefined() {
    check_fixture("identical");
    let fixture = Fixture::read("identical");
    let Ok(agreement) = pairwise(
        &fixture.labels(),
        &fixture.documents(0),
        &fixture.documents(1),
    ) else {
        panic!("valid fixture");
    };
    let one = Scores {
        strict_f1: Some(1.0),
        overlap_f1: Some(1.0),
        kappa: Some(1.0),
        alpha: Some(1.0),
    };
    assert_eq!(agreement.overall, one);
    assert_eq!(agreement.labels.get("Claim"), Some(&one));
    assert_eq!(agreement.labels.get("Disclaimer"), Some(&Scores::default()));
}

#[test]
fn disjoint_annotations_score_zero_f1_and_negative_kappa() {
    check_fixture("disjoint");
    let fixture = Fixture::read("disjoint");
    let Ok(agreement) = pairwise(
        &fixture.labels(),
        &fixture.documents(0),
        &fixture.documents(1),
    ) else {
        panic!("valid fixture");
    };
    assert_eq!(agreement.overall.overlap_f1, Some(0.0));
    assert!(agreement.overall.kappa.is_some_and(|k| k < 0.0));
}

#[test]
fn one_side_empty_matches_the_reference() {
    check_fixture("one_side_empty");
}

#[test]
fn greedy_counterexample_matches_the_reference() {
    check_fixture("greedy");
}

#[test]
fn full_cover_has_undefined_kappa_like_the_python_packages() {
    check_fixture("full_cover");
}

#[test]
fn nothing_annotated_is_undefined_everywhere() {
    check_fixture("unused");
}

#[test]
fn mixed_corpus_matches_the_reference() {
    check_fixture("mixed");
    let fixture = Fixture::read("mixed");
    let Ok(agreement) = pairwise(
        &fixture.labels(),
        &fixture.documents(0),
        &fixture.documents(1),
    ) else {
        panic!("valid fixture");
    };
    assert_eq!(agreement.ignored_spans, [1, 1]);
    assert_eq!((agreement.documents, agreement.chars), (3, 580));
}

#[test]
fn group_of_four_matches_the_reference() {
    check_fixture("group");
}

#[test]
fn every_fixture_has_reference_values() {
    let Ok(entries) = std::fs::read_dir(FIXTURES) else {
        panic!("cannot list {FIXTURES}");
    };
    let referenced: BTreeSet<String> = expected().into_keys().map(|key| key.0).collect();
    let mut worst = 0.0_f64;
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if let Some(stem) = name.strip_suffix(".tsv").filter(|s| *s != "expected") {
            assert!(referenced.contains(stem), "{stem} has no reference values");
            worst = worst.max(check_fixture(stem));
        }
    }
    println!("all fixtures: largest difference from the references {worst:e}");
}

// Random inputs against a naive per-char implementation.

const LABELS: [&str; 3] = ["Claim", "Quote", "Disclaimer"];

/// Random documents: (len, spans as (start, end, label index)) for `raters` annotators.
fn corpus(raters: usize) -> impl Strategy<Value = Vec<Vec<Document<'static>>>> {
    let doc = (0_usize..120).prop_flat_map(move |len| {
        let span = (0..len.max(1), 1_usize..40, 0..LABELS.len());
        proptest::collection::vec(proptest::collection::vec(span, 0..8), raters).prop_map(
            move |per_rater| {
                per_rater
                    .into_iter()
                    .map(|spans| Document {
                        len,
                        spans: spans
                            .into_iter()
                            .filter(|&(start, _, _)| start < len)
                            .map(|(start, span_len, label)| Annotation {
                                range: CharRange::new(start, (start + span_len).min(len))
                                    .unwrap_or_default(),
                                label: LABELS.get(label).copied().unwrap_or("Claim"),
                            })
                            .collect(),
                    })
                    .collect::<Vec<_>>()
            },
        )
    });
    proptest::collection::vec(doc, 0..5).prop_map(move |docs| {
        // Transpose docs × raters into raters × docs.
        let mut by_rater = vec![Vec::new(); raters];
        for row in docs {
            for (rater, doc) in row.into_iter().enumerate() {
                if let Some(docs) = by_rater.get_mut(rater) {
                    docs.push(doc);
                }
            }
        }
        by_rater
    })
}

/// Each rater's category (set of label indices, restricted to `labels`) of every char.
fn naive_categories(labels: &[&str], raters: &[Vec<Document<'_>>]) -> Vec<Vec<BTreeSet<usize>>> {
    raters
        .iter()
        .map(|docs| {
            let mut chars = Vec::new();
            for doc in docs {
                let mut here = vec![BTreeSet::new(); doc.len];
                for span in &doc.spans {
                    if let Some(label) = labels.iter().position(|l| *l == span.label) {
                        for set in here.get_mut(span.range.as_range()).into_iter().flatten() {
                            set.insert(label);
                        }
                    }
                }
                chars.extend(here);
            }
            chars
        })
        .collect()
}

/// κ, Fleiss' κ and α straight from the textbook formulas on per-char values.
fn naive_coefficients<T: Ord + Clone>(
    values: &[Vec<T>],
) -> (Option<f64>, Option<f64>, Option<f64>) {
    let m = values.len();
    let n_units = values.first().map_or(0, Vec::len);
    let mut totals: BTreeMap<T, f64> = BTreeMap::new();
    let mut per_rater: Vec<BTreeMap<T, f64>> = vec![BTreeMap::new(); m];
    let mut agreeing_pairs = 0.0;
    let mut p_bar = 0.0;
    for u in 0..n_units {
        let mut counts: BTreeMap<T, f64> = BTreeMap::new();
        for (rater, column) in values.iter().enumerate() {
            if let Some(v) = column.get(u) {
                *counts.entry(v.clone()).or_default() += 1.0;
                *totals.entry(v.clone()).or_default() += 1.0;
                if let Some(map) = per_rater.get_mut(rater) {
                    *map.entry(v.clone()).or_default() += 1.0;
                }
            }
        }
        let sq: f64 = counts.values().map(|c| c * c).sum();
        agreeing_pairs += (sq - m as f64) / 2.0;
        p_bar += (sq - m as f64) / (m as f64 * (m as f64 - 1.0));
    }
    let n = n_units as f64;
    let cohen = match per_rater.as_slice() {
        [a, b] if n_units > 0 => {
            let p_o = agreeing_pairs / n;
            let p_e: f64 = a
                .iter()
                .map(|(k, ca)| ca / n * b.get(k).copied().unwrap_or(0.0) / n)
                .sum();
            (totals.len() > 1).then(|| (p_o - p_e) / (1.0 - p_e))
        }
        _ => None,
    };
    let total = n * m as f64;
    let p_e: f64 = totals.values().map(|c| (c / total) * (c / total)).sum();
    let fleiss = (n_units > 0 && totals.len() > 1).then(|| (p_bar / n - p_e) / (1.0 - p_e));
    // α: observed disagreement from coincidences, expected from the pooled totals.
    let d_o = (n * (m * m) as f64 - 2.0 * agreeing_pairs - total) / (m as f64 - 1.0) / total;
    let d_e =
        (total * total - totals.values().map(|c| c * c).sum::<f64>()) / (total * (total - 1.0));
    let alpha = (n_units > 0 && totals.len() > 1).then(|| 1.0 - d_o / d_e);
    (cohen, fleiss, alpha)
}

fn close(x: Option<f64>, y: Option<f64>) -> bool {
    match (x, y) {
        (Some(x), Some(y)) => (x - y).abs() < TOLERANCE,
        (None, None) => true,
        _ => false,
    }
}

/// Maximum matching by plain augmenting paths (Kuhn), for comparison with Hopcroft–Karp.
fn naive_overlap_matches(a: &[(usize, usize)], b: &[(usize, usize)]) -> usize {
    fn try_match(
        u: usize,
        a: &[(usize, usize)],
        b: &[(usize, usize)],
        seen: &mut [bool],
        owner: &mut [Option<usize>],
    ) -> bool {
        let Some(&(s1, e1)) = a.get(u) else {
            return false;
        };
        for (v, &(s2, e2)) in b.iter().enumerate() {
            if s1 < e2 && s2 < e1 && !seen.get(v).copied().unwrap_or(true) {
                if let Some(s) = seen.get_mut(v) {
                    *s = true;
                }
                let current = owner.get(v).copied().flatten();
                if current.is_none_or(|w| try_match(w, a, b, seen, owner)) {
                    if let Some(o) = owner.get_mut(v) {
                        *o = Some(u);
                    }
                    return true;
                }
            }
        }
        false
    }
    let mut owner = vec![None; b.len()];
    (0..a.len())
        .filter(|&u| try_match(u, a, b, &mut vec![false; b.len()], &mut owner))
        .count()
}

proptest! {
    #[test]
    fn self_agreement_is_perfect_or_undefined(docs in corpus(1)) {
        let a = docs.first().cloned().unwrap_or_default();
        let Ok(agreement) = pairwise(&LABELS, &a, &a) else {
            panic!("valid input");
        };
        let overall = (&String::new(), &agreement.overall);
        for (label, scores) in agreement.labels.iter().chain([overall]) {
            for value in [scores.strict_f1, scores.overlap_f1, scores.kappa, scores.alpha] {
                let perfect = value.is_none_or(|v| (v - 1.0).abs() < TOLERANCE);
                prop_assert!(perfect, "{label}: {scores:?}");
            }
        }
        for (label, counts) in &agreement.label_counts {
            let scores = agreement.labels.get(label).copied().unwrap_or_default();
            prop_assert_eq!(scores.strict_f1.is_some(), counts.a > 0);
            prop_assert_eq!(scores.overlap_f1.is_some(), counts.a > 0);
        }
    }

    #[test]
    fn f1_kappa_and_alpha_are_symmetric(docs in corpus(2)) {
        let (Some(a), Some(b)) = (docs.first(), docs.get(1)) else {
            panic!("two raters");
        };
        let (Ok(ab), Ok(ba)) = (pairwise(&LABELS, a, b), pairwise(&LABELS, b, a)) else {
            panic!("valid input");
        };
        let forward = ab.labels.values().chain([&ab.overall]);
        let backward = ba.labels.values().chain([&ba.overall]);
        for (x, y) in forward.zip(backward) {
            prop_assert_eq!(x.strict_f1, y.strict_f1);
            prop_assert_eq!(x.overlap_f1, y.overlap_f1);
            prop_assert!(close(x.kappa, y.kappa) && close(x.alpha, y.alpha), "{x:?} vs {y:?}");
        }
    }

    #[test]
    fn pair_scores_match_the_per_char_textbook_formulas(docs in corpus(2)) {
        let (Some(a), Some(b)) = (docs.first(), docs.get(1)) else {
            panic!("two raters");
        };
        let labels = ["Quote", "Claim"]; // Disclaimer spans are ignored.
        let Ok(agreement) = pairwise(&labels, a, b) else {
            panic!("valid input");
        };
        let categories = naive_categories(&labels, &docs);
        let (kappa, _, alpha) = naive_coefficients(&categories);
        let overall = agreement.overall;
        prop_assert!(close(overall.kappa, kappa), "{overall:?} vs {kappa:?}");
        prop_assert!(close(overall.alpha, alpha), "{overall:?} vs {alpha:?}");
        for (index, label) in labels.iter().enumerate() {
            let binary: Vec<Vec<bool>> = categories
                .iter()
                .map(|chars| chars.iter().map(|set| set.contains(&index)).collect())
                .collect();
            let (kappa, _, alpha) = naive_coefficients(&binary);
            let scores = agreement.labels.get(*label).copied().unwrap_or_default();
            let same = close(scores.kappa, kappa) && close(scores.alpha, alpha);
            prop_assert!(same, "{label}: {scores:?} vs {kappa:?} {alpha:?}");

            let mut matches = 0;
            let mut strict = 0;
            for (doc_a, doc_b) in a.iter().zip(b) {
                let spans = |doc: &Document<'_>| -> Vec<(usize, usize)> {
                    doc.spans
                        .iter()
                        .filter(|s| s.label == *label)
                        .map(|s| (s.range.start().get(), s.range.end().get()))
                        .collect()
                };
                let (sa, sb) = (spans(doc_a), spans(doc_b));
                matches += naive_overlap_matches(&sa, &sb);
                let mut left: HashMap<(usize, usize), usize> = HashMap::new();
                for s in &sa {
                    *left.entry(*s).or_default() += 1;
                }
                for s in &sb {
                    if let Some(n) = left.get_mut(s).filter(|n| **n > 0) {
                        *n -= 1;
                        strict += 1;
                    }
                }
            }
            let counts = agreement.label_counts.get(*label).copied().unwrap_or_default();
            prop_assert_eq!(counts.overlap_matches, matches);
            prop_assert_eq!(counts.strict_matches, strict);
        }
    }

    #[test]
    fn group_scores_match_the_per_char_textbook_formulas(docs in corpus(4)) {
        let refs: Vec<&[Document<'_>]> = docs.iter().map(Vec::as_slice).collect();
        let Ok(result) = group(&LABELS, &refs) else {
            panic!("valid input");
        };
        let categories = naive_categories(&LABELS, &docs);
        let (_, fleiss, alpha) = naive_coefficients(&categories);
        let overall = result.overall;
        prop_assert!(close(overall.fleiss_kappa, fleiss), "{overall:?} vs {fleiss:?}");
        prop_assert!(close(overall.alpha, alpha), "{overall:?} vs {alpha:?}");
        for (index, label) in LABELS.iter().enumerate() {
            let binary: Vec<Vec<bool>> = categories
                .iter()
                .map(|chars| chars.iter().map(|set| set.contains(&index)).collect())
                .collect();
            let (_, fleiss, alpha) = naive_coefficients(&binary);
            let scores = result.labels.get(*label).copied().unwrap_or_default();
            let same = close(scores.fleiss_kappa, fleiss) && close(scores.alpha, alpha);
            prop_assert!(same, "{label}: {scores:?} vs {fleiss:?} {alpha:?}");
        }
        prop_assert_eq!(result.pairs.len(), 6);
    }
}

// Speed on a corpus of the size the brief names.

/// `SplitMix64`: a small deterministic generator, so the corpus is the same on every run.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// Two annotators: b keeps a's span with its boundaries nudged, a third of the time drops
/// it, and sometimes adds one of its own; both have 50 spans per document.
fn synthetic_corpus(docs: usize, len: usize, spans: usize) -> [Vec<Document<'static>>; 2] {
    let mut rng = SplitMix(7);
    let mut a = Vec::with_capacity(docs);
    let mut b = Vec::with_capacity(docs);
    for _ in 0..docs {
        let mut doc_a = Vec::with_capacity(spans);
        let mut doc_b = Vec::with_capacity(spans);
        for _ in 0..spans {
            let start = rng.below(len - 1);
            let end = (start + 1 + rng.below(200)).min(len);
            let label = LABELS
                .get(rng.below(LABELS.len()))
                .copied()
                .unwrap_or("Claim");
            let span = |start: usize, end: usize| Annotation {
                range: CharRange::new(start, end).unwrap_or_default(),
                label,
            };
            doc_a.push(span(start, end));
            match rng.below(3) {
                0 => doc_b.push(span(start, end)),
                1 => {
                    let s = start.saturating_sub(rng.below(5));
                    let e = (end + rng.below(5)).min(len);
                    doc_b.push(span(s, e));
                }
                _ => {
                    let s = rng.below(len - 1);
                    doc_b.push(span(s, (s + 1 + rng.below(200)).min(len)));
                }
            }
        }
        a.push(Document { len, spans: doc_a });
        b.push(Document { len, spans: doc_b });
    }
    [a, b]
}

#[test]
#[ignore = "speed test: cargo test --release --lib agreement -- --ignored --nocapture"]
fn corpus_of_ten_thousand_documents_is_fast() {
    let [a, b] = synthetic_corpus(10_000, 5_000, 50);
    let mut times: Vec<Duration> = (0..3)
        .map(|_| {
            let started = Instant::now();
            let result = pairwise(&LABELS, &a, &b);
            let elapsed = started.elapsed();
            assert!(result.is_ok_and(|r| r.chars == 50_000_000));
            elapsed
        })
        .collect();
    times.sort();
    let median = times.get(1).copied().unwrap_or_default();
    println!(
        "pairwise, 10,000 docs × 5,000 chars × 50 spans per annotator: median of 3 {median:?} ({times:?})"
    );
    assert!(median < Duration::from_secs(1), "median {median:?}");
}
