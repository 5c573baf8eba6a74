//! Edits: every change to a project, as a value that can be inverted.
//!
//! Applying an edit and then its [`Edit::inverse`] gives back the project exactly as it was,
//! so undo is "apply the inverse" and redo is "apply the edit again". `Project::apply` is
//! the only way an open project changes; [`super::History`] records the edits.
//!
//! ```text
//!   "Putin rejected the offer"      apply AddSpan[Claim:6..14]
//!   "Putin [Claim:rejected] the offer"
//!   apply the inverse, RemoveSpan[Claim:6..14]  →  "Putin rejected the offer"
//! ```

use super::label::LabelSet;
use super::project::Project;
use super::span::{Orphan, Span, SpanId, Status};

/// One reversible change to a project.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Edit {
    /// Add this span.
    AddSpan(Span),
    /// Remove this span (it must be present exactly like this).
    RemoveSpan(Span),
    /// Replace a span by another with the same id (relabel, resize, note, status).
    ChangeSpan {
        /// The span as it is now.
        before: Span,
        /// The span as it will be.
        after: Span,
    },
    /// Add an orphan.
    AddOrphan(Orphan),
    /// Remove this orphan.
    RemoveOrphan(Orphan),
    /// Replace the label set: add, rename, recolour, change key or description, reorder or
    /// delete labels. Label ids are stable, so no span changes with it.
    SetLabels {
        /// The set as it is now.
        before: LabelSet,
        /// The set as it will be.
        after: LabelSet,
    },
    /// Mark the document done (or not done).
    SetDone {
        /// The state now.
        before: bool,
        /// The state it will be.
        after: bool,
    },
    /// Replace the whole project: the spans moved onto a corrected article text.
    ReplaceProject {
        /// The project as it is now.
        before: Box<Project>,
        /// The project as it will be.
        after: Box<Project>,
    },
    /// Several edits applied as one step, in order.
    Batch(Vec<Edit>),
}

impl Edit {
    /// The edit that undoes this one.
    #[must_use]
    pub fn inverse(&self) -> Self {
        match self {
            Self::AddSpan(s) => Self::RemoveSpan(s.clone()),
            Self::RemoveSpan(s) => Self::AddSpan(s.clone()),
            Self::ChangeSpan { before, after } => Self::ChangeSpan {
                before: after.clone(),
                after: before.clone(),
            },
            Self::AddOrphan(o) => Self::RemoveOrphan(o.clone()),
            Self::RemoveOrphan(o) => Self::AddOrphan(o.clone()),
            Self::SetLabels { before, after } => Self::SetLabels {
                before: after.clone(),
                after: before.clone(),
            },
            Self::SetDone { before, after } => Self::SetDone {
                before: *after,
                after: *before,
            },
            Self::ReplaceProject { before, after } => Self::ReplaceProject {
                before: after.clone(),
                after: before.clone(),
            },
            Self::Batch(edits) => Self::Batch(edits.iter().rev().map(Self::inverse).collect()),
        }
    }

    /// A short description for menus and the status bar ("add span", "edit note", …).
    #[must_use]
    pub fn describe(&self) -> &'static str {
        match self {
            Self::AddSpan(_) => "add span",
            Self::RemoveSpan(_) => "delete span",
            Self::ChangeSpan { before, after } => {
                if before.label != after.label {
                    "relabel span"
                } else if before.range != after.range {
                    "resize span"
                } else if before.note != after.note {
                    "edit note"
                } else {
                    match after.status {
                        Status::Confirmed
                            if matches!(before.status, Status::Suggested | Status::Rejected) =>
                        {
                            "accept suggestion"
                        }
                        Status::Rejected => "reject suggestion",
                        _ => "change status",
                    }
                }
            }
            Self::AddOrphan(_) => "add orphan",
            Self::RemoveOrphan(_) => "delete orphan",
            Self::SetLabels { .. } => "change labels",
            Self::SetDone { after: true, .. } => "mark done",
            Self::SetDone { after: false, .. } => "mark not done",
            Self::ReplaceProject { .. } => "replace article text",
            Self::Batch(edits) => match edits.as_slice() {
                [only] => only.describe(),
                [Self::RemoveOrphan(_), Self::AddSpan(_)] => "place orphan",
                [Self::AddSpan(first), rest @ ..]
                    if first.status == Status::Confirmed
                        && rest.iter().all(|e| {
                            matches!(e, Self::AddSpan(s) if s.status == Status::Suggested)
                        }) =>
                {
                    "add span"
                }
                _ if edits
                    .iter()
                    .all(|e| matches!(e, Self::AddSpan(s) if s.status == Status::Suggested)) =>
                {
                    "add suggestions"
                }
                _ if edits.iter().all(|e| matches!(e, Self::AddSpan(_))) => "add spans",
                _ if edits
                    .iter()
                    .all(|e| matches!(e, Self::ChangeSpan { after, .. } if after.status == Status::Confirmed)) =>
                {
                    "accept suggestions"
                }
                _ => "several changes",
            },
        }
    }

    /// True when the edit changes the article text (caches of its layout must go).
    #[must_use]
    pub fn changes_article(&self) -> bool {
        match self {
            Self::ReplaceProject { before, after } => before.article() != after.article(),
            Self::Batch(edits) => edits.iter().any(Self::changes_article),
            _ => false,
        }
    }

    /// The span this edit is about, to select and show after undo or redo: the span it adds
    /// or changes (or, undone, brings back).
    #[must_use]
    pub fn subject(&self) -> Option<SpanId> {
        match self {
            Self::AddSpan(s) | Self::RemoveSpan(s) => Some(s.id),
            Self::ChangeSpan { after, .. } => Some(after.id),
            Self::Batch(edits) => edits.iter().find_map(Self::subject),
            _ => None,
        }
    }

    /// True for a note change of span `id` only (so typing a note coalesces into one step).
    #[must_use]
    pub(crate) fn is_note_change(&self) -> Option<SpanId> {
        match self {
            Self::ChangeSpan { before, after } if only_note_differs(before, after) => {
                Some(after.id)
            }
            _ => None,
        }
    }
}

fn only_note_differs(a: &Span, b: &Span) -> bool {
    a.id == b.id && a.range == b.range && a.label == b.label && a.status == b.status
}
