//! Per-char agreement without per-char vectors: a sweep over span boundaries cuts each
//! document into segments where every annotator's set of covering labels is constant, and
//! adds `segment length × counts` to a few tallies. Cohen's κ, Fleiss' κ and Krippendorff's α
//! are then exact integer ratios of those tallies.
//!
//! For a unit (char) `u` and category `c` let `n_uc` be how many raters put `u` in `c`, `m`
//! the raters, `N` the units. All three coefficients need only `N`, each rater's category
//! totals and `Σ_u Σ_c n_uc²` (with two raters that sum is 4 for an agreeing char, else 2).

use std::collections::HashMap;

/// A span of a compared label, resolved to indices and checked: `start < end <= len`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Placed {
    /// Position of the annotator.
    pub rater: usize,
    /// Position of the label in the compared labels.
    pub label: usize,
    /// First char.
    pub start: usize,
    /// First char after.
    pub end: usize,
}

/// A span boundary.
#[derive(Clone, Copy, Debug)]
struct Event {
    pos: usize,
    rater: usize,
    label: usize,
    opens: bool,
}

/// Bit `label` of a label set stored as 64-bit words.
fn word_and_bit(label: usize) -> (usize, u64) {
    (label / 64, 1 << (label % 64))
}

/// The running tallies of one group of raters (two for a pair) over any number of documents.
#[derive(Debug)]
pub(super) struct CharSweep {
    raters: usize,
    labels: usize,
    /// Words per label set.
    words: usize,
    /// Every label set seen so far (an overall category) and its id; the empty set is id 0.
    categories: HashMap<Box<[u64]>, usize>,
    /// Chars per rater per overall category id: `overall[rater][id]`.
    overall: Vec<Vec<u64>>,
    /// `Σ_u Σ_c n_uc²` over overall categories.
    overall_sum_sq: u128,
    /// Chars covered per rater and label: `covered[rater * labels + label]`.
    covered: Vec<u64>,
    /// Per label, `Σ_u n_u1²` where `n_u1` is how many raters cover `u` with the label.
    label_sum_sq: Vec<u128>,
    /// Chars seen.
    units: u64,
    // Sweep state, all zero between documents.
    events: Vec<Event>,
    /// How many spans of a label cover the current char: `depth[rater * labels + label]`.
    depth: Vec<u32>,
    /// The current label set of each rater: `bits[rater * words + word]`.
    bits: Vec<u64>,
    /// The current category id of each rater.
    current: Vec<usize>,
    dirty: Vec<bool>,
}

impl CharSweep {
    pub(super) fn new(raters: usize, labels: usize) -> Self {
        let words = labels.div_ceil(64).max(1);
        let mut categories = HashMap::new();
        categories.insert(vec![0; words].into_boxed_slice(), 0);
        Self {
            raters,
            labels,
            words,
            categories,
            overall: vec![vec![0]; raters],
            overall_sum_sq: 0,
            covered: vec![0; raters * labels],
            label_sum_sq: vec![0; labels],
            units: 0,
            events: Vec::new(),
            depth: vec![0; raters * labels],
            bits: vec![0; raters * words],
            current: vec![0; raters],
            dirty: vec![false; raters],
        }
    }

    /// Chars seen so far.
    pub(super) fn units(&self) -> u64 {
        self.units
    }

    /// Adds a document of `len` chars whose spans (all raters together) are `spans`.
    pub(super) fn add(&mut self, len: usize, spans: &[Placed]) {
        let mut events = std::mem::take(&mut self.events);
        events.clear();
        for span in spans {
            debug_assert!(
                span.start < span.end && span.end <= len,
                "checked by the caller"
            );
            events.push(Event {
                pos: span.start,
                rater: span.rater,
                label: span.label,
                opens: true,
            });
            events.push(Event {
                pos: span.end,
                rater: span.rater,
                label: span.label,
                opens: false,
            });
        }
        events.sort_unstable_by_key(|e| e.pos);
        let mut prev = 0;
        for event in &events {
            if event.pos > prev {
                self.refresh_categories();
                self.segment(event.pos - prev);
                prev = event.pos;
            }
            self.apply(*event);
        }
        self.refresh_categories();
        self.segment(len.saturating_sub(prev));
        debug_assert!(self.depth.iter().all(|&d| d == 0), "every span closes");
        self.events = events;
    }

    /// Opens or closes one span; a char covered twice by a label is still covered once.
    fn apply(&mut self, event: Event) {
        let Some(depth) = self.depth.get_mut(event.rater * self.labels + event.label) else {
            return;
        };
        let was_covered = *depth > 0;
        if event.opens {
            *depth += 1;
        } else {
            *depth = depth.saturating_sub(1);
        }
        if was_covered != (*depth > 0) {
            let (word, bit) = word_and_bit(event.label);
            if let Some(w) = self.bits.get_mut(event.rater * self.words + word) {
                *w ^= bit;
            }
            if let Some(dirty) = self.dirty.get_mut(event.rater) {
                *dirty = true;
            }
        }
    }

    /// Re-reads the category of every rater whose label set changed.
    fn refresh_categories(&mut self) {
        for rater in 0..self.raters {
            if !self.dirty.get(rater).copied().unwrap_or(false) {
                continue;
            }
            let Some(set) = self.bits.get(rater * self.words..(rater + 1) * self.words) else {
                continue;
            };
            let id = if let Some(&id) = self.categories.get(set) {
                id
            } else {
                let id = self.categories.len();
                self.categories.insert(set.into(), id);
                for per_category in &mut self.overall {
                    per_category.resize(id + 1, 0);
                }
                id
            };
            if let Some(current) = self.current.get_mut(rater) {
                *current = id;
            }
            if let Some(dirty) = self.dirty.get_mut(rater) {
                *dirty = false;
            }
        }
    }

    /// Adds `len` chars in the current state.
    fn segment(&mut self, len: usize) {
        if len == 0 {
            return;
        }
        let len = len as u64;
        self.units += len;

        // Overall: Σ_c n_uc² = m + 2·(pairs of raters in the same category).
        let mut same = 0_u64;
        for (r, id) in self.current.iter().enumerate() {
            same += self
                .current
                .iter()
                .skip(r + 1)
                .filter(|other| *other == id)
                .count() as u64;
            if let Some(chars) = self.overall.get_mut(r).and_then(|row| row.get_mut(*id)) {
                *chars += len;
            }
        }
        self.overall_sum_sq += u128::from(len) * u128::from(self.raters as u64 + 2 * same);

        // Per label: only labels that some rater has here cost anything.
        for word in 0..self.words {
            let mut union = 0;
            for rater in 0..self.raters {
                union |= self
                    .bits
                    .get(rater * self.words + word)
                    .copied()
                    .unwrap_or(0);
            }
            while union != 0 {
                let label = word * 64 + union.trailing_zeros() as usize;
                union &= union - 1;
                let (_, bit) = word_and_bit(label);
                let mut raters_covering = 0_u64;
                for rater in 0..self.raters {
                    let has = self
                        .bits
                        .get(rater * self.words + word)
                        .is_some_and(|w| w & bit != 0);
                    if has {
                        raters_covering += 1;
                        if let Some(c) = self.covered.get_mut(rater * self.labels + label) {
                            *c += len;
                        }
                    }
                }
                if let Some(s) = self.label_sum_sq.get_mut(label) {
                    *s += u128::from(len) * u128::from(raters_covering * raters_covering);
                }
            }
        }
    }

    /// The binary (covered or not) tally of one label.
    pub(super) fn label_tally(&self, label: usize) -> Tally {
        let m = i128::try_from(self.raters).unwrap_or(i128::MAX);
        let n = i128::from(self.units);
        let per_rater: Vec<[i128; 2]> = (0..self.raters)
            .map(|rater| {
                let covered = self
                    .covered
                    .get(rater * self.labels + label)
                    .map_or(0, |&c| i128::from(c));
                [n - covered, covered]
            })
            .collect();
        let s1: i128 = per_rater.iter().map(|[_, covered]| covered).sum();
        let s2 = self
            .label_sum_sq
            .get(label)
            .map_or(0, |&s| i128::try_from(s).unwrap_or(i128::MAX));
        // Σ_u [n_u1² + (m − n_u1)²] = 2·Σn_u1² − 2m·Σn_u1 + N·m².
        let sum_sq = 2 * s2 - 2 * m * s1 + n * m * m;
        Tally {
            units: n,
            raters: m,
            per_rater: per_rater.into_iter().map(Vec::from).collect(),
            sum_sq,
        }
    }

    /// The tally over label sets.
    pub(super) fn overall_tally(&self) -> Tally {
        Tally {
            units: i128::from(self.units),
            raters: i128::try_from(self.raters).unwrap_or(i128::MAX),
            per_rater: self
                .overall
                .iter()
                .map(|row| row.iter().map(|&c| i128::from(c)).collect())
                .collect(),
            sum_sq: i128::try_from(self.overall_sum_sq).unwrap_or(i128::MAX),
        }
    }
}

/// Everything κ and α need about one variable (a label, or the label sets) rated by m raters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Tally {
    /// N: units (chars).
    units: i128,
    /// m: raters.
    raters: i128,
    /// Units per rater per category, every row of the same length.
    per_rater: Vec<Vec<i128>>,
    /// `Σ_u Σ_c n_uc²`.
    sum_sq: i128,
}

impl Tally {
    /// `n_c`: units × raters per category.
    fn totals(&self) -> Vec<i128> {
        let mut totals = Vec::new();
        for row in &self.per_rater {
            if totals.len() < row.len() {
                totals.resize(row.len(), 0);
            }
            for (total, count) in totals.iter_mut().zip(row) {
                *total += count;
            }
        }
        totals
    }

    /// Cohen's `κ = (p_o − p_e) / (1 − p_e)` for exactly two raters; `None` when `p_e = 1`.
    pub(super) fn cohen_kappa(&self) -> Option<f64> {
        let [a, b] = self.per_rater.as_slice() else {
            return None;
        };
        let n = self.units;
        // Two raters: Σ_c n_uc² is 4 where they agree, 2 where not.
        let agree = (self.sum_sq - 2 * n) / 2;
        let chance: i128 = a.iter().zip(b).map(|(x, y)| x * y).sum();
        // Multiplied through by N²: (N·agree − Σ a_c·b_c) / (N² − Σ a_c·b_c).
        ratio(n * agree - chance, n * n - chance)
    }

    /// Fleiss' `κ = (P̄ − P̄_e) / (1 − P̄_e)`; `None` when only one category occurs.
    pub(super) fn fleiss_kappa(&self) -> Option<f64> {
        let m = self.raters;
        let t = self.units * m;
        let sum_sq_totals: i128 = self.totals().iter().map(|c| c * c).sum();
        // P̄ = (Σ_u Σ_c n_uc² − N·m) / (N·m·(m − 1)) and P̄_e = Σ_c n_c² / (N·m)²;
        // multiplied through by (N·m)²·(m − 1).
        ratio(
            (self.sum_sq - t) * t - (m - 1) * sum_sq_totals,
            (m - 1) * (t * t - sum_sq_totals),
        )
    }

    /// Krippendorff's α (nominal, no missing values) `= 1 − D_o / D_e`; `None` when only one
    /// category occurs (`D_e = 0`).
    pub(super) fn krippendorff_alpha(&self) -> Option<f64> {
        let m = self.raters;
        let n = self.units * m;
        let sum_sq_totals: i128 = self.totals().iter().map(|c| c * c).sum();
        // Off-diagonal coincidences: Σ_u (m² − Σ_c n_uc²) / (m − 1); D_o is that over n.
        // D_e = (n² − Σ_c n_c²) / (n·(n − 1)). So α = 1 − (n − 1)·disagree / expected with:
        let disagree = self.units * m * m - self.sum_sq;
        let expected = (m - 1) * (n * n - sum_sq_totals);
        ratio(expected - (n - 1) * disagree, expected)
    }
}

/// `num / den` as a float, `None` when `den` is 0. Both are exact integers, so the only
/// rounding is the final division's.
fn ratio(num: i128, den: i128) -> Option<f64> {
    (den != 0).then(|| num as f64 / den as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn placed(rater: usize, label: usize, start: usize, end: usize) -> Placed {
        Placed {
            rater,
            label,
            start,
            end,
        }
    }

    #[test]
    fn a_char_covered_twice_by_one_label_counts_once() {
        let mut sweep = CharSweep::new(2, 1);
        sweep.add(
            10,
            &[placed(0, 0, 0, 6), placed(0, 0, 2, 4), placed(1, 0, 0, 6)],
        );
        let tally = sweep.label_tally(0);
        assert_eq!(tally.per_rater, vec![vec![4, 6], vec![4, 6]]);
        assert_eq!(tally.cohen_kappa(), Some(1.0));
        assert_eq!(sweep.overall_tally().cohen_kappa(), Some(1.0));
    }

    #[test]
    fn nested_labels_make_a_set_category() {
        // Rater 0: Claim [0,8) with Quote [2,4) inside; rater 1: Claim [0,8) only.
        let mut sweep = CharSweep::new(2, 2);
        sweep.add(
            10,
            &[placed(0, 0, 0, 8), placed(0, 1, 2, 4), placed(1, 0, 0, 8)],
        );
        let overall = sweep.overall_tally();
        // Categories: {} = 0, {Claim} = 1, {Claim, Quote} = 2.
        assert_eq!(overall.per_rater, vec![vec![2, 6, 2], vec![2, 8, 0]]);
        // Agreeing chars: 8 of 10, so Σ n² = 8·4 + 2·2.
        assert_eq!(overall.sum_sq, 36);
    }

    #[test]
    fn categories_are_shared_across_documents_and_reset_between_them() {
        let mut sweep = CharSweep::new(2, 1);
        sweep.add(4, &[placed(0, 0, 2, 4)]);
        sweep.add(4, &[placed(1, 0, 0, 2)]);
        assert_eq!(sweep.units(), 8);
        let tally = sweep.overall_tally();
        assert_eq!(tally.per_rater, vec![vec![6, 2], vec![6, 2]]);
        // Agree on 4 chars: (8·4 − (36 + 4)) / (64 − 40) = −1/3.
        assert_eq!(tally.cohen_kappa(), Some(-1.0 / 3.0));
    }

    #[test]
    fn many_labels_spill_into_a_second_word() {
        let mut sweep = CharSweep::new(3, 70);
        sweep.add(
            10,
            &[placed(0, 69, 0, 5), placed(1, 69, 0, 5), placed(2, 3, 0, 5)],
        );
        let tally = sweep.label_tally(69);
        assert_eq!(tally.per_rater, vec![vec![5, 5], vec![5, 5], vec![10, 0]]);
        assert_eq!(sweep.overall_tally().per_rater.len(), 3);
    }

    #[test]
    fn one_category_is_undefined() {
        let mut sweep = CharSweep::new(3, 1);
        sweep.add(
            10,
            &[
                placed(0, 0, 0, 10),
                placed(1, 0, 0, 10),
                placed(2, 0, 0, 10),
            ],
        );
        let tally = sweep.label_tally(0);
        assert_eq!(tally.fleiss_kappa(), None);
        assert_eq!(tally.krippendorff_alpha(), None);
        let empty = CharSweep::new(2, 1).overall_tally();
        assert_eq!(empty.cohen_kappa(), None);
        assert_eq!(empty.krippendorff_alpha(), None);
    }
}
