//! The sorted collection of a project's spans, with range queries.
//!
//! Spans are kept in one `Vec` sorted by [`Span::sort_key`], so document order is free and
//! every lookup is a `partition_point`. Overlap queries ("which spans touch chars
//! `[a, b)`?") look at spans starting in `[a - LONG_SPAN_CHARS, b)`; the few spans longer
//! than that are listed apart and always checked. Nothing here scans the whole collection
//! except `iter` and the statistics helpers.
//!
//! ```text
//!   text:   Putin rejected the offer
//!   spans:  [Claim:0..14]  [Quote:6..24]  (overlapping is fine)
//!   overlapping(10..12) = both
//! ```

use std::collections::HashMap;

use super::label::LabelId;
use super::offset::{CharOffset, CharRange};
use super::span::{Span, SpanId, Status};

/// Spans longer than this are kept in the short list of long spans for overlap queries.
const LONG_SPAN_CHARS: usize = 2048;

/// Why a span cannot be inserted.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SpanSetError {
    /// A span with this id is already present.
    #[error("span id {0} is used twice")]
    DuplicateId(u64),
    /// The same range already carries the same label.
    #[error("a {label:?} span already covers {range}")]
    Duplicate {
        /// The range, as chars.
        range: CharRange,
        /// The label id.
        label: LabelId,
    },
    /// Empty spans are meaningless.
    #[error("span {0} is empty")]
    Empty(u64),
}

/// All spans of a project, sorted by start.
#[derive(Clone, Debug, Default)]
pub struct SpanSet {
    spans: Vec<Span>,
    /// Range and label of each span by id, to find it again by binary search.
    keys: HashMap<SpanId, (CharRange, LabelId)>,
    /// Ids of spans longer than [`LONG_SPAN_CHARS`].
    long: Vec<SpanId>,
    /// Per label id, how many spans have each status (indexed like [`Status::ALL`]), so
    /// that counts in the panels are O(1) every frame.
    counts: Vec<[usize; 4]>,
    /// Spans per status, indexed like [`Status::ALL`].
    by_status: [usize; 4],
    next_id: u64,
    revision: u64,
}

impl PartialEq for SpanSet {
    fn eq(&self, other: &Self) -> bool {
        self.spans == other.spans
    }
}

impl Eq for SpanSet {}

impl<'a> IntoIterator for &'a SpanSet {
    type Item = &'a Span;
    type IntoIter = std::slice::Iter<'a, Span>;

    fn into_iter(self) -> Self::IntoIter {
        self.spans.iter()
    }
}

impl SpanSet {
    /// Number of spans.
    #[must_use]
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// True when there are none.
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// Bumped by every change; caches of anything derived from spans key on it.
    #[must_use]
    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// An id no span of this set has had.
    #[must_use]
    pub fn fresh_id(&self) -> SpanId {
        SpanId(self.next_id)
    }

    /// All spans in document order.
    pub fn iter(&self) -> std::slice::Iter<'_, Span> {
        self.spans.iter()
    }

    /// The span at position `i` in document order.
    #[must_use]
    pub fn at(&self, i: usize) -> Option<&Span> {
        self.spans.get(i)
    }

    /// How many annotations (confirmed or needing review, not suggestions) carry `label`.
    #[must_use]
    pub fn count(&self, label: LabelId) -> usize {
        self.count_with(label, Status::Confirmed) + self.count_with(label, Status::NeedsReview)
    }

    /// How many spans carry `label` and have `status`; O(1).
    #[must_use]
    pub fn count_with(&self, label: LabelId, status: Status) -> usize {
        self.counts
            .get(usize::from(label.0))
            .and_then(|c| c.get(status_index(status)))
            .copied()
            .unwrap_or(0)
    }

    /// How many spans have `status`; O(1).
    #[must_use]
    pub fn status_count(&self, status: Status) -> usize {
        self.by_status
            .get(status_index(status))
            .copied()
            .unwrap_or(0)
    }

    /// How many spans need review; O(1).
    #[must_use]
    pub fn needs_review_count(&self) -> usize {
        self.status_count(Status::NeedsReview)
    }

    /// How many spans are annotations (confirmed or needing review); O(1).
    #[must_use]
    pub fn annotation_count(&self) -> usize {
        self.status_count(Status::Confirmed) + self.status_count(Status::NeedsReview)
    }

    /// Position of span `id` in document order.
    #[must_use]
    pub fn index_of(&self, id: SpanId) -> Option<usize> {
        let &(range, label) = self.keys.get(&id)?;
        let key = (range.start().0, range.end().0, label, id);
        self.spans.binary_search_by(|s| s.sort_key().cmp(&key)).ok()
    }

    /// The span with this id.
    #[must_use]
    pub fn get(&self, id: SpanId) -> Option<&Span> {
        self.index_of(id).and_then(|i| self.spans.get(i))
    }

    /// The id of the span covering exactly `range` with `label`, if there is one.
    #[must_use]
    pub fn find(&self, range: CharRange, label: LabelId) -> Option<SpanId> {
        let key = (range.start().0, range.end().0, label);
        let i = self
            .spans
            .partition_point(|s| (s.range.start().0, s.range.end().0, s.label) < key);
        self.spans
            .get(i)
            .filter(|s| (s.range.start().0, s.range.end().0, s.label) == key)
            .map(|s| s.id)
    }

    /// Add a span, keeping the order. Refuses empty spans, reused ids and a second span
    /// with the same range and label.
    pub fn insert(&mut self, span: Span) -> Result<(), SpanSetError> {
        if span.range.is_empty() {
            return Err(SpanSetError::Empty(span.id.0));
        }
        if self.keys.contains_key(&span.id) {
            return Err(SpanSetError::DuplicateId(span.id.0));
        }
        if self.find(span.range, span.label).is_some() {
            return Err(SpanSetError::Duplicate {
                range: span.range,
                label: span.label,
            });
        }
        let key = span.sort_key();
        let i = self.spans.partition_point(|s| s.sort_key() < key);
        self.keys.insert(span.id, (span.range, span.label));
        if span.range.len() > LONG_SPAN_CHARS {
            self.long.push(span.id);
        }
        self.next_id = self.next_id.max(span.id.0.saturating_add(1));
        self.tally(&span, true);
        self.spans.insert(i, span);
        self.revision += 1;
        Ok(())
    }

    /// Remove span `id` and return it.
    pub fn remove(&mut self, id: SpanId) -> Option<Span> {
        let i = self.index_of(id)?;
        let span = self.spans.remove(i);
        self.keys.remove(&id);
        self.long.retain(|&l| l != id);
        self.tally(&span, false);
        self.revision += 1;
        Some(span)
    }

    /// Count `span` in (or out of) the per-label and per-status tallies.
    fn tally(&mut self, span: &Span, add: bool) {
        let label = usize::from(span.label.0);
        if self.counts.len() <= label {
            self.counts.resize(label + 1, [0; 4]);
        }
        let status = status_index(span.status);
        let cells = [
            self.counts.get_mut(label).and_then(|c| c.get_mut(status)),
            self.by_status.get_mut(status),
        ];
        for cell in cells.into_iter().flatten() {
            *cell = if add {
                *cell + 1
            } else {
                cell.saturating_sub(1)
            };
        }
    }

    /// Spans sharing at least one char with `range`, in document order.
    #[must_use]
    pub fn overlapping(&self, range: CharRange) -> Vec<&Span> {
        let window_start = range.start().0.saturating_sub(LONG_SPAN_CHARS);
        let first = self
            .spans
            .partition_point(|s| s.range.start().0 < window_start);
        let mut out: Vec<&Span> = self
            .spans
            .get(first..)
            .unwrap_or_default()
            .iter()
            .take_while(|s| s.range.start() < range.end())
            .filter(|s| s.range.overlaps(range) && s.range.len() <= LONG_SPAN_CHARS)
            .collect();
        let long = self
            .long
            .iter()
            .filter_map(|&id| self.get(id))
            .filter(|s| s.range.overlaps(range));
        let had_long = out.len();
        out.extend(long);
        if out.len() != had_long {
            out.sort_by_key(|s| s.sort_key());
        }
        out
    }

    /// The innermost (shortest) span containing `offset`, preferring the latest start.
    #[must_use]
    pub fn innermost_at(&self, offset: CharOffset) -> Option<&Span> {
        let probe = CharRange::between(offset, offset + 1);
        self.overlapping(probe)
            .into_iter()
            .min_by_key(|s| (s.range.len(), std::cmp::Reverse(s.range.start())))
    }

    /// Number of chars covered by at least one span.
    #[must_use]
    pub fn covered_chars(&self) -> usize {
        let mut covered = 0;
        let mut reach = 0;
        for s in &self.spans {
            let start = s.range.start().0.max(reach);
            if s.range.end().0 > start {
                covered += s.range.end().0 - start;
            }
            reach = reach.max(s.range.end().0);
        }
        covered
    }
}

fn status_index(status: Status) -> usize {
    Status::ALL.iter().position(|&s| s == status).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span(id: u64, a: usize, b: usize, label: u16) -> Span {
        Span {
            id: SpanId(id),
            range: CharRange::new(a, b).unwrap_or_default(),
            label: LabelId(label),
            note: String::new(),
            status: Status::Confirmed,
        }
    }

    fn set(spans: &[Span]) -> SpanSet {
        let mut set = SpanSet::default();
        for s in spans {
            assert_eq!(set.insert(s.clone()), Ok(()));
        }
        set
    }

    #[test]
    fn spans_stay_in_document_order() {
        let set = set(&[span(1, 10, 20, 0), span(2, 0, 5, 1), span(3, 10, 15, 2)]);
        let ids: Vec<_> = set.iter().map(|s| s.id.0).collect();
        assert_eq!(ids, [2, 3, 1]);
        assert_eq!(set.index_of(SpanId(1)), Some(2));
        assert_eq!(set.fresh_id(), SpanId(4));
    }

    #[test]
    fn identical_span_is_not_created_twice_but_overlap_is_fine() {
        let mut set = set(&[span(1, 0, 5, 0)]);
        assert!(matches!(
            set.insert(span(2, 0, 5, 0)),
            Err(SpanSetError::Duplicate { .. })
        ));
        assert_eq!(set.insert(span(3, 0, 5, 1)), Ok(()));
        assert_eq!(set.insert(span(4, 2, 9, 0)), Ok(()));
        assert_eq!(set.len(), 3);
        assert_eq!(set.insert(span(5, 3, 3, 0)), Err(SpanSetError::Empty(5)));
        assert_eq!(
            set.insert(span(1, 7, 8, 0)),
            Err(SpanSetError::DuplicateId(1))
        );
    }

    #[test]
    fn overlapping_finds_short_and_long_spans() {
        let set = set(&[
            span(1, 0, 10_000, 2),
            span(2, 5000, 5010, 0),
            span(3, 5005, 5020, 1),
            span(4, 6000, 6001, 0),
            span(5, 100, 4000, 1),
        ]);
        let ids =
            |r: CharRange| -> Vec<u64> { set.overlapping(r).iter().map(|s| s.id.0).collect() };
        assert_eq!(
            ids(CharRange::new(5008, 5009).unwrap_or_default()),
            [1, 2, 3]
        );
        assert_eq!(ids(CharRange::new(5010, 5011).unwrap_or_default()), [1, 3]);
        assert_eq!(ids(CharRange::new(3999, 4000).unwrap_or_default()), [1, 5]);
        assert_eq!(
            ids(CharRange::new(10_000, 10_005).unwrap_or_default()),
            Vec::<u64>::new()
        );
        assert_eq!(set.innermost_at(CharOffset(5006)).map(|s| s.id.0), Some(2));
    }

    #[test]
    fn remove_updates_counts_and_lookups() {
        let mut set = set(&[span(1, 0, 5, 0), span(2, 3, 9, 0), span(3, 0, 3000, 1)]);
        assert_eq!(set.count(LabelId(0)), 2);
        let rev = set.revision();
        assert_eq!(set.remove(SpanId(1)).map(|s| s.id), Some(SpanId(1)));
        assert!(set.revision() > rev);
        assert_eq!(set.count(LabelId(0)), 1);
        assert_eq!(set.get(SpanId(1)), None);
        assert_eq!(set.remove(SpanId(3)).map(|s| s.id), Some(SpanId(3)));
        assert!(
            set.overlapping(CharRange::new(100, 200).unwrap_or_default())
                .is_empty()
        );
        assert_eq!(set.fresh_id(), SpanId(4), "ids are never reused");
    }

    #[test]
    fn needs_review_count_follows_inserts_and_removes() {
        let mut flagged = span(2, 3, 9, 0);
        flagged.status = Status::NeedsReview;
        let mut set = set(&[span(1, 0, 5, 0), flagged.clone()]);
        assert_eq!(set.needs_review_count(), 1);
        assert_eq!(set.remove(SpanId(2)), Some(flagged.clone()));
        assert_eq!(set.needs_review_count(), 0);
        flagged.status = Status::Confirmed;
        assert_eq!(set.insert(flagged), Ok(()));
        assert_eq!(set.needs_review_count(), 0);
        assert_eq!(
            set.needs_review_count(),
            set.iter()
                .filter(|s| s.status == Status::NeedsReview)
                .count()
        );
    }

    #[test]
    fn covered_chars_counts_overlaps_once() {
        let set = set(&[
            span(1, 0, 5, 0),
            span(2, 3, 9, 0),
            span(3, 20, 22, 1),
            span(4, 4, 6, 2),
        ]);
        assert_eq!(set.covered_chars(), 11);
    }
}
