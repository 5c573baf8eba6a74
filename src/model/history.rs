//! Undo and redo as invertible edits.
//!
//! Every change to a project is an [`Edit`] value. Applying an edit and then its
//! [`Edit::inverse`] gives back the project exactly as it was, so undo is "apply the inverse"
//! and redo is "apply the edit again". History is unlimited within a session.
//!
//! ```text
//!   "Putin rejected the offer"      apply AddSpan[Claim:6..14]
//!   "Putin [Claim:rejected] the offer"
//!   undo = apply RemoveSpan[Claim:6..14]  →  "Putin rejected the offer"
//! ```

use super::project::{EditError, Project};
use super::span::{Orphan, Span};

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
                    "change status"
                }
            }
            Self::AddOrphan(_) => "add orphan",
            Self::RemoveOrphan(_) => "delete orphan",
            Self::Batch(_) => "several changes",
        }
    }
}

fn only_note_differs(a: &Span, b: &Span) -> bool {
    a.id == b.id && a.range == b.range && a.label == b.label && a.status == b.status
}

/// Undo and redo stacks plus the "saved" mark.
#[derive(Clone, Debug, Default)]
pub struct History {
    /// Applied edits, most recent last, each with the serial of the state it led to.
    undo: Vec<(u64, Edit)>,
    /// Undone edits, most recently undone last.
    redo: Vec<(u64, Edit)>,
    next_serial: u64,
    /// Serial of the state that was last saved (0 = the state the project was opened in).
    saved_state: u64,
}

impl History {
    /// Apply `edit` to `project` and record it. A new edit clears the redo stack.
    pub fn apply(&mut self, project: &mut Project, edit: Edit) -> Result<(), EditError> {
        project.apply(&edit)?;
        self.next_serial += 1;
        self.undo.push((self.next_serial, edit));
        self.redo.clear();
        Ok(())
    }

    /// Apply a note edit, merging it into the previous step when that step only edited the
    /// same span's note, so that typing a note is one undo step rather than one per key.
    pub fn apply_coalescing_note(
        &mut self,
        project: &mut Project,
        edit: Edit,
    ) -> Result<(), EditError> {
        let merged = match (&edit, self.undo.last()) {
            (
                Edit::ChangeSpan { before, after },
                Some((
                    _,
                    Edit::ChangeSpan {
                        before: first,
                        after: last,
                    },
                )),
            ) if self.redo.is_empty()
                && last == before
                && first.id == after.id
                && only_note_differs(first, last)
                && only_note_differs(before, after) =>
            {
                Some(Edit::ChangeSpan {
                    before: first.clone(),
                    after: after.clone(),
                })
            }
            _ => None,
        };
        let Some(merged) = merged else {
            return self.apply(project, edit);
        };
        project.apply(&edit)?;
        self.undo.pop();
        self.next_serial += 1;
        self.undo.push((self.next_serial, merged));
        Ok(())
    }

    /// Undo the last edit; returns what was undone.
    pub fn undo(&mut self, project: &mut Project) -> Option<Result<&'static str, EditError>> {
        let (serial, edit) = self.undo.pop()?;
        if let Err(e) = project.apply(&edit.inverse()) {
            self.undo.push((serial, edit));
            return Some(Err(e));
        }
        let what = edit.describe();
        self.redo.push((serial, edit));
        Some(Ok(what))
    }

    /// Redo the last undone edit; returns what was redone.
    pub fn redo(&mut self, project: &mut Project) -> Option<Result<&'static str, EditError>> {
        let (serial, edit) = self.redo.pop()?;
        if let Err(e) = project.apply(&edit) {
            self.redo.push((serial, edit));
            return Some(Err(e));
        }
        let what = edit.describe();
        self.undo.push((serial, edit));
        Some(Ok(what))
    }

    /// True when there is something to undo.
    #[must_use]
    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    /// True when there is something to redo.
    #[must_use]
    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// What undo would undo.
    #[must_use]
    pub fn undo_name(&self) -> Option<&'static str> {
        self.undo.last().map(|(_, e)| e.describe())
    }

    /// What redo would redo.
    #[must_use]
    pub fn redo_name(&self) -> Option<&'static str> {
        self.redo.last().map(|(_, e)| e.describe())
    }

    fn current_state(&self) -> u64 {
        self.undo.last().map_or(0, |(s, _)| *s)
    }

    /// Remember the current state as saved.
    pub fn mark_saved(&mut self) {
        self.saved_state = self.current_state();
    }

    /// Forget the saved state, e.g. after restoring unsaved work: nothing matches disk.
    pub fn mark_unsaved(&mut self) {
        self.saved_state = u64::MAX;
    }

    /// True when the project differs from what was last saved (or opened).
    #[must_use]
    pub fn is_dirty(&self) -> bool {
        self.current_state() != self.saved_state
    }

    /// A number that changes whenever the project's state changes (for autosave timing).
    #[must_use]
    pub fn state_serial(&self) -> u64 {
        self.current_state()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Article, LabelSet};

    #[test]
    fn typing_a_note_is_one_undo_step() {
        let mut p = Project::new(Article::new("t", None, "one two"), LabelSet::default());
        let mut h = History::default();
        let claim = p.labels.by_name("Claim").unwrap_or_default();
        let add = p.tag(
            crate::model::CharRange::new(0, 3).unwrap_or_default(),
            claim,
        );
        let id = p.fresh_id();
        assert_eq!(h.apply(&mut p, add.unwrap_or(Edit::Batch(vec![]))), Ok(()));
        for note in ["c", "ch", "che", "chec", "check"] {
            let edit = p
                .change(id, |s| s.note = note.to_owned())
                .unwrap_or(Edit::Batch(vec![]));
            assert_eq!(h.apply_coalescing_note(&mut p, edit), Ok(()));
        }
        assert_eq!(p.spans().get(id).map(|s| s.note.as_str()), Some("check"));
        assert_eq!(h.undo(&mut p), Some(Ok("edit note")));
        assert_eq!(p.spans().get(id).map(|s| s.note.as_str()), Some(""));
        assert_eq!(h.undo(&mut p), Some(Ok("add span")));
        assert!(p.spans().is_empty());
    }
}
