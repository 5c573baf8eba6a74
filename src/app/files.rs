//! Files: opening articles and projects (large ones on a background task), saving through
//! the safe save, asking for paths (a native dialog, or the app's own prompt), and the
//! unsaved-changes guard in front of everything that closes the open document.

use std::path::{Path, PathBuf};

use crate::format::{self, LoadError, Loaded, SaveError};
use crate::model::reanchor::{Outcome, ReanchorReport, reanchor};
use crate::model::{Article, Edit, LabelSet, Project};
use crate::ui::command::{Command, OpenKind};
use crate::ui::dialogs::{DialogRequest, PathPrompt, Purpose};

use super::document::{free_name, is_project_path};
use super::modals::Modal;
use super::tasks::{Task, TaskError};
use super::{SpanmarkApp, plural};

/// Articles larger than this are opened on a background thread with a progress window.
const BACKGROUND_OPEN_BYTES: u64 = 2 * 1024 * 1024;
/// How many recent files are remembered.
const MAX_RECENT: usize = 10;
/// A native dialog that answers `None` faster than this never appeared (no portal, no
/// zenity): the app's own prompt is shown instead.
const INSTANT_ANSWER: std::time::Duration = std::time::Duration::from_millis(250);

/// What to do once the unsaved-changes question is answered.
#[derive(Clone, Debug, PartialEq)]
pub enum Deferred {
    /// Close the window.
    Quit,
    /// Ask for a file to open.
    Open(OpenKind),
    /// Open this file.
    OpenPath(PathBuf),
    /// Curate these projects (one: against the open project).
    Compare(Vec<PathBuf>),
    /// Open document `n` of the corpus.
    OpenDoc(usize),
}

/// Why a file could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    /// The project file is broken.
    #[error(transparent)]
    Project(#[from] LoadError),
    /// The article could not be read.
    #[error(transparent)]
    Article(#[from] format::ImportError),
    /// The background task failed.
    #[error(transparent)]
    Task(#[from] TaskError),
}

/// What opening a file gave.
pub enum Opened {
    /// An article to annotate.
    Article(Article),
    /// A project.
    Project(Box<Loaded>),
    /// The open project moved onto a new version of its article.
    Replaced(Box<(Project, ReanchorReport)>),
}

/// A file being opened (or re-anchored onto) in the background.
pub struct Loading {
    /// The file.
    pub path: PathBuf,
    /// The work.
    pub task: Task<Result<Opened, OpenError>>,
}

fn open_file(path: &Path) -> Result<Opened, OpenError> {
    if is_project_path(path) {
        Ok(Opened::Project(Box::new(format::read_project(path)?)))
    } else {
        Ok(Opened::Article(format::import_article(path)?))
    }
}

impl SpanmarkApp {
    pub(super) fn remember_recent(&mut self, path: &Path) {
        let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
        self.settings.recent.retain(|p| p != &path);
        self.settings.recent.insert(0, path);
        self.settings.recent.truncate(MAX_RECENT);
    }

    /// Open a file now, or on a background thread when it is large; a folder opens as a
    /// corpus.
    pub(super) fn open_path(&mut self, ctx: &egui::Context, path: PathBuf) {
        if path.is_dir() {
            self.open_corpus(ctx, path);
            return;
        }
        // Opening a single file leaves the corpus.
        self.corpus = None;
        let size = std::fs::metadata(&path).map_or(0, |m| m.len());
        if size > BACKGROUND_OPEN_BYTES {
            let source = path.clone();
            self.in_background(ctx, "open-file", path, move || open_file(&source));
            return;
        }
        let opened = open_file(&path);
        self.finish_open(&path, opened);
    }

    /// Move the project's spans onto the article at `path`, on a background thread.
    pub(super) fn replace_article(&mut self, ctx: &egui::Context, path: PathBuf) {
        let old = self.doc.project().clone();
        let source = path.clone();
        self.in_background(ctx, "reanchor", path, move || {
            let article = format::import_article(&source)?;
            Ok(Opened::Replaced(Box::new(reanchor(&old, article))))
        });
    }

    /// Run `job` on its own thread while the window shows a progress modal; its result is
    /// taken up by `poll`.
    fn in_background(
        &mut self,
        ctx: &egui::Context,
        name: &str,
        path: PathBuf,
        job: impl FnOnce() -> Result<Opened, OpenError> + Send + 'static,
    ) {
        match Task::spawn(ctx, name, job) {
            Ok(task) => self.loading = Some(Loading { path, task }),
            Err(e) => self
                .messages
                .error(format!("{e}: {}", path.display()), Vec::new()),
        }
    }

    pub(super) fn finish_open(&mut self, path: &Path, opened: Result<Opened, OpenError>) {
        match opened {
            Ok(Opened::Replaced(replaced)) => {
                let (project, report) = *replaced;
                self.replaced(path, project, &report);
            }
            Ok(Opened::Article(article)) => {
                self.set_document(Project::new(article, LabelSet::default()), None);
                self.say(format!("Opened article {}", path.display()));
                self.remember_recent(path);
                self.offer_recovery(false);
            }
            Ok(Opened::Project(loaded)) => {
                let Loaded { project, warnings } = *loaded;
                self.set_document(project, Some(path.to_owned()));
                self.say(format!("Opened project {}", path.display()));
                if !warnings.is_empty() {
                    self.messages.warning(
                        format!(
                            "{} in {} could not be placed and {} listed under Orphans in the review panel.",
                            plural(warnings.len(), "span"),
                            path.display(),
                            if warnings.len() == 1 { "is" } else { "are" }
                        ),
                        warnings,
                    );
                }
                self.remember_recent(path);
                self.offer_recovery(false);
            }
            Err(e) => {
                self.discard_on_replace = false;
                self.messages
                    .error(format!("{e}. The open document is unchanged."), Vec::new());
            }
        }
    }

    /// The spans moved onto a new article text: one undoable step.
    fn replaced(&mut self, path: &Path, project: Project, report: &ReanchorReport) {
        let old = self.doc.project().clone();
        let edit = Edit::ReplaceProject {
            before: Box::new(old.clone()),
            after: Box::new(project),
        };
        if let Err(e) = self.doc.apply(edit) {
            self.messages
                .error(format!("The spans could not be moved: {e}"), Vec::new());
            return;
        }
        self.selected = None;
        self.flagged_was.clear();
        let mut details: Vec<String> = Vec::new();
        for (id, outcome) in &report.outcomes {
            match outcome {
                Outcome::Kept | Outcome::Moved { .. } => {}
                Outcome::Flagged { to, similarity } => {
                    if let Some(span) = old.spans().get(*id) {
                        self.flagged_was.insert(*id, old.span_text(span).to_owned());
                    }
                    details.push(format!(
                        "span {} placed on changed text at {to} ({:.0}% alike): needs review",
                        id.0,
                        similarity * 100.0
                    ));
                }
                Outcome::Orphaned { reason } => {
                    details.push(format!("span {} is now an orphan: {reason}", id.0));
                }
            }
        }
        let text = format!(
            "Moved the spans onto {}: {} kept, {} moved, {} flagged for review, {} orphaned. \
             Review the flagged ones (Needs review filter) and place or delete the orphans; Ctrl+Z undoes it.",
            path.display(),
            report.kept,
            report.moved,
            report.flagged,
            report.orphaned
        );
        if report.flagged + report.orphaned > 0 {
            self.messages.warning(text, details);
        } else {
            self.say(text);
        }
        if report.flagged > 0 {
            self.review.only = crate::ui::span_list::Only::NeedsReview;
        }
    }

    /// Ask for a path: a native dialog if one can appear, else the app's own prompt.
    pub(super) fn ask_path(&mut self, ctx: &egui::Context, request: DialogRequest) {
        match self.dialogs.ask(&request, ctx) {
            Some(answer) => self.dialog = Some((request, Task::from_receiver(answer))),
            None => self.modal = Some(Modal::Prompt(PathPrompt::new(request))),
        }
    }

    pub(super) fn request_for(&self, purpose: Purpose) -> DialogRequest {
        let start_dir = match purpose {
            Purpose::SaveAs => self
                .doc
                .path
                .as_ref()
                .and_then(|p| p.parent().map(Path::to_owned))
                .unwrap_or_else(|| self.save_dir.clone()),
            _ => self
                .settings
                .recent
                .first()
                .and_then(|p| p.parent().map(Path::to_owned))
                .unwrap_or_else(|| std::env::current_dir().unwrap_or_default()),
        };
        let file_name = match purpose {
            Purpose::SaveAs => Some(
                self.doc
                    .path
                    .as_ref()
                    .and_then(|p| p.file_name())
                    .map_or_else(
                        || free_name(&start_dir, self.doc.project().article().name()),
                        |n| n.to_string_lossy().into_owned(),
                    ),
            ),
            _ => None,
        };
        let start_dir = if purpose == Purpose::SaveAs || start_dir.as_os_str().is_empty() {
            start_dir
        } else {
            // Pre-fill prompts with a trailing separator so typing a name just works.
            start_dir.join("")
        };
        DialogRequest {
            purpose,
            start_dir,
            file_name,
        }
    }

    /// A path arrived from a dialog or the prompt.
    pub(super) fn path_chosen(&mut self, ctx: &egui::Context, purpose: Purpose, path: PathBuf) {
        match purpose {
            Purpose::OpenArticle | Purpose::OpenProject => self.open_path(ctx, path),
            Purpose::SaveAs => self.commands.push(Command::SaveTo(path)),
            Purpose::ReplaceArticle => self.replace_article(ctx, path),
            Purpose::Compare => self.commands.push(Command::Compare(vec![path])),
            Purpose::OpenFolder => self.commands.push(Command::OpenPath(path)),
            // The export and import dialogs take their paths themselves.
            Purpose::ExportFolder | Purpose::ImportFile | Purpose::ImportFolder => {}
        }
    }

    /// The path prompt was confirmed with `path`: check it, then use it.
    pub(super) fn prompt_confirmed(&mut self, ctx: &egui::Context, path: PathBuf) {
        let Some(Modal::Prompt(prompt)) = &mut self.modal else {
            return;
        };
        let purpose = prompt.request.purpose;
        let with_ext = if path.extension().is_none() {
            path.with_extension("ron")
        } else {
            path.clone()
        };
        let replacing = purpose == Purpose::SaveAs
            && with_ext.exists()
            && self.doc.path.as_deref() != Some(with_ext.as_path())
            && self.replace_asked.as_deref() != Some(with_ext.as_path());
        let problem = match purpose {
            Purpose::SaveAs if replacing => {
                self.replace_asked = Some(with_ext.clone());
                Some(format!(
                    "{} already exists. Press Enter again to replace it (its current version is kept as .bak), or change the name.",
                    with_ext.display()
                ))
            }
            Purpose::SaveAs => path
                .parent()
                .filter(|d| !d.as_os_str().is_empty() && !d.is_dir())
                .map(|d| format!("The folder {} does not exist.", d.display())),
            Purpose::OpenFolder if !path.is_dir() => {
                Some(format!("There is no folder at {}.", path.display()))
            }
            Purpose::OpenFolder => None,
            _ if !path.is_file() => Some(format!("There is no file at {}.", path.display())),
            _ => None,
        };
        if let Some(problem) = problem {
            prompt.error = Some(problem);
        } else {
            self.replace_asked = None;
            self.modal = None;
            self.path_chosen(ctx, purpose, path);
        }
    }

    /// The user walked away from a path question: nothing deferred happens.
    pub(super) fn path_cancelled(&mut self) {
        self.after_save = None;
        self.discard_on_replace = false;
        self.replace_asked = None;
    }

    /// Run `action` now, or ask first when there are unsaved changes.
    pub(super) fn guard(&mut self, ctx: &egui::Context, action: Deferred) {
        if self.is_dirty() {
            self.modal = Some(Modal::Unsaved(action));
        } else {
            self.run_deferred(ctx, action);
        }
    }

    pub(super) fn run_deferred(&mut self, ctx: &egui::Context, action: Deferred) {
        match action {
            Deferred::Quit => {
                self.allow_close = true;
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            Deferred::Open(kind) => {
                let purpose = match kind {
                    OpenKind::Article => Purpose::OpenArticle,
                    OpenKind::Project => Purpose::OpenProject,
                };
                let request = self.request_for(purpose);
                self.ask_path(ctx, request);
            }
            Deferred::OpenPath(path) => self.open_path(ctx, path),
            Deferred::Compare(paths) => self.start_curation(&paths),
            Deferred::OpenDoc(i) => self.open_doc(i),
        }
    }

    /// Save to `path` through the safe save; with `overwrite`, even when another program
    /// wrote the file since we read it.
    pub(super) fn save_to(&mut self, ctx: &egui::Context, path: PathBuf, overwrite: bool) {
        let path = if path.extension().is_none() {
            path.with_extension("ron")
        } else {
            path
        };
        // Someone else wrote our file since we read or wrote it: ask before replacing it.
        if !overwrite && self.doc.changed_on_disk(&path) {
            self.modal = Some(Modal::Conflict(path));
            return;
        }
        match format::write_project(&path, self.doc.project()) {
            Ok(()) => self.saved(ctx, path),
            Err(e) => self.save_failed(&e),
        }
    }

    fn saved(&mut self, ctx: &egui::Context, path: PathBuf) {
        // The work is safe on disk now: the recovery file (under the old name, and under
        // the new one if a previous session left one) is no longer needed. An autosave
        // still being written would leave a stale one behind: wait for it.
        self.finish_autosave();
        self.discard_recovery();
        self.say(format!("Saved {}", path.display()));
        self.remember_recent(&path);
        self.doc.mark_saved(path);
        self.discard_recovery();
        self.doc_saved();
        if let Some(next) = self.after_save.take() {
            self.run_deferred(ctx, next);
        }
    }

    fn save_failed(&mut self, e: &SaveError) {
        self.after_save = None;
        self.messages.error(e.to_string(), Vec::new());
    }

    /// Answers from native dialogs, background opens and dropped files.
    pub(super) fn poll(&mut self, ctx: &egui::Context) {
        if let Some((request, task)) = &self.dialog
            && let Some(answer) = task.poll()
        {
            let fast = task.elapsed() < INSTANT_ANSWER;
            let request = request.clone();
            self.dialog = None;
            match answer.ok().flatten() {
                Some(path) => self.path_chosen(ctx, request.purpose, path),
                // No dialog appeared (no portal, no zenity): use our own prompt.
                None if fast => self.modal = Some(Modal::Prompt(PathPrompt::new(request))),
                None => self.path_cancelled(),
            }
        }
        if let Some(loading) = &self.loading
            && let Some(opened) = loading.task.poll()
        {
            let path = loading.path.clone();
            self.loading = None;
            self.finish_open(&path, opened.map_err(OpenError::from).and_then(|r| r));
        }
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_owned())
                .filter(|p| !p.as_os_str().is_empty())
                .collect()
        });
        if let Some(path) = dropped.into_iter().next() {
            self.commands.push(Command::OpenPath(path));
        }
    }
}
