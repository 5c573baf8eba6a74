//! A project: the article, its labels, its spans and the spans that lost their place.
//!
//! An open project changes only through [`Project::apply`] with an [`Edit`], which checks
//! the edit against the project first, so a project is always consistent: every span lies
//! inside the article, has a known label, and no two spans share both range and label.
//! [`Project::tag`] and [`Project::change`] build the edits for the usual actions and say
//! why when there is nothing to do ([`Refusal`]).

use super::article::Article;
use super::edit::Edit;
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
    /// A label set change would leave spans with a label that no longer exists.
    #[error("{spans} span(s) still use label \"{label}\"")]
    LabelInUse {
        /// The label's name.
        label: String,
        /// How many spans use it.
        spans: usize,
    },
    /// The project is not in the state the edit was made for.
    #[error("the project changed since this edit was made")]
    Stale,
}

/// Why [`Project::tag`] or [`Project::change`] made no edit. Each says what the analyst
/// can do instead.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// The range holds only whitespace (or nothing).
    #[error("the selection is only whitespace; nothing was tagged")]
    OnlyWhitespace,
    /// The same text already carries this label.
    #[error("that text is already tagged {label}")]
    AlreadyTagged {
        /// The existing span.
        id: SpanId,
        /// The label's name.
        label: String,
    },
    /// The label id names no label of this project.
    #[error("there is no such label")]
    UnknownLabel,
    /// The span does not exist (any more).
    #[error("that span no longer exists")]
    NoSuchSpan,
    /// The change would leave the span as it is.
    #[error("nothing to change")]
    Unchanged,
    /// The change would make the span empty or push it past the article's end.
    #[error("a span must cover at least one char of the article")]
    BadRange,
}

/// Everything the analyst works on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Project {
    article: Article,
    labels: LabelSet,
    spans: SpanSet,
    orphans: Vec<Orphan>,
    done: bool,
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
            done: false,
        }
    }

    /// The text being annotated.
    #[must_use]
    pub fn article(&self) -> &Article {
        &self.article
    }

    /// The labels available.
    #[must_use]
    pub fn labels(&self) -> &LabelSet {
        &self.labels
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

    /// True when the analyst marked the document done.
    #[must_use]
    pub fn is_done(&self) -> bool {
        self.done
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

    /// The edit that tags `range` (trimmed of surrounding whitespace) with `label`.
    ///
    /// A rejected or pending suggestion of the same text and label is turned into a
    /// confirmed span rather than duplicated.
    pub fn tag(&self, range: CharRange, label: LabelId) -> Result<Edit, Refusal> {
        let Some(name) = self.labels.get(label).map(|l| l.name.clone()) else {
            return Err(Refusal::UnknownLabel);
        };
        let range = self.article.trim_range(range);
        if range.is_empty() {
            return Err(Refusal::OnlyWhitespace);
        }
        if let Some(id) = self.spans.find(range, label) {
            return match self.spans.get(id) {
                Some(s) if !s.status.is_annotation() => self.change(id, |s| {
                    s.status = Status::Confirmed;
                }),
                _ => Err(Refusal::AlreadyTagged { id, label: name }),
            };
        }
        Ok(Edit::AddSpan(Span {
            id: self.fresh_id(),
            range,
            label,
            note: String::new(),
            status: Status::Confirmed,
        }))
    }

    /// The edit that changes span `id` with `change`.
    pub fn change(&self, id: SpanId, change: impl FnOnce(&mut Span)) -> Result<Edit, Refusal> {
        let before = self.spans.get(id).ok_or(Refusal::NoSuchSpan)?.clone();
        let mut after = before.clone();
        change(&mut after);
        after.id = before.id;
        if after == before {
            return Err(Refusal::Unchanged);
        }
        if after.range.is_empty() || after.range.end().get() > self.article.char_len() {
            return Err(Refusal::BadRange);
        }
        if self.labels.get(after.label).is_none() {
            return Err(Refusal::UnknownLabel);
        }
        if (after.range, after.label) != (before.range, before.label)
            && let Some(other) = self.spans.find(after.range, after.label)
        {
            return Err(Refusal::AlreadyTagged {
                id: other,
                label: self.labels.name(after.label).to_owned(),
            });
        }
        Ok(Edit::ChangeSpan { before, after })
    }

    /// The edit that deletes span `id`.
    pub fn delete(&self, id: SpanId) -> Result<Edit, Refusal> {
        self.spans
            .get(id)
            .cloned()
            .map(Edit::RemoveSpan)
            .ok_or(Refusal::NoSuchSpan)
    }

    /// The edit that deletes label `id`, first relabelling its spans (and suggestions) to
    /// `relabel_to` when given. Without `relabel_to`, a label that spans still use is
    /// refused by [`Project::apply`] with [`EditError::LabelInUse`].
    #[must_use]
    pub fn delete_label(&self, id: LabelId, relabel_to: Option<LabelId>) -> Option<Edit> {
        let after = self.labels.without(id).ok()?;
        let mut edits: Vec<Edit> = Vec::new();
        if let Some(to) = relabel_to.filter(|&to| to != id) {
            // Relabelling onto a span that already has the target label would duplicate it:
            // that span is deleted instead (its twin keeps the text tagged).
            for s in self.spans.iter().filter(|s| s.label == id) {
                let twin = self.spans.find(s.range, to).is_some();
                edits.push(if twin {
                    Edit::RemoveSpan(s.clone())
                } else {
                    Edit::ChangeSpan {
                        before: s.clone(),
                        after: Span {
                            label: to,
                            ..s.clone()
                        },
                    }
                });
            }
        }
        edits.push(Edit::SetLabels {
            before: self.labels.clone(),
            after,
        });
        Some(Edit::Batch(edits))
    }

    /// Add a span, as [`Edit::AddSpan`] through [`Project::apply`] (for loaders and
    /// importers that build a project before anyone edits it).
    pub fn insert_span(&mut self, span: Span) -> Result<(), EditError> {
        self.apply(&Edit::AddSpan(span))
    }

    /// Add an orphan, as [`Edit::AddOrphan`] through [`Project::apply`] (for loaders).
    pub fn insert_orphan(&mut self, orphan: Orphan) {
        // Adding an orphan cannot be refused.
        let _ = self.apply(&Edit::AddOrphan(orphan));
    }

    /// Mark the project done or not, as [`Edit::SetDone`] through [`Project::apply`] (for
    /// loaders).
    pub fn set_done(&mut self, done: bool) {
        let _ = self.apply(&Edit::SetDone {
            before: self.done,
            after: done,
        });
    }

    /// Remember the file the article now lives in (an import writing it beside its
    /// project). Where the text came from is not an annotation: this is no undoable edit.
    pub fn set_article_source(&mut self, source: std::path::PathBuf) {
        self.article = self.article.with_source(source);
    }

    fn check_span(&self, span: &Span) -> Result<(), EditError> {
        let len = self.article.char_len();
        if span.range.end().get() > len {
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
            Edit::AddSpan(span) => {
                self.check_span(span)?;
                self.spans.insert(span.clone())?;
                Ok(())
            }
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
                let i = self.orphans.partition_point(|o| o.id < orphan.id);
                self.orphans.insert(i, orphan.clone());
                Ok(())
            }
            Edit::RemoveOrphan(orphan) => {
                let Some(i) = self.orphans.iter().position(|o| o == orphan) else {
                    return Err(EditError::Missing(orphan.id.0));
                };
                self.orphans.remove(i);
                Ok(())
            }
            Edit::SetLabels { before, after } => {
                if &self.labels != before {
                    return Err(EditError::Stale);
                }
                if let Some((id, label)) = before.iter().find(|(id, _)| after.get(*id).is_none()) {
                    let spans = Status::ALL
                        .iter()
                        .map(|&st| self.spans.count_with(id, st))
                        .sum();
                    if spans > 0 {
                        return Err(EditError::LabelInUse {
                            label: label.name.clone(),
                            spans,
                        });
                    }
                }
                self.labels = after.clone();
                Ok(())
            }
            Edit::SetDone { before, after } => {
                if self.done != *before {
                    return Err(EditError::Stale);
                }
                self.done = *after;
                Ok(())
            }
            Edit::ReplaceProject { before, after } => {
                if self != before.as_ref() {
                    return Err(EditError::Stale);
                }
                *self = after.as_ref().clone();
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
    use crate::model::label::{Label, Rgb};
    use crate::model::notation::{parse, render};

    type Result<T = ()> = std::result::Result<T, Box<dyn std::error::Error>>;

    fn project(text: &str) -> Project {
        Project::new(Article::new("t", None, text), LabelSet::default())
    }

    fn range_of(p: &Project, needle: &str) -> CharRange {
        let byte = p.article().text().find(needle).unwrap_or(0);
        let start = p.article().char_of_byte(byte);
        CharRange::at(start, needle.chars().count())
    }

    fn label(p: &Project, name: &str) -> LabelId {
        p.labels().by_name(name).unwrap_or_default()
    }

    fn describe(r: Option<std::result::Result<&Edit, EditError>>) -> Option<&'static str> {
        r.and_then(std::result::Result::ok).map(Edit::describe)
    }

    #[test]
    fn tag_trims_whitespace_and_undo_redo_round_trip() -> Result {
        let mut p = project("Putin rejected the offer");
        let mut h = History::default();
        let edit = p.tag(range_of(&p, " rejected "), label(&p, "Claim"))?;
        h.apply(&mut p, edit)?;
        assert_eq!(render(&p), "Putin [Claim:rejected] the offer");
        assert!(h.is_dirty());
        assert_eq!(describe(h.undo(&mut p)), Some("add span"));
        assert_eq!(render(&p), "Putin rejected the offer");
        assert!(!h.is_dirty());
        assert_eq!(describe(h.redo(&mut p)), Some("add span"));
        assert_eq!(render(&p), "Putin [Claim:rejected] the offer");
        assert!(h.redo(&mut p).is_none());
        Ok(())
    }

    #[test]
    fn tagging_the_same_range_twice_with_the_same_label_is_refused_with_the_reason() -> Result {
        let mut p = parse("Putin rejected [Quote:the offer]")?;
        let (quote, claim) = (label(&p, "Quote"), label(&p, "Claim"));
        let r = range_of(&p, "the offer");
        assert_eq!(
            p.tag(r, quote),
            Err(Refusal::AlreadyTagged {
                id: SpanId(0),
                label: "Quote".to_owned()
            })
        );
        assert!(p.tag(r, claim).is_ok());
        assert_eq!(
            p.tag(range_of(&p, " "), quote),
            Err(Refusal::OnlyWhitespace)
        );
        assert_eq!(p.tag(r, LabelId(99)), Err(Refusal::UnknownLabel));
        p.apply(&p.delete(SpanId(0))?)?;
        assert_eq!(p.delete(SpanId(0)), Err(Refusal::NoSuchSpan));
        Ok(())
    }

    #[test]
    fn tagging_a_suggested_or_rejected_text_confirms_it_instead_of_duplicating_it() -> Result {
        let mut p = parse("[Claim?:Prices rose 3%] and [Quote-:we won]")?;
        for needle in ["Prices rose 3%", "we won"] {
            let r = range_of(&p, needle);
            let l = if needle == "we won" { "Quote" } else { "Claim" };
            let edit = p.tag(r, label(&p, l))?;
            assert_eq!(edit.describe(), "accept suggestion");
            p.apply(&edit)?;
        }
        assert_eq!(render(&p), "[Claim:Prices rose 3%] and [Quote:we won]");
        Ok(())
    }

    #[test]
    fn offsets_are_exact_on_emoji_flags_combining_marks_and_cjk() -> Result {
        let text = "🇺🇦 Zelensky said \u{201c}e\u{301}tude 東京\u{201d} 👩‍👩‍👧 ok";
        let mut p = project(text);
        let r = range_of(&p, "e\u{301}tude 東京");
        assert_eq!(CharRange::new(18, 27), Some(r));
        p.apply(&p.tag(r, label(&p, "Quote"))?)?;
        assert_eq!(
            render(&p),
            "🇺🇦 Zelensky said \u{201c}[Quote:e\u{301}tude 東京]\u{201d} 👩‍👩‍👧 ok"
        );
        assert_eq!(
            range_of(&p, "👩‍👩‍👧").len(),
            5,
            "a ZWJ family is five scalar values"
        );
        Ok(())
    }

    #[test]
    fn relabel_resize_and_note_are_undoable_changes() -> Result {
        let mut p = parse("one [Claim:two] three")?;
        let mut h = History::default();
        let id = SpanId(0);
        let quote = label(&p, "Quote");
        let relabel = p.change(id, |s| s.label = quote)?;
        assert_eq!(relabel.describe(), "relabel span");
        h.apply(&mut p, relabel)?;
        let grow = CharRange::new(4, 13).ok_or("range")?;
        let edit = p.change(id, |s| s.range = grow)?;
        h.apply(&mut p, edit)?;
        let edit = p.change(id, |s| s.note = "check".into())?;
        h.apply(&mut p, edit)?;
        assert_eq!(render(&p), "one [Quote:two three]");
        assert_eq!(p.change(id, |s| s.label = quote), Err(Refusal::Unchanged));
        assert_eq!(
            p.change(id, |s| s.range = CharRange::new(4, 99).unwrap_or_default()),
            Err(Refusal::BadRange)
        );
        for _ in 0..3 {
            assert!(matches!(h.undo(&mut p), Some(Ok(_))));
        }
        assert_eq!(render(&p), "one [Claim:two] three");
        assert_eq!(p.spans().get(id).map(|s| s.note.as_str()), Some(""));
        Ok(())
    }

    #[test]
    fn a_refused_batch_changes_nothing() -> Result {
        let mut p = project("abc def");
        let claim = label(&p, "Claim");
        let ok = p.tag(range_of(&p, "abc"), claim)?;
        let bad = Edit::AddSpan(Span {
            id: SpanId(99),
            range: CharRange::new(5, 50).ok_or("range")?,
            label: claim,
            note: String::new(),
            status: Status::Confirmed,
        });
        assert!(matches!(
            p.apply(&Edit::Batch(vec![ok, bad])),
            Err(EditError::OutOfRange { .. })
        ));
        assert!(p.spans().is_empty());
        Ok(())
    }

    #[test]
    fn deleting_a_label_in_use_is_refused_unless_its_spans_are_relabelled() -> Result {
        let mut p = parse("[Claim:a] [Quote:b] [Claim:c] [Claim:[Quote:d]]")?;
        let (claim, quote) = (label(&p, "Claim"), label(&p, "Quote"));
        let plain = p.delete_label(claim, None).ok_or("no edit")?;
        assert_eq!(
            p.apply(&plain),
            Err(EditError::LabelInUse {
                label: "Claim".to_owned(),
                spans: 3
            })
        );
        assert_eq!(
            render(&p),
            "[Claim:a] [Quote:b] [Claim:c] [Claim:[Quote:d]]"
        );
        let mut h = History::default();
        let edit = p.delete_label(claim, Some(quote)).ok_or("no edit")?;
        h.apply(&mut p, edit)?;
        assert_eq!(render(&p), "[Quote:a] [Quote:b] [Quote:c] [Quote:d]");
        assert_eq!(p.labels().by_name("Claim"), None);
        h.undo(&mut p);
        assert_eq!(
            render(&p),
            "[Claim:a] [Quote:b] [Claim:c] [Claim:[Quote:d]]"
        );
        Ok(())
    }

    #[test]
    fn label_changes_and_done_are_undoable_edits() -> Result {
        let mut p = parse("[Claim:a]")?;
        let mut h = History::default();
        let (added, _) = p
            .labels()
            .with_added(Label::new("Source", Rgb([1, 2, 3])))?;
        let edit = Edit::SetLabels {
            before: p.labels().clone(),
            after: added,
        };
        h.apply(&mut p, edit)?;
        h.apply(
            &mut p,
            Edit::SetDone {
                before: false,
                after: true,
            },
        )?;
        assert!(p.is_done());
        assert!(p.labels().by_name("Source").is_some());
        assert_eq!(describe(h.undo(&mut p)), Some("mark done"));
        assert!(!p.is_done());
        h.undo(&mut p);
        assert!(p.labels().by_name("Source").is_none());
        // A stale edit (made for another state) changes nothing.
        assert_eq!(
            p.apply(&Edit::SetDone {
                before: true,
                after: false
            }),
            Err(EditError::Stale)
        );
        Ok(())
    }
}

#[cfg(test)]
mod inverse_props {
    //! An edit followed by its inverse gives back the same project, for random projects and
    //! random edits of every kind.

    use proptest::prelude::*;

    use super::*;
    use crate::model::label::{Label, Rgb};

    fn arb_project() -> impl Strategy<Value = Project> {
        let text = "Putin rejected the offer.\nЗеленский 東京 🇺🇦 e\u{301}tude, «ok».";
        prop::collection::vec((0usize..60, 1usize..20, 0u16..3, 0usize..4), 0..12).prop_map(
            move |raw| {
                let mut p = Project::new(Article::new("t", None, text), LabelSet::default());
                let len = p.article().char_len();
                for (start, n, label, status) in raw {
                    let start = start % len;
                    let end = (start + n).min(len);
                    let span = Span {
                        id: p.fresh_id(),
                        range: CharRange::new(start, end).unwrap_or_default(),
                        label: LabelId(label),
                        note: format!("n{start}"),
                        status: Status::ALL.get(status).copied().unwrap_or_default(),
                    };
                    let _ = p.insert_span(span);
                }
                p
            },
        )
    }

    fn arb_edit(p: &Project, pick: usize, a: usize, b: usize) -> Option<Edit> {
        let ids: Vec<SpanId> = p.spans().iter().map(|s| s.id).collect();
        let id = ids
            .get(pick % ids.len().max(1))
            .copied()
            .unwrap_or_default();
        let range = CharRange::new(a.min(b), a.max(b) + 1)?;
        let label = LabelId((pick % 3) as u16);
        match pick % 8 {
            0 => p.tag(range, label).ok(),
            1 => p.delete(id).ok(),
            2 => p.change(id, |s| s.range = range).ok(),
            3 => p.change(id, |s| s.label = label).ok(),
            4 => p
                .change(id, |s| {
                    s.status = Status::ALL.get(a % 4).copied().unwrap_or_default();
                })
                .ok(),
            5 => p.delete_label(label, Some(LabelId(((pick + 1) % 3) as u16))),
            6 => Some(Edit::SetLabels {
                before: p.labels().clone(),
                after: p
                    .labels()
                    .with_added(Label::new(format!("L{a}"), Rgb([0, 0, 0])))
                    .ok()?
                    .0
                    .with_moved(label, -1),
            }),
            _ => Some(Edit::SetDone {
                before: p.is_done(),
                after: !p.is_done(),
            }),
        }
    }

    proptest! {
        #[test]
        fn an_edit_then_its_inverse_gives_back_the_same_project(
            p in arb_project(),
            steps in prop::collection::vec((0usize..100, 0usize..60, 0usize..60), 1..6),
        ) {
            let mut p = p;
            for (pick, a, b) in steps {
                let len = p.article().char_len().saturating_sub(1);
                let Some(edit) = arb_edit(&p, pick, a % len, b % len) else { continue };
                let before = p.clone();
                if p.apply(&edit).is_err() {
                    prop_assert_eq!(&p, &before, "a refused edit changed the project");
                    continue;
                }
                let after = p.clone();
                prop_assert!(p.apply(&edit.inverse()).is_ok());
                prop_assert_eq!(&p, &before);
                prop_assert!(p.apply(&edit).is_ok());
                prop_assert_eq!(&p, &after);
            }
        }
    }
}
