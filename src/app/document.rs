//! The open document: a project, its undo history, and where it lives on disk.
//!
//! Every change to the project goes through [`Document::apply`] (or undo and redo here),
//! which records it in the history; the rest of the app only reads the project.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::model::{Edit, EditError, History, Project, SpanId};

/// What a file looked like on disk: enough to notice that someone else wrote it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DiskStamp {
    modified: Option<std::time::SystemTime>,
    len: u64,
}

impl DiskStamp {
    /// The stamp of the file at `path` now, if it exists.
    #[must_use]
    pub fn of(path: &Path) -> Option<Self> {
        let meta = std::fs::metadata(path).ok()?;
        Some(Self {
            modified: meta.modified().ok(),
            len: meta.len(),
        })
    }
}

/// A number no other article layout has had: caches of the view key on it.
fn next_generation() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// What undo or redo did, for the status line and to show the span it concerned.
pub struct Stepped {
    /// "add span", "edit note", …
    pub what: &'static str,
    /// The span to select and show.
    pub subject: Option<SpanId>,
}

/// The open document.
pub struct Document {
    project: Project,
    history: History,
    /// The project file it was opened from or last saved to.
    pub path: Option<PathBuf>,
    generation: u64,
    /// The project file as it was when last read or written, to notice other writers.
    pub disk: Option<DiskStamp>,
}

impl Document {
    /// A document for `project`, read from (or to be saved to) `path`.
    #[must_use]
    pub fn new(project: Project, path: Option<PathBuf>) -> Self {
        let disk = path.as_deref().and_then(DiskStamp::of);
        Self {
            project,
            history: History::default(),
            path,
            generation: next_generation(),
            disk,
        }
    }

    /// The project being edited.
    #[must_use]
    pub fn project(&self) -> &Project {
        &self.project
    }

    /// Its undo history and saved mark.
    #[must_use]
    pub fn history(&self) -> &History {
        &self.history
    }

    /// Changes whenever the article text changes (a new document, a replaced text): the
    /// view's layout caches key on it.
    #[must_use]
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// True when there are unsaved changes.
    #[must_use]
    pub fn is_dirty(&self) -> bool {
        self.history.is_dirty()
    }

    /// Apply `edit` through the history.
    pub fn apply(&mut self, edit: Edit) -> Result<(), EditError> {
        let new_text = edit.changes_article();
        self.history.apply(&mut self.project, edit)?;
        if new_text {
            self.generation = next_generation();
        }
        Ok(())
    }

    /// Apply a note edit, merged with the previous keystrokes into one undo step.
    pub fn apply_note(&mut self, edit: Edit) -> Result<(), EditError> {
        self.history.apply_coalescing_note(&mut self.project, edit)
    }

    /// Undo the last change, if any.
    pub fn undo(&mut self) -> Option<Result<Stepped, EditError>> {
        let result = self
            .history
            .undo(&mut self.project)?
            .map(|e| (stepped(e), e.changes_article()));
        Some(result.map(|(s, new_text)| self.after_step(s, new_text)))
    }

    /// Redo the last undone change, if any.
    pub fn redo(&mut self) -> Option<Result<Stepped, EditError>> {
        let result = self
            .history
            .redo(&mut self.project)?
            .map(|e| (stepped(e), e.changes_article()));
        Some(result.map(|(s, new_text)| self.after_step(s, new_text)))
    }

    fn after_step(&mut self, stepped: Stepped, new_text: bool) -> Stepped {
        if new_text {
            self.generation = next_generation();
        }
        stepped
    }

    /// The work is on disk at `path` now.
    pub fn mark_saved(&mut self, path: PathBuf) {
        self.history.mark_saved();
        self.disk = DiskStamp::of(&path);
        self.path = Some(path);
    }

    /// Nothing on disk holds this state (restored work): it must be saved to be kept.
    pub fn mark_unsaved(&mut self) {
        self.history.mark_unsaved();
    }

    /// True when someone else wrote the project file since we read or wrote it.
    #[must_use]
    pub fn changed_on_disk(&self, path: &Path) -> bool {
        self.path.as_deref() == Some(path)
            && self.disk.is_some()
            && DiskStamp::of(path) != self.disk
    }

    /// The name shown in the title bar and the status bar.
    #[must_use]
    pub fn display_name(&self) -> String {
        match &self.path {
            Some(p) => p.file_name().map_or_else(
                || p.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            ),
            None => format!("{} (not saved yet)", self.project.article().name()),
        }
    }

    /// The path that names this document's recovery file: its project file, or for a
    /// project never saved, the article it was imported from.
    #[must_use]
    pub fn recovery_key(&self) -> Option<PathBuf> {
        self.path
            .clone()
            .or_else(|| self.project.article().source().cloned())
    }
}

fn stepped(edit: &Edit) -> Stepped {
    Stepped {
        what: edit.describe(),
        subject: edit.subject(),
    }
}

/// `NAME.ron`, or `NAME-2.ron`, `NAME-3.ron`, … : the first that does not exist in `dir`, so
/// that the first save of a project never proposes to replace another one.
#[must_use]
pub fn free_name(dir: &Path, name: &str) -> String {
    let candidate = format!("{name}.ron");
    if !dir.join(&candidate).exists() {
        return candidate;
    }
    (2..1000)
        .map(|n| format!("{name}-{n}.ron"))
        .find(|c| !dir.join(c).exists())
        .unwrap_or(candidate)
}

/// True for paths spanmark opens as projects rather than articles.
#[must_use]
pub fn is_project_path(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("ron"))
}
