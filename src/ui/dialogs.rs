//! File dialogs and modal questions.
//!
//! Native dialogs (rfd) run on their own thread so they never block the UI; the answer comes
//! back through a channel. Where no native dialog can be shown (no desktop portal and no
//! zenity, as under a bare X server), rfd answers `None` exactly as for a cancel, so the app
//! also offers its own path prompt, pre-filled, where Enter confirms.

use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, channel};

use egui::{Key, RichText};

/// What a file dialog is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Purpose {
    /// Pick an article (text file) to open.
    OpenArticle,
    /// Pick a project (`.ron`) to open.
    OpenProject,
    /// Choose where to save the project.
    SaveAs,
    /// Pick the new version of the current article.
    ReplaceArticle,
    /// Pick another analyst's project of the same article.
    Compare,
    /// Pick a corpus folder.
    OpenFolder,
    /// Pick the folder an export goes into.
    ExportFolder,
    /// Pick a file to import.
    ImportFile,
    /// Pick a collection folder to import.
    ImportFolder,
}

impl Purpose {
    /// The dialog's title.
    #[must_use]
    pub fn title(self) -> &'static str {
        match self {
            Self::OpenArticle => "Open article",
            Self::OpenProject => "Open project",
            Self::SaveAs => "Save project as",
            Self::ReplaceArticle => "Replace article text",
            Self::Compare => "Compare with another analyst's project",
            Self::OpenFolder => "Open a corpus folder",
            Self::ExportFolder => "Export into the folder",
            Self::ImportFile => "Import a file",
            Self::ImportFolder => "Import a folder (a collection)",
        }
    }
}

/// A request for a path.
#[derive(Clone, Debug)]
pub struct DialogRequest {
    /// What the path is for.
    pub purpose: Purpose,
    /// The folder to start in.
    pub start_dir: PathBuf,
    /// The proposed file name (for saving).
    pub file_name: Option<String>,
}

impl DialogRequest {
    /// The full path to pre-fill a prompt with.
    #[must_use]
    pub fn proposed_path(&self) -> PathBuf {
        match &self.file_name {
            Some(name) => self.start_dir.join(name),
            None => self.start_dir.clone(),
        }
    }
}

/// A way to ask the user for a path.
pub trait FileDialogs {
    /// Start asking; the answer (`None` for cancel) arrives on the receiver. Returns `None`
    /// when this kind of dialog cannot be shown at all.
    fn ask(
        &self,
        request: &DialogRequest,
        ctx: &egui::Context,
    ) -> Option<Receiver<Option<PathBuf>>>;

    /// True when [`FileDialogs::ask`] can show a dialog at all (dialogs offer a Browse
    /// button only then).
    fn available(&self) -> bool;
}

/// rfd's native dialogs, each on its own thread.
pub struct NativeDialogs;

/// True when a native file dialog can appear: a desktop portal needs a session bus, and
/// rfd falls back to zenity when there is none.
#[must_use]
pub fn native_dialogs_available() -> bool {
    if cfg!(any(target_os = "windows", target_os = "macos")) {
        return true;
    }
    std::env::var_os("DBUS_SESSION_BUS_ADDRESS").is_some() || find_in_path("zenity")
}

fn find_in_path(program: &str) -> bool {
    std::env::var_os("PATH")
        .is_some_and(|paths| std::env::split_paths(&paths).any(|dir| dir.join(program).is_file()))
}

impl FileDialogs for NativeDialogs {
    fn available(&self) -> bool {
        native_dialogs_available()
    }

    fn ask(
        &self,
        request: &DialogRequest,
        ctx: &egui::Context,
    ) -> Option<Receiver<Option<PathBuf>>> {
        if !native_dialogs_available() {
            return None;
        }
        let (tx, rx) = channel();
        let request = request.clone();
        let ctx = ctx.clone();
        let spawned = std::thread::Builder::new()
            .name("file-dialog".into())
            .spawn(move || {
                let mut dialog = rfd::FileDialog::new()
                    .set_title(request.purpose.title())
                    .set_directory(&request.start_dir);
                let answer = match request.purpose {
                    Purpose::OpenFolder | Purpose::ExportFolder | Purpose::ImportFolder => {
                        dialog.pick_folder()
                    }
                    Purpose::ImportFile => dialog.pick_file(),
                    Purpose::OpenProject | Purpose::Compare => {
                        dialog.add_filter("spanmark project", &["ron"]).pick_file()
                    }
                    Purpose::OpenArticle | Purpose::ReplaceArticle => dialog
                        .add_filter("Text", &["txt", "md", "text"])
                        .add_filter("All files", &["*"])
                        .pick_file(),
                    Purpose::SaveAs => {
                        if let Some(name) = &request.file_name {
                            dialog = dialog.set_file_name(name);
                        }
                        dialog.add_filter("spanmark project", &["ron"]).save_file()
                    }
                };
                let _ = tx.send(answer);
                ctx.request_repaint();
            });
        spawned.ok().map(|_| rx)
    }
}

/// No native dialogs: every request goes to the app's own path prompt (tests, bare X).
pub struct PromptOnly;

impl FileDialogs for PromptOnly {
    fn available(&self) -> bool {
        false
    }

    fn ask(
        &self,
        _request: &DialogRequest,
        _ctx: &egui::Context,
    ) -> Option<Receiver<Option<PathBuf>>> {
        None
    }
}

/// The app's own path prompt.
pub struct PathPrompt {
    /// What the path is for.
    pub request: DialogRequest,
    /// The path being edited.
    pub text: String,
    /// A problem with the last confirmed path, shown under the field.
    pub error: Option<String>,
    /// The field's id: a new one for every prompt, so no earlier prompt's cursor (kept in
    /// egui's memory, even across restarts) is reused.
    id: egui::Id,
    /// The caret was put at the end of the pre-filled path.
    placed: bool,
}

impl PathPrompt {
    /// A prompt pre-filled from `request`.
    #[must_use]
    pub fn new(request: DialogRequest) -> Self {
        static NEXT: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
        let text = request.proposed_path().to_string_lossy().into_owned();
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        Self {
            request,
            text,
            error: None,
            id: egui::Id::unique(("path_prompt_field", std::process::id(), n)),
            placed: false,
        }
    }
}

/// What the user did with the prompt this frame.
pub enum PromptOutcome {
    /// Still open.
    Open,
    /// Enter or OK with this path.
    Confirmed(PathBuf),
    /// Esc or Cancel.
    Cancelled,
}

/// Show the path prompt as a modal window.
pub fn path_prompt_ui(ctx: &egui::Context, prompt: &mut PathPrompt) -> PromptOutcome {
    let mut outcome = PromptOutcome::Open;
    egui::Modal::new(egui::Id::unique("path_prompt")).show(ctx, |ui| {
        ui.set_width(520.0);
        ui.heading(prompt.request.purpose.title());
        ui.label("File path:");
        if !std::mem::replace(&mut prompt.placed, true) {
            // Typing goes after the pre-filled path, not where an earlier prompt's caret was.
            let mut state =
                egui::text_edit::TextEditState::load(ui.ctx(), prompt.id).unwrap_or_default();
            let end = egui::text::CCursor::new(prompt.text.chars().count());
            state
                .cursor
                .set_char_range(Some(egui::text::CCursorRange::one(end)));
            state.store(ui.ctx(), prompt.id);
        }
        let field = ui.add(
            egui::TextEdit::singleline(&mut prompt.text)
                .desired_width(f32::INFINITY)
                .id(prompt.id),
        );
        field.widget_info(|| egui::WidgetInfo::labeled(egui::Role::TextInput, true, "File path"));
        if !field.has_focus() && !field.lost_focus() {
            field.request_focus();
        }
        if let Some(err) = &prompt.error {
            ui.label(RichText::new(err).color(ui.visuals().error_fg_color));
        }
        ui.label(RichText::new("Enter confirms, Esc cancels.").weak());
        ui.horizontal(|ui| {
            let ok = ui.button("OK").clicked();
            let cancel = ui.button("Cancel").clicked();
            let enter = field.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
            if (ok || enter) && !prompt.text.trim().is_empty() {
                outcome = PromptOutcome::Confirmed(expand_home(prompt.text.trim()));
            }
            if cancel || ui.input(|i| i.key_pressed(Key::Escape)) {
                outcome = PromptOutcome::Cancelled;
            }
        });
    });
    outcome
}

fn expand_home(text: &str) -> PathBuf {
    if let Some(rest) = text.strip_prefix("~/")
        && let Some(home) = std::env::var_os("HOME")
    {
        return Path::new(&home).join(rest);
    }
    PathBuf::from(text)
}

/// A modal question with buttons; returns the answer of the button chosen. Enter picks
/// the first button, Esc the last.
#[must_use]
pub fn choice_ui<T: Copy>(
    ctx: &egui::Context,
    title: &str,
    message: &str,
    buttons: &[(&str, T)],
) -> Option<T> {
    let mut chosen = None;
    egui::Modal::new(egui::Id::unique(("choice", title))).show(ctx, |ui| {
        ui.set_max_width(480.0);
        ui.heading(title);
        ui.add_space(4.0);
        ui.label(message);
        ui.add_space(8.0);
        ui.horizontal(|ui| {
            for (i, (text, answer)) in buttons.iter().enumerate() {
                let button = if i == 0 {
                    egui::Button::new(RichText::new(*text).strong())
                } else {
                    egui::Button::new(*text)
                };
                if ui.add(button).clicked() {
                    chosen = Some(*answer);
                }
            }
        });
        let (enter, esc) = ui.input(|i| (i.key_pressed(Key::Enter), i.key_pressed(Key::Escape)));
        // Enter on a focused button is that button's click (handled above); only with
        // nothing focused does it mean the default, the first button.
        let focused = ui.ctx().memory(|m| m.focused().is_some());
        if chosen.is_none() && enter && !focused {
            chosen = buttons.first().map(|(_, a)| *a);
        } else if chosen.is_none() && esc {
            chosen = buttons.last().map(|(_, a)| *a);
        }
    });
    chosen
}
