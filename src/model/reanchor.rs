//! Re-anchoring: moving a project's spans onto a new version of its article.
//!
//! When the article is re-imported after an edit (a paragraph added, a name corrected, a
//! sentence cut), every span is looked for in the new text in two ways, strictest first:
//!
//! 1. **The diff.** Old and new text are diffed by lines, then by chars inside the lines that
//!    changed (the `similar` crate, Myers). This gives an offset map: each old char that
//!    survived has its new position. A span's first and last surviving chars give its new
//!    range. If the text there is the same, the span is *kept* (same offsets) or *moved*; if
//!    it is at least [`MIN_SIMILARITY`] alike (a name corrected inside a quote), it is placed
//!    and *flagged* for review ([`Status::NeedsReview`]).
//! 2. **Quote search** (like the W3C `TextQuoteSelector`), when the diff maps nowhere or to
//!    something too different: the span's exact old text is searched for in the new text, and
//!    each occurrence is scored by how well the [`CONTEXT_CHARS`] chars before and after it
//!    match the old context. It is accepted only when one occurrence is clearly the best and
//!    its context matches, so a span never lands on a look-alike passage.
//!
//! Everything else becomes an [`Orphan`] with its old offsets, its old text and the reason,
//! so nothing the analyst made is lost.
//!
//! ```text
//!   old:  "Zelenskyy said [Quote:we will not give up]."
//!   new:  "Kyiv, Monday.\nZelensky said we will not give up."
//!   →     "Kyiv, Monday.\nZelensky said [Quote:we will not give up]."   (moved)
//! ```
//!
//! The diff of a huge, heavily rewritten text could take very long; it is bounded by a time
//! budget (a compute limit, not behaviour: past it the diff is coarser and more spans go
//! through quote search) and by diffing by chars only inside blocks of changed lines of
//! bounded size. Quote search reads the whole new text once per span, so it has a budget of
//! its own; spans not searched for in time become orphans that say so. Both budgets are 5 s
//! by default ([`reanchor_with_budget`] sets another). The model reads no clock otherwise:
//! within the budgets the result depends on the texts only.

use std::time::{Duration, Instant};

use similar::{Algorithm, DiffOp};

use super::article::Article;
use super::offset::{CharOffset, CharRange};
use super::project::Project;
use super::span::{Orphan, Span, SpanId, Status};

/// A span whose text changed is placed (for review) only when it is at least this similar
/// to its old text (the `similar` ratio: 2 × matching chars / total chars).
pub const MIN_SIMILARITY: f32 = 0.8;

/// Chars of context on each side used by quote search.
pub const CONTEXT_CHARS: usize = 32;

/// Quote search accepts an occurrence whose context scores at least this (0..=1)…
const MIN_CONTEXT_SCORE: f32 = 0.75;
/// …and beats the runner-up by at least this much.
const MIN_CONTEXT_MARGIN: f32 = 0.15;
/// An occurrence with context at least this good counts as the same place (moved, not flagged).
const SURE_CONTEXT_SCORE: f32 = 0.95;
/// Quote search needs this many chars of context (both sides, within the line)…
const MIN_CONTEXT_EVIDENCE: usize = 16;
/// …unless the span itself is at least this long.
const MIN_SELF_EVIDENT_CHARS: usize = 24;
/// Quote search gives up (ambiguous) past this many occurrences.
const MAX_OCCURRENCES: usize = 64;
/// Blocks of changed lines larger than this (old + new chars) are not diffed by chars.
const MAX_CHAR_DIFF_BLOCK: usize = 40_000;
/// Default time budget for the whole diff.
const DEFAULT_BUDGET: Duration = Duration::from_secs(5);

/// What happened to one span.
#[derive(Clone, Debug, PartialEq)]
pub enum Outcome {
    /// Same text at the same offsets.
    Kept,
    /// Same text, new offsets.
    Moved {
        /// Where it was.
        from: CharRange,
        /// Where it is now.
        to: CharRange,
    },
    /// Placed on text that changed (or found only by quote search); marked `NeedsReview`.
    Flagged {
        /// Where it is now.
        to: CharRange,
        /// How alike old and new text are (1.0 = identical).
        similarity: f32,
    },
    /// Could not be placed; now an orphan.
    Orphaned {
        /// Why, in words for the analyst.
        reason: String,
    },
}

/// The result of re-anchoring, span by span and in total.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReanchorReport {
    /// Spans with the same text at the same offsets.
    pub kept: usize,
    /// Spans with the same text at new offsets.
    pub moved: usize,
    /// Spans placed on changed text, marked `NeedsReview`.
    pub flagged: usize,
    /// Spans that became orphans.
    pub orphaned: usize,
    /// Each span's outcome, in the old project's document order.
    pub outcomes: Vec<(SpanId, Outcome)>,
}

impl ReanchorReport {
    fn record(&mut self, id: SpanId, outcome: Outcome) {
        match outcome {
            Outcome::Kept => self.kept += 1,
            Outcome::Moved { .. } => self.moved += 1,
            Outcome::Flagged { .. } => self.flagged += 1,
            Outcome::Orphaned { .. } => self.orphaned += 1,
        }
        self.outcomes.push((id, outcome));
    }
}

/// Move `old`'s spans onto `new_article`: see the module docs. Labels and existing orphans
/// are carried over; span ids are kept.
#[must_use]
pub fn reanchor(old: &Project, new_article: Article) -> (Project, ReanchorReport) {
    reanchor_with_budget(old, new_article, DEFAULT_BUDGET)
}

/// [`reanchor`] with time budgets (for the diff, then for quote search) other than the
/// default 5 s each.
#[must_use]
pub fn reanchor_with_budget(
    old: &Project,
    new_article: Article,
    budget: Duration,
) -> (Project, ReanchorReport) {
    let map = OffsetMap::new(
        old.article().text(),
        new_article.text(),
        Instant::now() + budget,
    );
    // Quote search gets a budget of its own: on a text that has nothing in common with the
    // old one, every span is searched for, and each search reads the whole text.
    let search_deadline = Instant::now() + budget;
    let mut new = Project::new(new_article, old.labels().clone());
    for orphan in old.orphans() {
        new.insert_orphan(orphan.clone());
    }
    let mut report = ReanchorReport::default();
    for span in old.spans() {
        let old_text = old.span_text(span);
        let placed = place(old, new.article(), &map, span, old_text, search_deadline);
        let candidate = map
            .map_range(span.range)
            .filter(|r| !r.is_empty() && r.end().get() <= new.article().char_len())
            .map(|r| new.article().trim_range(new.article().snap_to_words(r)))
            .filter(|r| !r.is_empty());
        let outcome = match placed {
            Ok((range, outcome)) => {
                let status = match outcome {
                    Outcome::Flagged { .. } => Status::NeedsReview,
                    _ => span.status,
                };
                let moved = Span {
                    range,
                    status,
                    ..span.clone()
                };
                match new.insert_span(moved) {
                    Ok(()) => outcome,
                    Err(e) => Outcome::Orphaned {
                        reason: format!("its new place is taken ({e})"),
                    },
                }
            }
            Err(reason) => Outcome::Orphaned { reason },
        };
        if let Outcome::Orphaned { reason } = &outcome {
            new.insert_orphan(Orphan {
                id: span.id,
                label: old.labels().name(span.label).to_owned(),
                old_range: span.range,
                text: old_text.to_owned(),
                note: span.note.clone(),
                reason: reason.clone(),
                candidate,
            });
        }
        report.record(span.id, outcome);
    }
    (new, report)
}

/// Find `span`'s place in `new`: the range and how it got there, or why it has none.
fn place(
    old: &Project,
    new: &Article,
    map: &OffsetMap,
    span: &Span,
    old_text: &str,
    deadline: Instant,
) -> Result<(CharRange, Outcome), String> {
    let by_diff = map.map_range(span.range).and_then(|range| {
        let text = new.slice(range)?;
        Some((range, text))
    });
    let mut diff_similarity = None;
    if let Some((range, text)) = by_diff {
        if text == old_text {
            let outcome = if range == span.range {
                Outcome::Kept
            } else {
                Outcome::Moved {
                    from: span.range,
                    to: range,
                }
            };
            return Ok((range, outcome));
        }
        let similarity = similarity(old_text, text, Some(deadline));
        diff_similarity = Some(similarity);
        if similarity >= MIN_SIMILARITY {
            // A span that covered whole words is placed on whole words again: a diff can
            // end in the middle of an edited word.
            let on_words = old.article().word_around(span.range.start()).is_none()
                && old.article().word_around(span.range.end()).is_none();
            let range = if on_words {
                new.trim_range(new.snap_to_words(range))
            } else {
                range
            };
            return Ok((
                range,
                Outcome::Flagged {
                    to: range,
                    similarity,
                },
            ));
        }
    }
    if Instant::now() >= deadline {
        return Err(
            "its text was changed or removed here, and there was no time left to search the rest of the article for it"
                .to_owned(),
        );
    }
    match quote_search(old, new, span, old_text) {
        Search::Found { range, score } if score >= SURE_CONTEXT_SCORE => Ok((
            range,
            if range == span.range {
                Outcome::Kept
            } else {
                Outcome::Moved { from: span.range, to: range }
            },
        )),
        Search::Found { range, .. } => Ok((range, Outcome::Flagged { to: range, similarity: 1.0 })),
        Search::Ambiguous(n) => Err(format!(
            "its text was changed or removed here, and it occurs {n} time(s) elsewhere with no clear match of its surroundings"
        )),
        Search::Elsewhere => Err(
            "its text was changed or removed here; the same words occur elsewhere, but not in the same surroundings"
                .to_owned(),
        ),
        Search::Missing => Err(match (by_diff, diff_similarity) {
            (Some((_, text)), Some(similarity)) => format!(
                "its text was rewritten (now \"{}\", {:.0}% alike)",
                excerpt(text),
                similarity * 100.0
            ),
            _ => "its text was removed from the article".to_owned(),
        }),
    }
}

/// Char-level similarity of two texts, `0.0..=1.0`. Past `deadline` the diff is coarser, so
/// the similarity comes out lower, never higher.
fn similarity(a: &str, b: &str, deadline: Option<Instant>) -> f32 {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len() + b.len() > MAX_CHAR_DIFF_BLOCK {
        // Too long to diff by chars cheaply: compare by words instead.
        return word_similarity(&a, &b, deadline);
    }
    let ops = similar::capture_diff_slices_deadline(Algorithm::Myers, &a, &b, deadline);
    similar::get_diff_ratio(&ops, a.len(), b.len())
}

fn word_similarity(a: &[char], b: &[char], deadline: Option<Instant>) -> f32 {
    let words = |c: &[char]| -> Vec<String> {
        c.iter()
            .collect::<String>()
            .split_whitespace()
            .map(str::to_owned)
            .collect()
    };
    let (a, b) = (words(a), words(b));
    let ops = similar::capture_diff_slices_deadline(Algorithm::Myers, &a, &b, deadline);
    similar::get_diff_ratio(&ops, a.len(), b.len())
}

fn excerpt(text: &str) -> String {
    let mut out: String = text.chars().take(40).collect();
    if text.chars().nth(40).is_some() {
        out.push('…');
    }
    out
}

/// Where old chars went: runs of chars that the diff found unchanged.
struct OffsetMap {
    /// `(old_start, new_start, len)` in chars, sorted by `old_start`, not overlapping.
    runs: Vec<(usize, usize, usize)>,
}

impl OffsetMap {
    fn new(old: &str, new: &str, deadline: Instant) -> Self {
        let old_lines: Vec<&str> = old.split_inclusive('\n').collect();
        let new_lines: Vec<&str> = new.split_inclusive('\n').collect();
        let starts = |lines: &[&str]| -> Vec<usize> {
            let mut at = 0;
            let mut out = Vec::with_capacity(lines.len() + 1);
            for l in lines {
                out.push(at);
                at += l.chars().count();
            }
            out.push(at);
            out
        };
        let (old_starts, new_starts) = (starts(&old_lines), starts(&new_lines));
        let char_at = |starts: &[usize], line: usize| starts.get(line).copied().unwrap_or(0);
        let ops = similar::capture_diff_slices_deadline(
            Algorithm::Myers,
            &old_lines,
            &new_lines,
            Some(deadline),
        );
        let mut runs = Vec::new();
        let mut pending: Option<(usize, usize, usize, usize)> = None; // old lines a..b, new lines c..d
        let flush = |pending: &mut Option<(usize, usize, usize, usize)>, runs: &mut Vec<_>| {
            if let Some((a, b, c, d)) = pending.take() {
                let old_block = old_lines.get(a..b).unwrap_or_default();
                let new_block = new_lines.get(c..d).unwrap_or_default();
                diff_block(
                    old_block,
                    new_block,
                    char_at(&old_starts, a),
                    char_at(&new_starts, c),
                    deadline,
                    runs,
                );
            }
        };
        for op in ops {
            match op {
                DiffOp::Equal {
                    old_index,
                    new_index,
                    len,
                } => {
                    flush(&mut pending, &mut runs);
                    let o = char_at(&old_starts, old_index);
                    let n = char_at(&new_starts, new_index);
                    let chars = char_at(&old_starts, old_index + len).saturating_sub(o);
                    push_run(&mut runs, o, n, chars);
                }
                DiffOp::Delete {
                    old_index,
                    old_len,
                    new_index,
                    ..
                } => extend(
                    &mut pending,
                    old_index,
                    old_index + old_len,
                    new_index,
                    new_index,
                ),
                DiffOp::Insert {
                    old_index,
                    new_index,
                    new_len,
                } => extend(
                    &mut pending,
                    old_index,
                    old_index,
                    new_index,
                    new_index + new_len,
                ),
                DiffOp::Replace {
                    old_index,
                    old_len,
                    new_index,
                    new_len,
                } => extend(
                    &mut pending,
                    old_index,
                    old_index + old_len,
                    new_index,
                    new_index + new_len,
                ),
            }
        }
        flush(&mut pending, &mut runs);
        Self { runs }
    }

    /// The new offset of old char `offset`, if it survived.
    fn map(&self, offset: usize) -> Option<usize> {
        let i = self.runs.partition_point(|&(o, _, len)| o + len <= offset);
        let &(o, n, _) = self.runs.get(i)?;
        (o <= offset).then(|| n + (offset - o))
    }

    /// The new range of `range`: from its first to its last surviving char.
    fn map_range(&self, range: CharRange) -> Option<CharRange> {
        let (s, e) = (range.start().0, range.end().0);
        let first_run = self.runs.partition_point(|&(o, _, len)| o + len <= s);
        let &(o, _, _) = self.runs.get(first_run)?;
        let first = o.max(s);
        let last_run = self
            .runs
            .partition_point(|&(o, _, _)| o < e)
            .checked_sub(1)?;
        let &(o, _, len) = self.runs.get(last_run)?;
        let last = (o + len).min(e).checked_sub(1)?;
        if first >= e || last < s || first > last {
            return None;
        }
        let start = self.map(first)?;
        let end = self.map(last)? + 1;
        (start < end).then_some(CharRange::between(CharOffset(start), CharOffset(end)))
    }
}

/// Grow the pending block of changed lines to cover old lines `a..b` and new lines `c..d`.
fn extend(
    pending: &mut Option<(usize, usize, usize, usize)>,
    a: usize,
    b: usize,
    c: usize,
    d: usize,
) {
    *pending = Some(match *pending {
        None => (a, b, c, d),
        Some((pa, pb, pc, pd)) => (pa.min(a), pb.max(b), pc.min(c), pd.max(d)),
    });
}

fn push_run(runs: &mut Vec<(usize, usize, usize)>, old: usize, new: usize, len: usize) {
    if len == 0 {
        return;
    }
    // Merge with the previous run when contiguous on both sides.
    if let Some(last) = runs.last_mut()
        && last.0 + last.2 == old
        && last.1 + last.2 == new
    {
        last.2 += len;
        return;
    }
    runs.push((old, new, len));
}

/// Diff a block of changed lines by chars (small blocks) and record the unchanged runs.
fn diff_block(
    old_lines: &[&str],
    new_lines: &[&str],
    old_base: usize,
    new_base: usize,
    deadline: Instant,
    runs: &mut Vec<(usize, usize, usize)>,
) {
    let old: Vec<char> = old_lines.iter().flat_map(|l| l.chars()).collect();
    let new: Vec<char> = new_lines.iter().flat_map(|l| l.chars()).collect();
    if old.is_empty() || new.is_empty() || old.len() + new.len() > MAX_CHAR_DIFF_BLOCK {
        // Pure insertion or deletion, or too big to diff by chars: nothing maps, and quote
        // search will look for the spans that were there.
        return;
    }
    for op in similar::capture_diff_slices_deadline(Algorithm::Myers, &old, &new, Some(deadline)) {
        if let DiffOp::Equal {
            old_index,
            new_index,
            len,
        } = op
        {
            push_run(runs, old_base + old_index, new_base + new_index, len);
        }
    }
}

enum Search {
    /// One occurrence stands out; `score` is its context match (0..=1).
    Found { range: CharRange, score: f32 },
    /// Several occurrences, none clearly best.
    Ambiguous(usize),
    /// Occurrences exist but none in the same surroundings.
    Elsewhere,
    /// The text does not occur at all.
    Missing,
}

/// Look for the span's exact old text in the new article, scored by its surroundings.
fn quote_search(old: &Project, new: &Article, span: &Span, old_text: &str) -> Search {
    let old_article = &old.article();
    // Context stops at line breaks: a paragraph that moved keeps its own words around the
    // span, while the paragraphs around it changed.
    let before = |a: &Article, r: CharRange| -> String {
        let start = r.start().0.saturating_sub(CONTEXT_CHARS);
        let text = a
            .slice(CharRange::new(start, r.start().0).unwrap_or_default())
            .unwrap_or_default();
        text.rsplit('\n').next().unwrap_or_default().to_owned()
    };
    let after = |a: &Article, r: CharRange| -> String {
        let end = (r.end().0 + CONTEXT_CHARS).min(a.char_len());
        let text = a
            .slice(CharRange::new(r.end().0, end).unwrap_or_default())
            .unwrap_or_default();
        text.split('\n').next().unwrap_or_default().to_owned()
    };
    let (old_before, old_after) = (
        before(old_article, span.range),
        after(old_article, span.range),
    );
    let len = span.range.len();
    // A short span in a short line has too little around it to tell its place from a
    // look-alike: refuse rather than guess.
    let evidence = old_before.chars().count() + old_after.chars().count();
    if evidence < MIN_CONTEXT_EVIDENCE && len < MIN_SELF_EVIDENT_CHARS {
        return match new.text().match_indices(old_text).count() {
            0 => Search::Missing,
            n => Search::Ambiguous(n),
        };
    }
    let mut scored: Vec<(CharRange, f32)> = Vec::new();
    for (byte, _) in new.text().match_indices(old_text) {
        if scored.len() >= MAX_OCCURRENCES {
            return Search::Ambiguous(scored.len());
        }
        let start = new.char_of_byte(byte).0;
        let range = CharRange::between(CharOffset(start), CharOffset(start + len));
        // Context that is cut short by the start or end of the text must match as cut.
        let score = f32::midpoint(
            similarity(&old_before, &before(new, range), None),
            similarity(&old_after, &after(new, range), None),
        );
        scored.push((range, score));
    }
    scored.sort_by(|a, b| b.1.total_cmp(&a.1));
    match scored.as_slice() {
        [] => Search::Missing,
        [(range, score), rest @ ..] => {
            let runner_up = rest.first().map_or(0.0, |r| r.1);
            if *score >= MIN_CONTEXT_SCORE && *score - runner_up >= MIN_CONTEXT_MARGIN {
                Search::Found {
                    range: *range,
                    score: *score,
                }
            } else if rest.is_empty() || *score < MIN_CONTEXT_SCORE {
                Search::Elsewhere
            } else {
                Search::Ambiguous(scored.len())
            }
        }
    }
}

#[cfg(test)]
mod tests;
