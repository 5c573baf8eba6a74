//! The eframe application: owns the open document, the UI state and the command queue.
//!
//! Each frame (see [`SpanmarkApp::frame_ui`]) the UI functions read the project and push
//! [`Command`]s; [`commands`] then carries them out in order, in one place, where undo, the
//! unsaved marker, the title and autosave hook in. One concern per file:
//!
//! - [`document`]: the project, its history and its file;
//! - [`commands`]: applying commands (the only place state changes);
//! - [`files`]: opening, saving, dialogs and the unsaved-changes guard;
//! - [`modals`]: the one modal window at a time, whose answers come back as commands;
//! - [`tasks`]: background work; [`autosave`]: the recovery file;
//! - [`messages`]: errors, warnings and fading notices; [`chrome`]: menu, status bar, title;
//! - [`shortcuts`]: keys to commands, every key event of a frame in order.

pub mod autosave;
pub mod chrome;
pub mod commands;
pub mod corpus;
pub mod corpus_search;
pub mod corpus_watch;
pub mod curation;
pub mod document;
pub mod files;
pub mod find;
pub mod interop;
pub mod messages;
pub mod modals;
pub mod shortcuts;
pub mod suggest;
pub mod suggest_corpus;
pub mod tasks;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::model::{Article, LabelSet, Project, SpanId};
use crate::ui::article_view::{ArticleViewState, ViewOptions, article_view_ui};
use crate::ui::command::Command;
use crate::ui::corpus_search_window::{SearchView, corpus_search_ui};
use crate::ui::curation_panel::curation_panel_ui;
use crate::ui::dashboard::{DashboardFigures, dashboard_ui};
use crate::ui::dialogs::{DialogRequest, FileDialogs, NativeDialogs};
use crate::ui::documents_panel::{DocsInputs, documents_panel_ui};
use crate::ui::find_bar::{FindState, find_bar_ui};
use crate::ui::label_bar::label_bar_ui;
use crate::ui::span_list::{ReviewInputs, ReviewState, review_panel_ui};

use autosave::Recovery;
use document::Document;
use files::{Deferred, Loading};
use messages::Messages;
use modals::Modal;
use tasks::Task;

/// The sample article, compiled in so that `spanmark` always has something to open.
const SAMPLE_ARTICLE: &str = include_str!("../../assets/sample-article.txt");

/// Settings kept between runs (window size is kept by eframe itself).
#[derive(Serialize, Deserialize, Default)]
#[serde(default)]
pub struct Settings {
    /// Most recent first.
    pub recent: Vec<PathBuf>,
    /// "system", "light" or "dark".
    pub theme: String,
    /// Article text size steps above (or below) the default.
    pub zoom: i8,
}

const SETTINGS_KEY: &str = "spanmark-settings";

/// Why the window could not run.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// eframe could not open the window (no display, no graphics).
    #[error("could not open the window: {0}")]
    Window(String),
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
    /// Projects to curate against each other at start (`spanmark compare`).
    pub compare: Vec<PathBuf>,
}

impl AppOptions {
    /// Native dialogs, default folders.
    #[must_use]
    pub fn native(file: Option<PathBuf>) -> Self {
        Self {
            file,
            dialogs: Box::new(NativeDialogs),
            save_dir: None,
            recovery_dir: crate::format::recovery::dir(),
            compare: Vec::new(),
        }
    }
}

/// The spanmark window.
pub struct SpanmarkApp {
    doc: Document,
    view: ArticleViewState,
    review: ReviewState,
    find: FindState,
    selected: Option<SpanId>,
    commands: Vec<Command>,
    dialogs: Box<dyn FileDialogs>,
    /// A native file dialog that is open, with what it was asked for.
    dialog: Option<(DialogRequest, Task<Option<PathBuf>>)>,
    modal: Option<Modal>,
    /// What to do once a save asked for by the unsaved-changes question is done.
    after_save: Option<Deferred>,
    loading: Option<Loading>,
    messages: Messages,
    settings: Settings,
    save_dir: PathBuf,
    /// The window may close (the unsaved-changes question was answered).
    allow_close: bool,
    title: String,
    /// The user chose "Don't save": the open document's recovery file goes when it is closed.
    discard_on_replace: bool,
    /// A text field had keyboard focus at the end of the last frame (egui drops the focus
    /// on Esc before this frame's shortcuts run, so Esc must not also clear the selection).
    was_typing: bool,
    /// Refuse to replace this existing file from the path prompt until asked twice.
    replace_asked: Option<PathBuf>,
    recovery: Recovery,
    /// The text each span flagged by the last re-anchoring had before, for the review.
    flagged_was: HashMap<SpanId, String>,
    /// The find bar's search in progress.
    find_task: Option<find::FindTask>,
    /// A suggestion run on the open document.
    suggest_task: Option<suggest::SuggestTask>,
    /// The curation open in the window (the document is the curated project).
    curation: Option<curation::CurationView>,
    /// The corpus open in the window (the document is one of its documents).
    corpus: Option<corpus::CorpusState>,
    /// A corpus being opened.
    corpus_loading: Option<CorpusTask>,
    /// A corpus folder being scanned again (files came or went).
    corpus_rescan: Option<CorpusTask>,
    /// Suggestions being added to every document of the corpus.
    corpus_suggest: Option<suggest_corpus::CorpusSuggest>,
    /// A label being renamed in every project of the corpus.
    corpus_renaming: Option<Task<Vec<(String, String, crate::format::corpus::RenameReport)>>>,
}

/// A corpus folder being opened or scanned in the background.
type CorpusTask = (
    PathBuf,
    Task<Result<crate::format::corpus::Corpus, crate::format::corpus::CorpusError>>,
);

/// Start the window on `file` (or curating `compare`); returns when it is closed.
pub fn run(file: Option<PathBuf>, compare: Vec<PathBuf>) -> Result<(), RunError> {
    let mut viewport = egui::ViewportBuilder::default()
        .with_title("spanmark")
        .with_app_id("spanmark")
        .with_inner_size([1280.0, 800.0])
        .with_min_inner_size([640.0, 400.0])
        .with_drag_and_drop(true);
    if let Ok(icon) = eframe::icon_data::from_png_bytes(include_bytes!("../../assets/icon.png")) {
        viewport = viewport.with_icon(icon);
    }
    let options = eframe::NativeOptions {
        viewport,
        ..Default::default()
    };
    eframe::run_native(
        "spanmark",
        options,
        Box::new(move |cc| {
            let options = AppOptions {
                compare,
                ..AppOptions::native(file)
            };
            Ok(Box::new(SpanmarkApp::new(cc, options)))
        }),
    )
    .map_err(|e| RunError::Window(e.to_string()))
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

pub use crate::model::text::plural;

impl SpanmarkApp {
    /// Build the app and open the starting file. A file that cannot be opened leaves the
    /// sample article open with the reason in the message area.
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
            doc: Document::new(sample, None),
            view: ArticleViewState::default(),
            review: ReviewState::default(),
            find: FindState::default(),
            selected: None,
            commands: Vec::new(),
            dialogs: options.dialogs,
            dialog: None,
            modal: None,
            after_save: None,
            loading: None,
            messages: Messages::default(),
            settings,
            save_dir: options.save_dir.unwrap_or_else(default_save_dir),
            allow_close: false,
            title: String::new(),
            discard_on_replace: false,
            was_typing: false,
            replace_asked: None,
            recovery: Recovery::new(options.recovery_dir),
            flagged_was: HashMap::new(),
            find_task: None,
            suggest_task: None,
            curation: None,
            corpus: None,
            corpus_loading: None,
            corpus_rescan: None,
            corpus_renaming: None,
            corpus_suggest: None,
        };
        app.messages.document_changed(app.doc.generation());
        app.apply_theme(ctx);
        let started_without_file = options.file.is_none() && options.compare.is_empty();
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
                && let Ok(article) = crate::format::import_article(&path)
            {
                app.set_document(Project::new(article, LabelSet::default()), None);
            }
        }
        // A file named on the command line is checked for unsaved work once it has opened
        // (large files open on a background thread), in `finish_open`.
        if !options.compare.is_empty() {
            app.start_curation(&options.compare);
        } else if started_without_file {
            app.offer_recovery(true);
        }
        app
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

    /// The find bar's state (for tests).
    #[must_use]
    pub fn find(&self) -> &FindState {
        &self.find
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
        self.doc.is_dirty()
    }

    /// Every message (errors, warnings, the current notice), oldest first.
    #[must_use]
    pub fn messages(&self) -> &[messages::Message] {
        self.messages.all()
    }

    /// The status line's notice: what the last action did.
    #[must_use]
    pub fn status(&self) -> &str {
        self.messages.notice().unwrap_or_default()
    }

    /// The settings kept between runs.
    #[must_use]
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// True while curating several analysts' projects.
    #[must_use]
    pub fn is_curating(&self) -> bool {
        self.curation.is_some()
    }

    /// True while a modal window (prompt, question, label editor) is open.
    #[must_use]
    pub fn modal_open(&self) -> bool {
        self.modal.is_some()
            || self.loading.is_some()
            || self.corpus_loading.is_some()
            || !self.recovery.offers.is_empty()
    }

    /// Queue a command as if the UI had sent it (for tests and tools).
    pub fn send(&mut self, command: Command) {
        self.commands.push(command);
    }

    /// Show `project` (from `path`) as the open document, dropping everything tied to the
    /// previous one.
    fn set_document(&mut self, project: Project, path: Option<PathBuf>) {
        self.adopt_document(Document::new(project, path));
    }

    /// Show `doc` (with its history) as the open document.
    fn adopt_document(&mut self, doc: Document) {
        if std::mem::take(&mut self.discard_on_replace) {
            self.give_up_changes();
        }
        self.recovery.autosave = autosave::Autosave::default();
        self.recovery.target = None;
        self.doc = doc;
        self.selected = None;
        self.flagged_was.clear();
        self.view.reset(self.doc.generation());
        self.review = ReviewState::default();
        self.find.document_changed();
        self.find_task = None;
        self.curation = None;
        self.messages.document_changed(self.doc.generation());
    }

    /// Show a notice: what an action did.
    fn say(&mut self, text: impl Into<String>) {
        self.messages.info(text);
    }

    fn apply_theme(&self, ctx: &egui::Context) {
        ctx.set_theme(match self.settings.theme.as_str() {
            "light" => egui::ThemePreference::Light,
            "dark" => egui::ThemePreference::Dark,
            _ => egui::ThemePreference::System,
        });
    }

    /// The right-hand panel: the review panel, or while curating the curation panel (with
    /// a switch between the two).
    fn side_panel_ui(&mut self, ui: &mut egui::Ui) {
        if let Some(view) = &mut self.curation {
            ui.horizontal(|ui| {
                if ui
                    .add(egui::Button::selectable(!view.show_review, "Curation"))
                    .clicked()
                {
                    view.show_review = false;
                }
                if ui
                    .add(egui::Button::selectable(view.show_review, "Review"))
                    .clicked()
                {
                    view.show_review = true;
                }
            });
            if !view.show_review {
                let figures = view.figures(self.doc.project());
                curation_panel_ui(
                    ui,
                    &view.curation,
                    view.current,
                    &figures,
                    self.doc.project(),
                    &mut self.commands,
                );
                return;
            }
        }
        let selection = self
            .view
            .selection
            .map(crate::ui::article_view::Selection::range)
            .filter(|r| !r.is_empty());
        let inputs = ReviewInputs {
            project: self.doc.project(),
            generation: self.doc.generation(),
            selected: self.selected,
            selection,
            flagged_was: &self.flagged_was,
        };
        review_panel_ui(ui, &mut self.review, &inputs, &mut self.commands);
    }

    /// The corpus dashboard and search windows, when open.
    fn corpus_windows_ui(&mut self, ctx: &egui::Context) {
        let Some(state) = &mut self.corpus else {
            return;
        };
        if state.dashboard {
            let revision = state.revision;
            if state
                .dashboard_figures
                .as_ref()
                .is_none_or(|(r, _)| *r != revision)
            {
                let figures = DashboardFigures::of(state.corpus.totals(), &state.corpus.docs);
                state.dashboard_figures = Some((revision, figures));
            }
            if let Some((_, figures)) = &state.dashboard_figures {
                dashboard_ui(
                    ctx,
                    &mut state.dashboard,
                    figures,
                    &state.corpus.docs,
                    &state.corpus.config.labels,
                    &mut self.commands,
                );
            }
        }
        let search = &mut state.search;
        if search.open {
            let view = SearchView {
                hits: &search.hits,
                selected: search.selected,
                indexing: search.indexing(),
                searching: search.searching(),
                searched: &search.searched,
            };
            corpus_search_ui(
                ctx,
                &mut search.query,
                &mut search.focus,
                &view,
                &mut self.commands,
            );
        }
    }

    /// True while a corpus is open.
    #[must_use]
    pub fn has_corpus(&self) -> bool {
        self.corpus.is_some()
    }

    /// The open corpus (for tests and tools).
    #[must_use]
    pub fn corpus(&self) -> Option<&corpus::CorpusState> {
        self.corpus.as_ref()
    }

    /// True while a corpus is being opened.
    #[must_use]
    pub fn is_opening_corpus(&self) -> bool {
        self.corpus_loading.is_some()
    }

    /// One whole frame of the app: input, panels, modals, then the queued commands.
    pub fn frame_ui(&mut self, ui: &mut egui::Ui) {
        let ctx = ui.ctx().clone();
        self.poll(&ctx);
        self.poll_find(&ctx);
        self.poll_suggest(&ctx);
        self.poll_corpus(&ctx);
        self.poll_rescan();
        self.poll_renaming();
        self.poll_interop();
        self.poll_suggest_corpus();
        self.shortcuts(&ctx);

        if ctx.input(|i| i.viewport().close_requested()) && !self.allow_close && self.is_dirty() {
            ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
            self.modal = Some(Modal::Unsaved(Deferred::Quit));
        }

        egui::Panel::top("menu").show(ui, |ui| self.menu_ui(ui));
        egui::Panel::top("labels").show(ui, |ui| {
            ui.add_space(3.0);
            let can_tag = self.view.selection.is_some_and(|s| !s.range().is_empty())
                || self.selected.is_some();
            label_bar_ui(ui, self.doc.project(), can_tag, &mut self.commands);
            ui.add_space(3.0);
        });
        if self.messages.alerts().next().is_some() {
            egui::Panel::top("messages").show(ui, |ui| {
                chrome::messages_ui(ui, &self.messages, &mut self.commands);
            });
        }
        let mut status_commands = Vec::new();
        egui::Panel::bottom("status").show(ui, |ui| self.status_bar_ui(ui, &mut status_commands));
        self.commands.extend(status_commands);
        if let Some(state) = &mut self.corpus {
            egui::Panel::left("documents")
                .resizable(true)
                .default_size(260.0)
                .min_size(180.0)
                .show(ui, |ui| {
                    let name = state.name();
                    let inputs = DocsInputs {
                        name: &name,
                        docs: &state.corpus.docs,
                        revision: state.revision,
                        current: state.current,
                        scheme: &state.corpus.config.labels,
                    };
                    documents_panel_ui(ui, &mut state.panel, &inputs, &mut self.commands);
                });
        }
        egui::Panel::right("review")
            .resizable(true)
            .default_size(340.0)
            .min_size(240.0)
            .show(ui, |ui| self.side_panel_ui(ui));
        if self.find.open {
            egui::Panel::top("find").show(ui, |ui| {
                find_bar_ui(ui, &mut self.find, self.doc.project(), &mut self.commands);
            });
        }
        let hidden = self.review.hidden_labels(self.doc.project());
        let lanes = self.lanes();
        let options = ViewOptions {
            lanes: &lanes,
            generation: self.doc.generation(),
            selected: self.selected,
            zoom: self.settings.zoom,
            hidden: &hidden,
            matches: self.find.highlights(),
            current_match: self.find.current().filter(|_| self.find.open),
        };
        egui::CentralPanel::default().show(ui, |ui| {
            article_view_ui(
                ui,
                &mut self.view,
                self.doc.project(),
                &options,
                &mut self.commands,
            );
        });
        self.corpus_windows_ui(&ctx);
        self.modals_ui(&ctx);
        self.apply(&ctx);
        self.autosave(&ctx);
        if let Some(secs) = self.messages.tick(ctx.input(|i| i.time)) {
            ctx.request_repaint_after(std::time::Duration::from_secs_f64(secs.max(0.05)));
        }
        self.update_title(&ctx);
        self.was_typing = ctx.egui_wants_keyboard_input();
    }
}

impl eframe::App for SpanmarkApp {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        self.frame_ui(ui);
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        eframe::set_value(storage, SETTINGS_KEY, &self.settings);
    }
}
