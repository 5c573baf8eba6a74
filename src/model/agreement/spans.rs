//! Span-level matches behind the F1 scores: exact matches (a multiset intersection) and a
//! maximum one-to-one matching of overlapping same-label spans (Hopcroft–Karp on the overlap
//! graph, whose edges a sweep over span starts finds without comparing every pair).
//!
//! A greedy matching is not enough. Here greedy by largest overlap takes A₁–B₁ and leaves A₂
//! alone, while A₁–B₂ and A₂–B₁ match both:
//!
//! ```text
//!   A:  [A₁·······)[A₂·······)
//!   B:  [B₂)  [B₁·······)
//! ```

use super::SpanCounts;
use super::chars::Placed;

/// A span of one rater and label: `(start, end)`.
type Range = (usize, usize);

/// Reusable buffers for matching one document's spans.
#[derive(Debug, Default)]
pub(super) struct SpanMatcher {
    /// Rater 0's spans as `(label, start, end)`, sorted.
    a: Vec<(usize, usize, usize)>,
    /// Rater 1's spans, likewise.
    b: Vec<(usize, usize, usize)>,
    edges: Vec<(usize, usize)>,
    active_a: Vec<(usize, usize)>,
    active_b: Vec<(usize, usize)>,
    matching: HopcroftKarp,
}

impl SpanMatcher {
    /// Adds the matches of one document between rater 0 and rater 1 to `counts` (one entry per
    /// label).
    pub(super) fn add(&mut self, spans: &[Placed], counts: &mut [SpanCounts]) {
        self.a.clear();
        self.b.clear();
        for span in spans {
            let side = if span.rater == 0 {
                &mut self.a
            } else {
                &mut self.b
            };
            side.push((span.label, span.start, span.end));
        }
        self.a.sort_unstable();
        self.b.sort_unstable();
        for &(label, ..) in &self.a {
            if let Some(c) = counts.get_mut(label) {
                c.a += 1;
            }
        }
        for &(label, ..) in &self.b {
            if let Some(c) = counts.get_mut(label) {
                c.b += 1;
            }
        }

        // Exact matches: a merge of the two sorted lists, one-to-one even with duplicates.
        let (mut i, mut j) = (0, 0);
        while let (Some(x), Some(y)) = (self.a.get(i), self.b.get(j)) {
            match x.cmp(y) {
                std::cmp::Ordering::Less => i += 1,
                std::cmp::Ordering::Greater => j += 1,
                std::cmp::Ordering::Equal => {
                    if let Some(c) = counts.get_mut(x.0) {
                        c.strict_matches += 1;
                    }
                    i += 1;
                    j += 1;
                }
            }
        }

        // Overlap matches, label by label: each label's spans are a sorted run of each list.
        for (label, c) in counts.iter_mut().enumerate() {
            let a = label_run(&self.a, label);
            let b = label_run(&self.b, label);
            if a.is_empty() || b.is_empty() {
                continue;
            }
            overlap_edges(
                a.iter().map(|&(_, s, e)| (s, e)),
                b.iter().map(|&(_, s, e)| (s, e)),
                &mut self.edges,
                &mut self.active_a,
                &mut self.active_b,
            );
            c.overlap_matches += self.matching.run(a.len(), b.len(), &mut self.edges);
        }
    }
}

/// The spans of `label` in a list sorted by label first.
fn label_run(spans: &[(usize, usize, usize)], label: usize) -> &[(usize, usize, usize)] {
    let from = spans.partition_point(|s| s.0 < label);
    let to = spans.partition_point(|s| s.0 <= label);
    spans.get(from..to).unwrap_or(&[])
}

/// Fills `edges` with every `(i, j)` such that `a[i]` and `b[j]` share a char. Both lists must
/// be sorted by start. Walking both by start, a span overlaps exactly the spans of the other
/// side that started no later and have not ended yet; so each edge is found once, when the
/// later-starting span of the two arrives.
fn overlap_edges(
    a: impl Iterator<Item = Range>,
    b: impl Iterator<Item = Range>,
    edges: &mut Vec<(usize, usize)>,
    active_a: &mut Vec<(usize, usize)>,
    active_b: &mut Vec<(usize, usize)>,
) {
    edges.clear();
    active_a.clear();
    active_b.clear();
    let mut a = a.enumerate().peekable();
    let mut b = b.enumerate().peekable();
    loop {
        let take_a = match (a.peek(), b.peek()) {
            (Some((_, x)), Some((_, y))) => x.0 <= y.0,
            (Some(_), None) => true,
            (None, Some(_)) => false,
            (None, None) => break,
        };
        if take_a {
            let Some((i, (start, end))) = a.next() else {
                break;
            };
            active_b.retain(|&(_, b_end)| b_end > start);
            edges.extend(active_b.iter().map(|&(j, _)| (i, j)));
            active_a.push((i, end));
        } else {
            let Some((j, (start, end))) = b.next() else {
                break;
            };
            active_a.retain(|&(_, a_end)| a_end > start);
            edges.extend(active_a.iter().map(|&(i, _)| (i, j)));
            active_b.push((j, end));
        }
    }
}

/// "No partner" in a matching, and "not reached" in a layering.
const NONE: usize = usize::MAX;

fn at(values: &[usize], i: usize) -> usize {
    values.get(i).copied().unwrap_or(NONE)
}

fn set(values: &mut [usize], i: usize, value: usize) {
    if let Some(slot) = values.get_mut(i) {
        *slot = value;
    }
}

/// Maximum bipartite matching, O(E·√V), with buffers kept between runs.
#[derive(Debug, Default)]
struct HopcroftKarp {
    /// Edges of left vertex u are `targets[offsets[u]..offsets[u + 1]]`.
    offsets: Vec<usize>,
    targets: Vec<usize>,
    match_left: Vec<usize>,
    match_right: Vec<usize>,
    /// BFS layer of each left vertex in the current phase.
    layer: Vec<usize>,
    /// The next edge each left vertex will try in the current phase.
    next_edge: Vec<usize>,
    queue: Vec<usize>,
    path: Vec<usize>,
}

impl HopcroftKarp {
    /// Size of a maximum matching of the graph with `left` and `right` vertices and `edges`
    /// (left, right).
    fn run(&mut self, left: usize, right: usize, edges: &mut [(usize, usize)]) -> usize {
        if edges.is_empty() {
            return 0;
        }
        edges.sort_unstable();
        self.offsets.clear();
        self.offsets.resize(left + 1, 0);
        for &(u, _) in edges.iter() {
            if let Some(count) = self.offsets.get_mut(u) {
                *count += 1;
            }
        }
        let mut sum = 0;
        for offset in &mut self.offsets {
            let count = *offset;
            *offset = sum;
            sum += count;
        }
        self.targets.clear();
        self.targets.extend(edges.iter().map(|&(_, v)| v));
        self.match_left.clear();
        self.match_left.resize(left, NONE);
        self.match_right.clear();
        self.match_right.resize(right, NONE);
        self.layer.clear();
        self.layer.resize(left, NONE);
        self.next_edge.clear();
        self.next_edge.resize(left, 0);

        let mut matched = 0;
        while self.layer_free_vertices() {
            let before = matched;
            for u in 0..left {
                if at(&self.match_left, u) == NONE && self.augment(u) {
                    matched += 1;
                }
            }
            // A layering that reached a free vertex always yields a path; never spin if not.
            debug_assert!(matched > before, "a phase with an augmenting path augments");
            if matched == before {
                break;
            }
        }
        matched
    }

    /// Layers left vertices by alternating BFS from the free ones; true when some free right
    /// vertex is reachable, that is when an augmenting path exists.
    fn layer_free_vertices(&mut self) -> bool {
        self.queue.clear();
        for (u, layer) in self.layer.iter_mut().enumerate() {
            if at(&self.match_left, u) == NONE {
                *layer = 0;
                self.queue.push(u);
            } else {
                *layer = NONE;
            }
        }
        let mut found = false;
        let mut head = 0;
        while let Some(&u) = self.queue.get(head) {
            head += 1;
            let next = at(&self.layer, u) + 1;
            for e in at(&self.offsets, u)..at(&self.offsets, u + 1) {
                match at(&self.match_right, at(&self.targets, e)) {
                    NONE => found = true,
                    w if at(&self.layer, w) == NONE => {
                        set(&mut self.layer, w, next);
                        self.queue.push(w);
                    }
                    _ => {}
                }
            }
        }
        for (u, next) in self.next_edge.iter_mut().enumerate() {
            *next = at(&self.offsets, u);
        }
        found
    }

    /// Looks for an augmenting path from free left vertex `root` along the layers (an
    /// iterative DFS, so long paths cannot overflow the stack) and flips it if found.
    fn augment(&mut self, root: usize) -> bool {
        self.path.clear();
        self.path.push(root);
        while let Some(&u) = self.path.last() {
            let e = at(&self.next_edge, u);
            if e >= at(&self.offsets, u + 1) {
                // A dead end for the rest of this phase.
                set(&mut self.layer, u, NONE);
                self.path.pop();
                continue;
            }
            set(&mut self.next_edge, u, e + 1);
            let w = at(&self.match_right, at(&self.targets, e));
            if w == NONE {
                // Each vertex on the path takes the edge it last tried.
                for &x in &self.path {
                    let v = at(&self.targets, at(&self.next_edge, x).wrapping_sub(1));
                    set(&mut self.match_left, x, v);
                    set(&mut self.match_right, v, x);
                }
                return true;
            }
            if at(&self.layer, w) == at(&self.layer, u).wrapping_add(1) {
                self.path.push(w);
            }
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts(a: &[(usize, usize, usize)], b: &[(usize, usize, usize)]) -> Vec<SpanCounts> {
        let labels = a.iter().chain(b).map(|s| s.0 + 1).max().unwrap_or(0);
        let mut spans = Vec::new();
        for (rater, side) in [a, b].into_iter().enumerate() {
            spans.extend(side.iter().map(|&(label, start, end)| Placed {
                rater,
                label,
                start,
                end,
            }));
        }
        let mut counts = vec![SpanCounts::default(); labels];
        SpanMatcher::default().add(&spans, &mut counts);
        counts
    }

    fn matches(c: &[SpanCounts]) -> Vec<(usize, usize)> {
        c.iter()
            .map(|c| (c.strict_matches, c.overlap_matches))
            .collect()
    }

    #[test]
    fn greedy_by_largest_overlap_is_not_maximum() {
        // A₁ = [0,10) overlaps B₁ = [5,15) by 5 chars and B₂ = [0,3) by 3; A₂ = [10,20) only B₁.
        let c = counts(&[(0, 0, 10), (0, 10, 20)], &[(0, 5, 15), (0, 0, 3)]);
        assert_eq!(matches(&c), vec![(0, 2)]);
    }

    #[test]
    fn a_span_matches_at_most_once() {
        // One long A span overlaps three B spans: one match, F1 = 2/4.
        let c = counts(&[(0, 0, 30)], &[(0, 0, 5), (0, 10, 15), (0, 20, 25)]);
        assert_eq!(matches(&c), vec![(0, 1)]);
        assert_eq!(c.first().and_then(|c| c.overlap_f1()), Some(0.5));
    }

    #[test]
    fn touching_spans_do_not_overlap_and_labels_must_agree() {
        let c = counts(&[(0, 0, 5), (1, 10, 20)], &[(0, 5, 9), (0, 10, 20)]);
        assert_eq!(matches(&c), vec![(0, 0), (0, 0)]);
    }

    #[test]
    fn duplicates_match_one_to_one() {
        let c = counts(&[(0, 0, 5), (0, 0, 5)], &[(0, 0, 5)]);
        assert_eq!(matches(&c), vec![(1, 1)]);
        assert_eq!((c.first().map(|c| (c.a, c.b))), Some((2, 1)));
    }

    #[test]
    fn augmenting_paths_through_a_chain() {
        // A chain A_k–B_k, A_k–B_{k+1} where the first-listed choice of every A blocks the
        // next: a maximum matching still pairs all of them.
        let a: Vec<_> = (0..50).map(|k| (0, 10 * k + 2, 10 * k + 12)).collect();
        let b: Vec<_> = (0..50).map(|k| (0, 10 * k, 10 * k + 5)).collect();
        assert_eq!(matches(&counts(&a, &b)), vec![(0, 50)]);
    }

    #[test]
    fn same_start_spans_see_each_other() {
        let c = counts(&[(0, 3, 4)], &[(0, 3, 9)]);
        assert_eq!(matches(&c), vec![(0, 1)]);
    }
}
