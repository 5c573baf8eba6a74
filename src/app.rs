//! The eframe application: owns the project, the UI state and the command queue.
//!
//! This is the one place where state changes. Each frame the UI functions read the project
//! and push [`Command`]s; `SpanmarkApp::apply` then carries them out in order. Undo, the
//! unsaved marker, the window title and autosave all hook in there.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::sync::mpsc::Receiver;
use std::time::Instant;

use egui::{Key, KeyboardShortcut, Modifiers, RichText};
use serde::{Deserialize, Serialize};

use crate::format::{self, Loaded, recovery};
use crate::model::reanchor::{ReanchorReport, reanchor};
use crate::model::{Article, CharRange, Edit, History, LabelSet, Project, Span, SpanId, Status};
use crate::ui::article_view::{ArticleViewState, article_view_ui};
use crate::ui::command::{Command, OpenKind};
use crate::ui::dialogs::{
    self, DialogRequest, FileDialogs, NativeDialogs, PathPrompt, PendingDialog, PromptOutcome,
    Purpose,
};
use crate::ui::label_bar::label_bar_ui;
use crate::ui::span_list::{ReviewState, review_panel_ui};

/// Unsaved work is written to the recovery file this long after the last change.
const AUTOSAVE_DELAY_SECS: f64 = 3.0;

/// Articles larger than this are opened on a background thread with a progress window.
const BACKGROUND_OPEN_BYTES: u64 = 2 * 1024 * 1024;
/// How many recent files are remembered.
const MAX_RECENT: usize = 10;

/// The sample article, compiled in so that `spanmark` always has something to open.
const SAMPLE_ARTICLE: &str = include_str!("../assets/sample-article.txt");

/// Keyboard shortcuts, in the order they are checked (most specific first).
const SAVE_AS: KeyboardShortcut =
    KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::S);
const SAVE: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::S);
const OPEN_PROJECT: KeyboardShortcut =
    KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::O);
const OPEN: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::O);
const REDO_SHIFT: KeyboardShortcut =
    KeyboardShortcut::new(Modifiers::COMMAND.plus(Modifiers::SHIFT), Key::Z);
const UNDO: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Z);
const REDO: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Y);
const QUIT: KeyboardShortcut = KeyboardShortcut::new(Modifiers::COMMAND, Key::Q);

/// Settings kept between runs (window size is kept by eframe itself).
#[derive(Serialize, Deserialize, Default)]
#[serde(default)]
struct Settings {
    /// Most recent first.
    recent: Vec<PathBuf>,
    /// "system", "light" or "dark".
    theme: String,
}

const SETTINGS_KEY: &str = "spanmark-settings";

/// The open document: a project, its history and where it lives on disk.
pub struct Document {
    /// The project being edited.
    pub project: Project,
    /// Its undo history and saved mark.
    pub history: History,
    /// The project file it was opened from or last saved to.
    pub path: Option<PathBuf>,
    /// Changes whenever a different article is loaded (caches key on it).
    pub generation: u64,
    /// The project file as it was when last read or written, to notice other writers.
    disk: Option<DiskStamp>,
}

/// What a file looked like on disk: enough to notice that someone else wrote it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct DiskStamp {
    modified: Option<std::time::SystemTime>,
    len: u64,
}

impl DiskStamp {
    fn of(path: &Path) -> Option<Self> {
        let meta = std::fs::metadata(path).ok()?;
        Some(Self {
            modified: meta.modified().ok(),
            len: meta.len(),
        })
    }
}

impl Document {
    fn display_name(&self) -> String {
        match &self.path {
            Some(p) => p.file_name().map_or_else(
                || p.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            ),
            None => format!("{} (not saved yet)", self.project.article.name()),
        }
    }
}

/// How serious a message is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Severity {
    /// Something failed; nothing was changed.
    Error,
    /// It worked, but the user should know something.
    Warning,
    /// It worked; here is what happened.
    Info,
}

/// A message shown in a banner above the article until dismissed.
#[derive(Clone, Debug)]
pub struct Banner {
    /// How serious it is.
    pub severity: Severity,
    /// One line.
    pub text: String,
    /// More lines, shown on request.
    pub details: Vec<String>,
}

/// What to do once the unsaved-changes question is answered.
#[derive(Clone, Debug, PartialEq)]
enum Deferred {
    Quit,
    Open(OpenKind),
    OpenPath(PathBuf),
}

/// A file being opened on a background thread.
struct Loading {
    path: PathBuf,
    answer: Receiver<Result<Opened, String>>,
    since: Instant,
}

/// What opening a file gave.
enum Opened {
    Article(Article),
    Project(Box<Loaded>),
    /// The open project moved onto a new version of its article.
    Replaced(Box<(Project, ReanchorReport)>),
}

/// How the app starts.
pub struct AppOptions {
    /// The file named on the command line; the sample article when `None`.
    pub file: Option<PathBuf>,
    /// Where file dialogs come from.
    pub dialogs: Box<dyn FileDialogs>,
    /// Folder proposed for a project's first save; `./saved`, else the documents folder.
    pub save_dir: Option<PathBuf>,
    /// Where autosave writes recovery files; `None` turns autosave and recovery off
    /// (benchmarks). [`AppOptions::native`] uses the platform's data folder, or
    /// `$SPANMARK_RECOVERY_DIR`.
    pub recovery_dir: Option<PathBuf>,
}

impl AppOptions {
    /// Native dialogs, default folders.
    #[must_use]
    pub fn native(file: Option<PathBuf>) -> Self {
        Self {
            file,
            dialogs: Box::new(NativeDialogs),
            save_dir: None,
            recovery_dir: recovery::dir(),
        }
    }
}

/// The spanmark window.
#[expect(
    clippy::struct_excessive_bools,
    reason = "independent flags of the window (close allowed, help shown, typing, discard), not one state"
)]
pub struct SpanmarkApp {
    doc: Document,
    view: ArticleViewState,
    review: ReviewState,
    selected: Option<SpanId>,
    commands: Vec<Command>,
    dialogs: Box<dyn FileDialogs>,
    pending_dialog: Option<PendingDialog>,
    prompt: Option<PathPrompt>,
    confirm: Option<Deferred>,
    /// A save waiting for the user to decide about a file changed on disk.
    conflict: Option<PathBuf>,
    after_save: Option<Deferred>,
    loading: Option<Loading>,
    banners: Vec<Banner>,
    status: String,
    settings: Settings,
    save_dir: PathBuf,
    allow_close: bool,
    title: String,
    show_shortcuts: bool,
    next_generation: u64,
    /// The user chose "Don't save": the open document's recovery file goes when it is closed.
    discard_on_replace: bool,
    /// A text field had keyboard focus at the end of the last frame (egui drops the focus
    /// on Esc before this frame's shortcuts run, so Esc must not also clear the selection).
    was_typing: bool,
    /// Refuse to replace this existing file from the path prompt until asked twice.
    replace_asked: Option<PathBuf>,
    autosave: Autosave,
    /// Unsaved work from earlier sessions, offered for restoring one after the other.
    recovery_offers: Vec<recovery::RecoveryFile>,
}

/// Autosave bookkeeping: when the project last changed and what was last written.
struct Autosave {
    dir: Option<PathBuf>,
    /// History state and the time (egui's clock) at which it was first seen.
    changed: Option<(u64, f64)>,
    /// History state of the last recovery write.
    written: Option<u64>,
    /// The recovery file this session writes; the document's usual one when `None`.
    target: Option<PathBuf>,
    /// A write in progress on its own thread; its result arrives here.
    pending: Option<Receiver<Result<PathBuf, String>>>,
    /// The last failure was already shown; don't repeat it every few seconds.
    error_shown: bool,
}

/// Start the window; returns when it is closed.
pub fn run(file: Option<PathBuf>) -> Result<(), String> {
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("spanmark")
        .with_app_id("spanmark")
        .with_inner_size([1280.0, 800.0])
        .with_min_inner_size([640.0, 400.0])
        .with_drag_and_drop(true);
    if let Ok(icon) = eframe::icon_data::from_png_bytes(include_bytes!("../assets/icon.png")) {
        viewport = viewport.with_icon(icon);
    }
    let options = eframe::NativeOptions {
        viewport,
        ..Default::default()
    };
    eframe::run_native(
        "spanmark",
        options,
        Box::new(move |cc| Ok(Box::new(SpanmarkApp::new(cc, AppOptions::native(file))))),
    )
    .map_err(|e| format!("could not open the window: {e}"))
}

/// `./saved` when it exists, else the platform's documents folder, else the current folder.
fn default_save_dir() -> PathBuf {
    let saved = PathBuf::from("saved");
    if saved.is_dir() {
        return saved;
    }
    directories::UserDirs::new()
        .and_then(|d| d.document_dir().map(Path::to_owned))
        .unwrap_or_else(|| PathBuf::from("."))
}

/// `NAME.ron`, or `NAME-2.ron`, `NAME-3.ron`, … : the first that does not exist in `dir`, so
/// that the first save of a project never proposes to replace another one.
fn free_name(dir: &Path, name: &str) -> String {
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
fn is_project_path(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("ron"))
}

fn open_file(path: &Path) -> Result<Opened, String> {
    if is_project_path(path) {
        format::read_project(path)
            .map(|loaded| Opened::Project(Box::new(loaded)))
            .map_err(|e| e.to_string())
    } else {
        format::import_article(path)
            .map(Opened::Article)
            .map_err(|e| e.to_string())
    }
}

impl SpanmarkApp {
    /// Build the app and open the starting file. A file that cannot be opened leaves the
    /// sample article open with the reason in a banner.
    #[must_use]
    pub fn new(cc: &eframe::CreationContext<'_>, options: AppOptions) -> Self {
        let settings: Settings = cc
            .storage
            .and_then(|s| eframe::get_value(s, SETTINGS_KEY))
            .unwrap_or_default();
        Self::with_settings(&cc.egui_ctx, settings, options)
    }

    /// Build the app without eframe (benchmarks and tools drive it with
    /// [`SpanmarkApp::frame_ui`] inside `egui::Context::run_ui`). Nothing is persisted.
    #[must_use]
    pub fn headless(ctx: &egui::Context, options: AppOptions) -> Self {
        Self::with_settings(ctx, Settings::default(), options)
    }

    fn with_settings(ctx: &egui::Context, settings: Settings, options: AppOptions) -> Self {
        let sample = Project::new(
            Article::new(
                "sample-article",
                Some(PathBuf::from("assets/sample-article.txt")),
                SAMPLE_ARTICLE,
            ),
            LabelSet::default(),
        );
        let mut app = Self {
            doc: Document {
                project: sample,
                history: History::default(),
                path: None,
                generation: 1,
                disk: None,
            },
            view: ArticleViewState::default(),
            review: ReviewState::default(),
            selected: None,
            commands: Vec::new(),
            dialogs: options.dialogs,
            pending_dialog: None,
            prompt: None,
            confirm: None,
            conflict: None,
            after_save: None,
            loading: None,
            banners: Vec::new(),
            status: String::new(),
            settings,
            save_dir: options.save_dir.unwrap_or_else(default_save_dir),
            allow_close: false,
            title: String::new(),
            show_shortcuts: false,
            next_generation: 2,
            discard_on_replace: false,
            was_typing: false,
            replace_asked: None,
            autosave: Autosave {
                dir: options.recovery_dir,
                changed: None,
                written: None,
                target: None,
                pending: None,
                error_shown: false,
            },
            recovery_offers: Vec::new(),
        };
        app.apply_theme(ctx);
        let started_without_file = options.file.is_none();
        if let Some(path) = options.file {
            app.open_path(ctx, path);
        } else {
            // Prefer the sample file on disk (so that its path is right); fall back to the
            // copy compiled in when spanmark runs from elsewhere.
            let on_disk = [
                PathBuf::from("assets/sample-article.txt"),
                Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/sample-article.txt"),
            ];
            if let Some(path) = on_disk.into_iter().find(|p| p.is_file())
                && let Ok(Opened::Article(article)) = open_file(&path)
            {
                app.set_document(Project::new(article, LabelSet::default()), None);
            }
        }
        // A file named on the command line is checked for unsaved work once it has opened
        // (large files open on a background thread), in `finish_open`.
        if started_without_file {
            app.offer_recovery(true);
        }
        app
    }

    /// The path that names the open document's recovery file: its project file, or for a
    /// project never saved, the article it was imported from.
    fn recovery_key(&self) -> Option<PathBuf> {
        self.doc
            .path
            .clone()
            .or_else(|| self.doc.project.article.source().cloned())
    }
    /// Look for unsaved work of the open document (or, when spanmark started without a
    /// file and there is none for it, of the most recent other document) and offer to
    /// restore it, oldest first.
    fn offer_recovery(&mut self, any_document: bool) {
        let Some(dir) = self.autosave.dir.clone() else {
            return;
        };
        let key = self.recovery_key();
        let mut found = recovery::find_all_in(&dir, key.as_deref());
        if found.is_empty() && any_document {
            found = recovery::find_any_in(&dir).into_iter().take(1).collect();
        }
        self.recovery_offers = found;
    }

    /// The file this session autosaves to.
    fn autosave_target(&self) -> Option<PathBuf> {
        let dir = self.autosave.dir.as_deref()?;
        let key = self.recovery_key();
        Some(
            self.autosave
                .target
                .clone()
                .unwrap_or_else(|| recovery::path_in(dir, key.as_deref())),
        )
    }
    fn restore(&mut self, file: &recovery::RecoveryFile) {
        match file.load() {
            Ok(Loaded { project, warnings }) => {
                let path = file.document.clone().filter(|p| is_project_path(p));
                let disk = path.as_deref().and_then(DiskStamp::of);
                self.set_document(project, path);
                // Go on autosaving into the restored file: it only ever holds more work.
                self.autosave.target = Some(file.path.clone());
                self.doc.disk = disk;
                // Nothing on disk holds this state: it must be saved to be kept.
                self.doc.history.mark_unsaved();
                self.say(format!("Restored unsaved work from {}", file.path.display()));
                if !warnings.is_empty() {
                    self.banners.push(Banner {
                        severity: Severity::Warning,
                        text: format!("{} span(s) of the restored work could not be placed and are listed under Orphans.", warnings.len()),
                        details: warnings,
                    });
                }
            }
            Err(e) => self.error(format!(
                "the unsaved work could not be restored: {e}. The recovery file was kept; open it as a project to look at it"
            )),
        }
    }
    fn discard_recovery(&mut self) {
        let Some(target) = self.autosave_target() else {
            return;
        };
        // Another session's work still waiting to be offered is never removed here.
        if self.recovery_offers.iter().any(|o| o.path == target) {
            return;
        }
        match std::fs::remove_file(&target) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => self.error(format!(
                "could not remove the recovery file ({e}): {}",
                target.display()
            )),
        }
        self.autosave.written = None;
    }

    /// Write the recovery file a few seconds after the last change, on its own thread.
    fn autosave(&mut self, ctx: &egui::Context) {
        if let Some(pending) = &self.autosave.pending
            && let Ok(result) = pending.try_recv()
        {
            self.autosave.pending = None;
            match result {
                Ok(_) => self.autosave.error_shown = false,
                Err(e) if !self.autosave.error_shown => {
                    self.autosave.error_shown = true;
                    self.autosave.written = None;
                    // Try again after the usual delay, not on every frame.
                    self.autosave.changed = None;
                    self.error(format!(
                        "autosave failed, so unsaved work is not protected against a crash: {e}"
                    ));
                }
                Err(_) => {
                    self.autosave.written = None;
                    self.autosave.changed = None;
                }
            }
        }
        if self.autosave.dir.is_none() {
            return;
        }
        if !self.is_dirty() && self.autosave.written.is_some() && self.autosave.pending.is_none() {
            // Undone back to what is on disk: the recovery file would only offer stale work.
            self.discard_recovery();
            return;
        }
        if !self.is_dirty() || self.autosave.pending.is_some() {
            return;
        }
        let state = self.doc.history.state_serial();
        if self.autosave.written == Some(state) {
            return;
        }
        let now = ctx.input(|i| i.time);
        let since = match self.autosave.changed {
            Some((seen, at)) if seen == state => now - at,
            _ => {
                self.autosave.changed = Some((state, now));
                0.0
            }
        };
        if since < AUTOSAVE_DELAY_SECS {
            ctx.request_repaint_after(std::time::Duration::from_secs_f64(
                AUTOSAVE_DELAY_SECS - since,
            ));
            return;
        }
        if self
            .autosave_target()
            .is_some_and(|t| self.recovery_offers.iter().any(|o| o.path == t))
        {
            // The usual file holds earlier work not yet restored or discarded.
            self.autosave_beside();
        }
        let Some(target) = self.autosave_target() else {
            return;
        };
        let project = self.doc.project.clone();
        let key = self.recovery_key();
        let (tx, rx) = std::sync::mpsc::channel();
        let thread_ctx = ctx.clone();
        let spawned = std::thread::Builder::new()
            .name("autosave".into())
            .spawn(move || {
                let result = recovery::write_to(&target, key.as_deref(), &project)
                    .map_err(|e| e.to_string());
                let _ = tx.send(result);
                thread_ctx.request_repaint();
            });
        if spawned.is_ok() {
            self.autosave.pending = Some(rx);
            self.autosave.written = Some(state);
        }
    }

    /// Autosave from now on into a recovery file of this session's own, beside the
    /// document's usual one (which holds another session's work the analyst kept).
    fn autosave_beside(&mut self) {
        if let Some(dir) = &self.autosave.dir {
            let key = self.recovery_key();
            self.autosave.target = Some(recovery::session_path_in(
                dir,
                key.as_deref(),
                std::process::id(),
            ));
        }
    }

    /// Wait for an autosave in progress (tests, and before quitting).
    pub fn finish_autosave(&mut self) {
        if let Some(pending) = self.autosave.pending.take()
            && let Ok(Err(e)) = pending.recv()
        {
            self.error(format!("autosave failed: {e}"));
        }
    }

    /// The open document (for tests and tools).
    #[must_use]
    pub fn document(&self) -> &Document {
        &self.doc
    }

    /// The article view's state (for tests).
    #[must_use]
    pub fn view(&self) -> &ArticleViewState {
        &self.view
    }

    /// The article view's state, to set a selection or scroll (for benchmarks and tools).
    pub fn view_mut(&mut self) -> &mut ArticleViewState {
        &mut self.view
    }

    /// True while a file is being opened on a background thread (the progress window shows).
    #[must_use]
    pub fn is_loading(&self) -> bool {
        self.loading.is_some()
    }

    /// The selected span.
    #[must_use]
    pub fn selected(&self) -> Option<SpanId> {
        self.selected
    }

    /// True when there are unsaved changes.
    #[must_use]
    pub fn is_dirty(&self) -> bool {
        self.doc.history.is_dirty()
    }

    /// The messages shown in banners.
    #[must_use]
    pub fn banners(&self) -> &[Banner] {
        &self.banners
    }

    /// The status line's transient message.
    #[must_use]
    pub fn status(&self) -> &str {
        &self.status
    }

    /// Queue a command as if the UI had sent it (for tests and tools).
    pub fn send(&mut self, command: Command) {
        self.commands.push(command);
    }

    fn set_document(&mut self, project: Project, path: Option<PathBuf>) {
        if std::mem::take(&mut self.discard_on_replace) {
            self.finish_autosave();
            self.discard_recovery();
        }
        self.autosave.changed = None;
        self.autosave.written = None;
        self.autosave.target = None;
        let disk = path.as_deref().and_then(DiskStamp::of);
        self.doc = Document {
            project,
            history: History::default(),
            path,
            generation: self.next_generation,
            disk,
        };
        self.next_generation += 1;
        self.selected = None;
        self.view.reset(self.doc.generation);
        self.review = ReviewState::default();
    }

    fn say(&mut self, text: impl Into<String>) {
        self.status = text.into();
    }

    fn error(&mut self, text: impl Into<String>) {
        self.banners.push(Banner {
            severity: Severity::Error,
            text: text.into(),
            details: Vec::new(),
        });
    }

    fn remember_recent(&mut self, path: &Path) {
        let path = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_owned());
        self.settings.recent.retain(|p| p != &path);
        self.settings.recent.insert(0, path);
        self.settings.recent.truncate(MAX_RECENT);
    }

    fn apply_theme(&self, ctx: &egui::Context) {
        ctx.set_theme(match self.settings.theme.as_str() {
            "light" => egui::ThemePreference::Light,
            "dark" => egui::ThemePreference::Dark,
            _ => egui::ThemePreference::System,
        });
    }

    /// Open a file now, or on a background thread when it is large.
    fn open_path(&mut self, ctx: &egui::Context, path: PathBuf) {
        let size = std::fs::metadata(&path).map_or(0, |m| m.len());
        if size > BACKGROUND_OPEN_BYTES {
            self.in_background(ctx, "open-file", path.clone(), move || open_file(&path));
            return;
        }
        let opened = open_file(&path);
        self.finish_open(&path, opened);
    }

    /// Move the project's spans onto the article at `path`, on a background thread.
    fn replace_article(&mut self, ctx: &egui::Context, path: PathBuf) {
        let old = self.doc.project.clone();
        let source = path.clone();
        self.in_background(ctx, "reanchor", path, move || {
            format::import_article(&source)
                .map(|article| Opened::Replaced(Box::new(reanchor(&old, article))))
                .map_err(|e| e.to_string())
        });
    }

    /// Run `job` (opening `path`, or re-anchoring onto it) on its own thread while the
    /// window shows a progress modal; its result is taken up by `poll`.
    fn in_background(
        &mut self,
        ctx: &egui::Context,
        name: &str,
        path: PathBuf,
        job: impl FnOnce() -> Result<Opened, String> + Send + 'static,
    ) {
        let (tx, rx) = std::sync::mpsc::channel();
        let thread_ctx = ctx.clone();
        let spawned = std::thread::Builder::new()
            .name(name.to_owned())
            .spawn(move || {
                let _ = tx.send(job());
                thread_ctx.request_repaint();
            });
        match spawned {
            Ok(_) => {
                self.loading = Some(Loading {
                    path,
                    answer: rx,
                    since: Instant::now(),
                });
            }
            Err(e) => self.error(format!(
                "could not start a background task ({e}): {}",
                path.display()
            )),
        }
    }

    fn finish_open(&mut self, path: &Path, opened: Result<Opened, String>) {
        match opened {
            Ok(Opened::Replaced(replaced)) => {
                let (project, report) = *replaced;
                let keep_path = self.doc.path.clone();
                let disk = self.doc.disk;
                self.set_document(project, keep_path);
                self.doc.disk = disk;
                self.doc.history.mark_unsaved();
                let mut details: Vec<String> = Vec::new();
                for (id, outcome) in &report.outcomes {
                    use crate::model::reanchor::Outcome;
                    match outcome {
                        Outcome::Kept | Outcome::Moved { .. } => {}
                        Outcome::Flagged { to, similarity } => details.push(format!(
                            "span {} placed on changed text at {to} ({:.0}% alike): needs review",
                            id.0,
                            similarity * 100.0
                        )),
                        Outcome::Orphaned { reason } => {
                            details.push(format!("span {} is now an orphan: {reason}", id.0));
                        }
                    }
                }
                self.banners.push(Banner {
                    severity: if report.flagged + report.orphaned > 0 { Severity::Warning } else { Severity::Info },
                    text: format!(
                        "Moved the spans onto {}: {} kept, {} moved, {} flagged for review, {} orphaned. \
                         Review the flagged ones (Needs review filter) and place or delete the orphans; save to keep the result.",
                        path.display(),
                        report.kept,
                        report.moved,
                        report.flagged,
                        report.orphaned
                    ),
                    details,
                });
                if report.flagged > 0 {
                    self.review.needs_review_only = true;
                }
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
                    self.banners.push(Banner {
                        severity: Severity::Warning,
                        text: format!(
                            "{} span(s) in {} could not be placed and are listed under Orphans in the review panel.",
                            warnings.len(),
                            path.display()
                        ),
                        details: warnings,
                    });
                }
                self.remember_recent(path);
                self.offer_recovery(false);
            }
            Err(message) => {
                self.discard_on_replace = false;
                self.error(format!("{message}. The open document is unchanged."));
            }
        }
    }

    /// Ask for a path: a native dialog if one can appear, else the app's own prompt.
    fn ask_path(&mut self, ctx: &egui::Context, request: DialogRequest) {
        match self.dialogs.ask(&request, ctx) {
            Some(answer) => {
                self.pending_dialog = Some(PendingDialog {
                    request,
                    answer,
                    since: Instant::now(),
                });
            }
            None => self.prompt = Some(PathPrompt::new(request)),
        }
    }

    fn request_for(&self, purpose: Purpose) -> DialogRequest {
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
                        || free_name(&start_dir, self.doc.project.article.name()),
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
    fn path_chosen(&mut self, ctx: &egui::Context, purpose: Purpose, path: PathBuf) {
        match purpose {
            Purpose::OpenArticle | Purpose::OpenProject => self.open_path(ctx, path),
            Purpose::SaveAs => self.commands.push(Command::SaveTo(path)),
            Purpose::ReplaceArticle => self.replace_article(ctx, path),
        }
    }

    /// Run `action` now, or ask first when there are unsaved changes.
    fn guard(&mut self, ctx: &egui::Context, action: Deferred) {
        if self.is_dirty() {
            self.confirm = Some(action);
        } else {
            self.run_deferred(ctx, action);
        }
    }

    fn run_deferred(&mut self, ctx: &egui::Context, action: Deferred) {
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
        }
    }

    fn save_to(&mut self, ctx: &egui::Context, path: PathBuf, overwrite: bool) {
        let path = if path.extension().is_none() {
            path.with_extension("ron")
        } else {
            path
        };
        // Someone else wrote our file since we read or wrote it: ask before replacing it.
        let ours = self.doc.path.as_deref() == Some(path.as_path());
        if !overwrite && ours && self.doc.disk.is_some() && DiskStamp::of(&path) != self.doc.disk {
            self.conflict = Some(path);
            return;
        }
        match format::write_project(&path, &self.doc.project) {
            Ok(()) => {
                // The work is safe on disk now: the recovery file (under the old name, and
                // under the new one if a previous session left one) is no longer needed. An
                // autosave still being written would leave a stale one behind: wait for it.
                self.finish_autosave();
                self.discard_recovery();
                self.doc.disk = DiskStamp::of(&path);
                self.doc.history.mark_saved();
                self.say(format!("Saved {}", path.display()));
                self.remember_recent(&path);
                self.doc.path = Some(path);
                self.discard_recovery();
                if let Some(next) = self.after_save.take() {
                    self.run_deferred(ctx, next);
                }
            }
            Err(e) => {
                self.after_save = None;
                self.error(e.to_string());
            }
        }
    }

    /// Apply one project edit through the history, reporting a refusal.
    fn edit(&mut self, edit: Edit) -> bool {
        match self.doc.history.apply(&mut self.doc.project, edit) {
            Ok(()) => true,
            Err(e) => {
                self.error(format!("that change could not be made: {e}"));
                false
            }
        }
    }

    fn apply_label(&mut self, label: crate::model::LabelId) {
        let name = self.doc.project.labels.name(label).to_owned();
        if let Some(selection) = self
            .view
            .selection
            .map(super::ui::article_view::Selection::range)
            .filter(|r| !r.is_empty())
        {
            let project = &self.doc.project;
            let trimmed = project.article.trim_range(selection);
            if trimmed.is_empty() {
                self.say("The selection is only whitespace; nothing was tagged.");
                return;
            }
            if let Some(existing) = project.spans().find(trimmed, label) {
                self.say(format!("That text is already tagged {name}."));
                self.selected = Some(existing);
                self.view.selection = None;
                return;
            }
            let Some(edit) = project.tag(selection, label) else {
                return;
            };
            let id = match &edit {
                Edit::AddSpan(span) => Some(span.id),
                _ => None,
            };
            if self.edit(edit) {
                self.selected = id;
                self.view.selection = None;
                self.say(format!("Tagged {} chars as {name}", trimmed.len()));
            }
        } else if let Some(id) = self.selected {
            match self.doc.project.change(id, |s| s.label = label) {
                Some(edit) => {
                    if self.edit(edit) {
                        self.reveal_selected();
                        self.say(format!("Relabelled as {name}"));
                    }
                }
                None => self.say(format!(
                    "The span is already {name} (or that span exists already)."
                )),
            }
        } else {
            self.say("Select text in the article first, then press a label key.");
        }
    }

    /// Bring the selected span into view in the article (when it is not already) and in
    /// the review list, so that a key press never changes a span the user cannot see.
    fn reveal_selected(&mut self) {
        let Some(span) = self
            .selected
            .and_then(|id| self.doc.project.spans().get(id))
        else {
            return;
        };
        let visible = self
            .view
            .visible_chars(&self.doc.project)
            .is_some_and(|v| v.overlaps(span.range));
        if !visible {
            self.view.scroll_to(span.range);
        }
        self.review.reveal_selected = true;
    }

    fn set_note(&mut self, id: SpanId, note: String) {
        let Some(edit) = self.doc.project.change(id, |s| s.note = note) else {
            return;
        };
        if let Err(e) = self
            .doc
            .history
            .apply_coalescing_note(&mut self.doc.project, edit)
        {
            self.error(format!("the note could not be changed: {e}"));
        }
    }

    fn place_orphan(&mut self, id: SpanId, range: CharRange) {
        let project = &self.doc.project;
        let Some(orphan) = project.orphans().iter().find(|o| o.id == id).cloned() else {
            return;
        };
        let Some(label) = project.labels.by_name(&orphan.label) else {
            self.error(format!(
                "the orphan's label \"{}\" is not defined in this project, so it cannot be placed; delete it or add the label to the project file",
                orphan.label
            ));
            return;
        };
        let range = project.article.trim_range(range);
        if range.is_empty() || project.spans().find(range, label).is_some() {
            self.say("Select non-empty text that does not already carry this label.");
            return;
        }
        let span = Span {
            id: orphan.id,
            range,
            label,
            note: orphan.note.clone(),
            status: Status::Confirmed,
        };
        if self.edit(Edit::Batch(vec![
            Edit::RemoveOrphan(orphan),
            Edit::AddSpan(span),
        ])) {
            self.selected = Some(id);
            self.view.selection = None;
        }
    }

    /// Carry out the queued commands, in order.
    fn apply(&mut self, ctx: &egui::Context) {
        if !self.commands.is_empty() {
            // This frame was painted before the commands took effect: show the result.
            ctx.request_repaint();
        }
        for command in std::mem::take(&mut self.commands) {
            match command {
                Command::ApplyLabel(label) => self.apply_label(label),
                Command::DeleteSelected => {
                    let Some(id) = self.selected else {
                        self.say(
                            "Select a span first (click it in the article or the review list).",
                        );
                        continue;
                    };
                    // Review goes on from where it was: the next span in the list (or the
                    // previous one at the end) is selected after the delete.
                    let generation = self.doc.generation;
                    let next = self
                        .review
                        .step(&self.doc.project, generation, Some(id), 1)
                        .filter(|&n| n != id)
                        .or_else(|| {
                            self.review
                                .step(&self.doc.project, generation, Some(id), -1)
                        })
                        .filter(|&n| n != id);
                    if let Some(edit) = self.doc.project.delete(id)
                        && self.edit(edit)
                    {
                        self.selected = next;
                        self.reveal_selected();
                        self.say("Deleted the span (Ctrl+Z brings it back)");
                    }
                }
                Command::Copy => {
                    let project = &self.doc.project;
                    let text = match self
                        .view
                        .selection
                        .map(super::ui::article_view::Selection::range)
                        .filter(|r| !r.is_empty())
                    {
                        Some(range) => project.article.slice(range),
                        None => self
                            .selected
                            .and_then(|id| project.spans().get(id))
                            .map(|s| project.span_text(s)),
                    };
                    if let Some(text) = text {
                        ctx.copy_text(text.to_owned());
                    }
                }
                Command::SelectSpan { id, scroll } => {
                    self.selected = id;
                    if let Some(span) = id.and_then(|id| self.doc.project.spans().get(id)) {
                        if scroll {
                            self.view.scroll_to(span.range);
                        }
                        self.review.reveal_selected = true;
                    }
                }
                Command::SetNote(id, note) => self.set_note(id, note),
                Command::ResizeSpan(id, range) => {
                    match self.doc.project.change(id, |s| s.range = range) {
                        Some(edit) => {
                            if self.edit(edit) {
                                self.say(format!("Span now covers {}–{}", range.start, range.end));
                            }
                        }
                        None => self.say("That would repeat another span with the same label."),
                    }
                }
                Command::SetStatus(id, status) => {
                    if let Some(edit) = self.doc.project.change(id, |s| s.status = status) {
                        self.edit(edit);
                    }
                }
                Command::PlaceOrphan(id, range) => self.place_orphan(id, range),
                Command::DeleteOrphan(id) => {
                    if let Some(orphan) = self
                        .doc
                        .project
                        .orphans()
                        .iter()
                        .find(|o| o.id == id)
                        .cloned()
                    {
                        self.edit(Edit::RemoveOrphan(orphan));
                    }
                }
                Command::Undo => match self.doc.history.undo(&mut self.doc.project) {
                    Some(Ok(what)) => self.say(format!("Undid {what}")),
                    Some(Err(e)) => self.error(format!("undo failed: {e}")),
                    None => self.say("Nothing to undo"),
                },
                Command::Redo => match self.doc.history.redo(&mut self.doc.project) {
                    Some(Ok(what)) => self.say(format!("Redid {what}")),
                    Some(Err(e)) => self.error(format!("redo failed: {e}")),
                    None => self.say("Nothing to redo"),
                },
                Command::Open(kind) => self.guard(ctx, Deferred::Open(kind)),
                Command::OpenPath(path) => self.guard(ctx, Deferred::OpenPath(path)),
                Command::Save => {
                    if let Some(path) = self.doc.path.clone() {
                        self.save_to(ctx, path, false);
                    } else {
                        let request = self.request_for(Purpose::SaveAs);
                        self.ask_path(ctx, request);
                    }
                }
                Command::SaveAs => {
                    let request = self.request_for(Purpose::SaveAs);
                    self.ask_path(ctx, request);
                }
                Command::SaveTo(path) => self.save_to(ctx, path, false),
                Command::ReplaceArticle => {
                    let request = self.request_for(Purpose::ReplaceArticle);
                    self.ask_path(ctx, request);
                }
                Command::Quit => self.guard(ctx, Deferred::Quit),
                Command::SetTheme(theme) => {
                    let name = match theme {
                        egui::ThemePreference::Light => "light",
                        egui::ThemePreference::Dark => "dark",
                        egui::ThemePreference::System => "system",
                    };
                    name.clone_into(&mut self.settings.theme);
                    self.apply_theme(ctx);
                }
            }
        }
        // A span removed by undo or redo cannot stay selected.
        if self
            .selected
            .is_some_and(|id| self.doc.project.spans().get(id).is_none())
        {
            self.selected = None;
        }
    }

    /// Keyboard shortcuts that work anywhere (but not while typing in a text field).
    fn shortcuts(&mut self, ctx: &egui::Context) {
        let modal_open = self.prompt.is_some()
            || self.confirm.is_some()
            || self.conflict.is_some()
            || self.loading.is_some()
            || !self.recovery_offers.is_empty();
        let typing = ctx.egui_wants_keyboard_input() || self.was_typing;
        let mut commands = Vec::new();
        ctx.input_mut(|i| {
            if modal_open {
                return;
            }
            let global = [
                (SAVE_AS, Command::SaveAs),
                (SAVE, Command::Save),
                (OPEN_PROJECT, Command::Open(OpenKind::Project)),
                (OPEN, Command::Open(OpenKind::Article)),
                (QUIT, Command::Quit),
            ];
            for (shortcut, command) in global {
                if i.consume_shortcut(&shortcut) {
                    commands.push(command);
                }
            }
            if typing {
                // Undo and redo in a text field are the field's own (its typing), not the
                // project's; so are Esc, Backspace, digits and letters.
                return;
            }
            for (shortcut, command) in [
                (REDO_SHIFT, Command::Redo),
                (UNDO, Command::Undo),
                (REDO, Command::Redo),
            ] {
                if i.consume_shortcut(&shortcut) {
                    commands.push(command);
                }
            }
            if i.events.iter().any(|e| matches!(e, egui::Event::Copy)) {
                commands.push(Command::Copy);
            }
            if i.consume_key(Modifiers::NONE, Key::Escape) {
                self.view.selection = None;
                commands.push(Command::SelectSpan {
                    id: None,
                    scroll: false,
                });
            }
            // Del only: Backspace is too easily pressed meaning to fix a search.
            if i.consume_key(Modifiers::NONE, Key::Delete) {
                commands.push(Command::DeleteSelected);
            }
            let digits = [
                Key::Num1,
                Key::Num2,
                Key::Num3,
                Key::Num4,
                Key::Num5,
                Key::Num6,
                Key::Num7,
                Key::Num8,
                Key::Num9,
            ];
            for (n, key) in (1u8..).zip(digits) {
                if i.consume_key(Modifiers::NONE, key)
                    && let Some(label) = self.doc.project.labels.by_key(char::from(b'0' + n))
                {
                    commands.push(Command::ApplyLabel(label));
                }
            }
        });
        if !modal_open && !typing {
            let (next, prev) = ctx.input_mut(|i| {
                let next = i.consume_key(Modifiers::NONE, Key::N)
                    || i.consume_key(Modifiers::NONE, Key::ArrowDown);
                let prev = i.consume_key(Modifiers::NONE, Key::P)
                    || i.consume_key(Modifiers::NONE, Key::ArrowUp);
                (next, prev)
            });
            for step in [(next, 1), (prev, -1)]
                .into_iter()
                .filter(|(on, _)| *on)
                .map(|(_, s)| s)
            {
                let id =
                    self.review
                        .step(&self.doc.project, self.doc.generation, self.selected, step);
                if id.is_some() {
                    commands.push(Command::SelectSpan { id, scroll: true });
                }
            }
        }
        self.commands.extend(commands);
    }

    /// Answers from native dialogs, background opens and dropped files.
    fn poll(&mut self, ctx: &egui::Context) {
        if let Some(pending) = &self.pending_dialog
            && let Ok(answer) = pending.answer.try_recv()
        {
            let purpose = pending.request.purpose;
            let fast = pending.since.elapsed() < PendingDialog::INSTANT_ANSWER;
            let request = pending.request.clone();
            self.pending_dialog = None;
            match answer {
                Some(path) => self.path_chosen(ctx, purpose, path),
                // No dialog appeared (no portal, no zenity): use our own prompt.
                None if fast => self.prompt = Some(PathPrompt::new(request)),
                None => {
                    self.after_save = None;
                    self.discard_on_replace = false;
                }
            }
        }
        if let Some(loading) = &self.loading
            && let Ok(opened) = loading.answer.try_recv()
        {
            let path = loading.path.clone();
            self.loading = None;
            self.finish_open(&path, opened);
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

    fn menu_ui(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                if ui
                    .add(
                        egui::Button::new("Open article…")
                            .shortcut_text(ctx.format_shortcut(&OPEN)),
                    )
                    .clicked()
                {
                    self.commands.push(Command::Open(OpenKind::Article));
                }
                if ui
                    .add(
                        egui::Button::new("Open project…")
                            .shortcut_text(ctx.format_shortcut(&OPEN_PROJECT)),
                    )
                    .clicked()
                {
                    self.commands.push(Command::Open(OpenKind::Project));
                }
                ui.menu_button("Open recent", |ui| {
                    if self.settings.recent.is_empty() {
                        ui.label(RichText::new("No recent files").weak());
                    }
                    for path in &self.settings.recent {
                        if ui.button(path.display().to_string()).clicked() {
                            self.commands.push(Command::OpenPath(path.clone()));
                        }
                    }
                });
                if ui
                    .button("Replace article text…")
                    .on_hover_text(
                        "Open a corrected version of the article and move the spans onto it",
                    )
                    .clicked()
                {
                    self.commands.push(Command::ReplaceArticle);
                }
                ui.separator();
                if ui
                    .add(egui::Button::new("Save").shortcut_text(ctx.format_shortcut(&SAVE)))
                    .clicked()
                {
                    self.commands.push(Command::Save);
                }
                if ui
                    .add(egui::Button::new("Save as…").shortcut_text(ctx.format_shortcut(&SAVE_AS)))
                    .clicked()
                {
                    self.commands.push(Command::SaveAs);
                }
                ui.separator();
                if ui
                    .add(egui::Button::new("Quit").shortcut_text(ctx.format_shortcut(&QUIT)))
                    .clicked()
                {
                    self.commands.push(Command::Quit);
                }
            });
            ui.menu_button("Edit", |ui| {
                let history = &self.doc.history;
                let steps = [
                    (
                        "Undo",
                        history.undo_name(),
                        history.can_undo(),
                        &UNDO,
                        Command::Undo,
                    ),
                    (
                        "Redo",
                        history.redo_name(),
                        history.can_redo(),
                        &REDO_SHIFT,
                        Command::Redo,
                    ),
                ];
                for (verb, what, enabled, shortcut, command) in steps {
                    let text = what.map_or_else(|| verb.to_owned(), |w| format!("{verb} {w}"));
                    let button =
                        egui::Button::new(text).shortcut_text(ctx.format_shortcut(shortcut));
                    if ui.add_enabled(enabled, button).clicked() {
                        self.commands.push(command);
                    }
                }
                ui.separator();
                if ui
                    .add_enabled(
                        self.selected.is_some(),
                        egui::Button::new("Delete span").shortcut_text("Del"),
                    )
                    .clicked()
                {
                    self.commands.push(Command::DeleteSelected);
                }
            });
            ui.menu_button("View", |ui| {
                let current = self.settings.theme.as_str();
                for (name, key, theme) in [
                    (
                        "Follow system theme",
                        "system",
                        egui::ThemePreference::System,
                    ),
                    ("Light", "light", egui::ThemePreference::Light),
                    ("Dark", "dark", egui::ThemePreference::Dark),
                ] {
                    let on = current == key || (key == "system" && current.is_empty());
                    if ui.add(egui::Button::selectable(on, name)).clicked() {
                        self.commands.push(Command::SetTheme(theme));
                    }
                }
            });
            ui.menu_button("Help", |ui| {
                if ui.button("Keyboard shortcuts").clicked() {
                    self.show_shortcuts = true;
                }
            });
        });
    }

    fn status_bar_ui(&self, ui: &mut egui::Ui) {
        ui.horizontal(|ui| {
            let dirty = self.is_dirty();
            ui.label(RichText::new(self.doc.display_name()).strong());
            if dirty {
                ui.label(RichText::new("• unsaved changes").color(ui.visuals().warn_fg_color));
            } else {
                ui.label(RichText::new("saved").weak());
            }
            ui.separator();
            let spans = self.doc.project.spans();
            let mut counts = format!("{} spans", spans.len());
            for (id, label) in self.doc.project.labels.iter() {
                let _ = write!(counts, " · {} {}", label.name, spans.count(id));
            }
            ui.label(counts);
            if !self.doc.project.orphans().is_empty() {
                ui.label(
                    RichText::new(format!("· {} orphans", self.doc.project.orphans().len()))
                        .color(ui.visuals().warn_fg_color),
                );
            }
            ui.separator();
            if let Some(sel) = self
                .view
                .selection
                .map(super::ui::article_view::Selection::range)
                .filter(|r| !r.is_empty())
            {
                ui.label(format!(
                    "selection {}–{} ({} chars)",
                    sel.start,
                    sel.end,
                    sel.len()
                ));
            } else if let Some(span) = self
                .selected
                .and_then(|id| self.doc.project.spans().get(id))
            {
                ui.label(format!(
                    "span {}–{} ({} chars)",
                    span.range.start,
                    span.range.end,
                    span.range.len()
                ));
            } else {
                ui.label(RichText::new("no selection").weak());
            }
            if !self.status.is_empty() {
                ui.separator();
                ui.label(RichText::new(&self.status).weak());
            }
        });
    }

    fn banners_ui(&mut self, ui: &mut egui::Ui) {
        let mut dismiss = None;
        for (i, banner) in self.banners.iter().enumerate() {
            let (fill, fg) = match banner.severity {
                Severity::Error => (
                    ui.visuals().error_fg_color.gamma_multiply(0.15),
                    ui.visuals().error_fg_color,
                ),
                Severity::Warning => (
                    ui.visuals().warn_fg_color.gamma_multiply(0.15),
                    ui.visuals().warn_fg_color,
                ),
                Severity::Info => (
                    ui.visuals().selection.bg_fill.gamma_multiply(0.25),
                    ui.visuals().text_color(),
                ),
            };
            egui::Frame::new()
                .fill(fill)
                .inner_margin(8.0)
                .corner_radius(4.0)
                .show(ui, |ui| {
                    ui.horizontal(|ui| {
                        if banner.severity != Severity::Info {
                            ui.label(RichText::new("⚠").color(fg));
                        }
                        ui.add(egui::Label::new(RichText::new(&banner.text).color(fg)).wrap());
                        if ui.small_button("×").on_hover_text("Dismiss").clicked() {
                            dismiss = Some(i);
                        }
                    });
                    if !banner.details.is_empty() {
                        egui::CollapsingHeader::new("Details")
                            .id_salt(("banner", i))
                            .show(ui, |ui| {
                                for line in &banner.details {
                                    ui.label(line);
                                }
                            });
                    }
                });
        }
        if let Some(i) = dismiss {
            self.banners.remove(i);
        }
    }

    fn modals_ui(&mut self, ctx: &egui::Context) {
        if let Some(prompt) = &mut self.prompt {
            match dialogs::path_prompt_ui(ctx, prompt) {
                PromptOutcome::Open => {}
                PromptOutcome::Cancelled => {
                    self.prompt = None;
                    self.after_save = None;
                    self.discard_on_replace = false;
                    self.replace_asked = None;
                }
                PromptOutcome::Confirmed(path) => {
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
                        _ if !path.is_file() => {
                            Some(format!("There is no file at {}.", path.display()))
                        }
                        _ => None,
                    };
                    if let Some(problem) = problem {
                        prompt.error = Some(problem);
                    } else {
                        self.replace_asked = None;
                        self.prompt = None;
                        self.path_chosen(ctx, purpose, path);
                    }
                }
            }
        }
        if let Some(action) = self.confirm.clone() {
            let what = match &action {
                Deferred::Quit => "quitting",
                Deferred::Open(_) | Deferred::OpenPath(_) => "opening another file",
            };
            let message = format!(
                "{} has unsaved changes. Save them before {what}?",
                self.doc.display_name()
            );
            match dialogs::choice_ui(
                ctx,
                "Unsaved changes",
                &message,
                &["Save", "Don't save", "Cancel"],
            ) {
                Some(0) => {
                    self.confirm = None;
                    self.after_save = Some(action);
                    self.commands.push(Command::Save);
                }
                Some(1) => {
                    self.confirm = None;
                    // The user gave up these changes: drop their recovery file once the
                    // document is really closed (now for Quit; for an open, only once the
                    // other file has opened, so a cancelled open keeps everything).
                    if action == Deferred::Quit {
                        self.finish_autosave();
                        self.discard_recovery();
                    } else {
                        self.discard_on_replace = true;
                    }
                    self.run_deferred(ctx, action);
                }
                Some(_) => self.confirm = None,
                None => {}
            }
        }
        if let Some(offer) = self.recovery_offers.first().cloned() {
            let document = offer.document.as_ref().map_or_else(
                || "an untitled project".to_owned(),
                |p| p.display().to_string(),
            );
            let age = offer.modified.elapsed().map_or_else(
                |_| "recently".to_owned(),
                |d| {
                    let mins = d.as_secs() / 60;
                    if mins < 1 {
                        "less than a minute ago".to_owned()
                    } else if mins < 120 {
                        format!("{mins} minutes ago")
                    } else {
                        format!("{} hours ago", mins / 60)
                    }
                },
            );
            let more = match self.recovery_offers.len() {
                1 => String::new(),
                n => format!(" ({} more after this one)", n - 1),
            };
            let message = format!(
                "spanmark found work on {document} that was not saved when spanmark last stopped (autosaved {age}){more}. \
                 Restore it? Discard deletes it for good; Not now keeps it for the next start."
            );
            match dialogs::choice_ui(
                ctx,
                "Restore unsaved work?",
                &message,
                &["Restore", "Discard", "Not now"],
            ) {
                Some(0) => {
                    self.recovery_offers.remove(0);
                    self.restore(&offer);
                }
                Some(1) => {
                    self.recovery_offers.remove(0);
                    if let Err(e) = std::fs::remove_file(&offer.path) {
                        self.error(format!(
                            "could not remove the recovery file ({e}): {}",
                            offer.path.display()
                        ));
                    }
                }
                Some(_) => {
                    // Kept for the next start: this session must not autosave over it.
                    self.recovery_offers.remove(0);
                    if self.autosave_target().as_deref() == Some(offer.path.as_path()) {
                        self.autosave_beside();
                    }
                }
                None => {}
            }
        }
        if let Some(path) = self.conflict.clone() {
            let message = format!(
                "{} was changed on disk by another program (or another spanmark) since you opened or saved it. \
                 Save yours under another name, overwrite theirs with your version, or cancel?",
                path.display()
            );
            match dialogs::choice_ui(
                ctx,
                "File changed on disk",
                &message,
                // The default (Enter) is the choice that destroys nothing.
                &["Save as…", "Overwrite", "Cancel"],
            ) {
                Some(0) => {
                    self.conflict = None;
                    self.commands.push(Command::SaveAs);
                }
                Some(1) => {
                    self.conflict = None;
                    self.save_to(ctx, path, true);
                }
                Some(_) => {
                    self.conflict = None;
                    self.after_save = None;
                    self.say("Not saved: the file on disk was left as it is.");
                }
                None => {}
            }
        }
        if let Some(loading) = &self.loading {
            egui::Modal::new(egui::Id::unique("loading")).show(ctx, |ui| {
                ui.horizontal(|ui| {
                    ui.spinner();
                    ui.label(format!(
                        "Opening {} … {:.1} s",
                        loading.path.display(),
                        loading.since.elapsed().as_secs_f32()
                    ));
                });
            });
            ctx.request_repaint_after(std::time::Duration::from_millis(100));
        }
        if self.show_shortcuts {
            egui::Window::new("Keyboard shortcuts")
                .open(&mut self.show_shortcuts)
                .collapsible(false)
                .resizable(false)
                .show(ctx, |ui| {
                    egui::Grid::new("shortcuts").striped(true).show(ui, |ui| {
                        for (keys, what) in SHORTCUTS {
                            ui.label(RichText::new(*keys).monospace());
                            ui.label(*what);
                            ui.end_row();
                        }
                    });
                });
        }
    }

    fn update_title(&mut self, ctx: &egui::Context) {
        let title = format!(
            "{}{} — spanmark",
            if self.is_dirty() { "• " } else { "" },
            self.doc.display_name()
        );
        if title != self.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }
    }
}

/// The shortcuts listed in Help and the README.
pub const SHORTCUTS: &[(&str, &str)] = &[
    (
        "Drag / double-click / Shift+click",
        "select text / a word / extend the selection",
    ),
    (
        "1 … 9",
        "tag the selection with that label, or relabel the selected span",
    ),
    ("Click a span", "select it"),
    ("Del", "delete the selected span"),
    ("Right-click a span", "relabel, accept, copy or delete it"),
    ("Ctrl+C", "copy the selected text (or span)"),
    ("n / p, ↓ / ↑", "next / previous span in the review list"),
    ("Esc", "clear the selection"),
    ("Ctrl+Z", "undo"),
    ("Ctrl+Shift+Z, Ctrl+Y", "redo"),
    ("Ctrl+O / Ctrl+Shift+O", "open an article / a project"),
    ("Ctrl+S / Ctrl+Shift+S", "save / save as"),
    ("Ctrl+Q", "quit"),
];

impl eframe::App for SpanmarkApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.frame_ui(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, SETTINGS_KEY, &self.settings);
    }
}

impl SpanmarkApp {
    /// One whole frame of the app: input, panels, modals, then the queued commands.
    pub fn frame_ui(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        self.poll(&ctx);
        self.shortcuts(&ctx);

        if ctx.input(|i| i.viewport().close_requested()) && !self.allow_close && self.is_dirty() {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.confirm = Some(Deferred::Quit);
        }

        egui::Panel::top("menu").show(ui, |ui| self.menu_ui(ui));
        egui::Panel::top("labels").show(ui, |ui| {
            ui.add_space(3.0);
            let can_tag = self.view.selection.is_some_and(|s| !s.range().is_empty())
                || self.selected.is_some();
            label_bar_ui(ui, &self.doc.project, can_tag, &mut self.commands);
            ui.add_space(3.0);
        });
        egui::Panel::bottom("status").show(ui, |ui| self.status_bar_ui(ui));
        egui::Panel::right("review")
            .resizable(true)
            .default_size(340.0)
            .min_size(240.0)
            .show(ui, |ui| {
                let selection = self
                    .view
                    .selection
                    .map(super::ui::article_view::Selection::range)
                    .filter(|r| !r.is_empty());
                review_panel_ui(
                    ui,
                    &mut self.review,
                    &self.doc.project,
                    self.doc.generation,
                    self.selected,
                    selection,
                    &mut self.commands,
                );
            });
        egui::CentralPanel::default().show(ui, |ui| {
            self.banners_ui(ui);
            article_view_ui(
                ui,
                &mut self.view,
                &self.doc.project,
                self.doc.generation,
                self.selected,
                &mut self.commands,
            );
        });
        self.modals_ui(&ctx);
        self.apply(&ctx);
        self.autosave(&ctx);
        self.update_title(&ctx);
        self.was_typing = ctx.egui_wants_keyboard_input();
    }
}
