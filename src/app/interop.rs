//! File → Export… and File → Import…: the command line's `export` and `import` in a dialog.
//!
//! Each dialog keeps its fields while its work runs in the background (the dialog shows a
//! spinner, the window stays live), so a failure is shown in the dialog with everything the
//! user typed still there. An export writes the open document as it is in the window,
//! unsaved changes included; what the format could not carry is listed in the message area
//! (a warning that stays until dismissed). A finished import opens what it wrote.

use std::path::{Path, PathBuf};
use std::sync::mpsc::Receiver;

use egui::{Key, RichText};

use crate::format::interop::{
    ExportReport, Format, Imported, InMemory, export_path, import_path, import_summary,
};
use crate::model::Project;
use crate::ui::command::Command;
use crate::ui::dialogs::{DialogRequest, Purpose};

use super::SpanmarkApp;
use super::modals::Modal;
use super::tasks::Task;

/// What an export runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    /// The open document.
    Document,
    /// Every project of the open corpus.
    Corpus,
}

/// The export dialog.
pub struct ExportDialog {
    format: Format,
    scope: Scope,
    /// The output folder, as typed.
    out: String,
    /// The folder was typed or chosen (a change of format no longer renames it).
    out_edited: bool,
    /// Where the default output folder goes, and the corpus folder it must stay out of.
    base: PathBuf,
    corpus_root: Option<PathBuf>,
    /// The open document's file name stem, for the default folder.
    stem: String,
    error: Option<String>,
    running: Option<Task<Result<ExportReport, String>>>,
    browsing: Option<Receiver<Option<PathBuf>>>,
}

/// A finished import: what was read and the files written.
type ImportDone = (Imported, Vec<PathBuf>);

/// The import dialog.
pub struct ImportDialog {
    /// The file or folder to import, as typed.
    input: String,
    /// `None`: detect from the files.
    format: Option<Format>,
    /// The project (`.ron`) or corpus folder to write, as typed.
    out: String,
    out_edited: bool,
    base: PathBuf,
    error: Option<String>,
    /// The source field has been given the keyboard focus once.
    focused: bool,
    running: Option<Task<Result<ImportDone, String>>>,
    browsing: Option<Receiver<Option<PathBuf>>>,
}

impl ExportDialog {
    fn default_out(&self) -> String {
        let name = match (self.scope, &self.corpus_root) {
            (Scope::Corpus, Some(root)) => root
                .file_name()
                .map_or_else(|| "corpus".to_owned(), |n| n.to_string_lossy().into_owned()),
            _ => self.stem.clone(),
        };
        self.base
            .join(format!("{name}-{}", self.format.name()))
            .to_string_lossy()
            .into_owned()
    }

    /// Why the export cannot start, if it cannot.
    fn problem(&self) -> Option<String> {
        let out = PathBuf::from(self.out.trim());
        if out.as_os_str().is_empty() {
            return Some("Name the folder to export into.".to_owned());
        }
        if out.is_file() {
            return Some(format!("{} is a file; name a folder.", out.display()));
        }
        let inside = self
            .corpus_root
            .as_deref()
            .is_some_and(|root| absolute(&out).starts_with(absolute(root)));
        inside.then(|| {
            "That folder is inside the corpus: the exported files would become documents of it. Choose a folder outside the corpus.".to_owned()
        })
    }
}

impl ImportDialog {
    fn default_out(&self) -> String {
        let input = PathBuf::from(self.input.trim());
        let name = input.file_stem().map_or_else(
            || "imported".to_owned(),
            |s| format!("{}-imported", s.to_string_lossy()),
        );
        self.base.join(name).to_string_lossy().into_owned()
    }

    fn problem(&self) -> Option<String> {
        let input = PathBuf::from(self.input.trim());
        if input.as_os_str().is_empty() {
            return Some("Name the file or folder to import.".to_owned());
        }
        if !input.exists() {
            return Some(format!(
                "There is no file or folder at {}.",
                input.display()
            ));
        }
        if self.out.trim().is_empty() {
            return Some("Name the project (.ron) or the folder to write.".to_owned());
        }
        None
    }
}

/// The absolute form of `path` (canonical where it exists), to compare folders.
fn absolute(path: &Path) -> PathBuf {
    if let Ok(p) = std::fs::canonicalize(path) {
        return p;
    }
    let joined = if path.is_absolute() {
        path.to_owned()
    } else {
        std::env::current_dir().unwrap_or_default().join(path)
    };
    // The nearest existing ancestor canonical, the rest as given.
    let mut existing = joined.as_path();
    let mut rest = Vec::new();
    while let Some(parent) = existing.parent() {
        if let Some(name) = existing.file_name() {
            rest.push(name.to_owned());
        }
        existing = parent;
        if let Ok(p) = std::fs::canonicalize(existing) {
            return rest.iter().rev().fold(p, |acc, n| acc.join(n));
        }
    }
    joined
}

/// What a dialog's buttons asked for this frame.
enum Action {
    None,
    Start,
    Cancel,
    Browse(bool),
}

impl SpanmarkApp {
    /// Open the export dialog.
    pub(super) fn open_export(&mut self) {
        let corpus_root = self.corpus.as_ref().map(|s| s.corpus.root.clone());
        let base = corpus_root
            .as_deref()
            .and_then(|r| absolute(r).parent().map(Path::to_owned))
            .or_else(|| {
                self.doc
                    .path
                    .as_deref()
                    .and_then(|p| p.parent().map(Path::to_owned))
            })
            .unwrap_or_else(|| self.save_dir.clone());
        let stem = crate::format::interop::stem_for_article(self.doc.project().article().name());
        let mut dialog = ExportDialog {
            format: Format::Brat,
            scope: if corpus_root.is_some() {
                Scope::Corpus
            } else {
                Scope::Document
            },
            out: String::new(),
            out_edited: false,
            base,
            corpus_root,
            stem,
            error: None,
            running: None,
            browsing: None,
        };
        dialog.out = dialog.default_out();
        self.modal = Some(Modal::Export(Box::new(dialog)));
    }

    /// Open the import dialog.
    pub(super) fn open_import(&mut self) {
        let mut dialog = ImportDialog {
            input: String::new(),
            format: None,
            out: String::new(),
            out_edited: false,
            base: self.save_dir.clone(),
            error: None,
            focused: false,
            running: None,
            browsing: None,
        };
        dialog.out = dialog.default_out();
        self.modal = Some(Modal::Import(Box::new(dialog)));
    }

    /// Draw the export dialog and act on it.
    pub(super) fn export_dialog_ui(&mut self, ctx: &egui::Context) {
        let can_browse = self.dialogs.available();
        let Some(Modal::Export(dialog)) = &mut self.modal else {
            return;
        };
        let action = export_ui(ctx, dialog, can_browse);
        match action {
            Action::None => {}
            Action::Cancel => self.modal = None,
            Action::Browse(_) => {
                let request = DialogRequest {
                    purpose: Purpose::ExportFolder,
                    start_dir: dialog.base.clone(),
                    file_name: None,
                };
                dialog.browsing = self.dialogs.ask(&request, ctx);
            }
            Action::Start => {
                if let Some(problem) = dialog.problem() {
                    dialog.error = Some(problem);
                    return;
                }
                let out = PathBuf::from(dialog.out.trim());
                let format = dialog.format;
                let path = self.doc.path.clone().unwrap_or_default();
                let input = match (dialog.scope, &dialog.corpus_root) {
                    (Scope::Corpus, Some(root)) => root.clone(),
                    _ => path.clone(),
                };
                let open_path = path;
                let project: Project = self.doc.project().clone();
                let job = move || {
                    let open = InMemory {
                        path: &open_path,
                        project: &project,
                    };
                    export_path(&input, format, &out, Some(open)).map_err(|e| e.to_string())
                };
                start(ctx, "export", job, &mut dialog.running, &mut dialog.error);
            }
        }
    }

    /// Draw the import dialog and act on it.
    pub(super) fn import_dialog_ui(&mut self, ctx: &egui::Context) {
        let can_browse = self.dialogs.available();
        let Some(Modal::Import(dialog)) = &mut self.modal else {
            return;
        };
        match import_ui(ctx, dialog, can_browse) {
            Action::None => {}
            Action::Cancel => self.modal = None,
            Action::Browse(folder) => {
                let request = DialogRequest {
                    purpose: if folder {
                        Purpose::ImportFolder
                    } else {
                        Purpose::ImportFile
                    },
                    start_dir: self.save_dir.clone(),
                    file_name: None,
                };
                dialog.browsing = self.dialogs.ask(&request, ctx);
            }
            Action::Start => {
                if let Some(problem) = dialog.problem() {
                    dialog.error = Some(problem);
                    return;
                }
                let input = PathBuf::from(dialog.input.trim());
                let out = PathBuf::from(dialog.out.trim());
                let format = dialog.format;
                let job = move || import_path(&input, format, &out).map_err(|e| e.to_string());
                start(ctx, "import", job, &mut dialog.running, &mut dialog.error);
            }
        }
    }

    /// Take up finished exports and imports, and paths chosen in native dialogs.
    pub(super) fn poll_interop(&mut self) {
        match &mut self.modal {
            Some(Modal::Export(dialog)) => {
                if let Some(path) = chosen(&mut dialog.browsing) {
                    dialog.out = path.to_string_lossy().into_owned();
                    dialog.out_edited = true;
                }
                let Some(result) = dialog.running.as_ref().and_then(Task::poll) else {
                    return;
                };
                dialog.running = None;
                match result {
                    Err(e) => dialog.error = Some(e.to_string()),
                    Ok(Err(e)) => dialog.error = Some(e),
                    Ok(Ok(report)) => {
                        let out = PathBuf::from(dialog.out.trim());
                        let format = dialog.format;
                        self.modal = None;
                        self.exported(&report, format, &out);
                    }
                }
            }
            Some(Modal::Import(dialog)) => {
                if let Some(path) = chosen(&mut dialog.browsing) {
                    dialog.input = path.to_string_lossy().into_owned();
                    if !dialog.out_edited {
                        dialog.out = dialog.default_out();
                    }
                }
                let Some(result) = dialog.running.as_ref().and_then(Task::poll) else {
                    return;
                };
                dialog.running = None;
                match result {
                    Err(e) => dialog.error = Some(e.to_string()),
                    Ok(Err(e)) => dialog.error = Some(e),
                    Ok(Ok((imported, _written))) => {
                        let out = PathBuf::from(dialog.out.trim());
                        self.modal = None;
                        self.imported(&imported, &out);
                    }
                }
            }
            _ => {}
        }
    }

    fn exported(&mut self, report: &ExportReport, format: Format, out: &Path) {
        let summary = report.summary(format, out);
        let head = capitalised(summary.lines().next().unwrap_or_default());
        let mut details: Vec<String> = report.warnings.clone();
        details.extend(
            report
                .exported
                .losses
                .iter()
                .map(|l| format!("{} could not carry: {l}", format.title())),
        );
        if details.is_empty() {
            self.say(format!("{head}; nothing was lost"));
        } else if report.exported.losses.is_empty() {
            self.messages.warning(
                format!("{head}; reading the projects needed repairs (hover for the list)"),
                details,
            );
        } else {
            // What was lost is the point of the message: in its text, not behind a hover.
            self.messages.warning(
                format!("{head}. Not carried: {}", report.exported.losses.join("; ")),
                details,
            );
        }
    }

    fn imported(&mut self, imported: &Imported, out: &Path) {
        let (summary, problems) = import_summary(imported, out);
        let details: Vec<String> = summary
            .lines()
            .filter(|l| l.starts_with("note: ") || l.starts_with("warning: "))
            .map(str::to_owned)
            .collect();
        let last = summary.lines().last().unwrap_or_default();
        let head = capitalised(last);
        if problems == 0 && details.is_empty() {
            self.say(head);
        } else {
            self.messages.warning(head, details);
        }
        // Open what was written: the project, or the folder as a corpus.
        self.commands.push(Command::OpenPath(out.to_owned()));
    }
}

/// The path a native dialog answered with, once it has answered; a cancelled or vanished
/// dialog is forgotten too, so Browse can be used again.
fn chosen(browsing: &mut Option<Receiver<Option<PathBuf>>>) -> Option<PathBuf> {
    let answer = browsing.as_ref()?.try_recv();
    match answer {
        Err(std::sync::mpsc::TryRecvError::Empty) => None,
        Ok(path) => {
            *browsing = None;
            path
        }
        Err(std::sync::mpsc::TryRecvError::Disconnected) => {
            *browsing = None;
            None
        }
    }
}

/// `text` with its first letter in upper case (the CLI's lines start in lower case).
fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// Start a dialog's work in the background; a failure to start is the dialog's error.
fn start<T: Send + 'static>(
    ctx: &egui::Context,
    name: &str,
    job: impl FnOnce() -> T + Send + 'static,
    running: &mut Option<Task<T>>,
    error: &mut Option<String>,
) {
    match Task::spawn(ctx, name, job) {
        Ok(task) => {
            *error = None;
            *running = Some(task);
        }
        Err(e) => *error = Some(e.to_string()),
    }
}

/// The export dialog's window.
fn export_ui(ctx: &egui::Context, d: &mut ExportDialog, can_browse: bool) -> Action {
    let mut action = Action::None;
    let busy = d.running.is_some();
    egui::Modal::new(egui::Id::unique("export_dialog")).show(ctx, |ui| {
        ui.set_width(560.0);
        ui.heading("Export annotations");
        ui.add_space(4.0);
        ui.add_enabled_ui(!busy, |ui| {
            ui.label("Format");
            for format in Format::ALL {
                let text = format!("{} — {}", format.title(), format.files());
                if ui.radio(d.format == format, text).clicked() && d.format != format {
                    d.format = format;
                    if !d.out_edited {
                        d.out = d.default_out();
                    }
                }
            }
            if d.corpus_root.is_some() {
                ui.add_space(6.0);
                ui.label("What");
                let before = d.scope;
                ui.radio_value(&mut d.scope, Scope::Document, "The open document");
                ui.radio_value(
                    &mut d.scope,
                    Scope::Corpus,
                    "Every annotated document of the corpus (as one collection)",
                );
                if before != d.scope && !d.out_edited {
                    d.out = d.default_out();
                }
            }
            ui.add_space(6.0);
            ui.label("Into the folder (created if needed; files of the same name are replaced)");
            ui.horizontal(|ui| {
                let width = if can_browse { 440.0 } else { 540.0 };
                let field = ui.add(
                    egui::TextEdit::singleline(&mut d.out)
                        .desired_width(width)
                        .id_salt("export_out"),
                );
                field.widget_info(|| {
                    egui::WidgetInfo::labeled(egui::Role::TextInput, true, "Export folder")
                });
                if field.changed() {
                    d.out_edited = true;
                }
                if can_browse && ui.button("Browse…").clicked() {
                    action = Action::Browse(true);
                }
            });
        });
        dialog_footer(ui, "Export", busy, d.error.as_deref(), &mut action);
    });
    action
}

/// The import dialog's window.
fn import_ui(ctx: &egui::Context, d: &mut ImportDialog, can_browse: bool) -> Action {
    let mut action = Action::None;
    let busy = d.running.is_some();
    egui::Modal::new(egui::Id::unique("import_dialog")).show(ctx, |ui| {
        ui.set_width(560.0);
        ui.heading("Import annotations");
        ui.add_space(4.0);
        ui.add_enabled_ui(!busy, |ui| {
            ui.label("File or folder to import (a collection imports as a corpus folder)");
            ui.horizontal(|ui| {
                let width = if can_browse { 390.0 } else { 540.0 };
                let field = ui.add(
                    egui::TextEdit::singleline(&mut d.input)
                        .desired_width(width)
                        .id_salt("import_in"),
                );
                field.widget_info(|| {
                    egui::WidgetInfo::labeled(egui::Role::TextInput, true, "Import from")
                });
                if !std::mem::replace(&mut d.focused, true) {
                    field.request_focus();
                }
                if field.changed() && !d.out_edited {
                    d.out = d.default_out();
                }
                if can_browse {
                    if ui.button("File…").clicked() {
                        action = Action::Browse(false);
                    }
                    if ui.button("Folder…").clicked() {
                        action = Action::Browse(true);
                    }
                }
            });
            ui.add_space(6.0);
            ui.label("Format");
            ui.radio_value(&mut d.format, None, "Detect from the files");
            for format in Format::ALL {
                ui.radio_value(&mut d.format, Some(format), format.title());
            }
            ui.add_space(6.0);
            ui.label("Write to: a project (ending in .ron) or a corpus folder");
            let field = ui.add(
                egui::TextEdit::singleline(&mut d.out)
                    .desired_width(540.0)
                    .id_salt("import_out"),
            );
            field.widget_info(|| {
                egui::WidgetInfo::labeled(egui::Role::TextInput, true, "Import into")
            });
            if field.changed() {
                d.out_edited = true;
            }
        });
        dialog_footer(ui, "Import", busy, d.error.as_deref(), &mut action);
    });
    action
}

/// The error line, the spinner while running, and the two buttons (Enter starts, Esc
/// cancels when nothing runs).
fn dialog_footer(
    ui: &mut egui::Ui,
    verb: &str,
    busy: bool,
    error: Option<&str>,
    action: &mut Action,
) {
    if let Some(error) = error {
        ui.add_space(6.0);
        ui.label(RichText::new(error).color(ui.visuals().error_fg_color));
    }
    ui.add_space(8.0);
    ui.horizontal(|ui| {
        if busy {
            ui.spinner();
            ui.label(format!("{verb}ing…"));
        } else {
            if ui.button(RichText::new(verb).strong()).clicked() {
                *action = Action::Start;
            }
            if ui.button("Cancel").clicked() {
                *action = Action::Cancel;
            }
        }
    });
    if !busy {
        let (enter, esc) = ui.input(|i| (i.key_pressed(Key::Enter), i.key_pressed(Key::Escape)));
        if esc {
            *action = Action::Cancel;
        } else if enter && matches!(action, Action::None) {
            *action = Action::Start;
        }
    }
}
