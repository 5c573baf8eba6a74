//! What the UI asks the app to do. Widgets never change the project themselves: they push a
//! [`Command`], and the app applies all of them once per frame, in one place, where undo,
//! the unsaved marker and autosave hook in. Answers to modal questions come back the same
//! way.

use std::path::PathBuf;

use crate::model::curation::Choice;
use crate::model::{CharRange, LabelId, LabelSet, SpanId, Status};

/// Which file the user wants to pick.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OpenKind {
    /// A text file to annotate.
    Article,
    /// A `.ron` project.
    Project,
}

/// Where a caret movement goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CaretMove {
    /// One char towards the start.
    Left,
    /// One char towards the end.
    Right,
    /// To the start of the previous word.
    WordLeft,
    /// To the end of the next word.
    WordRight,
    /// To the start of the line (the visual row).
    LineStart,
    /// To the end of the line (the visual row).
    LineEnd,
}

/// The answer to "save your unsaved changes first?".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnsavedChoice {
    /// Save, then go on.
    Save,
    /// Go on and give the changes up.
    Discard,
    /// Do nothing.
    Cancel,
}

/// The answer to "the file changed on disk".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConflictChoice {
    /// Save under another name.
    SaveAs,
    /// Replace the other version with ours.
    Overwrite,
    /// Do not save.
    Cancel,
}

/// The answer to "restore unsaved work from an earlier session?".
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RecoveryChoice {
    /// Open it.
    Restore,
    /// Delete it for good.
    Discard,
    /// Keep it for the next start.
    NotNow,
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
    /// Select the span `n` rows below (or above, when negative) the selected one in the
    /// review list.
    StepReview(isize),
    /// Run the suggesters on the open document.
    Suggest,
    /// Run the suggesters on every document of the open corpus, learning across them.
    SuggestCorpus,
    /// Stop the run over every document (documents not begun are left as they are).
    CancelSuggestCorpus,
    /// Accept (or reject) the selected suggestion and go on to the next one.
    Decide {
        /// Accept rather than reject.
        accept: bool,
    },
    /// Accept every suggestion with the selected suggestion's label in this document.
    AcceptAll,
    /// Curate these projects against each other (one path: against the open project).
    Compare(Vec<PathBuf>),
    /// Ask for another analyst's project to compare the open one with.
    AskCompare,
    /// Focus disagreement `n` of the curation.
    FocusDisagreement(usize),
    /// Step to the next (or previous) unsettled disagreement.
    StepDisagreement {
        /// Towards the end.
        forward: bool,
    },
    /// Settle the focused disagreement.
    Curate(Choice),
    /// Select the focused disagreement's text to tag it by hand.
    EditDisagreement,
    /// Settle merge conflict `number` with this choice.
    ResolveConflict(u32, crate::model::merge::Choice),
    /// Ask for a corpus folder to open.
    OpenFolder,
    /// File → Export…: the export dialog.
    Export,
    /// File → Import…: the import dialog.
    Import,
    /// Open document `n` of the corpus (saving the open one first).
    OpenDoc(usize),
    /// The next (or previous) document in the documents panel's order.
    StepDoc {
        /// Towards the end of the list.
        forward: bool,
    },
    /// The next document that is not done.
    NextUnfinished,
    /// Mark the open document done, or not done again.
    ToggleDone,
    /// Open (or focus) the corpus search.
    OpenCorpusSearch,
    /// Move the highlighted corpus search result.
    CorpusSearchStep(isize),
    /// Open the document of corpus search result `n` at its match.
    OpenHit(usize),
    /// Close the corpus search.
    CloseCorpusSearch,
    /// Show the corpus dashboard.
    ShowDashboard,
    /// Give the open document the corpus scheme's label colours and keys.
    UseScheme,
    /// Add the open document's labels to the corpus scheme.
    AddLabelsToScheme,
    /// Switch saving the open document when moving to another on or off.
    ToggleSaveOnSwitch,
    /// Clear the text selection and deselect the span (Esc).
    ClearSelection,
    /// Select this text in the article and bring it into view.
    SelectText(CharRange),
    /// Move the caret (extending the selection with `extend`).
    MoveCaret {
        /// Where to.
        to: CaretMove,
        /// Keep the selection's anchor (Shift held).
        extend: bool,
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
    /// Replace the label set (the label editor's add, rename, recolour, key, reorder).
    SetLabels(LabelSet),
    /// Delete a label, relabelling its spans to another one when given.
    DeleteLabel {
        /// The label to delete.
        label: LabelId,
        /// Where its spans go; without one, a label in use is refused.
        relabel_to: Option<LabelId>,
    },
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
    /// Change the article's text size by this many steps (0 resets it).
    Zoom(i8),
    /// Open the find bar (or focus it).
    OpenFind,
    /// Select the current find match (or move to the next or previous one and select it).
    FindStep {
        /// Towards the end of the article.
        forward: bool,
    },
    /// Close the find bar, keeping the selection.
    CloseFind,
    /// Show a window: the label editor, the shortcuts or About.
    Show(Window),
    /// Dismiss the newest message (or all of them).
    DismissMessages {
        /// Every message rather than the newest.
        all: bool,
    },
    /// The path prompt was answered (`None`: cancelled).
    PromptAnswer(Option<PathBuf>),
    /// The unsaved-changes question was answered.
    UnsavedAnswer(UnsavedChoice),
    /// The file-changed-on-disk question was answered.
    ConflictAnswer(ConflictChoice),
    /// The recovery offer was answered.
    RecoveryAnswer(RecoveryChoice),
    /// Close the open modal window.
    CloseModal,
}

/// A window the app can show over the article.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Window {
    /// Add, rename, recolour, reorder and delete labels.
    LabelEditor,
    /// The keyboard shortcuts.
    Shortcuts,
    /// Version, licence, project link.
    About,
}
