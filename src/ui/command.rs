//! What the UI asks the app to do. Widgets never change the project themselves: they push a
//! [`Command`], and `App` applies all of them once per frame, in one place, where undo, the
//! unsaved marker and autosave hook in.

use std::path::PathBuf;

use crate::model::{CharRange, LabelId, SpanId, Status};

/// Which file the user wants to pick.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OpenKind {
    /// A text file to annotate.
    Article,
    /// A `.ron` project.
    Project,
}

/// One request from the UI.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Tag the current text selection with this label, or relabel the selected span.
    ApplyLabel(LabelId),
    /// Delete the selected span.
    DeleteSelected,
    /// Select a span (or none); with `scroll`, bring it into view.
    SelectSpan {
        /// The span, or `None` to deselect.
        id: Option<SpanId>,
        /// Scroll the article to it.
        scroll: bool,
    },
    /// Move a span's bounds to this range.
    ResizeSpan(SpanId, CharRange),
    /// Replace a span's note.
    SetNote(SpanId, String),
    /// Set a span's review status.
    SetStatus(SpanId, Status),
    /// Turn an orphan into a span at `range`.
    PlaceOrphan(SpanId, CharRange),
    /// Delete an orphan.
    DeleteOrphan(SpanId),
    /// Undo the last change.
    Undo,
    /// Redo the last undone change.
    Redo,
    /// Ask for a file to open.
    Open(OpenKind),
    /// Open this file (project if `.ron`, article otherwise).
    OpenPath(PathBuf),
    /// Save to the project's file, asking for one if it has none.
    Save,
    /// Save under a new name.
    SaveAs,
    /// Save to this path.
    SaveTo(PathBuf),
    /// Ask for a new version of the article and move the spans onto it.
    ReplaceArticle,
    /// Close the window (asking first if there are unsaved changes).
    Quit,
    /// Copy the selected text (or the selected span's text) to the clipboard.
    Copy,
    /// Switch between light, dark and system theme.
    SetTheme(egui::ThemePreference),
}
