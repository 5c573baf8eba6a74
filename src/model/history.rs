//! Undo and redo: the stacks of applied and undone [`Edit`]s, and the "saved" mark.
//!
//! History is unlimited within a session. Every entry carries the serial of the state it led
//! to, so "is this the state that was saved?" is one comparison.

use super::edit::Edit;
use super::project::{EditError, Project};

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
                Edit::ChangeSpan { after, .. },
                Some((
                    _,
                    previous @ Edit::ChangeSpan {
                        before: first,
                        after: last,
                    },
                )),
            ) if self.redo.is_empty()
                && edit.is_note_change() == Some(after.id)
                && previous.is_note_change() == Some(after.id)
                && Some(last) == edit_before(&edit) =>
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

    /// Undo the last edit; returns the edit that was undone.
    pub fn undo(&mut self, project: &mut Project) -> Option<Result<&Edit, EditError>> {
        let (serial, edit) = self.undo.pop()?;
        if let Err(e) = project.apply(&edit.inverse()) {
            self.undo.push((serial, edit));
            return Some(Err(e));
        }
        self.redo.push((serial, edit));
        self.redo.last().map(|(_, e)| Ok(e))
    }

    /// Redo the last undone edit; returns the edit that was redone.
    pub fn redo(&mut self, project: &mut Project) -> Option<Result<&Edit, EditError>> {
        let (serial, edit) = self.redo.pop()?;
        if let Err(e) = project.apply(&edit) {
            self.redo.push((serial, edit));
            return Some(Err(e));
        }
        self.undo.push((serial, edit));
        self.undo.last().map(|(_, e)| Ok(e))
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

fn edit_before(edit: &Edit) -> Option<&super::span::Span> {
    match edit {
        Edit::ChangeSpan { before, .. } => Some(before),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::notation::parse;
    use crate::model::span::SpanId;

    #[test]
    fn typing_a_note_is_one_undo_step() -> Result<(), Box<dyn std::error::Error>> {
        let mut p = parse("[Claim:one] two")?;
        let mut h = History::default();
        let id = SpanId(0);
        for note in ["c", "ch", "che", "chec", "check"] {
            let edit = p.change(id, |s| s.note = note.to_owned())?;
            h.apply_coalescing_note(&mut p, edit)?;
        }
        assert_eq!(p.spans().get(id).map(|s| s.note.as_str()), Some("check"));
        let undone = h.undo(&mut p).and_then(Result::ok).map(Edit::describe);
        assert_eq!(undone, Some("edit note"));
        assert_eq!(p.spans().get(id).map(|s| s.note.as_str()), Some(""));
        assert!(!h.can_undo(), "the five keystrokes were one step");
        Ok(())
    }
}
