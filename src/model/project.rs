//! A project: the article, its labels, its spans and the spans that lost their place.
//!
//! All changes go through [`Project::apply`] with an [`Edit`], which checks it against the
//! project first, so a project is always consistent: every span lies inside the article,
//! has a known label, and no two spans share both range and label.

use super::article::Article;
use super::history::Edit;
use super::label::{LabelId, LabelSet};
use super::offset::CharRange;
use super::span::{Orphan, Span, SpanId, Status};
use super::spans::{SpanSet, SpanSetError};

/// Why an edit cannot be applied.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    /// The span's range is past the end of the article.
    #[error("span {id} at {range} lies outside the article ({len} chars)")]
    OutOfRange {
        /// The span's id.
        id: u64,
        /// Its range.
        range: CharRange,
        /// The article's length in chars.
        len: usize,
    },
    /// The span's label is not in the project's label set.
    #[error("span {0} has a label the project does not define")]
    UnknownLabel(u64),
    /// The span set refused it.
    #[error(transparent)]
    Spans(#[from] SpanSetError),
    /// The span or orphan to remove or change is not there (or not as the edit expects).
    #[error("span {0} is not in the project as expected")]
    Missing(u64),
}

/// Everything the analyst works on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Project {
    /// The text being annotated.
    pub article: Article,
    /// The labels available.
    pub labels: LabelSet,
    spans: SpanSet,
    orphans: Vec<Orphan>,
}

impl Project {
    /// A project with no spans.
    #[must_use]
    pub fn new(article: Article, labels: LabelSet) -> Self {
        Self {
            article,
            labels,
            spans: SpanSet::default(),
            orphans: Vec::new(),
        }
    }

    /// The spans, sorted.
    #[must_use]
    pub fn spans(&self) -> &SpanSet {
        &self.spans
    }

    /// Spans that could not be placed.
    #[must_use]
    pub fn orphans(&self) -> &[Orphan] {
        &self.orphans
    }

    /// The text a span covers.
    #[must_use]
    pub fn span_text(&self, span: &Span) -> &str {
        self.article.slice(span.range).unwrap_or_default()
    }

    /// An id that neither a span nor an orphan uses.
    #[must_use]
    pub fn fresh_id(&self) -> SpanId {
        let orphan_max = self
            .orphans
            .iter()
            .map(|o| o.id.0.saturating_add(1))
            .max()
            .unwrap_or(0);
        SpanId(self.spans.fresh_id().0.max(orphan_max))
    }

    /// The edit that tags `range` (trimmed of surrounding whitespace) with `label`, or
    /// `None` when the trimmed range is empty or already carries that label.
    #[must_use]
    pub fn tag(&self, range: CharRange, label: LabelId) -> Option<Edit> {
        let range = self.article.trim_range(range);
        if range.is_empty()
            || self.spans.find(range, label).is_some()
            || self.labels.get(label).is_none()
        {
            return None;
        }
        Some(Edit::AddSpan(Span {
            id: self.fresh_id(),
            range,
            label,
            note: String::new(),
            status: Status::Confirmed,
        }))
    }

    /// The edit that changes span `id` with `change`, or `None` when nothing would change,
    /// the span does not exist, or the change would duplicate another span.
    #[must_use]
    pub fn change(&self, id: SpanId, change: impl FnOnce(&mut Span)) -> Option<Edit> {
        let before = self.spans.get(id)?.clone();
        let mut after = before.clone();
        change(&mut after);
        after.id = before.id;
        if after == before || after.range.is_empty() {
            return None;
        }
        if (after.range, after.label) != (before.range, before.label)
            && self.spans.find(after.range, after.label).is_some()
        {
            return None;
        }
        Some(Edit::ChangeSpan { before, after })
    }

    /// The edit that deletes span `id`.
    #[must_use]
    pub fn delete(&self, id: SpanId) -> Option<Edit> {
        self.spans.get(id).cloned().map(Edit::RemoveSpan)
    }

    /// Add a span directly, checking it like an edit would (for loaders).
    pub fn insert_span(&mut self, span: Span) -> Result<(), EditError> {
        self.check_span(&span)?;
        self.spans.insert(span)?;
        Ok(())
    }

    /// Add an orphan directly (for loaders).
    pub fn insert_orphan(&mut self, orphan: Orphan) {
        let i = self.orphans.partition_point(|o| o.id < orphan.id);
        self.orphans.insert(i, orphan);
    }

    fn check_span(&self, span: &Span) -> Result<(), EditError> {
        let len = self.article.char_len();
        if span.range.end.0 > len {
            return Err(EditError::OutOfRange {
                id: span.id.0,
                range: span.range,
                len,
            });
        }
        if self.labels.get(span.label).is_none() {
            return Err(EditError::UnknownLabel(span.id.0));
        }
        Ok(())
    }

    /// Apply an edit, or change nothing and say why not.
    pub fn apply(&mut self, edit: &Edit) -> Result<(), EditError> {
        match edit {
            Edit::AddSpan(span) => self.insert_span(span.clone()),
            Edit::RemoveSpan(span) => {
                if self.spans.get(span.id) != Some(span) {
                    return Err(EditError::Missing(span.id.0));
                }
                self.spans.remove(span.id);
                Ok(())
            }
            Edit::ChangeSpan { before, after } => {
                if self.spans.get(before.id) != Some(before) || before.id != after.id {
                    return Err(EditError::Missing(before.id.0));
                }
                self.check_span(after)?;
                self.spans.remove(before.id);
                if let Err(e) = self.spans.insert(after.clone()) {
                    // Put the old span back so that a refused edit changes nothing.
                    self.spans.insert(before.clone())?;
                    return Err(e.into());
                }
                Ok(())
            }
            Edit::AddOrphan(orphan) => {
                self.insert_orphan(orphan.clone());
                Ok(())
            }
            Edit::RemoveOrphan(orphan) => {
                let Some(i) = self.orphans.iter().position(|o| o == orphan) else {
                    return Err(EditError::Missing(orphan.id.0));
                };
                self.orphans.remove(i);
                Ok(())
            }
            Edit::Batch(edits) => {
                for (done, e) in edits.iter().enumerate() {
                    if let Err(err) = self.apply(e) {
                        for undo in edits.get(..done).unwrap_or_default().iter().rev() {
                            // Undoing what was just applied cannot fail.
                            let _ = self.apply(&undo.inverse());
                        }
                        return Err(err);
                    }
                }
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::history::History;
    use crate::model::offset::CharOffset;

    /// Render a project in the compact notation of the tests: each span as
    /// `[Label:text]` around the text it covers (spans must not overlap here).
    fn render(p: &Project) -> String {
        let mut out = String::new();
        let mut at = 0;
        for s in p.spans() {
            let start = s.range.start.0;
            out.push_str(
                p.article
                    .slice(CharRange::new(at, start).unwrap_or_default())
                    .unwrap_or("!"),
            );
            out.push('[');
            out.push_str(p.labels.name(s.label));
            out.push(':');
            out.push_str(p.span_text(s));
            out.push(']');
            at = s.range.end.0;
        }
        out.push_str(
            p.article
                .slice(CharRange::new(at, p.article.char_len()).unwrap_or_default())
                .unwrap_or("!"),
        );
        out
    }

    fn project(text: &str) -> Project {
        Project::new(Article::new("t", None, text), LabelSet::default())
    }

    fn range_of(p: &Project, needle: &str) -> CharRange {
        let byte = p.article.text().find(needle).unwrap_or(0);
        let start = p.article.char_of_byte(byte);
        CharRange {
            start,
            end: CharOffset(start.0 + needle.chars().count()),
        }
    }

    #[test]
    fn tag_trims_whitespace_and_undo_redo_round_trip() {
        let mut p = project("Putin rejected the offer");
        let mut h = History::default();
        let claim = p.labels.by_name("Claim").unwrap_or_default();
        let edit = p.tag(range_of(&p, " rejected "), claim);
        assert!(edit.is_some());
        assert_eq!(h.apply(&mut p, edit.unwrap_or(Edit::Batch(vec![]))), Ok(()));
        assert_eq!(render(&p), "Putin [Claim:rejected] the offer");
        assert!(h.is_dirty());
        assert_eq!(h.undo(&mut p), Some(Ok("add span")));
        assert_eq!(render(&p), "Putin rejected the offer");
        assert!(!h.is_dirty());
        assert_eq!(h.redo(&mut p), Some(Ok("add span")));
        assert_eq!(render(&p), "Putin [Claim:rejected] the offer");
        assert_eq!(h.redo(&mut p), None);
    }

    #[test]
    fn tagging_the_same_range_twice_with_the_same_label_does_nothing() {
        let mut p = project("Putin rejected the offer");
        let quote = p.labels.by_name("Quote").unwrap_or_default();
        let r = range_of(&p, "the offer");
        let edit = p.tag(r, quote).unwrap_or(Edit::Batch(vec![]));
        assert_eq!(p.apply(&edit), Ok(()));
        assert_eq!(p.tag(r, quote), None);
        assert!(
            p.tag(r, p.labels.by_name("Claim").unwrap_or_default())
                .is_some()
        );
        assert_eq!(p.tag(range_of(&p, " "), quote), None, "whitespace only");
    }

    #[test]
    fn offsets_are_exact_on_emoji_flags_combining_marks_and_cjk() {
        let text = "🇺🇦 Zelensky said \u{201c}e\u{301}tude 東京\u{201d} 👩‍👩‍👧 ok";
        let mut p = project(text);
        let quote = p.labels.by_name("Quote").unwrap_or_default();
        let r = range_of(&p, "e\u{301}tude 東京");
        assert_eq!(r, CharRange::new(18, 27).unwrap_or_default());
        let edit = p.tag(r, quote).unwrap_or(Edit::Batch(vec![]));
        assert_eq!(p.apply(&edit), Ok(()));
        assert_eq!(
            render(&p),
            "🇺🇦 Zelensky said \u{201c}[Quote:e\u{301}tude 東京]\u{201d} 👩‍👩‍👧 ok"
        );
        let family = range_of(&p, "👩‍👩‍👧");
        assert_eq!(family.len(), 5, "a ZWJ family is five scalar values");
    }

    #[test]
    fn relabel_resize_and_note_are_undoable_changes() {
        let mut p = project("one two three");
        let mut h = History::default();
        let claim = p.labels.by_name("Claim").unwrap_or_default();
        let quote = p.labels.by_name("Quote").unwrap_or_default();
        let add = p
            .tag(range_of(&p, "two"), claim)
            .unwrap_or(Edit::Batch(vec![]));
        let id = p.fresh_id();
        assert_eq!(h.apply(&mut p, add), Ok(()));
        let relabel = p
            .change(id, |s| s.label = quote)
            .unwrap_or(Edit::Batch(vec![]));
        assert_eq!(relabel.describe(), "relabel span");
        assert_eq!(h.apply(&mut p, relabel), Ok(()));
        let grow = p
            .change(id, |s| s.range = CharRange::new(4, 13).unwrap_or_default())
            .unwrap_or(Edit::Batch(vec![]));
        assert_eq!(h.apply(&mut p, grow), Ok(()));
        let note = p
            .change(id, |s| s.note = "check".into())
            .unwrap_or(Edit::Batch(vec![]));
        assert_eq!(h.apply(&mut p, note), Ok(()));
        assert_eq!(render(&p), "one [Quote:two three]");
        for _ in 0..3 {
            assert!(matches!(h.undo(&mut p), Some(Ok(_))));
        }
        assert_eq!(render(&p), "one [Claim:two] three");
        assert_eq!(p.spans().get(id).map(|s| s.note.as_str()), Some(""));
    }

    #[test]
    fn a_refused_batch_changes_nothing() {
        let mut p = project("abc def");
        let claim = p.labels.by_name("Claim").unwrap_or_default();
        let ok = p
            .tag(range_of(&p, "abc"), claim)
            .unwrap_or(Edit::Batch(vec![]));
        let bad = Edit::AddSpan(Span {
            id: SpanId(99),
            range: CharRange::new(5, 50).unwrap_or_default(),
            label: claim,
            note: String::new(),
            status: Status::Confirmed,
        });
        assert!(matches!(
            p.apply(&Edit::Batch(vec![ok, bad])),
            Err(EditError::OutOfRange { .. })
        ));
        assert!(p.spans().is_empty());
    }
}
